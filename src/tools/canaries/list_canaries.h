#pragma once
// list_canaries: the account's CloudWatch Synthetics canaries with their state, schedule,
// runtime and last run (DescribeCanaries, then GetCanaryRuns with one run per listed canary,
// concurrently), flagging the failing ones for analyze_canary_failures.
#include <memory>

#include "mcp/registry.h"
#include "tools/common/tool_env.h"

namespace appsignals::tools {

mcp::ToolDef make_list_canaries_tool(std::shared_ptr<const ToolEnv> env);

}  // namespace appsignals::tools

#pragma once
// analyze_canary_failures: why a CloudWatch Synthetics canary fails, end to end (runs and
// failure streak, the canary's audit findings, S3 artifacts with a HAR comparison, Lambda logs
// when there are no artifacts, IAM analysis for permission failures, pattern advice and the
// knowledge base of known runtime failures).
#include <memory>

#include "mcp/registry.h"
#include "tools/common/tool_env.h"

namespace appsignals::tools {

mcp::ToolDef make_analyze_canary_failures_tool(std::shared_ptr<const ToolEnv> env);

}  // namespace appsignals::tools

#pragma once
// The traces toolset's tools, one file each; register.cc adds them to the registry.
#include <memory>

#include "mcp/registry.h"
#include "tools/common/tool_env.h"

namespace appsignals::tools {

mcp::ToolDef make_search_transaction_spans_tool(std::shared_ptr<const ToolEnv> env);
mcp::ToolDef make_query_sampled_traces_tool(std::shared_ptr<const ToolEnv> env);
mcp::ToolDef make_get_xray_trace_tool(std::shared_ptr<const ToolEnv> env);

}  // namespace appsignals::tools

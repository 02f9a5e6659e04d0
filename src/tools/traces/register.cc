#include "tools/toolsets.h"
#include "tools/traces/traces_tools.h"

namespace appsignals::tools {

void register_traces_tools(mcp::Registry& registry, std::shared_ptr<const ToolEnv> env) {
  registry.add_tool(make_search_transaction_spans_tool(env));
  registry.add_tool(make_query_sampled_traces_tool(env));
  registry.add_tool(make_get_xray_trace_tool(std::move(env)));
}

}  // namespace appsignals::tools

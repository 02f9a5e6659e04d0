#include "tools/canaries/analyze_canary_failures.h"
#include "tools/toolsets.h"

#if __has_include("tools/canaries/list_canaries.h")
#include "tools/canaries/list_canaries.h"
#define APPSIGNALS_HAS_LIST_CANARIES 1
#endif

namespace appsignals::tools {

void register_canaries_tools(mcp::Registry& registry, std::shared_ptr<const ToolEnv> env) {
  registry.add_tool(make_analyze_canary_failures_tool(env));
#ifdef APPSIGNALS_HAS_LIST_CANARIES
  registry.add_tool(make_list_canaries_tool(env));
#endif
}

}  // namespace appsignals::tools

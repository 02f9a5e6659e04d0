#include "tools/slo/slo_common.h"
#include "tools/toolsets.h"

namespace appsignals::tools {

void register_slo_tools(mcp::Registry& registry, std::shared_ptr<const ToolEnv> env) {
  registry.add_tool(slo::get_slo_tool(env));
  registry.add_tool(slo::list_slos_tool(env));
  registry.add_tool(slo::list_slis_tool(env));
}

}  // namespace appsignals::tools

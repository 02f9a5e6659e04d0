#include "tools/services/service_common.h"
#include "tools/toolsets.h"

namespace appsignals::tools {

void register_services_tools(mcp::Registry& registry, std::shared_ptr<const ToolEnv> env) {
  registry.add_tool(services::list_monitored_services_tool(env));
  registry.add_tool(services::get_service_detail_tool(env));
  registry.add_tool(services::list_service_operations_tool(env));
  registry.add_tool(services::query_service_metrics_tool(env));
}

}  // namespace appsignals::tools

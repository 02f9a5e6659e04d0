#include "tools/service_events/service_events_tools.h"
#include "tools/toolsets.h"

namespace appsignals::tools {

std::vector<ToolEntry> service_events_tools() {
  return {service_events::list_monitored_functions_tool(),   service_events::get_function_metrics_tool(),
          service_events::search_functions_by_name_tool(),   service_events::get_endpoint_performance_tool(),
          service_events::get_recent_incidents_tool(),       service_events::get_incident_root_cause_tool(),
          service_events::get_service_health_overview_tool(), service_events::find_deployment_tool()};
}

}  // namespace appsignals::tools

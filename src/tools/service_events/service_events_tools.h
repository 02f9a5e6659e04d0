#pragma once
// The service_events toolset: function-level metrics (CloudWatch PromQL) and Application
// Signals service events (endpoint summaries, incident snapshots, deployments) in CloudWatch Logs.
#include "tools/common/tool_spec.h"

namespace appsignals::tools::service_events {

ToolEntry list_monitored_functions_tool();
ToolEntry get_incident_root_cause_tool();
ToolEntry find_deployment_tool();
ToolEntry get_service_health_overview_tool();
ToolEntry get_function_metrics_tool();
ToolEntry search_functions_by_name_tool();
ToolEntry get_endpoint_performance_tool();
ToolEntry get_recent_incidents_tool();

}  // namespace appsignals::tools::service_events

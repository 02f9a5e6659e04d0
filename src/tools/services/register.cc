#include "tools/services/service_common.h"
#include "tools/toolsets.h"

namespace appsignals::tools {

std::vector<ToolEntry> services_tools() {
  return {services::list_monitored_services_tool(), services::get_service_detail_tool(),
          services::list_service_operations_tool(), services::query_service_metrics_tool()};
}

}  // namespace appsignals::tools

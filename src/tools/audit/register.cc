#include "tools/audit/audit_tools.h"
#include "tools/toolsets.h"

namespace appsignals::tools {

std::vector<ToolEntry> audit_tools() {
  return {audit::audit_services_tool(), audit::audit_slos_tool(), audit::audit_service_operations_tool()};
}

}  // namespace appsignals::tools

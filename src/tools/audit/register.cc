#include "tools/audit/audit_tools.h"
#include "tools/toolsets.h"

namespace appsignals::tools {

void register_audit_tools(mcp::Registry& registry, std::shared_ptr<const ToolEnv> env) {
  registry.add_tool(make_audit_services_tool(env));
  registry.add_tool(make_audit_slos_tool(env));
  registry.add_tool(make_audit_service_operations_tool(env));
}

}  // namespace appsignals::tools

#pragma once
// The audit toolset: ListAuditFindings over services, SLOs and service operations, with
// target shorthands, wildcard and fuzzy names, and batches of 5 run concurrently.
#include <memory>

#include "mcp/registry.h"
#include "tools/common/tool_env.h"

namespace appsignals::tools {

mcp::ToolDef make_audit_services_tool(std::shared_ptr<const ToolEnv> env);
mcp::ToolDef make_audit_slos_tool(std::shared_ptr<const ToolEnv> env);
mcp::ToolDef make_audit_service_operations_tool(std::shared_ptr<const ToolEnv> env);

}  // namespace appsignals::tools

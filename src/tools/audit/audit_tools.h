#pragma once
// The audit toolset: ListAuditFindings over services, SLOs and service operations, with targets
// in any form, resolved names, ranked findings and wildcard paging (one file per tool).
#include "tools/audit/audit_common.h"
#include "tools/common/tool_spec.h"

namespace appsignals::tools::audit {

ToolEntry audit_services_tool();
ToolEntry audit_slos_tool();
ToolEntry audit_service_operations_tool();

}  // namespace appsignals::tools::audit

#pragma once
// The changes toolset: change events (deployments, configuration changes) of Application
// Signals services.
#include "tools/common/tool_spec.h"

namespace appsignals::tools::changes {

ToolEntry list_change_events_tool();

}  // namespace appsignals::tools::changes

#include "tools/changes/changes_tools.h"
#include "tools/toolsets.h"

namespace appsignals::tools {

std::vector<ToolEntry> changes_tools() { return {changes::list_change_events_tool()}; }

}  // namespace appsignals::tools

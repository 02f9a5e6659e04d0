#include "tools/rum/rum_tools.h"
#include "tools/toolsets.h"

namespace appsignals::tools {

std::vector<ToolEntry> rum_tools() { return {rum::query_rum_events_tool()}; }

}  // namespace appsignals::tools

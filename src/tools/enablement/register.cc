#include "tools/enablement/enablement_tools.h"
#include "tools/toolsets.h"

namespace appsignals::tools {

std::vector<ToolEntry> enablement_tools() { return {enablement::get_enablement_guide_tool()}; }

}  // namespace appsignals::tools

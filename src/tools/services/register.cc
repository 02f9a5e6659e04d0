#include "tools/toolsets.h"

namespace appsignals::tools {

// Filled as the toolset's tools are implemented (one file per tool beside this one).
void register_services_tools(mcp::Registry&, std::shared_ptr<const ToolEnv>) {}

}  // namespace appsignals::tools

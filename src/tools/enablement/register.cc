#include "tools/enablement/enablement_tools.h"
#include "tools/toolsets.h"

namespace appsignals::tools {

// The enablement tools need no AWS access, so the environment is not used.
void register_enablement_tools(mcp::Registry& registry, std::shared_ptr<const ToolEnv>) {
  registry.add_tool(enablement::get_enablement_guide_tool());
}

}  // namespace appsignals::tools

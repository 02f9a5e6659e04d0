#include <stdexcept>

#include "tool_harness.h"

namespace appsignals::testing {

// Toolset test binaries link one toolset only: they must pass their registrar to ToolHarness.
void register_all(mcp::Registry&, std::shared_ptr<const tools::ToolEnv>) {
  throw std::logic_error("ToolHarness: pass &tools::register_toolset<&tools::<toolset>_tools> to the constructor");
}

}  // namespace appsignals::testing

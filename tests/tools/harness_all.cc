#include "tool_harness.h"

namespace appsignals::testing {

void register_all(mcp::Registry& registry, std::shared_ptr<const tools::ToolEnv> env) {
  tools::register_tools(registry, std::move(env), tools::ToolSelection{});
}

}  // namespace appsignals::testing

#include "tools/canaries/analyze_canary_failures.h"
#include "tools/canaries/list_canaries.h"
#include "tools/toolsets.h"

namespace appsignals::tools {

std::vector<ToolEntry> canaries_tools() {
  return {canaries::analyze_canary_failures_tool(), canaries::list_canaries_tool()};
}

}  // namespace appsignals::tools

#include "tools/slo/slo_common.h"
#include "tools/toolsets.h"

namespace appsignals::tools {

std::vector<ToolEntry> slo_tools() {
  return {slo::get_slo_tool(), slo::list_slos_tool(), slo::list_slis_tool()};
}

}  // namespace appsignals::tools

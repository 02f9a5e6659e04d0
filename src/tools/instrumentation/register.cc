#include "tools/instrumentation/instrumentation_common.h"
#include "tools/toolsets.h"

namespace appsignals::tools {

std::vector<ToolEntry> instrumentation_tools() {
  using namespace instrumentation;
  return {create_instrumentation_tool(), list_instrumentations_tool(), get_instrumentation_tool(),
          delete_instrumentation_tool(), batch_delete_by_scope_tool(), batch_delete_by_arns_tool(),
          get_status_tool(), check_status_tool(), search_snapshots_tool(), sample_snapshot_tool()};
}

}  // namespace appsignals::tools

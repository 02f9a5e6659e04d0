#include "tools/toolsets.h"
#include "tools/traces/traces_tools.h"

namespace appsignals::tools {

std::vector<ToolEntry> traces_tools() {
  return {traces::search_transaction_spans_tool(), traces::query_sampled_traces_tool(), traces::get_xray_trace_tool()};
}

}  // namespace appsignals::tools

#pragma once
// The traces toolset's tools, one file each; register.cc lists them.
//   search_transaction_spans: Logs Insights over every span (Transaction Search) - counts, aggregates.
//   query_sampled_traces: X-Ray sampled trace summaries - filter expressions, root causes.
//   get_xray_trace: one trace's segment tree by id.
#include "tools/common/tool_spec.h"

namespace appsignals::tools::traces {

ToolEntry search_transaction_spans_tool();
ToolEntry query_sampled_traces_tool();
ToolEntry get_xray_trace_tool();

}  // namespace appsignals::tools::traces

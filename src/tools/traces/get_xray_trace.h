#pragma once
// get_xray_trace: full X-Ray traces (BatchGetTraces) as segment trees. The pure steps are
// exposed for unit tests.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "common/result.h"

namespace appsignals::tools::traces {

// The accepted trace id forms, for error messages.
inline constexpr std::string_view kTraceIdForms =
    "X-Ray '1-<8 hex>-<24 hex>' (1-67891233-abcdef012345678912345678), OpenTelemetry 32 hex "
    "(67891233abcdef012345678912345678) or the same with 0x (0x67891233abcdef012345678912345678)";

// Any accepted form → the X-Ray form "1-<first 8>-<last 24>" (lower case). kInvalidArgument otherwise.
Result<std::string> normalize_trace_id(std::string_view id);

// A comma-separated list (duplicates removed, at most `max_ids`) normalised; the error (worded
// to follow "argument 'trace_ids' ") names the offending id and the accepted forms.
Result<std::vector<std::string>> parse_trace_ids(std::string_view text, std::size_t max_ids);

// One segment document (or subsegment) summarised: name, duration_ms, namespace, origin, flags
// (only when true), http, aws resource fields, sql, causes (<= 3) and subsegments down to
// `max_depth` levels (deeper ones counted, not shown).
boost::json::object summarize_segment(const boost::json::object& doc, int depth, int max_depth);
// The same within a node budget: each node shown takes one from `node_budget`; once it is spent,
// and beyond 12 children of one node, subsegments are counted (subsegments_not_shown).
boost::json::object summarize_segment(const boost::json::object& doc, int depth, int max_depth,
                                      std::size_t& node_budget);

}  // namespace appsignals::tools::traces

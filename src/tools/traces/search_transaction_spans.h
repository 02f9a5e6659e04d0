#pragma once
// search_transaction_spans: Logs Insights over the span data Transaction Search writes to
// CloudWatch Logs. The pure steps are exposed for unit tests.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace appsignals::tools::traces {

struct ComposedQuery {
  std::string query;                         // what StartQuery receives
  std::vector<std::string> log_group_names;  // logGroupNames, empty when the query has SOURCE
  bool log_group_ignored = false;            // a log group was named but the query starts with SOURCE
};

// `SOURCE logGroups() | filterIndex @data_format = "AWS-OTEL-TRACE-V1" | <query>`, except: a
// query starting with SOURCE is kept as is (and the log group ignored); with a log group, no
// SOURCE (the group goes to logGroupNames); a query that mentions @data_format gets no filterIndex.
ComposedQuery compose_span_query(std::string_view user_query, std::string_view log_group_name);

// {enabled, destination, status} from a GetTraceSegmentDestination response: enabled only for
// Destination CloudWatchLogs with Status ACTIVE.
boost::json::object transaction_search_status(const boost::json::value& destination_response);

// GetQueryResults rows ([[{field, value}]]) as objects {field: value}; "@ptr" is dropped.
boost::json::array rows_as_objects(const boost::json::value& results);

// The query sent when query_string is not given: the most recent server spans, `limit` rows.
std::string default_span_query(std::int64_t limit);

// The row limit a query ends with ("| limit 20" → 20), or nullopt.
std::optional<std::int64_t> query_limit(std::string_view query);

// Rows that carry one value under two names (an attribute under its older and its current
// OpenTelemetry name, e.g. attributes.code.function and attributes.code.function.name) keep
// the current name only. Returns {older: current} for every name dropped from some row.
boost::json::object merge_duplicate_fields(boost::json::array& rows);

// With two or more rows, fields that have the same value in every row move out of the rows
// into the returned object (shown once as common_fields).
boost::json::object hoist_common_fields(boost::json::array& rows);

// Which code-level attributes (code.file.path, code.function.name, code.line.number and the
// older code.filepath, code.function, code.lineno) the rows carry, whether the query asked for
// them, and advice: {detected, attributes_found, requested_in_query, message, suggestion?}.
boost::json::object code_level_attributes(const boost::json::array& rows, std::string_view query);

}  // namespace appsignals::tools::traces

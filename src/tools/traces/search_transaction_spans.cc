// search_transaction_spans: a Logs Insights query over the spans Transaction Search stores in
// CloudWatch Logs (aws/spans). Checks that Transaction Search is on, composes the query, starts
// it, polls with backoff until it ends or max_timeout passes, and stops it on timeout and when
// the client cancels the MCP request. Rows are made compact: an attribute recorded under two
// OpenTelemetry names is shown once, values shared by every row are shown once, and the rows
// shown stop at a size budget (the result says how many more there were and how to narrow).
#include "tools/traces/search_transaction_spans.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <set>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/system/system_error.hpp>

#include "common/text.h"
#include "tools/common/json_access.h"
#include "tools/common/logs_query.h"
#include "tools/common/time_args.h"
#include "tools/common/tool_errors.h"
#include "tools/toolsets.h"
#include "tools/traces/json_output.h"
#include "tools/traces/traces_tools.h"

namespace appsignals::tools::traces {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr std::string_view kDataFormatFilter = "filterIndex @data_format = \"AWS-OTEL-TRACE-V1\"";
constexpr std::int64_t kDefaultLimit = 50;
constexpr std::int64_t kMaxLimit = 10000;  // StartQuery's own range: 1-10000
// Characters of rows shown; the rest of the result stays well inside the output budget.
constexpr std::size_t kRowsBudget = 12000;

// Older OpenTelemetry attribute names and the current name of the same attribute.
constexpr std::pair<std::string_view, std::string_view> kRenamedAttributes[] = {
    {"code.function", "code.function.name"},     {"code.filepath", "code.file.path"},
    {"code.lineno", "code.line.number"},         {"http.status_code", "http.response.status_code"},
    {"http.method", "http.request.method"},      {"http.url", "url.full"},
    {"http.target", "url.path"},                 {"net.peer.name", "server.address"},
    {"net.peer.port", "server.port"},            {"db.system", "db.system.name"},
};

struct SpanQuery {
  std::string user_query;
  std::string log_group;
  TimeWindow window;
  std::int64_t limit = kDefaultLimit;
  std::chrono::seconds max_timeout{30};
};

json::object start_query_input(const SpanQuery& a, const ComposedQuery& q) {
  json::object in;
  in["queryString"] = q.query;
  in["startTime"] = epoch_seconds(a.window.start);
  in["endTime"] = epoch_seconds(a.window.end);
  in["limit"] = a.limit;
  if (!q.log_group_names.empty()) {
    json::array groups;
    for (const auto& name : q.log_group_names) groups.emplace_back(name);
    in["logGroupNames"] = std::move(groups);
  }
  return in;
}

json::object not_available(const json::object& status) {
  json::object o;
  o["status"] = "Transaction Search Not Available";
  o["transaction_search_status"] = status;
  o["message"] =
      "Transaction Search is not enabled in this account and region, so there are no spans in CloudWatch Logs to "
      "query. X-Ray currently sends trace segments to " +
      jv::str(status, "destination") + " (status " + jv::str(status, "status") +
      "). To enable it: CloudWatch console > Application Signals > Transaction Search > Enable (or the X-Ray API "
      "UpdateTraceSegmentDestination with Destination=CloudWatchLogs, after allowing X-Ray to write to CloudWatch "
      "Logs with a logs resource policy); spans then arrive in the aws/spans log group within minutes.";
  o["fallback_recommendation"] =
      "Meanwhile use query_sampled_traces for sampled X-Ray trace summaries and get_xray_trace for full traces.";
  return o;
}

json::object timeout_result(const std::string& query_id, const SpanQuery& a, const ComposedQuery& q) {
  json::object o;
  o["queryId"] = query_id;
  o["status"] = "Polling Timeout";
  o["query_string"] = q.query;
  o["message"] = "The query did not finish within max_timeout (" + std::to_string(a.max_timeout.count()) +
                 " s) and was stopped (StopQuery). Narrow the time window, add filters before stats, or raise "
                 "max_timeout.";
  return o;
}

bool is_stats_query(std::string_view query) {
  std::string lower = ascii_lower(query);
  return lower.find("| stats ") != std::string::npos || lower.rfind("stats ", 0) == 0;
}

json::object completed_result(const std::string& query_id, const json::value& response, const SpanQuery& a,
                              const ComposedQuery& q, const json::object& ts) {
  const json::object& resp = jv::as_obj(response);
  const std::string status = jv::str(resp, "status");
  json::object o;
  o["queryId"] = query_id;
  o["status"] = status;
  o["query_string"] = q.query;
  if (!q.log_group_names.empty()) {
    json::array groups;
    for (const auto& g : q.log_group_names) groups.emplace_back(g);
    o["log_group_names"] = std::move(groups);
  }
  if (q.log_group_ignored) {
    o["log_group_name_ignored"] = true;
    o["log_group_note"] = "The query starts with SOURCE, so it chooses its own log groups; log_group_name '" +
                          a.log_group + "' was not used.";
  }
  json::object range;
  range["start_time"] = format_iso(a.window.start);
  range["end_time"] = format_iso(a.window.end);
  o["time_range"] = std::move(range);
  o["statistics"] = jv::obj(resp, "statistics");

  json::array rows;
  if (const auto* r = resp.if_contains("results")) rows = rows_as_objects(*r);
  const std::size_t total = rows.size();
  json::object merged = merge_duplicate_fields(rows);
  json::object code = code_level_attributes(rows, q.query);
  json::object common = hoist_common_fields(rows);
  const std::size_t dropped = keep_within(rows, kRowsBudget);

  o["result_count"] = static_cast<std::int64_t>(total);
  if (dropped > 0) o["shown_count"] = static_cast<std::int64_t>(rows.size());
  if (!common.empty()) o["common_fields"] = std::move(common);
  o["results"] = std::move(rows);
  if (!merged.empty()) o["merged_fields"] = std::move(merged);
  if (status != "Complete") {
    o["message"] = status == "Failed"
                       ? "Logs Insights reports the query as Failed: check the query syntax and field names."
                       : "The query ended with status " + status + "; the rows may be incomplete.";
  } else if (total == 0) {
    o["message"] = "No spans matched in this window. Widen the time range or relax the filters.";
  }
  o["transaction_search_status"] = ts;
  o["code_level_attributes_status"] = std::move(code);

  // The closing hint: what was cut and how to get the rest.
  std::string truncated;
  if (dropped > 0)
    truncated = "Showing " + std::to_string(total - dropped) + " of " + std::to_string(total) +
                " rows to keep the output readable. ";
  std::int64_t effective = a.limit;
  if (auto ql = query_limit(q.query)) effective = std::min(effective, *ql);
  if (status == "Complete" && total > 0 && static_cast<std::int64_t>(total) >= effective)
    truncated += "The query stopped at its row limit (" + std::to_string(effective) +
                 "), so more spans may match. ";
  if (!truncated.empty()) {
    truncated += is_stats_query(q.query)
                     ? "Narrow the time window or add a filter before stats."
                     : "To narrow: select fewer fields, add a filter (e.g. `filter status.code = \"ERROR\"`), "
                       "narrow the time window, or aggregate with `stats count(*) by attributes.aws.local.service`. "
                       "To fetch more rows, raise limit (up to 10000).";
    o["truncated"] = truncated;
  }
  return o;
}

asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  SpanQuery a;
  a.user_query = call.args.str("query_string");
  a.log_group = call.args.str("log_group_name");
  a.limit = call.args.integer("limit", kDefaultLimit);
  a.max_timeout = std::chrono::seconds(call.args.integer("max_timeout", 30));
  auto window = time_window(call.args.object(), "start_time", "end_time", std::chrono::hours(1), std::nullopt,
                            call.now());
  if (!window) co_return argument_failure(window.error());
  a.window = *window;
  if (a.user_query.empty()) {
    a.user_query = default_span_query(a.limit);
    call.note("query_string not given: listing the most recent server spans (" + a.user_query + ").");
  }

  auto clients_r = call.aws();
  if (!clients_r) co_return aws_failure(clients_r.error(), aws::ops::kGetTraceSegmentDestination);
  std::shared_ptr<const aws::AwsClients> clients = *clients_r;

  json::object dest_input;
  auto dest = co_await clients->xray.call(aws::ops::kGetTraceSegmentDestination, dest_input);
  if (!dest) co_return aws_failure(dest.error(), aws::ops::kGetTraceSegmentDestination);
  json::object ts = transaction_search_status(*dest);
  if (!jv::boolean(ts, "enabled")) co_return json_result(not_available(ts));

  ComposedQuery q = compose_span_query(a.user_query, a.log_group);
  json::object start_input = start_query_input(a, q);
  auto started = co_await clients->logs.call(aws::ops::kStartQuery, start_input);
  if (!started) co_return aws_failure(started.error(), aws::ops::kStartQuery);
  const std::string query_id = jv::str(jv::as_obj(*started), "queryId");
  if (query_id.empty()) co_return mcp::ToolResult::error("Error: StartQuery returned no queryId.");

  // Poll with backoff until the query ends, max_timeout passes, or the request is cancelled
  // (then the query is stopped and the cancellation propagates).
  auto outcome = co_await poll_logs_query(clients, query_id, a.max_timeout);
  if (outcome.timed_out) co_return json_result(timeout_result(query_id, a, q));
  if (outcome.error) co_return aws_failure(*outcome.error, aws::ops::kGetQueryResults);
  json::value final_response = std::move(outcome.response);
  co_return json_result(completed_result(query_id, final_response, a, q, ts));
}

json::object property(std::string_view type, std::string_view description) {
  json::object p;
  p["type"] = type;
  p["description"] = description;
  return p;
}

json::object output_schema() {
  json::object props;
  props["status"] = property("string",
                             "Complete, Failed, Cancelled, Timeout, Unknown, 'Polling Timeout' or 'Transaction Search "
                             "Not Available'");
  props["queryId"] = property("string", "Logs Insights query id");
  props["query_string"] = property("string", "The query as sent to Logs Insights");
  json::object names = property("array", "logGroupNames sent with the query");
  names["items"] = property("string", "log group name");
  props["log_group_names"] = std::move(names);
  props["log_group_name_ignored"] = property("boolean", "log_group_name was given but the query has SOURCE");
  props["log_group_note"] = property("string", "Why log_group_name was not used");
  props["time_range"] = property("object", "{start_time, end_time} in ISO-8601");
  props["statistics"] = property("object", "recordsMatched, recordsScanned, bytesScanned, ...");
  props["result_count"] = property("integer", "Rows returned by Logs Insights (all of them, shown or not)");
  props["shown_count"] = property("integer", "Rows shown, when fewer than result_count");
  props["common_fields"] = property("object", "{field: value} for fields with the same value in every row (left out of the rows)");
  json::object results = property("array", "One object per row: {field: value}");
  results["items"] = property("object", "one row");
  props["results"] = std::move(results);
  props["merged_fields"] =
      property("object", "{older attribute name: current name}: rows carried both with the same value; kept once");
  props["message"] = property("string", "What the status means and what to do");
  props["transaction_search_status"] = property("object", "{enabled, destination, status}");
  props["code_level_attributes_status"] =
      property("object", "{detected, attributes_found, requested_in_query, message, suggestion?}");
  props["fallback_recommendation"] = property("string", "What to use when Transaction Search is off");
  props["truncated"] = property("string", "Present when rows were left out or the row limit was reached: how to narrow or fetch more");
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  schema["required"] = json::array{"status"};
  return schema;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && boost::beast::iequals(s.substr(0, prefix.size()), prefix);
}

std::string value_key(const json::value& v) { return v.is_string() ? std::string(v.get_string()) : compact_json(v); }

// json::object::erase moves the last member into the gap; rows keep their column order.
void erase_keeping_order(json::object& o, const std::set<std::string>& names) {
  json::object kept;
  kept.reserve(o.size());
  for (auto& [k, v] : o)
    if (!names.count(std::string(k))) kept.emplace(k, std::move(v));
  o = std::move(kept);
}

}  // namespace

std::string default_span_query(std::int64_t limit) {
  return "fields @timestamp, traceId, name, kind, durationNano, status.code, attributes.aws.local.service, "
         "attributes.aws.local.operation, attributes.http.response.status_code | filter kind = \"SERVER\" | sort "
         "@timestamp desc | limit " +
         std::to_string(limit);
}

std::optional<std::int64_t> query_limit(std::string_view query) {
  std::string lower = ascii_lower(query);
  auto bar = lower.rfind('|');
  std::string_view last = bar == std::string::npos ? std::string_view(lower) : std::string_view(lower).substr(bar + 1);
  last = trim_space(last);
  if (last.rfind("limit", 0) != 0) return std::nullopt;
  last = trim_space(last.substr(5));
  if (last.empty() || last.size() > 6 ||
      !std::all_of(last.begin(), last.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }))
    return std::nullopt;
  return std::stoll(std::string(last));
}

ComposedQuery compose_span_query(std::string_view user_query, std::string_view log_group_name) {
  ComposedQuery out;
  std::string query = std::string(trim_space(user_query));
  std::string group = std::string(trim_space(log_group_name));
  if (starts_with_ci(query, "SOURCE")) {
    out.query = query;
    out.log_group_ignored = !group.empty();
    return out;
  }
  while (!query.empty() && query.front() == '|') query = std::string(trim_space(std::string_view(query).substr(1)));
  std::vector<std::string> parts;
  if (group.empty()) parts.emplace_back("SOURCE logGroups()");
  else out.log_group_names.push_back(group);
  if (query.find("@data_format") == std::string::npos) parts.emplace_back(kDataFormatFilter);
  if (!query.empty()) parts.push_back(query);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out.query += " | ";
    out.query += parts[i];
  }
  return out;
}

json::object transaction_search_status(const json::value& response) {
  const auto& r = jv::as_obj(response);
  std::string destination = jv::str(r, "Destination");
  std::string status = jv::str(r, "Status");
  json::object o;
  o["enabled"] = destination == "CloudWatchLogs" && status == "ACTIVE";
  o["destination"] = destination.empty() ? "unknown" : destination;
  o["status"] = status.empty() ? "unknown" : status;
  return o;
}

json::array rows_as_objects(const json::value& results) {
  json::array rows;
  if (!results.is_array()) return rows;
  for (const auto& row : results.get_array()) {
    if (!row.is_array()) continue;
    json::object o;
    for (const auto& cell : row.get_array()) {
      const auto& c = jv::as_obj(cell);
      const std::string field = jv::str(c, "field");
      if (field.empty() || field == "@ptr") continue;
      const auto* value = c.if_contains("value");
      o[field] = value ? *value : json::value(nullptr);
    }
    rows.emplace_back(std::move(o));
  }
  return rows;
}

json::object merge_duplicate_fields(json::array& rows) {
  json::object merged;
  for (auto& row : rows) {
    if (!row.is_object()) continue;
    auto& o = row.get_object();
    std::set<std::string> drop;
    for (const auto& [older, current] : kRenamedAttributes) {
      for (std::string_view prefix : {std::string_view("attributes."), std::string_view("")}) {
        std::string old_name = std::string(prefix) + std::string(older);
        std::string new_name = std::string(prefix) + std::string(current);
        const auto* o_value = o.if_contains(old_name);
        const auto* n_value = o.if_contains(new_name);
        if (!o_value || !n_value || value_key(*o_value) != value_key(*n_value)) continue;
        drop.insert(old_name);
        merged[old_name] = new_name;
      }
    }
    if (!drop.empty()) erase_keeping_order(o, drop);
  }
  return merged;
}

json::object hoist_common_fields(json::array& rows) {
  json::object common;
  if (rows.size() < 2 || !rows.front().is_object()) return common;
  for (const auto& [field, value] : rows.front().get_object()) {
    bool same = true;
    for (const auto& row : rows) {
      const auto* v = row.is_object() ? row.get_object().if_contains(field) : nullptr;
      if (!v || value_key(*v) != value_key(value) || v->kind() != value.kind()) {
        same = false;
        break;
      }
    }
    if (same) common[field] = value;
  }
  std::set<std::string> names;
  for (const auto& [field, value] : common) names.insert(std::string(field));
  if (!names.empty())
    for (auto& row : rows)
      if (row.is_object()) erase_keeping_order(row.get_object(), names);
  return common;
}

json::object code_level_attributes(const json::array& rows, std::string_view query) {
  static constexpr std::string_view kAttributes[] = {"code.file.path", "code.function.name", "code.line.number",
                                                     "code.filepath",  "code.function",      "code.lineno"};
  std::set<std::string> found;
  for (const auto& row : rows) {
    if (!row.is_object()) continue;
    for (const auto& [field, value] : row.get_object()) {
      std::string_view name = field;
      if (name.rfind("attributes.", 0) == 0) name.remove_prefix(11);
      for (auto attr : kAttributes)
        if (name == attr && !(value.is_string() && value.get_string().empty())) found.emplace(attr);
    }
  }
  const bool requested = query.find("code.") != std::string_view::npos;
  json::object o;
  o["detected"] = !found.empty();
  json::array list;
  for (const auto& f : found) list.emplace_back(f);
  o["attributes_found"] = std::move(list);
  o["requested_in_query"] = requested;
  if (!found.empty()) {
    o["message"] = "The spans carry code-level attributes: use them to name the function, file and line that "
                   "handled (or failed) the request.";
  } else if (requested) {
    o["message"] = "The query asked for code attributes but no span had them.";
    o["suggestion"] = "Enable code attributes in the instrumentation (recent ADOT / OpenTelemetry agents record "
                      "code.function.name, code.file.path and code.line.number on server spans), then query again.";
  } else {
    o["message"] = "No code-level attributes in the selected fields.";
    o["suggestion"] = "Add `attributes.code.function.name, attributes.code.file.path, attributes.code.line.number` "
                      "to the fields command to see where in the code each span ran.";
  }
  return o;
}

ToolEntry search_transaction_spans_tool() {
  ToolSpec spec;
  spec.name = "search_transaction_spans";
  spec.title = "Search transaction spans";
  spec.description =
      "Runs a CloudWatch Logs Insights query over every span Transaction Search recorded: 100% of traced requests, "
      "not a sample. Requires Transaction Search (X-Ray segment destination CloudWatch Logs, ACTIVE); when it is "
      "off the result says how to enable it. Best for counts and aggregates (`stats count(*) by "
      "attributes.aws.local.service`), error rates, the slowest calls to a dependency, every span of one traceId, "
      "the exceptions behind an incident, and the code location (function, file, line) of a span. "
      "Use query_sampled_traces instead for X-Ray filter expressions and root-cause summaries of sampled traces, "
      "and get_xray_trace for one trace's full segment tree (pass it a traceId found here). "
      "Returns compact JSON: status, statistics, rows as {field: value} (an attribute recorded under an older and "
      "a current OpenTelemetry name is shown once; values shared by every row are in common_fields), "
      "result_count, and a `truncated` hint when rows were cut or the row limit was reached. The query is stopped "
      "after max_timeout seconds or when the request is cancelled.";
  spec.args = {
      arg::string("query_string",
                  "Logs Insights query over spans, e.g. `fields @timestamp, traceId, name, durationNano, status.code "
                  "| filter attributes.aws.local.service = \"payments\" | sort @timestamp desc | limit 20` or "
                  "`filter status.code = \"ERROR\" | stats count(*) as faults by attributes.aws.local.service`. Span "
                  "fields: traceId, spanId, parentSpanId, name, kind, durationNano, status.code, "
                  "attributes.aws.local.service, attributes.aws.local.operation, attributes.aws.remote.service, "
                  "attributes.http.response.status_code, attributes.exception.type, attributes.code.function.name. "
                  "`SOURCE logGroups() | filterIndex @data_format = \"AWS-OTEL-TRACE-V1\" |` is put in front unless "
                  "the query starts with SOURCE (no SOURCE when log_group_name is given; no filterIndex when the "
                  "query mentions @data_format). Default \"\": the most recent server spans.")
          .def("")
          .eg("\"fields @timestamp, traceId, name, status.code | filter attributes.aws.local.service = "
              "\\\"payments\\\" | sort @timestamp desc | limit 20\""),
      arg::string("log_group_name",
                  "Log group to query instead of SOURCE logGroups() (spans live in 'aws/spans'). Ignored when the "
                  "query starts with SOURCE. Default: empty.")
          .def(""),
      arg::time("start_time", "Start of the window. Default: one hour before end_time."),
      arg::time("end_time", "End of the window. Default: now."),
      arg::integer("limit",
                   "Maximum rows Logs Insights returns (StartQuery limit, 1-10000; larger values are clamped with a "
                   "note). Default 50. Rows beyond what fits the output are counted, not shown.",
                   kDefaultLimit, 1, kMaxLimit),
      arg::integer("max_timeout",
                   "Seconds to wait for the query (1-600, clamped; default 30). On timeout the query is stopped "
                   "(StopQuery) and the result says so.",
                   30, 1, 600),
      arg::region()};
  spec.ops = {aws::ops::kGetTraceSegmentDestination, aws::ops::kStartQuery, aws::ops::kGetQueryResults,
              aws::ops::kStopQuery};
  spec.output_schema = output_schema();
  spec.narrow_hint =
      "select fewer fields, add a filter, aggregate with stats, or narrow the time window";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::traces

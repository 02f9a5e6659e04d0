// search_transaction_spans: a Logs Insights query over the spans Transaction Search stores in
// CloudWatch Logs (aws/spans). Checks that Transaction Search is on, composes the query, starts
// it, polls with backoff until it ends or max_timeout passes, and stops it on timeout and when
// the client cancels the MCP request.
#include "common/text.h"
#include "tools/traces/search_transaction_spans.h"

#include <algorithm>
#include <chrono>
#include <set>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/system/system_error.hpp>

#include "tools/common/args.h"
#include "tools/common/time_args.h"
#include "tools/common/tool_errors.h"
#include "tools/toolsets.h"
#include "tools/traces/json_output.h"
#include "tools/traces/traces_tools.h"

namespace appsignals::tools {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using traces::ComposedQuery;
using traces::json_result;

constexpr std::string_view kDataFormatFilter = "filterIndex @data_format = \"AWS-OTEL-TRACE-V1\"";
constexpr std::size_t kMaxRows = 200;
constexpr std::chrono::milliseconds kFirstPoll{250};
constexpr std::chrono::milliseconds kMaxPoll{2000};

struct SpanArgs {
  std::string query;
  std::string log_group;
  TimeWindow window;
  std::optional<std::int64_t> limit;
  std::chrono::seconds max_timeout{30};
};

Result<SpanArgs> parse_args(const ToolEnv& env, const json::object& args) {
  SpanArgs a;
  auto q = required_string(args, "query_string");
  if (!q) return q.error();
  a.query = *q;
  auto g = string_arg(args, "log_group_name");
  if (!g) return g.error();
  a.log_group = trim_space(g->value_or(""));
  auto w = time_window(args, "start_time", "end_time", std::chrono::hours(1), std::nullopt, env.now());
  if (!w) return w.error();
  a.window = *w;
  if (const auto* v = args.if_contains("limit"); v && !v->is_null()) {
    auto l = clamped_int_arg(args, "limit", 100, 1, 10000);
    if (!l) return l.error();
    a.limit = *l;
  }
  auto t = clamped_int_arg(args, "max_timeout", 30, 1, 600);
  if (!t) return t.error();
  a.max_timeout = std::chrono::seconds(*t);
  return a;
}

json::object start_query_input(const SpanArgs& a, const ComposedQuery& q) {
  json::object in;
  in["queryString"] = q.query;
  in["startTime"] = epoch_seconds(a.window.start);
  in["endTime"] = epoch_seconds(a.window.end);
  if (a.limit) in["limit"] = *a.limit;
  if (!q.log_group_names.empty()) {
    json::array groups;
    for (const auto& name : q.log_group_names) groups.emplace_back(name);
    in["logGroupNames"] = std::move(groups);
  }
  return in;
}

json::object query_id_input(const std::string& id) {
  json::object in;
  in["queryId"] = id;
  return in;
}

std::string string_member(const json::value& v, std::string_view key) {
  if (!v.is_object()) return {};
  const auto* m = v.get_object().if_contains(key);
  return m && m->is_string() ? std::string(m->get_string()) : std::string();
}

bool is_terminal(std::string_view status) {
  return status == "Complete" || status == "Failed" || status == "Cancelled" || status == "Timeout" ||
         status == "Unknown";
}

json::object not_available(const json::object& status) {
  json::object o;
  o["status"] = "Transaction Search Not Available";
  o["transaction_search_status"] = status;
  o["message"] =
      "Transaction Search is not enabled in this account and region, so there are no spans in CloudWatch Logs to "
      "query. X-Ray currently sends trace segments to " +
      std::string(status.at("destination").as_string()) + " (status " + std::string(status.at("status").as_string()) +
      "). To enable it: CloudWatch console > Application Signals > Transaction Search > Enable (or the X-Ray API "
      "UpdateTraceSegmentDestination with Destination=CloudWatchLogs, after allowing X-Ray to write to CloudWatch "
      "Logs with a logs resource policy); spans then arrive in the aws/spans log group within minutes.";
  o["fallback_recommendation"] =
      "Meanwhile use query_sampled_traces for sampled X-Ray trace summaries and get_xray_trace for full traces.";
  return o;
}

json::object timeout_result(const std::string& query_id, const SpanArgs& a, const ComposedQuery& q) {
  json::object o;
  o["queryId"] = query_id;
  o["status"] = "Polling Timeout";
  o["query_string"] = q.query;
  o["message"] = "The query did not finish within max_timeout (" + std::to_string(a.max_timeout.count()) +
                 " s) and was stopped (StopQuery). Narrow the time window, add filters before stats, or raise "
                 "max_timeout.";
  return o;
}

json::object completed_result(const std::string& query_id, const json::value& response, const SpanArgs& a,
                              const ComposedQuery& q, const json::object& ts) {
  const std::string status = string_member(response, "status");
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
  const json::value* stats = response.is_object() ? response.get_object().if_contains("statistics") : nullptr;
  o["statistics"] = stats && stats->is_object() ? *stats : json::value(json::object{});
  json::array rows;
  if (response.is_object())
    if (const auto* r = response.get_object().if_contains("results")) rows = traces::rows_as_objects(*r);
  const std::size_t total = rows.size();
  json::object code = traces::code_level_attributes(rows, q.query);
  if (rows.size() > kMaxRows) rows.resize(kMaxRows);
  o["result_count"] = static_cast<std::int64_t>(total);
  o["results"] = std::move(rows);
  if (total > kMaxRows) {
    o["results_truncated"] = "Showing the first " + std::to_string(kMaxRows) + " of " + std::to_string(total) +
                             " rows; " + std::to_string(total - kMaxRows) +
                             " more were returned. Select fewer fields, add filters, or aggregate with stats.";
  }
  if (status != "Complete") {
    o["message"] = status == "Failed"
                       ? "Logs Insights reports the query as Failed: check the query syntax and field names."
                       : "The query ended with status " + status + "; the rows may be incomplete.";
  } else if (total == 0) {
    o["message"] = "No spans matched in this window. Widen the time range or relax the filters.";
  }
  o["transaction_search_status"] = ts;
  o["code_level_attributes_status"] = std::move(code);
  return o;
}

// StopQuery, best effort: the query may have ended meanwhile.
asio::awaitable<void> stop_query(std::shared_ptr<const aws::AwsClients> clients, std::string query_id) {
  std::string op = "StopQuery";
  json::object input = query_id_input(query_id);
  auto r = co_await clients->logs.call(op, input);
  (void)r;
}

asio::awaitable<bool> cancellation_requested() {
  auto cs = co_await asio::this_coro::cancellation_state;
  co_return cs.cancelled() != asio::cancellation_type::none;
}

asio::awaitable<mcp::ToolResult> search_transaction_spans(std::shared_ptr<const ToolEnv> env,
                                                          mcp::RequestContext& ctx, json::object args) {
  auto parsed = parse_args(*env, args);
  if (!parsed) co_return argument_failure(parsed.error());
  SpanArgs a = std::move(*parsed);
  auto clients_r = env->clients(args);
  if (!clients_r) co_return aws_failure(clients_r.error(), "xray:GetTraceSegmentDestination");
  std::shared_ptr<const aws::AwsClients> clients = *clients_r;

  std::string dest_op = "GetTraceSegmentDestination";
  json::object dest_input;
  auto dest = co_await clients->xray.call(dest_op, dest_input);
  if (!dest) co_return aws_failure(dest.error(), "xray:GetTraceSegmentDestination");
  json::object ts = traces::transaction_search_status(*dest);
  if (!ts.at("enabled").as_bool()) co_return json_result(not_available(ts));

  ComposedQuery q = traces::compose_span_query(a.query, a.log_group);
  json::object start_input = start_query_input(a, q);
  std::string start_op = "StartQuery";
  auto started = co_await clients->logs.call(start_op, start_input);
  if (!started) co_return aws_failure(started.error(), "logs:StartQuery");
  const std::string query_id = string_member(*started, "queryId");
  if (query_id.empty()) co_return mcp::ToolResult::error("Error: StartQuery returned no queryId.");

  // Poll with backoff until the query ends, max_timeout passes, or the request is cancelled.
  const auto deadline = std::chrono::steady_clock::now() + a.max_timeout;
  std::chrono::milliseconds delay = kFirstPoll;
  asio::steady_timer timer(ctx.executor());
  json::value final_response;
  bool done = false, aborted = false, timed_out = false;
  std::optional<Error> poll_error;
  try {
    while (!done && !aborted && !timed_out) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) {
        timed_out = true;
        break;
      }
      timer.expires_after(std::min<std::chrono::steady_clock::duration>(delay, deadline - now));
      auto token = asio::as_tuple(asio::use_awaitable);
      auto waited = co_await timer.async_wait(token);
      const bool cancelled_now = co_await cancellation_requested();
      if (std::get<0>(waited) == asio::error::operation_aborted || cancelled_now) {
        aborted = true;
        break;
      }
      std::string poll_op = "GetQueryResults";
      json::object poll_input = query_id_input(query_id);
      auto polled = co_await clients->logs.call(poll_op, poll_input);
      if (!polled) {
        if (polled.error().code == ErrorCode::kCancelled) aborted = true;
        else poll_error = polled.error();
        break;
      }
      const bool cancelled_after_poll = co_await cancellation_requested();
      if (cancelled_after_poll) {
        aborted = true;
        break;
      }
      if (is_terminal(string_member(*polled, "status"))) {
        final_response = std::move(*polled);
        done = true;
        break;
      }
      delay = std::min(delay * 2, kMaxPoll);
    }
  } catch (const boost::system::system_error& e) {
    if (e.code() != asio::error::operation_aborted) throw;
    aborted = true;
  }

  if (aborted) {
    // The client cancelled: stop the query so it does not keep scanning, then let the
    // cancellation propagate (no response is due).
    co_await asio::this_coro::reset_cancellation_state();
    co_await stop_query(clients, query_id);
    throw boost::system::system_error(asio::error::operation_aborted);
  }
  if (timed_out) {
    co_await stop_query(clients, query_id);
    co_return json_result(timeout_result(query_id, a, q));
  }
  if (poll_error) {
    co_await stop_query(clients, query_id);
    co_return aws_failure(*poll_error, "logs:GetQueryResults");
  }
  co_return json_result(completed_result(query_id, final_response, a, q, ts));
}

json::object property(std::string_view type, std::string_view description) {
  return json::object{{"type", type}, {"description", description}};
}

json::object input_schema() {
  json::object props;
  props["query_string"] = property(
      "string",
      "Logs Insights query over spans, e.g. `fields @timestamp, traceId, name, durationNano, status.code | filter "
      "attributes.aws.local.service = \"payments\" | sort @timestamp desc | limit 20`. Span fields: traceId, spanId, "
      "parentSpanId, name, kind, durationNano, status.code, attributes.aws.local.service, "
      "attributes.aws.local.operation, attributes.aws.remote.service, attributes.http.response.status_code, "
      "attributes.exception.type, attributes.code.function.name, ... The tool prefixes `SOURCE logGroups() | "
      "filterIndex @data_format = \"AWS-OTEL-TRACE-V1\" |` unless the query starts with SOURCE or log_group_name is "
      "given (then no SOURCE); the filterIndex is left out if the query mentions @data_format. Required.");
  props["log_group_name"] = property(
      "string",
      "Optional log group to query instead of SOURCE logGroups() (spans live in 'aws/spans'). Ignored when the "
      "query starts with SOURCE. Default: empty.");
  props["start_time"] = json::object{
      {"type", json::array{"string", "integer"}},
      {"description",
       "Start of the window: unix seconds, ISO-8601 ('2026-03-02T10:00:00Z') or 'YYYY-MM-DD HH:MM:SS' (UTC). "
       "Default: one hour before end_time."}};
  props["end_time"] = json::object{{"type", json::array{"string", "integer"}},
                                   {"description", "End of the window, same forms as start_time. Default: now."}};
  props["limit"] = json::object{
      {"type", json::array{"integer", "string"}},
      {"description",
       "Maximum number of rows Logs Insights returns (1-10000, clamped). Default: the query's own `limit` or "
       "Logs Insights' default of 1000. At most 200 rows are shown; the rest are counted."}};
  props["max_timeout"] = json::object{
      {"type", json::array{"integer", "string"}},
      {"description",
       "Seconds to wait for the query (1-600, clamped; default 30). On timeout the query is stopped and the "
       "result says so."}};
  props["region"] = property("string", "AWS region to query (default: the server's region).");
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  schema["required"] = json::array{"query_string"};
  return schema;
}

json::object output_schema() {
  json::object props;
  props["status"] = property("string",
                             "Complete, Failed, Cancelled, Timeout, Unknown, 'Polling Timeout' or 'Transaction Search "
                             "Not Available'");
  props["queryId"] = property("string", "Logs Insights query id");
  props["query_string"] = property("string", "The query as sent to Logs Insights");
  props["log_group_names"] = json::object{{"type", "array"}, {"items", json::object{{"type", "string"}}}};
  props["log_group_name_ignored"] = property("boolean", "log_group_name was given but the query has SOURCE");
  props["log_group_note"] = property("string", "Why log_group_name was not used");
  props["time_range"] = property("object", "{start_time, end_time} in ISO-8601");
  props["statistics"] = property("object", "recordsMatched, recordsScanned, bytesScanned, ...");
  props["result_count"] = property("integer", "Rows returned by Logs Insights");
  props["results"] = json::object{{"type", "array"},
                                  {"description", "One object per row: {field: value}"},
                                  {"items", json::object{{"type", "object"}}}};
  props["results_truncated"] = property("string", "Present when more rows were returned than shown");
  props["message"] = property("string", "What the status means and what to do");
  props["transaction_search_status"] = property("object", "{enabled, destination, status}");
  props["code_level_attributes_status"] =
      property("object", "{detected, attributes_found, requested_in_query, message, suggestion?}");
  props["fallback_recommendation"] = property("string", "What to use when Transaction Search is off");
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  schema["required"] = json::array{"status"};
  return schema;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && boost::beast::iequals(s.substr(0, prefix.size()), prefix);
}

}  // namespace

namespace traces {

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
  std::string destination = string_member(response, "Destination");
  std::string status = string_member(response, "Status");
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
      const std::string field = string_member(cell, "field");
      if (field.empty() || field == "@ptr") continue;
      const auto* value = cell.is_object() ? cell.get_object().if_contains("value") : nullptr;
      o[field] = value ? *value : json::value(nullptr);
    }
    rows.emplace_back(std::move(o));
  }
  return rows;
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

}  // namespace traces

mcp::ToolDef make_search_transaction_spans_tool(std::shared_ptr<const ToolEnv> env) {
  mcp::ToolDef def;
  def.name = "search_transaction_spans";
  def.title = "Search transaction spans";
  def.description =
      "Run a CloudWatch Logs Insights query over every span that Transaction Search recorded (100% of traced "
      "requests, not a sample). Use it to count, group and find spans: which operations fault, the slowest calls "
      "to a dependency, the spans of one trace id, the exceptions behind an incident. It first checks that "
      "Transaction Search is enabled (X-Ray segment destination = CloudWatch Logs, ACTIVE) and otherwise explains "
      "how to turn it on. Returns JSON: queryId, status, statistics, rows as {field: value} objects (at most 200 "
      "shown), and whether the spans carry code-level attributes (function, file, line). The query is stopped "
      "after max_timeout seconds or when the request is cancelled. Related: query_sampled_traces (X-Ray sampled "
      "summaries) and get_xray_trace (one trace's full segment tree, by the traceId found here).";
  def.input_schema = input_schema();
  def.output_schema = output_schema();
  def.annotations = read_only_annotations(def.title);
  def.handler = [env](mcp::RequestContext& ctx, json::object args) {
    return search_transaction_spans(env, ctx, std::move(args));
  };
  return def;
}

}  // namespace appsignals::tools

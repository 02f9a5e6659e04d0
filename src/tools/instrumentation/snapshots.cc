// search_snapshots_for_status_event and get_sample_snapshot_for_breakpoint: the snapshot events a
// breakpoint wrote to /aws/service-events/<service> around a status event, found with Logs
// Insights (stopped with StopQuery when max_timeout passes).
#include <algorithm>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "tools/common/json_access.h"
#include "tools/common/tool_errors.h"
#include "tools/instrumentation/instrumentation_common.h"

namespace appsignals::tools::instrumentation {

namespace {

constexpr std::size_t kRawLimit = 10000;  // larger snapshots are summarised unless include_raw
constexpr std::int64_t kBefore = 5;
constexpr std::int64_t kAfter = 60;

bool plain(std::string_view s) {
  return !s.empty() && s.find_first_of("\"\\|\n") == std::string_view::npos;
}

std::optional<std::string> check_inputs(const Args& a) {
  if (!valid_location_hash(a.str("location_hash")))
    return "location_hash must be 16 hexadecimal characters (create_instrumentation and list_instrumentations show it)";
  if (!plain(a.str("service_name")) || !plain(a.str("environment")))
    return "service_name and environment must not contain quotes, backslashes or '|'";
  return std::nullopt;
}

std::string base_query(const Args& a) {
  std::string q = "fields @timestamp, @message\n";
  q += "| filter attributes.aws.di.location_hash = \"" + a.str("location_hash") + "\"\n";
  q += "| filter resource.attributes.service.name = \"" + a.str("service_name") + "\"\n";
  q += "| filter resource.attributes.deployment.environment = \"" + a.str("environment") +
       "\" or resource.attributes.deployment.environment.name = \"" + a.str("environment") + "\"\n";
  return q;
}

json::value preview(const json::value& v) {
  if (!v.is_object()) return v;
  const auto& o = v.get_object();
  if (const auto* val = o.if_contains("value")) return *val;
  return v;
}

json::object preview_map(const json::object& m) {
  json::object out;
  for (const auto& [k, v] : m) out[k] = preview(v);
  return out;
}

json::object summary(const json::object& row) {
  json::object s;
  s["timestamp"] = jv::str(row, "@timestamp");
  std::string message = jv::str(row, "@message");
  s["size_bytes"] = static_cast<std::int64_t>(message.size());
  boost::system::error_code ec;
  json::value doc = json::parse(message, ec);
  if (ec || !doc.is_object()) {
    s["note"] = "not a JSON snapshot";
    return s;
  }
  const auto& d = doc.get_object();
  const auto& attrs = jv::obj(d, "attributes");
  json::object where;
  for (const char* k : {"aws.di.file_path", "aws.di.code_unit", "aws.di.class_name", "aws.di.method_name",
                        "aws.di.instrumentation_level"})
    if (auto v = jv::str(attrs, k); !v.empty()) where[std::string_view(k).substr(7)] = v;
  if (const auto* line = attrs.if_contains("aws.di.line_number")) where["line_number"] = *line;
  s["location"] = std::move(where);
  s["trace_id"] = jv::str(d, "traceId");
  s["span_id"] = jv::str(d, "spanId");
  const auto& body = jv::obj(d, "body");
  const auto& captures = jv::obj(body, "captures");
  if (const auto* entry = jv::obj(captures, "entry").if_contains("arguments"); entry && entry->is_object())
    s["arguments"] = preview_map(entry->get_object());
  json::object locals;
  for (const auto& [line, lc] : jv::obj(captures, "lines"))
    if (const auto* l = jv::as_obj(lc).if_contains("locals"); l && l->is_object())
      for (const auto& [k, v] : l->get_object()) locals[k] = preview(v);
  if (!locals.empty()) s["locals"] = std::move(locals);
  if (const auto* ret = captures.if_contains("return")) s["return_value"] = preview(*ret);
  json::array stack;
  for (const auto& f : jv::arr(body, "stack")) {
    if (stack.size() >= 5) break;
    const auto& fo = jv::as_obj(f);
    stack.push_back(json::value(jv::str(fo, "function") + " (" + jv::str(fo, "fileName") + ":" +
                                std::to_string(jv::integer(fo, "lineNumber")) + ")"));
  }
  if (!stack.empty()) s["stack_top"] = std::move(stack);
  return s;
}

json::object base_result(const InsightsOutcome& r, const std::string& query, const std::string& group, std::int64_t start,
                         std::int64_t end, std::int64_t max_timeout) {
  json::object o;
  o["status"] = r.status == "Complete" ? "ok" : (r.status == "Timeout" ? "TIMEOUT" : "ERROR");
  if (r.status == "Timeout")
    o["message"] = "the query did not finish within max_timeout (" + std::to_string(max_timeout) +
                   " s) and was stopped (StopQuery); raise max_timeout and retry";
  else if (r.status != "Complete")
    o["message"] = "the Logs Insights query ended " + r.status;
  o["log_group"] = group;
  o["window"] = json::object{{"start", iso(static_cast<double>(start))}, {"end", iso(static_cast<double>(end))}};
  o["query_id"] = r.query_id;
  o["query"] = query;
  return o;
}

struct Window {
  std::int64_t start;
  std::int64_t end;
};

Window window_of(const Args& a) {
  auto t = epoch_seconds(*a.time("status_timestamp"));
  return Window{t - kBefore, t + kAfter};
}

boost::asio::awaitable<mcp::ToolResult> run_search(ToolCall call) {
  if (auto p = check_inputs(call.args)) co_return argument_failure(*p);
  std::string query = base_query(call.args);
  const auto& custom = call.args.json("custom_filters");
  if (custom.is_string() || custom.is_array()) {
    json::array list;
    if (custom.is_string()) list.push_back(custom);
    else list = custom.get_array();
    for (const auto& f : list) {
      std::string text = f.is_string() ? std::string(f.get_string()) : "";
      if (text.empty()) continue;
      if (text.find('|') != std::string::npos || std::count(text.begin(), text.end(), '"') % 2 != 0)
        co_return argument_failure("custom_filters: '" + text +
                                   "' must be one filter condition with balanced quotes and no '|', e.g. "
                                   "attributes.http.route = \"/charge\"");
      query += "| filter " + text + "\n";
    }
  }
  std::int64_t limit = call.args.integer("limit", 10);
  query += "| sort @timestamp asc\n| limit " + std::to_string(limit);
  auto w = window_of(call.args);
  std::string group = "/aws/service-events/" + call.args.str("service_name");
  std::int64_t max_timeout = call.args.integer("max_timeout", 30);
  auto r = co_await run_insights(call, group, w.start, w.end, query, limit, max_timeout);
  if (r.failure) co_return std::move(*r.failure);
  json::object out = base_result(r, query, group, w.start, w.end, max_timeout);
  json::array snaps;
  for (const auto& row : r.rows) snaps.push_back(summary(jv::as_obj(row)));
  out["snapshot_count"] = static_cast<std::int64_t>(snaps.size());
  if (snaps.empty() && r.status == "Complete")
    out["message"] = "no snapshot of this breakpoint between " + iso(static_cast<double>(w.start)) + " and " +
                     iso(static_cast<double>(w.end)) +
                     ": check the status_timestamp (the ACTIVE event's time from check_instrumentation_status), the "
                     "environment and the location hash";
  out["snapshots"] = std::move(snaps);
  co_return mcp::ToolResult::text(mcp::compact_json(out));
}

boost::asio::awaitable<mcp::ToolResult> run_sample(ToolCall call) {
  if (auto p = check_inputs(call.args)) co_return argument_failure(*p);
  std::string query = base_query(call.args) + "| sort @timestamp asc\n| limit 1";
  auto w = window_of(call.args);
  std::string group = "/aws/service-events/" + call.args.str("service_name");
  std::int64_t max_timeout = call.args.integer("max_timeout", 30);
  auto r = co_await run_insights(call, group, w.start, w.end, query, 1, max_timeout);
  if (r.failure) co_return std::move(*r.failure);
  json::object out = base_result(r, query, group, w.start, w.end, max_timeout);
  if (r.rows.empty()) {
    if (r.status == "Complete")
      out["message"] = "no snapshot in the minute after status_timestamp: give the ACTIVE event's time "
                       "(check_instrumentation_status) and check environment and location_hash";
    co_return mcp::ToolResult::text(mcp::compact_json(out));
  }
  const auto& row = jv::as_obj(r.rows.front());
  out["snapshot"] = summary(row);
  std::string message = jv::str(row, "@message");
  bool include_raw = call.args.boolean("include_raw", false);
  if (include_raw || message.size() <= kRawLimit) {
    boost::system::error_code ec;
    json::value raw = json::parse(message, ec);
    out["raw"] = ec ? json::value(message) : raw;
  } else {
    out["raw_omitted"] = "the raw snapshot is " + std::to_string(message.size()) +
                         " bytes: summarised above; include_raw=true returns it whole";
  }
  co_return mcp::ToolResult::text(mcp::compact_json(out));
}

std::vector<ArgSpec> common_args() {
  return {service_arg("service_name"), environment_arg(), location_hash_arg(true),
          arg::time("status_timestamp",
                    "The time of the status event (ACTIVE) to look around: snapshots from 5 s before to 1 min after.")
              .require()
              .eg("\"2026-03-02T10:01:00Z\"")};
}

}  // namespace

ToolEntry search_snapshots_tool() {
  ToolSpec s;
  s.name = "search_snapshots_for_status_event";
  s.title = "Find the snapshots of a breakpoint";
  s.description =
      "Finds the snapshots a breakpoint captured around one of its status events (from 5 s before to 1 min after "
      "status_timestamp) in /aws/service-events/<service_name>, matching the location hash, service and environment, "
      "and summarises each (location, captured arguments or locals, return value, top of the stack, trace id). JSON.";
  s.args = common_args();
  s.args.push_back(arg::integer("limit", "Most snapshots returned (1-100).", 10, 1, 100));
  s.args.push_back(arg::integer("max_timeout", "Seconds to wait for the query before stopping it (1-120).", 30, 1, 120));
  s.args.push_back(arg::json_text("custom_filters",
                                  "JSON array of extra Logs Insights filter conditions, e.g. "
                                  "[\"attributes.http.route = \\\"/charge\\\"\"].",
                                  "array")
                       .eg("[\"attributes.aws.di.method_name = \\\"charge\\\"\"]"));
  s.args.push_back(arg::region());
  s.ops = {aws::ops::kStartQuery, aws::ops::kGetQueryResults, aws::ops::kStopQuery};
  return {std::make_shared<const ToolSpec>(std::move(s)), &run_search};
}

ToolEntry sample_snapshot_tool() {
  ToolSpec s;
  s.name = "get_sample_snapshot_for_breakpoint";
  s.title = "Read one snapshot of a breakpoint";
  s.description =
      "Reads the first snapshot a breakpoint captured after a status event (status_timestamp, e.g. its ACTIVE time) "
      "from /aws/service-events/<service_name>: a summary, plus the raw snapshot when it is under 10 KB or "
      "include_raw is true. JSON.";
  s.args = common_args();
  s.args.push_back(arg::integer("max_timeout", "Seconds to wait for the query before stopping it (1-120).", 30, 1, 120));
  s.args.push_back(arg::boolean("include_raw", "Return the raw snapshot even when it is large.", false));
  s.args.push_back(arg::region());
  s.ops = {aws::ops::kStartQuery, aws::ops::kGetQueryResults, aws::ops::kStopQuery};
  return {std::make_shared<const ToolSpec>(std::move(s)), &run_sample};
}

}  // namespace appsignals::tools::instrumentation

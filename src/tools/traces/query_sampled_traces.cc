// query_sampled_traces: X-Ray GetTraceSummaries (sampled, by service end time) over at most
// 6 hours. Every trace retrieved (up to kMaxTraces) is counted; a bounded, de-duplicated
// selection is listed: faulty traces that fail with the same first exception message are one
// example plus a count, problem traces come first, then the slowest of each operation.
#include <algorithm>
#include <map>

#include "tools/common/json_access.h"
#include "tools/common/time_args.h"
#include "tools/common/tool_errors.h"
#include "tools/toolsets.h"
#include "tools/traces/json_output.h"
#include "tools/traces/traces_tools.h"

namespace appsignals::tools::traces {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr std::size_t kMaxTraces = 1000;  // retrieved and counted
constexpr int kMaxPages = 10;
constexpr std::size_t kMaxListed = 20;    // listed in TraceSummaries
constexpr std::size_t kMaxPerOperation = 3;  // healthy traces listed per operation
constexpr std::size_t kListBudget = 10000;   // characters of TraceSummaries
constexpr std::size_t kMaxRootCauses = 3;
constexpr std::size_t kMaxFaultGroups = 10;

// A root cause reduced to its services and their entity paths (names, exceptions).
json::object reduce_root_cause(const json::object& rc) {
  json::object out;
  json::array services;
  if (const auto* s = rc.if_contains("Services"); s && s->is_array()) {
    for (const auto& sv : s->get_array()) {
      if (!sv.is_object()) continue;
      const auto& so = sv.get_object();
      json::object svc;
      svc["Name"] = jv::str(so, "Name");
      if (auto t = jv::str(so, "Type"); !t.empty()) svc["Type"] = t;
      json::array path;
      if (const auto* p = so.if_contains("EntityPath"); p && p->is_array()) {
        for (const auto& e : p->get_array()) {
          if (!e.is_object()) continue;
          const auto& eo = e.get_object();
          json::object entity;
          entity["Name"] = jv::str(eo, "Name");
          if (jv::boolean(eo, "Remote")) entity["Remote"] = true;
          if (const auto* ex = eo.if_contains("Exceptions"); ex && ex->is_array() && !ex->get_array().empty()) {
            json::array exceptions;
            for (const auto& x : ex->get_array()) {
              if (!x.is_object() || exceptions.size() >= kMaxRootCauses) continue;
              json::object xo;
              xo["Name"] = jv::str(x.get_object(), "Name");
              xo["Message"] = jv::str(x.get_object(), "Message");
              exceptions.emplace_back(std::move(xo));
            }
            entity["Exceptions"] = std::move(exceptions);
          }
          if (const auto* c = eo.if_contains("Coverage"); c && c->is_number()) entity["Coverage"] = *c;
          path.emplace_back(std::move(entity));
        }
      }
      if (!path.empty()) svc["EntityPath"] = std::move(path);
      services.emplace_back(std::move(svc));
    }
  }
  out["Services"] = std::move(services);
  if (const auto* ci = rc.if_contains("ClientImpacting"); ci && ci->is_bool()) out["ClientImpacting"] = *ci;
  return out;
}

json::array reduce_root_causes(const json::object& summary, std::string_view key) {
  json::array out;
  if (const auto* list = summary.if_contains(key); list && list->is_array())
    for (const auto& rc : list->get_array()) {
      if (out.size() >= kMaxRootCauses) break;
      if (rc.is_object()) out.emplace_back(reduce_root_cause(rc.get_object()));
    }
  return out;
}

json::value annotation_value(const json::value& list) {
  if (!list.is_array() || list.get_array().empty()) return nullptr;
  const auto& first = list.get_array().front();
  if (!first.is_object()) return nullptr;
  const auto* av = first.get_object().if_contains("AnnotationValue");
  if (!av || !av->is_object()) return nullptr;
  for (const char* k : {"StringValue", "NumberValue", "BooleanValue"})
    if (const auto* v = av->get_object().if_contains(k)) return *v;
  return nullptr;
}

json::object reduce_trace(const json::object& s) {
  json::object o;
  o["Id"] = jv::str(s, "Id");
  if (auto start = iso_of(s.if_contains("StartTime")); !start.empty()) o["StartTime"] = start;
  if (auto d = number_of(s.if_contains("Duration"))) o["Duration"] = round_to(*d, 3);
  // ResponseTime only when it differs from Duration (for most traces they are the same number).
  if (auto r = number_of(s.if_contains("ResponseTime")))
    if (round_to(*r, 3) != round_to(number_of(s.if_contains("Duration")).value_or(-1), 3)) o["ResponseTime"] = round_to(*r, 3);
  o["HasError"] = jv::boolean(s, "HasError");
  o["HasFault"] = jv::boolean(s, "HasFault");
  o["HasThrottle"] = jv::boolean(s, "HasThrottle");
  if (const auto* http = s.if_contains("Http"); http && http->is_object()) {
    json::object h;
    for (const char* k : {"HttpMethod", "HttpURL", "HttpStatus"})
      if (const auto* v = http->get_object().if_contains(k)) h[k] = *v;
    o["Http"] = std::move(h);
  }
  for (const char* key : {"FaultRootCauses", "ErrorRootCauses", "ResponseTimeRootCauses"}) {
    auto causes = reduce_root_causes(s, key);
    if (!causes.empty()) o[key] = std::move(causes);
  }
  json::object annotations;
  if (const auto* ann = s.if_contains("Annotations"); ann && ann->is_object())
    for (const char* k : {"aws.local.operation", "aws.remote.operation"})
      if (const auto* v = ann->get_object().if_contains(k)) {
        auto val = annotation_value(*v);
        if (!val.is_null()) annotations[k] = val;
      }
  if (!annotations.empty()) o["Annotations"] = std::move(annotations);
  if (const auto* users = s.if_contains("Users"); users && users->is_array() && !users->get_array().empty()) {
    json::array u;
    for (const auto& x : users->get_array()) {
      if (u.size() >= 2) break;
      if (x.is_object()) u.emplace_back(jv::str(x.get_object(), "UserName"));
    }
    o["Users"] = std::move(u);
  }
  return o;
}

// The first exception message in the trace's fault root causes, or "".
std::string first_fault_message(const json::object& s) {
  const auto* list = s.if_contains("FaultRootCauses");
  if (!list || !list->is_array()) return {};
  for (const auto& rc : list->get_array()) {
    if (!rc.is_object()) continue;
    const auto* services = rc.get_object().if_contains("Services");
    if (!services || !services->is_array()) continue;
    for (const auto& sv : services->get_array()) {
      if (!sv.is_object()) continue;
      const auto* path = sv.get_object().if_contains("EntityPath");
      if (!path || !path->is_array()) continue;
      for (const auto& e : path->get_array()) {
        if (!e.is_object()) continue;
        const auto* ex = e.get_object().if_contains("Exceptions");
        if (!ex || !ex->is_array() || ex->get_array().empty() || !ex->get_array().front().is_object()) continue;
        auto m = jv::str(ex->get_array().front().get_object(), "Message");
        if (!m.empty()) return m;
      }
    }
  }
  return {};
}

json::object summaries_input(const TimeWindow& w, const std::string& filter, const std::string& next_token) {
  json::object in;
  in["StartTime"] = epoch_seconds(w.start);
  in["EndTime"] = epoch_seconds(w.end);
  in["TimeRangeType"] = "Service";
  in["Sampling"] = true;
  if (!filter.empty()) in["FilterExpression"] = filter;
  if (!next_token.empty()) in["NextToken"] = next_token;
  return in;
}

std::string operation_of(const json::object& reduced) {
  const auto& ann = jv::obj(reduced, "Annotations");
  if (auto op = jv::str(ann, "aws.local.operation"); !op.empty()) return op;
  const auto& http = jv::obj(reduced, "Http");
  return jv::str(http, "HttpMethod") + " " + jv::str(http, "HttpURL");
}

bool has_problem(const json::object& reduced) {
  return jv::boolean(reduced, "HasFault") || jv::boolean(reduced, "HasError") || jv::boolean(reduced, "HasThrottle");
}

json::object build_output(const json::array& raw, bool more, const TimeWindow& w, const std::string& filter,
                          const json::object& search_status) {
  struct Group {
    std::string example;
    std::int64_t count = 0;
  };
  std::vector<std::pair<std::string, Group>> groups;  // first-seen order
  std::int64_t faulty = 0, erroring = 0, throttled = 0;
  std::vector<json::object> problems, healthy;  // de-duplicated, API order (newest first)
  for (const auto& v : raw) {
    if (!v.is_object()) continue;
    const auto& s = v.get_object();
    if (jv::boolean(s, "HasError")) ++erroring;
    if (jv::boolean(s, "HasThrottle")) ++throttled;
    if (jv::boolean(s, "HasFault")) {
      ++faulty;
      std::string message = first_fault_message(s);
      if (!message.empty()) {
        auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == message; });
        if (it != groups.end()) {
          ++it->second.count;
          continue;
        }
        groups.push_back({message, Group{jv::str(s, "Id"), 1}});
      }
    }
    json::object reduced = reduce_trace(s);
    (has_problem(reduced) ? problems : healthy).push_back(std::move(reduced));
  }
  const std::size_t distinct = problems.size() + healthy.size();

  // Listed: problem traces first (newest first), then the slowest healthy traces, at most
  // kMaxPerOperation per operation, up to kMaxListed and kListBudget characters.
  std::stable_sort(healthy.begin(), healthy.end(), [](const json::object& a, const json::object& b) {
    auto rt = [](const json::object& t) { return jv::num(t, "ResponseTime").value_or(jv::num(t, "Duration").value_or(0)); };
    return rt(a) > rt(b);
  });
  json::array listed;
  for (auto& p : problems) {
    if (listed.size() >= kMaxListed) break;
    listed.emplace_back(std::move(p));
  }
  std::map<std::string, std::size_t> per_operation;
  for (auto& h : healthy) {
    if (listed.size() >= kMaxListed) break;
    if (++per_operation[operation_of(h)] > kMaxPerOperation) continue;
    listed.emplace_back(std::move(h));
  }
  keep_within(listed, kListBudget);
  const std::size_t shown = listed.size();

  json::object out;
  out["TraceSummaries"] = std::move(listed);
  out["TraceCount"] = static_cast<std::int64_t>(shown);
  out["TotalTraceCount"] = static_cast<std::int64_t>(raw.size());
  out["FaultTraceCount"] = faulty;
  out["ErrorTraceCount"] = erroring;
  out["ThrottleTraceCount"] = throttled;
  json::object range;
  range["StartTime"] = format_iso(w.start);
  range["EndTime"] = format_iso(w.end);
  out["TimeRange"] = std::move(range);
  if (!filter.empty()) out["FilterExpression"] = filter;
  std::string message = "Retrieved " + std::to_string(raw.size()) + (more ? "+" : "") + " sampled trace(s)";
  if (faulty > 0) message += ", " + std::to_string(faulty) + " with faults";
  if (erroring > 0) message += ", " + std::to_string(erroring) + " with errors";
  if (throttled > 0) message += ", " + std::to_string(throttled) + " throttled";
  message += "; listing " + std::to_string(shown) + ".";
  if (distinct < raw.size())
    message += " Faulty traces that share their first exception message are listed once (see DeduplicationStats).";
  if (raw.empty())
    message += " None matched: widen the window (up to 6 hours) or relax the filter.";
  else
    message += " Pass an Id to get_xray_trace for the full segment tree.";
  out["Message"] = message;
  out["SamplingNote"] =
      "These are X-Ray trace summaries of sampled requests (Sampling=true), not every request: use them for "
      "examples and root causes, not for exact rates.";
  json::object ts;
  const auto* enabled = search_status.if_contains("enabled");
  ts["enabled"] = enabled ? *enabled : json::value(nullptr);
  if (enabled && enabled->is_bool() && enabled->get_bool())
    ts["recommendation"] =
        "Transaction Search is on: every span is in CloudWatch Logs. Use search_transaction_spans for complete "
        "counts and for spans X-Ray did not sample.";
  else if (enabled && enabled->is_bool())
    ts["recommendation"] =
        "Transaction Search is off: only sampled traces are available. Enabling it (Application Signals > "
        "Transaction Search) records every span for search_transaction_spans.";
  else
    ts["recommendation"] = "Could not read the Transaction Search status (xray:GetTraceSegmentDestination).";
  out["TransactionSearchStatus"] = std::move(ts);
  if (!groups.empty()) {
    json::object stats;
    stats["OriginalTraceCount"] = static_cast<std::int64_t>(raw.size());
    stats["DeduplicatedTraceCount"] = static_cast<std::int64_t>(distinct);
    stats["FaultyTraceCount"] = faulty;
    json::array list;
    for (const auto& [msg, g] : groups) {
      if (list.size() >= kMaxFaultGroups) break;
      json::object e;
      e["FirstExceptionMessage"] = msg;
      e["TraceCount"] = g.count;
      e["ExampleTraceId"] = g.example;
      list.emplace_back(std::move(e));
    }
    if (groups.size() > kMaxFaultGroups)
      stats["FaultGroupsNotShown"] = static_cast<std::int64_t>(groups.size() - kMaxFaultGroups);
    stats["FaultGroups"] = std::move(list);
    out["DeduplicationStats"] = std::move(stats);
  }
  std::string truncated;
  if (more)
    truncated = "More than " + std::to_string(kMaxTraces) + " traces matched; only the first " +
                std::to_string(kMaxTraces) + " were retrieved and counted. ";
  if (shown < distinct)
    truncated += "Listing " + std::to_string(shown) + " of " + std::to_string(distinct) +
                 " distinct traces (faults, errors and throttles first, then the slowest of each operation). ";
  if (!truncated.empty()) {
    truncated += "To narrow, add a filter_expression (e.g. 'fault = true', 'service(\"payments\") AND fault', "
                 "'responsetime > 2', 'annotation[aws.local.operation] = \"POST /checkout\"') or shorten the window.";
    out["truncated"] = truncated;
  }
  return out;
}

asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  auto window = time_window(call.args.object(), "start_time", "end_time", std::chrono::hours(3),
                            std::chrono::hours(6), call.now());
  if (!window) co_return argument_failure(window.error());
  std::string filter = call.args.str("filter_expression");
  auto clients_r = call.aws();
  if (!clients_r) co_return aws_failure(clients_r.error(), aws::ops::kGetTraceSummaries);
  std::shared_ptr<const aws::AwsClients> clients = *clients_r;

  json::array raw;
  std::string next_token;
  bool more = false;
  for (int page = 0; page < kMaxPages; ++page) {
    json::object input = summaries_input(*window, filter, next_token);
    auto r = co_await clients->xray.call(aws::ops::kGetTraceSummaries, input);
    if (!r) co_return aws_failure(r.error(), aws::ops::kGetTraceSummaries);
    const auto& o = jv::as_obj(*r);
    for (const auto& s : jv::arr(o, "TraceSummaries")) {
      if (raw.size() >= kMaxTraces) {
        more = true;
        break;
      }
      raw.push_back(s);
    }
    next_token = jv::str(o, "NextToken");
    if (next_token.empty()) break;
    if (raw.size() >= kMaxTraces || page + 1 == kMaxPages) {
      more = true;
      break;
    }
  }

  // Whether Transaction Search is on decides the advice; a failure here only weakens the advice.
  json::object dest_input;
  auto dest = co_await clients->xray.call(aws::ops::kGetTraceSegmentDestination, dest_input);
  json::object search_status;
  if (dest && dest->is_object()) {
    search_status["enabled"] = jv::str(dest->get_object(), "Destination") == "CloudWatchLogs" &&
                               jv::str(dest->get_object(), "Status") == "ACTIVE";
  }
  co_return json_result(build_output(raw, more, *window, filter, search_status));
}

json::object prop(std::string_view type, std::string_view d) {
  json::object p;
  p["type"] = type;
  p["description"] = d;
  return p;
}

json::object output_schema() {
  json::object props;
  json::object list = prop("array",
                           "Listed traces (at most 20): Id, StartTime, Duration, ResponseTime (when it differs from Duration), HasError, HasFault, "
                           "HasThrottle, Http, Fault/Error/ResponseTimeRootCauses (<= 3), Annotations "
                           "(aws.local.operation, aws.remote.operation)");
  list["items"] = prop("object", "one trace summary");
  props["TraceSummaries"] = std::move(list);
  props["TraceCount"] = prop("integer", "Traces listed in TraceSummaries");
  props["TotalTraceCount"] = prop("integer", "Traces retrieved and counted (all of them, listed or not)");
  props["FaultTraceCount"] = prop("integer", "Retrieved traces with a fault (5xx)");
  props["ErrorTraceCount"] = prop("integer", "Retrieved traces with an error (4xx)");
  props["ThrottleTraceCount"] = prop("integer", "Retrieved traces with a throttle (429)");
  props["TimeRange"] = prop("object", "{StartTime, EndTime}");
  props["FilterExpression"] = prop("string", "The filter used");
  props["Message"] = prop("string", "Summary and next step");
  props["SamplingNote"] = prop("string", "What sampling means for these numbers");
  props["TransactionSearchStatus"] = prop("object", "{enabled, recommendation}");
  props["DeduplicationStats"] =
      prop("object", "{OriginalTraceCount, DeduplicatedTraceCount, FaultyTraceCount, FaultGroups[]}");
  props["truncated"] = prop("string", "Present when traces were not listed or not retrieved: how to narrow");
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  schema["required"] = json::array{"TraceSummaries", "TraceCount", "Message"};
  return schema;
}

}  // namespace

ToolEntry query_sampled_traces_tool() {
  ToolSpec spec;
  spec.name = "query_sampled_traces";
  spec.title = "Query sampled X-Ray traces";
  spec.description =
      "Lists X-Ray trace summaries of sampled requests for a window of up to 6 hours (default: the last 3 hours), "
      "optionally filtered with an X-Ray filter expression such as 'fault = true', 'service(\"payments\") AND "
      "fault', 'http.status = 500', 'responsetime > 2' or 'annotation[aws.local.operation] = \"POST /checkout\"'. "
      "Use it for root causes: each listed trace carries its fault/error/response-time root causes (service, "
      "entity path down to the failing AWS resource, exception), and faulty traces that share the same first "
      "exception message are collapsed into one example with a count, so an incident's cause stands out. Counts "
      "(total, faults, errors, throttles) cover every trace retrieved; at most 20 are listed, problems first. "
      "Sampled means not every request: for exact counts and aggregates over all spans use "
      "search_transaction_spans (needs Transaction Search); for one trace's full segment tree pass its Id to "
      "get_xray_trace. Returns compact JSON.";
  spec.args = {
      arg::time("start_time", "Start of the window. Default: 3 hours before end_time. The window may not exceed 6 hours."),
      arg::time("end_time", "End of the window. Default: now."),
      arg::string("filter_expression",
                  "X-Ray filter expression, passed as is, e.g. 'fault = true', 'service(\"payments\") AND fault', "
                  "'http.status = 500', 'responsetime > 1', 'annotation[aws.local.operation] = \"POST "
                  "/payments/charge\"'. Default: all traces."),
      arg::region()};
  spec.ops = {aws::ops::kGetTraceSummaries, aws::ops::kGetTraceSegmentDestination};
  spec.output_schema = output_schema();
  spec.narrow_hint = "add a filter_expression (e.g. 'fault = true') or shorten the window";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::traces

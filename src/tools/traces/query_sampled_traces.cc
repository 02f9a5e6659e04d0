// query_sampled_traces: X-Ray GetTraceSummaries (sampled, by service end time) over at most
// 6 hours, up to 100 traces, each reduced to what a model needs; faulty traces that fail with
// the same first exception message are collapsed into one example plus a count.
#include <algorithm>
#include <map>

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
using traces::json_result;
using traces::number_of;
using traces::round_to;

constexpr std::size_t kMaxTraces = 100;
constexpr int kMaxPages = 10;
constexpr std::size_t kMaxRootCauses = 3;

std::string string_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

bool bool_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

// A root cause reduced to its services and their entity paths (names, exceptions).
json::object reduce_root_cause(const json::object& rc) {
  json::object out;
  json::array services;
  if (const auto* s = rc.if_contains("Services"); s && s->is_array()) {
    for (const auto& sv : s->get_array()) {
      if (!sv.is_object()) continue;
      const auto& so = sv.get_object();
      json::object svc;
      svc["Name"] = string_member(so, "Name");
      if (auto t = string_member(so, "Type"); !t.empty()) svc["Type"] = t;
      json::array path;
      if (const auto* p = so.if_contains("EntityPath"); p && p->is_array()) {
        for (const auto& e : p->get_array()) {
          if (!e.is_object()) continue;
          const auto& eo = e.get_object();
          json::object entity;
          entity["Name"] = string_member(eo, "Name");
          if (bool_member(eo, "Remote")) entity["Remote"] = true;
          if (const auto* ex = eo.if_contains("Exceptions"); ex && ex->is_array() && !ex->get_array().empty()) {
            json::array exceptions;
            for (const auto& x : ex->get_array()) {
              if (!x.is_object() || exceptions.size() >= kMaxRootCauses) continue;
              json::object xo;
              xo["Name"] = string_member(x.get_object(), "Name");
              xo["Message"] = string_member(x.get_object(), "Message");
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
  o["Id"] = string_member(s, "Id");
  if (auto start = traces::iso_of(s.if_contains("StartTime")); !start.empty()) o["StartTime"] = start;
  if (auto d = number_of(s.if_contains("Duration"))) o["Duration"] = round_to(*d, 3);
  if (auto r = number_of(s.if_contains("ResponseTime"))) o["ResponseTime"] = round_to(*r, 3);
  o["HasError"] = bool_member(s, "HasError");
  o["HasFault"] = bool_member(s, "HasFault");
  o["HasThrottle"] = bool_member(s, "HasThrottle");
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
      if (x.is_object()) u.emplace_back(string_member(x.get_object(), "UserName"));
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
        auto m = string_member(ex->get_array().front().get_object(), "Message");
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

json::object build_output(const json::array& raw, bool more, const TimeWindow& w, const std::string& filter,
                          const json::object& search_status) {
  json::array kept;
  struct Group {
    std::string example;
    std::int64_t count = 0;
  };
  std::vector<std::pair<std::string, Group>> groups;  // first-seen order
  std::int64_t faulty = 0;
  for (const auto& v : raw) {
    if (!v.is_object()) continue;
    const auto& s = v.get_object();
    if (bool_member(s, "HasFault")) {
      ++faulty;
      std::string message = first_fault_message(s);
      if (!message.empty()) {
        auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == message; });
        if (it != groups.end()) {
          ++it->second.count;
          continue;
        }
        groups.push_back({message, Group{string_member(s, "Id"), 1}});
      }
    }
    kept.emplace_back(reduce_trace(s));
  }
  json::object out;
  out["TraceSummaries"] = std::move(kept);
  out["TraceCount"] = static_cast<std::int64_t>(out.at("TraceSummaries").as_array().size());
  json::object range;
  range["StartTime"] = format_iso(w.start);
  range["EndTime"] = format_iso(w.end);
  out["TimeRange"] = std::move(range);
  if (!filter.empty()) out["FilterExpression"] = filter;
  std::string message = "Retrieved " + std::to_string(raw.size()) + " sampled trace(s)";
  if (faulty > 0) message += ", " + std::to_string(faulty) + " with faults";
  if (raw.size() != out.at("TraceSummaries").as_array().size())
    message += "; faulty traces with the same first exception message are shown once (see DeduplicationStats)";
  message += ".";
  if (more)
    message += " More traces exist than the " + std::to_string(kMaxTraces) +
               " retrieved: narrow the window or add a filter_expression (e.g. 'fault = true', "
               "'service(\"checkout\")', 'responsetime > 2').";
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
    stats["DeduplicatedTraceCount"] = out.at("TraceCount");
    stats["FaultyTraceCount"] = faulty;
    json::array list;
    for (const auto& [msg, g] : groups) {
      json::object e;
      e["FirstExceptionMessage"] = msg;
      e["TraceCount"] = g.count;
      e["ExampleTraceId"] = g.example;
      list.emplace_back(std::move(e));
    }
    stats["FaultGroups"] = std::move(list);
    out["DeduplicationStats"] = std::move(stats);
  }
  return out;
}

asio::awaitable<mcp::ToolResult> query_sampled_traces(std::shared_ptr<const ToolEnv> env, mcp::RequestContext&,
                                                      json::object args) {
  auto window = time_window(args, "start_time", "end_time", std::chrono::hours(3), std::chrono::hours(6), env->now());
  if (!window) co_return argument_failure(window.error());
  auto filter_r = string_arg(args, "filter_expression");
  if (!filter_r) co_return argument_failure(filter_r.error());
  std::string filter = filter_r->value_or("");
  auto clients_r = env->clients(args);
  if (!clients_r) co_return aws_failure(clients_r.error(), "xray:GetTraceSummaries");
  std::shared_ptr<const aws::AwsClients> clients = *clients_r;

  json::array raw;
  std::string next_token;
  bool more = false;
  for (int page = 0; page < kMaxPages; ++page) {
    std::string op = "GetTraceSummaries";
    json::object input = summaries_input(*window, filter, next_token);
    auto r = co_await clients->xray.call(op, input);
    if (!r) co_return aws_failure(r.error(), "xray:GetTraceSummaries");
    next_token.clear();
    if (r->is_object()) {
      const auto& o = r->get_object();
      if (const auto* list = o.if_contains("TraceSummaries"); list && list->is_array())
        for (const auto& s : list->get_array()) {
          if (raw.size() >= kMaxTraces) {
            more = true;
            break;
          }
          raw.push_back(s);
        }
      next_token = string_member(o, "NextToken");
    }
    if (next_token.empty()) break;
    if (raw.size() >= kMaxTraces) {
      more = true;
      break;
    }
  }

  // Whether Transaction Search is on decides the advice; a failure here only weakens the advice.
  std::string dest_op = "GetTraceSegmentDestination";
  json::object dest_input;
  auto dest = co_await clients->xray.call(dest_op, dest_input);
  json::object search_status;
  if (dest && dest->is_object()) {
    search_status["enabled"] = string_member(dest->get_object(), "Destination") == "CloudWatchLogs" &&
                               string_member(dest->get_object(), "Status") == "ACTIVE";
  }
  co_return json_result(build_output(raw, more, *window, filter, search_status));
}

json::object input_schema() {
  json::object props;
  props["start_time"] = json::object{
      {"type", json::array{"string", "integer"}},
      {"description",
       "Start: unix seconds, ISO-8601 or 'YYYY-MM-DD HH:MM:SS' (UTC). Default: 3 hours before end_time. The "
       "window may not exceed 6 hours."}};
  props["end_time"] = json::object{{"type", json::array{"string", "integer"}},
                                   {"description", "End, same forms as start_time. Default: now."}};
  props["filter_expression"] = json::object{
      {"type", "string"},
      {"description",
       "Optional X-Ray filter expression, e.g. 'fault = true', 'service(\"payments\")', 'http.status = 500', "
       "'responsetime > 1', 'annotation[aws.local.operation] = \"POST /payments/charge\"'. Default: all traces."}};
  props["region"] = json::object{{"type", "string"}, {"description", "AWS region (default: the server's region)."}};
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  return schema;
}

json::object output_schema() {
  auto prop = [](std::string_view type, std::string_view d) { return json::object{{"type", type}, {"description", d}}; };
  json::object props;
  props["TraceSummaries"] = json::object{
      {"type", "array"},
      {"items", json::object{{"type", "object"}}},
      {"description",
       "Per trace: Id, StartTime, Duration, ResponseTime, HasError, HasFault, HasThrottle, Http, "
       "Fault/Error/ResponseTimeRootCauses (<= 3), Annotations (aws.local.operation, aws.remote.operation)"}};
  props["TraceCount"] = prop("integer", "Traces listed (after de-duplication)");
  props["TimeRange"] = prop("object", "{StartTime, EndTime}");
  props["FilterExpression"] = prop("string", "The filter used");
  props["Message"] = prop("string", "Summary and next step");
  props["SamplingNote"] = prop("string", "What sampling means for these numbers");
  props["TransactionSearchStatus"] = prop("object", "{enabled, recommendation}");
  props["DeduplicationStats"] =
      prop("object", "{OriginalTraceCount, DeduplicatedTraceCount, FaultyTraceCount, FaultGroups[]}");
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  schema["required"] = json::array{"TraceSummaries", "TraceCount", "Message"};
  return schema;
}

}  // namespace

mcp::ToolDef make_query_sampled_traces_tool(std::shared_ptr<const ToolEnv> env) {
  mcp::ToolDef def;
  def.name = "query_sampled_traces";
  def.title = "Query sampled X-Ray traces";
  def.description =
      "List sampled X-Ray trace summaries for a window of up to 6 hours (default: the last 3 hours), optionally "
      "filtered with an X-Ray filter expression ('fault = true', 'service(\"payments\")', 'responsetime > 2'). "
      "Up to 100 traces, each reduced to id, duration, error/fault/throttle flags, HTTP method/URL/status, up to 3 "
      "root causes (service, entity path, exception) and the operation annotations. Faulty traces that share the "
      "same first exception message are shown once with a count, so an incident's cause stands out. Use it to "
      "find example traces and root causes for a fault or latency spike; then get_xray_trace for one trace's full "
      "tree. For exact counts over all requests use search_transaction_spans. Returns JSON.";
  def.input_schema = input_schema();
  def.output_schema = output_schema();
  def.annotations = read_only_annotations(def.title);
  def.handler = [env](mcp::RequestContext& ctx, json::object args) {
    return query_sampled_traces(env, ctx, std::move(args));
  };
  return def;
}

}  // namespace appsignals::tools

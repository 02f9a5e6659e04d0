// CloudWatch Logs (awsJson1_1): Logs Insights queries over the span data (aws/spans), with a
// Running → Complete progression so clients poll, StopQuery, FilterLogEvents, DescribeLogGroups.
#include <algorithm>

#include <boost/json/array.hpp>

#include "fakeaws/sample_account.h"
#include "fakeaws/services/canary_data.h"
#include "fakeaws/services/services.h"
#include "fakeaws/services/traces_data.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

namespace {

std::string insights_time(double t) {
  auto s = rfc3339(t);  // 2026-01-01T00:00:00.123Z → 2026-01-01 00:00:00.123
  s[10] = ' ';
  s.pop_back();
  if (s.size() == 19) s += ".000";
  return s;
}

OpResult start_query(Call& call) {
  LogQuery q;
  q.query = str_arg(call.input, "queryString");
  q.start = int_arg(call.input, "startTime", 0);
  q.end = int_arg(call.input, "endTime", 0);
  q.limit = int_arg(call.input, "limit", 1000);
  if (q.end < q.start) return make_error(call.traits().validation, "endTime must not be before startTime");
  if (auto g = str_arg(call.input, "logGroupName"); !g.empty()) q.log_groups.push_back(g);
  for (const char* key : {"logGroupNames", "logGroupIdentifiers"})
    if (const auto* list = arr_arg(call.input, key))
      for (const auto& v : *list) q.log_groups.emplace_back(v.as_string());
  bool source = q.query.find("SOURCE") != std::string::npos || q.query.find("source ") == 0;
  if (q.log_groups.empty() && !source)
    return make_error(call.traits().validation, "Either logGroupName, logGroupNames, logGroupIdentifiers or a SOURCE "
                                                "command is required.");
  auto known = log_group_names(call.account);
  for (const auto& g : q.log_groups)
    if (std::find(known.begin(), known.end(), g) == known.end())
      return make_error(call.traits().not_found, "The specified log group does not exist: " + g);
  q.anchor = call.anchor();
  std::lock_guard lock(call.state.mu);
  std::string id = "fa4e" + std::to_string(1000000 + call.state.next_id++) + "-5a1e-4c0d-9e00-00000000q";
  id.resize(36, '0');
  call.state.queries[id] = std::move(q);
  return json::object{{"queryId", id}};
}

json::array span_row(const SampleTrace& t, const SampleSpan& s) {
  auto f = [](const char* k, std::string v) { return json::object{{"field", k}, {"value", std::move(v)}}; };
  json::array row{f("@timestamp", insights_time(s.start)),
                  f("traceId", otel_trace_id(t.id)),
                  f("spanId", s.span_id),
                  f("parentSpanId", s.parent_id),
                  f("name", s.operation),
                  f("kind", s.kind),
                  f("durationNano", std::to_string(static_cast<std::int64_t>((s.end - s.start) * 1e9))),
                  f("status.code", s.fault || s.error ? "ERROR" : "UNSET"),
                  f("attributes.aws.local.service", s.service),
                  f("attributes.aws.local.operation", s.operation),
                  f("attributes.aws.local.environment", s.environment),
                  f("attributes.http.response.status_code", std::to_string(s.status)),
                  f("attributes.code.function", s.code_function),
                  f("attributes.code.filepath", s.code_filepath),
                  f("attributes.code.lineno", std::to_string(s.code_lineno)),
                  f("attributes.code.function.name", s.code_function),
                  f("attributes.code.file.path", s.code_filepath),
                  f("attributes.code.line.number", std::to_string(s.code_lineno))};
  if (!s.remote_service.empty()) {
    row.push_back(f("attributes.aws.remote.service", s.remote_service));
    row.push_back(f("attributes.aws.remote.operation", s.remote_operation));
  }
  if (!s.remote_resource.empty()) row.push_back(f("attributes.aws.remote.resource.identifier", s.remote_resource));
  if (!s.exception_type.empty()) {
    row.push_back(f("attributes.exception.type", s.exception_type));
    row.push_back(f("attributes.exception.message", s.exception_message));
  }
  return row;
}

json::array query_rows(const Call& call, const LogQuery& q, std::int64_t* scanned) {
  auto traces = traces_between(call.account, q.anchor, call.seed, static_cast<double>(q.start), static_cast<double>(q.end));
  std::string text = q.query;
  std::string lower = text;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Filters we understand loosely: a quoted service name, and fault/error conditions.
  std::string service_filter;
  for (const auto& s : call.account.services)
    if (text.find("\"" + s.name + "\"") != std::string::npos || text.find("'" + s.name + "'") != std::string::npos)
      service_filter = s.name;
  bool faults_only = lower.find("error") != std::string::npos || lower.find("fault") != std::string::npos ||
                     lower.find("status_code >= 500") != std::string::npos;
  std::int64_t limit = q.limit;
  if (auto p = lower.rfind("| limit "); p != std::string::npos) limit = std::min<std::int64_t>(limit, std::atoll(lower.c_str() + p + 8));
  json::array rows;
  *scanned = 0;
  if (lower.find("stats ") != std::string::npos) {
    std::map<std::string, std::pair<std::int64_t, double>> by_service;
    for (const auto& t : traces)
      for (const auto& s : t.spans) {
        ++*scanned;
        if (s.kind != "SERVER" || (!service_filter.empty() && s.service != service_filter)) continue;
        if (faults_only && !s.fault && !s.error) continue;
        auto& e = by_service[s.service];
        e.first++;
        e.second += (s.end - s.start) * 1000.0;
      }
    for (const auto& [svc, e] : by_service)
      rows.push_back(json::array{json::object{{"field", "attributes.aws.local.service"}, {"value", svc}},
                                 json::object{{"field", "count"}, {"value", std::to_string(e.first)}},
                                 json::object{{"field", "avg_duration_ms"}, {"value", std::to_string(e.second / static_cast<double>(e.first))}}});
    return rows;
  }
  for (auto it = traces.rbegin(); it != traces.rend(); ++it)
    for (const auto& s : it->spans) {
      ++*scanned;
      if (!service_filter.empty() && s.service != service_filter && s.remote_service != service_filter) continue;
      if (faults_only && !s.fault && !s.error && !s.throttle) continue;
      if (static_cast<std::int64_t>(rows.size()) >= limit) continue;
      rows.push_back(span_row(*it, s));
    }
  return rows;
}

OpResult get_query_results(Call& call) {
  std::string id = str_arg(call.input, "queryId");
  LogQuery q;
  {
    std::lock_guard lock(call.state.mu);
    auto it = call.state.queries.find(id);
    if (it == call.state.queries.end()) return make_error(call.traits().not_found, "Query " + id + " does not exist.");
    auto& live = it->second;
    if (live.status != "Cancelled") live.status = ++live.polls >= 2 ? "Complete" : "Running";
    q = live;
  }
  std::int64_t scanned = 0;
  json::array rows;
  if (q.status == "Complete") rows = query_rows(call, q, &scanned);
  json::object stats{{"recordsMatched", static_cast<double>(rows.size())},
                     {"recordsScanned", static_cast<double>(scanned)},
                     {"bytesScanned", static_cast<double>(scanned * 812)}};
  return json::object{{"status", q.status}, {"results", std::move(rows)}, {"statistics", std::move(stats)}};
}

OpResult stop_query(Call& call) {
  std::string id = str_arg(call.input, "queryId");
  std::lock_guard lock(call.state.mu);
  auto it = call.state.queries.find(id);
  if (it == call.state.queries.end()) return make_error(call.traits().not_found, "Query " + id + " does not exist.");
  bool was_running = it->second.status == "Running" || it->second.status == "Scheduled";
  if (was_running) it->second.status = "Cancelled";
  return json::object{{"success", was_running}};
}

OpResult filter_log_events(Call& call) {
  std::string group = str_arg(call.input, "logGroupName", str_arg(call.input, "logGroupIdentifier"));
  auto anchor = anchor_for(call, "nextToken");
  std::vector<LogEventData> all;
  if (!log_events(call.account, anchor, call.seed, group, all))
    return make_error(call.traits().not_found, "The specified log group does not exist.");
  auto start = int_arg(call.input, "startTime", 0);
  auto end = int_arg(call.input, "endTime", INT64_MAX);
  std::string pattern = str_arg(call.input, "filterPattern");
  if (pattern.size() >= 2 && pattern.front() == '"' && pattern.back() == '"') pattern = pattern.substr(1, pattern.size() - 2);
  std::vector<const LogEventData*> hits;
  for (const auto& e : all)
    if (e.timestamp_ms >= start && e.timestamp_ms <= end && (pattern.empty() || e.message.find(pattern) != std::string::npos))
      hits.push_back(&e);
  auto p = paginate(call, hits.size(), "nextToken", "limit", 10000, 10000);
  if (auto* e = std::get_if<ApiError>(&p)) return *e;
  auto& page = std::get<Page>(p);
  json::array events;
  for (std::size_t i = page.begin; i < page.end; ++i)
    events.push_back(json::object{{"logStreamName", hits[i]->stream}, {"timestamp", hits[i]->timestamp_ms},
                                  {"message", hits[i]->message}, {"ingestionTime", hits[i]->timestamp_ms + 700},
                                  {"eventId", std::to_string(hits[i]->timestamp_ms) + std::to_string(i)}});
  json::object out{{"events", std::move(events)}, {"searchedLogStreams", json::array{}}};
  if (page.next_token) out["nextToken"] = *page.next_token;
  return out;
}

OpResult describe_log_groups(Call& call) {
  std::string prefix = str_arg(call.input, "logGroupNamePrefix");
  std::vector<json::object> groups;
  for (const auto& g : log_group_names(call.account)) {
    if (!prefix.empty() && g.rfind(prefix, 0) != 0) continue;
    groups.push_back({{"logGroupName", g},
                      {"arn", "arn:aws:logs:" + call.account.region + ":" + call.account.account_id + ":log-group:" + g + ":*"},
                      {"creationTime", (call.anchor() - 90 * 86400) * 1000},
                      {"storedBytes", 1048576}});
  }
  auto p = paginate(call, groups.size(), "nextToken", "limit", 50, 50);
  if (auto* e = std::get_if<ApiError>(&p)) return *e;
  auto& page = std::get<Page>(p);
  json::array list;
  for (std::size_t i = page.begin; i < page.end; ++i) list.push_back(groups[i]);
  json::object out{{"logGroups", std::move(list)}};
  if (page.next_token) out["nextToken"] = *page.next_token;
  return out;
}

constexpr OpEntry kOps[] = {
    {"StartQuery", start_query},         {"GetQueryResults", get_query_results},
    {"StopQuery", stop_query},           {"FilterLogEvents", filter_log_events},
    {"DescribeLogGroups", describe_log_groups},
};

}  // namespace

std::span<const OpEntry> logs_operations() { return kOps; }

}  // namespace appsignals::fakeaws

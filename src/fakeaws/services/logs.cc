// CloudWatch Logs (awsJson1_1): Logs Insights queries in the subset of query/logs_insights.h
// over the log groups of services/log_groups.h, with a Running → Complete progression so
// clients poll; StopQuery, FilterLogEvents, DescribeLogGroups.
#include <algorithm>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/encoding.h"
#include "fakeaws/query/logs_insights.h"
#include "fakeaws/sample_account.h"
#include "fakeaws/services/log_groups.h"
#include "fakeaws/services/rum_data.h"
#include "fakeaws/services/services.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

namespace {

// StartQuery's modeled error for a query outside the subset (or not Logs Insights QL at all):
// the message, and queryCompileError with the offending range.
constexpr ErrorKind kMalformedQuery{"MalformedQueryException", 400};

// Logs Insights discovers at most this many fields in a JSON message, this deep.
constexpr std::size_t kMaxDiscoveredFields = 200;
constexpr int kMaxJsonDepth = 16;

ApiError malformed(const insights::SyntaxError& e) {
  ApiError err = make_error(kMalformedQuery, e.message);
  json::object location{{"startCharOffset", e.start}, {"endCharOffset", e.end}};
  err.extra["queryCompileError"] = json::object{{"location", std::move(location)}, {"message", e.message}};
  return err;
}

// A log group identifier may be an ARN: arn:aws:logs:<region>:<account>:log-group:<name>[:*].
std::string group_name(std::string id) {
  constexpr std::string_view kMarker = ":log-group:";
  if (id.rfind("arn:", 0) != 0) return id;
  auto p = id.find(kMarker);
  if (p == std::string::npos) return id;
  id = id.substr(p + kMarker.size());
  if (id.size() >= 2 && id.compare(id.size() - 2, 2, ":*") == 0) id.resize(id.size() - 2);
  return id;
}

OpResult start_query(Call& call) {
  LogQuery q;
  q.query = str_arg(call.input, "queryString");
  q.start = int_arg(call.input, "startTime", 0);
  q.end = int_arg(call.input, "endTime", 0);
  q.limit = int_arg(call.input, "limit", 1000);
  if (q.end < q.start) return make_error(call.traits().validation, "endTime must not be before startTime");
  auto parsed = insights::parse(q.query);
  if (const auto* e = std::get_if<insights::SyntaxError>(&parsed)) return malformed(*e);
  const auto& query = std::get<insights::Query>(parsed);
  if (auto g = str_arg(call.input, "logGroupName"); !g.empty()) q.log_groups.push_back(g);
  for (const char* key : {"logGroupNames", "logGroupIdentifiers"})
    if (const auto* list = arr_arg(call.input, key))
      for (const auto& v : *list) q.log_groups.push_back(group_name(std::string(v.as_string())));
  if (q.log_groups.empty() && !query.has_source)
    return make_error(call.traits().validation, "Either logGroupName, logGroupNames, logGroupIdentifiers or a SOURCE "
                                                "command is required.");
  auto known = log_group_names(call.account);
  for (const auto& g : q.log_groups)
    if (std::find(known.begin(), known.end(), g) == known.end())
      return make_error(call.traits().not_found, "The specified log group does not exist: " + g);
  if (query.has_source)
    for (const auto& g : known) {
      bool selected = query.name_prefixes.empty() ||
                      std::any_of(query.name_prefixes.begin(), query.name_prefixes.end(),
                                  [&g](const std::string& p) { return g.rfind(p, 0) == 0; });
      if (selected && std::find(q.log_groups.begin(), q.log_groups.end(), g) == q.log_groups.end())
        q.log_groups.push_back(g);
    }
  q.anchor = call.anchor();
  std::lock_guard lock(call.state.mu);
  std::string id = "fa4e" + std::to_string(1000000 + call.state.next_id++) + "-5a1e-4c0d-9e00-00000000q";
  id.resize(36, '0');
  call.state.queries[id] = std::move(q);
  return json::object{{"queryId", id}};
}

void add_field(insights::Row& row, const std::string& name, std::string value) {
  for (const auto& [n, v] : row)
    if (n == name) return;
  row.emplace_back(name, std::move(value));
}

// The fields Logs Insights discovers in a JSON message: nested keys joined with '.', array
// elements by index ("attributes.http.response.status_code", "tags.0").
void flatten(const json::value& v, std::string& name, insights::Row& row, int depth) {
  if (row.size() >= kMaxDiscoveredFields || depth > kMaxJsonDepth) return;
  auto nested = [&](std::string_view key, const json::value& child) {
    const std::size_t len = name.size();
    if (!name.empty()) name += '.';
    name += key;
    flatten(child, name, row, depth + 1);
    name.resize(len);
  };
  switch (v.kind()) {
    case json::kind::object:
      for (const auto& [k, child] : v.get_object()) nested(k, child);
      return;
    case json::kind::array: {
      std::size_t i = 0;
      for (const auto& child : v.get_array()) nested(std::to_string(i++), child);
      return;
    }
    case json::kind::string: add_field(row, name, std::string(v.get_string())); return;
    case json::kind::bool_: add_field(row, name, v.get_bool() ? "true" : "false"); return;
    case json::kind::null: return;
    default: add_field(row, name, json::serialize(v)); return;
  }
}

// A record as Logs Insights sees it: @timestamp, the fields of a JSON message, @message,
// @logStream, @log, the record's system fields and @ptr.
insights::Row insights_row(const SampleAccount& a, const std::string& group, const LogRecord& r, std::size_t index) {
  insights::Row row;
  row.emplace_back("@timestamp", insights::format_time(r.timestamp_ms));
  if (!r.message.empty() && r.message.front() == '{') {
    boost::system::error_code ec;
    json::value doc = json::parse(r.message, ec);
    std::string name;
    if (!ec && doc.is_object()) flatten(doc, name, row, 0);
  }
  add_field(row, "@message", r.message);
  add_field(row, "@logStream", r.stream);
  add_field(row, "@log", a.account_id + ":" + group);
  for (const auto& [k, v] : r.system_fields) add_field(row, k, v);
  add_field(row, "@ptr", base64_encode(group + "|" + std::to_string(r.timestamp_ms) + "|" + std::to_string(index)));
  return row;
}

std::int64_t epoch_now(const Call& call) {
  return std::chrono::duration_cast<std::chrono::seconds>(call.now.time_since_epoch()).count();
}

// Epoch seconds → milliseconds, saturating (endTime has no upper bound in the model).
std::int64_t to_ms(std::int64_t seconds) {
  constexpr std::int64_t kMax = (INT64_MAX - 999) / 1000;
  return std::clamp<std::int64_t>(seconds, 0, kMax) * 1000;
}

struct QueryOutcome {
  json::array rows;
  std::int64_t matched = 0;
  std::int64_t scanned = 0;
  std::int64_t bytes = 0;
};

// Runs a (previously accepted) query over the records of its log groups in its time range,
// newest first unless the query sorts.
QueryOutcome run_query(const Call& call, const LogQuery& q, const insights::Query& query) {
  QueryOutcome out;
  LogSourceContext ctx{call.account, q.anchor, call.seed, &call.state, call.region, epoch_now(call)};
  struct Scanned {
    const std::string* group;
    LogRecord record;
  };
  std::vector<Scanned> records;
  for (const auto& g : q.log_groups) {
    std::vector<LogRecord> recs;
    log_records(ctx, g, to_ms(q.start), to_ms(q.end) + 999, recs);
    for (auto& r : recs) records.push_back({&g, std::move(r)});
  }
  std::stable_sort(records.begin(), records.end(),
                   [](const Scanned& a, const Scanned& b) { return a.record.timestamp_ms > b.record.timestamp_ms; });
  std::vector<insights::Row> rows;
  rows.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    out.bytes += static_cast<std::int64_t>(records[i].record.message.size()) + 26;
    rows.push_back(insights_row(call.account, *records[i].group, records[i].record, i));
  }
  out.scanned = static_cast<std::int64_t>(rows.size());
  auto ev = insights::evaluate(query, std::move(rows), static_cast<std::size_t>(std::max<std::int64_t>(q.limit, 1)));
  out.matched = ev.matched;
  for (const auto& row : ev.rows) {
    json::array cells;
    for (const auto& [field, value] : row) cells.push_back(json::object{{"field", field}, {"value", value}});
    out.rows.push_back(std::move(cells));
  }
  return out;
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
  QueryOutcome outcome;
  if (q.status == "Complete") {
    auto parsed = insights::parse(q.query);  // accepted by StartQuery, so it parses again
    if (const auto* query = std::get_if<insights::Query>(&parsed)) outcome = run_query(call, q, *query);
    else q.status = "Failed";
  }
  json::object stats{{"recordsMatched", static_cast<double>(outcome.matched)},
                     {"recordsScanned", static_cast<double>(outcome.scanned)},
                     {"bytesScanned", static_cast<double>(outcome.bytes)}};
  return json::object{{"status", q.status}, {"results", std::move(outcome.rows)}, {"statistics", std::move(stats)}};
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
  auto start = int_arg(call.input, "startTime", 0);
  auto end = int_arg(call.input, "endTime", INT64_MAX);
  std::vector<LogRecord> all;
  if (!log_records(LogSourceContext{call.account, anchor, call.seed, &call.state, call.region, epoch_now(call)}, group,
                   start, end, all))
    return make_error(call.traits().not_found, "The specified log group does not exist.");
  std::string pattern = str_arg(call.input, "filterPattern");
  if (pattern.size() >= 2 && pattern.front() == '"' && pattern.back() == '"') pattern = pattern.substr(1, pattern.size() - 2);
  std::vector<const LogRecord*> hits;
  for (const auto& e : all)
    if (pattern.empty() || e.message.find(pattern) != std::string::npos) hits.push_back(&e);
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

// Log anomaly detection: one detector, on the shop-web RUM log group, that found the
// checkout error pattern of the incident.
std::string detector_arn(const Call& call) {
  return "arn:aws:logs:" + call.account.region + ":" + call.account.account_id +
         ":anomaly-detector:7d3e1b2a-rum-shop-web-0001";
}

std::string group_arn(const Call& call, const std::string& group) {
  return "arn:aws:logs:" + call.account.region + ":" + call.account.account_id + ":log-group:" + group;
}

OpResult list_log_anomaly_detectors(Call& call) {
  const auto* web = find_rum_monitor("shop-web");
  const std::string arn = group_arn(call, web->log_group());
  auto filter = str_arg(call.input, "filterLogGroupArn");
  if (filter.size() > 2 && filter.compare(filter.size() - 2, 2, ":*") == 0) filter.resize(filter.size() - 2);
  json::array list;
  if (filter.empty() || filter == arn)
    list.push_back(json::object{{"anomalyDetectorArn", detector_arn(call)},
                                {"detectorName", "shop-web-rum-events"},
                                {"logGroupArnList", json::array{json::value(arn)}},
                                {"evaluationFrequency", "FIVE_MIN"},
                                {"anomalyDetectorStatus", "ANALYZING"},
                                {"creationTimeStamp", (call.anchor() - 30 * 86400) * 1000},
                                {"lastModifiedTimeStamp", (call.anchor() - 30 * 86400) * 1000},
                                {"anomalyVisibilityTime", 21}});
  return json::object{{"anomalyDetectors", std::move(list)}};
}

OpResult list_anomalies(Call& call) {
  auto detector = str_arg(call.input, "anomalyDetectorArn");
  json::array list;
  if (detector.empty() || detector == detector_arn(call)) {
    const auto* web = find_rum_monitor("shop-web");
    const std::int64_t first = (call.anchor() - SampleAccount::kIncidentStart) * 1000;
    const std::int64_t last = (call.anchor() - SampleAccount::kIncidentEnd) * 1000;
    json::object histogram;
    for (std::int64_t t = first; t < last; t += 300000) histogram[std::to_string(t)] = 9;
    json::array tokens{json::object{{"dynamicTokenPosition", 0}, {"isDynamic", false},
                                    {"tokenString", "Checkout failed: payment service returned"}},
                       json::object{{"dynamicTokenPosition", 1}, {"isDynamic", true}, {"tokenString", "<*>"},
                                    {"enumerations", json::object{{"500", 27}}}, {"inferredTokenName", "status"}}};
    list.push_back(json::object{
        {"anomalyId", "a1b2c3d4-rum-checkout-errors"},
        {"patternId", "9f8e7d6c5b4a39281706"},
        {"anomalyDetectorArn", detector_arn(call)},
        {"patternString", "<*> PaymentError Checkout failed: payment service returned <*>"},
        {"priority", "HIGH"},
        {"firstSeen", first},
        {"lastSeen", last},
        {"description", "New pattern: JS errors 'Checkout failed: payment service returned 500' on /checkout"},
        {"active", false},
        {"state", "Active"},
        {"histogram", std::move(histogram)},
        {"logSamples", json::array{json::object{{"timestamp", first + 61000},
                                                {"message", "{\"event_type\":\"com.amazon.rum.js_error_event\",\"event_details\":{\"type\":\"PaymentError\",\"message\":\"Checkout failed: payment service returned 500\"}}"}}}},
        {"patternTokens", std::move(tokens)},
        {"logGroupArnList", json::array{json::value(group_arn(call, web->log_group()))}},
        {"suppressed", false}});
  }
  return json::object{{"anomalies", std::move(list)}};
}

constexpr OpEntry kOps[] = {
    {"StartQuery", start_query},         {"GetQueryResults", get_query_results},
    {"StopQuery", stop_query},           {"FilterLogEvents", filter_log_events},
    {"DescribeLogGroups", describe_log_groups},
    {"ListLogAnomalyDetectors", list_log_anomaly_detectors}, {"ListAnomalies", list_anomalies},
};

}  // namespace

std::span<const OpEntry> logs_operations() { return kOps; }

}  // namespace appsignals::fakeaws

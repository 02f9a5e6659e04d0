#include "tools/service_events/se_common.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>

#include <boost/json/parse.hpp>

#include "tools/common/json_access.h"
#include "tools/common/logs_query.h"

namespace appsignals::tools::service_events {
namespace asio = boost::asio;

std::string log_group_prefix() {
  const char* p = std::getenv("SERVICE_EVENTS_LOG_GROUP_PREFIX");
  return p && *p ? std::string(p) : std::string(kDefaultPrefix);
}

asio::awaitable<std::variant<std::vector<std::string>, Failure>> event_groups(
    std::shared_ptr<const aws::AwsClients> clients, std::string service) {
  std::vector<std::string> out;
  const std::string prefix = log_group_prefix();
  if (!service.empty()) {
    out.push_back(prefix + service);
    co_return out;
  }
  json::object input;
  input["logGroupNamePrefix"] = prefix;
  input["limit"] = 50;
  auto r = co_await clients->logs.call(aws::ops::kDescribeLogGroups, input);
  if (!r) co_return Failure{r.error(), aws::ops::kDescribeLogGroups};
  for (const auto& g : jv::arr(jv::as_obj(*r), "logGroups")) {
    std::string name = jv::str(jv::as_obj(g), "logGroupName");
    if (name.rfind(prefix, 0) == 0) out.push_back(name);
  }
  co_return out;
}

asio::awaitable<std::variant<json::array, Failure>> query_events(std::shared_ptr<const aws::AwsClients> clients,
                                                                std::vector<std::string> groups,
                                                                std::string event_name, std::int64_t start,
                                                                std::int64_t end, std::int64_t limit,
                                                                std::string extra_filter) {
  json::array out;
  if (groups.empty()) co_return out;
  std::string q = "fields @timestamp, @message | filter eventName = \"" + event_name + "\"";
  if (!extra_filter.empty()) q += " and " + extra_filter;
  q += " | sort @timestamp desc | limit " + std::to_string(limit);
  json::object input;
  json::array names;
  for (const auto& g : groups) names.push_back(json::string(g));
  input["logGroupNames"] = std::move(names);
  input["startTime"] = start;
  input["endTime"] = end;
  input["queryString"] = q;
  input["limit"] = limit;
  auto outcome = co_await run_logs_query(clients, std::move(input), std::chrono::seconds(30));
  if (outcome.error) co_return Failure{*outcome.error, outcome.failed_op};
  if (outcome.timed_out)
    co_return Failure{Error(ErrorCode::kDeadlineExceeded, "the Logs Insights query did not finish within 30 s"),
                      aws::ops::kGetQueryResults};
  for (const auto& row : logs_query_rows(outcome.response)) {
    const auto& r = row.as_object();
    boost::system::error_code ec;
    json::value v = json::parse(jv::view(r, "@message"), ec);
    if (ec || !v.is_object()) continue;
    v.as_object()["@timestamp"] = jv::str(r, "@timestamp");
    out.push_back(std::move(v));
  }
  co_return out;
}

aws::LabelMatchers scope_matchers(const Args& args) {
  aws::LabelMatchers m;
  if (auto s = args.opt_str("service_name")) m.emplace_back(std::string(kLabelService), *s);
  if (auto e = args.opt_str("environment")) m.emplace_back(std::string(kLabelEnvironment), *e);
  if (auto op = args.opt_str("endpoint")) m.emplace_back(std::string(kLabelOperation), *op);
  return m;
}

namespace {

double sample_value(const json::object& item) {
  const auto& v = jv::arr(item, "value");
  if (v.size() < 2 || !v[1].is_string()) return 0;
  return std::strtod(std::string(v[1].as_string()).c_str(), nullptr);
}

}  // namespace

asio::awaitable<std::variant<std::vector<FunctionStats>, Failure>> function_stats(aws::PromqlClient promql,
                                                                                 aws::LabelMatchers matchers,
                                                                                 std::int64_t hours, std::int64_t t) {
  const std::string window = "[" + std::to_string(hours) + "h]";
  const std::string by = "sum by (" + aws::promql_string(kLabelFunction) + "," + aws::promql_string(kLabelAtLine) + ")";
  const std::string sel = aws::promql_selector(kMetricDuration, matchers);
  aws::LabelMatchers err_m = matchers;
  err_m.emplace_back("status", "error");
  const std::string err_sel = aws::promql_selector(kMetricDuration, err_m);
  std::string avg_q = "histogram_avg(" + by + " (increase(" + sel + window + ")))";
  std::string calls_q = by + " (histogram_count(increase(" + sel + window + ")))";
  std::string errors_q = by + " (histogram_count(increase(" + err_sel + window + ")))";
  std::map<std::string, FunctionStats> stats;
  for (int i = 0; i < 3; ++i) {
    std::string q = i == 0 ? calls_q : i == 1 ? errors_q : avg_q;
    auto r = co_await promql.query(q, t);
    if (!r) co_return Failure{r.error(), aws::ops::kQueryMetrics};
    for (const auto& item_v : jv::arr(jv::as_obj(*r), "result")) {
      const auto& item = jv::as_obj(item_v);
      const auto& metric = jv::obj(item, "metric");
      std::string name = jv::str(metric, kLabelFunction);
      if (name.empty()) continue;
      std::string key = name + "\n" + jv::str(metric, kLabelAtLine);
      FunctionStats& f = stats[key];
      f.name = name;
      f.at_line = jv::str(metric, kLabelAtLine);
      double v = sample_value(item);
      if (i == 0) f.calls = v;
      else if (i == 1) f.errors = v;
      else f.avg_ms = v / 1000.0;  // the histogram is in microseconds
    }
  }
  std::vector<FunctionStats> out;
  for (auto& [k, f] : stats) out.push_back(std::move(f));
  co_return out;
}

json::object function_json(const FunctionStats& f) {
  json::object o;
  o["function"] = f.name;
  if (!f.at_line.empty()) o["function_at_line"] = f.at_line;
  o["calls"] = static_cast<std::int64_t>(std::llround(f.calls));
  o["errors"] = static_cast<std::int64_t>(std::llround(f.errors));
  o["error_rate_pct"] = f.calls > 0 ? round1(100.0 * f.errors / f.calls) : 0.0;
  if (f.avg_ms) o["avg_duration_ms"] = round1(*f.avg_ms);
  return o;
}

asio::awaitable<std::variant<std::map<std::pair<std::string, std::string>, double>, Failure>> error_patterns(
    aws::PromqlClient promql, aws::LabelMatchers matchers, std::int64_t window_minutes, std::int64_t t) {
  std::map<std::pair<std::string, std::string>, double> out;
  std::string q = "sum by (operation, exception) (sum_over_time(" + aws::promql_selector(kMetricCount, matchers) + "[" +
                  std::to_string(std::max<std::int64_t>(window_minutes, 1)) + "m]))";
  auto r = co_await promql.query(q, t);
  if (!r) co_return Failure{r.error(), aws::ops::kQueryMetrics};
  for (const auto& item_v : jv::arr(jv::as_obj(*r), "result")) {
    const auto& item = jv::as_obj(item_v);
    const auto& metric = jv::obj(item, "metric");
    out[{jv::str(metric, "operation"), jv::str(metric, "exception")}] += sample_value(item);
  }
  co_return out;
}

asio::awaitable<std::variant<std::vector<std::string>, Failure>> function_names(aws::PromqlClient promql,
                                                                              aws::LabelMatchers matchers) {
  std::vector<std::string> match;
  match.push_back(aws::promql_selector(kMetricDuration, matchers));
  std::string label(kLabelFunction);
  auto r = co_await promql.label_values(std::move(label), std::move(match));
  if (!r) co_return Failure{r.error(), aws::ops::kGetLabels};
  std::vector<std::string> out;
  if (r->is_array())
    for (const auto& v : r->as_array())
      if (v.is_string() && !v.as_string().empty()) out.emplace_back(v.as_string());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  co_return out;
}

std::vector<IncidentGroup> group_incidents(const json::array& records) {
  std::vector<IncidentGroup> out;
  std::map<std::string, std::size_t> index;
  for (const auto& r_v : records) {
    const auto& r = jv::as_obj(r_v);
    std::string trigger = attr(r, "attributes", "aws.service_events.trigger_type");
    std::string ts = jv::str(r, "timestamp");
    std::string key = attr(r, "resource", "service.name") + "\n" + attr(r, "attributes", "aws.service_events.operation") +
                      "\n" + trigger;
    // Latency outliers recur with load; one group per day keeps separate episodes apart.
    if (trigger == "latency") key += "\n" + ts.substr(0, 10);
    auto [it, fresh] = index.try_emplace(key, out.size());
    if (fresh) {
      IncidentGroup g;
      g.latest = r;
      g.last_seen = ts;
      out.push_back(std::move(g));
    }
    IncidentGroup& g = out[it->second];
    ++g.occurrences;
    g.first_seen = ts;  // records come newest first
  }
  return out;
}

json::object incident_json(const IncidentGroup& g) {
  const json::object& r = g.latest;
  json::object o;
  o["snapshot_id"] = attr(r, "attributes", "aws.service_events.snapshot_id");
  o["service"] = attr(r, "resource", "service.name");
  o["operation"] = attr(r, "attributes", "aws.service_events.operation");
  o["trigger_type"] = attr(r, "attributes", "aws.service_events.trigger_type");
  o["timestamp"] = g.last_seen;
  o["occurrences"] = g.occurrences;
  if (g.occurrences > 1) o["first_seen"] = g.first_seen;
  if (auto f = attr(r, "attributes", "aws.service_events.function"); !f.empty()) o["function"] = f;
  if (auto exc = jv::str(jv::obj(r, "exception"), "type"); !exc.empty()) o["exception_type"] = exc;
  if (auto d = jv::num(jv::obj(r, "attributes"), "aws.service_events.duration_ms")) o["duration_ms"] = *d;
  if (auto st = jv::num(jv::obj(r, "attributes"), "http.response.status_code"))
    o["status_code"] = static_cast<std::int64_t>(*st);
  json::object cloud;
  for (std::string_view k : {"cloud.provider", "cloud.platform", "cloud.region"})
    if (auto v = attr(r, "resource", k); !v.empty()) cloud[k] = v;
  if (!cloud.empty()) o["cloud_context"] = std::move(cloud);
  if (auto trace = attr(r, "attributes", "trace_id"); !trace.empty()) {
    json::object tc;
    tc["trace_id"] = trace;
    tc["span_id"] = attr(r, "attributes", "span_id");
    o["telemetry_correlation"] = std::move(tc);
  }
  return o;
}

std::string failure_text(const Error& error, const aws::Op& op) {
  auto r = aws_failure(error, op);
  std::string out;
  for (const auto& c : r.content)
    if (c.is_object()) out += jv::str(c.as_object(), "text");
  return out;
}

std::int64_t now_seconds(const ToolCall& call) {
  return std::chrono::duration_cast<std::chrono::seconds>(call.now().time_since_epoch()).count();
}

std::string iso(std::int64_t epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<std::int64_t> parse_iso(std::string_view text) {
  std::tm tm{};
  std::string s(text);
  if (!strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return std::nullopt;
  return static_cast<std::int64_t>(timegm(&tm));
}

double round1(double v) { return std::round(v * 10.0) / 10.0; }

std::string attr(const json::object& record, std::string_view section, std::string_view key) {
  const auto& s = jv::obj(record, section);
  const auto* v = s.if_contains(key);
  if (!v) return {};
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_double()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v->as_double());
    return buf;
  }
  return {};
}

json::object prop(std::string_view type, std::string_view description) {
  json::object p;
  p["type"] = type;
  p["description"] = description;
  return p;
}

}  // namespace appsignals::tools::service_events

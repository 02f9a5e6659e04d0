// query_service_metrics: one of a service's Application Signals metrics (from GetService's metric
// references) through CloudWatch GetMetricStatistics, summarised.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

#include <boost/beast/core/string.hpp>

#include "tools/common/args.h"
#include "tools/common/time_args.h"
#include "tools/common/tool_errors.h"
#include "tools/services/service_common.h"
#include "tools/toolsets.h"

namespace appsignals::tools::services {

namespace {

constexpr std::size_t kRecentValues = 10;

const json::array& metric_references(const json::object& response) {
  return jv::arr(jv::obj(response, "Service"), "MetricReferences");
}

std::string number(double v) {
  char buf[64];
  // Rates (Fault, Error averages) are small fractions: keep four decimals below 1.
  std::snprintf(buf, sizeof buf, std::fabs(v) >= 1 || v == 0 ? "%.2f" : "%.4f", v);
  return buf;
}

double as_double(const json::value& v) { return v.is_number() ? v.to_number<double>() : 0.0; }

std::string minute_utc(double epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%m-%d %H:%M", &tm);
  return buf;
}

std::string list_metrics(const std::string& service, const json::array& refs, std::string_view intro) {
  std::string out = std::string(intro) + "Metrics of " + service + " (" + std::to_string(refs.size()) + "):\n";
  for (const auto& r : refs) {
    if (!r.is_object()) continue;
    const auto& ro = r.get_object();
    out += "• " + jv::str(ro, "MetricName") + "\n  Namespace: " + jv::str(ro, "Namespace") + "\n  Metric type: " +
           jv::str(ro, "MetricType") + "\n";
  }
  out += "\nCall query_service_metrics(service_name=\"" + service + "\", metric_name=\"<one of the names>\") for values.";
  return out;
}

bool valid_percentile(const std::string& s) {
  // p99, p99.9, tm99 (trimmed mean), wm90, tc90, ts90: CloudWatch's extended statistics.
  std::size_t skip = s.rfind("tm", 0) == 0 || s.rfind("wm", 0) == 0 || s.rfind("tc", 0) == 0 || s.rfind("ts", 0) == 0 ? 2
                     : !s.empty() && s[0] == 'p'                                                                 ? 1
                                                                                                                 : 0;
  if (skip == 0 || s.size() <= skip || s.size() > 12) return false;
  char* end = nullptr;
  double p = std::strtod(s.c_str() + skip, &end);
  return end && *end == '\0' && p >= 0 && p <= 100;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// statistic: the plain names in any case and their usual abbreviations; a percentile is kept
// (lower-cased) and read as the extended statistic by run().
Result<json::value> read_statistic(const json::value& v, Notes&) {
  std::string s = lower(v.get_string());
  static const std::pair<const char*, const char*> kNames[] = {
      {"samplecount", "SampleCount"}, {"count", "SampleCount"}, {"average", "Average"}, {"avg", "Average"},
      {"mean", "Average"},           {"sum", "Sum"},           {"total", "Sum"},       {"minimum", "Minimum"},
      {"min", "Minimum"},            {"maximum", "Maximum"},   {"max", "Maximum"}};
  for (const auto& [alias, canonical] : kNames)
    if (s == alias) return json::value(canonical);
  if (valid_percentile(s)) return json::value(s);
  return Error{ErrorCode::kInvalidArgument,
               "must be SampleCount, Average, Sum, Minimum or Maximum (or a percentile such as p99, which is read "
               "as extended_statistic); got '" + std::string(v.get_string()).substr(0, 40) + "'"};
}

Result<json::value> read_extended(const json::value& v, Notes&) {
  std::string s = lower(v.get_string());
  if (s.empty() || valid_percentile(s)) return json::value(s);
  return Error{ErrorCode::kInvalidArgument, "must be a percentile such as p50, p90, p99 or p99.9 (or tm99 for a "
                                            "trimmed mean), or \"\" for none; got '" +
                                                std::string(v.get_string()).substr(0, 40) + "'"};
}

std::int64_t period_for(std::int64_t hours) { return hours <= 3 ? 60 : hours <= 24 ? 300 : 3600; }

json::object statistics_input(const json::object& ref, std::int64_t start, std::int64_t end, std::int64_t period,
                              const std::string& statistic, const std::string& extended) {
  json::object input;
  input["Namespace"] = jv::str(ref, "Namespace");
  input["MetricName"] = jv::str(ref, "MetricName");
  if (const auto* d = ref.if_contains("Dimensions"); d && d->is_array()) input["Dimensions"] = *d;
  input["StartTime"] = start;
  input["EndTime"] = end;
  input["Period"] = period;
  input["Statistics"] = json::array{json::value(statistic)};
  if (!extended.empty()) input["ExtendedStatistics"] = json::array{json::value(extended)};
  return input;
}

// The value of `stat` in a datapoint (plain statistics are members, percentiles are under
// ExtendedStatistics).
std::optional<double> value_of(const json::object& dp, const std::string& stat) {
  if (const auto* v = dp.if_contains(stat); v && v->is_number()) return as_double(*v);
  if (const auto* e = dp.if_contains("ExtendedStatistics"); e && e->is_object())
    if (const auto* v = e->get_object().if_contains(stat); v && v->is_number()) return as_double(*v);
  return std::nullopt;
}

std::string render(const std::string& service, const json::object& ref, std::int64_t hours, std::int64_t period,
                   const std::vector<std::string>& stats, const json::object& response) {
  std::vector<json::object> points;
  if (const auto* d = response.if_contains("Datapoints"); d && d->is_array())
    for (const auto& p : d->get_array())
      if (p.is_object()) points.push_back(p.get_object());
  std::sort(points.begin(), points.end(), [](const json::object& a, const json::object& b) {
    return as_double(a.at("Timestamp")) < as_double(b.at("Timestamp"));
  });
  std::string out = "Metric " + jv::str(ref, "Namespace") + "/" + jv::str(ref, "MetricName") + " of " + service + "\n" +
                    "Dimensions: " + dimensions_text(ref.at("Dimensions").is_array() ? ref.at("Dimensions").get_array()
                                                                                      : json::array{}) +
                    "\nWindow: last " + std::to_string(hours) + " hour" + (hours == 1 ? "" : "s") + ", period " +
                    std::to_string(period) + " s\nData points: " + std::to_string(points.size()) + "\n";
  if (points.empty())
    return out + "\nNo data points in the window: the service had no traffic for this metric, or it has not "
                 "reported yet. Try a longer window (hours, up to 168).";
  std::string unit = jv::str(points.back(), "Unit");
  out += "\nSummary" + (unit.empty() || unit == "None" ? std::string() : " (" + unit + ")") + ":\n";
  for (const auto& s : stats) {
    std::vector<double> vals;
    for (const auto& p : points)
      if (auto v = value_of(p, s)) vals.push_back(*v);
    if (vals.empty()) {
      out += "• " + s + ": no values\n";
      continue;
    }
    double sum = 0;
    for (double v : vals) sum += v;
    out += "• " + s + ": latest " + number(vals.back()) + ", average " + number(sum / static_cast<double>(vals.size())) +
           ", maximum " + number(*std::max_element(vals.begin(), vals.end())) + ", minimum " +
           number(*std::min_element(vals.begin(), vals.end())) + "\n";
  }
  std::size_t from = points.size() > kRecentValues ? points.size() - kRecentValues : 0;
  out += "\nMost recent " + std::to_string(points.size() - from) + " values (UTC):\n";
  for (std::size_t i = from; i < points.size(); ++i) {
    out += "  " + minute_utc(as_double(points[i].at("Timestamp"))) + "  ";
    bool first = true;
    for (const auto& s : stats) {
      auto v = value_of(points[i], s);
      out += (first ? "" : ", ") + s + " " + (v ? number(*v) : std::string("-"));
      first = false;
    }
    if (auto u = jv::str(points[i], "Unit"); !u.empty() && u != "None") out += " " + u;
    out += "\n";
  }
  out += "\nNext: list_service_operations to see which operations carry this metric, audit_service_operations "
         "for a per-operation diagnosis, or a longer window (hours, up to 168) for a trend.";
  return out;
}

const json::object* find_metric(const json::array& refs, const std::string& name) {
  for (const auto& r : refs)
    if (r.is_object() && boost::beast::iequals(jv::str(r.get_object(), "MetricName"), name)) return &r.get_object();
  return nullptr;
}

boost::asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  std::int64_t hours = call.args.integer("hours", 1);
  std::string stat = call.args.str("statistic");
  std::string ext = call.args.has("extended_statistic") ? call.args.str("extended_statistic") : "p99";
  if (valid_percentile(stat)) {
    // A percentile given as the statistic: what the caller means is that percentile.
    call.note("statistic '" + stat + "' is a percentile: reading it as extended_statistic=\"" + stat +
              "\" (statistic Average is shown beside it).");
    ext = stat;
    stat = "Average";
  }

  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kListServices);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  std::int64_t now = epoch_seconds(call.now());
  std::string wanted = call.args.str("service_name");
  auto located = co_await locate_service(c, wanted, now);
  if (located.failure) co_return std::move(*located.failure);
  if (!located.note.empty()) call.note(located.note);
  std::string service = service_name_of(located.summary);

  json::object input = get_service_input(located.summary, now - kDiscoveryWindowSeconds, now);
  auto r = co_await c->application_signals.call(aws::ops::kGetService, input);
  if (!r) co_return aws_failure(r.error(), aws::ops::kGetService);
  json::array refs;
  if (r->is_object()) refs = metric_references(r->get_object());

  std::string wanted_metric = call.args.str("metric_name");
  if (wanted_metric.empty()) co_return mcp::ToolResult::text(list_metrics(service, refs, ""));
  const json::object* ref = find_metric(refs, wanted_metric);
  if (!ref) {
    std::string intro = "Error: the service " + service + " has no metric named '" + wanted_metric + "'.\n\n";
    co_return mcp::ToolResult::error(list_metrics(service, refs, intro));
  }
  json::object chosen = *ref;
  if (!chosen.contains("Dimensions")) chosen["Dimensions"] = json::array{};
  std::int64_t period = period_for(hours);
  json::object stats_input = statistics_input(chosen, now - hours * 3600, now, period, stat, ext);
  auto data = co_await c->cloudwatch.call(aws::ops::kGetMetricStatistics, stats_input);
  if (!data) co_return aws_failure(data.error(), aws::ops::kGetMetricStatistics);
  std::vector<std::string> stats;
  stats.push_back(stat);
  if (!ext.empty()) stats.push_back(ext);
  json::object response;
  if (data->is_object()) response = data->get_object();
  co_return mcp::ToolResult::text(render(service, chosen, hours, period, stats, response));
}

}  // namespace

ToolEntry query_service_metrics_tool() {
  ToolSpec spec;
  spec.name = "query_service_metrics";
  spec.title = "Query service metrics";
  spec.description =
      "Fetches one Application Signals metric of a service (e.g. Latency, Fault, Error) from CloudWatch for the "
      "last `hours` hours, using the exact namespace and dimensions Application Signals reports for the "
      "service. Returns a summary per statistic (latest, average, maximum, minimum), the number of data points "
      "and the 10 most recent values with their unit. The period is 60 s up to 3 hours, 300 s up to 24 hours, "
      "3600 s beyond. Pass metric_name=\"\" to list the metrics the service has; an unknown metric name also "
      "lists them. For a health verdict use audit_services; for per-operation views audit_service_operations.";
  spec.args = {
      service_name_arg(),
      arg::string("metric_name",
                  "Metric to query, e.g. \"Latency\", \"Fault\", \"Error\" (case-insensitive); \"\" lists the "
                  "service's metrics.")
          .require()
          .empty_ok()
          .eg("\"Latency\""),
      arg::string("statistic",
                  "Plain statistic: SampleCount, Average, Sum, Minimum or Maximum (any case; avg/max/min accepted). "
                  "A percentile such as p99 given here is read as extended_statistic.")
          .def("Average")
          .read_with(&read_statistic),
      arg::string("extended_statistic", "Percentile statistic such as p50, p90, p99 or p99.9; \"\" for none.")
          .def("p99")
          .empty_ok()
          .read_with(&read_extended),
      arg::hours("hours", "Look-back window in hours, 1 to 168 (\"6h\" and \"2d\" are read too; more is capped).", 1,
                 1, 168),
      arg::region()};
  spec.ops = {aws::ops::kListServices, aws::ops::kGetService, aws::ops::kGetMetricStatistics};
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::services

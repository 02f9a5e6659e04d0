// CloudWatch (awsJson1_0 with query compatibility; the legacy awsQuery form works too):
// GetMetricData and GetMetricStatistics over the sample account's metrics, DescribeAlarms.
#include <algorithm>

#include <boost/json/array.hpp>

#include "fakeaws/metrics_model.h"
#include "fakeaws/sample_account.h"
#include "fakeaws/services/services.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

namespace {

std::map<std::string, std::string> dimensions_of(const json::object* metric) {
  std::map<std::string, std::string> dims;
  if (!metric) return dims;
  if (const auto* list = arr_arg(*metric, "Dimensions"))
    for (const auto& d : *list)
      if (d.is_object()) dims[str_arg(d.as_object(), "Name")] = str_arg(d.as_object(), "Value");
  return dims;
}

OpResult get_metric_data(Call& call) {
  auto start = time_arg(call.input, "StartTime");
  auto end = time_arg(call.input, "EndTime");
  if (!start || !end || *end <= *start)
    return make_error(call.traits().validation, "The parameter StartTime must be less than the parameter EndTime.");
  const auto* queries = arr_arg(call.input, "MetricDataQueries");
  if (!queries || queries->empty() || queries->size() > 500)
    return make_error(call.traits().validation, "MetricDataQueries must hold 1 to 500 queries.");
  bool ascending = str_arg(call.input, "ScanBy", "TimestampDescending") == "TimestampAscending";
  auto anchor = anchor_for(call, "NextToken");

  struct Result {
    std::string id, label;
    Series series;
  };
  std::vector<Result> results;
  for (const auto& qv : *queries) {
    const auto& q = qv.as_object();
    if (!bool_arg(q, "ReturnData", true)) continue;
    Result r;
    r.id = str_arg(q, "Id");
    r.label = str_arg(q, "Label");
    if (r.id.empty() || !std::islower(static_cast<unsigned char>(r.id[0])))
      return make_error(call.traits().validation, "The value " + r.id + " for parameter MetricDataQueries.member.Id "
                                                  "is invalid: it must start with a lower-case letter.");
    if (const auto* stat = obj_arg(q, "MetricStat")) {
      const auto* metric = obj_arg(*stat, "Metric");
      SeriesQuery sq;
      sq.ns = metric ? str_arg(*metric, "Namespace") : "";
      sq.metric = metric ? str_arg(*metric, "MetricName") : "";
      sq.dimensions = dimensions_of(metric);
      sq.period = int_arg(*stat, "Period", 60);
      sq.stat = str_arg(*stat, "Stat", "Average");
      sq.start = static_cast<std::int64_t>(*start);
      sq.end = static_cast<std::int64_t>(*end);
      r.series = compute_series(call.account, sq, anchor, call.seed);
      if (r.label.empty()) r.label = sq.metric;
    }
    if (!ascending) {
      std::reverse(r.series.timestamps.begin(), r.series.timestamps.end());
      std::reverse(r.series.values.begin(), r.series.values.end());
    }
    results.push_back(std::move(r));
  }
  // MaxDatapoints pages over the concatenation of all results' points.
  std::size_t total = 0;
  for (const auto& r : results) total += r.series.values.size();
  auto p = paginate(call, total, "NextToken", "MaxDatapoints", 100800, 100800);
  if (auto* e = std::get_if<ApiError>(&p)) return *e;
  auto& page = std::get<Page>(p);
  json::array out;
  std::size_t pos = 0;
  for (const auto& r : results) {
    std::size_t n = r.series.values.size();
    std::size_t from = std::clamp(page.begin, pos, pos + n) - pos;
    std::size_t to = std::clamp(page.end, pos, pos + n) - pos;
    pos += n;
    json::array ts, vs;
    for (std::size_t i = from; i < to; ++i) {
      ts.push_back(r.series.timestamps[i]);
      vs.push_back(r.series.values[i]);
    }
    out.push_back(json::object{{"Id", r.id}, {"Label", r.label}, {"Timestamps", std::move(ts)},
                               {"Values", std::move(vs)}, {"StatusCode", to < n ? "PartialData" : "Complete"}});
  }
  json::object res{{"MetricDataResults", std::move(out)}, {"Messages", json::array{}}};
  if (page.next_token) res["NextToken"] = *page.next_token;
  return res;
}

OpResult get_metric_statistics(Call& call) {
  auto start = time_arg(call.input, "StartTime");
  auto end = time_arg(call.input, "EndTime");
  if (!start || !end || *end <= *start)
    return make_error(call.traits().validation, "The parameter StartTime must be less than the parameter EndTime.");
  auto period = int_arg(call.input, "Period", 60);
  if (period < 60 || period % 60 != 0)
    return make_error(call.traits().validation, "The parameter Period must be a multiple of 60.");
  std::vector<std::string> stats, ext;
  if (const auto* s = arr_arg(call.input, "Statistics"))
    for (const auto& v : *s) stats.emplace_back(v.as_string());
  if (const auto* s = arr_arg(call.input, "ExtendedStatistics"))
    for (const auto& v : *s) ext.emplace_back(v.as_string());
  if (stats.empty() && ext.empty())
    return make_error(call.traits().missing_member, "Either Statistics or ExtendedStatistics must be given.");
  if ((*end - *start) / static_cast<double>(period) > 1440)
    return make_error(ErrorKind{"InvalidParameterCombinationException", 400, "InvalidParameterCombination"},
                      "You have requested up to " + std::to_string(static_cast<long>((*end - *start) / static_cast<double>(period))) +
                          " datapoints, which exceeds the limit of 1440.");
  SeriesQuery base;
  base.ns = str_arg(call.input, "Namespace");
  base.metric = str_arg(call.input, "MetricName");
  base.dimensions = dimensions_of(&call.input);
  base.period = period;
  base.start = static_cast<std::int64_t>(*start);
  base.end = static_cast<std::int64_t>(*end);
  auto anchor = call.anchor();
  std::map<std::int64_t, json::object> points;
  std::string unit = "None";
  for (const auto& st : stats) {
    auto q = base;
    q.stat = st;
    auto s = compute_series(call.account, q, anchor, call.seed);
    if (s.known) unit = s.unit;
    for (std::size_t i = 0; i < s.values.size(); ++i) points[s.timestamps[i]][st] = s.values[i];
  }
  for (const auto& st : ext) {
    auto q = base;
    q.stat = st;
    auto s = compute_series(call.account, q, anchor, call.seed);
    if (s.known) unit = s.unit;
    for (std::size_t i = 0; i < s.values.size(); ++i) {
      auto& p = points[s.timestamps[i]];
      if (!p.contains("ExtendedStatistics")) p["ExtendedStatistics"] = json::object{};
      p["ExtendedStatistics"].as_object()[st] = s.values[i];
    }
  }
  if (stats.size() == 1 && stats[0] == "SampleCount") unit = "Count";
  json::array dps;
  for (auto& [t, p] : points) {
    p["Timestamp"] = t;
    p["Unit"] = unit;
    dps.push_back(std::move(p));
  }
  return json::object{{"Label", base.metric}, {"Datapoints", std::move(dps)}};
}

OpResult describe_alarms(Call& call) {
  const auto& a = call.account;
  auto anchor = call.anchor();
  json::array alarms{json::object{
      {"AlarmName", "payments-charge-faults"},
      {"AlarmArn", "arn:aws:cloudwatch:" + a.region + ":" + a.account_id + ":alarm:payments-charge-faults"},
      {"AlarmDescription", "Fault rate of POST /payments/charge above 5%"},
      {"StateValue", "OK"},
      {"StateReason", "Threshold Crossed: 5 datapoints were not greater than the threshold (0.05)."},
      {"StateUpdatedTimestamp", anchor - SampleAccount::kIncidentEnd},
      {"MetricName", "Fault"},
      {"Namespace", "ApplicationSignals"},
      {"Statistic", "Average"},
      {"Period", 60},
      {"EvaluationPeriods", 5},
      {"Threshold", 0.05},
      {"ComparisonOperator", "GreaterThanThreshold"},
      {"Dimensions", json::array{json::object{{"Name", "Service"}, {"Value", "payments"}},
                                 json::object{{"Name", "Environment"}, {"Value", "ecs:shop-cluster"}},
                                 json::object{{"Name", "Operation"}, {"Value", "POST /payments/charge"}}}}}};
  return json::object{{"MetricAlarms", std::move(alarms)}, {"CompositeAlarms", json::array{}}};
}

constexpr OpEntry kOps[] = {
    {"GetMetricData", get_metric_data},
    {"GetMetricStatistics", get_metric_statistics},
    {"DescribeAlarms", describe_alarms},
};

}  // namespace

std::span<const OpEntry> cloudwatch_operations() { return kOps; }

}  // namespace appsignals::fakeaws

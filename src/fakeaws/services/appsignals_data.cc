#include "fakeaws/services/appsignals_data.h"

#include <cmath>

#include "fakeaws/call.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

json::object key_attributes(const SampleService& s) {
  return {{"Type", "Service"}, {"Name", s.name}, {"Environment", s.environment}};
}

json::array metric_references(const SampleAccount& a, const SampleService& s, const SampleOperation* op) {
  json::array out;
  for (auto [name, type] : {std::pair{"Latency", "LATENCY"}, {"Fault", "FAULT"}, {"Error", "ERROR"}}) {
    json::array dims{json::object{{"Name", "Environment"}, {"Value", s.environment}}};
    if (op) dims.push_back(json::object{{"Name", "Operation"}, {"Value", op->name}});
    dims.push_back(json::object{{"Name", "Service"}, {"Value", s.name}});
    out.push_back(json::object{{"Namespace", "ApplicationSignals"}, {"MetricType", type}, {"MetricName", name},
                               {"Dimensions", std::move(dims)}, {"AccountId", a.account_id}});
  }
  return out;
}

const SampleService* service_by_key(const SampleAccount& a, const std::map<std::string, std::string>& attrs) {
  auto name = attrs.find("Name");
  if (name == attrs.end()) return nullptr;
  auto env = attrs.find("Environment");
  return a.find_service(name->second, env == attrs.end() ? "" : env->second);
}

bool active_in(const SampleService& s, double start, double end, std::int64_t anchor) {
  double last = static_cast<double>(anchor - s.last_seen_offset);
  double first = static_cast<double>(anchor - 15 * 86400);
  return start <= last && end >= first;
}

namespace {

json::array metric_queries(const SampleService& s, const SampleSlo& slo, const std::string& metric,
                           const std::string& stat) {
  json::array dims{json::object{{"Name", "Environment"}, {"Value", s.environment}}};
  if (!slo.operation.empty()) dims.push_back(json::object{{"Name", "Operation"}, {"Value", slo.operation}});
  dims.push_back(json::object{{"Name", "Service"}, {"Value", s.name}});
  json::object metric_obj{{"Namespace", "ApplicationSignals"}, {"MetricName", metric}, {"Dimensions", std::move(dims)}};
  return json::array{json::object{
      {"Id", metric == "Latency" ? "latency" : "faults"},
      {"MetricStat", json::object{{"Metric", std::move(metric_obj)}, {"Period", 60}, {"Stat", stat}}},
      {"ReturnData", true}}};
}

json::object sli_attrs(const SampleService& s, const SampleSlo& slo) {
  json::object m{{"KeyAttributes", key_attributes(s)}, {"MetricType", slo.metric_type}};
  if (!slo.operation.empty()) m["OperationName"] = slo.operation;
  return m;
}

}  // namespace

json::object slo_object(const SampleAccount& a, const SampleSlo& slo, std::int64_t anchor) {
  const SampleService* s = a.find_service(slo.service);
  json::object o{{"Arn", a.slo_arn(slo)},
                 {"Name", slo.name},
                 {"Description", slo.description},
                 {"CreatedTime", anchor - slo.created_offset},
                 {"LastUpdatedTime", anchor - slo.created_offset / 2},
                 {"EvaluationType", slo.evaluation},
                 {"MetricSourceType", slo.operation.empty() ? "Service" : "ServiceOperation"},
                 {"Goal", json::object{{"Interval", json::object{{"RollingInterval",
                                                                   json::object{{"DurationUnit", "DAY"}, {"Duration", 7}}}}},
                                       {"AttainmentGoal", slo.goal},
                                       {"WarningThreshold", slo.warning}}},
                 {"BurnRateConfigurations", json::array{json::object{{"LookBackWindowMinutes", 60}},
                                                       json::object{{"LookBackWindowMinutes", 360}}}}};
  if (!s) return o;
  if (slo.evaluation == "PeriodBased") {
    auto m = sli_attrs(*s, slo);
    if (slo.metric_type == "LATENCY") m["MetricDataQueries"] = metric_queries(*s, slo, "Latency", "p99");
    else m["MetricDataQueries"] = metric_queries(*s, slo, "Fault", "Average");
    o["Sli"] = json::object{{"SliMetric", std::move(m)}, {"MetricThreshold", slo.threshold},
                            {"ComparisonOperator", slo.comparison}};
  } else {
    auto m = sli_attrs(*s, slo);
    m["TotalRequestCountMetric"] = metric_queries(*s, slo, "Latency", "SampleCount");
    m["MonitoredRequestCountMetric"] = json::object{{"BadCountMetric", metric_queries(*s, slo, "Fault", "Sum")}};
    o["RequestBasedSli"] = json::object{{"RequestBasedSliMetric", std::move(m)}};
    if (slo.metric_type == "LATENCY") {
      o["RequestBasedSli"].as_object()["MetricThreshold"] = slo.threshold;
      o["RequestBasedSli"].as_object()["ComparisonOperator"] = slo.comparison;
    }
  }
  return o;
}

json::object slo_summary(const SampleAccount& a, const SampleSlo& slo, std::int64_t anchor) {
  json::object o{{"Arn", a.slo_arn(slo)},
                 {"Name", slo.name},
                 {"CreatedTime", anchor - slo.created_offset},
                 {"EvaluationType", slo.evaluation},
                 {"MetricSourceType", slo.operation.empty() ? "Service" : "ServiceOperation"}};
  if (const auto* s = a.find_service(slo.service)) o["KeyAttributes"] = key_attributes(*s);
  if (!slo.operation.empty()) o["OperationName"] = slo.operation;
  return o;
}

std::vector<ChangeEventData> change_events() {
  return {
      {"checkout", "CONFIGURATION", 90 * 60, "jane.doe", "PutParameter"},
      {"payments", "DEPLOYMENT", SampleAccount::kDeployment, "deploy-bot", "UpdateService"},
      {"frontend", "DEPLOYMENT", 5 * 3600, "jane.doe", "UpdateDeployment"},
      {"inventory", "CONFIGURATION", 8 * 3600, "ops-automation", "UpdateTable"},
      {"checkout", "DEPLOYMENT", 26 * 3600, "deploy-bot", "UpdateService"},
      {"payments", "CONFIGURATION", 30 * 3600, "ops-automation", "UpdateTable"},
      {"order-processor", "DEPLOYMENT", 50 * 3600, "sam-cli", "UpdateFunctionCode"},
      {"payments", "DEPLOYMENT", 74 * 3600, "deploy-bot", "UpdateService"},
  };
}

json::object change_event_object(const SampleAccount& a, const ChangeEventData& e, std::int64_t anchor) {
  const SampleService* s = a.find_service(e.service);
  return {{"Timestamp", anchor - e.offset},
          {"AccountId", a.account_id},
          {"Region", a.region},
          {"Entity", s ? key_attributes(*s) : json::object{}},
          {"ChangeEventType", e.type},
          {"EventId", "evt-" + e.service + "-" + std::to_string((anchor - e.offset) / 60)},
          {"UserName", e.user},
          {"EventName", e.event_name}};
}

double round_hour(double t) { return std::round(t / 3600.0) * 3600.0; }

}  // namespace appsignals::fakeaws

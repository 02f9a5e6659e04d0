#include "app/permission_probes.h"

#include <boost/json/array.hpp>

namespace appsignals {
namespace {

namespace json = boost::json;

json::object probe_service_keys() {
  json::object keys;
  keys["Type"] = "Service";
  keys["Name"] = kProbeName;
  keys["Environment"] = kProbeName;
  return keys;
}

json::object window(std::int64_t now, std::int64_t seconds) {
  json::object o;
  o["StartTime"] = now - seconds;
  o["EndTime"] = now;
  return o;
}

}  // namespace

std::optional<PermissionProbe> permission_probe(const aws::Op& op, std::int64_t now) {
  namespace ops = aws::ops;
  PermissionProbe p;
  auto& in = p.input;
  if (op == ops::kListServices || op == ops::kListServiceStates) {
    in = window(now, 3600);
    in["MaxResults"] = 1;
  } else if (op == ops::kGetService || op == ops::kListServiceOperations || op == ops::kListServiceDependencies ||
             op == ops::kListServiceDependents) {
    in = window(now, 3600);
    in["KeyAttributes"] = probe_service_keys();
    p.not_found_ok = true;
  } else if (op == ops::kListServiceLevelObjectives) {
    in["MaxResults"] = 1;
  } else if (op == ops::kGetServiceLevelObjective) {
    in["Id"] = kProbeName;
    p.not_found_ok = true;
  } else if (op == ops::kBatchGetServiceLevelObjectiveBudgetReport) {
    in["Timestamp"] = now;
    in["SloIds"] = json::array{json::value(kProbeName)};
  } else if (op == ops::kListAuditFindings) {
    in = window(now, 900);
    json::object service;
    service["Service"] = probe_service_keys();
    json::object target;
    target["Type"] = "service";
    target["Data"] = std::move(service);
    in["AuditTargets"] = json::array{std::move(target)};
    p.not_found_ok = true;
  } else if (op == ops::kListGroupingAttributeDefinitions) {
  } else if (op == ops::kListEntityEvents) {
    in = window(now, 3600);
    in["Entity"] = probe_service_keys();
    in["MaxResults"] = 1;
    p.not_found_ok = true;
  } else if (op == ops::kListInstrumentationConfigurations) {
    in["Service"] = kProbeName;
    in["Environment"] = kProbeName;
    in["InstrumentationType"] = "BREAKPOINT";
    in["MaxResults"] = 1;
    p.not_found_ok = true;
  } else if (op == ops::kGetInstrumentationConfiguration || op == ops::kGetInstrumentationConfigurationStatus) {
    // A location hash that names nothing: refused for permission before existence.
    in["Service"] = kProbeName;
    in["Environment"] = kProbeName;
    in["InstrumentationType"] = "BREAKPOINT";
    in["SignalType"] = "SNAPSHOT";
    in["LocationIdentifier"] = json::object{{"LocationHash", "0000000000000000"}};
    p.not_found_ok = true;
    // CreateInstrumentationConfiguration, DeleteInstrumentationConfiguration and
    // BatchDeleteInstrumentationConfigurations change the account: never probed (they fall through to
    // "not probed" below).
  } else if (op == ops::kGetMetricData) {
    in = window(now, 3600);
    json::object metric;
    metric["Namespace"] = "ApplicationSignals";
    metric["MetricName"] = "Latency";
    json::object stat;
    stat["Metric"] = std::move(metric);
    stat["Period"] = 3600;
    stat["Stat"] = "Average";
    json::object query;
    query["Id"] = "probe";
    query["MetricStat"] = std::move(stat);
    in["MetricDataQueries"] = json::array{std::move(query)};
  } else if (op == ops::kGetMetricStatistics) {
    in = window(now, 3600);
    in["Namespace"] = "ApplicationSignals";
    in["MetricName"] = "Latency";
    in["Period"] = 3600;
    in["Statistics"] = json::array{"Average"};
  } else if (op == ops::kDescribeAlarms) {
    in["MaxRecords"] = 1;
  } else if (op == ops::kStartQuery) {
    // A query over a log group that does not exist: refused for permission before existence.
    in["logGroupName"] = std::string("/") + kProbeName;
    in["startTime"] = now - 60;
    in["endTime"] = now;
    in["queryString"] = "fields @timestamp | limit 1";
    p.not_found_ok = true;
  } else if (op == ops::kGetQueryResults || op == ops::kStopQuery) {
    in["queryId"] = "00000000-0000-0000-0000-000000000000";
    p.not_found_ok = true;
    p.invalid_ok = true;
  } else if (op == ops::kFilterLogEvents) {
    in["logGroupName"] = std::string("/") + kProbeName;
    in["limit"] = 1;
    p.not_found_ok = true;
  } else if (op == ops::kListLogAnomalyDetectors) {
    in["limit"] = 1;
  } else if (op == ops::kListAnomalies) {
    in["limit"] = 1;
  } else if (op == ops::kListAppMonitors) {
    in["MaxResults"] = 1;
  } else if (op == ops::kGetAppMonitor || op == ops::kGetResourcePolicy) {
    in["Name"] = kProbeName;
    p.not_found_ok = true;
  } else if (op == ops::kListTagsForResource) {
    in["ResourceArn"] = std::string("arn:aws:rum:us-east-1:000000000000:appmonitor/") + kProbeName;
    p.not_found_ok = true;
  } else if (op == ops::kDescribeLogGroups) {
    in["limit"] = 1;
  } else if (op == ops::kGetTraceSegmentDestination) {
  } else if (op == ops::kGetTraceSummaries) {
    in = window(now, 300);
  } else if (op == ops::kBatchGetTraces) {
    in["TraceIds"] = json::array{"1-00000000-000000000000000000000000"};
  } else if (op == ops::kGetCanary || op == ops::kGetCanaryRuns) {
    in["Name"] = "appsignals-probe";  // canary names: at most 21 characters
    p.not_found_ok = true;
  } else if (op == ops::kDescribeCanaries) {
    in["MaxResults"] = 1;
  } else if (op == ops::kGetRole || op == ops::kListAttachedRolePolicies) {
    in["RoleName"] = kProbeName;
    p.not_found_ok = true;
  } else if (op == ops::kGetPolicy || op == ops::kGetPolicyVersion) {
    in["PolicyArn"] = std::string("arn:aws:iam::aws:policy/") + kProbeName;
    if (op == ops::kGetPolicyVersion) in["VersionId"] = "v1";
    p.not_found_ok = true;
  } else if (op == ops::kGetCallerIdentity) {
  } else if (op == ops::kGetFunction) {
    in["FunctionName"] = kProbeName;
    p.not_found_ok = true;
  } else {
    // Not probed here: S3 (needs a bucket: check probes it on a canary's artifact bucket), the
    // PromQL query API (QueryMetrics, GetSeries, GetLabels: GET /api/v1/..., outside the
    // CloudWatch model; check proves them with aws::PromqlClient reads of a metric that does not
    // exist), AssumeRole (not a read), writes, anything unknown.
    return std::nullopt;
  }
  return p;
}

}  // namespace appsignals

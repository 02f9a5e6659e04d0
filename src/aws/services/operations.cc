#include "aws/services/operations.h"

namespace appsignals::aws {
namespace {

using L = Location;

const std::vector<RestOperation>& application_signals_ops() {
  static const std::vector<RestOperation> ops = {
      {"ListServices", "GET", "/services",
       {{"StartTime", L::kQuery, "StartTime"}, {"EndTime", L::kQuery, "EndTime"},
        {"MaxResults", L::kQuery, "MaxResults"}, {"NextToken", L::kQuery, "NextToken"},
        {"IncludeLinkedAccounts", L::kQuery, "IncludeLinkedAccounts"}, {"AwsAccountId", L::kQuery, "AwsAccountId"}},
       false},
      {"GetService", "POST", "/service", {{"StartTime", L::kQuery, "StartTime"}, {"EndTime", L::kQuery, "EndTime"}}},
      {"ListServiceOperations", "POST", "/service-operations",
       {{"StartTime", L::kQuery, "StartTime"}, {"EndTime", L::kQuery, "EndTime"},
        {"MaxResults", L::kQuery, "MaxResults"}, {"NextToken", L::kQuery, "NextToken"}}},
      {"ListServiceLevelObjectives", "POST", "/slos",
       {{"OperationName", L::kQuery, "OperationName"}, {"MaxResults", L::kQuery, "MaxResults"},
        {"NextToken", L::kQuery, "NextToken"}, {"IncludeLinkedAccounts", L::kQuery, "IncludeLinkedAccounts"},
        {"SloOwnerAwsAccountId", L::kQuery, "SloOwnerAwsAccountId"}}},
      {"GetServiceLevelObjective", "GET", "/slo/{Id}", {{"Id", L::kUri, "Id"}}, false},
      {"ListAuditFindings", "POST", "/auditFindings",
       {{"StartTime", L::kQuery, "StartTime"}, {"EndTime", L::kQuery, "EndTime"}}},
      {"ListServiceDependencies", "POST", "/service-dependencies",
       {{"StartTime", L::kQuery, "StartTime"}, {"EndTime", L::kQuery, "EndTime"},
        {"MaxResults", L::kQuery, "MaxResults"}, {"NextToken", L::kQuery, "NextToken"}}},
      {"ListServiceDependents", "POST", "/service-dependents",
       {{"StartTime", L::kQuery, "StartTime"}, {"EndTime", L::kQuery, "EndTime"},
        {"MaxResults", L::kQuery, "MaxResults"}, {"NextToken", L::kQuery, "NextToken"}}},
      {"ListServiceStates", "POST", "/service/states", {}},
      {"ListGroupingAttributeDefinitions", "POST", "/grouping-attribute-definitions",
       {{"NextToken", L::kQuery, "NextToken"}, {"AwsAccountId", L::kQuery, "AwsAccountId"},
        {"IncludeLinkedAccounts", L::kQuery, "IncludeLinkedAccounts"}}},
      {"ListEntityEvents", "POST", "/events",
       {{"MaxResults", L::kQuery, "MaxResults"}, {"NextToken", L::kQuery, "NextToken"}}},
      {"BatchGetServiceLevelObjectiveBudgetReport", "POST", "/budget-report", {}},
      {"CreateInstrumentationConfiguration", "POST", "/create-instrumentation-configuration", {}},
      {"ListInstrumentationConfigurations", "POST", "/list-instrumentation-configurations", {}},
      {"GetInstrumentationConfiguration", "POST", "/get-instrumentation-configuration", {}},
      {"DeleteInstrumentationConfiguration", "POST", "/delete-instrumentation-configuration", {}},
      {"BatchDeleteInstrumentationConfigurations", "POST", "/batch-delete-instrumentation-configurations", {}},
      {"GetInstrumentationConfigurationStatus", "POST", "/get-instrumentation-configuration-status", {}},
  };
  return ops;
}

const std::vector<RestOperation>& xray_ops() {
  static const std::vector<RestOperation> ops = {
      {"GetTraceSegmentDestination", "POST", "/GetTraceSegmentDestination", {}},
      {"GetTraceSummaries", "POST", "/TraceSummaries", {}},
      {"BatchGetTraces", "POST", "/Traces", {}},
  };
  return ops;
}

const std::vector<RestOperation>& synthetics_ops() {
  static const std::vector<RestOperation> ops = {
      {"GetCanary", "GET", "/canary/{name}", {{"Name", L::kUri, "name"}, {"DryRunId", L::kQuery, "dryRunId"}}, false},
      {"GetCanaryRuns", "POST", "/canary/{name}/runs", {{"Name", L::kUri, "name"}}},
      {"DescribeCanaries", "POST", "/canaries", {}},
  };
  return ops;
}

const std::vector<RestOperation>& lambda_ops() {
  static const std::vector<RestOperation> ops = {
      {"GetFunction", "GET", "/2015-03-31/functions/{FunctionName}",
       {{"FunctionName", L::kUri, "FunctionName"}, {"Qualifier", L::kQuery, "Qualifier"}}, false},
      {"ListFunctions", "GET", "/2015-03-31/functions/",
       {{"Marker", L::kQuery, "Marker"}, {"MaxItems", L::kQuery, "MaxItems"}}, false},
  };
  return ops;
}

const std::vector<RestOperation>& rum_ops() {
  static const std::vector<RestOperation> ops = {
      {"ListAppMonitors", "POST", "/appmonitors",
       {{"MaxResults", L::kQuery, "maxResults"}, {"NextToken", L::kQuery, "nextToken"}}, false},
      {"GetAppMonitor", "GET", "/appmonitor/{Name}", {{"Name", L::kUri, "Name"}}, false},
      {"ListTagsForResource", "GET", "/tags/{ResourceArn}", {{"ResourceArn", L::kUri, "ResourceArn"}}, false},
      {"GetResourcePolicy", "GET", "/appmonitor/{Name}/policy", {{"Name", L::kUri, "Name"}}, false},
  };
  return ops;
}

const std::vector<Paginator>& paginators() {
  static const std::vector<Paginator> p = {
      {"ListServices", "NextToken", "NextToken", "ServiceSummaries"},
      {"ListServiceOperations", "NextToken", "NextToken", "ServiceOperations"},
      {"ListServiceLevelObjectives", "NextToken", "NextToken", "SloSummaries"},
      {"ListServiceDependencies", "NextToken", "NextToken", "ServiceDependencies"},
      {"ListServiceDependents", "NextToken", "NextToken", "ServiceDependents"},
      {"ListServiceStates", "NextToken", "NextToken", "ServiceStates"},
      {"ListEntityEvents", "NextToken", "NextToken", "ChangeEvents"},
      {"GetTraceSummaries", "NextToken", "NextToken", "TraceSummaries"},
      {"BatchGetTraces", "NextToken", "NextToken", "Traces"},
      {"GetCanaryRuns", "NextToken", "NextToken", "CanaryRuns"},
      {"DescribeCanaries", "NextToken", "NextToken", "Canaries"},
      {"FilterLogEvents", "nextToken", "nextToken", "events"},
      {"DescribeLogGroups", "nextToken", "nextToken", "logGroups"},
      {"GetMetricData", "NextToken", "NextToken", "MetricDataResults"},
      {"DescribeAlarms", "NextToken", "NextToken", "MetricAlarms"},
      {"ListAttachedRolePolicies", "Marker", "Marker", "AttachedPolicies"},
      {"ListObjectsV2", "ContinuationToken", "NextContinuationToken", "Contents"},
      {"ListAppMonitors", "NextToken", "NextToken", "AppMonitorSummaries"},
      {"ListLogAnomalyDetectors", "nextToken", "nextToken", "anomalyDetectors"},
      {"ListAnomalies", "nextToken", "nextToken", "anomalies"},
  };
  return p;
}

}  // namespace

const RestOperation* find_rest_operation(const ServiceInfo& service, std::string_view operation) {
  const std::vector<RestOperation>* table = nullptr;
  if (service.endpoint_prefix == "application-signals") table = &application_signals_ops();
  else if (service.endpoint_prefix == "xray") table = &xray_ops();
  else if (service.endpoint_prefix == "synthetics") table = &synthetics_ops();
  else if (service.endpoint_prefix == "lambda") table = &lambda_ops();
  else if (service.endpoint_prefix == "rum") table = &rum_ops();
  if (!table) return nullptr;
  for (const auto& op : *table)
    if (op.name == operation) return &op;
  return nullptr;
}

const Paginator* find_paginator(const ServiceInfo&, std::string_view operation) {
  for (const auto& p : paginators())
    if (p.operation == operation) return &p;
  return nullptr;
}

}  // namespace appsignals::aws

#pragma once
// The AWS operations the product calls: the only place an operation's name and its IAM action
// are written. The typed clients call by Op (ServiceClient::call(const Op&, ...)), the fake AWS
// keeps exactly these operations of the models (model_trim), `appsignals-mcp check` probes
// every IAM action the enabled tools declare, and the tools' "missing permission" hints quote
// Op::iam_action.
//
// Header-only and constexpr: the build-time model trimmer uses it without the aws library.
#include <span>
#include <string_view>

namespace appsignals::aws {

struct Op {
  std::string_view service;     // ServiceInfo::endpoint_prefix: "application-signals", "monitoring", "logs", ...
  std::string_view name;        // model operation name, e.g. "ListServices"
  std::string_view iam_action;  // e.g. "application-signals:ListServices"

  constexpr bool operator==(const Op& other) const { return service == other.service && name == other.name; }
};

namespace ops {
// Application Signals
inline constexpr Op kListServices{"application-signals", "ListServices", "application-signals:ListServices"};
inline constexpr Op kGetService{"application-signals", "GetService", "application-signals:GetService"};
inline constexpr Op kListServiceOperations{"application-signals", "ListServiceOperations",
                                           "application-signals:ListServiceOperations"};
inline constexpr Op kListServiceLevelObjectives{"application-signals", "ListServiceLevelObjectives",
                                                "application-signals:ListServiceLevelObjectives"};
inline constexpr Op kGetServiceLevelObjective{"application-signals", "GetServiceLevelObjective",
                                              "application-signals:GetServiceLevelObjective"};
inline constexpr Op kBatchGetServiceLevelObjectiveBudgetReport{
    "application-signals", "BatchGetServiceLevelObjectiveBudgetReport",
    "application-signals:BatchGetServiceLevelObjectiveBudgetReport"};
inline constexpr Op kListServiceDependencies{"application-signals", "ListServiceDependencies",
                                             "application-signals:ListServiceDependencies"};
inline constexpr Op kListServiceDependents{"application-signals", "ListServiceDependents",
                                           "application-signals:ListServiceDependents"};
inline constexpr Op kListAuditFindings{"application-signals", "ListAuditFindings",
                                       "application-signals:ListAuditFindings"};
inline constexpr Op kListServiceStates{"application-signals", "ListServiceStates",
                                       "application-signals:ListServiceStates"};
inline constexpr Op kListGroupingAttributeDefinitions{"application-signals", "ListGroupingAttributeDefinitions",
                                                      "application-signals:ListGroupingAttributeDefinitions"};
inline constexpr Op kListEntityEvents{"application-signals", "ListEntityEvents",
                                      "application-signals:ListEntityEvents"};
// Application Signals dynamic instrumentation (Create/Delete/BatchDelete write to the account)
inline constexpr Op kCreateInstrumentationConfiguration{"application-signals", "CreateInstrumentationConfiguration",
                                                        "application-signals:CreateInstrumentationConfiguration"};
inline constexpr Op kListInstrumentationConfigurations{"application-signals", "ListInstrumentationConfigurations",
                                                       "application-signals:ListInstrumentationConfigurations"};
inline constexpr Op kGetInstrumentationConfiguration{"application-signals", "GetInstrumentationConfiguration",
                                                     "application-signals:GetInstrumentationConfiguration"};
inline constexpr Op kDeleteInstrumentationConfiguration{"application-signals", "DeleteInstrumentationConfiguration",
                                                        "application-signals:DeleteInstrumentationConfiguration"};
inline constexpr Op kBatchDeleteInstrumentationConfigurations{
    "application-signals", "BatchDeleteInstrumentationConfigurations",
    "application-signals:BatchDeleteInstrumentationConfigurations"};
inline constexpr Op kGetInstrumentationConfigurationStatus{"application-signals",
                                                           "GetInstrumentationConfigurationStatus",
                                                           "application-signals:GetInstrumentationConfigurationStatus"};
// CloudWatch
inline constexpr Op kGetMetricData{"monitoring", "GetMetricData", "cloudwatch:GetMetricData"};
inline constexpr Op kGetMetricStatistics{"monitoring", "GetMetricStatistics", "cloudwatch:GetMetricStatistics"};
inline constexpr Op kDescribeAlarms{"monitoring", "DescribeAlarms", "cloudwatch:DescribeAlarms"};
// CloudWatch's Prometheus-compatible query API (aws/services/promql_client.h): GET
// /api/v1/query and query_range (QueryMetrics), /api/v1/series (GetSeries), /api/v1/labels and
// /api/v1/label/<name>/values (GetLabels). They are not in the CloudWatch model. The operation
// names are the documented ones; the IAM actions "cloudwatch:<Operation>" are our reading of the
// "PromQL querying" page and could not be confirmed from a policy reference.
inline constexpr Op kQueryMetrics{"monitoring", "QueryMetrics", "cloudwatch:QueryMetrics"};
inline constexpr Op kGetSeries{"monitoring", "GetSeries", "cloudwatch:GetSeries"};
inline constexpr Op kGetLabels{"monitoring", "GetLabels", "cloudwatch:GetLabels"};
// CloudWatch Logs
inline constexpr Op kStartQuery{"logs", "StartQuery", "logs:StartQuery"};
inline constexpr Op kGetQueryResults{"logs", "GetQueryResults", "logs:GetQueryResults"};
inline constexpr Op kStopQuery{"logs", "StopQuery", "logs:StopQuery"};
inline constexpr Op kFilterLogEvents{"logs", "FilterLogEvents", "logs:FilterLogEvents"};
inline constexpr Op kDescribeLogGroups{"logs", "DescribeLogGroups", "logs:DescribeLogGroups"};
inline constexpr Op kListLogAnomalyDetectors{"logs", "ListLogAnomalyDetectors", "logs:ListLogAnomalyDetectors"};
inline constexpr Op kListAnomalies{"logs", "ListAnomalies", "logs:ListAnomalies"};
// X-Ray
inline constexpr Op kGetTraceSegmentDestination{"xray", "GetTraceSegmentDestination",
                                                "xray:GetTraceSegmentDestination"};
inline constexpr Op kGetTraceSummaries{"xray", "GetTraceSummaries", "xray:GetTraceSummaries"};
inline constexpr Op kBatchGetTraces{"xray", "BatchGetTraces", "xray:BatchGetTraces"};
// Synthetics
inline constexpr Op kGetCanary{"synthetics", "GetCanary", "synthetics:GetCanary"};
inline constexpr Op kGetCanaryRuns{"synthetics", "GetCanaryRuns", "synthetics:GetCanaryRuns"};
inline constexpr Op kDescribeCanaries{"synthetics", "DescribeCanaries", "synthetics:DescribeCanaries"};
// S3 (the IAM action of ListObjectsV2 is s3:ListBucket)
inline constexpr Op kListObjectsV2{"s3", "ListObjectsV2", "s3:ListBucket"};
inline constexpr Op kGetObject{"s3", "GetObject", "s3:GetObject"};
// IAM
inline constexpr Op kGetRole{"iam", "GetRole", "iam:GetRole"};
inline constexpr Op kListAttachedRolePolicies{"iam", "ListAttachedRolePolicies", "iam:ListAttachedRolePolicies"};
inline constexpr Op kGetPolicy{"iam", "GetPolicy", "iam:GetPolicy"};
inline constexpr Op kGetPolicyVersion{"iam", "GetPolicyVersion", "iam:GetPolicyVersion"};
// STS
inline constexpr Op kGetCallerIdentity{"sts", "GetCallerIdentity", "sts:GetCallerIdentity"};
inline constexpr Op kAssumeRole{"sts", "AssumeRole", "sts:AssumeRole"};
// Lambda
inline constexpr Op kGetFunction{"lambda", "GetFunction", "lambda:GetFunction"};
// CloudWatch RUM
inline constexpr Op kListAppMonitors{"rum", "ListAppMonitors", "rum:ListAppMonitors"};
inline constexpr Op kGetAppMonitor{"rum", "GetAppMonitor", "rum:GetAppMonitor"};
inline constexpr Op kListTagsForResource{"rum", "ListTagsForResource", "rum:ListTagsForResource"};
inline constexpr Op kGetResourcePolicy{"rum", "GetResourcePolicy", "rum:GetResourcePolicy"};

// Every operation above, in the order written.
inline constexpr Op kAll[] = {
    kListServices, kGetService, kListServiceOperations, kListServiceLevelObjectives, kGetServiceLevelObjective,
    kBatchGetServiceLevelObjectiveBudgetReport, kListServiceDependencies, kListServiceDependents,
    kListAuditFindings, kListServiceStates, kListGroupingAttributeDefinitions, kListEntityEvents,
    kCreateInstrumentationConfiguration, kListInstrumentationConfigurations, kGetInstrumentationConfiguration,
    kDeleteInstrumentationConfiguration, kBatchDeleteInstrumentationConfigurations,
    kGetInstrumentationConfigurationStatus,
    kGetMetricData, kGetMetricStatistics, kDescribeAlarms, kQueryMetrics, kGetSeries, kGetLabels,
    kStartQuery, kGetQueryResults, kStopQuery, kFilterLogEvents, kDescribeLogGroups,
    kListLogAnomalyDetectors, kListAnomalies,
    kGetTraceSegmentDestination, kGetTraceSummaries, kBatchGetTraces,
    kGetCanary, kGetCanaryRuns, kDescribeCanaries,
    kListObjectsV2, kGetObject,
    kGetRole, kListAttachedRolePolicies, kGetPolicy, kGetPolicyVersion,
    kGetCallerIdentity, kAssumeRole,
    kGetFunction,
    kListAppMonitors, kGetAppMonitor, kListTagsForResource, kGetResourcePolicy,
};
}  // namespace ops

inline constexpr std::span<const Op> all_ops() { return ops::kAll; }

}  // namespace appsignals::aws

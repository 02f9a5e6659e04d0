// The service_events tools through the MCP engine, against the fake account's story: payments was
// deployed 170 minutes ago (commit 8c1f4e2a…), its DynamoDB table payments-ledger throttled from
// 130 to 100 minutes ago, and payments.ledger.write_entry is the function that failed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>

#include <boost/json/serialize.hpp>

#include "tool_harness.h"

namespace appsignals::testing {
namespace {

ToolHarness::Registrar registrar() { return &tools::register_toolset<&tools::service_events_tools>; }

json::object structured(const ToolCallResult& r) { return r.result.at("structuredContent").as_object(); }
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

constexpr const char* kCommit = "8c1f4e2a9b7d3c605e1a2f4b8d9c0e7a6b5c4d3e";

TEST(ListMonitoredFunctions, FilterErrorsPutsTheLedgerWriteFirst) {
  ToolHarness h(registrar());
  auto r = h.call("list_monitored_functions", json::object{{"filter", "errors"}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_EQ(s.at("data_source").as_string(), "cloudwatch_metrics_v2");
  EXPECT_EQ(s.at("sort_by").as_string(), "errors");
  const auto& fns = s.at("functions").as_array();
  ASSERT_GE(fns.size(), 2u) << r.text;
  const auto& first = fns[0].as_object();
  EXPECT_EQ(first.at("function").as_string(), "payments.ledger.write_entry");
  EXPECT_GT(first.at("errors").as_int64(), 600);
  for (const auto& f : fns) EXPECT_GT(f.as_object().at("errors").as_int64(), 0);
  // The queries went to the PromQL API with quoted dotted names.
  bool promql = false;
  for (const auto& req : h.requests())
    if (req.operation == "QueryMetrics" && req.input.contains("query"))
      promql |= contains(std::string(req.input.at("query").as_string()), R"({"service.function.duration")");
  EXPECT_TRUE(promql);
}

TEST(ListMonitoredFunctions, SlowFilterAndScopeByService) {
  ToolHarness h(registrar());
  auto r = h.call("list_monitored_functions",
                  json::object{{"filter", "slow"}, {"threshold_ms", "140"}, {"service_name", "checkout"}, {"hours", "24h"}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  const auto& fns = s.at("functions").as_array();
  ASSERT_EQ(fns.size(), 1u) << r.text;
  EXPECT_EQ(fns[0].as_object().at("function").as_string(), "checkout.payment.call_payments");
}

TEST(ListMonitoredFunctions, DeniedQueryNamesTheAction) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"QueryMetrics", fakeaws::FaultKind::kAccessDenied, 1});
  auto r = h.call("list_monitored_functions", json::object{});
  EXPECT_TRUE(contains(r.text, "cloudwatch:QueryMetrics")) << r.text;
}

TEST(GetIncidentRootCause, NamesTheThrottledTableAndTheFailingFrame) {
  ToolHarness h(registrar());
  auto list = h.call("get_service_health_overview", json::object{{"service_name", "payments"}});
  ASSERT_FALSE(list.is_error) << list.text;
  std::string id;
  auto overview = structured(list);
  for (const auto& i : overview.at("recent_incidents").as_array())
    if (i.as_object().at("trigger_type").as_string() == "exception") id = i.as_object().at("snapshot_id").as_string().c_str();
  ASSERT_FALSE(id.empty()) << list.text;
  auto r = h.call("get_incident_root_cause", json::object{{"snapshot_id", id}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_TRUE(s.at("found").as_bool());
  EXPECT_EQ(s.at("exception_type").as_string(), "ProvisionedThroughputExceededException");
  EXPECT_EQ(s.at("failing_frame").as_string(), "dynamodb.PutItem payments-ledger");
  EXPECT_TRUE(contains(std::string(s.at("root_cause").as_string()), "payments-ledger")) << r.text;
  std::string tree(s.at("call_tree").as_string());
  EXPECT_TRUE(contains(tree, "payments.ledger.write_entry")) << tree;
  EXPECT_TRUE(contains(tree, "payments-ledger [")) << tree;
  EXPECT_TRUE(contains(tree, "★ ERROR")) << tree;
  EXPECT_TRUE(s.contains("telemetry_correlation")) << r.text;
}

TEST(GetIncidentRootCause, UnknownSnapshotSaysWhereToFindIds) {
  ToolHarness h(registrar());
  auto r = h.call("get_incident_root_cause", json::object{{"snapshot_id", "snap-nope"}, {"service_name", "payments"}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_FALSE(s.at("found").as_bool());
  EXPECT_TRUE(contains(std::string(s.at("message").as_string()), "get_recent_incidents"));
}

TEST(FindDeployment, ReturnsTheCommitOfThePaymentsDeployment) {
  ToolHarness h(registrar());
  auto r = h.call("find_deployment", json::object{{"service_name", "payments"}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  const auto& d = s.at("deployments").as_array();
  ASSERT_EQ(d.size(), 2u) << r.text;
  const auto& newest = d[0].as_object();
  EXPECT_EQ(newest.at("git_commit_sha").as_string(), kCommit);
  EXPECT_NEAR(newest.at("hours_since_deployment").to_number<double>(), 2.8, 0.05);
  // Periodic heartbeats of the same commit are collapsed into it.
  EXPECT_GT(newest.at("events").as_int64(), 1);
  auto by_prefix = h.call("find_deployment", json::object{{"git_commit_sha", "8C1F4E2A"}});
  ASSERT_FALSE(by_prefix.is_error) << by_prefix.text;
  ASSERT_EQ(structured(by_prefix).at("deployments").as_array().size(), 1u) << by_prefix.text;
  auto missing = h.call("find_deployment", json::object{{"git_commit_sha", "deadbeef"}});
  EXPECT_TRUE(contains(missing.text, "8c1f4e2a9b7d")) << missing.text;
}

TEST(FindDeployment, HonoursTheLogGroupPrefix) {
  ::setenv("SERVICE_EVENTS_LOG_GROUP_PREFIX", "/custom/events/", 1);
  ToolHarness h(registrar());
  auto r = h.call("find_deployment", json::object{{"service_name", "payments"}});
  ::unsetenv("SERVICE_EVENTS_LOG_GROUP_PREFIX");
  EXPECT_TRUE(r.is_error || contains(r.text, "/custom/events/payments") ||
              structured(r).at("deployments").as_array().empty())
      << r.text;
  bool asked = false;
  for (const auto& req : h.requests())
    if (req.operation == "StartQuery")
      asked |= req.input.at("logGroupNames").as_array().at(0).as_string() == "/custom/events/payments";
  EXPECT_TRUE(asked);
}

TEST(GetServiceHealthOverview, ErrorPatternRoseAfterTheDeployment) {
  ToolHarness h(registrar());
  auto r = h.call("get_service_health_overview", json::object{{"service_name", "payments"}, {"detail", "comprehensive"}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_EQ(s.at("top_error_functions").as_array().at(0).as_object().at("function").as_string(),
            "payments.ledger.write_entry");
  const auto& cmp = s.at("error_pattern_comparison").as_object();
  EXPECT_EQ(cmp.at("basis").as_string(), "deployment");
  EXPECT_EQ(cmp.at("deployment").as_object().at("git_commit_sha").as_string(), kCommit);
  bool throttling_new = false, conditional_new = false;
  for (const auto& p : cmp.at("patterns").as_array()) {
    const auto& o = p.as_object();
    if (o.at("exception").as_string() == "ProvisionedThroughputExceededException")
      throttling_new = o.at("status").as_string() == "new" && o.at("after").as_int64() >= 600;
    if (o.at("exception").as_string() == "ConditionalCheckFailedException")
      conditional_new = o.at("status").as_string() == "new";
  }
  EXPECT_TRUE(throttling_new) << r.text;
  EXPECT_TRUE(conditional_new) << r.text;
  EXPECT_FALSE(s.at("endpoints").as_array().empty());
  EXPECT_TRUE(contains(std::string(s.at("service_inventory").as_string()), "payments"));
}

TEST(GetServiceHealthOverview, ShowsSloComplianceWithTheNextCall) {
  ToolHarness h(registrar());
  auto r = h.call("get_service_health_overview", json::object{{"service_name", "payments"}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  const auto& slo = s.at("slo_compliance").as_object();
  EXPECT_EQ(slo.at("total_slos").as_int64(), 1) << r.text;
  EXPECT_EQ(slo.at("breached").as_int64(), 1) << r.text;
  const auto& first = slo.at("slos").as_array().at(0).as_object();
  EXPECT_EQ(first.at("name").as_string(), "payments-charge-availability");
  EXPECT_EQ(first.at("status").as_string(), "BREACHED");
  EXPECT_NEAR(first.at("attainment_pct").to_number<double>(), 98.71, 0.01);
  EXPECT_TRUE(contains(std::string(slo.at("suggested_calls").as_array().at(0).as_string()),
                       "get_recent_incidents(service_name=\"payments\", endpoint=\"POST /payments/charge\")"))
      << r.text;
  // A name typed loosely resolves; one that does not exist is not found, with the closest names.
  auto loose = h.call("get_service_health_overview", json::object{{"service_name", "PAYMENTS"}});
  ASSERT_FALSE(loose.is_error) << loose.text;
  EXPECT_EQ(structured(loose).at("service_name").as_string(), "payments");
  auto unknown = h.call("get_service_health_overview", json::object{{"service_name", "paymints-gateway-xyz"}});
  EXPECT_TRUE(unknown.is_error) << unknown.text;
  EXPECT_TRUE(contains(unknown.text, "paymints-gateway-xyz")) << unknown.text;
  // Without a service: every SLO, breached first.
  auto all = h.call("get_service_health_overview", json::object{});
  ASSERT_FALSE(all.is_error) << all.text;
  auto all_s = structured(all);
  const auto& all_slo = all_s.at("slo_compliance").as_object();
  EXPECT_GE(all_slo.at("total_slos").as_int64(), 6) << all.text;
  EXPECT_EQ(all_slo.at("slos").as_array().at(0).as_object().at("status").as_string(), "BREACHED");
}

TEST(GetServiceHealthOverview, DeniedSloReadKeepsTheRestAndNamesTheAction) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"BatchGetServiceLevelObjectiveBudgetReport", fakeaws::FaultKind::kAccessDenied, -1});
  auto r = h.call("get_service_health_overview", json::object{{"service_name", "payments"}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_TRUE(contains(std::string(s.at("slo_compliance").as_object().at("unavailable").as_string()),
                       "application-signals:BatchGetServiceLevelObjectiveBudgetReport"))
      << r.text;
  EXPECT_FALSE(s.at("top_error_functions").as_array().empty());
}

TEST(GetFunctionMetrics, LenientNameTrendAndIncidents) {
  ToolHarness h(registrar());
  auto r = h.call("get_function_metrics",
                  json::object{{"function_name", "Payments.Ledger.Write_Entry"}, {"include_exceptions", "true"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "resolved function")) << r.text;
  auto s = structured(r);
  EXPECT_EQ(s.at("function").as_string(), "payments.ledger.write_entry");
  EXPECT_GT(s.at("summary").as_object().at("errors").as_int64(), 600) << r.text;
  // The trend shows when it started failing: no errors a day ago, hundreds in the throttling hours.
  const auto& trend = s.at("trend").as_array();
  ASSERT_EQ(trend.size(), 24u) << r.text;
  EXPECT_EQ(trend.front().as_object().at("errors").as_int64(), 0);
  std::int64_t peak = 0;
  for (const auto& p : trend) peak = std::max(peak, p.as_object().at("errors").as_int64());
  EXPECT_GT(peak, 300) << r.text;
  const auto& incidents = s.at("incidents").as_array();
  ASSERT_FALSE(incidents.empty()) << r.text;
  EXPECT_EQ(incidents[0].as_object().at("exception_type").as_string(), "ProvisionedThroughputExceededException");
  bool scoped = false;
  for (const auto& req : h.requests())
    if (req.operation == "QueryMetrics" && req.input.contains("query"))
      scoped |= contains(std::string(req.input.at("query").as_string()), R"("function.name"="payments.ledger.write_entry")");
  EXPECT_TRUE(scoped);
}

TEST(GetFunctionMetrics, UnknownFunctionIsNotFoundWithTheClosestNames) {
  ToolHarness h(registrar());
  auto r = h.call("get_function_metrics", json::object{{"function_name", "ledger.delete_entry"}});
  EXPECT_TRUE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "ledger.delete_entry")) << r.text;
  EXPECT_TRUE(contains(r.text, "search_functions_by_name")) << r.text;
}

TEST(SearchFunctionsByName, EveryWordIgnoringCaseAndSeparators) {
  ToolHarness h(registrar());
  auto r = h.call("search_functions_by_name", json::object{{"query", "Ledger WRITE"}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  ASSERT_EQ(s.at("functions").as_array().size(), 1u) << r.text;
  EXPECT_EQ(s.at("functions").as_array()[0].as_string(), "payments.ledger.write_entry");
  bool labels = false;
  for (const auto& req : h.requests()) labels |= req.operation == "GetLabels";
  EXPECT_TRUE(labels);
  auto many = h.call("search_functions_by_name", json::object{{"query", "payments"}, {"limit", 2}});
  auto m = structured(many);
  EXPECT_EQ(m.at("functions").as_array().size(), 2u) << many.text;
  EXPECT_EQ(m.at("total_matches").as_int64(), 7) << many.text;  // 6 payments.* and checkout.payment.call_payments
  EXPECT_TRUE(m.contains("more")) << many.text;
}

TEST(SearchFunctionsByName, ScopeNarrowsAndNothingMatchingGivesTheClosest) {
  ToolHarness h(registrar());
  auto r = h.call("search_functions_by_name",
                  json::object{{"query", "checkout.cart.price_itemz"}, {"service_name", "checkout"}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_TRUE(s.at("functions").as_array().empty()) << r.text;
  EXPECT_EQ(s.at("monitored_functions").as_int64(), 2) << r.text;
  ASSERT_FALSE(s.at("closest").as_array().empty()) << r.text;
  EXPECT_EQ(s.at("closest").as_array()[0].as_string(), "checkout.cart.price_items") << r.text;
}

TEST(GetEndpointPerformance, NamedServiceUsesApplicationSignalsOperationMetrics) {
  ToolHarness h(registrar());
  auto r = h.call("get_endpoint_performance", json::object{{"service_name", "Payments"}, {"percentile", "p95"}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_EQ(s.at("data_source").as_string(), "application_signals");
  EXPECT_EQ(s.at("total_endpoints").as_int64(), 3) << r.text;
  const auto& first = s.at("endpoints").as_array().at(0).as_object();
  EXPECT_EQ(first.at("operation").as_string(), "POST /payments/charge");
  EXPECT_GT(first.at("faults").as_int64(), 0) << r.text;
  EXPECT_TRUE(first.contains("p95_latency_ms")) << r.text;
  bool metric_data = false, logs = false;
  for (const auto& req : h.requests()) {
    metric_data |= req.operation == "GetMetricData";
    logs |= req.operation == "StartQuery";
  }
  EXPECT_TRUE(metric_data);
  EXPECT_FALSE(logs);
  auto one = h.call("get_endpoint_performance", json::object{{"service_name", "payments"}, {"operation", "refund"}});
  ASSERT_FALSE(one.is_error) << one.text;
  ASSERT_EQ(structured(one).at("endpoints").as_array().size(), 1u) << one.text;
  EXPECT_EQ(structured(one).at("endpoints").as_array()[0].as_object().at("operation").as_string(), "POST /payments/refund");
  auto unknown = h.call("get_endpoint_performance", json::object{{"service_name", "paymentz-svc-nope"}});
  EXPECT_TRUE(unknown.is_error) << unknown.text;
}

TEST(GetEndpointPerformance, OperationsAreListedOverAtMostADay) {
  ToolHarness h(registrar());
  auto r = h.call("get_endpoint_performance", json::object{{"service_name", "payments"}, {"hours", 72}});
  ASSERT_FALSE(r.is_error) << r.text;
  bool listed = false;
  for (const auto& req : h.requests())
    if (req.operation == "ListServiceOperations") {
      listed = true;
      auto seconds = [](const json::value& v) {  // ISO-8601 UTC as sent
        std::tm tm{};
        strptime(std::string(v.as_string()).c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
        return static_cast<double>(timegm(&tm));
      };
      double span = seconds(req.input.at("EndTime")) - seconds(req.input.at("StartTime"));
      EXPECT_GT(span, 0.0) << json::serialize(req.input);
      EXPECT_LE(span, 86400.0) << json::serialize(req.input);
    }
  EXPECT_TRUE(listed);
  EXPECT_EQ(structured(r).at("total_endpoints").as_int64(), 3) << r.text;
}

TEST(GetEndpointPerformance, WithoutServiceReadsTheEndpointSummaries) {
  ToolHarness h(registrar());
  auto r = h.call("get_endpoint_performance", json::object{{"percentile", 95}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_EQ(s.at("data_source").as_string(), "service_events");
  EXPECT_TRUE(contains(r.text, "p50 and p99 only")) << r.text;
  bool charge = false, checkout = false;
  for (const auto& e : s.at("endpoints").as_array()) {
    const auto& o = e.as_object();
    if (o.at("operation").as_string() == "POST /payments/charge") charge = o.at("errors").as_int64() >= 600;
    checkout |= o.at("service").as_string() == "checkout";
  }
  EXPECT_TRUE(charge) << r.text;
  EXPECT_TRUE(checkout) << r.text;
}

TEST(GetRecentIncidents, SnapshotsGroupedByOperationAndTrigger) {
  ToolHarness h(registrar());
  auto r = h.call("get_recent_incidents", json::object{});
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_EQ(s.at("data_source").as_string(), "service_events");
  EXPECT_EQ(s.at("total_snapshots").as_int64(), 5) << r.text;
  EXPECT_EQ(s.at("total_unique_incidents").as_int64(), 2) << r.text;
  const auto& first = s.at("incidents").as_array().at(0).as_object();
  EXPECT_EQ(first.at("trigger_type").as_string(), "exception");
  EXPECT_EQ(first.at("occurrences").as_int64(), 4);
  EXPECT_EQ(first.at("function").as_string(), "payments.ledger.write_entry");
  EXPECT_TRUE(first.contains("telemetry_correlation")) << r.text;
  bool described = false;
  for (const auto& req : h.requests()) described |= req.operation == "DescribeLogGroups";
  EXPECT_TRUE(described);
  auto latency = h.call("get_recent_incidents", json::object{{"trigger_type", "LATENCY"}, {"service_name", "payments"}});
  ASSERT_FALSE(latency.is_error) << latency.text;
  auto latency_s = structured(latency);
  const auto& l = latency_s.at("incidents").as_array();
  ASSERT_EQ(l.size(), 1u) << latency.text;
  EXPECT_EQ(l[0].as_object().at("trigger_type").as_string(), "latency");
  auto refund = h.call("get_recent_incidents", json::object{{"endpoint", "refund"}});
  ASSERT_FALSE(refund.is_error) << refund.text;
  EXPECT_TRUE(structured(refund).at("incidents").as_array().empty());
  EXPECT_TRUE(structured(refund).contains("message")) << refund.text;
}

TEST(GetRecentIncidents, FallsBackToTheTraceAuditWithoutServiceEventsLogGroups) {
  ::setenv("SERVICE_EVENTS_LOG_GROUP_PREFIX", "/no/such/prefix/", 1);
  ToolHarness h(registrar());
  auto r = h.call("get_recent_incidents", json::object{});
  ToolHarness denied(registrar());
  denied.arm_fault(fakeaws::FaultSpec{"ListAuditFindings", fakeaws::FaultKind::kAccessDenied, -1});
  auto d = denied.call("get_recent_incidents", json::object{});
  ::unsetenv("SERVICE_EVENTS_LOG_GROUP_PREFIX");
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_EQ(s.at("data_source").as_string(), "application_signals");
  EXPECT_TRUE(contains(std::string(s.at("fallback_reason").as_string()), "/no/such/prefix/")) << r.text;
  EXPECT_TRUE(contains(std::string(s.at("service_level_incidents").as_string()), "payments-ledger")) << r.text;
  bool audited = false;
  for (const auto& req : h.requests())
    if (req.operation == "ListAuditFindings")
      audited |= req.input.at("Auditors").as_array().at(0).as_string() == "trace";
  EXPECT_TRUE(audited);
  EXPECT_TRUE(d.is_error) << d.text;
  EXPECT_TRUE(contains(d.text, "application-signals:ListAuditFindings")) << d.text;
}

}  // namespace
}  // namespace appsignals::testing


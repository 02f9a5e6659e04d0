// The service_events tools through the MCP engine, against the fake account's story: payments was
// deployed 170 minutes ago (commit 8c1f4e2a…), its DynamoDB table payments-ledger throttled from
// 130 to 100 minutes ago, and payments.ledger.write_entry is the function that failed.
#include <gtest/gtest.h>

#include <cstdlib>

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

}  // namespace
}  // namespace appsignals::testing

#include "slo/test_util.h"

#include "golden.h"

namespace appsignals::testing::slo_test {
namespace {

TEST(ListSlis, ReportsTheBreachedSloAndTheHealthyOnes) {
  ToolHarness h(registrar());
  auto r = h.call("list_slis");
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "Summary: 13 services, 6 SLOs")) << r.text;
  EXPECT_TRUE(contains(r.text, "• Breached: 1 services (1 SLOs)")) << r.text;
  EXPECT_TRUE(contains(r.text, "• OK: 5 services (5 SLOs)")) << r.text;
  EXPECT_TRUE(contains(r.text, "• Insufficient data: 7 services")) << r.text;
  EXPECT_TRUE(contains(r.text, "payments (ecs:shop-cluster): 1 of 1 SLOs breached: payments-charge-availability"))
      << r.text;
  EXPECT_TRUE(contains(r.text, "checkout (ecs:shop-cluster): 1 SLOs OK: checkout-latency-p99")) << r.text;
  EXPECT_TRUE(contains(r.text, "Transaction Search: enabled")) << r.text;
}

TEST(ListSlis, FansOutPerServiceAndQueriesBreachedCount) {
  ToolHarness h(registrar());
  auto r = h.call("list_slis", json::object{{"hours", 6}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "last 6 hours")) << r.text;
  EXPECT_EQ(count_ops(h, "ListServiceLevelObjectives"), 13);
  EXPECT_EQ(count_ops(h, "GetMetricData"), 6);  // only the 6 services with SLOs
  for (const auto& req : h.requests()) {
    if (req.operation != "GetMetricData") continue;
    const auto& q = req.input.at("MetricDataQueries").as_array().at(0).as_object();
    const auto& stat = q.at("MetricStat").as_object();
    EXPECT_EQ(stat.at("Metric").at("Namespace"), "AWS/ApplicationSignals");
    EXPECT_EQ(stat.at("Metric").at("MetricName"), "BreachedCount");
    EXPECT_EQ(stat.at("Metric").at("Dimensions").as_array().at(0).at("Name"), "SloName");
    EXPECT_EQ(stat.at("Stat"), "Maximum");
    EXPECT_EQ(stat.at("Period").to_number<std::int64_t>(), 6 * 3600);
  }
}

TEST(ListSlis, HoursAreCappedAt24) {
  ToolHarness h(registrar());
  auto r = h.call("list_slis", json::object{{"hours", 72}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "last 24 hours")) << r.text;
  EXPECT_TRUE(contains(r.text, "Note: hours 72 is above the limit 24: using 24.")) << r.text;
  auto bad = h.call("list_slis", json::object{{"hours", "a day"}});
  EXPECT_TRUE(bad.is_error);
  EXPECT_TRUE(contains(bad.text, "hours")) << bad.text;
}

TEST(ListSlis, FailuresNameTheIamAction) {
  struct Case {
    const char* op;
    const char* action;
  };
  for (auto c : {Case{"ListServices", "application-signals:ListServices"},
                 Case{"ListServiceLevelObjectives", "application-signals:ListServiceLevelObjectives"},
                 Case{"GetMetricData", "cloudwatch:GetMetricData"}}) {
    ToolHarness h(registrar());
    h.arm_fault(fakeaws::FaultSpec{c.op, fakeaws::FaultKind::kAccessDenied, -1});
    auto r = h.call("list_slis");
    // GetMetricData failing degrades per service (services without SLOs never call it).
    EXPECT_EQ(r.is_error, std::string(c.op) != "GetMetricData") << c.op;
    EXPECT_TRUE(contains(r.text, c.action)) << r.text;
  }
}

TEST(ListSlis, OneFailingServiceDegradesToInsufficientDataAndTheReportGoesOn) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"GetMetricData", fakeaws::FaultKind::kAccessDenied, 1});
  auto r = h.call("list_slis");
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "INSUFFICIENT_DATA: could not be checked (GetMetricData failed")) << r.text;
  EXPECT_TRUE(contains(r.text, "grant cloudwatch:GetMetricData")) << r.text;
  EXPECT_TRUE(contains(r.text, "1 services could not be checked")) << r.text;
  EXPECT_TRUE(contains(r.text, "Healthy services:") || contains(r.text, "Breached services:")) << r.text;
}

TEST(ListSlis, ThrottlingPastRetriesIsAnError) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"ListServiceLevelObjectives", fakeaws::FaultKind::kThrottle, -1});
  auto r = h.call("list_slis");
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "throttled")) << r.text;
}

TEST(ListSlis, TransactionSearchFailureStillReports) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"GetTraceSegmentDestination", fakeaws::FaultKind::kAccessDenied, -1});
  auto r = h.call("list_slis");
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "Transaction Search: status unknown")) << r.text;
  EXPECT_TRUE(contains(r.text, "xray:GetTraceSegmentDestination")) << r.text;
  EXPECT_TRUE(contains(r.text, "payments-charge-availability")) << r.text;
}

TEST(ListSlis, Golden) {
  ToolHarness h(registrar());
  auto r = h.call("list_slis");
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("slo/golden/list_slis.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing::slo_test

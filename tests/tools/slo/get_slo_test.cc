#include "slo/test_util.h"

#include "golden.h"

namespace appsignals::testing::slo_test {
namespace {

TEST(GetSlo, RequestBasedSloShowsGoalSliAndBurnRates) {
  ToolHarness h(registrar());
  auto r = h.call("get_slo", json::object{{"slo_id", "payments-charge-availability"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "SLO: payments-charge-availability")) << r.text;
  EXPECT_TRUE(contains(r.text, "Attainment goal: 99.9%")) << r.text;
  EXPECT_TRUE(contains(r.text, "Warning threshold: 30%")) << r.text;
  EXPECT_TRUE(contains(r.text, "Interval: rolling 7 DAY")) << r.text;
  EXPECT_TRUE(contains(r.text, "Request-based SLI")) << r.text;
  EXPECT_TRUE(contains(r.text, "Service: Type=Service, Name=payments, Environment=ecs:shop-cluster")) << r.text;
  EXPECT_TRUE(contains(r.text, "annotation[aws.local.operation]=\"POST /payments/charge\"")) << r.text;
  EXPECT_TRUE(contains(r.text, "Metric type: AVAILABILITY")) << r.text;
  EXPECT_TRUE(contains(r.text, "Bad request count")) << r.text;
  EXPECT_TRUE(contains(r.text, "Burn-rate look-back windows: 60 min, 360 min")) << r.text;
}

TEST(GetSlo, PeriodBasedSloShowsThresholdAndQueries) {
  ToolHarness h(registrar());
  auto r = h.call("get_slo", json::object{{"slo_id", "checkout-latency-p99"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "Period-based SLI")) << r.text;
  EXPECT_TRUE(contains(r.text, "Threshold: LessThan 1500")) << r.text;
  EXPECT_TRUE(contains(r.text, "Metric: ApplicationSignals/Latency")) << r.text;
  EXPECT_TRUE(contains(r.text, "Statistic: p99")) << r.text;
}

TEST(GetSlo, AcceptsTheArn) {
  ToolHarness h(registrar());
  auto r = h.call("get_slo",
                  json::object{{"slo_id", "arn:aws:application-signals:us-east-1:123456789012:slo/visits-latency"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "SLO: visits-latency")) << r.text;
}

TEST(GetSlo, UnknownSloListsTheClosestNames) {
  ToolHarness h(registrar());
  auto r = h.call("get_slo", json::object{{"slo_id", "payments-availability"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "no SLO named 'payments-availability'")) << r.text;
  EXPECT_TRUE(contains(r.text, "payments-charge-availability")) << r.text;
}

TEST(GetSlo, MissingIdIsAnArgumentError) {
  ToolHarness h(registrar());
  auto r = h.call("get_slo", json::object{{"slo_id", ""}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "slo_id")) << r.text;
}

TEST(GetSlo, AwsFailuresNameTheIamAction) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"GetServiceLevelObjective", fakeaws::FaultKind::kAccessDenied, 1});
  auto denied = h.call("get_slo", json::object{{"slo_id", "visits-latency"}});
  EXPECT_TRUE(denied.is_error);
  EXPECT_TRUE(contains(denied.text, "application-signals:GetServiceLevelObjective")) << denied.text;
  h.arm_fault(fakeaws::FaultSpec{"GetServiceLevelObjective", fakeaws::FaultKind::kThrottle, -1});
  auto throttled = h.call("get_slo", json::object{{"slo_id", "visits-latency"}});
  EXPECT_TRUE(throttled.is_error);
  EXPECT_TRUE(contains(throttled.text, "throttled")) << throttled.text;
}

TEST(GetSlo, Golden) {
  ToolHarness h(registrar());
  auto r = h.call("get_slo", json::object{{"slo_id", "payments-charge-availability"}});
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("slo/golden/get_slo.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing::slo_test

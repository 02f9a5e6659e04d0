#include "services/test_util.h"

#include "golden.h"

namespace appsignals::testing::services_test {
namespace {

const json::object* statistics_request(const ToolHarness& h, std::vector<fakeaws::RequestRecord>& keep) {
  keep = h.requests();
  for (const auto& r : keep)
    if (r.operation == "GetMetricStatistics") return &r.input;
  return nullptr;
}

TEST(QueryServiceMetrics, SummarisesLatencyWithTheReferenceDimensions) {
  ToolHarness h(registrar());
  auto r = h.call("query_service_metrics", json::object{{"service_name", "payments"}, {"metric_name", "Latency"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "Metric ApplicationSignals/Latency of payments")) << r.text;
  EXPECT_TRUE(contains(r.text, "period 60 s")) << r.text;
  EXPECT_TRUE(contains(r.text, "Data points: 60")) << r.text;
  EXPECT_TRUE(contains(r.text, "• Average: latest ")) << r.text;
  EXPECT_TRUE(contains(r.text, "• p99: latest ")) << r.text;
  EXPECT_TRUE(contains(r.text, "Most recent 10 values")) << r.text;
  EXPECT_TRUE(contains(r.text, "Milliseconds")) << r.text;
  std::vector<fakeaws::RequestRecord> keep;
  const auto* in = statistics_request(h, keep);
  ASSERT_NE(in, nullptr);
  EXPECT_EQ(in->at("Namespace"), "ApplicationSignals");
  EXPECT_EQ(in->at("Period").to_number<std::int64_t>(), 60);
  EXPECT_EQ(in->at("Dimensions").as_array().size(), 2u);
  EXPECT_EQ(in->at("ExtendedStatistics").as_array().at(0), "p99");
}

TEST(QueryServiceMetrics, PeriodGrowsWithTheWindow) {
  for (auto [hours, period] : {std::pair{3, 60}, {4, 300}, {24, 300}, {25, 3600}, {168, 3600}}) {
    ToolHarness h(registrar());
    auto r = h.call("query_service_metrics", json::object{{"service_name", "checkout"}, {"metric_name", "Fault"},
                                                          {"statistic", "Sum"}, {"hours", hours}});
    ASSERT_FALSE(r.is_error) << r.text;
    std::vector<fakeaws::RequestRecord> keep;
    const auto* in = statistics_request(h, keep);
    ASSERT_NE(in, nullptr);
    EXPECT_EQ(in->at("Period").to_number<std::int64_t>(), period) << hours;
  }
}

TEST(QueryServiceMetrics, EmptyMetricNameListsTheMetrics) {
  ToolHarness h(registrar());
  auto r = h.call("query_service_metrics", json::object{{"service_name", "payments"}, {"metric_name", ""}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "Metrics of payments (3)")) << r.text;
  EXPECT_TRUE(contains(r.text, "• Fault\n  Namespace: ApplicationSignals\n  Metric type: FAULT")) << r.text;
  EXPECT_EQ(count_ops(h, "GetMetricStatistics"), 0);
}

TEST(QueryServiceMetrics, UnknownMetricListsTheAvailableOnes) {
  ToolHarness h(registrar());
  auto r = h.call("query_service_metrics", json::object{{"service_name", "payments"}, {"metric_name", "CPU"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "no metric named 'CPU'")) << r.text;
  EXPECT_TRUE(contains(r.text, "• Latency")) << r.text;
}

TEST(QueryServiceMetrics, BadArgumentsNameTheArgument) {
  ToolHarness h(registrar());
  auto hours = h.call("query_service_metrics",
                      json::object{{"service_name", "payments"}, {"metric_name", "Latency"}, {"hours", "many"}});
  EXPECT_TRUE(hours.is_error);
  EXPECT_TRUE(contains(hours.text, "'hours' must be a whole number")) << hours.text;
  auto clamped = h.call("query_service_metrics",
                        json::object{{"service_name", "payments"}, {"metric_name", "Latency"}, {"hours", 200}});
  EXPECT_FALSE(clamped.is_error) << clamped.text;
  EXPECT_TRUE(contains(clamped.text, "Note: hours 200 is above the limit 168: using 168.")) << clamped.text;
  auto ext = h.call("query_service_metrics", json::object{{"service_name", "payments"}, {"metric_name", "Latency"},
                                                          {"extended_statistic", "99th"}});
  EXPECT_TRUE(ext.is_error);
  EXPECT_TRUE(contains(ext.text, "extended_statistic")) << ext.text;
  auto stat = h.call("query_service_metrics",
                     json::object{{"service_name", "payments"}, {"metric_name", "Latency"}, {"statistic", "median"}});
  EXPECT_TRUE(stat.is_error);
  EXPECT_TRUE(contains(stat.text, "'statistic' must be SampleCount, Average")) << stat.text;
  auto p99 = h.call("query_service_metrics",
                    json::object{{"service_name", "payments"}, {"metric_name", "Latency"}, {"statistic", "P99"}});
  EXPECT_FALSE(p99.is_error) << p99.text;
  EXPECT_TRUE(contains(p99.text, "reading it as extended_statistic=\"p99\"")) << p99.text;
  auto missing = h.call("query_service_metrics", json::object{{"service_name", "payments"}});
  EXPECT_TRUE(missing.is_error);
  EXPECT_TRUE(contains(missing.text, "metric_name")) << missing.text;
}

TEST(QueryServiceMetrics, UnknownServiceListsTheClosestNames) {
  ToolHarness h(registrar());
  auto r = h.call("query_service_metrics", json::object{{"service_name", "invent0ry-svc-x"}, {"metric_name", "Latency"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "inventory")) << r.text;
}

TEST(QueryServiceMetrics, CloudWatchFailuresNameTheIamAction) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"GetMetricStatistics", fakeaws::FaultKind::kAccessDenied, 1});
  auto denied = h.call("query_service_metrics", json::object{{"service_name", "payments"}, {"metric_name", "Latency"}});
  EXPECT_TRUE(denied.is_error);
  EXPECT_TRUE(contains(denied.text, "cloudwatch:GetMetricStatistics")) << denied.text;
  h.arm_fault(fakeaws::FaultSpec{"GetMetricStatistics", fakeaws::FaultKind::kThrottle, -1});
  auto throttled = h.call("query_service_metrics", json::object{{"service_name", "payments"}, {"metric_name", "Latency"}});
  EXPECT_TRUE(throttled.is_error);
  EXPECT_TRUE(contains(throttled.text, "throttled")) << throttled.text;
}

TEST(QueryServiceMetrics, Golden) {
  ToolHarness h(registrar());
  auto r = h.call("query_service_metrics", json::object{{"service_name", "payments"}, {"metric_name", "fault"},
                                                        {"statistic", "Average"}, {"hours", 3}});
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("services/golden/query_service_metrics.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing::services_test

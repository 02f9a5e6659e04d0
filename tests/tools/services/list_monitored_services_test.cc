#include "services/test_util.h"

#include "golden.h"

namespace appsignals::testing::services_test {
namespace {

TEST(ListMonitoredServices, CountsInstrumentedAndUninstrumentedSeparately) {
  ToolHarness h(registrar());
  auto r = h.call("list_monitored_services");
  ASSERT_FALSE(r.is_error) << r.text;
  // 12 instrumented in the account, `recommendations` last reported 36 h ago; 2 uninstrumented.
  EXPECT_TRUE(contains(r.text, "13 total, 11 instrumented, 2 uninstrumented")) << r.text;
  EXPECT_TRUE(contains(r.text, "Key attributes: Type=Service, Name=payments, Environment=ecs:shop-cluster")) << r.text;
  EXPECT_TRUE(contains(r.text, "legacy-reports")) << r.text;
  EXPECT_TRUE(contains(r.text, "image-archiver")) << r.text;
  EXPECT_FALSE(contains(r.text, "recommendations")) << r.text;
  // The uninstrumented ones come after the instrumented ones.
  EXPECT_LT(r.text.find("order-processor"), r.text.find("legacy-reports"));
}

TEST(ListMonitoredServices, AsksForTheLast24HoursAndEveryPage) {
  ToolHarness h(registrar());
  auto r = h.call("list_monitored_services");
  ASSERT_FALSE(r.is_error) << r.text;
  int calls = 0;
  for (const auto& req : h.requests()) {
    if (req.operation != "ListServices") continue;
    ++calls;
    EXPECT_TRUE(req.input.contains("StartTime"));
    EXPECT_TRUE(req.input.contains("EndTime"));
  }
  EXPECT_EQ(calls, 1);  // 13 services fit one page of 100
}

TEST(ListMonitoredServices, AccessDeniedNamesTheIamAction) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"ListServices", fakeaws::FaultKind::kAccessDenied, 1});
  auto r = h.call("list_monitored_services");
  EXPECT_TRUE(r.is_error);
  EXPECT_FALSE(r.rpc_error.has_value());
  EXPECT_TRUE(contains(r.text, "AWS Error:")) << r.text;
  EXPECT_TRUE(contains(r.text, "application-signals:ListServices")) << r.text;
}

TEST(ListMonitoredServices, ThrottlingPastRetriesSaysToRetryLater) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"ListServices", fakeaws::FaultKind::kThrottle, -1});
  auto r = h.call("list_monitored_services");
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "throttled")) << r.text;
}

TEST(ListMonitoredServices, HonoursTheRegionArgument) {
  ToolHarness h(registrar());
  auto bad = h.call("list_monitored_services", json::object{{"region", "not a region!"}});
  EXPECT_TRUE(bad.is_error);
  EXPECT_TRUE(contains(bad.text, "region")) << bad.text;
  auto ok = h.call("list_monitored_services", json::object{{"region", "us-east-1"}});
  EXPECT_FALSE(ok.is_error) << ok.text;
}

TEST(ListMonitoredServices, Golden) {
  ToolHarness h(registrar());
  auto r = h.call("list_monitored_services");
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("services/golden/list_monitored_services.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing::services_test

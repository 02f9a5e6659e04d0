#include "services/test_util.h"

#include "golden.h"

namespace appsignals::testing::services_test {
namespace {

TEST(GetServiceDetail, ShowsAttributesMetricsAndLogGroups) {
  ToolHarness h(registrar());
  auto r = h.call("get_service_detail", json::object{{"service_name", "order-processor"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "Environment: lambda:default")) << r.text;
  EXPECT_TRUE(contains(r.text, "PlatformType: AWS::Lambda")) << r.text;
  EXPECT_TRUE(contains(r.text, "Lambda.Function.Name: order-processor")) << r.text;
  EXPECT_TRUE(contains(r.text, "Metric references (3)")) << r.text;
  EXPECT_TRUE(contains(r.text, "ApplicationSignals / Latency")) << r.text;
  EXPECT_TRUE(contains(r.text, "Dimensions: Environment=lambda:default, Service=order-processor")) << r.text;
  EXPECT_TRUE(contains(r.text, "Log group references (2)")) << r.text;
  EXPECT_TRUE(contains(r.text, "/aws/lambda/order-processor")) << r.text;
  // GetService was asked for the key attributes ListServices gave.
  bool asked = false;
  for (const auto& req : h.requests())
    if (req.operation == "GetService") {
      asked = true;
      EXPECT_EQ(req.input.at("KeyAttributes").at("Environment"), "lambda:default");
    }
  EXPECT_TRUE(asked);
}

TEST(GetServiceDetail, NearMissResolvesToTheOneClearMatchWithANote) {
  ToolHarness h(registrar());
  auto r = h.call("get_service_detail", json::object{{"service_name", "payment"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "Note: resolved service name 'payment' to 'payments'.")) << r.text;
  EXPECT_TRUE(contains(r.text, "Service: payments")) << r.text;
}

TEST(GetServiceDetail, UnknownNameListsTheClosestNames) {
  ToolHarness h(registrar());
  auto r = h.call("get_service_detail", json::object{{"service_name", "paymint-gateway"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "no service named 'paymint-gateway'")) << r.text;
  EXPECT_TRUE(contains(r.text, "payments")) << r.text;
  EXPECT_TRUE(contains(r.text, "list_monitored_services")) << r.text;
  EXPECT_EQ(count_ops(h, "GetService"), 0);
}

TEST(GetServiceDetail, ServiceOutsideTheWindowIsNotFound) {
  ToolHarness h(registrar());
  auto r = h.call("get_service_detail", json::object{{"service_name", "recommendations"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "no service named 'recommendations'")) << r.text;
}

TEST(GetServiceDetail, MissingOrEmptyNameIsAnArgumentError) {
  ToolHarness h(registrar());
  auto missing = h.call("get_service_detail");
  EXPECT_TRUE(missing.is_error);
  EXPECT_TRUE(contains(missing.text, "service_name")) << missing.text;
  auto empty = h.call("get_service_detail", json::object{{"service_name", "  "}});
  EXPECT_TRUE(empty.is_error);
  EXPECT_TRUE(contains(empty.text, "service_name")) << empty.text;
}

TEST(GetServiceDetail, GetServiceAccessDeniedNamesTheIamAction) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"GetService", fakeaws::FaultKind::kAccessDenied, 1});
  auto r = h.call("get_service_detail", json::object{{"service_name", "payments"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "application-signals:GetService")) << r.text;
}

TEST(GetServiceDetail, ThrottlingPastRetriesIsAnError) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"GetService", fakeaws::FaultKind::kThrottle, -1});
  auto r = h.call("get_service_detail", json::object{{"service_name", "payments"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "throttled")) << r.text;
}

TEST(GetServiceDetail, Golden) {
  ToolHarness h(registrar());
  auto r = h.call("get_service_detail", json::object{{"service_name", "payments"}});
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("services/golden/get_service_detail.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing::services_test

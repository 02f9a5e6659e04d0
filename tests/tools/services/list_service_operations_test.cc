#include "services/test_util.h"

#include "golden.h"

namespace appsignals::testing::services_test {
namespace {

TEST(ListServiceOperations, GroupsOperationsByVerbWithMetricTypes) {
  ToolHarness h(registrar());
  auto r = h.call("list_service_operations", json::object{{"service_name", "frontend"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "4 operations (3 GET, 1 POST)")) << r.text;
  EXPECT_TRUE(contains(r.text, "GET operations (3)")) << r.text;
  EXPECT_TRUE(contains(r.text, "POST operations (1)")) << r.text;
  EXPECT_TRUE(contains(r.text, "• POST /owners\n  Metric types: ERROR, FAULT, LATENCY")) << r.text;
}

TEST(ListServiceOperations, NamesWithoutAVerbGoToOther) {
  ToolHarness h(registrar());
  auto r = h.call("list_service_operations", json::object{{"service_name", "order-processor"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "Other operations (1)")) << r.text;
  EXPECT_TRUE(contains(r.text, "order-processor/FunctionHandler")) << r.text;
}

TEST(ListServiceOperations, HoursAreCappedAt24) {
  ToolHarness h(registrar());
  auto r = h.call("list_service_operations", json::object{{"service_name", "payments"}, {"hours", 100}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "last 24 hours")) << r.text;
  for (const auto& req : h.requests())
    if (req.operation == "ListServiceOperations") {
      EXPECT_EQ(req.input.at("KeyAttributes").at("Name"), "payments");
    }
  auto bad = h.call("list_service_operations", json::object{{"service_name", "payments"}, {"hours", "soon"}});
  EXPECT_TRUE(bad.is_error);
  EXPECT_TRUE(contains(bad.text, "hours")) << bad.text;
}

TEST(ListServiceOperations, SeparatorsAndCaseAreForgiven) {
  ToolHarness h(registrar());
  auto r = h.call("list_service_operations", json::object{{"service_name", "Check-Out"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "resolved service name 'Check-Out' to 'checkout'")) << r.text;
}

TEST(ListServiceOperations, UnknownServiceListsTheClosestNames) {
  ToolHarness h(registrar());
  auto r = h.call("list_service_operations", json::object{{"service_name", "chekcout-api-gw"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "checkout")) << r.text;
}

TEST(ListServiceOperations, AccessDeniedNamesTheIamAction) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"ListServiceOperations", fakeaws::FaultKind::kAccessDenied, 1});
  auto r = h.call("list_service_operations", json::object{{"service_name", "payments"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "application-signals:ListServiceOperations")) << r.text;
}

TEST(ListServiceOperations, MissingServiceNameIsAnError) {
  ToolHarness h(registrar());
  auto r = h.call("list_service_operations", json::object{{"hours", 3}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "service_name")) << r.text;
}

TEST(ListServiceOperations, Golden) {
  ToolHarness h(registrar());
  auto r = h.call("list_service_operations", json::object{{"service_name", "payments"}});
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("services/golden/list_service_operations.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing::services_test

#include "slo/test_util.h"

#include "golden.h"

namespace appsignals::testing::slo_test {
namespace {

TEST(ListSlos, ListsEverySloOnOnePage) {
  ToolHarness h(registrar());
  auto r = h.call("list_slos");
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "Service level objectives: 6\n")) << r.text;
  EXPECT_TRUE(contains(r.text, "• payments-charge-availability")) << r.text;
  EXPECT_TRUE(contains(r.text, "Operation: POST /payments/charge")) << r.text;
  EXPECT_FALSE(contains(r.text, "More SLOs exist")) << r.text;
  for (const auto& req : h.requests())
    if (req.operation == "ListServiceLevelObjectives") {
      EXPECT_FALSE(req.input.contains("KeyAttributes"));
    }
}

TEST(ListSlos, SaysWhenMoreExist) {
  ToolHarness h(registrar());
  auto r = h.call("list_slos", json::object{{"max_results", 2}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "2 on this page (more exist)")) << r.text;
  EXPECT_TRUE(contains(r.text, "More SLOs exist")) << r.text;
  EXPECT_EQ(count_ops(h, "ListServiceLevelObjectives"), 1);  // one page only
}

TEST(ListSlos, FiltersByKeyAttributesGivenAsJsonText) {
  ToolHarness h(registrar());
  auto r = h.call("list_slos", json::object{{"key_attributes", R"({"Type":"Service","Name":"checkout","Environment":"ecs:shop-cluster"})"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "checkout-latency-p99")) << r.text;
  EXPECT_FALSE(contains(r.text, "payments-charge-availability")) << r.text;
  auto as_object = h.call("list_slos", json::object{{"key_attributes", json::object{{"Name", "payments"}}}});
  ASSERT_FALSE(as_object.is_error) << as_object.text;
  EXPECT_TRUE(contains(as_object.text, "payments-charge-availability")) << as_object.text;
}

TEST(ListSlos, BadArgumentsNameTheArgument) {
  ToolHarness h(registrar());
  auto json_text = h.call("list_slos", json::object{{"key_attributes", "{not json"}});
  EXPECT_TRUE(json_text.is_error);
  EXPECT_TRUE(contains(json_text.text, "key_attributes")) << json_text.text;
  auto not_strings = h.call("list_slos", json::object{{"key_attributes", R"({"Name": 5})"}});
  EXPECT_TRUE(not_strings.is_error);
  EXPECT_TRUE(contains(not_strings.text, "key_attributes")) << not_strings.text;
  auto too_many = h.call("list_slos", json::object{{"max_results", 51}});
  EXPECT_FALSE(too_many.is_error) << too_many.text;
  EXPECT_TRUE(contains(too_many.text, "Note: max_results 51 is above the limit 50: using 50.")) << too_many.text;
  auto unknown_key = h.call("list_slos", json::object{{"key_attributes", R"({"Service": "payments"})"}});
  EXPECT_TRUE(unknown_key.is_error);
  EXPECT_TRUE(contains(unknown_key.text, "unknown attribute 'Service'")) << unknown_key.text;
}

TEST(ListSlos, KeyAttributesAreReadInAnyCaseAndNamesResolve) {
  ToolHarness h(registrar());
  auto lower = h.call("list_slos", json::object{{"key_attributes", R"({"type": "service", "name": "payments"})"}});
  ASSERT_FALSE(lower.is_error) << lower.text;
  EXPECT_TRUE(contains(lower.text, "payments-charge-availability")) << lower.text;
  auto bare = h.call("list_slos", json::object{{"key_attributes", "payments"}});
  ASSERT_FALSE(bare.is_error) << bare.text;
  EXPECT_TRUE(contains(bare.text, "payments-charge-availability")) << bare.text;
  auto cased = h.call("list_slos", json::object{{"key_attributes", R"({"Name": "Payments"})"}});
  ASSERT_FALSE(cased.is_error) << cased.text;
  EXPECT_TRUE(contains(cased.text, "Note: resolved service name 'Payments' to 'payments'.")) << cased.text;
  EXPECT_TRUE(contains(cased.text, "payments-charge-availability")) << cased.text;
}

TEST(ListSlos, UnknownServiceIsNotFoundNeverCreateOne) {
  ToolHarness h(registrar());
  auto r = h.call("list_slos", json::object{{"key_attributes", R"({"Name": "ledger-xyz-unknown"})"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "No SLO targets a service named 'ledger-xyz-unknown'")) << r.text;
  EXPECT_FALSE(contains(r.text, "Create SLOs")) << r.text;
}

TEST(ListSlos, AwsFailuresNameTheIamAction) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"ListServiceLevelObjectives", fakeaws::FaultKind::kAccessDenied, 1});
  auto denied = h.call("list_slos");
  EXPECT_TRUE(denied.is_error);
  EXPECT_TRUE(contains(denied.text, "application-signals:ListServiceLevelObjectives")) << denied.text;
  h.arm_fault(fakeaws::FaultSpec{"ListServiceLevelObjectives", fakeaws::FaultKind::kThrottle, -1});
  auto throttled = h.call("list_slos");
  EXPECT_TRUE(throttled.is_error);
  EXPECT_TRUE(contains(throttled.text, "throttled")) << throttled.text;
}

TEST(ListSlos, Golden) {
  ToolHarness h(registrar());
  auto r = h.call("list_slos");
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("slo/golden/list_slos.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing::slo_test

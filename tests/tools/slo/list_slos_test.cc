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
  EXPECT_TRUE(too_many.is_error);
  EXPECT_TRUE(contains(too_many.text, "max_results")) << too_many.text;
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

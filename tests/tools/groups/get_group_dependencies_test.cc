#include "groups/test_util.h"

#include "golden.h"

namespace appsignals::testing::groups_test {
namespace {

TEST(GetGroupDependencies, ClassifiesIntraCrossAndExternal) {
  ToolHarness h(registrar());
  auto r = h.call("get_group_dependencies", json::object{{"group_name", "shop"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "intra-group: inventory (POST /checkout → POST /inventory/reserve)")) << r.text;
  EXPECT_TRUE(contains(r.text, "cross-group: payments (ecs:shop-cluster) [BusinessUnit=commerce, Team=payments]")) << r.text;
  EXPECT_TRUE(contains(r.text, "external AWS resource: AWS::DynamoDB::Table:cart-sessions")) << r.text;
}

TEST(GetGroupDependencies, TheLedgerTableIsExternalToPayments) {
  ToolHarness h(registrar());
  auto r = h.call("get_group_dependencies", json::object{{"group_name", "payments"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "external AWS resource: AWS::DynamoDB::Table:payments-ledger (POST /payments/charge → PutItem)")) << r.text;
  EXPECT_TRUE(contains(r.text, "intra-group: billing")) << r.text;
  EXPECT_TRUE(contains(r.text, "1 intra-group, 0 cross-group, 3 external AWS resources")) << r.text;
}

TEST(GetGroupDependencies, OneMemberFailingIsReportedAndTheRestGoesOn) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"ListServiceDependencies", fakeaws::FaultKind::kAccessDenied, 1});
  auto r = h.call("get_group_dependencies", json::object{{"group_name", "payments"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "dependencies not read")) << r.text;
  EXPECT_TRUE(contains(r.text, "application-signals:ListServiceDependencies")) << r.text;
}

TEST(GetGroupDependencies, AccessDeniedEverywhereNamesTheIamAction) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"ListServiceDependencies", fakeaws::FaultKind::kAccessDenied, -1});
  auto r = h.call("get_group_dependencies", json::object{{"group_name", "payments"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "application-signals:ListServiceDependencies")) << r.text;
}

TEST(GetGroupDependencies, UnknownGroupListsTheAvailableOnes) {
  ToolHarness h(registrar());
  auto r = h.call("get_group_dependencies", json::object{{"group_name", "nope"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "- Team=shop")) << r.text;
}

TEST(GetGroupDependencies, Golden) {
  ToolHarness h(registrar());
  auto r = h.call("get_group_dependencies", json::object{{"group_name", "shop"}});
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("groups/golden/get_group_dependencies.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing::groups_test

#include "groups/test_util.h"

#include "golden.h"

namespace appsignals::testing::groups_test {
namespace {

TEST(ListGroupServices, ListsTheMembersOfATeamWithTheirGroups) {
  ToolHarness h(registrar());
  auto r = h.call("list_group_services", json::object{{"group_name", "payments"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "Services in group: 2")) << r.text;
  EXPECT_TRUE(contains(r.text, "- payments\n")) << r.text;
  EXPECT_TRUE(contains(r.text, "- billing\n")) << r.text;
  EXPECT_TRUE(contains(r.text, "Groups: BusinessUnit=commerce, Team=payments")) << r.text;
  EXPECT_TRUE(contains(r.text, "AWS::ECS: 1")) << r.text;
  EXPECT_TRUE(contains(r.text, "AWS::EKS: 1")) << r.text;
}

TEST(ListGroupServices, MatchesValuesIgnoringCaseAndWildcards) {
  ToolHarness h(registrar());
  auto upper = h.call("list_group_services", json::object{{"group_name", "COMMERCE"}});
  ASSERT_FALSE(upper.is_error) << upper.text;
  EXPECT_TRUE(contains(upper.text, "- checkout\n")) << upper.text;
  auto glob = h.call("list_group_services", json::object{{"group_name", "*pay*"}});
  ASSERT_FALSE(glob.is_error) << glob.text;
  EXPECT_TRUE(contains(glob.text, "- billing\n")) << glob.text;
  auto by_name = h.call("list_group_services", json::object{{"group_name", "team"}});
  ASSERT_FALSE(by_name.is_error) << by_name.text;
  EXPECT_TRUE(contains(by_name.text, "Services in group: 13")) << by_name.text;
}

TEST(ListGroupServices, UnknownGroupListsTheAvailableOnes) {
  ToolHarness h(registrar());
  auto r = h.call("list_group_services", json::object{{"group_name", "paymnts"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "no services found in group 'paymnts'")) << r.text;
  EXPECT_TRUE(contains(r.text, "Closest group names: payments")) << r.text;
  EXPECT_TRUE(contains(r.text, "- Team=payments")) << r.text;
  EXPECT_TRUE(contains(r.text, "- BusinessUnit=commerce")) << r.text;
}

TEST(ListGroupServices, AccessDeniedNamesTheIamAction) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"ListServices", fakeaws::FaultKind::kAccessDenied, 1});
  auto r = h.call("list_group_services", json::object{{"group_name", "payments"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "application-signals:ListServices")) << r.text;
}

TEST(ListGroupServices, DefaultWindowIsTheLastThreeHours) {
  ToolHarness h(registrar());
  auto r = h.call("list_group_services", json::object{{"group_name", "payments"}});
  ASSERT_FALSE(r.is_error) << r.text;
  for (const auto& req : h.requests()) {
    if (req.operation != "ListServices") continue;
    // The harness's "now" is 2026-03-02T12:00:00Z.
    EXPECT_EQ(req.input.at("StartTime"), "2026-03-02T09:00:00Z");
    EXPECT_EQ(req.input.at("EndTime"), "2026-03-02T12:00:00Z");
  }
}

TEST(ListGroupServices, Golden) {
  ToolHarness h(registrar());
  auto r = h.call("list_group_services", json::object{{"group_name", "payments"}});
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("groups/golden/list_group_services.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing::groups_test

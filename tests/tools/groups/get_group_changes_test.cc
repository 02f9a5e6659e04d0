#include "groups/test_util.h"

#include "golden.h"

namespace appsignals::testing::groups_test {
namespace {

TEST(GetGroupChanges, TheDeploymentBeforeTheIncidentIsInTheTimeline) {
  ToolHarness h(registrar());
  auto r = h.call("get_group_changes", json::object{{"group_name", "payments"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "1 change (1 deployment, 0 configuration changes)")) << r.text;
  EXPECT_TRUE(contains(r.text, "DEPLOYMENT payments: UpdateService by deploy-bot")) << r.text;
}

TEST(GetGroupChanges, NewestFirstAcrossTheBusinessUnit) {
  ToolHarness h(registrar());
  auto r = h.call("get_group_changes", json::object{{"group_name", "commerce"}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto config = r.text.find("CONFIGURATION checkout: PutParameter");
  auto deploy = r.text.find("DEPLOYMENT payments: UpdateService");
  ASSERT_NE(config, std::string::npos) << r.text;
  ASSERT_NE(deploy, std::string::npos) << r.text;
  EXPECT_LT(config, deploy);  // 90 minutes ago before 140 minutes ago
  // Other groups' changes stay out.
  EXPECT_FALSE(contains(r.text, "frontend")) << r.text;
}

TEST(GetGroupChanges, AccessDeniedNamesTheIamAction) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"ListServiceStates", fakeaws::FaultKind::kAccessDenied, 1});
  auto r = h.call("get_group_changes", json::object{{"group_name", "payments"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "application-signals:ListServiceStates")) << r.text;
}

TEST(GetGroupChanges, UnknownGroupListsTheAvailableOnes) {
  ToolHarness h(registrar());
  auto r = h.call("get_group_changes", json::object{{"group_name", "nope"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "Available groups")) << r.text;
}

TEST(GetGroupChanges, Golden) {
  ToolHarness h(registrar());
  auto r = h.call("get_group_changes", json::object{{"group_name", "commerce"}, {"start_time", "now-2d"}});
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("groups/golden/get_group_changes.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing::groups_test

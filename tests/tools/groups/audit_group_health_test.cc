#include "groups/test_util.h"

#include "golden.h"

namespace appsignals::testing::groups_test {
namespace {

TEST(AuditGroupHealth, BreachedSloMakesTheGroupCritical) {
  ToolHarness h(registrar());
  auto r = h.call("audit_group_health", json::object{{"group_name", "payments"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "Overall status: CRITICAL")) << r.text;
  EXPECT_TRUE(contains(r.text, "- CRITICAL payments: SLO breached: payments-charge-availability")) << r.text;
  // billing has no SLO: judged on its metrics.
  EXPECT_TRUE(contains(r.text, "billing (eks:petclinic/default): OK (by metrics)")) << r.text;
  EXPECT_TRUE(contains(r.text, "audit_slos(")) << r.text;
}

TEST(AuditGroupHealth, ShowsTheFailingCanaryOfTheGroup) {
  ToolHarness h(registrar());
  auto r = h.call("audit_group_health", json::object{{"group_name", "shop"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "FAILING checkout-flow (depends on checkout)")) << r.text;
  EXPECT_TRUE(contains(r.text, "analyze_canary_failures(canary_name=\"checkout-flow\")")) << r.text;
}

TEST(AuditGroupHealth, ThresholdsDecideServicesWithoutSlos) {
  ToolHarness h(registrar());
  auto r = h.call("audit_group_health", json::object{{"group_name", "clinic"}, {"latency_p99_threshold_warning", "1"},
                                                      {"latency_p99_threshold_critical", 2}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "vets (eks:petclinic/default): CRITICAL (by metrics)")) << r.text;
  EXPECT_TRUE(contains(r.text, "p99 latency")) << r.text;
}

TEST(AuditGroupHealth, UnknownGroupListsTheAvailableOnes) {
  ToolHarness h(registrar());
  auto r = h.call("audit_group_health", json::object{{"group_name", "nope"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "Available groups")) << r.text;
}

TEST(AuditGroupHealth, CanaryFailuresDoNotFailTheAudit) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"ListServiceDependents", fakeaws::FaultKind::kAccessDenied, -1});
  auto r = h.call("audit_group_health", json::object{{"group_name", "shop"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "application-signals:ListServiceDependents")) << r.text;
}

TEST(AuditGroupHealth, SloAccessDeniedFallsBackAndNamesTheAction) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"ListServiceLevelObjectives", fakeaws::FaultKind::kAccessDenied, -1});
  auto r = h.call("audit_group_health", json::object{{"group_name", "payments"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "application-signals:ListServiceLevelObjectives")) << r.text;
  EXPECT_TRUE(contains(r.text, "(by metrics)")) << r.text;
}

TEST(AuditGroupHealth, Golden) {
  ToolHarness h(registrar());
  auto r = h.call("audit_group_health", json::object{{"group_name", "payments"}});
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("groups/golden/audit_group_health.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing::groups_test

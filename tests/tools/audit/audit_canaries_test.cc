// Canary correlation at the end of audit_services: the canaries that depend on the audited
// services, failing ones flagged, and a failure of the correlation never failing the audit.
#include <gtest/gtest.h>

#include "audit_test_util.h"
#include "tool_harness.h"

namespace appsignals::testing {
namespace {

namespace json = boost::json;
using fakeaws::FaultKind;
using fakeaws::FaultSpec;

constexpr auto kRegistrar = &tools::register_toolset<&tools::audit_tools>;

json::object checkout() { return json::object{{"service_targets", R"([{"Type":"service","Service":"checkout"}])"}}; }

TEST(AuditCanaries, TheFailingCheckoutCanaryAppearsInTheCheckoutAudit) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_services", checkout());
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "Synthetics canaries exercising the audited services: 1 (1 failing)")) << r.text;
  EXPECT_TRUE(has(r.text, "FAILING checkout-flow (depends on checkout): 2/5 recent runs passed")) << r.text;
  EXPECT_TRUE(has(r.text, "Navigation timeout")) << r.text;
  EXPECT_TRUE(has(r.text, "analyze_canary_failures(canary_name=\"checkout-flow\")")) << r.text;
  EXPECT_EQ(count_ops(h, "GetCanaryRuns"), 1u);
}

TEST(AuditCanaries, HealthyCanaryIsNotFlagged) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_services", json::object{{"service_targets", R"([{"Type":"service","Service":"frontend"}])"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "healthy petclinic-home (depends on frontend): 5/5 recent runs passed")) << r.text;
  EXPECT_FALSE(has(r.text, "analyze_canary_failures")) << r.text;
}

TEST(AuditCanaries, NoCanaryNoBlock) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_services", json::object{{"service_targets", R"([{"Type":"service","Service":"payments"}])"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_FALSE(has(r.text, "Synthetics canaries")) << r.text;
}

TEST(AuditCanaries, CorrelationFailureKeepsTheAuditAndNamesTheAction) {
  ToolHarness h(kRegistrar);
  h.arm_fault(FaultSpec{"GetCanaryRuns", FaultKind::kAccessDenied, -1});
  auto r = h.call("audit_services", checkout());
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "Canary correlation incomplete")) << r.text;
  EXPECT_TRUE(has(r.text, "synthetics:GetCanaryRuns")) << r.text;
  EXPECT_TRUE(has(r.text, "checkout")) << r.text;

  ToolHarness h2(kRegistrar);
  h2.arm_fault(FaultSpec{"ListServiceDependents", FaultKind::kAccessDenied, -1});
  auto r2 = h2.call("audit_services", checkout());
  ASSERT_FALSE(r2.is_error) << r2.text;
  EXPECT_TRUE(has(r2.text, "application-signals:ListServiceDependents")) << r2.text;
}

}  // namespace
}  // namespace appsignals::testing

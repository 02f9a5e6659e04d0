// audit_slos against the fake sample account: the breached SLO's findings, targets in every form
// (bare name, ARN, {"Slo":"name"}, JSON text, comma lists), wildcard audits ranked across every
// SLO, resolved and unknown names, batches, argument errors, AWS failures, golden.
#include <gtest/gtest.h>

#include "audit_test_util.h"
#include "golden.h"
#include "tool_harness.h"

namespace appsignals::testing {
namespace {

namespace json = boost::json;
using fakeaws::FaultKind;
using fakeaws::FaultSpec;

constexpr auto kRegistrar = &tools::register_toolset<&tools::audit_tools>;

json::object targets(json::value v) { return json::object{{"slo_targets", std::move(v)}}; }

TEST(AuditSlos, BreachedSloIsCritical) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_slos",
                  targets(R"([{"Type":"slo","Data":{"Slo":{"SloName":"payments-charge-availability"}}}])"));
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "Auditors: slo")) << r.text;
  EXPECT_TRUE(has(r.text, "payments-charge-availability (AWS::ApplicationSignals::ServiceLevelObjective)")) << r.text;
  EXPECT_TRUE(has(r.text, "[CRITICAL] slo: SLO payments-charge-availability is BREACHED: attainment 98.71%")) << r.text;
  EXPECT_TRUE(has(r.text, "BudgetStatus=BREACHED")) << r.text;
  auto batches = audit_batches(h);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0][0].at("Data").at("Slo").at("SloName"), "payments-charge-availability");
  for (const auto& req : h.requests())
    if (req.operation == "ListAuditFindings") { EXPECT_EQ(req.input.at("Auditors"), (json::array{"slo"})); }
}

TEST(AuditSlos, TargetsInEveryForm) {
  // The bare name, {"Slo":"name"} and JSON-text forms failed before ("must be a JSON array", or
  // "gives Slo as a string").
  ToolHarness h(kRegistrar);
  std::vector<json::value> forms = {
      json::value("checkout-latency-p99"),
      json::value("arn:aws:application-signals:us-east-1:123456789012:slo/checkout-latency-p99"),
      json::value(R"({"Slo":"checkout-latency-p99"})"),
      json::value(R"({"SloName":"checkout-latency-p99"})"),
      json::value(R"([{"Type":"slo","Data":{"Slo":"checkout-latency-p99"}}])"),
      json::value(R"([{"Type":"slo","Data":{"Slo":{"SloArn":"arn:aws:application-signals:us-east-1:123456789012:slo/checkout-latency-p99"}}}])"),
      json::value(R"([{"type":"SLO","data":{"slo":{"sloname":"checkout-latency-p99"}}}])"),
      json::value(R"(["checkout-latency-p99"])"),
      json::array{"checkout-latency-p99"},
      json::object{{"slo", "checkout-latency-p99"}},
  };
  for (const auto& f : forms) {
    auto r = h.call("audit_slos", targets(f));
    ASSERT_FALSE(r.is_error) << json::serialize(f) << "\n" << r.text;
    EXPECT_TRUE(has(r.text, "[MEDIUM] slo: SLO checkout-latency-p99 is in WARNING")) << json::serialize(f) << "\n" << r.text;
  }
  auto two = h.call("audit_slos", targets("payments-charge-availability, checkout-latency-p99"));
  ASSERT_FALSE(two.is_error) << two.text;
  EXPECT_LT(two.text.find("BREACHED"), two.text.find("WARNING")) << two.text;
  EXPECT_EQ(audit_batches(h).back().size(), 2u);
}

TEST(AuditSlos, UnreadableTargetsShowEveryAcceptedForm) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_slos", targets("{\"Slo\":"));
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(has(r.text, "slo_targets")) << r.text;
  EXPECT_TRUE(has(r.text, R"({"Slo":"payments-charge-availability"})")) << r.text;
  EXPECT_TRUE(has(r.text, R"({"SloName":"payments-charge-availability"})")) << r.text;
  EXPECT_TRUE(has(r.text, "arn:aws:application-signals:")) << r.text;
  EXPECT_TRUE(has(r.text, "\"*\"")) << r.text;
  auto empty_obj = h.call("audit_slos", targets(R"({"Type":"slo","Data":{}})"));
  EXPECT_TRUE(empty_obj.is_error);
  EXPECT_TRUE(has(empty_obj.text, "names no SLO")) << empty_obj.text;
}

TEST(AuditSlos, WildcardRanksEverySloBreachedFirst) {
  // Six SLOs; payments-charge-availability is first in the listing, checkout-latency-p99 second.
  // With one SLO per page the ranking decides, and the rest have no findings.
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_slos", json::object{{"slo_targets", "*"}, {"max_slos", 1}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "SLO filtering: 6 of 6 SLOs matched *.")) << r.text;
  EXPECT_TRUE(has(r.text, "\n1. payments-charge-availability (AWS::ApplicationSignals::ServiceLevelObjective)")) << r.text;
  EXPECT_TRUE(has(r.text, "Coverage: 6 of 6 matched SLOs audited in this call")) << r.text;
  EXPECT_TRUE(has(r.text, "max_slos: 1")) << r.text;
  for (const auto& req : h.requests())
    if (req.operation == "ListServiceLevelObjectives") { EXPECT_EQ(req.input.at("IncludeLinkedAccounts"), true); }

  // "*latency*" matches two; the WARNING one ranks first even though visits-latency has none.
  auto latency = h.call("audit_slos", json::object{{"slo_targets", R"([{"Type":"slo","Data":{"Slo":{"SloName":"*LATENCY*"}}}])"},
                                                   {"max_slos", 1}});
  ASSERT_FALSE(latency.is_error) << latency.text;
  EXPECT_TRUE(has(latency.text, "SLO filtering: 2 of 6 SLOs matched *LATENCY*.")) << latency.text;
  EXPECT_TRUE(has(latency.text, "checkout-latency-p99 is in WARNING")) << latency.text;
  auto token = next_token_of(latency.text);
  ASSERT_FALSE(token.empty()) << latency.text;
  EXPECT_TRUE(has(latency.text, "slo_targets: \"*LATENCY*\"")) << latency.text;
  auto next = h.call("audit_slos", json::object{{"slo_targets", "*LATENCY*"}, {"next_token", token}, {"max_slos", 1}});
  ASSERT_FALSE(next.is_error) << next.text;
  EXPECT_TRUE(has(next.text, "2. visits-latency: no findings in the window.")) << next.text;
  EXPECT_TRUE(has(next.text, "Complete")) << next.text;
}

TEST(AuditSlos, AllSlosInBatchesOfFive) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_slos", json::object{{"slo_targets", R"(["*"])"}, {"max_slos", 10}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto batches = audit_batches(h);
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].size() + batches[1].size(), 6u);
  for (const auto& b : batches) EXPECT_LE(b.size(), 5u);
  EXPECT_TRUE(has(r.text, "payments-charge-availability is BREACHED")) << r.text;
  EXPECT_TRUE(has(r.text, "Findings: 2 of 6 audited targets with findings")) << r.text;
  EXPECT_TRUE(has(r.text, "Complete")) << r.text;
}

TEST(AuditSlos, NamesResolveOrAreNotFoundWithTheClosest) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_slos", targets("payments-charge-availabilty"));
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "Note: resolved SLO 'payments-charge-availabilty' to 'payments-charge-availability'.")) << r.text;
  EXPECT_TRUE(has(r.text, "BREACHED")) << r.text;
  auto spaced = h.call("audit_slos", targets("Payments Charge Availability"));
  ASSERT_FALSE(spaced.is_error) << spaced.text;
  EXPECT_TRUE(has(spaced.text, "BREACHED")) << spaced.text;

  auto bad = h.call("audit_slos", targets("zzz-unknown"));
  EXPECT_TRUE(bad.is_error);
  EXPECT_TRUE(has(bad.text, "no SLO named 'zzz-unknown'")) << bad.text;
  auto close = h.call("audit_slos", targets("payments-latency"));
  EXPECT_TRUE(close.is_error);
  EXPECT_TRUE(has(close.text, "Closest names:")) << close.text;
  EXPECT_TRUE(has(close.text, "payments-charge-availability")) << close.text;
  auto arn = h.call("audit_slos", targets("arn:aws:application-signals:us-east-1:123456789012:slo/ghost"));
  EXPECT_TRUE(arn.is_error);
  EXPECT_TRUE(has(arn.text, "no SLO named 'arn:aws:application-signals:us-east-1:123456789012:slo/ghost'")) << arn.text;
  EXPECT_FALSE(has(arn.text, "nothing abnormal")) << arn.text;
  EXPECT_EQ(count_ops(h, "ListAuditFindings"), 2u);
}

TEST(AuditSlos, ArgumentErrors) {
  ToolHarness h(kRegistrar);
  auto missing = h.call("audit_slos", json::object{});
  EXPECT_TRUE(missing.is_error);
  EXPECT_TRUE(has(missing.text, "audit_slos(slo_targets=\"payments-charge-availability\")")) << missing.text;
  auto wrong = h.call("audit_slos", targets(R"({"Type":"service","Service":"payments"})"));
  EXPECT_TRUE(wrong.is_error);
  EXPECT_TRUE(has(wrong.text, "audit_services")) << wrong.text;
  auto auditor = h.call("audit_slos", json::object{{"slo_targets", "x"}, {"auditors", "nope"}});
  EXPECT_TRUE(auditor.is_error);
  EXPECT_TRUE(has(auditor.text, "unknown auditor 'nope'")) << auditor.text;
  auto reversed = h.call("audit_slos", json::object{{"slo_targets", "payments-charge-availability"},
                                                    {"start_time", 1772452800},
                                                    {"end_time", 1772366400}});
  EXPECT_TRUE(reversed.is_error);
  EXPECT_TRUE(has(reversed.text, "end_time")) << reversed.text;
  auto token = h.call("audit_slos", json::object{{"slo_targets", "payments-charge-availability"}, {"next_token", "t"}});
  EXPECT_TRUE(token.is_error);
  EXPECT_TRUE(has(token.text, "next_token")) << token.text;
  EXPECT_EQ(count_ops(h, "ListAuditFindings"), 0u);
}

TEST(AuditSlos, AwsFailures) {
  ToolHarness h(kRegistrar);
  h.arm_fault(FaultSpec{"ListAuditFindings", FaultKind::kAccessDenied, 1});
  auto denied = h.call("audit_slos", targets("payments-charge-availability"));
  EXPECT_TRUE(denied.is_error);
  EXPECT_TRUE(has(denied.text, "application-signals:ListAuditFindings")) << denied.text;
  h.arm_fault(FaultSpec{"ListAuditFindings", FaultKind::kThrottle, 10});
  auto throttled = h.call("audit_slos", targets("payments-charge-availability"));
  EXPECT_TRUE(throttled.is_error);
  EXPECT_TRUE(has(throttled.text, "throttled")) << throttled.text;
  h.arm_fault(FaultSpec{"ListServiceLevelObjectives", FaultKind::kAccessDenied, 1});
  auto listing = h.call("audit_slos", targets("*"));
  EXPECT_TRUE(listing.is_error);
  EXPECT_TRUE(has(listing.text, "application-signals:ListServiceLevelObjectives")) << listing.text;
}

TEST(AuditSlos, Golden) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_slos", targets(R"(["payments-charge-availability","checkout-latency-p99","frontend-availability"])"));
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("audit/golden/audit_slos.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing

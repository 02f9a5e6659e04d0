// audit_slos against the fake sample account: the breached SLO's findings, target forms,
// wildcard pages with continuation, fuzzy names, batches, argument errors, AWS failures, golden.
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

json::object targets(std::string text) { return json::object{{"slo_targets", std::move(text)}}; }

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

TEST(AuditSlos, TargetFormsAndArn) {
  ToolHarness h(kRegistrar);
  const char* forms[] = {
      R"([{"Type":"slo","Data":{"Slo":{"SloArn":"arn:aws:application-signals:us-east-1:123456789012:slo/checkout-latency-p99"}}}])",
      R"([{"type":"SLO","data":{"slo":{"sloname":"checkout-latency-p99"}}}])",
      R"([{"Type":"slo","SloName":"checkout-latency-p99"}])",
      R"(["checkout-latency-p99"])",
  };
  for (const char* f : forms) {
    auto r = h.call("audit_slos", targets(f));
    ASSERT_FALSE(r.is_error) << f << "\n" << r.text;
    EXPECT_TRUE(has(r.text, "[MEDIUM] slo: SLO checkout-latency-p99 is in WARNING")) << f << "\n" << r.text;
  }
}

TEST(AuditSlos, StringSloIsRejectedWithAnExplanation) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_slos", targets(R"([{"Type":"slo","Data":{"Slo":"payments-charge-availability"}}])"));
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(has(r.text, "slo_targets[0] gives Slo as a string")) << r.text;
  EXPECT_TRUE(has(r.text, R"({"SloName":"payments-charge-availability"})")) << r.text;
}

TEST(AuditSlos, WildcardPagesAndContinuation) {
  ToolHarness h(kRegistrar);
  // Six SLOs, two per page: the first page (payments, checkout) matches *latency*.
  auto r = h.call("audit_slos", json::object{{"slo_targets", R"([{"Type":"slo","Data":{"Slo":{"SloName":"*latency*"}}}])"},
                                             {"max_slos", 2}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "SLO filtering: 1 of 2 SLOs listed matched *latency*")) << r.text;
  EXPECT_TRUE(has(r.text, "checkout-latency-p99 is in WARNING")) << r.text;
  EXPECT_TRUE(has(r.text, "call audit_slos again with exactly these arguments")) << r.text;
  EXPECT_TRUE(has(r.text, "max_slos: 2")) << r.text;
  auto token = next_token_of(r.text);
  ASSERT_FALSE(token.empty());
  for (const auto& req : h.requests())
    if (req.operation == "ListServiceLevelObjectives") {
      EXPECT_EQ(req.input.at("MaxResults"), 2);
      EXPECT_EQ(req.input.at("IncludeLinkedAccounts"), true);
    }
  // Next: frontend-availability, visits-latency (matches).
  auto next = h.call("audit_slos", json::object{{"slo_targets", R"([{"Type":"slo","Data":{"Slo":{"SloName":"*latency*"}}}])"},
                                                {"next_token", token},
                                                {"max_slos", 2}});
  ASSERT_FALSE(next.is_error) << next.text;
  EXPECT_TRUE(has(next.text, "visits-latency")) << next.text;
  auto last = h.call("audit_slos", json::object{{"slo_targets", R"([{"Type":"slo","Data":{"Slo":{"SloName":"*latency*"}}}])"},
                                                {"next_token", next_token_of(next.text)},
                                                {"max_slos", 2}});
  ASSERT_FALSE(last.is_error) << last.text;
  EXPECT_TRUE(has(last.text, "Listing complete")) << last.text;
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
  EXPECT_TRUE(has(r.text, "Listing complete")) << r.text;
}

TEST(AuditSlos, FuzzyNames) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_slos", targets(R"(["payments-charge-availabilty"])"));
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "audited 'payments-charge-availability' instead")) << r.text;
  auto bad = h.call("audit_slos", targets(R"(["zzz-unknown"])"));
  EXPECT_TRUE(bad.is_error);
  EXPECT_TRUE(has(bad.text, "'zzz-unknown': no such SLO")) << bad.text;
}

TEST(AuditSlos, ArgumentErrors) {
  ToolHarness h(kRegistrar);
  EXPECT_TRUE(h.call("audit_slos", json::object{}).is_error);
  auto bad_json = h.call("audit_slos", targets("not json"));
  EXPECT_TRUE(bad_json.is_error);
  EXPECT_TRUE(has(bad_json.text, "slo_targets")) << bad_json.text;
  auto auditor = h.call("audit_slos", json::object{{"slo_targets", R"(["x"])"}, {"auditors", "nope"}});
  EXPECT_TRUE(auditor.is_error);
  EXPECT_TRUE(has(auditor.text, "unknown auditor 'nope'")) << auditor.text;
  auto reversed = h.call("audit_slos", json::object{{"slo_targets", R"(["payments-charge-availability"])"},
                                                    {"start_time", "1772452800"},
                                                    {"end_time", "1772366400"}});
  EXPECT_TRUE(reversed.is_error);
  EXPECT_TRUE(has(reversed.text, "end_time")) << reversed.text;
  auto token = h.call("audit_slos", json::object{{"slo_targets", R"(["payments-charge-availability"])"},
                                                 {"next_token", "t"}});
  EXPECT_TRUE(token.is_error);
  EXPECT_TRUE(has(token.text, "next_token")) << token.text;
  EXPECT_EQ(count_ops(h, "ListAuditFindings"), 0u);
}

TEST(AuditSlos, AwsFailures) {
  ToolHarness h(kRegistrar);
  h.arm_fault(FaultSpec{"ListAuditFindings", FaultKind::kAccessDenied, 1});
  auto denied = h.call("audit_slos", targets(R"(["payments-charge-availability"])"));
  EXPECT_TRUE(denied.is_error);
  EXPECT_TRUE(has(denied.text, "application-signals:ListAuditFindings")) << denied.text;
  h.arm_fault(FaultSpec{"ListAuditFindings", FaultKind::kThrottle, 10});
  auto throttled = h.call("audit_slos", targets(R"(["payments-charge-availability"])"));
  EXPECT_TRUE(throttled.is_error);
  EXPECT_TRUE(has(throttled.text, "throttled")) << throttled.text;
  h.arm_fault(FaultSpec{"ListServiceLevelObjectives", FaultKind::kAccessDenied, 1});
  auto listing = h.call("audit_slos", targets(R"(["*"])"));
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

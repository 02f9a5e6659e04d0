// analyze_canary_failures on the sample account: checkout-flow (navigation timeouts, with
// artifacts), inventory-api-check (role lacks s3:PutObject, no artifacts), petclinic-home
// (passing), and the error paths.
#include <gtest/gtest.h>

#include <algorithm>

#include "golden.h"
#include "tool_harness.h"
#include "tools/toolsets.h"

namespace appsignals::testing {
namespace {

const ToolHarness::Registrar register_analyze_only = &tools::register_toolset<&tools::canaries_tools>;

bool has(const std::string& text, std::string_view needle) { return text.find(needle) != std::string::npos; }

std::size_t count_ops(const std::vector<fakeaws::RequestRecord>& log, std::string_view op) {
  return static_cast<std::size_t>(
      std::count_if(log.begin(), log.end(), [&](const fakeaws::RequestRecord& r) { return r.operation == op; }));
}

class AnalyzeCanaryFailures : public ::testing::Test {
 protected:
  ToolHarness h{register_analyze_only};
};

TEST_F(AnalyzeCanaryFailures, CheckoutFlowReportsStreakReasonHarComparisonAndScreenshots) {
  auto r = h.call("analyze_canary_failures", json::object{{"canary_name", "checkout-flow"}});
  ASSERT_FALSE(r.rpc_error) << json::serialize(*r.rpc_error);
  ASSERT_FALSE(r.is_error) << r.text;
  // Summary: 3 failed runs since the last PASSED one, grouped by the navigation-timeout reason.
  EXPECT_TRUE(has(r.text, "Failure streak: 3 consecutive failed runs since the last passed run")) << r.text;
  EXPECT_TRUE(has(r.text, "3 × Navigation timeout of 30000 ms exceeded")) << r.text;
  EXPECT_TRUE(has(r.text, "Last failure reason: Navigation timeout of 30000 ms exceeded")) << r.text;
  // Telemetry: the canary auditor's finding.
  EXPECT_TRUE(has(r.text, "[HIGH] canary (checkout-flow): Canary checkout-flow failed its last 3 runs")) << r.text;
  // Artifacts: the failed run's folder, the screenshot, the HAR comparison and the log excerpt.
  EXPECT_TRUE(has(r.text, "canary/us-east-1/checkout-flow/2026/03/02/12/00-00-000/")) << r.text;
  EXPECT_TRUE(has(r.text, "01-page-loaded-failed.png")) << r.text;
  EXPECT_TRUE(has(r.text, "### HAR comparison: failed run (2026-03-02 12:00:00 UTC) vs passing run (2026-03-02 11:45:00 UTC)"))
      << r.text;
  EXPECT_TRUE(has(r.text, "- Requests: 3 in the failed run vs 2 in the passing run")) << r.text;
  EXPECT_TRUE(has(r.text, "POST https://shop.example.com/api/checkout → no response (net::ERR_TIMED_OUT) after 30000 ms; "
                          "not requested in the passing run"))
      << r.text;
  EXPECT_TRUE(has(r.text, "waiting for selector #checkout-confirmation")) << r.text;
  // Advice and the knowledge base.
  EXPECT_TRUE(has(r.text, "The page or an element did not load in time")) << r.text;
  EXPECT_TRUE(has(r.text, "[RUNTIME-001] Page navigation exceeds the browser's navigation timeout: confidence 80%"))
      << r.text;
  // Artifacts exist, so neither the Lambda fallback nor the IAM analysis runs.
  EXPECT_FALSE(has(r.text, "Lambda logs (fallback")) << r.text;
  EXPECT_FALSE(has(r.text, "IAM analysis")) << r.text;

  auto log = h.requests();
  auto runs = std::find_if(log.begin(), log.end(), [](const auto& q) { return q.operation == "GetCanaryRuns"; });
  ASSERT_NE(runs, log.end());
  EXPECT_EQ(runs->input.at("MaxResults").as_int64(), 5);
  auto audit = std::find_if(log.begin(), log.end(), [](const auto& q) { return q.operation == "ListAuditFindings"; });
  ASSERT_NE(audit, log.end());
  EXPECT_TRUE(has(json::serialize(audit->input), R"({"Type":"canary","Data":{"Canary":{"CanaryName":"checkout-flow"}}})"))
      << json::serialize(audit->input);
  EXPECT_EQ(count_ops(log, "FilterLogEvents"), 0u);
  EXPECT_GE(count_ops(log, "GetObject"), 3u);  // both HARs and the log
}

TEST_F(AnalyzeCanaryFailures, CheckoutFlowGolden) {
  auto r = h.call("analyze_canary_failures", json::object{{"canary_name", "checkout-flow"}});
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("canaries/golden/analyze_canary_failures.txt", r.text);
}

TEST_F(AnalyzeCanaryFailures, InventoryApiCheckGolden) {
  auto r = h.call("analyze_canary_failures", json::object{{"canary_name", "inventory-api-check"}});
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("canaries/golden/analyze_canary_failures_inventory.txt", r.text);
}

TEST_F(AnalyzeCanaryFailures, InventoryApiCheckNamesTheMissingPutObjectAndFallsBackToLambdaLogs) {
  auto r = h.call("analyze_canary_failures", json::object{{"canary_name", "inventory-api-check"}});
  ASSERT_FALSE(r.is_error) << r.text;
  // Six failures in a row, more than the 5 runs read.
  EXPECT_TRUE(has(r.text, "Failure streak: at least 5 consecutive failed runs (none of the 5 most recent runs passed)"))
      << r.text;
  // IAM: exactly s3:PutObject is missing; the other required actions are granted.
  EXPECT_TRUE(has(r.text, "## IAM analysis of the execution role")) << r.text;
  EXPECT_TRUE(has(r.text, "Role: CloudWatchSyntheticsRole-inventory-api-check (exists)")) << r.text;
  EXPECT_TRUE(has(r.text, "- Missing actions: s3:PutObject\n")) << r.text;
  EXPECT_TRUE(has(r.text, "s3:PutObject on arn:aws:s3:::cw-syn-results-123456789012-us-east-1/canary/us-east-1/"
                          "inventory-api-check/*: MISSING"))
      << r.text;
  EXPECT_TRUE(has(r.text, "s3:GetBucketLocation on arn:aws:s3:::cw-syn-results-123456789012-us-east-1: allowed by "
                          "CloudWatchSyntheticsPolicy-inventory-api-check"))
      << r.text;
  EXPECT_TRUE(has(r.text, "cloudwatch:PutMetricData on *: allowed by CloudWatchSyntheticsPolicy-inventory-api-check "
                          "(under a condition)"))
      << r.text;
  // No artifacts → the canary's Lambda log group.
  EXPECT_TRUE(has(r.text, "No artifacts found for the failed run")) << r.text;
  EXPECT_TRUE(has(r.text, "## Lambda logs (fallback: the failed run left no artifacts)")) << r.text;
  EXPECT_TRUE(has(r.text, "/aws/lambda/cwsyn-inventory-api-check-")) << r.text;
  EXPECT_TRUE(has(r.text, "ERROR: Failed to upload artifacts to S3: AccessDenied")) << r.text;
  EXPECT_TRUE(has(r.text, "runtime python3.11")) << r.text;  // GetFunction
  EXPECT_TRUE(has(r.text, "[RUNTIME-005] The execution role cannot write run artifacts to S3")) << r.text;

  auto log = h.requests();
  auto filter = std::find_if(log.begin(), log.end(), [](const auto& q) { return q.operation == "FilterLogEvents"; });
  ASSERT_NE(filter, log.end());
  EXPECT_EQ(filter->input.at("limit").as_int64(), 10);
  EXPECT_EQ(count_ops(log, "GetRole"), 1u);
  EXPECT_EQ(count_ops(log, "ListAttachedRolePolicies"), 1u);
  EXPECT_EQ(count_ops(log, "GetPolicyVersion"), 2u);
  EXPECT_EQ(count_ops(log, "GetFunction"), 1u);
}

TEST_F(AnalyzeCanaryFailures, PetclinicHomeIsHealthyWithoutFailureStreak) {
  auto r = h.call("analyze_canary_failures", json::object{{"canary_name", "petclinic-home"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "Latest run: PASSED")) << r.text;
  EXPECT_TRUE(has(r.text, "No failure streak: none of the 5 most recent runs failed.")) << r.text;
  EXPECT_TRUE(has(r.text, "The canary is healthy")) << r.text;
  EXPECT_FALSE(has(r.text, "Failure streak:")) << r.text;
  EXPECT_FALSE(has(r.text, "IAM analysis")) << r.text;
  EXPECT_EQ(count_ops(h.requests(), "ListObjectsV2"), 0u);
}

TEST_F(AnalyzeCanaryFailures, UnknownCanaryIsNotFoundWithTheClosestNames) {
  auto r = h.call("analyze_canary_failures", json::object{{"canary_name", "checkout-payments-probe"}});
  ASSERT_TRUE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "canary 'checkout-payments-probe' does not exist in region us-east-1 (3 canaries there)"))
      << r.text;
  EXPECT_TRUE(has(r.text, "Closest canary names: checkout-flow")) << r.text;
  // Never a report of a canary that is not there.
  EXPECT_FALSE(has(r.text, "healthy")) << r.text;
  EXPECT_FALSE(has(r.text, "No failure streak")) << r.text;
  EXPECT_EQ(count_ops(h.requests(), "DescribeCanaries"), 1u);
}

TEST_F(AnalyzeCanaryFailures, NearMissNameResolvesToTheCanaryWithANote) {
  auto r = h.call("analyze_canary_failures", json::object{{"canary_name", "checkout-flw"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(r.text.starts_with("Note: resolved canary name 'checkout-flw' to 'checkout-flow'.")) << r.text;
  EXPECT_TRUE(has(r.text, "# Canary failure analysis: checkout-flow")) << r.text;
  EXPECT_TRUE(has(r.text, "Failure streak: 3 consecutive failed runs")) << r.text;
}

TEST_F(AnalyzeCanaryFailures, CaseAndSeparatorsAreForgiven) {
  // Not a well-formed canary name: resolved from DescribeCanaries without a GetCanary for it.
  auto spaced = h.call("analyze_canary_failures", json::object{{"canary_name", "Inventory API Check"}});
  ASSERT_FALSE(spaced.is_error) << spaced.text;
  EXPECT_TRUE(has(spaced.text, "Note: resolved canary name 'Inventory API Check' to 'inventory-api-check'."))
      << spaced.text;
  EXPECT_TRUE(has(spaced.text, "- Missing actions: s3:PutObject")) << spaced.text;
  for (const auto& q : h.requests())
    if (q.operation == "GetCanary") {
      EXPECT_EQ(q.input.at("Name"), "inventory-api-check");
    }
  auto underscored = h.call("analyze_canary_failures", json::object{{"canary_name", "petclinic_home"}});
  ASSERT_FALSE(underscored.is_error) << underscored.text;
  EXPECT_TRUE(has(underscored.text, "resolved canary name 'petclinic_home' to 'petclinic-home'")) << underscored.text;
  EXPECT_TRUE(has(underscored.text, "The canary is healthy")) << underscored.text;
}

TEST_F(AnalyzeCanaryFailures, UnreadableCanaryListStillSaysNotFoundAndNamesTheAction) {
  h.arm_fault(fakeaws::FaultSpec{"DescribeCanaries", fakeaws::FaultKind::kAccessDenied, -1});
  auto r = h.call("analyze_canary_failures", json::object{{"canary_name", "no-such-canary"}});
  ASSERT_TRUE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "'no-such-canary' was not found")) << r.text;
  EXPECT_TRUE(has(r.text, "synthetics:DescribeCanaries")) << r.text;
}

// One source of the analysis denied at a time: its section names the IAM action and the rest of
// the report is still there. Only the core calls (GetCanary, GetCanaryRuns) end the analysis.
struct DeniedSource {
  const char* op;
  const char* canary;
  const char* iam_action;
};

class AnalyzeCanaryFailuresDegrades : public ::testing::TestWithParam<DeniedSource> {};

TEST_P(AnalyzeCanaryFailuresDegrades, OneFailingSourceIsReportedAndTheReportGoesOn) {
  const auto& p = GetParam();
  ToolHarness h{register_analyze_only};
  h.arm_fault(fakeaws::FaultSpec{p.op, fakeaws::FaultKind::kAccessDenied, -1});
  auto r = h.call("analyze_canary_failures", json::object{{"canary_name", p.canary}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_GE(count_ops(h.requests(), p.op), 1u) << "the source was not called";
  EXPECT_TRUE(has(r.text, p.iam_action)) << r.text;
  EXPECT_TRUE(has(r.text, "## Summary")) << r.text;
  EXPECT_TRUE(has(r.text, "## Recommendations")) << r.text;
  EXPECT_TRUE(has(r.text, "## Knowledge-base matches")) << r.text;
}

INSTANTIATE_TEST_SUITE_P(
    EachSource, AnalyzeCanaryFailuresDegrades,
    ::testing::Values(DeniedSource{"ListAuditFindings", "checkout-flow", "application-signals:ListAuditFindings"},
                      DeniedSource{"ListObjectsV2", "checkout-flow", "s3:ListBucket"},
                      DeniedSource{"GetObject", "checkout-flow", "s3:GetObject"},
                      DeniedSource{"FilterLogEvents", "inventory-api-check", "logs:FilterLogEvents"},
                      DeniedSource{"GetFunction", "inventory-api-check", "lambda:GetFunction"},
                      DeniedSource{"GetRole", "inventory-api-check", "iam:GetRole"},
                      DeniedSource{"ListAttachedRolePolicies", "inventory-api-check", "iam:ListAttachedRolePolicies"},
                      DeniedSource{"GetPolicy", "inventory-api-check", "iam:GetPolicy"},
                      DeniedSource{"GetPolicyVersion", "inventory-api-check", "iam:GetPolicyVersion"}),
    [](const ::testing::TestParamInfo<DeniedSource>& param_info) { return std::string(param_info.param.op); });

TEST_F(AnalyzeCanaryFailures, CoreCallFailureEndsTheAnalysisWithTheAction) {
  h.arm_fault(fakeaws::FaultSpec{"GetCanary", fakeaws::FaultKind::kAccessDenied, -1});
  auto r = h.call("analyze_canary_failures", json::object{{"canary_name", "checkout-flow"}});
  ASSERT_TRUE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "synthetics:GetCanary")) << r.text;
  EXPECT_EQ(count_ops(h.requests(), "ListObjectsV2"), 0u);
}

TEST_F(AnalyzeCanaryFailures, AccessDeniedOnGetCanaryRunsNamesTheAction) {
  h.arm_fault(fakeaws::FaultSpec{"GetCanaryRuns", fakeaws::FaultKind::kAccessDenied, 1});
  auto r = h.call("analyze_canary_failures", json::object{{"canary_name", "checkout-flow"}});
  ASSERT_TRUE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "synthetics:GetCanaryRuns")) << r.text;
}

TEST_F(AnalyzeCanaryFailures, ThrottlingPastRetriesIsAnErrorWithGuidance) {
  h.arm_fault(fakeaws::FaultSpec{"GetCanary", fakeaws::FaultKind::kThrottle, 10});
  auto r = h.call("analyze_canary_failures", json::object{{"canary_name", "checkout-flow"}});
  ASSERT_TRUE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "throttled")) << r.text;
}

TEST_F(AnalyzeCanaryFailures, AuditFailureIsReportedNotFatal) {
  h.arm_fault(fakeaws::FaultSpec{"ListAuditFindings", fakeaws::FaultKind::kAccessDenied, 1});
  auto r = h.call("analyze_canary_failures", json::object{{"canary_name", "checkout-flow"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "Not available: could not read the canary's audit findings")) << r.text;
  EXPECT_TRUE(has(r.text, "application-signals:ListAuditFindings")) << r.text;
  EXPECT_TRUE(has(r.text, "HAR comparison")) << r.text;
}

TEST_F(AnalyzeCanaryFailures, IamFailureDuringAnalysisNamesTheIamAction) {
  h.arm_fault(fakeaws::FaultSpec{"GetRole", fakeaws::FaultKind::kAccessDenied, 1});
  auto r = h.call("analyze_canary_failures", json::object{{"canary_name", "inventory-api-check"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "could not read role CloudWatchSyntheticsRole-inventory-api-check")) << r.text;
  EXPECT_TRUE(has(r.text, "iam:GetRole")) << r.text;
}

TEST_F(AnalyzeCanaryFailures, S3ListingDeniedIsReportedAndLambdaLogsAreUsed) {
  h.arm_fault(fakeaws::FaultSpec{"ListObjectsV2", fakeaws::FaultKind::kAccessDenied, -1});
  auto r = h.call("analyze_canary_failures", json::object{{"canary_name", "checkout-flow"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "s3:ListBucket")) << r.text;
  EXPECT_TRUE(has(r.text, "## Lambda logs (fallback")) << r.text;
  EXPECT_TRUE(has(r.text, "TimeoutError: Navigation timeout of 30000 ms exceeded")) << r.text;
}

TEST_F(AnalyzeCanaryFailures, DescriptionFeedsTheKnowledgeBase) {
  auto r = h.call("analyze_canary_failures",
                  json::object{{"canary_name", "checkout-flow"},
                               {"description", std::string("The checkout page is a single page app with a slow backend. ") +
                                                   std::string(600, 'x')}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "confidence 100%")) << r.text;  // environment keyword from the description
  EXPECT_TRUE(has(r.text, "(cut to 500 characters)")) << r.text;
}

TEST_F(AnalyzeCanaryFailures, MissingCanaryNameIsAnArgumentError) {
  auto r = h.call("analyze_canary_failures", json::object{});
  ASSERT_FALSE(r.rpc_error);
  ASSERT_TRUE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "missing required argument 'canary_name'")) << r.text;
  EXPECT_TRUE(has(r.text, "analyze_canary_failures(canary_name=\"checkout-flow\")")) << r.text;
}

TEST_F(AnalyzeCanaryFailures, RegionArgumentIsValidated) {
  auto r = h.call("analyze_canary_failures", json::object{{"canary_name", "checkout-flow"}, {"region", "Not A Region!"}});
  ASSERT_TRUE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "region")) << r.text;
}

}  // namespace
}  // namespace appsignals::testing

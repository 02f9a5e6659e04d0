// Pure helpers of analyze_canary_failures: streak, S3 locations, artifact kinds, HAR parsing
// (plain and the Synthetics HTML page, truncated), Lambda ARNs, IAM policy checks, advice.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "common/encoding.h"
#include "tools/canaries/canary_analysis.h"

namespace appsignals::tools::canaries {
namespace {

namespace json = boost::json;

TEST(CanaryAnalysis, StreakCountsFailuresSinceTheLastPassAndGroupsReasons) {
  auto runs = parse_runs(json::parse(R"([
    {"Id":"1","Status":{"State":"FAILED","StateReason":"A"},"Timeline":{"Started":100}},
    {"Id":"2","Status":{"State":"FAILED","StateReason":"B"},"Timeline":{"Started":90}},
    {"Id":"3","Status":{"State":"FAILED","StateReason":"A"},"Timeline":{"Started":80}},
    {"Id":"4","Status":{"State":"PASSED"},"Timeline":{"Started":70}},
    {"Id":"5","Status":{"State":"FAILED","StateReason":"C"},"Timeline":{"Started":60}}])")
                             .as_array());
  auto s = failure_streak(runs);
  EXPECT_EQ(s.length, 3);
  EXPECT_FALSE(s.reaches_history_end);
  ASSERT_EQ(s.reasons.size(), 2u);
  EXPECT_EQ(s.reasons[0].reason, "A");
  EXPECT_EQ(s.reasons[0].count, 2);
  EXPECT_EQ(*s.last_passed, 3u);
  EXPECT_EQ(*s.last_failed, 0u);
  EXPECT_DOUBLE_EQ(runs[0].started, 100);
}

TEST(CanaryAnalysis, S3LocationsAcceptBothForms) {
  auto a = parse_s3_location("s3://bucket/canary/us-east-1/x/");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->bucket, "bucket");
  EXPECT_EQ(a->prefix, "canary/us-east-1/x");
  auto b = parse_s3_location("bucket");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->prefix, "");
  EXPECT_FALSE(parse_s3_location(""));
  EXPECT_EQ(date_prefix(*a, 1772452800), "canary/us-east-1/x/2026/03/02/");
}

TEST(CanaryAnalysis, ArtifactsAreClassifiedByName) {
  EXPECT_EQ(classify_artifact("a/b.har"), ArtifactKind::kHar);
  EXPECT_EQ(classify_artifact("a/b.har.gz"), ArtifactKind::kHar);
  EXPECT_EQ(classify_artifact("a/b.HAR.html"), ArtifactKind::kHar);
  EXPECT_EQ(classify_artifact("a/01-step.png"), ArtifactKind::kScreenshot);
  EXPECT_EQ(classify_artifact("a/shot.jpg"), ArtifactKind::kScreenshot);
  EXPECT_EQ(classify_artifact("a/logs-FAILED.txt"), ArtifactKind::kLog);
  EXPECT_EQ(classify_artifact("a/run.log"), ArtifactKind::kLog);
  EXPECT_EQ(classify_artifact("a/SyntheticsReport-FAILED.json"), ArtifactKind::kReport);
}

TEST(CanaryAnalysis, HarIsReadFromTheSyntheticsHtmlPage) {
  std::string html =
      R"(<html><script>var harOutput = {"log":{"entries":[)"
      R"({"startedDateTime":"2026-03-02T12:00:00Z","time":100,"request":{"method":"GET","url":"https://a/"},"response":{"status":200}},)"
      R"({"startedDateTime":"2026-03-02T12:00:01Z","time":3000,"request":{"method":"POST","url":"https://a/api"},"response":{"status":0,"_error":"net::ERR_TIMED_OUT"}},)"
      R"({"startedDateTime":"2026-03-02T12:00:01Z","time":50,"request":{"method":"GET","url":"https://a/x"},"response":{"status":503}})"
      R"(]}};</script></html>)";
  auto p = parse_har(html);
  ASSERT_TRUE(p.har) << p.problem;
  ASSERT_EQ(p.har->entries.size(), 3u);
  EXPECT_DOUBLE_EQ(p.har->total_ms, 4000);
  EXPECT_TRUE(har_entry_failed(p.har->entries[1]));
  EXPECT_TRUE(har_entry_failed(p.har->entries[2]));
  EXPECT_FALSE(har_entry_failed(p.har->entries[0]));

  auto truncated = parse_har(html.substr(0, html.size() / 2));
  EXPECT_FALSE(truncated.har);
  EXPECT_NE(truncated.problem.find("incomplete"), std::string::npos) << truncated.problem;
  EXPECT_FALSE(parse_har("<html>nothing</html>").har);
}

TEST(CanaryAnalysis, HarComparisonNamesFailedRequestsAndNewOnes) {
  auto failed = parse_har(R"({"log":{"entries":[{"time":30000,"request":{"method":"POST","url":"https://a/api"},"response":{"status":0}}]}})");
  auto passed = parse_har(R"({"log":{"entries":[{"time":800,"request":{"method":"GET","url":"https://a/"},"response":{"status":200}}]}})");
  ASSERT_TRUE(failed.har && passed.har);
  auto text = render_har_comparison(*failed.har, *passed.har);
  EXPECT_NE(text.find("Requests: 1 in the failed run vs 1 in the passing run"), std::string::npos) << text;
  EXPECT_NE(text.find("POST https://a/api → no response after 30000 ms; not requested in the passing run"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("(+29200 ms)"), std::string::npos) << text;
}

TEST(CanaryAnalysis, FunctionNameComesFromTheEngineArn) {
  EXPECT_EQ(*function_name_from_arn("arn:aws:lambda:us-east-1:1:function:cwsyn-x-abc:7"), "cwsyn-x-abc");
  EXPECT_EQ(*function_name_from_arn("arn:aws:lambda:us-east-1:1:function:cwsyn-x-abc"), "cwsyn-x-abc");
  EXPECT_FALSE(function_name_from_arn("cwsyn-x"));
}

TEST(CanaryAnalysis, PolicyCheckNamesExactlyTheMissingActions) {
  std::string doc =
      R"({"Statement":[{"Effect":"Allow","Action":["s3:GetBucketLocation","s3:Get*"],"Resource":"arn:aws:s3:::cw-syn-*"},)"
      R"({"Effect":"Allow","Action":"logs:*","Resource":"*"},)"
      R"({"Effect":"Allow","Action":"cloudwatch:PutMetricData","Resource":"*","Condition":{"StringEquals":{"cloudwatch:namespace":"CloudWatchSynthetics"}}}]})";
  auto decoded = decode_policy_document(percent_encode(doc));
  ASSERT_TRUE(decoded);
  std::vector<PolicyDocument> docs{{"P", *decoded}};
  S3Location loc{"cw-syn-results-1-us-east-1", "canary/us-east-1/x"};
  auto checks = check_actions(required_canary_actions(loc, "us-east-1", "1", "cwsyn-x"), docs);
  std::vector<std::string> missing;
  for (const auto& c : checks)
    if (!c.allowed || c.denied) missing.push_back(c.required.action);
  EXPECT_EQ(missing, std::vector<std::string>{"s3:PutObject"});
  EXPECT_TRUE(checks.back().conditional);

  // An explicit Deny wins over an Allow.
  docs.push_back({"D", json::parse(R"({"Statement":{"Effect":"Deny","Action":"logs:PutLogEvents","Resource":"*"}})")});
  auto with_deny = check_actions(required_canary_actions(loc, "us-east-1", "1", "cwsyn-x"), docs);
  EXPECT_TRUE(with_deny[3].denied);
}

TEST(CanaryAnalysis, PatternAdviceCoversDiskMemoryNavigationAndVisual) {
  auto ids = [](std::string_view text) {
    std::vector<std::string> out;
    for (const auto& a : pattern_advice(text, 1500, 60)) out.push_back(a.id);
    return out;
  };
  EXPECT_EQ(ids("Error: ENOSPC: no space left on device"), std::vector<std::string>{"disk"});
  EXPECT_EQ(ids("Protocol error (Runtime.callFunctionOn): Target closed."), std::vector<std::string>{"memory"});
  EXPECT_EQ(ids("TimeoutError: Navigation timeout of 30000 ms exceeded"),
            std::vector<std::string>{"navigation_timeout"});
  EXPECT_EQ(ids("Failed: visual variation of 12% above the threshold"), std::vector<std::string>{"visual_variation"});
  EXPECT_EQ(ids("User is not authorized to perform: s3:PutObject"), std::vector<std::string>{"permissions"});
  EXPECT_TRUE(ids("all good").empty());
}

}  // namespace
}  // namespace appsignals::tools::canaries

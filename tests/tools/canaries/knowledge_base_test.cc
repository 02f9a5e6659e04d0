// The canary knowledge base: the built-in data file is valid, and scoring follows the weights
// (error 0.4 required, symptoms 0.2, runtime 0.2, environment 0.2; threshold 0.6).
#include <gtest/gtest.h>

#include <set>

#include "tools/canaries/knowledge_base.h"

namespace appsignals::tools::canaries {
namespace {

const KbEntry& entry(const std::string& id) {
  for (const auto& e : knowledge_base())
    if (e.id == id) return e;
  throw std::runtime_error("no entry " + id);
}

TEST(CanaryKnowledgeBase, BuiltInFileParsesWithTwelveToSixteenUniqueEntries) {
  auto kb = parse_knowledge_base(knowledge_base_json());
  ASSERT_TRUE(kb.ok()) << kb.error().message;
  EXPECT_GE(kb->size(), 12u);
  EXPECT_LE(kb->size(), 16u);
  std::set<std::string> ids;
  for (const auto& e : *kb) {
    EXPECT_TRUE(ids.insert(e.id).second) << e.id;
    EXPECT_FALSE(e.error_patterns.empty()) << e.id;
    EXPECT_FALSE(e.recommendations.empty()) << e.id;
  }
}

TEST(CanaryKnowledgeBase, NavigationTimeoutOnPuppeteerMatchesAboveThreshold) {
  KbContext ctx;
  ctx.error_text = "Navigation timeout of 30000 ms exceeded";
  ctx.evidence_text = "request still pending after 25000 ms; waiting for selector #done";
  ctx.runtime = "syn-nodejs-puppeteer-9.1";
  auto m = score_entry(entry("RUNTIME-001"), ctx);
  EXPECT_DOUBLE_EQ(m.error, 0.4);
  EXPECT_DOUBLE_EQ(m.symptom, 0.2);
  EXPECT_DOUBLE_EQ(m.runtime, 0.2);
  EXPECT_DOUBLE_EQ(m.environment, 0.0);
  EXPECT_NEAR(m.score, 0.8, 1e-9);
  auto matches = match_knowledge_base(knowledge_base(), ctx);
  ASSERT_FALSE(matches.empty());
  EXPECT_EQ(matches.front().entry->id, "RUNTIME-001");
  EXPECT_LE(matches.size(), kKbMaxShown);

  ctx.environment_text = "our checkout is a single page app";
  EXPECT_NEAR(score_entry(entry("RUNTIME-001"), ctx).score, 1.0, 1e-9);
}

TEST(CanaryKnowledgeBase, ErrorMatchAloneStaysBelowThreshold) {
  KbContext ctx;
  ctx.error_text = "Navigation timeout of 30000 ms exceeded";
  ctx.runtime = "syn-python-selenium-5.1";  // not a runtime the entry lists, no symptoms, no environment
  auto m = score_entry(entry("RUNTIME-001"), ctx);
  EXPECT_NEAR(m.score, 0.4, 1e-9);
  EXPECT_LT(m.score, kKbThreshold);
  for (const auto& x : match_knowledge_base(knowledge_base(), ctx)) EXPECT_NE(x.entry->id, "RUNTIME-001");
}

TEST(CanaryKnowledgeBase, NoErrorPatternMeansNoScoreWhateverElseMatches) {
  KbContext ctx;
  ctx.error_text = "something unrelated happened";
  ctx.evidence_text = "timeout pending slow waiting for selector";
  ctx.runtime = "syn-nodejs-puppeteer-9.1";
  ctx.environment_text = "single page app";
  EXPECT_DOUBLE_EQ(score_entry(entry("RUNTIME-001"), ctx).score, 0.0);
  EXPECT_TRUE(match_knowledge_base(knowledge_base(), ctx).empty());
}

TEST(CanaryKnowledgeBase, PermissionFailureMatchesTheArtifactUploadEntry) {
  KbContext ctx;
  ctx.error_text = "Access Denied: ... is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::b/p";
  ctx.evidence_text = "no artifacts; Failed to upload artifacts to S3: AccessDenied";
  ctx.runtime = "syn-python-selenium-5.1";
  auto matches = match_knowledge_base(knowledge_base(), ctx);
  ASSERT_FALSE(matches.empty());
  EXPECT_EQ(matches.front().entry->id, "RUNTIME-005");
  EXPECT_NEAR(matches.front().score, 0.7, 1e-9);  // 0.4 + 0.2 symptoms + 0.1 (written for every runtime)
}

TEST(CanaryKnowledgeBase, RuntimeVersionsSupportOrLaterAndWildcards) {
  EXPECT_TRUE(runtime_matches("syn-nodejs-puppeteer-9.1", "syn-nodejs-puppeteer-6.1+"));
  EXPECT_TRUE(runtime_matches("syn-nodejs-puppeteer-6.1", "syn-nodejs-puppeteer-6.1+"));
  EXPECT_FALSE(runtime_matches("syn-nodejs-puppeteer-6.0", "syn-nodejs-puppeteer-6.1+"));
  EXPECT_FALSE(runtime_matches("syn-python-selenium-9.1", "syn-nodejs-puppeteer-6.1+"));
  EXPECT_TRUE(runtime_matches("syn-python-selenium-5.1", "syn-python-selenium-*"));
  EXPECT_TRUE(runtime_matches("syn-nodejs-puppeteer-9.1", "syn-nodejs-puppeteer-9.1"));
  EXPECT_FALSE(runtime_matches("syn-nodejs-puppeteer-9.1", "syn-nodejs-puppeteer-9.0"));
}

TEST(CanaryKnowledgeBase, InvalidFilesAreRejectedWithTheEntryNamed) {
  auto bad_regex = parse_knowledge_base(
      R"({"entries":[{"id":"X-1","title":"t","severity":"high","error_patterns":[{"type":"regex","value":"(("}],)"
      R"("symptoms":[],"runtime_versions":[],"environment":[],"recommendations":["r"]}]})");
  ASSERT_FALSE(bad_regex.ok());
  EXPECT_NE(bad_regex.error().message.find("X-1"), std::string::npos);
  auto no_patterns = parse_knowledge_base(
      R"({"entries":[{"id":"X-2","title":"t","severity":"high","error_patterns":[],)"
      R"("symptoms":[],"runtime_versions":[],"environment":[],"recommendations":["r"]}]})");
  ASSERT_FALSE(no_patterns.ok());
  auto dup = parse_knowledge_base(
      R"({"entries":[{"id":"D","title":"t","severity":"low","error_patterns":[{"type":"contains","value":"a"}],)"
      R"("symptoms":[],"runtime_versions":[],"environment":[],"recommendations":["r"]},)"
      R"({"id":"D","title":"t","severity":"low","error_patterns":[{"type":"contains","value":"a"}],)"
      R"("symptoms":[],"runtime_versions":[],"environment":[],"recommendations":["r"]}]})");
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("duplicate"), std::string::npos);
}

}  // namespace
}  // namespace appsignals::tools::canaries

// The ranking and paging of wildcard audits without AWS: the worst finding leads the first page
// wherever its target sits, and the cap of kAuditCap targets per call continues with next_token
// (the sample account has too few services to reach the cap).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "tools/audit/audit_common.h"

namespace appsignals::tools::audit {
namespace {

bool has(const std::string& text, std::string_view what) { return text.find(what) != std::string::npos; }

json::object finding(const std::string& name, const std::string& severity) {
  return boost::json::parse(R"({"KeyAttributes":{"Type":"Service","Name":")" + name +
                            R"(","Environment":"ecs:c"},"Type":"Service","AuditorResults":[{"Auditor":"slo","Severity":")" +
                            severity + R"(","Description":"d"}]})")
      .as_object();
}

// `n` audited services svc-0.. in target order; svc-<critical> is breached, svc-<warning> warns.
AuditRun run_of(std::size_t n, std::size_t critical, std::size_t warning) {
  AuditRun run;
  run.targets = n;
  run.batches = (n + kBatchSize - 1) / kBatchSize;
  for (std::size_t i = 0; i < n; ++i) {
    AuditEntry e;
    e.label = "svc-" + std::to_string(i) + " (ecs:c)";
    if (i == critical) e.findings.push_back(finding("svc-" + std::to_string(i), "CRITICAL"));
    if (i == warning) e.findings.push_back(finding("svc-" + std::to_string(i), "WARNING"));
    e.worst = i == critical ? severity_rank("CRITICAL") : i == warning ? severity_rank("warning") : kNoFindings;
    run.entries.push_back(std::move(e));
  }
  return run;
}

Paging paging(std::size_t matched, PageToken at) {
  Paging p;
  p.tool = "audit_services";
  p.targets_arg = "service_targets";
  p.targets_text = "\"*\"";
  p.window = TimeWindow{TimePoint(std::chrono::seconds(1000)), TimePoint(std::chrono::seconds(2000))};
  p.size_arg = "max_services";
  p.size = 5;
  p.what = "services";
  p.matched = matched;
  p.at = at;
  return p;
}

std::string token_in(const std::string& text) {
  auto p = text.find("next_token: \"");
  if (p == std::string::npos) return {};
  p += 13;
  return text.substr(p, text.find('"', p) - p);
}

TEST(AuditRanking, SeverityOrder) {
  EXPECT_LT(severity_rank("CRITICAL"), severity_rank("HIGH"));
  EXPECT_LT(severity_rank("HIGH"), severity_rank("WARNING"));
  EXPECT_LT(severity_rank("warning"), severity_rank("MEDIUM"));
  EXPECT_LT(severity_rank("LOW"), severity_rank("INFO"));
  EXPECT_LT(severity_rank("INFO"), severity_rank("NONE"));
  EXPECT_LT(severity_rank("NONE"), kNoFindings);
}

TEST(AuditRanking, TheLastTargetsBreachLeadsPageOne) {
  auto run = run_of(50, 49, 30);
  auto order = ranked(run);
  ASSERT_EQ(order.size(), 50u);
  EXPECT_EQ(order[0]->label, "svc-49 (ecs:c)");
  EXPECT_EQ(order[1]->label, "svc-30 (ecs:c)");
  EXPECT_EQ(order[2]->label, "svc-0 (ecs:c)");  // ties keep target order
  auto text = render_ranked(run, paging(50, PageToken{0, 0}));
  EXPECT_TRUE(has(text, "Page: ranks 1-5 of 50 (max_services=5)")) << text;
  EXPECT_TRUE(has(text, "\n1. svc-49 (ecs:c)\n")) << text;
  EXPECT_TRUE(has(text, "[CRITICAL] slo: d")) << text;
  EXPECT_TRUE(has(text, "\n2. svc-30 (ecs:c)\n")) << text;
  EXPECT_TRUE(has(text, "3. svc-0 (ecs:c): no findings in the window.")) << text;
  EXPECT_TRUE(has(text, "Findings: 2 of 50 audited targets with findings")) << text;
  EXPECT_EQ(token_in(text), "v1:0:5");
}

TEST(AuditRanking, TheCapContinuesWithTheNextAuditWindow) {
  // 120 matched: this call audited the first 50; after its last ranked page comes the next 50.
  auto run = run_of(50, 3, 4);
  auto first = render_ranked(run, paging(120, PageToken{0, 0}));
  EXPECT_TRUE(has(first, "Coverage: 50 of 120 matched services audited in this call (service 1 to 50 of the match "
                         "list; at most 50 per call, ranked together).")) << first;
  EXPECT_TRUE(has(first, "45 more ranked services on the next pages; then 70 more matched services not audited yet"))
      << first;
  auto last_page = render_ranked(run, paging(120, PageToken{0, 45}));
  EXPECT_TRUE(has(last_page, "Page: ranks 46-50 of 50")) << last_page;
  EXPECT_EQ(token_in(last_page), "v1:50:0");
  auto second = render_ranked(run_of(50, 0, 1), paging(120, PageToken{50, 45}));
  EXPECT_TRUE(has(second, "service 51 to 100 of the match list")) << second;
  EXPECT_EQ(token_in(second), "v1:100:0");
  auto tail = render_ranked(run_of(20, 0, 1), paging(120, PageToken{100, 15}));
  EXPECT_TRUE(has(tail, "Complete: every matched service has been audited")) << tail;
  EXPECT_EQ(token_in(tail), "");
}

TEST(AuditRanking, SliceAndTokens) {
  std::vector<int> all(120);
  for (int i = 0; i < 120; ++i) all[static_cast<std::size_t>(i)] = i;
  auto s = audit_slice(all, PageToken{50, 0});
  ASSERT_EQ(s.size(), kAuditCap);
  EXPECT_EQ(s.front(), 50);
  EXPECT_EQ(s.back(), 99);
  EXPECT_EQ(audit_slice(all, PageToken{100, 0}).size(), 20u);
  EXPECT_TRUE(audit_slice(all, PageToken{150, 0}).empty());
  auto t = parse_token(format_token(PageToken{100, 15}));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->audit_offset, 100u);
  EXPECT_EQ(t->rank_offset, 15u);
  EXPECT_FALSE(parse_token("v1:7:0"));  // not an audit window boundary
  EXPECT_FALSE(parse_token("abc"));
  EXPECT_FALSE(parse_token("v1:0:"));
}

TEST(AuditRanking, FailedTargetsAreNeitherRankedNorHealthy) {
  auto run = run_of(10, 9, 99);
  for (std::size_t i = 0; i < 5; ++i) run.entries[i].failed = true;
  FailedBatch f;
  f.error = Error{ErrorCode::kPermissionDenied, "AccessDenied"};
  f.targets = {"svc-0 (ecs:c)"};
  run.failed.push_back(f);
  auto text = render_ranked(run, std::nullopt);
  EXPECT_TRUE(has(text, "Findings: 1 of 5 audited targets with findings")) << text;
  EXPECT_FALSE(has(text, "svc-0 (ecs:c): no findings")) << text;
  EXPECT_TRUE(has(text, "Failed batches: 1 of 2")) << text;
}

}  // namespace
}  // namespace appsignals::tools::audit

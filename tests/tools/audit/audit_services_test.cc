// audit_services against the fake sample account: the payments incident's findings, targets in
// every form (bare names, comma lists, "*", JSON lists and text, target objects), times in any
// form, auditors in any case, wildcard audits ranked across every match (the breached service on
// page 1 whatever its position), resolved and unknown names, batches of at most 5, argument
// errors, AWS failures, golden output.
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

json::object targets(json::value v) { return json::object{{"service_targets", std::move(v)}}; }

TEST(AuditServices, PaymentsFindingsWithSeverities) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_services", targets(R"([{"Type":"service","Service":"payments"}])"));
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "Region: us-east-1")) << r.text;
  EXPECT_TRUE(has(r.text, "Window: 2026-03-01T12:00:00Z to 2026-03-02T12:00:00Z (24 h")) << r.text;
  EXPECT_TRUE(has(r.text, "Auditors: slo, operation_metric")) << r.text;
  EXPECT_TRUE(has(r.text, "payments (ecs:shop-cluster)")) << r.text;
  EXPECT_TRUE(has(r.text, "[CRITICAL] slo: SLO payments-charge-availability is BREACHED")) << r.text;
  EXPECT_TRUE(has(r.text, "[HIGH] operation_metric: Fault rate of POST /payments/charge rose from 0.1% to 32%"))
      << r.text;
  EXPECT_TRUE(has(r.text, "[HIGH] operation_metric: p99 latency of POST /payments/charge")) << r.text;
  EXPECT_TRUE(has(r.text, "1 CRITICAL, 2 HIGH")) << r.text;
  // The environment was filled from ListServices, and the auditors were sent.
  auto batches = audit_batches(h);
  ASSERT_EQ(batches.size(), 1u);
  const auto& svc = batches[0][0].at("Data").at("Service").as_object();
  EXPECT_EQ(svc.at("Name"), "payments");
  EXPECT_EQ(svc.at("Environment"), "ecs:shop-cluster");
  EXPECT_EQ(svc.at("Type"), "Service");
  for (const auto& req : h.requests())
    if (req.operation == "ListAuditFindings") {
      EXPECT_EQ(req.input.at("Auditors"), (json::array{"slo", "operation_metric"}));
      EXPECT_EQ(req.input.at("StartTime"), "2026-03-01T12:00:00Z");
      EXPECT_EQ(req.input.at("EndTime"), "2026-03-02T12:00:00Z");
    }
}

TEST(AuditServices, EveryDocumentedShorthandIsNormalised) {
  ToolHarness h(kRegistrar);
  const char* forms[] = {
      R"([{"Type":"service","Service":"payments"}])",
      R"([{"Type":"service","Data":{"Service":"payments"}}])",
      R"([{"target_type":"service","service":"payments"}])",
      R"([{"type":"SERVICE","data":{"service":{"name":"payments"}}}])",
      R"([{"Type":"service","Data":{"Service":{"Type":"Service","Name":"payments","Environment":"ecs:shop-cluster"}}}])",
      R"({"Type":"service","Service":"payments"})",
      R"({"Name":"payments","Environment":"ecs:shop-cluster"})",
  };
  for (const char* f : forms) {
    auto r = h.call("audit_services", targets(f));
    ASSERT_FALSE(r.is_error) << f << "\n" << r.text;
    EXPECT_TRUE(has(r.text, "SLO payments-charge-availability is BREACHED")) << f << "\n" << r.text;
  }
  for (const auto& batch : audit_batches(h)) {
    ASSERT_EQ(batch.size(), 1u);
    const auto& svc = batch[0].at("Data").at("Service").as_object();
    EXPECT_EQ(svc.at("Name"), "payments");
    EXPECT_EQ(svc.at("Environment"), "ecs:shop-cluster");
    EXPECT_EQ(batch[0].at("Type"), "service");
  }
  EXPECT_EQ(count_ops(h, "ListAuditFindings"), std::size(forms));
}

TEST(AuditServices, BareNamesListsAndJsonInAnyForm) {
  // These failed with "must be a JSON array ... not valid JSON" before targets were read leniently.
  ToolHarness h(kRegistrar);
  struct Case {
    json::value value;
    std::vector<std::string> names;
  };
  std::vector<Case> cases = {
      {json::value("payments"), {"payments"}},
      {json::value("  payments  "), {"payments"}},
      {json::value("payments, checkout"), {"payments", "checkout"}},
      {json::value(R"(["payments","checkout"])"), {"payments", "checkout"}},
      {json::value(R"("payments")"), {"payments"}},
      {json::array{"payments", "checkout"}, {"payments", "checkout"}},
      {json::array{json::object{{"SERVICE", "payments"}}}, {"payments"}},
  };
  for (const auto& c : cases) {
    auto before = audit_batches(h).size();
    auto r = h.call("audit_services", targets(c.value));
    ASSERT_FALSE(r.is_error) << json::serialize(c.value) << "\n" << r.text;
    EXPECT_TRUE(has(r.text, "SLO payments-charge-availability is BREACHED")) << r.text;
    auto batches = audit_batches(h);
    ASSERT_EQ(batches.size(), before + 1) << json::serialize(c.value);
    ASSERT_EQ(batches.back().size(), c.names.size()) << json::serialize(c.value);
    for (std::size_t i = 0; i < c.names.size(); ++i)
      EXPECT_EQ(batches.back()[i].at("Data").at("Service").at("Name"), json::value(c.names[i])) << json::serialize(c.value);
  }
}

TEST(AuditServices, UnreadableTargetsShowEveryAcceptedForm) {
  ToolHarness h(kRegistrar);
  for (const char* bad : {"[{\"Type\":\"service\", ", "{\"Type\":\"service\",\"Data\":{}}", "[]"}) {
    auto r = h.call("audit_services", targets(bad));
    EXPECT_TRUE(r.is_error) << bad;
    EXPECT_TRUE(has(r.text, "service_targets")) << r.text;
    EXPECT_TRUE(has(r.text, "\"payments\"")) << r.text;
    EXPECT_TRUE(has(r.text, "\"payments, checkout\"")) << r.text;
    EXPECT_TRUE(has(r.text, "\"*\"")) << r.text;
    EXPECT_TRUE(has(r.text, R"(["payments","checkout"])")) << r.text;
    EXPECT_TRUE(has(r.text, R"({"Type":"service","Service":"payments"})")) << r.text;
    EXPECT_TRUE(has(r.text, R"({"Type":"service","Data":{"Service":{"Type":"Service","Name":"payments")")) << r.text;
  }
  // A huge comma list is refused at the cap, before any work per item.
  std::string many;
  for (int i = 0; i < 100000; ++i) many += "svc" + std::to_string(i) + ",";
  auto flood = h.call("audit_services", targets(json::value(many)));
  EXPECT_TRUE(flood.is_error);
  EXPECT_TRUE(has(flood.text, "has more than 200 targets: use a wildcard")) << flood.text.substr(0, 300);
  auto number = h.call("audit_services", targets(json::value(42)));
  EXPECT_TRUE(number.is_error);
  EXPECT_TRUE(has(number.text, "Accepted forms")) << number.text;
  EXPECT_EQ(count_ops(h, "ListAuditFindings"), 0u);
}

TEST(AuditServices, WildcardRanksTheBreachedServiceOnPageOneWhateverItsPosition) {
  // payments is the 7th of 11 instrumented services in listing order: with one service per page,
  // a listing-ordered audit showed "frontend: none" on page 1. Ranked, page 1 is the breach.
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_services", json::object{{"service_targets", "*"}, {"max_services", 1}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "Page: ranks 1-1 of 11 (max_services=1)")) << r.text;
  EXPECT_TRUE(has(r.text, "\n1. payments (ecs:shop-cluster)\n")) << r.text;
  EXPECT_TRUE(has(r.text, "[CRITICAL] slo: SLO payments-charge-availability is BREACHED")) << r.text;
  EXPECT_FALSE(has(r.text, "Findings: none")) << r.text;
  EXPECT_FALSE(has(r.text, "\n2. ")) << r.text;  // one per page
  EXPECT_TRUE(has(r.text, "Coverage: 11 of 11 matched services audited in this call")) << r.text;
  EXPECT_TRUE(has(r.text, "Ranking (worst first): payments (ecs:shop-cluster) CRITICAL; checkout (ecs:shop-cluster) MEDIUM; no findings: frontend"))
      << r.text;
  EXPECT_TRUE(has(r.text, "10 more ranked services on the next pages")) << r.text;
  // Every matched service was audited in this one call, in batches of at most 5.
  auto batches = audit_batches(h);
  std::size_t total = 0;
  for (const auto& b : batches) {
    EXPECT_LE(b.size(), 5u);
    total += b.size();
  }
  EXPECT_EQ(total, 11u);
  EXPECT_EQ(batches.size(), 3u);

  // Page 2: the next worst.
  auto token = next_token_of(r.text);
  ASSERT_FALSE(token.empty()) << r.text;
  EXPECT_TRUE(has(r.text, "service_targets: \"*\"")) << r.text;
  auto page2 = h.call("audit_services", json::object{{"service_targets", "*"},
                                                     {"start_time", "1772366400"},
                                                     {"end_time", "1772452800"},
                                                     {"next_token", token},
                                                     {"max_services", 1}});
  ASSERT_FALSE(page2.is_error) << page2.text;
  EXPECT_TRUE(has(page2.text, "Page: ranks 2-2 of 11")) << page2.text;
  EXPECT_TRUE(has(page2.text, "\n2. checkout (ecs:shop-cluster)\n")) << page2.text;
  EXPECT_TRUE(has(page2.text, "[MEDIUM] slo: SLO checkout-latency-p99 is in WARNING")) << page2.text;
  EXPECT_FALSE(has(page2.text, "payments-charge-availability is BREACHED")) << page2.text;

  // Page 3: a service without findings says so (never hidden, never "none" for the whole audit).
  auto page3 = h.call("audit_services", json::object{{"service_targets", "*"},
                                                     {"start_time", "1772366400"},
                                                     {"end_time", "1772452800"},
                                                     {"next_token", next_token_of(page2.text)},
                                                     {"max_services", 1}});
  ASSERT_FALSE(page3.is_error) << page3.text;
  EXPECT_TRUE(has(page3.text, "3. frontend (eks:petclinic/default): no findings in the window.")) << page3.text;
}

TEST(AuditServices, WildcardPageOfFiveLeadsWithTheWorstAndEndsComplete) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_services", json::object{{"service_targets", R"([{"Type":"service","Service":"*"}])"},
                                                 {"max_services", "5"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "Service filtering: 11 instrumented of 13 services reporting in the window (2 "
                          "uninstrumented or AWS-native skipped); 11 matched *.")) << r.text;
  EXPECT_TRUE(has(r.text, "Findings: 2 of 11 audited targets with findings")) << r.text;
  EXPECT_LT(r.text.find("payments-charge-availability is BREACHED"), r.text.find("checkout-latency-p99 is in WARNING"))
      << r.text;
  EXPECT_FALSE(has(r.text, "legacy-reports")) << r.text;
  EXPECT_TRUE(has(r.text, "max_services: 5")) << r.text;
  // Page through to the end: 11 ranks over three pages, then complete.
  std::string token = next_token_of(r.text);
  std::string last;
  for (int page = 0; page < 3 && !token.empty(); ++page) {
    auto next = h.call("audit_services", json::object{{"service_targets", "*"},
                                                      {"start_time", "1772366400"},
                                                      {"end_time", "1772452800"},
                                                      {"next_token", token},
                                                      {"max_services", 5}});
    ASSERT_FALSE(next.is_error) << next.text;
    last = next.text;
    token = next_token_of(next.text);
  }
  EXPECT_TRUE(has(last, "Page: ranks 11-11 of 11")) << last;
  EXPECT_TRUE(has(last, "Complete: every matched service has been audited")) << last;
  EXPECT_TRUE(token.empty());
  // max_services above 10 is clamped with a note.
  auto big = h.call("audit_services", json::object{{"service_targets", "*"}, {"max_services", 50}});
  ASSERT_FALSE(big.is_error) << big.text;
  EXPECT_TRUE(has(big.text, "max_services 50 is above the limit 10: using 10.")) << big.text;
  EXPECT_TRUE(has(big.text, "max_services: 10")) << big.text;
}

TEST(AuditServices, PatternMatchesAreCaseInsensitive) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_services", targets("*PAY*"));
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "1 matched *PAY*")) << r.text;
  EXPECT_TRUE(has(r.text, "SLO payments-charge-availability is BREACHED")) << r.text;
  EXPECT_TRUE(has(r.text, "Complete")) << r.text;
  auto none = h.call("audit_services", targets("*nothing-like-this*"));
  ASSERT_FALSE(none.is_error) << none.text;
  EXPECT_TRUE(has(none.text, "No instrumented service matched the pattern")) << none.text;
  EXPECT_TRUE(has(none.text, "payments")) << none.text;  // the names that do exist
}

TEST(AuditServices, NamesResolveOrAreNotFoundWithTheClosest) {
  ToolHarness h(kRegistrar);
  auto near = h.call("audit_services", targets("paymnts"));
  ASSERT_FALSE(near.is_error) << near.text;
  EXPECT_TRUE(has(near.text, "Note: resolved service 'paymnts' to 'payments'.")) << near.text;
  EXPECT_TRUE(has(near.text, "SLO payments-charge-availability is BREACHED")) << near.text;

  auto upper = h.call("audit_services", targets("PAYMENTS"));
  ASSERT_FALSE(upper.is_error) << upper.text;
  EXPECT_TRUE(has(upper.text, "BREACHED")) << upper.text;

  auto bad = h.call("audit_services", targets("chekout-service"));
  EXPECT_TRUE(bad.is_error) << bad.text;
  EXPECT_TRUE(has(bad.text, "no service named 'chekout-service'")) << bad.text;
  EXPECT_TRUE(has(bad.text, "Closest names: checkout")) << bad.text;

  // A full target for a service that does not exist is not found, never "nothing abnormal".
  auto ghost = h.call("audit_services",
                      targets(R"({"Type":"service","Data":{"Service":{"Type":"Service","Name":"ghost","Environment":"ecs:shop-cluster"}}})"));
  EXPECT_TRUE(ghost.is_error) << ghost.text;
  EXPECT_TRUE(has(ghost.text, "no service named 'ghost'")) << ghost.text;
  EXPECT_FALSE(has(ghost.text, "nothing abnormal")) << ghost.text;
  auto wrong_env = h.call("audit_services", targets(R"({"Name":"payments","Environment":"eks:nowhere"})"));
  EXPECT_TRUE(wrong_env.is_error) << wrong_env.text;
  EXPECT_TRUE(has(wrong_env.text, "its environments: ecs:shop-cluster")) << wrong_env.text;

  // One unknown name among known ones: the others are audited, the unknown one reported.
  auto mixed = h.call("audit_services", targets("payments, zzzzzz"));
  ASSERT_FALSE(mixed.is_error) << mixed.text;
  EXPECT_TRUE(has(mixed.text, "Not found (not audited)")) << mixed.text;
  EXPECT_TRUE(has(mixed.text, "no service named 'zzzzzz'")) << mixed.text;
  EXPECT_TRUE(has(mixed.text, "BREACHED")) << mixed.text;
  EXPECT_EQ(count_ops(h, "ListAuditFindings"), 3u);  // near, upper, mixed
}

TEST(AuditServices, TimesInAnyForm) {
  ToolHarness h(kRegistrar);
  // Integer unix seconds (the tool used to refuse them).
  auto ints = h.call("audit_services", json::object{{"service_targets", "payments"},
                                                    {"start_time", 1772366400},
                                                    {"end_time", 1772452800}});
  ASSERT_FALSE(ints.is_error) << ints.text;
  EXPECT_TRUE(has(ints.text, "Window: 2026-03-01T12:00:00Z to 2026-03-02T12:00:00Z (24 h")) << ints.text;
  // Relative forms.
  auto rel = h.call("audit_services", json::object{{"service_targets", "payments"},
                                                   {"start_time", "3 hours ago"},
                                                   {"end_time", "now"}});
  ASSERT_FALSE(rel.is_error) << rel.text;
  EXPECT_TRUE(has(rel.text, "Window: 2026-03-02T09:00:00Z to 2026-03-02T12:00:00Z (3 h")) << rel.text;
  EXPECT_TRUE(has(rel.text, "Fault rate of POST /payments/charge")) << rel.text;  // the incident is 2h10m ago
  // Only end_time: the 24 h before it.
  auto end_only = h.call("audit_services", json::object{{"service_targets", "payments"}, {"end_time", "now-1h"}});
  ASSERT_FALSE(end_only.is_error) << end_only.text;
  EXPECT_TRUE(has(end_only.text, "Window: 2026-03-01T11:00:00Z to 2026-03-02T11:00:00Z (24 h")) << end_only.text;
  // The window reaches AWS as sent.
  bool seen = false;
  for (const auto& req : h.requests())
    if (req.operation == "ListAuditFindings" && req.input.at("StartTime") == "2026-03-02T09:00:00Z") seen = true;
  EXPECT_TRUE(seen);
  // Unreadable or reversed: errors naming the argument.
  auto bad = h.call("audit_services", json::object{{"service_targets", "payments"}, {"start_time", "the other day"}});
  EXPECT_TRUE(bad.is_error);
  EXPECT_TRUE(has(bad.text, "start_time")) << bad.text;
  auto reversed = h.call("audit_services", json::object{{"service_targets", "payments"},
                                                        {"start_time", "2026-03-02T10:00:00Z"},
                                                        {"end_time", "2026-03-02T09:00:00Z"}});
  EXPECT_TRUE(reversed.is_error);
  EXPECT_TRUE(has(reversed.text, "'end_time' (2026-03-02T09:00:00Z) must be after 'start_time'")) << reversed.text;
}

TEST(AuditServices, AuditorsInAnyCaseListOrAll) {
  ToolHarness h(kRegistrar);
  auto all = h.call("audit_services", json::object{{"service_targets", "payments"}, {"auditors", "ALL"}});
  ASSERT_FALSE(all.is_error) << all.text;
  EXPECT_TRUE(has(all.text, "Auditors: all")) << all.text;
  EXPECT_TRUE(has(all.text, "ProvisionedThroughputExceededException")) << all.text;
  EXPECT_TRUE(has(all.text, "payments-ledger")) << all.text;
  auto reqs = h.requests();
  ASSERT_FALSE(reqs.empty());
  for (const auto& req : reqs)
    if (req.operation == "ListAuditFindings") { EXPECT_FALSE(req.input.contains("Auditors")); }

  struct Case {
    json::value value;
    json::array sent;
  };
  std::vector<Case> cases = {
      {json::value("SLO, Operation_Metric"), json::array{"slo", "operation_metric"}},
      {json::value("trace,LOGS,dependency-metric"), json::array{"trace", "log", "dependency_metric"}},
      {json::array{"Trace", "slo"}, json::array{"trace", "slo"}},
      {json::value(R"(["slo"])"), json::array{"slo"}},
  };
  for (const auto& c : cases) {
    auto r = h.call("audit_services", json::object{{"service_targets", "payments"}, {"auditors", c.value}});
    ASSERT_FALSE(r.is_error) << json::serialize(c.value) << "\n" << r.text;
    json::value last;
    for (const auto& req : h.requests())
      if (req.operation == "ListAuditFindings")
        if (const auto* a = req.input.if_contains("Auditors")) last = *a;
    EXPECT_EQ(last, c.sent) << json::serialize(c.value);
  }
  auto bad = h.call("audit_services", json::object{{"service_targets", "payments"}, {"auditors", "slo,magic"}});
  EXPECT_TRUE(bad.is_error);
  EXPECT_TRUE(has(bad.text, "unknown auditor 'magic'")) << bad.text;
  EXPECT_TRUE(has(bad.text, "slo, operation_metric, trace, log, dependency_metric, top_contributor, service_quota"))
      << bad.text;
}

TEST(AuditServices, ArgumentErrorsNameTheArgument) {
  ToolHarness h(kRegistrar);
  auto missing = h.call("audit_services", json::object{});
  EXPECT_TRUE(missing.is_error);
  EXPECT_TRUE(has(missing.text, "missing required argument 'service_targets'")) << missing.text;
  EXPECT_TRUE(has(missing.text, "audit_services(service_targets=\"payments\")")) << missing.text;

  auto wrong_type = h.call("audit_services", targets(R"([{"Type":"slo","Data":{"Slo":{"SloName":"x"}}}])"));
  EXPECT_TRUE(wrong_type.is_error);
  EXPECT_TRUE(has(wrong_type.text, "audit_slos")) << wrong_type.text;

  auto token = h.call("audit_services", json::object{{"service_targets", "payments"}, {"next_token", "v1:0:5"}});
  EXPECT_TRUE(token.is_error);
  EXPECT_TRUE(has(token.text, "next_token")) << token.text;
  auto forged = h.call("audit_services", json::object{{"service_targets", "*"}, {"next_token", "abc"}});
  EXPECT_TRUE(forged.is_error);
  EXPECT_TRUE(has(forged.text, "not one this tool printed")) << forged.text;
  auto stale = h.call("audit_services", json::object{{"service_targets", "*"}, {"next_token", "v1:0:40"}});
  EXPECT_TRUE(stale.is_error);
  EXPECT_TRUE(has(stale.text, "without next_token")) << stale.text;
}

TEST(AuditServices, AccessDeniedNamesTheIamAction) {
  ToolHarness h(kRegistrar);
  h.arm_fault(FaultSpec{"ListAuditFindings", FaultKind::kAccessDenied, 1});
  auto r = h.call("audit_services", targets("payments"));
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(has(r.text, "AWS Error:")) << r.text;
  EXPECT_TRUE(has(r.text, "application-signals:ListAuditFindings")) << r.text;

  h.arm_fault(FaultSpec{"ListServices", FaultKind::kAccessDenied, 1});
  auto l = h.call("audit_services", targets("payments"));
  EXPECT_TRUE(l.is_error);
  EXPECT_TRUE(has(l.text, "application-signals:ListServices")) << l.text;
}

TEST(AuditServices, ThrottlingPastRetriesIsAToolError) {
  ToolHarness h(kRegistrar);
  h.arm_fault(FaultSpec{"ListAuditFindings", FaultKind::kThrottle, 10});
  auto r = h.call("audit_services", targets("payments"));
  EXPECT_TRUE(r.is_error);
  EXPECT_FALSE(r.rpc_error.has_value());
  EXPECT_TRUE(has(r.text, "throttled")) << r.text;
  EXPECT_TRUE(has(r.text, "narrower time window")) << r.text;
}

TEST(AuditServices, OneFailedBatchIsReportedNotCountedAsHealthy) {
  ToolHarness h(kRegistrar);
  h.arm_fault(FaultSpec{"ListAuditFindings", FaultKind::kAccessDenied, 1});
  auto r = h.call("audit_services", json::object{{"service_targets", "*"}, {"max_services", 10}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "Failed batches: 1 of 3")) << r.text;
  EXPECT_TRUE(has(r.text, "AccessDenied")) << r.text;
  // The failed batch's services are neither ranked nor called healthy (which batch fails first
  // depends on arrival order: 5 or 1 services).
  EXPECT_FALSE(has(r.text, "of 11 audited targets")) << r.text;
  EXPECT_TRUE(has(r.text, "of 6 audited targets") || has(r.text, "of 10 audited targets")) << r.text;
}

TEST(AuditServices, Golden) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_services", targets(R"([{"Type":"service","Service":"payments"},"checkout"])"));
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("audit/golden/audit_services.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing

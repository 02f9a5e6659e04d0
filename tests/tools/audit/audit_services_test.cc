// audit_services against the fake sample account: the payments incident's findings, every
// target shorthand, wildcard pages with their continuation, fuzzy names, batches of at most 5,
// argument errors, AWS failures, golden output.
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

json::object targets(std::string text) { return json::object{{"service_targets", std::move(text)}}; }

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

TEST(AuditServices, EveryShorthandIsNormalised) {
  ToolHarness h(kRegistrar);
  const char* forms[] = {
      R"([{"Type":"service","Service":"payments"}])",
      R"([{"Type":"service","Data":{"Service":"payments"}}])",
      R"([{"target_type":"service","service":"payments"}])",
      R"([{"type":"SERVICE","data":{"service":{"name":"payments"}}}])",
      R"([{"Type":"service","Data":{"Service":{"Type":"Service","Name":"payments","Environment":"ecs:shop-cluster"}}}])",
      R"({"Type":"service","Service":"payments"})",
  };
  for (const char* f : forms) {
    auto r = h.call("audit_services", targets(f));
    ASSERT_FALSE(r.is_error) << f << "\n" << r.text;
    EXPECT_TRUE(has(r.text, "SLO payments-charge-availability is BREACHED")) << f << "\n" << r.text;
  }
  // A real JSON array (not text) is accepted too.
  json::array arr{json::object{{"Type", "service"}, {"Service", "payments"}}};
  auto r = h.call("audit_services", json::object{{"service_targets", arr}});
  ASSERT_FALSE(r.is_error) << r.text;
  for (const auto& batch : audit_batches(h)) {
    ASSERT_EQ(batch.size(), 1u);
    const auto& svc = batch[0].at("Data").at("Service").as_object();
    EXPECT_EQ(svc.at("Name"), "payments");
    EXPECT_EQ(svc.at("Environment"), "ecs:shop-cluster");
    EXPECT_EQ(batch[0].at("Type"), "service");
  }
  // The full form needs no lookup: only the shorthands listed services.
  EXPECT_EQ(count_ops(h, "ListAuditFindings"), 7u);
}

TEST(AuditServices, WildcardPagesAndContinuation) {
  ToolHarness h(kRegistrar);
  // Page 1 (frontend..billing) has no match, so the scan goes on to page 2 where payments is.
  auto r = h.call("audit_services", json::object{{"service_targets", R"([{"Type":"service","Service":"*PAY*"}])"},
                                                 {"max_services", 5}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "Service filtering: 10 instrumented of 10 services listed")) << r.text;
  EXPECT_TRUE(has(r.text, "1 matched *PAY*")) << r.text;
  EXPECT_TRUE(has(r.text, "SLO payments-charge-availability is BREACHED")) << r.text;
  EXPECT_TRUE(has(r.text, "call audit_services again with exactly these arguments")) << r.text;
  EXPECT_TRUE(has(r.text, R"(service_targets: [{"Type":"service","Service":"*PAY*"}])")) << r.text;
  EXPECT_TRUE(has(r.text, "start_time: \"1772366400\"")) << r.text;
  EXPECT_TRUE(has(r.text, "end_time: \"1772452800\"")) << r.text;
  EXPECT_TRUE(has(r.text, "max_services: 5")) << r.text;
  auto token = next_token_of(r.text);
  ASSERT_FALSE(token.empty()) << r.text;
  std::size_t list_calls = 0;
  for (const auto& req : h.requests())
    if (req.operation == "ListServices") {
      ++list_calls;
      EXPECT_EQ(req.input.at("MaxResults"), 5);
    }
  EXPECT_EQ(list_calls, 2u);

  // The continuation: the last page has order-processor plus the two uninstrumented services.
  auto next = h.call("audit_services", json::object{{"service_targets", R"([{"Type":"service","Service":"*PAY*"}])"},
                                                    {"start_time", "1772366400"},
                                                    {"end_time", "1772452800"},
                                                    {"next_token", token},
                                                    {"max_services", 5}});
  ASSERT_FALSE(next.is_error) << next.text;
  EXPECT_TRUE(has(next.text, "Service filtering: 1 instrumented of 3 services listed (2 uninstrumented")) << next.text;
  EXPECT_TRUE(has(next.text, "Listing complete")) << next.text;
  EXPECT_FALSE(has(next.text, "next_token: \"")) << next.text;
}

TEST(AuditServices, WildcardAllIsBatchedByFive) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_services", json::object{{"service_targets", R"([{"Type":"service","Service":"*"}])"},
                                                 {"max_services", "10"}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto batches = audit_batches(h);
  ASSERT_EQ(batches.size(), 2u);
  std::size_t total = 0;
  for (const auto& b : batches) {
    EXPECT_LE(b.size(), 5u);
    total += b.size();
  }
  EXPECT_EQ(total, 10u);
  EXPECT_TRUE(has(r.text, "Audited: 10 targets in 2 ListAuditFindings batches of up to 5")) << r.text;
  EXPECT_TRUE(has(r.text, "checkout (ecs:shop-cluster)")) << r.text;
  EXPECT_TRUE(has(r.text, "SLO checkout-latency-p99 is in WARNING")) << r.text;
  EXPECT_FALSE(has(r.text, "legacy-reports")) << r.text;
  EXPECT_FALSE(next_token_of(r.text).empty()) << r.text;
  // max_services above 10 is clamped.
  auto big = h.call("audit_services", json::object{{"service_targets", R"([{"Type":"service","Service":"*"}])"},
                                                   {"max_services", 50}});
  ASSERT_FALSE(big.is_error) << big.text;
  EXPECT_TRUE(has(big.text, "max_services: 10")) << big.text;
}

TEST(AuditServices, FuzzyNameResolvesOrListsClosest) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_services", targets(R"([{"Type":"service","Service":"paymnts"}])"));
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "'paymnts' matches no service exactly; audited 'payments' instead")) << r.text;
  EXPECT_TRUE(has(r.text, "SLO payments-charge-availability is BREACHED")) << r.text;

  auto bad = h.call("audit_services", targets(R"([{"Type":"service","Service":"chekout-service"}])"));
  EXPECT_TRUE(bad.is_error) << bad.text;
  EXPECT_TRUE(has(bad.text, "'chekout-service': no such service")) << bad.text;
  EXPECT_TRUE(has(bad.text, "closest: ")) << bad.text;
  EXPECT_TRUE(has(bad.text, "checkout")) << bad.text;

  // One unknown name among known ones: the others are audited, the unknown one reported.
  auto mixed = h.call("audit_services", targets(R"(["payments", "zzzzzz"])"));
  ASSERT_FALSE(mixed.is_error) << mixed.text;
  EXPECT_TRUE(has(mixed.text, "Not audited (unknown names)")) << mixed.text;
  EXPECT_TRUE(has(mixed.text, "'zzzzzz'")) << mixed.text;
}

TEST(AuditServices, ArgumentErrorsNameTheArgument) {
  ToolHarness h(kRegistrar);
  auto missing = h.call("audit_services", json::object{});
  EXPECT_TRUE(missing.is_error);
  EXPECT_TRUE(has(missing.text, "service_targets")) << missing.text;

  auto bad_json = h.call("audit_services", targets("[{\"Type\":\"service\", "));
  EXPECT_TRUE(bad_json.is_error);
  EXPECT_TRUE(has(bad_json.text, "service_targets")) << bad_json.text;

  auto no_name = h.call("audit_services", targets(R"([{"Type":"service","Data":{}}])"));
  EXPECT_TRUE(no_name.is_error);
  EXPECT_TRUE(has(no_name.text, "service_targets[0] names no service")) << no_name.text;

  auto wrong_type = h.call("audit_services", targets(R"([{"Type":"slo","Data":{"Slo":{"SloName":"x"}}}])"));
  EXPECT_TRUE(wrong_type.is_error);
  EXPECT_TRUE(has(wrong_type.text, "audit_slos")) << wrong_type.text;

  auto auditor = h.call("audit_services", json::object{{"service_targets", R"(["payments"])"}, {"auditors", "slo,magic"}});
  EXPECT_TRUE(auditor.is_error);
  EXPECT_TRUE(has(auditor.text, "unknown auditor 'magic'")) << auditor.text;
  EXPECT_TRUE(has(auditor.text, "slo, operation_metric, trace, log, dependency_metric, top_contributor, service_quota"))
      << auditor.text;

  auto reversed = h.call("audit_services", json::object{{"service_targets", R"(["payments"])"},
                                                        {"start_time", "2026-03-02T10:00:00Z"},
                                                        {"end_time", "2026-03-02T09:00:00Z"}});
  EXPECT_TRUE(reversed.is_error);
  EXPECT_TRUE(has(reversed.text, "end_time")) << reversed.text;

  auto bad_time = h.call("audit_services", json::object{{"service_targets", R"(["payments"])"}, {"start_time", "yesterday"}});
  EXPECT_TRUE(bad_time.is_error);
  EXPECT_TRUE(has(bad_time.text, "start_time")) << bad_time.text;

  auto token = h.call("audit_services", json::object{{"service_targets", R"(["payments"])"}, {"next_token", "abc"}});
  EXPECT_TRUE(token.is_error);
  EXPECT_TRUE(has(token.text, "next_token")) << token.text;
  EXPECT_EQ(count_ops(h, "ListAuditFindings"), 0u);
}

TEST(AuditServices, AllAuditorsOmitsTheFilterAndFindsTheRootCause) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_services", json::object{{"service_targets", R"(["payments"])"}, {"auditors", "all"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "Auditors: all")) << r.text;
  EXPECT_TRUE(has(r.text, "ProvisionedThroughputExceededException")) << r.text;
  EXPECT_TRUE(has(r.text, "payments-ledger")) << r.text;
  for (const auto& req : h.requests())
    if (req.operation == "ListAuditFindings") { EXPECT_FALSE(req.input.contains("Auditors")); }
}

TEST(AuditServices, AccessDeniedNamesTheIamAction) {
  ToolHarness h(kRegistrar);
  h.arm_fault(FaultSpec{"ListAuditFindings", FaultKind::kAccessDenied, 1});
  auto r = h.call("audit_services", targets(R"(["payments"])"));
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(has(r.text, "AWS Error:")) << r.text;
  EXPECT_TRUE(has(r.text, "application-signals:ListAuditFindings")) << r.text;

  h.arm_fault(FaultSpec{"ListServices", FaultKind::kAccessDenied, 1});
  auto l = h.call("audit_services", targets(R"(["payments"])"));
  EXPECT_TRUE(l.is_error);
  EXPECT_TRUE(has(l.text, "application-signals:ListServices")) << l.text;
}

TEST(AuditServices, ThrottlingPastRetriesIsAToolError) {
  ToolHarness h(kRegistrar);
  h.arm_fault(FaultSpec{"ListAuditFindings", FaultKind::kThrottle, 10});
  auto r = h.call("audit_services", targets(R"(["payments"])"));
  EXPECT_TRUE(r.is_error);
  EXPECT_FALSE(r.rpc_error.has_value());
  EXPECT_TRUE(has(r.text, "throttled")) << r.text;
  EXPECT_TRUE(has(r.text, "narrower time window")) << r.text;
}

TEST(AuditServices, OneFailedBatchIsReportedNotFatal) {
  ToolHarness h(kRegistrar);
  h.arm_fault(FaultSpec{"ListAuditFindings", FaultKind::kAccessDenied, 1});
  auto r = h.call("audit_services", json::object{{"service_targets", R"(["*"])"}, {"max_services", 10}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "Failed batches: 1 of 2")) << r.text;
  EXPECT_TRUE(has(r.text, "AccessDenied")) << r.text;
}

TEST(AuditServices, Golden) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_services", targets(R"([{"Type":"service","Service":"payments"},"checkout"])"));
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("audit/golden/audit_services.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing

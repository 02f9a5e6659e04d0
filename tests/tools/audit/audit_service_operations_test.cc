// audit_service_operations against the fake sample account: the incident operation's findings,
// targets in every form ("service/operation", objects with MetricType in any case, Fault →
// Availability, JSON text), operation names resolved against ListServiceOperations (near-misses
// with a note, unknown ones not found with the closest names), wildcard expansion ranked across
// every match, batches, argument errors, AWS failures, golden.
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

json::object targets(json::value v) { return json::object{{"operation_targets", std::move(v)}}; }

constexpr const char* kCharge =
    R"([{"Type":"service_operation","Data":{"ServiceOperation":{"Service":{"Type":"Service","Name":"payments","Environment":"ecs:shop-cluster"},"Operation":"POST /payments/charge","MetricType":"Availability"}}}])";

TEST(AuditServiceOperations, ChargeFaultsAreHigh) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_service_operations", targets(kCharge));
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "Auditors: operation_metric")) << r.text;
  EXPECT_TRUE(has(r.text, "payments (ecs:shop-cluster), operation POST /payments/charge")) << r.text;
  EXPECT_TRUE(has(r.text, "[HIGH] operation_metric: Fault rate of POST /payments/charge rose from 0.1% to 32%"))
      << r.text;
  EXPECT_FALSE(has(r.text, "p99 latency")) << r.text;  // Availability only
  // The names are checked against what the account reports.
  EXPECT_EQ(count_ops(h, "ListServices"), 1u);
  EXPECT_EQ(count_ops(h, "ListServiceOperations"), 1u);
  auto batches = audit_batches(h);
  ASSERT_EQ(batches.size(), 1u);
  const auto& so = batches[0][0].at("Data").at("ServiceOperation").as_object();
  EXPECT_EQ(so.at("Operation"), "POST /payments/charge");
  EXPECT_EQ(so.at("MetricType"), "Availability");
  EXPECT_EQ(batches[0][0].at("Type"), "service_operation");
}

TEST(AuditServiceOperations, TargetsInEveryFormAndMetricTypesInAnyCase) {
  ToolHarness h(kRegistrar);
  struct Case {
    json::value targets;
    const char* metric;  // "" = none sent
  } cases[] = {
      {json::value("payments/POST /payments/charge"), ""},
      {json::value("payments/POST /payments/charge [latency]"), "Latency"},
      {json::value("payments POST /payments/charge"), ""},
      {json::value(R"({"Service":"payments","Operation":"POST /payments/charge","MetricType":"FAULT"})"), "Availability"},
      {json::object{{"service", "payments"}, {"operation", "POST /payments/charge"}, {"metrictype", "Latency"}}, "Latency"},
      {json::value(R"([{"Type":"service_operation","Data":{"ServiceOperation":{"Service":"payments","Operation":"POST /payments/charge","MetricType":"FAULT"}}}])"),
       "Availability"},
      {json::value(R"([{"type":"SERVICE_OPERATION","data":{"serviceoperation":{"service":{"name":"payments"},"operation":"POST /payments/charge","metrictype":"latency"}}}])"),
       "Latency"},
      {json::value(R"({"Type":"service_operation","Data":{"Service":"payments","Operation":"POST /payments/charge","MetricType":"Error"}})"),
       "Error"},
      {json::value(R"(["payments/POST /payments/charge [Fault]"])"), "Availability"},
  };
  for (const auto& c : cases) {
    auto before = audit_batches(h).size();
    auto r = h.call("audit_service_operations", targets(c.targets));
    ASSERT_FALSE(r.is_error) << json::serialize(c.targets) << "\n" << r.text;
    auto batches = audit_batches(h);
    ASSERT_EQ(batches.size(), before + 1) << json::serialize(c.targets);
    const auto& so = batches.back()[0].at("Data").at("ServiceOperation").as_object();
    if (*c.metric) EXPECT_EQ(so.at("MetricType"), c.metric) << json::serialize(c.targets);
    else EXPECT_FALSE(so.contains("MetricType")) << json::serialize(c.targets);
    EXPECT_EQ(so.at("Operation"), "POST /payments/charge");
    EXPECT_EQ(so.at("Service").at("Name"), "payments");
    EXPECT_EQ(so.at("Service").at("Environment"), "ecs:shop-cluster");
  }
  auto latency = h.call("audit_service_operations", targets("payments/POST /payments/charge [LATENCY]"));
  EXPECT_TRUE(has(latency.text, "p99 latency of POST /payments/charge peaked at 4.1 s")) << latency.text;
  auto two = h.call("audit_service_operations", targets("checkout/POST /checkout, payments/POST /payments/charge"));
  ASSERT_FALSE(two.is_error) << two.text;
  // Ranked: the HIGH payments findings before checkout's MEDIUM, whatever the order given.
  EXPECT_LT(two.text.find("1. payments (ecs:shop-cluster), operation POST /payments/charge"),
            two.text.find("2. checkout (ecs:shop-cluster), operation POST /checkout"))
      << two.text;
}

TEST(AuditServiceOperations, UnknownOperationIsNotFoundNeverNothingAbnormal) {
  // Before: audited as given and answered "Findings: none ... nothing abnormal".
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_service_operations", targets("payments/GET /payments/history"));
  EXPECT_TRUE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "no operation named 'GET /payments/history'")) << r.text;
  EXPECT_TRUE(has(r.text, "Closest names: GET /payments/{id}")) << r.text;
  EXPECT_TRUE(has(r.text, "its operations: POST /payments/charge")) << r.text;
  EXPECT_FALSE(has(r.text, "nothing abnormal")) << r.text;
  EXPECT_EQ(count_ops(h, "ListAuditFindings"), 0u);

  // A full target naming an unknown operation: the same.
  auto full = h.call("audit_service_operations",
                     targets(R"({"Type":"service_operation","Data":{"ServiceOperation":{"Service":{"Type":"Service","Name":"payments","Environment":"ecs:shop-cluster"},"Operation":"DELETE /nothing","MetricType":"Latency"}}})"));
  EXPECT_TRUE(full.is_error) << full.text;
  EXPECT_TRUE(has(full.text, "no operation named 'DELETE /nothing'")) << full.text;

  // One unknown among known ones: audited the others, reported the unknown one.
  auto mixed = h.call("audit_service_operations", targets("payments/POST /payments/charge, payments/GET /zzz"));
  ASSERT_FALSE(mixed.is_error) << mixed.text;
  EXPECT_TRUE(has(mixed.text, "Not found (not audited)")) << mixed.text;
  EXPECT_TRUE(has(mixed.text, "no operation named 'GET /zzz'")) << mixed.text;
  EXPECT_TRUE(has(mixed.text, "Fault rate of POST /payments/charge")) << mixed.text;

  // An unknown service too.
  auto svc = h.call("audit_service_operations", targets("paymants-gateway/POST /charge"));
  EXPECT_TRUE(svc.is_error) << svc.text;
  EXPECT_TRUE(has(svc.text, "no service named 'paymants-gateway'")) << svc.text;
}

TEST(AuditServiceOperations, NearMissesResolveToTheOneClearMatchWithANote) {
  ToolHarness h(kRegistrar);
  auto tail = h.call("audit_service_operations",
                     targets(R"({"Service":"payments","Operation":"POST /charge","MetricType":"Latency"})"));
  ASSERT_FALSE(tail.is_error) << tail.text;
  EXPECT_TRUE(has(tail.text, "Note: resolved operation 'POST /charge' of payments to 'POST /payments/charge'.")) << tail.text;
  EXPECT_TRUE(has(tail.text, "p99 latency of POST /payments/charge peaked at 4.1 s")) << tail.text;

  auto lower = h.call("audit_service_operations", targets("Payments/post /payments/charge"));
  ASSERT_FALSE(lower.is_error) << lower.text;
  EXPECT_TRUE(has(lower.text, "resolved operation 'post /payments/charge' of payments to 'POST /payments/charge'"))
      << lower.text;
  EXPECT_TRUE(has(lower.text, "resolved service 'Payments' to 'payments'")) << lower.text;

  auto fuzzy = h.call("audit_service_operations", targets("paymnts/POST /payments/charge [Fault]"));
  ASSERT_FALSE(fuzzy.is_error) << fuzzy.text;
  EXPECT_TRUE(has(fuzzy.text, "resolved service 'paymnts' to 'payments'")) << fuzzy.text;
  EXPECT_TRUE(has(fuzzy.text, "Fault rate of POST /payments/charge")) << fuzzy.text;
}

TEST(AuditServiceOperations, OperationWildcardsUseServiceOperations) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_service_operations", targets("payments/POST * [Latency]"));
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "'POST *' matched 2 operations of payments")) << r.text;
  EXPECT_TRUE(has(r.text, "Ranking (worst first): payments POST /payments/charge [Latency] HIGH; no findings: payments POST /payments/refund [Latency]"))
      << r.text;
  EXPECT_EQ(count_ops(h, "ListServiceOperations"), 1u);
  auto none = h.call("audit_service_operations", targets("payments/DELETE *"));
  ASSERT_FALSE(none.is_error) << none.text;
  EXPECT_TRUE(has(none.text, "'DELETE *' matched 0 operations of payments; its operations: POST /payments/charge"))
      << none.text;
}

TEST(AuditServiceOperations, EveryOperationOfEveryServiceIsRankedTogether) {
  // 25 operations over 11 services: payments' charge (position 17 in listing order) is first.
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_service_operations", json::object{{"operation_targets", "*/*"}, {"max_services", 2}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto batches = audit_batches(h);
  std::size_t total = 0;
  for (const auto& b : batches) {
    EXPECT_LE(b.size(), 5u);
    total += b.size();
  }
  EXPECT_EQ(total, 25u);
  EXPECT_EQ(batches.size(), 5u);
  EXPECT_EQ(count_ops(h, "ListServiceOperations"), 11u);
  EXPECT_TRUE(has(r.text, "Page: ranks 1-2 of 25 (max_services=2)")) << r.text;
  EXPECT_TRUE(has(r.text, "\n1. payments (ecs:shop-cluster), operation POST /payments/charge")) << r.text;
  EXPECT_TRUE(has(r.text, "\n2. checkout (ecs:shop-cluster), operation POST /checkout")) << r.text;
  EXPECT_TRUE(has(r.text, "Coverage: 25 of 25 matched operations audited in this call")) << r.text;
  EXPECT_TRUE(has(r.text, "operation_targets: \"*/*\"")) << r.text;
  auto token = next_token_of(r.text);
  ASSERT_FALSE(token.empty());
  auto next = h.call("audit_service_operations",
                     json::object{{"operation_targets", "*/*"}, {"next_token", token}, {"max_services", 2}});
  ASSERT_FALSE(next.is_error) << next.text;
  EXPECT_TRUE(has(next.text, "Page: ranks 3-4 of 25")) << next.text;
  EXPECT_TRUE(has(next.text, "no findings in the window")) << next.text;
}

TEST(AuditServiceOperations, ArgumentErrors) {
  ToolHarness h(kRegistrar);
  auto missing = h.call("audit_service_operations", json::object{});
  EXPECT_TRUE(missing.is_error);
  EXPECT_TRUE(has(missing.text, "audit_service_operations(operation_targets=\"payments/POST /payments/charge\")"))
      << missing.text;
  auto bad_json = h.call("audit_service_operations", targets("[{"));
  EXPECT_TRUE(bad_json.is_error);
  EXPECT_TRUE(has(bad_json.text, "operation_targets")) << bad_json.text;
  EXPECT_TRUE(has(bad_json.text, "\"payments/POST /payments/charge\"")) << bad_json.text;
  EXPECT_TRUE(has(bad_json.text, R"({"Service":"payments","Operation":"POST /payments/charge","MetricType":"Latency"})"))
      << bad_json.text;
  auto no_op = h.call("audit_service_operations", targets(R"([{"Type":"service_operation","Service":"payments"}])"));
  EXPECT_TRUE(no_op.is_error);
  EXPECT_TRUE(has(no_op.text, "names no Operation")) << no_op.text;
  auto bare = h.call("audit_service_operations", targets("payments"));
  EXPECT_TRUE(bare.is_error);
  EXPECT_TRUE(has(bare.text, "payments/*")) << bare.text;
  auto verb_only = h.call("audit_service_operations", targets("POST /payments/charge"));
  EXPECT_TRUE(verb_only.is_error);
  EXPECT_TRUE(has(verb_only.text, "names no service")) << verb_only.text;
  auto metric = h.call("audit_service_operations",
                       targets(R"([{"Type":"service_operation","Service":"payments","Operation":"GET /x","MetricType":"Speed"}])"));
  EXPECT_TRUE(metric.is_error);
  EXPECT_TRUE(has(metric.text, "Latency, Availability")) << metric.text;
  auto auditor = h.call("audit_service_operations", json::object{{"operation_targets", kCharge}, {"auditors", "x"}});
  EXPECT_TRUE(auditor.is_error);
  EXPECT_TRUE(has(auditor.text, "unknown auditor 'x'")) << auditor.text;
  auto reversed = h.call("audit_service_operations", json::object{{"operation_targets", kCharge},
                                                                  {"start_time", "2026-03-02 11:00:00"},
                                                                  {"end_time", "2026-03-02 10:00:00"}});
  EXPECT_TRUE(reversed.is_error);
  EXPECT_TRUE(has(reversed.text, "end_time")) << reversed.text;
  EXPECT_EQ(count_ops(h, "ListAuditFindings"), 0u);
}

TEST(AuditServiceOperations, AwsFailures) {
  ToolHarness h(kRegistrar);
  h.arm_fault(FaultSpec{"ListAuditFindings", FaultKind::kAccessDenied, 1});
  auto denied = h.call("audit_service_operations", targets(kCharge));
  EXPECT_TRUE(denied.is_error);
  EXPECT_TRUE(has(denied.text, "application-signals:ListAuditFindings")) << denied.text;
  h.arm_fault(FaultSpec{"ListAuditFindings", FaultKind::kThrottle, 10});
  auto throttled = h.call("audit_service_operations", targets(kCharge));
  EXPECT_TRUE(throttled.is_error);
  EXPECT_TRUE(has(throttled.text, "throttled")) << throttled.text;
  h.arm_fault(FaultSpec{"ListServiceOperations", FaultKind::kAccessDenied, 1});
  auto ops = h.call("audit_service_operations", targets("payments/*"));
  EXPECT_TRUE(ops.is_error);
  EXPECT_TRUE(has(ops.text, "application-signals:ListServiceOperations")) << ops.text;
  // One service's listing failing among several: reported, the others audited.
  ToolHarness fresh(kRegistrar);
  fresh.arm_fault(FaultSpec{"ListServiceOperations", FaultKind::kAccessDenied, 1});
  auto partial = fresh.call("audit_service_operations", targets("payments/*, checkout/*"));
  ASSERT_FALSE(partial.is_error) << partial.text;
  EXPECT_TRUE(has(partial.text, "Could not list the operations of")) << partial.text;
}

TEST(AuditServiceOperations, Golden) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_service_operations",
                  json::object{{"operation_targets",
                                R"([{"Type":"service_operation","Service":"payments","Operation":"POST /payments/charge","MetricType":"Fault"},{"Type":"service_operation","Service":"checkout","Operation":"POST /checkout","MetricType":"Latency"}])"},
                               {"auditors", "operation_metric,trace"}});
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("audit/golden/audit_service_operations.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing

namespace appsignals::testing {
namespace {

// The descriptions route the question to the right tool (a model picks tools by them).
TEST(AuditDescriptions, RouteEachQuestionToItsTool) {
  ToolHarness h(kRegistrar);
  auto ops = h.registry().find_tool("audit_service_operations");
  auto services = h.registry().find_tool("audit_services");
  auto slos = h.registry().find_tool("audit_slos");
  ASSERT_TRUE(ops && services && slos);
  EXPECT_TRUE(has(ops->description, "FIRST choice")) << ops->description;
  EXPECT_TRUE(has(ops->description, "is POST /charge slow?")) << ops->description;
  EXPECT_TRUE(has(services->description, "audit_service_operations first")) << services->description;
  EXPECT_TRUE(has(services->description, "\"*\" audits every instrumented service")) << services->description;
  EXPECT_TRUE(has(services->description, "list_monitored_services is only an inventory")) << services->description;
  EXPECT_TRUE(has(services->description, "for SLO breaches use audit_slos")) << services->description;
  EXPECT_TRUE(has(slos->description, "is an SLO breached?")) << slos->description;
  // The targets are advertised as strings (portable), with every form described.
  const auto& props = ops->input_schema.at("properties").as_object();
  EXPECT_EQ(props.at("operation_targets").at("type"), "string");
  EXPECT_EQ(props.at("start_time").at("type"), "string");
  EXPECT_EQ(props.at("max_services").at("maximum"), 10);
}

}  // namespace
}  // namespace appsignals::testing

// audit_service_operations against the fake sample account: the incident operation's findings,
// target forms (Fault → Availability, any case), operation and service wildcards, fuzzy service
// names, batches, argument errors, AWS failures, golden.
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

json::object targets(std::string text) { return json::object{{"operation_targets", std::move(text)}}; }

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
  // A full target needs no lookup.
  EXPECT_EQ(count_ops(h, "ListServices"), 0u);
  auto batches = audit_batches(h);
  ASSERT_EQ(batches.size(), 1u);
  const auto& so = batches[0][0].at("Data").at("ServiceOperation").as_object();
  EXPECT_EQ(so.at("Operation"), "POST /payments/charge");
  EXPECT_EQ(so.at("MetricType"), "Availability");
  EXPECT_EQ(batches[0][0].at("Type"), "service_operation");
}

TEST(AuditServiceOperations, ShorthandsAndMetricTypes) {
  ToolHarness h(kRegistrar);
  struct Case {
    const char* targets;
    const char* metric;
  } cases[] = {
      {R"([{"Type":"service_operation","Data":{"ServiceOperation":{"Service":"payments","Operation":"POST /payments/charge","MetricType":"FAULT"}}}])",
       "Availability"},
      {R"([{"type":"SERVICE_OPERATION","data":{"serviceoperation":{"service":{"name":"payments"},"operation":"POST /payments/charge","metrictype":"latency"}}}])",
       "Latency"},
      {R"([{"Type":"service_operation","Service":"paymnts","Operation":"POST /payments/charge","MetricType":"Fault"}])",
       "Availability"},
      {R"({"Type":"service_operation","Data":{"Service":"payments","Operation":"POST /payments/charge","MetricType":"Error"}})",
       "Error"},
  };
  for (const auto& c : cases) {
    auto before = audit_batches(h).size();
    auto r = h.call("audit_service_operations", targets(c.targets));
    ASSERT_FALSE(r.is_error) << c.targets << "\n" << r.text;
    auto batches = audit_batches(h);
    ASSERT_EQ(batches.size(), before + 1) << c.targets;
    const auto& so = batches.back()[0].at("Data").at("ServiceOperation").as_object();
    EXPECT_EQ(so.at("MetricType"), c.metric) << c.targets;
    EXPECT_EQ(so.at("Service").at("Name"), "payments");
    EXPECT_EQ(so.at("Service").at("Environment"), "ecs:shop-cluster");
  }
  auto latency = h.call("audit_service_operations",
                        targets(R"([{"Type":"service_operation","Service":"payments","Operation":"POST /payments/charge","MetricType":"LATENCY"}])"));
  EXPECT_TRUE(has(latency.text, "p99 latency of POST /payments/charge peaked at 4.1 s")) << latency.text;
  auto fuzzy = h.call("audit_service_operations",
                      targets(R"([{"Type":"service_operation","Service":"paymnts","Operation":"POST /payments/charge"}])"));
  EXPECT_TRUE(has(fuzzy.text, "audited 'payments' instead")) << fuzzy.text;
}

TEST(AuditServiceOperations, OperationWildcardsUseServiceOperations) {
  ToolHarness h(kRegistrar);
  auto r = h.call("audit_service_operations",
                  targets(R"([{"Type":"service_operation","Service":"payments","Operation":"POST *","MetricType":"Latency"}])"));
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(has(r.text, "'POST *' matched 2 operations of payments")) << r.text;
  EXPECT_TRUE(has(r.text, "payments POST /payments/charge [Latency]; payments POST /payments/refund [Latency]")) << r.text;
  EXPECT_EQ(count_ops(h, "ListServiceOperations"), 1u);
  auto none = h.call("audit_service_operations",
                     targets(R"([{"Type":"service_operation","Service":"payments","Operation":"DELETE *"}])"));
  ASSERT_FALSE(none.is_error) << none.text;
  EXPECT_TRUE(has(none.text, "'DELETE *' matched no operation of payments; its operations: POST /payments/charge"))
      << none.text;
}

TEST(AuditServiceOperations, ServiceWildcardsPageWithContinuationAndBatchByFive) {
  ToolHarness h(kRegistrar);
  // Every operation of the first 5 services (frontend 4, customers 3, vets 1, visits 2, billing 2).
  auto r = h.call("audit_service_operations",
                  json::object{{"operation_targets", R"([{"Type":"service_operation","Service":"*","Operation":"*"}])"},
                               {"max_services", 5}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto batches = audit_batches(h);
  std::size_t total = 0;
  for (const auto& b : batches) {
    EXPECT_LE(b.size(), 5u);
    total += b.size();
  }
  EXPECT_EQ(total, 12u);
  EXPECT_EQ(batches.size(), 3u);
  EXPECT_EQ(count_ops(h, "ListServiceOperations"), 5u);
  EXPECT_TRUE(has(r.text, "call audit_service_operations again with exactly these arguments")) << r.text;
  EXPECT_TRUE(has(r.text, "max_services: 5")) << r.text;
  auto token = next_token_of(r.text);
  ASSERT_FALSE(token.empty());
  auto next = h.call("audit_service_operations",
                     json::object{{"operation_targets", R"([{"Type":"service_operation","Service":"*","Operation":"POST /payments/*"}])"},
                                  {"next_token", token},
                                  {"max_services", 5}});
  ASSERT_FALSE(next.is_error) << next.text;
  EXPECT_TRUE(has(next.text, "Fault rate of POST /payments/charge")) << next.text;
}

TEST(AuditServiceOperations, ArgumentErrors) {
  ToolHarness h(kRegistrar);
  EXPECT_TRUE(h.call("audit_service_operations", json::object{}).is_error);
  auto bad_json = h.call("audit_service_operations", targets("[{"));
  EXPECT_TRUE(bad_json.is_error);
  EXPECT_TRUE(has(bad_json.text, "operation_targets")) << bad_json.text;
  auto no_op = h.call("audit_service_operations", targets(R"([{"Type":"service_operation","Service":"payments"}])"));
  EXPECT_TRUE(no_op.is_error);
  EXPECT_TRUE(has(no_op.text, "operation_targets[0] names no Operation")) << no_op.text;
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
  auto ops = h.call("audit_service_operations",
                    targets(R"([{"Type":"service_operation","Service":"payments","Operation":"*"}])"));
  EXPECT_TRUE(ops.is_error);
  EXPECT_TRUE(has(ops.text, "application-signals:ListServiceOperations")) << ops.text;
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

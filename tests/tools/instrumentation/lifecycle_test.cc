// The life of a breakpoint and a probe through the MCP engine against the fake: create → READY →
// ACTIVE (the fake's clock moved by the test, no sleeping) → snapshots → list → delete → gone.
#include <atomic>
#include <memory>

#include <sstream>

#include <boost/json/parse.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "common/logging.h"
#include "instrumentation/test_util.h"

namespace appsignals::testing::instrumentation_test {
namespace {

// A harness whose fake AWS clock is fixed_now() + *offset seconds (the tools' "now" stays fixed_now()).
struct Clocked {
  std::shared_ptr<std::atomic<int>> offset = std::make_shared<std::atomic<int>>(0);
  std::unique_ptr<ToolHarness> h;
  Clocked() {
    fakeaws::FakeAwsOptions options;
    auto o = offset;
    options.clock = [o] { return ToolHarness::fixed_now() + std::chrono::seconds(o->load()); };
    h = std::make_unique<ToolHarness>(registrar(), std::move(options));
  }
};

std::string line_value(const std::string& text, const std::string& label) {
  auto p = text.find(label);
  if (p == std::string::npos) return {};
  p += label.size();
  return text.substr(p, text.find('\n', p) - p);
}

json::object scope(const char* service, const char* type) {
  return {{"service", service}, {"environment", "ecs:shop-cluster"}, {"instrumentation_type", type}};
}

json::object with(json::object o, const char* key, json::value v) {
  o[key] = std::move(v);
  return o;
}

std::string check_status(ToolHarness& h, const char* service, const char* type, const std::string& hash) {
  auto args = scope(service, type);
  args["location_hash"] = hash;
  args["start_time"] = "2026-03-02T11:59:00Z";
  args["end_time"] = "2026-03-02T13:00:00Z";
  auto r = h.call("check_instrumentation_status", args);
  EXPECT_FALSE(r.is_error) << r.text;
  return r.text;
}

TEST(InstrumentationLifecycle, BreakpointCreatedReadyActiveSnapshotListedDeleted) {
  Clocked c;
  auto& h = *c.h;
  json::object create = scope("checkout", "BREAKPOINT");
  create["language"] = "javascript";
  create["file_path"] = "src/checkout/cart.js";
  create["line_number"] = 57;
  create["capture_locals"] = "[\"cartTotal\",\"customerId\"]";
  create["ttl_hours"] = 2;
  auto created = h.call("create_instrumentation", create);
  ASSERT_FALSE(created.is_error) << created.text;
  std::string hash = line_value(created.text, "Location hash: ");
  ASSERT_EQ(hash.size(), 16u) << created.text;
  EXPECT_TRUE(contains(created.text, "instrumentationConfig/checkout/" + hash)) << created.text;
  EXPECT_TRUE(contains(created.text, "Expires: 2026-03-02T14:00:00Z")) << created.text;
  EXPECT_TRUE(contains(created.text, "check_instrumentation_status(")) << created.text;
  EXPECT_TRUE(contains(created.text, "/aws/service-events/checkout")) << created.text;

  // Just created: no status event yet.
  EXPECT_TRUE(contains(check_status(h, "checkout", "BREAKPOINT", hash), "No status event")) ;
  c.offset->store(10);
  auto ready = check_status(h, "checkout", "BREAKPOINT", hash);
  EXPECT_TRUE(contains(ready, "Current status: READY")) << ready;
  EXPECT_TRUE(contains(ready, "READY since 2026-03-02T12:00:05Z")) << ready;
  c.offset->store(120);
  auto active = check_status(h, "checkout", "BREAKPOINT", hash);
  EXPECT_TRUE(contains(active, "Current status: ACTIVE")) << active;
  EXPECT_TRUE(contains(active, "ACTIVE since 2026-03-02T12:01:00Z")) << active;

  json::object snap{{"service_name", "checkout"}, {"environment", "ecs:shop-cluster"}, {"location_hash", hash},
                    {"status_timestamp", "2026-03-02T12:01:00Z"}};
  auto found = h.call("search_snapshots_for_status_event", snap);
  ASSERT_FALSE(found.is_error) << found.text;
  auto fo = json::parse(found.text).as_object();
  EXPECT_EQ(fo.at("status"), "ok") << found.text;
  EXPECT_EQ(fo.at("snapshot_count").as_int64(), 1) << found.text;
  EXPECT_TRUE(contains(found.text, "cartTotal")) << found.text;
  auto sample = h.call("get_sample_snapshot_for_breakpoint", snap);
  ASSERT_FALSE(sample.is_error) << sample.text;
  auto so = json::parse(sample.text).as_object();
  EXPECT_TRUE(so.contains("snapshot")) << sample.text;
  EXPECT_TRUE(so.contains("raw")) << sample.text;  // small: returned whole
  EXPECT_EQ(so.at("snapshot").at("location").at("line_number").as_int64(), 57) << sample.text;

  auto listed = h.call("list_instrumentations", scope("checkout", "BREAKPOINT"));
  EXPECT_TRUE(contains(listed.text, "Location hash: " + hash)) << listed.text;
  auto deleted = h.call("delete_instrumentation", with(scope("checkout", "BREAKPOINT"), "location_hash", json::value(hash)));
  ASSERT_FALSE(deleted.is_error) << deleted.text;
  EXPECT_TRUE(contains(deleted.text, "Deleted the BREAKPOINT of checkout")) << deleted.text;
  auto empty = h.call("list_instrumentations", scope("checkout", "BREAKPOINT"));
  EXPECT_TRUE(contains(empty.text, "checkout (ecs:shop-cluster): 0")) << empty.text;
  // Deleting again is harmless (idempotent) and says so.
  auto again = h.call("delete_instrumentation", with(scope("checkout", "BREAKPOINT"), "location_hash", json::value(hash)));
  EXPECT_FALSE(again.is_error) << again.text;
  EXPECT_TRUE(contains(again.text, "Nothing deleted")) << again.text;
}

TEST(InstrumentationLifecycle, ProbeReadyActiveThenBatchDeletedByScope) {
  Clocked c;
  auto& h = *c.h;
  json::object create = scope("search", "PROBE");
  create["language"] = "Python";
  create["file_path"] = "search/query.py";
  create["code_unit"] = "search.query";
  create["method_name"] = "run_query";
  auto created = h.call("create_instrumentation", create);
  ASSERT_FALSE(created.is_error) << created.text;
  std::string hash = line_value(created.text, "Location hash: ");
  ASSERT_EQ(hash.size(), 16u);
  c.offset->store(30);
  EXPECT_TRUE(contains(check_status(h, "search", "PROBE", hash), "READY since"));
  c.offset->store(61);
  EXPECT_TRUE(contains(check_status(h, "search", "PROBE", hash), "ACTIVE since 2026-03-02T12:01:00Z"));
  auto status = h.call("get_instrumentation_configuration_status",
                       with(with(scope("search", "PROBE"), "location_hash", json::value(hash)), "status", "ready"));
  EXPECT_TRUE(contains(status.text, "Current status: ACTIVE")) << status.text;
  EXPECT_TRUE(contains(status.text, "READY events: 1\n- 2026-03-02T12:00:05Z")) << status.text;
  auto got = h.call("get_instrumentation", with(scope("search", "PROBE"), "location_hash", json::value(hash)));
  EXPECT_TRUE(contains(got.text, "search.query.run_query")) << got.text;
  EXPECT_TRUE(contains(h.call("list_instrumentations", scope("search", "PROBE")).text, hash));

  auto removed = h.call("batch_delete_instrumentations_by_scope", scope("search", "PROBE"));
  ASSERT_FALSE(removed.is_error) << removed.text;
  EXPECT_TRUE(contains(removed.text, "Removed 1 instrumentation configuration (")) << removed.text;
  EXPECT_TRUE(contains(h.call("list_instrumentations", scope("search", "PROBE")).text, "): 0"));
  auto none = h.call("batch_delete_instrumentations_by_scope", scope("search", "PROBE"));
  EXPECT_TRUE(contains(none.text, "Removed 0 instrumentation configurations")) << none.text;
}

TEST(InstrumentationLifecycle, BatchDeleteByArnsReportsEachArn) {
  Clocked c;
  auto& h = *c.h;
  json::object create = scope("payments", "BREAKPOINT");
  create["language"] = "Java";
  create["file_path"] = "src/main/java/com/shop/payments/RefundService.java";
  create["code_unit"] = "com.shop.payments";
  create["class_name"] = "RefundService";
  create["method_name"] = "refund";
  create["capture_arguments"] = json::array{"refundId"};
  auto created = h.call("create_instrumentation", create);
  ASSERT_FALSE(created.is_error) << created.text;
  std::string arn = line_value(created.text, "ARN: ");
  std::string missing = arn.substr(0, arn.size() - 16) + "0000000000000000";
  json::object del{{"resource_arns", json::array{json::value(arn), json::value(missing)}}, {"instrumentation_type", "BREAKPOINT"}};
  auto r = h.call("batch_delete_instrumentations_by_arns", del);
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "Removed 1 instrumentation configuration")) << r.text;
  EXPECT_TRUE(contains(r.text, "- deleted " + arn)) << r.text;
  EXPECT_TRUE(contains(r.text, missing + ": ResourceNotFoundException")) << r.text;
  auto listed = h.call("list_instrumentations", scope("payments", "BREAKPOINT"));
  EXPECT_FALSE(contains(listed.text, "RefundService")) << listed.text;
  EXPECT_TRUE(contains(listed.text, "ChargeService")) << listed.text;  // the other one stays
}

TEST(InstrumentationLifecycle, EveryWriteIsLoggedWithThePrincipalNeverTheCapturedValues) {
  auto stream = std::make_shared<std::ostringstream>();
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(
      std::make_shared<spdlog::logger>("capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(*stream)));
  {
    Clocked c;
    auto& h = *c.h;
    h.set_principal("api-key:1f2e3d4c");
    json::object create = scope("checkout", "BREAKPOINT");
    create["language"] = "javascript";
    create["file_path"] = "src/checkout/cart.js";
    create["line_number"] = 57;
    create["capture_locals"] = "[\"cartTotal\"]";
    auto created = h.call("create_instrumentation", create);
    ASSERT_FALSE(created.is_error) << created.text;
    auto removed = h.call("batch_delete_instrumentations_by_scope", scope("checkout", "BREAKPOINT"));
    ASSERT_FALSE(removed.is_error) << removed.text;
    const std::string log = stream->str();
    EXPECT_NE(log.find("principal=api-key:1f2e3d4c tool=create_instrumentation service=checkout"), std::string::npos) << log;
    EXPECT_NE(log.find("result=arn:aws:application-signals:"), std::string::npos) << log;
    EXPECT_NE(log.find("principal=api-key:1f2e3d4c tool=batch_delete_instrumentations_by_scope"), std::string::npos) << log;
    EXPECT_EQ(log.find("cartTotal"), std::string::npos) << "captured names or values never reach the log:\n" << log;
  }
  spdlog::set_default_logger(previous);
}

// Issue #18: the audit line carries the request's context (principal, tool, session) in the
// product's log format, and names the AWS profile (the server's own here).
TEST(InstrumentationLifecycle, TheWriteAuditLineCarriesTheRequestContext) {
  auto stream = std::make_shared<std::ostringstream>();
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>("capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(*stream));
  logger->set_formatter(make_log_formatter(LogFormat::kText));
  spdlog::set_default_logger(logger);
  {
    Clocked c;
    auto& h = *c.h;
    h.set_principal("api-key:1f2e3d4c");
    json::object create = scope("checkout", "BREAKPOINT");
    create["language"] = "javascript";
    create["file_path"] = "src/checkout/cart.js";
    create["line_number"] = 57;
    create["capture_locals"] = "[\"cartTotal\"]";
    auto created = h.call("create_instrumentation", create);
    ASSERT_FALSE(created.is_error) << created.text;
    const std::string log = stream->str();
    EXPECT_NE(log.find("principal=api-key:1f2e3d4c tool=create_instrumentation session=test-session-api-key:1f2e3d4c] "
                       "instrumentation write:"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("profile=(server)"), std::string::npos) << log;
  }
  spdlog::set_default_logger(previous);
}

TEST(InstrumentationLifecycle, DuplicateLocationIsAConflict) {
  ToolHarness h(registrar());
  json::object create = scope("payments", "BREAKPOINT");
  create["language"] = "Java";
  create["file_path"] = "src/main/java/com/shop/payments/ChargeService.java";
  create["code_unit"] = "com.shop.payments";
  create["class_name"] = "ChargeService";
  create["method_name"] = "charge";
  auto r = h.call("create_instrumentation", create);
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "already exists")) << r.text;
  EXPECT_TRUE(contains(r.text, "delete_instrumentation")) << r.text;
}

TEST(InstrumentationLifecycle, SeededBreakpointHasSnapshotsAndLanguageMismatchIsAnError) {
  Clocked c;
  auto& h = *c.h;
  auto listed = h.call("list_instrumentations", scope("payments", "BREAKPOINT"));
  std::string hash = line_value(listed.text, "Location hash: ");
  auto st = check_status(h, "payments", "BREAKPOINT", hash);
  (void)st;
  json::object snap{{"service_name", "payments"}, {"environment", "ecs:shop-cluster"}, {"location_hash", hash},
                    {"status_timestamp", "2026-03-02T10:01:00Z"}};
  auto found = h.call("search_snapshots_for_status_event", snap);
  EXPECT_TRUE(contains(found.text, "\"snapshot_count\":1")) << found.text;
  EXPECT_TRUE(contains(found.text, "orderId")) << found.text;

  // payments runs Java: a Python breakpoint there ends in ERROR (LANGUAGE_MISMATCH).
  json::object create = scope("payments", "BREAKPOINT");
  create["language"] = "Python";
  create["file_path"] = "payments/charge.py";
  create["code_unit"] = "payments.charge";
  create["method_name"] = "charge";
  auto created = h.call("create_instrumentation", create);
  ASSERT_FALSE(created.is_error) << created.text;
  c.offset->store(30);
  auto err = check_status(h, "payments", "BREAKPOINT", line_value(created.text, "Location hash: "));
  EXPECT_TRUE(contains(err, "ERROR at 2026-03-02T12:00:05Z: LANGUAGE_MISMATCH")) << err;
}

TEST(InstrumentationLifecycle, SnapshotQueryTimeoutStopsTheQuery) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"GetQueryResults", fakeaws::FaultKind::kLatency, 5, 1500});
  json::object snap{{"service_name", "payments"}, {"environment", "ecs:shop-cluster"},
                    {"location_hash", "dff3f31ed63bd064"}, {"status_timestamp", "2026-03-02T10:01:00Z"},
                    {"max_timeout", 1}};
  auto r = h.call("get_sample_snapshot_for_breakpoint", snap);
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "\"status\":\"TIMEOUT\"")) << r.text;
  bool stopped = false;
  for (const auto& req : h.requests()) stopped = stopped || req.operation == "StopQuery";
  EXPECT_TRUE(stopped);
}

}  // namespace
}  // namespace appsignals::testing::instrumentation_test

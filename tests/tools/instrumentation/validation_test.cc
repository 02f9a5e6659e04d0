// create_instrumentation checks every rule before calling AWS and says what to change.
#include "instrumentation/test_util.h"

namespace appsignals::testing::instrumentation_test {
namespace {

json::object java_breakpoint() {
  return {{"instrumentation_type", "BREAKPOINT"}, {"service", "payments"}, {"environment", "ecs:shop-cluster"},
          {"language", "Java"}, {"file_path", "src/main/java/com/shop/payments/Ledger.java"},
          {"code_unit", "com.shop.payments"}, {"class_name", "Ledger"}, {"method_name", "post"}};
}

// Calls create with `change` applied and expects a refusal naming `expected`, with no AWS call.
void expect_refused(json::object args, const std::string& expected) {
  ToolHarness h(registrar());
  auto r = h.call("create_instrumentation", args);
  EXPECT_TRUE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, expected)) << r.text;
  EXPECT_TRUE(contains(r.text, "nothing was created")) << r.text;
  for (const auto& req : h.requests()) EXPECT_NE(req.operation, "CreateInstrumentationConfiguration");
}

json::object set(json::object o, const char* k, json::value v) {
  if (v.is_null()) o.erase(k);
  else o[k] = std::move(v);
  return o;
}

TEST(CreateInstrumentationValidation, JavaNeedsClassCodeUnitAndMethod) {
  expect_refused(set(java_breakpoint(), "class_name", nullptr), "Java needs class_name");
  expect_refused(set(java_breakpoint(), "method_name", nullptr), "Java needs method_name");
  expect_refused(set(set(java_breakpoint(), "code_unit", nullptr), "class_name", "Ledger"), "Java needs code_unit");
  expect_refused(set(set(java_breakpoint(), "code_unit", nullptr), "class_name", "com.shop.payments.Ledger"),
                 "use class_name=\"Ledger\" and code_unit=\"com.shop.payments\"");
}

TEST(CreateInstrumentationValidation, PythonNeedsModuleNotFile) {
  json::object py{{"instrumentation_type", "BREAKPOINT"}, {"service", "inventory"}, {"environment", "ecs:shop-cluster"},
                  {"language", "python"}, {"file_path", "inventory/stock.py"}, {"method_name", "count"}};
  expect_refused(py, "Python needs code_unit");
  expect_refused(set(py, "code_unit", "inventory/stock.py"), "use code_unit=\"inventory.stock\"");
}

TEST(CreateInstrumentationValidation, LanguageAndFileRequired) {
  expect_refused(set(java_breakpoint(), "language", "cobol"), "language 'cobol' is not supported");
  expect_refused(set(java_breakpoint(), "file_path", nullptr), "give file_path");
  json::object js{{"instrumentation_type", "BREAKPOINT"}, {"service", "checkout"}, {"environment", "ecs:shop-cluster"},
                  {"language", "JavaScript"}, {"file_path", "src/cart.js"}};
  expect_refused(js, "give line_number");
}

TEST(CreateInstrumentationValidation, CaptureRules) {
  auto line = set(java_breakpoint(), "line_number", 12);
  expect_refused(line, "needs capture_locals");
  expect_refused(set(line, "capture_locals", "[]"), "capture_locals is an empty list");
  expect_refused(set(line, "capture_locals", "[\"*\"]"), "does not accept \"*\"");
  expect_refused(set(set(line, "capture_locals", "[\"x\"]"), "capture_arguments", "[\"a\"]"),
                 "capture_arguments is for method-level targets");
  expect_refused(set(java_breakpoint(), "capture_locals", "[\"x\"]"), "capture_locals is for line-level targets");
  expect_refused(set(java_breakpoint(), "capture_arguments", "[\"*\"]"), "capture_arguments does not accept \"*\"");
}

TEST(CreateInstrumentationValidation, ProbeRules) {
  auto probe = set(java_breakpoint(), "instrumentation_type", "probe");
  expect_refused(set(set(probe, "line_number", 3), "capture_locals", "[\"x\"]"), "PROBE is method-level: remove line_number");
  json::object js{{"instrumentation_type", "PROBE"}, {"service", "checkout"}, {"environment", "ecs:shop-cluster"},
                  {"language", "node"}, {"file_path", "src/cart.js"}, {"method_name", "total"}};
  expect_refused(js, "PROBE is not available for JavaScript");
}

TEST(CreateInstrumentationValidation, FiltersDescriptionAndNames) {
  expect_refused(set(java_breakpoint(), "description", json::value(std::string(51, 'x'))), "description is 51 characters: at most 50");
  json::array many;
  for (int i = 0; i < 11; ++i) many.push_back(json::object{{"k", "v"}});
  expect_refused(set(java_breakpoint(), "attribute_filters", many), "11 groups: at most 10");
  expect_refused(set(java_breakpoint(), "attribute_filters", "[{}]"), "non-empty object");
  expect_refused(set(java_breakpoint(), "environment", "ecs shop"), "environment must be");
}

TEST(CreateInstrumentationValidation, AValidCallReachesAwsWithTheModelShape) {
  ToolHarness h(registrar());
  auto args = set(set(java_breakpoint(), "attribute_filters", "[{\"tenant\":\"acme\",\"region\":\"eu\"},{\"tenant\":\"zen\"}]"),
                  "capture_arguments", "[\"entry\"]");
  args["max_hits"] = 5000;  // clamped to the model's 1000, with a note
  args["ttl_hours"] = 3;
  auto r = h.call("create_instrumentation", args);
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "max hits 1000")) << r.text;
  EXPECT_TRUE(contains(r.text, "Only when: (tenant=acme AND region=eu) OR (tenant=zen)")) << r.text;
  EXPECT_TRUE(contains(r.text, "Description: MCP dynamic instrumentation")) << r.text;
  bool sent = false;
  for (const auto& req : h.requests())
    if (req.operation == "CreateInstrumentationConfiguration") {
      sent = true;
      EXPECT_EQ(req.input.at("ExpiresAt").as_int64(), 1772452800 + 3 * 3600) << json::serialize(req.input);
      EXPECT_EQ(req.input.at("SignalType"), "SNAPSHOT");
    }
  EXPECT_TRUE(sent);
}

TEST(InstrumentationLookups, BadHashAndMissingIdentity) {
  ToolHarness h(registrar());
  json::object base{{"service", "payments"}, {"environment", "ecs:shop-cluster"}, {"instrumentation_type", "BREAKPOINT"}};
  auto bad = base;
  bad["location_hash"] = "xyz";
  auto r = h.call("get_instrumentation", bad);
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "16 hexadecimal")) << r.text;
  r = h.call("delete_instrumentation", base);
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "give location_hash")) << r.text;
  auto missing = base;
  missing["location_hash"] = "0000000000000000";
  r = h.call("get_instrumentation", missing);
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "list_instrumentations")) << r.text;
}

}  // namespace
}  // namespace appsignals::testing::instrumentation_test

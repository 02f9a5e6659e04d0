// list_canaries against the fake sample account: the failing canaries flagged with their
// reasons, clamping, the last-run fan-out, AWS failures, golden output.
#include <gtest/gtest.h>

#include "golden.h"
#include "tool_harness.h"
#include "tools/toolsets.h"

namespace appsignals::testing {
namespace {

namespace json = boost::json;
using fakeaws::FaultKind;
using fakeaws::FaultSpec;

const ToolHarness::Registrar register_list_canaries = &tools::register_toolset<&tools::canaries_tools>;

std::size_t count_ops(const ToolHarness& h, std::string_view op) {
  std::size_t n = 0;
  for (const auto& r : h.requests()) n += r.operation == op;
  return n;
}

std::string block_of(const std::string& text, const std::string& name) {
  auto p = text.find(" " + name + "\n");
  if (p == std::string::npos) return {};
  auto e = text.find("\n\n", p);
  auto next = text.find("\n🟢", p);
  for (auto icon : {"\n🔴", "\n🟠", "\n⚪"}) next = std::min(next, text.find(icon, p));
  return text.substr(p, std::min(e, next) - p);
}

TEST(ListCanaries, FlagsTheFailingCanariesWithTheirReasons) {
  ToolHarness h(register_list_canaries);
  auto r = h.call("list_canaries");
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_NE(r.text.find("Found 3 canaries in us-east-1"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("1 passed, 2 failing"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("🔴 checkout-flow"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("🔴 inventory-api-check"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("🟢 petclinic-home"), std::string::npos) << r.text;
  auto checkout = block_of(r.text, "checkout-flow");
  EXPECT_NE(checkout.find("Last run: FAILED"), std::string::npos) << checkout;
  EXPECT_NE(checkout.find("Navigation timeout of 30000 ms exceeded"), std::string::npos) << checkout;
  EXPECT_NE(checkout.find("Schedule: rate(5 minutes)"), std::string::npos) << checkout;
  EXPECT_NE(checkout.find("Runtime: syn-nodejs-puppeteer-9.1"), std::string::npos) << checkout;
  EXPECT_NE(checkout.find("State: RUNNING"), std::string::npos) << checkout;
  auto inventory = block_of(r.text, "inventory-api-check");
  EXPECT_NE(inventory.find("s3:PutObject"), std::string::npos) << inventory;
  EXPECT_NE(inventory.find("rate(10 minutes)"), std::string::npos) << inventory;
  EXPECT_NE(block_of(r.text, "petclinic-home").find("Last run: PASSED"), std::string::npos);
  EXPECT_NE(r.text.find("Failing (2): checkout-flow, inventory-api-check."), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("analyze_canary_failures(canary_name=\"checkout-flow\")"), std::string::npos) << r.text;
  EXPECT_EQ(count_ops(h, "DescribeCanaries"), 1u);
  EXPECT_EQ(count_ops(h, "GetCanaryRuns"), 3u);
  for (const auto& req : h.requests()) {
    if (req.operation == "GetCanaryRuns") {
      EXPECT_EQ(req.input.at("MaxResults"), 1);
    }
  }
}

TEST(ListCanaries, MaxResultsIsClampedAndTheRestCounted) {
  ToolHarness h(register_list_canaries);
  auto one = h.call("list_canaries", json::object{{"max_results", 0}});
  ASSERT_FALSE(one.is_error) << one.text;
  EXPECT_NE(one.text.find("Note: max_results 0 is below the minimum 1: using 1."), std::string::npos) << one.text;
  EXPECT_NE(one.text.find("Found 3 canaries in us-east-1."), std::string::npos) << one.text;
  EXPECT_NE(one.text.find("Showing 1 of 3 (failing first); 2 not shown."), std::string::npos) << one.text;
  EXPECT_NE(one.text.find("2 canaries are not shown: call list_canaries with max_results=3 to see all."),
            std::string::npos)
      << one.text;
  auto many = h.call("list_canaries", json::object{{"max_results", "500"}});
  ASSERT_FALSE(many.is_error) << many.text;
  EXPECT_NE(many.text.find("Note: max_results 500 is above the limit 200: using 200."), std::string::npos) << many.text;
  EXPECT_EQ(many.text.find("not shown"), std::string::npos);
  auto bad = h.call("list_canaries", json::object{{"max_results", "lots"}});
  EXPECT_TRUE(bad.is_error);
  EXPECT_NE(bad.text.find("max_results"), std::string::npos) << bad.text;
}

TEST(ListCanaries, SummaryCountsEveryCanaryNotOnlyTheShownOnes) {
  ToolHarness h(register_list_canaries);
  auto r = h.call("list_canaries", json::object{{"max_results", "1"}});
  ASSERT_FALSE(r.is_error) << r.text;
  // Two of the three canaries fail: the summary says so although only one is listed.
  EXPECT_NE(r.text.find("Last runs: 1 passed, 2 failing."), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("Failing (2): checkout-flow, inventory-api-check."), std::string::npos) << r.text;
  EXPECT_EQ(r.text.find("No canary failed"), std::string::npos) << r.text;
  // Every canary's last run is read, each once.
  EXPECT_EQ(count_ops(h, "GetCanaryRuns"), 3u);
}

TEST(ListCanaries, FailingCanariesAreListedFirst) {
  ToolHarness h(register_list_canaries);
  auto one = h.call("list_canaries", json::object{{"max_results", 1}});
  ASSERT_FALSE(one.is_error) << one.text;
  EXPECT_NE(one.text.find("🔴 checkout-flow"), std::string::npos) << one.text;
  EXPECT_EQ(one.text.find("petclinic-home\n"), std::string::npos) << one.text;
  auto all = h.call("list_canaries");
  ASSERT_FALSE(all.is_error) << all.text;
  auto checkout = all.text.find("🔴 checkout-flow"), inventory = all.text.find("🔴 inventory-api-check"),
       petclinic = all.text.find("🟢 petclinic-home");
  ASSERT_NE(petclinic, std::string::npos) << all.text;
  EXPECT_LT(checkout, inventory);
  EXPECT_LT(inventory, petclinic);
}

TEST(ListCanaries, DescriptionRoutesToAnalyzeCanaryFailures) {
  ToolHarness h(register_list_canaries);
  auto list = h.registry().find_tool("list_canaries");
  auto analyze = h.registry().find_tool("analyze_canary_failures");
  ASSERT_TRUE(list && analyze);
  EXPECT_NE(list->description.find("Overview"), std::string::npos) << list->description;
  EXPECT_NE(list->description.find("analyze_canary_failures"), std::string::npos) << list->description;
  EXPECT_NE(analyze->description.find("Root cause of ONE failing"), std::string::npos) << analyze->description;
  EXPECT_NE(analyze->description.find("list_canaries"), std::string::npos) << analyze->description;
}

TEST(ListCanaries, AwsFailuresAreToolErrorsWithGuidance) {
  ToolHarness h(register_list_canaries);
  h.arm_fault(FaultSpec{"DescribeCanaries", FaultKind::kAccessDenied, 1});
  auto denied = h.call("list_canaries");
  EXPECT_TRUE(denied.is_error);
  EXPECT_NE(denied.text.find("synthetics:DescribeCanaries"), std::string::npos) << denied.text;
  h.fake().faults().clear();
  h.arm_fault(FaultSpec{"DescribeCanaries", FaultKind::kThrottle, 10});
  auto throttled = h.call("list_canaries");
  EXPECT_TRUE(throttled.is_error);
  EXPECT_NE(throttled.text.find("throttled"), std::string::npos) << throttled.text;
  h.fake().faults().clear();
  h.arm_fault(FaultSpec{"DescribeCanaries", FaultKind::kUnavailable, 10});
  auto down = h.call("list_canaries");
  EXPECT_TRUE(down.is_error);
  EXPECT_FALSE(down.rpc_error.has_value());
}

TEST(ListCanaries, UnreadableLastRunsStillListTheCanaries) {
  ToolHarness h(register_list_canaries);
  h.arm_fault(FaultSpec{"GetCanaryRuns", FaultKind::kAccessDenied, -1});
  auto r = h.call("list_canaries");
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_NE(r.text.find("⚪ checkout-flow"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("Last run: unknown"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("grant synthetics:GetCanaryRuns"), std::string::npos) << r.text;
}

TEST(ListCanaries, BadRegionIsAnArgumentError) {
  ToolHarness h(register_list_canaries);
  auto r = h.call("list_canaries", json::object{{"region", "not a region"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(h.requests().empty());
}

TEST(ListCanaries, GoldenOutputOnTheSampleAccount) {
  ToolHarness h(register_list_canaries);
  auto r = h.call("list_canaries");
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("canaries/golden/list_canaries.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing

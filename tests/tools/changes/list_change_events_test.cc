#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "golden.h"
#include "tool_harness.h"

namespace appsignals::testing {
namespace {

ToolHarness::Registrar registrar() { return &tools::register_toolset<&tools::changes_tools>; }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

json::object structured(const ToolCallResult& r) { return r.result.at("structuredContent").as_object(); }

TEST(ListChangeEvents, TheDeploymentBeforeTheIncidentIsTheNewestEventOfPayments) {
  ToolHarness h(registrar());
  auto r = h.call("list_change_events", json::object{{"start_time", "now-7d"}, {"end_time", "now"},
                                                     {"service_key_attributes", R"({"Name":"payments"})"}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_EQ(s.at("source").as_string(), "ListEntityEvents");
  EXPECT_EQ(s.at("total_events").as_int64(), 3);
  const auto& newest = s.at("change_events").as_array().at(0).as_object();
  EXPECT_EQ(newest.at("change_event_type").as_string(), "DEPLOYMENT");
  EXPECT_EQ(newest.at("service").as_string(), "payments");
  // Forty minutes before the incident (which started 130 minutes before now).
  EXPECT_EQ(newest.at("seconds_since_event").as_int64(), 170 * 60);
  EXPECT_EQ(newest.at("user_name").as_string(), "deploy-bot");
  EXPECT_EQ(s.at("events_by_type").as_object().at("DEPLOYMENT").as_int64(), 2);
  EXPECT_EQ(s.at("events_by_type").as_object().at("CONFIGURATION").as_int64(), 1);
  // Environment was looked up and sent.
  bool sent = false;
  for (const auto& req : h.requests())
    if (req.operation == "ListEntityEvents")
      sent = req.input.at("Entity").as_object().at("Environment").as_string() == "ecs:shop-cluster";
  EXPECT_TRUE(sent);
}

TEST(ListChangeEvents, WithoutAServiceListsEveryServiceNewestFirst) {
  ToolHarness h(registrar());
  auto r = h.call("list_change_events", json::object{{"start_time", "now-6h"}, {"end_time", "now"}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_EQ(s.at("source").as_string(), "ListServiceStates");
  const auto& events = s.at("change_events").as_array();
  ASSERT_EQ(events.size(), 3u) << r.text;
  EXPECT_EQ(events[0].as_object().at("service").as_string(), "checkout");
  EXPECT_EQ(events[1].as_object().at("service").as_string(), "payments");
  EXPECT_EQ(events[2].as_object().at("service").as_string(), "frontend");
}

TEST(ListChangeEvents, LatestOnlyFiltersToTheServiceAndMaxResultsCaps) {
  ToolHarness h(registrar());
  auto r = h.call("list_change_events",
                  json::object{{"start_time", "now-7d"}, {"end_time", "now"}, {"comprehensive_history", "false"},
                               {"service_key_attributes", json::object{{"name", "Payments"}}}, {"max_results", 1}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_EQ(s.at("source").as_string(), "ListServiceStates");
  EXPECT_EQ(s.at("change_events").as_array().size(), 1u);
  EXPECT_EQ(s.at("total_events").as_int64(), 3);
  EXPECT_TRUE(s.contains("note"));
}

TEST(ListChangeEvents, UnknownServiceIsNotFoundWithTheClosestNames) {
  ToolHarness h(registrar());
  auto r = h.call("list_change_events", json::object{{"start_time", "now-1d"}, {"end_time", "now"},
                                                     {"service_key_attributes", R"({"Name":"ledger-api"})"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "ledger-api")) << r.text;
}

TEST(ListChangeEvents, MissingRequiredTimeNamesIt) {
  ToolHarness h(registrar());
  auto r = h.call("list_change_events", json::object{{"start_time", "now-1d"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "end_time")) << r.text;
}

TEST(ListChangeEvents, AccessDeniedNamesTheIamAction) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"ListEntityEvents", fakeaws::FaultKind::kAccessDenied, 1});
  auto r = h.call("list_change_events", json::object{{"start_time", "now-1d"}, {"end_time", "now"},
                                                     {"service_key_attributes", R"({"Name":"payments"})"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "application-signals:ListEntityEvents")) << r.text;
  h.arm_fault(fakeaws::FaultSpec{"ListServiceStates", fakeaws::FaultKind::kAccessDenied, 1});
  auto states = h.call("list_change_events", json::object{{"start_time", "now-1d"}, {"end_time", "now"}});
  EXPECT_TRUE(states.is_error);
  EXPECT_TRUE(contains(states.text, "application-signals:ListServiceStates")) << states.text;
}

TEST(ListChangeEvents, Golden) {
  ToolHarness h(registrar());
  auto r = h.call("list_change_events", json::object{{"start_time", "now-3d"}, {"end_time", "now"}});
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("changes/golden/list_change_events.json", r.text);
}

}  // namespace
}  // namespace appsignals::testing

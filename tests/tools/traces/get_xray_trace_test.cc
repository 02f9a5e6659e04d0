// get_xray_trace against the fake sample account: the incident trace's faulty segment, id
// normalisation, unknown and invalid ids, AWS failures, the depth cap, golden output.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <functional>

#include "fakeaws/sample_account.h"
#include "fakeaws/services/traces_data.h"
#include "golden.h"
#include "tool_harness.h"
#include "tools/toolsets.h"
#include "tools/traces/get_xray_trace.h"

namespace appsignals::testing {
namespace {

namespace json = boost::json;
using fakeaws::FaultKind;
using fakeaws::FaultSpec;

// The text and structuredContent hold the same object; the text prints whole doubles without
// a fraction ("20" for 20.0), so compare with every number as a double.
json::value numbers_as_doubles(const json::value& v) {
  if (v.is_number()) return v.to_number<double>();
  if (v.is_array()) {
    json::array a;
    for (const auto& x : v.get_array()) a.push_back(numbers_as_doubles(x));
    return a;
  }
  if (v.is_object()) {
    json::object o;
    for (const auto& [k, x] : v.get_object()) o[k] = numbers_as_doubles(x);
    return o;
  }
  return v;
}

constexpr std::int64_t kAnchor = 1772452800;  // ToolHarness::fixed_now()
constexpr std::uint64_t kSeed = 42;           // FakeAwsOptions default

// The first faulty trace of the incident (2h10m to 1h40m before now), from the fake's own data.
std::string incident_trace_id() {
  auto traces = fakeaws::traces_between(fakeaws::sample_account(), kAnchor, kSeed,
                                        static_cast<double>(kAnchor - fakeaws::SampleAccount::kIncidentStart),
                                        static_cast<double>(kAnchor - fakeaws::SampleAccount::kIncidentEnd));
  for (const auto& t : traces)
    if (t.fault) return t.id;
  return {};
}

std::string healthy_trace_id() {
  auto traces = fakeaws::traces_between(fakeaws::sample_account(), kAnchor, kSeed, static_cast<double>(kAnchor - 3600),
                                        static_cast<double>(kAnchor));
  for (const auto& t : traces)
    if (!t.fault && !t.error) return t.id;
  return {};
}

std::vector<fakeaws::RequestRecord> batch_requests(const ToolHarness& h) {
  std::vector<fakeaws::RequestRecord> out;
  for (auto& r : h.requests())
    if (r.operation == "BatchGetTraces") out.push_back(r);
  return out;
}

const json::object* find_by_name(const json::array& list, std::string_view name) {
  for (const auto& v : list)
    if (v.as_object().at("name").as_string() == name) return &v.as_object();
  return nullptr;
}

TEST(GetXrayTrace, ShowsTheDynamoDbThrottleOnPaymentsLedgerAsTheFaultySegment) {
  const std::string id = incident_trace_id();
  ASSERT_FALSE(id.empty());
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto r = h.call("get_xray_trace", json::object{{"trace_ids", id}});
  ASSERT_FALSE(r.is_error) << r.text;
  ASSERT_TRUE(r.result.contains("structuredContent"));
  const auto& out = r.result.at("structuredContent").as_object();
  EXPECT_EQ(numbers_as_doubles(json::parse(r.text)), numbers_as_doubles(out));
  ASSERT_EQ(out.at("traces").as_array().size(), 1u);
  EXPECT_TRUE(out.at("unprocessed_trace_ids").as_array().empty());
  const auto& trace = out.at("traces").as_array()[0].as_object();
  EXPECT_EQ(std::string(trace.at("trace_id").as_string()), id);
  EXPECT_EQ(trace.at("has_faults"), true);
  EXPECT_EQ(trace.at("has_throttles"), true);

  // Segments: checkout (the entry) and payments (called by checkout).
  const auto& segments = trace.at("segments").as_array();
  const auto* payments = find_by_name(segments, "payments");
  ASSERT_NE(payments, nullptr) << r.text;
  EXPECT_EQ(payments->at("fault"), true);
  EXPECT_EQ(payments->at("http").as_object().at("status"), 500);
  EXPECT_TRUE(payments->contains("parent_id"));
  const auto* ddb = find_by_name(payments->at("subsegments").as_array(), "DynamoDB");
  ASSERT_NE(ddb, nullptr) << r.text;
  EXPECT_EQ(ddb->at("throttle"), true);
  EXPECT_EQ(ddb->at("namespace"), "aws");
  EXPECT_EQ(ddb->at("aws").as_object().at("table_name"), "payments-ledger");
  EXPECT_EQ(ddb->at("aws").as_object().at("operation"), "PutItem");
  EXPECT_EQ(ddb->at("cause").as_array()[0].as_object().at("type"), "ProvisionedThroughputExceededException");

  // The problems list leads from the entry to the throttled table.
  bool found = false;
  for (const auto& p : trace.at("problems").as_array()) {
    const auto& po = p.as_object();
    if (po.at("path") == "checkout > payments > payments > DynamoDB") {
      found = true;
      EXPECT_NE(json::serialize(po.at("kind")).find("throttle"), std::string::npos);
      EXPECT_EQ(po.at("aws").as_object().at("table_name"), "payments-ledger");
    }
  }
  EXPECT_TRUE(found) << r.text;
  auto reqs = batch_requests(h);
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].input.at("TraceIds").as_array(), json::array{json::string(id)});
}

TEST(GetXrayTrace, NormalisesOpenTelemetryAndHexPrefixedIds) {
  const std::string id = incident_trace_id();
  const std::string healthy = healthy_trace_id();
  ASSERT_FALSE(healthy.empty());
  const std::string otel = id.substr(2, 8) + id.substr(11);
  std::string hex = "0x" + healthy.substr(2, 8) + healthy.substr(11);
  for (auto& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  hex[1] = 'x';
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto r = h.call("get_xray_trace", json::object{{"trace_ids", otel + ", " + hex + "," + id}});
  ASSERT_FALSE(r.is_error) << r.text;
  const auto& out = r.result.at("structuredContent").as_object();
  EXPECT_EQ(out.at("requested_trace_ids").as_array(), (json::array{json::string(id), json::string(healthy)}));
  const auto& conv = out.at("trace_id_conversions").as_object();
  EXPECT_EQ(std::string(conv.at(otel).as_string()), id);
  EXPECT_EQ(std::string(conv.at(hex).as_string()), healthy);
  EXPECT_EQ(out.at("traces").as_array().size(), 2u);
  auto reqs = batch_requests(h);
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].input.at("TraceIds").as_array(), (json::array{json::string(id), json::string(healthy)}));
}

TEST(GetXrayTrace, NormalizeTraceIdAcceptsTheThreeForms) {
  using tools::traces::normalize_trace_id;
  EXPECT_EQ(*normalize_trace_id("1-67891233-abcdef012345678912345678"), "1-67891233-abcdef012345678912345678");
  EXPECT_EQ(*normalize_trace_id("67891233ABCDEF012345678912345678"), "1-67891233-abcdef012345678912345678");
  EXPECT_EQ(*normalize_trace_id(" 0x67891233abcdef012345678912345678 "), "1-67891233-abcdef012345678912345678");
  for (const char* bad : {"", "1-6789123-abcdef012345678912345678", "67891233abcdef01234567891234567",
                          "0x67891233abcdef01234567891234567g", "2-67891233-abcdef012345678912345678",
                          "1-67891233_abcdef012345678912345678"}) {
    auto r = normalize_trace_id(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_NE(r.error().message.find("0x"), std::string::npos);
    }
  }
}

TEST(GetXrayTrace, UnknownIdIsListedAsUnprocessedWithANote) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  const std::string unknown = "1-00000001-000000000000000000000000";
  auto r = h.call("get_xray_trace", json::object{{"trace_ids", unknown}});
  ASSERT_FALSE(r.is_error) << r.text;
  const auto& out = r.result.at("structuredContent").as_object();
  EXPECT_TRUE(out.at("traces").as_array().empty());
  EXPECT_EQ(out.at("unprocessed_trace_ids").as_array(), json::array{json::string(unknown)});
  EXPECT_NE(std::string(out.at("note").as_string()).find("30 days"), std::string::npos);
}

TEST(GetXrayTrace, InvalidIdIsAnArgumentErrorNamingTheAcceptedForms) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto r = h.call("get_xray_trace", json::object{{"trace_ids", "1-67891233-abcdef012345678912345678, not-a-trace"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.text.find("not-a-trace"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("X-Ray"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("32 hex"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("0x"), std::string::npos) << r.text;
  EXPECT_TRUE(h.requests().empty());
}

TEST(GetXrayTrace, MoreThanFiveIdsOrNoneAreRejected) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  std::string six;
  for (int i = 0; i < 6; ++i) six += (i ? "," : "") + std::string("1-0000000") + std::to_string(i) + "-000000000000000000000000";
  auto r = h.call("get_xray_trace", json::object{{"trace_ids", six}});
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.text.find("at most 5"), std::string::npos) << r.text;
  auto missing = h.call("get_xray_trace", json::object{});
  EXPECT_TRUE(missing.is_error);
  EXPECT_NE(missing.text.find("trace_ids"), std::string::npos) << missing.text;
  auto commas = h.call("get_xray_trace", json::object{{"trace_ids", " , ,"}});
  EXPECT_TRUE(commas.is_error);
  EXPECT_NE(commas.text.find("trace_ids"), std::string::npos) << commas.text;
  EXPECT_TRUE(h.requests().empty());
}

TEST(GetXrayTrace, DuplicateIdsInAnyFormAreFetchedOnce) {
  const std::string id = incident_trace_id();
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto r = h.call("get_xray_trace", json::object{{"trace_ids", json::array{json::string(id), json::string(id.substr(2, 8) + id.substr(11))}}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.result.at("structuredContent").as_object().at("traces").as_array().size(), 1u);
}

TEST(GetXrayTrace, AwsFailuresAreToolErrorsWithGuidance) {
  const std::string id = incident_trace_id();
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  h.arm_fault(FaultSpec{"BatchGetTraces", FaultKind::kAccessDenied, 1});
  auto denied = h.call("get_xray_trace", json::object{{"trace_ids", id}});
  EXPECT_TRUE(denied.is_error);
  EXPECT_NE(denied.text.find("xray:BatchGetTraces"), std::string::npos) << denied.text;
  h.fake().faults().clear();
  h.arm_fault(FaultSpec{"BatchGetTraces", FaultKind::kThrottle, 10});
  auto throttled = h.call("get_xray_trace", json::object{{"trace_ids", id}});
  EXPECT_TRUE(throttled.is_error);
  EXPECT_NE(throttled.text.find("throttled"), std::string::npos) << throttled.text;
  h.fake().faults().clear();
  h.arm_fault(FaultSpec{"BatchGetTraces", FaultKind::kMalformed, 10});
  auto malformed = h.call("get_xray_trace", json::object{{"trace_ids", id}});
  EXPECT_TRUE(malformed.is_error);
  EXPECT_FALSE(malformed.rpc_error.has_value());
}

TEST(GetXrayTrace, BadRegionIsAnArgumentError) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto r = h.call("get_xray_trace", json::object{{"trace_ids", incident_trace_id()}, {"region", "Mars_1"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.text.find("Error"), std::string::npos) << r.text;
  EXPECT_TRUE(h.requests().empty());
}

TEST(GetXrayTrace, SubsegmentsDeeperThanFiveLevelsAreCountedNotShown) {
  // A chain of 8 nested subsegments below the segment.
  json::object leaf{{"id", "s8"}, {"name", "level8"}, {"start_time", 1.0}, {"end_time", 1.5}};
  json::object node = leaf;
  for (int i = 7; i >= 0; --i) {
    json::object parent{{"id", "s" + std::to_string(i)}, {"name", "level" + std::to_string(i)},
                        {"start_time", 1.0}, {"end_time", 2.0}};
    parent["subsegments"] = json::array{node};
    node = std::move(parent);
  }
  auto summary = tools::traces::summarize_segment(node, 0, 5);
  EXPECT_EQ(summary.at("duration_ms"), 1000.0);
  const json::object* cur = &summary;
  int depth = 0;
  while (cur->contains("subsegments")) {
    cur = &cur->at("subsegments").as_array()[0].as_object();
    ++depth;
  }
  EXPECT_EQ(depth, 4);  // levels 0..4 shown
  EXPECT_EQ(cur->at("subsegments_not_shown"), 4);  // levels 5..8
}

TEST(GetXrayTrace, TraceIdsAsJsonTextOfAListOrSeparatedBySpaces) {
  const std::string id = incident_trace_id();
  const std::string healthy = healthy_trace_id();
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto list = h.call("get_xray_trace", json::object{{"trace_ids", "[\"" + id + "\", \"" + healthy + "\"]"}});
  ASSERT_FALSE(list.is_error) << list.text;
  EXPECT_EQ(list.result.at("structuredContent").as_object().at("traces").as_array().size(), 2u);
  auto spaced = h.call("get_xray_trace", json::object{{"trace_ids", id + " " + healthy}});
  ASSERT_FALSE(spaced.is_error) << spaced.text;
  EXPECT_EQ(spaced.result.at("structuredContent").as_object().at("traces").as_array().size(), 2u);
  auto number = h.call("get_xray_trace", json::object{{"trace_ids", 12345}});
  EXPECT_TRUE(number.is_error);
  EXPECT_NE(number.text.find("trace_ids"), std::string::npos) << number.text;
}

TEST(GetXrayTrace, OutputIsCompactJson) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto r = h.call("get_xray_trace", json::object{{"trace_ids", incident_trace_id()}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.text.find('\n'), std::string::npos);
  EXPECT_EQ(r.text.rfind("{\"requested_trace_ids\":[", 0), 0u);
}

TEST(GetXrayTrace, WideTreesAreBoundedByANodeBudgetAndCounted) {
  // A segment with 100 subsegments, each with 3 children.
  json::array subs;
  for (int i = 0; i < 100; ++i) {
    json::array kids;
    for (int k = 0; k < 3; ++k)
      kids.push_back(json::object{{"id", "k" + std::to_string(i * 3 + k)}, {"name", "kid"}, {"start_time", 1.0}, {"end_time", 1.1}});
    subs.push_back(json::object{{"id", "s" + std::to_string(i)}, {"name", "call" + std::to_string(i)},
                                {"start_time", 1.0}, {"end_time", 1.2}, {"subsegments", std::move(kids)}});
  }
  json::object segment{{"id", "root"}, {"name", "svc"}, {"start_time", 1.0}, {"end_time", 3.0}, {"subsegments", subs}};
  std::size_t budget = 30;
  auto summary = tools::traces::summarize_segment(segment, 0, 5, budget);
  EXPECT_EQ(budget, 0u);
  // At most 12 children shown; everything else counted.
  const auto& shown = summary.at("subsegments").as_array();
  EXPECT_LE(shown.size(), 12u);
  std::int64_t visible = 0;
  std::function<void(const json::object&)> count = [&](const json::object& o) {
    ++visible;
    if (const auto* ss = o.if_contains("subsegments"))
      for (const auto& x : ss->as_array()) count(x.as_object());
  };
  count(summary);
  std::int64_t hidden = 0;
  std::function<void(const json::object&)> count_hidden = [&](const json::object& o) {
    if (const auto* n = o.if_contains("subsegments_not_shown")) hidden += n->as_int64();
    if (const auto* ss = o.if_contains("subsegments"))
      for (const auto& x : ss->as_array()) count_hidden(x.as_object());
  };
  count_hidden(summary);
  EXPECT_EQ(visible, 30);
  EXPECT_EQ(visible + hidden, 1 + 100 * 4);
  EXPECT_LT(json::serialize(summary).size(), 4000u);
}

TEST(GetXrayTrace, GoldenOutputOnTheSampleAccount) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto r = h.call("get_xray_trace", json::object{{"trace_ids", incident_trace_id()}});
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("traces/golden/get_xray_trace.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing

// query_sampled_traces against the fake sample account: the incident's faults collapsed by
// exception, the request sent, defaults, the 6-hour cap, the bounded listing with totals over
// every trace, argument leniency, errors, golden.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <map>

#include "fakeaws/sample_account.h"
#include "fakeaws/services/traces_data.h"
#include "golden.h"
#include "tool_harness.h"
#include "tools/toolsets.h"

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

constexpr std::int64_t kNow = 1772452800;  // 2026-03-02T12:00:00Z

std::vector<fakeaws::RequestRecord> summary_requests(const ToolHarness& h) {
  std::vector<fakeaws::RequestRecord> out;
  for (auto& r : h.requests())
    if (r.operation == "GetTraceSummaries") out.push_back(r);
  return out;
}

TEST(QuerySampledTraces, IncidentFaultsAreCollapsedAndShowTheDynamoDbThrottling) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto r = h.call("query_sampled_traces",
                  json::object{{"start_time", "2026-03-02T09:50:00Z"}, {"end_time", "2026-03-02T10:20:00Z"}});
  ASSERT_FALSE(r.is_error) << r.text;
  ASSERT_TRUE(r.result.contains("structuredContent"));
  const auto& out = r.result.at("structuredContent").as_object();
  EXPECT_EQ(numbers_as_doubles(json::parse(r.text)), numbers_as_doubles(out));
  const auto& stats = out.at("DeduplicationStats").as_object();
  EXPECT_GT(stats.at("FaultyTraceCount").as_int64(), 5);
  const auto& groups = stats.at("FaultGroups").as_array();
  ASSERT_EQ(groups.size(), 1u);
  const auto& g = groups[0].as_object();
  EXPECT_EQ(g.at("TraceCount"), stats.at("FaultyTraceCount"));
  EXPECT_EQ(stats.at("DeduplicatedTraceCount").as_int64(),
            stats.at("OriginalTraceCount").as_int64() - stats.at("FaultyTraceCount").as_int64() + 1);
  EXPECT_EQ(out.at("TotalTraceCount"), stats.at("OriginalTraceCount"));
  EXPECT_EQ(out.at("FaultTraceCount"), stats.at("FaultyTraceCount"));
  // The faulty example is listed first.
  EXPECT_EQ(out.at("TraceSummaries").as_array()[0].as_object().at("Id"), g.at("ExampleTraceId"));
  EXPECT_EQ(r.text.find('\n'), std::string::npos) << "compact JSON";
  // The one faulty example carries the whole root-cause path down to DynamoDB.
  const json::object* example = nullptr;
  for (const auto& t : out.at("TraceSummaries").as_array())
    if (t.as_object().at("Id") == g.at("ExampleTraceId")) example = &t.as_object();
  ASSERT_NE(example, nullptr);
  EXPECT_EQ(example->at("HasFault"), true);
  EXPECT_EQ(example->at("HasThrottle"), true);
  EXPECT_EQ(example->at("Http").as_object().at("HttpStatus"), 500);
  EXPECT_EQ(example->at("Annotations").as_object().at("aws.local.operation"), "POST /checkout");
  const std::string causes = json::serialize(example->at("FaultRootCauses"));
  EXPECT_NE(causes.find("AWS::DynamoDB"), std::string::npos) << causes;
  EXPECT_NE(causes.find("ProvisionedThroughputExceededException"), std::string::npos) << causes;
  EXPECT_NE(causes.find("payments"), std::string::npos);
  EXPECT_EQ(out.at("TransactionSearchStatus").as_object().at("enabled"), true);
  EXPECT_NE(std::string(out.at("Message").as_string()).find("get_xray_trace"), std::string::npos);
}

TEST(QuerySampledTraces, SendsASampledServiceTimeRangeRequest) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto r = h.call("query_sampled_traces", json::object{{"start_time", kNow - 3600},
                                                       {"end_time", std::to_string(kNow)},
                                                       {"filter_expression", "fault = true"}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto reqs = summary_requests(h);
  ASSERT_EQ(reqs.size(), 1u);
  const auto& in = reqs[0].input;
  EXPECT_EQ(in.at("Sampling"), true);
  EXPECT_EQ(in.at("TimeRangeType"), "Service");
  EXPECT_EQ(in.at("FilterExpression"), "fault = true");
  EXPECT_EQ(in.at("StartTime").to_number<double>(), static_cast<double>(kNow - 3600));
  EXPECT_EQ(in.at("EndTime").to_number<double>(), static_cast<double>(kNow));
  // No faults in the last hour: nothing matches the filter.
  EXPECT_TRUE(r.result.at("structuredContent").as_object().at("TraceSummaries").as_array().empty());
}

TEST(QuerySampledTraces, DefaultsToTheLastThreeHours) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto r = h.call("query_sampled_traces", json::object{});
  ASSERT_FALSE(r.is_error) << r.text;
  auto reqs = summary_requests(h);
  ASSERT_FALSE(reqs.empty());
  EXPECT_EQ(reqs[0].input.at("StartTime").to_number<double>(), static_cast<double>(kNow - 3 * 3600));
  EXPECT_EQ(reqs[0].input.at("EndTime").to_number<double>(), static_cast<double>(kNow));
  const auto& out = r.result.at("structuredContent").as_object();
  EXPECT_EQ(out.at("TimeRange").as_object().at("StartTime"), "2026-03-02T09:00:00Z");
  // 90 sampled requests in 3 hours, the incident's faults among them.
  EXPECT_TRUE(out.contains("DeduplicationStats"));
}

TEST(QuerySampledTraces, WindowLongerThanSixHoursIsRejected) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto r = h.call("query_sampled_traces",
                  json::object{{"start_time", "2026-03-02 04:59:59"}, {"end_time", "2026-03-02 12:00:00"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.text.find("6 hours"), std::string::npos) << r.text;
  EXPECT_TRUE(h.requests().empty());
  auto ok = h.call("query_sampled_traces",
                   json::object{{"start_time", "2026-03-02 06:00:00"}, {"end_time", "2026-03-02 12:00:00"}});
  EXPECT_FALSE(ok.is_error) << ok.text;
}

TEST(QuerySampledTraces, AnUnfilteredSixHourCallListsTwentyCountsEveryTraceAndFitsTheBudget) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto r = h.call("query_sampled_traces", json::object{{"start_time", "6 hours ago"}});
  ASSERT_FALSE(r.is_error) << r.text;
  const auto& out = r.result.at("structuredContent").as_object();
  // Totals count every trace the fake holds for the window, not just those listed.
  auto all = fakeaws::traces_between(fakeaws::sample_account(), kNow, 42, static_cast<double>(kNow - 6 * 3600),
                                     static_cast<double>(kNow));
  std::int64_t faults = 0;
  for (const auto& t : all) faults += t.fault ? 1 : 0;
  ASSERT_GT(all.size(), 100u);
  EXPECT_EQ(out.at("TotalTraceCount").as_int64(), static_cast<std::int64_t>(all.size()));
  EXPECT_EQ(out.at("FaultTraceCount").as_int64(), faults);
  const auto& listed = out.at("TraceSummaries").as_array();
  EXPECT_EQ(listed.size(), 20u);
  EXPECT_EQ(out.at("TraceCount"), 20);
  // De-duplicated: one example per fault message, at most three healthy traces per operation.
  std::map<std::string, int> per_op;
  for (const auto& t : listed) {
    const auto& o = t.as_object();
    if (o.at("HasFault").as_bool() || o.at("HasError").as_bool()) continue;
    ++per_op[std::string(o.at("Annotations").as_object().at("aws.local.operation").as_string())];
  }
  for (const auto& [op, n] : per_op) EXPECT_LE(n, 3) << op;
  EXPECT_EQ(listed[0].as_object().at("HasFault"), true);
  // Within the budget by design: no framework cut, our own hint saying how to narrow.
  EXPECT_LT(r.text.size(), 16000u);
  EXPECT_LT(r.text.size(), 12000u);
  const std::string hint(out.at("truncated").as_string());
  EXPECT_EQ(hint.find("Output cut to fit"), std::string::npos);
  EXPECT_NE(hint.find("Listing 20 of"), std::string::npos) << hint;
  EXPECT_NE(hint.find("filter_expression"), std::string::npos) << hint;
}

TEST(QuerySampledTraces, RootCausesAreBoundedToThreePerTrace) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto r = h.call("query_sampled_traces", json::object{{"start_time", "2026-03-02T09:50"}, {"end_time", "2026-03-02T10:20"}});
  ASSERT_FALSE(r.is_error) << r.text;
  for (const auto& t : r.result.at("structuredContent").as_object().at("TraceSummaries").as_array())
    for (const char* key : {"FaultRootCauses", "ErrorRootCauses", "ResponseTimeRootCauses"}) {
      if (const auto* c = t.as_object().if_contains(key)) {
        EXPECT_LE(c->as_array().size(), 3u);
      }
    }
}

TEST(QuerySampledTraces, FilterExpressionIsPassedThroughAndTimesReadInAnyForm) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  const std::string filter = "service(\"payments\") AND fault";
  auto r = h.call("query_sampled_traces", json::object{{"start_time", "2026-03-02T09:30"},
                                                       {"end_time", std::to_string(kNow - 5400) + "000"},
                                                       {"filter_expression", filter}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto reqs = summary_requests(h);
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].input.at("FilterExpression").as_string(), filter);
  EXPECT_EQ(reqs[0].input.at("StartTime").to_number<double>(), 1772443800.0);  // 09:30Z
  EXPECT_EQ(reqs[0].input.at("EndTime").to_number<double>(), static_cast<double>(kNow - 5400));
  const auto& out = r.result.at("structuredContent").as_object();
  EXPECT_EQ(out.at("FilterExpression").as_string(), filter);
  EXPECT_GT(out.at("FaultTraceCount").as_int64(), 0);
  EXPECT_NE(r.text.find("payments"), std::string::npos);
}

TEST(QuerySampledTraces, BadArgumentsAreArgumentErrors) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto bad = h.call("query_sampled_traces", json::object{{"end_time", "around lunch"}});
  EXPECT_TRUE(bad.is_error);
  EXPECT_NE(bad.text.find("end_time"), std::string::npos) << bad.text;
  auto reversed = h.call("query_sampled_traces", json::object{{"start_time", kNow}, {"end_time", kNow - 60}});
  EXPECT_TRUE(reversed.is_error);
  EXPECT_NE(reversed.text.find("must be after"), std::string::npos);
  auto filter = h.call("query_sampled_traces", json::object{{"filter_expression", json::array{"x"}}});
  EXPECT_TRUE(filter.is_error);
  EXPECT_TRUE(h.requests().empty());
}

TEST(QuerySampledTraces, AwsFailuresAreToolErrorsWithGuidance) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  h.arm_fault(FaultSpec{"GetTraceSummaries", FaultKind::kAccessDenied, 1});
  auto denied = h.call("query_sampled_traces", json::object{});
  EXPECT_TRUE(denied.is_error);
  EXPECT_NE(denied.text.find("xray:GetTraceSummaries"), std::string::npos) << denied.text;
  h.fake().faults().clear();
  h.arm_fault(FaultSpec{"GetTraceSummaries", FaultKind::kThrottle, 10});
  auto throttled = h.call("query_sampled_traces", json::object{});
  EXPECT_TRUE(throttled.is_error);
  EXPECT_NE(throttled.text.find("narrower time window"), std::string::npos) << throttled.text;
  h.fake().faults().clear();
  h.arm_fault(FaultSpec{"GetTraceSummaries", FaultKind::kExpiredToken, 10});
  auto expired = h.call("query_sampled_traces", json::object{});
  EXPECT_TRUE(expired.is_error);
  EXPECT_NE(expired.text.find("credentials"), std::string::npos) << expired.text;
}

TEST(QuerySampledTraces, TransactionSearchStatusFailureOnlyWeakensTheAdvice) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  h.arm_fault(FaultSpec{"GetTraceSegmentDestination", FaultKind::kAccessDenied, 1});
  auto r = h.call("query_sampled_traces", json::object{});
  ASSERT_FALSE(r.is_error) << r.text;
  const auto& ts = r.result.at("structuredContent").as_object().at("TransactionSearchStatus").as_object();
  EXPECT_TRUE(ts.at("enabled").is_null());
  EXPECT_NE(std::string(ts.at("recommendation").as_string()).find("xray:GetTraceSegmentDestination"), std::string::npos);
}

TEST(QuerySampledTraces, GoldenOutputOnTheSampleAccount) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto r = h.call("query_sampled_traces",
                  json::object{{"start_time", "2026-03-02T09:56:00Z"}, {"end_time", "2026-03-02T10:06:00Z"}});
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("traces/golden/query_sampled_traces.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing

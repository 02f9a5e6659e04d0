// The fake's PromQL evaluator: the query shapes the service_events tools send, over hand-made
// series, and bad_data for everything else.
#include "fakeaws/query/promql.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "fakeaws/sample_account.h"
#include "fakeaws/services/service_events_data.h"

namespace appsignals::fakeaws::promql {
namespace {

// Two functions of svc: f.a (10 calls/min of 2000 µs, 1 error/min of 5000 µs) and f.b (4 ok of 100 µs);
// one errors gauge (3/min).
std::vector<Series> sample() {
  std::vector<Series> out;
  auto hist = [&](std::string fn, std::string status, double n, double us) {
    Series s;
    s.labels = {{"__name__", "service.function.duration"}, {"@resource.service.name", "svc"},
                {"function.name", fn}, {"status", status}};
    s.kind = SeriesKind::kHistogram;
    s.at = [n, us](std::int64_t) { return Sample{n, n * us}; };
    out.push_back(std::move(s));
  };
  hist("f.a", "ok", 10, 2000);
  hist("f.a", "error", 1, 5000);
  hist("f.b", "ok", 4, 100);
  Series g;
  g.labels = {{"__name__", "count"}, {"@resource.service.name", "svc"}, {"operation", "GET /x"}, {"exception", "E"}};
  g.kind = SeriesKind::kGauge;
  g.at = [](std::int64_t) { return Sample{3, 0}; };
  out.push_back(std::move(g));
  return out;
}

std::map<std::string, double> by_function(const std::vector<Element>& v) {
  std::map<std::string, double> out;
  for (const auto& e : v) out[e.labels.count("function.name") ? e.labels.at("function.name") : ""] = e.value;
  return out;
}

constexpr std::int64_t kT = 1767225600;

TEST(PromqlEval, CallsPerFunctionFromHistogramCount) {
  auto r = evaluate(R"(sum by ("function.name") (histogram_count(increase({"service.function.duration","@resource.service.name"="svc"}[1h]))))",
                    kT, sample());
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto m = by_function(*r);
  EXPECT_DOUBLE_EQ(m["f.a"], 660);  // (10 + 1) × 60
  EXPECT_DOUBLE_EQ(m["f.b"], 240);
}

TEST(PromqlEval, ErrorsByStatusMatcherAndAverageByHistogramAvg) {
  auto errors = evaluate(R"(sum by ("function.name") (histogram_count(increase({"service.function.duration","status"="error"}[30m]))))",
                         kT, sample());
  ASSERT_TRUE(errors.ok()) << errors.error().message;
  EXPECT_EQ(errors->size(), 1u);
  EXPECT_DOUBLE_EQ(by_function(*errors)["f.a"], 30);
  auto avg = evaluate(R"(histogram_avg(sum by ("function.name") (increase({"service.function.duration"}[1h]))))", kT,
                      sample());
  ASSERT_TRUE(avg.ok()) << avg.error().message;
  EXPECT_NEAR(by_function(*avg)["f.a"], (10 * 2000.0 + 5000) / 11, 1e-6);
  EXPECT_NEAR(by_function(*avg)["f.b"], 100, 1e-9);
}

TEST(PromqlEval, SumOverTimeRateAndRegexMatchers) {
  auto r = evaluate(R"(sum by (operation, exception) (sum_over_time({"count","@resource.service.name"="svc"}[10m])))", kT,
                    sample());
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].labels.at("exception"), "E");
  EXPECT_DOUBLE_EQ((*r)[0].value, 30);
  auto rate = evaluate(R"(sum(rate(count{operation=~"GET.*"}[5m])))", kT, sample());
  ASSERT_TRUE(rate.ok()) << rate.error().message;
  ASSERT_EQ(rate->size(), 1u);
  EXPECT_DOUBLE_EQ((*rate)[0].value, 3.0 / 60);
  auto none = evaluate(R"(sum(rate(count{operation!="GET /x"}[5m])))", kT, sample());
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(PromqlEval, OtherShapesAreBadData) {
  for (const char* q : {"topk(3, count)", "sum(count", R"({"count"}[5m])", "increase({\"count\"})", R"({status="ok"})",
                        "count + 1", "histogram_avg(count[5m])", R"({"count"}[5x])"}) {
    auto r = evaluate(q, kT, sample());
    ASSERT_FALSE(r.ok()) << q;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << q;
    EXPECT_EQ(r.error().message.rfind("bad_data: ", 0), 0u) << q;
  }
}

// Found by fuzzing (tests/fuzz/corpus/promql/crash-huge-range): 20 digits threw out of
// std::stoll (uncaught), a large range overflowed int64, and a long one looped per minute of it.
TEST(PromqlEval, HugeAndTooLongRangesAreBadData) {
  for (const char* q : {R"(sum(rate(count{operation=~"GET.*"}[70000000000000000000000000000m])))",
                        R"(sum(rate(count[9223372036854775807w])))", R"(sum(rate(count[36d])))"}) {
    auto r = evaluate(q, kT, sample());
    ASSERT_FALSE(r.ok()) << q;
    EXPECT_EQ(r.error().message.rfind("bad_data: ", 0), 0u) << q;
  }
  EXPECT_TRUE(evaluate(R"(sum(rate(count[35d])))", kT, sample()).ok());
}

TEST(PromqlEval, InstantQueryJsonAndSeriesMatching) {
  auto j = instant_query(R"(sum(sum_over_time({"count"}[1m])))", kT, sample());
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(boost::json::serialize(*j), R"({"resultType":"vector","result":[{"metric":{},"value":[1767225600,"3"]}]})");
  auto m = match_series({R"({"service.function.duration","function.name"="f.a"})"}, sample());
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->size(), 2u);
  auto range = range_query(R"(sum(sum_over_time({"count"}[1m])))", kT - 120, kT, 60, sample());
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->as_object().at("result").as_array()[0].as_object().at("values").as_array().size(), 3u);
}

TEST(PromqlEval, HourlyTrendShapesOfGetFunctionMetrics) {
  // get_function_metrics' trend: unlabelled sums over one function, as a range query with an hourly step.
  const char* avg = R"(histogram_avg(sum(increase({"service.function.duration","function.name"="f.a"}[1h]))))";
  auto r = range_query(avg, kT - 7200, kT, 3600, sample());
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& result = r->as_object().at("result").as_array();
  ASSERT_EQ(result.size(), 1u);
  EXPECT_TRUE(result[0].as_object().at("metric").as_object().empty());
  const auto& values = result[0].as_object().at("values").as_array();
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[2].as_array()[0].as_int64(), kT);
  EXPECT_NEAR(std::stod(std::string(values[2].as_array()[1].as_string())), (10 * 2000.0 + 5000) / 11, 1e-3);
  const char* errors = R"(sum(histogram_count(increase({"service.function.duration","function.name"="f.a","status"="error"}[1h]))))";
  auto e = range_query(errors, kT - 3600, kT, 3600, sample());
  ASSERT_TRUE(e.ok()) << e.error().message;
  const auto& ev = e->as_object().at("result").as_array()[0].as_object().at("values").as_array();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].as_array()[1].as_string(), "60");  // 1 error a minute for an hour
}

TEST(PromqlStory, WriteEntryFailsMostAndSlowsDuringTheThrottling) {
  const std::int64_t anchor = kT;
  auto series = service_event_series(sample_account(), anchor);
  auto errors = evaluate(R"(sum by ("function.name") (histogram_count(increase({"service.function.duration","status"="error"}[24h]))))",
                         anchor, series);
  ASSERT_TRUE(errors.ok()) << errors.error().message;
  std::string top;
  double best = -1;
  for (const auto& e : *errors)
    if (e.value > best) {
      best = e.value;
      top = e.labels.at("function.name");
    }
  EXPECT_EQ(top, "payments.ledger.write_entry");
  EXPECT_GT(best, 500);
  auto before = evaluate(R"(histogram_avg(sum by ("function.name") (increase({"service.function.duration","function.name"="payments.ledger.write_entry"}[30m]))))",
                         anchor - 4 * 3600, series);
  auto during = evaluate(R"(histogram_avg(sum by ("function.name") (increase({"service.function.duration","function.name"="payments.ledger.write_entry"}[30m]))))",
                         anchor - 100 * 60, series);
  ASSERT_TRUE(before.ok() && during.ok());
  EXPECT_LT((*before)[0].value, 10000);
  EXPECT_GT((*during)[0].value, 500000);
}

}  // namespace
}  // namespace appsignals::fakeaws::promql

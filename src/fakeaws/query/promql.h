#pragma once
// A small PromQL evaluator for the fake's Prometheus-compatible API (CloudWatch QueryMetrics,
// GetSeries, GetLabels). It knows exactly the query shapes the service_events tools send:
//   selectors   {"metric.name","label.name"="v",other!="v",x=~"re"}  and  metric{label="v"}
//   ranges      <selector>[24h]   (units s, m, h, d, w)
//   functions   increase(range), rate(range), sum_over_time(range), histogram_avg(v), histogram_count(v),
//               histogram_sum(v)
//   aggregation sum(v), sum by ("a","b") (v), sum(v) by (a)
// over the series a PromSource holds: per-minute samples of counters, native histograms
// (count and sum per minute) and gauges. Anything else is an error whose message starts with
// "bad_data:" (what Prometheus answers with errorType bad_data).
//
// Thread safety: pure functions of their arguments.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/result.h"

namespace appsignals::fakeaws::promql {

using Labels = std::map<std::string, std::string>;  // "__name__" is the metric name

enum class SeriesKind { kCounter, kHistogram, kGauge };

struct Sample {
  double value = 0;  // counters and gauges: the minute's increment / value; histograms: count
  double sum = 0;    // histograms: the sum of the minute's observations
};

struct Series {
  Labels labels;
  SeriesKind kind = SeriesKind::kCounter;
  // The sample of the minute starting at `minute` (epoch seconds, a multiple of 60).
  std::function<Sample(std::int64_t minute)> at;
};

// A vector element: labels and a float value, or a histogram (count, sum).
struct Element {
  Labels labels;
  bool histogram = false;
  double value = 0;
  double count = 0;
  double sum = 0;
};

// The longest range selector ([35d]): the tools ask for at most 30 days, and every range is
// evaluated minute by minute.
inline constexpr std::int64_t kMaxRangeSeconds = 35 * 86400;

// Evaluates `expr` at time `t` (epoch seconds). Errors: kInvalidArgument "bad_data: ...".
Result<std::vector<Element>> evaluate(std::string_view expr, std::int64_t t, const std::vector<Series>& series);

// The Prometheus "data" of an instant query ({"resultType":"vector","result":[...]}) and of a
// range query (matrix; at most 11,000 steps).
Result<boost::json::value> instant_query(std::string_view expr, std::int64_t t, const std::vector<Series>& series);
Result<boost::json::value> range_query(std::string_view expr, std::int64_t start, std::int64_t end, std::int64_t step,
                                       const std::vector<Series>& series);

// The series matching any of `selectors` (all series when empty). Errors as evaluate().
Result<std::vector<const Series*>> match_series(const std::vector<std::string>& selectors,
                                                const std::vector<Series>& series);

}  // namespace appsignals::fakeaws::promql

// The fake's PromQL subset (src/fakeaws/query/promql.h): evaluate, instant and range queries and
// series matching of any text over a few series of each kind.
// Input: the expression; with a second line, a selector list for match_series (one per line).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fakeaws/query/promql.h"
#include "fuzz_input.h"

namespace {

using namespace appsignals::fakeaws::promql;

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
  Series g;
  g.labels = {{"__name__", "count"}, {"@resource.service.name", "svc"}, {"operation", "GET /x"}, {"exception", "E"}};
  g.kind = SeriesKind::kGauge;
  g.at = [](std::int64_t minute) { return Sample{static_cast<double>(minute % 7), 0}; };
  out.push_back(std::move(g));
  Series c;
  c.labels = {{"__name__", "requests"}, {"svc", "a"}};
  c.kind = SeriesKind::kCounter;
  c.at = [](std::int64_t) { return Sample{2, 0}; };
  out.push_back(std::move(c));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<Series> kSeries = sample();
  constexpr std::int64_t kT = 1767225600;
  std::string_view text = appsignals::fuzz::as_text(data, size);
  auto lines = appsignals::fuzz::split_fields(text, 2);
  std::string_view expr = lines[0];
  (void)evaluate(expr, kT, kSeries);
  (void)instant_query(expr, kT, kSeries);
  (void)range_query(expr, kT - 3600, kT, 60 + static_cast<std::int64_t>(size % 600), kSeries);
  std::vector<std::string> selectors;
  for (auto rest = lines[1]; !rest.empty();) {
    auto l = appsignals::fuzz::split_fields(rest, 2);
    selectors.emplace_back(l[0]);
    rest = l[1];
    if (selectors.size() > 8) break;
  }
  (void)match_series(selectors, kSeries);
  return 0;
}

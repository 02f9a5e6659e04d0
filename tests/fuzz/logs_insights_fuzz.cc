// The fake's Logs Insights subset (src/fakeaws/query/logs_insights.h): parse any text, and run
// what parses over a few rows shaped like the fake's log records (numbers, text, @timestamp,
// @ptr, absent fields), plus the timestamp parser.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "fakeaws/query/logs_insights.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace insights = appsignals::fakeaws::insights;
  std::string_view text = appsignals::fuzz::as_text(data, size);
  std::int64_t ms = 0;
  if (insights::parse_time(text, ms)) (void)insights::format_time(ms);
  auto parsed = insights::parse(text);
  auto* query = std::get_if<insights::Query>(&parsed);
  if (!query) return 0;
  static const std::vector<insights::Row> kRows = {
      {{"@timestamp", "2026-12-04 01:05:00.123"}, {"@message", "GET /api/orders 200 12ms"}, {"@ptr", "p1"},
       {"status", "200"}, {"latency", "12.5"}, {"service", "payments"}},
      {{"@timestamp", "2026-12-04 01:06:30.000"}, {"@message", "POST /api/pay 500 error: Timeout"}, {"@ptr", "p2"},
       {"status", "500"}, {"latency", "1200"}, {"service", "payments"}, {"error", "Timeout"}},
      {{"@timestamp", "2026-12-04 02:00:00.000"}, {"@message", "{\"level\":\"warn\"}"}, {"status", "abc"},
       {"latency", "-3e2"}, {"a.b", "x"}},
      {{"@timestamp", "not a time"}, {"latency", "9007199254740993"}, {"service", ""}},
  };
  auto result = insights::evaluate(*query, kRows, 100);
  (void)result;
  return 0;
}

#pragma once
// Time arguments as models send them (the leniency rules of docs/ARCHITECTURE.md "Adding a
// tool"):
//   - unix seconds or milliseconds, as a number or a string ("1763330864", 1763330864000);
//   - ISO-8601 with or without seconds, fraction and zone ("2026-11-24T10:00",
//     "2026-11-24T10:00:00.5+02:00", "2026-11-24 10:00:00"); no zone = UTC;
//   - a date alone ("2026-11-24": 00:00 UTC);
//   - "now", "today", "yesterday" (00:00 UTC of that day);
//   - relative to now: "1h", "30m", "2d", "90s", "1w", "now-3h", "now - 30m", "3 hours ago",
//     "last 24 hours", "past 2 days", "an hour ago".
// Anything else is an error that lists the accepted forms with examples, never a guess.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "common/result.h"

namespace appsignals::tools {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

// The accepted forms, with examples (quoted in every time error).
extern const std::string_view kAcceptedTimeForms;

// Parses one value; `argument` names the parameter in the error; relative forms count back
// from `now`.
Result<TimePoint> parse_time(std::string_view text, std::string_view argument, TimePoint now = Clock::now());

struct TimeWindow {
  TimePoint start;
  TimePoint end;
  std::chrono::seconds length() const {
    return std::chrono::duration_cast<std::chrono::seconds>(end - start);
  }
};

// Reads `start_key`/`end_key` from the arguments (absent, null or "" = default), defaulting to
// [now - default_length, now]. end must be after start; with max_length the window may not
// be longer.
Result<TimeWindow> time_window(const boost::json::object& args, std::string_view start_key,
                               std::string_view end_key, std::chrono::seconds default_length,
                               std::optional<std::chrono::seconds> max_length = std::nullopt,
                               TimePoint now = Clock::now());

std::int64_t epoch_seconds(TimePoint t);
// "2026-11-24 10:00:00 UTC"
std::string format_utc(TimePoint t);
// "2026-11-24T10:00:00Z"
std::string format_iso(TimePoint t);

}  // namespace appsignals::tools

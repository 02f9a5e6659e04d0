#pragma once
// Time arguments as models send them: unix seconds ("1763330864"), ISO-8601 with Z or an
// offset ("2026-11-24T10:00:00Z", "2026-11-24T10:00:00.5+02:00"), or "YYYY-MM-DD HH:MM:SS"
// (UTC). Unlike the reference server, an unparsable value is an error that shows the accepted
// forms, never a silent fallback.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "common/result.h"

namespace appsignals::tools {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

// Parses one value; `argument` names the parameter in the error.
Result<TimePoint> parse_time(std::string_view text, std::string_view argument);

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

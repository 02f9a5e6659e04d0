#include "tools/common/time_args.h"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>

namespace appsignals::tools {
namespace {

Error bad_time(std::string_view argument, std::string_view text) {
  return Error{ErrorCode::kInvalidArgument,
               "'" + std::string(argument) + "' has an unrecognised time '" + std::string(text) + "'. " +
                   std::string(kAcceptedTimeForms)};
}

bool read_int(std::string_view s, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > s.size()) return false;
  for (std::size_t i = pos; i < pos + len; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return ec == std::errc{};
}

// Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

std::optional<TimePoint> parse_calendar(std::string_view s) {
  // YYYY-MM-DD[[T| ]HH:MM[:SS[.fff]][Z|+HH[:]MM|-HH[:]MM]]
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (s.size() < 10 || !read_int(s, 0, 4, y) || s[4] != '-' || !read_int(s, 5, 2, mo) || s[7] != '-' ||
      !read_int(s, 8, 2, d))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1970 || y > 2199) return std::nullopt;
  if (s.size() == 10) return TimePoint(std::chrono::seconds(days_from_civil(y, mo, d) * 86400));
  if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !read_int(s, 11, 2, h) || s.size() < 16 || s[13] != ':' ||
      !read_int(s, 14, 2, mi))
    return std::nullopt;
  std::size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!read_int(s, 17, 2, sec)) return std::nullopt;
    pos = 19;
  }
  if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  std::int64_t micros = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::int64_t scale = 100000;
    std::size_t digits = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      if (scale > 0) micros += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
  }
  std::int64_t offset_s = 0;
  if (pos < s.size() && s[pos] == ' ') ++pos;  // "2026-11-24 10:00:00 UTC" / " +02:00"
  if (s.substr(pos) == "UTC" || s.substr(pos) == "utc" || s.substr(pos) == "GMT") {
    pos = s.size();
  } else if (pos < s.size()) {
    if (s[pos] == 'Z' || s[pos] == 'z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int oh, om;
      int sign = s[pos] == '-' ? -1 : 1;
      if (!read_int(s, pos + 1, 2, oh)) return std::nullopt;
      std::size_t mpos = pos + 3;
      if (mpos < s.size() && s[mpos] == ':') ++mpos;
      if (!read_int(s, mpos, 2, om)) return std::nullopt;
      offset_s = sign * (oh * 3600 + om * 60);
      pos = mpos + 2;
    }
  }
  if (pos != s.size()) return std::nullopt;
  std::int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset_s;
  return TimePoint(std::chrono::seconds(secs)) + std::chrono::microseconds(micros);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

constexpr std::int64_t kMaxRelativeSeconds = 100LL * 366 * 86400;
// Unix seconds accepted: 1970 to the end of 2199 (system_clock counts nanoseconds in an int64).
constexpr std::int64_t kMaxEpochSeconds = 7'258'118'399;

// Seconds per unit word: "s", "sec", "seconds", "m", "min", "h", "hr", "hours", "d", "days", "w", "weeks".
std::optional<std::int64_t> unit_seconds(std::string_view u) {
  if (u == "ms" || u == "msec" || u == "millisecond" || u == "milliseconds") return std::nullopt;  // not "m"
  if (u.size() > 1 && u.back() == 's' && u != "s" && u != "hrs" && u != "mins" && u != "secs") u.remove_suffix(1);
  if (u == "s" || u == "sec" || u == "secs" || u == "second") return 1;
  if (u == "m" || u == "min" || u == "mins" || u == "minute") return 60;
  if (u == "h" || u == "hr" || u == "hrs" || u == "hour") return 3600;
  if (u == "d" || u == "day") return 86400;
  if (u == "w" || u == "wk" || u == "week") return 7 * 86400;
  return std::nullopt;
}

// "3h", "3 hours", "an hour", "a day" → seconds.
std::optional<std::int64_t> parse_duration(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  std::int64_t n = 0;
  std::size_t i = 0;
  if (s.substr(0, 3) == "an " || s.substr(0, 2) == "a ") {
    n = 1;
    i = s[1] == 'n' ? 3 : 2;
  } else {
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      if (n > 100'000'000) return std::nullopt;
      n = n * 10 + (s[i] - '0');
      ++i;
    }
    if (i == 0) return std::nullopt;
  }
  auto unit = unit_seconds(trim(s.substr(i)));
  if (!unit) return std::nullopt;
  // At most about a century: time points are nanoseconds in an int64 and must not overflow.
  if (n > kMaxRelativeSeconds / *unit) return std::nullopt;
  return n * *unit;
}

TimePoint start_of_day(TimePoint t) {
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  auto day = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  return TimePoint(std::chrono::seconds(day * 86400));
}

// The words and relative forms (input already trimmed and lower-cased).
std::optional<TimePoint> parse_relative(std::string_view s, TimePoint now) {
  using std::chrono::seconds;
  if (s == "now") return now;
  if (s == "today") return start_of_day(now);
  if (s == "yesterday") return start_of_day(now) - seconds(86400);
  if (s.substr(0, 3) == "now") {
    auto rest = trim(s.substr(3));
    if (rest.empty() || (rest[0] != '-' && rest[0] != '+')) return std::nullopt;
    int sign = rest[0] == '-' ? -1 : 1;
    auto d = parse_duration(rest.substr(1));
    if (!d) return std::nullopt;
    return now + seconds(sign * *d);
  }
  for (std::string_view prefix : {"last ", "past ", "the last ", "the past "})
    if (s.substr(0, prefix.size()) == prefix) {
      auto rest = s.substr(prefix.size());
      if (auto d = parse_duration(rest)) return now - seconds(*d);
      if (auto u = unit_seconds(trim(rest))) return now - seconds(*u);  // "last hour"
      return std::nullopt;
    }
  if (s.size() > 4 && s.substr(s.size() - 4) == " ago") {
    auto d = parse_duration(s.substr(0, s.size() - 4));
    if (!d) return std::nullopt;
    return now - seconds(*d);
  }
  if (s[0] == '-') s.remove_prefix(1);  // "-3h"
  if (auto d = parse_duration(s)) return now - seconds(*d);  // "1h": one hour ago
  return std::nullopt;
}

std::optional<std::string> string_arg(const boost::json::object& args, std::string_view key) {
  auto* v = args.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_string()) {
    auto t = trim(v->get_string());
    if (t.empty()) return std::nullopt;
    return std::string(t);
  }
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  if (v->is_double()) {
    // A double outside int64 (1.7e21, found by fuzzing) cannot be converted (UB): it is passed
    // on as written, and parse_time rejects it with the accepted forms.
    const double d = v->get_double();
    if (!(d > -9.2e18 && d < 9.2e18)) return std::string("(out of range)");
    return std::to_string(static_cast<std::int64_t>(d));
  }
  return std::string("(not a string)");
}

}  // namespace

const std::string_view kAcceptedTimeForms =
    "Accepted forms: unix seconds or milliseconds (1764810000 or 1764810000000), ISO-8601 with or without "
    "seconds and zone (2026-12-04T01:00:00Z, 2026-12-04T01:00, 2026-12-04T01:00:00+02:00; no zone = UTC), "
    "a date (2026-12-04 = 00:00 UTC), now, today, yesterday, or a time relative to now (1h, 30m, 2d, now-3h, "
    "3 hours ago, last 24 hours).";

Result<TimePoint> parse_time(std::string_view text, std::string_view argument, TimePoint now) {
  auto t = trim(text);
  if (t.empty() || t.size() > 64) return bad_time(argument, text.substr(0, 64));
  bool digits = true;
  std::size_t dots = 0;
  for (char c : t) {
    if (c == '.') ++dots;
    else digits = digits && std::isdigit(static_cast<unsigned char>(c));
  }
  if (digits && dots <= 1 && t.front() != '.' && t.back() != '.') {
    std::int64_t v = 0;
    auto int_part = t.substr(0, t.find('.'));
    auto [p, ec] = std::from_chars(int_part.data(), int_part.data() + int_part.size(), v);
    if (ec != std::errc{}) return bad_time(argument, text);
    // Milliseconds, microseconds and nanoseconds since the epoch, as spans and logs carry them.
    if (v > 100'000'000'000'000'000) v /= 1'000'000'000;
    else if (v > 100'000'000'000'000) v /= 1'000'000;
    else if (v > 100'000'000'000) v /= 1000;
    if (v > kMaxEpochSeconds) return bad_time(argument, text);
    return TimePoint(std::chrono::seconds(v));
  }
  if (auto tp = parse_calendar(t)) return *tp;
  if (auto tp = parse_relative(lower(t), now)) return *tp;
  return bad_time(argument, text);
}

Result<TimeWindow> time_window(const boost::json::object& args, std::string_view start_key,
                               std::string_view end_key, std::chrono::seconds default_length,
                               std::optional<std::chrono::seconds> max_length, TimePoint now) {
  TimeWindow w{now - default_length, now};
  auto end_text = string_arg(args, end_key);
  if (end_text) {
    auto e = parse_time(*end_text, end_key, now);
    if (!e) return e.error();
    w.end = *e;
  }
  auto start_text = string_arg(args, start_key);
  if (start_text) {
    auto s = parse_time(*start_text, start_key, now);
    if (!s) return s.error();
    w.start = *s;
  } else if (end_text) {
    w.start = w.end - default_length;
  }
  if (w.end <= w.start) {
    return Error{ErrorCode::kInvalidArgument,
                 "'" + std::string(end_key) + "' (" + format_iso(w.end) + ") must be after '" +
                     std::string(start_key) + "' (" + format_iso(w.start) + ")"};
  }
  if (max_length && w.end - w.start > *max_length) {
    auto hours = std::chrono::duration_cast<std::chrono::hours>(*max_length).count();
    return Error{ErrorCode::kInvalidArgument,
                 "the time window from '" + std::string(start_key) + "' to '" + std::string(end_key) +
                     "' is longer than the allowed " + std::to_string(hours) + " hours: narrow it"};
  }
  return w;
}

std::int64_t epoch_seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string format_utc(TimePoint t) {
  std::time_t tt = static_cast<std::time_t>(epoch_seconds(t));
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string format_iso(TimePoint t) {
  std::time_t tt = static_cast<std::time_t>(epoch_seconds(t));
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace appsignals::tools

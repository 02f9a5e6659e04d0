#include "tools/common/time_args.h"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>

namespace appsignals::tools {
namespace {

constexpr std::string_view kAcceptedForms =
    "use unix seconds (1763330864), ISO-8601 (2026-11-24T10:00:00Z or 2026-11-24T10:00:00+02:00) "
    "or 'YYYY-MM-DD HH:MM:SS' in UTC";

Error bad_time(std::string_view argument, std::string_view text) {
  return Error{ErrorCode::kInvalidArgument,
               "'" + std::string(argument) + "' has an unrecognised time '" + std::string(text) + "': " +
                   std::string(kAcceptedForms)};
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
  // YYYY-MM-DD[T| ]HH:MM:SS[.fff][Z|+HH:MM|-HH:MM]
  int y, mo, d, h, mi, sec;
  if (s.size() < 19 || !read_int(s, 0, 4, y) || s[4] != '-' || !read_int(s, 5, 2, mo) || s[7] != '-' ||
      !read_int(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !read_int(s, 11, 2, h) ||
      s[13] != ':' || !read_int(s, 14, 2, mi) || s[16] != ':' || !read_int(s, 17, 2, sec))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  std::size_t pos = 19;
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
  if (pos < s.size()) {
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
  if (v->is_double()) return std::to_string(static_cast<std::int64_t>(v->get_double()));
  return std::string("(not a string)");
}

}  // namespace

Result<TimePoint> parse_time(std::string_view text, std::string_view argument) {
  auto t = trim(text);
  if (t.empty()) return bad_time(argument, text);
  bool digits = true;
  for (char c : t) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (digits) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc{}) return bad_time(argument, text);
    if (v > 100'000'000'000) v /= 1000;  // milliseconds
    return TimePoint(std::chrono::seconds(v));
  }
  if (auto tp = parse_calendar(t)) return *tp;
  return bad_time(argument, text);
}

Result<TimeWindow> time_window(const boost::json::object& args, std::string_view start_key,
                               std::string_view end_key, std::chrono::seconds default_length,
                               std::optional<std::chrono::seconds> max_length, TimePoint now) {
  TimeWindow w{now - default_length, now};
  auto end_text = string_arg(args, end_key);
  if (end_text) {
    auto e = parse_time(*end_text, end_key);
    if (!e) return e.error();
    w.end = *e;
  }
  auto start_text = string_arg(args, start_key);
  if (start_text) {
    auto s = parse_time(*start_text, start_key);
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

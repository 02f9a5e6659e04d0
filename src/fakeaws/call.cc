#include "fakeaws/call.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>

#include <boost/json/value.hpp>

#include "common/encoding.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

ApiError make_error(const ErrorKind& kind, std::string message) {
  ApiError e;
  e.status = kind.status;
  e.code = std::string(kind.code);
  e.query_code = std::string(kind.query_code);
  e.server = kind.server;
  e.message = std::move(message);
  return e;
}

std::int64_t Call::anchor() const {
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return secs - (secs % 300);
}

std::string str_arg(const json::object& o, std::string_view key, std::string_view fallback) {
  if (const auto* v = o.if_contains(key); v && v->is_string()) return std::string(v->as_string());
  return std::string(fallback);
}

std::int64_t int_arg(const json::object& o, std::string_view key, std::int64_t fallback) {
  const auto* v = o.if_contains(key);
  if (!v) return fallback;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
  return fallback;
}

bool bool_arg(const json::object& o, std::string_view key, bool fallback) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() ? v->as_bool() : fallback;
}

std::optional<double> time_arg(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_uint64()) return static_cast<double>(v->as_uint64());
  if (v->is_string()) {
    std::string_view s = v->as_string();
    double d = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec == std::errc() && p == s.data() + s.size()) return d;
    return parse_rfc3339(s);
  }
  return std::nullopt;
}

const json::object* obj_arg(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

const json::array* arr_arg(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_array() ? &v->as_array() : nullptr;
}

std::map<std::string, std::string> string_map(const json::object* o) {
  std::map<std::string, std::string> out;
  if (!o) return out;
  for (const auto& [k, v] : *o)
    if (v.is_string()) out[std::string(k)] = std::string(v.as_string());
  return out;
}

namespace {
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
}  // namespace

std::optional<double> parse_rfc3339(std::string_view s) {
  int y, mo, d, h, mi, se;
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, h) ||
      s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, se))
    return std::nullopt;
  std::size_t pos = 19;
  double frac = 0;
  if (pos < s.size() && s[pos] == '.') {
    double scale = 0.1;
    ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      frac += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
  }
  long offset = 0;
  if (pos < s.size()) {
    if (s[pos] == 'Z' || s[pos] == 'z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int oh, om;
      if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
          !digits(s, pos + 4, 2, om))
        return std::nullopt;
      offset = (s[pos] == '+' ? 1 : -1) * (oh * 3600L + om * 60L);
      pos += 6;
    }
  }
  if (pos != s.size() || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
    return std::nullopt;
  // Days from civil (Howard Hinnant's algorithm).
  int yy = y - (mo <= 2 ? 1 : 0);
  long era = (yy >= 0 ? yy : yy - 399) / 400;
  long yoe = yy - era * 400;
  long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  long days = era * 146097 + doe - 719468;
  return static_cast<double>(days * 86400L + h * 3600L + mi * 60L + se - offset) + frac;
}

std::string rfc3339(double epoch) {
  auto secs = static_cast<std::time_t>(std::floor(epoch));
  auto millis = static_cast<int>(std::lround((epoch - std::floor(epoch)) * 1000.0)) % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf);
  if (millis != 0) {
    char ms[8];
    std::snprintf(ms, sizeof ms, ".%03d", millis);
    out += ms;
  }
  return out + "Z";
}

namespace {
std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}
}  // namespace

std::string make_token(std::string_view operation, std::int64_t anchor, std::size_t offset) {
  std::string body = std::string(operation) + "|" + std::to_string(anchor) + "|" + std::to_string(offset);
  body += "|" + std::to_string(fnv1a(body) % 1000003);
  return base64_encode(body);
}

std::optional<PageToken> parse_token(std::string_view operation, std::string_view token) {
  auto raw = base64_decode(token);
  if (!raw) return std::nullopt;
  std::string_view s = *raw;
  auto p1 = s.find('|');
  auto p2 = p1 == std::string_view::npos ? p1 : s.find('|', p1 + 1);
  auto p3 = p2 == std::string_view::npos ? p2 : s.find('|', p2 + 1);
  if (p3 == std::string_view::npos || s.substr(0, p1) != operation) return std::nullopt;
  if (s.substr(p3 + 1) != std::to_string(fnv1a(s.substr(0, p3)) % 1000003)) return std::nullopt;
  PageToken t;
  auto a = s.substr(p1 + 1, p2 - p1 - 1);
  auto o = s.substr(p2 + 1, p3 - p2 - 1);
  if (std::from_chars(a.data(), a.data() + a.size(), t.anchor).ec != std::errc() ||
      std::from_chars(o.data(), o.data() + o.size(), t.offset).ec != std::errc())
    return std::nullopt;
  return t;
}

std::int64_t anchor_for(const Call& call, std::string_view token_key) {
  auto tok = str_arg(call.input, token_key);
  if (!tok.empty())
    if (auto t = parse_token(call.operation, tok)) return t->anchor;
  return call.anchor();
}

std::variant<Page, ApiError> paginate(const Call& call, std::size_t total, std::string_view token_key,
                                      std::string_view size_key, std::size_t def_size,
                                      std::size_t max_size) {
  Page page;
  page.anchor = call.anchor();
  auto tok = str_arg(call.input, token_key);
  if (!tok.empty()) {
    auto t = parse_token(call.operation, tok);
    if (!t) return make_error(call.traits().invalid_token, "The next token is invalid or expired.");
    page.begin = std::min(t->offset, total);
    page.anchor = t->anchor;
  }
  auto size = int_arg(call.input, size_key, static_cast<std::int64_t>(def_size));
  size = std::clamp<std::int64_t>(size, 1, static_cast<std::int64_t>(max_size));
  page.end = std::min(total, page.begin + static_cast<std::size_t>(size));
  if (page.end < total) page.next_token = make_token(call.operation, page.anchor, page.end);
  return page;
}

double unit_noise(std::uint64_t seed, std::string_view key, std::int64_t n) {
  std::uint64_t h = fnv1a(key, 1469598103934665603ULL ^ (seed * 0x9E3779B97F4A7C15ULL));
  h ^= static_cast<std::uint64_t>(n) + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return static_cast<double>(h >> 11) / static_cast<double>(1ULL << 53);
}

}  // namespace appsignals::fakeaws

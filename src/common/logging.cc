#include "common/logging.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "common/log_context.h"

namespace appsignals {

namespace {

thread_local const LogFields* tls_fields = nullptr;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view level_name(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace: return "trace";
    case spdlog::level::debug: return "debug";
    case spdlog::level::info: return "info";
    case spdlog::level::warn: return "warning";
    case spdlog::level::err: return "error";
    case spdlog::level::critical: return "critical";
    default: return "off";
  }
}

void append(spdlog::memory_buf_t& dest, std::string_view text) { dest.append(text.data(), text.data() + text.size()); }

// The text format's "[rid=… principal=… tool=… session=…] " (empty without a context).
class ContextFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
    const LogFields* f = tls_fields;
    if (!f) return;
    std::string out;
    auto add = [&out](std::string_view key, std::string_view value) {
      if (value.empty()) return;
      out += out.empty() ? "[" : " ";
      out += key;
      out += '=';
      out += value;
    };
    add("rid", f->request_id);
    add("principal", f->principal);
    add("tool", f->tool);
    add("session", f->session);
    if (out.empty()) return;
    out += "] ";
    append(dest, out);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<ContextFlag>(); }
};

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    std::string out;
    out.reserve(msg.payload.size() + 96);
    auto since_epoch = msg.time.time_since_epoch();
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - secs).count();
    std::time_t t = static_cast<std::time_t>(secs.count());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[96];
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
    out += R"({"time":")";
    out += stamp;
    out += R"(","level":")";
    out += level_name(msg.level);
    out += R"(","message":")";
    append_json_escaped(out, std::string_view(msg.payload.data(), msg.payload.size()));
    out += '"';
    if (const LogFields* f = tls_fields) {
      auto add = [&out](std::string_view key, std::string_view value) {
        if (value.empty()) return;
        out += ",\"";
        out += key;
        out += "\":\"";
        append_json_escaped(out, value);
        out += '"';
      };
      add("request_id", f->request_id);
      add("principal", f->principal);
      add("tool", f->tool);
      add("session", f->session);
      add("outcome", f->outcome);
      if (f->duration_ms >= 0) {
        char number[32];
        std::snprintf(number, sizeof number, "%.3f", f->duration_ms);
        out += ",\"duration_ms\":";
        out += number;
      }
    }
    out += "}\n";
    append(dest, out);
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

}  // namespace

ScopedLogFields::ScopedLogFields(const LogFields& fields) : previous_(tls_fields) { tls_fields = &fields; }
ScopedLogFields::~ScopedLogFields() { tls_fields = previous_; }
const LogFields* current_log_fields() { return tls_fields; }

// Length of the valid UTF-8 sequence at text[i], or 0 if it is not one (overlong forms,
// surrogates and code points above U+10FFFF are invalid).
static std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = at(i);
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xbf;  // bounds of the second byte
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c == 0xe0) lo = 0xa0;
    if (c == 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c == 0xf0) lo = 0x90;
    if (c == 0xf4) hi = 0x8f;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  if (at(i + 1) < lo || at(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (at(i + k) < 0x80 || at(i + k) > 0xbf) return 0;
  return n;
}

void append_json_escaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < text.size();) {
    const char ch = text[i];
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) {
      // Valid UTF-8 is kept (C1 controls U+0080..U+009F escaped); anything else becomes U+FFFD,
      // one per bad byte, so a log line is always valid JSON.
      const std::size_t n = utf8_sequence_length(text, i);
      if (n == 0) {
        out += "\\ufffd";
        ++i;
      } else if (n == 2 && c == 0xc2 && static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
        const auto cp = static_cast<unsigned char>(text[i + 1]);
        out += "\\u00";
        out += kHex[cp >> 4];
        out += kHex[cp & 0x0f];
        i += 2;
      } else {
        out.append(text.substr(i, n));
        i += n;
      }
      continue;
    }
    ++i;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0x0f];
        } else {
          out += ch;
        }
    }
  }
}

std::optional<spdlog::level::level_enum> parse_log_level(std::string_view text) {
  std::string up(text);
  std::transform(up.begin(), up.end(), up.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (up == "TRACE") return spdlog::level::trace;
  if (up == "DEBUG") return spdlog::level::debug;
  if (up == "INFO") return spdlog::level::info;
  if (up == "WARNING" || up == "WARN") return spdlog::level::warn;
  if (up == "ERROR") return spdlog::level::err;
  if (up == "CRITICAL" || up == "FATAL") return spdlog::level::critical;
  if (up == "OFF") return spdlog::level::off;
  return std::nullopt;
}

std::optional<LogFormat> parse_log_format(std::string_view text) {
  auto l = lower(text);
  if (l == "text") return LogFormat::kText;
  if (l == "json") return LogFormat::kJson;
  return std::nullopt;
}

std::unique_ptr<spdlog::formatter> make_log_formatter(LogFormat format) {
  if (format == LogFormat::kJson) return std::make_unique<JsonFormatter>();
  auto f = std::make_unique<spdlog::pattern_formatter>();
  f->add_flag<ContextFlag>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%-5l%$ %*%v");
  return f;
}

void init_logging(spdlog::level::level_enum level, LogFormat format) {
  auto logger = spdlog::get("appsignals");
  if (!logger) {
    logger = spdlog::stderr_color_mt("appsignals");
    spdlog::set_default_logger(logger);
  }
  logger->set_formatter(make_log_formatter(format));
  logger->set_level(level);
  spdlog::set_level(level);
  logger->flush_on(spdlog::level::warn);
}

std::string mask_secret(std::string_view secret) {
  return secret.empty() ? "unset" : "set";
}

}  // namespace appsignals

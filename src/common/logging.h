#pragma once
// Logging setup: spdlog to stderr (stdout stays free for the stdio transport).
// Secrets (API keys, AWS secrets, tokens, Authorization headers) must never be passed to a
// logger; callers log masked forms (see mask_secret).
//
// Two line formats (MCP_LOG_FORMAT): `text` (default) "<time> <level> [rid=… principal=… tool=…
// session=…] <message>", the bracket only when the line carries a request context (see
// log_context.h); `json`: one JSON object per line {"time","level","message","request_id",
// "principal","tool","session"} (context members only when set), for CloudWatch Logs and other
// collectors.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <spdlog/formatter.h>
#include <spdlog/spdlog.h>

namespace appsignals {

enum class LogFormat { kText, kJson };

// Parses DEBUG/INFO/WARNING/WARN/ERROR/CRITICAL/TRACE/OFF (any case). nullopt if unknown.
std::optional<spdlog::level::level_enum> parse_log_level(std::string_view text);
// "text" or "json" (any case); nullopt otherwise.
std::optional<LogFormat> parse_log_format(std::string_view text);

// Installs the process-wide stderr logger at `level`. Safe to call more than once.
void init_logging(spdlog::level::level_enum level, LogFormat format = LogFormat::kText);

// The formatter of each format (exposed for tests).
std::unique_ptr<spdlog::formatter> make_log_formatter(LogFormat format);

// Appends `text` to `out` escaped for a JSON string (quotes, backslash, control characters as
// \uXXXX, C1 controls U+0080..U+009F as \u00XX; valid UTF-8 as it is; each byte of invalid
// UTF-8 as \ufffd), so the result is always valid JSON.
void append_json_escaped(std::string& out, std::string_view text);

// "set" or "unset": the only way a secret may appear in a log line.
std::string mask_secret(std::string_view secret);

}  // namespace appsignals

#pragma once
// Logging setup: spdlog to stderr (stdout stays free for the stdio transport).
// Secrets (API keys, AWS secrets, tokens, Authorization headers) must never be passed to a
// logger; callers log masked forms (see mask_secret).
#include <optional>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

namespace appsignals {

// Parses DEBUG/INFO/WARNING/WARN/ERROR/CRITICAL/TRACE/OFF (any case). nullopt if unknown.
std::optional<spdlog::level::level_enum> parse_log_level(std::string_view text);

// Installs the process-wide stderr logger at `level`. Safe to call more than once.
void init_logging(spdlog::level::level_enum level);

// "set" or "unset": the only way a secret may appear in a log line.
std::string mask_secret(std::string_view secret);

}  // namespace appsignals

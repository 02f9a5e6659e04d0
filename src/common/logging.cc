#include "common/logging.h"

#include <algorithm>
#include <cctype>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace appsignals {

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

void init_logging(spdlog::level::level_enum level) {
  auto logger = spdlog::get("appsignals");
  if (!logger) {
    logger = spdlog::stderr_color_mt("appsignals");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%-5l%$ %v");
    spdlog::set_default_logger(logger);
  }
  logger->set_level(level);
  spdlog::set_level(level);
  logger->flush_on(spdlog::level::warn);
}

std::string mask_secret(std::string_view secret) {
  return secret.empty() ? "unset" : "set";
}

}  // namespace appsignals

#include "app/config.h"

#include <cctype>
#include <algorithm>
#include <charconv>
#include <fstream>

#include "app/aws_profiles.h"
#include "common/logging.h"
#include "net/authenticator.h"

extern char** environ;

namespace appsignals::app {
namespace {

std::optional<std::string> get(const EnvMap& env, const std::string& key) {
  auto it = env.find(key);
  if (it == env.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

Result<std::uint64_t> parse_uint(const std::string& text, const std::string& what, std::uint64_t min,
                                 std::uint64_t max) {
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || ptr != text.data() + text.size() || v < min || v > max) {
    return Error{ErrorCode::kInvalidArgument, what + " must be a whole number from " + std::to_string(min) +
                                                  " to " + std::to_string(max) + " (got '" + text + "')"};
  }
  return v;
}

bool truthy(const std::string& v) { return v == "1" || v == "true" || v == "TRUE" || v == "yes" || v == "on"; }

}  // namespace

Result<void> check_api_keys(const std::vector<std::string>& keys, const std::string& what) {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].size() < kMinApiKeyLength)
      return Error{ErrorCode::kInvalidArgument, what + ": key " + std::to_string(i + 1) + " has " +
                                                    std::to_string(keys[i].size()) + " characters; at least " +
                                                    std::to_string(kMinApiKeyLength) + " are required"};
  }
  return {};
}

std::size_t clamp_connections_to_fd_limit(std::size_t requested, std::uint64_t fd_limit) {
  const std::uint64_t usable = fd_limit > 2 * kReservedDescriptors ? fd_limit - kReservedDescriptors : fd_limit / 2;
  return static_cast<std::size_t>(std::max<std::uint64_t>(1, std::min<std::uint64_t>(requested, usable)));
}

EnvMap process_environment() {
  EnvMap env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

Result<std::uint16_t> parse_port(const std::string& text, const std::string& what) {
  auto v = parse_uint(text, what, 0, 65535);
  if (!v) return v.error();
  return static_cast<std::uint16_t>(*v);
}

Result<std::chrono::seconds> parse_tool_timeout(const std::string& text, const std::string& what) {
  auto v = parse_uint(text, what, 0, 3600);
  if (!v) return v.error();
  return std::chrono::seconds(*v);
}

Result<spdlog::level::level_enum> parse_level(const std::string& text, const std::string& what) {
  auto level = parse_log_level(text);
  if (!level)
    return Error{ErrorCode::kInvalidArgument,
                 what + " must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL (got '" + text + "')"};
  return *level;
}

Result<ServeConfig> config_from_env(const EnvMap& env) {
  ServeConfig c;
  if (auto v = get(env, "MCP_HOST")) c.host = *v;
  if (auto v = get(env, "MCP_PORT")) {
    auto p = parse_port(*v, "MCP_PORT");
    if (!p) return p.error();
    c.port = *p;
  }
  for (const char* name : {"MCP_CLOUDWATCH_APPLICATIONSIGNALS_LOG_LEVEL", "MCP_CLOUDWATCH_APPLICATION_SIGNALS_LOG_LEVEL"}) {
    if (auto v = get(env, name)) {
      auto l = parse_level(*v, name);
      if (!l) return l.error();
      c.log_level = *l;
      break;
    }
  }
  if (auto v = get(env, "MCP_LOG_FORMAT")) {
    auto f = parse_log_format(*v);
    if (!f) return Error{ErrorCode::kInvalidArgument, "MCP_LOG_FORMAT must be text or json, got '" + *v + "'"};
    c.log_format = *f;
  }
  if (auto v = get(env, "MCP_METRICS")) {
    // Case-insensitive, like MCP_LOG_FORMAT.
    std::string l = *v;
    for (char& ch : l) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (l == "1" || l == "true" || l == "yes" || l == "on") {
      c.metrics = true;
    } else if (l == "0" || l == "false" || l == "no" || l == "off") {
      c.metrics = false;
    } else {
      return Error{ErrorCode::kInvalidArgument, "MCP_METRICS must be on or off, got '" + *v + "'"};
    }
  }
  if (auto it = env.find("MCP_API_KEY"); it != env.end()) {
    // Set but empty (or only separators) must not start an open server: fail closed.
    c.api_keys = net::split_list(it->second);
    if (c.api_keys.empty())
      return Error{ErrorCode::kInvalidArgument,
                   "MCP_API_KEY is set but holds no key: set a key of at least " + std::to_string(kMinApiKeyLength) +
                       " characters, or unset MCP_API_KEY to run without authentication"};
    if (auto bad = check_api_keys(c.api_keys, "MCP_API_KEY"); !bad) return bad.error();
  }
  if (auto v = get(env, "MCP_API_KEY_FILE")) c.api_key_file = *v;
  if (auto v = get(env, "SSL_CERTFILE")) c.tls_cert = *v;
  if (auto v = get(env, "SSL_KEYFILE")) c.tls_key = *v;
  if (auto v = get(env, "MCP_PUBLIC_PATH_PREFIX")) c.public_prefix = *v;
  if (auto v = get(env, "MCP_ALLOWED_HOSTS")) c.allowed_hosts = net::split_list(*v);
  if (auto v = get(env, "MCP_ALLOWED_ORIGINS")) c.allowed_origins = net::split_list(*v);
  if (auto v = get(env, "MCP_STATELESS")) c.stateless = truthy(*v);
  if (auto v = get(env, "MCP_STATE_KEY")) c.state_key = *v;
  if (auto v = get(env, "MCP_REDIS_URL")) c.redis_url = *v;
  if (auto v = get(env, "MCP_INSTANCE_ID")) c.instance_id = *v;
  if (auto v = get(env, "MCP_SESSION_IDLE_TIMEOUT")) {
    auto n = parse_uint(*v, "MCP_SESSION_IDLE_TIMEOUT", 1, 7 * 24 * 3600);
    if (!n) return n.error();
    c.session_idle_timeout = std::chrono::seconds(*n);
  }
  if (auto v = get(env, "MCP_OUTPUT_BUDGET")) {
    auto n = parse_uint(*v, "MCP_OUTPUT_BUDGET", 2000, 1000000);
    if (!n) return n.error();
    c.output_budget = static_cast<std::size_t>(*n);
  }
  if (auto v = get(env, "MCP_SHUTDOWN_GRACE")) {
    auto n = parse_uint(*v, "MCP_SHUTDOWN_GRACE", 0, 3600);
    if (!n) return n.error();
    c.shutdown_grace = std::chrono::seconds(*n);
  }
  if (auto v = get(env, "MCP_TOOL_TIMEOUT")) {
    auto t = parse_tool_timeout(*v, "MCP_TOOL_TIMEOUT");
    if (!t) return t.error();
    c.tool_timeout = *t;
  }
  if (auto v = get(env, "MCP_THREADS")) {
    auto n = parse_uint(*v, "MCP_THREADS", 1, 256);
    if (!n) return n.error();
    c.threads = static_cast<unsigned>(*n);
  }
  if (auto v = get(env, "MCP_MAX_CONNECTIONS")) {
    auto n = parse_uint(*v, "MCP_MAX_CONNECTIONS", 1, 1'000'000);
    if (!n) return n.error();
    c.max_connections = *n;
  }
  if (auto v = get(env, "MCP_STREAM_MAX_BYTES")) {
    auto n = parse_uint(*v, "MCP_STREAM_MAX_BYTES", 64 * 1024, 1ull << 30);
    if (!n) return n.error();
    c.stream_max_bytes = *n;
  }
  if (auto v = get(env, "MCP_STREAM_BUDGET_BYTES")) {
    auto n = parse_uint(*v, "MCP_STREAM_BUDGET_BYTES", 1024 * 1024, 1ull << 36);
    if (!n) return n.error();
    c.stream_budget_bytes = *n;
  }
  if (c.stream_budget_bytes < c.stream_max_bytes)
    return Error{ErrorCode::kInvalidArgument, "MCP_STREAM_BUDGET_BYTES must be at least MCP_STREAM_MAX_BYTES"};
  if (auto v = get(env, "MCP_MAX_SESSIONS")) {
    auto n = parse_uint(*v, "MCP_MAX_SESSIONS", 1, 1'000'000);
    if (!n) return n.error();
    c.max_sessions = *n;
  }
  if (auto v = get(env, "MCP_MAX_SESSIONS_PER_KEY")) {
    auto n = parse_uint(*v, "MCP_MAX_SESSIONS_PER_KEY", 1, 1'000'000);
    if (!n) return n.error();
    c.max_sessions_per_key = *n;
  }
  if (auto v = get(env, "AWS_REGION")) c.region = *v;
  else if (auto d = get(env, "AWS_DEFAULT_REGION")) c.region = *d;
  if (auto v = get(env, "AWS_PROFILE")) c.profile = *v;
  if (auto v = get(env, "MCP_TOOLSETS")) c.toolsets = *v;
  if (auto v = get(env, "MCP_READ_ONLY")) c.read_only = truthy(*v);
  if (auto v = get(env, "MCP_RATE_LIMIT_PER_MINUTE")) {
    auto n = parse_uint(*v, "MCP_RATE_LIMIT_PER_MINUTE", 0, 1'000'000);
    if (!n) return n.error();
    c.rate_limit_per_minute = static_cast<std::uint32_t>(*n);
  }
  if (auto oauth = oauth_config_from_env(env); oauth) c.oauth = std::move(*oauth);
  else return oauth.error();
  if (auto v = get(env, "MCP_AWS_PROFILES")) {
    auto names = parse_profile_list(*v, "MCP_AWS_PROFILES");
    if (!names) return names.error();
    c.aws_profiles = std::move(*names);
  }
  if (auto v = get(env, "MCP_AWS_PROFILE_MAP")) c.aws_profile_map = *v;
  c.env = env;
  if (auto checked = check_aws_profiles(c); !checked) return checked.error();
  return c;
}

}  // namespace appsignals::app

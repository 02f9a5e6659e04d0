#pragma once
// Server configuration: environment first (the names operators already use), flags override.
// Every invalid value is a start-up error that names the variable or flag.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/common.h>

#include "app/oauth_config.h"
#include "common/logging.h"
#include "common/result.h"

namespace appsignals::app {

// Read access to the environment, injectable for tests.
using EnvMap = std::map<std::string, std::string>;
EnvMap process_environment();

struct ServeConfig {
  std::string host = "0.0.0.0";
  std::uint16_t port = 8000;
  spdlog::level::level_enum log_level = spdlog::level::info;
  LogFormat log_format = LogFormat::kText;  // MCP_LOG_FORMAT: text | json
  bool metrics = true;                      // MCP_METRICS: on | off (GET /metrics)
  std::vector<std::string> api_keys;   // MCP_API_KEY (comma-separated) + MCP_API_KEY_FILE
  std::string api_key_file;
  std::string tls_cert;                 // SSL_CERTFILE
  std::string tls_key;                  // SSL_KEYFILE
  std::string public_prefix;            // MCP_PUBLIC_PATH_PREFIX
  std::vector<std::string> allowed_hosts;    // MCP_ALLOWED_HOSTS
  std::vector<std::string> allowed_origins;  // MCP_ALLOWED_ORIGINS
  bool stateless = false;               // MCP_STATELESS
  std::string state_key;                // MCP_STATE_KEY: seals 2026-07-28 requestState (same on every instance)
  std::chrono::seconds session_idle_timeout{1800};  // MCP_SESSION_IDLE_TIMEOUT (seconds)
  std::string redis_url;                // MCP_REDIS_URL: cluster mode (secret: holds the password)
  std::string instance_id;              // MCP_INSTANCE_ID: this instance's name in the cluster (default: random)
  std::size_t output_budget = 16000;                // MCP_OUTPUT_BUDGET: characters per tool result
  std::chrono::seconds shutdown_grace{10};          // MCP_SHUTDOWN_GRACE (seconds)
  std::chrono::seconds tool_timeout{30};            // MCP_TOOL_TIMEOUT / --tool-timeout; 0: no limit
  unsigned threads = 0;                 // MCP_THREADS; 0 = number of cores
  std::size_t max_connections = 20000;  // MCP_MAX_CONNECTIONS
  std::size_t stream_max_bytes = 1024 * 1024;        // MCP_STREAM_MAX_BYTES: per SSE stream
  std::size_t stream_budget_bytes = 64 * 1024 * 1024;  // MCP_STREAM_BUDGET_BYTES: all streams
  std::size_t max_sessions = 10000;     // MCP_MAX_SESSIONS: /mcp sessions in all
  std::size_t max_sessions_per_key = 1000;  // MCP_MAX_SESSIONS_PER_KEY: per API key (or anonymous)
  std::string region;                   // AWS_REGION / AWS_DEFAULT_REGION
  std::string profile;                  // AWS_PROFILE
  std::vector<std::string> aws_profiles;  // MCP_AWS_PROFILES: profiles a call may choose (aws_profiles.h)
  std::string aws_profile_map;          // MCP_AWS_PROFILE_MAP: principal -> profiles (net/profile_map.h)
  std::string toolsets = "all";         // MCP_TOOLSETS: comma-separated toolset names, or all
  bool read_only = false;               // MCP_READ_ONLY: hide tools that write
  std::uint32_t rate_limit_per_minute = 0;  // MCP_RATE_LIMIT_PER_MINUTE: per principal; 0 = off
  OAuthConfig oauth;                    // MCP_OAUTH_*: OAuth 2.1 resource server (oauth_config.h)
  EnvMap env;                           // the environment the AWS client is configured from
};

// API keys shorter than this are a start-up error (MCP_API_KEY and MCP_API_KEY_FILE).
inline constexpr std::size_t kMinApiKeyLength = 16;
// Fails naming `what` and the key's position (never the key) if a key is too short.
Result<void> check_api_keys(const std::vector<std::string>& keys, const std::string& what);

// MCP_MAX_CONNECTIONS clamped to what the descriptor limit allows: each connection is one
// descriptor, and kReservedDescriptors stay for the listener, AWS connections and files.
inline constexpr std::uint64_t kReservedDescriptors = 64;
std::size_t clamp_connections_to_fd_limit(std::size_t requested, std::uint64_t fd_limit);

// Reads the environment into a config (before flags are applied).
Result<ServeConfig> config_from_env(const EnvMap& env);

Result<std::uint16_t> parse_port(const std::string& text, const std::string& what);
// Seconds a tools/call may run (0 to 3600, 0: no limit); the error names `what`.
Result<std::chrono::seconds> parse_tool_timeout(const std::string& text, const std::string& what);
Result<spdlog::level::level_enum> parse_level(const std::string& text, const std::string& what);

}  // namespace appsignals::app

#include "app/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/api_keys.h"

namespace appsignals::app {
namespace {

TEST(Config, OutputBudgetIsReadAndBadValuesNameTheVariable) {
  EXPECT_EQ(config_from_env(EnvMap{})->output_budget, 16000u);
  EXPECT_EQ(config_from_env(EnvMap{{"MCP_OUTPUT_BUDGET", "32000"}})->output_budget, 32000u);
  for (const char* bad : {"100", "lots", "-1", "99999999"}) {
    auto c = config_from_env(EnvMap{{"MCP_OUTPUT_BUDGET", bad}});
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_NE(c.error().message.find("MCP_OUTPUT_BUDGET"), std::string::npos) << c.error().message;
  }
}

TEST(Config, LogFormatAndMetricsAreReadAndBadValuesNameTheVariable) {
  auto d = config_from_env(EnvMap{});
  EXPECT_EQ(d->log_format, LogFormat::kText);
  EXPECT_TRUE(d->metrics);
  auto c = config_from_env(EnvMap{{"MCP_LOG_FORMAT", "json"}, {"MCP_METRICS", "off"}});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->log_format, LogFormat::kJson);
  EXPECT_FALSE(c->metrics);
  auto bad_format = config_from_env(EnvMap{{"MCP_LOG_FORMAT", "yaml"}});
  ASSERT_FALSE(bad_format.ok());
  EXPECT_NE(bad_format.error().message.find("MCP_LOG_FORMAT"), std::string::npos);
  for (const char* on : {"on", "ON", "True", "1", "yes"}) {
    auto m = config_from_env(EnvMap{{"MCP_METRICS", on}});
    ASSERT_TRUE(m.ok()) << on;
    EXPECT_TRUE(m->metrics) << on;
  }
  for (const char* off : {"Off", "OFF", "False", "0", "No"}) {
    auto m = config_from_env(EnvMap{{"MCP_METRICS", off}});
    ASSERT_TRUE(m.ok()) << off;
    EXPECT_FALSE(m->metrics) << off;
  }
  auto bad_metrics = config_from_env(EnvMap{{"MCP_METRICS", "maybe"}});
  ASSERT_FALSE(bad_metrics.ok());
  EXPECT_NE(bad_metrics.error().message.find("MCP_METRICS"), std::string::npos);
}

TEST(Config, ToolTimeoutDefaultsTo30sIsReadAndBadValuesNameTheVariable) {
  EXPECT_EQ(config_from_env(EnvMap{})->tool_timeout, std::chrono::seconds(30));
  EXPECT_EQ(config_from_env(EnvMap{{"MCP_TOOL_TIMEOUT", "5"}})->tool_timeout, std::chrono::seconds(5));
  EXPECT_EQ(config_from_env(EnvMap{{"MCP_TOOL_TIMEOUT", "0"}})->tool_timeout, std::chrono::seconds(0));
  for (const char* bad : {"1.5", "soon", "-1", "3601"}) {
    auto c = config_from_env(EnvMap{{"MCP_TOOL_TIMEOUT", bad}});
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_NE(c.error().message.find("MCP_TOOL_TIMEOUT"), std::string::npos) << c.error().message;
  }
  auto flag = parse_tool_timeout("x", "--tool-timeout");
  ASSERT_FALSE(flag.ok());
  EXPECT_NE(flag.error().message.find("--tool-timeout"), std::string::npos);
}

// Issue #20 finding 4: the connection limit never exceeds the descriptors the process has.
TEST(Config, ConnectionLimitIsClampedToTheDescriptorLimit) {
  EXPECT_EQ(clamp_connections_to_fd_limit(20000, 1024), 1024u - kReservedDescriptors);
  EXPECT_EQ(clamp_connections_to_fd_limit(500, 1048576), 500u);
  EXPECT_EQ(clamp_connections_to_fd_limit(20000, 100), 50u);
  EXPECT_EQ(clamp_connections_to_fd_limit(20000, 1), 1u);
}

TEST(Config, SessionCapsAreReadAndValidated) {
  auto d = config_from_env(EnvMap{});
  EXPECT_EQ(d->max_sessions, 10000u);
  EXPECT_EQ(d->max_sessions_per_key, 1000u);
  auto c = config_from_env(EnvMap{{"MCP_MAX_SESSIONS", "50"}, {"MCP_MAX_SESSIONS_PER_KEY", "5"}});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->max_sessions, 50u);
  EXPECT_EQ(c->max_sessions_per_key, 5u);
  for (const char* name : {"MCP_MAX_SESSIONS", "MCP_MAX_SESSIONS_PER_KEY"}) {
    auto bad = config_from_env(EnvMap{{name, "0"}});
    ASSERT_FALSE(bad.ok()) << name;
    EXPECT_NE(bad.error().message.find(name), std::string::npos) << bad.error().message;
  }
}

TEST(Config, SetButEmptyApiKeyIsAStartUpError) {
  for (const char* empty : {"", " ", ",", " , ,"}) {
    auto c = config_from_env(EnvMap{{"MCP_API_KEY", empty}});
    ASSERT_FALSE(c.ok()) << "'" << empty << "' must not start an unauthenticated server";
    EXPECT_NE(c.error().message.find("MCP_API_KEY"), std::string::npos) << c.error().message;
  }
  // Unset: no authentication (the loopback default), no error.
  auto unset = config_from_env(EnvMap{});
  ASSERT_TRUE(unset.ok());
  EXPECT_TRUE(unset->api_keys.empty());
}

TEST(Config, ShortApiKeysAreRefusedWithoutEchoingThem) {
  auto c = config_from_env(EnvMap{{"MCP_API_KEY", "0123456789abcdef,short-key"}});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("key 2"), std::string::npos) << c.error().message;
  EXPECT_EQ(c.error().message.find("short-key"), std::string::npos) << "the key itself must not be echoed";
  auto good = config_from_env(EnvMap{{"MCP_API_KEY", "0123456789abcdef, fedcba9876543210"}});
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->api_keys.size(), 2u);
}

TEST(Config, ShortKeyInTheKeyFileIsRefused) {
  auto path = std::filesystem::temp_directory_path() / ("keys-" + std::to_string(::getpid()) + ".txt");
  {
    std::ofstream out(path);
    out << "# keys\n0123456789abcdef\ntiny\n";
  }
  auto keys = load_api_keys({}, path.string());
  std::filesystem::remove(path);
  ASSERT_FALSE(keys.ok());
  EXPECT_NE(keys.error().message.find("MCP_API_KEY_FILE"), std::string::npos) << keys.error().message;
  EXPECT_EQ(keys.error().message.find("tiny"), std::string::npos);
}

}  // namespace
}  // namespace appsignals::app

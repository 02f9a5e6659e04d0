#include "app/oauth_config.h"

#include <gtest/gtest.h>

#include "app/config.h"
#include "app/oauth_setup.h"

namespace appsignals::app {
namespace {

TEST(OAuthConfig, OffWithoutAnIssuer) {
  auto c = config_from_env(EnvMap{});
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->oauth.enabled());
  EXPECT_EQ(c->oauth.read_scope, "appsignals:read");
  EXPECT_EQ(c->oauth.write_scope, "appsignals:write");
}

TEST(OAuthConfig, SettingsAreRead) {
  auto c = config_from_env(EnvMap{{"MCP_OAUTH_ISSUER", "https://login.example.com/tenant"},
                                  {"MCP_OAUTH_RESOURCE", "https://mcp.example.com/mcp"},
                                  {"MCP_OAUTH_AUDIENCES", "api://appsignals, other"},
                                  {"MCP_OAUTH_REQUIRED_SCOPES", "mcp:use"},
                                  {"MCP_OAUTH_READ_SCOPE", "signals.read"},
                                  {"MCP_OAUTH_JWKS_MIN_REFRESH_SECONDS", "0"}});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_TRUE(c->oauth.enabled());
  EXPECT_EQ(c->oauth.audiences, (std::vector<std::string>{"api://appsignals", "other"}));
  EXPECT_EQ(c->oauth.required_scopes, std::vector<std::string>{"mcp:use"});
  EXPECT_EQ(c->oauth.read_scope, "signals.read");
  EXPECT_EQ(c->oauth.jwks_min_refresh.count(), 0);
}

TEST(OAuthConfig, BadValuesNameTheVariable) {
  const std::pair<const char*, const char*> cases[] = {
      {"MCP_OAUTH_ISSUER", "login.example.com"},
      {"MCP_OAUTH_ISSUER", "http://login.example.com"},  // plain http off loopback
      {"MCP_OAUTH_ISSUER", "https://login.example.com/?x=1"},
      {"MCP_OAUTH_JWKS_CACHE_SECONDS", "5"},
      {"MCP_OAUTH_JWKS_MIN_REFRESH_SECONDS", "soon"},
      {"MCP_OAUTH_READ_SCOPE", "two words"},
      {"MCP_OAUTH_REQUIRED_SCOPES", "a\"b"},
      {"MCP_OAUTH_INTROSPECTION_URL", "ftp://as.example"},
  };
  for (auto [name, value] : cases) {
    EnvMap env{{"MCP_OAUTH_ISSUER", "https://login.example.com"}};
    env[name] = value;
    auto c = config_from_env(env);
    ASSERT_FALSE(c.ok()) << name << "=" << value;
    EXPECT_NE(c.error().message.find(name), std::string::npos) << c.error().message;
  }
}

TEST(OAuthConfig, OtherSettingsNeedAnIssuer) {
  auto c = config_from_env(EnvMap{{"MCP_OAUTH_RESOURCE", "https://mcp.example.com/mcp"}});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("MCP_OAUTH_ISSUER"), std::string::npos);
}

TEST(OAuthConfig, IntrospectionNeedsClientCredentials) {
  auto c = config_from_env(EnvMap{{"MCP_OAUTH_ISSUER", "https://as.example"},
                                  {"MCP_OAUTH_INTROSPECTION_URL", "https://as.example/introspect"}});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("MCP_OAUTH_CLIENT_ID"), std::string::npos);
}

TEST(OAuthConfig, LoopbackHttpIssuerIsAllowed) {
  EXPECT_TRUE(check_oauth_url("http://127.0.0.1:8080", "X").ok());
  EXPECT_TRUE(check_oauth_url("http://localhost/realms/x", "X").ok());
  EXPECT_TRUE(check_oauth_url("http://[::1]:9/", "X").ok());
}

TEST(OAuthConfig, MetadataUrlPutsTheWellKnownSegmentBeforeThePath) {
  EXPECT_EQ(protected_resource_metadata_url("https://h.example/mcp"),
            "https://h.example/.well-known/oauth-protected-resource/mcp");
  EXPECT_EQ(protected_resource_metadata_url("https://h.example:8443/x/mcp"),
            "https://h.example:8443/.well-known/oauth-protected-resource/x/mcp");
  EXPECT_EQ(protected_resource_metadata_url("https://h.example"), "https://h.example/.well-known/oauth-protected-resource");
}

TEST(OAuthConfig, DefaultResourceIsTheMcpUrl) {
  ServeConfig c;
  c.host = "127.0.0.1";
  c.public_prefix = "/p";
  EXPECT_EQ(*oauth_resource(c, 8000, false), "http://127.0.0.1:8000/p/mcp");
  c.host = "0.0.0.0";
  auto r = oauth_resource(c, 8000, true);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("MCP_OAUTH_RESOURCE"), std::string::npos);
}

}  // namespace
}  // namespace appsignals::app

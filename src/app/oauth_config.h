#pragma once
// OAuth 2.1 resource-server settings (MCP_OAUTH_*): read from the environment, each invalid
// value a start-up error naming its variable. OAuth is on when MCP_OAUTH_ISSUER is set.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"

namespace appsignals::app {

struct OAuthConfig {
  std::string issuer;                      // MCP_OAUTH_ISSUER (https, or http on loopback)
  std::string resource;                    // MCP_OAUTH_RESOURCE; empty: the public /mcp URL
  std::vector<std::string> audiences;      // MCP_OAUTH_AUDIENCES: also accepted in `aud`
  std::vector<std::string> required_scopes;  // MCP_OAUTH_REQUIRED_SCOPES: every request
  std::string read_scope = "appsignals:read";    // MCP_OAUTH_READ_SCOPE: read-only tools
  std::string write_scope = "appsignals:write";  // MCP_OAUTH_WRITE_SCOPE: tools that write
  std::chrono::seconds jwks_lifetime{3600};      // MCP_OAUTH_JWKS_CACHE_SECONDS
  std::chrono::seconds jwks_min_refresh{10};     // MCP_OAUTH_JWKS_MIN_REFRESH_SECONDS
  std::string introspection_url;           // MCP_OAUTH_INTROSPECTION_URL (RFC 7662)
  std::string client_id;                   // MCP_OAUTH_CLIENT_ID (introspection)
  std::string client_secret;               // MCP_OAUTH_CLIENT_SECRET (introspection; a secret)
  std::string ca_bundle;                   // MCP_OAUTH_CA_BUNDLE: PEM CAs for the AS; "": system

  bool enabled() const { return !issuer.empty(); }
};

// `env`: the environment (name → value), as config.h's EnvMap.
Result<OAuthConfig> oauth_config_from_env(const std::map<std::string, std::string>& env);

// Checks a URL setting: https://host..., or http:// to a loopback host. Names `what`.
Result<void> check_oauth_url(const std::string& url, const std::string& what);

// The resource's protected-resource-metadata URL (RFC 9728 §3.1: the well-known segment between
// the host and the resource's path), e.g. https://h/mcp → https://h/.well-known/oauth-protected-resource/mcp.
std::string protected_resource_metadata_url(const std::string& resource);
// The path part of a URL ("" for none), e.g. "/mcp".
std::string url_path(const std::string& url);
// scheme://host[:port] of a URL.
std::string url_origin(const std::string& url);

}  // namespace appsignals::app

#pragma once
// The operator endpoints: /health (never behind auth) and /info (behind auth), and the answer
// to OAuth discovery (this server has no OAuth).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mcp/registry.h"
#include "mcp/server.h"
#include "net/http_types.h"

namespace appsignals::app {

struct EndpointFacts {
  std::string region;
  std::vector<std::string> transports;  // e.g. {"sse", "streamable-http"}
  std::string public_prefix;
  bool stateless = false;
  std::function<std::string()> auth_mode;  // "disabled" / "api-key"
  std::function<bool()> tls_enabled;
};

// /health: status, service, version, region, transports and their paths ("endpoints": "mcp" for
// Streamable HTTP, "sse" + "messages" for legacy SSE, under the public prefix).
std::shared_ptr<net::HttpHandler> make_health_handler(EndpointFacts facts);
// The OAuth discovery documents (`/.well-known/oauth-protected-resource[/<path>]`,
// `/.well-known/oauth-authorization-server[/<path>]`, `/.well-known/openid-configuration`, and
// the path-appended `<path>/.well-known/openid-configuration`): 404 with a JSON error saying that
// this server does not use OAuth and how to send the API key. Routed without auth: a client
// must be able to learn how to authenticate without credentials (RFC 9728 §3), and a 404 tells
// OAuth-capable clients that there is no protected-resource or authorization-server metadata.
std::shared_ptr<net::HttpHandler> make_no_oauth_handler(EndpointFacts facts);
// OAuth on: RFC 9728 protected resource metadata. `/.well-known/oauth-protected-resource`, the
// path-suffixed forms ending in `/mcp` (and `/sse`), and `/mcp/.well-known/oauth-protected-resource`
// answer {resource, authorization_servers, scopes_supported, bearer_methods_supported}; every
// other discovery path under the prefix routes answers 404 (this server is not an authorization
// server: clients go to `authorization_servers`).
struct ProtectedResource {
  std::string mcp_resource;  // MCP_OAUTH_RESOURCE
  std::string sse_resource;  // the same for /sse
  std::string issuer;
  std::vector<std::string> scopes_supported;
};
std::shared_ptr<net::HttpHandler> make_protected_resource_handler(ProtectedResource facts);
std::shared_ptr<net::HttpHandler> make_info_handler(EndpointFacts facts, mcp::ServerInfo info,
                                                    std::shared_ptr<mcp::Registry> registry);

}  // namespace appsignals::app

#pragma once
// OAuth 2.1 composition (app layer): the Fetcher for the authorization server on the aws
// layer's libcurl client, and install_oauth, which puts the resource server in front of the
// router once the listening port is known (the default resource is the public /mcp URL).
#include <cstddef>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "app/config.h"
#include "mcp/registry.h"
#include "mcp/server.h"
#include "net/oauth_authenticator.h"
#include "net/router.h"

namespace appsignals::app {

// Metadata, JWKS and introspection answers are a few KiB: a larger body is refused (the
// transfer aborted) so a hostile or broken authorization server cannot make us buffer much.
inline constexpr std::size_t kOAuthMaxResponseBytes = 1024 * 1024;

// Asynchronous on the io loop, 3 s to connect, 10 s in all, bodies up to
// kOAuthMaxResponseBytes. `ca_bundle`: PEM file of trusted CAs ("" for the system store).
net::Fetcher make_oauth_fetcher(boost::asio::any_io_executor executor, const std::string& ca_bundle);

// The resource identifier: MCP_OAUTH_RESOURCE, else <scheme>://<host>:<port><prefix>/mcp for a
// concrete listen host; a wildcard host (0.0.0.0, ::) without MCP_OAUTH_RESOURCE is an error
// (the public name is not known).
Result<std::string> oauth_resource(const ServeConfig& config, std::uint16_t port, bool tls);

struct OAuthInstall {
  std::shared_ptr<net::Router> router;
  std::shared_ptr<mcp::McpServer> server;
  std::shared_ptr<mcp::Registry> registry;
  std::shared_ptr<net::HttpHandler> streamable;       // /mcp: wrapped in the scope gate
  std::shared_ptr<net::ApiKeyAuthenticator> api_keys;  // may be null
};

// Sets the authenticator (OAuth, or API keys and OAuth), the scope policy, the protected
// resource metadata routes and the /mcp scope gate. Call after listen, before the server starts.
Result<std::shared_ptr<net::OAuthAuthenticator>> install_oauth(const ServeConfig& config, std::uint16_t port, bool tls,
                                                              boost::asio::any_io_executor executor,
                                                              const OAuthInstall& parts);

}  // namespace appsignals::app

#include "app/oauth_setup.h"

#include "app/endpoints.h"
#include "app/scope_gate.h"
#include "aws/http/curl_http_client.h"

namespace appsignals::app {
namespace {

// By value: the client is kept alive by the Fetcher that holds it.
boost::asio::awaitable<Result<net::FetchResponse>> fetch(std::shared_ptr<aws::HttpClient> client, net::FetchRequest req) {
  aws::HttpRequest out;
  out.method = std::move(req.method);
  out.url = std::move(req.url);
  out.body = std::move(req.body);
  for (auto& h : req.headers) out.headers.emplace_back(std::move(h.first), std::move(h.second));
  out.connect_timeout = std::chrono::milliseconds(3000);
  out.total_timeout = std::chrono::milliseconds(10000);
  auto res = co_await client->send(std::move(out));
  if (!res) co_return res.error();
  net::FetchResponse r;
  r.status = res->status;
  r.body = std::move(res->body);
  co_return r;
}

}  // namespace

net::Fetcher make_oauth_fetcher(boost::asio::any_io_executor executor, const std::string& ca_bundle) {
  aws::CurlHttpClient::Options options;
  options.max_in_flight = 8;
  options.ca_bundle = ca_bundle;
  options.max_response_bytes = kOAuthMaxResponseBytes;
  std::shared_ptr<aws::HttpClient> client = std::make_shared<aws::CurlHttpClient>(executor, options);
  return [client](net::FetchRequest req) { return fetch(client, std::move(req)); };
}

Result<std::string> oauth_resource(const ServeConfig& config, std::uint16_t port, bool tls) {
  if (!config.oauth.resource.empty()) return config.oauth.resource;
  if (config.host == "0.0.0.0" || config.host == "::" || config.host.empty())
    return Error{ErrorCode::kInvalidArgument,
                 "MCP_OAUTH_RESOURCE is required when listening on all addresses (" + config.host +
                     "): set it to the public URL of /mcp, e.g. https://mcp.example.com/mcp"};
  const std::string host = config.host.find(':') != std::string::npos ? "[" + config.host + "]" : config.host;
  return std::string(tls ? "https" : "http") + "://" + host + ":" + std::to_string(port) + config.public_prefix + "/mcp";
}

Result<std::shared_ptr<net::OAuthAuthenticator>> install_oauth(const ServeConfig& config, std::uint16_t port, bool tls,
                                                              boost::asio::any_io_executor executor,
                                                              const OAuthInstall& parts) {
  auto resource = oauth_resource(config, port, tls);
  if (!resource) return resource.error();
  const auto& oc = config.oauth;
  net::OAuthOptions options;
  options.issuer = oc.issuer;
  options.resource = *resource;
  options.audiences = oc.audiences;
  // The legacy /sse endpoint is the same protected resource under another path.
  std::string sse_resource = *resource;
  if (sse_resource.size() >= 4 && sse_resource.compare(sse_resource.size() - 4, 4, "/mcp") == 0) {
    sse_resource.replace(sse_resource.size() - 4, 4, "/sse");
    options.audiences.push_back(sse_resource);
  }
  options.required_scopes = oc.required_scopes;
  options.resource_metadata_url = protected_resource_metadata_url(*resource);
  options.jwks_lifetime = oc.jwks_lifetime;
  options.jwks_min_refresh = oc.jwks_min_refresh;
  options.introspection_url = oc.introspection_url;
  options.introspection_client_id = oc.client_id;
  options.introspection_client_secret = oc.client_secret;
  auto oauth = std::make_shared<net::OAuthAuthenticator>(options, make_oauth_fetcher(executor, oc.ca_bundle));

  std::shared_ptr<net::Authenticator> auth = oauth;
  if (parts.api_keys) auth = std::make_shared<net::EitherAuthenticator>(parts.api_keys, oauth);
  parts.router->set_authenticator(auth);

  mcp::ScopePolicy policy;
  policy.read = oc.read_scope;
  policy.write = oc.write_scope;
  parts.server->set_scope_policy(policy);

  ProtectedResource prm;
  prm.mcp_resource = *resource;
  prm.sse_resource = sse_resource;
  prm.issuer = oc.issuer;
  prm.scopes_supported = {oc.read_scope, oc.write_scope};
  for (const auto& s : oc.required_scopes)
    if (std::find(prm.scopes_supported.begin(), prm.scopes_supported.end(), s) == prm.scopes_supported.end())
      prm.scopes_supported.push_back(s);
  auto metadata = make_protected_resource_handler(prm);
  for (const char* prefix : {"/.well-known/", "/mcp/.well-known/", "/sse/.well-known/"})
    parts.router->add_prefix(prefix, metadata, net::RouteOptions{.require_auth = false});
  parts.router->add("/mcp", make_scope_gate(parts.streamable, parts.registry, policy, auth));
  return oauth;
}

}  // namespace appsignals::app

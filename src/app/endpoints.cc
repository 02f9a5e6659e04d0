#include "app/endpoints.h"

#include <boost/json/serialize.hpp>

#include <optional>

#include "common/version.h"
#include "mcp/protocol_version.h"
#include "net/router.h"

namespace appsignals::app {

namespace json = boost::json;
namespace http = net::http;

namespace {

json::array string_array(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) a.push_back(json::string(s));
  return a;
}

// /health and /info are read-only documents: GET and HEAD only.
std::optional<net::Reply> refuse_unless_get(const net::Request& req) {
  const auto m = req.message.method();
  if (m == http::verb::get || m == http::verb::head) return std::nullopt;
  auto res = net::error_response(http::status::method_not_allowed, "method not allowed: use GET",
                                 req.message.version());
  res.set(http::field::allow, "GET, HEAD");
  return net::Reply{std::move(res)};
}

}  // namespace

std::shared_ptr<net::HttpHandler> make_health_handler(EndpointFacts facts) {
  return net::make_handler([facts](const net::Request& req) -> net::Reply {
    if (auto refused = refuse_unless_get(req)) return std::move(*refused);
    json::object o;
    o["status"] = facts.region.empty() ? "degraded" : "healthy";
    if (facts.region.empty())
      o["reason"] = "no AWS region configured: set AWS_REGION (or a region in the AWS profile)";
    o["service"] = "cloudwatch-applicationsignals-mcp-server";
    o["version"] = kVersion;
    o["region"] = facts.region;
    o["transport"] = facts.transports.empty() ? "" : facts.transports.front();
    o["transports"] = string_array(facts.transports);
    json::object endpoints;
    endpoints["mcp"] = facts.public_prefix + "/mcp";
    endpoints["sse"] = facts.public_prefix + "/sse";
    endpoints["messages"] = facts.public_prefix + "/messages/";
    o["endpoints"] = std::move(endpoints);
    // Degraded is still 200: the process is up and answering; the body says what is wrong.
    return net::json_response(http::status::ok, json::serialize(o), req.message.version());
  });
}

std::shared_ptr<net::HttpHandler> make_no_oauth_handler(EndpointFacts facts) {
  return net::make_handler([facts](const net::Request& req) -> net::Reply {
    const bool keys = facts.auth_mode && facts.auth_mode() != "disabled";
    const std::string message =
        keys ? "no OAuth metadata: this server does not use OAuth; it authenticates with an API key sent as "
               "'Authorization: Bearer <key>' or 'X-API-Key: <key>'"
             : "no OAuth metadata: this server does not use OAuth (authentication is off)";
    return net::error_response(http::status::not_found, message, req.message.version());
  });
}

std::shared_ptr<net::HttpHandler> make_protected_resource_handler(ProtectedResource facts) {
  auto doc = [&facts](const std::string& resource) {
    json::object o;
    o["resource"] = resource;
    json::array servers;
    servers.push_back(json::string(facts.issuer));
    o["authorization_servers"] = std::move(servers);
    o["scopes_supported"] = string_array(facts.scopes_supported);
    json::array methods;
    methods.push_back("header");
    o["bearer_methods_supported"] = std::move(methods);
    o["resource_name"] = "CloudWatch Application Signals MCP server";
    return std::make_shared<const std::string>(json::serialize(o));
  };
  auto mcp_doc = doc(facts.mcp_resource);
  auto sse_doc = doc(facts.sse_resource);
  return net::make_handler([mcp_doc, sse_doc](const net::Request& req) -> net::Reply {
    constexpr std::string_view kWellKnown = "/.well-known/oauth-protected-resource";
    const std::string_view path = req.path();
    std::shared_ptr<const std::string> body;
    if (path == kWellKnown || path == "/mcp/.well-known/oauth-protected-resource") {
      body = mcp_doc;
    } else if (path == "/sse/.well-known/oauth-protected-resource") {
      body = sse_doc;
    } else if (path.starts_with(kWellKnown) && path[kWellKnown.size()] == '/') {
      if (path.ends_with("/mcp")) body = mcp_doc;
      else if (path.ends_with("/sse")) body = sse_doc;
    }
    if (!body)
      return net::error_response(http::status::not_found,
                                 "no such metadata: this server is an OAuth 2.1 protected resource (see "
                                 "/.well-known/oauth-protected-resource); its authorization server is named there",
                                 req.message.version());
    if (auto refused = refuse_unless_get(req)) return std::move(*refused);
    return net::json_response(http::status::ok, *body, req.message.version());
  });
}

std::shared_ptr<net::HttpHandler> make_info_handler(EndpointFacts facts, mcp::ServerInfo info,
                                                    std::shared_ptr<mcp::Registry> registry) {
  return net::make_handler([facts, info, registry](const net::Request& req) -> net::Reply {
    if (auto refused = refuse_unless_get(req)) return std::move(*refused);
    const std::string& p = facts.public_prefix;
    json::object endpoints;
    endpoints["health"] = p + "/health";
    endpoints["info"] = p + "/info";
    endpoints["sse"] = p + "/sse";
    endpoints["messages"] = p + "/messages/";
    endpoints["mcp"] = p + "/mcp";
    json::array versions;
    for (auto v : mcp::kSupportedVersions) versions.push_back(json::string(v));
    json::object o;
    o["name"] = info.name;
    o["title"] = info.title;
    o["description"] = info.description;
    o["version"] = kVersion;
    o["region"] = facts.region;
    o["transports"] = string_array(facts.transports);
    o["endpoints"] = std::move(endpoints);
    o["authentication"] = facts.auth_mode ? facts.auth_mode() : "disabled";
    o["tls"] = facts.tls_enabled ? facts.tls_enabled() : false;
    o["stateless"] = facts.stateless;
    o["protocol_versions"] = std::move(versions);
    o["tool_count"] = registry->tool_count();
    return net::json_response(http::status::ok, json::serialize(o), req.message.version());
  });
}

}  // namespace appsignals::app

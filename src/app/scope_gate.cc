#include "app/scope_gate.h"

#include <algorithm>

#include <boost/json/parse.hpp>

namespace appsignals::app {
namespace {

namespace json = boost::json;
namespace http = boost::beast::http;

class ScopeGate final : public net::HttpHandler {
 public:
  ScopeGate(std::shared_ptr<net::HttpHandler> inner, std::shared_ptr<mcp::Registry> registry, mcp::ScopePolicy policy,
            std::shared_ptr<net::Authenticator> auth)
      : inner_(std::move(inner)), registry_(std::move(registry)), policy_(std::move(policy)), auth_(std::move(auth)) {}

  boost::asio::awaitable<net::Reply> handle(net::Request request) override {
    if (auto refused = check(request)) co_return std::move(*refused);
    co_return co_await inner_->handle(std::move(request));
  }

 private:
  std::optional<net::Response> check(const net::Request& request) const {
    if (!request.scopes || request.message.method() != http::verb::post) return std::nullopt;
    boost::system::error_code ec;
    auto body = json::parse(request.message.body(), ec);
    if (ec || !body.is_object()) return std::nullopt;
    const auto& o = body.as_object();
    auto* method = o.if_contains("method");
    if (!method || !method->is_string() || method->as_string() != "tools/call" || !o.contains("id")) return std::nullopt;
    auto* params = o.if_contains("params");
    if (!params || !params->is_object()) return std::nullopt;
    auto* name = params->as_object().if_contains("name");
    if (!name || !name->is_string()) return std::nullopt;
    auto tool = registry_->find_tool(std::string_view(name->as_string()));
    if (!tool) return std::nullopt;
    auto missing = policy_.missing(*tool, request.scopes);
    if (!missing) return std::nullopt;
    auto res = net::error_response(http::status::forbidden,
                                   "insufficient scope: the tool " + tool->name + " needs the OAuth scope '" + *missing +
                                       "'; authorize again with it",
                                   request.message.version());
    // The scopes to ask for: the needed one plus the tool scopes already granted, so the new
    // token does not lose them (step-up replaces the token).
    std::string scope = *missing;
    for (const auto* s : {&policy_.read, &policy_.write})
      if (*s != *missing && std::find(request.scopes->begin(), request.scopes->end(), *s) != request.scopes->end())
        scope = *s + " " + scope;
    res.set(http::field::www_authenticate, auth_->insufficient_scope_challenge(scope));
    return res;
  }

  std::shared_ptr<net::HttpHandler> inner_;
  std::shared_ptr<mcp::Registry> registry_;
  mcp::ScopePolicy policy_;
  std::shared_ptr<net::Authenticator> auth_;
};

}  // namespace

std::shared_ptr<net::HttpHandler> make_scope_gate(std::shared_ptr<net::HttpHandler> inner,
                                                  std::shared_ptr<mcp::Registry> registry, mcp::ScopePolicy policy,
                                                  std::shared_ptr<net::Authenticator> auth) {
  return std::make_shared<ScopeGate>(std::move(inner), std::move(registry), std::move(policy), std::move(auth));
}

}  // namespace appsignals::app

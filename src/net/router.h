#pragma once
// Router: maps request paths to handlers and applies the cross-cutting policies in order:
// Host/Origin validation (403), CORS preflight, authentication (401), then the route (404 if
// none). Routes are exact paths; a route registered as "/messages/" also answers "/messages".
// Prefix routes answer every path under a prefix that has no exact route (the longest prefix
// wins), e.g. the OAuth discovery documents under "/.well-known/".
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "net/authenticator.h"
#include "net/http_observer.h"
#include "net/http_types.h"
#include "net/origin_policy.h"
#include "net/profile_map.h"
#include "net/rate_limiter.h"

namespace appsignals::net {

struct RouteOptions {
  bool require_auth = true;   // false: reachable without credentials (only /health)
  bool check_origin = true;   // false: skip Host/Origin checks (only /health)
};

class Router final : public HttpHandler {
 public:
  void add(const std::string& path, std::shared_ptr<HttpHandler> handler, RouteOptions options = {});
  // `prefix` ends with '/'; it matches paths that start with it (not the prefix without '/').
  void add_prefix(const std::string& prefix, std::shared_ptr<HttpHandler> handler, RouteOptions options = {});
  // nullptr disables authentication.
  void set_authenticator(std::shared_ptr<Authenticator> auth) { auth_ = std::move(auth); }
  void set_origin_policy(OriginPolicy policy) { policy_ = std::move(policy); }
  // Per-principal rate limit for authenticated requests (nullptr: none): 429 + Retry-After.
  void set_rate_limiter(std::shared_ptr<RateLimiter> limiter) { limiter_ = std::move(limiter); }
  const std::shared_ptr<Authenticator>& authenticator() const { return auth_; }
  // MCP_AWS_PROFILE_MAP (nullptr: none): sets Request::aws_profiles of every authenticated
  // request from the authentication's outcome; set before serving.
  void set_profile_map(std::shared_ptr<const ProfileMap> map) { profile_map_ = std::move(map); }
  // Told about every reply and refused authentication (metrics); set before serving.
  void set_observer(std::shared_ptr<HttpObserver> observer) { observer_ = std::move(observer); }

  boost::asio::awaitable<Reply> handle(Request request) override;

 private:
  struct Route {
    std::shared_ptr<HttpHandler> handler;
    RouteOptions options;
    std::size_t slot = 0;    // registration index + 1 (see HttpObserver)
    std::string pattern;     // as registered
  };
  const Route* find(std::string_view path) const;
  boost::asio::awaitable<Reply> handle_routed(Request request, const Route* route);
  void add_cors(Response& res, std::string_view origin) const;

  std::unordered_map<std::string, Route> routes_;
  std::vector<std::pair<std::string, Route>> prefix_routes_;  // longest prefix first
  std::shared_ptr<Authenticator> auth_;
  std::shared_ptr<RateLimiter> limiter_;
  std::shared_ptr<const ProfileMap> profile_map_;
  OriginPolicy policy_;
  std::shared_ptr<HttpObserver> observer_;
  std::size_t next_slot_ = 1;
};

// A handler from a plain function (for small endpoints like /health).
template <class F>
class FunctionHandler final : public HttpHandler {
 public:
  explicit FunctionHandler(F f) : f_(std::move(f)) {}
  boost::asio::awaitable<Reply> handle(Request request) override { co_return f_(request); }

 private:
  F f_;
};

template <class F>
std::shared_ptr<HttpHandler> make_handler(F f) {
  return std::make_shared<FunctionHandler<F>>(std::move(f));
}

}  // namespace appsignals::net

#include "net/router.h"

#include <chrono>
#include <cstdint>
#include <mutex>

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/log_context.h"
#include "net/request_id.h"

namespace appsignals::net {
namespace {

constexpr std::string_view kAllowHeaders =
    "Content-Type, Authorization, X-API-Key, Mcp-Session-Id, MCP-Protocol-Version, "
    "Last-Event-ID, Mcp-Method, Mcp-Name, X-Request-Id";
constexpr std::string_view kExposeHeaders = "Mcp-Session-Id, MCP-Protocol-Version, WWW-Authenticate, X-Request-Id";

}  // namespace

void Router::add(const std::string& path, std::shared_ptr<HttpHandler> handler, RouteOptions options) {
  Route route{handler, options, next_slot_++, path};
  routes_[path] = route;
  if (path.size() > 1 && path.back() == '/') {
    routes_.try_emplace(path.substr(0, path.size() - 1), route);
  }
}

void Router::add_prefix(const std::string& prefix, std::shared_ptr<HttpHandler> handler, RouteOptions options) {
  prefix_routes_.emplace_back(prefix, Route{std::move(handler), options, next_slot_++, prefix});
  std::stable_sort(prefix_routes_.begin(), prefix_routes_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

const Router::Route* Router::find(std::string_view path) const {
  auto it = routes_.find(std::string(path));
  if (it != routes_.end()) return &it->second;
  for (const auto& [prefix, route] : prefix_routes_) {
    if (path.substr(0, prefix.size()) == prefix) return &route;
  }
  return nullptr;
}

void Router::add_cors(Response& res, std::string_view origin) const {
  res.set(http::field::access_control_allow_origin, origin);
  res.set(http::field::vary, "Origin");
  res.set(http::field::access_control_expose_headers, kExposeHeaders);
}

namespace {

// Pre-auth log lines are the attacker's to trigger: at most kBurst per 10 s window, then one
// line saying how many were left out.
class LogLimiter {
 public:
  static constexpr int kBurst = 20;
  // True if this line may be logged; `suppressed` gets the count dropped before it.
  bool allow(std::uint64_t& suppressed) {
    std::lock_guard lock(mu_);
    auto now = std::chrono::steady_clock::now();
    if (now - window_ >= std::chrono::seconds(10)) {
      window_ = now;
      used_ = 0;
    }
    if (used_ >= kBurst) {
      ++dropped_;
      return false;
    }
    ++used_;
    suppressed = dropped_;
    dropped_ = 0;
    return true;
  }

 private:
  std::mutex mu_;
  std::chrono::steady_clock::time_point window_{};
  int used_ = 0;
  std::uint64_t dropped_ = 0;
};

LogLimiter& pre_auth_log_limiter() {
  static LogLimiter limiter;
  return limiter;
}

}  // namespace

namespace {

unsigned reply_status(const Reply& reply) {
  if (const auto* res = std::get_if<Response>(&reply)) return res->result_int();
  unsigned status = std::get<StreamReply>(reply).head.result_int();
  return status == 0 ? 200 : status;
}

}  // namespace

boost::asio::awaitable<Reply> Router::handle(Request request) {
  const Route* route = find(request.path());
  if (!observer_) co_return co_await handle_routed(std::move(request), route);
  const auto method = request.message.method();
  Reply reply = co_await handle_routed(std::move(request), route);
  if (route)
    observer_->on_reply(route->slot, route->pattern, method, reply_status(reply));
  else
    observer_->on_reply(0, std::string_view(), method, reply_status(reply));
  co_return reply;
}

boost::asio::awaitable<Reply> Router::handle_routed(Request request, const Route* route) {
  const unsigned version = request.message.version();
  const bool public_route = route && !route->options.require_auth;
  const std::string origin(request.header("Origin"));

  if (!route || route->options.check_origin) {
    if (auto reason = policy_.check(request.header("Host"), origin)) {
      if (std::uint64_t dropped = 0; pre_auth_log_limiter().allow(dropped))
        log_with(log_fields_of(request), spdlog::level::warn,
                 "rejected request from {}: {} ({} similar line(s) suppressed)", request.remote_address, *reason,
                 dropped);
      co_return error_response(http::status::forbidden, *reason, version);
    }
  }
  const bool cors = !origin.empty() && policy_.origin_allowed(origin);

  if (request.message.method() == http::verb::options && cors) {
    Response res{http::status::no_content, version};
    add_cors(res, origin);
    res.set(http::field::access_control_allow_methods, "GET, POST, DELETE, OPTIONS");
    res.set(http::field::access_control_allow_headers, kAllowHeaders);
    res.set(http::field::access_control_max_age, "86400");
    co_return res;
  }

  if (auth_ && !public_route) {
    auto outcome = co_await auth_->authenticate_async(request);
    if (!outcome.ok) {
      // Who and why, never the key or token.
      std::string why = outcome.reason;
      if (why.empty()) why = outcome.failure == AuthFailure::kMissing ? "no API key" : "API key rejected";
      if (observer_) observer_->on_auth_failure(outcome.failure);
      if (std::uint64_t dropped = 0; pre_auth_log_limiter().allow(dropped))
        log_with(log_fields_of(request), spdlog::level::warn,
                 "authentication failed from {}: {} ({} similar line(s) suppressed)", request.remote_address, why,
                 dropped);
      if (outcome.failure == AuthFailure::kInsufficientScope) {
        // RFC 6750 §3.1: a valid token without a scope this server requires of every request.
        auto res = error_response(http::status::forbidden, "insufficient scope: the token lacks " + outcome.reason,
                                  version);
        res.set(http::field::www_authenticate, auth_->insufficient_scope_challenge(outcome.reason));
        if (cors) add_cors(res, origin);
        co_return res;
      }
      auto challenge = auth_->challenge(outcome.failure);
      auto res = error_response(http::status::unauthorized, challenge.message, version);
      res.set(http::field::www_authenticate, challenge.www_authenticate);
      if (cors) add_cors(res, origin);
      co_return res;
    }
    request.scopes = std::move(outcome.scopes);
    if (profile_map_) request.aws_profiles = profile_map_->resolve(outcome);
    if (limiter_) {
      if (auto wait = limiter_->acquire(outcome.principal)) {
        auto res = error_response(http::status::too_many_requests,
                                  "rate limit: too many requests for this credential (MCP_RATE_LIMIT_PER_MINUTE); retry "
                                  "after " + std::to_string(*wait) + " s",
                                  version);
        res.set(http::field::retry_after, std::to_string(*wait));
        if (cors) add_cors(res, origin);
        co_return res;
      }
    }
    request.principal = std::move(outcome.principal);
  }

  if (!route) {
    auto res = error_response(http::status::not_found, "not found", version);
    if (cors) add_cors(res, origin);
    co_return res;
  }

  Reply reply = co_await route->handler->handle(std::move(request));
  if (cors) {
    if (auto* res = std::get_if<Response>(&reply)) {
      add_cors(*res, origin);
    } else {
      auto& head = std::get<StreamReply>(reply).head;
      head.set(http::field::access_control_allow_origin, origin);
      head.set(http::field::vary, "Origin");
      head.set(http::field::access_control_expose_headers, kExposeHeaders);
    }
  }
  co_return reply;
}

}  // namespace appsignals::net

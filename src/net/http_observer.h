#pragma once
// What the router reports about the requests it answers, for metrics. The net layer knows no
// metrics library: the app layer implements this (app/metrics.*).
//
// Thread safety: called concurrently from every connection's strand; implementations must be
// cheap and lock-free on the hot path.
#include <cstddef>
#include <string_view>

#include <boost/beast/http/verb.hpp>

#include "net/authenticator.h"

namespace appsignals::net {

class HttpObserver {
 public:
  virtual ~HttpObserver() = default;
  // One answered request. `route_slot` is the route's registration index + 1 (0: no route
  // matched), stable for the router's life; `route` its pattern ("/mcp", "/.well-known/"), or
  // "" when none matched. For a stream reply the status is the head's (200 unless set).
  virtual void on_reply(std::size_t route_slot, std::string_view route, boost::beast::http::verb method,
                        unsigned status) noexcept = 0;
  // One refused authentication.
  virtual void on_auth_failure(AuthFailure reason) noexcept = 0;
};

}  // namespace appsignals::net

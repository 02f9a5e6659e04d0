#pragma once
// HttpServer: Boost.Beast HTTP/1.1 server on one io_context run by N threads.
//
// One coroutine per connection, on a strand of its own; keep-alive and pipelining-safe (requests
// on a connection are answered strictly in order). Limits and deadlines come from ServerLimits.
// TLS is optional and uses the context current at accept time, so a certificate reload
// (set_tls_context) affects new connections only.
//
// Thread safety: all public members are thread-safe.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "common/result.h"
#include "net/http_observer.h"
#include "net/http_types.h"
#include "net/server_limits.h"

namespace appsignals::net {

class ConnectionBase {
 public:
  virtual ~ConnectionBase() = default;
  // Asks the connection to finish: idle ones close now, busy ones after the current response,
  // streams end with their final chunk. Thread-safe.
  virtual void shutdown() = 0;
  // Called about every second from the server's keep-alive ticker (any thread) while
  // long-lived streams are open: a stream idle for the keep-alive interval writes a comment.
  virtual void keepalive_tick(std::chrono::steady_clock::time_point now) = 0;
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& ioc, std::shared_ptr<HttpHandler> handler,
             ServerLimits limits = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens. Port 0 picks a free port; the actual port is returned.
  Result<std::uint16_t> listen(const std::string& host, std::uint16_t port);
  // Starts accepting (after listen).
  void start();
  // Graceful stop: no new connections, every connection asked to finish. `on_drained` (if set)
  // runs once when the last connection has gone.
  void stop();
  void set_on_drained(std::function<void()> fn);

  void set_tls_context(std::shared_ptr<boost::asio::ssl::context> ctx);
  bool tls_enabled() const;

  // Told about the replies the server writes itself, which the router never sees: 500 when the
  // handler throws, 400/413/431 to requests it cannot read, 503 over the connection limit
  // (route slot 0 = "unmatched", method unknown except for the 500). Set before start().
  void set_observer(std::shared_ptr<HttpObserver> observer);

  std::size_t connection_count() const;
  // Failed accepts so far (e.g. out of descriptors); each is followed by a back-off.
  std::uint64_t accept_failures() const;
  const ServerLimits& limits() const { return limits_; }

  // Internal: connection bookkeeping (used by the connection implementation).
  struct State;

 private:
  ServerLimits limits_;
  std::shared_ptr<State> state_;
};

}  // namespace appsignals::net

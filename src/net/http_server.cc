#include "net/http_server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include <sstream>

#include "net/http_server_internal.h"

namespace appsignals::net {

namespace {

std::string endpoint_string(const tcp::socket& s) {
  error_code ec;
  auto ep = s.remote_endpoint(ec);
  if (ec) return "unknown";
  if (ep.address().is_v6()) return "[" + ep.address().to_string() + "]:" + std::to_string(ep.port());
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

}  // namespace

awaitable<void> HttpServer::State::accept_loop() {
  auto self = shared_from_this();
  for (;;) {
    // Each connection gets a strand of its own.
    auto [ec, strand_socket] = co_await acceptor.async_accept(asio::make_strand(ioc), kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      ++accept_failures;
      // Out of descriptors (EMFILE/ENFILE/ENOBUFS...): the pending connection stays in the
      // backlog and the listener stays readable, so retrying at once would spin. Back off
      // (10 ms doubling to 1 s while it lasts) and warn at most every 10 s.
      auto now = std::chrono::steady_clock::now();
      ++suppressed_warnings;
      if (now - last_accept_warning >= std::chrono::seconds(10)) {
        spdlog::warn("accept failed: {} ({} time(s) since the last warning); backing off {} ms", ec.message(),
                     suppressed_warnings, accept_backoff.count());
        suppressed_warnings = 0;
        last_accept_warning = now;
      }
      asio::steady_timer backoff(acceptor.get_executor());
      backoff.expires_after(accept_backoff);
      co_await backoff.async_wait(kTuple);
      accept_backoff = std::min<std::chrono::milliseconds>(accept_backoff * 2, std::chrono::seconds(1));
      continue;
    }
    accept_backoff = std::chrono::milliseconds(10);
    if (is_stopping()) co_return;
    tcp::socket socket(std::move(strand_socket));  // keeps the strand as its executor
    error_code nd;
    socket.set_option(tcp::no_delay(true), nd);
    if (active.load() >= limits.max_connections) {
      // Over capacity: answer 503 at once and close, without a coroutine.
      static const std::string k503 = [] {
        auto res = error_response(http::status::service_unavailable, "too many connections, retry shortly");
        res.set(http::field::retry_after, "1");
        res.keep_alive(false);
        res.prepare_payload();
        std::ostringstream out;
        out << res;
        return out.str();
      }();
      observe(http::verb::unknown, 503);
      auto sock = std::make_shared<tcp::socket>(std::move(socket));
      asio::async_write(*sock, asio::buffer(k503), [sock](error_code, std::size_t) {
        error_code ignored;
        sock->shutdown(tcp::socket::shutdown_both, ignored);
      });
      continue;
    }
    std::shared_ptr<asio::ssl::context> tls_ctx;
    {
      std::lock_guard lock(mu);
      tls_ctx = tls;
    }
    if (tls_ctx) {
      using Conn = Connection<TlsStream>;
      auto remote = endpoint_string(socket);
      auto conn = std::make_shared<Conn>(self, std::move(remote), std::move(socket), *tls_ctx);
      conn->set_id(add(conn));
      conn->keep_alive_with(tls_ctx);  // the context must outlive the TLS stream
      asio::co_spawn(conn->executor(), Conn::run(conn), asio::detached);
    } else {
      using Conn = Connection<beast::tcp_stream>;
      auto remote = endpoint_string(socket);
      auto ex = socket.get_executor();
      auto conn = std::make_shared<Conn>(self, std::move(remote), std::move(socket));
      conn->set_id(add(conn));
      asio::co_spawn(ex, Conn::run(conn), asio::detached);
    }
  }
}

HttpServer::HttpServer(asio::io_context& ioc, std::shared_ptr<HttpHandler> handler, ServerLimits limits)
    : limits_(limits), state_(std::make_shared<State>(ioc, std::move(handler), limits)) {}

HttpServer::~HttpServer() {
  error_code ec;
  state_->acceptor.close(ec);
}

Result<std::uint16_t> HttpServer::listen(const std::string& host, std::uint16_t port) {
  error_code ec;
  auto addr = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) return Error{ErrorCode::kInvalidArgument, "not an IP address: " + host};
  tcp::endpoint ep{addr, port};
  auto& acc = state_->acceptor;
  acc.open(ep.protocol(), ec);
  if (ec) return Error{ErrorCode::kUnavailable, "cannot open socket: " + ec.message()};
  acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (addr.is_v6()) acc.set_option(asio::ip::v6_only(false), ec);
  acc.bind(ep, ec);
  if (ec) return Error{ErrorCode::kUnavailable, "cannot bind " + host + ":" + std::to_string(port) + ": " + ec.message()};
  acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error{ErrorCode::kUnavailable, "cannot listen: " + ec.message()};
  return acc.local_endpoint().port();
}

void HttpServer::start() {
  asio::co_spawn(state_->acceptor.get_executor(), state_->accept_loop(), asio::detached);
}

void HttpServer::stop() {
  std::vector<std::shared_ptr<ConnectionBase>> live;
  bool drained_now = false;
  std::function<void()> drained;
  {
    std::lock_guard lock(state_->mu);
    if (state_->stopping) return;
    state_->stopping = true;
    for (auto& [id, weak] : state_->connections) {
      if (auto c = weak.lock()) live.push_back(std::move(c));
    }
    if (state_->connections.empty() && state_->on_drained) {
      drained_now = true;
      drained = std::move(state_->on_drained);
    }
  }
  asio::post(state_->acceptor.get_executor(), [state = state_] {
    error_code ec;
    state->acceptor.close(ec);
    state->ticker.cancel();
  });
  for (auto& c : live) c->shutdown();
  if (drained_now) drained();
}

void HttpServer::set_on_drained(std::function<void()> fn) {
  std::lock_guard lock(state_->mu);
  state_->on_drained = std::move(fn);
}

void HttpServer::set_tls_context(std::shared_ptr<asio::ssl::context> ctx) {
  std::lock_guard lock(state_->mu);
  state_->tls = std::move(ctx);
}

void HttpServer::set_observer(std::shared_ptr<HttpObserver> observer) { state_->observer = std::move(observer); }

bool HttpServer::tls_enabled() const {
  std::lock_guard lock(state_->mu);
  return state_->tls != nullptr;
}

std::size_t HttpServer::connection_count() const { return state_->active.load(); }

std::uint64_t HttpServer::accept_failures() const { return state_->accept_failures.load(); }

}  // namespace appsignals::net

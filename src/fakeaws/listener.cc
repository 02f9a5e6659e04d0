#include "fakeaws/listener.h"

#include <mutex>
#include <set>
#include <sstream>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace appsignals::fakeaws {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

struct Listener::State : std::enable_shared_from_this<Listener::State> {
  State(asio::io_context& io, std::shared_ptr<net::HttpHandler> h)
      : ioc(io), acceptor(io), handler(std::move(h)) {}
  asio::io_context& ioc;
  tcp::acceptor acceptor;
  std::shared_ptr<net::HttpHandler> handler;
  std::mutex mu;
  std::set<std::shared_ptr<tcp::socket>> sockets;
  bool stopped = false;

  bool track(const std::shared_ptr<tcp::socket>& s) {
    std::lock_guard lock(mu);
    if (stopped) return false;
    sockets.insert(s);
    return true;
  }
  void untrack(const std::shared_ptr<tcp::socket>& s) {
    std::lock_guard lock(mu);
    sockets.erase(s);
  }
};

namespace {

void abort_with_reset(tcp::socket& socket) {
  boost::system::error_code ec;
  socket.set_option(asio::socket_base::linger(true, 0), ec);
  socket.close(ec);
}

asio::awaitable<void> serve(std::shared_ptr<Listener::State> state, std::shared_ptr<tcp::socket> socket) {
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(64 * 1024);
    parser.body_limit(16 * 1024 * 1024);
    auto [ec, n] = co_await http::async_read(*socket, buffer, parser, kTuple);
    if (ec) break;
    net::Request request;
    request.message = parser.release();
    boost::system::error_code rec;
    auto remote = socket->remote_endpoint(rec);
    if (!rec) request.remote_address = remote.address().to_string() + ":" + std::to_string(remote.port());
    const unsigned version = request.message.version();
    bool keep_alive = request.message.keep_alive();
    net::Reply reply;
    try {
      reply = co_await state->handler->handle(std::move(request));
    } catch (const std::exception&) {
      reply = net::error_response(http::status::internal_server_error, "internal error", version);
    }
    auto* res = std::get_if<net::Response>(&reply);
    if (res == nullptr) {  // streams are not part of any AWS protocol served here
      reply = net::error_response(http::status::internal_server_error, "streaming not supported", version);
      res = std::get_if<net::Response>(&reply);
    }
    std::string action;
    if (auto it = res->find(kSocketActionHeader); it != res->end()) {
      action = std::string(it->value());
      res->erase(kSocketActionHeader);
    }
    if (action == "reset") {
      abort_with_reset(*socket);
      break;
    }
    res->version(version);
    res->keep_alive(keep_alive && action.empty());
    res->prepare_payload();
    if (action == "truncate") {
      std::ostringstream whole;
      whole << *res;
      std::string text = whole.str();
      auto header_end = text.find("\r\n\r\n");
      std::size_t cut = header_end == std::string::npos ? text.size() / 2
                                                        : header_end + 4 + res->body().size() / 2;
      co_await asio::async_write(*socket, asio::buffer(text.data(), cut), kTuple);
      boost::system::error_code sec;
      socket->shutdown(tcp::socket::shutdown_both, sec);
      break;
    }
    auto [wec, wn] = co_await http::async_write(*socket, *res, kTuple);
    if (wec || !keep_alive) break;
  }
  boost::system::error_code ec;
  socket->shutdown(tcp::socket::shutdown_both, ec);
  socket->close(ec);
  state->untrack(socket);
}

asio::awaitable<void> accept_loop(std::shared_ptr<Listener::State> state) {
  for (;;) {
    auto socket = std::make_shared<tcp::socket>(state->ioc);
    auto [ec] = co_await state->acceptor.async_accept(*socket, kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !state->acceptor.is_open()) co_return;
      continue;
    }
    if (!state->track(socket)) co_return;
    boost::system::error_code nec;
    socket->set_option(tcp::no_delay(true), nec);
    asio::co_spawn(state->ioc, serve(state, socket), asio::detached);
  }
}

}  // namespace

Listener::Listener(asio::io_context& ioc, std::shared_ptr<net::HttpHandler> handler)
    : state_(std::make_shared<State>(ioc, std::move(handler))) {}

Listener::~Listener() { stop(); }

Result<std::uint16_t> Listener::listen(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(host, ec);
  if (ec) return Error(ErrorCode::kInvalidArgument, "bad listen address " + host);
  tcp::endpoint ep(addr, port);
  state_->acceptor.open(ep.protocol(), ec);
  if (!ec) state_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) state_->acceptor.bind(ep, ec);
  if (!ec) state_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error(ErrorCode::kUnavailable, "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
  return state_->acceptor.local_endpoint().port();
}

void Listener::start() { asio::co_spawn(state_->ioc, accept_loop(state_), asio::detached); }

void Listener::stop() {
  std::set<std::shared_ptr<tcp::socket>> open;
  {
    std::lock_guard lock(state_->mu);
    if (state_->stopped) return;
    state_->stopped = true;
    open.swap(state_->sockets);
  }
  // Close on the io_context: sockets are used by their connection coroutines there.
  asio::post(state_->ioc, [state = state_, open = std::move(open)] {
    boost::system::error_code ec;
    state->acceptor.close(ec);
    for (const auto& s : open) {
      s->shutdown(tcp::socket::shutdown_both, ec);
      s->close(ec);
    }
  });
}

}  // namespace appsignals::fakeaws

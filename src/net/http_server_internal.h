#pragma once
// Internal to src/net (included by the HttpServer implementation files only): the server's
// shared State and the Connection template, whose members are defined in
//   http_server.cc      HttpServer, the accept loop and connection limits, the bookkeeping;
//   http_connection.cc  the connection's coroutine: requests, replies, request-scoped streams;
//   http_stream.cc      long-lived streams on plain handlers, the server-wide keep-alive ticker
//                       and the peer-close watch.
// Connection<Stream> is instantiated for beast::tcp_stream and TlsStream only, explicitly, in
// http_connection.cc (and the members defined in http_stream.cc that other files call, there).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "net/event_stream.h"
#include "net/http_server.h"
#include "net/tls_stream.h"

namespace appsignals::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::awaitable;
using asio::ip::tcp;
using boost::system::error_code;
inline constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

struct HttpServer::State : std::enable_shared_from_this<HttpServer::State> {
  State(asio::io_context& context, std::shared_ptr<HttpHandler> h, ServerLimits l)
      : ioc(context), acceptor(asio::make_strand(context)), handler(std::move(h)), limits(l) {}

  asio::io_context& ioc;
  tcp::acceptor acceptor;
  std::shared_ptr<HttpHandler> handler;
  ServerLimits limits;
  std::shared_ptr<HttpObserver> observer;  // set before start(), read-only after

  void observe(http::verb method, unsigned status) noexcept {
    if (observer) observer->on_reply(0, {}, method, status);
  }

  std::mutex mu;  // guards everything below
  std::shared_ptr<asio::ssl::context> tls;
  std::unordered_map<std::uint64_t, std::weak_ptr<ConnectionBase>> connections;
  std::uint64_t next_id = 1;
  bool stopping = false;
  std::function<void()> on_drained;
  std::atomic<std::size_t> active{0};
  // Accept loop only (its strand): failure back-off and the rate-limited warning.
  std::atomic<std::uint64_t> accept_failures{0};
  std::chrono::milliseconds accept_backoff{10};
  std::chrono::steady_clock::time_point last_accept_warning{};
  std::uint64_t suppressed_warnings = 0;

  std::uint64_t add(std::weak_ptr<ConnectionBase> c) {
    std::lock_guard lock(mu);
    auto id = next_id++;
    connections.emplace(id, std::move(c));
    ++active;
    return id;
  }

  void remove(std::uint64_t id) {
    std::function<void()> drained;
    {
      std::lock_guard lock(mu);
      connections.erase(id);
      --active;
      if (stopping && connections.empty() && on_drained) drained = std::move(on_drained);
    }
    if (drained) drained();
  }

  bool is_stopping() {
    std::lock_guard lock(mu);
    return stopping;
  }

  // Keep-alive comments of long-lived streams: one ticker for all of them rather than a timer
  // per stream (an idle stream holds none). It runs while long-lived streams are open and
  // visits every connection each tick (at most 1 s: a comment goes out between the keep-alive
  // interval and that plus a tick after a stream's last write). Defined in http_stream.cc.
  asio::steady_timer ticker{acceptor.get_executor()};  // on the acceptor's strand
  bool ticking = false;                                 // guarded by mu
  std::size_t long_streams = 0;                         // guarded by mu

  std::chrono::steady_clock::duration tick_interval() const;
  void stream_started();
  void stream_ended();
  void arm_ticker();  // on the ticker's strand
  void on_tick();

  awaitable<void> accept_loop();  // http_server.cc
};

template <class Stream>
beast::tcp_stream& lowest(Stream& s) {
  return beast::get_lowest_layer(s);
}

template <class Stream>
class Connection final : public ConnectionBase,
                         public std::enable_shared_from_this<Connection<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  template <class... Args>
  Connection(std::shared_ptr<HttpServer::State> state, std::string remote, Args&&... args)
      : state_(std::move(state)), stream_(std::forward<Args>(args)...),
        remote_(std::move(remote)) {}

  void set_id(std::uint64_t id) { id_ = id; }
  void keep_alive_with(std::shared_ptr<void> owner) { owner_ = std::move(owner); }
  asio::any_io_executor executor() { return stream_.get_executor(); }

  void keepalive_tick(std::chrono::steady_clock::time_point now) override;  // http_stream.cc
  void shutdown() override;

  // The connection's coroutine; its frame owns `self`. The whole loop lives in this one frame
  // (no wrapper coroutine around it), because an idle stream holds every frame of its chain
  // for as long as it is open.
  static awaitable<void> run(std::shared_ptr<Connection> self);

 private:
  // ---- the request loop (http_connection.cc) ----
  void do_shutdown();
  void close_socket();
  void finish();
  awaitable<std::optional<Reply>> read_and_handle(bool first, unsigned& version, bool& keep_alive,
                                                  bool& head_request);
  awaitable<void> write_simple(Response res);
  awaitable<bool> write_chunk(std::string_view data, bool chunked);
  awaitable<bool> write_stream_head(http::response<http::empty_body>& head);
  static void prepare_stream_head(http::response<http::empty_body>& head, unsigned version, bool keep_alive_after);
  awaitable<bool> run_stream(StreamReply& sr, unsigned version, bool keep_alive_after);

  // ---- long-lived streams (http_stream.cc) ----
  void start_long_stream(std::shared_ptr<EventStream> es, bool chunked);
  void mark_written();
  bool keepalive_due(std::chrono::steady_clock::time_point now) const;
  void wake();
  void keepalive();
  void pump();
  void write_out();
  void write_last_chunk();
  void end_long_stream();
  void end_stream(EventStream& es, EndReason reason) noexcept;
  std::shared_ptr<EventStream> release_long_stream();

  std::shared_ptr<HttpServer::State> state_;
  std::shared_ptr<void> owner_;  // declared before stream_: destroyed after it
  Stream stream_;
  std::string remote_;
  std::unique_ptr<asio::steady_timer> wake_timer_;  // request-scoped streams only, made on first use
  beast::flat_buffer buffer_;
  char peer_byte_ = 0;  // target of the peer-close watch of a long-lived stream
  std::shared_ptr<EventStream> active_stream_;
  bool active_stream_long_lived_ = false;
  // A long-lived stream's state (start_long_stream), on the strand except the two atomics.
  bool chunked_ = true;
  bool writing_ = false;
  std::string out_;                                   // the batch being written
  std::atomic<bool> long_open_{false};                // read by keepalive_tick
  std::atomic<std::chrono::steady_clock::rep> last_write_{0};  // steady_clock ticks; idem
  std::uint64_t id_ = 0;
  bool busy_ = false;
  bool shutting_down_ = false;
};

}  // namespace appsignals::net

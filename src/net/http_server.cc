#include "net/http_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <sstream>
#include <optional>
#include <type_traits>

#include "common/log_context.h"
#include "net/event_stream.h"
#include "net/request_id.h"
#include "net/tls_stream.h"

namespace appsignals::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::awaitable;
using asio::ip::tcp;
using boost::system::error_code;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

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
  // interval and that plus a tick after a stream's last write).
  asio::steady_timer ticker{acceptor.get_executor()};  // on the acceptor's strand
  bool ticking = false;                                 // guarded by mu
  std::size_t long_streams = 0;                         // guarded by mu

  std::chrono::steady_clock::duration tick_interval() const {
    return std::clamp<std::chrono::steady_clock::duration>(limits.keepalive_interval / 4, std::chrono::milliseconds(1),
                                                           std::chrono::seconds(1));
  }

  void stream_started() {
    std::lock_guard lock(mu);
    ++long_streams;
    if (ticking || stopping) return;
    ticking = true;
    asio::post(ticker.get_executor(), [self = shared_from_this()] { self->arm_ticker(); });
  }

  void stream_ended() {
    std::lock_guard lock(mu);
    --long_streams;
  }

  void arm_ticker() {  // on the ticker's strand
    ticker.expires_after(tick_interval());
    ticker.async_wait([self = shared_from_this()](const error_code&) { self->on_tick(); });
  }

  void on_tick() {
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(mu);
      if (stopping || long_streams == 0) {
        ticking = false;
        return;
      }
      for (auto& [id, weak] : connections) {
        if (auto c = weak.lock()) c->keepalive_tick(now);
      }
    }
    arm_ticker();
  }

  awaitable<void> accept_loop();
};

namespace {

LogFields request_fields(const std::string& request_id) {
  LogFields f;
  f.request_id = request_id;
  return f;
}

bool is_quiet_error(const error_code& ec) {
  return ec == asio::error::eof || ec == asio::error::operation_aborted ||
         ec == asio::error::connection_reset || ec == beast::error::timeout ||
         ec == asio::ssl::error::stream_truncated || ec == http::error::end_of_stream ||
         ec == asio::error::broken_pipe || ec == asio::error::bad_descriptor;
}

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

  // Ticker thread: a long-lived stream that wrote nothing for the keep-alive interval writes
  // a comment (on its strand). Only atomics are read here.
  void keepalive_tick(std::chrono::steady_clock::time_point now) override {
    if (!long_open_.load(std::memory_order_relaxed)) return;
    auto last = std::chrono::steady_clock::time_point(
        std::chrono::steady_clock::duration(last_write_.load(std::memory_order_relaxed)));
    if (now - last < state_->limits.keepalive_interval) return;
    asio::post(executor(), [self = this->shared_from_this()] { self->keepalive(); });
  }

  void shutdown() override {
    // Hop onto the connection's strand: all state is touched there only.
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->do_shutdown(); });
  }

  // The connection's coroutine; its frame owns `self`. The whole loop lives in this one frame
  // (no wrapper coroutine around it), because an idle stream holds every frame of its chain
  // for as long as it is open.
  static awaitable<void> run(std::shared_ptr<Connection> self) {
    try {
      if constexpr (kTls) {
        const auto& limits = self->state_->limits;
        lowest(self->stream_).expires_after(limits.tls_handshake_timeout);
        auto [ec] = co_await self->stream_.async_handshake(asio::ssl::stream_base::server, kTuple);
        if (ec) {
          if (!is_quiet_error(ec)) spdlog::debug("tls handshake with {} failed: {}", self->remote_, ec.message());
          self->finish();
          co_return;
        }
      }
      bool first = true;
      for (;;) {
        if (self->shutting_down_) break;
        unsigned version = 11;
        bool keep_alive = false;
        bool head_request = false;
        // The request's parser, Request and handler state live in read_and_handle's frame,
        // which is freed before a stream starts: an idle SSE connection keeps only this frame.
        std::optional<Reply> reply = co_await self->read_and_handle(first, version, keep_alive, head_request);
        if (!reply) break;
        first = false;
        if (auto* res = std::get_if<Response>(&*reply)) {
          keep_alive = keep_alive && res->keep_alive() && !self->shutting_down_;
          res->version(version);
          res->keep_alive(keep_alive);
          res->prepare_payload();
          if (head_request) {
            // RFC 9110 §9.3.2: the GET reply's headers (its Content-Length too), no body.
            auto length = res->body().size();
            res->body().clear();
            res->content_length(length);
          }
          lowest(self->stream_).expires_after(self->state_->limits.write_timeout);
          auto [wec, wn] = co_await http::async_write(self->stream_, *res, kTuple);
          if (wec) break;
        } else {
          auto& sr = std::get<StreamReply>(*reply);
          if (sr.long_lived) {
            // A stream may last hours: with nothing buffered beyond its request, give the read
            // buffer back (only here: keep-alive requests reuse it).
            if (self->buffer_.size() == 0) self->buffer_.shrink_to_fit();
            self->prepare_stream_head(sr.head, version, false);
            bool head_written = co_await self->write_stream_head(sr.head);
            if (!head_written) {
              sr.stream->end(EndReason::kPeerGone);
              break;
            }
            // From here plain handlers drive the stream (and end the connection with it): no
            // coroutine frame is held while it idles.
            self->start_long_stream(std::move(sr.stream), version >= 11);
            co_return;
          }
          bool again = co_await self->run_stream(sr, version, keep_alive);
          if (!again) break;
        }
        if (!keep_alive || self->shutting_down_) break;
      }
    } catch (const std::exception& e) {
      spdlog::error("connection {}: unexpected error: {}", self->remote_, e.what());
    }
    self->finish();
  }

 private:
  void do_shutdown() {
    shutting_down_ = true;
    if (active_stream_) {
      // Long-lived streams end now; a request's own stream ends when its response is written.
      if (active_stream_long_lived_) active_stream_->close();
    } else if (!busy_) {
      error_code ec;
      lowest(stream_).socket().cancel(ec);
    }
  }

  void close_socket() {
    error_code ec;
    lowest(stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
    lowest(stream_).socket().close(ec);
  }

  void finish() {
    close_socket();
    state_->remove(id_);
  }

  // Reads one request and runs the handler on it. Empty when the connection must close (the
  // error reply, if any, has been written).
  awaitable<std::optional<Reply>> read_and_handle(bool first, unsigned& version, bool& keep_alive,
                                                  bool& head_request) {
    const auto& limits = state_->limits;
    std::optional<Reply> none;
    std::optional<http::request_parser<http::string_body>> parser;
    parser.emplace();
    parser->header_limit(static_cast<std::uint32_t>(limits.header_limit));
    parser->body_limit(limits.body_limit);

    // Keep-alive idle time and the header deadline: the whole header must arrive in time.
    lowest(stream_).expires_after(first ? limits.header_timeout : limits.idle_timeout);
    auto [ec, n] = co_await http::async_read_header(stream_, buffer_, *parser, kTuple);
    if (ec) {
      if (ec == http::error::header_limit) {
        co_await write_simple(error_response(http::status::request_header_fields_too_large,
                                             "request header exceeds 16 KiB"));
      } else if (ec == http::error::body_limit) {
        co_await write_simple(error_response(http::status::payload_too_large,
                                             "request body exceeds the 4 MiB limit"));
      } else if (ec != http::error::end_of_stream && !is_quiet_error(ec)) {
        co_await write_simple(error_response(http::status::bad_request, "malformed HTTP request"));
      }
      co_return none;
    }
    auto& req_head = parser->get();
    // RFC 9112 §6.3: a request whose Transfer-Encoding does not end in chunked has no
    // determinable length; reading on would take its body for the next request (smuggling).
    if (req_head.find(http::field::transfer_encoding) != req_head.end() && !parser->chunked()) {
      co_await write_simple(error_response(http::status::bad_request,
                                           "unsupported Transfer-Encoding: only chunked is accepted",
                                           req_head.version()));
      co_return none;
    }
    if (auto len = parser->content_length(); len && *len > limits.body_limit) {
      co_await write_simple(error_response(http::status::payload_too_large,
                                           "request body exceeds the 4 MiB limit", req_head.version()));
      co_return none;
    }
    if (beast::iequals(req_head[http::field::expect], "100-continue")) {
      http::response<http::empty_body> cont{http::status::continue_, req_head.version()};
      lowest(stream_).expires_after(limits.write_timeout);
      auto [wec, wn] = co_await http::async_write(stream_, cont, kTuple);
      if (wec) co_return none;
    }
    lowest(stream_).expires_after(limits.header_timeout + limits.write_timeout);
    std::tie(ec, n) = co_await http::async_read(stream_, buffer_, *parser, kTuple);
    if (ec) {
      if (ec == http::error::body_limit) {
        co_await write_simple(error_response(http::status::payload_too_large,
                                             "request body exceeds the 4 MiB limit", req_head.version()));
      } else if (!is_quiet_error(ec)) {
        co_await write_simple(error_response(http::status::bad_request, "malformed HTTP request body"));
      }
      co_return none;
    }
    lowest(stream_).expires_never();

    Request request;
    request.message = parser->release();
    request.remote_address = remote_;
    request.secure = kTls;
    // The request's X-Request-Id is normalised here, once: kept if sane, else replaced (or
    // added) with a minted one. Everything downstream reads this header (request_id_of).
    request.message.set(kRequestIdHeader, request_id_for(request.header(kRequestIdHeader)));
    version = request.message.version();
    keep_alive = request.message.keep_alive();
    head_request = request.message.method() == http::verb::head;

    busy_ = true;
    std::optional<Reply> reply;
    std::string request_id(request.header(kRequestIdHeader));
    const http::verb method = request.message.method();
    try {
      reply.emplace(co_await state_->handler->handle(std::move(request)));
    } catch (const std::exception& e) {
      log_with(request_fields(request_id), spdlog::level::err, "handler failed for {}: {}", remote_, e.what());
      reply.emplace(error_response(http::status::internal_server_error, "internal server error", version));
      state_->observe(method, 500);
    }
    busy_ = false;
    // Every reply names its request (errors and streams too).
    if (auto* res = std::get_if<Response>(&*reply))
      res->set(kRequestIdHeader, request_id);
    else
      std::get<StreamReply>(*reply).head.set(kRequestIdHeader, request_id);
    co_return reply;
  }

  awaitable<void> write_simple(Response res) {
    // Replies to requests that could not be read whole get a fresh id.
    if (res.find(kRequestIdHeader) == res.end()) res.set(kRequestIdHeader, mint_request_id());
    state_->observe(http::verb::unknown, res.result_int());
    res.keep_alive(false);
    res.prepare_payload();
    lowest(stream_).expires_after(state_->limits.write_timeout);
    co_await http::async_write(stream_, res, kTuple);
  }

  // Writes one chunk (or raw bytes for HTTP/1.0). False on failure.
  awaitable<bool> write_chunk(std::string_view data, bool chunked) {
    lowest(stream_).expires_after(state_->limits.write_timeout);
    error_code ec;
    if (chunked) {
      std::tie(ec, std::ignore) = co_await asio::async_write(
          stream_, http::make_chunk(asio::buffer(data.data(), data.size())), kTuple);
    } else {
      std::tie(ec, std::ignore) =
          co_await asio::async_write(stream_, asio::buffer(data.data(), data.size()), kTuple);
    }
    lowest(stream_).expires_never();
    co_return !ec;
  }

  // The serializer lives in this short frame, not in run_stream's, which lasts as long as the
  // stream does.
  awaitable<bool> write_stream_head(http::response<http::empty_body>& head) {
    http::response_serializer<http::empty_body> sz(head);
    lowest(stream_).expires_after(state_->limits.write_timeout);
    auto [ec, n] = co_await http::async_write_header(stream_, sz, kTuple);
    lowest(stream_).expires_never();
    co_return !ec;
  }

  static void prepare_stream_head(http::response<http::empty_body>& head, unsigned version, bool keep_alive_after) {
    const bool chunked = version >= 11;
    head.version(version);
    if (head.result_int() == 0) head.result(http::status::ok);
    if (head.find(http::field::content_type) == head.end())
      head.set(http::field::content_type, "text/event-stream");
    if (head.find(http::field::cache_control) == head.end())
      head.set(http::field::cache_control, "no-cache, no-transform");
    head.set("X-Accel-Buffering", "no");
    head.keep_alive(chunked && keep_alive_after);
    if (chunked) head.chunked(true);
  }

  // ---- long-lived streams (GET /sse, GET /mcp): plain handlers on the strand ----
  // An idle stream holds the Connection and the peer-close read, nothing else: no coroutine
  // frame, no timer, no read or output buffer. Its keep-alive comments come from the server's
  // one ticker (State::on_tick -> keepalive_tick). The steps mirror run_stream's loop: take a
  // batch and write it (then take again), or idle until the producer's wake, the peer-close
  // read or the ticker. At most one write is pending; `writing_` defers wakes until it ends.
  // The connection ends with the stream.
  void start_long_stream(std::shared_ptr<EventStream> es, bool chunked) {
    active_stream_ = es;
    active_stream_long_lived_ = true;
    chunked_ = chunked;
    std::weak_ptr<Connection> weak = this->shared_from_this();
    es->set_waker([weak] {
      if (auto self = weak.lock()) asio::post(self->executor(), [self] { self->wake(); });
    });
    // Watch for the peer closing the connection: nothing else arrives on a stream's
    // connection, so any completion of this read ends the stream. Over plain TCP the read goes
    // to the socket itself (Beast's timed read operation is several times larger).
    auto on_peer = [self = this->shared_from_this(), es](const error_code&, std::size_t) {
      self->end_stream(*es, EndReason::kPeerGone);
      self->wake();
    };
    if constexpr (kTls) {
      stream_.async_read_some(asio::buffer(&peer_byte_, 1), std::move(on_peer));
    } else {
      lowest(stream_).socket().async_read_some(asio::buffer(&peer_byte_, 1), std::move(on_peer));
    }
    if (shutting_down_) es->close();
    mark_written();
    long_open_.store(true, std::memory_order_relaxed);
    state_->stream_started();
    pump();
  }

  void mark_written() {
    last_write_.store(std::chrono::steady_clock::now().time_since_epoch().count(), std::memory_order_relaxed);
  }

  // Something to take (or the stream ended): go on unless a write is pending (its completion
  // takes again) or the stream is over.
  void wake() {
    if (active_stream_ && !writing_) pump();
  }

  void keepalive() {
    if (!active_stream_ || writing_) return;
    auto last = std::chrono::steady_clock::time_point(
        std::chrono::steady_clock::duration(last_write_.load(std::memory_order_relaxed)));
    if (std::chrono::steady_clock::now() - last < state_->limits.keepalive_interval) return;
    out_ = ": keepalive\n\n";  // short: no allocation
    write_out();
  }

  void pump() {
    try {
      auto batch = active_stream_->take();
      if (active_stream_->ended()) {  // overflow, peer gone, or ended elsewhere
        end_long_stream();
        return;
      }
      if (!batch.data.empty()) {
        out_ = std::move(batch.data);
        write_out();
        return;
      }
      if (batch.closed) write_last_chunk();
      // else idle until a wake, the peer-close read or the ticker
    } catch (const std::exception& e) {
      spdlog::error("connection {}: unexpected error: {}", remote_, e.what());
      end_long_stream();
    }
  }

  void write_out() {
    writing_ = true;
    lowest(stream_).expires_after(state_->limits.write_timeout);
    auto done = [self = this->shared_from_this()](const error_code& ec, std::size_t) {
      self->writing_ = false;
      lowest(self->stream_).expires_never();
      std::string().swap(self->out_);  // an idle stream keeps no output buffer
      if (ec) {
        self->end_long_stream();
        return;
      }
      self->mark_written();
      self->pump();  // more may have arrived meanwhile
    };
    if (chunked_) {
      asio::async_write(stream_, http::make_chunk(asio::buffer(out_)), std::move(done));
    } else {
      asio::async_write(stream_, asio::buffer(out_), std::move(done));
    }
  }

  // The producer closed the stream and everything is written.
  void write_last_chunk() {
    auto es = release_long_stream();
    if (!chunked_) {
      end_stream(*es, EndReason::kClosed);
      finish();
      return;
    }
    lowest(stream_).expires_after(state_->limits.write_timeout);
    asio::async_write(stream_, http::make_chunk_last(),
                      [self = this->shared_from_this(), es](const error_code&, std::size_t) {
                        lowest(self->stream_).expires_never();
                        self->end_stream(*es, self->shutting_down_ ? EndReason::kShutdown : EndReason::kClosed);
                        self->finish();
                      });
  }

  void end_long_stream() {
    auto es = release_long_stream();
    end_stream(*es, EndReason::kPeerGone);
    finish();
  }

  // Ends a long-lived stream from a plain handler: what its end callback throws is logged here
  // (the coroutine's catch no longer surrounds it), not thrown into the io_context.
  void end_stream(EventStream& es, EndReason reason) noexcept {
    try {
      es.end(reason);
    } catch (const std::exception& e) {
      spdlog::error("connection {}: unexpected error: {}", remote_, e.what());
    }
  }

  // Exactly once per long-lived stream: nothing wakes, pumps or ticks it after this.
  std::shared_ptr<EventStream> release_long_stream() {
    auto es = std::move(active_stream_);
    es->set_waker(nullptr);
    long_open_.store(false, std::memory_order_relaxed);
    state_->stream_ended();
    return es;
  }

  // Streams server-sent events until the producer closes the stream, the peer goes away or the
  // server shuts down. Returns true if the connection can serve another request. Request-scoped
  // streams only (a POST answered with SSE); long-lived ones run on start_long_stream.
  awaitable<bool> run_stream(StreamReply& sr, unsigned version, bool keep_alive_after) {
    auto es = sr.stream;
    auto& head = sr.head;
    const bool chunked = version >= 11;
    prepare_stream_head(head, version, keep_alive_after);

    bool head_written = co_await write_stream_head(head);
    head = http::response<http::empty_body>{};  // its fields are not needed for hours of streaming
    if (!head_written) {
      es->end(EndReason::kPeerGone);
      co_return false;
    }

    active_stream_ = es;
    active_stream_long_lived_ = false;
    if (!wake_timer_) wake_timer_ = std::make_unique<asio::steady_timer>(stream_.get_executor());
    std::weak_ptr<Connection> weak = this->shared_from_this();
    auto ex = stream_.get_executor();
    es->set_waker([weak, ex] {
      asio::post(ex, [weak] {
        if (auto self = weak.lock()) self->wake_timer_->cancel();
      });
    });

    bool ok = true;
    auto last_write = std::chrono::steady_clock::now();
    for (;;) {
      auto batch = es->take();
      if (es->ended()) {  // overflow, peer gone, or ended elsewhere
        ok = false;
        break;
      }
      if (!batch.data.empty()) {
        if (!co_await write_chunk(batch.data, chunked)) {
          ok = false;
          break;
        }
        last_write = std::chrono::steady_clock::now();
        continue;  // more may have arrived meanwhile
      }
      if (batch.closed) break;
      wake_timer_->expires_at(last_write + state_->limits.keepalive_interval);
      auto [tec] = co_await wake_timer_->async_wait(kTuple);
      if (!tec) {
        if (!co_await write_chunk(": keepalive\n\n", chunked)) {
          ok = false;
          break;
        }
        last_write = std::chrono::steady_clock::now();
      }
    }
    es->set_waker(nullptr);
    active_stream_.reset();
    if (!ok) {
      es->end(EndReason::kPeerGone);
      co_return false;
    }
    if (chunked) {
      lowest(stream_).expires_after(state_->limits.write_timeout);
      auto [cec, cn] = co_await asio::async_write(stream_, http::make_chunk_last(), kTuple);
      lowest(stream_).expires_never();
      es->end(shutting_down_ ? EndReason::kShutdown : EndReason::kClosed);
      if (cec) co_return false;
    } else {
      es->end(EndReason::kClosed);
    }
    co_return chunked && keep_alive_after && !shutting_down_;
  }

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

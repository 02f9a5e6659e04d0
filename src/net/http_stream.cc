// Long-lived streams (GET /sse, GET /mcp) on plain handlers, the server-wide keep-alive ticker
// (HttpServer::State) and the peer-close watch. Members of Connection<Stream> and State declared
// in http_server_internal.h.
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <spdlog/spdlog.h>

#include <exception>

#include "net/http_server_internal.h"

namespace appsignals::net {

std::chrono::steady_clock::duration HttpServer::State::tick_interval() const {
  return std::clamp<std::chrono::steady_clock::duration>(limits.keepalive_interval / 4, std::chrono::milliseconds(1),
                                                         std::chrono::seconds(1));
}

void HttpServer::State::stream_started() {
  std::lock_guard lock(mu);
  ++long_streams;
  if (ticking || stopping) return;
  ticking = true;
  asio::post(ticker.get_executor(), [self = shared_from_this()] { self->arm_ticker(); });
}

void HttpServer::State::stream_ended() {
  std::lock_guard lock(mu);
  --long_streams;
}

void HttpServer::State::arm_ticker() {  // on the ticker's strand
  ticker.expires_after(tick_interval());
  ticker.async_wait([self = shared_from_this()](const error_code&) { self->on_tick(); });
}

void HttpServer::State::on_tick() {
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

// Ticker thread: a long-lived stream that wrote nothing for the keep-alive interval writes
// a comment (on its strand). Only atomics are read here.
template <class Stream>
void Connection<Stream>::keepalive_tick(std::chrono::steady_clock::time_point now) {
  if (!long_open_.load(std::memory_order_relaxed) || !keepalive_due(now)) return;
  asio::post(executor(), [self = this->shared_from_this()] { self->keepalive(); });
}

// ---- long-lived streams (GET /sse, GET /mcp): plain handlers on the strand ----
// An idle stream holds the Connection and the peer-close read, nothing else: no coroutine
// frame, no timer, no read or output buffer. Its keep-alive comments come from the server's
// one ticker (State::on_tick -> keepalive_tick). The steps mirror run_stream's loop: take a
// batch and write it (then take again), or idle until the producer's wake, the peer-close
// read or the ticker. At most one write is pending; `writing_` defers wakes until it ends.
// The connection ends with the stream.
template <class Stream>
void Connection<Stream>::start_long_stream(std::shared_ptr<EventStream> es, bool chunked) {
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

template <class Stream>
void Connection<Stream>::mark_written() {
  last_write_.store(std::chrono::steady_clock::now().time_since_epoch().count(), std::memory_order_relaxed);
}

// Nothing written for the keep-alive interval (any thread: reads the atomic only).
template <class Stream>
bool Connection<Stream>::keepalive_due(std::chrono::steady_clock::time_point now) const {
  const std::chrono::steady_clock::time_point last(
      std::chrono::steady_clock::duration(last_write_.load(std::memory_order_relaxed)));
  return now - last >= state_->limits.keepalive_interval;
}

// Something to take (or the stream ended): go on unless a write is pending (its completion
// takes again) or the stream is over.
template <class Stream>
void Connection<Stream>::wake() {
  if (active_stream_ && !writing_) pump();
}

template <class Stream>
void Connection<Stream>::keepalive() {
  if (!active_stream_ || writing_ || !keepalive_due(std::chrono::steady_clock::now())) return;
  out_ = ": keepalive\n\n";  // short: no allocation
  write_out();
}

template <class Stream>
void Connection<Stream>::pump() {
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

template <class Stream>
void Connection<Stream>::write_out() {
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
template <class Stream>
void Connection<Stream>::write_last_chunk() {
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

template <class Stream>
void Connection<Stream>::end_long_stream() {
  auto es = release_long_stream();
  end_stream(*es, EndReason::kPeerGone);
  finish();
}

// Ends a long-lived stream from a plain handler: what its end callback throws is logged here
// (the coroutine's catch no longer surrounds it), not thrown into the io_context.
template <class Stream>
void Connection<Stream>::end_stream(EventStream& es, EndReason reason) noexcept {
  try {
    es.end(reason);
  } catch (const std::exception& e) {
    spdlog::error("connection {}: unexpected error: {}", remote_, e.what());
  }
}

// Exactly once per long-lived stream: nothing wakes, pumps or ticks it after this.
template <class Stream>
std::shared_ptr<EventStream> Connection<Stream>::release_long_stream() {
  auto es = std::move(active_stream_);
  es->set_waker(nullptr);
  long_open_.store(false, std::memory_order_relaxed);
  state_->stream_ended();
  return es;
}

// The members other files call (the connection's coroutine and the ticker's vtable entry); the
// rest are instantiated from these.
template void Connection<beast::tcp_stream>::keepalive_tick(std::chrono::steady_clock::time_point);
template void Connection<beast::tcp_stream>::start_long_stream(std::shared_ptr<EventStream>, bool);
template void Connection<TlsStream>::keepalive_tick(std::chrono::steady_clock::time_point);
template void Connection<TlsStream>::start_long_stream(std::shared_ptr<EventStream>, bool);

}  // namespace appsignals::net

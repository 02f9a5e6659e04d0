// The connection's coroutine (Connection<Stream>, declared in http_server_internal.h): TLS
// handshake, reading requests, running the handler, writing replies, and request-scoped streams
// (a POST answered with SSE). Long-lived streams continue in http_stream.cc.
#include <boost/asio/post.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include <exception>
#include <tuple>

#include "common/log_context.h"
#include "net/http_server_internal.h"
#include "net/request_id.h"

namespace appsignals::net {

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

}  // namespace

template <class Stream>
void Connection<Stream>::shutdown() {
  // Hop onto the connection's strand: all state is touched there only.
  asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->do_shutdown(); });
}

template <class Stream>
awaitable<void> Connection<Stream>::run(std::shared_ptr<Connection> self) {
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

template <class Stream>
void Connection<Stream>::do_shutdown() {
  shutting_down_ = true;
  if (active_stream_) {
    // Long-lived streams end now; a request's own stream ends when its response is written.
    if (active_stream_long_lived_) active_stream_->close();
  } else if (!busy_) {
    error_code ec;
    lowest(stream_).socket().cancel(ec);
  }
}

template <class Stream>
void Connection<Stream>::close_socket() {
  error_code ec;
  lowest(stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
  lowest(stream_).socket().close(ec);
}

template <class Stream>
void Connection<Stream>::finish() {
  close_socket();
  state_->remove(id_);
}

// Reads one request and runs the handler on it. Empty when the connection must close (the
// error reply, if any, has been written).
template <class Stream>
awaitable<std::optional<Reply>> Connection<Stream>::read_and_handle(bool first, unsigned& version,
                                                                    bool& keep_alive, bool& head_request) {
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

template <class Stream>
awaitable<void> Connection<Stream>::write_simple(Response res) {
  // Replies to requests that could not be read whole get a fresh id.
  if (res.find(kRequestIdHeader) == res.end()) res.set(kRequestIdHeader, mint_request_id());
  state_->observe(http::verb::unknown, res.result_int());
  res.keep_alive(false);
  res.prepare_payload();
  lowest(stream_).expires_after(state_->limits.write_timeout);
  co_await http::async_write(stream_, res, kTuple);
}

// Writes one chunk (or raw bytes for HTTP/1.0). False on failure.
template <class Stream>
awaitable<bool> Connection<Stream>::write_chunk(std::string_view data, bool chunked) {
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
template <class Stream>
awaitable<bool> Connection<Stream>::write_stream_head(http::response<http::empty_body>& head) {
  http::response_serializer<http::empty_body> sz(head);
  lowest(stream_).expires_after(state_->limits.write_timeout);
  auto [ec, n] = co_await http::async_write_header(stream_, sz, kTuple);
  lowest(stream_).expires_never();
  co_return !ec;
}

template <class Stream>
void Connection<Stream>::prepare_stream_head(http::response<http::empty_body>& head, unsigned version, bool keep_alive_after) {
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

// Streams server-sent events until the producer closes the stream, the peer goes away or the
// server shuts down; returns true if the connection can serve another request. Request-scoped
// streams only (a POST answered with SSE); long-lived ones run on start_long_stream.
template <class Stream>
awaitable<bool> Connection<Stream>::run_stream(StreamReply& sr, unsigned version, bool keep_alive_after) {
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

template class Connection<beast::tcp_stream>;
template class Connection<TlsStream>;

}  // namespace appsignals::net

#pragma once
// TlsStream: the server side of a TLS connection over a beast::tcp_stream, holding no buffers
// while idle.
//
// Why not asio::ssl::stream: it keeps four 17 KiB buffers per connection for its whole life (two
// in its BIO pair, two in stream_core), so 3,000 idle TLS connections cost ~200 MB. Here OpenSSL
// reads and writes memory through a BIO of ours (tls_stream.cc): network input is read when an
// operation needs it, handed to OpenSSL and freed once consumed; encrypted output lives only
// until it is written. With SSL_MODE_RELEASE_BUFFERS (load_tls_context sets it) OpenSSL frees its
// own record buffers when they are empty, and the SSL object itself is created only when the
// client's first bytes arrive. An idle connection then holds the SSL object and the socket only:
// ~15 KiB after a TLS 1.3 handshake, of which ~14.4 KiB is OpenSSL 3.0's SSL object itself
// (tls_stream_test measures it; `make bench`, row idle_tls, measures RSS). While data moves, a
// connection holds at most one record of ciphertext out and ~17 KiB of input.
//
// Contract (what http_server.cc needs of an ssl_stream, and no more):
//   - async_handshake(server, token) -> void(error_code); async_read_some / async_write_some with
//     the usual AsyncReadStream / AsyncWriteStream semantics (never completing inside the
//     initiating call); next_layer() is the tcp_stream, so beast::get_lowest_layer, its
//     expires_after timeouts and socket().cancel() work as with beast::ssl_stream.
//   - At most one read and one write (or one handshake) in flight at a time, on the stream's
//     executor (a strand). A read and a write may be in flight together: output a read produces
//     (a TLS 1.3 KeyUpdate reply) is sent with the next write; more than 16 KiB of it fails the
//     read (no_buffer_space), so a peer cannot make it grow. Alerts a failed read produces are
//     not sent: the connection is closed.
//   - The peer closing without close_notify gives asio::ssl::error::stream_truncated; a
//     close_notify gives asio::error::eof. No close_notify is sent: connections end by closing
//     the socket, as before.
//   - The asio::ssl::context must outlive the stream (the SSL_CTX is up-referenced anyway).
#include <array>
#include <cstddef>
#include <string>

#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace appsignals::net {

namespace detail {

// std::string's inline capacity (no heap memory below it) in libstdc++.
inline constexpr std::size_t kInlineString = 15;

// The OpenSSL side: one SSL object reading from `in_` and writing to `out_` through a BIO of ours.
class TlsEngine {
 public:
  enum class Status { kDone, kWantInput, kClosed, kError };
  struct Outcome {
    Status status = Status::kError;
    std::size_t bytes = 0;
    boost::system::error_code ec;
  };

  explicit TlsEngine(SSL_CTX* ctx);
  ~TlsEngine();
  TlsEngine(const TlsEngine&) = delete;
  TlsEngine& operator=(const TlsEngine&) = delete;

  Outcome handshake();
  Outcome read(void* data, std::size_t size);
  Outcome write(const void* data, std::size_t size);

  // Network input: `data` first, then whatever else the socket has ready (without blocking).
  void feed(const char* data, std::size_t size, boost::asio::ip::tcp::socket& socket);
  bool has_output() const { return !out_.empty(); }
  std::size_t pending_output() const { return out_.size(); }
  std::string take_output();
  // Bytes this engine holds outside OpenSSL (pending input, unsent output): 0 when idle.
  std::size_t held_bytes() const {
    return (in_.capacity() > kInlineString ? in_.capacity() : 0) + (out_.capacity() > kInlineString ? out_.capacity() : 0);
  }
  bool started() const { return ssl_ != nullptr; }

 private:
  friend struct TlsBio;
  Outcome finish(int rc);
  bool start();

  SSL_CTX* ctx_;
  SSL* ssl_ = nullptr;
  std::string in_;
  std::size_t in_pos_ = 0;
  std::string out_;
};

// The first non-empty buffer of a sequence (an empty buffer if there is none).
template <class Buffers, class Buffer>
Buffer first_buffer(const Buffers& buffers) {
  for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers);
       ++it) {
    Buffer b(*it);
    if (b.size() != 0) return b;
  }
  return Buffer{};
}

// Plaintext gathered from a buffer sequence for one SSL_write (thread-local scratch: SSL_write
// encrypts synchronously, so it is needed only during the call).
std::array<char, 16384>& write_scratch();

}  // namespace detail

class TlsStream {
 public:
  using next_layer_type = boost::beast::tcp_stream;
  using executor_type = next_layer_type::executor_type;

  TlsStream(boost::asio::ip::tcp::socket&& socket, boost::asio::ssl::context& ctx);
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  executor_type get_executor() noexcept { return next_.get_executor(); }
  next_layer_type& next_layer() noexcept { return next_; }
  const next_layer_type& next_layer() const noexcept { return next_; }
  // Buffers held outside OpenSSL; 0 between operations (tests use it).
  std::size_t held_bytes() const {
    const std::size_t out = inflight_out_.capacity() > kInlineString ? inflight_out_.capacity() : 0;
    return engine_.held_bytes() + out;
  }
  bool ssl_started() const { return engine_.started(); }

  template <class Token>
  auto async_handshake(boost::asio::ssl::stream_base::handshake_type, Token&& token) {
    return boost::asio::async_compose<Token, void(boost::system::error_code)>(HandshakeOp{*this}, token, next_);
  }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return boost::asio::async_compose<Token, void(boost::system::error_code, std::size_t)>(
        ReadOp<MutableBuffers>{*this, buffers}, token, next_);
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return boost::asio::async_compose<Token, void(boost::system::error_code, std::size_t)>(
        WriteOp<ConstBuffers>{*this, buffers}, token, next_);
  }

 private:
  using error_code = boost::system::error_code;
  using Status = detail::TlsEngine::Status;
  static constexpr std::size_t kInlineString = detail::kInlineString;

  // The peer's end of the byte stream, as an ssl::stream reports it.
  static error_code input_error(const error_code& ec) {
    return ec == boost::asio::error::eof ? error_code(boost::asio::ssl::error::stream_truncated) : ec;
  }

  template <class Self>
  void read_network(Self& self) {
    next_.async_read_some(boost::asio::buffer(wire_in_), std::move(self));
  }

  // Completion that must not run inside the initiating function: posted.
  template <class Self>
  void deliver_later(Self& self) {
    boost::asio::post(next_.get_executor(), std::move(self));
  }

  struct HandshakeOp {
    TlsStream& s;
    enum class State { kStart, kRead, kWrite, kFlushError, kDeliver } state = State::kStart;
    error_code result{};

    template <class Self>
    void operator()(Self& self, error_code ec = {}, std::size_t n = 0) {
      switch (state) {
        case State::kStart:
          // The SSL object is created when the client's first bytes arrive (see the header).
          state = State::kRead;
          return s.read_network(self);
        case State::kRead:
          if (ec) return self.complete(input_error(ec));
          s.engine_.feed(s.wire_in_.data(), n, s.next_.socket());
          break;
        case State::kWrite:
          std::string().swap(s.inflight_out_);
          if (ec) return self.complete(ec);
          break;
        case State::kFlushError:
          std::string().swap(s.inflight_out_);
          return self.complete(result);
        case State::kDeliver:
          return self.complete(result);
      }
      auto r = s.engine_.handshake();
      if (s.engine_.has_output()) {
        // Handshake messages (or an alert before failing) go out first.
        s.inflight_out_ = s.engine_.take_output();
        if (r.status == Status::kError || r.status == Status::kClosed) {
          result = r.status == Status::kError ? r.ec : error_code(boost::asio::ssl::error::stream_truncated);
          state = State::kFlushError;
        } else {
          state = State::kWrite;  // then step again: done, or wanting the client's answer
        }
        boost::asio::async_write(s.next_, boost::asio::buffer(s.inflight_out_), std::move(self));
        return;
      }
      switch (r.status) {
        case Status::kDone:
          return self.complete(error_code{});
        case Status::kWantInput:
          state = State::kRead;
          return s.read_network(self);
        case Status::kClosed:
          return self.complete(error_code(boost::asio::ssl::error::stream_truncated));
        case Status::kError:
          return self.complete(r.ec);
      }
    }
  };

  template <class Buffers>
  struct ReadOp {
    TlsStream& s;
    Buffers buffers;
    enum class State { kStart, kRead, kDeliver } state = State::kStart;
    error_code result{};
    std::size_t bytes = 0;

    template <class Self>
    void operator()(Self& self, error_code ec = {}, std::size_t n = 0) {
      switch (state) {
        case State::kStart:
          break;
        case State::kRead:
          if (ec) return self.complete(input_error(ec), 0);
          s.engine_.feed(s.wire_in_.data(), n, s.next_.socket());
          break;
        case State::kDeliver:
          return self.complete(result, bytes);
      }
      auto buf = detail::first_buffer<Buffers, boost::asio::mutable_buffer>(buffers);
      if (buf.size() == 0) return finish(self, {}, 0);
      auto r = s.engine_.read(buf.data(), buf.size());
      // What OpenSSL writes while reading (a KeyUpdate reply, an alert) waits for the next
      // write, since a read must not write beside one in flight. A client that makes it pile up
      // (KeyUpdates, while the server writes nothing) loses the connection.
      if (s.engine_.pending_output() > kMaxOutputDuringReads)
        return finish(self, boost::asio::error::no_buffer_space, 0);
      switch (r.status) {
        case Status::kDone:
          return finish(self, {}, r.bytes);
        case Status::kWantInput:
          state = State::kRead;
          return s.read_network(self);
        case Status::kClosed:
          return finish(self, boost::asio::error::eof, 0);
        case Status::kError:
          return finish(self, r.ec, 0);
      }
    }

    template <class Self>
    void finish(Self& self, error_code ec, std::size_t n) {
      if (state == State::kStart) {  // nothing was awaited: complete through the executor
        state = State::kDeliver;
        result = ec;
        bytes = n;
        return s.deliver_later(self);
      }
      self.complete(ec, n);
    }
  };

  template <class Buffers>
  struct WriteOp {
    TlsStream& s;
    Buffers buffers;
    enum class State { kStart, kWrite, kDeliver } state = State::kStart;
    error_code result{};
    std::size_t bytes = 0;

    template <class Self>
    void operator()(Self& self, error_code ec = {}, std::size_t = 0) {
      switch (state) {
        case State::kStart:
          break;
        case State::kWrite:
          std::string().swap(s.inflight_out_);
          return self.complete(ec, ec ? 0 : bytes);
        case State::kDeliver:
          return self.complete(result, bytes);
      }
      const std::size_t total = boost::asio::buffer_size(buffers);
      auto first = detail::first_buffer<Buffers, boost::asio::const_buffer>(buffers);
      const void* data = first.data();
      std::size_t size = first.size();
      auto& scratch = detail::write_scratch();
      if (size < total && size < scratch.size()) {
        // Several small pieces (a chunk header, the data, CRLF): one record, not three.
        size = boost::asio::buffer_copy(boost::asio::buffer(scratch), buffers);
        data = scratch.data();
      } else if (size > kMaxPlaintextPerWrite) {
        size = kMaxPlaintextPerWrite;
      }
      if (size == 0) return deliver(self, {}, 0);
      auto r = s.engine_.write(data, size);
      if (r.status != Status::kDone)
        return deliver(self, r.status == Status::kError ? r.ec : error_code(boost::asio::error::broken_pipe), 0);
      bytes = r.bytes;
      s.inflight_out_ = s.engine_.take_output();
      state = State::kWrite;
      boost::asio::async_write(s.next_, boost::asio::buffer(s.inflight_out_), std::move(self));
    }

    template <class Self>
    void deliver(Self& self, error_code ec, std::size_t n) {
      state = State::kDeliver;
      result = ec;
      bytes = n;
      s.deliver_later(self);
    }
  };

  // Output produced by reads that may wait for the next write.
  static constexpr std::size_t kMaxOutputDuringReads = 16 * 1024;
  // Plaintext encrypted per write (one full record): bounds the ciphertext a connection holds
  // while it is written to ~16.4 KiB.
  static constexpr std::size_t kMaxPlaintextPerWrite = 16 * 1024;

  next_layer_type next_;
  detail::TlsEngine engine_;
  std::string inflight_out_;         // ciphertext being written (handshake or write op)
  std::array<char, 64> wire_in_{};   // each network read lands here first; the rest is drained
};

}  // namespace appsignals::net

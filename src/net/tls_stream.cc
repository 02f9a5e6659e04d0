#include "net/tls_stream.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include <boost/asio/ssl/error.hpp>

namespace appsignals::net {

namespace detail {

namespace {

// Network input drained per read beyond the first bytes (a full record with its overhead):
// bounds the input a connection holds.
constexpr std::size_t kMaxDrain = 17 * 1024;

}  // namespace

// The BIO OpenSSL reads and writes: memory of the engine, never the socket.
struct TlsBio {
  static TlsEngine& engine(BIO* b) { return *static_cast<TlsEngine*>(BIO_get_data(b)); }

  static int read(BIO* b, char* out, int len) {
    BIO_clear_retry_flags(b);
    auto& e = engine(b);
    const std::size_t avail = e.in_.size() - e.in_pos_;
    if (avail == 0) {
      BIO_set_retry_read(b);
      return -1;
    }
    const std::size_t n = std::min<std::size_t>(avail, static_cast<std::size_t>(std::max(len, 0)));
    std::memcpy(out, e.in_.data() + e.in_pos_, n);
    e.in_pos_ += n;
    if (e.in_pos_ == e.in_.size()) {  // all consumed: give the memory back
      std::string().swap(e.in_);
      e.in_pos_ = 0;
    }
    return static_cast<int>(n);
  }

  static int write(BIO* b, const char* data, int len) {
    BIO_clear_retry_flags(b);
    if (len <= 0) return 0;
    engine(b).out_.append(data, static_cast<std::size_t>(len));
    return len;
  }

  static long ctrl(BIO*, int cmd, long, void*) {
    switch (cmd) {
      case BIO_CTRL_FLUSH:
        return 1;
      default:
        return 0;
    }
  }

  static const BIO_METHOD* method() {
    static const BIO_METHOD* m = [] {
      BIO_METHOD* meth = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "appsignals-tls-memory");
      if (meth == nullptr) return static_cast<BIO_METHOD*>(nullptr);
      BIO_meth_set_write(meth, &TlsBio::write);
      BIO_meth_set_read(meth, &TlsBio::read);
      BIO_meth_set_ctrl(meth, &TlsBio::ctrl);
      return meth;
    }();
    return m;
  }
};

TlsEngine::TlsEngine(SSL_CTX* ctx) : ctx_(ctx) { SSL_CTX_up_ref(ctx_); }

TlsEngine::~TlsEngine() {
  if (ssl_ != nullptr) SSL_free(ssl_);  // frees the BIO too
  SSL_CTX_free(ctx_);
}

bool TlsEngine::start() {
  if (ssl_ != nullptr) return true;
  const BIO_METHOD* meth = TlsBio::method();
  if (meth == nullptr) return false;
  SSL* ssl = SSL_new(ctx_);
  if (ssl == nullptr) return false;
  BIO* bio = BIO_new(meth);
  if (bio == nullptr) {
    SSL_free(ssl);
    return false;
  }
  BIO_set_data(bio, this);
  BIO_set_init(bio, 1);
  SSL_set_bio(ssl, bio, bio);  // one reference, owned by the SSL object
  SSL_set_accept_state(ssl);
  ssl_ = ssl;
  return true;
}

TlsEngine::Outcome TlsEngine::finish(int rc) {
  Outcome o;
  if (rc > 0) {
    o.status = Status::kDone;
    return o;
  }
  switch (SSL_get_error(ssl_, rc)) {
    case SSL_ERROR_WANT_READ:
      o.status = Status::kWantInput;
      break;
    case SSL_ERROR_ZERO_RETURN:
      o.status = Status::kClosed;
      break;
    case SSL_ERROR_SSL: {
      o.status = Status::kError;
      unsigned long err = ERR_peek_last_error();
      o.ec = boost::system::error_code(static_cast<int>(err), boost::asio::error::get_ssl_category());
      if (err == 0) o.ec = boost::asio::ssl::error::unspecified_system_error;
      break;
    }
    default:  // WANT_WRITE cannot happen (our BIO takes every byte); SYSCALL: no socket here
      o.status = Status::kError;
      o.ec = boost::asio::ssl::error::unspecified_system_error;
      break;
  }
  ERR_clear_error();
  return o;
}

TlsEngine::Outcome TlsEngine::handshake() {
  if (!start()) {
    ERR_clear_error();
    return {Status::kError, 0, boost::system::errc::make_error_code(boost::system::errc::not_enough_memory)};
  }
  ERR_clear_error();
  return finish(SSL_do_handshake(ssl_));
}

TlsEngine::Outcome TlsEngine::read(void* data, std::size_t size) {
  if (ssl_ == nullptr) return {Status::kError, 0, boost::asio::ssl::error::unspecified_system_error};
  ERR_clear_error();
  std::size_t n = 0;
  Outcome o = finish(SSL_read_ex(ssl_, data, size, &n));
  o.bytes = n;
  return o;
}

TlsEngine::Outcome TlsEngine::write(const void* data, std::size_t size) {
  if (ssl_ == nullptr) return {Status::kError, 0, boost::asio::ssl::error::unspecified_system_error};
  ERR_clear_error();
  std::size_t n = 0;
  Outcome o = finish(SSL_write_ex(ssl_, data, size, &n));
  o.bytes = n;
  return o;
}

void TlsEngine::feed(const char* data, std::size_t size, boost::asio::ip::tcp::socket& socket) {
  if (in_pos_ > 0) {  // keep `in_` a plain queue: drop what OpenSSL has consumed
    in_.erase(0, in_pos_);
    in_pos_ = 0;
  }
  boost::system::error_code ec;
  std::size_t ready = socket.available(ec);
  if (ec) ready = 0;
  ready = std::min(ready, kMaxDrain);
  const std::size_t old = in_.size();
  in_.resize(old + size + ready);
  std::memcpy(in_.data() + old, data, size);
  std::size_t got = 0;
  if (ready > 0) {
    // The socket is non-blocking (TlsStream's constructor): at most what is ready now. An error
    // here is seen again by the next asynchronous read.
    got = socket.read_some(boost::asio::buffer(in_.data() + old + size, ready), ec);
    if (ec) got = 0;
  }
  in_.resize(old + size + got);
}

std::string TlsEngine::take_output() {
  std::string out;
  out.swap(out_);
  return out;
}

std::array<char, 16384>& write_scratch() {
  thread_local std::array<char, 16384> scratch;
  return scratch;
}

}  // namespace detail

TlsStream::TlsStream(boost::asio::ip::tcp::socket&& socket, boost::asio::ssl::context& ctx)
    : next_(std::move(socket)), engine_(ctx.native_handle()) {
  boost::system::error_code ec;
  next_.socket().non_blocking(true, ec);  // lets feed() drain without ever blocking
}

}  // namespace appsignals::net

// TlsStream against a real OpenSSL client (asio::ssl::stream, synchronous, on the test thread)
// on loopback, with a certificate made by gen-cert. The server side runs on an io_context thread.
#include "net/tls_stream.h"

#include <malloc.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <iostream>
#include <string>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/error.hpp>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include "app/gen_cert.h"
#include "net/tls_context.h"
#include "sanitizers/sanitizers.h"

namespace appsignals::net {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using asio::ip::tcp;
using boost::system::error_code;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::string pattern(std::size_t n, char seed) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>(seed + i * 7 % 251);
  return s;
}

class TlsStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/tls_stream_test_XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    auto cert = app::generate_self_signed_cert({.dns_name = "localhost", .out_dir = dir_.string()});
    ASSERT_TRUE(cert.ok());
    auto ctx = load_tls_context(cert->cert_path, cert->key_path);
    ASSERT_TRUE(ctx.ok()) << ctx.error().message;
    server_ctx_ = *ctx;
    client_ctx_.set_verify_mode(asio::ssl::verify_none);

    tcp::acceptor acceptor(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    client_.next_layer().connect(acceptor.local_endpoint());
    tcp::socket accepted(asio::make_strand(ioc_));
    acceptor.accept(accepted);
    server_.emplace(std::move(accepted), *server_ctx_);
    work_.emplace(asio::make_work_guard(ioc_));
    thread_ = std::thread([this] { ioc_.run(); });
  }

  void TearDown() override {
    // The stream is touched on its executor only.
    asio::post(server_->get_executor(), asio::use_future([this] { server_.reset(); })).get();
    work_.reset();
    thread_.join();
    fs::remove_all(dir_);
  }

  // Runs `op` (a coroutine on the server stream) and returns its future.
  template <class T, class F>
  std::future<T> spawn(F op) {
    return asio::co_spawn(server_->get_executor(), op(*server_), asio::use_future);
  }

  std::future<error_code> server_handshake() {
    return spawn<error_code>([](TlsStream& s) -> asio::awaitable<error_code> {
      auto [ec] = co_await s.async_handshake(asio::ssl::stream_base::server, kTuple);
      co_return ec;
    });
  }

  // Coroutines take what they need as parameters (a capturing coroutine lambda would dangle).
  static asio::awaitable<std::pair<error_code, std::string>> read_exactly(TlsStream& s, std::size_t n) {
    std::string data(n, '\0');
    auto [ec, got] = co_await asio::async_read(s, asio::buffer(data), kTuple);
    data.resize(got);
    co_return std::make_pair(ec, std::move(data));
  }

  static asio::awaitable<error_code> write_all(TlsStream& s, std::string data) {
    auto [ec, n] = co_await asio::async_write(s, asio::buffer(data), kTuple);
    co_return ec;
  }

  std::future<std::pair<error_code, std::string>> server_read(std::size_t n) {
    return asio::co_spawn(server_->get_executor(), read_exactly(*server_, n), asio::use_future);
  }

  std::future<error_code> server_write(std::string data) {
    return asio::co_spawn(server_->get_executor(), write_all(*server_, std::move(data)), asio::use_future);
  }

  void handshake_both() {
    auto server = server_handshake();
    client_.handshake(asio::ssl::stream_base::client);
    ASSERT_FALSE(server.get());
  }

  std::size_t held_bytes() {
    return asio::post(server_->get_executor(), asio::use_future([this] { return server_->held_bytes(); })).get();
  }

  fs::path dir_;
  std::shared_ptr<asio::ssl::context> server_ctx_;
  asio::ssl::context client_ctx_{asio::ssl::context::tls_client};
  asio::io_context ioc_;
  asio::io_context client_ioc_;
  asio::ssl::stream<tcp::socket> client_{client_ioc_, client_ctx_};
  std::optional<TlsStream> server_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
};

TEST_F(TlsStreamTest, HandshakeAndDataBothWays) {
  handshake_both();
  auto read = server_read(5);
  asio::write(client_, asio::buffer(std::string("hello")));
  auto [ec, got] = read.get();
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(got, "hello");

  auto write = server_write("world");
  std::string reply(5, '\0');
  asio::read(client_, asio::buffer(reply));
  EXPECT_FALSE(write.get());
  EXPECT_EQ(reply, "world");
}

// Many records each way (larger than one record and than one drain), bytes intact.
TEST_F(TlsStreamTest, LargeTransfersArriveIntact) {
  handshake_both();
  const std::string up = pattern(1 << 20, 'a');
  auto read = server_read(up.size());
  std::thread sender([&] { asio::write(client_, asio::buffer(up)); });
  auto [ec, got] = read.get();
  sender.join();
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_TRUE(got == up);

  const std::string down = pattern((1 << 20) + 12345, 'k');
  auto write = server_write(down);
  std::string reply(down.size(), '\0');
  asio::read(client_, asio::buffer(reply));
  EXPECT_FALSE(write.get());
  EXPECT_TRUE(reply == down);
}

// Several small buffers in one write (a chunk header, data, CRLF) arrive in order.
TEST_F(TlsStreamTest, GathersBufferSequences) {
  handshake_both();
  auto write = spawn<error_code>([](TlsStream& s) -> asio::awaitable<error_code> {
    std::string a = "5\r\n", b = "hello", c = "\r\n";
    std::array<asio::const_buffer, 3> bufs;
    bufs[0] = asio::buffer(a);
    bufs[1] = asio::buffer(b);
    bufs[2] = asio::buffer(c);
    auto [ec, n] = co_await asio::async_write(s, bufs, kTuple);
    co_return ec;
  });
  std::string reply(10, '\0');
  asio::read(client_, asio::buffer(reply));
  EXPECT_FALSE(write.get());
  EXPECT_EQ(reply, "5\r\nhello\r\n");
}

// Issue #20 finding 5: nothing is held outside OpenSSL between requests, and no SSL object
// exists before the client has sent a byte.
TEST_F(TlsStreamTest, HoldsNoBuffersWhenIdle) {
  EXPECT_FALSE(asio::post(server_->get_executor(), asio::use_future([this] { return server_->ssl_started(); })).get());
  handshake_both();
  EXPECT_EQ(held_bytes(), 0u);
  auto read = server_read(64 * 1024);
  asio::write(client_, asio::buffer(pattern(64 * 1024, 'x')));
  ASSERT_FALSE(read.get().first);
  auto write = server_write(pattern(200 * 1024, 'y'));
  std::string reply(200 * 1024, '\0');
  asio::read(client_, asio::buffer(reply));
  ASSERT_FALSE(write.get());
  EXPECT_EQ(held_bytes(), 0u);
}

// The SSE pattern: a read waits for the peer while the server writes.
TEST_F(TlsStreamTest, WritesWhileAReadIsPending) {
  handshake_both();
  auto read = server_read(1);
  const std::string down = pattern(300 * 1024, 'q');
  auto write = server_write(down);
  std::string reply(down.size(), '\0');
  asio::read(client_, asio::buffer(reply));
  EXPECT_FALSE(write.get());
  EXPECT_TRUE(reply == down);
  asio::write(client_, asio::buffer(std::string("!")));
  auto [ec, got] = read.get();
  EXPECT_FALSE(ec);
  EXPECT_EQ(got, "!");
}

TEST_F(TlsStreamTest, CloseNotifyIsEndOfFile) {
  handshake_both();
  auto read = server_read(1);
  // The client sends close_notify, then waits for ours: the server closing its socket ends that.
  std::thread closer([this] {
    error_code ec;
    client_.shutdown(ec);
  });
  auto [rec, got] = read.get();
  asio::post(server_->get_executor(), asio::use_future([this] {
    error_code ec;
    server_->next_layer().socket().close(ec);
  })).get();
  closer.join();
  EXPECT_EQ(rec, asio::error::eof) << rec.message();
}

TEST_F(TlsStreamTest, AbruptCloseIsTruncation) {
  handshake_both();
  // The client reads something first, and with it the session tickets: closing a socket with
  // unread input would send a reset, not the end of the stream.
  auto write = server_write("x");
  char c = 0;
  asio::read(client_, asio::buffer(&c, 1));
  ASSERT_FALSE(write.get());
  auto read = server_read(1);
  client_.next_layer().close();
  auto [ec, got] = read.get();
  EXPECT_EQ(ec, asio::ssl::error::stream_truncated) << ec.message();
}

// Review finding: each TLS 1.3 KeyUpdate(update_requested) makes OpenSSL write a reply while
// reading; with the server writing nothing, the replies must not pile up without bound.
TEST_F(TlsStreamTest, KeyUpdatesWhileTheServerOnlyReadsEndTheConnection) {
  handshake_both();
  ASSERT_EQ(SSL_version(client_.native_handle()), TLS1_3_VERSION);
  auto reads = spawn<error_code>([](TlsStream& s) -> asio::awaitable<error_code> {
    char c = 0;
    for (int i = 0; i < 100000; ++i) {
      auto [ec, n] = co_await s.async_read_some(asio::buffer(&c, 1), kTuple);
      if (ec) co_return ec;
    }
    co_return error_code{};
  });
  for (int i = 0; i < 5000 && reads.wait_for(std::chrono::seconds(0)) != std::future_status::ready; ++i) {
    ASSERT_EQ(SSL_key_update(client_.native_handle(), SSL_KEY_UPDATE_REQUESTED), 1);
    error_code ec;
    asio::write(client_, asio::buffer("k", 1), ec);  // sends the KeyUpdate, then one byte
    if (ec) break;
  }
  EXPECT_EQ(reads.get(), asio::error::no_buffer_space);
}

TEST_F(TlsStreamTest, PlainHttpIsAHandshakeError) {
  auto server = server_handshake();
  asio::write(client_.next_layer(), asio::buffer(std::string("GET / HTTP/1.1\r\nHost: x\r\n\r\n")));
  auto ec = server.get();
  EXPECT_TRUE(ec);
  EXPECT_NE(ec, asio::ssl::error::stream_truncated);
}

TEST_F(TlsStreamTest, GarbageAfterHandshakeIsAReadError) {
  handshake_both();
  auto read = server_read(1);
  asio::write(client_.next_layer(), asio::buffer(std::string(64, '\x17')));
  auto [ec, got] = read.get();
  EXPECT_TRUE(ec);
  EXPECT_TRUE(got.empty());
}

// Timeouts of the lowest layer apply to the stream's reads (the server's header deadline).
TEST_F(TlsStreamTest, LowestLayerDeadlineEndsAWaitingRead) {
  handshake_both();
  auto read = spawn<error_code>([](TlsStream& s) -> asio::awaitable<error_code> {
    s.next_layer().expires_after(std::chrono::milliseconds(50));
    char c;
    auto [ec, n] = co_await s.async_read_some(asio::buffer(&c, 1), kTuple);
    co_return ec;
  });
  EXPECT_EQ(read.get(), boost::beast::error::timeout);
}

TEST_F(TlsStreamTest, CancelEndsAWaitingHandshake) {
  auto server = server_handshake();
  asio::post(server_->get_executor(), [this] {
    error_code ec;
    server_->next_layer().socket().cancel(ec);
  });
  EXPECT_EQ(server.get(), asio::error::operation_aborted);
}

// Issue #20 finding 5: what an idle TLS connection (after its handshake and a request each way)
// costs on the server, measured as the heap freed when the server's streams are destroyed while
// their clients stay connected. asio::ssl::stream held ~83 KiB (four 17 KiB buffers and the SSL
// object). The floor is OpenSSL 3.0's own SSL object: 8.5 KiB at SSL_new, ~14.4 KiB after a
// TLS 1.3 handshake (measured with OpenSSL alone); the stream adds what it holds besides.

TEST(TlsStreamMemory, IdleConnectionHoldsLittleMoreThanOpenSslsObject) {
  if (appsignals::testing::kUnderSanitizer) GTEST_SKIP() << "sanitizers replace malloc: mallinfo2 does not see the heap";
  char tmpl[] = "/tmp/tls_stream_mem_XXXXXX";
  fs::path dir = ::mkdtemp(tmpl);
  auto cert = app::generate_self_signed_cert({.dns_name = "localhost", .out_dir = dir.string()});
  ASSERT_TRUE(cert.ok());
  auto server_ctx = load_tls_context(cert->cert_path, cert->key_path);
  ASSERT_TRUE(server_ctx.ok());
  asio::ssl::context client_ctx(asio::ssl::context::tls_client);
  client_ctx.set_verify_mode(asio::ssl::verify_none);

  asio::io_context ioc, client_ioc;
  auto work = asio::make_work_guard(ioc);
  std::thread runner([&] { ioc.run(); });
  tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  constexpr int kConnections = 100;
  std::vector<std::unique_ptr<asio::ssl::stream<tcp::socket>>> clients;
  std::vector<std::unique_ptr<TlsStream>> servers;
  for (int i = 0; i < kConnections; ++i) {
    auto client = std::make_unique<asio::ssl::stream<tcp::socket>>(client_ioc, client_ctx);
    client->next_layer().connect(acceptor.local_endpoint());
    tcp::socket accepted(asio::make_strand(ioc));
    acceptor.accept(accepted);
    auto server = std::make_unique<TlsStream>(std::move(accepted), **server_ctx);
    auto done = asio::co_spawn(
        server->get_executor(),
        [](TlsStream& s) -> asio::awaitable<error_code> {
          auto [ec] = co_await s.async_handshake(asio::ssl::stream_base::server, kTuple);
          if (ec) co_return ec;
          std::string request(1024, '\0');
          auto [rec, rn] = co_await asio::async_read(s, asio::buffer(request), kTuple);
          if (rec) co_return rec;
          std::string reply(4096, 'r');
          auto [wec, wn] = co_await asio::async_write(s, asio::buffer(reply), kTuple);
          co_return wec;
        }(*server),
        asio::use_future);
    client->handshake(asio::ssl::stream_base::client);
    asio::write(*client, asio::buffer(std::string(1024, 'q')));
    std::string reply(4096, '\0');
    asio::read(*client, asio::buffer(reply));
    ASSERT_FALSE(done.get());
    clients.push_back(std::move(client));
    servers.push_back(std::move(server));
  }
  auto heap_in_use = [] {
    struct mallinfo2 mi = ::mallinfo2();
    return static_cast<long>(mi.uordblks + mi.hblkhd);
  };
  const long before = heap_in_use();
  asio::post(ioc, asio::use_future([&] { servers.clear(); })).get();
  const long after = heap_in_use();
  const long per_connection = (before - after) / kConnections;
  EXPECT_LE(per_connection, 16 * 1024) << "bytes held per idle TLS connection";
  EXPECT_GT(per_connection, 0);
  RecordProperty("bytes_per_idle_tls_connection", static_cast<int>(per_connection));
  std::cout << "server heap per idle TLS connection: " << per_connection << " bytes\n";
  work.reset();
  runner.join();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace appsignals::net

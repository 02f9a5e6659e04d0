// CurlHttpClient's response-size cap: a body over the request's (or client's) cap aborts the
// transfer with kFailedPrecondition / "ResponseTooLarge", whether the server declares its
// length (Content-Length) or streams it chunked without one.
#include "aws/http/curl_http_client.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include <atomic>
#include <string>
#include <thread>

#include "test_http_server.h"

namespace appsignals::aws {
namespace {

using test::TestHttpServer;
using test::TestRequest;
using test::TestResponse;
namespace asio = boost::asio;

constexpr std::size_t kMiB = 1024 * 1024;

// Answers one connection with a chunked body of `chunks` x 64 KiB and no Content-Length; stops
// writing (bounded) as soon as the client goes away.
class ChunkedServer {
 public:
  explicit ChunkedServer(int chunks)
      : acceptor_(ioc_, {asio::ip::make_address("127.0.0.1"), 0}), chunks_(chunks) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
  }
  ~ChunkedServer() { thread_.join(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/big"; }
  int chunks_written() const { return written_.load(); }

 private:
  void serve() {
    asio::ip::tcp::socket s(ioc_);
    boost::system::error_code ec;
    acceptor_.accept(s, ec);
    if (ec) return;
    std::string head;
    asio::read_until(s, asio::dynamic_buffer(head), "\r\n\r\n", ec);
    if (ec) return;
    std::string reply = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    asio::write(s, asio::buffer(reply), ec);
    const std::string chunk = "10000\r\n" + std::string(64 * 1024, 'x') + "\r\n";
    for (int i = 0; i < chunks_ && !ec; ++i) {
      asio::write(s, asio::buffer(chunk), ec);
      if (!ec) ++written_;
    }
    if (!ec) asio::write(s, asio::buffer(std::string("0\r\n\r\n")), ec);
    s.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  }

  asio::io_context ioc_;
  asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  int chunks_;
  std::atomic<int> written_{0};
  std::thread thread_;
};

TEST(CurlHttpClientSizeCap, DeclaredContentLengthOverTheClientCapIsRefused) {
  TestHttpServer server([](const TestRequest&) { return TestResponse::json(200, std::string(2 * kMiB, 'a')); });
  asio::io_context ioc;
  CurlHttpClient::Options options;
  options.max_response_bytes = 1 * kMiB;
  CurlHttpClient client(ioc.get_executor(), options);
  HttpRequest req;
  req.url = server.url("/secret-path?token=abc");
  auto res = test::run_sync(ioc, client.send(req));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(res.error().details, "ResponseTooLarge");
  EXPECT_NE(res.error().message.find("1048576-byte limit"), std::string::npos) << res.error().message;
  EXPECT_NE(res.error().message.find(server.url()), std::string::npos) << res.error().message;
  EXPECT_EQ(res.error().message.find("token"), std::string::npos) << "the origin only: " << res.error().message;

  // The same body under a per-request cap that allows it; and the client works on.
  req.max_response_bytes = 4 * kMiB;
  auto ok = test::run_sync(ioc, client.send(req));
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(ok->body.size(), 2 * kMiB);
}

TEST(CurlHttpClientSizeCap, ChunkedBodyIsAbortedOnceItPassesTheCap) {
  ChunkedServer server(64);  // 4 MiB if nobody stops it
  asio::io_context ioc;
  CurlHttpClient client(ioc.get_executor());
  HttpRequest req;
  req.url = server.url();
  req.max_response_bytes = 256 * 1024;
  auto res = test::run_sync(ioc, client.send(req));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(res.error().details, "ResponseTooLarge");
  EXPECT_NE(res.error().message.find("262144-byte limit"), std::string::npos) << res.error().message;
}

TEST(CurlHttpClientSizeCap, BodyAtTheCapIsAccepted) {
  TestHttpServer server([](const TestRequest&) { return TestResponse::json(200, std::string(1000, 'a')); });
  asio::io_context ioc;
  CurlHttpClient client(ioc.get_executor());
  HttpRequest req;
  req.url = server.url("/");
  req.max_response_bytes = 1000;
  auto res = test::run_sync(ioc, client.send(req));
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(res->body.size(), 1000u);
}

TEST(CurlHttpClientSizeCap, DefaultCapIsSixteenMiB) {
  CurlHttpClient::Options options;
  EXPECT_EQ(options.max_response_bytes, 16 * kMiB);
}

}  // namespace
}  // namespace appsignals::aws

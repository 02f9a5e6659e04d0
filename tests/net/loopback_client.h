#pragma once
// Test helpers for code that serves HTTP on a real loopback listener: an io_context run by a
// background thread, and a small blocking HTTP/1.1 client. Every client operation carries a
// deadline (beast::tcp_stream timeouts on a private io_context), so a server that never answers
// fails the test instead of hanging it.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace appsignals::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;
using tcp = asio::ip::tcp;

inline constexpr std::chrono::seconds kIoTimeout{10};

// An io_context with a work guard, run by one background thread between start() and stop().
class IoThread {
 public:
  IoThread() : guard_(asio::make_work_guard(ioc_)) {}
  ~IoThread() { stop(); }
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

  asio::io_context& ioc() { return ioc_; }
  void start() {
    thread_ = std::thread([this] { ioc_.run(); });
  }
  // Stops the loop and joins the thread. Idempotent.
  void stop() {
    guard_.reset();
    ioc_.stop();
    if (thread_.joinable()) thread_.join();
  }

 private:
  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::thread thread_;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

inline http::request<http::string_body> make_request(http::verb method, std::string target,
                                                     std::uint16_t port, std::string body = {},
                                                     const Headers& headers = {}) {
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

// One client connection. Not thread-safe; used from the test thread only.
class Client {
 public:
  explicit Client(std::uint16_t port) : stream_(ioc_) {
    stream_.expires_after(kIoTimeout);
    stream_.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                          [this](error_code ec) { connect_error_ = ec; });
    run();
  }

  error_code connect_error() const { return connect_error_; }

  error_code write(const http::request<http::string_body>& req) {
    error_code out;
    stream_.expires_after(kIoTimeout);
    http::async_write(stream_, req, [&out](error_code ec, std::size_t) { out = ec; });
    run();
    return out;
  }

  error_code write_raw(std::string_view bytes) {
    error_code out;
    stream_.expires_after(kIoTimeout);
    asio::async_write(stream_, asio::buffer(bytes.data(), bytes.size()),
                      [&out](error_code ec, std::size_t) { out = ec; });
    run();
    return out;
  }

  // Reads one complete response (chunked bodies are decoded).
  http::response<http::string_body> read(error_code* ec_out = nullptr) {
    http::response<http::string_body> res;
    error_code out;
    stream_.expires_after(kIoTimeout);
    http::async_read(stream_, buffer_, res, [&out](error_code ec, std::size_t) { out = ec; });
    run();
    if (ec_out) *ec_out = out;
    return res;
  }

  http::response<http::string_body> send(const http::request<http::string_body>& req,
                                         error_code* ec_out = nullptr) {
    if (auto ec = write(req)) {
      if (ec_out) *ec_out = ec;
      return {};
    }
    return read(ec_out);
  }

  // Raw bytes up to and including `delim` (a buffer separate from read()'s). Empty on failure.
  std::string read_raw_until(std::string_view delim, error_code* ec_out = nullptr) {
    error_code out;
    std::size_t n = 0;
    stream_.expires_after(kIoTimeout);
    asio::async_read_until(stream_, asio::dynamic_buffer(raw_), std::string(delim),
                           [&](error_code ec, std::size_t len) {
                             out = ec;
                             n = len;
                           });
    run();
    if (ec_out) *ec_out = out;
    if (out) return {};
    std::string head = raw_.substr(0, n);
    raw_.erase(0, n);
    return head;
  }

  // True when the server closes the connection (EOF or reset) before the deadline.
  bool closed_by_peer(std::chrono::milliseconds deadline = kIoTimeout) {
    char byte = 0;
    error_code out;
    stream_.expires_after(deadline);
    stream_.async_read_some(asio::buffer(&byte, 1), [&out](error_code ec, std::size_t) { out = ec; });
    run();
    return out == asio::error::eof || out == asio::error::connection_reset;
  }

  void close() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

 private:
  void run() {
    ioc_.restart();
    ioc_.run();
  }

  asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string raw_;
  error_code connect_error_;
};

}  // namespace appsignals::testing

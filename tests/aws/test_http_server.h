#pragma once
// A loopback HTTP/1.1 server for tests (Beast, port 0, its own io_context thread). Each
// request is answered by a handler that may also reset the connection or never answer.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace appsignals::aws::test {

struct TestRequest {
  std::string method;
  std::string target;  // path?query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string header(std::string_view name) const {
    for (const auto& [n, v] : headers)
      if (boost::beast::iequals(n, name)) return v;
    return {};
  }
};

struct TestResponse {
  enum class Action { kRespond, kReset, kHang };
  Action action = Action::kRespond;
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  static TestResponse reset() { return {Action::kReset, 0, {}, {}}; }
  static TestResponse hang() { return {Action::kHang, 0, {}, {}}; }
  static TestResponse json(int status, std::string body,
                           std::vector<std::pair<std::string, std::string>> headers = {}) {
    headers.emplace_back("Content-Type", "application/json");
    return {Action::kRespond, status, std::move(headers), std::move(body)};
  }
};

class TestHttpServer {
 public:
  using Handler = std::function<TestResponse(const TestRequest&)>;

  // With gate_count > 0, no response is written until gate_count requests have arrived (proves
  // that a client has that many requests in flight at once).
  explicit TestHttpServer(Handler handler, int gate_count = 0)
      : handler_(std::move(handler)),
        acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}),
        gate_(ioc_, std::chrono::steady_clock::time_point::max()),
        gate_count_(gate_count) {
    port_ = acceptor_.local_endpoint().port();
    boost::asio::co_spawn(ioc_, accept_loop(), boost::asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~TestHttpServer() {
    ioc_.stop();
    thread_.join();
  }
  unsigned short port() const { return port_; }
  std::string url(std::string_view path = "") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  int connections() const { return connections_.load(); }
  int requests() const { return requests_.load(); }
  std::vector<TestRequest> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  boost::asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, sock] = co_await acceptor_.async_accept(boost::asio::as_tuple(boost::asio::use_awaitable));
      if (ec) co_return;
      ++connections_;
      boost::asio::co_spawn(ioc_, session(std::move(sock)), boost::asio::detached);
    }
  }

  boost::asio::awaitable<void> session(boost::asio::ip::tcp::socket sock) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buf;
    for (;;) {
      http::request<http::string_body> req;
      auto [ec, n] = co_await http::async_read(sock, buf, req, boost::asio::as_tuple(boost::asio::use_awaitable));
      if (ec) co_return;
      TestRequest tr;
      tr.method = std::string(req.method_string());
      tr.target = std::string(req.target());
      for (const auto& f : req) tr.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
      tr.body = req.body();
      if (++requests_ == gate_count_) gate_.cancel();
      if (gate_count_ > 0 && requests_.load() < gate_count_)
        co_await gate_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
      {
        std::lock_guard lock(mu_);
        seen_.push_back(tr);
      }
      TestResponse r = handler_(tr);
      if (r.action == TestResponse::Action::kReset) {
        boost::system::error_code ignored;
        sock.set_option(boost::asio::socket_base::linger(true, 0), ignored);
        sock.close(ignored);
        co_return;
      }
      if (r.action == TestResponse::Action::kHang) {
        boost::asio::steady_timer t(ioc_, std::chrono::hours(1));
        co_await t.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
        co_return;
      }
      http::response<http::string_body> res{static_cast<http::status>(r.status), req.version()};
      for (const auto& [k, v] : r.headers) res.set(k, v);
      res.body() = r.body;
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      auto [wec, wn] = co_await http::async_write(sock, res, boost::asio::as_tuple(boost::asio::use_awaitable));
      if (wec || !req.keep_alive()) co_return;
    }
  }

  Handler handler_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  boost::asio::steady_timer gate_;
  int gate_count_ = 0;
  std::thread thread_;
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  std::mutex mu_;
  std::vector<TestRequest> seen_;
};

// Runs `coro` to completion on a fresh single-threaded io_context and returns its result.
// (Wrapped in std::optional because co_spawn needs a default-constructible result and
// Result<T> has none.)
template <typename T>
boost::asio::awaitable<std::optional<T>> as_optional(boost::asio::awaitable<T> coro) {
  co_return co_await std::move(coro);
}

template <typename T>
T run_sync(boost::asio::io_context& ioc, boost::asio::awaitable<T> coro) {
  std::optional<T> out;
  boost::asio::co_spawn(ioc, as_optional(std::move(coro)), [&](std::exception_ptr e, std::optional<T> v) {
    if (e) std::rethrow_exception(e);
    out = std::move(v);
  });
  ioc.restart();
  ioc.run();
  return std::move(*out);
}

}  // namespace appsignals::aws::test

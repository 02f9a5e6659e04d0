// Fault soak (issue #20): 20,000 tool calls from 64 concurrent clients against `appsignals-mcp
// serve` while the fake AWS throttles, fails with 500/503, resets connections, truncates and
// garbles bodies and answers slowly. Every call must be answered (a result, possibly isError),
// the server must stay up, its RSS after the soak stays within 1.2x of before, and it holds no
// more descriptors than before once the clients are gone. Label `soak` (ctest -L soak).
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "subprocess.h"
#include "sanitizers/sanitizers.h"

namespace appsignals::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr int kClients = 64;
// SOAK_CALLS overrides the count (for a quick look while developing).
const int kCalls = std::getenv("SOAK_CALLS") ? std::atoi(std::getenv("SOAK_CALLS")) : 20'000;
constexpr int kWarmup = 640;

long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

long fd_count(pid_t pid) {
  std::error_code ec;
  long n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++n;
  return ec ? -1 : n;
}

std::string control_request(const std::string& method, const std::string& path, const std::string& body) {
  return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         "Connection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

void control(int port, const std::string& method, const std::string& path, const std::string& body) {
  asio::io_context ioc;
  tcp::socket s(ioc);
  s.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  asio::write(s, asio::buffer(control_request(method, path, body)));
  boost::system::error_code ec;
  std::string out;
  asio::read(s, asio::dynamic_buffer(out), ec);
}

// One MCP client: a keep-alive connection, one session, blocking calls with a receive timeout.
class McpClient {
 public:
  explicit McpClient(int port) : socket_(ioc_) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    timeval tv{60, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  // The response body, or "" on a transport failure.
  std::string post(const std::string& body) {
    http::request<http::string_body> req{http::verb::post, "/mcp", 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, "application/json");
    req.set(http::field::accept, "application/json");
    if (!session_.empty()) {
      req.set("Mcp-Session-Id", session_);
      req.set("MCP-Protocol-Version", "2025-06-18");
    }
    req.body() = body;
    req.prepare_payload();
    boost::system::error_code ec;
    http::write(socket_, req, ec);
    if (ec) return {};
    http::response<http::string_body> res;
    http::read(socket_, buffer_, res, ec);
    if (ec) return {};
    if (session_.empty()) session_ = std::string(res["Mcp-Session-Id"]);
    return res.body();
  }
  bool initialize() {
    auto r = post(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",)"
                  R"("capabilities":{},"clientInfo":{"name":"soak","version":"1"}}})");
    if (session_.empty()) return false;
    post(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
    return true;
  }

 private:
  asio::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
  std::string session_;
};

struct Tally {
  std::atomic<int> results{0};    // "result" without isError
  std::atomic<int> tool_errors{0};  // isError results
  std::atomic<int> unanswered{0};  // no JSON-RPC result at all
};

// Runs `calls` tool calls spread over kClients concurrent clients.
void run_calls(int port, int calls, Tally& tally) {
  std::vector<std::thread> threads;
  std::atomic<int> next{0};
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, port] {
      McpClient c(port);
      if (!c.initialize()) {
        for (int i = next.fetch_add(1); i < calls; i = next.fetch_add(1)) ++tally.unanswered;
        return;
      }
      const std::string call = R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":)"
                               R"({"name":"list_monitored_services","arguments":{}}})";
      for (int i = next.fetch_add(1); i < calls; i = next.fetch_add(1)) {
        auto body = c.post(call);
        if (body.find(R"("result")") == std::string::npos) {
          ++tally.unanswered;
          if (tally.unanswered < 5) ADD_FAILURE() << "unanswered call: '" << body.substr(0, 300) << "'";
        } else if (body.find(R"("isError":true)") != std::string::npos) {
          ++tally.tool_errors;
        } else {
          ++tally.results;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
}

// The server's descriptors settle once it has closed the clients' connections: wait (bounded)
// for the count to come back to `baseline`.
long settled_fds(pid_t pid, long baseline) {
  long n = fd_count(pid);
  for (int i = 0; i < 100 && n > baseline; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    n = fd_count(pid);
  }
  return n;
}

TEST(Soak, TwentyThousandCallsUnderInjectedFaults) {
  Subprocess fake(bin_path("appsignals-mcp"), {"fakeaws", "--port", "0"});
  auto fake_port = fake.wait_for(R"(export AWS_ENDPOINT_URL=http://127\.0\.0\.1:(\d+))");
  ASSERT_TRUE(fake_port) << fake.output();
  std::map<std::string, std::string> env;
  for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}) {
    auto v = fake.wait_for(std::string("export ") + name + "=(\\S+)");
    ASSERT_TRUE(v) << fake.output();
    env[name] = *v;
  }
  std::thread fake_drain([&fake] { fake.drain(); });
  env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:" + *fake_port;
  env["AWS_REGION"] = "us-east-1";
  env["AWS_MAX_ATTEMPTS"] = "2";

  Subprocess server(bin_path("appsignals-mcp"), {"serve", "--host", "127.0.0.1", "--port", "0"},
                    env);
  auto port_text = server.wait_for(R"(listening on http://127\.0\.0\.1:(\d+))");
  ASSERT_TRUE(port_text) << server.output();
  const int port = std::stoi(*port_text);
  std::thread server_drain([&server] { server.drain(); });

  // Warm-up without faults: connection pools, allocator arenas, caches.
  const long fds_at_start = fd_count(server.pid());
  Tally warm;
  std::fprintf(stderr, "soak: warm-up\n");
  run_calls(port, kWarmup, warm);
  std::fprintf(stderr, "soak: warm-up done: %d results, %d isError, %d unanswered\n", warm.results.load(),
               warm.tool_errors.load(), warm.unanswered.load());
  EXPECT_EQ(warm.unanswered, 0);
  const long fds_before = settled_fds(server.pid(), fds_at_start);
  const long rss_before = rss_kib(server.pid());
  ASSERT_GT(rss_before, 0);

  const int fake_port_n = std::stoi(*fake_port);
  const char* faults[] = {
      R"({"operation":"*","fault":"throttle","count":-1,"every":7})",
      R"({"operation":"*","fault":"500","count":-1,"every":11})",
      R"({"operation":"*","fault":"503","count":-1,"every":13})",
      R"({"operation":"*","fault":"reset","count":-1,"every":17})",
      R"({"operation":"*","fault":"truncate","count":-1,"every":19})",
      R"({"operation":"*","fault":"malformed","count":-1,"every":23})",
      R"({"operation":"*","fault":"latency","latency_ms":150,"count":-1,"every":29})",
  };
  for (const char* f : faults) control(fake_port_n, "POST", "/__fault", f);

  Tally soak;
  run_calls(port, kCalls, soak);
  control(fake_port_n, "DELETE", "/__faults", "");

  EXPECT_EQ(soak.unanswered, 0);
  EXPECT_EQ(soak.results + soak.tool_errors, kCalls);
  EXPECT_GT(soak.tool_errors, 0) << "the faults did not reach the tools";
  EXPECT_GT(soak.results, 0);
  ASSERT_EQ(::kill(server.pid(), 0), 0) << "the server died";
  const long rss_after = rss_kib(server.pid());
  const long fds_after = settled_fds(server.pid(), fds_before);
  RecordProperty("rss_before_kib", static_cast<int>(rss_before));
  RecordProperty("rss_after_kib", static_cast<int>(rss_after));
  RecordProperty("tool_errors", soak.tool_errors.load());
  std::printf("soak: %d results, %d isError; RSS %ld -> %ld KiB; fds %ld at start, %ld after warm-up, %ld after\n",
              soak.results.load(), soak.tool_errors.load(), rss_before, rss_after, fds_at_start, fds_before, fds_after);
  if (!appsignals::testing::kUnderSanitizer) {
    EXPECT_LE(rss_after * 10, rss_before * 12) << "RSS grew beyond 1.2x: " << rss_before << " -> " << rss_after << " KiB";
  }
  EXPECT_LE(fds_after, fds_before) << "descriptors leaked";

  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);
  server_drain.join();
  fake.signal(SIGTERM);
  fake.wait();
  fake_drain.join();
}

}  // namespace
}  // namespace appsignals::testing

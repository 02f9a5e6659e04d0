// The stdio transport on pipe pairs and on a regular file (the reader-thread path).
#include "mcp/stdio_transport.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <sstream>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "mcp/content.h"

namespace appsignals::mcp {
namespace {

namespace asio = boost::asio;

std::shared_ptr<Registry> test_registry() {
  auto registry = std::make_shared<Registry>();
  ToolDef echo;
  echo.name = "echo";
  echo.description = "Echoes its text argument";
  echo.input_schema = json::object{{"type", "object"}};
  echo.handler = [](RequestContext&, json::object args) -> asio::awaitable<ToolResult> {
    co_return ToolResult::text(std::string(args["text"].as_string()));
  };
  registry->add_tool(std::move(echo));
  ToolDef slow;
  slow.name = "slow";
  slow.description = "Answers after 50 ms";
  slow.input_schema = json::object{{"type", "object"}};
  slow.handler = [](RequestContext&, json::object) -> asio::awaitable<ToolResult> {
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
    co_await timer.async_wait(asio::use_awaitable);
    co_return ToolResult::text("done");
  };
  registry->add_tool(std::move(slow));
  return registry;
}

ServerInfo info() { return ServerInfo{"test-server", "", "1.0", "", "", ""}; }

void write_all(int fd, const std::string& text) {
  std::string_view rest = text;
  while (!rest.empty()) {
    ssize_t n = ::write(fd, rest.data(), rest.size());
    ASSERT_GT(n, 0);
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

std::vector<json::object> parse_lines(const std::string& text) {
  std::vector<json::object> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    EXPECT_NE(nl, std::string::npos) << "output must end each message with a newline";
    if (nl == std::string::npos) break;
    out.push_back(boost::json::parse(text.substr(pos, nl - pos)).as_object());
    pos = nl + 1;
  }
  return out;
}

const json::object* by_id(const std::vector<json::object>& messages, std::int64_t id) {
  for (auto& m : messages)
    if (auto it = m.find("id"); it != m.end() && it->value().is_int64() && it->value().as_int64() == id) return &m;
  return nullptr;
}

constexpr const char* kSession =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"0"}}})"
    "\n"
    R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
    "\r\n"
    "\n"
    R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})"
    "\n"
    "this is not json\n"
    R"({"jsonrpc":"2.0","id":3})"
    "\n"
    R"({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"slow","arguments":{}}})"
    "\n"
    // The last line has no newline: EOF ends it.
    R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo","arguments":{"text":"bye"}}})";

void check_session_output(const std::string& output) {
  auto messages = parse_lines(output);
  ASSERT_EQ(messages.size(), 6u) << output;

  auto* init = by_id(messages, 1);
  ASSERT_TRUE(init);
  EXPECT_EQ(init->at("result").as_object().at("protocolVersion").as_string(), "2025-06-18");
  auto* list = by_id(messages, 2);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->at("result").as_object().at("tools").as_array().size(), 2u);
  auto* invalid = by_id(messages, 3);
  ASSERT_TRUE(invalid);
  EXPECT_EQ(invalid->at("error").as_object().at("code").as_int64(), -32600);
  auto* slow = by_id(messages, 4);
  ASSERT_TRUE(slow) << "in-flight requests finish before the transport returns";
  auto* echo = by_id(messages, 5);
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->at("result").as_object().at("content").as_array()[0].as_object().at("text").as_string(), "bye");

  int parse_errors = 0;
  for (auto& m : messages) {
    if (m.contains("id")) continue;
    ++parse_errors;
    EXPECT_EQ(m.at("error").as_object().at("code").as_int64(), -32700);
  }
  EXPECT_EQ(parse_errors, 1);
}

TEST(StdioTransport, ServesPipeUntilEofAndReturnsZero) {
  int in[2], out[2];
  ASSERT_EQ(::pipe(in), 0);
  ASSERT_EQ(::pipe(out), 0);
  int rc = -1;
  std::thread server([&] {
    StdioOptions options;
    options.in_fd = in[0];
    options.out_fd = out[1];
    rc = run_stdio(test_registry(), info(), options);
  });
  // The reader drains stdout concurrently so the server never waits on a full pipe.
  std::string output;
  std::thread reader([&] { output = read_all(out[0]); });
  write_all(in[1], kSession);
  ::close(in[1]);
  server.join();
  ::close(out[1]);
  reader.join();
  ::close(in[0]);
  ::close(out[0]);

  EXPECT_EQ(rc, 0);
  check_session_output(output);
}

TEST(StdioTransport, ReadsRegularFileOnAThread) {
  char in_path[] = "/tmp/stdio_in_XXXXXX";
  int in_fd = ::mkstemp(in_path);
  ASSERT_GE(in_fd, 0);
  write_all(in_fd, kSession);
  ASSERT_EQ(::lseek(in_fd, 0, SEEK_SET), 0);
  char out_path[] = "/tmp/stdio_out_XXXXXX";
  int out_fd = ::mkstemp(out_path);
  ASSERT_GE(out_fd, 0);

  StdioOptions options;
  options.in_fd = in_fd;
  options.out_fd = out_fd;
  options.threads = 1;
  EXPECT_EQ(run_stdio(test_registry(), info(), options), 0);

  ASSERT_EQ(::lseek(out_fd, 0, SEEK_SET), 0);
  check_session_output(read_all(out_fd));
  ::close(in_fd);
  ::close(out_fd);
  ::unlink(in_path);
  ::unlink(out_path);
}

TEST(StdioTransport, OverlongLineIsAnsweredAndSkipped) {
  int in[2], out[2];
  ASSERT_EQ(::pipe(in), 0);
  ASSERT_EQ(::pipe(out), 0);
  int rc = -1;
  std::thread server([&] {
    StdioOptions options;
    options.in_fd = in[0];
    options.out_fd = out[1];
    options.max_line_bytes = 64;
    rc = run_stdio(test_registry(), info(), options);
  });
  std::string output;
  std::thread reader([&] { output = read_all(out[0]); });
  write_all(in[1], std::string(200, 'x') + "\n" + R"({"jsonrpc":"2.0","id":9,"method":"ping"})" + "\n");
  ::close(in[1]);
  server.join();
  ::close(out[1]);
  reader.join();
  ::close(in[0]);
  ::close(out[0]);

  EXPECT_EQ(rc, 0);
  auto messages = parse_lines(output);
  ASSERT_EQ(messages.size(), 2u) << output;
  EXPECT_TRUE(by_id(messages, 9));
}

TEST(StdioTransport, ClosedOutputIsNotFatal) {
  int in[2], out[2];
  ASSERT_EQ(::pipe(in), 0);
  ASSERT_EQ(::pipe(out), 0);
  ::close(out[0]);  // nobody reads: writes fail with EPIPE, never SIGPIPE
  int rc = -1;
  std::thread server([&] {
    StdioOptions options;
    options.in_fd = in[0];
    options.out_fd = out[1];
    rc = run_stdio(test_registry(), info(), options);
  });
  write_all(in[1], R"({"jsonrpc":"2.0","id":1,"method":"ping"})" "\n");
  ::close(in[1]);
  server.join();
  ::close(out[1]);
  ::close(in[0]);
  EXPECT_EQ(rc, 0);
}

}  // namespace
}  // namespace appsignals::mcp

namespace appsignals::mcp {
namespace {

// A 2026-07-28 client on stdio: no initialize, every request classified on its own.
TEST(StdioTransport, ModernRequestsAreServedPerMessageBesideHandshakeOnes) {
  int in[2], out[2];
  ASSERT_EQ(::pipe(in), 0);
  ASSERT_EQ(::pipe(out), 0);
  int rc = -1;
  std::thread server([&] {
    StdioOptions options;
    options.in_fd = in[0];
    options.out_fd = out[1];
    rc = run_stdio(test_registry(), info(), options);
  });
  std::string output;
  std::thread reader([&] { output = read_all(out[0]); });
  const std::string meta =
      R"("_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}})";
  std::string input = R"({"jsonrpc":"2.0","id":1,"method":"server/discover","params":{)" + meta + "}}\n" +
                      R"({"jsonrpc":"2.0","id":2,"method":"tools/list","params":{)" + meta + "}}\n" +
                      R"({"jsonrpc":"2.0","id":3,"method":"ping","params":{)" + meta + "}}\n" +
                      R"({"jsonrpc":"2.0","id":4,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}})" + "\n";
  write_all(in[1], input);
  ::close(in[1]);
  server.join();
  ::close(out[1]);
  reader.join();
  ::close(in[0]);
  ::close(out[0]);
  EXPECT_EQ(rc, 0);

  std::map<std::int64_t, json::object> by_id;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    auto v = json::parse(line).as_object();
    if (v.contains("id")) by_id[v.at("id").as_int64()] = v;
  }
  ASSERT_EQ(by_id.size(), 4u) << output;
  EXPECT_EQ(by_id[1].at("result").at("supportedVersions").at(0), "2026-07-28");
  EXPECT_EQ(by_id[2].at("result").at("resultType"), "complete");
  EXPECT_TRUE(by_id[2].at("result").as_object().contains("ttlMs"));
  EXPECT_EQ(by_id[3].at("error").at("code"), -32601);  // ping is gone in 2026-07-28
  EXPECT_EQ(by_id[4].at("error").at("code"), -32602);  // clientCapabilities missing
}

}  // namespace
}  // namespace appsignals::mcp

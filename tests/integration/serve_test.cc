// The real `appsignals-mcp` and `mcp-conformance-server` binaries on loopback: start-up
// configuration errors and graceful shutdown.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <map>
#include <string>

#include "subprocess.h"

namespace appsignals::testing {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

constexpr const char* kListening = R"(listening on http://127\.0\.0\.1:(\d+))";

// A blocking HTTP/1.1 client on one connection, enough to drive the server step by step.
class RawClient {
 public:
  explicit RawClient(int port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  }
  void send(const std::string& text) { asio::write(socket_, asio::buffer(text)); }
  // Reads until `marker` appears; returns everything read so far (and keeps it).
  std::string read_until(const std::string& marker) {
    boost::system::error_code ec;
    asio::read_until(socket_, buf_, marker, ec);
    return text();
  }
  // Reads until the server closes the connection.
  std::string read_to_eof() {
    boost::system::error_code ec;
    asio::read(socket_, buf_, ec);
    return text();
  }
  std::string text() const {
    auto data = buf_.data();
    return std::string(asio::buffers_begin(data), asio::buffers_end(data));
  }

 private:
  asio::io_context ioc_;
  tcp::socket socket_;
  asio::streambuf buf_;
};

std::string post(const std::string& path, const std::string& body, const std::string& extra_headers = {}) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         "Accept: application/json, text/event-stream\r\n" + extra_headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string header_value(const std::string& response, const std::string& name) {
  auto pos = response.find(name + ": ");
  if (pos == std::string::npos) return {};
  auto start = pos + name.size() + 2;
  return response.substr(start, response.find("\r\n", start) - start);
}

TEST(Serve, InvalidPortIsAStartupErrorNamingTheVariable) {
  Subprocess p(bin_path("appsignals-mcp"), {"serve"}, {{"MCP_PORT", "70000"}});
  ASSERT_TRUE(p.started());
  EXPECT_NE(p.wait(), 0);
  EXPECT_NE(p.drain().find("MCP_PORT"), std::string::npos) << p.output();
}

TEST(Serve, UnknownLogLevelIsAStartupErrorNamingTheVariable) {
  Subprocess p(bin_path("appsignals-mcp"), {"serve", "--port", "0"},
               {{"MCP_CLOUDWATCH_APPLICATIONSIGNALS_LOG_LEVEL", "LOUD"}});
  ASSERT_TRUE(p.started());
  EXPECT_NE(p.wait(), 0);
  EXPECT_NE(p.drain().find("MCP_CLOUDWATCH_APPLICATIONSIGNALS_LOG_LEVEL"), std::string::npos) << p.output();
}

TEST(Serve, FlagOverridesEnvironment) {
  Subprocess p(bin_path("appsignals-mcp"), {"serve", "--host", "127.0.0.1", "--port", "0"},
               {{"MCP_PORT", "1"}, {"AWS_REGION", "us-east-1"}});
  auto port = p.wait_for(kListening);
  ASSERT_TRUE(port) << p.output();
  EXPECT_NE(*port, "1");
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(), 0);
}

TEST(Serve, SigtermEndsOpenStreamsCleanlyAndExitsZero) {
  Subprocess p(bin_path("appsignals-mcp"), {"serve", "--host", "127.0.0.1", "--port", "0"},
               {{"AWS_REGION", "us-east-1"}});
  auto port = p.wait_for(kListening);
  ASSERT_TRUE(port) << p.output();

  RawClient init(std::stoi(*port));
  init.send(post("/mcp", R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})"));
  auto reply = init.read_until("}}");
  auto session = header_value(reply, "Mcp-Session-Id");
  ASSERT_EQ(session.size(), 32u) << reply;

  // The session's GET stream stays open until the server shuts down.
  RawClient stream(std::stoi(*port));
  stream.send("GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nMcp-Session-Id: " + session +
              "\r\n\r\n");
  auto head = stream.read_until("\r\n\r\n");
  ASSERT_NE(head.find("200 OK"), std::string::npos) << head;
  ASSERT_NE(head.find("text/event-stream"), std::string::npos) << head;

  p.signal(SIGTERM);
  auto all = stream.read_to_eof();
  // The chunked body ends with the last chunk: a clean end, not a reset.
  EXPECT_NE(all.find("\r\n0\r\n\r\n"), std::string::npos) << all;
  EXPECT_EQ(p.wait(), 0);
  EXPECT_NE(p.drain().find("shutting down"), std::string::npos);
}

TEST(Serve, SigtermLetsAnInFlightToolCallFinish) {
  Subprocess p(bin_path("mcp-conformance-server"), {"--port", "0", "--log-level", "INFO"});
  auto port = p.wait_for(kListening);
  ASSERT_TRUE(port) << p.output();

  RawClient c(std::stoi(*port));
  c.send(post("/mcp", R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})"));
  auto session = header_value(c.read_until("}}"), "Mcp-Session-Id");
  ASSERT_FALSE(session.empty());

  RawClient call(std::stoi(*port));
  call.send(post("/mcp",
                 R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"test_tool_with_progress","arguments":{},"_meta":{"progressToken":"p1"}}})",
                 "Mcp-Session-Id: " + session + "\r\n"));
  // The first progress event proves the tool is running; then the server is told to stop.
  call.read_until("notifications/progress");
  p.signal(SIGTERM);
  auto all = call.read_to_eof();
  EXPECT_NE(all.find(R"("id":2,"result")"), std::string::npos) << all;
  EXPECT_EQ(p.wait(), 0);
}

// Issue #20: a hung AWS endpoint no longer holds a tool call for its retries' worth of timeouts:
// MCP_TOOL_TIMEOUT ends the call with an isError that says it timed out.
TEST(Serve, ToolCallAgainstAHungAwsEndpointEndsAtTheToolTimeout) {
  Subprocess fake(bin_path("appsignals-mcp"), {"fakeaws", "--port", "0"});
  auto fake_port = fake.wait_for(R"(export AWS_ENDPOINT_URL=http://127\.0\.0\.1:(\d+))");
  ASSERT_TRUE(fake_port) << fake.output();
  std::map<std::string, std::string> env;
  for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}) {
    auto v = fake.wait_for(std::string("export ") + name + "=(\\S+)");
    ASSERT_TRUE(v) << fake.output();
    env[name] = *v;
  }
  {
    // Every AWS request hangs for ten minutes (far past every timeout in play).
    RawClient control(std::stoi(*fake_port));
    const std::string fault = R"({"operation":"*","fault":"latency","latency_ms":600000,"count":-1})";
    control.send("POST /__fault HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 "Connection: close\r\nContent-Length: " + std::to_string(fault.size()) + "\r\n\r\n" + fault);
    EXPECT_NE(control.read_to_eof().find(" 200 "), std::string::npos) << control.text();
  }
  env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:" + *fake_port;
  env["AWS_REGION"] = "us-east-1";
  env["MCP_TOOL_TIMEOUT"] = "1";
  Subprocess server(bin_path("appsignals-mcp"), {"serve", "--host", "127.0.0.1", "--port", "0"}, env);
  auto port = server.wait_for(kListening);
  ASSERT_TRUE(port) << server.output();

  RawClient c(std::stoi(*port));
  c.send(post("/mcp", R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})"));
  auto session = header_value(c.read_until("}}"), "Mcp-Session-Id");
  ASSERT_FALSE(session.empty()) << c.text();

  RawClient call(std::stoi(*port));
  call.send(post("/mcp", R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_monitored_services","arguments":{}}})",
                 "Mcp-Session-Id: " + session + "\r\n"));
  auto reply = call.read_until("}}");
  EXPECT_NE(reply.find(R"("id":2)"), std::string::npos) << reply;
  EXPECT_NE(reply.find(R"("isError":true)"), std::string::npos) << reply;
  EXPECT_NE(reply.find("timed out"), std::string::npos) << reply;
}

}  // namespace
}  // namespace appsignals::testing

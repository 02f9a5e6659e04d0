// Cluster mode's records in a real redis-server (Debian's, started here): sessions that end on
// an instance end in Redis too, so one principal looping `initialize` cannot grow Redis.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cluster/redis_server.h"
#include "integration/subprocess.h"

namespace appsignals::testing {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

constexpr const char* kListening = R"(listening on http://127\.0\.0\.1:(\d+))";

std::string redis_cli_path() {
  const char* env = std::getenv("REDIS_CLI_BIN");
  return env ? env : "/usr/bin/redis-cli";
}

// One HTTP/1.1 exchange on its own connection (Connection: close); the whole response text.
std::string exchange(int port, const std::string& method, const std::string& body, const std::string& headers = {}) {
  asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  std::string text = method + " /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                     "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n" +
                     headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  asio::write(socket, asio::buffer(text));
  std::string out;
  boost::system::error_code ec;
  asio::read(socket, asio::dynamic_buffer(out), ec);
  return out;
}

std::string header_value(const std::string& response, const std::string& name) {
  auto pos = response.find(name + ": ");
  if (pos == std::string::npos) return {};
  auto start = pos + name.size() + 2;
  return response.substr(start, response.find("\r\n", start) - start);
}

int status_of(const std::string& response) {
  return response.size() > 12 ? std::atoi(response.substr(9, 3).c_str()) : 0;
}

constexpr const char* kInitialize =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})";

// The session records in Redis (redis-cli, Debian package redis-tools beside redis-server).
std::vector<std::string> session_keys(int redis_port) {
  Subprocess cli(redis_cli_path(), {"-h", "127.0.0.1", "-p", std::to_string(redis_port), "--raw", "KEYS",
                                    "appsignals-mcp:session:*"});
  EXPECT_TRUE(cli.started()) << redis_cli_path();
  std::string out = cli.drain();
  EXPECT_EQ(cli.wait(), 0) << out;
  std::vector<std::string> keys;
  std::size_t start = 0;
  while (start < out.size()) {
    auto nl = out.find('\n', start);
    if (nl == std::string::npos) nl = out.size();
    if (nl > start) keys.push_back(out.substr(start, nl - start));
    start = nl + 1;
  }
  return keys;
}

class ClusterRecords : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(redis_.start());
    server_ = std::make_unique<Subprocess>(
        bin_path("appsignals-mcp"), std::vector<std::string>{"serve", "--host", "127.0.0.1", "--port", "0"},
        std::map<std::string, std::string>{{"AWS_REGION", "us-east-1"},
                                           {"MCP_REDIS_URL", "redis://127.0.0.1:" + std::to_string(redis_.port()) + "/0"},
                                           {"MCP_INSTANCE_ID", "inst-records"},
                                           {"MCP_MAX_SESSIONS_PER_KEY", std::to_string(kCap)},
                                           {"MCP_CLOUDWATCH_APPLICATIONSIGNALS_LOG_LEVEL", "INFO"}});
    auto port = server_->wait_for(kListening);
    ASSERT_TRUE(port) << server_->output();
    port_ = std::stoi(*port);
    ASSERT_TRUE(server_->wait_for(R"(Redis .*\(subscriber\) connected)")) << server_->output();
    ASSERT_TRUE(server_->wait_for(R"(Redis .*\(commands\) connected)")) << server_->output();
  }
  void TearDown() override {
    if (server_) {
      server_->signal(SIGTERM);
      EXPECT_EQ(server_->wait(), 0) << server_->output();
    }
  }
  // A new session's id. The first initialize may meet the instance before its first heartbeat
  // was written (503: not yet available); that is retried, a bounded number of times.
  std::string initialize() {
    for (int attempt = 0; attempt < 2000; ++attempt) {
      auto reply = exchange(port_, "POST", kInitialize);
      if (status_of(reply) == 503) continue;
      EXPECT_EQ(status_of(reply), 200) << reply;
      return header_value(reply, "Mcp-Session-Id");
    }
    ADD_FAILURE() << "the instance never became available";
    return {};
  }
  int ping(const std::string& session) {
    return status_of(exchange(port_, "POST", R"({"jsonrpc":"2.0","id":2,"method":"ping"})",
                              "Mcp-Session-Id: " + session + "\r\nMCP-Protocol-Version: 2025-06-18\r\n"));
  }

  static constexpr int kCap = 3;
  RedisServer redis_;
  std::unique_ptr<Subprocess> server_;
  int port_ = 0;
};

TEST_F(ClusterRecords, SessionsEvictedAtThePrincipalCapLeaveNoRecordBehind) {
  EXPECT_TRUE(session_keys(redis_.port()).empty());
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    ids.push_back(initialize());
    ASSERT_EQ(ids.back().size(), 32u);
  }
  // The evicted sessions' records were deleted before the next initialize was answered (one
  // connection to Redis keeps the order of the DEL and the new record's SET).
  auto keys = session_keys(redis_.port());
  EXPECT_EQ(keys.size(), static_cast<std::size_t>(kCap)) << ::testing::PrintToString(keys);
  for (std::size_t i = ids.size() - kCap; i < ids.size(); ++i) {
    EXPECT_NE(std::find(keys.begin(), keys.end(), "appsignals-mcp:session:" + ids[i]), keys.end()) << i;
    EXPECT_EQ(ping(ids[i]), 200) << "a kept session still works";
  }
  EXPECT_EQ(ping(ids.front()), 404) << "an evicted session is over";

  // DELETE removes the record too.
  auto reply = exchange(port_, "DELETE", "", "Mcp-Session-Id: " + ids.back() + "\r\n");
  EXPECT_EQ(status_of(reply), 200) << reply;
  EXPECT_EQ(session_keys(redis_.port()).size(), static_cast<std::size_t>(kCap - 1));
}

}  // namespace
}  // namespace appsignals::testing

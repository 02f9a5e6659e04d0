// Issue #18, AWS profiles per call and per principal, with the real binary: two fake AWS
// accounts (two `appsignals-mcp fakeaws` processes), one profile pointing at each through a
// temporary shared config file (endpoint_url per profile), two API keys mapped to different
// profile sets by MCP_AWS_PROFILE_MAP. Which account a call reached is read from each fake's
// request log.
#include <gtest/gtest.h>

#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "subprocess.h"

namespace appsignals::testing {
namespace {

namespace asio = boost::asio;

constexpr const char* kListening = R"(listening on http://127\.0\.0\.1:(\d+))";
constexpr const char* kKeyA = "profiles-key-alpha-0123456789";
constexpr const char* kKeyB = "profiles-key-bravo-0123456789";

// One HTTP/1.1 exchange on its own connection (Connection: close); the whole reply.
std::string http_exchange(const std::string& port, const std::string& request) {
  asio::io_context ioc;
  asio::ip::tcp::socket s(ioc);
  s.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(std::stoi(port))});
  asio::write(s, asio::buffer(request));
  boost::system::error_code ec;
  std::string out;
  asio::read(s, asio::dynamic_buffer(out), ec);
  return out;
}

std::string header_value(const std::string& response, const std::string& name) {
  auto pos = response.find(name + ": ");
  if (pos == std::string::npos) return {};
  auto start = pos + name.size() + 2;
  return response.substr(start, response.find("\r\n", start) - start);
}

struct Fake {
  Subprocess proc{bin_path("appsignals-mcp"), {"fakeaws", "--port", "0"}};
  std::string port;
  std::string key_id, secret;
  Fake() {
    auto p = proc.wait_for(R"(export AWS_ENDPOINT_URL=http://127\.0\.0\.1:(\d+))");
    if (!p) return;
    port = *p;
    key_id = proc.wait_for("export AWS_ACCESS_KEY_ID=(\\S+)").value_or("");
    secret = proc.wait_for("export AWS_SECRET_ACCESS_KEY=(\\S+)").value_or("");
  }
  ~Fake() {
    proc.signal(SIGTERM);
    proc.wait();
  }
  // How many AWS requests this account has served.
  std::size_t requests() const {
    auto body = http_exchange(port, "GET /__requests HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    std::size_t n = 0;
    for (auto pos = body.find("\"operation\""); pos != std::string::npos; pos = body.find("\"operation\"", pos + 1)) ++n;
    return n;
  }
};

class Profiles : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(a_.port.empty()) << a_.proc.output();
    ASSERT_FALSE(b_.port.empty()) << b_.proc.output();
    config_path_ = ::testing::TempDir() + "profiles_test_config_" + std::to_string(::getpid());
    std::ofstream out(config_path_);
    for (auto [name, fake] : {std::pair<const char*, Fake*>{"acct-a", &a_}, {"acct-b", &b_}})
      out << "[profile " << name << "]\nregion = us-east-1\naws_access_key_id = " << fake->key_id
          << "\naws_secret_access_key = " << fake->secret << "\nendpoint_url = http://127.0.0.1:" << fake->port << "\n\n";
  }
  void TearDown() override { std::remove(config_path_.c_str()); }

  std::map<std::string, std::string> env() const {
    return {{"AWS_REGION", "us-east-1"},
            {"AWS_CONFIG_FILE", config_path_},
            {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"},
            {"AWS_EC2_METADATA_DISABLED", "true"},
            {"AWS_MAX_ATTEMPTS", "1"},
            {"AWS_ENDPOINT_URL", ""},
            {"AWS_ACCESS_KEY_ID", ""},
            {"AWS_SECRET_ACCESS_KEY", ""},
            {"AWS_PROFILE", ""}};
  }

  // POST /mcp with `key`; the reply (head and body).
  static std::string post(const std::string& port, const std::string& key, const std::string& body,
                          const std::string& session = {}) {
    std::string extra = session.empty() ? "" : "Mcp-Session-Id: " + session + "\r\nMCP-Protocol-Version: 2025-06-18\r\n";
    return http_exchange(port, "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                          "Accept: application/json, text/event-stream\r\nConnection: close\r\n" +
                          (key.empty() ? std::string() : "Authorization: Bearer " + key + "\r\n") + extra +
                          "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  }
  static std::string open_session(const std::string& port, const std::string& key) {
    auto reply = post(port, key,
                      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})");
    auto session = header_value(reply, "Mcp-Session-Id");
    post(port, key, R"({"jsonrpc":"2.0","method":"notifications/initialized"})", session);
    return session;
  }
  static std::string call(const std::string& port, const std::string& key, const std::string& session,
                          const std::string& arguments) {
    return post(port, key,
                R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_monitored_services","arguments":)" +
                    arguments + "}}",
                session);
  }

  Fake a_;
  Fake b_;
  std::string config_path_;
};

TEST_F(Profiles, ACallReachesItsProfilesAccountAndAPrincipalLimitedToOneCannotReachTheOther) {
  auto e = env();
  e["MCP_API_KEY"] = std::string(kKeyA) + "," + kKeyB;
  e["MCP_AWS_PROFILES"] = "acct-a,acct-b";
  e["MCP_AWS_PROFILE_MAP"] = "api-key#1 -> acct-a|acct-b; api-key#2 -> acct-b";
  Subprocess server(bin_path("appsignals-mcp"), {"serve", "--host", "127.0.0.1", "--port", "0"}, e);
  auto port = server.wait_for(kListening);
  ASSERT_TRUE(port) << server.output();

  auto sa = open_session(*port, kKeyA);
  ASSERT_EQ(sa.size(), 32u);
  auto list = post(*port, kKeyA, R"({"jsonrpc":"2.0","id":3,"method":"tools/list"})", sa);
  EXPECT_NE(list.find(R"("profile":{"type":"string")"), std::string::npos) << list.substr(0, 2000);
  EXPECT_NE(list.find(R"("enum":["acct-a","acct-b"])"), std::string::npos) << list.substr(0, 2000);

  // Key 1 may use both: each call lands in the account its profile names.
  auto r = call(*port, kKeyA, sa, R"({"profile":"acct-b"})");
  EXPECT_EQ(r.find(R"("isError":true)"), std::string::npos) << r;
  EXPECT_GT(b_.requests(), 0u);
  EXPECT_EQ(a_.requests(), 0u) << "a call for acct-b reached acct-a";
  r = call(*port, kKeyA, sa, R"({"profile":"acct-a"})");
  EXPECT_EQ(r.find(R"("isError":true)"), std::string::npos) << r;
  EXPECT_GT(a_.requests(), 0u);

  // Key 2 is limited to acct-b: acct-a is refused (naming only its own profile), and a call
  // without `profile` uses its default, acct-b.
  const auto a_before = a_.requests();
  const auto b_before = b_.requests();
  auto sb = open_session(*port, kKeyB);
  list = post(*port, kKeyB, R"({"jsonrpc":"2.0","id":3,"method":"tools/list"})", sb);
  EXPECT_NE(list.find(R"("enum":["acct-b"])"), std::string::npos) << list.substr(0, 2000);
  EXPECT_EQ(list.find("acct-a"), std::string::npos) << "tools/list revealed a profile key 2 may not use";
  r = call(*port, kKeyB, sb, R"({"profile":"acct-a"})");
  EXPECT_NE(r.find(R"("isError":true)"), std::string::npos) << r;
  EXPECT_NE(r.find("must be one of: acct-b (got 'acct-a')"), std::string::npos) << r;
  EXPECT_EQ(a_.requests(), a_before);
  r = call(*port, kKeyB, sb, "{}");
  EXPECT_EQ(r.find(R"("isError":true)"), std::string::npos) << r;
  EXPECT_GT(b_.requests(), b_before);
  EXPECT_EQ(a_.requests(), a_before);

  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);
  const auto& log = server.drain();
  EXPECT_EQ(log.find(a_.secret), std::string::npos) << "a secret reached the log";
  EXPECT_NE(log.find("aws: profile acct-b: region us-east-1"), std::string::npos) << log;
}

TEST_F(Profiles, WithoutMcpAwsProfilesNoToolHasAProfileArgument) {
  auto e = env();
  Subprocess server(bin_path("appsignals-mcp"), {"serve", "--host", "127.0.0.1", "--port", "0"}, e);
  auto port = server.wait_for(kListening);
  ASSERT_TRUE(port) << server.output();
  auto s = open_session(*port, "");
  ASSERT_EQ(s.size(), 32u);
  auto list = post(*port, "", R"({"jsonrpc":"2.0","id":3,"method":"tools/list"})", s);
  EXPECT_NE(list.find("list_monitored_services"), std::string::npos) << list.substr(0, 500);
  EXPECT_EQ(list.find(R"("profile")"), std::string::npos);
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);
}

TEST_F(Profiles, AnUnknownProfileIsAStartupErrorNamingItAndTheVariable) {
  auto e = env();
  e["MCP_AWS_PROFILES"] = "acct-a,acct-z";
  Subprocess server(bin_path("appsignals-mcp"), {"serve", "--port", "0"}, e);
  EXPECT_NE(server.wait(), 0);
  const auto& out = server.drain();
  EXPECT_NE(out.find("MCP_AWS_PROFILES: profile 'acct-z' is not in " + config_path_), std::string::npos) << out;
}

// Names are matched in any case, so two that differ only in case are refused at start.
TEST_F(Profiles, ProfilesDifferingOnlyInCaseAreAStartupError) {
  auto e = env();
  e["MCP_AWS_PROFILES"] = "acct-a,ACCT-A";
  Subprocess server(bin_path("appsignals-mcp"), {"serve", "--port", "0"}, e);
  EXPECT_NE(server.wait(), 0);
  const auto& out = server.drain();
  EXPECT_NE(out.find("MCP_AWS_PROFILES: profile 'ACCT-A' is listed twice"), std::string::npos) << out;
}

TEST_F(Profiles, AMapWithoutAuthenticationOrWithAnUnlistedProfileIsAStartupError) {
  auto e = env();
  e["MCP_AWS_PROFILES"] = "acct-a";
  e["MCP_AWS_PROFILE_MAP"] = "* -> acct-a";
  Subprocess no_auth(bin_path("appsignals-mcp"), {"serve", "--port", "0"}, e);
  EXPECT_NE(no_auth.wait(), 0);
  EXPECT_NE(no_auth.drain().find("MCP_AWS_PROFILE_MAP maps principals, so it needs authentication"),
            std::string::npos)
      << no_auth.output();
  e["MCP_API_KEY"] = kKeyA;
  e["MCP_AWS_PROFILE_MAP"] = "api-key -> acct-b";
  Subprocess unlisted(bin_path("appsignals-mcp"), {"serve", "--port", "0"}, e);
  EXPECT_NE(unlisted.wait(), 0);
  EXPECT_NE(unlisted.drain().find("profile 'acct-b' is not in MCP_AWS_PROFILES"), std::string::npos)
      << unlisted.output();
}

TEST_F(Profiles, TheFlagsSetTheProfilesToo) {
  auto e = env();
  Subprocess server(bin_path("appsignals-mcp"), {"serve", "--port", "0", "--aws-profiles", "acct-a, nope"}, e);
  EXPECT_NE(server.wait(), 0);
  EXPECT_NE(server.drain().find("profile 'nope' is not in"), std::string::npos) << server.output();
}

TEST_F(Profiles, CheckChecksEveryListedProfileAndSaysWhichEachLineIsFor) {
  auto e = env();
  e["MCP_AWS_PROFILES"] = "acct-a,acct-b";
  e["MCP_TOOLSETS"] = "services";
  Subprocess check(bin_path("appsignals-mcp"), {"check"}, e);
  const auto& out = check.drain();
  // The server's own credentials are missing here (only the profiles have some): that fails.
  EXPECT_EQ(check.wait(), 1) << out;
  for (const char* profile : {"acct-a", "acct-b"}) {
    const std::string tag = std::string("[profile ") + profile + "] ";
    EXPECT_NE(out.find(tag + "Region:            us-east-1 (from profile " + profile + ")"), std::string::npos) << out;
    EXPECT_NE(out.find(tag + "Credential source: profile " + profile + " (static keys)"), std::string::npos) << out;
    EXPECT_NE(out.find(tag + "  OK      application-signals:ListServices"), std::string::npos) << out;
    EXPECT_NE(out.find(tag + "All checks passed."), std::string::npos) << out;
  }
  EXPECT_GT(a_.requests(), 0u);
  EXPECT_GT(b_.requests(), 0u);
  EXPECT_EQ(out.find(a_.secret), std::string::npos) << "the secret must never be printed";
}

}  // namespace
}  // namespace appsignals::testing

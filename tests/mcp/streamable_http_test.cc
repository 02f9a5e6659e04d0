#include "mcp/streamable_http.h"

#include <gtest/gtest.h>

#include <fstream>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "mcp/test_fixtures.h"
#include "net/authenticator.h"
#include "net/http_server.h"
#include "net/loopback_client.h"
#include "net/router.h"
#include "sanitizers/sanitizers.h"

namespace appsignals::mcp {
namespace {

using appsignals::testing::Client;
using appsignals::testing::Headers;
using appsignals::testing::IoThread;
using appsignals::testing::make_request;
using boost::system::error_code;
using namespace std::chrono_literals;
namespace http = net::http;
using HttpResponse = http::response<http::string_body>;

constexpr std::string_view kKeyA = "streamable-key-a";
constexpr std::string_view kKeyB = "streamable-key-b";

bool is_session_id(std::string_view id) {
  return id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

std::string init_body(std::string_view version) {
  return R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":")" + std::string(version) +
         R"(","capabilities":{},"clientInfo":{"name":"test","version":"0"}}})";
}

class StreamableHttpTest : public ::testing::Test {
 protected:
  // `auth` (with a scope policy and a writing tool) replaces the API keys when given.
  void start(StreamableHttpOptions options = {}, std::vector<std::string> keys = {},
             std::shared_ptr<net::Authenticator> auth = nullptr) {
    auto ex = io_.ioc().get_executor();
    ServerInfo info;
    info.name = "appsignals-mcp";
    info.version = "0.0.0";
    auto registry = testing::make_registry(hooks_);
    if (auth) testing::add_writing_tool(*registry);
    mcp_ = std::make_shared<McpServer>(ex, registry, info);
    if (auth) mcp_->set_scope_policy(ScopePolicy{});
    sessions_ = std::make_shared<SessionStore>(ex, 1h, session_limits_);
    auto router = std::make_shared<net::Router>();
    router->set_origin_policy(net::OriginPolicy::for_bind_address("127.0.0.1"));
    if (!keys.empty()) router->set_authenticator(std::make_shared<net::ApiKeyAuthenticator>(keys));
    if (auth) router->set_authenticator(std::move(auth));
    router->add("/mcp", std::make_shared<StreamableHttpTransport>(mcp_, sessions_, options));
    server_ = std::make_unique<net::HttpServer>(io_.ioc(), router);
    auto port = server_->listen("127.0.0.1", 0);
    ASSERT_TRUE(port.ok());
    port_ = *port;
    server_->start();
    io_.start();
  }

  void TearDown() override {
    if (server_) server_->stop();
    if (sessions_) sessions_->close_all();
    io_.stop();
    server_.reset();
  }

  http::request<http::string_body> post(std::string body, Headers extra = {}) {
    Headers h = {{"Content-Type", "application/json"}, {"Accept", "application/json, text/event-stream"}};
    h.insert(h.end(), extra.begin(), extra.end());
    return make_request(http::verb::post, "/mcp", port_, std::move(body), h);
  }

  HttpResponse send(Client& c, const http::request<http::string_body>& req) {
    error_code ec;
    auto res = c.send(req, &ec);
    EXPECT_FALSE(ec) << ec.message();
    return res;
  }

  // Initializes a session; returns its id ("" on failure).
  std::string initialize(Client& c, std::string_view version = "2025-06-18", Headers extra = {}) {
    auto res = send(c, post(init_body(version), std::move(extra)));
    EXPECT_EQ(res.result(), http::status::ok) << res.body();
    return std::string(res["Mcp-Session-Id"]);
  }

  static json::object body_json(const HttpResponse& res) {
    auto v = jsonrpc::parse_json(res.body());
    if (!v || !v->is_object()) {
      ADD_FAILURE() << "not a JSON object: " << res.body();
      return {};
    }
    return v->as_object();
  }

  IoThread io_;
  std::shared_ptr<testing::Hooks> hooks_ = std::make_shared<testing::Hooks>();
  std::shared_ptr<McpServer> mcp_;
  std::shared_ptr<SessionStore> sessions_;
  SessionLimits session_limits_;
  std::unique_ptr<net::HttpServer> server_;
  std::uint16_t port_ = 0;
};

constexpr std::string_view kToolsList = R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})";

TEST_F(StreamableHttpTest, InitializeMintsA32HexSessionId) {
  start();
  Client c(port_);
  auto res = send(c, post(init_body("2025-06-18")));
  ASSERT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_TRUE(is_session_id(res["Mcp-Session-Id"])) << res["Mcp-Session-Id"];
  EXPECT_EQ(body_json(res).at("result").at("protocolVersion"), "2025-06-18");
  EXPECT_EQ(sessions_->size(), 1u);
}

// Issue #20 finding 1: a failed initialize must not mint (or keep) a session.
TEST_F(StreamableHttpTest, FailedInitializeLeavesNoSession) {
  start();
  Client c(port_);
  for (int i = 0; i < 20; ++i) {
    auto res = send(c, post(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})"));
    EXPECT_TRUE(body_json(res).contains("error")) << res.body();
    EXPECT_EQ(res["Mcp-Session-Id"], "") << "a failed initialize handed out a session id";
  }
  EXPECT_EQ(sessions_->size(), 0u);
}

long rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

// Issue #20 finding 1: an initialize flood stops at the global cap (503 + Retry-After), and memory
// stays bounded. Bounded in count (5,000 requests on one loopback connection).
TEST_F(StreamableHttpTest, InitializeFloodStopsAtTheSessionCapWith503) {
  session_limits_.max_sessions = 100;
  start();
  Client c(port_);
  const long before = rss_kib();
  int ok = 0, busy = 0;
  for (int i = 0; i < 5000; ++i) {
    error_code ec;
    auto res = c.send(post(init_body("2025-06-18")), &ec);
    ASSERT_FALSE(ec) << ec.message();
    if (res.result() == http::status::ok) {
      ++ok;
    } else {
      ASSERT_EQ(res.result(), http::status::service_unavailable) << res.body();
      EXPECT_EQ(res[http::field::retry_after], "5");
      EXPECT_NE(res.body().find("maximum number of MCP sessions"), std::string::npos) << res.body();
      ++busy;
    }
  }
  EXPECT_EQ(ok, 100);
  EXPECT_EQ(busy, 4900);
  EXPECT_EQ(sessions_->size(), 100u);
  if (!appsignals::testing::kUnderSanitizer) {
    EXPECT_LT(rss_kib() - before, 16 * 1024) << "RSS grew by more than 16 MiB";
  }
}

// Issue #20 finding 1: at its per-key cap a principal's oldest idle session makes room; other
// keys are not affected.
TEST_F(StreamableHttpTest, PrincipalAtItsCapLosesItsOldestIdleSession) {
  session_limits_.max_per_principal = 2;
  start({}, {std::string(kKeyA), std::string(kKeyB)});
  Client c(port_);
  Headers a = {{"X-API-Key", std::string(kKeyA)}};
  Headers b = {{"X-API-Key", std::string(kKeyB)}};
  auto s1 = initialize(c, "2025-06-18", a);
  auto s2 = initialize(c, "2025-06-18", a);
  auto b1 = initialize(c, "2025-06-18", b);
  // Make s2 the more recently used one.
  auto ping = std::string(R"({"jsonrpc":"2.0","id":9,"method":"ping"})");
  auto with = [](Headers h, const std::string& id) {
    h.emplace_back("Mcp-Session-Id", id);
    h.emplace_back("MCP-Protocol-Version", "2025-06-18");
    return h;
  };
  EXPECT_EQ(send(c, post(ping, with(a, s2))).result(), http::status::ok);
  auto s3 = initialize(c, "2025-06-18", a);
  EXPECT_FALSE(s3.empty());
  EXPECT_EQ(sessions_->size_of(sessions_->find(s3)->principal()), 2u);
  EXPECT_EQ(send(c, post(ping, with(a, s1))).result(), http::status::not_found) << "the oldest idle one goes";
  EXPECT_EQ(send(c, post(ping, with(a, s2))).result(), http::status::ok);
  EXPECT_EQ(send(c, post(ping, with(b, b1))).result(), http::status::ok) << "another key keeps its session";
}

// Issue #20 finding 1: at its cap with no idle session (each has its GET stream open), a
// principal's new initialize is refused with 429, not served by evicting a live one.
TEST_F(StreamableHttpTest, PrincipalAtItsCapWithNoIdleSessionGets429) {
  session_limits_.max_per_principal = 2;
  start();
  Client c(port_);
  std::vector<std::unique_ptr<Client>> streams;
  for (int i = 0; i < 2; ++i) {
    auto id = initialize(c);
    ASSERT_FALSE(id.empty());
    streams.push_back(std::make_unique<Client>(port_));
    auto get = make_request(http::verb::get, "/mcp", port_, "",
                            {{"Accept", "text/event-stream"}, {"Mcp-Session-Id", id},
                             {"MCP-Protocol-Version", "2025-06-18"}});
    ASSERT_FALSE(streams.back()->write(get));
    error_code ec;
    auto head = streams.back()->read_raw_until("\r\n\r\n", &ec);
    ASSERT_FALSE(ec) << ec.message();
    ASSERT_NE(head.find("200 OK"), std::string::npos) << head;
  }
  auto res = send(c, post(init_body("2025-06-18")));
  EXPECT_EQ(res.result(), http::status::too_many_requests) << res.body();
  EXPECT_EQ(res["Mcp-Session-Id"], "");
  EXPECT_EQ(sessions_->size(), 2u);
}

TEST_F(StreamableHttpTest, EveryInitializeMintsADifferentSession) {
  start();
  Client c(port_);
  auto a = initialize(c);
  auto b = initialize(c);
  EXPECT_NE(a, b);
}

TEST_F(StreamableHttpTest, RequestWithoutSessionIdGets400WithoutAnId) {
  start();
  Client c(port_);
  auto res = send(c, post(std::string(kToolsList)));
  EXPECT_EQ(res.result(), http::status::bad_request);
  auto body = body_json(res);
  EXPECT_TRUE(body.contains("error"));
  EXPECT_FALSE(body.contains("id"));
}

TEST_F(StreamableHttpTest, UnknownSessionIdGets404) {
  start();
  Client c(port_);
  auto res = send(c, post(std::string(kToolsList), {{"Mcp-Session-Id", std::string(32, 'a')}}));
  EXPECT_EQ(res.result(), http::status::not_found);
  EXPECT_EQ(body_json(res).at("error").at("code"), -32001);
}

TEST_F(StreamableHttpTest, KnownSessionServesRequests) {
  start();
  Client c(port_);
  auto id = initialize(c);
  auto res = send(c, post(std::string(kToolsList), {{"Mcp-Session-Id", id}, {"MCP-Protocol-Version", "2025-06-18"}}));
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  EXPECT_EQ(body_json(res).at("id"), 2);
  EXPECT_EQ(body_json(res).at("result").at("tools").as_array().size(), 7u);
}

TEST_F(StreamableHttpTest, DeleteEndsTheSessionAndLaterRequestsGet404) {
  start();
  Client c(port_);
  auto id = initialize(c);
  auto del = make_request(http::verb::delete_, "/mcp", port_, "", {{"Mcp-Session-Id", id}});
  EXPECT_EQ(send(c, del).result(), http::status::ok);
  EXPECT_EQ(send(c, post(std::string(kToolsList), {{"Mcp-Session-Id", id}})).result(), http::status::not_found);
  EXPECT_EQ(send(c, del).result(), http::status::not_found);
  EXPECT_EQ(sessions_->size(), 0u);
}

TEST_F(StreamableHttpTest, GetOpensTheSessionStreamAndASecondGetGets409) {
  start();
  Client c(port_);
  auto id = initialize(c);
  Client stream(port_);
  ASSERT_FALSE(stream.write(make_request(http::verb::get, "/mcp", port_, "",
                                         {{"Accept", "text/event-stream"}, {"Mcp-Session-Id", id}})));
  auto head = stream.read_raw_until("\r\n\r\n");
  EXPECT_NE(head.find("HTTP/1.1 200"), std::string::npos) << head;
  EXPECT_NE(head.find("text/event-stream"), std::string::npos) << head;
  EXPECT_NE(head.find(id), std::string::npos) << head;

  Client second(port_);
  auto res = send(second, make_request(http::verb::get, "/mcp", port_, "",
                                       {{"Accept", "text/event-stream"}, {"Mcp-Session-Id", id}}));
  EXPECT_EQ(res.result(), http::status::conflict);
}

TEST_F(StreamableHttpTest, DeleteEndsTheOpenGetStreamWithItsFinalChunk) {
  start();
  Client c(port_);
  auto id = initialize(c);
  Client stream(port_);
  ASSERT_FALSE(stream.write(make_request(http::verb::get, "/mcp", port_, "",
                                         {{"Accept", "text/event-stream"}, {"Mcp-Session-Id", id}})));
  stream.read_raw_until("\r\n\r\n");
  auto del = make_request(http::verb::delete_, "/mcp", port_, "", {{"Mcp-Session-Id", id}});
  EXPECT_EQ(send(c, del).result(), http::status::ok);
  error_code ec;
  EXPECT_EQ(stream.read_raw_until("0\r\n\r\n", &ec), "0\r\n\r\n") << ec.message();
}

TEST_F(StreamableHttpTest, GetWithoutEventStreamAcceptGets406) {
  start();
  Client c(port_);
  auto id = initialize(c);
  auto res = send(c, make_request(http::verb::get, "/mcp", port_, "",
                                  {{"Accept", "application/json"}, {"Mcp-Session-Id", id}}));
  EXPECT_EQ(res.result(), http::status::not_acceptable);
}

TEST_F(StreamableHttpTest, ProgressGoesToTheGetStreamWhenThePostAcceptsOnlyJson) {
  start();
  Client c(port_);
  auto id = initialize(c);
  Client stream(port_);
  ASSERT_FALSE(stream.write(make_request(http::verb::get, "/mcp", port_, "",
                                         {{"Accept", "text/event-stream"}, {"Mcp-Session-Id", id}})));
  stream.read_raw_until("\r\n\r\n");
  auto req = post(R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"progress","_meta":{"progressToken":"t"}}})",
                  {{"Mcp-Session-Id", id}});
  req.set(http::field::accept, "application/json");
  auto res = send(c, req);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(body_json(res).at("result").at("content").at(0).at("text"), "done");
  auto event = stream.read_raw_until("\n\n");
  EXPECT_NE(event.find("notifications/progress"), std::string::npos) << event;
  EXPECT_NE(event.find("event: message"), std::string::npos) << event;
}

TEST_F(StreamableHttpTest, NotificationGets202WithoutBody) {
  start();
  Client c(port_);
  auto id = initialize(c);
  auto res = send(c, post(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", {{"Mcp-Session-Id", id}}));
  EXPECT_EQ(res.result(), http::status::accepted);
  EXPECT_TRUE(res.body().empty());
  EXPECT_TRUE(sessions_->find(id)->initialized());
}

TEST_F(StreamableHttpTest, UnsupportedProtocolVersionHeaderGets400) {
  start();
  Client c(port_);
  auto id = initialize(c);
  auto res = send(c, post(std::string(kToolsList), {{"Mcp-Session-Id", id}, {"MCP-Protocol-Version", "2099-01-01"}}));
  EXPECT_EQ(res.result(), http::status::bad_request);
  EXPECT_NE(res.body().find("2025-06-18"), std::string::npos) << res.body();  // names the supported ones
}

TEST_F(StreamableHttpTest, WrongContentTypeGets415) {
  start();
  Client c(port_);
  auto req = post(init_body("2025-06-18"));
  req.set(http::field::content_type, "text/plain");
  EXPECT_EQ(send(c, req).result(), http::status::unsupported_media_type);
}

TEST_F(StreamableHttpTest, JsonContentTypeWithCharsetIsAccepted) {
  start();
  Client c(port_);
  auto req = post(init_body("2025-06-18"));
  req.set(http::field::content_type, "application/json; charset=utf-8");
  EXPECT_EQ(send(c, req).result(), http::status::ok);
}

TEST_F(StreamableHttpTest, AcceptTextPlainGets406) {
  start();
  Client c(port_);
  auto req = post(init_body("2025-06-18"));
  req.set(http::field::accept, "text/plain");
  EXPECT_EQ(send(c, req).result(), http::status::not_acceptable);
}

TEST_F(StreamableHttpTest, InvalidJsonGets400ParseError) {
  start();
  Client c(port_);
  auto res = send(c, post("{not json"));
  EXPECT_EQ(res.result(), http::status::bad_request);
  EXPECT_EQ(body_json(res).at("error").at("code"), jsonrpc::kParseError);
}

TEST_F(StreamableHttpTest, PutGets405WithAllow) {
  start();
  Client c(port_);
  auto res = send(c, make_request(http::verb::put, "/mcp", port_, "{}", {{"Content-Type", "application/json"}}));
  EXPECT_EQ(res.result(), http::status::method_not_allowed);
  EXPECT_EQ(res[http::field::allow], "GET, POST, DELETE");
}

TEST_F(StreamableHttpTest, ForeignHostGets403) {
  start();
  Client c(port_);
  auto req = post(init_body("2025-06-18"));
  req.set(http::field::host, "evil.example.com");
  req.set(http::field::origin, "http://evil.example.com");
  EXPECT_EQ(send(c, req).result(), http::status::forbidden);
}

TEST_F(StreamableHttpTest, BatchUnder20250326IsAnsweredAsAnArray) {
  start();
  Client c(port_);
  auto id = initialize(c, "2025-03-26");
  auto res = send(c, post(R"([{"jsonrpc":"2.0","id":1,"method":"ping"},
                              {"jsonrpc":"2.0","method":"notifications/initialized"},
                              {"jsonrpc":"2.0","id":"two","method":"tools/list"}])",
                          {{"Mcp-Session-Id", id}, {"MCP-Protocol-Version", "2025-03-26"}}));
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  auto v = jsonrpc::parse_json(res.body());
  ASSERT_TRUE(v && v->is_array()) << res.body();
  auto& a = v->as_array();
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].at("id"), 1);
  EXPECT_EQ(a[1].at("id"), "two");
  EXPECT_TRUE(a[1].at("result").as_object().contains("tools"));
}

// Issue #18: a batch (which the HTTP scope gate lets through) runs with the scopes of the token
// that sent it, not those of the token that opened the session.
TEST_F(StreamableHttpTest, ABatchRunsWithTheScopesOfItsOwnToken) {
  start({}, {}, std::make_shared<testing::ScopedTokenAuthenticator>());
  Client c(port_);
  auto id = initialize(c, "2025-03-26", {{"Authorization", "Bearer writer"}});
  ASSERT_FALSE(id.empty());
  const std::string batch = R"([{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"erase","arguments":{}}},
                                {"jsonrpc":"2.0","id":2,"method":"tools/list"}])";
  for (const char* token : {"reader", "writer", "reader"}) {
    const bool writer = std::string_view(token) == "writer";
    auto res = send(c, post(batch, {{"Mcp-Session-Id", id}, {"MCP-Protocol-Version", "2025-03-26"},
                                    {"Authorization", std::string("Bearer ") + token}}));
    ASSERT_EQ(res.result(), http::status::ok) << res.body();
    auto v = jsonrpc::parse_json(res.body());
    ASSERT_TRUE(v && v->is_array() && v->as_array().size() == 2u) << res.body();
    const auto& call = v->as_array()[0].at("result").as_object();
    EXPECT_EQ(call.contains("isError"), !writer) << token << ": " << res.body();
    bool has_erase = false;
    for (const auto& t : v->as_array()[1].at("result").at("tools").as_array()) has_erase |= t.at("name") == "erase";
    EXPECT_EQ(has_erase, writer) << token;
  }
}

// Issue #18: a single POST (handshake era, on a session opened with the writing token) and a
// 2026-07-28 request are judged by the token they carry. Without the HTTP scope gate in front
// (app/scope_gate.h is not in this router), the MCP layer is what refuses.
TEST_F(StreamableHttpTest, ASinglePostAndAModernRequestAreJudgedByTheirOwnToken) {
  start({}, {}, std::make_shared<testing::ScopedTokenAuthenticator>());
  Client c(port_);
  auto id = initialize(c, "2025-06-18", {{"Authorization", "Bearer writer"}});
  ASSERT_FALSE(id.empty());
  const std::string call = R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"erase","arguments":{}}})";
  const std::string modern_call =
      R"({"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"erase","arguments":{},)"
      R"("_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}})";
  const std::string modern_list =
      R"({"jsonrpc":"2.0","id":7,"method":"tools/list","params":{)"
      R"("_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}})";
  auto is_error = [](const json::object& reply) {
    const auto& r = reply.at("result").as_object();
    return r.contains("isError") && r.at("isError").as_bool();
  };
  auto has_erase = [](const json::object& reply) {
    for (const auto& t : reply.at("result").at("tools").as_array())
      if (t.at("name") == "erase") return true;
    return false;
  };
  for (const char* token : {"reader", "writer", "reader"}) {
    const bool writer = std::string_view(token) == "writer";
    const std::string bearer = std::string("Bearer ") + token;
    auto res = send(c, post(call, {{"Mcp-Session-Id", id}, {"MCP-Protocol-Version", "2025-06-18"}, {"Authorization", bearer}}));
    ASSERT_EQ(res.result(), http::status::ok) << res.body();
    EXPECT_EQ(is_error(body_json(res)), !writer) << token << ": " << res.body();
    res = send(c, post(std::string(kToolsList), {{"Mcp-Session-Id", id}, {"MCP-Protocol-Version", "2025-06-18"}, {"Authorization", bearer}}));
    ASSERT_EQ(res.result(), http::status::ok) << res.body();
    EXPECT_EQ(has_erase(body_json(res)), writer) << token;

    res = send(c, post(modern_call, {{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "tools/call"},
                                     {"Mcp-Name", "erase"}, {"Authorization", bearer}}));
    ASSERT_EQ(res.result(), http::status::ok) << res.body();
    EXPECT_EQ(is_error(body_json(res)), !writer) << token << ": " << res.body();
    res = send(c, post(modern_list, {{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "tools/list"}, {"Authorization", bearer}}));
    ASSERT_EQ(res.result(), http::status::ok) << res.body();
    EXPECT_EQ(has_erase(body_json(res)), writer) << token;
  }
}

TEST_F(StreamableHttpTest, BatchOfNotificationsOnlyGets202) {
  start();
  Client c(port_);
  auto id = initialize(c, "2025-03-26");
  auto res = send(c, post(R"([{"jsonrpc":"2.0","method":"notifications/initialized"}])",
                          {{"Mcp-Session-Id", id}, {"MCP-Protocol-Version", "2025-03-26"}}));
  EXPECT_EQ(res.result(), http::status::accepted);
}

TEST_F(StreamableHttpTest, BatchWithInitializeIsRefused) {
  start();
  Client c(port_);
  auto id = initialize(c, "2025-03-26");
  auto res = send(c, post("[" + init_body("2025-03-26") + "]",
                          {{"Mcp-Session-Id", id}, {"MCP-Protocol-Version", "2025-03-26"}}));
  EXPECT_EQ(res.result(), http::status::bad_request);
}

TEST_F(StreamableHttpTest, BatchUnder20250618IsRefused) {
  start();
  Client c(port_);
  auto id = initialize(c, "2025-06-18");
  auto res = send(c, post(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])",
                          {{"Mcp-Session-Id", id}, {"MCP-Protocol-Version", "2025-06-18"}}));
  EXPECT_EQ(res.result(), http::status::bad_request);
  EXPECT_EQ(body_json(res).at("error").at("code"), jsonrpc::kInvalidRequest);
}

TEST_F(StreamableHttpTest, ToolThatSendsProgressRepliesWithAnEventStream) {
  start();
  Client c(port_);
  auto id = initialize(c);
  auto res = send(c, post(R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"progress","_meta":{"progressToken":"t"}}})",
                          {{"Mcp-Session-Id", id}, {"MCP-Protocol-Version", "2025-06-18"}}));
  ASSERT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res[http::field::content_type], "text/event-stream");
  const auto& body = res.body();
  auto progress = body.find("notifications/progress");
  auto result = body.find(R"("id":3)");
  ASSERT_NE(progress, std::string::npos) << body;
  ASSERT_NE(result, std::string::npos) << body;
  EXPECT_LT(progress, result);  // notifications precede the response
  EXPECT_NE(body.find("event: message\n"), std::string::npos) << body;
  EXPECT_NE(body.find("\"done\""), std::string::npos) << body;
}

TEST_F(StreamableHttpTest, PlainToolRepliesWithJson) {
  start();
  Client c(port_);
  auto id = initialize(c);
  auto res = send(c, post(R"({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hey"}}})",
                          {{"Mcp-Session-Id", id}, {"MCP-Protocol-Version", "2025-06-18"}}));
  ASSERT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(body_json(res).at("result").at("content").at(0).at("text"), "hey");
}

TEST_F(StreamableHttpTest, StatelessModeMintsNoSessionAndServesRequestsWithoutOne) {
  StreamableHttpOptions options;
  options.stateless = true;
  start(options);
  Client c(port_);
  auto init = send(c, post(init_body("2025-06-18")));
  EXPECT_EQ(init.result(), http::status::ok);
  EXPECT_EQ(init.find("Mcp-Session-Id"), init.end());
  auto res = send(c, post(std::string(kToolsList), {{"MCP-Protocol-Version", "2025-06-18"}}));
  EXPECT_EQ(res.result(), http::status::ok) << res.body();
  EXPECT_EQ(sessions_->size(), 0u);
}

TEST_F(StreamableHttpTest, StatelessModeAnswersGetAndDeleteWith405) {
  StreamableHttpOptions options;
  options.stateless = true;
  start(options);
  Client c(port_);
  auto get = send(c, make_request(http::verb::get, "/mcp", port_, "", {{"Accept", "text/event-stream"}}));
  EXPECT_EQ(get.result(), http::status::method_not_allowed);
  EXPECT_EQ(get[http::field::allow], "POST");
  auto del = send(c, make_request(http::verb::delete_, "/mcp", port_));
  EXPECT_EQ(del.result(), http::status::method_not_allowed);
}

// Spec 2025-06-18 (MCP-PROTOCOL.md §1.2 item 6, §3.1): without MCP-Protocol-Version and no other
// way to know, assume 2025-03-26; src/mcp/protocol_version.h names kDefaultHttpVersion for it.
// BUG (src/mcp/streamable_http.cc:150): a stateless non-initialize request without the header
// is served as kLatestVersion (2025-11-25), so e.g. structuredContent is sent to a client that
// may predate it. The batch path (line 129) correctly uses kDefaultHttpVersion. Disabled until fixed.
TEST_F(StreamableHttpTest, StatelessRequestWithoutVersionHeaderIsServedAs20250326) {
  StreamableHttpOptions options;
  options.stateless = true;
  start(options);
  Client c(port_);
  auto res = send(c, post(R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"structured"}})"));
  ASSERT_EQ(res.result(), http::status::ok);
  EXPECT_FALSE(body_json(res).at("result").as_object().contains("structuredContent")) << res.body();
}

TEST_F(StreamableHttpTest, StatelessRequestWithVersionHeaderUsesIt) {
  StreamableHttpOptions options;
  options.stateless = true;
  start(options);
  Client c(port_);
  auto old = send(c, post(R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"structured"}})",
                          {{"MCP-Protocol-Version", "2025-03-26"}}));
  EXPECT_FALSE(body_json(old).at("result").as_object().contains("structuredContent")) << old.body();
  auto recent = send(c, post(R"({"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"structured"}})",
                             {{"MCP-Protocol-Version", "2025-06-18"}}));
  EXPECT_TRUE(body_json(recent).at("result").as_object().contains("structuredContent")) << recent.body();
}

TEST_F(StreamableHttpTest, SessionOpenedWithOneKeyIs404ForAnother) {
  start({}, {std::string(kKeyA), std::string(kKeyB)});
  Client c(port_);
  auto id = initialize(c, "2025-06-18", {{"Authorization", "Bearer " + std::string(kKeyA)}});
  ASSERT_TRUE(is_session_id(id));
  auto other = send(c, post(std::string(kToolsList), {{"Mcp-Session-Id", id}, {"X-API-Key", std::string(kKeyB)}}));
  EXPECT_EQ(other.result(), http::status::not_found);
  auto owner = send(c, post(std::string(kToolsList), {{"Mcp-Session-Id", id}, {"X-API-Key", std::string(kKeyA)}}));
  EXPECT_EQ(owner.result(), http::status::ok);
  auto del = make_request(http::verb::delete_, "/mcp", port_, "",
                          {{"Mcp-Session-Id", id}, {"Authorization", "Bearer " + std::string(kKeyB)}});
  EXPECT_EQ(send(c, del).result(), http::status::not_found);
  EXPECT_EQ(sessions_->size(), 1u);  // the other key cannot end it either
}

TEST_F(StreamableHttpTest, MissingCredentialsGet401) {
  start({}, {std::string(kKeyA)});
  Client c(port_);
  auto res = send(c, post(init_body("2025-06-18")));
  EXPECT_EQ(res.result(), http::status::unauthorized);
  EXPECT_EQ(sessions_->size(), 0u);
}

}  // namespace
}  // namespace appsignals::mcp

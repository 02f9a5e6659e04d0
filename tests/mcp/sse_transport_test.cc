// The legacy HTTP+SSE transport, driven through a real HttpServer on loopback with a raw
// Beast client (blocking sockets with a receive timeout, so a failure never hangs the suite).
#include "mcp/sse_transport.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <regex>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "mcp/content.h"
#include "mcp/test_fixtures.h"
#include "net/authenticator.h"
#include "net/http_server.h"
#include "net/router.h"
#include "sanitizers/sanitizers.h"

namespace appsignals::mcp {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr const char* kInitialize =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05",)"
    R"("capabilities":{},"clientInfo":{"name":"test","version":"0"}}})";

std::shared_ptr<Registry> echo_registry() {
  auto registry = std::make_shared<Registry>();
  ToolDef echo;
  echo.name = "echo";
  echo.description = "Echoes its text argument";
  echo.input_schema = json::object{{"type", "object"},
                                   {"properties", json::object{{"text", json::object{{"type", "string"}}}}}};
  echo.handler = [](RequestContext&, json::object args) -> asio::awaitable<ToolResult> {
    co_return ToolResult::text(std::string(args["text"].as_string()));
  };
  registry->add_tool(std::move(echo));
  return registry;
}

void set_receive_timeout(tcp::socket& socket) {
  timeval tv{10, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

struct Event {
  std::string event;
  std::string data;
};

// A GET /sse stream read incrementally.
class SseClient {
 public:
  // `receive_buffer` > 0 shrinks the socket's receive buffer (a client that reads little).
  SseClient(asio::io_context& ioc, std::uint16_t port, std::string api_key = {}, int receive_buffer = 0)
      : socket_(ioc) {
    socket_.open(tcp::v4());
    if (receive_buffer > 0) socket_.set_option(asio::socket_base::receive_buffer_size(receive_buffer));
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    set_receive_timeout(socket_);
    http::request<http::empty_body> req{http::verb::get, "/sse", 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::accept, "text/event-stream");
    if (!api_key.empty()) req.set(http::field::authorization, "Bearer " + api_key);
    http::write(socket_, req);
    parser_.body_limit(boost::none);
    on_body_ = [this](std::uint64_t, std::string_view body, beast::error_code&) {
      text_.append(body);
      return body.size();
    };
    parser_.on_chunk_body(on_body_);
    http::read_header(socket_, buffer_, parser_);
  }

  const http::response<http::empty_body>& head() { return parser_.get(); }

  // The next event, skipping comments (keep-alives).
  Event next() {
    for (;;) {
      auto end = text_.find("\n\n");
      if (end != std::string::npos) {
        std::string frame = text_.substr(0, end + 1);
        text_.erase(0, end + 2);
        Event e;
        std::size_t pos = 0;
        while (pos < frame.size()) {
          auto nl = frame.find('\n', pos);
          auto line = frame.substr(pos, nl - pos);
          pos = nl + 1;
          if (line.rfind("event: ", 0) == 0) e.event = line.substr(7);
          if (line.rfind("data: ", 0) == 0) e.data += line.substr(6);
        }
        if (e.event.empty() && e.data.empty()) continue;  // a comment
        return e;
      }
      beast::error_code ec;
      http::read_some(socket_, buffer_, parser_, ec);
      if (ec) throw std::runtime_error("stream read failed: " + ec.message());
    }
  }

  void close() {
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

 private:
  tcp::socket socket_;
  beast::flat_buffer buffer_;
  http::response_parser<http::empty_body> parser_;
  std::function<std::size_t(std::uint64_t, std::string_view, beast::error_code&)> on_body_;
  std::string text_;
};

class SseTransportTest : public ::testing::Test {
 protected:
  // `auth` (with a scope policy and a writing tool) replaces the API keys when given.
  void start(SseTransportOptions options = {}, std::vector<std::string> keys = {},
             std::shared_ptr<net::Authenticator> auth = nullptr) {
    auto registry = echo_registry();
    if (auth) testing::add_writing_tool(*registry);
    auto mcp = std::make_shared<McpServer>(server_ioc_.get_executor(), registry,
                                           ServerInfo{"test-server", "", "1.0", "", "", ""});
    if (auth) mcp->set_scope_policy(ScopePolicy{});
    transport_ = std::make_shared<SseTransport>(mcp, std::move(options));
    auto router = std::make_shared<net::Router>();
    if (!keys.empty()) router->set_authenticator(std::make_shared<net::ApiKeyAuthenticator>(keys));
    if (auth) router->set_authenticator(std::move(auth));
    router->add("/sse", transport_);
    router->add("/messages/", transport_);
    http_ = std::make_unique<net::HttpServer>(server_ioc_, router);
    auto port = http_->listen("127.0.0.1", 0);
    ASSERT_TRUE(port.ok());
    port_ = *port;
    http_->start();
    thread_ = std::thread([this] { server_ioc_.run(); });
  }

  void TearDown() override {
    if (http_) {
      http_->set_on_drained([this] { server_ioc_.stop(); });
      http_->stop();
      if (http_->connection_count() == 0) server_ioc_.stop();
    }
    if (thread_.joinable()) thread_.join();
  }

  http::response<http::string_body> post(const std::string& target, const std::string& body,
                                         const std::string& content_type = "application/json",
                                         const std::string& api_key = {}) {
    tcp::socket socket(client_ioc_);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    set_receive_timeout(socket);
    http::request<http::string_body> req{http::verb::post, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!content_type.empty()) req.set(http::field::content_type, content_type);
    if (!api_key.empty()) req.set("X-API-Key", api_key);
    req.body() = body;
    req.prepare_payload();
    http::write(socket, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    return res;
  }

  // The endpoint URI from a fresh stream's first event.
  static std::string endpoint_of(SseClient& client) {
    auto e = client.next();
    EXPECT_EQ(e.event, "endpoint");
    return e.data;
  }

  asio::io_context server_ioc_{1};
  asio::io_context client_ioc_;
  std::shared_ptr<SseTransport> transport_;
  std::unique_ptr<net::HttpServer> http_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

TEST_F(SseTransportTest, StreamStartsWithEndpointEvent) {
  start();
  SseClient client(client_ioc_, port_);
  EXPECT_EQ(client.head().result(), http::status::ok);
  EXPECT_EQ(client.head()[http::field::content_type], "text/event-stream");
  auto e = client.next();
  EXPECT_EQ(e.event, "endpoint");
  EXPECT_TRUE(std::regex_match(e.data, std::regex(R"(/messages/\?session_id=[0-9a-f]{32})"))) << e.data;
  EXPECT_EQ(transport_->session_count(), 1u);
}

TEST_F(SseTransportTest, EndpointEventCarriesPublicPrefix) {
  SseTransportOptions options;
  options.public_prefix = "/appsignals/";
  start(options);
  SseClient client(client_ioc_, port_);
  auto e = client.next();
  EXPECT_TRUE(std::regex_match(e.data, std::regex(R"(/appsignals/messages/\?session_id=[0-9a-f]{32})"))) << e.data;
}

TEST_F(SseTransportTest, PostIsAcceptedAndReplyArrivesOnStream) {
  start();
  SseClient client(client_ioc_, port_);
  auto endpoint = endpoint_of(client);

  auto res = post(endpoint, kInitialize);
  EXPECT_EQ(res.result(), http::status::accepted);
  EXPECT_EQ(res.body(), "Accepted");
  auto e = client.next();
  EXPECT_EQ(e.event, "message");
  auto reply = boost::json::parse(e.data).as_object();
  EXPECT_EQ(reply["id"].as_int64(), 1);
  EXPECT_EQ(reply["result"].as_object()["protocolVersion"].as_string(), "2024-11-05");

  EXPECT_EQ(post(endpoint, R"({"jsonrpc":"2.0","method":"notifications/initialized"})").result(),
            http::status::accepted);
  // Also reachable without the trailing slash.
  auto call = post("/messages" + endpoint.substr(endpoint.find('?')),
                   R"({"jsonrpc":"2.0","id":"c1","method":"tools/call","params":{"name":"echo","arguments":{"text":"hi there"}}})");
  EXPECT_EQ(call.result(), http::status::accepted);
  auto e2 = client.next();
  auto reply2 = boost::json::parse(e2.data).as_object();
  EXPECT_EQ(reply2["id"].as_string(), "c1");
  EXPECT_EQ(reply2["result"].as_object()["content"].as_array()[0].as_object()["text"].as_string(), "hi there");
}

TEST_F(SseTransportTest, RejectsBadPostsWithTheRightStatus) {
  start();
  SseClient client(client_ioc_, port_);
  auto endpoint = endpoint_of(client);

  EXPECT_EQ(post(endpoint, kInitialize, "text/plain").result(), http::status::bad_request);
  EXPECT_EQ(post(endpoint, kInitialize, "").result(), http::status::bad_request);
  EXPECT_EQ(post("/messages/", kInitialize).result(), http::status::bad_request);
  EXPECT_EQ(post("/messages/?session_id=", kInitialize).result(), http::status::bad_request);
  EXPECT_EQ(post("/messages/?session_id=00000000000000000000000000000000", kInitialize).result(),
            http::status::not_found);
  EXPECT_EQ(post(endpoint, "{not json").result(), http::status::bad_request);
  auto invalid = post(endpoint, R"({"jsonrpc":"2.0","id":7})");
  EXPECT_EQ(invalid.result(), http::status::bad_request);
  EXPECT_NE(invalid.body().find("-32600"), std::string::npos) << invalid.body();
  // Content-Type parameters are fine.
  EXPECT_EQ(post(endpoint, kInitialize, "application/json; charset=utf-8").result(), http::status::accepted);
}

TEST_F(SseTransportTest, PostToSseIs405WithAllowGet) {
  start();
  auto res = post("/sse", kInitialize);
  EXPECT_EQ(res.result(), http::status::method_not_allowed);
  EXPECT_EQ(res[http::field::allow], "GET");
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(res.body().find("jsonrpc"), std::string::npos) << res.body();
}

TEST_F(SseTransportTest, GetOnMessagesIs405WithAllowPost) {
  start();
  tcp::socket socket(client_ioc_);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  set_receive_timeout(socket);
  http::request<http::empty_body> req{http::verb::get, "/messages/?session_id=x", 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(socket, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(socket, buffer, res);
  EXPECT_EQ(res.result(), http::status::method_not_allowed);
  EXPECT_EQ(res[http::field::allow], "POST");
}

TEST_F(SseTransportTest, PostWithOtherCredentialsGets404) {
  start({}, {"key-alpha", "key-beta"});
  SseClient client(client_ioc_, port_, "key-alpha");
  ASSERT_EQ(client.head().result(), http::status::ok);
  auto endpoint = endpoint_of(client);

  EXPECT_EQ(post(endpoint, kInitialize, "application/json", "key-beta").result(), http::status::not_found);
  EXPECT_EQ(post(endpoint, kInitialize, "application/json").result(), http::status::unauthorized);
  EXPECT_EQ(post(endpoint, kInitialize, "application/json", "key-alpha").result(), http::status::accepted);
  EXPECT_EQ(client.next().event, "message");
}

// Issue #18: legacy SSE POSTs pass the HTTP scope gate (their reply travels on the stream), so
// the MCP layer must judge each POST by the scopes of the token it carried, not by the stream's
// or the session's latest.
TEST_F(SseTransportTest, EveryPostIsJudgedByTheScopesOfItsOwnToken) {
  start({}, {}, std::make_shared<testing::ScopedTokenAuthenticator>());
  SseClient client(client_ioc_, port_, "writer");  // the stream is opened with the writing token
  ASSERT_EQ(client.head().result(), http::status::ok);
  auto endpoint = endpoint_of(client);
  ASSERT_EQ(post(endpoint, kInitialize, "application/json", "writer").result(), http::status::accepted);
  ASSERT_EQ(client.next().event, "message");
  const std::string erase = R"({"jsonrpc":"2.0","id":"e","method":"tools/call","params":{"name":"erase","arguments":{}}})";
  for (const char* token : {"reader", "writer", "reader"}) {
    ASSERT_EQ(post(endpoint, erase, "application/json", token).result(), http::status::accepted) << token;
    auto reply = boost::json::parse(client.next().data).as_object();
    const auto& result = reply.at("result").as_object();
    const std::string text(result.at("content").as_array()[0].at("text").as_string());
    if (std::string_view(token) == "reader") {
      EXPECT_TRUE(result.contains("isError")) << text;
      EXPECT_NE(text.find("needs the OAuth scope 'appsignals:write'"), std::string::npos) << text;
    } else {
      EXPECT_FALSE(result.contains("isError")) << text;
      EXPECT_EQ(text, "erased");
    }
  }
  const std::string list = R"({"jsonrpc":"2.0","id":"l","method":"tools/list"})";
  for (const char* token : {"reader", "writer"}) {
    ASSERT_EQ(post(endpoint, list, "application/json", token).result(), http::status::accepted);
    auto reply = boost::json::parse(client.next().data).as_object();
    bool has_erase = false;
    for (const auto& t : reply.at("result").at("tools").as_array()) has_erase |= t.at("name") == "erase";
    EXPECT_EQ(has_erase, std::string_view(token) == "writer") << token;
  }
}

TEST_F(SseTransportTest, SessionIsRemovedWhenStreamCloses) {
  start();
  auto client = std::make_unique<SseClient>(client_ioc_, port_);
  auto endpoint = endpoint_of(*client);
  const std::string id = endpoint.substr(endpoint.find('=') + 1);
  auto session = transport_->find(id);
  ASSERT_TRUE(session);
  EXPECT_FALSE(session->closed());
  EXPECT_EQ(session->standalone() != nullptr, true);
  // The transport reports when the stream's end has removed and closed the session; the
  // deadline only turns a session that is never removed into a failure instead of a hang.
  auto ended = std::make_shared<std::promise<std::string>>();
  auto ended_id = ended->get_future();
  transport_->set_on_session_end([ended](const std::string& sid) { ended->set_value(sid); });

  client->close();
  ASSERT_EQ(ended_id.wait_for(std::chrono::seconds(10)), std::future_status::ready)
      << "the session was not removed when its stream closed";
  EXPECT_EQ(ended_id.get(), id);
  EXPECT_EQ(transport_->session_count(), 0u);
  EXPECT_EQ(transport_->find(id), nullptr);
  EXPECT_TRUE(session->closed());
  EXPECT_EQ(session->standalone(), nullptr);
  EXPECT_EQ(post(endpoint, kInitialize).result(), http::status::not_found);
}

// Issue #20: lifecycle on the legacy transport: before a successful initialize only ping runs;
// any other request is answered on the stream with -32600 and not run.
TEST_F(SseTransportTest, RequestsBeforeInitializeAreRefusedOnTheStream) {
  start();
  SseClient client(client_ioc_, port_);
  auto endpoint = endpoint_of(client);
  const std::string call =
      R"({"jsonrpc":"2.0","id":"early","method":"tools/call","params":{"name":"echo","arguments":{"text":"x"}}})";
  EXPECT_EQ(post(endpoint, call).result(), http::status::accepted);
  auto refused = boost::json::parse(client.next().data).as_object();
  EXPECT_EQ(refused["id"].as_string(), "early");
  ASSERT_TRUE(refused.contains("error")) << boost::json::serialize(refused);
  EXPECT_EQ(refused["error"].at("code").as_int64(), -32600);
  EXPECT_NE(std::string(refused["error"].at("message").as_string()).find("initialize"), std::string::npos);

  EXPECT_EQ(post(endpoint, R"({"jsonrpc":"2.0","id":"p","method":"ping"})").result(), http::status::accepted);
  auto pong = boost::json::parse(client.next().data).as_object();
  EXPECT_EQ(pong["id"].as_string(), "p");
  EXPECT_TRUE(pong.contains("result"));

  EXPECT_EQ(post(endpoint, kInitialize).result(), http::status::accepted);
  EXPECT_TRUE(boost::json::parse(client.next().data).as_object().contains("result"));
  EXPECT_EQ(post(endpoint, call).result(), http::status::accepted);
  auto answered = boost::json::parse(client.next().data).as_object();
  EXPECT_EQ(answered["id"].as_string(), "early");
  EXPECT_TRUE(answered.contains("result")) << boost::json::serialize(answered);
}

// Issue #20: /sse streams are capped in all (503 + Retry-After) and per principal (429), with
// the /mcp session settings; a stream that ends frees its place.
TEST_F(SseTransportTest, OpenStreamsAreCappedInAllAndPerPrincipal) {
  SseTransportOptions options;
  options.max_streams = 3;
  options.max_streams_per_principal = 2;
  start(options, {"key-alpha-0123456789", "key-beta-0123456789"});
  auto a1 = std::make_unique<SseClient>(client_ioc_, port_, "key-alpha-0123456789");
  SseClient a2(client_ioc_, port_, "key-alpha-0123456789");
  ASSERT_EQ(a1->head().result(), http::status::ok);
  ASSERT_EQ(a2.head().result(), http::status::ok);
  SseClient a3(client_ioc_, port_, "key-alpha-0123456789");
  EXPECT_EQ(a3.head().result(), http::status::too_many_requests);
  SseClient b1(client_ioc_, port_, "key-beta-0123456789");
  EXPECT_EQ(b1.head().result(), http::status::ok);
  SseClient b2(client_ioc_, port_, "key-beta-0123456789");
  EXPECT_EQ(b2.head().result(), http::status::service_unavailable);
  EXPECT_EQ(b2.head()[http::field::retry_after], "5");
  EXPECT_EQ(transport_->session_count(), 3u);

  auto ended = std::make_shared<std::promise<void>>();
  auto ended_f = ended->get_future();
  auto once = std::make_shared<std::once_flag>();
  transport_->set_on_session_end([ended, once](const std::string&) { std::call_once(*once, [&] { ended->set_value(); }); });
  a1->close();
  ASSERT_EQ(ended_f.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  SseClient a4(client_ioc_, port_, "key-alpha-0123456789");
  EXPECT_EQ(a4.head().result(), http::status::ok);
}

long rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

// Issue #20 finding 2: streams whose clients never read, fed by small POSTs with large replies,
// hold at most the shared budget; POSTs to a backlogged stream are refused with 503 instead of
// queued. Bounded: 4 streams, at most 160 POSTs each of 64 KiB replies (10 MiB per stream: more
// than loopback's socket buffers absorb) at a 1 MiB budget.
TEST_F(SseTransportTest, UnreadStreamsStayWithinTheBudgetAndBackloggedPostsGet503) {
  SseTransportOptions options;
  options.stream_max_bytes = 256 * 1024;
  auto budget = std::make_shared<net::StreamBudget>(1024 * 1024);
  options.stream_budget = budget;
  start(options);
  const long before = rss_kib();
  std::vector<std::unique_ptr<SseClient>> streams;
  std::vector<std::string> endpoints;
  for (int i = 0; i < 4; ++i) {
    streams.push_back(std::make_unique<SseClient>(client_ioc_, port_, "", 4096));
    endpoints.push_back(endpoint_of(*streams.back()));
    EXPECT_EQ(post(endpoints.back(), kInitialize).result(), http::status::accepted);
    EXPECT_EQ(post(endpoints.back(), R"({"jsonrpc":"2.0","method":"notifications/initialized"})").result(),
              http::status::accepted);
  }
  const std::string call = R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo",)"
                           R"("arguments":{"text":")" + std::string(64 * 1024, 'x') + R"("}}})";
  int accepted = 0, refused = 0, gone = 0;
  for (const auto& endpoint : endpoints) {
    for (int i = 0; i < 160; ++i) {
      auto res = post(endpoint, call);
      ASSERT_LE(budget->used(), budget->limit());
      if (res.result() == http::status::accepted) {
        ++accepted;
        continue;
      }
      if (res.result() == http::status::service_unavailable) {
        ++refused;
        EXPECT_EQ(res[http::field::retry_after], "1");
        EXPECT_NE(res.body().find("not being read"), std::string::npos) << res.body();
      } else {
        ASSERT_EQ(res.result(), http::status::not_found) << res.body();  // ended: too slow
        ++gone;
      }
      break;
    }
  }
  EXPECT_GT(refused, 0) << "no POST was refused: accepted " << accepted << ", gone " << gone;
  EXPECT_LE(budget->used(), budget->limit());
  if (!appsignals::testing::kUnderSanitizer) {
    EXPECT_LT(rss_kib() - before, 32 * 1024) << "RSS grew by more than 32 MiB";
  }
  for (auto& s : streams) s->close();
}

TEST(SseTransportPrefix, Normalizes) {
  EXPECT_EQ(normalize_public_prefix(""), "");
  EXPECT_EQ(normalize_public_prefix("/"), "");
  EXPECT_EQ(normalize_public_prefix("appsignals"), "/appsignals");
  EXPECT_EQ(normalize_public_prefix("/a/b/"), "/a/b");
}

}  // namespace
}  // namespace appsignals::mcp

// The 2026-07-28 era on /mcp: classification, envelope and header checks with their HTTP
// statuses, the result shape, input_required rounds and the sealed requestState.
#include "mcp/modern.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "mcp/request_state.h"
#include "mcp/streamable_http.h"
#include "mcp/test_fixtures.h"
#include "net/http_server.h"
#include "net/loopback_client.h"
#include "net/router.h"

namespace appsignals::mcp {
namespace {

using appsignals::testing::Client;
using appsignals::testing::Headers;
using appsignals::testing::IoThread;
using appsignals::testing::make_request;
using boost::system::error_code;
using namespace std::chrono_literals;
namespace http = net::http;
namespace asio = boost::asio;
using HttpResponse = http::response<http::string_body>;

constexpr std::string_view kMeta =
    R"("_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"elicitation":{}}})";

std::string modern_body(int id, std::string_view method, std::string_view params_without_meta = "") {
  std::string params = "{";
  if (!params_without_meta.empty()) {
    params += params_without_meta;
    params += ',';
  }
  params += kMeta;
  params += '}';
  return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":")" + std::string(method) + R"(","params":)" +
         params + "}";
}

jsonrpc::Message message(std::string_view text) {
  auto v = jsonrpc::parse_json(text);
  return std::get<jsonrpc::Message>(jsonrpc::parse_message(*v));
}

// Asks for a confirmation (input_required in the modern era) and carries a state to round 2.
asio::awaitable<ToolResult> confirm_tool(RequestContext& ctx, json::object) {
  ctx.keep_state(json::value("round-1"));
  std::string key = "confirm";
  std::string method = "elicitation/create";
  json::object params;
  params["message"] = "Really?";
  auto answer = co_await ctx.ask(key, method, std::move(params));
  if (!answer) co_return ToolResult::error(answer.error().message);
  if (!*answer) co_return ToolResult::text("pending");
  co_return ToolResult::text("confirmed, state " + json::serialize(ctx.state()));
}

asio::awaitable<ToolResult> log_tool(RequestContext& ctx, json::object) {
  ctx.log(LogLevel::kInfo, "working");
  co_return ToolResult::text("logged");
}

asio::awaitable<ToolResult> echo_args_tool(RequestContext&, json::object args) {
  co_return ToolResult::text(json::serialize(args));
}

asio::awaitable<ToolResult> sampling_tool(RequestContext& ctx, json::object) {
  if (!ctx.require_capability("sampling")) co_return ToolResult::error("no sampling");
  co_return ToolResult::text("sampling declared");
}

json::object header_schema() {
  return json::parse(R"({"type":"object","properties":{"region":{"type":"string","x-mcp-header":"Region"},
                         "limit":{"type":"integer","x-mcp-header":"Limit"}}})").as_object();
}

// ---- classification and envelope (no I/O) ----

TEST(ModernClassify, MetaClaimOfTheModernVersionIsModern) {
  EXPECT_EQ(modern::classify(message(modern_body(1, "tools/list")), ""), modern::Era::kModern);
}

TEST(ModernClassify, InitializeWithoutClaimIsHandshakeEraWhateverTheHeader) {
  auto m = message(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25"}})");
  EXPECT_EQ(modern::classify(m, ""), modern::Era::kHandshake);
  EXPECT_EQ(modern::classify(m, "2025-06-18"), modern::Era::kHandshake);
}

TEST(ModernClassify, ClaimOfAHandshakeVersionStaysHandshakeEra) {
  auto m = message(R"({"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2025-11-25"}}})");
  EXPECT_EQ(modern::classify(m, ""), modern::Era::kHandshake);
}

TEST(ModernClassify, DiscoverAndAModernHeaderWithoutClaimAreModern) {
  EXPECT_EQ(modern::classify(message(R"({"jsonrpc":"2.0","id":1,"method":"server/discover"})"), ""), modern::Era::kModern);
  EXPECT_EQ(modern::classify(message(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})"), "2026-07-28"),
            modern::Era::kModern);
  EXPECT_EQ(modern::classify(message(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})"), "2025-11-25"),
            modern::Era::kHandshake);
}

TEST(ModernEnvelope, UnsupportedVersionNamesTheSupportedOnes) {
  auto m = message(R"({"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2099-01-01","io.modelcontextprotocol/clientCapabilities":{}}}})");
  auto r = modern::validate(m, nullptr);
  ASSERT_TRUE(std::holds_alternative<modern::Rejection>(r));
  const auto& rej = std::get<modern::Rejection>(r);
  EXPECT_EQ(rej.failure.code, -32022);
  EXPECT_EQ(rej.http_status, 400u);
  EXPECT_EQ(rej.failure.data.at("requested"), "2099-01-01");
  EXPECT_EQ(rej.failure.data.at("supported").at(0), "2026-07-28");
  EXPECT_EQ(rej.failure.id, 7);
}

TEST(ModernEnvelope, Base64HeaderValuesAreDecodedAndBadOnesRefused) {
  EXPECT_EQ(modern::decode_header_value("=?base64?SGVsbG8=?="), "Hello");
  EXPECT_EQ(modern::decode_header_value("plain"), "plain");
  EXPECT_FALSE(modern::decode_header_value("=?base64?SGVs!!!bG8=?=").has_value());
  EXPECT_FALSE(modern::decode_header_value("=?base64?SGVsbG8?=").has_value());  // padding missing
  EXPECT_EQ(modern::decode_header_value("=?base64?SGVsbG8"), "=?base64?SGVsbG8");  // no suffix: literal
}

// ---- requestState ----

TEST(RequestStateCodec, RoundTripsAPayloadBoundToItsRequest) {
  RequestStateCodec codec("k");
  auto now = RequestStateCodec::Clock::now();
  auto token = codec.seal(json::value("s"), "tools/call\nx\n{}", now);
  auto opened = codec.open(token, "tools/call\nx\n{}", now);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(*opened, "s");
}

TEST(RequestStateCodec, AnotherInstanceWithTheSameKeyOpensIt) {
  auto now = RequestStateCodec::Clock::now();
  auto token = RequestStateCodec("shared").seal(json::value(1), "b", now);
  EXPECT_TRUE(RequestStateCodec("shared").open(token, "b", now).ok());
  EXPECT_FALSE(RequestStateCodec("other").open(token, "b", now).ok());
  EXPECT_FALSE(RequestStateCodec().open(token, "b", now).ok());  // random key per process
}

TEST(RequestStateCodec, RefusesAlteredRebindOrExpiredState) {
  RequestStateCodec codec("k");
  auto now = RequestStateCodec::Clock::now();
  auto token = codec.seal(json::value("s"), "b", now);
  EXPECT_FALSE(codec.open(token + "-TAMPERED", "b", now).ok());
  auto flipped = token;
  flipped[3] = flipped[3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(codec.open(flipped, "b", now).ok());
  EXPECT_FALSE(codec.open(token, "another request", now).ok());
  EXPECT_FALSE(codec.open(token, "b", now + RequestStateCodec::kLifetime + 1s).ok());
}

// ---- over HTTP ----

class ModernHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ex = io_.ioc().get_executor();
    ServerInfo info;
    info.name = "appsignals-mcp";
    info.version = "9.9.9";
    auto registry = testing::make_registry(hooks_);
    registry->add_tool(testing::make_tool("confirm", confirm_tool));
    registry->add_tool(testing::make_tool("log", log_tool));
    registry->add_tool(testing::make_tool("sampler", sampling_tool));
    registry->add_tool(testing::make_tool("regional", echo_args_tool, header_schema()));
    mcp_ = std::make_shared<McpServer>(ex, registry, info);
    mcp_->set_state_key("test-key");
    sessions_ = std::make_shared<SessionStore>(ex, 1h);
    auto router = std::make_shared<net::Router>();
    router->set_origin_policy(net::OriginPolicy::for_bind_address("127.0.0.1"));
    router->add("/mcp", std::make_shared<StreamableHttpTransport>(mcp_, sessions_, StreamableHttpOptions{}));
    server_ = std::make_unique<net::HttpServer>(io_.ioc(), router);
    auto port = server_->listen("127.0.0.1", 0);
    ASSERT_TRUE(port.ok());
    port_ = *port;
    server_->start();
    io_.start();
  }
  void TearDown() override {
    server_->stop();
    sessions_->close_all();
    io_.stop();
    server_.reset();
  }

  // A modern POST with matching headers unless `extra` overrides them.
  HttpResponse post(std::string body, std::string_view method, std::string_view name = "", Headers extra = {}) {
    Headers h = {{"Content-Type", "application/json"},
                 {"Accept", "application/json, text/event-stream"},
                 {"MCP-Protocol-Version", "2026-07-28"},
                 {"Mcp-Method", std::string(method)}};
    if (!name.empty()) h.emplace_back("Mcp-Name", std::string(name));
    for (auto& kv : extra) {  // not a structured binding: clang 14 cannot capture those
      std::erase_if(h, [&](const auto& p) { return p.first == kv.first; });
      if (!kv.second.empty()) h.emplace_back(kv.first, kv.second);
    }
    Client c(port_);
    error_code ec;
    auto res = c.send(make_request(http::verb::post, "/mcp", port_, std::move(body), h), &ec);
    EXPECT_FALSE(ec) << ec.message();
    return res;
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
  std::unique_ptr<net::HttpServer> server_;
  std::uint16_t port_ = 0;
};

TEST_F(ModernHttpTest, DiscoverListsVersionsCapabilitiesAndServerInfo) {
  auto res = post(modern_body(1, "server/discover"), "server/discover");
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  EXPECT_TRUE(res["Mcp-Session-Id"].empty());
  auto result = body_json(res).at("result").as_object();
  EXPECT_EQ(result.at("supportedVersions").at(0), "2026-07-28");
  EXPECT_TRUE(result.at("capabilities").as_object().contains("tools"));
  EXPECT_EQ(result.at("resultType"), "complete");
  EXPECT_EQ(result.at("_meta").at("io.modelcontextprotocol/serverInfo").at("version"), "9.9.9");
  EXPECT_TRUE(result.contains("ttlMs"));
  EXPECT_EQ(result.at("cacheScope"), "public");
}

TEST_F(ModernHttpTest, HandshakeInitializeOnTheSameEndpointStillMintsASession) {
  Client c(port_);
  error_code ec;
  auto res = c.send(make_request(http::verb::post, "/mcp", port_,
                                 R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"0"}}})",
                                 {{"Content-Type", "application/json"}, {"Accept", "application/json, text/event-stream"}}),
                    &ec);
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  EXPECT_EQ(res["Mcp-Session-Id"].size(), 32u);
  EXPECT_EQ(body_json(res).at("result").at("protocolVersion"), "2025-11-25");
}

TEST_F(ModernHttpTest, RemovedMethodsWithAModernClaimGet404MethodNotFound) {
  for (std::string_view method : {"initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe"}) {
    auto res = post(modern_body(5, method), method);
    EXPECT_EQ(res.result(), http::status::not_found) << method;
    auto body = body_json(res);
    EXPECT_EQ(body.at("error").at("code"), -32601) << method;
    EXPECT_EQ(body.at("id"), 5) << method;
  }
}

TEST_F(ModernHttpTest, MissingMetaKeysGet400InvalidParams) {
  auto res = post(R"({"jsonrpc":"2.0","id":3,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}})",
                  "tools/list");
  EXPECT_EQ(res.result(), http::status::bad_request);
  EXPECT_EQ(body_json(res).at("error").at("code"), -32602);
  res = post(R"({"jsonrpc":"2.0","id":4,"method":"server/discover","params":{}})", "server/discover");
  EXPECT_EQ(res.result(), http::status::bad_request);
  EXPECT_EQ(body_json(res).at("error").at("code"), -32602);
}

TEST_F(ModernHttpTest, HeaderBodyDisagreementGets400HeaderMismatch) {
  auto version = post(modern_body(1, "tools/list"), "tools/list", "", {{"MCP-Protocol-Version", "2025-11-25"}});
  EXPECT_EQ(version.result(), http::status::bad_request);
  EXPECT_EQ(body_json(version).at("error").at("code"), -32020);
  auto method = post(modern_body(1, "tools/list"), "prompts/list");
  EXPECT_EQ(body_json(method).at("error").at("code"), -32020);
  auto missing_name = post(modern_body(1, "tools/call", R"("name":"echo","arguments":{"text":"x"})"), "tools/call");
  EXPECT_EQ(missing_name.result(), http::status::bad_request);
  EXPECT_EQ(body_json(missing_name).at("error").at("code"), -32020);
  auto wrong_name = post(modern_body(1, "tools/call", R"("name":"echo","arguments":{"text":"x"})"), "tools/call", "ask");
  EXPECT_EQ(body_json(wrong_name).at("error").at("code"), -32020);
}

TEST_F(ModernHttpTest, ResultsCarryResultTypeServerInfoAndListCacheHints) {
  auto list = body_json(post(modern_body(1, "tools/list"), "tools/list")).at("result").as_object();
  EXPECT_EQ(list.at("resultType"), "complete");
  EXPECT_EQ(list.at("cacheScope"), "public");
  EXPECT_TRUE(list.at("ttlMs").is_int64());
  EXPECT_EQ(list.at("_meta").at("io.modelcontextprotocol/serverInfo").at("name"), "appsignals-mcp");
  auto call = body_json(post(modern_body(2, "tools/call", R"("name":"echo","arguments":{"text":"hi"})"), "tools/call", "echo"))
                  .at("result")
                  .as_object();
  EXPECT_EQ(call.at("resultType"), "complete");
  EXPECT_EQ(call.at("content").at(0).at("text"), "hi");
  EXPECT_FALSE(call.contains("ttlMs"));
}

TEST_F(ModernHttpTest, LogsOnlyWhenTheRequestAsksForALevel) {
  auto quiet = post(modern_body(1, "tools/call", R"("name":"log","arguments":{})"), "tools/call", "log");
  EXPECT_EQ(quiet[http::field::content_type], "application/json");  // nothing but the result
  std::string with_level = R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"log","arguments":{},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/logLevel":"info"}}})";
  auto loud = post(with_level, "tools/call", "log");
  EXPECT_NE(loud.body().find("notifications/message"), std::string::npos) << loud.body();
}

TEST_F(ModernHttpTest, InputRequiredRoundCompletesWithItsStateAndRefusesATamperedOne) {
  auto first = body_json(post(modern_body(1, "tools/call", R"("name":"confirm","arguments":{})"), "tools/call", "confirm"))
                   .at("result")
                   .as_object();
  ASSERT_EQ(first.at("resultType"), "input_required");
  EXPECT_EQ(first.at("inputRequests").at("confirm").at("method"), "elicitation/create");
  const std::string state(first.at("requestState").as_string());

  std::string retry_params = R"("name":"confirm","arguments":{},"inputResponses":{"confirm":{"action":"accept","content":{}}},"requestState":)" +
                             json::serialize(json::value(state));
  auto done = body_json(post(modern_body(2, "tools/call", retry_params), "tools/call", "confirm")).at("result").as_object();
  EXPECT_EQ(done.at("resultType"), "complete");
  EXPECT_EQ(done.at("content").at(0).at("text"), R"(confirmed, state "round-1")");

  std::string tampered = R"("name":"confirm","arguments":{},"inputResponses":{"confirm":{"action":"accept","content":{}}},"requestState":)" +
                         json::serialize(json::value(state + "-TAMPERED"));
  auto refused = post(modern_body(3, "tools/call", tampered), "tools/call", "confirm");
  EXPECT_EQ(refused.result(), http::status::bad_request);
  EXPECT_EQ(body_json(refused).at("error").at("code"), -32602);

  // The same state presented on another request (other arguments) is refused too.
  std::string rebound = R"("name":"confirm","arguments":{"x":1},"inputResponses":{"confirm":{"action":"accept","content":{}}},"requestState":)" +
                        json::serialize(json::value(state));
  EXPECT_EQ(body_json(post(modern_body(4, "tools/call", rebound), "tools/call", "confirm")).at("error").at("code"), -32602);
}

TEST_F(ModernHttpTest, UndeclaredCapabilityGets400MissingRequiredClientCapability) {
  auto res = post(modern_body(1, "tools/call", R"("name":"sampler","arguments":{})"), "tools/call", "sampler");
  EXPECT_EQ(res.result(), http::status::bad_request);
  auto body = body_json(res);
  EXPECT_EQ(body.at("error").at("code"), -32021);
  EXPECT_TRUE(body.at("error").at("data").at("requiredCapabilities").at("sampling").is_object());
}

TEST_F(ModernHttpTest, XMcpHeaderArgumentsMustBeMirroredInMcpParamHeaders) {
  std::string params = R"("name":"regional","arguments":{"region":"eu-west-1","limit":5})";
  auto ok = post(modern_body(1, "tools/call", params), "tools/call", "regional",
                 {{"Mcp-Param-Region", "eu-west-1"}, {"Mcp-Param-Limit", "5.0"}});
  EXPECT_EQ(ok.result(), http::status::ok) << ok.body();
  auto b64 = post(modern_body(1, "tools/call", params), "tools/call", "regional",
                  {{"Mcp-Param-Region", "=?base64?ZXUtd2VzdC0x?="}, {"Mcp-Param-Limit", "5"}});
  EXPECT_EQ(b64.result(), http::status::ok) << b64.body();
  auto wrong = post(modern_body(1, "tools/call", params), "tools/call", "regional",
                    {{"Mcp-Param-Region", "us-east-1"}, {"Mcp-Param-Limit", "5"}});
  EXPECT_EQ(wrong.result(), http::status::bad_request);
  EXPECT_EQ(body_json(wrong).at("error").at("code"), -32020);
  auto missing = post(modern_body(1, "tools/call", params), "tools/call", "regional", {{"Mcp-Param-Region", "eu-west-1"}});
  EXPECT_EQ(body_json(missing).at("error").at("code"), -32020);
}

TEST_F(ModernHttpTest, ListenAcknowledgesFirstAndTagsNotifications) {
  // The listen stream is long-lived; read its first frames through the raw socket.
  Client c(port_);
  std::string body = modern_body(9, "subscriptions/listen", R"("notifications":{"toolsListChanged":true})");
  auto req = make_request(http::verb::post, "/mcp", port_, body,
                          {{"Content-Type", "application/json"},
                           {"Accept", "text/event-stream"},
                           {"MCP-Protocol-Version", "2026-07-28"},
                           {"Mcp-Method", "subscriptions/listen"}});
  ASSERT_FALSE(c.write(req));
  error_code ec;
  std::string ack = c.read_raw_until("acknowledged", &ec);
  ack += c.read_raw_until("\n\n", &ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_NE(ack.find(R"("io.modelcontextprotocol/subscriptionId":9)"), std::string::npos) << ack;
  mcp_->registry().add_tool(testing::make_tool("late", log_tool));
  std::string changed = c.read_raw_until("notifications/tools/list_changed", &ec);
  changed += c.read_raw_until("\n\n", &ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_NE(changed.find(R"("io.modelcontextprotocol/subscriptionId":9)"), std::string::npos) << changed;
  c.close();
}

}  // namespace
}  // namespace appsignals::mcp

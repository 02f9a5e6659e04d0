#include "mcp/server.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <exception>
#include <map>
#include <optional>
#include <set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json/parse.hpp>

#include "mcp/test_fixtures.h"
#include "net/http_types.h"

namespace appsignals::mcp {
namespace {

using testing::Hooks;
using testing::RecordingOutbound;

jsonrpc::Message message(std::string_view text) {
  auto parsed = jsonrpc::parse_message(boost::json::parse(text));
  if (auto* f = std::get_if<jsonrpc::Failure>(&parsed)) {
    ADD_FAILURE() << "bad test message: " << f->message;
    return {};
  }
  return std::get<jsonrpc::Message>(parsed);
}

class McpServerTest : public ::testing::Test {
 protected:
  McpServerTest() {
    ServerInfo info;
    info.name = "appsignals-mcp";
    info.title = "AppSignals";
    info.version = "1.2.3";
    info.description = "Application Signals over MCP";
    info.instructions = "Start with list_monitored_services.";
    info.website_url = "https://example.com/appsignals";
    server_ = std::make_shared<McpServer>(ioc_.get_executor(), testing::make_registry(hooks_), info);
    session_->set_protocol_version("2025-06-18");
  }

  // Runs McpServer::call on a strand and returns the response (nullopt: cancelled).
  std::optional<std::string> call(std::string_view request, std::shared_ptr<Outbound> related = nullptr) {
    std::optional<std::optional<std::string>> out;
    boost::asio::co_spawn(boost::asio::make_strand(ioc_), server_->call(session_, message(request), related),
                          [&out](std::exception_ptr e, std::optional<std::string> r) {
                            if (e) std::rethrow_exception(e);
                            out = std::move(r);
                          });
    ioc_.restart();
    ioc_.run();
    EXPECT_TRUE(out.has_value()) << "call did not complete";
    return out.value_or(std::nullopt);
  }

  // The response as an object (fails the test if there is none).
  json::object reply(std::string_view request, std::shared_ptr<Outbound> related = nullptr) {
    auto r = call(request, std::move(related));
    if (!r) {
      ADD_FAILURE() << "no response";
      return {};
    }
    return boost::json::parse(*r).as_object();
  }

  static std::int64_t error_code_of(const json::object& response) {
    if (!response.contains("error")) {
      ADD_FAILURE() << "not an error: " << boost::json::serialize(response);
      return 0;
    }
    return response.at("error").at("code").as_int64();
  }

  boost::asio::io_context ioc_;
  std::shared_ptr<Hooks> hooks_ = std::make_shared<Hooks>();
  std::shared_ptr<McpServer> server_;
  std::shared_ptr<Session> session_ = std::make_shared<Session>("s1", "");
};

std::string initialize(std::string_view version) {
  return R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":")" +
         std::string(version) +
         R"(","capabilities":{"sampling":{}},"clientInfo":{"name":"test","version":"0"}}})";
}

// ---- initialize ----

TEST_F(McpServerTest, InitializeEchoesASupportedVersionAndReportsServerInfo) {
  auto r = reply(initialize("2024-11-05"));
  EXPECT_EQ(r.at("id"), 1);
  auto& result = r.at("result").as_object();
  EXPECT_EQ(result.at("protocolVersion"), "2024-11-05");
  EXPECT_EQ(result.at("serverInfo").at("name"), "appsignals-mcp");
  EXPECT_EQ(result.at("serverInfo").at("version"), "1.2.3");
  EXPECT_EQ(result.at("instructions"), "Start with list_monitored_services.");
  EXPECT_EQ(session_->protocol_version(), "2024-11-05");
  EXPECT_TRUE(session_->client_supports("sampling"));
}

TEST_F(McpServerTest, InitializeOmitsTitleDescriptionAndWebsiteBefore20250618) {
  auto info = reply(initialize("2025-03-26")).at("result").at("serverInfo").as_object();
  EXPECT_FALSE(info.contains("title"));
  EXPECT_FALSE(info.contains("description"));
  EXPECT_FALSE(info.contains("websiteUrl"));
}

TEST_F(McpServerTest, InitializeAddsTitleFrom20250618) {
  auto info = reply(initialize("2025-06-18")).at("result").at("serverInfo").as_object();
  EXPECT_EQ(info.at("title"), "AppSignals");
  EXPECT_FALSE(info.contains("description"));
  EXPECT_FALSE(info.contains("websiteUrl"));
}

TEST_F(McpServerTest, InitializeAddsDescriptionAndWebsiteFrom20251125) {
  auto info = reply(initialize("2025-11-25")).at("result").at("serverInfo").as_object();
  EXPECT_EQ(info.at("title"), "AppSignals");
  EXPECT_EQ(info.at("description"), "Application Signals over MCP");
  EXPECT_EQ(info.at("websiteUrl"), "https://example.com/appsignals");
}

TEST_F(McpServerTest, InitializeWithAnUnknownVersionAnswersTheLatest) {
  auto r = reply(initialize("1999-01-01"));
  EXPECT_EQ(r.at("result").at("protocolVersion"), "2025-11-25");
  EXPECT_EQ(session_->protocol_version(), "2025-11-25");
}

TEST_F(McpServerTest, InitializeDeclaresTheCapabilitiesOfTheRegistry) {
  auto caps = reply(initialize("2025-06-18")).at("result").at("capabilities").as_object();
  EXPECT_TRUE(caps.contains("tools"));
  EXPECT_TRUE(caps.contains("logging"));
  EXPECT_TRUE(caps.contains("resources"));
  EXPECT_TRUE(caps.contains("prompts"));
}

TEST_F(McpServerTest, InitializeWithoutProtocolVersionIsInvalidParams) {
  auto r = reply(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})");
  EXPECT_EQ(error_code_of(r), jsonrpc::kInvalidParams);
  EXPECT_EQ(r.at("id"), 1);
}

TEST_F(McpServerTest, InitializedNotificationMarksTheSession) {
  server_->accept(session_, message(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"));
  EXPECT_TRUE(session_->initialized());
}

TEST_F(McpServerTest, PingAnswersAnEmptyObject) {
  auto r = reply(R"({"jsonrpc":"2.0","id":"p","method":"ping"})");
  EXPECT_EQ(r.at("id"), "p");
  EXPECT_TRUE(r.at("result").as_object().empty());
}

TEST_F(McpServerTest, UnknownMethodIsMethodNotFoundWithTheId) {
  auto r = reply(R"({"jsonrpc":"2.0","id":77,"method":"tools/destroy"})");
  EXPECT_EQ(error_code_of(r), jsonrpc::kMethodNotFound);
  EXPECT_EQ(r.at("id"), 77);
}

// ---- tools ----

TEST_F(McpServerTest, ToolsListPaginatesWithOpaqueCursors) {
  server_->set_page_size(1);
  std::vector<std::string> names;
  std::string cursor;
  for (int page = 0; page < 20; ++page) {
    std::string params = cursor.empty() ? "{}" : R"({"cursor":")" + cursor + R"("})";
    auto r = reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/list","params":)" + params + "}");
    auto& result = r.at("result").as_object();
    auto& tools = result.at("tools").as_array();
    ASSERT_EQ(tools.size(), 1u);
    names.emplace_back(tools[0].at("name").as_string());
    if (!result.contains("nextCursor")) break;
    cursor = std::string(result.at("nextCursor").as_string());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"echo", "structured", "progress", "wait", "ask", "fail", "wait_soft"}));
}

TEST_F(McpServerTest, ToolsListWithoutPagingReturnsEverythingAndNoCursor) {
  auto result = reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})").at("result").as_object();
  EXPECT_EQ(result.at("tools").as_array().size(), 7u);
  EXPECT_FALSE(result.contains("nextCursor"));
}

TEST_F(McpServerTest, ToolsListWithAnInvalidCursorIsInvalidParams) {
  server_->set_page_size(1);
  EXPECT_EQ(error_code_of(reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":"not a cursor"}})")),
            jsonrpc::kInvalidParams);
  EXPECT_EQ(error_code_of(reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":42}})")),
            jsonrpc::kInvalidParams);
  // A well-formed cursor pointing past the end ("offset:99").
  EXPECT_EQ(error_code_of(reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":"b2Zmc2V0Ojk5"}})")),
            jsonrpc::kInvalidParams);
}

TEST_F(McpServerTest, ToolsListShowsTitleAndOutputSchemaFrom20250618Only) {
  auto tools = reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})").at("result").at("tools").as_array();
  EXPECT_TRUE(tools[1].as_object().contains("title"));
  EXPECT_TRUE(tools[1].as_object().contains("outputSchema"));
  session_->set_protocol_version("2025-03-26");
  tools = reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})").at("result").at("tools").as_array();
  EXPECT_FALSE(tools[1].as_object().contains("title"));
  EXPECT_FALSE(tools[1].as_object().contains("outputSchema"));
  EXPECT_TRUE(tools[1].as_object().contains("inputSchema"));
}

TEST_F(McpServerTest, ToolsCallRunsTheTool) {
  auto result = reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}})")
                    .at("result")
                    .as_object();
  EXPECT_EQ(result.at("content").at(0).at("text"), "hi");
  EXPECT_FALSE(result.contains("isError"));
}

TEST_F(McpServerTest, ToolsCallOfAnUnknownToolIsInvalidParams) {
  auto r = reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"nope"}})");
  EXPECT_EQ(error_code_of(r), jsonrpc::kInvalidParams);
  EXPECT_NE(std::string(r.at("error").at("message").as_string()).find("nope"), std::string::npos);
}

TEST_F(McpServerTest, ToolsCallWithInvalidArgumentsIsAToolErrorResult) {
  auto r = reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"txt":"hi"}}})");
  ASSERT_TRUE(r.contains("result")) << boost::json::serialize(r);
  auto& result = r.at("result").as_object();
  EXPECT_EQ(result.at("isError"), true);
  EXPECT_NE(std::string(result.at("content").at(0).at("text").as_string()).find("'text'"), std::string::npos);
}

TEST_F(McpServerTest, ToolsCallWithNonObjectArgumentsIsInvalidParams) {
  EXPECT_EQ(error_code_of(reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":[1]}})")),
            jsonrpc::kInvalidParams);
}

TEST_F(McpServerTest, ToolThatThrowsBecomesAToolErrorResult) {
  auto result = reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"fail"}})").at("result").as_object();
  EXPECT_EQ(result.at("isError"), true);
  EXPECT_EQ(std::string(result.at("content").at(0).at("text").as_string()).find("boom"), std::string::npos);
}

TEST_F(McpServerTest, StructuredContentIsSentFrom20250618) {
  auto result = reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"structured"}})").at("result").as_object();
  EXPECT_EQ(result.at("structuredContent").at("count"), 3);
  EXPECT_EQ(result.at("content").at(0).at("text"), R"({"count":3})");
}

TEST_F(McpServerTest, StructuredContentIsOmittedBefore20250618) {
  session_->set_protocol_version("2025-03-26");
  auto result = reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"structured"}})").at("result").as_object();
  EXPECT_FALSE(result.contains("structuredContent"));
  EXPECT_EQ(result.at("content").at(0).at("text"), R"({"count":3})");
}

// ---- logging ----

TEST_F(McpServerTest, SetLevelChangesTheSessionThreshold) {
  auto r = reply(R"({"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":"error"}})");
  EXPECT_TRUE(r.at("result").as_object().empty());
  EXPECT_EQ(session_->log_level(), LogLevel::kError);
}

TEST_F(McpServerTest, SetLevelWithAnInvalidLevelIsInvalidParams) {
  EXPECT_EQ(error_code_of(reply(R"({"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":"loud"}})")),
            jsonrpc::kInvalidParams);
  EXPECT_EQ(error_code_of(reply(R"({"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{}})")),
            jsonrpc::kInvalidParams);
  EXPECT_EQ(session_->log_level(), LogLevel::kInfo);
}

// ---- resources and prompts ----

TEST_F(McpServerTest, ResourcesReadReturnsTheContents) {
  auto result = reply(R"({"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"docs://readme"}})").at("result").as_object();
  EXPECT_EQ(result.at("contents").at(0).at("text"), "hello");
}

TEST_F(McpServerTest, ResourcesReadThroughATemplate) {
  auto result = reply(R"({"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"items://7"}})").at("result").as_object();
  EXPECT_EQ(result.at("contents").at(0).at("uri"), "items://7");
}

TEST_F(McpServerTest, ResourcesReadOfAnUnknownUriIsResourceNotFoundWithTheUri) {
  auto r = reply(R"({"jsonrpc":"2.0","id":4,"method":"resources/read","params":{"uri":"docs://nope"}})");
  EXPECT_EQ(error_code_of(r), jsonrpc::kResourceNotFound);
  EXPECT_EQ(r.at("error").at("data").at("uri"), "docs://nope");
  EXPECT_EQ(r.at("id"), 4);
}

TEST_F(McpServerTest, ResourcesReadThatTheReaderCannotFindIsResourceNotFound) {
  auto r = reply(R"({"jsonrpc":"2.0","id":4,"method":"resources/read","params":{"uri":"items://missing"}})");
  EXPECT_EQ(error_code_of(r), jsonrpc::kResourceNotFound);
  EXPECT_EQ(r.at("error").at("data").at("uri"), "items://missing");
}

// Issue #20 finding 6: subscriptions are for advertised resources only, and bounded.
TEST_F(McpServerTest, SubscribeToAnUnadvertisedUriIsResourceNotFoundAndStoresNothing) {
  auto r = reply(R"({"jsonrpc":"2.0","id":5,"method":"resources/subscribe","params":{"uri":"evil://x"}})");
  EXPECT_EQ(error_code_of(r), jsonrpc::kResourceNotFound);
  EXPECT_FALSE(session_->subscribed("evil://x"));
  auto ok = reply(R"({"jsonrpc":"2.0","id":6,"method":"resources/subscribe","params":{"uri":"docs://readme"}})");
  EXPECT_TRUE(ok.contains("result"));
  EXPECT_TRUE(session_->subscribed("docs://readme"));
}

TEST_F(McpServerTest, SubscriptionsPerSessionAreCapped) {
  std::size_t accepted = 0;
  for (std::size_t i = 0; i < Session::kMaxSubscriptions + 20; ++i) {
    auto r = reply(R"({"jsonrpc":"2.0","id":1,"method":"resources/subscribe","params":{"uri":"items://)" +
                   std::to_string(i) + R"("}})");
    if (r.contains("result")) ++accepted;
    else EXPECT_EQ(error_code_of(r), jsonrpc::kInvalidParams);
  }
  EXPECT_EQ(accepted, Session::kMaxSubscriptions);
  EXPECT_FALSE(session_->subscribed("items://" + std::to_string(Session::kMaxSubscriptions)));
}

TEST_F(McpServerTest, PromptsGetWithoutARequiredArgumentIsInvalidParams) {
  auto r = reply(R"({"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"summarise","arguments":{}}})");
  EXPECT_EQ(error_code_of(r), jsonrpc::kInvalidParams);
  EXPECT_NE(std::string(r.at("error").at("message").as_string()).find("topic"), std::string::npos);
}

TEST_F(McpServerTest, PromptsGetWithItsArgumentsReturnsMessages) {
  auto result = reply(R"({"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"summarise","arguments":{"topic":"latency"}}})")
                    .at("result")
                    .as_object();
  EXPECT_EQ(result.at("messages").at(0).at("content").at("text"), "latency");
}

TEST_F(McpServerTest, PromptsGetOfAnUnknownPromptIsInvalidParams) {
  EXPECT_EQ(error_code_of(reply(R"({"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"x"}})")),
            jsonrpc::kInvalidParams);
}

// ---- cancellation, progress, server-to-client requests ----

TEST_F(McpServerTest, CancelledNotificationCancelsAWaitingToolAndNoResponseIsDue) {
  bool started = false;
  hooks_->on_wait_started = [&] {
    started = true;
    boost::asio::post(ioc_, [this] {
      server_->accept(session_, message(R"({"jsonrpc":"2.0","method":"notifications/cancelled",
                                            "params":{"requestId":5,"reason":"user"}})"));
    });
  };
  int calls = 0;
  std::optional<std::string> response = "unset";
  server_->dispatch(session_, message(R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"wait"}})"),
                    nullptr, [&](std::optional<std::string> r) {
                      ++calls;
                      response = std::move(r);
                    });
  ioc_.run();  // returns only once the hour-long timer has been cancelled
  EXPECT_TRUE(started);
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(response.has_value()) << *response;
  EXPECT_FALSE(session_->cancel_in_flight("i:5"));  // no longer in flight
}

// The spec: a cancelled request gets no response, even when its handler answered anyway (a tool
// turning its cancelled AWS call into an error result).
TEST_F(McpServerTest, CancelledToolThatAnswersAnywayGetsNoResponse) {
  hooks_->on_wait_started = [&] {
    boost::asio::post(ioc_, [this] {
      server_->accept(session_, message(R"({"jsonrpc":"2.0","method":"notifications/cancelled",
                                            "params":{"requestId":6}})"));
    });
  };
  int calls = 0;
  std::optional<std::string> response = "unset";
  server_->dispatch(session_,
                    message(R"({"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"wait_soft"}})"),
                    nullptr, [&](std::optional<std::string> r) {
                      ++calls;
                      response = std::move(r);
                    });
  ioc_.run();
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(response.has_value()) << *response;
}

// MCP_TOOL_TIMEOUT: a tool that runs past the deadline is cancelled (the hour-long wait ends,
// or ioc_.run() would not return) and the call answers an isError that says it timed out.
TEST_F(McpServerTest, ToolPastItsDeadlineIsCancelledAndAnswersThatItTimedOut) {
  server_->set_tool_timeout(std::chrono::milliseconds(20));
  bool started = false;
  hooks_->on_wait_started = [&] { started = true; };
  auto r = reply(R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"wait"}})");
  EXPECT_TRUE(started);
  ASSERT_TRUE(r.contains("result")) << boost::json::serialize(r);
  const auto& result = r.at("result").as_object();
  EXPECT_TRUE(result.contains("isError") && result.at("isError").as_bool());
  std::string text(result.at("content").as_array().at(0).at("text").as_string());
  EXPECT_NE(text.find("timed out"), std::string::npos) << text;
  EXPECT_NE(text.find("MCP_TOOL_TIMEOUT"), std::string::npos) << text;
}

// A tool that throws ends the deadline race at once: "failed unexpectedly", not a timeout after
// the deadline (`||` waits for the first success; the thrown tool must not count as pending).
TEST_F(McpServerTest, ToolThatThrowsUnderADeadlineFailsAtOnceNotAsATimeout) {
  server_->set_tool_timeout(std::chrono::milliseconds(200));
  auto r = reply(R"({"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"fail"}})");
  ASSERT_TRUE(r.contains("result")) << boost::json::serialize(r);
  const auto& result = r.at("result").as_object();
  EXPECT_TRUE(result.contains("isError") && result.at("isError").as_bool());
  std::string text(result.at("content").as_array().at(0).at("text").as_string());
  EXPECT_NE(text.find("failed unexpectedly"), std::string::npos) << text;
  EXPECT_EQ(text.find("timed out"), std::string::npos) << text;
}

TEST_F(McpServerTest, ToolWithinItsDeadlineAnswersNormally) {
  server_->set_tool_timeout(std::chrono::hours(1));
  auto r = reply(R"({"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}})");
  ASSERT_TRUE(r.contains("result")) << boost::json::serialize(r);
  EXPECT_FALSE(r.at("result").as_object().contains("isError"));
  EXPECT_EQ(r.at("result").at("content").as_array().at(0).at("text").as_string(), "hi");
}

// A client cancel while the deadline timer runs is still a cancel: no response.
TEST_F(McpServerTest, CancelledNotificationUnderADeadlineStillGetsNoResponse) {
  server_->set_tool_timeout(std::chrono::hours(1));
  hooks_->on_wait_started = [&] {
    boost::asio::post(ioc_, [this] {
      server_->accept(session_, message(R"({"jsonrpc":"2.0","method":"notifications/cancelled",
                                            "params":{"requestId":9}})"));
    });
  };
  int calls = 0;
  std::optional<std::string> response = "unset";
  server_->dispatch(session_, message(R"({"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"wait"}})"),
                    nullptr, [&](std::optional<std::string> r) {
                      ++calls;
                      response = std::move(r);
                    });
  ioc_.run();
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(response.has_value()) << *response;
}

TEST_F(McpServerTest, CancelledNotificationForAnUnknownIdIsIgnored) {
  server_->accept(session_, message(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"zzz"}})"));
  auto r = reply(R"({"jsonrpc":"2.0","id":1,"method":"ping"})");
  EXPECT_TRUE(r.contains("result"));
}

TEST_F(McpServerTest, ProgressNotificationsReachTheRelatedOutbound) {
  auto out = std::make_shared<RecordingOutbound>();
  auto r = reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"progress","_meta":{"progressToken":"tok"}}})",
                 out);
  EXPECT_EQ(r.at("result").at("content").at(0).at("text"), "done");
  auto sent = out->messages();
  ASSERT_EQ(sent.size(), 2u);
  auto first = boost::json::parse(sent[0]).as_object();
  EXPECT_EQ(first.at("method"), "notifications/progress");
  EXPECT_FALSE(first.contains("id"));
  EXPECT_EQ(first.at("params").at("progressToken"), "tok");
  EXPECT_EQ(first.at("params").at("progress").to_number<double>(), 1.0);
  EXPECT_EQ(first.at("params").at("total").to_number<double>(), 2.0);
  EXPECT_EQ(first.at("params").at("message"), "half way");
  auto second = boost::json::parse(sent[1]).as_object();
  EXPECT_EQ(second.at("params").at("progress").to_number<double>(), 2.0);
}

TEST_F(McpServerTest, NoProgressIsSentWithoutAProgressToken) {
  auto out = std::make_shared<RecordingOutbound>();
  reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"progress"}})", out);
  EXPECT_TRUE(out->messages().empty());
}

TEST_F(McpServerTest, ProgressFallsBackToTheStandaloneStreamWithoutARelatedOutbound) {
  auto standalone = std::make_shared<RecordingOutbound>();
  ASSERT_TRUE(session_->attach_standalone(standalone));
  reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"progress","_meta":{"progressToken":3}}})");
  EXPECT_EQ(standalone->messages().size(), 2u);
}

TEST_F(McpServerTest, RequestClientRoundTripIsResolvedByAcceptingTheResponse) {
  auto out = std::make_shared<RecordingOutbound>();
  out->on_send = [this](const std::string& text) {
    auto m = boost::json::parse(text).as_object();
    if (!m.contains("id") || !m.contains("method")) return;
    EXPECT_EQ(m.at("method"), "sampling/createMessage");
    json::object response{{"jsonrpc", "2.0"}, {"id", m.at("id")},
                          {"result", json::object{{"model", "m"}, {"content", json::object{{"type", "text"}, {"text", "from the client"}}}}}};
    boost::asio::post(ioc_, [this, response] {
      server_->accept(session_, std::get<jsonrpc::Message>(jsonrpc::parse_message(response)));
    });
  };
  auto result = reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"ask"}})", out).at("result").as_object();
  EXPECT_FALSE(result.contains("isError")) << boost::json::serialize(result);
  EXPECT_NE(std::string(result.at("content").at(0).at("text").as_string()).find("from the client"), std::string::npos);
}

TEST_F(McpServerTest, RequestClientErrorResponseBecomesAFailure) {
  auto out = std::make_shared<RecordingOutbound>();
  out->on_send = [this](const std::string& text) {
    auto m = boost::json::parse(text).as_object();
    if (!m.contains("id")) return;
    json::object response{{"jsonrpc", "2.0"}, {"id", m.at("id")},
                          {"error", json::object{{"code", -1}, {"message", "user declined"}}}};
    boost::asio::post(ioc_, [this, response] {
      server_->accept(session_, std::get<jsonrpc::Message>(jsonrpc::parse_message(response)));
    });
  };
  auto result = reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"ask"}})", out).at("result").as_object();
  EXPECT_EQ(result.at("isError"), true);
  EXPECT_NE(std::string(result.at("content").at(0).at("text").as_string()).find("user declined"), std::string::npos);
}

TEST_F(McpServerTest, RequestClientWithoutAChannelFailsAsUnimplemented) {
  auto result = reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"ask"}})").at("result").as_object();
  EXPECT_EQ(result.at("isError"), true);
  EXPECT_NE(std::string(result.at("content").at(0).at("text").as_string()).find("Unimplemented"), std::string::npos);
}


// ---- OAuth scopes and AWS profile sets are the request's own (issue #18) ----

std::shared_ptr<const Grants> scopes_grant(std::vector<std::string> scopes) {
  return std::make_shared<const Grants>(Grants{std::move(scopes), std::nullopt});
}

std::set<std::string> tool_names(const json::object& list_reply) {
  std::set<std::string> names;
  for (const auto& t : list_reply.at("result").at("tools").as_array()) names.insert(std::string(t.at("name").as_string()));
  return names;
}

// Two requests of one session arrive with different tokens (a legacy SSE POST, a batch, a
// stepped-up token) and are both dispatched before either runs: each is judged by its own
// token's scopes. (When the scopes lived on the session, the later request's scopes applied to
// both: a read-only request could run a writing tool.)
TEST_F(McpServerTest, EachRequestIsJudgedByItsOwnScopesNotTheLatestOfItsSession) {
  testing::add_writing_tool(server_->registry());
  server_->set_scope_policy(ScopePolicy{});
  const auto reader = scopes_grant({"appsignals:read"});
  const auto writer = scopes_grant({"appsignals:read", "appsignals:write"});
  const char* call_erase = R"({"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"erase","arguments":{}}})";
  for (bool reader_first : {true, false}) {
    std::map<std::int64_t, std::string> replies;
    auto dispatch = [&](std::int64_t id, std::shared_ptr<const Grants> grants) {
      char text[256];
      std::snprintf(text, sizeof text, call_erase, static_cast<int>(id));
      auto m = message(text);
      m.grants = std::move(grants);
      server_->dispatch(session_, std::move(m), nullptr,
                        [&replies, id](std::optional<std::string> r) { replies[id] = r.value_or("(none)"); });
    };
    if (reader_first) {
      dispatch(1, reader);
      dispatch(2, writer);
    } else {
      dispatch(2, writer);
      dispatch(1, reader);
    }
    ioc_.restart();
    ioc_.run();
    ASSERT_EQ(replies.size(), 2u);
    auto refused = boost::json::parse(replies[1]).as_object();
    EXPECT_TRUE(refused.at("result").as_object().contains("isError")) << replies[1];
    EXPECT_NE(replies[1].find("needs the OAuth scope 'appsignals:write'"), std::string::npos) << replies[1];
    auto allowed = boost::json::parse(replies[2]).as_object();
    EXPECT_FALSE(allowed.at("result").as_object().contains("isError")) << replies[2];
    EXPECT_NE(replies[2].find("erased"), std::string::npos) << replies[2];
  }

  // tools/list: the same session shows each request what its own token allows.
  auto list = message(R"({"jsonrpc":"2.0","id":3,"method":"tools/list"})");
  auto list_as = [&](std::shared_ptr<const Grants> grants) {
    auto m = list;
    m.grants = std::move(grants);
    std::optional<std::string> out;
    server_->dispatch(session_, std::move(m), nullptr, [&out](std::optional<std::string> r) { out = std::move(r); });
    ioc_.restart();
    ioc_.run();
    return boost::json::parse(out.value_or("{}")).as_object();
  };
  EXPECT_EQ(tool_names(list_as(reader)).count("erase"), 0u);
  EXPECT_EQ(tool_names(list_as(writer)).count("erase"), 1u);
  EXPECT_EQ(tool_names(list_as(reader)).count("erase"), 0u) << "a cached list leaked across scopes";
  // No grants (API keys, auth off, stdio): not restricted by scope.
  EXPECT_EQ(tool_names(list_as(nullptr)).count("erase"), 1u);
}

// serve fails closed: every HTTP transport attaches grants (never null), so a request without
// them can only come from a transport bug and must not run unrestricted.
TEST_F(McpServerTest, WhenGrantsAreRequiredARequestWithoutThemIsRefused) {
  net::Request anonymous;
  const auto unrestricted = grants_of(anonymous);
  ASSERT_NE(unrestricted, nullptr);
  EXPECT_FALSE(unrestricted->scopes.has_value());
  EXPECT_FALSE(unrestricted->aws_profiles.has_value());
  net::Request reader;
  reader.scopes = std::vector<std::string>{"appsignals:read"};
  ASSERT_NE(grants_of(reader), nullptr);
  EXPECT_EQ(grants_of(reader)->scopes, reader.scopes);

  server_->set_require_grants(true);
  EXPECT_EQ(error_code_of(reply(R"({"jsonrpc":"2.0","id":1,"method":"ping"})")), jsonrpc::kInternalError);
  auto m = message(R"({"jsonrpc":"2.0","id":2,"method":"ping"})");
  m.grants = unrestricted;
  std::optional<std::string> out;
  server_->dispatch(session_, std::move(m), nullptr, [&out](std::optional<std::string> r) { out = std::move(r); });
  ioc_.restart();
  ioc_.run();
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(boost::json::parse(*out).as_object().contains("result")) << *out;
}

}  // namespace
}  // namespace appsignals::mcp

#include "app/metrics.h"

#include <gtest/gtest.h>

#include <exception>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "aws/services/ops.h"
#include "mcp/session.h"

namespace appsignals::app {
namespace {

namespace asio = boost::asio;
namespace http = net::http;
namespace json = boost::json;

// The value of the sample line `series` (name and labels exactly as serialised), or nullopt.
std::optional<double> sample(const std::string& text, const std::string& series) {
  auto pos = text.find("\n" + series + " ");
  if (pos == std::string::npos) return std::nullopt;
  return std::stod(text.substr(pos + series.size() + 2));
}

TEST(ServerMetrics, HttpRepliesAreCountedByRoutePatternMethodAndStatus) {
  ServerMetrics m;
  m.on_reply(3, "/mcp", http::verb::post, 200);
  m.on_reply(3, "/mcp", http::verb::post, 200);
  m.on_reply(0, "", http::verb::get, 404);
  m.on_reply(3, "/mcp", http::verb::patch, 599);
  auto text = m.scrape();
  EXPECT_EQ(sample(text, R"(appsignals_http_requests_total{method="POST",route="/mcp",status="200"})"), 2);
  EXPECT_EQ(sample(text, R"(appsignals_http_requests_total{method="GET",route="unmatched",status="404"})"), 1);
  EXPECT_EQ(sample(text, R"(appsignals_http_requests_total{method="other",route="/mcp",status="other"})"), 1);
}

TEST(ServerMetrics, AwsCallsAreCountedByOperationAndOutcomeUnknownOperationsShareOther) {
  ServerMetrics m;
  aws::CallReport r;
  r.service = aws::ops::kListServices.service;
  r.operation = aws::ops::kListServices.name;
  r.outcome = aws::CallOutcome::kRetried;
  r.throttled_attempts = 2;
  r.latency = std::chrono::milliseconds(30);
  m.on_call(r);
  r.operation = "NotAnOperation";
  r.outcome = aws::CallOutcome::kError;
  m.on_call(r);
  auto text = m.scrape();
  EXPECT_EQ(sample(text, R"(appsignals_aws_requests_total{operation="ListServices",outcome="retried",service="application-signals"})"), 1);
  EXPECT_EQ(sample(text, R"(appsignals_aws_throttled_attempts_total{operation="ListServices",service="application-signals"})"), 2);
  EXPECT_EQ(sample(text, R"(appsignals_aws_request_duration_seconds_count{operation="ListServices",service="application-signals"})"), 1);
  EXPECT_EQ(sample(text, R"(appsignals_aws_requests_total{operation="other",outcome="error",service="other"})"), 1);
  EXPECT_EQ(text.find("NotAnOperation"), std::string::npos);
}

TEST(ServerMetrics, AuthFailuresRedisErrorsAndProcessSeries) {
  ServerMetrics m;
  m.on_auth_failure(net::AuthFailure::kMissing);
  m.on_auth_failure(net::AuthFailure::kRejected);
  m.on_auth_failure(net::AuthFailure::kRejected);
  m.on_auth_failure(net::AuthFailure::kInsufficientScope);
  m.redis_error_hook()();
  MetricsGauges g;
  g.open_connections = [] { return std::size_t{7}; };
  m.set_gauges(g);
  auto text = m.scrape();
  EXPECT_EQ(sample(text, R"(appsignals_auth_failures_total{reason="missing"})"), 1);
  EXPECT_EQ(sample(text, R"(appsignals_auth_failures_total{reason="rejected"})"), 2);
  EXPECT_EQ(sample(text, R"(appsignals_auth_failures_total{reason="insufficient_scope"})"), 1);
  EXPECT_EQ(sample(text, "appsignals_redis_errors_total"), 1);
  EXPECT_EQ(sample(text, "appsignals_open_connections"), 7);
  EXPECT_GT(sample(text, "process_resident_memory_bytes").value_or(0), 0);
  EXPECT_TRUE(sample(text, "process_cpu_seconds_total").has_value());
}

// Gauges read objects run_server owns: once their scope ends, a scrape must not call them.
TEST(ServerMetrics, ScopedGaugesAreClearedWhenTheScopeEnds) {
  ServerMetrics m;
  int reads = 0;
  {
    MetricsGauges g;
    g.open_connections = [&reads] {
      ++reads;
      return std::size_t{3};
    };
    ScopedGauges scope(m, std::move(g));
    EXPECT_EQ(sample(m.scrape(), "appsignals_open_connections"), 3);
  }
  EXPECT_EQ(reads, 1);
  m.scrape();
  EXPECT_EQ(reads, 1);
}

struct CountingObserver final : aws::CallObserver {
  int calls = 0;
  void on_call(const aws::CallReport&) noexcept override { ++calls; }
};

// The process's call observer is not owned by a global: it is set for a scope and cleared
// (previous one restored) when the scope ends, so nothing outlives run_server.
TEST(CallObserver, ScopedObserverIsNotOwnedAndIsClearedWhenTheScopeEnds) {
  ASSERT_EQ(aws::call_observer(), nullptr);
  auto observer = std::make_shared<CountingObserver>();
  std::weak_ptr<CountingObserver> weak = observer;
  {
    aws::ScopedCallObserver outer(observer.get());
    EXPECT_EQ(aws::call_observer(), observer.get());
    CountingObserver inner_observer;
    {
      aws::ScopedCallObserver inner(&inner_observer);
      EXPECT_EQ(aws::call_observer(), &inner_observer);
    }
    EXPECT_EQ(aws::call_observer(), observer.get());
  }
  EXPECT_EQ(aws::call_observer(), nullptr);
  observer.reset();
  EXPECT_TRUE(weak.expired());
}

mcp::ToolResult run_tool(const mcp::ToolHandler& handler, bool modern = false) {
  asio::io_context ioc;
  auto session = std::make_shared<mcp::Session>("sess-1", "api-key:ab");
  mcp::RequestContext ctx(session, nullptr, 1, nullptr, ioc.get_executor());
  ctx.set_trace_id("rid-1");
  if (modern) ctx.set_modern(std::make_shared<mcp::ModernCall>());
  std::optional<mcp::ToolResult> out;
  std::exception_ptr failure;
  asio::co_spawn(ioc, handler(ctx, json::object()), [&](std::exception_ptr e, mcp::ToolResult r) {
    failure = e;
    out = std::move(r);
  });
  ioc.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*out);
}

asio::awaitable<mcp::ToolResult> ok_tool(mcp::RequestContext&, json::object) { co_return mcp::ToolResult::text("ok"); }
asio::awaitable<mcp::ToolResult> refusing_tool(mcp::RequestContext&, json::object) {
  co_return mcp::ToolResult::error("no");
}
asio::awaitable<mcp::ToolResult> throwing_tool(mcp::RequestContext&, json::object) {
  throw std::runtime_error("boom");
  co_return mcp::ToolResult::text("unreached");
}
asio::awaitable<mcp::ToolResult> cancelled_tool(mcp::RequestContext&, json::object) {
  throw boost::system::system_error(asio::error::operation_aborted);
  co_return mcp::ToolResult::text("unreached");
}

asio::awaitable<mcp::ToolResult> capability_tool(mcp::RequestContext& ctx, json::object) {
  if (!ctx.require_capability("elicitation")) co_return mcp::ToolResult::text("refused");
  co_return mcp::ToolResult::text("unreached");
}
asio::awaitable<mcp::ToolResult> internal_failure_tool(mcp::RequestContext& ctx, json::object) {
  ctx.fail(mcp::jsonrpc::kInternalError, "broken");
  co_return mcp::ToolResult::text("failed");
}
asio::awaitable<mcp::ToolResult> asking_tool(mcp::RequestContext& ctx, json::object) {
  std::string key = "q";
  std::string method = "test/ask";
  json::object params;
  auto answer = co_await ctx.ask(key, method, std::move(params));
  co_return mcp::ToolResult::text(answer && *answer ? "answered" : "asked");
}

// A missing client capability is the client's error, not the server's; an input_required
// round is neither ok nor an error.
TEST(ServerMetrics, ClientErrorsAndInputRequiredRoundsHaveTheirOwnOutcome) {
  ServerMetrics m;
  auto wrap = m.tool_wrapper();
  mcp::ToolDef def;
  def.name = "t_cap";
  def.handler = &capability_tool;
  auto cap = wrap(def);
  def.name = "t_internal";
  def.handler = &internal_failure_tool;
  auto internal = wrap(def);
  def.name = "t_ask";
  def.handler = &asking_tool;
  auto ask = wrap(def);
  run_tool(cap, true);
  run_tool(internal, true);
  run_tool(ask, true);
  auto text = m.scrape();
  EXPECT_EQ(sample(text, R"(appsignals_tool_calls_total{outcome="client_error",tool="t_cap"})"), 1);
  EXPECT_EQ(sample(text, R"(appsignals_tool_calls_total{outcome="error",tool="t_cap"})"), 0);
  EXPECT_EQ(sample(text, R"(appsignals_tool_calls_total{outcome="error",tool="t_internal"})"), 1);
  EXPECT_EQ(sample(text, R"(appsignals_tool_calls_total{outcome="input_required",tool="t_ask"})"), 1);
  EXPECT_EQ(sample(text, R"(appsignals_tool_calls_total{outcome="ok",tool="t_ask"})"), 0);
}

// tools/call answered without a handler (McpServer's rejection hook): invalid arguments count
// as the tool's isError; unknown and refused names under one fixed label.
TEST(ServerMetrics, RejectedToolCallsAreCountedUnderAFixedLabelForUnknownNames) {
  ServerMetrics m;
  mcp::ToolDef def;
  def.name = "t_args";
  def.handler = &ok_tool;
  m.tool_wrapper()(def);
  auto hook = m.tool_rejection_hook();
  asio::io_context ioc;
  auto session = std::make_shared<mcp::Session>("sess-1", "api-key:ab");
  mcp::RequestContext ctx(session, nullptr, 1, nullptr, ioc.get_executor());
  hook(ctx, "t_args", mcp::McpServer::ToolRejection::kInvalidArguments);
  hook(ctx, "no_such_tool_1", mcp::McpServer::ToolRejection::kUnknown);
  hook(ctx, "no_such_tool_2", mcp::McpServer::ToolRejection::kUnknown);
  hook(ctx, "excluded_tool", mcp::McpServer::ToolRejection::kRefused);
  auto text = m.scrape();
  EXPECT_EQ(sample(text, R"(appsignals_tool_calls_total{outcome="isError",tool="t_args"})"), 1);
  EXPECT_EQ(sample(text, R"x(appsignals_tool_calls_total{outcome="client_error",tool="(unknown)"})x"), 2);
  EXPECT_EQ(sample(text, R"x(appsignals_tool_calls_total{outcome="isError",tool="(unknown)"})x"), 1);
  EXPECT_EQ(text.find("no_such_tool"), std::string::npos);
}

TEST(ServerMetrics, ToolCallsAreCountedByToolAndOutcome) {
  ServerMetrics m;
  auto wrap = m.tool_wrapper();
  mcp::ToolDef def;
  def.name = "t_ok";
  def.handler = &ok_tool;
  auto ok = wrap(def);
  def.name = "t_err";
  def.handler = &refusing_tool;
  auto refusing = wrap(def);
  def.name = "t_throw";
  def.handler = &throwing_tool;
  auto throwing = wrap(def);
  def.name = "t_cancel";
  def.handler = &cancelled_tool;
  auto cancelled = wrap(def);
  EXPECT_FALSE(run_tool(ok).is_error);
  run_tool(ok);
  EXPECT_TRUE(run_tool(refusing).is_error);
  EXPECT_THROW(run_tool(throwing), std::runtime_error);
  EXPECT_THROW(run_tool(cancelled), boost::system::system_error);
  auto text = m.scrape();
  EXPECT_EQ(sample(text, R"(appsignals_tool_calls_total{outcome="ok",tool="t_ok"})"), 2);
  EXPECT_EQ(sample(text, R"(appsignals_tool_calls_total{outcome="isError",tool="t_err"})"), 1);
  EXPECT_EQ(sample(text, R"(appsignals_tool_calls_total{outcome="error",tool="t_throw"})"), 1);
  EXPECT_EQ(sample(text, R"(appsignals_tool_calls_total{outcome="cancelled",tool="t_cancel"})"), 1);
  EXPECT_EQ(sample(text, R"(appsignals_tool_call_duration_seconds_count{tool="t_ok"})"), 2);
}

}  // namespace
}  // namespace appsignals::app

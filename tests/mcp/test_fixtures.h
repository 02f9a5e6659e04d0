#pragma once
// Shared fixtures for the MCP tests: a registry with small tools, a resource, a template and a
// prompt, and an Outbound that records what it is given.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "mcp/outbound.h"
#include "mcp/registry.h"
#include "net/authenticator.h"
#include "net/http_types.h"

namespace appsignals::mcp::testing {

namespace asio = boost::asio;

// Records every message; `on_send` (optional) sees each one after it is recorded.
class RecordingOutbound final : public Outbound {
 public:
  bool send(std::string message) override {
    std::function<void(const std::string&)> hook;
    {
      std::lock_guard lock(mu_);
      messages_.push_back(message);
      hook = on_send;
    }
    if (hook) hook(message);
    return true;
  }
  std::vector<std::string> messages() const {
    std::lock_guard lock(mu_);
    return messages_;
  }
  std::function<void(const std::string&)> on_send;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> messages_;
};

struct Hooks {
  std::function<void()> on_wait_started;  // called by the "wait" tool once it runs
};

inline asio::awaitable<ToolResult> echo_tool(RequestContext&, json::object args) {
  co_return ToolResult::text(std::string(args.at("text").as_string()));
}

inline asio::awaitable<ToolResult> structured_tool(RequestContext&, json::object) {
  co_return ToolResult::structured(json::object{{"count", 3}});
}

inline asio::awaitable<ToolResult> progress_tool(RequestContext& ctx, json::object) {
  ctx.progress(1, 2, "half way");
  ctx.progress(2, 2);
  co_return ToolResult::text("done");
}

inline asio::awaitable<ToolResult> wait_tool(RequestContext& ctx, json::object, std::shared_ptr<Hooks> hooks) {
  asio::steady_timer timer(ctx.executor(), std::chrono::hours(1));
  if (hooks->on_wait_started) hooks->on_wait_started();
  co_await timer.async_wait(asio::use_awaitable);
  co_return ToolResult::text("waited an hour");
}

// Like wait_tool, but turns its cancellation into a result, as tools do with a cancelled AWS call.
inline asio::awaitable<ToolResult> wait_soft_tool(RequestContext& ctx, json::object, std::shared_ptr<Hooks> hooks) {
  asio::steady_timer timer(ctx.executor(), std::chrono::hours(1));
  if (hooks->on_wait_started) hooks->on_wait_started();
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  co_return ToolResult::error("stopped: " + ec.message());
}

inline asio::awaitable<ToolResult> ask_tool(RequestContext& ctx, json::object) {
  // (A string literal argument inside co_await trips GCC 12: "array used as initializer".)
  std::string method = "sampling/createMessage";
  json::object params{{"maxTokens", 10}};
  auto answer = co_await ctx.request_client(std::move(method), std::move(params), std::chrono::minutes(1));
  if (!answer) co_return ToolResult::error(answer.error().to_string());
  co_return ToolResult::text(json::serialize(*answer));
}

inline asio::awaitable<ToolResult> fail_tool(RequestContext&, json::object) {
  throw std::runtime_error("boom");
  co_return ToolResult::text("unreachable");
}

inline asio::awaitable<Result<json::array>> read_readme(RequestContext&, std::string uri) {
  co_return json::array{json::object{{"uri", uri}, {"mimeType", "text/plain"}, {"text", "hello"}}};
}

inline asio::awaitable<Result<json::array>> read_item(RequestContext&, std::string uri) {
  if (uri == "items://missing") co_return Error{ErrorCode::kNotFound, "no such item"};
  co_return json::array{json::object{{"uri", uri}, {"text", "item"}}};
}

inline asio::awaitable<Result<json::object>> summarise_prompt(RequestContext&, json::object args) {
  json::object message{{"role", "user"},
                       {"content", json::object{{"type", "text"}, {"text", args.at("topic")}}}};
  co_return json::object{{"messages", json::array{message}}};
}

inline ToolDef make_tool(std::string name, ToolHandler handler, json::object schema = {}) {
  ToolDef t;
  t.name = std::move(name);
  t.title = "Title of " + t.name;
  t.description = "test tool " + t.name;
  t.input_schema = schema.empty() ? json::object{{"type", "object"}} : std::move(schema);
  t.handler = std::move(handler);
  return t;
}

inline std::shared_ptr<Registry> make_registry(std::shared_ptr<Hooks> hooks) {
  auto r = std::make_shared<Registry>();
  r->add_tool(make_tool("echo", echo_tool,
                        boost::json::parse(R"({"type":"object","properties":{"text":{"type":"string"}},
                            "required":["text"],"additionalProperties":false})")
                            .as_object()));
  auto structured = make_tool("structured", structured_tool);
  structured.output_schema = json::object{{"type", "object"}};
  r->add_tool(std::move(structured));
  r->add_tool(make_tool("progress", progress_tool));
  r->add_tool(make_tool("wait", [hooks](RequestContext& ctx, json::object args) {
    return wait_tool(ctx, std::move(args), hooks);
  }));
  r->add_tool(make_tool("ask", ask_tool));
  r->add_tool(make_tool("fail", fail_tool));
  r->add_tool(make_tool("wait_soft", [hooks](RequestContext& ctx, json::object args) {
    return wait_soft_tool(ctx, std::move(args), hooks);
  }));

  ResourceDef readme;
  readme.uri = "docs://readme";
  readme.name = "readme";
  readme.read = read_readme;
  r->add_resource(std::move(readme));
  ResourceTemplateDef items;
  items.uri_template = "items://{id}";
  items.name = "item";
  items.read = read_item;
  r->add_resource_template(std::move(items));

  PromptDef prompt;
  prompt.name = "summarise";
  prompt.arguments = {PromptArgument{"topic", "what to summarise", true}};
  prompt.get = summarise_prompt;
  r->add_prompt(std::move(prompt));
  return r;
}

// A tool that changes the account (ToolDef::writes): needs the write scope under a ScopePolicy.
inline void add_writing_tool(Registry& registry) {
  ToolDef erase;
  erase.name = "erase";
  erase.description = "Erases something (a writing tool)";
  erase.input_schema = json::object{{"type", "object"}};
  erase.writes = true;
  erase.handler = [](RequestContext&, json::object) -> asio::awaitable<ToolResult> {
    co_return ToolResult::text("erased");
  };
  registry.add_tool(std::move(erase));
}

// OAuth-like bearer tokens of one principal with different scopes, as a refreshed or stepped-up
// token has: "reader" grants appsignals:read, "writer" appsignals:read and appsignals:write
// (`Authorization: Bearer <token>` or `X-API-Key: <token>`).
class ScopedTokenAuthenticator final : public net::Authenticator {
 public:
  net::AuthOutcome authenticate(const net::Request& request) const override {
    std::string_view token = request.header("X-API-Key");
    if (auto h = request.header("Authorization"); h.rfind("Bearer ", 0) == 0) token = h.substr(7);
    net::AuthOutcome out;
    if (token != "reader" && token != "writer") {
      out.failure = token.empty() ? net::AuthFailure::kMissing : net::AuthFailure::kRejected;
      return out;
    }
    out.ok = true;
    out.failure = net::AuthFailure::kNone;
    out.principal = "oauth:https://as.test#alice";
    out.scopes = std::vector<std::string>{"appsignals:read"};
    if (token == "writer") out.scopes->push_back("appsignals:write");
    return out;
  }
  net::AuthChallenge challenge(net::AuthFailure) const override { return {"unauthorized", "Bearer"}; }
  std::string mode() const override { return "test-oauth"; }
};

}  // namespace appsignals::mcp::testing

// The 2026-07-28 additions to the conformance fixture: input_required (MRTR) tools and prompt,
// the capability, logging and streaming probes of server-stateless, the list-change triggers
// for subscriptions/listen, and a tool with an x-mcp-header argument (SEP-2243).
//
// Every handler asks through RequestContext::ask, so the same tool works in both eras: a
// handshake-era client gets server-to-client requests, a modern one input_required rounds.
#include <atomic>
#include <string>

#include <boost/json/serialize.hpp>

#include "fixture.h"

namespace appsignals::conformance {

namespace json = boost::json;
using boost::asio::awaitable;
using mcp::RequestContext;
using mcp::ToolResult;

namespace {

// The registry the triggers change (set once by register_modern_fixture; coroutine lambdas
// capture nothing).
mcp::Registry* g_registry = nullptr;
std::atomic<bool> g_dynamic_tool{false};
std::atomic<int> g_prompt_generation{0};

json::object no_args() { return json::object{{"type", "object"}, {"properties", json::object{}}}; }

json::object ask_text(std::string_view message, std::string_view field, std::string_view type = "string") {
  json::object props;
  props[field] = json::object{{"type", type}};
  json::object schema{{"type", "object"}, {"properties", std::move(props)}, {"required", json::array{field}}};
  return json::object{{"message", message}, {"requestedSchema", std::move(schema)}};
}

json::object sampling_params(std::string_view prompt, int max_tokens) {
  json::object content{{"type", "text"}, {"text", prompt}};
  json::object message{{"role", "user"}, {"content", std::move(content)}};
  return json::object{{"messages", json::array{std::move(message)}}, {"maxTokens", max_tokens}};
}

// content.<field> of an elicitation answer ({action, content}).
std::string answer_field(const json::value& answer, std::string_view field) {
  if (!answer.is_object()) return {};
  auto* content = answer.get_object().if_contains("content");
  if (!content || !content->is_object()) return {};
  auto* v = content->get_object().if_contains(field);
  if (!v) return {};
  return v->is_string() ? std::string(v->get_string()) : json::serialize(*v);
}

std::string sampled_text(const json::value& answer) {
  if (!answer.is_object()) return {};
  auto* content = answer.get_object().if_contains("content");
  if (!content || !content->is_object()) return {};
  auto* t = content->get_object().if_contains("text");
  return t && t->is_string() ? std::string(t->get_string()) : std::string();
}

json::object state_step(int step, std::string name) {
  return json::object{{"step", step}, {"name", std::move(name)}};
}

int step_of(const json::value& state) {
  if (!state.is_object()) return 0;
  auto* s = state.get_object().if_contains("step");
  return s && s->is_int64() ? static_cast<int>(s->get_int64()) : 0;
}

std::string name_of(const json::value& state) {
  if (!state.is_object()) return {};
  auto* s = state.get_object().if_contains("name");
  return s && s->is_string() ? std::string(s->get_string()) : std::string();
}

void add(mcp::Registry& r, std::string name, std::string description, json::object schema, mcp::ToolHandler h) {
  mcp::ToolDef t;
  t.name = std::move(name);
  t.description = std::move(description);
  t.input_schema = std::move(schema);
  t.handler = std::move(h);
  r.add_tool(std::move(t));
}

// A pending round ends the handler: the server answers input_required.
ToolResult pending() { return ToolResult::text("input required"); }

ToolResult failed(const Error& e) { return ToolResult::error("Could not ask the client: " + e.message); }

json::object header_tool_schema() {
  json::object region{{"type", "string"}, {"description", "Region, mirrored in Mcp-Param-Region"}, {"x-mcp-header", "Region"}};
  return json::object{{"type", "object"}, {"properties", json::object{{"region", std::move(region)}}}, {"required", json::array{"region"}}};
}

mcp::PromptDef dynamic_prompt(int generation) {
  mcp::PromptDef p;
  p.name = "test_dynamic_prompt";
  p.description = "Changes each time test_trigger_prompt_change runs (generation " + std::to_string(generation) + ")";
  p.get = [](RequestContext&, json::object) -> awaitable<Result<json::object>> {
    json::object message{{"role", "user"}, {"content", mcp::text_content("A prompt added at run time.")}};
    co_return json::object{{"messages", json::array{std::move(message)}}};
  };
  return p;
}

void register_tools(mcp::Registry& r) {
  add(r, "test_missing_capability", "Needs the client's sampling capability (-32021 without it).", no_args(),
      [](RequestContext& ctx, json::object) -> awaitable<ToolResult> {
        if (!ctx.require_capability("sampling")) co_return ToolResult::error("The client did not declare sampling");
        co_return ToolResult::text("The client declared sampling");
      });
  add(r, "test_streaming_elicitation", "Asks for input on its response stream (input_required, never a request).",
      no_args(), [](RequestContext& ctx, json::object) -> awaitable<ToolResult> {
        ctx.progress(0, 1, "asking");
        std::string answer_key = "user_input";
        std::string answer_method = "elicitation/create";
        json::object answer_params = ask_text("Please provide input", "value");
        auto answer = co_await ctx.ask(answer_key, answer_method, std::move(answer_params));
        if (!answer) co_return failed(answer.error());
        if (!*answer) co_return pending();
        co_return ToolResult::text("Received: " + answer_field(**answer, "value"));
      });
  add(r, "test_logging_tool", "Logs three info messages (only to requests that asked for a log level).", no_args(),
      [](RequestContext& ctx, json::object) -> awaitable<ToolResult> {
        ctx.log(mcp::LogLevel::kInfo, "Tool execution started");
        ctx.log(mcp::LogLevel::kInfo, "Tool processing data");
        ctx.log(mcp::LogLevel::kInfo, "Tool execution completed");
        co_return ToolResult::text("Logging tool finished");
      });
  add(r, "test_trigger_tool_change", "Adds or removes test_dynamic_tool (tools list_changed).", no_args(),
      [](RequestContext&, json::object) -> awaitable<ToolResult> {
        if (g_dynamic_tool.exchange(!g_dynamic_tool.load())) {
          g_registry->remove_tool("test_dynamic_tool");
          co_return ToolResult::text("test_dynamic_tool removed");
        }
        add(*g_registry, "test_dynamic_tool", "A tool added at run time.", no_args(),
            [](RequestContext&, json::object) -> awaitable<ToolResult> { co_return ToolResult::text("dynamic"); });
        co_return ToolResult::text("test_dynamic_tool added");
      });
  add(r, "test_trigger_prompt_change", "Changes test_dynamic_prompt (prompts list_changed).", no_args(),
      [](RequestContext&, json::object) -> awaitable<ToolResult> {
        g_registry->add_prompt(dynamic_prompt(++g_prompt_generation));
        co_return ToolResult::text("test_dynamic_prompt changed");
      });
  add(r, "test_header_param", "Echoes its region argument, which clients mirror in Mcp-Param-Region.",
      header_tool_schema(), [](RequestContext&, json::object args) -> awaitable<ToolResult> {
        co_return ToolResult::text("region=" + std::string(args["region"].is_string() ? args["region"].get_string() : ""));
      });

  add(r, "test_input_required_result_elicitation", "Asks the user's name (input_required).", no_args(),
      [](RequestContext& ctx, json::object) -> awaitable<ToolResult> {
        std::string answer_key = "user_name";
        std::string answer_method = "elicitation/create";
        json::object answer_params = ask_text("What is your name?", "name");
        auto answer = co_await ctx.ask(answer_key, answer_method, std::move(answer_params));
        if (!answer) co_return failed(answer.error());
        if (!*answer) co_return pending();
        co_return ToolResult::text("Hello, " + answer_field(**answer, "name") + "!");
      });
  add(r, "test_input_required_result_sampling", "Asks the model a question (input_required).", no_args(),
      [](RequestContext& ctx, json::object) -> awaitable<ToolResult> {
        std::string answer_key = "capital_question";
        std::string answer_method = "sampling/createMessage";
        json::object answer_params = sampling_params("What is the capital of France?", 100);
        auto answer = co_await ctx.ask(answer_key, answer_method, std::move(answer_params));
        if (!answer) co_return failed(answer.error());
        if (!*answer) co_return pending();
        co_return ToolResult::text("LLM response: " + sampled_text(**answer));
      });
  add(r, "test_input_required_result_list_roots", "Asks for the client's roots (input_required).", no_args(),
      [](RequestContext& ctx, json::object) -> awaitable<ToolResult> {
        json::object params;
        std::string answer_key = "client_roots";
        std::string answer_method = "roots/list";
        auto answer = co_await ctx.ask(answer_key, answer_method, std::move(params));
        if (!answer) co_return failed(answer.error());
        if (!*answer) co_return pending();
        std::string roots;
        if (auto* list = (*answer)->get_object().if_contains("roots"); list && list->is_array())
          for (const auto& root : list->get_array())
            if (root.is_object() && root.get_object().contains("uri")) roots += " " + json::serialize(root.get_object().at("uri"));
        co_return ToolResult::text("Client roots:" + roots);
      });
  add(r, "test_input_required_result_request_state", "Completes only with the requestState it issued.", no_args(),
      [](RequestContext& ctx, json::object) -> awaitable<ToolResult> {
        ctx.keep_state(json::object{{"issued_for", "request_state"}});
        if (ctx.state().is_null()) {
          // First round (or a retry without the state): ask, and issue the state.
          json::object params = ask_text("Please confirm", "ok", "boolean");
          std::string asked_key = "confirm";
          std::string asked_method = "elicitation/create";
          auto asked = co_await ctx.ask(asked_key, asked_method, std::move(params));
          if (!asked) co_return failed(asked.error());
          if (!*asked || ctx.modern()) co_return pending();
          co_return ToolResult::text("state-ok (handshake era: answered directly)");
        }
        json::object params = ask_text("Please confirm", "ok", "boolean");
        std::string answer_key = "confirm";
        std::string answer_method = "elicitation/create";
        auto answer = co_await ctx.ask(answer_key, answer_method, std::move(params));
        if (!answer) co_return failed(answer.error());
        if (!*answer) co_return pending();
        co_return ToolResult::text("state-ok: the requestState verified, confirmed=" + answer_field(**answer, "ok"));
      });
  add(r, "test_input_required_result_multiple_inputs", "Asks for elicitation, sampling and roots at once.", no_args(),
      [](RequestContext& ctx, json::object) -> awaitable<ToolResult> {
        ctx.keep_state(json::object{{"issued_for", "multiple_inputs"}});
        std::string name_key = "user_name";
        std::string name_method = "elicitation/create";
        json::object name_params = ask_text("What is your name?", "name");
        auto name = co_await ctx.ask(name_key, name_method, std::move(name_params));
        std::string greeting_key = "greeting";
        std::string greeting_method = "sampling/createMessage";
        json::object greeting_params = sampling_params("Generate a greeting", 50);
        auto greeting = co_await ctx.ask(greeting_key, greeting_method, std::move(greeting_params));
        json::object no_params;
        std::string roots_key = "client_roots";
        std::string roots_method = "roots/list";
        auto roots = co_await ctx.ask(roots_key, roots_method, std::move(no_params));
        if (!name) co_return failed(name.error());
        if (!greeting) co_return failed(greeting.error());
        if (!roots) co_return failed(roots.error());
        if (!*name || !*greeting || !*roots) co_return pending();
        co_return ToolResult::text("Name " + answer_field(**name, "name") + ", greeting " + sampled_text(**greeting));
      });
  add(r, "test_input_required_result_multi_round", "Two rounds of questions; the state carries the first answer.",
      no_args(), [](RequestContext& ctx, json::object) -> awaitable<ToolResult> {
        const json::value state = ctx.state();
        if (step_of(state) == 2) {
          std::string color_key = "step2";
          std::string color_method = "elicitation/create";
          json::object color_params = ask_text("Step 2: What is your favorite color?", "color");
          auto color = co_await ctx.ask(color_key, color_method, std::move(color_params));
          if (!color) co_return failed(color.error());
          if (!*color) {
            ctx.keep_state(state);
            co_return pending();
          }
          co_return ToolResult::text(name_of(state) + " likes " + answer_field(**color, "color"));
        }
        std::string name_key = "step1";
        std::string name_method = "elicitation/create";
        json::object name_params = ask_text("Step 1: What is your name?", "name");
        auto name = co_await ctx.ask(name_key, name_method, std::move(name_params));
        if (!name) co_return failed(name.error());
        if (!*name) {
          ctx.keep_state(state_step(1, ""));
          co_return pending();
        }
        const std::string who = answer_field(**name, "name");
        std::string color_key = "step2";
        std::string color_method = "elicitation/create";
        json::object color_params = ask_text("Step 2: What is your favorite color?", "color");
        auto color = co_await ctx.ask(color_key, color_method, std::move(color_params));
        if (!color) co_return failed(color.error());
        if (!*color) {
          ctx.keep_state(state_step(2, who));
          co_return pending();
        }
        co_return ToolResult::text(who + " likes " + answer_field(**color, "color"));
      });
  add(r, "test_input_required_result_tampered_state", "Issues a requestState; an altered one is refused.", no_args(),
      [](RequestContext& ctx, json::object) -> awaitable<ToolResult> {
        ctx.keep_state(json::object{{"issued_for", "tampered_state"}});
        std::string answer_key = "confirm";
        std::string answer_method = "elicitation/create";
        json::object answer_params = ask_text("Please confirm", "ok", "boolean");
        auto answer = co_await ctx.ask(answer_key, answer_method, std::move(answer_params));
        if (!answer) co_return failed(answer.error());
        if (!*answer || (ctx.modern() && ctx.state().is_null())) co_return pending();
        co_return ToolResult::text("state verified");
      });
  add(r, "test_input_required_result_capabilities", "Asks only for what the client declared.", no_args(),
      [](RequestContext& ctx, json::object) -> awaitable<ToolResult> {
        std::string user_key = "user_input";
        std::string user_method = "elicitation/create";
        json::object user_params = ask_text("Your input?", "value");
        auto user = co_await ctx.ask(user_key, user_method, std::move(user_params));
        std::string model_key = "model_input";
        std::string model_method = "sampling/createMessage";
        json::object model_params = sampling_params("Say hello", 50);
        auto model = co_await ctx.ask(model_key, model_method, std::move(model_params));
        // Undeclared capabilities come back as errors and are simply not asked.
        if ((user && !*user) || (model && !*model)) co_return pending();
        co_return ToolResult::text("Asked for everything the client supports");
      });
}

void register_prompts(mcp::Registry& r) {
  mcp::PromptDef p;
  p.name = "test_input_required_result_prompt";
  p.description = "A prompt that asks the user for context first (input_required).";
  p.get = [](RequestContext& ctx, json::object) -> awaitable<Result<json::object>> {
    std::string answer_key = "user_context";
    std::string answer_method = "elicitation/create";
    json::object answer_params = ask_text("What context should the prompt use?", "context");
    auto answer = co_await ctx.ask(answer_key, answer_method, std::move(answer_params));
    if (!answer) co_return answer.error();
    json::object result;
    if (!*answer) co_return result;  // pending: the server answers input_required
    json::object message{{"role", "user"},
                         {"content", mcp::text_content("Prompt with context: " + answer_field(**answer, "context"))}};
    result["messages"] = json::array{std::move(message)};
    co_return result;
  };
  r.add_prompt(std::move(p));
}

}  // namespace

void register_modern_fixture(mcp::Registry& registry) {
  g_registry = &registry;
  register_tools(registry);
  register_prompts(registry);
}

}  // namespace appsignals::conformance

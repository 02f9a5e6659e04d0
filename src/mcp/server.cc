#include "mcp/server.h"


#include <exception>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/encoding.h"
#include "common/log_context.h"
#include "mcp/protocol_version.h"
#include "mcp/schema_check.h"

namespace appsignals::mcp {

namespace asio = boost::asio;
using asio::awaitable;

namespace {

jsonrpc::Failure invalid_params(std::string message, json::value data = nullptr) {
  return jsonrpc::Failure{jsonrpc::kInvalidParams, std::move(message), nullptr, std::move(data)};
}

// Cursors are opaque to clients: base64 of "offset:<n>".
std::string encode_cursor(std::size_t offset) { return base64_encode("offset:" + std::to_string(offset)); }

std::optional<std::size_t> decode_cursor(const json::object& params) {
  auto it = params.find("cursor");
  if (it == params.end() || it->value().is_null()) return 0;
  if (!it->value().is_string()) return std::nullopt;
  auto raw = base64_decode(it->value().get_string());
  if (!raw || raw->rfind("offset:", 0) != 0) return std::nullopt;
  try {
    std::size_t pos = 0;
    auto n = std::stoull(raw->substr(7), &pos);
    if (pos != raw->size() - 7) return std::nullopt;
    return static_cast<std::size_t>(n);
  } catch (...) {
    return std::nullopt;
  }
}

template <class Items, class ToJson>
McpServer::Outcome paged(const Items& items, const json::object& params,
                                                  std::size_t page_size, std::string_view key, ToJson to_json) {
  auto offset = decode_cursor(params);
  if (!offset || *offset > items.size()) return invalid_params("Invalid cursor");
  json::array page;
  std::size_t end = std::min(items.size(), *offset + page_size);
  for (std::size_t i = *offset; i < end; ++i) page.push_back(to_json(*items[i]));
  json::object result;
  result[key] = std::move(page);
  if (end < items.size()) result["nextCursor"] = encode_cursor(end);
  return json::value(std::move(result));
}

std::string_view string_param(const json::object& params, std::string_view key) {
  auto it = params.find(key);
  if (it == params.end() || !it->value().is_string()) return {};
  return it->value().get_string();
}

// Error lines about one request carry its context (request id, principal, session, tool).
void log_tool_failed(RequestContext& ctx, std::string_view tool, const char* what) {
  LogFields fields;
  fields.request_id = ctx.trace_id();
  fields.principal = ctx.session().principal();
  fields.session = ctx.session().id();
  fields.tool = tool;
  log_with(fields, spdlog::level::err, "tool {} failed: {}", tool, what);
}

void log_request_failed(Session& session, std::string_view trace_id, const char* what) {
  LogFields fields;
  fields.request_id = trace_id;
  fields.principal = session.principal();
  fields.session = session.id();
  log_with(fields, spdlog::level::err, "request failed: {}", what);
}

}  // namespace

McpServer::McpServer(asio::any_io_executor executor, std::shared_ptr<Registry> registry, ServerInfo info)
    : executor_(std::move(executor)), registry_(std::move(registry)), info_(std::move(info)) {
  methods_ = {
      {"initialize", &McpServer::initialize},
      {"ping", &McpServer::ping},
      {"tools/list", &McpServer::tools_list},
      {"tools/call", &McpServer::tools_call},
      {"resources/list", &McpServer::resources_list},
      {"resources/templates/list", &McpServer::resources_templates_list},
      {"resources/read", &McpServer::resources_read},
      {"resources/subscribe", &McpServer::resources_subscribe},
      {"resources/unsubscribe", &McpServer::resources_unsubscribe},
      {"prompts/list", &McpServer::prompts_list},
      {"prompts/get", &McpServer::prompts_get},
      {"completion/complete", &McpServer::completion_complete},
      {"logging/setLevel", &McpServer::logging_set_level},
  };
}

json::object McpServer::capabilities() const {
  json::object caps;
  caps["tools"] = json::object{{"listChanged", false}};
  caps["logging"] = json::object{};
  caps["completions"] = json::object{};
  if (registry_->has_resources()) caps["resources"] = json::object{{"subscribe", true}, {"listChanged", false}};
  if (registry_->has_prompts()) caps["prompts"] = json::object{{"listChanged", false}};
  return caps;
}

void McpServer::dispatch(std::shared_ptr<Session> session, jsonrpc::Message request,
                         std::shared_ptr<Outbound> related, ResponseCallback on_response,
                         std::shared_ptr<const ModernCall> modern) {
  auto strand = asio::make_strand(executor_);
  auto signal = std::make_shared<asio::cancellation_signal>();
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  const std::string key = jsonrpc::id_key(request.id);
  json::value id = request.id;
  std::string trace_id = request.trace_id;
  // notifications/cancelled (or a closed stream) emits the signal on the request's strand.
  session->add_in_flight(key, [strand, signal, cancelled] {
    cancelled->store(true);
    asio::post(strand, [signal] { signal->emit(asio::cancellation_type::terminal); });
  });
  asio::co_spawn(
      strand, run(session, std::move(request), std::move(related), strand, std::move(modern)),
      asio::bind_cancellation_slot(
          signal->slot(), [session, key, id, trace_id = std::move(trace_id), signal, cancelled,
                           on_response = std::move(on_response)](
                              std::exception_ptr error, std::string response) {
            session->remove_in_flight(key);
            if (cancelled->load()) {
              // The client cancelled: no response is due (spec: cancellation), even when the
              // handler turned the cancellation into a result (a tool answering "cancelled").
              on_response(std::nullopt);
              return;
            }
            if (!error) {
              on_response(std::move(response));
              return;
            }
            try {
              std::rethrow_exception(error);
            } catch (const boost::system::system_error& e) {
              if (e.code() == asio::error::operation_aborted) {
                on_response(std::nullopt);  // cancelled by the client: no response is due
                return;
              }
              log_request_failed(*session, trace_id, e.what());
            } catch (const std::exception& e) {
              log_request_failed(*session, trace_id, e.what());
            }
            on_response(jsonrpc::make_error(id, jsonrpc::kInternalError, "Internal error"));
          }));
}

awaitable<std::optional<std::string>> McpServer::call(std::shared_ptr<Session> session, jsonrpc::Message request,
                                                      std::shared_ptr<Outbound> related) {
  auto ex = co_await asio::this_coro::executor;
  auto slot = std::make_shared<OneShot<std::optional<std::string>>>(ex);
  dispatch(std::move(session), std::move(request), std::move(related),
           [slot](std::optional<std::string> r) { slot->set(std::move(r)); });
  auto r = co_await slot->wait(std::chrono::hours(24));
  if (!r) co_return std::nullopt;
  co_return std::move(*r);
}

awaitable<std::string> McpServer::run(std::shared_ptr<Session> session, jsonrpc::Message request,
                                      std::shared_ptr<Outbound> related, asio::any_io_executor strand,
                                      std::shared_ptr<const ModernCall> modern) {
  session->touch();
  if (require_grants_ && !request.grants) {
    // A transport bug: never run a request without knowing what its credential allows.
    log_request_failed(*session, request.trace_id, "request without its credential's grants (refused)");
    co_return jsonrpc::make_error(request.id, jsonrpc::kInternalError, "Internal error");
  }
  json::value progress_token = nullptr;
  if (auto meta = request.params.find("_meta"); meta != request.params.end() && meta->value().is_object()) {
    if (auto t = meta->value().get_object().find("progressToken"); t != meta->value().get_object().end())
      progress_token = t->value();
  }
  RequestContext ctx(session, std::move(related), request.id, std::move(progress_token), strand);
  // Log lines about the request name the HTTP request it came in (X-Request-Id).
  ctx.set_trace_id(request.trace_id);
  ctx.set_grants(request.grants);
  if (modern) {
    ctx.set_modern(std::move(modern));
    co_return co_await run_modern(ctx, request);
  }
  auto it = methods_.find(request.method);
  if (it == methods_.end()) {
    co_return jsonrpc::make_error(request.id, jsonrpc::kMethodNotFound, "Method not found: " + request.method);
  }
  Outcome outcome = co_await (this->*(it->second))(ctx, request.params);
  if (auto* failure = std::get_if<jsonrpc::Failure>(&outcome)) {
    failure->id = request.id;
    co_return jsonrpc::make_error(*failure);
  }
  if (auto* raw = std::get_if<RawJson>(&outcome)) co_return jsonrpc::make_result_raw(request.id, *raw->text);
  co_return jsonrpc::make_result(request.id, std::move(std::get<json::value>(outcome)));
}

void McpServer::accept(const std::shared_ptr<Session>& session, const jsonrpc::Message& message) {
  session->touch();
  if (message.is_response()) {
    if (message.kind == jsonrpc::Kind::kResponse) {
      session->complete_client_request(message.id, message.result);
    } else {
      std::string text = "the client answered with an error";
      if (auto m = message.error.find("message"); m != message.error.end() && m->value().is_string())
        text = std::string(m->value().get_string());
      session->complete_client_request(message.id, Error{ErrorCode::kFailedPrecondition, text});
    }
    return;
  }
  if (message.method == "notifications/initialized") {
    session->set_initialized();
  } else if (message.method == "notifications/cancelled") {
    if (auto id = message.params.find("requestId"); id != message.params.end())
      session->cancel_in_flight(jsonrpc::id_key(id->value()));  // unknown ids are ignored
  }
  // Other notifications (roots/list_changed, progress, ...) need no action.
}

// ---- lifecycle ----

awaitable<McpServer::Outcome> McpServer::initialize(RequestContext& ctx, const json::object& params) {
  auto requested = string_param(params, "protocolVersion");
  if (requested.empty()) co_return invalid_params("initialize needs params.protocolVersion (a string)");
  auto version = negotiate_version(requested);
  auto& session = ctx.session();
  session.set_protocol_version(std::string(version));
  json::object caps, client_info;
  if (auto c = params.find("capabilities"); c != params.end() && c->value().is_object()) caps = c->value().get_object();
  if (auto c = params.find("clientInfo"); c != params.end() && c->value().is_object()) client_info = c->value().get_object();
  session.set_client(std::move(caps), std::move(client_info));
  session.set_negotiated();

  json::object server_info;
  server_info["name"] = info_.name;
  server_info["version"] = info_.version;
  if (version_at_least(version, "2025-06-18") && !info_.title.empty()) server_info["title"] = info_.title;
  if (version_at_least(version, "2025-11-25")) {
    if (!info_.description.empty()) server_info["description"] = info_.description;
    if (!info_.website_url.empty()) server_info["websiteUrl"] = info_.website_url;
  }
  json::object result;
  result["protocolVersion"] = version;
  result["capabilities"] = capabilities();
  result["serverInfo"] = std::move(server_info);
  if (!info_.instructions.empty()) result["instructions"] = info_.instructions;
  co_return json::value(std::move(result));
}

awaitable<McpServer::Outcome> McpServer::ping(RequestContext&, const json::object&) {
  co_return json::value(json::object{});
}

awaitable<McpServer::Outcome> McpServer::logging_set_level(RequestContext& ctx, const json::object& params) {
  auto level = parse_mcp_log_level(string_param(params, "level"));
  if (!level)
    co_return invalid_params(
        "Invalid log level: use one of debug, info, notice, warning, error, critical, alert, emergency");
  ctx.session().set_log_level(*level);
  co_return json::value(json::object{});
}

// ---- tools ----

json::object McpServer::tool_json(const ToolDef& tool, std::string_view version) const {
  json::object o;
  o["name"] = tool.name;
  if (!tool.title.empty() && version_at_least(version, "2025-06-18")) o["title"] = tool.title;
  o["description"] = tool.description;
  o["inputSchema"] = tool.input_schema;
  if (tool.output_schema && version_at_least(version, "2025-06-18")) o["outputSchema"] = *tool.output_schema;
  if (!tool.annotations.empty() && version_at_least(version, "2025-03-26")) o["annotations"] = tool.annotations;
  return o;
}

awaitable<McpServer::Outcome> McpServer::tools_list(RequestContext& ctx, const json::object& params) {
  auto version = ctx.protocol_version();
  std::string key = version;
  // With MCP_AWS_PROFILE_MAP the `profile` enum shows the principal's own profiles (the cache
  // key names them; profile names hold no '\n').
  const std::optional<std::vector<std::string>> profiles = ctx.aws_profiles();
  if (profiles) {
    key += "|p";
    for (const auto& p : *profiles) {
      key += '\n';
      key += p;
    }
  }
  // With OAuth scopes the list depends on what the principal's scopes allow: read-only tools,
  // writing tools, both or neither (the cache key says which).
  Scopes scopes;
  if (scope_policy_) scopes = ctx.scopes();
  bool may_read = true;
  bool may_write = true;
  if (scopes) {
    may_read = std::find(scopes->begin(), scopes->end(), scope_policy_->read) != scopes->end();
    may_write = std::find(scopes->begin(), scopes->end(), scope_policy_->write) != scopes->end();
    key += may_read ? "|r" : "|-";
    key += may_write ? "w" : "-";
  }
  if (auto c = params.find("cursor"); c != params.end() && c->value().is_string()) {
    key += '|';
    key += c->value().get_string();
  }
  const auto generation = registry_->generation();
  {
    std::lock_guard lock(tools_cache_mu_);
    if (auto it = tools_cache_.find(key); it != tools_cache_.end() && it->second.first == generation)
      co_return RawJson{it->second.second};
  }
  auto tools = registry_->tools();
  if (scopes) {
    std::erase_if(tools, [&](const std::shared_ptr<const ToolDef>& t) { return t->writes ? !may_write : !may_read; });
  }
  auto outcome = paged(std::move(tools), params, page_size_, "tools",
                       [&](const ToolDef& t) {
                         auto o = tool_json(t, version);
                         if (profiles) narrow_profile_enum(o, *profiles);
                         return o;
                       });
  if (auto* page = std::get_if<json::value>(&outcome)) {
    // Under OAuth (or a profile map) the list varies by caller: a shared cache must not serve
    // it to another.
    if (ctx.modern() && (scope_policy_ || profiles)) page->get_object()["cacheScope"] = "private";
    if (ctx.modern()) modern::finish_result(page->get_object(), server_info_meta(), true);
    // Only valid cursors reach this point, so the cache holds at most versions x pages entries.
    auto text = std::make_shared<const std::string>(json::serialize(*page));
    {
      std::lock_guard lock(tools_cache_mu_);
      tools_cache_[key] = {generation, text};
    }
    co_return RawJson{std::move(text)};
  }
  co_return outcome;
}

namespace {

// A tool's outcome with its exception caught: `a || b` waits for the first SUCCESS, so a tool
// that throws would otherwise leave the race waiting for the deadline timer.
struct CaughtToolResult {
  ToolResult result;
  std::exception_ptr error;
};

awaitable<CaughtToolResult> run_caught(awaitable<ToolResult> work) {
  CaughtToolResult out;
  try {
    out.result = co_await std::move(work);
  } catch (...) {
    out.error = std::current_exception();
  }
  co_return out;
}

}  // namespace

// The tool races a timer: at the deadline the tool's coroutine gets terminal cancellation
// (which aborts its AWS requests) and the call ends with an isError saying it timed out. A tool
// that throws (cancellation included) ends the race at once and its exception is rethrown.
awaitable<ToolResult> McpServer::run_tool(const ToolDef& tool, RequestContext& ctx, json::object args) {
  if (tool_timeout_.count() <= 0) co_return co_await tool.handler(ctx, std::move(args));
  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer deadline(co_await asio::this_coro::executor);
  deadline.expires_after(tool_timeout_);
  auto handler_work = tool.handler(ctx, std::move(args));
  auto work = run_caught(std::move(handler_work));
  auto timeout = deadline.async_wait(asio::use_awaitable);
  auto race = std::move(work) || std::move(timeout);
  auto outcome = co_await std::move(race);
  if (outcome.index() == 0) {
    auto& caught = std::get<0>(outcome);
    if (caught.error) std::rethrow_exception(caught.error);
    co_return std::move(caught.result);
  }
  auto seconds = static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(tool_timeout_).count()) / 1000.0;
  LogFields fields;
  fields.request_id = ctx.trace_id();
  fields.principal = ctx.session().principal();
  fields.session = ctx.session().id();
  fields.tool = tool.name;
  log_with(fields, spdlog::level::warn, "tool {} timed out after {} s; its AWS requests were cancelled", tool.name,
           seconds);
  co_return ToolResult::error(fmt::format(
      "The tool {} timed out: it did not finish within {} s (the server's per-call limit, MCP_TOOL_TIMEOUT), "
      "so it was stopped and its AWS requests cancelled. AWS may be slow right now: try again, or narrow "
      "the request (a shorter time range, fewer services).",
      tool.name, seconds));
}

awaitable<McpServer::Outcome> McpServer::tools_call(RequestContext& ctx, const json::object& params) {
  auto name = string_param(params, "name");
  if (name.empty()) co_return invalid_params("tools/call needs params.name (a string)");
  auto tool = registry_->find_tool(name);
  if (!tool) {
    if (auto refused = registry_->refusal(name)) {
      if (tool_rejection_hook_) tool_rejection_hook_(ctx, name, ToolRejection::kRefused);
      ToolResult refused_result = ToolResult::error(*refused);
      json::object refusal_out;
      refusal_out["content"] = std::move(refused_result.content);
      refusal_out["isError"] = true;
      co_return json::value(std::move(refusal_out));
    }
    if (tool_rejection_hook_) tool_rejection_hook_(ctx, name, ToolRejection::kUnknown);
    co_return invalid_params("Unknown tool: " + std::string(name));
  }
  if (scope_policy_) {
    if (auto missing = scope_policy_->missing(*tool, ctx.scopes())) {
      ToolResult refused_result = ToolResult::error(
          "The tool " + tool->name + " needs the OAuth scope '" + *missing +
          "', which your access token does not grant. Sign in again asking for that scope, or use another tool.");
      json::object refusal_out;
      refusal_out["content"] = std::move(refused_result.content);
      refusal_out["isError"] = true;
      co_return json::value(std::move(refusal_out));
    }
  }
  json::object args;
  if (auto a = params.find("arguments"); a != params.end() && !a->value().is_null()) {
    if (!a->value().is_object()) co_return invalid_params("tools/call params.arguments must be an object");
    args = a->value().get_object();
  }
  ToolResult result;
  if (auto problem = tool->reads_own_arguments ? std::nullopt : check_arguments(tool->input_schema, args)) {
    // Input validation errors are tool execution errors, so the model can correct itself.
    result = ToolResult::error("Invalid arguments for " + tool->name + ": " + *problem + ".");
    if (tool_rejection_hook_) tool_rejection_hook_(ctx, tool->name, ToolRejection::kInvalidArguments);
  } else {
    try {
      result = co_await run_tool(*tool, ctx, std::move(args));
    } catch (const boost::system::system_error& e) {
      if (e.code() == asio::error::operation_aborted) throw;  // cancellation: propagate
      log_tool_failed(ctx, tool->name, e.what());
      result = ToolResult::error("The tool " + tool->name + " failed unexpectedly. Try again; if it keeps failing, report it.");
    } catch (const std::exception& e) {
      log_tool_failed(ctx, tool->name, e.what());
      result = ToolResult::error("The tool " + tool->name + " failed unexpectedly. Try again; if it keeps failing, report it.");
    }
  }
  json::object out;
  out["content"] = std::move(result.content);
  if (result.structured_content && version_at_least(ctx.protocol_version(), "2025-06-18"))
    out["structuredContent"] = std::move(*result.structured_content);
  if (result.is_error) out["isError"] = true;
  co_return json::value(std::move(out));
}

// ---- resources ----

awaitable<McpServer::Outcome> McpServer::resources_list(RequestContext&, const json::object& params) {
  co_return paged(registry_->resources(), params, page_size_, "resources", [](const ResourceDef& r) {
    json::object o;
    o["uri"] = r.uri;
    o["name"] = r.name;
    if (!r.title.empty()) o["title"] = r.title;
    if (!r.description.empty()) o["description"] = r.description;
    if (!r.mime_type.empty()) o["mimeType"] = r.mime_type;
    return o;
  });
}

awaitable<McpServer::Outcome> McpServer::resources_templates_list(RequestContext&, const json::object& params) {
  co_return paged(registry_->resource_templates(), params, page_size_, "resourceTemplates",
                  [](const ResourceTemplateDef& r) {
                    json::object o;
                    o["uriTemplate"] = r.uri_template;
                    o["name"] = r.name;
                    if (!r.title.empty()) o["title"] = r.title;
                    if (!r.description.empty()) o["description"] = r.description;
                    if (!r.mime_type.empty()) o["mimeType"] = r.mime_type;
                    return o;
                  });
}

awaitable<McpServer::Outcome> McpServer::resources_read(RequestContext& ctx, const json::object& params) {
  auto uri = std::string(string_param(params, "uri"));
  if (uri.empty()) co_return invalid_params("resources/read needs params.uri (a string)");
  ResourceReader reader;
  if (auto r = registry_->find_resource(uri)) {
    reader = r->read;
  } else if (auto t = registry_->match_template(uri)) {
    reader = t->read;
  }
  json::object data;  // no braced-init locals in coroutines (GCC 12)
  data["uri"] = uri;
  // 2026-07-28 (SEP-2164): an unknown resource is -32602, no longer -32002.
  const int not_found = ctx.modern() ? jsonrpc::kInvalidParams : jsonrpc::kResourceNotFound;
  if (!reader) co_return jsonrpc::Failure{not_found, "Resource not found", nullptr, data};
  auto contents = co_await reader(ctx, uri);
  if (!contents) {
    if (contents.error().code == ErrorCode::kNotFound)
      co_return jsonrpc::Failure{not_found, "Resource not found", nullptr, data};
    co_return jsonrpc::Failure{jsonrpc::kInternalError, contents.error().message, nullptr, nullptr};
  }
  co_return json::value(json::object{{"contents", std::move(*contents)}});
}

awaitable<McpServer::Outcome> McpServer::resources_subscribe(RequestContext& ctx, const json::object& params) {
  auto uri = std::string(string_param(params, "uri"));
  if (uri.empty()) co_return invalid_params("resources/subscribe needs params.uri (a string)");
  // Only what is advertised can be watched, and only so many per session (issue #20).
  if (!registry_->find_resource(uri) && !registry_->match_template(uri)) {
    json::object data;  // no braced-init locals in coroutines (GCC 12)
    data["uri"] = uri;
    co_return jsonrpc::Failure{jsonrpc::kResourceNotFound, "Resource not found", nullptr, data};
  }
  if (!ctx.session().subscribe(uri))
    co_return invalid_params("too many resource subscriptions in this session (at most " +
                             std::to_string(Session::kMaxSubscriptions) + "): unsubscribe first");
  co_return json::value(json::object{});
}

awaitable<McpServer::Outcome> McpServer::resources_unsubscribe(RequestContext& ctx, const json::object& params) {
  auto uri = std::string(string_param(params, "uri"));
  if (uri.empty()) co_return invalid_params("resources/unsubscribe needs params.uri (a string)");
  ctx.session().unsubscribe(uri);
  co_return json::value(json::object{});
}

// ---- prompts ----

awaitable<McpServer::Outcome> McpServer::prompts_list(RequestContext&, const json::object& params) {
  co_return paged(registry_->prompts(), params, page_size_, "prompts", [](const PromptDef& p) {
    json::object o;
    o["name"] = p.name;
    if (!p.title.empty()) o["title"] = p.title;
    if (!p.description.empty()) o["description"] = p.description;
    json::array args;
    for (const auto& a : p.arguments) {
      json::object ao;
      ao["name"] = a.name;
      if (!a.description.empty()) ao["description"] = a.description;
      ao["required"] = a.required;
      args.push_back(std::move(ao));
    }
    if (!args.empty()) o["arguments"] = std::move(args);
    return o;
  });
}

awaitable<McpServer::Outcome> McpServer::prompts_get(RequestContext& ctx, const json::object& params) {
  auto name = string_param(params, "name");
  if (name.empty()) co_return invalid_params("prompts/get needs params.name (a string)");
  auto prompt = registry_->find_prompt(name);
  if (!prompt) co_return invalid_params("Unknown prompt: " + std::string(name));
  json::object args;
  if (auto a = params.find("arguments"); a != params.end() && a->value().is_object()) args = a->value().get_object();
  for (const auto& a : prompt->arguments) {
    if (a.required && !args.contains(a.name))
      co_return invalid_params("Missing required argument '" + a.name + "' for prompt " + prompt->name);
  }
  auto result = co_await prompt->get(ctx, std::move(args));
  if (!result) co_return invalid_params(result.error().message);
  co_return json::value(std::move(*result));
}

// ---- completion ----

awaitable<McpServer::Outcome> McpServer::completion_complete(RequestContext& ctx, const json::object& params) {
  auto ref = params.find("ref");
  auto argument = params.find("argument");
  if (ref == params.end() || !ref->value().is_object() || argument == params.end() || !argument->value().is_object())
    co_return invalid_params("completion/complete needs params.ref and params.argument (objects)");
  json::object context;
  if (auto c = params.find("context"); c != params.end() && c->value().is_object()) context = c->value().get_object();
  json::object completion;  // no braced-init locals in coroutines (GCC 12)
  completion["values"] = json::array();
  completion["total"] = 0;
  completion["hasMore"] = false;
  if (auto handler = registry_->completion_handler()) {
    auto r = co_await handler(ctx, ref->value().get_object(), argument->value().get_object(), std::move(context));
    if (!r) co_return invalid_params(r.error().message);
    completion = std::move(*r);
  }
  co_return json::value(json::object{{"completion", std::move(completion)}});
}

}  // namespace appsignals::mcp

// McpServer's 2026-07-28 half: envelope → RequestContext, server/discover, the result shape
// (resultType, serverInfo in _meta, cache hints) and input_required rounds (MRTR).
#include <boost/json/serialize.hpp>

#include "mcp/protocol_version.h"
#include "mcp/server.h"

namespace appsignals::mcp {

namespace asio = boost::asio;
using asio::awaitable;

namespace {

bool is_cacheable(std::string_view method) {
  return method == "tools/list" || method == "prompts/list" || method == "resources/list" ||
         method == "resources/templates/list" || method == "resources/read";
}

// Methods that may answer input_required (SEP-2322).
bool may_need_input(std::string_view method) {
  return method == "tools/call" || method == "prompts/get" || method == "resources/read";
}

// What a requestState is bound to: the method, the tool/prompt/resource and its arguments.
std::string state_binding(const jsonrpc::Message& request) {
  std::string b = request.method;
  b += '\n';
  for (std::string_view key : {"name", "uri"}) {
    if (auto it = request.params.find(key); it != request.params.end() && it->value().is_string())
      b += it->value().get_string();
  }
  b += '\n';
  if (auto it = request.params.find("arguments"); it != request.params.end()) b += json::serialize(it->value());
  return b;
}

std::string error_reply(const json::value& id, int code, std::string message, json::value data = nullptr) {
  return jsonrpc::make_error(jsonrpc::Failure{code, std::move(message), id, std::move(data)});
}

}  // namespace

void McpServer::set_state_key(std::string key) { state_codec_ = std::make_shared<RequestStateCodec>(std::move(key)); }

json::object McpServer::server_info_meta() const {
  json::object o;
  o["name"] = info_.name;
  o["version"] = info_.version;
  if (!info_.title.empty()) o["title"] = info_.title;
  if (!info_.description.empty()) o["description"] = info_.description;
  if (!info_.website_url.empty()) o["websiteUrl"] = info_.website_url;
  return o;
}

json::object McpServer::modern_capabilities() const {
  json::object caps;
  json::object tools;
  if (listen_supported_) tools["listChanged"] = true;
  caps["tools"] = std::move(tools);
  caps["logging"] = json::object{};
  caps["completions"] = json::object{};
  if (registry_->has_resources()) {
    json::object resources;
    if (listen_supported_) resources["subscribe"] = true;
    caps["resources"] = std::move(resources);
  }
  if (registry_->has_prompts()) caps["prompts"] = json::object{};
  return caps;
}

json::value McpServer::discover() const {
  json::object result;
  json::array versions;
  for (auto v : modern::kVersions) versions.emplace_back(v);
  result["supportedVersions"] = std::move(versions);
  result["capabilities"] = modern_capabilities();
  if (!info_.instructions.empty()) result["instructions"] = info_.instructions;
  result["ttlMs"] = modern::kDiscoverTtlMs;
  result["cacheScope"] = "public";
  modern::finish_result(result, server_info_meta(), false);
  return result;
}

std::variant<std::shared_ptr<const ModernCall>, jsonrpc::Failure> McpServer::prepare_modern(
    const jsonrpc::Message& request, modern::Envelope envelope) const {
  auto call = std::make_shared<ModernCall>();
  call->version = std::move(envelope.version);
  call->client_capabilities = std::move(envelope.client_capabilities);
  call->log_level = envelope.log_level;
  if (auto it = request.params.find("inputResponses"); it != request.params.end()) {
    if (!it->value().is_object())
      return jsonrpc::Failure{jsonrpc::kInvalidParams, "Invalid params: inputResponses must be an object", request.id, nullptr};
    call->input_responses = it->value().get_object();
  }
  if (auto it = request.params.find("requestState"); it != request.params.end() && !it->value().is_null()) {
    if (!it->value().is_string())
      return jsonrpc::Failure{jsonrpc::kInvalidParams, "Invalid params: requestState must be a string", request.id, nullptr};
    auto opened = state_codec_->open(it->value().get_string(), state_binding(request), RequestStateCodec::Clock::now());
    if (!opened) return jsonrpc::Failure{jsonrpc::kInvalidParams, opened.error().message, request.id, nullptr};
    call->state = std::move(*opened);
  }
  return std::shared_ptr<const ModernCall>(std::move(call));
}

awaitable<std::string> McpServer::run_modern(RequestContext& ctx, const jsonrpc::Message& request) {
  if (request.method == "server/discover") co_return jsonrpc::make_result(request.id, discover());
  auto it = methods_.find(request.method);
  if (modern::is_removed_method(request.method) || it == methods_.end()) {
    co_return error_reply(request.id, jsonrpc::kMethodNotFound,
                          "Method not found: " + request.method + " (not part of protocol " + ctx.protocol_version() + ")");
  }
  Outcome outcome = co_await (this->*(it->second))(ctx, request.params);
  if (const auto& failure = ctx.failure()) co_return error_reply(request.id, failure->code, failure->message, failure->data);
  if (auto* failure = std::get_if<jsonrpc::Failure>(&outcome)) {
    failure->id = request.id;
    co_return jsonrpc::make_error(*failure);
  }
  if (ctx.needs_input()) {
    if (!may_need_input(request.method))
      co_return error_reply(request.id, jsonrpc::kInternalError, "Internal error: " + request.method + " cannot ask for input");
    json::object result;
    result["resultType"] = "input_required";
    result["inputRequests"] = ctx.input_requests();
    result["requestState"] = state_codec_->seal(ctx.next_state(), state_binding(request), RequestStateCodec::Clock::now());
    modern::finish_result(result, server_info_meta(), false);
    co_return jsonrpc::make_result(request.id, std::move(result));
  }
  if (auto* raw = std::get_if<RawJson>(&outcome)) co_return jsonrpc::make_result_raw(request.id, *raw->text);
  auto& value = std::get<json::value>(outcome);
  if (value.is_object()) modern::finish_result(value.get_object(), server_info_meta(), is_cacheable(request.method));
  co_return jsonrpc::make_result(request.id, std::move(value));
}

}  // namespace appsignals::mcp

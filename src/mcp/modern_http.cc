// StreamableHttpTransport::post_modern: one 2026-07-28 POST on /mcp. No session: everything
// the request needs is in its _meta; the Mcp-* headers must agree with the body.
#include <boost/asio/this_coro.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "mcp/deferred_reply.h"
#include "mcp/modern.h"
#include "mcp/modern_listen.h"
#include "mcp/streamable_http.h"

namespace appsignals::mcp {

namespace http = net::http;
using boost::asio::awaitable;

namespace {

modern::Headers read_headers(const net::Request& request) {
  modern::Headers h;
  for (const auto& field : request.message) {
    auto name = field.name_string();
    auto value = std::string(field.value());
    if (boost::beast::iequals(name, "MCP-Protocol-Version")) h.protocol_version = value;
    else if (boost::beast::iequals(name, "Mcp-Method")) h.method = value;
    else if (boost::beast::iequals(name, "Mcp-Name")) h.name = value;
    else if (name.size() > 10 && boost::beast::iequals(name.substr(0, 10), "Mcp-Param-")) {
      std::string key(name.substr(10));
      for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      h.params.emplace_back(std::move(key), std::move(value));
    }
  }
  return h;
}

net::Response rejection_reply(const modern::Rejection& r, unsigned version) {
  return net::json_response(static_cast<http::status>(r.http_status), jsonrpc::make_error(r.failure), version);
}

// The JSON-RPC error code of a serialized error response, if it is one.
std::optional<int> error_code(std::string_view body) {
  // A result names "result" right after the id: no need to look further (or parse 26 KB lists).
  if (body.substr(0, 256).find("\"result\":") != std::string_view::npos) return std::nullopt;
  if (body.find("\"error\"") == std::string_view::npos) return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  auto* e = v.get_object().if_contains("error");
  if (!e || !e->is_object()) return std::nullopt;
  auto* c = e->get_object().if_contains("code");
  if (!c || !c->is_int64()) return std::nullopt;
  return static_cast<int>(c->get_int64());
}

}  // namespace

awaitable<net::Reply> StreamableHttpTransport::post_modern(net::Request request, jsonrpc::Message message,
                                                           bool sse_allowed) {
  const unsigned v = request.message.version();
  if (!message.is_request()) {
    // Notifications need no answer (on HTTP, closing the response stream is the cancellation).
    co_return net::Response{http::status::accepted, v};
  }
  const auto headers = read_headers(request);
  auto checked = modern::validate(message, &headers);
  if (auto* rejected = std::get_if<modern::Rejection>(&checked)) co_return rejection_reply(*rejected, v);
  if (auto mismatch = modern::check_param_headers(message, headers, server_->registry())) co_return rejection_reply(*mismatch, v);
  auto prepared = server_->prepare_modern(message, std::move(std::get<modern::Envelope>(checked)));
  if (auto* failure = std::get_if<jsonrpc::Failure>(&prepared)) {
    co_return net::json_response(http::status::bad_request, jsonrpc::make_error(*failure), v);
  }
  auto call = std::get<std::shared_ptr<const ModernCall>>(std::move(prepared));

  if (message.method == "subscriptions/listen" && listen_) co_return listen_->open(std::move(message), call, v);

  // A request-scoped session: nothing outlives the request.
  auto session = std::make_shared<Session>("", request.principal);
  session->set_protocol_version(call->version);
  session->set_initialized();
  auto waiter = co_await boost::asio::this_coro::executor;
  auto deferred = std::make_shared<DeferredReply>(waiter, sse_allowed, options_.stream_max_frames,
                                                  options_.stream_max_bytes);
  const std::string key = jsonrpc::id_key(message.id);
  std::weak_ptr<Session> weak_session = session;
  deferred->set_on_abandon([weak_session, key] {
    if (auto s = weak_session.lock()) s->cancel_in_flight(key);  // a closed stream cancels
  });
  server_->dispatch(
      session, std::move(message), deferred,
      [deferred](std::optional<std::string> response) { deferred->complete(std::move(response)); }, std::move(call));
  auto reply = co_await deferred->reply(v);
  if (auto* res = std::get_if<net::Response>(&reply)) {
    if (auto code = error_code(res->body())) res->result(static_cast<http::status>(modern::http_status_for(*code)));
  }
  co_return reply;
}

}  // namespace appsignals::mcp

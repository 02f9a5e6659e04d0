#include "mcp/streamable_http.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "mcp/deferred_reply.h"
#include "mcp/grants.h"
#include "mcp/modern.h"
#include "mcp/protocol_version.h"
#include "mcp/sse_outbound.h"
#include "net/request_id.h"

namespace appsignals::mcp {

namespace http = net::http;
using boost::asio::awaitable;

namespace {

constexpr std::string_view kSessionHeader = "Mcp-Session-Id";
constexpr std::string_view kVersionHeader = "MCP-Protocol-Version";

bool contains_ci(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i)
    if (boost::beast::iequals(haystack.substr(i, needle.size()), needle)) return true;
  return false;
}

struct AcceptInfo {
  bool json = false;
  bool sse = false;
};

// Lenient Accept handling: either type (or a wildcard, or no header) is enough.
AcceptInfo parse_accept(std::string_view accept) {
  if (accept.empty()) return {true, true};
  AcceptInfo a;
  a.json = contains_ci(accept, "application/json") || contains_ci(accept, "application/*");
  a.sse = contains_ci(accept, "text/event-stream") || contains_ci(accept, "text/*");
  if (contains_ci(accept, "*/*")) a.json = a.sse = true;
  return a;
}

bool is_json_content_type(std::string_view ct) {
  auto semi = ct.find(';');
  auto base = ct.substr(0, semi);
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  return boost::beast::iequals(base, "application/json");
}

// Stores a session minted for `initialize` if (and only if) initialize succeeded. Should a cap
// have been reached meanwhile, the success becomes an error and no session id is handed out.
void admit_initialized(SessionStore& store, const std::shared_ptr<Session>& session,
                       std::optional<std::string>& response) {
  if (!response) return;
  boost::system::error_code ec;
  auto parsed = json::parse(*response, ec);
  if (ec || !parsed.is_object() || !parsed.as_object().contains("result")) return;  // failed: nothing stored
  auto admitted = store.insert(session);
  if (admitted == Admission::kOk) return;
  json::value id = parsed.as_object()["id"];
  response = jsonrpc::make_error(id, -32000, admitted == Admission::kFull
                                                 ? "Server busy: too many MCP sessions, retry later"
                                                 : "Too many sessions for this API key: end unused ones (DELETE /mcp)");
}

}  // namespace

std::optional<net::Reply> refuse_new_session(Admission admission, unsigned version) {
  if (admission == Admission::kOk) return std::nullopt;
  const bool full = admission == Admission::kFull;
  auto res = rpc_http_error(full ? http::status::service_unavailable : http::status::too_many_requests, -32000,
                            full ? "Server busy: the server holds its maximum number of MCP sessions; retry later"
                                 : "Too many sessions for this API key, none idle: end unused sessions (DELETE "
                                   "/mcp) or reuse one",
                            version);
  res.set(http::field::retry_after, full ? "5" : "30");
  return net::Reply{std::move(res)};
}

net::Response rpc_http_error(http::status status, int code, std::string_view message, unsigned version) {
  return net::json_response(status, jsonrpc::make_error(nullptr, code, message), version);
}

StreamableHttpTransport::StreamableHttpTransport(std::shared_ptr<McpServer> server,
                                                 std::shared_ptr<SessionStore> sessions,
                                                 StreamableHttpOptions options)
    : server_(std::move(server)), sessions_(std::move(sessions)), options_(options) {
  listen_ = std::make_shared<ListenHub>(server_, options_.stream_max_frames, options_.stream_max_bytes);
  listen_->start();
  if (options_.cluster) {
    std::weak_ptr<SessionStore> weak = sessions_;
    options_.cluster->add_sink([weak](const std::string& id, std::string message) {
      auto store = weak.lock();
      auto session = store ? store->find(id) : nullptr;
      // Only a stream open here (an SseOutbound), never a forwarder to another instance.
      auto out = session ? std::dynamic_pointer_cast<SseOutbound>(session->standalone()) : nullptr;
      if (!out) return false;
      out->send(std::move(message));
      return true;
    });
    // A session evicted under its principal's cap is over everywhere: its record goes too (else
    // a principal looping initialize grows Redis until the records expire). Idle expiry here
    // deletes nothing: the session may be in use on another instance, and its record carries
    // the same idle timeout as its TTL, refreshed wherever it is used.
    std::weak_ptr<Cluster> cluster = options_.cluster;
    sessions_->set_on_evicted([cluster](const std::string& id) {
      if (auto c = cluster.lock()) c->discard(id);
    });
  }
}

void StreamableHttpTransport::set_instance_header(net::Reply& reply) const {
  if (!options_.cluster) return;
  if (auto* res = std::get_if<net::Response>(&reply)) res->set("X-MCP-Instance", options_.cluster->instance_id());
  else std::get<net::StreamReply>(reply).head.set("X-MCP-Instance", options_.cluster->instance_id());
}

awaitable<net::Reply> StreamableHttpTransport::handle(net::Request request) {
  switch (request.message.method()) {
    case http::verb::post: {
      auto reply = co_await post(std::move(request));
      set_instance_header(reply);
      co_return reply;
    }
    case http::verb::get: {
      auto reply = co_await get(std::move(request));
      set_instance_header(reply);
      co_return reply;
    }
    case http::verb::delete_: {
      auto reply = co_await remove(std::move(request));
      set_instance_header(reply);
      co_return reply;
    }
    default: {
      auto res = rpc_http_error(http::status::method_not_allowed, -32000, "Method not allowed",
                                request.message.version());
      res.set(http::field::allow, options_.stateless ? "POST" : "GET, POST, DELETE");
      co_return res;
    }
  }
}

awaitable<std::shared_ptr<Session>> StreamableHttpTransport::find_session(const net::Request& request,
                                                                          std::optional<net::Reply>& error,
                                                                          Cluster::Lookup* lookup) {
  const unsigned v = request.message.version();
  auto id = request.header(kSessionHeader);
  if (id.empty()) {
    error = rpc_http_error(http::status::bad_request, -32000,
                           "Bad Request: Mcp-Session-Id header is required (send initialize first)", v);
    co_return nullptr;
  }
  std::string sid(id);
  auto session = sessions_->find(sid);
  if (options_.cluster) {
    auto found = co_await options_.cluster->load(sid);
    if (!found) {
      error = cluster_unavailable(v);
      co_return nullptr;
    }
    const auto& record = found->record;
    if (!record || record->kind != SessionRecord::Kind::kHttp) {
      // Deleted or expired elsewhere: gone here too.
      if (session) sessions_->remove(sid);
      session = nullptr;
    } else if (record->principal == request.principal) {
      if (!session) {
        auto rebuilt = std::make_shared<Session>(sid, record->principal);
        apply_record(*rebuilt, *record);
        if (auto refused = refuse_new_session(sessions_->insert(rebuilt, /*new_session=*/false), v)) {
          error = std::move(*refused);
          co_return nullptr;
        }
        session = sessions_->find(sid);  // a concurrent request may have stored it first
      }
      if (session) {
        // Forward this session's stream messages to the instance holding its GET stream.
        auto current = session->standalone();
        auto forward = std::dynamic_pointer_cast<PublishOutbound>(current);
        const bool elsewhere = !record->owner.empty() && record->owner != options_.cluster->instance_id() &&
                               found->owner_alive;
        if (forward && (!elsewhere || forward->owner() != record->owner)) {
          session->detach_standalone(forward.get());
          current = nullptr;
        }
        if (elsewhere && !current)
          session->attach_standalone(std::make_shared<PublishOutbound>(options_.cluster, record->owner, sid));
        options_.cluster->touch(sid, options_.record_ttl);
      }
    }
    if (lookup) *lookup = std::move(*found);
  }
  // A session presented with other credentials than its creator's is not revealed.
  if (!session || session->closed() || session->principal() != request.principal) {
    error = rpc_http_error(http::status::not_found, -32001, "Session not found: start a new session with initialize", v);
    co_return nullptr;
  }
  co_return session;
}

awaitable<net::Reply> StreamableHttpTransport::post(net::Request request) {
  const unsigned v = request.message.version();
  if (!is_json_content_type(request.header("Content-Type"))) {
    co_return rpc_http_error(http::status::unsupported_media_type, -32000,
                             "Unsupported Media Type: Content-Type must be application/json", v);
  }
  auto accept = parse_accept(request.header("Accept"));
  if (!accept.json && !accept.sse) {
    co_return rpc_http_error(http::status::not_acceptable, -32000,
                             "Not Acceptable: accept application/json or text/event-stream", v);
  }
  auto header_version = request.header(kVersionHeader);
  auto body = jsonrpc::parse_json(request.message.body());
  if (!body) co_return rpc_http_error(http::status::bad_request, jsonrpc::kParseError, "Parse error: Invalid JSON", v);
  // One message: classified per request (MCP-PROTOCOL.md §1.3); the modern era is served by
  // post_modern (modern_http.cc), the handshake era below exactly as before.
  std::optional<std::variant<jsonrpc::Message, jsonrpc::Failure>> single;
  if (!body->is_array()) {
    single = jsonrpc::parse_message(*body);
    if (auto* parsed_message = std::get_if<jsonrpc::Message>(&*single)) {
      parsed_message->trace_id = std::string(net::request_id_of(request));
      parsed_message->grants = grants_of(request);
    }
    if (auto* m = std::get_if<jsonrpc::Message>(&*single);
        m && modern::classify(*m, header_version) == modern::Era::kModern)
      co_return co_await post_modern(std::move(request), std::move(*m), accept.sse);
  }
  if (!header_version.empty() && !is_supported_version(header_version)) {
    std::string supported;
    for (auto s : kSupportedVersions) supported += (supported.empty() ? "" : ", ") + std::string(s);
    co_return rpc_http_error(http::status::bad_request, -32000,
                             "Bad Request: unsupported MCP-Protocol-Version " + std::string(header_version) +
                                 " (supported: " + supported + ")",
                             v);
  }

  if (body->is_array()) {
    std::shared_ptr<Session> session;
    if (!options_.stateless) {
      std::optional<net::Reply> error;
      session = co_await find_session(request, error, nullptr);
      if (!session) co_return std::move(*error);
    } else {
      session = std::make_shared<Session>("", request.principal);
      session->set_protocol_version(std::string(header_version.empty() ? kDefaultHttpVersion : header_version));
    }
    co_return co_await batch(request, std::move(session), std::move(body->get_array()));
  }

  auto& parsed = *single;
  if (auto* failure = std::get_if<jsonrpc::Failure>(&parsed))
    co_return net::json_response(http::status::bad_request, jsonrpc::make_error(*failure), v);
  auto& message = std::get<jsonrpc::Message>(parsed);

  std::shared_ptr<Session> session;
  bool minted = false;
  if (message.is_request() && message.method == "initialize") {
    if (options_.stateless) {
      session = std::make_shared<Session>("", request.principal);
    } else {
      if (auto refused = refuse_new_session(sessions_->check(request.principal), v)) co_return std::move(*refused);
      if (options_.cluster && !options_.cluster->available()) co_return cluster_unavailable(v);
      session = sessions_->mint(request.principal);  // stored only once initialize succeeds
      minted = true;
    }
  } else if (options_.stateless) {
    session = std::make_shared<Session>("", request.principal);
    session->set_protocol_version(std::string(header_version.empty() ? kDefaultHttpVersion : header_version));
    session->set_initialized();
  } else {
    std::optional<net::Reply> error;
    session = co_await find_session(request, error, nullptr);
    if (!session) co_return std::move(*error);
  }

  if (!message.is_request()) {
    server_->accept(session, message);
    co_return net::Response{http::status::accepted, v};
  }

  auto waiter = co_await boost::asio::this_coro::executor;
  auto deferred = std::make_shared<DeferredReply>(waiter, accept.sse, options_.stream_max_frames,
                                                  options_.stream_max_bytes);
  const std::string key = jsonrpc::id_key(message.id);
  std::weak_ptr<Session> weak_session = session;
  deferred->set_on_abandon([weak_session, key] {
    if (auto s = weak_session.lock()) s->cancel_in_flight(key);
  });
  std::shared_ptr<SessionStore> store = minted ? sessions_ : nullptr;
  server_->dispatch(session, std::move(message), deferred,
                    [deferred, store, session](std::optional<std::string> response) {
                      if (store) admit_initialized(*store, session, response);
                      deferred->complete(std::move(response));
                    });
  auto reply = co_await deferred->reply(v);
  if (minted && options_.cluster && sessions_->find(session->id())) {
    // Recorded before the id is handed out: the client's next request may land anywhere.
    auto record = record_of(*session, SessionRecord::Kind::kHttp, std::string());
    auto saved = co_await options_.cluster->save(std::move(record), options_.record_ttl);
    if (!saved) {
      log_with(net::log_fields_of(request), spdlog::level::warn, "cluster: a new session could not be recorded: {}",
               saved.error().message);
      sessions_->remove(session->id());
      if (std::holds_alternative<net::Response>(reply)) co_return cluster_unavailable(v);
    }
  }
  if (minted && sessions_->find(session->id())) {
    if (auto* res = std::get_if<net::Response>(&reply)) {
      res->set(kSessionHeader, session->id());
    } else {
      std::get<net::StreamReply>(reply).head.set(kSessionHeader, session->id());
    }
  }
  co_return reply;
}

awaitable<net::Reply> StreamableHttpTransport::batch(net::Request& request, std::shared_ptr<Session> session,
                                                     json::array messages) {
  const unsigned v = request.message.version();
  auto version = request.header(kVersionHeader);
  if ((version.empty() ? std::string(kDefaultHttpVersion) : std::string(version)) != "2025-03-26" ||
      session->protocol_version() != "2025-03-26") {
    co_return rpc_http_error(http::status::bad_request, jsonrpc::kInvalidRequest,
                             "Invalid Request: JSON-RPC batches are only allowed under protocol 2025-03-26", v);
  }
  if (messages.empty() || messages.size() > options_.max_batch) {
    co_return rpc_http_error(http::status::bad_request, jsonrpc::kInvalidRequest,
                             "Invalid Request: a batch holds 1 to 100 messages", v);
  }
  json::array responses;
  const auto grants = grants_of(request);  // one credential for the whole batch
  for (auto& item : messages) {
    auto parsed = jsonrpc::parse_message(item);
    if (auto* failure = std::get_if<jsonrpc::Failure>(&parsed)) {
      responses.push_back(json::parse(jsonrpc::make_error(*failure)));
      continue;
    }
    auto& message = std::get<jsonrpc::Message>(parsed);
    message.trace_id = std::string(net::request_id_of(request));
    message.grants = grants;
    if (message.is_request() && message.method == "initialize") {
      co_return rpc_http_error(http::status::bad_request, jsonrpc::kInvalidRequest,
                               "Invalid Request: initialize must not be part of a batch", v);
    }
    if (!message.is_request()) {
      server_->accept(session, message);
      continue;
    }
    auto response = co_await server_->call(session, std::move(message), session->standalone());
    if (response) responses.push_back(json::parse(*response));
  }
  if (responses.empty()) co_return net::Response{http::status::accepted, v};
  co_return net::json_response(http::status::ok, json::serialize(responses), v);
}

namespace {

// The GET stream ended: the record no longer names this instance (unless deleted meanwhile).
void clear_owner(const std::shared_ptr<Cluster>& cluster, const Session& session, std::chrono::seconds ttl) {
  cluster->update(record_of(session, SessionRecord::Kind::kHttp, std::string()), ttl);
}

}  // namespace

awaitable<net::Reply> StreamableHttpTransport::get(net::Request request) {
  const unsigned v = request.message.version();
  if (options_.stateless) {
    auto res = rpc_http_error(http::status::method_not_allowed, -32000,
                              "Method not allowed: this server is stateless and has no GET stream", v);
    res.set(http::field::allow, "POST");
    co_return res;
  }
  auto accept = parse_accept(request.header("Accept"));
  if (!accept.sse) {
    co_return rpc_http_error(http::status::not_acceptable, -32000, "Not Acceptable: GET needs Accept: text/event-stream", v);
  }
  std::optional<net::Reply> error;
  Cluster::Lookup lookup;
  auto session = co_await find_session(request, error, &lookup);
  if (!session) co_return std::move(*error);

  auto stream = std::make_shared<net::EventStream>(options_.stream_max_frames, options_.stream_max_bytes,
                                                   options_.stream_budget);
  auto outbound = std::make_shared<SseOutbound>(stream);
  if (options_.cluster && std::dynamic_pointer_cast<PublishOutbound>(session->standalone())) {
    // A live instance holds this session's stream.
    co_return rpc_http_error(http::status::conflict, -32000,
                             "Conflict: only one GET stream is allowed per session", v);
  }
  if (!session->attach_standalone(outbound)) {
    co_return rpc_http_error(http::status::conflict, -32000,
                             "Conflict: only one GET stream is allowed per session", v);
  }
  std::weak_ptr<Session> weak = session;
  const Outbound* raw = outbound.get();
  std::shared_ptr<Cluster> cluster = options_.cluster;
  const auto ttl = options_.record_ttl;
  stream->set_on_end([weak, raw, cluster, ttl](net::EndReason) {
    if (auto s = weak.lock()) {
      s->detach_standalone(raw);
      s->touch();
      if (cluster && !s->closed()) clear_owner(cluster, *s, ttl);
    }
  });
  if (cluster) {
    // Other instances now forward this session's stream messages here.
    auto record = record_of(*session, SessionRecord::Kind::kHttp, cluster->instance_id());
    auto saved = co_await cluster->save(std::move(record), ttl);
    if (!saved) {
      session->detach_standalone(raw);
      co_return cluster_unavailable(v);
    }
  }
  net::StreamReply sr;
  sr.head.result(http::status::ok);
  sr.head.version(v);
  sr.head.set(kSessionHeader, session->id());
  sr.stream = std::move(stream);
  sr.long_lived = true;
  co_return sr;
}

awaitable<net::Reply> StreamableHttpTransport::remove(net::Request request) {
  const unsigned v = request.message.version();
  if (options_.stateless) {
    auto res = rpc_http_error(http::status::method_not_allowed, -32000, "Method not allowed: no sessions", v);
    res.set(http::field::allow, "POST");
    co_return res;
  }
  std::optional<net::Reply> error;
  auto session = co_await find_session(request, error, nullptr);
  if (!session) co_return std::move(*error);
  // Close the session's GET stream too.
  if (auto out = std::dynamic_pointer_cast<SseOutbound>(session->standalone())) out->stream()->close();
  std::string id = session->id();
  sessions_->remove(id);
  if (options_.cluster) {
    auto erased = co_await options_.cluster->erase(id);
    if (!erased) co_return cluster_unavailable(v);
  }
  co_return net::Response{http::status::ok, v};
}

}  // namespace appsignals::mcp

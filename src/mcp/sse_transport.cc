#include "mcp/sse_transport.h"

#include <optional>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/json/parse.hpp>
#include <spdlog/spdlog.h>

#include "common/encoding.h"
#include "common/random.h"
#include "mcp/grants.h"
#include "mcp/jsonrpc.h"
#include "net/request_id.h"
#include "mcp/streamable_http.h"

namespace appsignals::mcp {

namespace http = net::http;
using boost::asio::awaitable;

namespace {

constexpr std::string_view kSessionParam = "session_id";

bool is_json_content_type(std::string_view ct) {
  auto base = ct.substr(0, ct.find(';'));
  while (!base.empty() && (base.back() == ' ' || base.back() == '\t')) base.remove_suffix(1);
  while (!base.empty() && (base.front() == ' ' || base.front() == '\t')) base.remove_prefix(1);
  return boost::beast::iequals(base, "application/json");
}

// The value of the first `name=` parameter of a query string, percent-decoded. nullopt when
// absent (or undecodable); an empty string when present but empty.
std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    auto eq = pair.find('=');
    auto key = pair.substr(0, eq);
    if (key != name) continue;
    if (eq == std::string_view::npos) return std::string();
    return percent_decode(pair.substr(eq + 1), true);
  }
  return std::nullopt;
}

// True for ".../messages" and ".../messages/": the POST endpoint of the pair.
bool is_messages_path(std::string_view path) {
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  auto slash = path.rfind('/');
  return path.substr(slash == std::string_view::npos ? 0 : slash + 1) == "messages";
}

net::Response method_not_allowed(std::string_view allow, unsigned version) {
  auto res = net::error_response(http::status::method_not_allowed,
                                 "method not allowed: use " + std::string(allow), version);
  res.set(http::field::allow, allow);
  return res;
}

net::Response session_not_found(unsigned version) {
  return rpc_http_error(http::status::not_found, -32001,
                        "Session not found: open a new stream with GET /sse and send initialize", version);
}

SessionRecord sse_record(const std::string& id, const std::string& principal, const std::string& owner) {
  SessionRecord r;
  r.kind = SessionRecord::Kind::kSse;
  r.id = id;
  r.principal = principal;
  r.owner = owner;
  return r;
}

bool succeeded(const std::string& response) {
  boost::system::error_code ec;
  auto v = json::parse(response, ec);
  return !ec && v.is_object() && v.get_object().contains("result");
}

// Records what initialize negotiated before the client can see the answer (so its next POST,
// wherever it lands, finds the version and capabilities), then sends the answer.
awaitable<void> save_then_send(std::shared_ptr<Cluster> cluster, SessionRecord record, bool held,
                               std::shared_ptr<Outbound> out, std::string response) {
  if (held) cluster->hold(record);
  auto saved = co_await cluster->save(record, kStreamRecordTtl);
  if (!saved) spdlog::warn("cluster: the initialized session could not be recorded: {}", saved.error().message);
  out->send(std::move(response));
}

}  // namespace

std::string normalize_public_prefix(std::string_view prefix) {
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  while (!prefix.empty() && prefix.front() == '/') prefix.remove_prefix(1);
  if (prefix.empty()) return {};
  return "/" + std::string(prefix);
}

struct SseTransport::State {
  struct Entry {
    std::shared_ptr<Session> session;
    std::shared_ptr<SseOutbound> outbound;
  };
  mutable std::mutex mu;
  // Keyed by a view of the session's own id (Session::id() is immutable and the entry holds
  // the session): one copy of each id instead of two.
  std::unordered_map<std::string_view, Entry> sessions;
  // Cluster mode: sessions whose stream is on another instance, rebuilt from their records.
  // A cache (bounded by kMaxRemote; an evicted entry is rebuilt on its next POST).
  struct Remote {
    std::shared_ptr<Session> session;
    std::string owner;
  };
  static constexpr std::size_t kMaxRemote = 10'000;
  std::unordered_map<std::string, Remote> remote;
  std::shared_ptr<Cluster> cluster;
  std::unordered_map<std::string, std::size_t> per_principal;  // open streams per principal
  std::function<void(const std::string&)> on_session_end;  // test hook, guarded by mu

  std::optional<Entry> find(const std::string& id) const {
    std::lock_guard lock(mu);
    auto it = sessions.find(id);
    if (it == sessions.end()) return std::nullopt;
    return it->second;
  }

  // Called when a stream ends: the session goes with it.
  void end(const std::string& id, net::EndReason reason) {
    std::optional<Entry> entry;
    std::function<void(const std::string&)> hook;
    {
      std::lock_guard lock(mu);
      auto it = sessions.find(id);
      if (it == sessions.end()) return;
      entry = std::move(it->second);
      sessions.erase(it);
      if (auto p = per_principal.find(entry->session->principal()); p != per_principal.end() && --p->second == 0)
        per_principal.erase(p);
      hook = on_session_end;
    }
    entry->session->detach_standalone(entry->outbound.get());
    entry->session->close();
    if (cluster) cluster->release(id);
    spdlog::debug("sse session ended ({})", reason == net::EndReason::kOverflow   ? "client too slow"
                                            : reason == net::EndReason::kPeerGone ? "client gone"
                                            : reason == net::EndReason::kShutdown ? "shutdown"
                                                                                   : "closed");
    if (hook) hook(id);
  }
};

SseTransport::SseTransport(std::shared_ptr<McpServer> server, SseTransportOptions options)
    : server_(std::move(server)), options_(std::move(options)), state_(std::make_shared<State>()) {
  options_.public_prefix = normalize_public_prefix(options_.public_prefix);
  state_->cluster = options_.cluster;
  if (options_.cluster) {
    std::weak_ptr<State> weak = state_;
    options_.cluster->add_sink([weak](const std::string& id, std::string message) {
      auto state = weak.lock();
      if (!state) return false;
      auto entry = state->find(id);
      if (!entry) return false;
      entry->outbound->send(std::move(message));
      return true;
    });
  }
}

SseTransport::~SseTransport() = default;

std::string SseTransport::endpoint_uri(std::string_view session_id) const {
  // Percent-encoded like the reference server; clients resolve this path against the origin
  // of the stream URL, so it must already carry the proxy's prefix.
  return percent_encode(options_.public_prefix, true) + "/messages/?" + std::string(kSessionParam) + "=" +
         std::string(session_id);
}

std::size_t SseTransport::session_count() const {
  std::lock_guard lock(state_->mu);
  return state_->sessions.size();
}

std::shared_ptr<Session> SseTransport::find(const std::string& id) const {
  auto entry = state_->find(id);
  return entry ? entry->session : nullptr;
}

void SseTransport::set_on_session_end(std::function<void(const std::string& id)> hook) {
  std::lock_guard lock(state_->mu);
  state_->on_session_end = std::move(hook);
}

void SseTransport::close_all() {
  std::vector<std::shared_ptr<SseOutbound>> outs;
  {
    std::lock_guard lock(state_->mu);
    for (auto& [id, e] : state_->sessions) outs.push_back(e.outbound);
  }
  for (auto& o : outs) o->stream()->close();
}

awaitable<net::Reply> SseTransport::handle(net::Request request) {
  const unsigned v = request.message.version();
  const auto method = request.message.method();
  if (is_messages_path(request.path())) {
    if (method == http::verb::post) co_return co_await post_message(std::move(request));
    co_return method_not_allowed("POST", v);
  }
  if (method == http::verb::get) {
    if (options_.cluster) co_return co_await open_clustered(std::move(request));
    co_return open_stream(request, random_hex(16));
  }
  // Includes POST: a plain 405 (not a JSON-RPC error) makes Streamable HTTP clients fall back.
  co_return method_not_allowed("GET", v);
}

awaitable<net::Reply> SseTransport::open_clustered(net::Request request) {
  const unsigned v = request.message.version();
  auto& cluster = options_.cluster;
  if (!cluster->available()) co_return cluster_unavailable(v);
  auto record = sse_record(random_hex(16), request.principal, cluster->instance_id());
  // Recorded before the client learns the id: its first POST may land anywhere.
  auto saved = co_await cluster->save(record, kStreamRecordTtl);
  if (!saved) co_return cluster_unavailable(v);
  cluster->hold(record);
  auto reply = open_stream(request, record.id);
  if (std::holds_alternative<net::Response>(reply)) {
    // Refused (stream caps): the record must not outlive the refusal.
    cluster->release(record.id);
    auto erased = co_await cluster->erase(record.id);
    if (!erased) spdlog::debug("cluster: refused stream's record not deleted: {}", erased.error().message);
  }
  co_return reply;
}

net::Reply SseTransport::open_stream(const net::Request& request, std::string id) {
  const unsigned v = request.message.version();
  auto stream = std::make_shared<net::EventStream>(options_.stream_max_frames, options_.stream_max_bytes,
                                                   options_.stream_budget);
  auto outbound = std::make_shared<SseOutbound>(stream);
  auto session = std::make_shared<Session>(std::move(id), request.principal);
  // A fresh session has no standalone stream yet, so this cannot fail.
  session->attach_standalone(outbound);

  // The endpoint event goes first, before anything can be queued behind it.
  stream->send_event(endpoint_uri(session->id()), "endpoint");
  {
    std::lock_guard lock(state_->mu);
    if (options_.max_streams > 0 && state_->sessions.size() >= options_.max_streams) {
      auto res = net::error_response(http::status::service_unavailable,
                                     "too many open SSE streams on this server (MCP_MAX_SESSIONS); retry later", v);
      res.set(http::field::retry_after, "5");
      return res;
    }
    auto& mine = state_->per_principal[request.principal];
    if (options_.max_streams_per_principal > 0 && mine >= options_.max_streams_per_principal) {
      if (mine == 0) state_->per_principal.erase(request.principal);
      return net::error_response(http::status::too_many_requests,
                                 "too many open SSE streams for these credentials (MCP_MAX_SESSIONS_PER_KEY); "
                                 "close one first",
                                 v);
    }
    ++mine;
    state_->sessions.emplace(session->id(), State::Entry{session, outbound});
  }
  // The callback may run after the transport is gone (server shutdown order), hence the weak
  // reference to the shared state rather than `this`.
  // The session is found through a weak reference rather than a copy of its id (one string
  // less per stream); it lives while its entry does, which only end() removes.
  std::weak_ptr<State> weak = state_;
  std::weak_ptr<Session> weak_session = session;
  stream->set_on_end([weak, weak_session](net::EndReason reason) {
    auto state = weak.lock();
    auto ended = weak_session.lock();
    if (state && ended) state->end(ended->id(), reason);
  });
  log_with(net::log_fields_of(request), spdlog::level::debug, "sse session opened by {}", request.remote_address);

  net::StreamReply sr;
  sr.head = http::response<http::empty_body>{http::status::ok, v};
  sr.stream = std::move(stream);
  sr.long_lived = true;
  return sr;
}

awaitable<net::Reply> SseTransport::post_message(net::Request request) {
  const unsigned v = request.message.version();
  if (!is_json_content_type(request.header("Content-Type"))) {
    co_return rpc_http_error(http::status::bad_request, -32000,
                             "Bad Request: Content-Type must be application/json", v);
  }
  auto id = query_param(request.query(), kSessionParam);
  if (!id || id->empty()) {
    co_return rpc_http_error(http::status::bad_request, -32000,
                             "Bad Request: the session_id query parameter is required (use the URI of the "
                             "endpoint event)",
                             v);
  }
  auto entry = state_->find(*id);
  if (!entry && options_.cluster) co_return co_await post_remote(std::move(request), std::move(*id));
  // Another credential's session is not revealed: same answer as an unknown id.
  if (!entry || entry->session->principal() != request.principal) co_return session_not_found(v);
  if (entry->session->closed() || !entry->outbound->stream()->is_open()) {
    // The stream is ending (or ended without its callback having run yet).
    co_return session_not_found(v);
  }
  if (entry->outbound->stream()->backlogged()) {
    // Queuing more for a client that does not read would only grow memory: refuse instead.
    auto res = rpc_http_error(http::status::service_unavailable, -32000,
                              "Service Unavailable: the event stream of this session is not being read "
                              "(replies are backlogged); read the stream, then retry",
                              v);
    res.set(http::field::retry_after, "1");
    co_return res;
  }

  auto body = jsonrpc::parse_json(request.message.body());
  if (!body) co_return rpc_http_error(http::status::bad_request, jsonrpc::kParseError, "Parse error: Invalid JSON", v);
  auto parsed = jsonrpc::parse_message(*body);
  if (auto* failure = std::get_if<jsonrpc::Failure>(&parsed))
    co_return net::json_response(http::status::bad_request, jsonrpc::make_error(*failure), v);
  auto& message = std::get<jsonrpc::Message>(parsed);
  message.trace_id = std::string(net::request_id_of(request));
  message.grants = grants_of(request);

  if (options_.cluster && message.is_request() && message.method != "initialize" && message.method != "ping" &&
      !entry->session->negotiated()) {
    // Cluster mode: the initialize of this stream's session may have been handled by another
    // instance; its record says so (and carries the negotiated version and capabilities).
    std::string sid = *id;
    auto lookup = co_await options_.cluster->load(sid);
    if (!lookup) co_return cluster_unavailable(v);
    if (lookup->record && lookup->record->kind == SessionRecord::Kind::kSse) apply_record(*entry->session, *lookup->record);
  }
  dispatch(entry->session, std::move(message), entry->outbound,
           options_.cluster ? options_.cluster->instance_id() : std::string());
  co_return accepted(v);
}

net::Response SseTransport::accepted(unsigned version) const {
  net::Response res{http::status::accepted, version};
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  if (options_.cluster) res.set("X-MCP-Instance", options_.cluster->instance_id());
  res.body() = "Accepted";
  return res;
}

void SseTransport::dispatch(const std::shared_ptr<Session>& session, jsonrpc::Message message,
                            std::shared_ptr<Outbound> out, std::string owner) {
  if (!message.is_request()) {
    server_->accept(session, message);
    return;
  }
  if (message.method != "initialize" && message.method != "ping" && !session->negotiated()) {
    // Lifecycle: nothing but initialize (and ping) runs before the handshake.
    out->send(jsonrpc::make_error(message.id, jsonrpc::kInvalidRequest,
                                  "Invalid Request: the session is not initialized; send initialize first"));
    return;
  }
  std::shared_ptr<Cluster> cluster = message.method == "initialize" ? options_.cluster : nullptr;
  const bool held = cluster && owner == cluster->instance_id();
  auto executor = server_->executor();
  server_->dispatch(session, std::move(message), out,
                    [out, cluster, session, owner, held, executor](std::optional<std::string> response) {
                      // nullopt: cancelled by the client, no response is due. A failed send means the
                      // stream has gone; the session is being closed by the stream's end callback.
                      if (!response) return;
                      if (cluster && succeeded(*response)) {
                        auto record = record_of(*session, SessionRecord::Kind::kSse, owner);
                        boost::asio::co_spawn(executor,
                                              save_then_send(cluster, std::move(record), held, out,
                                                             std::move(*response)),
                                              boost::asio::detached);
                        return;
                      }
                      out->send(std::move(*response));
                    });
}

awaitable<net::Reply> SseTransport::post_remote(net::Request request, std::string id) {
  const unsigned v = request.message.version();
  auto cluster = options_.cluster;
  auto lookup = co_await cluster->load(id);
  if (!lookup) co_return cluster_unavailable(v);
  const auto& record = lookup->record;
  auto forget = [this, &id] {
    std::shared_ptr<Session> gone;
    {
      std::lock_guard lock(state_->mu);
      if (auto it = state_->remote.find(id); it != state_->remote.end()) {
        gone = it->second.session;
        state_->remote.erase(it);
      }
    }
    if (gone) gone->close();
  };
  // Another credential's session is not revealed: same answer as an unknown id. Our own record
  // without our stream: the stream has just ended.
  if (!record || record->kind != SessionRecord::Kind::kSse || record->principal != request.principal ||
      record->owner == cluster->instance_id()) {
    forget();
    co_return session_not_found(v);
  }
  if (!lookup->owner_alive) {
    // Its instance is gone, and so is the stream: the session ends everywhere now.
    forget();
    auto erased = co_await cluster->erase(id);
    if (!erased) spdlog::debug("cluster: stale session record not deleted: {}", erased.error().message);
    co_return session_not_found(v);
  }

  auto body = jsonrpc::parse_json(request.message.body());
  if (!body) co_return rpc_http_error(http::status::bad_request, jsonrpc::kParseError, "Parse error: Invalid JSON", v);
  auto parsed = jsonrpc::parse_message(*body);
  if (auto* failure = std::get_if<jsonrpc::Failure>(&parsed))
    co_return net::json_response(http::status::bad_request, jsonrpc::make_error(*failure), v);
  auto& message = std::get<jsonrpc::Message>(parsed);
  message.trace_id = std::string(net::request_id_of(request));
  message.grants = grants_of(request);

  std::shared_ptr<Session> session;
  {
    std::lock_guard lock(state_->mu);
    auto it = state_->remote.find(id);
    if (it != state_->remote.end() && it->second.owner == record->owner && !it->second.session->closed()) {
      session = it->second.session;
    } else {
      session = std::make_shared<Session>(id, record->principal);
      session->attach_standalone(std::make_shared<PublishOutbound>(cluster, record->owner, id));
      if (state_->remote.size() >= State::kMaxRemote) state_->remote.erase(state_->remote.begin());
      auto& slot = state_->remote[id];
      slot.session = session;
      slot.owner = record->owner;
    }
  }
  apply_record(*session, *record);
  dispatch(session, std::move(message), session->standalone(), record->owner);
  co_return accepted(v);
}

}  // namespace appsignals::mcp

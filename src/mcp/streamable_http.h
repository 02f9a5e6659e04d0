#pragma once
// Streamable HTTP transport (MCP 2025-03-26 .. 2025-11-25) on one endpoint, e.g. /mcp.
//
// POST carries one JSON-RPC message (a batch only under 2025-03-26, at most 100); requests are
// answered as JSON or SSE (see DeferredReply), notifications and responses with 202.
// Sessions: Mcp-Session-Id is minted at initialize (128-bit random); later requests without it
// get 400, with an unknown or ended one 404, and so do requests presenting other credentials
// than the session's creator. GET opens the session's server-to-client stream (409 if one is
// open), DELETE ends the session. In stateless mode no session ids exist and each request is
// served on its own (GET/DELETE: 405). A session is stored only when initialize succeeds;
// initialize beyond the store's caps gets 503 (store full) or 429 (the key's cap, none idle).
//
// Each POST is classified by era (mcp/modern.h): 2026-07-28 requests (per-request _meta, no
// session, Mcp-Method/Mcp-Name headers checked against the body, errors with the spec's HTTP
// statuses, subscriptions/listen) are served by post_modern in modern_http.cc. GET and DELETE
// stay handshake-era session operations.
//
// Cluster mode (options.cluster, see mcp/cluster.h): a session is recorded before its id is
// handed out (initialize while Redis is unavailable: 503); every request that names a session
// checks its record (deleted or expired: 404 here too; Redis unavailable: 503) and refreshes its
// TTL (throttled), and a session minted elsewhere is rebuilt from the record into the local store
// (whose caps then apply per instance). The GET stream's instance is the record's owner; messages
// a session produces elsewhere for that stream are published to the owner. A GET while another
// live instance holds the stream: 409. DELETE deletes the record. Answers carry X-MCP-Instance.
#include <memory>
#include <optional>

#include "mcp/cluster.h"
#include "mcp/modern_listen.h"
#include "mcp/server.h"
#include "mcp/session_store.h"
#include "net/event_stream.h"
#include "net/http_types.h"
#include "net/server_limits.h"

namespace appsignals::mcp {

struct StreamableHttpOptions {
  bool stateless = false;
  std::size_t max_batch = 100;
  std::size_t stream_max_frames = 1024;
  std::size_t stream_max_bytes = 1024 * 1024;
  std::shared_ptr<net::StreamBudget> stream_budget;  // charged by GET streams (optional)
  std::shared_ptr<Cluster> cluster;                  // cluster mode (MCP_REDIS_URL), else nullptr
  std::chrono::seconds record_ttl{1800};             // a session record's TTL (MCP_SESSION_IDLE_TIMEOUT)
};

class StreamableHttpTransport final : public net::HttpHandler {
 public:
  StreamableHttpTransport(std::shared_ptr<McpServer> server, std::shared_ptr<SessionStore> sessions,
                          StreamableHttpOptions options);

  boost::asio::awaitable<net::Reply> handle(net::Request request) override;

 private:
  boost::asio::awaitable<net::Reply> post(net::Request request);
  boost::asio::awaitable<net::Reply> get(net::Request request);
  boost::asio::awaitable<net::Reply> remove(net::Request request);
  // The 2026-07-28 era (modern_http.cc). `message` is a parsed request or notification.
  boost::asio::awaitable<net::Reply> post_modern(net::Request request, jsonrpc::Message message, bool sse_allowed);
  boost::asio::awaitable<net::Reply> batch(net::Request& request, std::shared_ptr<Session> session,
                                           json::array messages);
  // Looks up the session named by Mcp-Session-Id; on failure fills `error`. Awaited in place:
  // the caller owns `request` and `error`. `lookup` (cluster mode) receives the record lookup.
  boost::asio::awaitable<std::shared_ptr<Session>> find_session(const net::Request& request,
                                                                std::optional<net::Reply>& error,
                                                                Cluster::Lookup* lookup);
  void set_instance_header(net::Reply& reply) const;

  std::shared_ptr<McpServer> server_;
  std::shared_ptr<SessionStore> sessions_;
  StreamableHttpOptions options_;
  std::shared_ptr<ListenHub> listen_;  // 2026-07-28 subscriptions/listen streams
};

// An HTTP error whose body is a JSON-RPC error without id.
net::Response rpc_http_error(net::http::status status, int code, std::string_view message, unsigned version);
// The refusal of a new session (503 + Retry-After when the store is full, 429 at the
// principal's cap), or nullopt for kOk.
std::optional<net::Reply> refuse_new_session(Admission admission, unsigned version);

}  // namespace appsignals::mcp

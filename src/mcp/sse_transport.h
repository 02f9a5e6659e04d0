#pragma once
// Legacy HTTP+SSE transport (MCP 2024-11-05; any version the client negotiates in initialize).
//
// One handler serves both endpoints of the pair; the router mounts it at "/sse" and at
// "/messages/" (which also answers "/messages"). Requests are told apart by their path: a path
// whose last segment is "messages" is the POST endpoint, anything else the stream endpoint.
//
//   GET  /sse                       200 text/event-stream. First event `endpoint` with data
//                                   `<public_prefix>/messages/?session_id=<32 hex>`, then every
//                                   response and server message as an `event: message`.
//                                   503 + Retry-After when max_streams are open, 429 when the
//                                   principal has max_streams_per_principal open.
//   POST /sse                       405, Allow: GET (plain JSON body), so clients that try
//                                   Streamable HTTP first fall back to this transport.
//   POST /messages/?session_id=ID   202 `Accepted`; the JSON-RPC response goes on the stream.
//                                   A request other than initialize or ping before a successful
//                                   initialize is answered on the stream with -32600 (not run).
//                                   503 + Retry-After when the stream is backlogged (its client
//                                   does not read, or the shared stream budget is nearly spent).
//                                   400: Content-Type not JSON, session_id missing, bad JSON,
//                                   not a valid JSON-RPC message. 404: unknown id, stream gone,
//                                   or credentials (principal) other than the stream owner's.
//   other methods                   405 with Allow.
//
// Lifetime: a session lives exactly as long as its stream. When the stream ends (client gone,
// overflow, server shutdown) the session is removed and closed, which cancels its in-flight
// requests. There is no resumability in this transport: a reconnecting client gets a new session.
//
// Cluster mode (options.cluster set, see mcp/cluster.h): every stream's session is recorded
// (owner = this instance) before the stream is answered, and its record deleted when it ends.
// A POST for a session whose stream is on another instance is handled here: 202 once its record
// says the session exists for this principal and its owner's heartbeat is alive (404 when the
// record is gone, foreign, or its owner is dead, which also deletes the record; 503 when Redis
// is unavailable), and its replies and notifications are published to the owner, which writes
// them to the stream in the order they were published. Opening a stream while Redis is
// unavailable: 503. Every POST answer names the instance in `X-MCP-Instance`.
//
// Thread safety: all members are thread-safe.
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "mcp/cluster.h"
#include "mcp/server.h"
#include "mcp/session.h"
#include "mcp/sse_outbound.h"
#include "net/event_stream.h"
#include "net/http_types.h"

namespace appsignals::mcp {

struct SseTransportOptions {
  // MCP_PUBLIC_PATH_PREFIX: the path under which a reverse proxy exposes this server (e.g.
  // "/appsignals"). Only the endpoint event carries it; routes stay unprefixed because the
  // proxy strips it. Normalised to a leading '/' and no trailing '/'.
  std::string public_prefix;
  std::size_t stream_max_frames = 1024;
  std::size_t stream_max_bytes = 1024 * 1024;
  // Shared by every stream (optional): bounds the bytes all unread streams hold together.
  std::shared_ptr<net::StreamBudget> stream_budget;
  // Cluster mode (MCP_REDIS_URL); nullptr: single instance, no Redis.
  std::shared_ptr<Cluster> cluster;
  // Open streams (= sessions) in all and per principal (MCP_MAX_SESSIONS and
  // MCP_MAX_SESSIONS_PER_KEY, as for /mcp). 0: unlimited.
  std::size_t max_streams = 0;
  std::size_t max_streams_per_principal = 0;
};

class SseTransport final : public net::HttpHandler {
 public:
  SseTransport(std::shared_ptr<McpServer> server, SseTransportOptions options);
  ~SseTransport() override;

  boost::asio::awaitable<net::Reply> handle(net::Request request) override;

  // The URI sent in the endpoint event for a session id.
  std::string endpoint_uri(std::string_view session_id) const;
  // Sessions with an open stream.
  std::size_t session_count() const;
  // The session with this id, or nullptr (for tests and diagnostics).
  std::shared_ptr<Session> find(const std::string& id) const;
  // Ends every stream gracefully (their sessions close as the streams end). For shutdown.
  void close_all();
  // Test hook: called with a session's id once the end of its stream has removed and closed it
  // (session_count() and find() no longer see it), on the thread that ended the stream, which
  // may be after the transport is gone. Must not block.
  void set_on_session_end(std::function<void(const std::string& id)> hook);

  // Shared with the streams' end callbacks, which may outlive the transport.
  struct State;

 private:
  net::Reply open_stream(const net::Request& request, std::string id);
  boost::asio::awaitable<net::Reply> open_clustered(net::Request request);
  boost::asio::awaitable<net::Reply> post_message(net::Request request);
  boost::asio::awaitable<net::Reply> post_remote(net::Request request, std::string id);
  // Dispatches a parsed message on `session`, replies going to `out` (stream `owner`).
  void dispatch(const std::shared_ptr<Session>& session, jsonrpc::Message message, std::shared_ptr<Outbound> out,
                std::string owner);
  net::Response accepted(unsigned version) const;

  std::shared_ptr<McpServer> server_;
  SseTransportOptions options_;
  std::shared_ptr<State> state_;
};

// "/appsignals/" -> "/appsignals", "x" -> "/x", "/" or "" -> "".
std::string normalize_public_prefix(std::string_view prefix);

}  // namespace appsignals::mcp

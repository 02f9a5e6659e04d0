#pragma once
// Cluster mode (MCP_REDIS_URL): what the transports need from the state shared by every
// instance. The mechanism (Redis through hiredis) lives in src/cluster/ (RedisCluster); the mcp
// layer only sees this interface, so it never knows sockets or Redis.
//
// Records: one per handshake-era session (legacy SSE and Streamable HTTP), written when the
// session starts and when initialize succeeds, read by any instance that gets a request for a
// session it does not hold, deleted on DELETE /mcp, when a legacy stream ends or when a /mcp
// session is evicted under its principal's cap (SessionStore::set_on_evicted), and otherwise
// expiring on their own TTL (refreshed on use, at most once per quarter TTL per session).
// Owner: the instance holding the session's stream (legacy /sse, or the GET /mcp stream), or
// empty. Messages for that stream produced elsewhere are published to the owner's channel.
//
// Thread safety: every member is thread-safe; the awaitables complete on the awaiting
// coroutine's executor and never hang (a Redis that does not answer within 2 s is an error).
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "common/result.h"
#include "mcp/session.h"
#include "net/http_types.h"

namespace appsignals::mcp {

struct SessionRecord {
  enum class Kind { kSse, kHttp };
  Kind kind = Kind::kHttp;
  std::string id;
  std::string principal;  // non-secret (net::HttpRequest::principal)
  std::string version;    // negotiated protocol version; empty before initialize
  std::string owner;      // instance id holding the session's stream, or empty
  json::object capabilities;
  json::object client_info;
};

// JSON text; decode returns nullopt on anything malformed (a record from another version).
std::string encode_record(const SessionRecord& record);
std::optional<SessionRecord> decode_record(std::string_view text);
// A record describing `session` as it is now (call it once initialize has set the version).
SessionRecord record_of(const Session& session, SessionRecord::Kind kind, std::string owner);
// Brings a (rebuilt or cached) local session in line with its record.
void apply_record(Session& session, const SessionRecord& record);

class Cluster {
 public:
  struct Lookup {
    std::optional<SessionRecord> record;  // nullopt: no such session (deleted or expired)
    bool owner_alive = false;             // the record's owner still beats (false if no owner)
  };
  // Called with a message published for a stream this instance holds; true if delivered.
  using Sink = std::function<bool(const std::string& session_id, std::string message)>;

  virtual ~Cluster() = default;
  virtual const std::string& instance_id() const = 0;
  // Connected to Redis now (a new stateful session needs it).
  virtual bool available() const = 0;

  // Writes the record with this TTL. Fails (kUnavailable) when Redis is down or slow.
  virtual boost::asio::awaitable<Status> save(SessionRecord record, std::chrono::seconds ttl) = 0;
  // Rewrites a record only if it still exists (a deleted session stays deleted); fire and forget.
  virtual void update(SessionRecord record, std::chrono::seconds ttl) = 0;
  virtual boost::asio::awaitable<Result<Lookup>> load(std::string id) = 0;
  virtual boost::asio::awaitable<Status> erase(std::string id) = 0;
  // Deletes the record without waiting for Redis (fire and forget): a session ended here for
  // good (evicted under its principal's cap) must not outlive its end in Redis.
  virtual void discard(const std::string& id) = 0;
  // Refreshes the record's TTL unless done less than ttl/4 ago (fire and forget).
  virtual void touch(const std::string& id, std::chrono::seconds ttl) = 0;
  // Records of streams held here: their TTL is refreshed with the instance heartbeat until
  // released. release() also deletes the record.
  virtual void hold(const SessionRecord& record) = 0;
  virtual void release(const std::string& id) = 0;
  // Sends a message to the stream of `session_id` held by instance `owner`. Messages published
  // from one instance arrive in the order of these calls.
  virtual void publish(const std::string& owner, const std::string& session_id, std::string message) = 0;
  // Sinks are asked in order of registration; register before serving.
  virtual void add_sink(Sink sink) = 0;
};

// The TTL of a held stream's record: a killed instance's legacy sessions are gone everywhere
// (404) this long after its last heartbeat at the latest; sooner, once its heartbeat expires.
inline constexpr std::chrono::seconds kStreamRecordTtl{30};

// 503 + Retry-After: the cluster store is unreachable (new stateful sessions, lookups).
net::Response cluster_unavailable(unsigned version);

// An Outbound that publishes to the owner of a session's stream (a session rebuilt here).
class PublishOutbound final : public Outbound {
 public:
  PublishOutbound(std::shared_ptr<Cluster> cluster, std::string owner, std::string session_id)
      : cluster_(std::move(cluster)), owner_(std::move(owner)), session_id_(std::move(session_id)) {}
  bool send(std::string message) override {
    cluster_->publish(owner_, session_id_, std::move(message));
    return true;
  }
  const std::string& owner() const { return owner_; }

 private:
  std::shared_ptr<Cluster> cluster_;
  std::string owner_;
  std::string session_id_;
};

}  // namespace appsignals::mcp

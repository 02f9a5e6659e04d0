#pragma once
// RedisCluster: mcp::Cluster on Redis (hiredis on the io loop, see redis_connection.h).
//
// Keys (prefix `appsignals-mcp:`): `session:<id>` the session record (JSON, mcp::encode_record)
// with its TTL; `instance:<id>` this instance's heartbeat (TTL 10 s, rewritten every 3 s).
// Channel `to:<instance id>`: messages for the streams this instance holds, each
// "<session id> <JSON-RPC message>". Two connections: one for commands and publishes (so an
// instance's publishes keep their order), one subscribed to its own channel.
//
// Held stream records (legacy /sse, GET /mcp streams open here) get their TTL refreshed every
// 10 s and are rewritten whole when Redis comes back (they may have expired meanwhile).
//
// Thread safety: all members are thread-safe.
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cluster/redis_connection.h"
#include "cluster/redis_url.h"
#include "mcp/cluster.h"

namespace appsignals::cluster {

class RedisCluster final : public mcp::Cluster, public std::enable_shared_from_this<RedisCluster> {
 public:
  RedisCluster(boost::asio::any_io_executor executor, RedisUrl url, std::string instance_id);
  ~RedisCluster() override;

  void start();
  void stop();
  // Runs on each failure of either Redis connection (see RedisConnection::set_on_error). Set
  // before start().
  void set_error_hook(std::function<void()> hook);

  const std::string& instance_id() const override { return instance_id_; }
  // Both connections up and our heartbeat written (before it, other instances would take the
  // streams opened here for a dead instance's).
  bool available() const override {
    return commands_->connected() && subscriber_->connected() && beating_->load();
  }
  boost::asio::awaitable<Status> save(mcp::SessionRecord record, std::chrono::seconds ttl) override;
  void update(mcp::SessionRecord record, std::chrono::seconds ttl) override;
  boost::asio::awaitable<Result<Lookup>> load(std::string id) override;
  boost::asio::awaitable<Status> erase(std::string id) override;
  void discard(const std::string& id) override;
  void touch(const std::string& id, std::chrono::seconds ttl) override;
  void hold(const mcp::SessionRecord& record) override;
  void release(const std::string& id) override;
  void publish(const std::string& owner, const std::string& session_id, std::string message) override;
  void add_sink(Sink sink) override;

  static std::string session_key(std::string_view id);
  static std::string instance_key(std::string_view id);
  static std::string channel(std::string_view instance_id);

 private:
  void heartbeat();
  void deliver(std::string payload);

  std::shared_ptr<RedisConnection> commands_;
  std::shared_ptr<RedisConnection> subscriber_;
  boost::asio::steady_timer timer_;
  std::string instance_id_;
  mutable std::mutex mu_;
  std::vector<Sink> sinks_;
  std::map<std::string, std::string> held_;  // session id -> encoded record
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> touched_;
  std::shared_ptr<std::atomic<bool>> beating_ = std::make_shared<std::atomic<bool>>(false);
  bool rewrite_held_ = false;  // Redis came back: rewrite the held records whole
  bool stopped_ = false;
  unsigned beats_ = 0;
};

}  // namespace appsignals::cluster

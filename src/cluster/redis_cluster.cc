#include "cluster/redis_cluster.h"

#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace appsignals::cluster {

using boost::asio::awaitable;
using boost::asio::use_awaitable;

namespace {

constexpr std::string_view kPrefix = "appsignals-mcp:";
constexpr std::chrono::seconds kBeatEvery{3};
constexpr std::chrono::seconds kBeatTtl{10};
constexpr unsigned kHeldEveryBeats = 3;  // held stream records: every 9 s, TTL 30 s

Error unavailable(const RedisReply& r) {
  return Error{ErrorCode::kUnavailable, "cluster store (Redis) unavailable: " + r.str};
}

std::vector<std::string> set_args(const std::string& key, std::string value, std::chrono::seconds ttl) {
  std::vector<std::string> a;
  a.push_back("SET");
  a.push_back(key);
  a.push_back(std::move(value));
  a.push_back("EX");
  a.push_back(std::to_string(ttl.count()));
  return a;
}

std::vector<std::string> args2(std::string a, std::string b) {
  std::vector<std::string> v;
  v.push_back(std::move(a));
  v.push_back(std::move(b));
  return v;
}

std::vector<std::string> args3(std::string a, std::string b, std::string c) {
  auto v = args2(std::move(a), std::move(b));
  v.push_back(std::move(c));
  return v;
}

}  // namespace

std::string RedisCluster::session_key(std::string_view id) { return std::string(kPrefix) + "session:" + std::string(id); }
std::string RedisCluster::instance_key(std::string_view id) { return std::string(kPrefix) + "instance:" + std::string(id); }
std::string RedisCluster::channel(std::string_view id) { return std::string(kPrefix) + "to:" + std::string(id); }

RedisCluster::RedisCluster(boost::asio::any_io_executor executor, RedisUrl url, std::string instance_id)
    : commands_(std::make_shared<RedisConnection>(executor, url, "commands")),
      subscriber_(std::make_shared<RedisConnection>(executor, url, "subscriber")),
      timer_(boost::asio::make_strand(executor)),
      instance_id_(std::move(instance_id)) {}

RedisCluster::~RedisCluster() = default;

void RedisCluster::set_error_hook(std::function<void()> hook) {
  commands_->set_on_error(hook);
  subscriber_->set_on_error(std::move(hook));
}

void RedisCluster::start() {
  std::weak_ptr<RedisCluster> weak = weak_from_this();
  subscriber_->set_subscription(channel(instance_id_), [weak](std::string payload) {
    if (auto self = weak.lock()) self->deliver(std::move(payload));
  });
  // Either connection coming back may mean a restarted (emptied) Redis: beat at once and
  // rewrite the held records whole.
  auto on_state = [weak](bool up) {
    auto self = weak.lock();
    if (!self) return;
    if (!up) return;
    {
      std::lock_guard lock(self->mu_);
      self->rewrite_held_ = true;
    }
    boost::asio::post(self->timer_.get_executor(), [weak] {
      if (auto s = weak.lock()) s->heartbeat();
    });
  };
  subscriber_->set_on_state(on_state);
  commands_->set_on_state([weak, on_state, beating = beating_](bool up) {
    if (!up) beating->store(false);
    on_state(up);
  });
  commands_->start();
  subscriber_->start();
  boost::asio::post(timer_.get_executor(), [weak] {
    if (auto s = weak.lock()) s->heartbeat();
  });
}

void RedisCluster::stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  // Best effort: our heartbeat goes now, so others treat our streams as gone at once.
  commands_->command(args2("DEL", instance_key(instance_id_)), [](RedisReply) {});
  boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
  commands_->stop();
  subscriber_->stop();
}

void RedisCluster::heartbeat() {
  std::vector<std::pair<std::string, std::string>> held;
  bool rewrite = false;
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    ++beats_;
    rewrite = rewrite_held_;
    if (rewrite || beats_ % kHeldEveryBeats == 0) held.assign(held_.begin(), held_.end());
    rewrite_held_ = false;
    // Forget refresh stamps older than any TTL we use (the map stays bounded by live sessions).
    auto now = std::chrono::steady_clock::now();
    for (auto it = touched_.begin(); it != touched_.end();)
      it = now - it->second > std::chrono::hours(1) ? touched_.erase(it) : std::next(it);
  }
  if (commands_->connected()) {
    commands_->command(set_args(instance_key(instance_id_), "1", kBeatTtl),
                       [beating = beating_](RedisReply r) { beating->store(r.ok()); });
    for (auto& [id, record] : held) {
      if (rewrite) commands_->command(set_args(session_key(id), record, mcp::kStreamRecordTtl), [](RedisReply) {});
      else commands_->command(args3("EXPIRE", session_key(id), std::to_string(mcp::kStreamRecordTtl.count())),
                              [](RedisReply) {});
    }
  } else if (rewrite) {
    std::lock_guard lock(mu_);
    rewrite_held_ = true;
  }
  timer_.expires_after(kBeatEvery);
  timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (ec) return;
    if (auto self = weak.lock()) self->heartbeat();
  });
}

awaitable<Status> RedisCluster::save(mcp::SessionRecord record, std::chrono::seconds ttl) {
  auto args = set_args(session_key(record.id), mcp::encode_record(record), ttl);
  auto reply = co_await commands_->async_command(std::move(args), use_awaitable);
  if (!reply.ok()) co_return unavailable(reply);
  {
    std::lock_guard lock(mu_);
    touched_[record.id] = std::chrono::steady_clock::now();
  }
  co_return Status{};
}

void RedisCluster::update(mcp::SessionRecord record, std::chrono::seconds ttl) {
  auto args = set_args(session_key(record.id), mcp::encode_record(record), ttl);
  args.push_back("XX");
  commands_->command(std::move(args), [](RedisReply) {});
}

awaitable<Result<mcp::Cluster::Lookup>> RedisCluster::load(std::string id) {
  auto args = args2("GET", session_key(id));
  auto reply = co_await commands_->async_command(std::move(args), use_awaitable);
  if (!reply.ok()) co_return unavailable(reply);
  Lookup lookup;
  if (reply.type != RedisReply::Type::kString) co_return lookup;  // nil: deleted or expired
  lookup.record = mcp::decode_record(reply.str);
  if (!lookup.record || lookup.record->id != id) {
    lookup.record.reset();
    co_return lookup;
  }
  if (lookup.record->owner.empty()) co_return lookup;
  if (lookup.record->owner == instance_id_) {
    lookup.owner_alive = true;
    co_return lookup;
  }
  auto beat_args = args2("EXISTS", instance_key(lookup.record->owner));
  auto beat = co_await commands_->async_command(std::move(beat_args), use_awaitable);
  if (!beat.ok()) co_return unavailable(beat);
  lookup.owner_alive = beat.type == RedisReply::Type::kInteger && beat.integer > 0;
  co_return lookup;
}

awaitable<Status> RedisCluster::erase(std::string id) {
  {
    std::lock_guard lock(mu_);
    touched_.erase(id);
    held_.erase(id);
  }
  auto args = args2("DEL", session_key(id));
  auto reply = co_await commands_->async_command(std::move(args), use_awaitable);
  if (!reply.ok()) co_return unavailable(reply);
  co_return Status{};
}

void RedisCluster::discard(const std::string& id) {
  {
    std::lock_guard lock(mu_);
    touched_.erase(id);
    held_.erase(id);
  }
  commands_->command(args2("DEL", session_key(id)), [](RedisReply) {});
}

void RedisCluster::touch(const std::string& id, std::chrono::seconds ttl) {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    auto [it, fresh] = touched_.try_emplace(id, now);
    if (!fresh && now - it->second < ttl / 4) return;
    it->second = now;
  }
  commands_->command(args3("EXPIRE", session_key(id), std::to_string(ttl.count())), [](RedisReply) {});
}

void RedisCluster::hold(const mcp::SessionRecord& record) {
  std::lock_guard lock(mu_);
  held_[record.id] = mcp::encode_record(record);
}

void RedisCluster::release(const std::string& id) {
  {
    std::lock_guard lock(mu_);
    if (held_.erase(id) == 0) return;
    touched_.erase(id);
  }
  commands_->command(args2("DEL", session_key(id)), [](RedisReply) {});
}

void RedisCluster::publish(const std::string& owner, const std::string& session_id, std::string message) {
  std::string payload;
  payload.reserve(session_id.size() + 1 + message.size());
  payload += session_id;
  payload += ' ';
  payload += message;
  commands_->command(args3("PUBLISH", channel(owner), std::move(payload)), [owner](RedisReply r) {
    if (!r.ok()) spdlog::debug("cluster: a message for a stream on instance {} was lost: {}", owner, r.str);
    else if (r.integer == 0) spdlog::debug("cluster: instance {} no longer listens; a message for its stream was dropped", owner);
  });
}

void RedisCluster::add_sink(Sink sink) {
  std::lock_guard lock(mu_);
  sinks_.push_back(std::move(sink));
}

void RedisCluster::deliver(std::string payload) {
  auto space = payload.find(' ');
  if (space == std::string::npos) return;
  std::string id = payload.substr(0, space);
  std::vector<Sink> sinks;
  {
    std::lock_guard lock(mu_);
    sinks = sinks_;
  }
  for (auto& sink : sinks) {
    if (sink(id, payload.substr(space + 1))) return;
  }
  spdlog::debug("cluster: a message arrived for a stream no longer held here");
}

}  // namespace appsignals::cluster

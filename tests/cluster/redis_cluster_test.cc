// RedisCluster against a real redis-server: records, TTLs, owners' heartbeats, publish -> sink.
#include "cluster/redis_cluster.h"

#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "cluster/redis_server.h"

namespace appsignals::cluster {
namespace {

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(redis_.start());
    work_.emplace(boost::asio::make_work_guard(ioc_));
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
  }
  void TearDown() override {
    for (auto& c : clusters_) c->stop();
    clusters_.clear();
    work_.reset();  // stopped clusters leave no work: the loop ends by itself
    for (auto& t : threads_) t.join();
  }
  std::shared_ptr<RedisCluster> make(const std::string& id) {
    RedisUrl url;
    url.port = redis_.port();
    auto c = std::make_shared<RedisCluster>(ioc_.get_executor(), url, id);
    c->start();
    clusters_.push_back(c);
    return c;
  }
  // Waits for both connections (no sleeps: the readiness is polled through a timer-free loop of
  // PINGs would be a sleep, so wait on save() succeeding instead).
  template <typename T>
  T await(boost::asio::awaitable<T> a) {
    auto f = boost::asio::co_spawn(ioc_, std::move(a), boost::asio::use_future);
    if (f.wait_for(std::chrono::seconds(20)) != std::future_status::ready) throw std::runtime_error("timeout");
    return f.get();
  }
  void wait_available(RedisCluster& c) {
    std::promise<void> p;
    // Connection state is reported on a strand; poll it from the loop without sleeping the test.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!c.available() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polls a condition, with a deadline
    ASSERT_TRUE(c.available());
  }

  testing::RedisServer redis_;
  boost::asio::io_context ioc_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  std::vector<std::shared_ptr<RedisCluster>> clusters_;
};

mcp::SessionRecord record(const std::string& id, const std::string& owner) {
  mcp::SessionRecord r;
  r.kind = mcp::SessionRecord::Kind::kSse;
  r.id = id;
  r.principal = "api-key:abc";
  r.version = "2025-06-18";
  r.owner = owner;
  r.capabilities["sampling"] = boost::json::object();
  return r;
}

TEST_F(ClusterTest, SaveLoadEraseAndOwnerLiveness) {
  auto a = make("inst-a");
  auto b = make("inst-b");
  wait_available(*a);
  wait_available(*b);
  ASSERT_TRUE(await(a->save(record("s1", "inst-a"), std::chrono::seconds(30))));
  auto found = await(b->load("s1"));
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->record);
  EXPECT_EQ(found->record->principal, "api-key:abc");
  EXPECT_EQ(found->record->version, "2025-06-18");
  EXPECT_TRUE(found->record->capabilities.contains("sampling"));
  // a's heartbeat is written as soon as its command connection is up.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!found->owner_alive && std::chrono::steady_clock::now() < deadline) found = await(b->load("s1"));
  EXPECT_TRUE(found->owner_alive);

  // An owner that never beat: not alive.
  ASSERT_TRUE(await(a->save(record("s2", "inst-gone"), std::chrono::seconds(30))));
  auto gone = await(b->load("s2"));
  ASSERT_TRUE(gone && gone->record);
  EXPECT_FALSE(gone->owner_alive);

  ASSERT_TRUE(await(b->erase("s1")));
  auto erased = await(a->load("s1"));
  ASSERT_TRUE(erased);
  EXPECT_FALSE(erased->record);
  // update() never resurrects a deleted record.
  a->update(record("s1", ""), std::chrono::seconds(30));
  auto still = await(a->load("s1"));
  ASSERT_TRUE(still);
  EXPECT_FALSE(still->record);
}

TEST_F(ClusterTest, PublishReachesTheOwnersSinkInOrder) {
  auto a = make("inst-a");
  auto b = make("inst-b");
  // Shared with the sink, which stays registered until TearDown and runs on the loop's threads:
  // the sink sets the promise while it holds the lock, so the test's locals would be gone
  // (and the mutex unlocked after its destruction) if they lived on this stack.
  struct Seen {
    std::mutex mu;
    std::vector<std::string> got;
    std::promise<void> all;
  };
  auto seen = std::make_shared<Seen>();
  a->add_sink([seen](const std::string& id, std::string message) {
    if (id != "sess") return false;
    std::lock_guard lock(seen->mu);
    seen->got.push_back(std::move(message));
    if (seen->got.size() == 100) seen->all.set_value();
    return true;
  });
  wait_available(*a);
  wait_available(*b);
  for (int i = 0; i < 100; ++i) b->publish("inst-a", "sess", "{\"n\":" + std::to_string(i) + "}");
  ASSERT_EQ(seen->all.get_future().wait_for(std::chrono::seconds(20)), std::future_status::ready);
  std::lock_guard lock(seen->mu);
  ASSERT_EQ(seen->got.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(seen->got[i], "{\"n\":" + std::to_string(i) + "}");
}

TEST_F(ClusterTest, UnavailableWhileRedisIsDown) {
  auto a = make("inst-a");
  wait_available(*a);
  redis_.stop();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (a->available() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polls a condition, with a deadline
  EXPECT_FALSE(a->available());
  auto saved = await(a->save(record("s", "inst-a"), std::chrono::seconds(30)));
  EXPECT_FALSE(saved);
  EXPECT_EQ(saved.error().code, ErrorCode::kUnavailable);
  ASSERT_TRUE(redis_.start());
  wait_available(*a);
  EXPECT_TRUE(await(a->save(record("s", "inst-a"), std::chrono::seconds(30))));
}

}  // namespace
}  // namespace appsignals::cluster

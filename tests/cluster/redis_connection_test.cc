// RedisConnection (the hiredis <-> Asio adapter) against a real redis-server on loopback:
// commands and their order, pub/sub, failure while down, recovery by itself.
#include "cluster/redis_connection.h"

#include <atomic>
#include <future>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "cluster/redis_server.h"

namespace appsignals::cluster {
namespace {

using testing::RedisServer;

// An io_context run by two threads (the adapter must be correct with more than one).
class Loop {
 public:
  Loop() : work_(boost::asio::make_work_guard(ioc_)) {
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
  }
  // Stops the connections it made; the loop then runs out of work and ends.
  ~Loop() {
    for (auto& c : made_) c->stop();
    made_.clear();
    work_.reset();
    for (auto& t : threads_) t.join();
  }
  std::shared_ptr<RedisConnection> make(RedisUrl url, std::string name) {
    made_.push_back(std::make_shared<RedisConnection>(ioc_.get_executor(), std::move(url), std::move(name)));
    return made_.back();
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
  std::vector<std::shared_ptr<RedisConnection>> made_;
};

// Waits for the next state transition equal to `want`.
class StateWatch {
 public:
  void attach(RedisConnection& c) {
    c.set_on_state([this](bool up) {
      std::lock_guard lock(mu_);
      states_.push_back(up);
      cv_.notify_all();
    });
  }
  bool wait_for(bool want) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(20), [&] {
      for (std::size_t i = seen_; i < states_.size(); ++i)
        if (states_[i] == want) {
          seen_ = i + 1;
          return true;
        }
      return false;
    });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<bool> states_;
  std::size_t seen_ = 0;
};

RedisReply run(RedisConnection& c, std::vector<std::string> args) {
  std::promise<RedisReply> p;
  auto f = p.get_future();
  c.command(std::move(args), [&p](RedisReply r) { p.set_value(std::move(r)); });
  if (f.wait_for(std::chrono::seconds(20)) != std::future_status::ready) return RedisReply::error("test: no callback");
  return f.get();
}

RedisUrl url_for(int port) {
  RedisUrl u;
  u.port = port;
  return u;
}

TEST(RedisConnection, CommandsRepliesInOrderAndValues) {
  RedisServer redis;
  ASSERT_TRUE(redis.start());
  Loop loop;
  auto conn = loop.make(url_for(redis.port()), "test");
  StateWatch state;
  state.attach(*conn);
  conn->start();
  ASSERT_TRUE(state.wait_for(true));

  auto set = run(*conn, {"SET", "k", std::string("a\0b", 3)});
  EXPECT_EQ(set.type, RedisReply::Type::kStatus);
  auto get = run(*conn, {"GET", "k"});
  ASSERT_EQ(get.type, RedisReply::Type::kString);
  EXPECT_EQ(get.str, std::string("a\0b", 3));  // binary-safe
  EXPECT_EQ(run(*conn, {"GET", "missing"}).type, RedisReply::Type::kNil);
  auto bad = run(*conn, {"NOSUCHCOMMAND"});
  EXPECT_EQ(bad.type, RedisReply::Type::kError);

  // 500 pipelined INCRs: every callback once, in the order sent.
  std::mutex mu;
  std::vector<long long> got;
  std::promise<void> done;
  for (int i = 0; i < 500; ++i) {
    conn->command({"INCR", "n"}, [&, i](RedisReply r) {
      std::lock_guard lock(mu);
      got.push_back(r.integer);
      if (i == 499) done.set_value();
    });
  }
  ASSERT_EQ(done.get_future().wait_for(std::chrono::seconds(20)), std::future_status::ready);
  ASSERT_EQ(got.size(), 500u);
  for (int i = 0; i < 500; ++i) EXPECT_EQ(got[i], i + 1);
}

TEST(RedisConnection, SubscriberReceivesPublishesInOrder) {
  RedisServer redis;
  ASSERT_TRUE(redis.start());
  Loop loop;
  auto pub = loop.make(url_for(redis.port()), "pub");
  auto sub = loop.make(url_for(redis.port()), "sub");
  std::mutex mu;
  std::vector<std::string> got;
  std::promise<void> all;
  sub->set_subscription("chan", [&](std::string m) {
    std::lock_guard lock(mu);
    got.push_back(std::move(m));
    if (got.size() == 200) all.set_value();
  });
  StateWatch ps, ss;
  ps.attach(*pub);
  ss.attach(*sub);
  pub->start();
  sub->start();
  ASSERT_TRUE(ps.wait_for(true));
  ASSERT_TRUE(ss.wait_for(true));  // up only once SUBSCRIBE is confirmed
  for (int i = 0; i < 200; ++i) pub->command({"PUBLISH", "chan", "m" + std::to_string(i)}, [](RedisReply) {});
  ASSERT_EQ(all.get_future().wait_for(std::chrono::seconds(20)), std::future_status::ready);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(got[i], "m" + std::to_string(i));
}

TEST(RedisConnection, FailsFastWhileDownAndRecoversByItself) {
  RedisServer redis;
  ASSERT_TRUE(redis.start());
  Loop loop;
  auto conn = loop.make(url_for(redis.port()), "test");
  auto sub = loop.make(url_for(redis.port()), "sub");
  std::atomic<int> errors{0};  // the metrics hook: each loss of the connection
  conn->set_on_error([&errors] { errors.fetch_add(1); });
  std::promise<std::string> after_restart;
  sub->set_subscription("c", [&](std::string m) { after_restart.set_value(m); });
  StateWatch state, sstate;
  state.attach(*conn);
  sstate.attach(*sub);
  conn->start();
  sub->start();
  ASSERT_TRUE(state.wait_for(true));
  ASSERT_TRUE(sstate.wait_for(true));

  redis.stop();
  ASSERT_TRUE(state.wait_for(false));
  ASSERT_TRUE(sstate.wait_for(false));
  EXPECT_GE(errors.load(), 1);
  EXPECT_FALSE(conn->connected());
  auto down = run(*conn, {"PING"});
  EXPECT_EQ(down.type, RedisReply::Type::kError);  // at once, not after a timeout

  ASSERT_TRUE(redis.start());
  ASSERT_TRUE(state.wait_for(true));
  ASSERT_TRUE(sstate.wait_for(true));  // and subscribed again
  EXPECT_EQ(run(*conn, {"PING"}).str, "PONG");
  run(*conn, {"PUBLISH", "c", "back"});
  auto f = after_restart.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_EQ(f.get(), "back");
}

TEST(RedisConnection, AuthenticatesWithThePassword) {
  RedisServer redis(0, "s3cret-pass-word");
  ASSERT_TRUE(redis.start());
  Loop loop;
  auto url = url_for(redis.port());
  url.password = "s3cret-pass-word";
  url.db = 3;
  auto conn = loop.make(url, "test");
  StateWatch state;
  state.attach(*conn);
  conn->start();
  ASSERT_TRUE(state.wait_for(true));
  EXPECT_EQ(run(*conn, {"SET", "x", "1"}).type, RedisReply::Type::kStatus);
  auto info = run(*conn, {"CLIENT", "LIST"});
  EXPECT_NE(info.str.find("db=3"), std::string::npos) << info.str;
}

}  // namespace
}  // namespace appsignals::cluster

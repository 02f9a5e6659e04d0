#pragma once
// RedisConnection: one hiredis async connection driven by Asio on the io loop.
//
// The adapter: hiredis asks for read/write interest through its `ev` hooks; each becomes an
// `async_wait` on a posix::stream_descriptor over hiredis' socket (released, never closed, when
// hiredis frees the context: the descriptor is hiredis'). Everything that touches the hiredis
// context runs on this connection's strand, because hiredis is not thread-safe.
//
// Failures: a connection that drops, does not connect within 2 s, or leaves a command unanswered
// for 2 s is freed (every pending callback gets an error) and reconnected with back-off (100 ms
// doubling to 2 s), for ever until stop(). While not connected, commands fail at once. Down and
// up are logged once per transition (and every 30 s while down); the password never is.
// hiredis 0.14 resolves a host name with a blocking getaddrinfo: use an address or a name in
// /etc/hosts.
//
// Thread safety: all public members are thread-safe. Callbacks run on the connection's strand.
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "cluster/redis_url.h"

struct redisAsyncContext;

namespace appsignals::cluster {

struct RedisReply {
  enum class Type { kError, kNil, kInteger, kString, kStatus, kArray };
  Type type = Type::kError;
  std::string str;  // string, status, or error text (transport failures included)
  long long integer = 0;
  std::vector<RedisReply> elements;
  bool ok() const { return type != Type::kError; }
  static RedisReply error(std::string text) {
    RedisReply r;
    r.str = std::move(text);
    return r;
  }
};

class RedisConnection : public std::enable_shared_from_this<RedisConnection> {
 public:
  using Callback = std::function<void(RedisReply)>;

  // `name` tells the log lines of this connection apart ("commands", "subscriber").
  RedisConnection(boost::asio::any_io_executor executor, RedisUrl url, std::string name);
  ~RedisConnection();

  void start();
  // Closes the connection (what was sent is still written and answered) and stops reconnecting.
  // Callbacks of commands still pending when the object is destroyed are dropped, not run.
  void stop();
  bool connected() const { return connected_.load(); }

  // Subscriber mode: subscribes to `channel` on every (re)connect; each published payload goes
  // to `on_message`. Set before start().
  void set_subscription(std::string channel, std::function<void(std::string)> on_message);
  // Called on the strand at every transition: true once connected (and subscribed), false when
  // lost; never after stop().
  void set_on_state(std::function<void(bool up)> on_state);
  // Called on the strand each time the connection fails or is dropped (connect refused, reset,
  // a command unanswered in time); never after stop(). Set before start(). For metrics.
  void set_on_error(std::function<void()> on_error);

  // Sends one command; `callback` runs exactly once, on the strand.
  void command(std::vector<std::string> args, Callback callback);

  template <typename Token>
  auto async_command(std::vector<std::string> args, Token&& token) {
    return boost::asio::async_initiate<Token, void(RedisReply)>(
        [self = shared_from_this()](auto handler, std::vector<std::string> argv) {
          auto ex = boost::asio::get_associated_executor(handler, self->strand_);
          auto h = std::make_shared<decltype(handler)>(std::move(handler));
          self->command(std::move(argv), [h, ex](RedisReply reply) {
            boost::asio::post(ex, [h, reply = std::move(reply)]() mutable { (*h)(std::move(reply)); });
          });
        },
        token, std::move(args));
  }

  static constexpr std::chrono::milliseconds kAnswerTimeout{2000};

 private:
  friend struct RedisHooks;
  struct Pending;

  void connect();
  void drop(const std::string& why);
  void lost(const std::string& why);
  void on_connected();
  void schedule_reconnect();
  void arm_read();
  void arm_write();
  void watchdog();
  void send(std::vector<std::string> args, Callback callback, bool track);
  void set_up(bool up);

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::posix::stream_descriptor sd_;
  boost::asio::steady_timer reconnect_timer_;
  boost::asio::steady_timer watchdog_timer_;
  RedisUrl url_;
  std::string name_;
  std::string channel_;
  std::function<void(std::string)> on_message_;
  std::function<void(bool)> on_state_;
  std::function<void()> on_error_;

  // Strand-only state.
  redisAsyncContext* ctx_ = nullptr;
  std::uint64_t gen_ = 0;
  bool want_read_ = false, want_write_ = false, reading_ = false, writing_ = false;
  bool stopped_ = false;
  bool destroying_ = false;  // in the destructor: pending callbacks are dropped, not run
  bool was_up_ = false;
  bool ever_up_ = false;
  std::chrono::milliseconds backoff_{100};
  std::chrono::steady_clock::time_point connect_started_;
  std::chrono::steady_clock::time_point last_down_log_;
  std::deque<std::chrono::steady_clock::time_point> sent_;  // regular commands awaiting a reply
  std::atomic<bool> connected_{false};
};

}  // namespace appsignals::cluster

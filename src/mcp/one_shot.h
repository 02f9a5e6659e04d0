#pragma once
// OneShot<T>: a value delivered once, from any thread, to one coroutine that awaits it.
//
// The waiter suspends on a timer (its wake-up) on its own executor; set() stores the value and
// posts a cancel of that timer to the waiter's executor, so the timer is only touched there.
// wait() returns nullopt on timeout or when the awaiting coroutine is cancelled.
// The waiter executor must be a strand (or single-threaded): the posted cancel must not run
// between the waiter checking for a value and starting its timer wait.
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace appsignals::mcp {

template <typename T>
class OneShot : public std::enable_shared_from_this<OneShot<T>> {
 public:
  explicit OneShot(boost::asio::any_io_executor waiter_executor)
      : ex_(waiter_executor), timer_(waiter_executor) {}

  // Delivers the value; later calls are ignored. Thread-safe.
  void set(T value) {
    {
      std::lock_guard lock(mu_);
      if (value_) return;
      value_.emplace(std::move(value));
    }
    boost::asio::post(ex_, [self = this->shared_from_this()] { self->timer_.cancel(); });
  }

  bool has_value() const {
    std::lock_guard lock(mu_);
    return value_.has_value();
  }

  // Waits until set() or `timeout`. Must be awaited from a coroutine on the waiter executor.
  boost::asio::awaitable<std::optional<T>> wait(std::chrono::steady_clock::duration timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      {
        std::lock_guard lock(mu_);
        if (value_) co_return std::move(*value_);
      }
      if (std::chrono::steady_clock::now() >= deadline) co_return std::nullopt;
      timer_.expires_at(deadline);
      auto [ec] = co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
      auto cs = co_await boost::asio::this_coro::cancellation_state;
      if (cs.cancelled() != boost::asio::cancellation_type::none) {
        std::lock_guard lock(mu_);
        if (value_) co_return std::move(*value_);
        co_return std::nullopt;
      }
      (void)ec;  // operation_aborted means set() woke us; loop re-checks
    }
  }

 private:
  boost::asio::any_io_executor ex_;
  boost::asio::steady_timer timer_;
  mutable std::mutex mu_;
  std::optional<T> value_;
};

}  // namespace appsignals::mcp

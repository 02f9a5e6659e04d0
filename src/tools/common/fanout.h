#pragma once
// Bounded concurrent fan-out for tools: run `work(i)` for i in [0, count) with at most `limit`
// in flight, all on the calling coroutine's executor (a strand), and wait for all of them.
// Results are written by the work items themselves (e.g. into a vector slot i), so no locking
// is needed. Cancellation of the caller cancels the in-flight items.
#include <algorithm>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace appsignals::tools {

using FanoutWork = std::function<boost::asio::awaitable<void>(std::size_t index)>;

namespace detail {
struct FanoutState {
  FanoutWork work;
  std::size_t count = 0;
  std::size_t next = 0;  // touched only on the caller's strand
};

inline boost::asio::awaitable<void> fanout_worker(std::shared_ptr<FanoutState> state) {
  while (state->next < state->count) {
    std::size_t i = state->next++;
    co_await state->work(i);
  }
}
}  // namespace detail

inline boost::asio::awaitable<void> for_each_bounded(std::size_t count, std::size_t limit, FanoutWork work) {
  if (count == 0) co_return;
  auto ex = co_await boost::asio::this_coro::executor;
  auto state = std::make_shared<detail::FanoutState>();
  state->work = std::move(work);
  state->count = count;
  const std::size_t workers = std::max<std::size_t>(1, std::min(limit, count));
  using Op = decltype(boost::asio::co_spawn(ex, detail::fanout_worker(state), boost::asio::deferred));
  std::vector<Op> ops;
  ops.reserve(workers);
  for (std::size_t w = 0; w < workers; ++w)
    ops.push_back(boost::asio::co_spawn(ex, detail::fanout_worker(state), boost::asio::deferred));
  auto group = boost::asio::experimental::make_parallel_group(std::move(ops));
  auto [order, errors] = co_await group.async_wait(boost::asio::experimental::wait_for_all(),
                                                   boost::asio::use_awaitable);
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace appsignals::tools

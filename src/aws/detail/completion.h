#pragma once
// A type-erased one-shot completion for hand-written asynchronous operations (Boost 1.81's
// any_completion_handler is unusable with GCC 12 here). Holds tracked work on the waiter's
// executor, so its io_context does not run out of work while the operation is pending.
//
// GCC 12 note: never put a capturing lambda inside a co_await expression; pass a named
// initiation object (see the users of this header).
#include <memory>
#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/any_io_executor.hpp>

namespace appsignals::aws::detail {

struct Completion {
  virtual ~Completion() = default;
  virtual void post_complete() = 0;  // resumes the waiter on its own executor
};

template <typename Handler>
struct CompletionImpl final : Completion {
  explicit CompletionImpl(Handler&& h)
      : handler(std::move(h)),
        work(boost::asio::prefer(boost::asio::get_associated_executor(handler),
                                 boost::asio::execution::outstanding_work.tracked)) {}
  void post_complete() override {
    auto ex = boost::asio::get_associated_executor(handler);
    boost::asio::post(ex, std::move(handler));
  }
  Handler handler;
  boost::asio::any_io_executor work;
};

template <typename Handler>
std::unique_ptr<Completion> make_completion(Handler&& h) {
  return std::make_unique<CompletionImpl<std::decay_t<Handler>>>(std::forward<Handler>(h));
}

}  // namespace appsignals::aws::detail

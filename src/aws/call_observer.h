#pragma once
// What AwsClient reports about each call (one report per call(), after its last attempt), for
// metrics. The aws layer knows no metrics library: the app layer implements this.
//
// Thread safety: on_call runs on the calling coroutine's thread, concurrently for many calls;
// implementations must be cheap and must not block.
#include <chrono>
#include <string_view>

namespace appsignals::aws {

enum class CallOutcome {
  kOk,         // 2xx at the first attempt
  kRetried,    // 2xx after at least one retry
  kThrottled,  // failed, and the last failure was throttling
  kError,      // failed otherwise (service error, transport, credentials, cancelled)
};

struct CallReport {
  std::string_view service;    // ServiceInfo::endpoint_prefix
  std::string_view operation;  // the operation name passed to call() (aws::ops names)
  CallOutcome outcome = CallOutcome::kError;
  int attempts = 0;
  int throttled_attempts = 0;  // attempts answered with a throttling error
  std::chrono::steady_clock::duration latency{};
};

class CallObserver {
 public:
  virtual ~CallObserver() = default;
  virtual void on_call(const CallReport& report) noexcept = 0;
};

// The process's observer, NOT owned here: whoever sets it keeps it alive while it is set, and
// clears it (ScopedCallObserver) before it dies. AwsClient reads it when a call ends (one atomic
// load), so a call whose frame is destroyed after the observer was cleared (e.g. when the
// io_context is destroyed at exit) reports to nobody. nullptr: nobody is told.
void set_call_observer(CallObserver* observer) noexcept;
CallObserver* call_observer() noexcept;

// Sets the observer for its lifetime and puts back the previous one when it ends. run_server
// holds one for as long as its metrics live: every exit path clears it.
class ScopedCallObserver {
 public:
  explicit ScopedCallObserver(CallObserver* observer) noexcept : previous_(call_observer()) {
    set_call_observer(observer);
  }
  ~ScopedCallObserver() { set_call_observer(previous_); }
  ScopedCallObserver(const ScopedCallObserver&) = delete;
  ScopedCallObserver& operator=(const ScopedCallObserver&) = delete;

 private:
  CallObserver* previous_;
};

}  // namespace appsignals::aws

#pragma once
// What AwsClient reports about each call (one report per call(), after its last attempt), for
// metrics. The aws layer knows no metrics library: the app layer implements this.
//
// Thread safety: on_call runs on the calling coroutine's thread, concurrently for many calls;
// implementations must be cheap and must not block.
#include <chrono>
#include <memory>
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

// The process's observer (one per process, like the metrics registry it feeds): set once at
// start-up, before the first AWS call; kept until replaced. nullptr: nobody is told. The read
// is one atomic load per call.
void set_call_observer(std::shared_ptr<CallObserver> observer);
CallObserver* call_observer();

}  // namespace appsignals::aws

#pragma once
// Standard retry mode (AWS-WIRE.md §8): max attempts (AWS_MAX_ATTEMPTS / max_attempts, default
// 3), exponential backoff with full jitter (delay = rand(0,1) * min(base * 2^i, 20 s), base
// 50 ms for transient errors and 1 s for throttling, as in the 2026 SDK behaviour), and a
// retry quota (token bucket of 500; a retry costs 5, a timeout 10; success refunds).
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>

#include "aws/env.h"
#include "aws/shared_config.h"
#include "common/error.h"

namespace appsignals::aws {

enum class RetryClass { kNone, kTransient, kThrottling, kTimeout };

struct RetryConfig {
  int max_attempts = 3;
  std::string mode = "standard";  // standard | adaptive | legacy (adaptive/legacy: standard here)
  std::chrono::milliseconds transient_base{50};
  std::chrono::milliseconds throttling_base{1000};
  std::chrono::milliseconds max_backoff{20000};

  static RetryConfig load(const Env& env, const SharedConfig& config);
};

// Shared by all requests of one client; thread-safe.
class RetryQuota {
 public:
  static constexpr int kInitial = 500;
  static constexpr int kRetryCost = 5;
  static constexpr int kTimeoutCost = 10;
  static constexpr int kNoRetryIncrement = 1;

  // Takes the cost of a retry; false when the bucket cannot pay (do not retry).
  bool acquire(RetryClass cls, int* taken);
  // After a success: refund the last retry's cost, or 1 when there was no retry.
  void on_success(int last_cost);
  int available() const { return tokens_.load(); }

 private:
  std::mutex mu_;
  std::atomic<int> tokens_{kInitial};
};

// The retry class of a failed attempt: transport errors (Error::details "ConnectionError" /
// "Timeout") and AWS errors (throttling and transient codes/statuses).
RetryClass classify_transport_error(const Error& e);

// Full-jitter delay before retry number `retry_index` (0-based), `random01` in [0, 1).
std::chrono::milliseconds backoff_delay(const RetryConfig& config, RetryClass cls, int retry_index,
                                        double random01);

}  // namespace appsignals::aws

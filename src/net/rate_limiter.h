#pragma once
// Per-principal request rate limit (MCP_RATE_LIMIT_PER_MINUTE): a token bucket per principal
// holding up to `per_minute` requests, refilled at per_minute/60 per second. The router asks
// after authentication; a refused request gets 429 with Retry-After (whole seconds until one
// request fits). At most kMaxPrincipals buckets are kept: beyond, full buckets (idle principals)
// are dropped first, then the stalest. Thread-safe; the clock is injectable for tests.
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace appsignals::net {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kMaxPrincipals = 10000;

  explicit RateLimiter(std::uint32_t per_minute, std::function<Clock::time_point()> now = {});
  // nullopt: allowed (one request taken). Otherwise the seconds to wait (at least 1).
  std::optional<std::uint32_t> acquire(const std::string& principal);
  std::size_t tracked() const;

 private:
  struct Bucket {
    double tokens;
    Clock::time_point last;
  };
  void refill(Bucket& b, Clock::time_point t) const;
  void evict_locked(Clock::time_point t);

  double capacity_;
  double per_second_;
  std::function<Clock::time_point()> now_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace appsignals::net

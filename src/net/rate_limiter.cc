#include "net/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace appsignals::net {

RateLimiter::RateLimiter(std::uint32_t per_minute, std::function<Clock::time_point()> now)
    : capacity_(std::max<double>(1, per_minute)), per_second_(std::max<double>(1, per_minute) / 60.0),
      now_(now ? std::move(now) : [] { return Clock::now(); }) {}

void RateLimiter::refill(Bucket& b, Clock::time_point t) const {
  if (t <= b.last) return;
  const double elapsed = std::chrono::duration<double>(t - b.last).count();
  b.tokens = std::min(capacity_, b.tokens + elapsed * per_second_);
  b.last = t;
}

void RateLimiter::evict_locked(Clock::time_point t) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    refill(it->second, t);
    it = it->second.tokens >= capacity_ ? buckets_.erase(it) : std::next(it);
  }
  while (buckets_.size() >= kMaxPrincipals) {
    auto stalest = std::min_element(buckets_.begin(), buckets_.end(),
                                    [](const auto& a, const auto& b) { return a.second.last < b.second.last; });
    buckets_.erase(stalest);
  }
}

std::optional<std::uint32_t> RateLimiter::acquire(const std::string& principal) {
  const auto t = now_();
  std::lock_guard lock(mu_);
  auto it = buckets_.find(principal);
  if (it == buckets_.end()) {
    if (buckets_.size() >= kMaxPrincipals) evict_locked(t);
    it = buckets_.emplace(principal, Bucket{capacity_, t}).first;
  }
  auto& b = it->second;
  refill(b, t);
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(std::max(1.0, std::ceil((1.0 - b.tokens) / per_second_)));
}

std::size_t RateLimiter::tracked() const {
  std::lock_guard lock(mu_);
  return buckets_.size();
}

}  // namespace appsignals::net

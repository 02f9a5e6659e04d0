#include "net/rate_limiter.h"

#include <gtest/gtest.h>

namespace appsignals::net {
namespace {

struct FakeClock {
  RateLimiter::Clock::time_point t{};
  std::function<RateLimiter::Clock::time_point()> fn() {
    return [this] { return t; };
  }
};

TEST(RateLimiter, BurstUpToThePerMinuteValueThenRetryAfter) {
  FakeClock clock;
  RateLimiter limiter(60, clock.fn());
  for (int i = 0; i < 60; ++i) EXPECT_FALSE(limiter.acquire("alice").has_value()) << i;
  auto wait = limiter.acquire("alice");
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, 1u);  // one request per second refills
  // Another principal has its own bucket.
  EXPECT_FALSE(limiter.acquire("bob").has_value());
  clock.t += std::chrono::seconds(1);
  EXPECT_FALSE(limiter.acquire("alice").has_value());
  EXPECT_TRUE(limiter.acquire("alice").has_value());
}

TEST(RateLimiter, RetryAfterSaysHowLongUntilOneRequestFits) {
  FakeClock clock;
  RateLimiter limiter(6, clock.fn());  // one per 10 s
  for (int i = 0; i < 6; ++i) ASSERT_FALSE(limiter.acquire("p").has_value());
  EXPECT_EQ(*limiter.acquire("p"), 10u);
  clock.t += std::chrono::seconds(4);
  EXPECT_EQ(*limiter.acquire("p"), 6u);
}

TEST(RateLimiter, PrincipalsAreBounded) {
  FakeClock clock;
  RateLimiter limiter(10, clock.fn());
  for (std::size_t i = 0; i < RateLimiter::kMaxPrincipals + 500; ++i) {
    limiter.acquire("p" + std::to_string(i));
    clock.t += std::chrono::milliseconds(1);
  }
  EXPECT_LE(limiter.tracked(), RateLimiter::kMaxPrincipals);
}

}  // namespace
}  // namespace appsignals::net

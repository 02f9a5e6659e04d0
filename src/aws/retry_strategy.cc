#include "aws/retry_strategy.h"

#include <algorithm>
#include <cmath>

namespace appsignals::aws {

RetryConfig RetryConfig::load(const Env& env, const SharedConfig& config) {
  RetryConfig c;
  auto profile = config.profile(SharedConfig::profile_name(env), false).value_or(IniSection{});
  std::optional<std::string> attempts = env.get_non_empty("AWS_MAX_ATTEMPTS");
  if (!attempts) {
    if (auto it = profile.find("max_attempts"); it != profile.end()) attempts = it->second;
  }
  if (attempts) {
    try {
      int n = std::stoi(*attempts);
      if (n >= 1) c.max_attempts = n;
    } catch (...) {  // fence: std::stoi throws on junk; keep the default
    }
  }
  if (auto m = env.get_non_empty("AWS_RETRY_MODE")) c.mode = *m;
  else if (auto it = profile.find("retry_mode"); it != profile.end()) c.mode = it->second;
  return c;
}

bool RetryQuota::acquire(RetryClass cls, int* taken) {
  int cost = cls == RetryClass::kTimeout ? kTimeoutCost : kRetryCost;
  std::lock_guard lock(mu_);
  if (tokens_.load() < cost) return false;
  tokens_ -= cost;
  *taken = cost;
  return true;
}

void RetryQuota::on_success(int last_cost) {
  std::lock_guard lock(mu_);
  int add = last_cost > 0 ? last_cost : kNoRetryIncrement;
  tokens_ = std::min(kInitial, tokens_.load() + add);
}

RetryClass classify_transport_error(const Error& e) {
  if (e.details == "Timeout") return RetryClass::kTimeout;
  if (e.details == "ConnectionError") return RetryClass::kTransient;
  return RetryClass::kNone;
}

std::chrono::milliseconds backoff_delay(const RetryConfig& config, RetryClass cls, int retry_index,
                                        double random01) {
  auto base = cls == RetryClass::kThrottling ? config.throttling_base : config.transient_base;
  double cap = static_cast<double>(config.max_backoff.count());
  double exp = static_cast<double>(base.count()) * std::pow(2.0, retry_index);
  double d = random01 * std::min(exp, cap);
  return std::chrono::milliseconds(static_cast<long long>(d));
}

}  // namespace appsignals::aws

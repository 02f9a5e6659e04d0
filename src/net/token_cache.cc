#include "net/token_cache.h"

#include <algorithm>

#include <openssl/evp.h>

namespace appsignals::net {

TokenCache::TokenCache(std::size_t capacity, std::int64_t positive_ttl, std::int64_t negative_ttl)
    : capacity_(std::max<std::size_t>(1, capacity)), positive_ttl_(positive_ttl), negative_ttl_(negative_ttl) {}

std::string TokenCache::key_of(std::string_view token) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(token.data(), token.size(), md, &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(md), len);
}

std::optional<AuthOutcome> TokenCache::get(std::string_view token, std::int64_t now) {
  const std::string key = key_of(token);
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (now >= it->second.until) {
    order_.erase(it->second.lru);
    entries_.erase(it);
    return std::nullopt;
  }
  order_.splice(order_.begin(), order_, it->second.lru);
  return it->second.outcome;
}

void TokenCache::put(std::string_view token, const AuthOutcome& outcome, std::int64_t expires_at, std::int64_t now) {
  const bool positive = outcome.ok || outcome.failure == AuthFailure::kInsufficientScope;
  std::int64_t until = now + (positive ? positive_ttl_ : negative_ttl_);
  if (positive && expires_at > 0) until = std::min(until, expires_at);
  if (until <= now) return;
  const std::string key = key_of(token);
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(key); it != entries_.end()) {
    it->second.outcome = outcome;
    it->second.until = until;
    order_.splice(order_.begin(), order_, it->second.lru);
    return;
  }
  while (entries_.size() >= capacity_ && !order_.empty()) {
    entries_.erase(order_.back());
    order_.pop_back();
  }
  order_.push_front(key);
  entries_.emplace(key, Entry{outcome, until, order_.begin()});
}

std::size_t TokenCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace appsignals::net

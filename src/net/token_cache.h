#pragma once
// TokenCache: recent RFC 7662 introspection outcomes, so a token seen again (or a flood of junk
// opaque tokens) does not cost a POST to the authorization server each time.
//
// Keyed by SHA-256 of the token: the token itself is never stored, logged or compared. Bounded
// (least recently used out first). Positive outcomes are kept until min(the token's exp,
// now + positive_ttl); negative ones (inactive, claims refused) for negative_ttl. Outcomes that
// say nothing about the token (the authorization server unreachable) are not cached.
// Thread-safe.
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "net/authenticator.h"

namespace appsignals::net {

class TokenCache {
 public:
  TokenCache(std::size_t capacity, std::int64_t positive_ttl, std::int64_t negative_ttl);

  // The cached outcome for `token` at `now` (seconds), or nullopt.
  std::optional<AuthOutcome> get(std::string_view token, std::int64_t now);
  // Caches `outcome` for `token`: positive (ok or insufficient scope, which follows from the
  // claims) until min(expires_at, now + positive_ttl) (expires_at <= 0: no exp); negative for
  // negative_ttl. A ttl of 0 disables that kind.
  void put(std::string_view token, const AuthOutcome& outcome, std::int64_t expires_at, std::int64_t now);

  std::size_t size() const;
  static std::string key_of(std::string_view token);  // SHA-256, raw bytes

 private:
  struct Entry {
    AuthOutcome outcome;
    std::int64_t until = 0;
    std::list<std::string>::iterator lru;
  };
  std::size_t capacity_;
  std::int64_t positive_ttl_;
  std::int64_t negative_ttl_;
  mutable std::mutex mu_;
  std::list<std::string> order_;  // most recent first
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace appsignals::net

#pragma once
// Request authentication. The router asks an Authenticator about every request to a protected
// route; on success the request carries an opaque principal (never the secret itself).
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_types.h"

namespace appsignals::net {

struct AuthOutcome {
  bool ok = false;
  std::string principal;  // non-secret, stable identity of the credential, e.g. "api-key:1f2e..."
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual AuthOutcome authenticate(const Request& request) const = 0;
  // "api-key", "disabled", ...
  virtual std::string mode() const = 0;
};

// API keys from `Authorization: Bearer <key>` or `X-API-Key: <key>`, compared in constant time
// against every configured key (SHA-256 digests compared with CRYPTO_memcmp, so neither the
// content nor the length of a key leaks through timing). Keys can be replaced at run time
// (rotation, SIGHUP re-read). Thread-safe.
class ApiKeyAuthenticator final : public Authenticator {
 public:
  explicit ApiKeyAuthenticator(std::vector<std::string> keys);
  void set_keys(std::vector<std::string> keys);
  std::size_t key_count() const;

  AuthOutcome authenticate(const Request& request) const override;
  std::string mode() const override { return "api-key"; }

  // The presented key, if any (from either header). Exposed for tests.
  static std::optional<std::string_view> presented_key(const Request& request);

 private:
  mutable std::mutex mu_;
  std::vector<std::string> digests_;  // SHA-256 of each key
};

// Splits "a,b , c" into trimmed non-empty items.
std::vector<std::string> split_list(std::string_view text, char sep = ',');

}  // namespace appsignals::net

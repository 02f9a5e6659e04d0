#pragma once
// Request authentication. The router asks an Authenticator about every request to a protected
// route; on success the request carries an opaque principal (never the secret itself).
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "net/http_types.h"

namespace appsignals::net {

// Why a request was refused: the reply differs (a missing key is asked for, a wrong one is
// reported as rejected), never the key itself.
enum class AuthFailure {
  kNone,      // authenticated
  kMissing,   // no credential in a header this authenticator reads
  kRejected,  // a credential was presented and does not match
  kInsufficientScope,  // a valid token without a scope every request needs (403)
};

struct AuthOutcome {
  bool ok = false;
  std::string principal;  // non-secret, stable identity of the credential, e.g. "api-key:1f2e..."
  AuthFailure failure = AuthFailure::kMissing;  // kNone when ok
  // The granted scopes of an OAuth token; nullopt: not restricted by scope (API keys).
  std::optional<std::vector<std::string>> scopes;
  // For logs: why a credential was rejected (never the credential), or the scope missing.
  std::string reason;
  // What a ProfileMap matches on (profile_map.h), never copied onto the request: an OAuth
  // token's claims (empty for keys), and the position of the matched API key in the configured
  // list (MCP_API_KEY's keys, then MCP_API_KEY_FILE's; -1 for OAuth).
  boost::json::object claims;
  int key_index = -1;
};

// What a 401 says: the JSON error message and the WWW-Authenticate challenge. Neither ever
// contains a credential.
struct AuthChallenge {
  std::string message;
  std::string www_authenticate;
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual AuthOutcome authenticate(const Request& request) const = 0;
  // What the router awaits. The default is authenticate(); authenticators that may need I/O
  // (OAuth: JWKS refresh, introspection) override it. `request` is owned by the awaiting caller.
  virtual boost::asio::awaitable<AuthOutcome> authenticate_async(const Request& request) const;
  // The reply to a request that failed with `failure` (kMissing or kRejected).
  virtual AuthChallenge challenge(AuthFailure failure) const = 0;
  // The WWW-Authenticate of a 403 for a missing scope (RFC 6750 §3.1 insufficient_scope); empty
  // when this authenticator has no scopes.
  virtual std::string insufficient_scope_challenge(std::string_view scope) const {
    (void)scope;
    return {};
  }
  // "api-key", "disabled", ...
  virtual std::string mode() const = 0;
};

// API keys from `Authorization: Bearer <key>` or `X-API-Key: <key>`, compared in constant time
// against every configured key (SHA-256 digests compared with CRYPTO_memcmp, so neither the
// content nor the length of a key leaks through timing). Keys can be replaced at run time
// (rotation, SIGHUP re-read). Thread-safe.
//
// The 401 says whether a key was missing or rejected and that this server does not use OAuth.
// Its challenge is `Bearer realm="appsignals-mcp"` (plus `error="invalid_token"` for a rejected
// key, RFC 6750 §3.1) and never carries `resource_metadata`: no OAuth discovery is advertised.
// MCP clients with OAuth support (the TypeScript SDK, mcp-remote, MCP Inspector) still start
// OAuth discovery on any 401; it ends at the registration endpoint, whose 401 carries this same
// message, and that is what they print. So the message must not contain the word
// "Unauthorized": mcp-remote takes an error text containing it for "sign in with a browser" and
// waits for a callback that never comes.
class ApiKeyAuthenticator final : public Authenticator {
 public:
  explicit ApiKeyAuthenticator(std::vector<std::string> keys);
  void set_keys(std::vector<std::string> keys);
  std::size_t key_count() const;

  AuthOutcome authenticate(const Request& request) const override;
  AuthChallenge challenge(AuthFailure failure) const override;
  std::string mode() const override { return "api-key"; }

  // The presented key, if any (from either header). Exposed for tests.
  static std::optional<std::string_view> presented_key(const Request& request);

  // Keys the principal ("api-key:<hash>") with a secret every instance shares (derived from
  // MCP_STATE_KEY), so a key maps to the same principal on each instance of a cluster (session
  // records in Redis are bound to it). Without it the secret is random per process.
  void set_principal_secret(std::string_view shared_secret);

 private:
  mutable std::mutex mu_;
  std::vector<std::string> digests_;  // SHA-256 of each key
  std::string principal_secret_;      // empty: the per-process random secret
};

// Splits "a,b , c" into trimmed non-empty items.
std::vector<std::string> split_list(std::string_view text, char sep = ',');

}  // namespace appsignals::net

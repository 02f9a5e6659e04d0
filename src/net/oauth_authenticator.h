#pragma once
// OAuth 2.1 resource server (MCP authorization, 2025-06-18 and later): validates bearer access
// tokens issued by one authorization server.
//
// - JWT access tokens: signature against the issuer's JWKS (jose.h: RS256, PS256, ES256, EdDSA),
//   `iss`, `aud` containing our resource (RFC 8707), `exp`/`nbf` with 60 s skew, scopes.
// - The JWKS location comes from the issuer's metadata (RFC 8414
//   `/.well-known/oauth-authorization-server`, else OpenID `/.well-known/openid-configuration`).
//   Keys are cached for `jwks_lifetime`; a token whose `kid` is unknown forces a refresh at most
//   once per `jwks_min_refresh` (a flood of forged kids costs one fetch per interval), so a
//   rotated key is picked up without a restart.
// - Opaque tokens (not a JWS) go to RFC 7662 introspection when an endpoint is configured; its
//   outcomes are cached briefly (TokenCache, keyed by the token's hash), so a repeated or junk
//   token does not cost a POST each time.
// - The principal of a token is "oauth:" + iss + "#" + sub.
//
// I/O goes through the injected Fetcher (the app layer adapts the libcurl client of the aws
// layer, which this layer must not link). Thread-safe; authenticate_async may run on any thread.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "net/authenticator.h"
#include "net/jose.h"
#include "net/token_cache.h"

namespace appsignals::net {

struct FetchRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};
struct FetchResponse {
  int status = 0;
  std::string body;
};
// Must not block; completes with a response (any status) or a transport error.
using Fetcher = std::function<boost::asio::awaitable<Result<FetchResponse>>(FetchRequest)>;

struct OAuthOptions {
  std::string issuer;                     // MCP_OAUTH_ISSUER
  std::string resource;                   // MCP_OAUTH_RESOURCE: what `aud` must contain
  std::vector<std::string> audiences;     // also accepted (MCP_OAUTH_AUDIENCES, the /sse resource)
  std::vector<std::string> required_scopes;  // every token must carry all of them (else 403)
  std::string resource_metadata_url;      // named in every challenge
  std::chrono::seconds jwks_lifetime{3600};
  std::chrono::seconds jwks_min_refresh{10};
  std::chrono::seconds skew{60};
  // RFC 7662, for opaque tokens; empty: opaque tokens are rejected.
  std::string introspection_url;
  std::string introspection_client_id;
  std::string introspection_client_secret;
  // Introspection outcomes cached by the token's SHA-256 (token_cache.h): positive ones until
  // min(exp, this many seconds), negative ones (inactive, claims refused) this many seconds;
  // at most this many tokens. 0 seconds: that kind is not cached.
  std::int64_t introspection_positive_seconds = 60;
  std::int64_t introspection_negative_seconds = 10;
  std::size_t introspection_cache_entries = 10000;
  // Seconds since the epoch (injectable for tests).
  std::function<std::int64_t()> now;
};

class OAuthAuthenticator final : public Authenticator {
 public:
  OAuthAuthenticator(OAuthOptions options, Fetcher fetcher);

  // Synchronous path: validates against the cached keys only (no fetch).
  AuthOutcome authenticate(const Request& request) const override;
  boost::asio::awaitable<AuthOutcome> authenticate_async(const Request& request) const override;
  AuthChallenge challenge(AuthFailure failure) const override;
  std::string insufficient_scope_challenge(std::string_view scope) const override;
  std::string mode() const override { return "oauth"; }

  // Validates a bearer token (exposed for tests). Fetches metadata/JWKS/introspection as needed.
  boost::asio::awaitable<AuthOutcome> validate(std::string token) const;
  // Fetches the metadata and the JWKS now (start-up); the error says what failed.
  boost::asio::awaitable<Result<std::size_t>> refresh_keys() const;
  const OAuthOptions& options() const { return options_; }

 private:
  struct State {
    std::vector<jose::Jwk> keys;
    std::string jwks_uri;
    std::string introspection_url;
    std::int64_t fetched_at = 0;      // last successful JWKS fetch
    std::int64_t last_attempt = -1;   // last fetch attempt (rate limit)
  };
  std::int64_t now() const;
  std::vector<jose::Jwk> cached_keys() const;
  AuthOutcome check_jws(const jose::Jws& jws, const std::vector<jose::Jwk>& keys) const;
  AuthOutcome accept(jose::TokenClaims claims) const;
  boost::asio::awaitable<Result<std::string>> discover_jwks_uri() const;
  boost::asio::awaitable<AuthOutcome> introspect(std::string token) const;
  // The introspection POST and the checks of its answer; `expires_at` gets the token's exp,
  // `cacheable` whether the outcome is about the token (not a failed POST). The references are
  // the caller's locals: it awaits this in place.
  boost::asio::awaitable<AuthOutcome> introspect_uncached(std::string token, std::int64_t& expires_at,
                                                          bool& cacheable) const;

  OAuthOptions options_;
  Fetcher fetcher_;
  std::shared_ptr<TokenCache> introspected_;
  mutable std::mutex mu_;
  mutable State state_;
};

// API keys and OAuth side by side: a bearer value that matches an API key is accepted as that
// key; anything else is validated as an OAuth token. Challenges are OAuth's (clients discover
// the authorization server from them).
class EitherAuthenticator final : public Authenticator {
 public:
  EitherAuthenticator(std::shared_ptr<ApiKeyAuthenticator> keys, std::shared_ptr<OAuthAuthenticator> oauth)
      : keys_(std::move(keys)), oauth_(std::move(oauth)) {}
  AuthOutcome authenticate(const Request& request) const override;
  boost::asio::awaitable<AuthOutcome> authenticate_async(const Request& request) const override;
  AuthChallenge challenge(AuthFailure failure) const override { return oauth_->challenge(failure); }
  std::string insufficient_scope_challenge(std::string_view scope) const override {
    return oauth_->insufficient_scope_challenge(scope);
  }
  std::string mode() const override { return "api-key+oauth"; }

 private:
  std::shared_ptr<ApiKeyAuthenticator> keys_;
  std::shared_ptr<OAuthAuthenticator> oauth_;
};

// The bearer token of `Authorization: Bearer <token>`, if any.
std::optional<std::string_view> bearer_token(const Request& request);

}  // namespace appsignals::net

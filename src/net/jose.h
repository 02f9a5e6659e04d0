#pragma once
// JOSE for an OAuth 2.1 resource server: JWKS parsing (RFC 7517/7518/8037), JWS compact
// verification (RFC 7515) and access-token claim checks (RFC 9068, RFC 8707 audiences).
//
// OpenSSL 3 does the cryptography directly (EVP_DigestVerify): RSA keys for RS256 and PS256,
// EC P-256 for ES256 (the JOSE r||s signature is converted to DER), Ed25519 for EdDSA. `none`,
// the HMAC algorithms (HS*) and anything else are refused before a key is looked at, and a
// key is only used with the algorithm its type allows (an RSA key never verifies ES256...).
// Pure functions, thread-safe; keys are immutable once parsed.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "common/result.h"

struct evp_pkey_st;

namespace appsignals::net::jose {

// One verification key from a JWKS.
struct Jwk {
  std::string kid;  // may be empty
  std::string kty;  // "RSA", "EC", "OKP"
  std::string alg;  // the key's "alg", may be empty (then any algorithm of its type)
  std::shared_ptr<evp_pkey_st> pkey;
};

// The keys of a JWKS document usable for signature verification. Keys of unsupported types or
// curves, keys with "use" other than "sig" and malformed keys are skipped (not an error: a JWKS
// may carry encryption keys); a document that is not a JWKS is kInvalidArgument.
Result<std::vector<Jwk>> parse_jwks(std::string_view json);
// One JWK (a JSON object) to a key; kInvalidArgument says why not.
Result<Jwk> parse_jwk(const boost::json::object& jwk);

// The parts of a compact JWS. Parsing checks the shape and the algorithm only.
struct Jws {
  std::string alg;
  std::string kid;
  boost::json::object claims;
  std::string signing_input;  // base64url(header) "." base64url(payload)
  std::string signature;      // raw bytes
};

// The algorithms accepted: RS256, PS256, ES256, EdDSA.
bool algorithm_supported(std::string_view alg);
// kUnauthenticated with a message that names the problem (never the token).
Result<Jws> parse_jws(std::string_view token);
// True if `key` may verify `jws.alg` and the signature is valid.
bool verify(const Jws& jws, const Jwk& key);

// What an access token must satisfy.
struct ClaimPolicy {
  std::string issuer;                  // `iss` must equal it
  std::vector<std::string> audiences;  // `aud` (string or array) must contain one of them
  std::chrono::seconds skew{60};       // allowed clock difference for exp/nbf/iat
};

struct TokenClaims {
  std::string issuer;
  std::string subject;
  std::vector<std::string> scopes;  // from `scope` (space-separated) or `scp` (array or string)
  std::optional<std::int64_t> expires_at;
  boost::json::object claims;  // all of them (for claim → profile mappings)
};

// Checks iss, aud, exp (required), nbf, sub (required) against `now` (seconds since the epoch).
// kUnauthenticated with a reason on failure.
Result<TokenClaims> check_claims(const boost::json::object& claims, const ClaimPolicy& policy, std::int64_t now);

// Scopes from a `scope` string or `scp` claim (array or string).
std::vector<std::string> scopes_of(const boost::json::object& claims);

std::optional<std::string> base64url_decode(std::string_view text);
std::string base64url_encode(std::string_view bytes);

}  // namespace appsignals::net::jose

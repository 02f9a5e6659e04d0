#pragma once
// AWS Signature Version 4 (header signing and presigned URLs).
//
// The free functions build each intermediate value exactly as the SigV4 specification and the
// official test suites define it (canonical request, string to sign, signing key, signature),
// so the fake AWS can verify incoming requests with the same code (see verify()).
//
// Thread safety: the free functions are pure. Signer is safe to share between threads (its
// signing-key cache is guarded by a mutex).
// Secrets: nothing here logs; the secret key and the signing key never leave these functions
// except as the final hex signature.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "common/result.h"

namespace appsignals::aws::sigv4 {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

using Header = std::pair<std::string, std::string>;
using Headers = std::vector<Header>;

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);
// Raw 32-byte HMAC-SHA256.
std::string hmac_sha256(std::string_view key, std::string_view data);

// "20150830T123600Z" and "20150830" for a UTC time point.
std::string amz_date(std::chrono::system_clock::time_point t);
std::string scope_date(std::chrono::system_clock::time_point t);
// Parses "20150830T123600Z"; nullopt if malformed.
std::optional<std::chrono::system_clock::time_point> parse_amz_date(std::string_view s);

// Canonical URI. `path` is the path as written on the request line (it may be percent-encoded
// or raw). With `normalize`, dot segments and empty segments are removed (not for S3). With
// `double_encode`, the path is URI-encoded (again) keeping '/'; without it the path is used as
// sent (S3: single encoding, already applied by the caller).
std::string canonical_uri(std::string_view path, bool normalize, bool double_encode);

// Canonical query string from a raw query (without '?'): each name and value is decoded, then
// re-encoded with the SigV4 unreserved set, sorted by name then value, joined with '&'.
std::string canonical_query(std::string_view raw_query);

struct CanonicalHeaders {
  std::string canonical;       // "name:value\n" lines, sorted, lower-case names
  std::string signed_headers;  // "host;x-amz-date"
};
// Canonical headers over `headers` (any name case; repeated names joined by ',' in order;
// values trimmed and runs of whitespace collapsed).
CanonicalHeaders canonical_headers(const Headers& headers);

struct CanonicalRequestInput {
  std::string_view method;
  std::string_view path;
  std::string_view query;  // raw, without '?'
  const Headers* headers = nullptr;  // exactly the headers to sign
  std::string_view payload_hash;
  bool normalize_path = true;
  bool double_encode = true;
};
// METHOD\nURI\nQUERY\nHEADERS\n\nSIGNED\nHASH; also returns the signed-headers list.
std::string canonical_request(const CanonicalRequestInput& in, std::string* signed_headers = nullptr);

// "<yyyymmdd>/<region>/<service>/aws4_request"
std::string credential_scope(std::string_view date, std::string_view region, std::string_view service);
// AWS4-HMAC-SHA256\n<amz-date>\n<scope>\n<hex sha256(canonical request)>
std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request);
// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")
std::string derive_signing_key(std::string_view secret_key, std::string_view date,
                               std::string_view region, std::string_view service);
// hex(HMAC(signing_key, string_to_sign))
std::string signature(std::string_view signing_key, std::string_view string_to_sign);
// "AWS4-HMAC-SHA256 Credential=<akid>/<scope>, SignedHeaders=<h>, Signature=<sig>"
std::string authorization_header(std::string_view access_key_id, std::string_view scope,
                                 std::string_view signed_headers, std::string_view signature);

// The parts of an Authorization header value.
struct ParsedAuthorization {
  std::string access_key_id;
  std::string date;  // yyyymmdd
  std::string region;
  std::string service;
  std::vector<std::string> signed_headers;  // lower case, in the given order
  std::string signature;
};
Result<ParsedAuthorization> parse_authorization(std::string_view value);

// What the signer needs to know about one request.
struct SigningParams {
  std::string_view access_key_id;
  std::string_view secret_access_key;
  std::string_view session_token;  // empty: none
  std::string_view region;
  std::string_view service;
  std::chrono::system_clock::time_point time;
  bool normalize_path = true;   // false for S3
  bool double_encode = true;    // false for S3
  bool add_content_sha256 = false;  // S3: send x-amz-content-sha256
  bool unsigned_payload = false;    // S3: payload hash is UNSIGNED-PAYLOAD
  bool sign_session_token = true;   // false: add the token after signing
  std::chrono::seconds expires{3600};  // presigned URLs only
};

// A request being signed: the signer adds headers (X-Amz-Date, X-Amz-Security-Token,
// X-Amz-Content-Sha256, Authorization) or query parameters (presign).
struct SignableRequest {
  std::string method;
  std::string host;   // value of the Host header (host[:port])
  std::string path;   // as on the request line
  std::string query;  // raw, without '?'
  Headers headers;    // excluding Host (added to the signature automatically)
  std::string_view body;
};

struct SigningResult {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
};

// Headers that are never signed (botocore SIGNED_HEADERS_BLACKLIST).
bool is_unsigned_header(std::string_view lower_name);

// Signs requests, caching the derived signing key per (secret, date, region, service).
class Signer {
 public:
  // Adds the SigV4 headers to `req`; returns the intermediate strings (for tests and logs;
  // they contain no secrets).
  SigningResult sign(SignableRequest& req, const SigningParams& params);
  // Adds the presign query parameters (X-Amz-Algorithm ... X-Amz-Signature) to `req.query`.
  SigningResult presign(SignableRequest& req, const SigningParams& params);
  // How many signing keys this signer has derived (cache misses) since construction: a key is
  // derived once per (secret, date, region, service) and reused until one of them changes.
  std::uint64_t key_derivations() const { return key_derivations_.load(std::memory_order_relaxed); }

 private:
  std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                          std::string_view service);
  std::mutex mu_;
  std::map<std::tuple<std::string, std::string, std::string, std::string>, std::string> cache_;
  std::atomic<std::uint64_t> key_derivations_{0};
};

// An incoming request as a server sees it, for verification.
struct IncomingRequest {
  std::string_view method;
  std::string_view path;   // as on the request line (percent-encoded)
  std::string_view query;  // raw, without '?'
  const Headers* headers = nullptr;  // all request headers, any case
  std::string_view body;
};

struct VerifyOptions {
  bool normalize_path = true;  // false for S3
  bool double_encode = true;   // false for S3
  // Current time and the allowed skew; a request outside the window fails with
  // kUnauthenticated "Signature expired".
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  std::chrono::seconds max_skew{900};
};

struct VerifyResult {
  ParsedAuthorization auth;
  std::string canonical_request;  // what the server computed (useful in error messages)
  std::string string_to_sign;
};

// Recomputes the signature of a header-signed request and compares it in constant time.
// `secret_for` returns the secret key of an access key id (nullopt: unknown key).
// Errors: kUnauthenticated with details "MissingAuthenticationToken", "IncompleteSignature",
// "InvalidClientTokenId", "SignatureDoesNotMatch" or "RequestExpired".
Result<VerifyResult> verify(
    const IncomingRequest& req,
    const std::function<std::optional<std::string>(std::string_view)>& secret_for,
    const VerifyOptions& options = {});

}  // namespace appsignals::aws::sigv4

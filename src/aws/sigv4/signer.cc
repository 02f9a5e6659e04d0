#include "aws/sigv4/signer.h"

#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>

#include "common/encoding.h"
#include "common/text.h"

namespace appsignals::aws::sigv4 {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Trim and collapse runs of whitespace to one space (SigV4 "Trimall").
std::string trim_all(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  bool pending_space = false;
  for (char c : v) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::string normalize_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t i = 0;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view seg = path.substr(i, j - i);
    if (seg.empty() || seg == ".") {
      // skip
    } else if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
    } else {
      segments.push_back(seg);
    }
    i = j + 1;
  }
  std::string out = "/";
  for (std::size_t k = 0; k < segments.size(); ++k) {
    if (k) out.push_back('/');
    out.append(segments[k]);
  }
  bool trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
  if (trailing && out.size() > 1) out.push_back('/');
  return out;
}

}  // namespace

namespace {

// OpenSSL 3's one-shot SHA256() and HMAC() look the algorithm up in the library context on
// every call (EVP_Q_digest / EVP_Q_mac: a locked fetch, a context allocated and freed), which
// cost more than hashing a short string: a third of signing a request. The digest and the MAC
// are fetched once per thread and their contexts reused.
class Sha256 {
 public:
  Sha256() : md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)), ctx_(EVP_MD_CTX_new()) {
    if (!md_ || !ctx_) std::abort();
  }
  ~Sha256() {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_free(md_);
  }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void init() {
    if (EVP_DigestInit_ex2(ctx_, md_, nullptr) != 1) std::abort();
  }
  void update(const void* data, std::size_t size) {
    if (size > 0 && EVP_DigestUpdate(ctx_, data, size) != 1) std::abort();
  }
  void final(unsigned char out[SHA256_DIGEST_LENGTH]) {
    if (EVP_DigestFinal_ex(ctx_, out, nullptr) != 1) std::abort();
  }

  // This thread's instance (the context is not shareable between threads).
  static Sha256& local() {
    thread_local Sha256 instance;
    return instance;
  }

 private:
  EVP_MD* md_;
  EVP_MD_CTX* ctx_;
};

// HMAC-SHA256 through OpenSSL's EVP_MAC, fetched and set to SHA-256 once per thread: each call
// only re-keys the context (EVP_MAC_init with the key and no parameters keeps the digest).
class HmacSha256 {
 public:
  HmacSha256() : mac_(EVP_MAC_fetch(nullptr, "HMAC", nullptr)), ctx_(mac_ ? EVP_MAC_CTX_new(mac_) : nullptr) {
    if (!mac_ || !ctx_) std::abort();
    char digest[] = "SHA256";
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0);
    params[1] = OSSL_PARAM_construct_end();
    if (EVP_MAC_CTX_set_params(ctx_, params) != 1) std::abort();
  }
  ~HmacSha256() {
    EVP_MAC_CTX_free(ctx_);
    EVP_MAC_free(mac_);
  }
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;

  void mac(std::string_view key, std::string_view data, unsigned char out[SHA256_DIGEST_LENGTH], std::size_t* len) {
    static const unsigned char kEmpty = 0;  // a null key would mean "keep the previous one"
    const auto* k = key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
    if (EVP_MAC_init(ctx_, k, key.size(), nullptr) != 1 ||
        EVP_MAC_update(ctx_, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
        EVP_MAC_final(ctx_, out, len, SHA256_DIGEST_LENGTH) != 1)
      std::abort();
  }

  static HmacSha256& local() {
    thread_local HmacSha256 instance;
    return instance;
  }

 private:
  EVP_MAC* mac_;
  EVP_MAC_CTX* ctx_;
};

void sha256_raw(std::string_view data, unsigned char out[SHA256_DIGEST_LENGTH]) {
  Sha256& h = Sha256::local();
  h.init();
  h.update(data.data(), data.size());
  h.final(out);
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  sha256_raw(data, md);
  return hex_encode(std::span<const unsigned char>(md, sizeof md));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  std::size_t len = 0;
  HmacSha256::local().mac(key, data, md, &len);
  return std::string(reinterpret_cast<const char*>(md), len);
}

std::string amz_date(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string scope_date(std::chrono::system_clock::time_point t) { return amz_date(t).substr(0, 8); }

std::optional<std::chrono::system_clock::time_point> parse_amz_date(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  auto num = [&](std::size_t pos, std::size_t n) -> int {
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  int y = num(0, 4), mo = num(4, 2), d = num(6, 2), h = num(9, 2), mi = num(11, 2), se = num(13, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
      se < 0 || se > 60)
    return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} +
         std::chrono::seconds{se};
}

std::string canonical_uri(std::string_view path, bool normalize, bool double_encode) {
  std::string p = path.empty() ? std::string("/") : std::string(path);
  if (normalize) p = normalize_path(p);
  if (double_encode) p = percent_encode(p, /*keep_slash=*/true);
  return p;
}

std::string canonical_query(std::string_view raw_query) {
  std::vector<std::pair<std::string, std::string>> params;
  std::size_t i = 0;
  while (i < raw_query.size()) {
    std::size_t j = raw_query.find('&', i);
    if (j == std::string_view::npos) j = raw_query.size();
    std::string_view item = raw_query.substr(i, j - i);
    i = j + 1;
    if (item.empty()) continue;
    std::size_t eq = item.find('=');
    std::string_view k = item.substr(0, eq);
    std::string_view v = eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1);
    auto dk = percent_decode(k);
    auto dv = percent_decode(v);
    params.emplace_back(percent_encode(dk ? *dk : std::string(k)),
                        percent_encode(dv ? *dv : std::string(v)));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out.push_back('&');
    out += k;
    out.push_back('=');
    out += v;
  }
  return out;
}

CanonicalHeaders canonical_headers(const Headers& headers) {
  std::vector<std::pair<std::string, std::string>> lowered;
  lowered.reserve(headers.size());
  for (const auto& [n, v] : headers) lowered.emplace_back(ascii_lower(trim_all(n)), trim_all(v));
  std::stable_sort(lowered.begin(), lowered.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  CanonicalHeaders out;
  for (std::size_t i = 0; i < lowered.size();) {
    std::size_t j = i;
    std::string value;
    while (j < lowered.size() && lowered[j].first == lowered[i].first) {
      if (j > i) value.push_back(',');
      value += lowered[j].second;
      ++j;
    }
    out.canonical += lowered[i].first + ":" + value + "\n";
    if (!out.signed_headers.empty()) out.signed_headers.push_back(';');
    out.signed_headers += lowered[i].first;
    i = j;
  }
  return out;
}

std::string canonical_request(const CanonicalRequestInput& in, std::string* signed_headers) {
  static const Headers kNone;
  CanonicalHeaders ch = canonical_headers(in.headers ? *in.headers : kNone);
  std::string out;
  out.reserve(256 + ch.canonical.size());
  out.append(in.method).push_back('\n');
  out += canonical_uri(in.path, in.normalize_path, in.double_encode);
  out.push_back('\n');
  out += canonical_query(in.query);
  out.push_back('\n');
  out += ch.canonical;
  out.push_back('\n');
  out += ch.signed_headers;
  out.push_back('\n');
  out.append(in.payload_hash);
  if (signed_headers) *signed_headers = std::move(ch.signed_headers);
  return out;
}

std::string credential_scope(std::string_view date, std::string_view region, std::string_view service) {
  std::string s;
  s.append(date).append("/").append(region).append("/").append(service).append("/aws4_request");
  return s;
}

std::string string_to_sign(std::string_view amz_date_value, std::string_view scope,
                           std::string_view canonical_request_value) {
  std::string s(kAlgorithm);
  s.append("\n").append(amz_date_value).append("\n").append(scope).append("\n");
  s += sha256_hex(canonical_request_value);
  return s;
}

std::string derive_signing_key(std::string_view secret_key, std::string_view date,
                               std::string_view region, std::string_view service) {
  std::string k = "AWS4";
  k.append(secret_key);
  std::string k_date = hmac_sha256(k, date);
  OPENSSL_cleanse(k.data(), k.size());
  std::string k_region = hmac_sha256(k_date, region);
  std::string k_service = hmac_sha256(k_region, service);
  return hmac_sha256(k_service, "aws4_request");
}

std::string signature(std::string_view signing_key, std::string_view string_to_sign_value) {
  return hex_encode(hmac_sha256(signing_key, string_to_sign_value));
}

std::string authorization_header(std::string_view access_key_id, std::string_view scope,
                                 std::string_view signed_headers, std::string_view sig) {
  std::string s(kAlgorithm);
  s.append(" Credential=").append(access_key_id).append("/").append(scope);
  s.append(", SignedHeaders=").append(signed_headers).append(", Signature=").append(sig);
  return s;
}

Result<ParsedAuthorization> parse_authorization(std::string_view value) {
  auto fail = [](std::string msg) {
    return Error(ErrorCode::kUnauthenticated, std::move(msg), "IncompleteSignature");
  };
  if (!value.starts_with(kAlgorithm)) return fail("Authorization header does not use AWS4-HMAC-SHA256");
  value.remove_prefix(kAlgorithm.size());
  ParsedAuthorization out;
  bool have_cred = false, have_signed = false, have_sig = false;
  std::size_t i = 0;
  while (i < value.size()) {
    std::size_t j = value.find(',', i);
    if (j == std::string_view::npos) j = value.size();
    std::string item = trim_all(value.substr(i, j - i));
    i = j + 1;
    std::size_t eq = item.find('=');
    if (eq == std::string::npos) continue;
    std::string key = item.substr(0, eq);
    std::string val = item.substr(eq + 1);
    if (key == "Credential") {
      std::vector<std::string> parts;
      std::size_t a = 0;
      while (true) {
        std::size_t b = val.find('/', a);
        parts.push_back(val.substr(a, b == std::string::npos ? std::string::npos : b - a));
        if (b == std::string::npos) break;
        a = b + 1;
      }
      if (parts.size() != 5 || parts[4] != "aws4_request") return fail("malformed Credential");
      out.access_key_id = parts[0];
      out.date = parts[1];
      out.region = parts[2];
      out.service = parts[3];
      have_cred = true;
    } else if (key == "SignedHeaders") {
      std::size_t a = 0;
      while (a <= val.size()) {
        std::size_t b = val.find(';', a);
        if (b == std::string::npos) b = val.size();
        if (b > a) out.signed_headers.push_back(val.substr(a, b - a));
        a = b + 1;
      }
      have_signed = !out.signed_headers.empty();
    } else if (key == "Signature") {
      out.signature = val;
      have_sig = !val.empty();
    }
  }
  if (!have_cred || !have_signed || !have_sig)
    return fail("Authorization header requires Credential, SignedHeaders and Signature");
  return out;
}

bool is_unsigned_header(std::string_view n) {
  static constexpr std::string_view kDeny[] = {
      "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
      "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
      "authorization", "amz-sdk-invocation-id", "amz-sdk-request"};
  for (auto d : kDeny)
    if (n == d) return true;
  return false;
}

std::string Signer::signing_key(std::string_view secret, std::string_view date,
                                std::string_view region, std::string_view service) {
  // Keyed by a hash of the secret so the cache never holds the secret itself.
  auto key = std::make_tuple(sha256_hex(secret), std::string(date), std::string(region),
                             std::string(service));
  std::lock_guard lock(mu_);
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  if (cache_.size() > 64) cache_.clear();
  std::string k = derive_signing_key(secret, date, region, service);
  key_derivations_.fetch_add(1, std::memory_order_relaxed);
  cache_.emplace(std::move(key), k);
  return k;
}

SigningResult Signer::sign(SignableRequest& req, const SigningParams& p) {
  const std::string date_time = amz_date(p.time);
  const std::string date = date_time.substr(0, 8);
  std::string payload_hash =
      p.unsigned_payload ? std::string(kUnsignedPayload) : sha256_hex(req.body);
  req.headers.emplace_back("X-Amz-Date", date_time);
  if (p.add_content_sha256) req.headers.emplace_back("X-Amz-Content-Sha256", payload_hash);
  if (!p.session_token.empty() && p.sign_session_token)
    req.headers.emplace_back("X-Amz-Security-Token", std::string(p.session_token));

  Headers to_sign;
  to_sign.emplace_back("host", req.host);
  for (const auto& h : req.headers) {
    std::string lower = ascii_lower(h.first);
    if (lower == "host" || is_unsigned_header(lower)) continue;
    to_sign.push_back(h);
  }
  SigningResult r;
  std::string signed_headers;
  r.canonical_request = canonical_request({req.method, req.path, req.query, &to_sign, payload_hash,
                                           p.normalize_path, p.double_encode},
                                          &signed_headers);
  std::string scope = credential_scope(date, p.region, p.service);
  r.string_to_sign = string_to_sign(date_time, scope, r.canonical_request);
  r.signature = signature(signing_key(p.secret_access_key, date, p.region, p.service), r.string_to_sign);
  req.headers.emplace_back("Authorization",
                           authorization_header(p.access_key_id, scope, signed_headers, r.signature));
  if (!p.session_token.empty() && !p.sign_session_token)
    req.headers.emplace_back("X-Amz-Security-Token", std::string(p.session_token));
  return r;
}

SigningResult Signer::presign(SignableRequest& req, const SigningParams& p) {
  const std::string date_time = amz_date(p.time);
  const std::string date = date_time.substr(0, 8);
  std::string payload_hash =
      p.unsigned_payload ? std::string(kUnsignedPayload) : sha256_hex(req.body);
  Headers to_sign;
  to_sign.emplace_back("host", req.host);
  for (const auto& h : req.headers) {
    std::string lower = ascii_lower(h.first);
    if (lower == "host" || is_unsigned_header(lower)) continue;
    to_sign.push_back(h);
  }
  std::string scope = credential_scope(date, p.region, p.service);
  std::string signed_headers = canonical_headers(to_sign).signed_headers;
  std::string q = req.query;
  auto add = [&q](std::string_view k, std::string_view v) {
    if (!q.empty()) q.push_back('&');
    q += percent_encode(k);
    q.push_back('=');
    q += percent_encode(v);
  };
  add("X-Amz-Algorithm", kAlgorithm);
  add("X-Amz-Credential", std::string(p.access_key_id) + "/" + scope);
  add("X-Amz-Date", date_time);
  add("X-Amz-SignedHeaders", signed_headers);
  add("X-Amz-Expires", std::to_string(p.expires.count()));
  if (!p.session_token.empty() && p.sign_session_token) add("X-Amz-Security-Token", p.session_token);
  SigningResult r;
  r.canonical_request = canonical_request(
      {req.method, req.path, q, &to_sign, payload_hash, p.normalize_path, p.double_encode});
  r.string_to_sign = string_to_sign(date_time, scope, r.canonical_request);
  r.signature = signature(signing_key(p.secret_access_key, date, p.region, p.service), r.string_to_sign);
  if (!p.session_token.empty() && !p.sign_session_token) add("X-Amz-Security-Token", p.session_token);
  add("X-Amz-Signature", r.signature);
  req.query = std::move(q);
  return r;
}

Result<VerifyResult> verify(
    const IncomingRequest& req,
    const std::function<std::optional<std::string>(std::string_view)>& secret_for,
    const VerifyOptions& options) {
  static const Headers kNone;
  const Headers& all = req.headers ? *req.headers : kNone;
  auto find = [&all](std::string_view name) -> const std::string* {
    for (const auto& h : all)
      if (ascii_lower(h.first) == name) return &h.second;
    return nullptr;
  };
  const std::string* authz = find("authorization");
  if (!authz)
    return Error(ErrorCode::kUnauthenticated, "Request is missing Authentication Token",
                 "MissingAuthenticationToken");
  auto parsed = parse_authorization(*authz);
  if (!parsed.ok()) return std::move(parsed).error();
  VerifyResult out;
  out.auth = std::move(parsed).value();
  const std::string* date_hdr = find("x-amz-date");
  if (!date_hdr) date_hdr = find("date");
  if (!date_hdr)
    return Error(ErrorCode::kUnauthenticated, "Request is missing X-Amz-Date", "IncompleteSignature");
  auto when = parse_amz_date(*date_hdr);
  if (!when || date_hdr->substr(0, 8) != out.auth.date)
    return Error(ErrorCode::kUnauthenticated, "X-Amz-Date does not match the credential scope",
                 "IncompleteSignature");
  if (*when > options.now + options.max_skew || *when < options.now - options.max_skew)
    return Error(ErrorCode::kUnauthenticated, "Signature expired: the request time is too skewed",
                 "RequestExpired");
  bool signs_host = false;
  Headers signed_values;
  for (const auto& name : out.auth.signed_headers) {
    if (name == "host") signs_host = true;
    bool found = false;
    for (const auto& h : all) {
      if (ascii_lower(h.first) == name) {
        signed_values.emplace_back(name, h.second);
        found = true;
      }
    }
    if (!found)
      return Error(ErrorCode::kUnauthenticated, "A signed header is missing from the request",
                   "SignatureDoesNotMatch");
  }
  if (!signs_host)
    return Error(ErrorCode::kUnauthenticated, "The host header must be signed", "SignatureDoesNotMatch");
  auto secret = secret_for(out.auth.access_key_id);
  if (!secret)
    return Error(ErrorCode::kUnauthenticated,
                 "The security token included in the request is invalid", "InvalidClientTokenId");
  const std::string* content_sha = find("x-amz-content-sha256");
  std::string payload_hash = content_sha ? *content_sha : sha256_hex(req.body);
  if (content_sha && *content_sha != kUnsignedPayload && *content_sha != sha256_hex(req.body))
    return Error(ErrorCode::kUnauthenticated, "x-amz-content-sha256 does not match the body",
                 "SignatureDoesNotMatch");
  out.canonical_request = canonical_request({req.method, req.path, req.query, &signed_values,
                                             payload_hash, options.normalize_path,
                                             options.double_encode});
  std::string scope = credential_scope(out.auth.date, out.auth.region, out.auth.service);
  out.string_to_sign = string_to_sign(*date_hdr, scope, out.canonical_request);
  std::string expected = signature(
      derive_signing_key(*secret, out.auth.date, out.auth.region, out.auth.service), out.string_to_sign);
  if (expected.size() != out.auth.signature.size() ||
      CRYPTO_memcmp(expected.data(), out.auth.signature.data(), expected.size()) != 0)
    return Error(ErrorCode::kUnauthenticated,
                 "The request signature we calculated does not match the signature you provided",
                 "SignatureDoesNotMatch");
  return out;
}

}  // namespace appsignals::aws::sigv4

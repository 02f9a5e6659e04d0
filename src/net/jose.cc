#include "net/jose.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <boost/json/parse.hpp>

#include "common/encoding.h"

namespace appsignals::net::jose {
namespace json = boost::json;
namespace {

// Token header values reach the (pre-authentication) log line of the refusal: printable ASCII
// only, at most 32 characters, so a crafted header cannot forge or flood log lines.
std::string loggable(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (out.size() >= 32) {
      out += "...";
      break;
    }
    out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  return out;
}

Error bad_key(std::string why) { return Error{ErrorCode::kInvalidArgument, "JWK: " + std::move(why)}; }
Error refused(std::string why) { return Error{ErrorCode::kUnauthenticated, std::move(why)}; }

std::string str(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::shared_ptr<evp_pkey_st> own(EVP_PKEY* pkey) { return {pkey, EVP_PKEY_free}; }

Result<std::shared_ptr<evp_pkey_st>> rsa_key(const json::object& jwk) {
  auto n = base64url_decode(str(jwk, "n"));
  auto e = base64url_decode(str(jwk, "e"));
  if (!n || !e || n->empty() || e->empty()) return bad_key("RSA key without valid n and e");
  if (n->size() < 256) return bad_key("RSA key shorter than 2048 bits");
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn_n(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()), static_cast<int>(n->size()), nullptr), BN_free);
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn_e(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()), static_cast<int>(e->size()), nullptr), BN_free);
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  if (!bn_n || !bn_e || !bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()))
    return bad_key("RSA parameters");
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(bld.get()), OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr),
                                                                  EVP_PKEY_CTX_free);
  EVP_PKEY* pkey = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0)
    return bad_key("RSA key rejected by OpenSSL");
  return own(pkey);
}

Result<std::shared_ptr<evp_pkey_st>> ec_key(const json::object& jwk) {
  if (str(jwk, "crv") != "P-256") return bad_key("EC curve other than P-256");
  auto x = base64url_decode(str(jwk, "x"));
  auto y = base64url_decode(str(jwk, "y"));
  if (!x || !y || x->size() != 32 || y->size() != 32) return bad_key("EC key without 32-byte x and y");
  std::string point = "\x04" + *x + *y;
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()))
    return bad_key("EC parameters");
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(bld.get()), OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr),
                                                                  EVP_PKEY_CTX_free);
  EVP_PKEY* pkey = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0)
    return bad_key("EC point rejected by OpenSSL (not on P-256)");
  return own(pkey);
}

Result<std::shared_ptr<evp_pkey_st>> okp_key(const json::object& jwk) {
  if (str(jwk, "crv") != "Ed25519") return bad_key("OKP curve other than Ed25519");
  auto x = base64url_decode(str(jwk, "x"));
  if (!x || x->size() != 32) return bad_key("Ed25519 key without a 32-byte x");
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                               reinterpret_cast<const unsigned char*>(x->data()), x->size());
  if (!pkey) return bad_key("Ed25519 key rejected by OpenSSL");
  return own(pkey);
}

// The key type an algorithm needs.
std::string_view kty_for(std::string_view alg) {
  if (alg == "RS256" || alg == "PS256") return "RSA";
  if (alg == "ES256") return "EC";
  if (alg == "EdDSA") return "OKP";
  return {};
}

// JOSE ECDSA signatures are r||s (32 bytes each for P-256); OpenSSL wants DER.
std::optional<std::string> ecdsa_der(std::string_view raw) {
  if (raw.size() != 64) return std::nullopt;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  if (!sig) return std::nullopt;
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  if (!r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

std::optional<std::int64_t> int_claim(const json::object& claims, std::string_view name) {
  auto* v = claims.if_contains(name);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
  return std::nullopt;
}

}  // namespace

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string b64(text);
  for (char& c : b64) {
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
    else if (c == '+' || c == '/' || c == '=') return std::nullopt;  // not base64url
  }
  if (b64.size() % 4 == 1) return std::nullopt;
  while (b64.size() % 4 != 0) b64.push_back('=');
  return base64_decode(b64);
}

std::string base64url_encode(std::string_view bytes) {
  std::string out = base64_encode(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    else if (c == '/') c = '_';
  }
  return out;
}

Result<Jwk> parse_jwk(const json::object& jwk) {
  Jwk key;
  key.kid = str(jwk, "kid");
  key.kty = str(jwk, "kty");
  key.alg = str(jwk, "alg");
  if (auto use = str(jwk, "use"); !use.empty() && use != "sig") return bad_key("use is not sig");
  if (!key.alg.empty() && !algorithm_supported(key.alg)) return bad_key("unsupported alg " + key.alg);
  Result<std::shared_ptr<evp_pkey_st>> pkey = bad_key("unsupported kty '" + key.kty + "'");
  if (key.kty == "RSA") pkey = rsa_key(jwk);
  else if (key.kty == "EC") pkey = ec_key(jwk);
  else if (key.kty == "OKP") pkey = okp_key(jwk);
  if (!pkey) return pkey.error();
  if (!key.alg.empty() && kty_for(key.alg) != key.kty) return bad_key("alg " + key.alg + " does not fit kty " + key.kty);
  key.pkey = std::move(*pkey);
  return key;
}

Result<std::vector<Jwk>> parse_jwks(std::string_view text) {
  boost::system::error_code ec;
  auto doc = json::parse(text, ec);
  if (ec || !doc.is_object()) return Error{ErrorCode::kInvalidArgument, "JWKS is not a JSON object"};
  auto* keys = doc.as_object().if_contains("keys");
  if (!keys || !keys->is_array()) return Error{ErrorCode::kInvalidArgument, "JWKS has no \"keys\" array"};
  std::vector<Jwk> out;
  for (const auto& k : keys->as_array()) {
    if (!k.is_object()) continue;
    if (auto key = parse_jwk(k.as_object())) out.push_back(std::move(*key));
  }
  return out;
}

bool algorithm_supported(std::string_view alg) { return !kty_for(alg).empty(); }

Result<Jws> parse_jws(std::string_view token) {
  const auto d1 = token.find('.');
  const auto d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d1 == std::string_view::npos || d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos)
    return refused("not a JWT (expected three dot-separated parts)");
  auto header_raw = base64url_decode(token.substr(0, d1));
  auto payload_raw = base64url_decode(token.substr(d1 + 1, d2 - d1 - 1));
  auto sig = base64url_decode(token.substr(d2 + 1));
  if (!header_raw || !payload_raw || !sig) return refused("JWT part is not base64url");
  boost::system::error_code ec;
  auto header = json::parse(*header_raw, ec);
  if (ec || !header.is_object()) return refused("JWT header is not a JSON object");
  Jws jws;
  jws.alg = str(header.as_object(), "alg");
  jws.kid = str(header.as_object(), "kid");
  if (jws.alg == "none" || jws.alg.empty()) return refused("unsigned JWT (alg none) refused");
  if (!algorithm_supported(jws.alg)) return refused("JWT algorithm " + loggable(jws.alg) + " not accepted (RS256, PS256, ES256, EdDSA)");
  if (header.as_object().contains("crit")) return refused("JWT header has crit extensions");
  if (auto typ = str(header.as_object(), "typ"); !typ.empty()) {
    // RFC 9068 access tokens say at+jwt; plain JWT is what most servers send. Anything else
    // (an ID token says JWT too, so no stronger check is possible here) is refused.
    std::string lower;
    for (char c : typ) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lower != "jwt" && lower != "at+jwt" && lower != "application/at+jwt")
      return refused("JWT typ " + loggable(typ) + " is not an access token");
  }
  auto payload = json::parse(*payload_raw, ec);
  if (ec || !payload.is_object()) return refused("JWT payload is not a JSON object");
  jws.claims = std::move(payload.as_object());
  jws.signing_input = std::string(token.substr(0, d2));
  jws.signature = std::move(*sig);
  return jws;
}

bool verify(const Jws& jws, const Jwk& key) {
  if (!key.pkey || kty_for(jws.alg) != key.kty) return false;
  if (!key.alg.empty() && key.alg != jws.alg) return false;
  std::string sig = jws.signature;
  if (jws.alg == "ES256") {
    auto der = ecdsa_der(jws.signature);
    if (!der) return false;
    sig = std::move(*der);
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx) return false;
  EVP_PKEY_CTX* pctx = nullptr;
  const EVP_MD* md = jws.alg == "EdDSA" ? nullptr : EVP_sha256();
  if (EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, key.pkey.get()) != 1) return false;
  if (jws.alg == "PS256") {
    // RFC 7518 §3.5: MGF1 with SHA-256, salt as long as the hash.
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) != 1)
      return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(jws.signing_input.data()),
                          jws.signing_input.size()) == 1;
}

std::vector<std::string> scopes_of(const json::object& claims) {
  std::vector<std::string> out;
  auto add_words = [&out](std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && text[i] == ' ') ++i;
      auto j = text.find(' ', i);
      if (j == std::string_view::npos) j = text.size();
      if (j > i) out.emplace_back(text.substr(i, j - i));
      i = j;
    }
  };
  if (auto* s = claims.if_contains("scope"); s && s->is_string()) add_words(s->as_string());
  if (auto* s = claims.if_contains("scp")) {
    if (s->is_string()) add_words(s->as_string());
    if (s->is_array())
      for (const auto& v : s->as_array())
        if (v.is_string()) out.emplace_back(v.as_string());
  }
  return out;
}

Result<TokenClaims> check_claims(const json::object& claims, const ClaimPolicy& policy, std::int64_t now) {
  TokenClaims out;
  out.issuer = str(claims, "iss");
  if (out.issuer != policy.issuer) return refused("token issuer is not the configured issuer");
  bool aud_ok = false;
  auto matches = [&policy](std::string_view aud) {
    for (const auto& a : policy.audiences)
      if (a == aud) return true;
    return false;
  };
  if (auto* aud = claims.if_contains("aud")) {
    if (aud->is_string()) aud_ok = matches(aud->as_string());
    if (aud->is_array())
      for (const auto& v : aud->as_array())
        if (v.is_string() && matches(v.as_string())) aud_ok = true;
  }
  if (!aud_ok) return refused("token audience does not include this resource");
  const auto skew = policy.skew.count();
  auto exp = int_claim(claims, "exp");
  if (!exp) return refused("token has no exp");
  if (now > *exp + skew) return refused("token expired");
  if (auto nbf = int_claim(claims, "nbf"); nbf && now + skew < *nbf) return refused("token not valid yet (nbf)");
  if (auto iat = int_claim(claims, "iat"); iat && now + skew < *iat) return refused("token issued in the future (iat)");
  out.subject = str(claims, "sub");
  if (out.subject.empty()) {
    // Client-credentials tokens of some servers carry client_id instead of sub.
    out.subject = str(claims, "client_id");
    if (out.subject.empty()) return refused("token has no sub");
    out.subject = "client:" + out.subject;
  }
  out.expires_at = exp;
  out.scopes = scopes_of(claims);
  out.claims = claims;
  return out;
}

}  // namespace appsignals::net::jose

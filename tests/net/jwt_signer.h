#pragma once
// Test helper: keys generated in the test (OpenSSL) and JWS compact tokens signed with them,
// for RS256, PS256, ES256 and EdDSA, with the matching public JWK.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <memory>
#include <stdexcept>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "net/jose.h"

namespace appsignals::net::testing {

class JwtSigner {
 public:
  // alg: RS256, PS256, ES256 or EdDSA.
  explicit JwtSigner(std::string alg, std::string kid = "k1") : alg_(std::move(alg)), kid_(std::move(kid)) {
    EVP_PKEY* k = nullptr;
    if (alg_ == "RS256" || alg_ == "PS256") k = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
    else if (alg_ == "ES256") k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    else k = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (!k) throw std::runtime_error("keygen");
    key_.reset(k, EVP_PKEY_free);
  }

  const std::string& kid() const { return kid_; }
  const std::string& alg() const { return alg_; }

  boost::json::object jwk() const {
    boost::json::object o;
    o["kid"] = kid_;
    o["use"] = "sig";
    o["alg"] = alg_;
    if (alg_ == "RS256" || alg_ == "PS256") {
      o["kty"] = "RSA";
      o["n"] = jose::base64url_encode(bn(OSSL_PKEY_PARAM_RSA_N));
      o["e"] = jose::base64url_encode(bn(OSSL_PKEY_PARAM_RSA_E));
    } else if (alg_ == "ES256") {
      o["kty"] = "EC";
      o["crv"] = "P-256";
      unsigned char buf[65];
      size_t len = 0;
      EVP_PKEY_get_octet_string_param(key_.get(), OSSL_PKEY_PARAM_PUB_KEY, buf, sizeof buf, &len);
      std::string point(reinterpret_cast<char*>(buf), len);
      o["x"] = jose::base64url_encode(point.substr(1, 32));
      o["y"] = jose::base64url_encode(point.substr(33, 32));
    } else {
      o["kty"] = "OKP";
      o["crv"] = "Ed25519";
      unsigned char buf[32];
      size_t len = sizeof buf;
      EVP_PKEY_get_raw_public_key(key_.get(), buf, &len);
      o["x"] = jose::base64url_encode(std::string(reinterpret_cast<char*>(buf), len));
    }
    return o;
  }

  std::string jwks() const {
    boost::json::object doc;
    boost::json::array keys;
    keys.push_back(jwk());
    doc["keys"] = std::move(keys);
    return boost::json::serialize(doc);
  }

  // A compact JWS over `claims`; header_alg overrides the header's alg (for refusals).
  std::string sign(const boost::json::object& claims, std::string header_alg = {}) const {
    boost::json::object header;
    header["alg"] = header_alg.empty() ? alg_ : header_alg;
    header["typ"] = "at+jwt";
    header["kid"] = kid_;
    std::string input = jose::base64url_encode(boost::json::serialize(header)) + "." +
                        jose::base64url_encode(boost::json::serialize(claims));
    return input + "." + jose::base64url_encode(signature(input));
  }

 private:
  std::string bn(const char* name) const {
    BIGNUM* b = nullptr;
    EVP_PKEY_get_bn_param(key_.get(), name, &b);
    std::string out(static_cast<size_t>(BN_num_bytes(b)), '\0');
    BN_bn2bin(b, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(b);
    return out;
  }

  std::string signature(const std::string& input) const {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_PKEY_CTX* pctx = nullptr;
    EVP_DigestSignInit(ctx.get(), &pctx, alg_ == "EdDSA" ? nullptr : EVP_sha256(), nullptr, key_.get());
    if (alg_ == "PS256") {
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
      EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
    }
    size_t len = 0;
    EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    sig.resize(len);
    if (alg_ != "ES256") return sig;
    // DER → r||s
    const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(es);
    return raw;
  }

  std::string alg_;
  std::string kid_;
  std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace appsignals::net::testing

#include "net/jose.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "net/jwt_signer.h"

namespace appsignals::net::jose {
namespace {

using testing::JwtSigner;
namespace json = boost::json;

constexpr std::int64_t kNow = 1'800'000'000;
constexpr const char* kIssuer = "https://as.example";
constexpr const char* kResource = "https://mcp.example/mcp";

json::object good_claims() {
  json::object c;
  c["iss"] = kIssuer;
  c["sub"] = "alice";
  c["aud"] = kResource;
  c["exp"] = kNow + 300;
  c["iat"] = kNow - 10;
  c["scope"] = "appsignals:read openid";
  return c;
}

ClaimPolicy policy() {
  ClaimPolicy p;
  p.issuer = kIssuer;
  p.audiences = {kResource};
  return p;
}

Jwk key_of(const JwtSigner& s) {
  auto k = parse_jwk(s.jwk());
  EXPECT_TRUE(k.ok()) << (k.ok() ? "" : k.error().message);
  return *k;
}

class EachAlgorithm : public ::testing::TestWithParam<const char*> {};

TEST_P(EachAlgorithm, ValidTokenVerifies) {
  JwtSigner signer(GetParam());
  auto jws = parse_jws(signer.sign(good_claims()));
  ASSERT_TRUE(jws.ok()) << jws.error().message;
  EXPECT_EQ(jws->alg, GetParam());
  EXPECT_TRUE(verify(*jws, key_of(signer)));
  auto claims = check_claims(jws->claims, policy(), kNow);
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->subject, "alice");
  EXPECT_EQ(claims->scopes, (std::vector<std::string>{"appsignals:read", "openid"}));
}

TEST_P(EachAlgorithm, AlteredPayloadFailsVerification) {
  JwtSigner signer(GetParam());
  auto token = signer.sign(good_claims());
  auto other = signer.sign([] {
    auto c = good_claims();
    c["sub"] = "mallory";
    return c;
  }());
  // Header and signature of the first, payload of the second.
  auto d1 = token.find('.'), d2 = token.rfind('.');
  auto o1 = other.find('.'), o2 = other.rfind('.');
  std::string spliced = token.substr(0, d1) + other.substr(o1, o2 - o1) + token.substr(d2);
  auto jws = parse_jws(spliced);
  ASSERT_TRUE(jws.ok());
  EXPECT_FALSE(verify(*jws, key_of(signer)));
}

TEST_P(EachAlgorithm, OtherKeyOfSameTypeFails) {
  JwtSigner signer(GetParam());
  JwtSigner stranger(GetParam());
  auto jws = parse_jws(signer.sign(good_claims()));
  ASSERT_TRUE(jws.ok());
  EXPECT_FALSE(verify(*jws, key_of(stranger)));
}

INSTANTIATE_TEST_SUITE_P(Jose, EachAlgorithm, ::testing::Values("RS256", "PS256", "ES256", "EdDSA"));

TEST(Jose, AlgNoneIsRefused) {
  auto header = base64url_encode(R"({"alg":"none","typ":"JWT"})");
  auto payload = base64url_encode(json::serialize(good_claims()));
  auto jws = parse_jws(header + "." + payload + ".");
  ASSERT_FALSE(jws.ok());
  EXPECT_NE(jws.error().message.find("none"), std::string::npos);
}

TEST(Jose, HmacAlgorithmsAreRefused) {
  for (const char* alg : {"HS256", "HS384", "HS512", "RS384", "ES512"}) {
    JwtSigner signer("RS256");
    auto jws = parse_jws(signer.sign(good_claims(), alg));
    EXPECT_FALSE(jws.ok()) << alg;
  }
}

TEST(Jose, KeyOfAnotherTypeNeverVerifies) {
  // An RS256 header with an EC key (algorithm confusion) and vice versa.
  JwtSigner rsa("RS256");
  JwtSigner ec("ES256");
  auto jws = parse_jws(rsa.sign(good_claims()));
  ASSERT_TRUE(jws.ok());
  EXPECT_FALSE(verify(*jws, key_of(ec)));
  // A PS256 token is not verified by a key restricted to RS256.
  JwtSigner ps("PS256");
  auto ps_jws = parse_jws(ps.sign(good_claims()));
  auto restricted = key_of(ps);
  restricted.alg = "RS256";
  EXPECT_FALSE(verify(*ps_jws, restricted));
}

TEST(Jose, MalformedTokensAreRefused) {
  EXPECT_FALSE(parse_jws("").ok());
  EXPECT_FALSE(parse_jws("abc").ok());
  EXPECT_FALSE(parse_jws("a.b").ok());
  EXPECT_FALSE(parse_jws("a.b.c.d").ok());
  EXPECT_FALSE(parse_jws("!!.??.**").ok());
}

TEST(Jose, WrongIssuerIsRefused) {
  auto c = good_claims();
  c["iss"] = "https://evil.example";
  EXPECT_FALSE(check_claims(c, policy(), kNow).ok());
}

TEST(Jose, AudienceMustContainTheResource) {
  auto c = good_claims();
  c["aud"] = "https://other.example/mcp";
  EXPECT_FALSE(check_claims(c, policy(), kNow).ok());
  json::array auds;
  auds.push_back("https://other.example");
  auds.push_back(json::value(kResource));
  c["aud"] = auds;
  EXPECT_TRUE(check_claims(c, policy(), kNow).ok());
  c.erase("aud");
  EXPECT_FALSE(check_claims(c, policy(), kNow).ok());
}

TEST(Jose, ExpiryAllowsSixtySecondsOfSkew) {
  auto c = good_claims();
  c["exp"] = kNow - 59;
  EXPECT_TRUE(check_claims(c, policy(), kNow).ok());
  c["exp"] = kNow - 61;
  auto r = check_claims(c, policy(), kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("expired"), std::string::npos);
  c.erase("exp");
  EXPECT_FALSE(check_claims(c, policy(), kNow).ok());
}

TEST(Jose, NotBeforeAllowsSixtySecondsOfSkew) {
  auto c = good_claims();
  c["nbf"] = kNow + 59;
  EXPECT_TRUE(check_claims(c, policy(), kNow).ok());
  c["nbf"] = kNow + 61;
  EXPECT_FALSE(check_claims(c, policy(), kNow).ok());
}

TEST(Jose, ScopesFromScpArray) {
  json::object c;
  json::array scp;
  scp.push_back("a");
  scp.push_back("b");
  c["scp"] = scp;
  EXPECT_EQ(scopes_of(c), (std::vector<std::string>{"a", "b"}));
}

TEST(Jose, JwksSkipsUnusableKeys) {
  JwtSigner rsa("RS256");
  json::object doc;
  json::array keys;
  keys.push_back(rsa.jwk());
  json::object enc = rsa.jwk();
  enc["use"] = "enc";
  keys.push_back(enc);
  json::object hmac;
  hmac["kty"] = "oct";
  hmac["k"] = "c2VjcmV0";
  keys.push_back(hmac);
  json::object p384;
  p384["kty"] = "EC";
  p384["crv"] = "P-384";
  keys.push_back(p384);
  doc["keys"] = keys;
  auto parsed = parse_jwks(json::serialize(doc));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->size(), 1u);
  EXPECT_FALSE(parse_jwks("[]").ok());
  EXPECT_FALSE(parse_jwks("{\"keys\":1}").ok());
}

TEST(Jose, EcPointOffTheCurveIsRefused) {
  JwtSigner ec("ES256");
  auto jwk = ec.jwk();
  jwk["y"] = base64url_encode(std::string(32, '\x01'));
  EXPECT_FALSE(parse_jwk(jwk).ok());
}

}  // namespace
}  // namespace appsignals::net::jose

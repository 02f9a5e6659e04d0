#include "net/authenticator.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

namespace appsignals::net {
namespace {

Request with_header(std::string_view name, std::string_view value) {
  Request r;
  r.message.method(http::verb::post);
  r.message.target("/mcp");
  r.message.set(name, value);
  return r;
}

constexpr std::string_view kKeyA = "key-alpha-0123456789";
constexpr std::string_view kKeyB = "key-bravo-9876543210";

TEST(ApiKeyAuthenticator, BearerKeyIsAccepted) {
  ApiKeyAuthenticator auth({std::string(kKeyA)});
  EXPECT_TRUE(auth.authenticate(with_header("Authorization", "Bearer " + std::string(kKeyA))).ok);
}

TEST(ApiKeyAuthenticator, BearerSchemeIsCaseInsensitive) {
  ApiKeyAuthenticator auth({std::string(kKeyA)});
  EXPECT_TRUE(auth.authenticate(with_header("Authorization", "bearer " + std::string(kKeyA))).ok);
}

TEST(ApiKeyAuthenticator, XApiKeyHeaderIsAccepted) {
  ApiKeyAuthenticator auth({std::string(kKeyA)});
  EXPECT_TRUE(auth.authenticate(with_header("X-API-Key", kKeyA)).ok);
}

TEST(ApiKeyAuthenticator, WrongKeyIsRejected) {
  ApiKeyAuthenticator auth({std::string(kKeyA)});
  EXPECT_FALSE(auth.authenticate(with_header("Authorization", "Bearer wrong")).ok);
  EXPECT_FALSE(auth.authenticate(with_header("X-API-Key", "wrong")).ok);
  // A prefix of the key is not the key.
  EXPECT_FALSE(auth.authenticate(with_header("X-API-Key", kKeyA.substr(0, 5))).ok);
}

TEST(ApiKeyAuthenticator, MissingCredentialsAreRejected) {
  ApiKeyAuthenticator auth({std::string(kKeyA)});
  Request r;
  EXPECT_FALSE(auth.authenticate(r).ok);
  EXPECT_FALSE(auth.authenticate(with_header("Authorization", "Basic " + std::string(kKeyA))).ok);
}

TEST(ApiKeyAuthenticator, OutcomeSaysWhetherTheKeyWasMissingOrRejected) {
  ApiKeyAuthenticator auth({std::string(kKeyA)});
  EXPECT_EQ(auth.authenticate(Request{}).failure, AuthFailure::kMissing);
  EXPECT_EQ(auth.authenticate(with_header("Authorization", "Basic " + std::string(kKeyA))).failure,
            AuthFailure::kMissing);
  EXPECT_EQ(auth.authenticate(with_header("Authorization", "Bearer wrong")).failure, AuthFailure::kRejected);
  EXPECT_EQ(auth.authenticate(with_header("X-API-Key", "wrong")).failure, AuthFailure::kRejected);
  EXPECT_EQ(auth.authenticate(with_header("X-API-Key", kKeyA)).failure, AuthFailure::kNone);
}

TEST(ApiKeyAuthenticator, ChallengeAsksForAMissingKeyAndReportsARejectedOne) {
  ApiKeyAuthenticator auth({std::string(kKeyA)});
  auto missing = auth.challenge(AuthFailure::kMissing);
  EXPECT_EQ(missing.message.rfind("API key required", 0), 0u) << missing.message;
  EXPECT_NE(missing.message.find("Authorization: Bearer <key>"), std::string::npos);
  EXPECT_NE(missing.message.find("X-API-Key: <key>"), std::string::npos);
  EXPECT_EQ(missing.www_authenticate, R"(Bearer realm="appsignals-mcp")");
  auto rejected = auth.challenge(AuthFailure::kRejected);
  EXPECT_EQ(rejected.message.rfind("API key rejected", 0), 0u) << rejected.message;
  EXPECT_EQ(rejected.www_authenticate, R"(Bearer realm="appsignals-mcp", error="invalid_token")");
  for (const auto& c : {missing, rejected}) {
    // No OAuth discovery is advertised, and no text mcp-remote reads as "sign in with a browser".
    EXPECT_EQ(c.www_authenticate.find("resource_metadata"), std::string::npos);
    EXPECT_EQ(c.message.find("Unauthorized"), std::string::npos) << c.message;
    EXPECT_NE(c.message.find("not OAuth"), std::string::npos) << c.message;
    EXPECT_EQ(c.message.find(kKeyA), std::string::npos);
  }
}

TEST(ApiKeyAuthenticator, EveryConfiguredKeyIsAccepted) {
  ApiKeyAuthenticator auth({std::string(kKeyA), std::string(kKeyB)});
  EXPECT_EQ(auth.key_count(), 2u);
  EXPECT_TRUE(auth.authenticate(with_header("X-API-Key", kKeyA)).ok);
  EXPECT_TRUE(auth.authenticate(with_header("X-API-Key", kKeyB)).ok);
}

TEST(ApiKeyAuthenticator, SetKeysRotatesOldKeysOut) {
  ApiKeyAuthenticator auth({std::string(kKeyA)});
  auth.set_keys({std::string(kKeyB)});
  EXPECT_FALSE(auth.authenticate(with_header("X-API-Key", kKeyA)).ok);
  EXPECT_TRUE(auth.authenticate(with_header("X-API-Key", kKeyB)).ok);
}

TEST(ApiKeyAuthenticator, EmptyKeyNeverMatches) {
  ApiKeyAuthenticator auth({std::string(), std::string(kKeyA)});
  EXPECT_EQ(auth.key_count(), 1u);  // the empty key is dropped
  EXPECT_FALSE(auth.authenticate(with_header("X-API-Key", "")).ok);
  EXPECT_FALSE(auth.authenticate(with_header("Authorization", "Bearer ")).ok);
  EXPECT_FALSE(auth.authenticate(with_header("Authorization", "Bearer    ")).ok);
  ApiKeyAuthenticator none({std::string()});
  EXPECT_FALSE(none.authenticate(with_header("X-API-Key", "")).ok);
  EXPECT_FALSE(none.authenticate(with_header("Authorization", "Bearer")).ok);
}

TEST(ApiKeyAuthenticator, PrincipalDiffersPerKeyAndNeverContainsTheKey) {
  ApiKeyAuthenticator auth({std::string(kKeyA), std::string(kKeyB)});
  auto a = auth.authenticate(with_header("X-API-Key", kKeyA));
  auto b = auth.authenticate(with_header("Authorization", "Bearer " + std::string(kKeyB)));
  ASSERT_TRUE(a.ok);
  ASSERT_TRUE(b.ok);
  EXPECT_FALSE(a.principal.empty());
  EXPECT_NE(a.principal, b.principal);
  EXPECT_EQ(a.principal.find(kKeyA), std::string::npos);
  EXPECT_EQ(b.principal.find(kKeyB), std::string::npos);
  // Same key through either header: same principal.
  EXPECT_EQ(auth.authenticate(with_header("Authorization", "Bearer " + std::string(kKeyA))).principal,
            a.principal);
}

// Cluster mode: the same key must be the same principal on every instance (session records in
// Redis are bound to it), so with a shared secret the principal is a fixed function of the key
// and the secret, computed here independently of the process; without one it is per process.
TEST(ApiKeyAuthenticator, PrincipalWithASharedSecretIsTheSameInEveryProcess) {
  auto digest = [](const std::string& data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<const char*>(md), len);
  };
  auto expected = [&](const std::string& secret, const std::string& key) {
    const std::string k = digest("appsignals-mcp api-key principal\n" + secret);
    const std::string d = digest(key);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), k.data(), static_cast<int>(k.size()), reinterpret_cast<const unsigned char*>(d.data()),
         d.size(), mac, &len);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "api-key:";
    for (unsigned i = 0; i < 8; ++i) {
      out.push_back(kHex[mac[i] >> 4]);
      out.push_back(kHex[mac[i] & 0x0f]);
    }
    return out;
  };
  ApiKeyAuthenticator random_secret({std::string(kKeyA)});
  ApiKeyAuthenticator shared({std::string(kKeyA)});
  shared.set_principal_secret("the-state-key-of-every-instance");
  auto p = shared.authenticate(with_header("X-API-Key", kKeyA)).principal;
  EXPECT_EQ(p, expected("the-state-key-of-every-instance", std::string(kKeyA)));
  EXPECT_NE(p, random_secret.authenticate(with_header("X-API-Key", kKeyA)).principal);
  shared.set_principal_secret("another-cluster");
  EXPECT_NE(shared.authenticate(with_header("X-API-Key", kKeyA)).principal, p);
}

// Sessions are bound to the principal (src/mcp/streamable_http.cc find_session). After a
// rotation that replaces key B with key C, C must not inherit B's principal, or C's holder can
// use sessions opened with B.
// BUG (src/net/authenticator.cc, authenticate): the principal is "api-key#<index in the list>",
// so a new key placed at a rotated-out key's index gets the same identity. Disabled until fixed.
TEST(ApiKeyAuthenticator, PrincipalIsNotReassignedToAnotherKeyByRotation) {
  const std::string key_c = "key-charlie-5555555555";
  ApiKeyAuthenticator auth({std::string(kKeyA), std::string(kKeyB)});
  auto before = auth.authenticate(with_header("X-API-Key", kKeyB));
  ASSERT_TRUE(before.ok);
  auth.set_keys({std::string(kKeyA), key_c});
  auto after = auth.authenticate(with_header("X-API-Key", key_c));
  ASSERT_TRUE(after.ok);
  EXPECT_NE(after.principal, before.principal);
}

TEST(ApiKeyAuthenticator, PresentedKeyIsTrimmedAndPrefersAuthorization) {
  auto r = with_header("Authorization", "  Bearer   abc  ");
  r.message.set("X-API-Key", "xyz");
  auto key = ApiKeyAuthenticator::presented_key(r);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(*key, "abc");
  EXPECT_EQ(ApiKeyAuthenticator::presented_key(with_header("X-API-Key", " xyz ")).value_or(""), "xyz");
}

TEST(ApiKeyAuthenticator, ModeIsApiKey) {
  EXPECT_EQ(ApiKeyAuthenticator({}).mode(), "api-key");
}

TEST(SplitList, TrimsItemsAndDropsEmptyOnes) {
  EXPECT_EQ(split_list("a,b , c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(split_list(" , a,,b ,"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(split_list("").empty());
  EXPECT_TRUE(split_list(" ,  , ").empty());
}

TEST(SplitList, UsesTheGivenSeparator) {
  EXPECT_EQ(split_list("a;b c; d", ';'), (std::vector<std::string>{"a", "b c", "d"}));
  EXPECT_EQ(split_list("single"), (std::vector<std::string>{"single"}));
}

}  // namespace
}  // namespace appsignals::net

#include "net/authenticator.h"

#include <gtest/gtest.h>

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

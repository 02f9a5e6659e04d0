#include "net/oauth_authenticator.h"

#include <gtest/gtest.h>

#include <map>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/serialize.hpp>

#include "net/jwt_signer.h"

namespace appsignals::net {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using testing::JwtSigner;

constexpr const char* kIssuer = "https://as.example/tenant";
constexpr const char* kResource = "https://mcp.example/mcp";

// A fake authorization server: URL → body, and a count of fetches per URL.
struct FakeAs {
  std::map<std::string, std::string> docs;
  std::map<std::string, int> hits;
  std::string last_body;
};

asio::awaitable<Result<FetchResponse>> serve(std::shared_ptr<FakeAs> as, FetchRequest req) {
  ++as->hits[req.url];
  as->last_body = req.body;
  FetchResponse res;
  auto it = as->docs.find(req.url);
  if (it == as->docs.end()) {
    res.status = 404;
    co_return res;
  }
  res.status = 200;
  res.body = it->second;
  co_return res;
}

class OAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    json::object meta;
    meta["issuer"] = kIssuer;
    meta["jwks_uri"] = "https://as.example/jwks";
    // RFC 8414 form: the well-known segment before the issuer's path.
    as_->docs["https://as.example/.well-known/oauth-authorization-server/tenant"] = json::serialize(meta);
    as_->docs["https://as.example/jwks"] = signer_.jwks();
  }

  std::shared_ptr<OAuthAuthenticator> make(OAuthOptions o = {}) {
    o.issuer = kIssuer;
    o.resource = kResource;
    o.resource_metadata_url = "https://mcp.example/.well-known/oauth-protected-resource/mcp";
    o.now = [this] { return now_; };
    auto as = as_;
    Fetcher f = [as](FetchRequest req) { return serve(as, std::move(req)); };
    return std::make_shared<OAuthAuthenticator>(std::move(o), std::move(f));
  }

  json::object claims() const {
    json::object c;
    c["iss"] = kIssuer;
    c["sub"] = "alice";
    c["aud"] = kResource;
    c["exp"] = now_ + 300;
    c["scope"] = "appsignals:read";
    return c;
  }

  AuthOutcome run(const std::shared_ptr<OAuthAuthenticator>& auth, const std::string& token) {
    Request r;
    r.message.set("Authorization", "Bearer " + token);
    auto fut = asio::co_spawn(ioc_, auth->authenticate_async(r), asio::use_future);
    ioc_.restart();
    ioc_.run();
    return fut.get();
  }

  asio::io_context ioc_;
  std::int64_t now_ = 1'800'000'000;
  std::shared_ptr<FakeAs> as_ = std::make_shared<FakeAs>();
  JwtSigner signer_{"ES256", "key-1"};
};

TEST_F(OAuthTest, DiscoversTheJwksAndAcceptsAValidToken) {
  auto auth = make();
  auto out = run(auth, signer_.sign(claims()));
  ASSERT_TRUE(out.ok) << out.reason;
  EXPECT_EQ(out.principal, "oauth:https://as.example/tenant#alice");
  ASSERT_TRUE(out.scopes.has_value());
  EXPECT_EQ(*out.scopes, std::vector<std::string>{"appsignals:read"});
}

TEST_F(OAuthTest, FallsBackToOpenIdDiscovery) {
  json::object meta;
  meta["issuer"] = kIssuer;
  meta["jwks_uri"] = "https://as.example/jwks";
  as_->docs.clear();
  as_->docs["https://as.example/tenant/.well-known/openid-configuration"] = json::serialize(meta);
  as_->docs["https://as.example/jwks"] = signer_.jwks();
  EXPECT_TRUE(run(make(), signer_.sign(claims())).ok);
}

TEST_F(OAuthTest, MetadataOfAnotherIssuerIsNotUsed) {
  json::object meta;
  meta["issuer"] = "https://evil.example";
  meta["jwks_uri"] = "https://as.example/jwks";
  as_->docs["https://as.example/.well-known/oauth-authorization-server/tenant"] = json::serialize(meta);
  EXPECT_FALSE(run(make(), signer_.sign(claims())).ok);
}

TEST_F(OAuthTest, RefusalsSayRejectedWithAReason) {
  auto auth = make();
  auto c = claims();
  c["aud"] = "https://other.example/mcp";
  auto out = run(auth, signer_.sign(c));
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.failure, AuthFailure::kRejected);
  EXPECT_NE(out.reason.find("audience"), std::string::npos);
  c = claims();
  c["exp"] = now_ - 120;
  out = run(auth, signer_.sign(c));
  EXPECT_EQ(out.failure, AuthFailure::kRejected);
  EXPECT_NE(out.reason.find("expired"), std::string::npos);
  JwtSigner stranger("ES256", "unknown-kid");
  out = run(auth, stranger.sign(claims()));
  EXPECT_EQ(out.failure, AuthFailure::kRejected);
}

TEST_F(OAuthTest, MissingTokenIsMissing) {
  auto auth = make();
  Request r;
  auto fut = asio::co_spawn(ioc_, auth->authenticate_async(r), asio::use_future);
  ioc_.run();
  EXPECT_EQ(fut.get().failure, AuthFailure::kMissing);
  auto ch = auth->challenge(AuthFailure::kMissing);
  EXPECT_EQ(ch.www_authenticate,
            "Bearer resource_metadata=\"https://mcp.example/.well-known/oauth-protected-resource/mcp\"");
  EXPECT_NE(auth->challenge(AuthFailure::kRejected).www_authenticate.find("error=\"invalid_token\""),
            std::string::npos);
}

TEST_F(OAuthTest, RotatedKeyIsFetchedOnUnknownKid) {
  auto auth = make();
  ASSERT_TRUE(run(auth, signer_.sign(claims())).ok);
  // The AS rotates: the new key is published, the old one withdrawn.
  JwtSigner rotated("RS256", "key-2");
  as_->docs["https://as.example/jwks"] = rotated.jwks();
  now_ += 11;  // past the minimum refresh interval (10 s)
  EXPECT_TRUE(run(auth, rotated.sign(claims())).ok);
  EXPECT_EQ(as_->hits["https://as.example/jwks"], 2);
}

TEST_F(OAuthTest, UnknownKidRefreshesAtMostOncePerInterval) {
  auto auth = make();
  ASSERT_TRUE(run(auth, signer_.sign(claims())).ok);
  for (int i = 0; i < 20; ++i) {
    JwtSigner forged("ES256", "forged-" + std::to_string(i));
    EXPECT_FALSE(run(auth, forged.sign(claims())).ok);
  }
  EXPECT_EQ(as_->hits["https://as.example/jwks"], 1);  // all inside the 10 s interval
  now_ += 10;
  JwtSigner forged("ES256", "forged-late");
  EXPECT_FALSE(run(auth, forged.sign(claims())).ok);
  EXPECT_EQ(as_->hits["https://as.example/jwks"], 2);
}

TEST_F(OAuthTest, KeysAreRefetchedAfterTheirLifetime) {
  OAuthOptions o;
  o.jwks_lifetime = std::chrono::seconds(100);
  auto auth = make(o);
  ASSERT_TRUE(run(auth, signer_.sign(claims())).ok);
  ASSERT_TRUE(run(auth, signer_.sign(claims())).ok);
  EXPECT_EQ(as_->hits["https://as.example/jwks"], 1);
  now_ += 101;
  ASSERT_TRUE(run(auth, signer_.sign(claims())).ok);
  EXPECT_EQ(as_->hits["https://as.example/jwks"], 2);
}

TEST_F(OAuthTest, RequiredScopeMissingIsInsufficientScope) {
  OAuthOptions o;
  o.required_scopes = {"mcp:use"};
  auto auth = make(o);
  auto out = run(auth, signer_.sign(claims()));
  EXPECT_EQ(out.failure, AuthFailure::kInsufficientScope);
  EXPECT_EQ(out.reason, "mcp:use");
  EXPECT_EQ(auth->insufficient_scope_challenge("mcp:use"),
            "Bearer error=\"insufficient_scope\", scope=\"mcp:use\", resource_metadata=\"https://mcp.example/"
            ".well-known/oauth-protected-resource/mcp\"");
  auto c = claims();
  c["scope"] = "appsignals:read mcp:use";
  EXPECT_TRUE(run(auth, signer_.sign(c)).ok);
}

TEST_F(OAuthTest, ExtraAudiencesAreAccepted) {
  OAuthOptions o;
  o.audiences = {"api://appsignals"};
  auto auth = make(o);
  auto c = claims();
  c["aud"] = "api://appsignals";
  EXPECT_TRUE(run(auth, signer_.sign(c)).ok);
}

TEST_F(OAuthTest, OpaqueTokensGoToIntrospection) {
  OAuthOptions o;
  o.introspection_url = "https://as.example/introspect";
  o.introspection_client_id = "rs";
  o.introspection_client_secret = "s3cret";
  auto auth = make(o);
  json::object answer;
  answer["active"] = true;
  answer["sub"] = "bob";
  answer["aud"] = kResource;
  answer["exp"] = now_ + 60;
  answer["scope"] = "appsignals:read appsignals:write";
  as_->docs["https://as.example/introspect"] = json::serialize(answer);
  auto out = run(auth, "opaque-token-value");
  ASSERT_TRUE(out.ok) << out.reason;
  EXPECT_EQ(out.principal, "oauth:https://as.example/tenant#bob");
  EXPECT_NE(as_->last_body.find("token=opaque-token-value"), std::string::npos);
  answer["active"] = false;
  as_->docs["https://as.example/introspect"] = json::serialize(answer);
  EXPECT_FALSE(run(auth, "another-opaque-token").ok);
}

// Issue #18: introspection outcomes are cached by the token's hash: a token seen again within
// min(exp, 60 s) costs no POST, a refused one is refused from the cache for 10 s, and a failed
// POST (the AS unreachable) is not cached.
TEST_F(OAuthTest, IntrospectionOutcomesAreCachedBriefly) {
  OAuthOptions o;
  o.introspection_url = "https://as.example/introspect";
  auto auth = make(o);
  const std::string url = "https://as.example/introspect";
  json::object answer;
  answer["active"] = true;
  answer["sub"] = "bob";
  answer["aud"] = kResource;
  answer["exp"] = now_ + 30;
  as_->docs[url] = json::serialize(answer);
  ASSERT_TRUE(run(auth, "opaque-good").ok);
  ASSERT_TRUE(run(auth, "opaque-good").ok);
  EXPECT_EQ(as_->hits[url], 1) << "a token seen again was introspected again";
  // The answer would now say inactive, but the cached positive outcome holds until exp (30 s).
  answer["active"] = false;
  as_->docs[url] = json::serialize(answer);
  now_ += 29;
  EXPECT_TRUE(run(auth, "opaque-good").ok);
  EXPECT_EQ(as_->hits[url], 1);
  now_ += 1;
  EXPECT_FALSE(run(auth, "opaque-good").ok) << "a cached token outlived its exp";
  EXPECT_EQ(as_->hits[url], 2);

  // Junk tokens: each costs one POST, then is refused from the cache for 10 s.
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(run(auth, "junk-token").ok);
  EXPECT_EQ(as_->hits[url], 3);
  now_ += 10;
  EXPECT_FALSE(run(auth, "junk-token").ok);
  EXPECT_EQ(as_->hits[url], 4);

  // The AS unreachable (404 here): nothing is cached, the next request asks again.
  as_->docs.erase(url);
  EXPECT_FALSE(run(auth, "opaque-other").ok);
  answer["active"] = true;
  answer["exp"] = now_ + 300;
  as_->docs[url] = json::serialize(answer);
  EXPECT_TRUE(run(auth, "opaque-other").ok);
  EXPECT_EQ(as_->hits[url], 6);
}

TEST(TokenCache, IsBoundedAndKeyedByAHashNotTheToken) {
  TokenCache cache(3, 60, 10);
  AuthOutcome ok;
  ok.ok = true;
  ok.failure = AuthFailure::kNone;
  ok.principal = "oauth:x#y";
  for (int i = 0; i < 10; ++i) cache.put("token-" + std::to_string(i), ok, 0, 100);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_FALSE(cache.get("token-0", 100).has_value());
  ASSERT_TRUE(cache.get("token-9", 100).has_value());
  EXPECT_EQ(cache.get("token-9", 100)->principal, "oauth:x#y");
  EXPECT_FALSE(cache.get("token-9", 160).has_value()) << "positive ttl";
  EXPECT_EQ(TokenCache::key_of("token-9").size(), 32u);
  EXPECT_EQ(TokenCache::key_of("token-9").find("token"), std::string::npos);
  TokenCache off(3, 0, 0);
  off.put("t", ok, 0, 100);
  EXPECT_EQ(off.size(), 0u);
}

TEST_F(OAuthTest, EitherAcceptsKeysAndTokens) {
  auto keys = std::make_shared<ApiKeyAuthenticator>(std::vector<std::string>{"key-alpha-0123456789"});
  EitherAuthenticator either(keys, make());
  Request r;
  r.message.set("Authorization", "Bearer key-alpha-0123456789");
  auto fut = asio::co_spawn(ioc_, either.authenticate_async(r), asio::use_future);
  ioc_.run();
  auto out = fut.get();
  EXPECT_TRUE(out.ok);
  EXPECT_FALSE(out.scopes.has_value());
  Request t;
  t.message.set("Authorization", "Bearer " + signer_.sign(claims()));
  auto fut2 = asio::co_spawn(ioc_, either.authenticate_async(t), asio::use_future);
  ioc_.restart();
  ioc_.run();
  EXPECT_TRUE(fut2.get().ok);
}

}  // namespace
}  // namespace appsignals::net

#include "net/origin_policy.h"

#include <gtest/gtest.h>

namespace appsignals::net {
namespace {

TEST(OriginPolicy, LoopbackBindEnforcesTheHostHeader) {
  EXPECT_TRUE(OriginPolicy::for_bind_address("127.0.0.1").enforces_host());
  EXPECT_TRUE(OriginPolicy::for_bind_address("::1").enforces_host());
  EXPECT_TRUE(OriginPolicy::for_bind_address("localhost").enforces_host());
}

TEST(OriginPolicy, LoopbackBindAcceptsLoopbackHostNamesOnAnyPort) {
  auto p = OriginPolicy::for_bind_address("127.0.0.1");
  for (const char* host : {"localhost", "localhost:3000", "127.0.0.1", "127.0.0.1:8080", "[::1]",
                           "[::1]:9", "LOCALHOST:1"}) {
    EXPECT_EQ(p.check(host, ""), std::nullopt) << host;
  }
}

TEST(OriginPolicy, LoopbackBindRejectsAForeignHost) {
  auto p = OriginPolicy::for_bind_address("127.0.0.1");
  EXPECT_NE(p.check("evil.example.com", ""), std::nullopt);
  EXPECT_NE(p.check("evil.example.com:80", ""), std::nullopt);
  EXPECT_NE(p.check("localhost.evil.example.com", ""), std::nullopt);
}

TEST(OriginPolicy, LoopbackBindRejectsAMissingHost) {
  auto p = OriginPolicy::for_bind_address("127.0.0.1");
  EXPECT_NE(p.check("", ""), std::nullopt);
}

TEST(OriginPolicy, ReasonsNameTheRefusedValueAndTheSettingThatAllowsIt) {
  auto p = OriginPolicy::for_bind_address("127.0.0.1");
  auto host = p.check("Evil.Example.com:80", "");
  ASSERT_TRUE(host.has_value());
  EXPECT_NE(host->find("'evil.example.com'"), std::string::npos) << *host;
  EXPECT_NE(host->find("MCP_ALLOWED_HOSTS"), std::string::npos) << *host;
  auto missing = p.check("", "");
  ASSERT_TRUE(missing.has_value());
  EXPECT_NE(missing->find("MCP_ALLOWED_HOSTS"), std::string::npos) << *missing;
  auto origin = p.check("localhost", "http://evil.example.com");
  ASSERT_TRUE(origin.has_value());
  EXPECT_NE(origin->find("'http://evil.example.com'"), std::string::npos) << *origin;
  EXPECT_NE(origin->find("MCP_ALLOWED_ORIGINS"), std::string::npos) << *origin;
  auto null_origin = p.check("localhost", "null");
  ASSERT_TRUE(null_origin.has_value());
  EXPECT_NE(null_origin->find("MCP_ALLOWED_ORIGINS"), std::string::npos) << *null_origin;
  // Control characters and overlong values do not go into the message as they are.
  auto odd = p.check("localhost", "http://x\x01y" + std::string(300, 'z'));
  ASSERT_TRUE(odd.has_value());
  EXPECT_EQ(odd->find('\x01'), std::string::npos);
  EXPECT_LT(odd->size(), 250u);
}

TEST(OriginPolicy, ConformanceRebindingProbeIsRejected) {
  auto p = OriginPolicy::for_bind_address("127.0.0.1");
  EXPECT_NE(p.check("evil.example.com", "http://evil.example.com"), std::nullopt);
}

TEST(OriginPolicy, MissingOriginIsAccepted) {
  auto p = OriginPolicy::for_bind_address("127.0.0.1");
  EXPECT_EQ(p.check("localhost:1", ""), std::nullopt);
}

TEST(OriginPolicy, LoopbackOriginsAreAllowedOnAnyPort) {
  auto p = OriginPolicy::for_bind_address("127.0.0.1");
  EXPECT_EQ(p.check("localhost", "http://localhost:6274"), std::nullopt);
  EXPECT_EQ(p.check("localhost", "http://127.0.0.1"), std::nullopt);
  EXPECT_EQ(p.check("localhost", "http://[::1]:8080"), std::nullopt);
  EXPECT_TRUE(p.origin_allowed("https://LOCALHOST:1"));
}

TEST(OriginPolicy, ForeignOriginIsRejectedEvenWithAGoodHost) {
  auto p = OriginPolicy::for_bind_address("127.0.0.1");
  EXPECT_NE(p.check("localhost", "http://evil.example.com"), std::nullopt);
  EXPECT_NE(p.check("localhost", "http://localhost.evil.example.com"), std::nullopt);
  EXPECT_FALSE(p.origin_allowed("http://evil.example.com"));
}

TEST(OriginPolicy, NullOriginIsRejected) {
  auto p = OriginPolicy::for_bind_address("127.0.0.1");
  EXPECT_NE(p.check("localhost", "null"), std::nullopt);
}

TEST(OriginPolicy, ExtraFullOriginIsAllowedExactly) {
  auto p = OriginPolicy::for_bind_address("0.0.0.0", {}, {"https://app.example.com"});
  EXPECT_TRUE(p.origin_allowed("https://app.example.com"));
  EXPECT_TRUE(p.origin_allowed("HTTPS://APP.EXAMPLE.COM"));
  EXPECT_FALSE(p.origin_allowed("http://app.example.com"));  // other scheme
  EXPECT_FALSE(p.origin_allowed("https://other.example.com"));
}

TEST(OriginPolicy, ExtraBareNameAllowsThatHostWithAnySchemeAndPort) {
  auto p = OriginPolicy::for_bind_address("0.0.0.0", {}, {"app.example.com"});
  EXPECT_TRUE(p.origin_allowed("https://app.example.com"));
  EXPECT_TRUE(p.origin_allowed("http://app.example.com:8443"));
  EXPECT_FALSE(p.origin_allowed("https://evil.app.example.com.attacker.net"));
}

TEST(OriginPolicy, PublicBindDoesNotEnforceHost) {
  auto p = OriginPolicy::for_bind_address("0.0.0.0");
  EXPECT_FALSE(p.enforces_host());
  EXPECT_EQ(p.check("mcp.example.com", ""), std::nullopt);
  EXPECT_EQ(p.check("", ""), std::nullopt);
}

TEST(OriginPolicy, PublicBindStillChecksOrigin) {
  auto p = OriginPolicy::for_bind_address("0.0.0.0");
  EXPECT_NE(p.check("mcp.example.com", "http://evil.example.com"), std::nullopt);
}

TEST(OriginPolicy, ExtraHostsTurnOnHostEnforcementForAPublicBind) {
  auto p = OriginPolicy::for_bind_address("0.0.0.0", {"mcp.example.com"});
  EXPECT_TRUE(p.enforces_host());
  EXPECT_EQ(p.check("mcp.example.com:443", ""), std::nullopt);
  EXPECT_EQ(p.check("localhost", ""), std::nullopt);
  EXPECT_NE(p.check("evil.example.com", ""), std::nullopt);
}

TEST(HostNameOf, StripsThePortAndLowerCases) {
  EXPECT_EQ(host_name_of("Example.COM:8080"), "example.com");
  EXPECT_EQ(host_name_of("[::1]:3000"), "[::1]");
  EXPECT_EQ(host_name_of(" localhost "), "localhost");
}

TEST(IsLoopbackHost, RecognisesLoopbackAddressesAndLocalhost) {
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.1.2.3"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_TRUE(is_loopback_host("[::1]"));
  EXPECT_TRUE(is_loopback_host("localhost"));
  EXPECT_FALSE(is_loopback_host("0.0.0.0"));
  EXPECT_FALSE(is_loopback_host("10.0.0.1"));
  EXPECT_FALSE(is_loopback_host("example.com"));
}

}  // namespace
}  // namespace appsignals::net

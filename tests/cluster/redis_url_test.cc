#include "cluster/redis_url.h"

#include <gtest/gtest.h>

namespace appsignals::cluster {
namespace {

TEST(RedisUrl, ParsesHostPortDbAndCredentials) {
  auto u = parse_redis_url("redis://app:p%40ss@10.0.0.5:6380/2");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "10.0.0.5");
  EXPECT_EQ(u->port, 6380);
  EXPECT_EQ(u->db, 2);
  EXPECT_EQ(u->username, "app");
  EXPECT_EQ(u->password, "p@ss");
  EXPECT_EQ(u->display(), "redis://app:***@10.0.0.5:6380/2");  // the password is never shown
}

TEST(RedisUrl, DefaultsAndPasswordOnlyForms) {
  auto u = parse_redis_url("redis://localhost");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->port, 6379);
  EXPECT_EQ(u->db, 0);
  auto p = parse_redis_url("redis://:pw@127.0.0.1:7000/");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->password, "pw");
  EXPECT_TRUE(p->username.empty());
  EXPECT_EQ(p->display(), "redis://:***@127.0.0.1:7000/0");
  auto v6 = parse_redis_url("redis://[::1]:6379/1");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
}

TEST(RedisUrl, RefusesTlsAndMalformedUrlsWithoutEchoingThePassword) {
  auto tls = parse_redis_url("rediss://:pw@host:6380");
  ASSERT_FALSE(tls);
  EXPECT_NE(tls.error().message.find("TLS"), std::string::npos);
  for (const char* bad : {"http://host", "redis://host:0", "redis://host:99999", "redis://host/x", "redis://:pw@", "redis://[::1"}) {
    auto r = parse_redis_url(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.error().message.find("pw"), std::string::npos) << r.error().message;
    }
  }
}

}  // namespace
}  // namespace appsignals::cluster

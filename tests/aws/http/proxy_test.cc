// Proxy selection from the environment (no I/O): variable names and case, NO_PROXY matching.
#include "aws/http/proxy.h"

#include <gtest/gtest.h>

namespace appsignals::aws {
namespace {

ProxySettings with_no_proxy(std::string list) {
  ProxySettings p;
  p.http_proxy = "http://proxy:3128";
  p.https_proxy = "http://proxy:3128";
  p.no_proxy = std::move(list);
  return p;
}

TEST(ProxySettings, ReadsUpperAndLowerCaseNames) {
  MapEnv upper;
  upper.set("HTTP_PROXY", "http://up-http:1");
  upper.set("HTTPS_PROXY", "http://up-https:2");
  upper.set("NO_PROXY", "internal");
  auto p = ProxySettings::from_env(upper);
  EXPECT_EQ(p.http_proxy, "http://up-http:1");
  EXPECT_EQ(p.https_proxy, "http://up-https:2");
  EXPECT_EQ(p.no_proxy, "internal");

  MapEnv lower;
  lower.set("http_proxy", "http://low-http:1");
  lower.set("https_proxy", "http://low-https:2");
  lower.set("no_proxy", "internal");
  p = ProxySettings::from_env(lower);
  EXPECT_EQ(p.http_proxy, "http://low-http:1");
  EXPECT_EQ(p.https_proxy, "http://low-https:2");
  EXPECT_EQ(p.no_proxy, "internal");
}

TEST(ProxySettings, LowercaseWinsEvenWhenEmpty) {
  MapEnv env;
  env.set("HTTPS_PROXY", "http://upper:1");
  env.set("https_proxy", "http://lower:2");
  env.set("HTTP_PROXY", "http://upper:3");
  env.set("http_proxy", "");
  auto p = ProxySettings::from_env(env);
  EXPECT_EQ(p.https_proxy, "http://lower:2");
  EXPECT_EQ(p.http_proxy, "");
}

TEST(ProxySettings, PicksTheProxyByScheme) {
  ProxySettings p;
  p.https_proxy = "http://secure-proxy:3128";
  EXPECT_EQ(p.proxy_for("https://logs.us-east-1.amazonaws.com/"), "http://secure-proxy:3128");
  EXPECT_EQ(p.proxy_for("http://169.254.169.254/latest/api/token"), "");
  p.http_proxy = "plain-proxy:8080";  // no scheme: http://
  EXPECT_EQ(p.proxy_for("http://169.254.169.254/latest/api/token"), "http://plain-proxy:8080");
  EXPECT_EQ(p.proxy_for("not a url"), "");
}

TEST(ProxySettings, NoProxyStarBypassesEverything) {
  auto p = with_no_proxy("*");
  EXPECT_EQ(p.proxy_for("https://sts.amazonaws.com/"), "");
  EXPECT_EQ(p.proxy_for("http://127.0.0.1:8080/"), "");
}

TEST(ProxySettings, NoProxyHostListMatchesExactHosts) {
  auto p = with_no_proxy(" 169.254.169.254 , localhost,[::1],fd00:ec2::254");
  EXPECT_EQ(p.proxy_for("http://169.254.169.254/latest/api/token"), "");
  EXPECT_EQ(p.proxy_for("http://LOCALHOST:9000/"), "");
  EXPECT_EQ(p.proxy_for("http://[::1]:9000/"), "");
  EXPECT_EQ(p.proxy_for("http://[fd00:ec2::254]/latest"), "");
  EXPECT_EQ(p.proxy_for("http://169.254.170.2/creds"), "http://proxy:3128");
}

TEST(ProxySettings, NoProxyDomainsMatchTheDomainAndItsSubdomains) {
  for (const char* entry : {"amazonaws.com", ".amazonaws.com", "*.amazonaws.com", "AmazonAWS.com"}) {
    auto p = with_no_proxy(entry);
    EXPECT_EQ(p.proxy_for("https://logs.us-east-1.amazonaws.com/"), "") << entry;
    EXPECT_EQ(p.proxy_for("https://amazonaws.com/"), "") << entry;
    EXPECT_EQ(p.proxy_for("https://notamazonaws.com/"), "http://proxy:3128") << entry;
    EXPECT_EQ(p.proxy_for("https://amazonaws.com.evil.example/"), "http://proxy:3128") << entry;
  }
}

TEST(ProxySettings, NoProxyEntryWithAPortMatchesOnlyThatPort) {
  auto p = with_no_proxy("internal:8443");
  EXPECT_EQ(p.proxy_for("https://internal:8443/"), "");
  EXPECT_EQ(p.proxy_for("https://internal/"), "http://proxy:3128");
  auto q = with_no_proxy("internal:443");
  EXPECT_EQ(q.proxy_for("https://internal/"), "");  // the scheme's default port
}

TEST(ProxySettings, RedactsUserInformation) {
  EXPECT_EQ(redact_proxy_url("http://user:s3cret@proxy:3128"), "http://***@proxy:3128");
  EXPECT_EQ(redact_proxy_url("user:s3cret@proxy:3128"), "***@proxy:3128");
  // Passwords written with raw '@' or '/' are hidden whole.
  EXPECT_EQ(redact_proxy_url("http://u:p@ss@proxy:3128"), "http://***@proxy:3128");
  EXPECT_EQ(redact_proxy_url("http://u:pa/ss@proxy:3128"), "http://***@proxy:3128");
  // No '@': nothing to hide. (An '@' in a path is read as the end of user information: when in
  // doubt, hide more.)
  EXPECT_EQ(redact_proxy_url("http://proxy:3128/"), "http://proxy:3128/");
  EXPECT_EQ(redact_proxy_url("http://proxy:3128/a@b"), "http://***@b");
}

}  // namespace
}  // namespace appsignals::aws

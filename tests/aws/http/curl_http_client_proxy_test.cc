// CurlHttpClient through a loopback fake forward proxy: HTTP_PROXY carries http:// requests
// in absolute form, NO_PROXY bypasses it, HTTPS_PROXY tunnels https:// with CONNECT, and
// libcurl never picks up proxy variables on its own. Settings come from MapEnv through
// http_client_options(), the path make_aws_setup() takes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "aws/aws_setup.h"
#include "aws/http/curl_http_client.h"
#include "test_http_server.h"

namespace appsignals::aws {
namespace {

using test::TestHttpServer;
using test::TestRequest;
using test::TestResponse;
namespace asio = boost::asio;

TestResponse plain(int status, std::string body) {
  return {TestResponse::Action::kRespond, status, {{"Content-Type", "text/plain"}}, std::move(body)};
}

// A forward proxy that answers requests itself: absolute-form requests get "via proxy <target>",
// CONNECT is refused with 403 (no tunnelling), anything else is not a proxy request (400).
// `seen()` records what it was asked.
TestResponse fake_proxy(const TestRequest& r) {
  if (r.method == "CONNECT") return plain(403, "");
  if (r.target.rfind("http://", 0) != 0) return plain(400, "not a proxy request");
  return plain(200, "via proxy " + r.target);
}

TestResponse origin(const TestRequest&) { return plain(200, "from origin"); }

CurlHttpClient::Options options_from(const MapEnv& env) { return http_client_options(env, SharedConfig{}); }

HttpRequest post(std::string url) {
  HttpRequest req;
  req.method = "POST";
  req.url = std::move(url);
  req.headers.emplace_back("Content-Type", "application/x-amz-json-1.1");
  req.body = R"({"MaxResults":1})";
  return req;
}

TEST(CurlProxy, HttpProxyCarriesHttpRequestsInAbsoluteForm) {
  TestHttpServer proxy(fake_proxy);
  TestHttpServer server(origin);
  MapEnv env;
  env.set("HTTP_PROXY", proxy.url());
  asio::io_context ioc;
  CurlHttpClient client(ioc.get_executor(), options_from(env));
  auto res = test::run_sync(ioc, client.send(post(server.url("/ListServices?x=1"))));
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(res->body, "via proxy " + server.url("/ListServices?x=1"));
  auto seen = proxy.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].target, server.url("/ListServices?x=1"));
  EXPECT_EQ(seen[0].body, R"({"MaxResults":1})");
  EXPECT_EQ(server.requests(), 0);
}

TEST(CurlProxy, LowercaseHttpProxyIsHonouredToo) {
  TestHttpServer proxy(fake_proxy);
  TestHttpServer server(origin);
  MapEnv env;
  env.set("http_proxy", "127.0.0.1:" + std::to_string(proxy.port()));  // no scheme: http://
  asio::io_context ioc;
  CurlHttpClient client(ioc.get_executor(), options_from(env));
  auto res = test::run_sync(ioc, client.send(post(server.url("/"))));
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(proxy.requests(), 1);
  EXPECT_EQ(server.requests(), 0);
}

TEST(CurlProxy, NoProxyListingTheHostBypassesTheProxy) {
  for (const char* list : {"127.0.0.1", "example.com, 127.0.0.1", "*"}) {
    TestHttpServer proxy(fake_proxy);
    TestHttpServer server(origin);
    MapEnv env;
    env.set("HTTP_PROXY", proxy.url());
    env.set("NO_PROXY", list);
    asio::io_context ioc;
    CurlHttpClient client(ioc.get_executor(), options_from(env));
    auto res = test::run_sync(ioc, client.send(post(server.url("/"))));
    ASSERT_TRUE(res.ok()) << res.error().to_string();
    EXPECT_EQ(res->body, "from origin") << list;
    EXPECT_EQ(proxy.requests(), 0) << list;
    EXPECT_EQ(server.requests(), 1) << list;
  }
}

TEST(CurlProxy, NoProxyForAnotherHostKeepsTheProxy) {
  TestHttpServer proxy(fake_proxy);
  TestHttpServer server(origin);
  MapEnv env;
  env.set("HTTP_PROXY", proxy.url());
  env.set("no_proxy", "localhost,.internal.example,1.0.0.1");
  asio::io_context ioc;
  CurlHttpClient client(ioc.get_executor(), options_from(env));
  auto res = test::run_sync(ioc, client.send(post(server.url("/"))));
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(proxy.requests(), 1);
  EXPECT_EQ(server.requests(), 0);
}

TEST(CurlProxy, HttpsProxyTunnelsOnlyHttpsUrls) {
  TestHttpServer proxy(fake_proxy);
  TestHttpServer server(origin);
  MapEnv env;
  env.set("HTTPS_PROXY", proxy.url());
  asio::io_context ioc;
  CurlHttpClient client(ioc.get_executor(), options_from(env));
  // http:// goes direct: HTTPS_PROXY is for https:// only.
  auto direct = test::run_sync(ioc, client.send(post(server.url("/"))));
  ASSERT_TRUE(direct.ok()) << direct.error().to_string();
  EXPECT_EQ(direct->body, "from origin");
  EXPECT_EQ(proxy.requests(), 0);
  // https:// asks the proxy for a tunnel (which this fake refuses).
  std::string authority = "127.0.0.1:" + std::to_string(server.port());
  auto tunnelled = test::run_sync(ioc, client.send(post("https://" + authority + "/")));
  ASSERT_FALSE(tunnelled.ok());
  EXPECT_EQ(tunnelled.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(tunnelled.error().message.find("via proxy " + proxy.url()), std::string::npos)
      << tunnelled.error().message;
  auto seen = proxy.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "CONNECT");
  EXPECT_EQ(seen[0].target, authority);
}

TEST(CurlProxy, ProxyCredentialsAreSentButNeverReported) {
  TestHttpServer proxy(fake_proxy);
  TestHttpServer server(origin);
  MapEnv env;
  env.set("HTTP_PROXY", "http://ops:s3cret@127.0.0.1:" + std::to_string(proxy.port()));
  asio::io_context ioc;
  CurlHttpClient client(ioc.get_executor(), options_from(env));
  auto res = test::run_sync(ioc, client.send(post(server.url("/"))));
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  ASSERT_EQ(proxy.seen().size(), 1u);
  EXPECT_EQ(proxy.seen()[0].header("Proxy-Authorization"), "Basic b3BzOnMzY3JldA==");  // ops:s3cret

  // A proxy that refuses connections: the error names it without the password.
  asio::io_context probe;
  asio::ip::tcp::acceptor a(probe, {asio::ip::make_address("127.0.0.1"), 0});
  std::string dead = "http://ops:s3cret@127.0.0.1:" + std::to_string(a.local_endpoint().port());
  a.close();
  MapEnv env2;
  env2.set("HTTP_PROXY", dead);
  CurlHttpClient client2(ioc.get_executor(), options_from(env2));
  auto failed = test::run_sync(ioc, client2.send(post(server.url("/"))));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().details, "ConnectionError");
  EXPECT_NE(failed.error().message.find("via proxy http://***@127.0.0.1:"), std::string::npos)
      << failed.error().message;
  EXPECT_EQ(failed.error().message.find("s3cret"), std::string::npos) << failed.error().message;
}

// Sets a process environment variable for the scope and restores it.
class ScopedProcessEnv {
 public:
  ScopedProcessEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedProcessEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(CurlProxy, LibcurlNeverReadsProxyVariablesItself) {
  // Proxies come only from Options (filled from the injected Env): a stray http_proxy in the
  // process environment must not reroute a client configured without one.
  TestHttpServer proxy(fake_proxy);
  TestHttpServer server(origin);
  // (Set after the servers start, since the proxy's port is part of the value; their threads
  // only run Asio, which never reads the environment.)
  ScopedProcessEnv lower("http_proxy", proxy.url());
  ScopedProcessEnv all("ALL_PROXY", proxy.url());
  asio::io_context ioc;
  CurlHttpClient client(ioc.get_executor());
  auto res = test::run_sync(ioc, client.send(post(server.url("/"))));
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(res->body, "from origin");
  EXPECT_EQ(proxy.requests(), 0);
}

TEST(CurlProxy, LibcurlNeverAppliesTheProcessNoProxyItself) {
  // The bypass list also comes only from Options: a no_proxy in the process environment (as the
  // test runner sets for loopback) must not override the proxy this client was configured with.
  ScopedProcessEnv lower("no_proxy", "127.0.0.1,localhost");  // before any thread starts
  ScopedProcessEnv upper("NO_PROXY", "127.0.0.1,localhost");
  TestHttpServer proxy(fake_proxy);
  TestHttpServer server(origin);
  MapEnv env;
  env.set("HTTP_PROXY", proxy.url());
  asio::io_context ioc;
  CurlHttpClient client(ioc.get_executor(), options_from(env));
  auto res = test::run_sync(ioc, client.send(post(server.url("/"))));
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(res->body, "via proxy " + server.url("/"));
  EXPECT_EQ(server.requests(), 0);
}

TEST(CurlProxy, AwsSetupClientUsesTheEnvironmentsProxy) {
  TestHttpServer proxy(fake_proxy);
  TestHttpServer server(origin);
  MapEnv env;
  env.set("AWS_REGION", "us-east-1");
  env.set("AWS_CONFIG_FILE", "/dev/null");
  env.set("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
  env.set("AWS_EC2_METADATA_DISABLED", "true");
  env.set("HTTP_PROXY", proxy.url());
  asio::io_context ioc;
  auto setup = make_aws_setup(ioc.get_executor(), env);
  ASSERT_TRUE(setup.ok()) << setup.error().to_string();
  auto res = test::run_sync(ioc, setup->context->http->send(post(server.url("/"))));
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(proxy.requests(), 1);
  EXPECT_EQ(server.requests(), 0);
}

}  // namespace
}  // namespace appsignals::aws

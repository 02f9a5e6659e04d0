// CurlHttpClient against a loopback HTTPS endpoint whose certificate a test CA signed: without
// the CA the request fails with a TLS error that says what to do; AWS_CA_BUNDLE (or the
// profile's ca_bundle) pointing at the CA makes it succeed.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "aws/aws_setup.h"
#include "aws/http/curl_http_client.h"
#include "aws/retry_strategy.h"
#include "test_http_server.h"
#include "test_tls.h"

namespace appsignals::aws {
namespace {

namespace asio = boost::asio;
using test::TestHttpsServer;
using test::TestPki;

HttpRequest get(std::string url) {
  HttpRequest req;
  req.url = std::move(url);
  return req;
}

Result<HttpResponse> fetch(const Env& env, const SharedConfig& config, const std::string& url) {
  asio::io_context ioc;
  CurlHttpClient client(ioc.get_executor(), http_client_options(env, config));
  return test::run_sync(ioc, client.send(get(url)));
}

TEST(CurlTls, UntrustedCertificateIsAClearTlsError) {
  TestPki pki("untrusted");
  TestHttpsServer server(pki);
  auto res = fetch(MapEnv{}, SharedConfig{}, server.url());
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(res.error().details, "TlsError");
  const std::string& m = res.error().message;
  EXPECT_NE(m.find("TLS certificate verification failed for https://127.0.0.1:"), std::string::npos) << m;
  EXPECT_NE(m.find("AWS_CA_BUNDLE"), std::string::npos) << m;
  EXPECT_EQ(server.requests(), 0);
  // A trust problem is not transient: the retry strategy does not retry it.
  EXPECT_EQ(classify_transport_error(res.error()), RetryClass::kNone);
}

TEST(CurlTls, AwsCaBundleTrustsTheTestCa) {
  TestPki pki("env");
  TestHttpsServer server(pki);
  MapEnv env;
  env.set("AWS_CA_BUNDLE", pki.ca_file);
  auto res = fetch(env, SharedConfig{}, server.url());
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "secure");
}

TEST(CurlTls, ProfileCaBundleIsUsedWhenTheVariableIsUnset) {
  TestPki pki("profile");
  TestHttpsServer server(pki);
  MapEnv env;
  env.set("AWS_PROFILE", "corp");
  auto config = SharedConfig::from_strings("[profile corp]\nca_bundle = " + pki.ca_file + "\n", "");
  EXPECT_EQ(http_client_options(env, config).ca_bundle, pki.ca_file);
  auto res = fetch(env, config, server.url());
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(res->body, "secure");
}

TEST(CurlTls, VariableBeatsProfileCaBundle) {
  MapEnv env;
  env.set("AWS_CA_BUNDLE", "/from/env.pem");
  env.set("HOME", "/home/op");
  auto config = SharedConfig::from_strings("[default]\nca_bundle = /from/profile.pem\n", "");
  EXPECT_EQ(http_client_options(env, config).ca_bundle, "/from/env.pem");
  env.set("AWS_CA_BUNDLE", "~/certs/ca.pem");
  EXPECT_EQ(http_client_options(env, config).ca_bundle, "/home/op/certs/ca.pem");
  EXPECT_EQ(http_client_options(MapEnv{}, config).ca_bundle, "/from/profile.pem");
  EXPECT_EQ(http_client_options(MapEnv{}, SharedConfig{}).ca_bundle, "");
}

TEST(CurlTls, BundleOfAnotherCaDoesNotTrustTheEndpoint) {
  TestPki pki("server");
  TestPki other("other");
  TestHttpsServer server(pki);
  MapEnv env;
  env.set("AWS_CA_BUNDLE", other.ca_file);
  auto res = fetch(env, SharedConfig{}, server.url());
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().details, "TlsError");
  EXPECT_NE(res.error().message.find("trusted CAs: " + other.ca_file), std::string::npos) << res.error().message;
}

TEST(CurlTls, UnreadableCaBundleNamesTheFile) {
  TestPki pki("missing");
  TestHttpsServer server(pki);
  MapEnv env;
  env.set("AWS_CA_BUNDLE", "/nonexistent/appsignals-ca.pem");
  auto res = fetch(env, SharedConfig{}, server.url());
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().details, "TlsError");
  EXPECT_NE(res.error().message.find("/nonexistent/appsignals-ca.pem"), std::string::npos) << res.error().message;
}

}  // namespace
}  // namespace appsignals::aws

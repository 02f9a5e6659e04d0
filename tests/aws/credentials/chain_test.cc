// The credential chain against loopback fakes of IMDSv2, the container endpoint and STS, with
// temporary profile files. No real environment is read or changed (MapEnv).
#include "aws/credentials/chain.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>

#include "aws/http/curl_http_client.h"
#include "test_http_server.h"

namespace appsignals::aws {
namespace {

namespace asio = boost::asio;
using test::TestHttpServer;
using test::TestRequest;
using test::TestResponse;

std::string write_temp(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / ("aws_chain_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto p = dir / name;
  std::ofstream(p) << text;
  return p.string();
}

const char* kStsXml =
    "<{op}Response><{op}Result><Credentials><AccessKeyId>ASIASTS</AccessKeyId>"
    "<SecretAccessKey>stssecret</SecretAccessKey><SessionToken>ststoken</SessionToken>"
    "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>"
    "<AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/R/s</Arn></AssumedRoleUser>"
    "</{op}Result></{op}Response>";

std::string sts_body(const std::string& op) {
  std::string s = kStsXml;
  for (auto pos = s.find("{op}"); pos != std::string::npos; pos = s.find("{op}")) s.replace(pos, 4, op);
  return s;
}

TestResponse fake_sts(const TestRequest& r) {
  if (r.body.find("Action=AssumeRoleWithWebIdentity") == 0) {
    if (!r.header("Authorization").empty()) return TestResponse::json(400, "{}");  // must be unsigned
    if (r.body.find("WebIdentityToken=jwt-token") == std::string::npos) return TestResponse::json(400, "{}");
    return {TestResponse::Action::kRespond, 200, {{"Content-Type", "text/xml"}}, sts_body("AssumeRoleWithWebIdentity")};
  }
  if (r.body.find("Action=AssumeRole&") == 0) {
    if (r.header("Authorization").find("Credential=AKIDSOURCE/") == std::string::npos)
      return TestResponse::json(403, "{}");
    return {TestResponse::Action::kRespond, 200, {{"Content-Type", "text/xml"}}, sts_body("AssumeRole")};
  }
  return TestResponse::json(400, "{}");
}

struct Fixture {
  asio::io_context ioc;
  std::shared_ptr<HttpClient> http = std::make_shared<CurlHttpClient>(ioc.get_executor());
  ChainOptions options(const std::string& sts_url) {
    EndpointSettings s;
    s.per_service["STS"] = sts_url;
    ChainOptions o;
    o.http = http;
    o.endpoints = std::make_shared<EndpointResolver>(s);
    o.region = "us-east-1";
    return o;
  }
};

TEST(CredentialChain, EnvironmentComesFirst) {
  Fixture f;
  MapEnv env;
  env.set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env.set("AWS_SECRET_ACCESS_KEY", "envsecret");
  env.set("AWS_SESSION_TOKEN", "envtoken");
  env.set("AWS_EC2_METADATA_DISABLED", "true");
  auto chain = make_default_credentials_chain(env, SharedConfig{}, f.options("http://127.0.0.1:1"));
  auto c = test::run_sync(f.ioc, chain->get());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "AKIDENV");
  EXPECT_EQ(c->session_token, "envtoken");
  EXPECT_EQ(chain->describe().find("envsecret"), std::string::npos);
  EXPECT_NE(chain->describe().find("environment"), std::string::npos);
}

TEST(CredentialChain, WebIdentityFromEnvironmentIsUnsigned) {
  TestHttpServer sts(fake_sts);
  Fixture f;
  MapEnv env;
  env.set("AWS_WEB_IDENTITY_TOKEN_FILE", write_temp("token", "jwt-token\n"));
  env.set("AWS_ROLE_ARN", "arn:aws:iam::111122223333:role/R");
  env.set("AWS_EC2_METADATA_DISABLED", "true");
  auto chain = make_default_credentials_chain(env, SharedConfig{}, f.options(sts.url()));
  auto c = test::run_sync(f.ioc, chain->get());
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->access_key_id, "ASIASTS");
  EXPECT_EQ(c->account_id, "111122223333");
  ASSERT_TRUE(c->expiration.has_value());
}

TEST(CredentialChain, ProfileAssumeRoleWithSourceProfile) {
  TestHttpServer sts(fake_sts);
  Fixture f;
  MapEnv env;
  env.set("AWS_PROFILE", "obs");
  env.set("AWS_EC2_METADATA_DISABLED", "true");
  auto config = SharedConfig::from_strings(
      "[profile obs]\nrole_arn = arn:aws:iam::111122223333:role/R\nsource_profile = base\n",
      "[base]\naws_access_key_id = AKIDSOURCE\naws_secret_access_key = sourcesecret\n");
  auto chain = make_default_credentials_chain(env, config, f.options(sts.url()));
  auto c = test::run_sync(f.ioc, chain->get());
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->access_key_id, "ASIASTS");
  EXPECT_NE(chain->describe().find("assume role"), std::string::npos);
  EXPECT_EQ(chain->describe().find("sourcesecret"), std::string::npos);
}

TEST(CredentialChain, ContainerEndpointWithAuthorizationTokenFile) {
  TestHttpServer container([](const TestRequest& r) {
    if (r.header("Authorization") != "container-token") return TestResponse::json(401, "{}");
    return TestResponse::json(200, R"({"AccessKeyId":"ASIACONT","SecretAccessKey":"s","Token":"t","Expiration":"2099-01-01T00:00:00Z"})");
  });
  Fixture f;
  MapEnv env;
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url("/creds"));
  env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", write_temp("ctoken", "container-token"));
  env.set("AWS_EC2_METADATA_DISABLED", "true");
  auto chain = make_default_credentials_chain(env, SharedConfig{}, f.options("http://127.0.0.1:1"));
  auto c = test::run_sync(f.ioc, chain->get());
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->access_key_id, "ASIACONT");
  EXPECT_EQ(c->session_token, "t");
}

TEST(CredentialChain, ImdsV2TokenRoleAndCredentials) {
  TestHttpServer imds([](const TestRequest& r) {
    if (r.method == "PUT" && r.target == "/latest/api/token") {
      if (r.header("x-aws-ec2-metadata-token-ttl-seconds") != "21600") return TestResponse::json(400, "");
      return TestResponse{TestResponse::Action::kRespond, 200, {}, "imds-token"};
    }
    if (r.header("x-aws-ec2-metadata-token") != "imds-token") return TestResponse::json(401, "");
    if (r.target == "/latest/meta-data/iam/security-credentials/")
      return TestResponse{TestResponse::Action::kRespond, 200, {}, "my-role"};
    if (r.target == "/latest/meta-data/iam/security-credentials/my-role")
      return TestResponse::json(200, R"({"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"s","Token":"t","Expiration":"2099-01-01T00:00:00Z"})");
    return TestResponse::json(404, "");
  });
  Fixture f;
  MapEnv env;
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  auto chain = make_default_credentials_chain(env, SharedConfig{}, f.options("http://127.0.0.1:1"));
  auto c = test::run_sync(f.ioc, chain->get());
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->access_key_id, "ASIAIMDS");
}

TEST(CredentialChain, NothingConfiguredIsUnauthenticated) {
  Fixture f;
  MapEnv env;
  env.set("AWS_EC2_METADATA_DISABLED", "true");
  auto chain = make_default_credentials_chain(env, SharedConfig{}, f.options("http://127.0.0.1:1"));
  auto c = test::run_sync(f.ioc, chain->get());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kUnauthenticated);
}

class CountingProvider final : public CredentialsProvider {
 public:
  explicit CountingProvider(std::chrono::seconds ttl) : ttl_(ttl) {}
  asio::awaitable<Result<Credentials>> get() override {
    ++calls;
    asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(5));
    co_await t.async_wait(asio::use_awaitable);
    co_return Credentials{"AKID" + std::to_string(calls.load()), "s", "t", std::chrono::system_clock::now() + ttl_, ""};
  }
  std::string describe() const override { return "counting"; }
  std::atomic<int> calls{0};

 private:
  std::chrono::seconds ttl_;
};

asio::awaitable<void> fetch_into(std::shared_ptr<CredentialsProvider> p, std::vector<std::string>* out) {
  auto c = co_await p->get();
  out->push_back(c.ok() ? c->access_key_id : "error");
}

TEST(CachingCredentials, ConcurrentCallersShareOneRefresh) {
  auto inner = std::make_shared<CountingProvider>(std::chrono::hours(1));
  auto cache = std::make_shared<CachingCredentialsProvider>(inner);
  asio::io_context ioc;
  std::vector<std::string> got;
  for (int i = 0; i < 20; ++i) asio::co_spawn(ioc, fetch_into(cache, &got), asio::detached);
  ioc.run();
  ASSERT_EQ(got.size(), 20u);
  for (const auto& g : got) EXPECT_EQ(g, "AKID1");
  EXPECT_EQ(inner->calls.load(), 1);
}

TEST(CachingCredentials, NearExpiryRefreshesInTheBackground) {
  // Expires in 10 minutes: inside the 15-minute background window, outside the 5-minute one.
  auto inner = std::make_shared<CountingProvider>(std::chrono::minutes(10));
  auto cache = std::make_shared<CachingCredentialsProvider>(inner);
  asio::io_context ioc;
  std::vector<std::string> got;
  asio::co_spawn(ioc, fetch_into(cache, &got), asio::detached);
  ioc.run();
  ioc.restart();
  asio::co_spawn(ioc, fetch_into(cache, &got), asio::detached);  // served from cache, refresh starts
  ioc.run();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1], "AKID1");
  EXPECT_EQ(inner->calls.load(), 2);
}

TEST(ProcessCredentials, ParsesVersion1Output) {
  auto ok = ProcessCredentialsProvider::parse_output(
      R"({"Version":1,"AccessKeyId":"AK","SecretAccessKey":"SK","SessionToken":"T","Expiration":"2030-01-01T00:00:00Z"})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->access_key_id, "AK");
  EXPECT_TRUE(ok->expiration.has_value());
  EXPECT_FALSE(ProcessCredentialsProvider::parse_output(R"({"Version":2,"AccessKeyId":"AK","SecretAccessKey":"SK"})").ok());
}

TEST(ProcessCredentials, RunsTheCommandOffTheIoThread) {
  Fixture f;
  std::string script = write_temp("proc.sh",
                                  "#!/bin/sh\necho '{\"Version\":1,\"AccessKeyId\":\"AKPROC\",\"SecretAccessKey\":\"SK\"}'\n");
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  ProcessCredentialsProvider p(script + " --flag", "proc");
  auto c = test::run_sync(f.ioc, p.get());
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->access_key_id, "AKPROC");
}

}  // namespace
}  // namespace appsignals::aws

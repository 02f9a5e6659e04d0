// The credential chain against loopback fakes of IMDSv2, the container endpoint and STS, with
// temporary profile files. No real environment is read or changed (MapEnv).
#include "aws/credentials/chain.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <sys/stat.h>
#include <fcntl.h>

#include <signal.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
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

using Outcome = CredentialAttempt::Outcome;

std::string dump(const std::vector<CredentialAttempt>& attempts) {
  std::string out;
  for (const auto& a : attempts)
    out += std::string(outcome_label(a.outcome)) + " | " + a.source + " | " + a.detail + "\n";
  return out;
}

TEST(CredentialChain, AttemptsNameEverySourceAndWhyItWasSkipped) {
  Fixture f;
  MapEnv env;
  env.set("HOME", "/nonexistent-home");
  env.set("AWS_EC2_METADATA_DISABLED", "true");
  env.set("AWS_ROLE_ARN", "arn:aws:iam::111122223333:role/R");  // without the token file
  auto chain = make_default_credentials_chain(env, SharedConfig{}, f.options("http://127.0.0.1:1"));
  auto c = test::run_sync(f.ioc, chain->get());
  ASSERT_FALSE(c.ok());
  auto a = chain->attempts();
  ASSERT_EQ(a.size(), 5u) << dump(a);
  const std::pair<const char*, const char*> expected[] = {
      {"environment", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not set"},
      {"web identity", "AWS_WEB_IDENTITY_TOKEN_FILE not set"},
      {"profile default", "no profile \"default\" in /nonexistent-home/.aws/config or /nonexistent-home/.aws/credentials"},
      {"container", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI not set"},
      {"EC2 instance metadata", "AWS_EC2_METADATA_DISABLED is set"},
  };
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(a[i].source, expected[i].first) << dump(a);
    EXPECT_EQ(a[i].outcome, Outcome::kSkipped) << dump(a);
    EXPECT_EQ(a[i].detail, expected[i].second) << dump(a);
    // The error a tool or the log shows names every source too.
    EXPECT_NE(c.error().message.find(std::string(expected[i].first) + ": " + expected[i].second), std::string::npos)
        << c.error().message;
  }
}

TEST(CredentialChain, AttemptsRecordWhatEachSourceSaidUpToTheOneThatResolved) {
  TestHttpServer container([](const TestRequest&) { return TestResponse::json(404, "{}"); });
  TestHttpServer imds([](const TestRequest& r) {
    if (r.method == "PUT") return TestResponse{TestResponse::Action::kRespond, 200, {}, "imds-token"};
    if (r.target == "/latest/meta-data/iam/security-credentials/")
      return TestResponse{TestResponse::Action::kRespond, 200, {}, "my-role"};
    return TestResponse::json(200, R"({"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imds-secret-91","Token":"imds-token-92"})");
  });
  auto failing = write_temp("fail.sh", "#!/bin/sh\necho 'helper says no' >&2\nexit 2\n");
  std::filesystem::permissions(failing, std::filesystem::perms::owner_all);
  Fixture f;
  MapEnv env;
  env.set("AWS_PROFILE", "proc");
  env.set("AWS_ACCESS_KEY_ID", "AKIDHALF");  // without the secret
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url("/creds"));
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  auto config = SharedConfig::from_strings("[profile proc]\ncredential_process = " + failing + "\n", "");
  auto chain = make_default_credentials_chain(env, config, f.options("http://127.0.0.1:1"));
  EXPECT_TRUE(chain->attempts().empty()) << "nothing recorded before the first get()";
  auto c = test::run_sync(f.ioc, chain->get());
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  auto a = chain->attempts();
  ASSERT_EQ(a.size(), 5u) << dump(a);
  EXPECT_EQ(a[0].outcome, Outcome::kSkipped);
  EXPECT_EQ(a[0].detail, "AWS_SECRET_ACCESS_KEY not set");
  EXPECT_EQ(a[1].outcome, Outcome::kSkipped);
  EXPECT_EQ(a[2].source, "profile proc");
  EXPECT_EQ(a[2].outcome, Outcome::kNone) << dump(a);
  EXPECT_NE(a[2].detail.find("exited with status 2 ("), std::string::npos) << dump(a);
  EXPECT_EQ(a[3].outcome, Outcome::kNone) << dump(a);
  EXPECT_NE(a[3].detail.find("HTTP 404"), std::string::npos) << dump(a);
  EXPECT_EQ(a[4].outcome, Outcome::kResolved) << dump(a);
  EXPECT_EQ(a[4].detail, chain->describe());
  EXPECT_EQ(dump(a).find("imds-secret-91"), std::string::npos);
  EXPECT_EQ(dump(a).find("imds-token-92"), std::string::npos);
}

TEST(CredentialChain, AConfiguredSourceThatFailsEndsTheChainAndTheRestAreNotTried) {
  Fixture f;
  MapEnv env;
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds");  // not allowed over http
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1");
  auto chain = make_default_credentials_chain(env, SharedConfig{}, f.options("http://127.0.0.1:1"));
  auto c = test::run_sync(f.ioc, chain->get());
  ASSERT_FALSE(c.ok());
  auto a = chain->attempts();
  ASSERT_EQ(a.size(), 5u) << dump(a);
  EXPECT_EQ(a[3].outcome, Outcome::kFailed) << dump(a);
  EXPECT_NE(a[3].detail.find("not allowed over http"), std::string::npos) << dump(a);
  EXPECT_EQ(a[4].outcome, Outcome::kNotTried) << dump(a);
  EXPECT_EQ(a[4].detail, "not asked: container is configured and failed");
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

// The helper says it is running, then waits for a line that only a read handler on the same
// one-thread io_context writes back: had the command run on the io thread (review finding: a
// post() to the pool without binding the completion resumes on the caller's executor), that
// handler could not run and the helper would be killed at its timeout.
TEST(ProcessCredentials, RunsTheCommandOffTheIoThread) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto ready = dir / ("proc-ready-" + std::to_string(::getpid()));
  const auto go = dir / ("proc-go-" + std::to_string(::getpid()));
  std::filesystem::remove(ready);
  std::filesystem::remove(go);
  ASSERT_EQ(::mkfifo(ready.c_str(), 0600), 0);
  ASSERT_EQ(::mkfifo(go.c_str(), 0600), 0);
  // O_RDWR: this process holds both ends of each FIFO, so no open() blocks on either side.
  const int go_fd = ::open(go.c_str(), O_RDWR);
  ASSERT_GE(go_fd, 0);
  asio::io_context ioc;  // run by this thread only
  asio::posix::stream_descriptor ready_in(ioc, ::open(ready.c_str(), O_RDWR | O_NONBLOCK));
  std::string script = write_temp("proc.sh", "#!/bin/sh\necho ready > " + ready.string() + "\nread line < " +
                                                 go.string() +
                                                 "\necho '{\"Version\":1,\"AccessKeyId\":\"AKPROC\",\"SecretAccessKey\":\"SK\"}'\n");
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  ProcessCredentialsProvider p(script + " --flag", "proc", std::chrono::seconds(5));
  char buf[16];
  ready_in.async_read_some(asio::buffer(buf), [&](boost::system::error_code ec, std::size_t) {
    if (!ec) {
      EXPECT_EQ(::write(go_fd, "go\n", 3), 3);
    }
  });
  std::optional<Result<Credentials>> out;
  asio::co_spawn(ioc, p.get(), [&](std::exception_ptr e, Result<Credentials> r) {
    if (!e) out = std::move(r);
    ready_in.close();
  });
  ioc.run_for(std::chrono::seconds(30));
  ::close(go_fd);
  std::filesystem::remove(ready);
  std::filesystem::remove(go);
  ASSERT_TRUE(out.has_value()) << "credential_process did not finish";
  ASSERT_TRUE(out->ok()) << out->error().to_string();
  EXPECT_EQ((*out)->access_key_id, "AKPROC");
}

// Runs `p.get()` for at most `limit`; nullopt if it has not finished by then.
std::optional<Result<Credentials>> get_within(CredentialsProvider& p, std::chrono::seconds limit) {
  asio::io_context ioc;
  std::optional<Result<Credentials>> out;
  asio::co_spawn(ioc, p.get(), [&](std::exception_ptr e, Result<Credentials> r) {
    if (!e) out = std::move(r);
  });
  ioc.run_for(limit);
  return out;
}

std::string executable(const std::string& name, const std::string& text) {
  auto path = write_temp(name, text);
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  return path;
}

TEST(ProcessCredentials, ReadsStdoutAndStderrTogetherSoALoudHelperDoesNotStall) {
  // 200 KiB on stderr fills the pipe (64 KiB) long before the JSON reaches stdout.
  auto script = executable("loud.sh",
                           "#!/bin/sh\nhead -c 204800 /dev/zero | tr '\\000' e >&2\n"
                           "echo '{\"Version\":1,\"AccessKeyId\":\"AKLOUD\",\"SecretAccessKey\":\"SK\"}'\n");
  ProcessCredentialsProvider p(script, "loud", std::chrono::seconds(30));
  auto c = get_within(p, std::chrono::seconds(30));
  ASSERT_TRUE(c.has_value()) << "credential_process stalled";
  ASSERT_TRUE(c->ok()) << c->error().to_string();
  EXPECT_EQ((*c)->access_key_id, "AKLOUD");
}

TEST(ProcessCredentials, AHelperThatNeverFinishesIsKilledAtTheTimeout) {
  auto pid_file = write_temp("hang.pid", "");
  // Prints half a credential (a secret included) and then waits forever, in a child of its own.
  auto script = executable("hang.sh", "#!/bin/sh\necho $$ > " + pid_file +
                                          "\nprintf '{\"SecretAccessKey\":\"hang-secret-42\"'\nsleep 1000 & wait\n");
  // 2 s: long enough for the shell to start and write its pid even on a loaded machine.
  ProcessCredentialsProvider p(script, "hanging", std::chrono::milliseconds(2000));
  auto c = get_within(p, std::chrono::seconds(20));
  ASSERT_TRUE(c.has_value()) << "no timeout";
  ASSERT_FALSE(c->ok());
  EXPECT_EQ(c->error().code, ErrorCode::kDeadlineExceeded);
  const std::string& msg = c->error().message;
  EXPECT_NE(msg.find("profile hanging"), std::string::npos) << msg;
  EXPECT_NE(msg.find("within 2 s"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("hang-secret-42"), std::string::npos) << msg;
  // The helper was killed and reaped, not left behind.
  std::ifstream in(pid_file);
  pid_t pid = 0;
  in >> pid;
  ASSERT_GT(pid, 0);
  EXPECT_EQ(::kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
}

TEST(ProcessCredentials, DefaultTimeoutIsOneMinute) {
  EXPECT_EQ(ProcessCredentialsProvider::kDefaultTimeout, std::chrono::seconds(60));
}

TEST(ProcessCredentials, FailuresNameTheProfileAndNeverQuoteTheHelpersOutput) {
  auto bad = executable("bad.sh", "#!/bin/sh\necho '{\"SecretAccessKey\":\"bad-secret-7\"}'\necho 'token expired stderr-secret-9' >&2\nexit 3\n");
  ProcessCredentialsProvider failing(bad, "failing");
  auto c = get_within(failing, std::chrono::seconds(20));
  ASSERT_TRUE(c.has_value());
  ASSERT_FALSE(c->ok());
  EXPECT_NE(c->error().message.find("profile failing"), std::string::npos) << c->error().message;
  EXPECT_NE(c->error().message.find("exited with status 3 (30 bytes on stderr, not shown"), std::string::npos)
      << c->error().message;
  EXPECT_EQ(c->error().message.find("bad-secret-7"), std::string::npos);
  EXPECT_EQ(c->error().message.find("stderr-secret-9"), std::string::npos);
  auto garbage = executable("garbage.sh", "#!/bin/sh\necho 'not json garbage-secret-8'\n");
  ProcessCredentialsProvider unparsable(garbage, "garbled");
  c = get_within(unparsable, std::chrono::seconds(20));
  ASSERT_TRUE(c.has_value());
  ASSERT_FALSE(c->ok());
  EXPECT_NE(c->error().message.find("profile garbled"), std::string::npos) << c->error().message;
  EXPECT_EQ(c->error().message.find("garbage-secret-8"), std::string::npos);
}

}  // namespace
}  // namespace appsignals::aws

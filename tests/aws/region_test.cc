// Region resolution: the configured sources in order, then EC2 instance metadata (IMDSv2)
// through a loopback fake reached with AWS_EC2_METADATA_SERVICE_ENDPOINT. Every environment is
// a MapEnv, so nothing here can reach the real 169.254.169.254.
#include "aws/region.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <atomic>
#include <filesystem>
#include <fstream>

#include "aws/aws_setup.h"
#include "test_http_server.h"

namespace appsignals::aws {
namespace {

namespace asio = boost::asio;
using test::TestHttpServer;
using test::TestRequest;
using test::TestResponse;

const char* kRegionPath = "/latest/meta-data/placement/region";

TestResponse text(int status, std::string body) {
  return {TestResponse::Action::kRespond, status, {{"Content-Type", "text/plain"}}, std::move(body)};
}

// IMDSv2: a token for a PUT with a TTL, the region for a GET that presents it.
TestResponse fake_imds(const TestRequest& r) {
  if (r.method == "PUT" && r.target == "/latest/api/token") {
    if (r.header("x-aws-ec2-metadata-token-ttl-seconds").empty()) return text(400, "");
    return text(200, "imds-token");
  }
  if (r.method == "GET" && r.target == kRegionPath) {
    if (r.header("x-aws-ec2-metadata-token") != "imds-token") return text(401, "");
    return text(200, "us-west-2\n");
  }
  return text(404, "");
}

// No shared files, no profile of the machine: only what the test sets.
MapEnv hermetic_env() {
  MapEnv env;
  env.set("AWS_CONFIG_FILE", "/dev/null");
  env.set("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
  return env;
}

std::string write_temp(const std::string& name, const std::string& content) {
  auto dir = std::filesystem::temp_directory_path() / ("aws_region_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto p = dir / name;
  std::ofstream(p) << content;
  return p.string();
}

// A loopback port with nothing listening (connections are refused at once).
unsigned short closed_port() {
  asio::io_context ioc;
  asio::ip::tcp::acceptor a(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

// Keeps the io_context the setup's HTTP client is bound to alive as long as the setup.
struct SetupRun {
  asio::io_context ioc;
  Result<AwsSetup> result = Error(ErrorCode::kInternal, "not run");
  explicit SetupRun(const Env& env, std::optional<std::string> region = std::nullopt) {
    result = make_aws_setup(ioc.get_executor(), env, region);
  }
};

TEST(Region, ResolutionOrder) {
  auto config = SharedConfig::from_strings("[default]\nregion = eu-west-1\n", "");
  MapEnv env;
  EXPECT_EQ(resolve_region(std::nullopt, env, config).value_or(""), "eu-west-1");
  env.set("AWS_DEFAULT_REGION", "us-west-1");
  EXPECT_EQ(resolve_region(std::nullopt, env, config).value_or(""), "us-west-1");
  env.set("AWS_REGION", "us-east-2");
  EXPECT_EQ(resolve_region(std::nullopt, env, config).value_or(""), "us-east-2");
  EXPECT_EQ(resolve_region(std::string("ap-south-1"), env, config).value_or(""), "ap-south-1");
  EXPECT_FALSE(resolve_region(std::nullopt, MapEnv{}, SharedConfig{}).has_value());
}

TEST(Region, ReportsWhereTheRegionCameFrom) {
  auto config = SharedConfig::from_strings("[profile obs]\nregion = eu-west-1\n", "");
  MapEnv env;
  env.set("AWS_PROFILE", "obs");
  EXPECT_EQ(resolve_configured_region(std::nullopt, env, config)->source, "profile obs");
  env.set("AWS_DEFAULT_REGION", "us-west-1");
  EXPECT_EQ(resolve_configured_region(std::nullopt, env, config)->source, "AWS_DEFAULT_REGION");
  env.set("AWS_REGION", "us-east-2");
  EXPECT_EQ(resolve_configured_region(std::nullopt, env, config)->source, "AWS_REGION");
  // The app passes AWS_REGION through its own configuration: still reported as AWS_REGION.
  EXPECT_EQ(resolve_configured_region(std::string("us-east-2"), env, config)->source, "AWS_REGION");
  EXPECT_EQ(resolve_configured_region(std::string("ap-south-1"), env, config)->source, "--region");
}

TEST(RegionFromImds, UsedWhenNothingElseIsSet) {
  TestHttpServer imds(fake_imds);
  MapEnv env = hermetic_env();
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  SetupRun s(env);
  ASSERT_TRUE(s.result.ok()) << s.result.error().to_string();
  EXPECT_EQ(s.result->region, "us-west-2");
  EXPECT_EQ(s.result->region_source, "EC2 instance metadata");
  auto seen = imds.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].method, "PUT");
  EXPECT_EQ(seen[0].header("x-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(seen[1].target, kRegionPath);
  EXPECT_EQ(seen[1].header("x-aws-ec2-metadata-token"), "imds-token");
}

TEST(RegionFromImds, EnvironmentBeatsImds) {
  TestHttpServer imds(fake_imds);
  MapEnv env = hermetic_env();
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  env.set("AWS_REGION", "eu-central-1");
  SetupRun s(env);
  ASSERT_TRUE(s.result.ok()) << s.result.error().to_string();
  EXPECT_EQ(s.result->region, "eu-central-1");
  EXPECT_EQ(s.result->region_source, "AWS_REGION");
  EXPECT_EQ(imds.requests(), 0);
}

TEST(RegionFromImds, ProfileBeatsImds) {
  TestHttpServer imds(fake_imds);
  MapEnv env = hermetic_env();
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  env.set("AWS_CONFIG_FILE", write_temp("config", "[default]\nregion = ap-southeast-2\n"));
  SetupRun s(env);
  ASSERT_TRUE(s.result.ok()) << s.result.error().to_string();
  EXPECT_EQ(s.result->region, "ap-southeast-2");
  EXPECT_EQ(s.result->region_source, "profile default");
  EXPECT_EQ(imds.requests(), 0);
}

TEST(RegionFromImds, DisabledSkipsImds) {
  TestHttpServer imds(fake_imds);
  MapEnv env = hermetic_env();
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  env.set("AWS_EC2_METADATA_DISABLED", "true");
  SetupRun s(env);
  ASSERT_FALSE(s.result.ok());
  EXPECT_EQ(s.result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(s.result.error().message.find("set AWS_REGION"), std::string::npos) << s.result.error().message;
  EXPECT_NE(s.result.error().message.find("AWS_EC2_METADATA_DISABLED"), std::string::npos)
      << s.result.error().message;
  EXPECT_EQ(imds.requests(), 0);
}

TEST(RegionFromImds, UnreachableImdsIsAClearNoRegionError) {
  MapEnv env = hermetic_env();
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + std::to_string(closed_port()));
  SetupRun s(env);
  ASSERT_FALSE(s.result.ok());
  const std::string& m = s.result.error().message;
  EXPECT_EQ(s.result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(m.rfind("No AWS region configured: set AWS_REGION", 0), 0u) << m;
  EXPECT_NE(m.find("EC2 instance metadata"), std::string::npos) << m;
  EXPECT_NE(m.find("IMDS unreachable"), std::string::npos) << m;
}

TEST(RegionFromImds, SilentImdsIsCutOffByTheTimeout) {
  // Accepts the connection and never answers: the token PUT times out (default 1 s), and a
  // transport failure ends the lookup without an IMDSv1 attempt.
  TestHttpServer imds([](const TestRequest&) { return TestResponse::hang(); });
  MapEnv env = hermetic_env();
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  SetupRun s(env);
  ASSERT_FALSE(s.result.ok());
  EXPECT_NE(s.result.error().message.find("timed out"), std::string::npos) << s.result.error().message;
  EXPECT_EQ(imds.requests(), 1);
}

TEST(RegionFromImds, FallsBackToImdsV1WhenTheTokenIsForbidden) {
  TestHttpServer imds([](const TestRequest& r) {
    if (r.method == "PUT") return text(403, "");
    if (r.target == kRegionPath && r.header("x-aws-ec2-metadata-token").empty()) return text(200, "eu-north-1");
    return text(404, "");
  });
  MapEnv env = hermetic_env();
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url() + "/");
  auto r = fetch_region_from_imds(env, CurlHttpClient::Options{});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(*r, "eu-north-1");
  env.set("AWS_EC2_METADATA_V1_DISABLED", "true");
  EXPECT_FALSE(fetch_region_from_imds(env, CurlHttpClient::Options{}).ok());
}

TEST(RegionFromImds, RetriesUpToTheConfiguredAttempts) {
  std::atomic<int> puts{0};
  TestHttpServer imds([&puts](const TestRequest& r) {
    if (r.method == "PUT") return ++puts == 1 ? text(503, "") : text(200, "imds-token");
    return fake_imds(r);
  });
  MapEnv env = hermetic_env();
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  env.set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2");
  auto r = fetch_region_from_imds(env, CurlHttpClient::Options{});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(*r, "us-west-2");
  EXPECT_EQ(puts.load(), 2);
}

TEST(RegionFromImds, AnswerThatIsNotARegionIsRejected) {
  TestHttpServer imds([](const TestRequest& r) {
    if (r.method == "PUT") return text(200, "t");
    return text(200, "<html>captive portal</html>");
  });
  MapEnv env = hermetic_env();
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  auto r = fetch_region_from_imds(env, CurlHttpClient::Options{});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("invalid region"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace appsignals::aws

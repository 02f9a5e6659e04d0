// Issue #18: AWS profiles per call (MCP_AWS_PROFILES) through the real MCP engine: two fake AWS
// accounts (the harness's and a second one), one profile pointing at each through a temporary
// shared config file (endpoint_url per profile); the `profile` argument every AWS tool gains
// centrally, the principal's profile set (jsonrpc::Message::grants -> RequestContext::aws_profiles) and its errors.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "aws/aws_setup.h"
#include "aws/shared_config.h"
#include "tool_harness.h"

namespace appsignals::testing {
namespace {

// A second fake account on its own loop thread.
struct SecondAccount {
  boost::asio::io_context ioc;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{boost::asio::make_work_guard(ioc)};
  std::unique_ptr<fakeaws::FakeAws> fake;
  std::thread thread;
  SecondAccount() {
    fakeaws::FakeAwsOptions options;
    options.clock = [] { return ToolHarness::fixed_now(); };
    auto f = fakeaws::FakeAws::start(ioc, options);
    if (!f) throw std::runtime_error(f.error().message);
    fake = std::move(*f);
    thread = std::thread([this] { ioc.run(); });
  }
  ~SecondAccount() {
    boost::asio::post(ioc, [this] { fake->stop(); });
    work.reset();
    thread.join();
  }
};

// Profiles "home" (the harness's fake) and "other" (the second fake, region eu-west-1 in its
// profile but an endpoint_url, so the fake still answers), written to a temporary config file.
class ToolProfiles : public ::testing::Test {
 protected:
  void SetUp() override {
    second_ = std::make_unique<SecondAccount>();
    path_ = ::testing::TempDir() + "tool_profiles_config_" + std::to_string(::getpid());
    std::string other_url = second_->fake->endpoint_url();
    std::string path = path_;
    auto creds = fakeaws::FakeAws::demo_credentials();
    harness_ = std::make_unique<ToolHarness>(
        nullptr, fakeaws::FakeAwsOptions{}, true,
        [path, other_url, creds](tools::ToolEnv& env, const std::shared_ptr<aws::ClientContext>& base,
                                 const std::string& home_url) {
          std::ofstream out(path);
          out << "[profile home]\naws_access_key_id = " << creds.access_key_id << "\naws_secret_access_key = "
              << creds.secret_access_key << "\nendpoint_url = " << home_url << "\n\n"
              << "[profile other]\nregion = us-west-2\naws_access_key_id = " << creds.access_key_id
              << "\naws_secret_access_key = " << creds.secret_access_key << "\nendpoint_url = " << other_url << "\n";
          out.close();
          aws::MapEnv aws_env;
          aws_env.set("AWS_CONFIG_FILE", path);
          aws_env.set("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
          aws_env.set("AWS_EC2_METADATA_DISABLED", "true");
          auto shared = aws::SharedConfig::load(aws_env);
          std::vector<tools::AwsProfile> profiles;
          for (const char* name : {"home", "other"}) {
            auto setup = aws::make_profile_setup(*base, aws_env, shared, name, "us-east-1");
            if (!setup) throw std::runtime_error(setup.error().message);
            profiles.push_back(tools::AwsProfile{name, setup->context, setup->region});
          }
          env.set_profiles(std::move(profiles));
        });
  }
  void TearDown() override {
    harness_.reset();
    second_.reset();
    std::remove(path_.c_str());
  }
  std::size_t home_requests() { return harness_->requests().size(); }
  std::size_t other_requests() { return second_->fake->requests().size(); }

  std::unique_ptr<SecondAccount> second_;
  std::unique_ptr<ToolHarness> harness_;
  std::string path_;
};

TEST_F(ToolProfiles, EveryAwsToolGainsAProfileEnumAndOnlyThoseTools) {
  int with = 0;
  for (const auto& tool : harness_->registry().tools()) {
    const auto& props = tool->input_schema.at("properties").as_object();
    const bool aws_tool = tool->annotations.at("openWorldHint").as_bool();
    ASSERT_EQ(props.contains("profile"), aws_tool) << tool->name;
    if (!aws_tool) continue;
    ++with;
    const auto& p = props.at("profile").as_object();
    EXPECT_EQ(p.at("type"), "string");
    EXPECT_EQ(p.at("enum"), (json::array{"home", "other"})) << tool->name;
    if (auto* req = tool->input_schema.if_contains("required")) {
      for (const auto& r : req->as_array()) {
        EXPECT_NE(r, "profile") << tool->name;
      }
    }
  }
  EXPECT_GT(with, 20);
}

TEST_F(ToolProfiles, ACallWithAProfileReachesThatAccountOnly) {
  auto r = harness_->call("list_monitored_services", json::object{{"profile", " OTHER "}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_GT(other_requests(), 0u);
  EXPECT_EQ(home_requests(), 0u) << "the other account's call reached the home account";
  const auto before = other_requests();
  r = harness_->call("list_monitored_services", json::object{{"profile", "home"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_GT(home_requests(), 0u);
  EXPECT_EQ(other_requests(), before);
}

TEST_F(ToolProfiles, WithoutAProfileAnUnrestrictedCallUsesTheServersCredentials) {
  auto r = harness_->call("list_monitored_services");
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_GT(home_requests(), 0u);  // the harness's server context points at the home fake
  EXPECT_EQ(other_requests(), 0u);
}

TEST_F(ToolProfiles, AnUnknownProfileIsAnErrorListingTheAllowedOnes) {
  auto r = harness_->call("list_monitored_services", json::object{{"profile", "prod"}});
  ASSERT_TRUE(r.is_error);
  EXPECT_NE(r.text.find("argument 'profile' must be one of: home, other (got 'prod')"), std::string::npos) << r.text;
  EXPECT_EQ(home_requests() + other_requests(), 0u);
}

TEST_F(ToolProfiles, APrincipalLimitedToOneProfileCannotReachTheOther) {
  harness_->set_principal("oauth:https://as#alice");
  harness_->set_aws_profiles(std::vector<std::string>{"home"});
  auto r = harness_->call("list_monitored_services", json::object{{"profile", "other"}});
  ASSERT_TRUE(r.is_error);
  EXPECT_NE(r.text.find("must be one of: home (got 'other')"), std::string::npos) << r.text;
  EXPECT_EQ(r.text.find("other,"), std::string::npos) << "the error must not reveal other profiles: " << r.text;
  // Not a name at all: refused the same way (the generic enum check would list every profile).
  r = harness_->call("list_monitored_services", json::object{{"profile", json::object{{"x", 1}}}});
  ASSERT_TRUE(r.is_error);
  EXPECT_NE(r.text.find("must be one of: home (got '(not a name)')"), std::string::npos) << r.text;
  EXPECT_EQ(other_requests(), 0u);
  // Without `profile`, the principal's default (its first profile), not the server's.
  r = harness_->call("list_monitored_services");
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_GT(home_requests(), 0u);
  EXPECT_EQ(other_requests(), 0u);
}

TEST_F(ToolProfiles, ThePrincipalsDefaultIsItsFirstProfile) {
  harness_->set_principal("api-key:x");
  harness_->set_aws_profiles(std::vector<std::string>{"other", "home"});
  auto r = harness_->call("list_monitored_services");
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_GT(other_requests(), 0u);
  EXPECT_EQ(home_requests(), 0u);
}

TEST_F(ToolProfiles, APrincipalWithNoProfileIsRefusedBeforeAws) {
  harness_->set_principal("oauth:https://as#mallory");
  harness_->set_aws_profiles(std::vector<std::string>{});
  for (auto args : {json::object{}, json::object{{"profile", "home"}}}) {
    auto r = harness_->call("list_monitored_services", args);
    ASSERT_TRUE(r.is_error);
    EXPECT_NE(r.text.find("no AWS profile is allowed for you"), std::string::npos) << r.text;
    EXPECT_EQ(r.text.find("other"), std::string::npos) << r.text;
  }
  EXPECT_EQ(home_requests() + other_requests(), 0u);
}

// Review finding: with a profile map in force (the session carries the principal's set) but no
// profile set up (every one failed at start), calls must fail, never run with the server's own
// credentials.
TEST(ToolProfilesFailClosed, AMappedPrincipalWithoutUsableProfilesNeverGetsTheServersCredentials) {
  ToolHarness harness(nullptr);
  harness.set_principal("oauth:https://as#alice");
  harness.set_aws_profiles(std::vector<std::string>{"prod"});
  for (auto args : {json::object{}, json::object{{"profile", "prod"}}}) {
    auto r = harness.call("list_monitored_services", args);
    ASSERT_TRUE(r.is_error) << r.text;
    EXPECT_NE(r.text.find("not an AWS profile of this server"), std::string::npos) << r.text;
  }
  EXPECT_EQ(harness.requests().size(), 0u);
}

TEST_F(ToolProfiles, ToolsWithoutAwsIgnoreProfiles) {
  harness_->set_principal("oauth:https://as#mallory");
  harness_->set_aws_profiles(std::vector<std::string>{});
  auto r = harness_->call("get_enablement_guide", json::object{{"service_platform", "ec2"}, {"service_language", "python"}});
  EXPECT_EQ(r.text.find("no AWS profile"), std::string::npos) << r.text;
}

TEST(ToolEnvProfiles, ClientsAreCachedPerProfileAndTheProfileRegionIsTheDefault) {
  boost::asio::io_context ioc;
  aws::MapEnv env;
  env.set("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
  env.set("AWS_ACCESS_KEY_ID", "AKIDTOOLENVTEST");
  env.set("AWS_SECRET_ACCESS_KEY", "tool-env-test-secret");
  env.set("AWS_REGION", "us-east-1");
  env.set("AWS_CONFIG_FILE", "/dev/null");
  env.set("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
  env.set("AWS_EC2_METADATA_DISABLED", "true");
  auto setup = aws::make_aws_setup(ioc.get_executor(), env);
  ASSERT_TRUE(setup.ok()) << setup.error().message;
  auto shared = aws::SharedConfig::from_strings(
      "[profile a]\nregion = eu-west-1\naws_access_key_id = AKIDA\naws_secret_access_key = sa\n"
      "[profile b]\naws_access_key_id = AKIDB\naws_secret_access_key = sb\n",
      "");
  tools::ToolEnv tool_env(setup->context, "us-east-1");
  std::vector<tools::AwsProfile> profiles;
  for (const char* name : {"a", "b"}) {
    auto p = aws::make_profile_setup(*setup->context, env, shared, name, "us-east-1");
    ASSERT_TRUE(p.ok()) << p.error().message;
    profiles.push_back(tools::AwsProfile{name, p->context, p->region});
  }
  tool_env.set_profiles(std::move(profiles));
  EXPECT_EQ(tool_env.default_region("a"), "eu-west-1");
  EXPECT_EQ(tool_env.default_region("b"), "us-east-1");
  EXPECT_EQ(tool_env.default_region(""), "us-east-1");
  auto a = tool_env.clients(json::object{}, "p", "a");
  auto b = tool_env.clients(json::object{}, "p", "b");
  auto server = tool_env.clients(json::object{}, "p", "");
  ASSERT_TRUE(a.ok() && b.ok() && server.ok());
  EXPECT_NE(a->get(), b->get());
  EXPECT_NE(a->get(), server->get());
  EXPECT_EQ(tool_env.clients(json::object{}, "p", "a")->get(), a->get());
  EXPECT_EQ(tool_env.cached_regions(), 3u);
  auto unknown = tool_env.clients(json::object{}, "p", "c");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  // A missing profile, or one without credentials, is refused with the profile's name.
  auto missing = aws::make_profile_setup(*setup->context, env, shared, "nope", "us-east-1");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("\"nope\""), std::string::npos) << missing.error().message;
}

}  // namespace
}  // namespace appsignals::testing

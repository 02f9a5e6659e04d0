// `appsignals-mcp check` against `appsignals-mcp fakeaws`: every probe passes on the sample
// account, and an access-denied fault names the missing IAM action and fails the command.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "subprocess.h"

namespace appsignals::testing {
namespace {

namespace asio = boost::asio;

struct Fake {
  Subprocess proc{bin_path("appsignals-mcp"), {"fakeaws", "--port", "0"}};
  std::string port;
  std::map<std::string, std::string> env;
  Fake() {
    auto p = proc.wait_for(R"(export AWS_ENDPOINT_URL=http://127\.0\.0\.1:(\d+))");
    if (!p) return;
    port = *p;
    proc.wait_for("AWS_DEFAULT_REGION=us-east-1");
    auto grab = [&](const std::string& name) {
      auto v = proc.wait_for("export " + name + "=(\\S+)");
      if (v) env[name] = *v;
    };
    grab("AWS_ACCESS_KEY_ID");
    grab("AWS_SECRET_ACCESS_KEY");
    env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:" + port;
    env["AWS_REGION"] = "us-east-1";
    env["AWS_CONFIG_FILE"] = "/dev/null";
    env["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
    env["AWS_EC2_METADATA_DISABLED"] = "true";
    env["AWS_MAX_ATTEMPTS"] = "1";
  }
  ~Fake() {
    proc.signal(SIGTERM);
    proc.wait();
  }
  // POSTs a JSON body to the fake's control endpoint.
  void control(const std::string& path, const std::string& body) {
    asio::io_context ioc;
    asio::ip::tcp::socket s(ioc);
    s.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(std::stoi(port))});
    std::string req = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      "Connection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    asio::write(s, asio::buffer(req));
    boost::system::error_code ec;
    std::string out;
    asio::read(s, asio::dynamic_buffer(out), ec);
  }
};

TEST(Check, PassesOnTheSampleAccount) {
  Fake fake;
  ASSERT_FALSE(fake.port.empty()) << fake.proc.output();
  Subprocess check(bin_path("appsignals-mcp"), {"check"}, fake.env);
  const auto& out = check.drain();
  EXPECT_EQ(check.wait(), 0) << out;
  EXPECT_NE(out.find("Caller identity:   arn:aws:iam::123456789012"), std::string::npos) << out;
  EXPECT_NE(out.find("All checks passed."), std::string::npos) << out;
  EXPECT_EQ(out.find(fake.env["AWS_SECRET_ACCESS_KEY"]), std::string::npos) << "the secret must never be printed";
}

TEST(Check, NamesEveryCredentialSourceItTriedAndWhyNoneGaveCredentials) {
  std::map<std::string, std::string> env = {
      {"AWS_REGION", "us-east-1"},         {"AWS_EC2_METADATA_DISABLED", "true"},
      {"AWS_CONFIG_FILE", "/dev/null"},    {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"},
      {"AWS_PROFILE", "ops"},              {"AWS_ACCESS_KEY_ID", "AKIDWITHOUTSECRET"},
      {"AWS_SECRET_ACCESS_KEY", ""},       {"AWS_WEB_IDENTITY_TOKEN_FILE", ""},
      {"AWS_ROLE_ARN", ""},                {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", ""},
      {"AWS_CONTAINER_CREDENTIALS_FULL_URI", ""}};
  Subprocess check(bin_path("appsignals-mcp"), {"check"}, env);
  const auto& out = check.drain();
  EXPECT_EQ(check.wait(), 1) << out;
  for (const char* line : {
           "  skipped         environment: AWS_SECRET_ACCESS_KEY not set",
           "  skipped         web identity: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN not set",
           "  skipped         profile ops: no profile \"ops\" in /dev/null or /dev/null",
           "  skipped         container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI "
           "not set",
           "  skipped         EC2 instance metadata: AWS_EC2_METADATA_DISABLED is set",
       }) {
    EXPECT_NE(out.find(line), std::string::npos) << "missing: " << line << "\n" << out;
  }
  EXPECT_NE(out.find("Credentials:       FAILED (none of the sources above supplied credentials)"), std::string::npos)
      << out;
}

TEST(Check, OnTheSampleAccountTheEnvironmentIsTheSourceAndTheRestAreNotAsked) {
  Fake fake;
  ASSERT_FALSE(fake.port.empty()) << fake.proc.output();
  Subprocess check(bin_path("appsignals-mcp"), {"check"}, fake.env);
  const auto& out = check.drain();
  EXPECT_EQ(check.wait(), 0) << out;
  EXPECT_NE(out.find("  OK              environment: environment (AWS_ACCESS_KEY_ID)"), std::string::npos) << out;
  EXPECT_NE(out.find("  skipped         EC2 instance metadata: AWS_EC2_METADATA_DISABLED is set"), std::string::npos)
      << out;
  EXPECT_NE(out.find("Credential source: environment (AWS_ACCESS_KEY_ID)"), std::string::npos) << out;
  EXPECT_EQ(out.find(fake.env["AWS_SECRET_ACCESS_KEY"]), std::string::npos) << "the secret must never be printed";
}

TEST(Check, AccessDeniedNamesTheMissingActionAndFails) {
  Fake fake;
  ASSERT_FALSE(fake.port.empty()) << fake.proc.output();
  fake.control("/__fault", R"({"operation":"ListServices","fault":"access_denied","count":-1})");
  Subprocess check(bin_path("appsignals-mcp"), {"check"}, fake.env);
  const auto& out = check.drain();
  EXPECT_EQ(check.wait(), 1) << out;
  EXPECT_NE(out.find("DENIED  application-signals:ListServices: missing IAM permission"), std::string::npos) << out;
}

TEST(Check, ProbesEveryActionTheEnabledToolsDeclare) {
  Fake fake;
  ASSERT_FALSE(fake.port.empty()) << fake.proc.output();
  Subprocess check(bin_path("appsignals-mcp"), {"check"}, fake.env);
  const auto& out = check.drain();
  EXPECT_EQ(check.wait(), 0) << out;
  // The three the old fixed list skipped, among every other declared action.
  for (const char* action : {"application-signals:ListAuditFindings", "logs:StartQuery", "s3:GetObject",
                             "s3:ListBucket", "xray:BatchGetTraces", "cloudwatch:GetMetricData", "iam:GetRole",
                             "cloudwatch:QueryMetrics", "cloudwatch:GetLabels"})
    EXPECT_NE(out.find(std::string("OK      ") + action), std::string::npos) << action << "\n" << out;
  // Only writes go unproved (the PromQL query API has its own probes).
  EXPECT_EQ(out.find("SKIPPED cloudwatch:"), std::string::npos) << out;
}

TEST(Check, APromqlActionDeniedIsNamed) {
  Fake fake;
  ASSERT_FALSE(fake.port.empty()) << fake.proc.output();
  fake.control("/__fault", R"({"operation":"GetLabels","fault":"access_denied","count":-1})");
  auto env = fake.env;
  env["MCP_TOOLSETS"] = "service_events";
  Subprocess check(bin_path("appsignals-mcp"), {"check"}, env);
  const auto& out = check.drain();
  EXPECT_EQ(check.wait(), 1) << out;
  EXPECT_NE(out.find("DENIED  cloudwatch:GetLabels: missing IAM permission"), std::string::npos) << out;
  EXPECT_NE(out.find("OK      cloudwatch:QueryMetrics"), std::string::npos) << out;
}

TEST(Check, OnlyTheEnabledToolsetsAreProbed) {
  Fake fake;
  ASSERT_FALSE(fake.port.empty()) << fake.proc.output();
  auto env = fake.env;
  env["MCP_TOOLSETS"] = "services";
  Subprocess check(bin_path("appsignals-mcp"), {"check"}, env);
  const auto& out = check.drain();
  EXPECT_EQ(check.wait(), 0) << out;
  EXPECT_NE(out.find("OK      application-signals:GetService"), std::string::npos) << out;
  EXPECT_EQ(out.find("xray:"), std::string::npos) << out;
  EXPECT_EQ(out.find("logs:StartQuery"), std::string::npos) << out;
}

TEST(Check, NoRegionIsAClearError) {
  Subprocess check(bin_path("appsignals-mcp"), {"check"},
                   {{"AWS_REGION", ""}, {"AWS_DEFAULT_REGION", ""}, {"AWS_CONFIG_FILE", "/dev/null"},
                    {"AWS_EC2_METADATA_DISABLED", "true"}});
  const auto& out = check.drain();
  EXPECT_NE(check.wait(), 0);
  EXPECT_NE(out.find("AWS_REGION"), std::string::npos) << out;
}

}  // namespace
}  // namespace appsignals::testing

#include "aws/endpoints/endpoint_resolver.h"
#include "aws/endpoints/rule_sets.h"
#include "aws/endpoints/rules_engine.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace appsignals::aws {
namespace {

namespace fs = std::filesystem;

// The models are required: a missing ../shared fails the golden test (a skip would pass
// silently with the rule engine untested).
fs::path models_root() {
  const char* src = std::getenv("APPSIGNALS_SOURCE_DIR");
  return (src ? fs::path(src) : fs::path(APPSIGNALS_DEFAULT_SOURCE_DIR)) / ".." / "shared" / "aws-models";
}

// Every case of endpoint-tests-1.json for each service whose rule set we embed.
TEST(EndpointRules, GoldenTestsFromTheModels) {
  if (!fs::exists(models_root()))
    FAIL() << "the AWS API models are missing: no " << models_root().lexically_normal().string()
           << " (../shared/aws-models beside the repository; see README.md, \"Test corpora\")";
  const std::pair<const char*, const char*> kServices[] = {
      {"application-signals", "application-signals"}, {"cloudwatch", "monitoring"}, {"logs", "logs"},
      {"xray", "xray"}, {"synthetics", "synthetics"}, {"iam", "iam"}, {"sts", "sts"}, {"rum", "rum"}};
  int total = 0;
  for (const auto& [folder, prefix] : kServices) {
    std::ifstream in(models_root() / folder / "endpoint-tests-1.json");
    std::stringstream ss;
    ss << in.rdbuf();
    auto doc = boost::json::parse(ss.str()).as_object();
    for (const auto& c : doc["testCases"].as_array()) {
      const auto& tc = c.as_object();
      SCOPED_TRACE(std::string(folder) + ": " + boost::json::serialize(tc.at("documentation")));
      endpoints::RuleParams p;
      if (auto* params = tc.if_contains("params")) {
        const auto& po = params->as_object();
        if (auto* v = po.if_contains("Region")) p.region = std::string(v->as_string());
        if (auto* v = po.if_contains("UseFIPS")) p.use_fips = v->as_bool();
        if (auto* v = po.if_contains("UseDualStack")) p.use_dual_stack = v->as_bool();
        if (auto* v = po.if_contains("Endpoint")) p.endpoint = std::string(v->as_string());
        if (auto* v = po.if_contains("UseGlobalEndpoint")) p.use_global_endpoint = v->as_bool();
      }
      auto r = resolve_from_rules(prefix, p);
      const auto& expect = tc.at("expect").as_object();
      if (auto* ep = expect.if_contains("endpoint")) {
        ASSERT_TRUE(r.ok()) << r.error().to_string();
        EXPECT_EQ(r->url, ep->at("url").as_string());
        if (auto* props = ep->as_object().if_contains("properties")) {
          const auto& scheme = props->at("authSchemes").as_array().at(0).as_object();
          if (auto* sr = scheme.if_contains("signingRegion")) {
            ASSERT_TRUE(r->signing_region.has_value());
            EXPECT_EQ(*r->signing_region, sr->as_string());
          }
        }
      } else {
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().message, expect.at("error").as_string());
      }
      ++total;
    }
  }
  EXPECT_GT(total, 200);
}

// Found by fuzzing (tests/fuzz/corpus/endpoint_rules/timeout-unclosed-template): an unclosed
// '{' in a URL template, or an unclosed '[' in a getAttr path, looped forever.
TEST(EndpointRules, UnclosedTemplatesAndAttributePathsEnd) {
  auto rule_set = [](std::string url) {
    return R"({"version":"1.0","parameters":{"Region":{"type":"string"}},"rules":[{"conditions":[{"fn":"aws.partition",)"
           R"("argv":[{"ref":"Region"}],"assign":"P"}],"endpoint":{"url":")" + url + R"("},"type":"endpoint"}]})";
  };
  endpoints::RuleParams params;
  params.region = "us-east-1";
  for (std::string url : {"https://x.{Region", "https://x.{P#name[0}", "https://x.{P#a[0]b[1}", "https://x.{P#a[x]}"}) {
    auto rs = endpoints::RuleSet::parse(rule_set(url), endpoints::partitions_json());
    ASSERT_TRUE(rs.ok()) << url;
    auto r = rs->resolve(params);  // ends; what it resolves to does not matter
    (void)r;
  }
  auto rs = endpoints::RuleSet::parse(rule_set("https://x.{Region"), endpoints::partitions_json());
  ASSERT_TRUE(rs.ok());
  auto r = rs->resolve(params);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->url, "https://x.{Region");
}

TEST(EndpointResolver, DefaultHostsForEveryService) {
  EndpointResolver r{EndpointSettings{}};
  EXPECT_EQ(r.resolve(services::kApplicationSignals, "us-west-2")->url, "https://application-signals.us-west-2.api.aws");
  EXPECT_EQ(r.resolve(services::kCloudWatch, "us-west-2")->url, "https://monitoring.us-west-2.amazonaws.com");
  EXPECT_EQ(r.resolve(services::kLogs, "eu-west-1")->url, "https://logs.eu-west-1.amazonaws.com");
  EXPECT_EQ(r.resolve(services::kXRay, "us-east-1")->url, "https://xray.us-east-1.amazonaws.com");
  EXPECT_EQ(r.resolve(services::kSynthetics, "us-east-1")->url, "https://synthetics.us-east-1.amazonaws.com");
  EXPECT_EQ(r.resolve(services::kLambda, "us-east-1")->url, "https://lambda.us-east-1.amazonaws.com");
  EXPECT_EQ(r.resolve(services::kRum, "eu-west-1")->url, "https://rum.eu-west-1.amazonaws.com");
  EXPECT_EQ(r.resolve(services::kSts, "eu-central-1")->url, "https://sts.eu-central-1.amazonaws.com");
  EXPECT_EQ(r.resolve(services::kS3, "us-east-1")->url, "https://s3.us-east-1.amazonaws.com");
  auto iam = r.resolve(services::kIam, "eu-west-1");
  EXPECT_EQ(iam->url, "https://iam.amazonaws.com");
  EXPECT_EQ(iam->signing_region, "us-east-1");
  auto none = r.resolve(services::kLogs, "");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kInvalidArgument);
}

TEST(EndpointResolver, OverridesInPrecedenceOrder) {
  auto config = SharedConfig::from_strings(
      "[profile dev]\nservices = local\nendpoint_url = http://profile:1\n"
      "[services local]\ncloudwatch_logs =\n  endpoint_url = http://svc-section:2\n",
      "");
  MapEnv env({{"AWS_PROFILE", "dev"},
              {"AWS_ENDPOINT_URL_APPLICATION_SIGNALS", "http://127.0.0.1:9000/"},
              {"AWS_ENDPOINT_URL_CLOUDWATCH", "http://cw:3"}});
  EndpointResolver r{EndpointSettings::load(env, config)};
  EXPECT_EQ(r.resolve(services::kApplicationSignals, "us-east-1")->url, "http://127.0.0.1:9000");
  EXPECT_TRUE(r.resolve(services::kApplicationSignals, "us-east-1")->custom);
  EXPECT_EQ(r.resolve(services::kCloudWatch, "us-east-1")->url, "http://cw:3");
  EXPECT_EQ(r.resolve(services::kLogs, "us-east-1")->url, "http://svc-section:2");
  EXPECT_EQ(r.resolve(services::kXRay, "us-east-1")->url, "http://profile:1");
  EXPECT_EQ(r.resolve(services::kXRay, "us-east-1")->signing_region, "us-east-1");

  env.set("AWS_ENDPOINT_URL", "http://global:4");
  EndpointResolver g{EndpointSettings::load(env, config)};
  EXPECT_EQ(g.resolve(services::kXRay, "us-east-1")->url, "http://global:4");
  EXPECT_EQ(g.resolve(services::kLogs, "us-east-1")->url, "http://global:4");

  env.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
  EndpointResolver ig{EndpointSettings::load(env, config)};
  EXPECT_EQ(ig.resolve(services::kXRay, "us-east-1")->url, "https://xray.us-east-1.amazonaws.com");
}

TEST(EndpointResolver, FipsFromEnvironment) {
  MapEnv env;
  env.set("AWS_USE_FIPS_ENDPOINT", "true");
  EndpointResolver r{EndpointSettings::load(env, SharedConfig{})};
  EXPECT_EQ(r.resolve(services::kLogs, "us-east-1")->url, "https://logs-fips.us-east-1.amazonaws.com");
  EXPECT_EQ(r.resolve(services::kApplicationSignals, "us-east-1")->url,
            "https://application-signals-fips.us-east-1.api.aws");
}

TEST(EndpointResolver, S3BucketAddressing) {
  Endpoint aws{"https://s3.us-east-1.amazonaws.com", "us-east-1", "s3", false};
  EXPECT_EQ(s3_bucket_url(aws, "my-bucket"), "https://my-bucket.s3.us-east-1.amazonaws.com");
  EXPECT_EQ(s3_bucket_url(aws, "my.bucket"), "https://s3.us-east-1.amazonaws.com/my.bucket");
  Endpoint local{"http://127.0.0.1:9000", "us-east-1", "s3", true};
  EXPECT_EQ(s3_bucket_url(local, "my-bucket"), "http://127.0.0.1:9000/my-bucket");
}

}  // namespace
}  // namespace appsignals::aws

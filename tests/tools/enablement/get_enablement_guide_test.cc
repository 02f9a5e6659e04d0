// get_enablement_guide through the MCP engine: every platform × language guide, the argument
// checks, and a golden output.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "golden.h"
#include "tool_harness.h"
#include "tools/enablement/enablement_tools.h"

namespace appsignals::testing {
namespace {

struct Combo {
  std::string platform;
  std::string language;
};

std::vector<Combo> all_combinations() {
  std::vector<Combo> out;
  for (std::string p : {"ec2", "ecs", "lambda", "eks"})
    for (std::string l : {"python", "nodejs", "java", "dotnet"}) out.push_back({p, l});
  return out;
}

json::object guide_args(const std::string& platform, const std::string& language,
                        const std::string& iac = "/srv/infra", const std::string& app = "/srv/app") {
  return json::object{{"service_platform", platform},
                      {"service_language", language},
                      {"iac_directory", iac},
                      {"app_directory", app}};
}

bool contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

std::size_t count_lines(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

class GetEnablementGuide : public ::testing::Test {
 protected:
  ToolHarness h{&tools::register_toolset<&tools::enablement_tools>};
};

TEST_F(GetEnablementGuide, EveryCombinationNamesAgentInstrumentationVariablesPolicyAndDirectories) {
  const std::map<std::string, std::vector<std::string>> platform_facts = {
      {"ec2", {"CloudWatch agent", "\"application_signals\": {}", "amazon-cloudwatch-agent-ctl",
               "CloudWatchAgentServerPolicy", "OTEL_AWS_APPLICATION_SIGNALS_ENABLED",
               "OTEL_AWS_APPLICATION_SIGNALS_EXPORTER_ENDPOINT", "http://localhost:4316/v1/traces",
               "OTEL_TRACES_SAMPLER", "OTEL_METRICS_EXPORTER"}},
      {"ecs", {"public.ecr.aws/cloudwatch-agent/cloudwatch-agent", "\"application_signals\": {}", "4316", "2000",
               "init container", "public.ecr.aws/aws-observability/adot-autoinstrumentation-",
               "CloudWatchAgentServerPolicy", "task role", "OTEL_AWS_APPLICATION_SIGNALS_ENABLED",
               "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"}},
      {"eks", {"amazon-cloudwatch-observability", "Amazon CloudWatch Observability",
               "instrumentation.opentelemetry.io/inject-", "CloudWatchAgentServerPolicy",
               "OTEL_AWS_APPLICATION_SIGNALS_ENABLED", "aws_eks_addon", "eks.CfnAddon"}},
      {"lambda", {"AWS Lambda Layer for OpenTelemetry", "AWS_LAMBDA_EXEC_WRAPPER", "/opt/otel-instrument",
                  "AWSXrayWriteOnlyAccess", "CloudWatchLambdaApplicationSignalsExecutionRolePolicy",
                  "OTEL_AWS_APPLICATION_SIGNALS_ENABLED", "tracing_config", "lambda.Tracing.ACTIVE"}},
  };
  const std::map<std::string, std::vector<std::string>> language_facts = {
      {"python", {"aws-opentelemetry-distro"}},
      {"nodejs", {"@aws/aws-distro-opentelemetry-node-autoinstrumentation"}},
      {"java", {"aws-opentelemetry-agent.jar"}},
      {"dotnet", {"CORECLR_ENABLE_PROFILING"}},
  };
  // What only the right platform × language pairing says.
  const std::map<std::string, std::string> combo_facts = {
      {"ec2/python", "opentelemetry-instrument"},
      {"ec2/nodejs", "--require @aws/aws-distro-opentelemetry-node-autoinstrumentation/register"},
      {"ec2/java", "-javaagent:/opt/aws-opentelemetry-agent.jar"},
      {"ec2/dotnet", "OTEL_DOTNET_AUTO_PLUGINS"},
      {"ecs/python", "adot-autoinstrumentation-python"},
      {"ecs/nodejs", "adot-autoinstrumentation-node"},
      {"ecs/java", "adot-autoinstrumentation-java"},
      {"ecs/dotnet", "adot-autoinstrumentation-dotnet"},
      {"eks/python", "instrumentation.opentelemetry.io/inject-python: \"true\""},
      {"eks/nodejs", "instrumentation.opentelemetry.io/inject-nodejs: \"true\""},
      {"eks/java", "instrumentation.opentelemetry.io/inject-java: \"true\""},
      {"eks/dotnet", "instrumentation.opentelemetry.io/inject-dotnet: \"true\""},
      {"lambda/python", "AWSOpenTelemetryDistroPython"},
      {"lambda/nodejs", "AWSOpenTelemetryDistroJs"},
      {"lambda/java", "AWSOpenTelemetryDistroJava"},
      {"lambda/dotnet", "AWSOpenTelemetryDistroDotNet"},
  };
  for (const auto& c : all_combinations()) {
    SCOPED_TRACE(c.platform + "/" + c.language);
    auto r = h.call("get_enablement_guide", guide_args(c.platform, c.language));
    ASSERT_FALSE(r.rpc_error);
    ASSERT_FALSE(r.is_error) << r.text;
    EXPECT_TRUE(r.text.starts_with("# Application Signals Enablement Guide\n"));
    EXPECT_TRUE(contains(r.text, "**Platform:** " + c.platform + "\n"));
    EXPECT_TRUE(contains(r.text, "**Language:** " + c.language + "\n"));
    EXPECT_TRUE(contains(r.text, "**IaC Directory:** `/srv/infra`"));
    EXPECT_TRUE(contains(r.text, "**App Directory:** `/srv/app`"));
    // The directories are referred to in the body too, not only in the header.
    auto body = r.text.substr(r.text.find("---"));
    EXPECT_TRUE(contains(body, "/srv/infra"));
    EXPECT_TRUE(contains(body, "/srv/app"));
    // Common steps.
    EXPECT_TRUE(contains(r.text, "Start discovering your services"));
    EXPECT_TRUE(contains(r.text, "AWS::ApplicationSignals::Discovery"));
    EXPECT_TRUE(contains(r.text, "### CDK (TypeScript)"));
    EXPECT_TRUE(contains(r.text, "### Terraform"));
    EXPECT_TRUE(contains(r.text, "list_monitored_services"));
    EXPECT_TRUE(contains(r.text, "get_service_detail"));
    for (const auto& fact : platform_facts.at(c.platform)) EXPECT_TRUE(contains(r.text, fact)) << fact;
    for (const auto& fact : language_facts.at(c.language)) EXPECT_TRUE(contains(r.text, fact)) << fact;
    EXPECT_TRUE(contains(r.text, combo_facts.at(c.platform + "/" + c.language)));
    // Every placeholder was filled; no other language's agent leaks in.
    EXPECT_FALSE(contains(r.text, "{{")) << r.text.substr(r.text.find("{{"), 40);
    for (const auto& [other, facts] : language_facts) {
      if (other == c.language) continue;
      for (const auto& fact : facts) {
        EXPECT_FALSE(contains(r.text, fact)) << other << ": " << fact;
      }
    }
    if (c.platform == "lambda") {
      EXPECT_FALSE(contains(r.text, "CloudWatchAgentServerPolicy"));
    } else {
      EXPECT_FALSE(contains(r.text, "AWS_LAMBDA_EXEC_WRAPPER"));
    }
    // Focused guides: long enough to be complete, short enough to read.
    EXPECT_GE(count_lines(r.text), 80u);
    EXPECT_LE(count_lines(r.text), 260u);
  }
}

TEST_F(GetEnablementGuide, ValuesAreCaseInsensitiveAndTrimmed) {
  auto r = h.call("get_enablement_guide", guide_args("  EKS ", "Python", " /srv/iac\n", "/srv/app"));
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "**Platform:** eks\n"));
  EXPECT_TRUE(contains(r.text, "**Language:** python\n"));
  EXPECT_TRUE(contains(r.text, "**IaC Directory:** `/srv/iac`"));
  EXPECT_TRUE(contains(r.text, "inject-python"));
  auto mixed = h.call("get_enablement_guide", guide_args("LaMbDa", "DOTNET"));
  ASSERT_FALSE(mixed.is_error) << mixed.text;
  EXPECT_TRUE(contains(mixed.text, "AWSOpenTelemetryDistroDotNet"));
}

TEST_F(GetEnablementGuide, UnknownPlatformListsTheAllowedValues) {
  auto r = h.call("get_enablement_guide", guide_args("mainframe", "python"));
  ASSERT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "service_platform"));
  EXPECT_TRUE(contains(r.text, "ec2, ecs, lambda, eks"));
  EXPECT_TRUE(contains(r.text, "'mainframe'"));
  EXPECT_TRUE(contains(r.text, "Example: service_platform=\"eks\"")) << r.text;
}

TEST_F(GetEnablementGuide, ObviousAliasesReadAsTheirPlatformAndLanguage) {
  struct Case {
    std::string platform, language, want_platform, want_language;
  };
  const std::vector<Case> cases = {
      {"Kubernetes", "Node.js", "eks", "nodejs"}, {"k8s", "node", "eks", "nodejs"},
      {"EC2", "JavaScript", "ec2", "nodejs"},     {"Amazon ECS", "C#", "ecs", "dotnet"},
      {"AWS Lambda", ".NET", "lambda", "dotnet"}, {"lambda", "Python3", "lambda", "python"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.platform + "/" + c.language);
    auto r = h.call("get_enablement_guide", guide_args(c.platform, c.language));
    ASSERT_FALSE(r.is_error) << r.text;
    EXPECT_TRUE(contains(r.text, "**Platform:** " + c.want_platform + "\n")) << r.text.substr(0, 400);
    EXPECT_TRUE(contains(r.text, "**Language:** " + c.want_language + "\n")) << r.text.substr(0, 400);
  }
  // An alias is said, a mere case difference is not.
  auto alias = h.call("get_enablement_guide", guide_args("k8s", "C#"));
  EXPECT_TRUE(contains(alias.text, "Note: service_platform 'k8s' read as eks.")) << alias.text.substr(0, 300);
  EXPECT_TRUE(contains(alias.text, "Note: service_language 'C#' read as dotnet.")) << alias.text.substr(0, 300);
  auto cased = h.call("get_enablement_guide", guide_args("EC2", "Java"));
  EXPECT_FALSE(contains(cased.text, "Note:")) << cased.text.substr(0, 300);
  EXPECT_EQ(tools::enablement::canonical_platform(" Amazon  EKS "), "eks");
  EXPECT_EQ(tools::enablement::canonical_language("ruby"), "");
}

TEST_F(GetEnablementGuide, SchemaAdvertisesTheEnumerationsAndDescriptionSaysWhatToEdit) {
  auto tool = h.registry().find_tool("get_enablement_guide");
  ASSERT_TRUE(tool);
  const auto& props = tool->input_schema.at("properties").as_object();
  EXPECT_EQ(props.at("service_platform").at("enum").as_array().size(), 4u);
  EXPECT_EQ(props.at("service_language").at("enum").as_array().size(), 4u);
  const std::string description(tool->description);
  EXPECT_TRUE(contains(description, "infrastructure code")) << description;
  EXPECT_TRUE(contains(description, "Dockerfiles")) << description;
  EXPECT_TRUE(contains(description, "dependency files")) << description;
  EXPECT_TRUE(contains(description, "never edit application logic")) << description;
  EXPECT_TRUE(contains(description, "checklist")) << description;
  EXPECT_TRUE(contains(description, "tick")) << description;
  // Honest annotations: reads nothing outside the server.
  EXPECT_EQ(tool->annotations.at("openWorldHint"), false);
  EXPECT_EQ(tool->annotations.at("readOnlyHint"), true);
}

TEST_F(GetEnablementGuide, TheLongestGuideIsNotCut) {
  auto r = h.call("get_enablement_guide", guide_args("ecs", "dotnet"));
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_FALSE(contains(r.text, "[Output cut")) << r.text.size();
  EXPECT_TRUE(contains(r.text, "get_service_detail"));
}

TEST_F(GetEnablementGuide, UnknownLanguageListsTheAllowedValues) {
  auto r = h.call("get_enablement_guide", guide_args("ecs", "ruby"));
  ASSERT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "service_language"));
  EXPECT_TRUE(contains(r.text, "python, nodejs, java, dotnet"));
  auto path_like = h.call("get_enablement_guide", guide_args("ecs", "../python"));
  ASSERT_TRUE(path_like.is_error);
  EXPECT_TRUE(contains(path_like.text, "service_language"));
}

TEST_F(GetEnablementGuide, RelativePathsAreRejected) {
  auto r = h.call("get_enablement_guide", guide_args("ec2", "java", "infra", "/srv/app"));
  ASSERT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "iac_directory"));
  EXPECT_TRUE(contains(r.text, "absolute path"));
  auto app = h.call("get_enablement_guide", guide_args("ec2", "java", "/srv/infra", "./app"));
  ASSERT_TRUE(app.is_error);
  EXPECT_TRUE(contains(app.text, "app_directory"));
  EXPECT_TRUE(contains(app.text, "absolute path"));
  auto windows = h.call("get_enablement_guide", guide_args("ec2", "java", "C:\\work\\infra", "/srv/app"));
  EXPECT_TRUE(windows.is_error);
}

TEST_F(GetEnablementGuide, DotDotSegmentsAndControlCharactersAreRejected) {
  for (std::string bad : {"/srv/../etc", "/srv/..", "/..", "/srv/app/../../x"}) {
    SCOPED_TRACE(bad);
    auto r = h.call("get_enablement_guide", guide_args("ecs", "nodejs", "/srv/infra", bad));
    ASSERT_TRUE(r.is_error);
    EXPECT_TRUE(contains(r.text, "app_directory"));
    EXPECT_TRUE(contains(r.text, "'..'"));
  }
  // '..' inside a name is not a parent reference.
  auto ok = h.call("get_enablement_guide", guide_args("ecs", "nodejs", "/srv/infra", "/srv/my..app"));
  EXPECT_FALSE(ok.is_error) << ok.text;
  auto nul = h.call("get_enablement_guide", guide_args("ecs", "nodejs", std::string("/srv/in\0fra", 11), "/srv/app"));
  ASSERT_TRUE(nul.is_error);
  EXPECT_TRUE(contains(nul.text, "control characters"));
  EXPECT_FALSE(contains(nul.text, std::string("\0", 1)));
  auto tab = h.call("get_enablement_guide", guide_args("ecs", "nodejs", "/srv/in\tfra", "/srv/app"));
  EXPECT_TRUE(tab.is_error);
}

TEST_F(GetEnablementGuide, MissingOrEmptyArgumentsAreRejected) {
  for (std::string missing : {"service_platform", "service_language", "iac_directory", "app_directory"}) {
    SCOPED_TRACE(missing);
    auto args = guide_args("eks", "java");
    args.erase(missing);
    auto r = h.call("get_enablement_guide", args);
    ASSERT_FALSE(r.rpc_error);
    ASSERT_TRUE(r.is_error);
    EXPECT_TRUE(contains(r.text, missing));
    auto empty = guide_args("eks", "java");
    empty[missing] = "  ";
    auto e = h.call("get_enablement_guide", empty);
    ASSERT_TRUE(e.is_error);
    EXPECT_TRUE(contains(e.text, missing));
  }
}

TEST_F(GetEnablementGuide, DirectoriesAreInsertedVerbatimWithoutExpansion) {
  auto r = h.call("get_enablement_guide", guide_args("eks", "python", "/x/{{APP_DIR}}", "/y/{{LANG}}"));
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "**IaC Directory:** `/x/{{APP_DIR}}`"));
  EXPECT_TRUE(contains(r.text, "/y/{{LANG}}"));
  EXPECT_FALSE(contains(r.text, "/x//y/"));
}

TEST_F(GetEnablementGuide, MakesNoAwsCallsAndIsReadOnly) {
  auto r = h.call("get_enablement_guide", guide_args("ec2", "python"));
  ASSERT_FALSE(r.is_error);
  EXPECT_TRUE(h.requests().empty());
  auto tool = h.registry().find_tool("get_enablement_guide");
  ASSERT_TRUE(tool);
  EXPECT_EQ(tool->annotations.at("readOnlyHint"), true);
  EXPECT_EQ(tool->input_schema.at("required").as_array().size(), 4u);
}

TEST_F(GetEnablementGuide, GoldenEksPython) {
  auto r = h.call("get_enablement_guide", guide_args("eks", "python", "/home/dev/shop/infra", "/home/dev/shop/checkout"));
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("enablement/golden/get_enablement_guide.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing

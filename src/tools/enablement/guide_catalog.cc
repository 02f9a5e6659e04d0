// Assembles a guide: the platform's template filled with the language's fragments, the shared
// fragments and the environment variables rendered in each format the template uses.
#include <vector>

#include "tools/enablement/enablement_guides.h"
#include "tools/enablement/guide_fragments.h"

namespace appsignals::tools::enablement {
namespace {

constexpr std::string_view kIntro =
    "Work through the steps in order. Values in angle brackets (`<version>`, `<your-service-name>`, "
    "`<region>`, ...) are yours to fill in; resource names in the snippets (roles, containers, functions) "
    "stand for the ones already defined in your code.\n\n";

std::vector<EnvVar> joined(std::span<const EnvVar> a, std::span<const EnvVar> b) {
  std::vector<EnvVar> out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// `cp -a /x/. /y` → ["cp", "-a", "/x/.", "/y"] (valid JSON, TypeScript and HCL alike).
std::string command_array(std::string_view command) {
  std::string out = "[";
  std::size_t pos = 0;
  bool first = true;
  while (pos < command.size()) {
    auto end = command.find(' ', pos);
    if (end == std::string_view::npos) end = command.size();
    if (end > pos) {
      if (!first) out += ", ";
      out += "\"" + std::string(command.substr(pos, end - pos)) + "\"";
      first = false;
    }
    pos = end + 1;
  }
  return out + "]";
}

Vars language_vars(const LanguageGuide& lang) {
  Vars v;
  v["LANG"] = std::string(lang.display);
  v["SDK"] = std::string(lang.sdk);
  v["ACCOUNT_ENABLEMENT"] = std::string(account_enablement_fragment());
  v["VERIFY"] = std::string(verification_fragment());
  return v;
}

void add_ec2_vars(Vars& v, const LanguageGuide& lang) {
  auto env = joined(common_otel_env(), lang.host_env);
  v["HOST_STEPS"] = std::string(lang.host_steps);
  v["HOST_EXEC"] = std::string(lang.host_exec);
  v["ENV_TABLE"] = render_env(env, EnvFormat::kTable);
  v["ENV_SHELL"] = render_env(env, EnvFormat::kShell);
  v["ENV_CDK_LINES"] = render_env(env, EnvFormat::kJsLine, "  ");
  v["ENV_FILE_INDENTED"] = render_env(env, EnvFormat::kEnvFile, "    ");
}

void add_ecs_vars(Vars& v, const LanguageGuide& lang) {
  auto env = joined(common_otel_env(), lang.container_env);
  v["INIT_IMAGE"] = std::string(lang.init_image);
  v["INIT_COMMAND"] = std::string(lang.init_command);
  v["INIT_COMMAND_ARRAY"] = command_array(lang.init_command);
  v["MOUNT_PATH"] = std::string(lang.mount_path);
  v["CONTAINER_NOTES"] = std::string(lang.container_notes);
  v["ENV_TABLE"] = render_env(env, EnvFormat::kTable);
  v["ENV_ECS_JSON"] = render_env(env, EnvFormat::kEcsJson, "  ");
  v["ENV_CDK"] = render_env(env, EnvFormat::kCdk, "  ");
  v["ENV_TF"] = render_env(env, EnvFormat::kTerraform, "        ");
}

void add_eks_vars(Vars& v, const LanguageGuide& lang) {
  v["EKS_LANG"] = std::string(lang.eks_annotation_lang);
  v["EKS_NOTES"] = std::string(lang.eks_notes);
}

void add_lambda_vars(Vars& v, const LanguageGuide& lang) {
  v["LAMBDA_LAYER"] = std::string(lang.lambda_layer);
  v["LAMBDA_CDK_RUNTIME"] = std::string(lang.lambda_cdk_runtime);
  v["LAMBDA_TF_RUNTIME"] = std::string(lang.lambda_tf_runtime);
  v["LAMBDA_HANDLER"] = std::string(lang.lambda_handler);
  v["LAMBDA_NOTES"] = std::string(lang.lambda_notes);
}

struct Platform {
  std::string_view key;
  std::string_view (*body)();
  void (*add_vars)(Vars&, const LanguageGuide&);
};

// Dispatch table, in catalogue order.
constexpr Platform kPlatforms[] = {
    {"ec2", &ec2_template, &add_ec2_vars},
    {"ecs", &ecs_template, &add_ecs_vars},
    {"lambda", &lambda_template, &add_lambda_vars},
    {"eks", &eks_template, &add_eks_vars},
};

}  // namespace

const std::vector<std::string_view>& supported_platforms() {
  static const std::vector<std::string_view> kAll = {"ec2", "ecs", "lambda", "eks"};
  return kAll;
}

const std::vector<std::string_view>& supported_languages() {
  static const std::vector<std::string_view> kAll = {"python", "nodejs", "java", "dotnet"};
  return kAll;
}

std::optional<std::string> enablement_guide(std::string_view platform, std::string_view language) {
  const LanguageGuide* lang = language_guide(language);
  if (!lang) return std::nullopt;
  for (const auto& p : kPlatforms) {
    if (p.key != platform) continue;
    Vars vars = language_vars(*lang);
    p.add_vars(vars, *lang);
    return std::string(kIntro) + expand_placeholders(p.body(), vars, /*recursive=*/true);
  }
  return std::nullopt;
}

std::optional<std::string> render_guide(std::string_view platform, std::string_view language,
                                        std::string_view iac_directory, std::string_view app_directory) {
  auto body = enablement_guide(platform, language);
  if (!body) return std::nullopt;
  std::string out = "# Application Signals Enablement Guide\n\n";
  out += "**Platform:** " + std::string(platform) + "\n";
  out += "**Language:** " + std::string(language) + "\n";
  out += "**IaC Directory:** `" + std::string(iac_directory) + "`\n";
  out += "**App Directory:** `" + std::string(app_directory) + "`\n\n---\n\n";
  Vars dirs;
  dirs["IAC_DIR"] = std::string(iac_directory);
  dirs["APP_DIR"] = std::string(app_directory);
  // One non-recursive pass: the directories are user text and are never expanded again.
  out += expand_placeholders(*body, dirs, /*recursive=*/false);
  return out;
}

}  // namespace appsignals::tools::enablement

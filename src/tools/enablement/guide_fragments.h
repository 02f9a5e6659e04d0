#pragma once
// Internal to the enablement toolset: the pieces the guides are assembled from.
//
// A platform template is Markdown with {{NAME}} placeholders. guide_catalog.cc fills them from
// the language's LanguageGuide, the shared fragments and the environment-variable lists it
// renders for the platform. Fragments may themselves contain placeholders (expanded
// recursively, bounded depth); {{IAC_DIR}} and {{APP_DIR}} are left for render_guide.
#include <map>
#include <span>
#include <string>
#include <string_view>

namespace appsignals::tools::enablement {

// One environment variable as the guides present it.
struct EnvVar {
  std::string_view name;
  std::string_view value;
  std::string_view purpose;  // one short phrase for the table
};

// What a language contributes to each platform's guide.
struct LanguageGuide {
  std::string_view key;      // "python"
  std::string_view display;  // "Python"
  std::string_view sdk;      // the auto-instrumentation, one line of Markdown
  // EC2 (the agent and the app on the host).
  std::string_view host_steps;          // Markdown: install and launch with the agent
  std::string_view host_exec;           // a systemd ExecStart= command line
  std::span<const EnvVar> host_env;     // language-specific variables on a host
  // ECS (an init container copies the agent into a shared volume).
  std::string_view init_image;          // without tag
  std::string_view init_command;        // shell command the init container runs
  std::string_view mount_path;          // where the shared volume is mounted in both containers
  std::span<const EnvVar> container_env;
  std::string_view container_notes;     // Markdown
  // EKS (the CloudWatch Observability add-on injects the agent).
  std::string_view eks_annotation_lang;  // suffix of instrumentation.opentelemetry.io/inject-<lang>
  std::string_view eks_notes;            // Markdown
  // Lambda (the ADOT / Application Signals layer).
  std::string_view lambda_layer;        // layer name, e.g. AWSOpenTelemetryDistroPython
  std::string_view lambda_cdk_runtime;  // e.g. lambda.Runtime.PYTHON_3_12
  std::string_view lambda_tf_runtime;   // e.g. python3.12
  std::string_view lambda_handler;      // e.g. app.handler
  std::string_view lambda_notes;        // Markdown
};

// nullptr for an unknown language key.
const LanguageGuide* language_guide(std::string_view key);

// Shared fragments (fragments_common.cc).
std::string_view account_enablement_fragment();
std::string_view verification_fragment();
std::span<const EnvVar> common_otel_env();  // the variables every non-Lambda platform sets

// Platform templates (guides_<platform>.cc).
std::string_view ec2_template();
std::string_view ecs_template();
std::string_view eks_template();
std::string_view lambda_template();

// Placeholder expansion (guide_template.cc). Unknown placeholders are kept as written.
// `recursive`: expanded values are expanded again (trusted fragments only), up to a fixed depth.
using Vars = std::map<std::string, std::string, std::less<>>;
std::string expand_placeholders(std::string_view text, const Vars& vars, bool recursive);

// Renderers for lists of variables.
enum class EnvFormat {
  kTable,      // Markdown table: | Variable | Value | Purpose |
  kShell,      // export NAME="value"
  kEnvFile,    // NAME="value" (systemd EnvironmentFile)
  kEcsJson,    // { "name": "NAME", "value": "value" }, in a task definition
  kCdk,        // NAME: 'value', in a CDK environment object
  kTerraform,  // { name = "NAME", value = "value" }, in a jsonencode()d container definition
  kYaml,       // - name: NAME / value: "value", in a Kubernetes container spec
  kJsLine,     // 'NAME="value"', (lines of an environment file built in TypeScript)
};
std::string render_env(std::span<const EnvVar> vars, EnvFormat format, std::string_view indent = {});

}  // namespace appsignals::tools::enablement

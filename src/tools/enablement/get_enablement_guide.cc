// get_enablement_guide: our own step-by-step guide for enabling Application Signals for one
// platform and language, with the caller's IaC and application directories filled in.
// No AWS calls; platform and language are enumerations with aliases, the paths must be absolute.
#include <algorithm>
#include <cctype>
#include <span>
#include <string>

#include <boost/json/serialize.hpp>

#include "tools/enablement/enablement_guides.h"
#include "tools/enablement/enablement_tools.h"

namespace appsignals::tools::enablement {
namespace {

constexpr std::size_t kMaxPathLength = 4096;
constexpr std::size_t kGuideBudget = 20000;

struct Alias {
  std::string_view spelling;  // lower case, single spaces
  std::string_view canonical;
};

// Spellings a model or a user writes for the supported values; the canonical values themselves
// match without an entry.
constexpr Alias kPlatformAliases[] = {
    {"amazon ec2", "ec2"},        {"aws ec2", "ec2"},          {"ec2 instance", "ec2"},   {"ec2 instances", "ec2"},
    {"amazon ecs", "ecs"},        {"aws ecs", "ecs"},          {"ecs fargate", "ecs"},
    {"aws lambda", "lambda"},     {"amazon lambda", "lambda"}, {"lambda function", "lambda"},
    {"lambda functions", "lambda"},
    {"kubernetes", "eks"},        {"k8s", "eks"},              {"amazon eks", "eks"},     {"aws eks", "eks"},
};
constexpr Alias kLanguageAliases[] = {
    {"py", "python"},          {"python3", "python"},     {"python 3", "python"},
    {"node", "nodejs"},        {"node.js", "nodejs"},     {"node js", "nodejs"},     {"node-js", "nodejs"},
    {"javascript", "nodejs"},  {"js", "nodejs"},          {"typescript", "nodejs"},  {"ts", "nodejs"},
    {"c#", "dotnet"},          {"csharp", "dotnet"},      {".net", "dotnet"},        {"net", "dotnet"},
    {".net core", "dotnet"},   {"dotnet core", "dotnet"}, {"asp.net", "dotnet"},     {"asp.net core", "dotnet"},
    {"dot net", "dotnet"},
};

std::string join(const std::vector<std::string_view>& values) {
  std::string out;
  for (auto v : values) out += (out.empty() ? "" : ", ") + std::string(v);
  return out;
}

// Lower case, trimmed, inner runs of space collapsed to one.
std::string normalized(std::string_view value) {
  std::string out;
  bool space = false;
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (std::isspace(u)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(std::tolower(u)));
  }
  return out;
}

std::string canonical(std::string_view value, const std::vector<std::string_view>& allowed,
                      std::span<const Alias> aliases) {
  std::string v = normalized(value);
  if (std::find(allowed.begin(), allowed.end(), v) != allowed.end()) return v;
  for (const auto& a : aliases)
    if (a.spelling == v) return std::string(a.canonical);
  return {};
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

bool has_dotdot_segment(std::string_view path) {
  std::size_t pos = 0;
  while (pos <= path.size()) {
    auto end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    if (path.substr(pos, end - pos) == "..") return true;
    pos = end + 1;
  }
  return false;
}

// The value as it may be quoted back in an error (never control characters, bounded length).
std::string quoted(std::string_view value) {
  if (has_control(value)) return "(a value containing control characters)";
  if (value.size() > 200) return "'" + std::string(value.substr(0, 200)) + "…'";
  return "'" + std::string(value) + "'";
}

// The reader of an enumeration with aliases: the canonical value (with a note when an alias was
// read), or an error listing the allowed values and what to do.
ArgSpec::Reader choice_reader(std::string name, std::string (*to_canonical)(std::string_view),
                              const std::vector<std::string_view>& allowed, std::string ask) {
  std::string allowed_text = join(allowed);
  return [name, to_canonical, allowed_text, ask](const json::value& v, Notes& notes) -> Result<json::value> {
    std::string text = v.is_string() ? std::string(v.get_string()) : json::serialize(v);
    std::string value = to_canonical(text);
    if (value.empty())
      return Error{ErrorCode::kInvalidArgument, "must be one of " + allowed_text + " (case-insensitive); got " +
                                                    quoted(text) + ". " + ask};
    if (normalized(text) != value) notes.push_back(name + " " + quoted(text) + " read as " + value + ".");
    return json::value(value);
  };
}

ArgSpec::Reader path_reader(std::string what) {
  return [what](const json::value& v, Notes&) -> Result<json::value> {
    std::string path = v.is_string() ? std::string(v.get_string()) : std::string();
    std::string problem;
    if (has_control(path)) {
      problem = "contains control characters";
    } else if (path.empty() || path.front() != '/') {
      problem = "is a relative path";
    } else if (has_dotdot_segment(path)) {
      problem = "contains a '..' segment";
    } else if (path.size() > kMaxPathLength) {
      problem = "is longer than " + std::to_string(kMaxPathLength) + " characters";
    }
    if (problem.empty()) return json::value(path);
    return Error{ErrorCode::kInvalidArgument,
                 "must be an absolute path (starting with '/', without '..' segments or control characters), but " +
                     quoted(path) + " " + problem + ". Resolve the " + what +
                     " to its full absolute path (for example with `realpath`) or ask the user for it, then call the "
                     "tool again"};
  };
}

boost::asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  std::string platform = call.args.str("service_platform");
  std::string language = call.args.str("service_language");
  auto guide = render_guide(platform, language, call.args.str("iac_directory"), call.args.str("app_directory"));
  if (!guide)  // unreachable while every allowed combination has a guide; kept as a safe answer
    co_return mcp::ToolResult::error("Error: there is no enablement guide for platform '" + platform +
                                     "' and language '" + language + "'. Tell the user this combination is not "
                                     "covered.");
  co_return mcp::ToolResult::text(*guide);
}

}  // namespace

std::string canonical_platform(std::string_view value) {
  return canonical(value, supported_platforms(), kPlatformAliases);
}
std::string canonical_language(std::string_view value) {
  return canonical(value, supported_languages(), kLanguageAliases);
}

ToolEntry get_enablement_guide_tool() {
  std::vector<std::string> platforms(supported_platforms().begin(), supported_platforms().end());
  std::vector<std::string> languages(supported_languages().begin(), supported_languages().end());
  ToolSpec spec;
  spec.name = "get_enablement_guide";
  spec.title = "Application Signals enablement guide";
  spec.description =
      "Returns our step-by-step Markdown guide for turning on CloudWatch Application Signals for a service that "
      "is not instrumented yet, for one platform (ec2, ecs, lambda, eks) and one language (python, nodejs, java, "
      "dotnet): enabling Application Signals in the account, the telemetry agent (CloudWatch agent on EC2, agent "
      "sidecar and init container on ECS, the CloudWatch Observability add-on on EKS, the ADOT layer on Lambda), "
      "the language's auto-instrumentation, environment variables, IAM policies, CDK and Terraform snippets, and "
      "how to verify. Use it when list_monitored_services shows a service as uninstrumented or missing, or the "
      "user asks how to add Application Signals. When you apply the guide: change only infrastructure code "
      "(IaC such as CDK, Terraform, CloudFormation), Dockerfiles and dependency files (requirements.txt, "
      "package.json, pom.xml, *.csproj, ...); never edit application logic. Copy the guide's steps into a "
      "checklist, tick each one off as it is done, and tell the user which remain. Both directories must be "
      "absolute paths. Makes no AWS calls; afterwards list_monitored_services and get_service_detail confirm the "
      "service reports.";
  spec.args = {
      arg::enumeration("service_platform",
                       "Where the service runs: ec2, ecs, lambda or eks (case-insensitive; \"Kubernetes\"/\"k8s\" "
                       "mean eks).",
                       platforms)
          .require()
          .eg("\"eks\"")
          .read_with(choice_reader("service_platform", &canonical_platform, supported_platforms(),
                                   "Ask the user where the service runs (EC2 instances, ECS tasks, Lambda functions or "
                                   "an EKS cluster) if it is not clear from the code.")),
      arg::enumeration("service_language",
                       "The service's language: python, nodejs, java or dotnet (case-insensitive; \"Node.js\", "
                       "\"JavaScript\", \"TypeScript\" mean nodejs, \"C#\" and \".NET\" mean dotnet).",
                       languages)
          .require()
          .eg("\"python\"")
          .read_with(choice_reader("service_language", &canonical_language, supported_languages(),
                                   "Other languages have no guide here; tell the user Application Signals "
                                   "auto-instrumentation covers Python, Node.js, Java and .NET.")),
      arg::string("iac_directory",
                  "Absolute path of the infrastructure-as-code directory (CDK, Terraform, CloudFormation) that "
                  "defines the service's compute, e.g. \"/home/dev/shop/infra\". Must start with '/' and contain no "
                  "'..' segments.")
          .require()
          .eg("\"/home/dev/shop/infra\"")
          .read_with(path_reader("infrastructure-as-code directory")),
      arg::string("app_directory",
                  "Absolute path of the application's source directory, e.g. \"/home/dev/shop/checkout\". Must "
                  "start with '/' and contain no '..' segments.")
          .require()
          .eg("\"/home/dev/shop/checkout\"")
          .read_with(path_reader("application directory")),
  };
  // No AWS operation: the guides are compiled in, so the tool does not reach outside the server.
  spec.open_world = false;
  // A guide is one document that cannot be paged or narrowed, and cutting it would drop the
  // verification steps at its end; the longest (ECS with .NET) is about 16,500 characters.
  spec.output_budget = kGuideBudget;
  spec.narrow_hint = "call again: the guide is fixed for a platform and language";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::enablement

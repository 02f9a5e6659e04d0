// get_enablement_guide: our own step-by-step guide for enabling Application Signals for one
// platform and language, with the caller's IaC and application directories filled in.
// No AWS calls; inputs are checked against allow-lists and the paths must be absolute.
#include <algorithm>
#include <cctype>
#include <string>

#include <boost/json/array.hpp>

#include "tools/common/args.h"
#include "tools/common/tool_errors.h"
#include "tools/enablement/enablement_guides.h"
#include "tools/enablement/enablement_tools.h"
#include "tools/toolsets.h"

namespace appsignals::tools::enablement {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxPathLength = 4096;

std::string join(const std::vector<std::string_view>& values) {
  std::string out;
  for (auto v : values) {
    if (!out.empty()) out += ", ";
    out += v;
  }
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
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

// A lower-cased value from the allow-list, or an error naming the argument and the allowed values.
Result<std::string> choice_arg(const json::object& args, std::string_view name,
                               const std::vector<std::string_view>& allowed, std::string_view ask) {
  auto raw = required_string(args, name);
  if (!raw) return Error{ErrorCode::kInvalidArgument, raw.error().message + "; allowed values: " + join(allowed) + "."};
  std::string value = lower(*raw);
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return value;
  return Error{ErrorCode::kInvalidArgument,
               "argument '" + std::string(name) + "' must be one of " + join(allowed) + " (case-insensitive); got " +
                   quoted(*raw) + ". " + std::string(ask)};
}

Result<std::string> directory_arg(const json::object& args, std::string_view name, std::string_view what) {
  auto raw = required_string(args, name);
  if (!raw) return Error{ErrorCode::kInvalidArgument, raw.error().message + " (an absolute path)."};
  const std::string& path = *raw;
  std::string problem;
  if (has_control(path)) {
    problem = "contains control characters";
  } else if (path.front() != '/') {
    problem = "is a relative path";
  } else if (has_dotdot_segment(path)) {
    problem = "contains a '..' segment";
  } else if (path.size() > kMaxPathLength) {
    problem = "is longer than " + std::to_string(kMaxPathLength) + " characters";
  }
  if (problem.empty()) return path;
  return Error{ErrorCode::kInvalidArgument,
               "argument '" + std::string(name) + "' must be an absolute path (starting with '/', without '..' "
               "segments or control characters), but " + quoted(path) + " " + problem + ". Resolve the " +
                   std::string(what) + " to its full absolute path (for example with `realpath`) or ask the user "
                   "for it, then call the tool again."};
}

mcp::ToolResult guide_result(const json::object& args) {
  auto platform = choice_arg(args, "service_platform", supported_platforms(),
                             "Ask the user where the service runs (EC2 instances, ECS tasks, Lambda functions or "
                             "an EKS cluster) if it is not clear from the code.");
  if (!platform) return argument_failure(platform.error());
  auto language = choice_arg(args, "service_language", supported_languages(),
                             "Other languages have no guide here; tell the user Application Signals "
                             "auto-instrumentation covers Python, Node.js, Java and .NET.");
  if (!language) return argument_failure(language.error());
  auto iac = directory_arg(args, "iac_directory", "infrastructure-as-code directory");
  if (!iac) return argument_failure(iac.error());
  auto app = directory_arg(args, "app_directory", "application directory");
  if (!app) return argument_failure(app.error());

  auto guide = render_guide(*platform, *language, *iac, *app);
  if (!guide) {  // unreachable while every allowed combination has a guide; kept as a safe answer
    return argument_failure("there is no enablement guide for platform '" + *platform + "' and language '" +
                            *language + "'. Tell the user this combination is not covered.");
  }
  return mcp::ToolResult::text(*guide);
}

boost::asio::awaitable<mcp::ToolResult> get_enablement_guide(mcp::RequestContext&, json::object args) {
  co_return guide_result(args);
}

json::object string_property(std::string_view description) {
  return json::object{{"type", "string"}, {"description", description}};
}

json::object input_schema() {
  json::object properties;
  properties["service_platform"] = string_property(
      "Where the service runs: one of ec2, ecs, lambda, eks (case-insensitive). Required.");
  properties["service_language"] = string_property(
      "The service's language: one of python, nodejs, java, dotnet (case-insensitive). Required.");
  properties["iac_directory"] = string_property(
      "Absolute path of the infrastructure-as-code directory (CDK, Terraform, ...) that defines the service's "
      "compute. Must start with '/' and contain no '..' segments. Required.");
  properties["app_directory"] = string_property(
      "Absolute path of the application's source directory. Must start with '/' and contain no '..' segments. "
      "Required.");
  return json::object{
      {"type", "object"},
      {"properties", std::move(properties)},
      {"required", json::array{"service_platform", "service_language", "iac_directory", "app_directory"}},
  };
}

}  // namespace

mcp::ToolDef get_enablement_guide_tool() {
  mcp::ToolDef def;
  def.name = "get_enablement_guide";
  def.title = "Application Signals enablement guide";
  def.description =
      "Returns a step-by-step Markdown guide for enabling CloudWatch Application Signals on a service that "
      "is not instrumented yet: turning Application Signals on in the account, the telemetry agent (CloudWatch "
      "agent on EC2, agent sidecar and init container on ECS, the CloudWatch Observability add-on on EKS, the "
      "ADOT layer on Lambda), the language's auto-instrumentation (Python, Node.js, Java, .NET), the "
      "environment variables, IAM policies, CDK and Terraform snippets, and how to verify. Use it when "
      "list_monitored_services shows a service as uninstrumented or missing, or the user asks how to add "
      "Application Signals; the guide refers to the given IaC and app directories. Makes no AWS calls. "
      "Afterwards, list_monitored_services and get_service_detail confirm the service reports.";
  def.input_schema = input_schema();
  def.annotations = read_only_annotations(def.title);
  def.handler = &get_enablement_guide;
  return def;
}

}  // namespace appsignals::tools::enablement

// list_group_services: the services of one group, with their platform and environment
// distribution and each service's groups.
#include <map>

#include "tools/common/tool_errors.h"
#include "tools/groups/groups_common.h"

namespace appsignals::tools::groups {

namespace {

std::string platform_of(const json::object& summary) {
  for (const auto& m : jv::arr(summary, "AttributeMaps"))
    if (auto p = jv::str(jv::as_obj(m), "PlatformType"); !p.empty()) return p;
  return "unknown";
}

std::string distribution(const std::map<std::string, std::size_t>& counts) {
  std::string out;
  for (const auto& [k, n] : counts) out += "  " + k + ": " + std::to_string(n) + "\n";
  return out;
}

boost::asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  auto window = group_window(call);
  if (!window) co_return argument_failure(window.error());
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kListServices);
  std::string group = call.args.str("group_name");
  std::int64_t start = epoch_seconds(window->start), end = epoch_seconds(window->end);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  auto services = co_await list_services(c, start, end);
  if (!services) co_return aws_failure(services.error(), aws::ops::kListServices);
  auto members = members_of(*services, group);
  if (members.empty()) co_return no_such_group(group, *services, "list_group_services");

  std::map<std::string, std::size_t> platforms, environments;
  for (const auto& m : members) {
    ++platforms[platform_of(m)];
    std::string env = service_environment(m);
    ++environments[env.empty() ? "none" : env];
  }
  std::string out = header("Group services", group, *window, call.default_region(), members.size());
  out += "\nPlatforms:\n" + distribution(platforms);
  out += "\nEnvironments:\n" + distribution(environments);
  out += "\nServices:\n";
  for (const auto& m : members) {
    out += "- " + service_name(m) + "\n";
    out += "  Environment: " + service_environment(m) + " | Platform: " + platform_of(m) + "\n";
    out += "  Groups: " + groups_text(m) + "\n";
  }
  out += "\nNext: audit_group_health(group_name=\"" + group + "\") for the group's health, get_group_dependencies "
         "for what it calls, get_group_changes for recent deployments.";
  co_return mcp::ToolResult::text(out);
}

}  // namespace

ToolEntry list_group_services_tool() {
  ToolSpec spec;
  spec.name = "list_group_services";
  spec.title = "List the services of a group";
  spec.description =
      "Lists the Application Signals services that belong to a group (a team, business unit or any grouping "
      "attribute: group_name matches a GroupName, GroupValue or GroupIdentifier of their ServiceGroups, ignoring "
      "case; '*pay*' for a substring). Shows how the group spreads over platforms (EKS, ECS, EC2, Lambda) and "
      "environments, and each service's groups. Default window: the last 3 hours. An unknown group lists the "
      "available ones. Then: audit_group_health, get_group_dependencies, get_group_changes.";
  spec.args = group_args();
  spec.ops = {aws::ops::kListServices};
  spec.narrow_hint = "use a more specific group_name";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::groups

// get_group_dependencies: what a group's services call, classified as intra-group (another
// member), cross-group (a service outside the group, with its own groups) or external AWS
// resources (AWS::DynamoDB::Table:name, ...).
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "tools/common/fanout.h"
#include "tools/common/tool_errors.h"
#include "tools/groups/groups_common.h"

namespace appsignals::tools::groups {

namespace {

struct Edge {
  std::string kind;    // "intra", "cross", "external"
  std::string target;  // "inventory", "payments (ecs:shop-cluster)", "AWS::DynamoDB::Table:cart-sessions"
  std::string name;    // service name or resource id (for cross-group lookups)
  std::string environment;
  std::string via;     // "POST /checkout → PutItem"
};

struct MemberDeps {
  std::vector<Edge> edges;
  std::optional<Error> error;
};

struct State {
  std::shared_ptr<const aws::AwsClients> clients;
  std::vector<json::object> members;
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::vector<MemberDeps> deps;
};

bool is_member(const std::vector<json::object>& members, std::string_view name, std::string_view env) {
  for (const auto& m : members)
    if (service_name(m) == name && (env.empty() || service_environment(m) == env)) return true;
  return false;
}

Edge classify(const json::object& dependency, const std::vector<json::object>& members) {
  const auto& keys = jv::obj(dependency, "DependencyKeyAttributes");
  Edge e;
  std::string op = jv::str(dependency, "OperationName"), remote = jv::str(dependency, "DependencyOperationName");
  e.via = op + (remote.empty() ? "" : " → " + remote);
  std::string type = jv::str(keys, "Type"), resource_type = jv::str(keys, "ResourceType");
  if (type.rfind("AWS::", 0) == 0 || resource_type.rfind("AWS::", 0) == 0) {
    std::string id = jv::str(keys, "Identifier");
    if (id.empty()) id = jv::str(keys, "Name");
    e.kind = "external";
    e.target = (resource_type.empty() ? type : resource_type) + ":" + id;
    return e;
  }
  e.name = jv::str(keys, "Name");
  e.environment = jv::str(keys, "Environment");
  e.kind = is_member(members, e.name, e.environment) ? "intra" : "cross";
  e.target = e.name + (e.environment.empty() || e.kind == "intra" ? "" : " (" + e.environment + ")");
  return e;
}

json::object dependencies_input(const json::object& keys, std::int64_t start, std::int64_t end) {
  json::object input;
  input["StartTime"] = start;
  input["EndTime"] = end;
  input["KeyAttributes"] = keys;
  input["MaxResults"] = 100;
  return input;
}

boost::asio::awaitable<void> dependencies_of(std::shared_ptr<State> st, std::size_t i) {
  json::object input = dependencies_input(jv::obj(st->members[i], "KeyAttributes"), st->start, st->end);
  int max_pages = 5;
  auto page = co_await st->clients->application_signals.paginate(aws::ops::kListServiceDependencies, input, max_pages);
  if (!page) {
    st->deps[i].error = std::move(page).error();
    co_return;
  }
  for (const auto& d : page->items) st->deps[i].edges.push_back(classify(jv::as_obj(d), st->members));
}

json::object service_input(const std::string& name, const std::string& env, std::int64_t start, std::int64_t end) {
  json::object keys;
  keys["Type"] = "Service";
  keys["Name"] = name;
  if (!env.empty()) keys["Environment"] = env;
  json::object input;
  input["StartTime"] = start;
  input["EndTime"] = end;
  input["KeyAttributes"] = std::move(keys);
  return input;
}

std::string error_line(const Error& e, const aws::Op& op) {
  return e.message + " (grant " + std::string(op.iam_action) + ")";
}

boost::asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  auto window = group_window(call);
  if (!window) co_return argument_failure(window.error());
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kListServices);
  std::string group = call.args.str("group_name");
  auto st = std::make_shared<State>();
  st->clients = *clients;
  st->start = epoch_seconds(window->start);
  st->end = epoch_seconds(window->end);
  auto services = co_await list_services(st->clients, st->start, st->end);
  if (!services) co_return aws_failure(services.error(), aws::ops::kListServices);
  st->members = members_of(*services, group);
  if (st->members.empty()) co_return no_such_group(group, *services, "get_group_dependencies");
  st->deps.resize(st->members.size());
  FanoutWork work = [st](std::size_t i) { return dependencies_of(st, i); };
  std::size_t count = st->members.size();
  std::size_t limit = kFanout;
  co_await for_each_bounded(count, limit, work);
  std::size_t failed = 0;
  for (const auto& d : st->deps) failed += d.error ? 1 : 0;
  if (failed == st->deps.size()) co_return aws_failure(*st->deps.front().error, aws::ops::kListServiceDependencies);

  // The groups of each cross-group dependency: from the listing, else GetService (once each).
  std::map<std::string, std::string> groups_of;  // "name|env" → "Team=..., ..."
  std::vector<std::string> lookup_problems;
  for (const auto& d : st->deps)
    for (const auto& e : d.edges) {
      if (e.kind != "cross") continue;
      std::string key = e.name + "|" + e.environment;
      if (groups_of.count(key)) continue;
      const json::object* listed = nullptr;
      for (const auto& s : *services)
        if (service_name(s) == e.name && (e.environment.empty() || service_environment(s) == e.environment))
          listed = &s;
      if (listed) {
        groups_of[key] = groups_text(*listed);
        continue;
      }
      json::object input = service_input(e.name, e.environment, st->start, st->end);
      auto svc = co_await st->clients->application_signals.call(aws::ops::kGetService, input);
      if (!svc) {
        groups_of[key] = "groups unknown";
        lookup_problems.push_back(e.name + ": " + error_line(svc.error(), aws::ops::kGetService));
        continue;
      }
      groups_of[key] = groups_text(jv::obj(jv::as_obj(*svc), "Service"));
    }

  std::map<std::string, std::set<std::string>> distinct;  // kind → targets
  std::size_t edges = 0;
  std::string out = header("Group dependencies", group, *window, call.default_region(), st->members.size());
  for (std::size_t i = 0; i < st->members.size(); ++i) {
    out += "\n" + service_label(st->members[i]) + "\n";
    const auto& d = st->deps[i];
    if (d.error) {
      out += "  dependencies not read: " + error_line(*d.error, aws::ops::kListServiceDependencies) + "\n";
      continue;
    }
    if (d.edges.empty()) out += "  no dependencies in this window\n";
    for (const auto& e : d.edges) {
      ++edges;
      distinct[e.kind].insert(e.target);
      if (e.kind == "intra") out += "  intra-group: " + e.target;
      else if (e.kind == "cross") out += "  cross-group: " + e.target + " [" + groups_of[e.name + "|" + e.environment] + "]";
      else out += "  external AWS resource: " + e.target;
      out += " (" + e.via + ")\n";
    }
  }
  out += "\nSummary: " + std::to_string(edges) + " dependency edges; distinct targets: " +
         std::to_string(distinct["intra"].size()) + " intra-group, " + std::to_string(distinct["cross"].size()) +
         " cross-group, " + std::to_string(distinct["external"].size()) + " external AWS resources\n";
  if (!distinct["cross"].empty()) {
    out += "Cross-group services:";
    for (const auto& t : distinct["cross"]) out += " " + t + ";";
    out += "\n";
  }
  if (!distinct["external"].empty()) {
    out += "External AWS resources:";
    for (const auto& t : distinct["external"]) out += " " + t + ";";
    out += "\n";
  }
  if (!lookup_problems.empty()) {
    out += "Groups of some dependencies could not be read:\n";
    for (const auto& p : lookup_problems) out += "- " + p + "\n";
  }
  out += "\nNext: audit_group_health for the group's own health; audit_services on a cross-group dependency, or "
         "audit_services(auditors='dependency_metric') to check the calls themselves.";
  co_return mcp::ToolResult::text(out);
}

}  // namespace

ToolEntry get_group_dependencies_tool() {
  ToolSpec spec;
  spec.name = "get_group_dependencies";
  spec.title = "Get the dependencies of a group";
  spec.description =
      "Maps what the services of a group call (ListServiceDependencies per member): intra-group calls between "
      "members, cross-group calls to services of other groups (named with their groups) and external AWS "
      "resources (e.g. AWS::DynamoDB::Table:orders, AWS::SQS::Queue:events), with counts. Use it to see a "
      "team's blast radius or which shared resources it relies on. Default window: the last 3 hours. An unknown "
      "group lists the available ones.";
  spec.args = group_args();
  spec.ops = {aws::ops::kListServices, aws::ops::kListServiceDependencies, aws::ops::kGetService};
  spec.narrow_hint = "use a more specific group_name";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::groups

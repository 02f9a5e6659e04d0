// get_group_changes: deployments and configuration changes of a group's services
// (ListServiceStates over the window, restricted to the members).
#include <algorithm>
#include <map>

#include "tools/common/tool_errors.h"
#include "tools/groups/groups_common.h"

namespace appsignals::tools::groups {

namespace {

constexpr std::size_t kTimelineCap = 20;

struct Change {
  std::int64_t time = 0;
  std::string service;
  std::string type;
  std::string name;
  std::string user;
};

bool same_service(const json::object& a, const json::object& b) {
  return jv::view(a, "Name") == jv::view(b, "Name") &&
         (jv::view(a, "Environment").empty() || jv::view(b, "Environment").empty() ||
          jv::view(a, "Environment") == jv::view(b, "Environment"));
}

Change change_of(const json::object& service, const json::object& event) {
  return {jv::integer(event, "Timestamp"), jv::str(service, "Name"), jv::str(event, "ChangeEventType"),
          jv::str(event, "EventName"), jv::str(event, "UserName")};
}

json::object states_input(std::int64_t start, std::int64_t end) {
  json::object input;
  input["StartTime"] = start;
  input["EndTime"] = end;
  input["MaxResults"] = 100;
  return input;
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
  if (members.empty()) co_return no_such_group(group, *services, "get_group_changes");

  json::object input = states_input(start, end);
  int max_pages = 20;
  auto states = co_await c->application_signals.paginate(aws::ops::kListServiceStates, input, max_pages);
  if (!states) co_return aws_failure(states.error(), aws::ops::kListServiceStates);

  std::vector<Change> changes;
  for (const auto& st : states->items) {
    const auto& state = jv::as_obj(st);
    const auto& svc = jv::obj(state, "Service");
    bool member = false;
    for (const auto& m : members) member = member || same_service(jv::obj(m, "KeyAttributes"), svc);
    if (!member) continue;
    for (const auto& e : jv::arr(state, "LatestChangeEvents")) {
      changes.push_back(change_of(svc, jv::as_obj(e)));
    }
  }
  std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) { return a.time > b.time; });
  std::size_t deployments = 0, configurations = 0;
  std::map<std::string, std::map<std::string, std::size_t>> per_service;
  for (const auto& ch : changes) {
    deployments += ch.type == "DEPLOYMENT";
    configurations += ch.type == "CONFIGURATION";
    ++per_service[ch.service][ch.type];
  }

  std::string out = header("Group changes", group, *window, call.default_region(), members.size());
  out += "\nChange summary: " + std::to_string(changes.size()) + " change" + (changes.size() == 1 ? "" : "s") + " (" +
         std::to_string(deployments) + " deployment" + (deployments == 1 ? "" : "s") + ", " +
         std::to_string(configurations) + " configuration change" + (configurations == 1 ? "" : "s") + ")\n";
  if (changes.empty()) {
    out += "\nNo deployment or configuration change of the group's services in this window. Widen the window "
           "(start_time) to look further back.";
    co_return mcp::ToolResult::text(out);
  }
  out += "\nTimeline (newest first):\n";
  for (std::size_t i = 0; i < changes.size() && i < kTimelineCap; ++i) {
    const auto& ch = changes[i];
    out += "- " + format_utc(TimePoint(std::chrono::seconds(ch.time))) + " " + ch.type + " " + ch.service + ": " +
           (ch.name.empty() ? "(unnamed)" : ch.name) + (ch.user.empty() ? "" : " by " + ch.user) + "\n";
  }
  if (changes.size() > kTimelineCap)
    out += "(" + std::to_string(changes.size() - kTimelineCap) + " older changes not listed; narrow the window)\n";
  out += "\nChanges per service:\n";
  for (const auto& [svc, types] : per_service) {
    out += "- " + svc + ":";
    for (const auto& [type, n] : types) out += " " + type + " " + std::to_string(n);
    out += "\n";
  }
  out += "\nNext: compare the times with the group's health (audit_group_health) and, for one service, "
         "list_change_events(service_key_attributes=...) for its full change history.";
  co_return mcp::ToolResult::text(out);
}

}  // namespace

ToolEntry get_group_changes_tool() {
  ToolSpec spec;
  spec.name = "get_group_changes";
  spec.title = "Get the changes of a group";
  spec.description =
      "Deployments and configuration changes of the services in a group (ListServiceStates restricted to the "
      "group's members): a summary with counts, a timeline newest first (up to 20) and the changes per service. "
      "Use it to answer 'what changed before the incident' for a team or business unit. Default window: the last "
      "3 hours. An unknown group lists the available ones.";
  spec.args = group_args();
  spec.ops = {aws::ops::kListServices, aws::ops::kListServiceStates};
  spec.narrow_hint = "narrow the window (start_time/end_time) or use a more specific group_name";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::groups

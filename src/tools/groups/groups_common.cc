#include "tools/groups/groups_common.h"

#include <algorithm>
#include <cctype>

#include "tools/common/name_match.h"
#include "tools/common/service_listing.h"
#include "tools/common/tool_errors.h"

namespace appsignals::tools::groups {

namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::vector<ArgSpec> group_args() {
  return {arg::string("group_name",
                      "The group: a GroupName, GroupValue or GroupIdentifier of the services' ServiceGroups "
                      "(case-insensitive), e.g. \"payments\" or \"Team\"; '*' for a wildcard (\"*pay*\").")
              .require()
              .eg("\"payments\""),
          arg::time("start_time", "Start of the window (default: 3 hours before end_time)."),
          arg::time("end_time", "End of the window (default: now).")};
}

Result<TimeWindow> group_window(const ToolCall& call) {
  return time_window(call.args.object(), "start_time", "end_time", kDefaultWindow, std::nullopt, call.now());
}

boost::asio::awaitable<Result<std::vector<json::object>>> list_services(std::shared_ptr<const aws::AwsClients> clients,
                                                                        std::int64_t start, std::int64_t end) {
  auto listed = co_await list_service_summaries(std::move(clients), start, end);
  if (!listed) co_return std::move(listed).error();
  co_return std::move(listed->services);
}

bool group_matches(const json::object& group, std::string_view query) {
  // "Team=shop" (the form the available groups are listed in): name and value both match.
  if (auto eq = query.find('='); eq != std::string_view::npos) {
    auto name = query.substr(0, eq), value = query.substr(eq + 1);
    return equal_ignoring_case(name, jv::view(group, "GroupName")) &&
           (has_wildcard(value) ? glob_match(value, jv::view(group, "GroupValue"))
                                : equal_ignoring_case(value, jv::view(group, "GroupValue")));
  }
  for (auto key : {"GroupName", "GroupValue", "GroupIdentifier"}) {
    auto v = jv::view(group, key);
    if (v.empty()) continue;
    if (has_wildcard(query) ? glob_match(query, v) : equal_ignoring_case(query, v)) return true;
  }
  return false;
}

bool in_group(const json::object& summary, std::string_view query) {
  for (const auto& g : jv::arr(summary, "ServiceGroups"))
    if (group_matches(jv::as_obj(g), query)) return true;
  return false;
}

std::vector<json::object> members_of(const std::vector<json::object>& services, std::string_view query) {
  std::vector<json::object> out;
  for (const auto& s : services)
    if (in_group(s, query)) out.push_back(s);
  return out;
}

std::string groups_text(const json::object& summary) {
  std::string out;
  for (const auto& g : jv::arr(summary, "ServiceGroups")) {
    const auto& o = jv::as_obj(g);
    out += (out.empty() ? "" : ", ") + jv::str(o, "GroupName") + "=" + jv::str(o, "GroupValue");
  }
  return out.empty() ? "none" : out;
}

std::string service_name(const json::object& summary) { return jv::str(jv::obj(summary, "KeyAttributes"), "Name"); }
std::string service_environment(const json::object& summary) {
  return jv::str(jv::obj(summary, "KeyAttributes"), "Environment");
}
std::string service_label(const json::object& summary) {
  std::string env = service_environment(summary);
  return service_name(summary) + (env.empty() ? "" : " (" + env + ")");
}

mcp::ToolResult no_such_group(std::string_view query, const std::vector<json::object>& services,
                              std::string_view tool) {
  std::vector<std::string> pairs;
  std::vector<std::string> names;
  for (const auto& s : services)
    for (const auto& g : jv::arr(s, "ServiceGroups")) {
      const auto& o = jv::as_obj(g);
      std::string pair = jv::str(o, "GroupName") + "=" + jv::str(o, "GroupValue");
      if (std::find(pairs.begin(), pairs.end(), pair) == pairs.end()) pairs.push_back(pair);
      for (auto key : {"GroupName", "GroupValue"}) {
        std::string v = jv::str(o, key);
        if (std::find(names.begin(), names.end(), v) == names.end()) names.push_back(v);
      }
    }
  std::sort(pairs.begin(), pairs.end());
  std::string text = "no services found in group '" + std::string(query) + "' (" + std::to_string(services.size()) +
                     " services checked).";
  auto closest = closest_names(query, names, 3, 50);
  if (!closest.empty()) {
    text += " Closest group names: ";
    for (std::size_t i = 0; i < closest.size(); ++i) text += (i ? ", " : "") + closest[i].name;
    text += ".";
  }
  if (pairs.empty()) {
    text += "\nNo service carries a group (ServiceGroups) in this window: define grouping attributes "
            "(list_grouping_attribute_definitions shows them) or widen the window.";
  } else {
    text += "\nAvailable groups (GroupName=GroupValue; pass either part as group_name):\n";
    for (std::size_t i = 0; i < pairs.size() && i < kMaxAvailableGroups; ++i) text += "- " + pairs[i] + "\n";
    if (pairs.size() > kMaxAvailableGroups)
      text += "(" + std::to_string(pairs.size() - kMaxAvailableGroups) + " more not listed)\n";
    text += "Example: " + std::string(tool) + "(group_name=\"" + pairs.front().substr(pairs.front().find('=') + 1) +
            "\")";
  }
  return argument_failure(text);
}

std::string header(std::string_view title, std::string_view group, const TimeWindow& window,
                   std::string_view region, std::size_t members) {
  return std::string(title) + ": group '" + std::string(group) + "'\nWindow: " + format_utc(window.start) + " to " +
         format_utc(window.end) + "\nRegion: " + std::string(region) + "\nServices in group: " +
         std::to_string(members) + "\n";
}

}  // namespace appsignals::tools::groups

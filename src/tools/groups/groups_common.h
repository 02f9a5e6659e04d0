#pragma once
// What the group tools share. A service's groups are the ServiceGroups of its ListServices
// summary ({GroupName, GroupValue, GroupSource, GroupIdentifier}); `group_name` matches any of
// name, value or identifier ignoring case, and "*x*" (any '*') is an anchored glob over them
// ("*pay*" = contains "pay"); "Team=shop" matches name and value together. The window defaults to the last 3 hours.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "aws/services/service_client.h"
#include "common/result.h"
#include "mcp/content.h"
#include "tools/common/json_access.h"
#include "tools/common/time_args.h"
#include "tools/common/tool_spec.h"

namespace appsignals::tools::groups {

namespace json = boost::json;

inline constexpr std::chrono::hours kDefaultWindow{3};
inline constexpr std::size_t kFanout = 6;             // concurrent per-service calls at most
inline constexpr std::size_t kMaxAvailableGroups = 20;  // listed when nothing matches

// The arguments every group tool takes: group_name (required), start_time, end_time.
std::vector<ArgSpec> group_args();

// start_time/end_time of the call, default the last 3 hours.
Result<TimeWindow> group_window(const ToolCall& call);

// Every ListServices summary of [start, end] (epoch seconds), all pages.
boost::asio::awaitable<Result<std::vector<json::object>>> list_services(std::shared_ptr<const aws::AwsClients> clients,
                                                                        std::int64_t start, std::int64_t end);

// Whether one ServiceGroups entry / any of a service's groups matches `query`.
bool group_matches(const json::object& group, std::string_view query);
bool in_group(const json::object& summary, std::string_view query);
// The summaries in the group, in listing order.
std::vector<json::object> members_of(const std::vector<json::object>& services, std::string_view query);

// "Team=payments, BusinessUnit=commerce" ("none" when the service has no groups).
std::string groups_text(const json::object& summary);
std::string service_name(const json::object& summary);
std::string service_environment(const json::object& summary);
// "payments (ecs:shop-cluster)"
std::string service_label(const json::object& summary);

// The isError result for a group no service is in: the available groups (Name=Value, at most
// kMaxAvailableGroups) and how to call again.
mcp::ToolResult no_such_group(std::string_view query, const std::vector<json::object>& services,
                              std::string_view tool);

// The header every group tool starts with.
std::string header(std::string_view title, std::string_view group, const TimeWindow& window,
                   std::string_view region, std::size_t members);

// The tools of this toolset (one file each).
ToolEntry list_group_services_tool();
ToolEntry audit_group_health_tool();
ToolEntry get_group_dependencies_tool();
ToolEntry get_group_changes_tool();
ToolEntry list_grouping_attribute_definitions_tool();

}  // namespace appsignals::tools::groups

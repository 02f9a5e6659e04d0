#pragma once
// Helpers shared by the services toolset: finding services through ListServices (every page),
// telling instrumented from uninstrumented ones, and formatting key attributes, attribute maps
// and metric references the same way in every tool.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "aws/services/service_client.h"
#include "common/result.h"
#include "mcp/content.h"
#include "mcp/registry.h"
#include "tools/common/json_access.h"
#include "tools/common/key_attributes.h"
#include "tools/common/service_listing.h"
#include "tools/common/tool_env.h"
#include "tools/common/tool_spec.h"

namespace appsignals::tools::services {

namespace json = boost::json;

inline constexpr std::int64_t kDiscoveryWindowSeconds = 24 * 3600;

using ServiceList = ServiceSummaries;  // ListServices over a window, every page (service_listing.h)

// The service named `name` among those that reported in the 24 h before `now`, or the tool
// result to return instead (an AWS failure naming application-signals:ListServices, or an
// unknown name with the closest known names).
// A name that matches no service exactly resolves as the leniency rules say (case, separators,
// one clear fuzzy winner); `note` then says what it resolved to.
struct LocatedService {
  json::object summary;
  std::optional<mcp::ToolResult> failure;
  std::string note;
};
boost::asio::awaitable<LocatedService> locate_service(std::shared_ptr<const aws::AwsClients> clients,
                                                      std::string name, std::int64_t now);

// Uninstrumented: Type other than Service, name Unknown, or InstrumentationType UNINSTRUMENTED /
// AWS_NATIVE in the attribute maps.
bool is_instrumented(const json::object& summary);

const json::object& key_attributes_of(const json::object& summary);
// {StartTime, EndTime, KeyAttributes} for GetService / ListServiceOperations on one service.
json::object get_service_input(const json::object& summary, std::int64_t start, std::int64_t end);
std::string service_name_of(const json::object& summary);
// The summary whose Name equals `name` (exactly, else ignoring case); null when none.
const json::object* find_service(const std::vector<json::object>& services, std::string_view name);
// "Error: ..." result for a name no service has, listing the closest names.
mcp::ToolResult unknown_service(std::string_view name, const std::vector<json::object>& services);

// "Environment=x, Service=y" from a CloudWatch Dimensions list.
std::string dimensions_text(const json::array& dimensions);
// Every string member of every map in AttributeMaps, first occurrence wins, in order.
std::vector<std::pair<std::string, std::string>> flatten_attribute_maps(const json::object& summary);
// The first string value of `key` in any map of AttributeMaps; empty when none.
std::string_view attribute_of(const json::object& summary, std::string_view key);

// The service_name argument every tool of this toolset takes.
ArgSpec service_name_arg();

// The tools of this toolset (one file each).
ToolEntry list_monitored_services_tool();
ToolEntry get_service_detail_tool();
ToolEntry list_service_operations_tool();
ToolEntry query_service_metrics_tool();

}  // namespace appsignals::tools::services

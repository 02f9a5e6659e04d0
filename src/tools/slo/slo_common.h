#pragma once
// Helpers shared by the SLO toolset: JSON member access and formatting of key attributes,
// metric queries and times, plus the schema pieces every SLO tool uses.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "mcp/registry.h"
#include "tools/common/key_attributes.h"
#include "tools/common/tool_env.h"

namespace appsignals::tools::slo {

namespace json = boost::json;

std::string str(const json::object& o, std::string_view key);
const json::object& obj(const json::object& o, std::string_view key);
const json::array& arr(const json::object& o, std::string_view key);
// "99.9" / "1500" / "0.5": numbers without trailing zeros.
std::string number_text(const json::value& v);
// An epoch-seconds member as "2026-03-02 12:00:00 UTC" ("" when absent).
std::string time_text(const json::object& o, std::string_view key);
// One MetricDataQuery as indented lines (namespace/metric, dimensions, period, stat, unit,
// expression, whether it returns data).
std::string metric_query_text(const json::object& query, std::string_view indent);

json::object region_property();

mcp::ToolDef get_slo_tool(std::shared_ptr<const ToolEnv> env);
mcp::ToolDef list_slos_tool(std::shared_ptr<const ToolEnv> env);
mcp::ToolDef list_slis_tool(std::shared_ptr<const ToolEnv> env);

}  // namespace appsignals::tools::slo

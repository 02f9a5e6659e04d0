#pragma once
// Helpers shared by the SLO toolset: JSON member access and formatting of key attributes,
// metric queries and times, plus the schema pieces every SLO tool uses.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "mcp/registry.h"
#include "tools/common/json_access.h"
#include "tools/common/key_attributes.h"
#include "tools/common/tool_spec.h"
#include "tools/common/tool_env.h"

namespace appsignals::tools::slo {

namespace json = boost::json;

using jv::arr;
using jv::obj;
using jv::str;
// "99.9" / "1500" / "0.5": numbers without trailing zeros.
std::string number_text(const json::value& v);
// An epoch-seconds member as "2026-03-02 12:00:00 UTC" ("" when absent).
std::string time_text(const json::object& o, std::string_view key);
// One MetricDataQuery as indented lines (namespace/metric, dimensions, period, stat, unit,
// expression, whether it returns data).
std::string metric_query_text(const json::object& query, std::string_view indent);

// The names of the SLOs in ListServiceLevelObjectives items.
std::vector<std::string> slo_names(const json::array& items);

ToolEntry get_slo_tool();
ToolEntry list_slos_tool();
ToolEntry list_slis_tool();

}  // namespace appsignals::tools::slo

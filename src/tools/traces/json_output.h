#pragma once
// JSON-shaped tool output for the traces toolset: the same object as pretty JSON text (2-space
// indent, numbers in their shortest decimal form) and as structuredContent.
#include <chrono>
#include <optional>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "mcp/content.h"

namespace appsignals::tools::traces {

// Pretty-printed JSON (indent 2). Doubles print as "0.25", "1200", never "2.5E-1".
std::string pretty_json(const boost::json::value& value);

// A result whose text is pretty_json(object) and whose structuredContent is the object.
mcp::ToolResult json_result(boost::json::object object);

// A number from an AWS JSON response (int, uint or double); nullopt otherwise.
std::optional<double> number_of(const boost::json::value* v);
// Rounded to `digits` decimals (for durations shown to a model).
double round_to(double value, int digits);
// An epoch-seconds value from a response as ISO-8601 ("2026-03-02T11:55:00Z"), or "" when absent.
std::string iso_of(const boost::json::value* epoch_seconds);

}  // namespace appsignals::tools::traces

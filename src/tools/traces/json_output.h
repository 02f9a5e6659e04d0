#pragma once
// JSON-shaped tool output for the traces toolset: the same object as compact JSON text (no
// indentation, numbers in their shortest decimal form) and as structuredContent.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "mcp/content.h"

namespace appsignals::tools::traces {

// Compact JSON. Doubles print as "0.25", "1200", never "2.5E-1".
std::string compact_json(const boost::json::value& value);

// A result whose text is compact_json(object) and whose structuredContent is the object.
mcp::ToolResult json_result(boost::json::object object);

// Keeps the leading items of `items` whose compact JSON adds up to at most `budget` characters
// (always at least one item); returns how many items were dropped from the end.
std::size_t keep_within(boost::json::array& items, std::size_t budget);

// A number from an AWS JSON response (int, uint or double); nullopt otherwise.
std::optional<double> number_of(const boost::json::value* v);
// Rounded to `digits` decimals (for durations shown to a model).
double round_to(double value, int digits);
// An epoch-seconds value from a response as ISO-8601 ("2026-03-02T11:55:00Z"), or "" when absent.
std::string iso_of(const boost::json::value* epoch_seconds);

}  // namespace appsignals::tools::traces

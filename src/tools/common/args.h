#pragma once
// Reading tool arguments the way language models send them. Objects and arrays may arrive as
// JSON text inside a string; numbers may arrive as strings ("24"). Every failure names the
// argument and the expected form, so the model can fix its call.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "common/result.h"

namespace appsignals::tools {

// A string argument; absent or null → nullopt (or an error when required).
Result<std::optional<std::string>> string_arg(const boost::json::object& args, std::string_view name,
                                              bool required = false);
// A required, non-empty string.
Result<std::string> required_string(const boost::json::object& args, std::string_view name);
// An integer within [min, max]; absent or null → `fallback`.
Result<std::int64_t> int_arg(const boost::json::object& args, std::string_view name, std::int64_t fallback,
                             std::int64_t min, std::int64_t max);
// Like int_arg, but out-of-range values are clamped (the reference's behaviour for limits).
Result<std::int64_t> clamped_int_arg(const boost::json::object& args, std::string_view name,
                                     std::int64_t fallback, std::int64_t min, std::int64_t max);
Result<bool> bool_arg(const boost::json::object& args, std::string_view name, bool fallback);
// A JSON array given as an array or as JSON text.
Result<boost::json::array> json_array_arg(const boost::json::object& args, std::string_view name,
                                          bool required = true);
// A JSON object given as an object or as JSON text; absent → empty object.
Result<boost::json::object> json_object_arg(const boost::json::object& args, std::string_view name);

// Case-insensitive lookup of an object member (target shorthands use any key case).
const boost::json::value* find_ci(const boost::json::object& o, std::string_view key);

}  // namespace appsignals::tools

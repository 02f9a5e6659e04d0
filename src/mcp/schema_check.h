#pragma once
// A small JSON Schema check for tool arguments: required members, primitive types, enums,
// no unknown members when additionalProperties is false. Enough to give a model a precise
// "what to fix" message; the tools still validate meaning themselves.
#include <optional>
#include <string>

#include <boost/json/object.hpp>

namespace appsignals::mcp {

// nullopt when `args` satisfies `schema`, else a message naming the argument and the expected form.
std::optional<std::string> check_arguments(const boost::json::object& schema, const boost::json::object& args);

}  // namespace appsignals::mcp

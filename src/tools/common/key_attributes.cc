#include "tools/common/key_attributes.h"

#include <boost/json/serialize.hpp>

namespace appsignals::tools {

namespace json = boost::json;

std::string key_attributes_text(const json::object& attributes) {
  std::string out;
  auto add = [&](std::string_view k, const json::value& v) {
    if (!out.empty()) out += ", ";
    out += std::string(k) + "=" + (v.is_string() ? std::string(v.get_string()) : json::serialize(v));
  };
  for (std::string_view first : {"Type", "Name", "Environment"})
    if (const auto* v = attributes.if_contains(first)) add(first, *v);
  for (const auto& [k, v] : attributes)
    if (k != "Type" && k != "Name" && k != "Environment") add(k, v);
  return out;
}

}  // namespace appsignals::tools

#include "mcp/schema_check.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cmath>
#include <cstdlib>
#include <string>

namespace appsignals::mcp {
namespace {

namespace json = boost::json;

// Models often send numbers and booleans as strings ("24", "true") and objects or arrays as
// JSON text; the tools' argument readers convert those, so they pass the type check here.
bool lenient_match(std::string_view type, const json::value& v) {
  if (!v.is_string()) return false;
  std::string_view s = v.get_string();
  if (type == "integer" || type == "number") {
    if (s.empty()) return false;
    char* end = nullptr;
    std::string copy(s);
    double d = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size() || !std::isfinite(d)) return false;
    return type == "number" || std::trunc(d) == d;
  }
  if (type == "boolean") return s == "true" || s == "false" || s == "True" || s == "False";
  if (type == "object" || type == "array") {
    boost::system::error_code ec;
    auto parsed = json::parse(s, ec);
    return !ec && (type == "object" ? parsed.is_object() : parsed.is_array());
  }
  return false;
}

bool type_matches(std::string_view type, const json::value& v) {
  if (lenient_match(type, v)) return true;
  if (type == "string") return v.is_string();
  if (type == "integer")
    return v.is_int64() || v.is_uint64() ||
           (v.is_double() && std::isfinite(v.get_double()) && std::trunc(v.get_double()) == v.get_double());
  if (type == "number") return v.is_number();
  if (type == "boolean") return v.is_bool();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "null") return v.is_null();
  return true;
}

std::optional<std::string> check_type(const std::string& name, const json::object& prop, const json::value& v) {
  auto t = prop.find("type");
  if (t == prop.end()) return std::nullopt;
  if (t->value().is_string()) {
    if (!type_matches(t->value().get_string(), v))
      return "argument '" + name + "' must be of type " + std::string(t->value().get_string());
  } else if (t->value().is_array()) {
    for (const auto& alt : t->value().get_array())
      if (alt.is_string() && type_matches(alt.get_string(), v)) return std::nullopt;
    return "argument '" + name + "' must be one of the types " + json::serialize(t->value());
  }
  if (auto e = prop.find("enum"); e != prop.end() && e->value().is_array()) {
    for (const auto& allowed : e->value().get_array())
      if (allowed == v) return std::nullopt;
    return "argument '" + name + "' must be one of " + json::serialize(e->value());
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_arguments(const json::object& schema, const json::object& args) {
  const json::object* props = nullptr;
  if (auto p = schema.find("properties"); p != schema.end() && p->value().is_object())
    props = &p->value().get_object();
  if (auto r = schema.find("required"); r != schema.end() && r->value().is_array()) {
    for (const auto& name : r->value().get_array()) {
      if (name.is_string() && !args.contains(name.get_string()))
        return "missing required argument '" + std::string(name.get_string()) + "'";
    }
  }
  auto is_required = [&](std::string_view name) {
    auto r = schema.find("required");
    if (r == schema.end() || !r->value().is_array()) return false;
    for (const auto& n : r->value().get_array())
      if (n.is_string() && n.get_string() == name) return true;
    return false;
  };
  bool closed = false;
  if (auto a = schema.find("additionalProperties"); a != schema.end() && a->value().is_bool())
    closed = !a->value().get_bool();
  for (const auto& [key, value] : args) {
    std::string name(key);
    const json::value* prop = props ? props->if_contains(key) : nullptr;
    if (!prop) {
      if (closed) return "unknown argument '" + name + "'";
      continue;
    }
    if (prop->is_object()) {
      // An optional argument given as null means "not given" (clients send that for defaults).
      if (value.is_null() && !is_required(key)) continue;
      if (auto err = check_type(name, prop->get_object(), value)) return err;
    }
  }
  return std::nullopt;
}

}  // namespace appsignals::mcp

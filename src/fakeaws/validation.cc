#include "fakeaws/validation.h"

#include <boost/json/object.hpp>

#include "fakeaws/call.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

namespace {

std::optional<double> number_of(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.as_int64());
  if (v.is_uint64()) return static_cast<double>(v.as_uint64());
  if (v.is_double()) return v.as_double();
  return std::nullopt;
}

std::optional<double> limit(const json::object& shape, const char* key) {
  if (const auto* v = shape.if_contains(key)) return number_of(*v);
  return std::nullopt;
}

std::string join(const std::string& path, std::string_view member) {
  return path.empty() ? std::string(member) : path + "." + std::string(member);
}

std::optional<ValidationFailure> bad(const std::string& path, std::string what) {
  return ValidationFailure{false, "1 validation error detected: Value at '" + path + "' failed to satisfy constraint: " + std::move(what)};
}

std::optional<ValidationFailure> check(const ServiceModel& model, std::string_view shape_name,
                                       const json::value& v, const std::string& path, int depth) {
  const auto* shape = model.shape(shape_name);
  if (!shape || depth > 32) return std::nullopt;
  std::string type = str_arg(*shape, "type");
  if (type == "structure") {
    if (!v.is_object()) return bad(path, "Member must be a structure");
    const auto& o = v.as_object();
    if (const auto* req = arr_arg(*shape, "required")) {
      for (const auto& r : *req) {
        if (!r.is_string()) continue;
        const auto* m = o.if_contains(r.as_string());
        if (!m || m->is_null())
          return ValidationFailure{true, "1 validation error detected: Value null at '" +
                                             join(path, r.as_string()) +
                                             "' failed to satisfy constraint: Member must not be null"};
      }
    }
    const auto* members = obj_arg(*shape, "members");
    if (!members) return std::nullopt;
    for (const auto& [name, mv] : o) {
      const auto* ref = members->if_contains(name);
      if (!ref || !ref->is_object() || mv.is_null()) continue;
      if (auto f = check(model, str_arg(ref->as_object(), "shape"), mv, join(path, name), depth + 1)) return f;
    }
    return std::nullopt;
  }
  if (type == "list") {
    if (!v.is_array()) return bad(path, "Member must be a list");
    const auto& a = v.as_array();
    auto n = static_cast<double>(a.size());
    if (auto mn = limit(*shape, "min"); mn && n < *mn)
      return bad(path, "Member must have length greater than or equal to " + std::to_string(static_cast<long>(*mn)));
    if (auto mx = limit(*shape, "max"); mx && n > *mx)
      return bad(path, "Member must have length less than or equal to " + std::to_string(static_cast<long>(*mx)));
    const auto* member = obj_arg(*shape, "member");
    if (!member) return std::nullopt;
    std::string ms = str_arg(*member, "shape");
    for (std::size_t i = 0; i < a.size(); ++i)
      if (auto f = check(model, ms, a[i], path + "." + std::to_string(i + 1), depth + 1)) return f;
    return std::nullopt;
  }
  if (type == "map") {
    if (!v.is_object()) return bad(path, "Member must be a map");
    const auto& o = v.as_object();
    auto n = static_cast<double>(o.size());
    if (auto mn = limit(*shape, "min"); mn && n < *mn)
      return bad(path, "Member must have length greater than or equal to " + std::to_string(static_cast<long>(*mn)));
    if (auto mx = limit(*shape, "max"); mx && n > *mx)
      return bad(path, "Member must have length less than or equal to " + std::to_string(static_cast<long>(*mx)));
    const auto* value = obj_arg(*shape, "value");
    if (!value) return std::nullopt;
    std::string vs = str_arg(*value, "shape");
    for (const auto& [k, mv] : o)
      if (auto f = check(model, vs, mv, path + "." + std::string(k), depth + 1)) return f;
    return std::nullopt;
  }
  if (type == "string") {
    if (!v.is_string()) return bad(path, "Member must be a string");
    std::string_view s = v.as_string();
    if (const auto* en = arr_arg(*shape, "enum")) {
      bool found = false;
      std::string allowed;
      for (const auto& e : *en) {
        if (!e.is_string()) continue;
        if (e.as_string() == s) found = true;
        if (!allowed.empty()) allowed += ", ";
        allowed += std::string(e.as_string());
      }
      if (!found) return bad(path, "Member must satisfy enum value set: [" + allowed + "]");
    }
    auto n = static_cast<double>(s.size());
    if (auto mn = limit(*shape, "min"); mn && n < *mn)
      return bad(path, "Member must have length greater than or equal to " + std::to_string(static_cast<long>(*mn)));
    if (auto mx = limit(*shape, "max"); mx && n > *mx)
      return bad(path, "Member must have length less than or equal to " + std::to_string(static_cast<long>(*mx)));
    return std::nullopt;
  }
  if (type == "integer" || type == "long" || type == "double" || type == "float") {
    auto n = number_of(v);
    if (!n) return bad(path, "Member must be a number");
    if ((type == "integer" || type == "long") && v.is_double()) return bad(path, "Member must be an integer");
    if (auto mn = limit(*shape, "min"); mn && *n < *mn)
      return bad(path, "Member must have value greater than or equal to " + std::to_string(static_cast<long>(*mn)));
    if (auto mx = limit(*shape, "max"); mx && *n > *mx)
      return bad(path, "Member must have value less than or equal to " + std::to_string(static_cast<long>(*mx)));
    return std::nullopt;
  }
  if (type == "boolean") {
    if (!v.is_bool()) return bad(path, "Member must be a boolean");
    return std::nullopt;
  }
  if (type == "timestamp") {
    if (number_of(v)) return std::nullopt;
    if (v.is_string() && parse_rfc3339(v.as_string())) return std::nullopt;
    return bad(path, "Member must be a timestamp");
  }
  if (type == "blob") {
    if (!v.is_string()) return bad(path, "Member must be a blob");
  }
  return std::nullopt;
}

}  // namespace

std::optional<ValidationFailure> validate(const ServiceModel& model, std::string_view shape,
                                          const json::value& value) {
  return check(model, shape, value, "", 0);
}

}  // namespace appsignals::fakeaws

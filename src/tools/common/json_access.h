#pragma once
// Reading members of AWS responses (boost::json) without ceremony: a missing member or one of
// another type reads as empty ("" / empty object / empty array / nullopt). The one accessor
// set every tool uses.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace appsignals::tools::jv {

namespace json = boost::json;

// A string member ("" when absent or not a string).
inline std::string str(const json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key); v && v->is_string()) return std::string(v->get_string());
  return {};
}
inline std::string_view view(const json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key); v && v->is_string()) return v->get_string();
  return {};
}
// An object member (a static empty object when absent).
inline const json::object& obj(const json::object& o, std::string_view key) {
  static const json::object kEmpty;
  if (const auto* v = o.if_contains(key); v && v->is_object()) return v->get_object();
  return kEmpty;
}
// An array member (a static empty array when absent).
inline const json::array& arr(const json::object& o, std::string_view key) {
  static const json::array kEmpty;
  if (const auto* v = o.if_contains(key); v && v->is_array()) return v->get_array();
  return kEmpty;
}
// A number member as double (int, uint or double), nullopt when absent.
inline std::optional<double> num(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return std::nullopt;
}
inline std::int64_t integer(const json::object& o, std::string_view key, std::int64_t fallback = 0) {
  auto n = num(o, key);
  return n ? static_cast<std::int64_t>(*n) : fallback;
}
inline bool boolean(const json::object& o, std::string_view key, bool fallback = false) {
  if (const auto* v = o.if_contains(key); v && v->is_bool()) return v->get_bool();
  return fallback;
}
// The object at `v`, or a static empty object.
inline const json::object& as_obj(const json::value& v) {
  static const json::object kEmpty;
  return v.is_object() ? v.get_object() : kEmpty;
}
// An object is already one: without this overload it would convert to a temporary value and
// the reference returned above would dangle.
inline const json::object& as_obj(const json::object& o) { return o; }

}  // namespace appsignals::tools::jv

#include "tools/common/args.h"

#include <boost/beast/core/string.hpp>
#include <boost/json/parse.hpp>

#include <charconv>

namespace appsignals::tools {
namespace {

namespace json = boost::json;

Error arg_error(std::string_view name, std::string_view what) {
  return Error{ErrorCode::kInvalidArgument, "argument '" + std::string(name) + "' " + std::string(what)};
}

std::optional<std::int64_t> to_int(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(v.get_uint64());
  if (v.is_double()) {
    double d = v.get_double();
    if (d == static_cast<double>(static_cast<std::int64_t>(d))) return static_cast<std::int64_t>(d);
    return std::nullopt;
  }
  if (v.is_string()) {
    std::string_view s = v.get_string();
    std::int64_t out = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc{} && p == s.data() + s.size()) return out;
  }
  return std::nullopt;
}

Result<json::value> parse_embedded(const json::value& v, std::string_view name, std::string_view kind) {
  if (!v.is_string()) return v;
  boost::system::error_code ec;
  auto parsed = json::parse(v.get_string(), ec);
  if (ec) return arg_error(name, "must be a JSON " + std::string(kind) + " (or JSON text of one); it is not valid JSON");
  return parsed;
}

}  // namespace

const json::value* find_ci(const json::object& o, std::string_view key) {
  if (auto* v = o.if_contains(key)) return v;
  for (const auto& [k, v] : o)
    if (boost::beast::iequals(k, key)) return &v;
  return nullptr;
}

Result<std::optional<std::string>> string_arg(const json::object& args, std::string_view name, bool required) {
  auto* v = args.if_contains(name);
  if (!v || v->is_null()) {
    if (required) return arg_error(name, "is required (a string)");
    return std::optional<std::string>{};
  }
  if (v->is_string()) return std::optional<std::string>(std::string(v->get_string()));
  if (v->is_number()) {
    if (auto i = to_int(*v)) return std::optional<std::string>(std::to_string(*i));
  }
  return arg_error(name, "must be a string");
}

Result<std::string> required_string(const json::object& args, std::string_view name) {
  auto s = string_arg(args, name, true);
  if (!s) return s.error();
  auto trimmed = **s;
  auto b = trimmed.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return arg_error(name, "is required and must not be empty");
  auto e = trimmed.find_last_not_of(" \t\r\n");
  return trimmed.substr(b, e - b + 1);
}

Result<std::int64_t> int_arg(const json::object& args, std::string_view name, std::int64_t fallback,
                             std::int64_t min, std::int64_t max) {
  auto* v = args.if_contains(name);
  if (!v || v->is_null() || (v->is_string() && v->get_string().empty())) return fallback;
  auto i = to_int(*v);
  if (!i) return arg_error(name, "must be a whole number");
  if (*i < min || *i > max)
    return arg_error(name, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                               " (got " + std::to_string(*i) + ")");
  return *i;
}

Result<std::int64_t> clamped_int_arg(const json::object& args, std::string_view name, std::int64_t fallback,
                                     std::int64_t min, std::int64_t max) {
  auto* v = args.if_contains(name);
  if (!v || v->is_null() || (v->is_string() && v->get_string().empty())) return fallback;
  auto i = to_int(*v);
  if (!i) return arg_error(name, "must be a whole number");
  return std::clamp(*i, min, max);
}

Result<bool> bool_arg(const json::object& args, std::string_view name, bool fallback) {
  auto* v = args.if_contains(name);
  if (!v || v->is_null()) return fallback;
  if (v->is_bool()) return v->get_bool();
  if (v->is_string()) {
    std::string_view s = v->get_string();
    if (boost::beast::iequals(s, "true") || s == "1") return true;
    if (boost::beast::iequals(s, "false") || s == "0") return false;
  }
  if (auto i = to_int(*v); i && (*i == 0 || *i == 1)) return *i == 1;
  return arg_error(name, "must be true or false");
}

Result<json::array> json_array_arg(const json::object& args, std::string_view name, bool required) {
  auto* v = args.if_contains(name);
  if (!v || v->is_null() || (v->is_string() && v->get_string().empty())) {
    if (required) return arg_error(name, "is required: a JSON array");
    return json::array{};
  }
  auto parsed = parse_embedded(*v, name, "array");
  if (!parsed) return parsed.error();
  if (!parsed->is_array()) return arg_error(name, "must be a JSON array, e.g. [{...}, {...}]");
  return parsed->get_array();
}

Result<json::object> json_object_arg(const json::object& args, std::string_view name) {
  auto* v = args.if_contains(name);
  if (!v || v->is_null() || (v->is_string() && v->get_string().empty())) return json::object{};
  auto parsed = parse_embedded(*v, name, "object");
  if (!parsed) return parsed.error();
  if (!parsed->is_object()) return arg_error(name, "must be a JSON object, e.g. {\"Name\": \"x\"}");
  return parsed->get_object();
}

}  // namespace appsignals::tools

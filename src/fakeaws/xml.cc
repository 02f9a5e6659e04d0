#include "fakeaws/xml.h"

#include <cstdio>

#include <boost/json/object.hpp>

#include "fakeaws/call.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string xml_number(const json::value& v) {
  if (v.is_int64()) return std::to_string(v.as_int64());
  if (v.is_uint64()) return std::to_string(v.as_uint64());
  if (v.is_double()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v.as_double());
    return buf;
  }
  return {};
}

namespace {

void append_value(const ServiceModel& model, std::string_view shape_name, const json::value& v,
                  std::string_view element, std::string& out, int depth);

std::string scalar_text(const json::object* shape, const json::value& v) {
  std::string type = shape ? str_arg(*shape, "type") : "";
  if (type == "timestamp") {
    if (auto t = v.is_string() ? parse_rfc3339(v.as_string()) : std::optional<double>{}) return rfc3339(*t);
    if (v.is_number()) return rfc3339(v.to_number<double>());
  }
  if (v.is_string()) return xml_escape(v.as_string());
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  if (v.is_number()) return xml_number(v);
  return {};
}

void append_value(const ServiceModel& model, std::string_view shape_name, const json::value& v,
                  std::string_view element, std::string& out, int depth) {
  if (depth > 32) return;
  const auto* shape = model.shape(shape_name);
  std::string type = shape ? str_arg(*shape, "type") : "";
  if (type == "list" && v.is_array()) {
    const auto* member = obj_arg(*shape, "member");
    std::string ms = member ? str_arg(*member, "shape") : "";
    std::string item = member ? str_arg(*member, "locationName", "member") : "member";
    bool flattened = bool_arg(*shape, "flattened", false);
    if (flattened) {
      for (const auto& x : v.as_array()) append_value(model, ms, x, element, out, depth + 1);
      return;
    }
    out += "<" + std::string(element) + ">";
    for (const auto& x : v.as_array()) append_value(model, ms, x, item, out, depth + 1);
    out += "</" + std::string(element) + ">";
    return;
  }
  if (type == "map" && v.is_object()) {
    const auto* vshape = obj_arg(*shape, "value");
    std::string vs = vshape ? str_arg(*vshape, "shape") : "";
    out += "<" + std::string(element) + ">";
    for (const auto& [k, x] : v.as_object()) {
      out += "<entry><key>" + xml_escape(k) + "</key>";
      append_value(model, vs, x, "value", out, depth + 1);
      out += "</entry>";
    }
    out += "</" + std::string(element) + ">";
    return;
  }
  if (type == "structure" && v.is_object()) {
    out += "<" + std::string(element) + ">";
    append_xml_members(model, shape_name, v, out);
    out += "</" + std::string(element) + ">";
    return;
  }
  out += "<" + std::string(element) + ">" + scalar_text(shape, v) + "</" + std::string(element) + ">";
}

}  // namespace

void append_xml_members(const ServiceModel& model, std::string_view shape_name, const json::value& value,
                        std::string& out) {
  const auto* shape = model.shape(shape_name);
  if (!shape || !value.is_object()) return;
  const auto* members = obj_arg(*shape, "members");
  if (!members) return;
  // Model order, so output is stable and reads like the service's.
  for (const auto& [name, ref] : *members) {
    const auto* v = value.as_object().if_contains(name);
    if (!v || v->is_null()) continue;
    std::string element = str_arg(ref.as_object(), "locationName", name);
    append_value(model, str_arg(ref.as_object(), "shape"), *v, element, out, 0);
  }
}

}  // namespace appsignals::fakeaws

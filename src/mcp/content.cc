#include "mcp/content.h"

#include <charconv>
#include <cmath>

#include <boost/json/serialize.hpp>

namespace appsignals::mcp {
namespace {

void write_double(std::string& out, double d) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
  if (!std::isfinite(d) || ec != std::errc{}) {
    out += "null";  // JSON has no NaN/Infinity
    return;
  }
  out.append(buf, p);
}

void write(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [k, member] : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string_view(k));
        out += ':';
        write(out, member);
      }
      out += '}';
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out += ',';
        first = false;
        write(out, item);
      }
      out += ']';
      return;
    }
    case json::kind::double_:
      write_double(out, v.get_double());
      return;
    default:
      out += json::serialize(v);
      return;
  }
}

}  // namespace

std::string compact_json(const json::value& value) {
  std::string out;
  write(out, value);
  return out;
}

json::object text_content(std::string_view text) {
  json::object o;
  o["type"] = "text";
  o["text"] = text;
  return o;
}

json::object image_content(std::string_view base64_data, std::string_view mime_type) {
  json::object o;
  o["type"] = "image";
  o["data"] = base64_data;
  o["mimeType"] = mime_type;
  return o;
}

json::object audio_content(std::string_view base64_data, std::string_view mime_type) {
  json::object o;
  o["type"] = "audio";
  o["data"] = base64_data;
  o["mimeType"] = mime_type;
  return o;
}

json::object embedded_resource(std::string_view uri, std::string_view mime_type, std::string_view text,
                               bool is_blob) {
  json::object r;
  r["uri"] = uri;
  if (!mime_type.empty()) r["mimeType"] = mime_type;
  r[is_blob ? "blob" : "text"] = text;
  json::object o;
  o["type"] = "resource";
  o["resource"] = std::move(r);
  return o;
}

json::object resource_link(std::string_view uri, std::string_view name, std::string_view mime_type,
                           std::string_view description) {
  json::object o;
  o["type"] = "resource_link";
  o["uri"] = uri;
  o["name"] = name;
  if (!mime_type.empty()) o["mimeType"] = mime_type;
  if (!description.empty()) o["description"] = description;
  return o;
}

ToolResult ToolResult::text(std::string_view text) {
  ToolResult r;
  r.content.push_back(text_content(text));
  return r;
}

ToolResult ToolResult::error(std::string_view text) {
  ToolResult r = ToolResult::text(text);
  r.is_error = true;
  return r;
}

ToolResult ToolResult::structured(json::value value) {
  ToolResult r = ToolResult::text(compact_json(value));
  r.structured_content = std::move(value);
  return r;
}

}  // namespace appsignals::mcp

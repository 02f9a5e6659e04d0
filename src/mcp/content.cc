#include "mcp/content.h"

#include <boost/json/serialize.hpp>

namespace appsignals::mcp {

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
  ToolResult r = ToolResult::text(json::serialize(value));
  r.structured_content = std::move(value);
  return r;
}

}  // namespace appsignals::mcp

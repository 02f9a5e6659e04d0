#pragma once
// Builders for MCP content blocks and tool results.
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace appsignals::mcp {

namespace json = boost::json;

// Compact JSON text for a model to read: no indentation, doubles in their shortest decimal form
// ("0.25", "156.9", never "2.5E-1"); NaN and infinities as null.
std::string compact_json(const json::value& value);

json::object text_content(std::string_view text);
json::object image_content(std::string_view base64_data, std::string_view mime_type);
json::object audio_content(std::string_view base64_data, std::string_view mime_type);
// An embedded resource with text (or, if `is_blob`, base64 data in "blob").
json::object embedded_resource(std::string_view uri, std::string_view mime_type, std::string_view text,
                               bool is_blob = false);
json::object resource_link(std::string_view uri, std::string_view name,
                           std::string_view mime_type = {}, std::string_view description = {});

struct ToolResult {
  json::array content;
  std::optional<json::value> structured_content;
  bool is_error = false;

  static ToolResult text(std::string_view text);
  static ToolResult error(std::string_view text);
  // compact_json(value) as text plus the same value as structuredContent.
  static ToolResult structured(json::value value);
};

}  // namespace appsignals::mcp

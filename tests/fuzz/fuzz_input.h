#pragma once
// Helpers shared by the fuzz targets: the input as text, split into fields.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace appsignals::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits `text` at `sep` into at most `max_fields` fields (the last one keeps the rest, separators
// included), so seeds stay readable text files: one field per line.
inline std::vector<std::string_view> split_fields(std::string_view text, std::size_t max_fields, char sep = '\n') {
  std::vector<std::string_view> out;
  while (out.size() + 1 < max_fields) {
    auto pos = text.find(sep);
    if (pos == std::string_view::npos) break;
    out.push_back(text.substr(0, pos));
    text.remove_prefix(pos + 1);
  }
  out.push_back(text);
  while (out.size() < max_fields) out.emplace_back();
  return out;
}

}  // namespace appsignals::fuzz

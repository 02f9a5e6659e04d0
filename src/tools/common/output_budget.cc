// The output budget of a tool result (apply_budget) and the notes put in front of it
// (prefix_notes); declared in tool_spec.h, applied by make_tool after every run.
#include <algorithm>
#include <string>

#include <boost/json/parse.hpp>

#include "mcp/content.h"
#include "tools/common/tool_spec.h"

namespace appsignals::tools {
namespace {

// Cuts text at the last line break before `limit` (or at `limit` when the line is long),
// never inside a UTF-8 sequence.
std::string cut_text(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return std::string(text);
  auto cut = text.rfind('\n', limit);
  if (cut == std::string_view::npos || cut < limit / 2) {
    cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  return std::string(text.substr(0, cut));
}

// The largest array member (by serialized size) of an object, searched one level deep.
json::array* largest_array(json::object& o) {
  json::array* best = nullptr;
  std::size_t best_size = 0;
  for (auto& [k, v] : o) {
    if (v.is_array() && !v.get_array().empty()) {
      auto size = mcp::compact_json(v).size();
      if (size > best_size) best = &v.get_array(), best_size = size;
    }
  }
  return best;
}

}  // namespace

void apply_budget(mcp::ToolResult& result, std::size_t budget, std::string_view hint) {
  if (budget == 0) return;
  if (result.structured_content && result.structured_content->is_object()) {
    auto& o = result.structured_content->get_object();
    auto text = mcp::compact_json(o);
    if (text.size() <= budget) return;
    std::size_t dropped = 0;
    // Room for the `truncated` member added below.
    const std::size_t target = budget > 600 ? budget - 300 : budget / 2;
    // Drop items from the end of the largest array until it fits: each pass removes as many
    // items as the excess over the array's average item size says, at least one.
    for (int pass = 0; pass < 64 && text.size() > target; ++pass) {
      json::array* arr = largest_array(o);
      if (!arr) break;
      std::size_t avg = std::max<std::size_t>(1, mcp::compact_json(*arr).size() / arr->size());
      std::size_t remove = std::clamp<std::size_t>((text.size() - target + avg - 1) / avg, 1, arr->size());
      arr->erase(arr->end() - static_cast<std::ptrdiff_t>(remove), arr->end());
      dropped += remove;
      text = mcp::compact_json(o);
    }
    if (dropped > 0) {
      o["truncated"] = "Output cut to fit " + std::to_string(budget) + " characters: " + std::to_string(dropped) +
                       " items left out. To see them, " + std::string(hint) + ".";
      text = mcp::compact_json(o);
    }
    if (text.size() > budget) {
      // Still too big (one huge item): the structured copy goes, the text is cut.
      result.structured_content.reset();
      result.content = json::array{mcp::text_content(cut_text(text, budget) + "\n[output cut at " +
                                                     std::to_string(budget) + " characters: " + std::string(hint) + "]")};
      return;
    }
    // The JSON text block mirrors the structured content.
    for (auto& c : result.content)
      if (c.is_object() && c.get_object().contains("text")) {
        auto& t = c.get_object()["text"];
        boost::system::error_code ec;
        auto parsed = json::parse(t.get_string(), ec);
        if (!ec && parsed.is_object()) t = text;
      }
    return;
  }
  std::size_t total = 0;
  for (const auto& c : result.content)
    if (const auto* t = c.is_object() ? c.get_object().if_contains("text") : nullptr; t && t->is_string())
      total += t->get_string().size();
  if (total <= budget) return;
  std::size_t left = budget;
  json::array kept;
  for (auto& c : result.content) {
    if (left == 0) break;
    auto* t = c.is_object() ? c.get_object().if_contains("text") : nullptr;
    if (!t || !t->is_string()) {
      kept.push_back(std::move(c));
      continue;
    }
    std::string_view s = t->get_string();
    if (s.size() <= left) {
      left -= s.size();
      kept.push_back(std::move(c));
      continue;
    }
    std::string cut = cut_text(s, left);
    cut += "\n\n[Output cut at " + std::to_string(budget) + " of " + std::to_string(total) +
           " characters. To see the rest, " + std::string(hint) + ".]";
    kept.push_back(mcp::text_content(cut));
    left = 0;
  }
  result.content = std::move(kept);
}

void prefix_notes(mcp::ToolResult& result, const Notes& notes) {
  if (notes.empty()) return;
  std::string text;
  for (const auto& n : notes) text += "Note: " + n + "\n";
  if (!result.structured_content) {
    for (auto& c : result.content)
      if (auto* t = c.is_object() ? c.get_object().if_contains("text") : nullptr; t && t->is_string()) {
        *t = text + "\n" + std::string(t->get_string());
        return;
      }
  }
  // JSON results keep their text block equal to the structured content: notes go first, apart.
  text.pop_back();
  result.content.insert(result.content.begin(), mcp::text_content(text));
}

}  // namespace appsignals::tools

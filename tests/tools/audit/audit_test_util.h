#pragma once
// Helpers shared by the audit tool tests.
#include <string>
#include <string_view>
#include <vector>

#include "tool_harness.h"

namespace appsignals::testing {

inline std::size_t count_ops(const ToolHarness& h, std::string_view op) {
  std::size_t n = 0;
  for (const auto& r : h.requests()) n += r.operation == op;
  return n;
}

// The AuditTargets of every ListAuditFindings request, in order.
inline std::vector<boost::json::array> audit_batches(const ToolHarness& h) {
  std::vector<boost::json::array> out;
  for (const auto& r : h.requests())
    if (r.operation == "ListAuditFindings" && r.input.contains("AuditTargets"))
      out.push_back(r.input.at("AuditTargets").as_array());
  return out;
}

inline bool has(const std::string& text, std::string_view what) { return text.find(what) != std::string::npos; }

// The value after "  next_token: \"" in a continuation footer.
inline std::string next_token_of(const std::string& text) {
  std::string key = "next_token: \"";
  auto p = text.find(key);
  if (p == std::string::npos) return {};
  p += key.size();
  return text.substr(p, text.find('"', p) - p);
}

}  // namespace appsignals::testing

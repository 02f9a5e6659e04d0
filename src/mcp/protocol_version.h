#pragma once
// MCP protocol versions this server speaks (handshake era) and the negotiation rule.
#include <array>
#include <string_view>

namespace appsignals::mcp {

inline constexpr std::array<std::string_view, 4> kSupportedVersions = {
    "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"};
inline constexpr std::string_view kLatestVersion = "2025-11-25";
// Assumed when an HTTP request carries no MCP-Protocol-Version header (spec 2025-06-18).
inline constexpr std::string_view kDefaultHttpVersion = "2025-03-26";

inline bool is_supported_version(std::string_view v) {
  for (auto s : kSupportedVersions)
    if (s == v) return true;
  return false;
}

// Echo a supported requested version, else answer the latest.
inline std::string_view negotiate_version(std::string_view requested) {
  return is_supported_version(requested) ? requested : kLatestVersion;
}

// Version dates compare lexicographically.
inline bool version_at_least(std::string_view negotiated, std::string_view minimum) {
  return negotiated >= minimum;
}

}  // namespace appsignals::mcp

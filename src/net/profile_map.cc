#include "net/profile_map.h"

#include <algorithm>
#include <charconv>

#include "common/text.h"

namespace appsignals::net {
namespace {

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(sep, start);
    if (end == std::string_view::npos) end = text.size();
    out.emplace_back(trim_space(text.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

void add_unique(std::vector<std::string>& to, const std::vector<std::string>& names) {
  for (const auto& n : names)
    if (std::find(to.begin(), to.end(), n) == to.end()) to.push_back(n);
}

}  // namespace

Result<ProfileMap> ProfileMap::parse(std::string_view text, const std::vector<std::string>& allowed) {
  ProfileMap map;
  int position = 0;
  for (const auto& raw : split(text, ';')) {
    if (raw.empty()) continue;  // "a -> x;" and ";;" are harmless
    ++position;
    auto fail = [&](const std::string& what) -> Error {
      return Error{ErrorCode::kInvalidArgument, "MCP_AWS_PROFILE_MAP rule " + std::to_string(position) + " ('" +
                                                    raw.substr(0, 120) + "'): " + what};
    };
    auto arrow = raw.rfind("->");
    if (arrow == std::string::npos) return fail("expected '<selector> -> <profiles>'");
    std::string selector(trim_space(std::string_view(raw).substr(0, arrow)));
    std::string profiles(trim_space(std::string_view(raw).substr(arrow + 2)));
    if (selector.empty()) return fail("the selector before '->' is empty");
    if (profiles.empty()) return fail("no profile after '->'");
    Rule rule;
    if (selector == "*") {
      rule.kind = Kind::kDefault;
    } else if (selector == "api-key") {
      rule.kind = Kind::kAnyApiKey;
    } else if (selector.rfind("api-key#", 0) == 0) {
      std::string_view n = std::string_view(selector).substr(8);
      int index = 0;
      auto [p, ec] = std::from_chars(n.data(), n.data() + n.size(), index);
      if (ec != std::errc{} || p != n.data() + n.size() || index < 1)
        return fail("api-key#<n> needs a key number from 1 (got '" + std::string(n) + "')");
      rule.kind = Kind::kApiKey;
      rule.key_index = index - 1;
    } else {
      auto eq = selector.find('=');
      if (eq == std::string::npos)
        return fail("the selector must be <claim>=<value>, api-key#<n>, api-key or * (got '" + selector + "')");
      rule.kind = Kind::kClaim;
      rule.claim = std::string(trim_space(std::string_view(selector).substr(0, eq)));
      rule.value = std::string(trim_space(std::string_view(selector).substr(eq + 1)));
      if (rule.claim.empty() || rule.value.empty()) return fail("<claim>=<value> needs both a claim and a value");
    }
    if (profiles == "*") {
      rule.profiles = allowed;
    } else {
      for (const auto& name : split(profiles, '|')) {
        if (name.empty()) return fail("an empty profile name in '" + profiles + "'");
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
          return fail("profile '" + name + "' is not in MCP_AWS_PROFILES");
        add_unique(rule.profiles, {name});
      }
    }
    map.rules_.push_back(std::move(rule));
  }
  if (map.rules_.empty()) return Error{ErrorCode::kInvalidArgument, "MCP_AWS_PROFILE_MAP is set but holds no rule"};
  return map;
}

bool ProfileMap::matches(const Rule& rule, const boost::json::object& claims, int key_index) {
  switch (rule.kind) {
    case Kind::kAnyApiKey: return key_index >= 0;
    case Kind::kApiKey: return key_index >= 0 && key_index == rule.key_index;
    case Kind::kDefault: return false;
    case Kind::kClaim: {
      if (key_index >= 0) return false;
      const auto* v = claims.if_contains(rule.claim);
      if (!v) return false;
      if (v->is_string()) return v->get_string() == rule.value;
      if (v->is_array())
        for (const auto& item : v->get_array())
          if (item.is_string() && item.get_string() == rule.value) return true;
      return false;
    }
  }
  return false;
}

std::vector<std::string> ProfileMap::resolve(const boost::json::object& claims, int key_index) const {
  std::vector<std::string> out;
  bool matched = false;
  for (const auto& rule : rules_) {
    if (!matches(rule, claims, key_index)) continue;
    matched = true;
    add_unique(out, rule.profiles);
  }
  if (!matched)
    for (const auto& rule : rules_)
      if (rule.kind == Kind::kDefault) add_unique(out, rule.profiles);
  return out;
}

std::vector<std::string> ProfileMap::resolve(const AuthOutcome& outcome) const {
  return resolve(outcome.claims, outcome.key_index);
}

}  // namespace appsignals::net

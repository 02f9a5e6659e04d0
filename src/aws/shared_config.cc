#include "aws/shared_config.h"

#include "common/text.h"
#include <fstream>
#include <sstream>

namespace appsignals::aws {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Calls on_section(name) at each header, on_kv(key, value, parent) for each assignment, where
// `parent` is the enclosing key for indented sub-section lines.
template <typename OnSection, typename OnKv>
void parse_ini(std::string_view text, OnSection on_section, OnKv on_kv) {
  std::istringstream in{std::string(text)};
  std::string line;
  std::string parent;
  while (std::getline(in, line)) {
    bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    std::string t = std::string(trim_space(line));
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[' && t.back() == ']') {
      on_section(std::string(trim_space(std::string_view(t).substr(1, t.size() - 2))));
      parent.clear();
      continue;
    }
    auto eq = t.find('=');
    if (eq == std::string::npos) continue;
    std::string key = std::string(trim_space(std::string_view(t).substr(0, eq)));
    std::string value = std::string(trim_space(std::string_view(t).substr(eq + 1)));
    if (indented && !parent.empty()) {
      on_kv(key, value, parent);
    } else {
      parent = value.empty() ? key : std::string();
      on_kv(key, value, std::string());
    }
  }
}

}  // namespace

SharedConfig SharedConfig::from_strings(std::string_view config_text, std::string_view credentials_text) {
  SharedConfig sc;
  {
    enum class Kind { kNone, kProfile, kServices } kind = Kind::kNone;
    std::string current;
    parse_ini(
        config_text,
        [&](const std::string& header) {
          if (header == "default") {
            kind = Kind::kProfile;
            current = "default";
          } else if (header.rfind("profile ", 0) == 0) {
            kind = Kind::kProfile;
            current = std::string(trim_space(std::string_view(header).substr(8)));
          } else if (header.rfind("services ", 0) == 0) {
            kind = Kind::kServices;
            current = std::string(trim_space(std::string_view(header).substr(9)));
          } else {
            kind = Kind::kNone;
          }
          if (kind == Kind::kProfile) sc.config_profiles_[current];
          if (kind == Kind::kServices) sc.services_[current];
        },
        [&](const std::string& k, const std::string& v, const std::string& parent) {
          if (kind == Kind::kProfile) {
            if (parent.empty()) sc.config_profiles_[current][k] = v;
          } else if (kind == Kind::kServices) {
            if (!parent.empty()) sc.services_[current][parent + "." + k] = v;
          }
        });
  }
  {
    std::string current;
    parse_ini(
        credentials_text, [&](const std::string& header) { current = header; sc.credential_profiles_[current]; },
        [&](const std::string& k, const std::string& v, const std::string& parent) {
          if (!current.empty() && parent.empty()) sc.credential_profiles_[current][k] = v;
        });
  }
  return sc;
}

namespace {
std::string expand_home(const Env& env, std::string p) {
  if (!p.empty() && p[0] == '~') p = env.home() + p.substr(1);
  return p;
}
}  // namespace

std::string SharedConfig::config_path(const Env& env) {
  return expand_home(env, env.get_non_empty("AWS_CONFIG_FILE").value_or(env.home() + "/.aws/config"));
}

std::string SharedConfig::credentials_path(const Env& env) {
  return expand_home(env, env.get_non_empty("AWS_SHARED_CREDENTIALS_FILE").value_or(env.home() + "/.aws/credentials"));
}

SharedConfig SharedConfig::load(const Env& env) {
  return from_strings(read_file(config_path(env)), read_file(credentials_path(env)));
}

std::string SharedConfig::profile_name(const Env& env) {
  if (auto p = env.get_non_empty("AWS_PROFILE")) return *p;
  if (auto p = env.get_non_empty("AWS_DEFAULT_PROFILE")) return *p;
  return "default";
}

std::optional<IniSection> SharedConfig::config_profile(std::string_view name) const {
  auto it = config_profiles_.find(name);
  if (it == config_profiles_.end()) return std::nullopt;
  return it->second;
}

std::optional<IniSection> SharedConfig::credentials_profile(std::string_view name) const {
  auto it = credential_profiles_.find(name);
  if (it == credential_profiles_.end()) return std::nullopt;
  return it->second;
}

std::optional<IniSection> SharedConfig::profile(std::string_view name, bool include_credentials) const {
  auto cfg = config_profile(name);
  auto creds = include_credentials ? credentials_profile(name) : std::nullopt;
  if (!cfg && !creds) return std::nullopt;
  IniSection out = cfg.value_or(IniSection{});
  if (creds)
    for (const auto& [k, v] : *creds) out[k] = v;
  return out;
}

std::optional<std::string> SharedConfig::service_setting(std::string_view services_name,
                                                         std::string_view service_key,
                                                         std::string_view key) const {
  auto it = services_.find(services_name);
  if (it == services_.end()) return std::nullopt;
  auto kv = it->second.find(std::string(service_key) + "." + std::string(key));
  if (kv == it->second.end()) return std::nullopt;
  return kv->second;
}

}  // namespace appsignals::aws

#include "aws/env.h"

#include <cctype>
#include <cstdlib>

namespace appsignals::aws {

std::optional<std::string> Env::get_non_empty(std::string_view name) const {
  auto v = get(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

std::optional<bool> Env::get_bool(std::string_view name) const {
  auto v = get_non_empty(name);
  if (!v) return std::nullopt;
  std::string s;
  for (char c : *v) s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (s == "true" || s == "1" || s == "yes") return true;
  if (s == "false" || s == "0" || s == "no") return false;
  return std::nullopt;
}

std::string Env::home() const { return get_non_empty("HOME").value_or(""); }

std::optional<std::string> ProcessEnv::get(std::string_view name) const {
  const char* v = std::getenv(std::string(name).c_str());
  if (!v) return std::nullopt;
  return std::string(v);
}

const ProcessEnv& ProcessEnv::instance() {
  static const ProcessEnv env;
  return env;
}

std::optional<std::string> MapEnv::get(std::string_view name) const {
  auto it = vars_.find(name);
  if (it == vars_.end()) return std::nullopt;
  return it->second;
}

}  // namespace appsignals::aws

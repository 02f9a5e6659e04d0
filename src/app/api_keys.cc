#include "app/api_keys.h"

#include <fstream>

#include "app/config.h"

namespace appsignals::app {

Result<std::vector<std::string>> read_key_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{ErrorCode::kInvalidArgument, "MCP_API_KEY_FILE: cannot read " + path};
  std::vector<std::string> keys;
  std::string line;
  while (std::getline(in, line)) {
    auto b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos || line[b] == '#') continue;
    auto e = line.find_last_not_of(" \t\r");
    keys.push_back(line.substr(b, e - b + 1));
  }
  if (keys.empty()) return Error{ErrorCode::kInvalidArgument, "MCP_API_KEY_FILE: no keys in " + path};
  if (auto bad = check_api_keys(keys, "MCP_API_KEY_FILE " + path); !bad) return bad.error();
  return keys;
}

Result<std::vector<std::string>> load_api_keys(const std::vector<std::string>& env_keys, const std::string& file) {
  std::vector<std::string> keys = env_keys;
  if (!file.empty()) {
    auto from_file = read_key_file(file);
    if (!from_file) return from_file.error();
    keys.insert(keys.end(), from_file->begin(), from_file->end());
  }
  return keys;
}

}  // namespace appsignals::app

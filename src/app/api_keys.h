#pragma once
// API keys from MCP_API_KEY (comma-separated) and MCP_API_KEY_FILE (one key per line; blank
// lines and lines starting with '#' ignored). The file is re-read on SIGHUP.
#include <string>
#include <vector>

#include "common/result.h"

namespace appsignals::app {

Result<std::vector<std::string>> read_key_file(const std::string& path);
// Environment keys plus the file's keys. An unreadable or empty file is an error naming
// MCP_API_KEY_FILE: a typo there must not silently turn authentication off.
Result<std::vector<std::string>> load_api_keys(const std::vector<std::string>& env_keys, const std::string& file);

}  // namespace appsignals::app

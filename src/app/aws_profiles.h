#pragma once
// MCP_AWS_PROFILES (--aws-profiles) and MCP_AWS_PROFILE_MAP (--aws-profile-map): the named AWS
// profiles calls may choose, and which of them each principal may use (net/profile_map.h has
// the map's syntax). Validated fully at start-up; the tools get one client context per profile.
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "net/profile_map.h"
#include "tools/common/tool_env.h"

namespace appsignals::aws {
struct ClientContext;
}

namespace appsignals::app {

struct ServeConfig;

// "a, b,c" -> {"a","b","c"}; names are non-empty, without white space, '|', ';' or '*', at most
// 64 characters, no duplicates. The error names `what`.
Result<std::vector<std::string>> parse_profile_list(const std::string& text, const std::string& what);

// Checks the profile settings of `config` against the shared config files its environment
// names: every listed profile exists and supplies credentials (no I/O: nothing is resolved),
// the map parses against the list, a map needs the list and an authenticator (API keys or
// OAuth). The error names the variable and the profile.
Result<void> check_aws_profiles(const ServeConfig& config);

// The parsed map of `config` (nullptr when MCP_AWS_PROFILE_MAP is unset). Call after
// check_aws_profiles.
std::shared_ptr<const net::ProfileMap> profile_map_of(const ServeConfig& config);

// One client context per listed profile, sharing `base`'s HTTP client; `fallback_region` for
// profiles without their own. A profile that fails (a changed file) is logged and left out.
std::vector<tools::AwsProfile> make_tool_profiles(const ServeConfig& config, const aws::ClientContext& base,
                                                  const std::string& fallback_region);

}  // namespace appsignals::app

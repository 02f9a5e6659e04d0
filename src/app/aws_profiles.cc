#include "app/aws_profiles.h"

#include <algorithm>
#include <cctype>

#include <spdlog/spdlog.h>

#include "app/config.h"
#include "aws/aws_setup.h"
#include "aws/credentials/chain.h"
#include "aws/shared_config.h"

namespace appsignals::app {
namespace {

aws::MapEnv env_of(const ServeConfig& config) {
  return aws::MapEnv(std::map<std::string, std::string, std::less<>>(config.env.begin(), config.env.end()));
}

}  // namespace

Result<std::vector<std::string>> parse_profile_list(const std::string& text, const std::string& what) {
  std::vector<std::string> out;
  for (const auto& name : net::split_list(text)) {
    const bool bad_char = std::any_of(name.begin(), name.end(), [](char c) {
      return c == ' ' || c == '\t' || c == '|' || c == ';' || c == '*' || c == '\n' || c == '\r';
    });
    if (bad_char || name.size() > 64)
      return Error{ErrorCode::kInvalidArgument,
                   what + ": '" + name.substr(0, 80) +
                       "' is not a profile name (at most 64 characters, no white space, '|', ';' or '*')"};
    // Names are matched in any case, so two that differ only in case would be ambiguous.
    const auto same = [&](const std::string& other) {
      return other.size() == name.size() &&
             std::equal(other.begin(), other.end(), name.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
             });
    };
    if (std::any_of(out.begin(), out.end(), same))
      return Error{ErrorCode::kInvalidArgument,
                   what + ": profile '" + name + "' is listed twice (names are matched in any case)"};
    out.push_back(name);
  }
  if (out.empty()) return Error{ErrorCode::kInvalidArgument, what + " is set but names no profile"};
  return out;
}

Result<void> check_aws_profiles(const ServeConfig& config) {
  if (!config.aws_profile_map.empty() && config.aws_profiles.empty())
    return Error{ErrorCode::kInvalidArgument, "MCP_AWS_PROFILE_MAP needs MCP_AWS_PROFILES (the profiles it maps to)"};
  if (config.aws_profiles.empty()) return {};
  auto env = env_of(config);
  auto shared = aws::SharedConfig::load(env);
  for (const auto& name : config.aws_profiles) {
    if (!shared.profile(name))
      return Error{ErrorCode::kInvalidArgument, "MCP_AWS_PROFILES: profile '" + name + "' is not in " +
                                                    aws::SharedConfig::config_path(env) + " or " +
                                                    aws::SharedConfig::credentials_path(env)};
    aws::ChainOptions options;
    options.profile = name;
    auto creds = aws::make_profile_credentials(env, shared, options);
    if (!creds) return Error{ErrorCode::kInvalidArgument, "MCP_AWS_PROFILES: " + creds.error().message};
  }
  if (!config.aws_profile_map.empty()) {
    auto map = net::ProfileMap::parse(config.aws_profile_map, config.aws_profiles);
    if (!map) return map.error();
    const bool authenticated = !config.api_keys.empty() || !config.api_key_file.empty() || config.oauth.enabled();
    if (!authenticated)
      return Error{ErrorCode::kInvalidArgument,
                   "MCP_AWS_PROFILE_MAP maps principals, so it needs authentication (MCP_API_KEY, MCP_API_KEY_FILE "
                   "or MCP_OAUTH_ISSUER)"};
  }
  return {};
}

std::shared_ptr<const net::ProfileMap> profile_map_of(const ServeConfig& config) {
  if (config.aws_profile_map.empty()) return nullptr;
  auto map = net::ProfileMap::parse(config.aws_profile_map, config.aws_profiles);
  if (!map) return nullptr;
  return std::make_shared<const net::ProfileMap>(std::move(*map));
}

std::vector<tools::AwsProfile> make_tool_profiles(const ServeConfig& config, const aws::ClientContext& base,
                                                  const std::string& fallback_region) {
  std::vector<tools::AwsProfile> out;
  if (config.aws_profiles.empty()) return out;
  auto env = env_of(config);
  auto shared = aws::SharedConfig::load(env);
  for (const auto& name : config.aws_profiles) {
    auto setup = aws::make_profile_setup(base, env, shared, name, fallback_region);
    if (!setup) {
      spdlog::error("aws: profile {} left out: {}", name, setup.error().message);
      continue;
    }
    spdlog::info("aws: profile {}: region {} ({}), credentials from {}", name, setup->region, setup->region_source,
                 setup->context->credentials->describe());
    out.push_back(tools::AwsProfile{name, setup->context, setup->region});
  }
  return out;
}

}  // namespace appsignals::app

#pragma once
// The shared AWS `config` and `credentials` files (INI): profiles, `[services x]` sections
// with their indented sub-sections, located by AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE
// (default ~/.aws/config, ~/.aws/credentials). Missing files are empty, not errors.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "aws/env.h"

namespace appsignals::aws {

using IniSection = std::map<std::string, std::string, std::less<>>;

class SharedConfig {
 public:
  // Reads both files now (call again to pick up changes).
  static SharedConfig load(const Env& env);
  // Parses file contents (tests).
  static SharedConfig from_strings(std::string_view config_text, std::string_view credentials_text);

  // The files load() reads ("~" expanded).
  static std::string config_path(const Env& env);
  static std::string credentials_path(const Env& env);

  // The active profile name: AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default".
  static std::string profile_name(const Env& env);

  // Keys of profile `name`: the config file's [profile name] (or [default]); with
  // `include_credentials`, the credentials file's [name] overrides matching keys.
  std::optional<IniSection> profile(std::string_view name, bool include_credentials = true) const;
  // The credentials file's section only.
  std::optional<IniSection> credentials_profile(std::string_view name) const;
  // The config file's profile section only.
  std::optional<IniSection> config_profile(std::string_view name) const;
  // `[services <name>]` sub-section `service_key` (e.g. "cloudwatch_logs") key `key`.
  std::optional<std::string> service_setting(std::string_view services_name, std::string_view service_key,
                                             std::string_view key) const;

 private:
  std::map<std::string, IniSection, std::less<>> config_profiles_;
  std::map<std::string, IniSection, std::less<>> credential_profiles_;
  // services name -> "service_key.key" -> value
  std::map<std::string, IniSection, std::less<>> services_;
};

}  // namespace appsignals::aws

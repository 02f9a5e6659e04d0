#pragma once
// Endpoint resolution: explicit override, then (unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS /
// ignore_configured_endpoint_urls) AWS_ENDPOINT_URL_<SERVICE_ID>, AWS_ENDPOINT_URL, the
// profile's `services` section, the profile's endpoint_url; otherwise the service's rule set
// with Region, UseFIPS (AWS_USE_FIPS_ENDPOINT / use_fips_endpoint) and UseDualStack
// (AWS_USE_DUALSTACK_ENDPOINT / use_dualstack_endpoint). Thread-safe after construction.
#include <optional>
#include <string>
#include <string_view>

#include "aws/endpoints/rules_engine.h"
#include "aws/env.h"
#include "aws/service.h"
#include "aws/shared_config.h"
#include "common/result.h"

namespace appsignals::aws {

struct Endpoint {
  std::string url;             // scheme://host[:port][/base-path], no trailing slash
  std::string signing_region;  // the region to sign with (us-east-1 for global IAM)
  std::string signing_name;
  bool custom = false;         // came from an override
};

struct EndpointSettings {
  std::optional<std::string> explicit_url;  // applies to every service (CLI/config option)
  bool ignore_configured = false;
  bool use_fips = false;
  bool use_dual_stack = false;
  // Overrides by env suffix (APPLICATION_SIGNALS, ...) and the global one.
  std::map<std::string, std::string, std::less<>> per_service;  // env_suffix -> url
  std::optional<std::string> global_url;
  // From the profile: services-section urls by config key, and the profile endpoint_url.
  std::map<std::string, std::string, std::less<>> profile_per_service;  // config_key -> url
  std::optional<std::string> profile_url;

  // Reads the environment and the active profile.
  static EndpointSettings load(const Env& env, const SharedConfig& config);
  // The same with the named profile's settings instead of the active profile's.
  static EndpointSettings load(const Env& env, const SharedConfig& config, std::string_view profile);
};

class EndpointResolver {
 public:
  explicit EndpointResolver(EndpointSettings settings) : settings_(std::move(settings)) {}
  Result<Endpoint> resolve(const ServiceInfo& service, std::string_view region) const;
  const EndpointSettings& settings() const { return settings_; }

 private:
  EndpointSettings settings_;
};

// Rule-set evaluation only (no overrides), for golden tests. Not for S3.
Result<endpoints::ResolvedEndpoint> resolve_from_rules(std::string_view endpoint_prefix,
                                                       const endpoints::RuleParams& params);

// S3 bucket URL: virtual-hosted when the bucket is a DNS-compatible label (no dots), else
// path-style; always path-style on a custom endpoint. Returns the base URL to which
// "/<key>" is appended.
std::string s3_bucket_url(const Endpoint& endpoint, std::string_view bucket);

}  // namespace appsignals::aws

#include "aws/endpoints/endpoint_resolver.h"

#include <memory>
#include <mutex>

#include "aws/endpoints/rule_sets.h"

namespace appsignals::aws {
namespace {

const endpoints::RuleSet* rule_set_for(std::string_view prefix) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<endpoints::RuleSet>, std::less<>> cache;
  std::lock_guard lock(mu);
  if (auto it = cache.find(prefix); it != cache.end()) return it->second.get();
  auto json = endpoints::rule_set_json(prefix);
  if (json.empty()) return nullptr;
  auto rs = endpoints::RuleSet::parse(json, endpoints::partitions_json());
  if (!rs.ok()) return nullptr;
  auto* raw = cache.emplace(std::string(prefix), std::make_unique<endpoints::RuleSet>(std::move(rs).value()))
                  .first->second.get();
  return raw;
}

std::string strip_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

EndpointSettings EndpointSettings::load(const Env& env, const SharedConfig& config) {
  return load(env, config, SharedConfig::profile_name(env));
}

EndpointSettings EndpointSettings::load(const Env& env, const SharedConfig& config, std::string_view profile_name) {
  EndpointSettings s;
  auto profile = config.profile(profile_name, /*include_credentials=*/false).value_or(IniSection{});
  auto prof = [&profile](std::string_view k) -> std::optional<std::string> {
    auto it = profile.find(k);
    if (it == profile.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
  auto truthy = [](const std::optional<std::string>& v) { return v && (*v == "true" || *v == "TRUE" || *v == "True"); };
  s.ignore_configured = env.get_bool("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
                            .value_or(truthy(prof("ignore_configured_endpoint_urls")));
  s.use_fips = env.get_bool("AWS_USE_FIPS_ENDPOINT").value_or(truthy(prof("use_fips_endpoint")));
  s.use_dual_stack = env.get_bool("AWS_USE_DUALSTACK_ENDPOINT").value_or(truthy(prof("use_dualstack_endpoint")));
  for (const ServiceInfo* svc : {&services::kApplicationSignals, &services::kCloudWatch, &services::kLogs,
                                 &services::kXRay, &services::kSynthetics, &services::kS3, &services::kIam,
                                 &services::kSts, &services::kLambda}) {
    if (auto v = env.get_non_empty("AWS_ENDPOINT_URL_" + std::string(svc->env_suffix)))
      s.per_service[std::string(svc->env_suffix)] = *v;
    if (auto services_name = prof("services")) {
      if (auto v = config.service_setting(*services_name, svc->config_key, "endpoint_url"))
        s.profile_per_service[std::string(svc->config_key)] = *v;
    }
  }
  s.global_url = env.get_non_empty("AWS_ENDPOINT_URL");
  s.profile_url = prof("endpoint_url");
  return s;
}

Result<Endpoint> EndpointResolver::resolve(const ServiceInfo& service, std::string_view region) const {
  Endpoint ep;
  ep.signing_name = std::string(service.signing_name);
  ep.signing_region = std::string(region);
  std::optional<std::string> custom = settings_.explicit_url;
  if (!custom && !settings_.ignore_configured) {
    if (auto it = settings_.per_service.find(service.env_suffix); it != settings_.per_service.end())
      custom = it->second;
    else if (settings_.global_url)
      custom = settings_.global_url;
    else if (auto it2 = settings_.profile_per_service.find(service.config_key);
             it2 != settings_.profile_per_service.end())
      custom = it2->second;
    else if (settings_.profile_url)
      custom = settings_.profile_url;
  }
  if (custom) {
    ep.url = strip_slash(*custom);
    ep.custom = true;
    if (region.empty() && service.endpoint_prefix == "iam") ep.signing_region = "us-east-1";
    return ep;
  }
  if (region.empty())
    return Error(ErrorCode::kInvalidArgument,
                 "No AWS region configured: set AWS_REGION (or AWS_DEFAULT_REGION, or region in the profile)");
  if (service.endpoint_prefix == "s3") {
    bool cn = region.rfind("cn-", 0) == 0;
    std::string host = settings_.use_fips ? "s3-fips" : "s3";
    if (settings_.use_dual_stack) host += ".dualstack";
    ep.url = "https://" + host + "." + std::string(region) + (cn ? ".amazonaws.com.cn" : ".amazonaws.com");
    return ep;
  }
  endpoints::RuleParams params;
  params.region = std::string(region);
  params.use_fips = settings_.use_fips;
  params.use_dual_stack = settings_.use_dual_stack;
  auto r = resolve_from_rules(service.endpoint_prefix, params);
  if (!r.ok()) return std::move(r).error();
  ep.url = strip_slash(r->url);
  if (r->signing_region) ep.signing_region = *r->signing_region;
  if (r->signing_name) ep.signing_name = *r->signing_name;
  return ep;
}

Result<endpoints::ResolvedEndpoint> resolve_from_rules(std::string_view endpoint_prefix,
                                                       const endpoints::RuleParams& params) {
  const endpoints::RuleSet* rs = rule_set_for(endpoint_prefix);
  if (!rs) return Error(ErrorCode::kInternal, "no endpoint rule set for " + std::string(endpoint_prefix));
  return rs->resolve(params);
}

std::string s3_bucket_url(const Endpoint& endpoint, std::string_view bucket) {
  bool dns_ok = !bucket.empty() && bucket.size() <= 63 && bucket.find('.') == std::string_view::npos;
  for (char c : bucket)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) dns_ok = false;
  if (endpoint.custom || !dns_ok) return endpoint.url + "/" + std::string(bucket);
  auto sep = endpoint.url.find("://");
  return endpoint.url.substr(0, sep + 3) + std::string(bucket) + "." + endpoint.url.substr(sep + 3);
}

}  // namespace appsignals::aws

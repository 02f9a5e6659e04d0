#include "aws/aws_setup.h"

#include "aws/credentials/chain.h"
#include "aws/region.h"

namespace appsignals::aws {

CurlHttpClient::Options http_client_options(const Env& env, const SharedConfig& config) {
  CurlHttpClient::Options options;
  options.proxy = ProxySettings::from_env(env);
  std::string bundle = env.get_non_empty("AWS_CA_BUNDLE").value_or("");
  if (bundle.empty()) {
    if (auto prof = config.profile(SharedConfig::profile_name(env), false)) {
      auto it = prof->find("ca_bundle");
      if (it != prof->end()) bundle = it->second;
    }
  }
  if (!bundle.empty() && bundle[0] == '~') bundle = env.home() + bundle.substr(1);
  options.ca_bundle = bundle;
  return options;
}

Result<AwsSetup> make_aws_setup(boost::asio::any_io_executor executor, const Env& env,
                                const std::optional<std::string>& region) {
  SharedConfig config = SharedConfig::load(env);
  CurlHttpClient::Options http_options = http_client_options(env, config);
  auto resolved = resolve_configured_region(region, env, config);
  if (!resolved) {
    auto from_imds = fetch_region_from_imds(env, http_options);
    if (!from_imds) {
      std::string why = ImdsClient(nullptr, env).disabled()
                            ? "EC2 instance metadata not consulted (AWS_EC2_METADATA_DISABLED)"
                            : "none from EC2 instance metadata either (" + from_imds.error().message + ")";
      return Error(ErrorCode::kInvalidArgument,
                   "No AWS region configured: set AWS_REGION (or AWS_DEFAULT_REGION, or region in the AWS "
                   "profile); " + why);
    }
    resolved = ResolvedRegion{*from_imds, "EC2 instance metadata"};
  }
  auto ctx = std::make_shared<ClientContext>();
  ctx->http = std::make_shared<CurlHttpClient>(std::move(executor), http_options);
  ctx->endpoints = std::make_shared<EndpointResolver>(EndpointSettings::load(env, config));
  ctx->retry = RetryConfig::load(env, config);
  ctx->user_agent = make_user_agent(env, ctx->retry.mode);
  ChainOptions opts;
  opts.http = ctx->http;
  opts.endpoints = ctx->endpoints;
  opts.region = resolved->name;
  opts.user_agent = ctx->user_agent;
  ctx->credentials = make_default_credentials_chain(env, config, opts);
  return AwsSetup{std::move(ctx), resolved->name, resolved->source};
}

Result<ProfileSetup> make_profile_setup(const ClientContext& base, const Env& env, const SharedConfig& config,
                                        const std::string& profile, const std::string& fallback_region) {
  if (!config.profile(profile))
    return Error(ErrorCode::kInvalidArgument, "AWS profile \"" + profile + "\" is not in " +
                                                  SharedConfig::config_path(env) + " or " +
                                                  SharedConfig::credentials_path(env));
  ProfileSetup out;
  out.name = profile;
  out.region = fallback_region;
  out.region_source = "server";
  if (auto prof = config.profile(profile, false)) {
    if (auto it = prof->find("region"); it != prof->end() && !it->second.empty()) {
      out.region = it->second;
      out.region_source = "profile " + profile;
    }
  }
  auto ctx = std::make_shared<ClientContext>();
  ctx->http = base.http;
  ctx->retry = base.retry;
  ctx->user_agent = base.user_agent;
  ctx->connect_timeout = base.connect_timeout;
  ctx->total_timeout = base.total_timeout;
  ctx->now = base.now;
  ctx->random01 = base.random01;
  ctx->endpoints = std::make_shared<EndpointResolver>(EndpointSettings::load(env, config, profile));
  ChainOptions opts;
  opts.http = ctx->http;
  opts.endpoints = ctx->endpoints;
  opts.region = out.region;
  opts.user_agent = ctx->user_agent;
  opts.profile = profile;
  auto creds = make_profile_credentials(env, config, opts);
  if (!creds) return creds.error();
  ctx->credentials = std::move(*creds);
  out.context = std::move(ctx);
  return out;
}

}  // namespace appsignals::aws

#include "aws/aws_setup.h"

#include "aws/credentials/chain.h"
#include "aws/http/curl_http_client.h"

namespace appsignals::aws {

Result<AwsSetup> make_aws_setup(boost::asio::any_io_executor executor, const Env& env,
                                const std::optional<std::string>& region) {
  SharedConfig config = SharedConfig::load(env);
  auto resolved = resolve_region(region, env, config);
  if (!resolved)
    return Error(ErrorCode::kInvalidArgument,
                 "No AWS region configured: set AWS_REGION (or AWS_DEFAULT_REGION, or region in the AWS profile)");
  auto ctx = std::make_shared<ClientContext>();
  ctx->http = std::make_shared<CurlHttpClient>(std::move(executor));
  ctx->endpoints = std::make_shared<EndpointResolver>(EndpointSettings::load(env, config));
  ctx->retry = RetryConfig::load(env, config);
  ctx->user_agent = make_user_agent(env, ctx->retry.mode);
  ChainOptions opts;
  opts.http = ctx->http;
  opts.endpoints = ctx->endpoints;
  opts.region = *resolved;
  opts.user_agent = ctx->user_agent;
  ctx->credentials = make_default_credentials_chain(env, config, opts);
  return AwsSetup{std::move(ctx), *resolved};
}

}  // namespace appsignals::aws

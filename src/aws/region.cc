#include "aws/region.h"

#include <cctype>
#include <exception>
#include <memory>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace appsignals::aws {
namespace asio = boost::asio;

namespace {

// "us-west-2", "cn-north-1", "us-gov-west-1": lowercase letters, digits and dashes.
bool looks_like_region(const std::string& s) {
  if (s.empty() || s.size() > 64 || s.front() == '-' || s.back() == '-') return false;
  for (char c : s)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-'))
      return false;
  return true;
}

std::string trim(const std::string& s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

// Keeps a Result<std::string> in something default-constructible for co_spawn.
asio::awaitable<std::optional<Result<std::string>>> wrapped_region_from_imds(ImdsClient imds) {
  co_return co_await region_from_imds(std::move(imds));
}

}  // namespace

std::optional<ResolvedRegion> resolve_configured_region(const std::optional<std::string>& explicit_region,
                                                        const Env& env, const SharedConfig& config) {
  auto aws_region = env.get_non_empty("AWS_REGION");
  auto default_region = env.get_non_empty("AWS_DEFAULT_REGION");
  if (explicit_region && !explicit_region->empty()) {
    std::string source = explicit_region == aws_region ? "AWS_REGION"
                         : explicit_region == default_region ? "AWS_DEFAULT_REGION"
                                                             : "--region";
    return ResolvedRegion{*explicit_region, source};
  }
  if (aws_region) return ResolvedRegion{*aws_region, "AWS_REGION"};
  if (default_region) return ResolvedRegion{*default_region, "AWS_DEFAULT_REGION"};
  std::string profile = SharedConfig::profile_name(env);
  if (auto prof = config.profile(profile, false)) {
    auto it = prof->find("region");
    if (it != prof->end() && !it->second.empty()) return ResolvedRegion{it->second, "profile " + profile};
  }
  return std::nullopt;
}

std::optional<std::string> resolve_region(const std::optional<std::string>& explicit_region, const Env& env,
                                          const SharedConfig& config) {
  auto r = resolve_configured_region(explicit_region, env, config);
  if (!r) return std::nullopt;
  return r->name;
}

asio::awaitable<Result<std::string>> region_from_imds(ImdsClient imds) {
  std::string path = "/latest/meta-data/placement/region";
  auto body = co_await imds.get(path);
  if (!body.ok()) co_return std::move(body).error();
  std::string region = trim(*body);
  if (!looks_like_region(region))
    co_return Error(ErrorCode::kUnavailable, "IMDS returned an invalid region name");
  co_return region;
}

Result<std::string> fetch_region_from_imds(const Env& env, const CurlHttpClient::Options& http_options) {
  asio::io_context ioc;
  std::optional<Result<std::string>> out;
  {
    auto http = std::make_shared<CurlHttpClient>(ioc.get_executor(), http_options);
    ImdsClient imds(http, env);
    if (imds.disabled()) return Error(ErrorCode::kUnauthenticated, "IMDS disabled by AWS_EC2_METADATA_DISABLED");
    asio::co_spawn(ioc, wrapped_region_from_imds(std::move(imds)),
                   [&out](std::exception_ptr e, std::optional<Result<std::string>> r) {
                     if (e || !r) out = Error(ErrorCode::kInternal, "IMDS region lookup failed");
                     else out = std::move(r);
                   });
    ioc.run();  // ends when the lookup has completed: curl's timeouts bound every request
  }
  ioc.restart();
  ioc.poll();  // lets the client's shutdown run before the io_context goes away
  if (!out) return Error(ErrorCode::kInternal, "IMDS region lookup did not complete");
  return std::move(*out);
}

}  // namespace appsignals::aws

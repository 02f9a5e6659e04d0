#pragma once
// Region resolution in the AWS SDKs' order: an explicit value, AWS_REGION, AWS_DEFAULT_REGION,
// the active profile's `region`, and last the EC2 instance metadata service
// (/latest/meta-data/placement/region through ImdsClient, so AWS_EC2_METADATA_DISABLED,
// AWS_EC2_METADATA_SERVICE_ENDPOINT and the short IMDS timeouts apply).
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "aws/env.h"
#include "aws/http/curl_http_client.h"
#include "aws/imds_client.h"
#include "aws/shared_config.h"
#include "common/result.h"

namespace appsignals::aws {

struct ResolvedRegion {
  std::string name;    // "us-west-2"
  std::string source;  // for operators: "AWS_REGION", "AWS_DEFAULT_REGION", "profile <name>",
                       // "--region", "EC2 instance metadata"
};

// The configured sources, without I/O. An explicit region is reported as coming from
// AWS_REGION (or AWS_DEFAULT_REGION) when it equals that variable's value (callers pass the
// variable through their own configuration), else as "--region". nullopt when none is set.
std::optional<ResolvedRegion> resolve_configured_region(const std::optional<std::string>& explicit_region,
                                                        const Env& env, const SharedConfig& config);

// Just the name of resolve_configured_region().
std::optional<std::string> resolve_region(const std::optional<std::string>& explicit_region, const Env& env,
                                          const SharedConfig& config);

// The instance's region from IMDS. Errors: ImdsClient's (kUnauthenticated when IMDS is disabled,
// unreachable or has no answer), kUnavailable when the answer is not a region name.
// (A coroutine: the client is taken by value.)
boost::asio::awaitable<Result<std::string>> region_from_imds(ImdsClient imds);

// Blocking: runs region_from_imds() to completion on a private io_context with its own
// CurlHttpClient (`http_options`: proxy and CA settings), so it never needs or disturbs the
// caller's io_context. Returns at once when IMDS is disabled; otherwise bounded by IMDS's
// timeouts (two requests, each at most attempts x AWS_METADATA_SERVICE_TIMEOUT, 1 s by
// default). For start-up only: never call it on a thread that serves traffic.
Result<std::string> fetch_region_from_imds(const Env& env, const CurlHttpClient::Options& http_options);

}  // namespace appsignals::aws

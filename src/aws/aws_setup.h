#pragma once
// One-call composition for the app: region, endpoint overrides, the credential chain, retry
// settings, User-Agent and the libcurl HTTP client (proxy and CA store), from the environment
// and shared files.
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "aws/aws_client.h"
#include "aws/env.h"
#include "aws/http/curl_http_client.h"
#include "aws/shared_config.h"

namespace appsignals::aws {

struct AwsSetup {
  std::shared_ptr<ClientContext> context;
  std::string region;
  std::string region_source;  // where `region` came from, e.g. "AWS_REGION", "EC2 instance metadata"
};

// The HTTP client's settings: proxies from HTTP_PROXY / HTTPS_PROXY / NO_PROXY (either case,
// see ProxySettings), the CA bundle from AWS_CA_BUNDLE, else the active profile's `ca_bundle`
// (a leading "~" is the home directory). No I/O: an unreadable bundle fails each TLS request
// with a message that names it.
CurlHttpClient::Options http_client_options(const Env& env, const SharedConfig& config);

// Region order: `region`, AWS_REGION, AWS_DEFAULT_REGION, the profile's region, then EC2 instance
// metadata (unless AWS_EC2_METADATA_DISABLED). Only in that last case does this block, on a
// private io_context, for at most the IMDS timeouts (about 2 s by default; see
// fetch_region_from_imds): call it at start-up, before the io threads serve traffic, never on
// an io thread.
// Errors: kInvalidArgument when no region can be found (the message says how to set one and
// why instance metadata gave none).
Result<AwsSetup> make_aws_setup(boost::asio::any_io_executor executor, const Env& env,
                                const std::optional<std::string>& region = std::nullopt);

// One named profile of MCP_AWS_PROFILES, used beside the server's own context.
struct ProfileSetup {
  std::string name;
  std::shared_ptr<ClientContext> context;
  std::string region;         // the profile's `region`, else `fallback_region`
  std::string region_source;  // "profile <name>" or "server"
};

// A client context for profile `profile`: its own credentials (make_profile_credentials: only
// that profile, cached and refreshed on its own), its own endpoint settings (the profile's
// endpoint_url and services section; AWS_ENDPOINT_URL[_<SERVICE>] still win), its own region;
// the HTTP client, retry settings and User-Agent are `base`'s. No I/O.
// Errors: kInvalidArgument when the profile is missing or supplies no credentials.
Result<ProfileSetup> make_profile_setup(const ClientContext& base, const Env& env, const SharedConfig& config,
                                        const std::string& profile, const std::string& fallback_region);

}  // namespace appsignals::aws

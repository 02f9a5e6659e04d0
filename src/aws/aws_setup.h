#pragma once
// One-call composition for the app: region, endpoint overrides, the credential chain, retry
// settings, User-Agent and the libcurl HTTP client, from the environment and shared files.
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "aws/aws_client.h"
#include "aws/env.h"

namespace appsignals::aws {

struct AwsSetup {
  std::shared_ptr<ClientContext> context;
  std::string region;
};

// Errors: kInvalidArgument when no region can be found (the message says how to set one).
Result<AwsSetup> make_aws_setup(boost::asio::any_io_executor executor, const Env& env,
                                const std::optional<std::string>& region = std::nullopt);

}  // namespace appsignals::aws

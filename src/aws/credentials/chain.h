#pragma once
// The standard credential chain and caching with background refresh.
#include <memory>
#include <mutex>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "aws/credentials/providers.h"

namespace appsignals::aws {

// Tries each provider in order; the first success wins and is remembered (later calls go to
// it directly). A provider failing with kUnauthenticated means "not configured here".
class ChainCredentialsProvider final : public CredentialsProvider {
 public:
  explicit ChainCredentialsProvider(std::vector<std::shared_ptr<CredentialsProvider>> providers)
      : providers_(std::move(providers)) {}
  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string describe() const override;

 private:
  std::vector<std::shared_ptr<CredentialsProvider>> providers_;
  mutable std::mutex mu_;
  std::shared_ptr<CredentialsProvider> chosen_;
};

// Caches the inner provider's credentials. Credentials within `refresh_margin` (5 min) of
// expiry are refreshed; within `background_margin` (15 min) a refresh starts in the background
// while callers keep the cached value. Concurrent callers share one refresh.
class CachingCredentialsProvider final : public CredentialsProvider,
                                         public std::enable_shared_from_this<CachingCredentialsProvider> {
 public:
  explicit CachingCredentialsProvider(std::shared_ptr<CredentialsProvider> inner,
                                      std::chrono::seconds refresh_margin = std::chrono::minutes(5),
                                      std::chrono::seconds background_margin = std::chrono::minutes(15));
  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string describe() const override { return inner_->describe(); }
  // Number of times the inner provider was called (tests).
  int fetches() const;

  struct Shared;  // refresh state shared with waiters

 private:
  std::shared_ptr<CredentialsProvider> inner_;
  std::chrono::seconds refresh_margin_;
  std::chrono::seconds background_margin_;
  std::shared_ptr<Shared> shared_;
};

struct ChainOptions {
  std::shared_ptr<HttpClient> http;
  std::shared_ptr<EndpointResolver> endpoints;
  std::string region;  // for STS; us-east-1 when empty
  std::string user_agent = "appsignals-mcp";
  std::string profile;  // empty: AWS_PROFILE / default
};

// Env -> web identity (env) -> profile (role_arn with source_profile / credential_source /
// web_identity_token_file, static keys, credential_process) -> container -> IMDS; wrapped in
// a CachingCredentialsProvider.
std::shared_ptr<CredentialsProvider> make_default_credentials_chain(const Env& env, const SharedConfig& config,
                                                                    ChainOptions options);

}  // namespace appsignals::aws

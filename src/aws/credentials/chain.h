#pragma once
// The standard credential chain and caching with background refresh.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "aws/credentials/providers.h"

namespace appsignals::aws {

// One place in the chain: a configured provider, or (provider null) a source that is not
// configured here and why.
struct ChainLink {
  std::string source;  // short name for diagnostics: "environment", "profile dev", ...
  std::shared_ptr<CredentialsProvider> provider;
  std::string skipped;  // why there is no provider (settings missing); empty when there is one
};

// Tries each configured provider in order; the first success wins and is remembered (later
// calls go to it directly). A provider failing with kUnauthenticated means "nothing here" and
// the chain moves on; any other error ends it. Each walk of the chain (until one succeeds) is
// recorded, skipped links included, for attempts(); the "no credentials" error names every
// source and why.
class ChainCredentialsProvider final : public CredentialsProvider {
 public:
  explicit ChainCredentialsProvider(std::vector<ChainLink> links) : links_(std::move(links)) {}
  // Every provider configured; each named by its describe().
  explicit ChainCredentialsProvider(std::vector<std::shared_ptr<CredentialsProvider>> providers);
  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string describe() const override;
  std::vector<CredentialAttempt> attempts() const override;

 private:
  std::vector<ChainLink> links_;
  mutable std::mutex mu_;
  std::shared_ptr<CredentialsProvider> chosen_;
  std::vector<CredentialAttempt> attempts_;
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
  std::vector<CredentialAttempt> attempts() const override { return inner_->attempts(); }
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
// a CachingCredentialsProvider. Every one of the five is a link; the ones not configured are
// skipped links that say which settings are missing.
std::shared_ptr<CredentialsProvider> make_default_credentials_chain(const Env& env, const SharedConfig& config,
                                                                    ChainOptions options);

// Only the named profile `options.profile` (role_arn with source_profile / credential_source /
// web_identity_token_file, static keys, credential_process), wrapped in its own
// CachingCredentialsProvider (so each profile is cached and refreshed on its own, assumed roles
// before expiry); the environment's keys are not consulted. kInvalidArgument when the profile
// is missing or supplies no credentials (the message says which settings are missing; never a
// secret).
Result<std::shared_ptr<CredentialsProvider>> make_profile_credentials(const Env& env, const SharedConfig& config,
                                                                      ChainOptions options);

}  // namespace appsignals::aws

#pragma once
// The individual credential sources of the standard chain (AWS-WIRE.md §5). Each returns
// kUnauthenticated when it is not configured, so the chain moves on.
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aws/credentials/credentials.h"
#include "aws/endpoints/endpoint_resolver.h"
#include "aws/env.h"
#include "aws/http/http_client.h"
#include "aws/imds_client.h"
#include "aws/shared_config.h"

namespace appsignals::aws {

class StaticCredentialsProvider final : public CredentialsProvider {
 public:
  StaticCredentialsProvider(Credentials creds, std::string description)
      : creds_(std::move(creds)), description_(std::move(description)) {}
  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string describe() const override { return description_; }

 private:
  Credentials creds_;
  std::string description_;
};

// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (or AWS_SECURITY_TOKEN),
// AWS_CREDENTIAL_EXPIRATION, AWS_ACCOUNT_ID. nullopt when unset.
std::optional<Credentials> credentials_from_env(const Env& env);

// credential_process: runs the command (split shell-style, no shell) on a helper thread and
// parses its JSON (Version 1). Never blocks the caller's thread. stdout and stderr are read
// together (a helper that writes a lot to stderr does not stall); one that has not finished
// after `timeout` is killed with its process group and the call fails with kDeadlineExceeded.
// Errors name the profile, never the output on stdout (it holds the secrets); a non-zero exit
// quotes the start of stderr, as the AWS CLI does.
class ProcessCredentialsProvider final : public CredentialsProvider {
 public:
  static constexpr std::chrono::milliseconds kDefaultTimeout{60'000};
  ProcessCredentialsProvider(std::string command, std::string profile,
                             std::chrono::milliseconds timeout = kDefaultTimeout)
      : command_(std::move(command)), profile_(std::move(profile)), timeout_(timeout) {}
  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string describe() const override { return "profile " + profile_ + " (credential_process)"; }
  // Parses the process output (exposed for tests).
  static Result<Credentials> parse_output(std::string_view json);

 private:
  std::string command_;
  std::string profile_;
  std::chrono::milliseconds timeout_;
};

// ECS task role / EKS Pod Identity.
class ContainerCredentialsProvider final : public CredentialsProvider {
 public:
  ContainerCredentialsProvider(std::shared_ptr<HttpClient> http, const Env& env);
  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string describe() const override { return "container credentials endpoint"; }
  bool configured() const { return !url_.empty(); }

 private:
  std::shared_ptr<HttpClient> http_;
  std::string url_;
  std::string token_;
  std::string token_file_;
  std::string config_error_;
};

// EC2 instance metadata: the instance role's credentials through ImdsClient (IMDSv2 with the
// IMDSv1 fall-back and short timeouts described there).
class ImdsCredentialsProvider final : public CredentialsProvider {
 public:
  ImdsCredentialsProvider(std::shared_ptr<HttpClient> http, const Env& env) : imds_(std::move(http), env) {}
  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string describe() const override { return "EC2 instance metadata (IMDSv2)"; }
  bool disabled() const { return imds_.disabled(); }

 private:
  ImdsClient imds_;
};

struct StsContext {
  std::shared_ptr<HttpClient> http;
  std::shared_ptr<EndpointResolver> endpoints;
  std::string region;  // STS region (us-east-1 when none is configured)
  std::string user_agent = "appsignals-mcp";
};

// STS AssumeRole with credentials from `source` (signed).
class AssumeRoleProvider final : public CredentialsProvider {
 public:
  struct Params {
    std::string role_arn;
    std::string session_name;
    std::string external_id;
    int duration_seconds = 0;
  };
  AssumeRoleProvider(StsContext sts, std::shared_ptr<CredentialsProvider> source, Params params,
                     std::string description);
  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string describe() const override { return description_; }

 private:
  StsContext sts_;
  std::shared_ptr<CredentialsProvider> source_;
  Params params_;
  std::string description_;
};

// STS AssumeRoleWithWebIdentity (unsigned), the token file re-read on every call.
class WebIdentityProvider final : public CredentialsProvider {
 public:
  WebIdentityProvider(StsContext sts, std::string token_file, std::string role_arn, std::string session_name,
                      std::string description);
  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string describe() const override { return description_; }

 private:
  StsContext sts_;
  std::string token_file_;
  std::string role_arn_;
  std::string session_name_;
  std::string description_;
};

// Parses <Credentials> of an AssumeRole* result (boost::json form of the XML).
Result<Credentials> credentials_from_sts_result(const boost::json::value& result);

}  // namespace appsignals::aws

#pragma once
// A small client for the EC2 instance metadata service (IMDS), shared by the IMDS credential
// provider and region resolution.
//
// Protocol: IMDSv2 — PUT /latest/api/token with `x-aws-ec2-metadata-token-ttl-seconds`, then
// GET <path> with `x-aws-ec2-metadata-token` — falling back to IMDSv1 (GET without a token)
// when the token PUT answers 403/404/405, unless AWS_EC2_METADATA_V1_DISABLED.
//
// Settings (read once, at construction):
//   AWS_EC2_METADATA_DISABLED=true        never contacts IMDS (get() fails at once)
//   AWS_EC2_METADATA_SERVICE_ENDPOINT     base URL (default http://169.254.169.254, or
//   AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6 for http://[fd00:ec2::254])
//   AWS_METADATA_SERVICE_TIMEOUT          seconds per HTTP request, connect and total (default 1)
//   AWS_METADATA_SERVICE_NUM_ATTEMPTS     attempts per HTTP request on transport errors and 5xx
//                                         (default 1)
// A machine without IMDS therefore costs at most attempts x timeout per get(): a token PUT
// that fails at the transport level ends get() without trying IMDSv1.
// Requests go through the given HttpClient, so its proxy settings apply (HTTP_PROXY unless
// NO_PROXY lists 169.254.169.254), as in botocore.
//
// Errors of get(): kUnauthenticated when IMDS is disabled, unreachable, rejects the token
// request or answers the path with a non-200 status ("not available here": the credential
// chain moves on); kUnavailable when the GET fails at the transport level after a token.
// Thread safety: const after construction; get() may run concurrently.
#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "aws/env.h"
#include "aws/http/http_client.h"
#include "common/result.h"

namespace appsignals::aws {

class ImdsClient {
 public:
  ImdsClient(std::shared_ptr<HttpClient> http, const Env& env);

  bool disabled() const { return disabled_; }
  const std::string& endpoint() const { return endpoint_; }
  std::chrono::milliseconds timeout() const { return timeout_; }
  int attempts() const { return attempts_; }

  // The body of GET <path> ("/latest/meta-data/..."), with a fresh token.
  boost::asio::awaitable<Result<std::string>> get(std::string path) const;

 private:
  boost::asio::awaitable<Result<HttpResponse>> send(HttpRequest request) const;

  std::shared_ptr<HttpClient> http_;
  std::string endpoint_;
  bool disabled_ = false;
  bool v1_disabled_ = false;
  std::chrono::milliseconds timeout_{1000};
  int attempts_ = 1;
};

}  // namespace appsignals::aws

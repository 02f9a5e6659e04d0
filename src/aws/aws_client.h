#pragma once
// The core of every service call: endpoint, SigV4, retries (standard mode), clock-skew
// correction, User-Agent, error parsing. Typed clients (services/*.h) build an
// OperationRequest with protocol/wire.h and call AwsClient::call().
//
// Thread safety: AwsClient is immutable after construction and may be shared; the shared
// ClientContext holds thread-safe parts only. Coroutines run on the caller's executor.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include "aws/credentials/credentials.h"
#include "aws/endpoints/endpoint_resolver.h"
#include "aws/http/http_client.h"
#include "aws/protocol/aws_error.h"
#include "aws/protocol/wire.h"
#include "aws/retry_strategy.h"
#include "aws/sigv4/signer.h"

namespace appsignals::aws {

// "appsignals-mcp/<version> ua/2.1 os/linux lang/cpp#20 md/arch#<arch> cfg/retry-mode#<mode>
// [app/<AWS_SDK_UA_APP_ID>] [md/MCP_RUN_FROM#<value>]"
std::string make_user_agent(const Env& env, std::string_view retry_mode);

// What every client shares. Build once per process (see make_client_context).
struct ClientContext {
  std::shared_ptr<HttpClient> http;
  std::shared_ptr<CredentialsProvider> credentials;
  std::shared_ptr<EndpointResolver> endpoints;
  std::shared_ptr<sigv4::Signer> signer = std::make_shared<sigv4::Signer>();
  std::shared_ptr<RetryQuota> quota = std::make_shared<RetryQuota>();
  RetryConfig retry;
  std::string user_agent = "appsignals-mcp";
  std::chrono::milliseconds connect_timeout{3100};
  std::chrono::milliseconds total_timeout{30000};
  // Opaque fair-share key put on every HTTP request (HttpRequest::fairness_key): the caller's
  // principal, so one caller cannot take every outbound request slot. "": shared by all.
  std::string fairness_key;
  // Server time minus local time, learned from clock-skew errors (milliseconds).
  std::shared_ptr<std::atomic<long long>> clock_offset_ms = std::make_shared<std::atomic<long long>>(0);
  // Injectable for tests: current time and a [0,1) random source for jitter.
  std::function<std::chrono::system_clock::time_point()> now = [] { return std::chrono::system_clock::now(); };
  std::function<double()> random01;
};

struct CallOptions {
  bool unsigned_request = false;  // STS AssumeRoleWithWebIdentity (smithy.api#noAuth)
  bool s3_signing = false;        // no path normalisation, x-amz-content-sha256
  std::string url_override;       // full base URL (S3 virtual-hosted bucket URL)
  // Parses a non-2xx response instead of the service protocol's parser (APIs outside the
  // service's model, e.g. CloudWatch's Prometheus-compatible query API); null: the protocol's.
  AwsError (*parse_error)(const HttpResponse& response) = nullptr;
};

struct AwsResponse {
  HttpResponse http;
  std::string request_id;
  int attempts = 1;
};

class AwsClient {
 public:
  AwsClient(std::shared_ptr<const ClientContext> ctx, const ServiceInfo& service, std::string region);

  const ServiceInfo& service() const { return *service_; }
  const std::string& region() const { return region_; }

  // Sends with retries; a non-2xx final response becomes an Error (to_error()).
  //
  // GCC 12 caveat for every coroutine in this layer: inside a co_await expression pass named
  // objects (lvalues or std::move(x)), never prvalue temporaries such as "Op" literals
  // converted to std::string, json::object{...} or default arguments: GCC 12 destroys such
  // argument temporaries twice.
  boost::asio::awaitable<Result<AwsResponse>> call(std::string operation, OperationRequest request,
                                                   CallOptions options) const;
  // call() + parse_response_body().
  boost::asio::awaitable<Result<boost::json::value>> call_json(std::string operation, OperationRequest request,
                                                               CallOptions options) const;

 private:
  std::shared_ptr<const ClientContext> ctx_;
  const ServiceInfo* service_;
  std::string region_;
};

}  // namespace appsignals::aws

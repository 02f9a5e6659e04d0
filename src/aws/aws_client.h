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
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/json/storage_ptr.hpp>
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
  // Where call_json() builds a JSON protocol's answer (XML answers always use the default
  // resource). nullopt: a fresh arena per response (response_arena()).
  std::optional<boost::json::storage_ptr> json_storage;
};

// A per-response arena for a parsed AWS answer: a boost::json::monotonic_resource shared by
// reference count with every value built in it (make_shared_resource), so the arena lives as
// long as the last value that uses it and freeing the DOM frees no node. Sized for a DOM of
// about twice `body_bytes`; it grows if that is short.
//
// Contract for everything that keeps such a value (see docs/ARCHITECTURE.md, "AWS answers in
// an arena"): a monotonic_resource is not thread-safe, and a copy of a value (copy
// construction, json::value(v)) shares the source's resource. Values of an answer are read,
// moved and copied only by the coroutine that made the call (a tool's fan-out runs on one
// strand). Anything kept beyond the call or handed to another thread (a cache, a static, a
// session) is deep-copied into the default resource first: json::value(v, json::storage_ptr{}).
// Reading from any thread is safe; inserting into a container of another resource copies.
boost::json::storage_ptr response_arena(std::size_t body_bytes);

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
  // call() + parse_response_body(), a JSON answer into options.json_storage (default: a fresh
  // response_arena()).
  boost::asio::awaitable<Result<boost::json::value>> call_json(std::string operation, OperationRequest request,
                                                               CallOptions options) const;

 private:
  std::shared_ptr<const ClientContext> ctx_;
  const ServiceInfo* service_;
  std::string region_;
};

}  // namespace appsignals::aws

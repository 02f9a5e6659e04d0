#pragma once
// A typed-enough client for one service: call(operation, input) where `input` is a JSON object
// with the model's member names (exactly as in ../shared/aws-models); the protocol decides
// where each member goes. Responses are boost::json values (XML converted, see wire.h).
// paginate() follows the model's paginator up to a page cap.
//
// Thread-safe; cheap to copy (shares the AwsClient context).
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "aws/aws_client.h"
#include "aws/services/operations.h"
#include "aws/services/ops.h"

namespace appsignals::aws {

// The pages of a JSON protocol share one arena (aws_client.h, response_arena: kept beyond the
// call, deep-copy into the default resource).
struct Page {
  boost::json::array items;       // result_key items of every page, in order
  std::string next_token;         // non-empty when more pages exist beyond the cap
  boost::json::value last_page;   // the last raw response (its result_key list moved into items)
  int pages = 0;
};

class ServiceClient {
 public:
  ServiceClient(std::shared_ptr<const ClientContext> ctx, const ServiceInfo& service, std::string region)
      : client_(std::move(ctx), service, std::move(region)) {}

  // Errors: kInvalidArgument for an operation this layer does not know (restJson1); AWS errors
  // mapped as in protocol/aws_error.h.
  boost::asio::awaitable<Result<boost::json::value>> call(std::string operation, boost::json::object input) const;
  boost::asio::awaitable<Result<Page>> paginate(std::string operation, boost::json::object input,
                                                int max_pages = 10) const;
  // The same by the operation's entry in aws::ops (the way tools call). Not coroutines: they
  // return the awaitable of the by-name call, whose parameters are copies.
  boost::asio::awaitable<Result<boost::json::value>> call(const Op& op, boost::json::object input) const {
    return call(std::string(op.name), std::move(input));
  }
  boost::asio::awaitable<Result<Page>> paginate(const Op& op, boost::json::object input, int max_pages = 10) const {
    return paginate(std::string(op.name), std::move(input), max_pages);
  }

  const AwsClient& raw() const { return client_; }

  // Builds the wire request (exposed for tests and the fake AWS).
  static Result<OperationRequest> build_request(const ServiceInfo& service, std::string_view operation,
                                                boost::json::object input);

 private:
  // call() with explicit options (paginate() shares one arena over its pages).
  boost::asio::awaitable<Result<boost::json::value>> call_in(std::string operation, boost::json::object input,
                                                             CallOptions options) const;

  AwsClient client_;
};

// The service clients the tools use.
struct AwsClients {
  ServiceClient application_signals;
  ServiceClient cloudwatch;
  ServiceClient logs;
  ServiceClient xray;
  ServiceClient synthetics;
  ServiceClient iam;
  ServiceClient sts;
  ServiceClient lambda;
  ServiceClient rum;
  ServiceClient s3;  // use s3_client.h for S3 operations
  // The client of the service `op` belongs to; null for a service not listed above.
  const ServiceClient* for_op(const Op& op) const;
  static AwsClients make(const std::shared_ptr<const ClientContext>& ctx, const std::string& region);
};

}  // namespace appsignals::aws

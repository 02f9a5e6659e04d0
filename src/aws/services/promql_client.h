#pragma once
// CloudWatch's Prometheus-compatible query API (QueryMetrics, GetSeries, GetLabels): SigV4-signed
// (signing name "monitoring") GET requests to <CloudWatch endpoint>/api/v1/query, query_range,
// series, labels and label/<name>/values, answering in the Prometheus HTTP API JSON format.
// Endpoint resolution (AWS_ENDPOINT_URL_CLOUDWATCH / AWS_ENDPOINT_URL included), signing of the
// query parameters and standard retries are AwsClient's; this class adds the paths, the
// parameters and the Prometheus error body ({"status":"error","errorType":"bad_data",...}).
//
// Thread-safe; cheap to copy.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include "aws/aws_client.h"
#include "aws/services/ops.h"

namespace appsignals::aws {

// A PromQL string literal: double-quoted, with backslash, quote and control characters escaped.
// promql_string("a\"b") == "\"a\\\"b\"".
std::string promql_string(std::string_view text);

// A selector with UTF-8 quoted names (metric and label names may contain dots):
// promql_selector("service.function.duration", {{"@resource.service.name", "svc"}})
//   == {"service.function.duration","@resource.service.name"="svc"}
using LabelMatchers = std::vector<std::pair<std::string, std::string>>;
std::string promql_selector(std::string_view metric, const LabelMatchers& equal_matchers);

// A non-2xx reply of the query API as an AwsError: a Prometheus error body gives errorType as the
// code and error as the message; anything else is read as a restJson1 AWS error (AccessDenied
// and the like come from the AWS front end in that form).
AwsError parse_prometheus_error(const HttpResponse& response);

// The canonical code of a Prometheus errorType (bad_data → kInvalidArgument, execution →
// kInvalidArgument, timeout → kDeadlineExceeded, canceled → kCancelled, not_found → kNotFound,
// unavailable → kUnavailable, too_many_requests → kResourceExhausted, internal → kInternal);
// nullopt for a code that is not a Prometheus errorType.
std::optional<ErrorCode> prometheus_error_code(std::string_view error_type);

class PromqlClient {
 public:
  // `cloudwatch` is a client of services::kCloudWatch (its endpoint and signing are used).
  explicit PromqlClient(AwsClient cloudwatch) : client_(std::move(cloudwatch)) {}
  PromqlClient(std::shared_ptr<const ClientContext> ctx, std::string region);

  // Each returns the reply's "data" member (a Prometheus result: {"resultType","result"} for
  // queries, an array for series, labels and label values). Times are epoch seconds; 0 = not sent.
  boost::asio::awaitable<Result<boost::json::value>> query(std::string expr, std::int64_t time = 0) const;
  boost::asio::awaitable<Result<boost::json::value>> query_range(std::string expr, std::int64_t start,
                                                                 std::int64_t end, std::int64_t step) const;
  boost::asio::awaitable<Result<boost::json::value>> series(std::vector<std::string> match, std::int64_t start = 0,
                                                            std::int64_t end = 0) const;
  boost::asio::awaitable<Result<boost::json::value>> labels(std::vector<std::string> match, std::int64_t start = 0,
                                                            std::int64_t end = 0) const;
  boost::asio::awaitable<Result<boost::json::value>> label_values(std::string label, std::vector<std::string> match,
                                                                  std::int64_t start = 0,
                                                                  std::int64_t end = 0) const;

  // The wire request of a call (exposed for tests): GET <path>?<params>.
  static OperationRequest request(std::string_view path, QueryParams params);

 private:
  boost::asio::awaitable<Result<boost::json::value>> get(const Op& op, std::string path, QueryParams params) const;
  AwsClient client_;
};

}  // namespace appsignals::aws

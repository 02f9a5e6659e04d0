#pragma once
// Application Signals service events of the sample account, continuing its incident story:
//   - function metrics for the PromQL API ("service.function.duration", a native histogram in
//     microseconds per function and status, and "count", errors per operation and exception):
//     payments.ledger.write_entry (POST /payments/charge, the DynamoDB PutItem on payments-ledger)
//     slows down after the deployment and fails during the throttling (130 → 100 minutes before
//     now); a ConditionalCheckFailedException pattern appears with the deployment;
//   - records in /aws/service-events/<service>: endpoint summaries (hourly), incident snapshots
//     whose call tree ends in the throttled PutItem, and deployment events carrying the commit.
//
// Thread safety: pure functions of their arguments.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fakeaws/query/promql.h"
#include "fakeaws/sample_account.h"
#include "fakeaws/services/log_groups.h"

namespace appsignals::fakeaws {

inline constexpr std::string_view kServiceEventsPrefix = "/aws/service-events/";
// The commit the payments deployment (SampleAccount::kDeployment) shipped, and the one before.
inline constexpr std::string_view kPaymentsCommit = "8c1f4e2a9b7d3c605e1a2f4b8d9c0e7a6b5c4d3e";
inline constexpr std::string_view kPaymentsPreviousCommit = "2b9e7d1c4a6f8e0b3d5c7a9e1f2b4d6c8a0e2f4b";
inline constexpr std::string_view kPaymentsRepo = "https://github.com/example-shop/payments";
inline constexpr std::string_view kFailingFunction = "payments.ledger.write_entry";
inline constexpr std::string_view kThrottledTable = "payments-ledger";

// The PromQL series (minute samples relative to `anchor`, epoch seconds floored to 5 minutes).
std::vector<promql::Series> service_event_series(const SampleAccount& account, std::int64_t anchor);

// Log-group registry entry: /aws/service-events/payments and /aws/service-events/checkout.
std::vector<std::string> service_events_groups(const SampleAccount& account);
void service_events_records(const LogSourceContext& ctx, const std::string& group, std::int64_t start_ms,
                            std::int64_t end_ms, std::vector<LogRecord>& out);

}  // namespace appsignals::fakeaws

#include "net/http_types.h"

namespace appsignals::fakeaws {

// The Prometheus-compatible API operation of a path under /api/v1/ ("QueryMetrics",
// "GetSeries", "GetLabels"; "" for any other path).
std::string promql_operation(std::string_view path);

// Answers a PromQL API request (GET query string or POST form body) over
// service_event_series(): {"status":"success","data":...}, or a Prometheus error body
// (400 bad_data for queries outside the evaluator). `input` receives the parameters (for the
// request log), `status` the HTTP status.
net::Response promql_reply(std::string_view operation, const net::Request& request, std::int64_t anchor,
                           const SampleAccount& account, boost::json::object& input, int& status);

}  // namespace appsignals::fakeaws

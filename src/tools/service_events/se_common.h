#pragma once
// Shared by the service_events tools: the service-events log groups and their records (Logs
// Insights), and per-function metrics from CloudWatch's PromQL API.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "aws/services/promql_client.h"
#include "tools/common/tool_spec.h"

namespace appsignals::tools::service_events {

namespace json = boost::json;

inline constexpr std::string_view kDefaultPrefix = "/aws/service-events/";
inline constexpr std::string_view kMetricDuration = "service.function.duration";
inline constexpr std::string_view kMetricCount = "count";
inline constexpr std::string_view kLabelService = "@resource.service.name";
inline constexpr std::string_view kLabelEnvironment = "@resource.deployment.environment.name";
inline constexpr std::string_view kLabelFunction = "function.name";
inline constexpr std::string_view kLabelAtLine = "aws.service_events.function_at_line";
inline constexpr std::string_view kLabelOperation = "operation";

// SERVICE_EVENTS_LOG_GROUP_PREFIX, else /aws/service-events/.
std::string log_group_prefix();

// A failure of one AWS operation (for aws_failure()).
struct Failure {
  Error error;
  aws::Op op;
};

// The service-events log groups: <prefix><service> when a service is named, else every group
// under the prefix (DescribeLogGroups, at most 50).
boost::asio::awaitable<std::variant<std::vector<std::string>, Failure>> event_groups(
    std::shared_ptr<const aws::AwsClients> clients, std::string service);

// The records named `event_name` ("aws.service_events.incident_snapshot", ...) in `groups`
// within [start, end] (epoch seconds), newest first: the JSON of each @message, plus
// "@timestamp". `extra_filter` is added to the query's filter (e.g. @message like "...").
boost::asio::awaitable<std::variant<json::array, Failure>> query_events(std::shared_ptr<const aws::AwsClients> clients,
                                                                       std::vector<std::string> groups,
                                                                       std::string event_name, std::int64_t start,
                                                                       std::int64_t end, std::int64_t limit,
                                                                       std::string extra_filter);

// The label matchers of the tools' scope arguments (service_name, environment, endpoint).
aws::LabelMatchers scope_matchers(const Args& args);

struct FunctionStats {
  std::string name;
  std::string at_line;
  double calls = 0;
  double errors = 0;
  std::optional<double> avg_ms;
};

// calls, errors and average duration per function over the `hours` before `t` (3 instant queries).
boost::asio::awaitable<std::variant<std::vector<FunctionStats>, Failure>> function_stats(
    aws::PromqlClient promql, aws::LabelMatchers matchers, std::int64_t hours, std::int64_t t);

json::object function_json(const FunctionStats& f);

// Error counts per (operation, exception) summed over [t - window_minutes, t] ("count" metric).
boost::asio::awaitable<std::variant<std::map<std::pair<std::string, std::string>, double>, Failure>> error_patterns(
    aws::PromqlClient promql, aws::LabelMatchers matchers, std::int64_t window_minutes, std::int64_t t);

// Names of the functions that have metrics in scope: the values of the function.name label on
// service.function.duration series (GetLabels, label/function.name/values).
boost::asio::awaitable<std::variant<std::vector<std::string>, Failure>> function_names(aws::PromqlClient promql,
                                                                                       aws::LabelMatchers matchers);

// Incident snapshots grouped by service, operation and trigger (and, for latency triggers, the
// UTC day): the newest snapshot of each group, how many it stands for, first and last seen.
// `records` are query_events() results, newest first; groups come out newest first.
struct IncidentGroup {
  json::object latest;
  std::int64_t occurrences = 0;
  std::string first_seen, last_seen;
};
std::vector<IncidentGroup> group_incidents(const json::array& records);
// One group as listed: snapshot_id (of the newest), service, operation, trigger_type, timestamp,
// occurrences, first_seen, function, exception_type, duration_ms, status_code, cloud_context,
// telemetry_correlation.
json::object incident_json(const IncidentGroup& g);

// The text aws_failure() gives for `op` (for one section of a result whose other sections
// succeeded).
std::string failure_text(const Error& error, const aws::Op& op);

// The call's "now" in epoch seconds.
std::int64_t now_seconds(const ToolCall& call);

// ISO-8601 UTC of epoch seconds.
std::string iso(std::int64_t epoch);
// Epoch seconds of an ISO-8601 text ("2026-03-02T07:30:00Z"); nullopt if unreadable.
std::optional<std::int64_t> parse_iso(std::string_view text);
double round1(double v);

// A string member of a nested object path ("attributes", "aws.service_events.snapshot_id").
std::string attr(const json::object& record, std::string_view section, std::string_view key);

// A property of an output schema.
json::object prop(std::string_view type, std::string_view description);

}  // namespace appsignals::tools::service_events

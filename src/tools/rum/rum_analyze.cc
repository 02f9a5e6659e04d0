// query_rum_events action=analyze: the anomalies CloudWatch Logs anomaly detection found in the
// monitor's log group (detectors filtered by the group's ARN, built from sts GetCallerIdentity),
// the mix of event types and the most frequent error messages.
#include "tools/common/json_access.h"
#include "tools/common/tool_errors.h"
#include "tools/rum/rum_actions.h"
#include "tools/rum/rum_shape.h"

namespace appsignals::tools::rum {

namespace {

constexpr const char* kJsError = "com.amazon.rum.js_error_event";

json::object analyze_result(const RumCall& rc, json::array detectors, json::array anomalies, const QueryRun& types,
                            const QueryRun& messages) {
  json::object out = base_result(rc, "analyze");
  out["log_group"] = rc.monitor.log_group;
  out["anomaly_detectors"] = std::move(detectors);
  out["anomaly_count"] = static_cast<std::int64_t>(anomalies.size());
  out["anomalies"] = std::move(anomalies);
  out["event_types"] = renamed(types.rows, {{"event_type", "event_type"}, {"events", "events"}}, {"events"});
  out["top_error_messages"] = renamed(messages.rows, {{"message", "message"}, {"occurrences", "occurrences"}},
                                      {"occurrences"});
  return out;
}

json::object anomaly_item(const json::object& a) {
  json::object o;
  o["pattern"] = jv::str(a, "patternString");
  o["description"] = jv::str(a, "description");
  o["priority"] = jv::str(a, "priority");
  o["state"] = jv::str(a, "state");
  o["active"] = jv::boolean(a, "active");
  o["first_seen"] = ms_to_iso(static_cast<double>(jv::integer(a, "firstSeen")));
  o["last_seen"] = ms_to_iso(static_cast<double>(jv::integer(a, "lastSeen")));
  return o;
}

json::object detectors_input(const std::string& arn) {
  json::object in;
  in["filterLogGroupArn"] = arn;
  in["limit"] = 50;
  return in;
}

json::object anomalies_input(const std::string& detector) {
  json::object in;
  in["anomalyDetectorArn"] = detector;
  in["limit"] = 50;
  return in;
}
}  // namespace

Awaitable analyze(RumCall rc) {
  json::object no_input;
  auto identity = co_await rc.clients->sts.call(aws::ops::kGetCallerIdentity, no_input);
  if (!identity) co_return aws_failure(identity.error(), aws::ops::kGetCallerIdentity);
  const std::string account = jv::str(jv::as_obj(*identity), "Account");
  const std::string region = std::string(rc.clients->logs.raw().region());
  const std::string group_arn = "arn:aws:logs:" + region + ":" + account + ":log-group:" + rc.monitor.log_group;
  json::object in = detectors_input(group_arn);
  auto detectors = co_await rc.clients->logs.paginate(aws::ops::kListLogAnomalyDetectors, in, 5);
  if (!detectors) co_return aws_failure(detectors.error(), aws::ops::kListLogAnomalyDetectors);
  json::array detector_names;
  json::array anomalies;
  for (const auto& d : detectors->items) {
    const auto& det = jv::as_obj(d);
    detector_names.push_back(json::value(jv::str(det, "detectorName")));
    json::object ain = anomalies_input(jv::str(det, "anomalyDetectorArn"));
    auto page = co_await rc.clients->logs.paginate(aws::ops::kListAnomalies, ain, 20);
    if (!page) co_return aws_failure(page.error(), aws::ops::kListAnomalies);
    for (const auto& a : page->items) anomalies.push_back(anomaly_item(jv::as_obj(a)));
  }
  std::vector<std::string> queries;
  queries.push_back(rc.monitor.platform == "mobile"
                        ? "filter ispresent(scope.name) | stats count(*) as events by scope.name as event_type"
                          " | sort events desc | limit 20"
                        : "filter ispresent(event_type) | stats count(*) as events by event_type | sort events desc | limit 20");
  queries.push_back(rc.monitor.platform == "mobile"
                        ? "filter ispresent(attributes.exception.message) | stats count(*) as occurrences by "
                          "attributes.exception.message as message | sort occurrences desc | limit 5"
                        : std::string("filter event_type = \"") + kJsError +
                              "\" | stats count(*) as occurrences by event_details.message as message"
                              " | sort occurrences desc | limit 5");
  auto runs = co_await run_queries(rc.clients, rc.options, rc.monitor.log_group, queries, rc.start, rc.end);
  for (const auto& r : runs)
    if (auto p = query_problem(r)) co_return std::move(*p);
  co_return mcp::ToolResult::structured(
      analyze_result(rc, std::move(detector_names), std::move(anomalies), runs[0], runs[1]));
}

}  // namespace appsignals::tools::rum

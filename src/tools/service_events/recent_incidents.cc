// get_recent_incidents: incident snapshots from the service-events log groups (the named service's
// group, else every group under the prefix), grouped by service, operation and trigger. Where no
// service-events log group exists, the Application Signals trace auditor (ListAuditFindings) is
// asked instead, and the result says so.
#include <algorithm>
#include <cctype>

#include "tools/common/json_access.h"
#include "tools/common/name_match.h"
#include "tools/common/service_listing.h"
#include "tools/service_events/scope_args.h"
#include "tools/service_events/se_common.h"
#include "tools/service_events/service_events_tools.h"

namespace appsignals::tools::service_events {
namespace {

namespace asio = boost::asio;

constexpr std::size_t kAuditBatch = 5;     // targets per ListAuditFindings call
constexpr std::size_t kAuditServices = 20;  // services the fallback audits at most
constexpr std::size_t kMaxSnapshots = 1000;  // incident records read per call

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// An endpoint argument matches an operation exactly, ignoring case, or as a fragment ("charge").
bool endpoint_matches(const std::string& wanted, const std::string& operation) {
  if (wanted.empty()) return true;
  const std::string w = lower(wanted), o = lower(operation);
  return o == w || o.find(w) != std::string::npos;
}

// The Application Signals trace audit of the services in scope: what the reference falls back
// to when there are no service-events records. `service` may be empty (every service, capped).
asio::awaitable<mcp::ToolResult> trace_audit_fallback(ToolCall call, std::shared_ptr<const aws::AwsClients> clients,
                                                      std::string reason) {
  const std::int64_t hours = call.args.integer("hours", 24);
  const std::string service = call.args.str("service_name");
  const std::string environment = call.args.str("environment");
  const std::int64_t now = now_seconds(call);
  auto listed = co_await list_service_summaries(clients, now - hours * 3600, now);
  if (!listed) co_return aws_failure(listed.error(), aws::ops::kListServices);
  std::vector<json::object> targets;
  std::vector<std::string> names;
  for (const auto& s : listed->services) {
    const auto& keys = jv::obj(s, "KeyAttributes");
    if (jv::str(keys, "Type") != "Service") continue;
    if (!environment.empty() && jv::str(keys, "Environment") != environment) continue;
    names.push_back(jv::str(keys, "Name"));
  }
  std::string wanted;
  if (!service.empty()) {
    auto r = resolve_name(service, names);
    if (!r.name) {
      std::string text = not_found_text("service", service, r, names.size());
      co_return mcp::ToolResult::error(reason + "\n" + text);
    }
    wanted = *r.name;
    if (auto n = r.note("service", service); !n.empty()) call.note(n);
  }
  for (const auto& s : listed->services) {
    const auto& keys = jv::obj(s, "KeyAttributes");
    if (jv::str(keys, "Type") != "Service") continue;
    if (!environment.empty() && jv::str(keys, "Environment") != environment) continue;
    if (!wanted.empty() && jv::str(keys, "Name") != wanted) continue;
    if (targets.size() == kAuditServices) break;
    json::object svc;
    svc["Type"] = "Service";
    svc["Name"] = jv::str(keys, "Name");
    if (auto e = jv::str(keys, "Environment"); !e.empty()) svc["Environment"] = e;
    json::object data;
    data["Service"] = std::move(svc);
    json::object t;
    t["Type"] = "service";
    t["Data"] = std::move(data);
    targets.push_back(std::move(t));
  }
  std::size_t in_scope = 0;
  for (const auto& n : names) in_scope += wanted.empty() || n == wanted;
  json::array findings;
  std::string lines;
  for (std::size_t i = 0; i < targets.size(); i += kAuditBatch) {
    json::array batch;
    for (std::size_t k = i; k < std::min(targets.size(), i + kAuditBatch); ++k) batch.push_back(targets[k]);
    json::object input;
    input["StartTime"] = now - hours * 3600;
    input["EndTime"] = now;
    input["AuditTargets"] = std::move(batch);
    json::array auditors;
    auditors.emplace_back("trace");
    input["Auditors"] = std::move(auditors);
    json::array items;
    for (int pages = 0; pages < 3; ++pages) {
      auto page = co_await clients->application_signals.call(aws::ops::kListAuditFindings, input);
      if (!page) co_return aws_failure(page.error(), aws::ops::kListAuditFindings);
      for (const auto& f : jv::arr(jv::as_obj(*page), "AuditFindings")) items.push_back(f);
      std::string token = jv::str(jv::as_obj(*page), "NextToken");
      if (token.empty()) break;
      input["NextToken"] = token;
    }
    for (const auto& f_v : items) {
      const auto& f = jv::as_obj(f_v);
      std::string svc = jv::str(jv::obj(f, "KeyAttributes"), "Name");
      for (const auto& r_v : jv::arr(f, "AuditorResults")) {
        const auto& r = jv::as_obj(r_v);
        json::object o;
        o["service"] = svc;
        if (auto op = jv::str(f, "Operation"); !op.empty()) o["operation"] = op;
        o["auditor"] = jv::str(r, "Auditor");
        o["severity"] = jv::str(r, "Severity");
        o["description"] = jv::str(r, "Description");
        lines += "[" + jv::str(r, "Severity") + "] " + svc + ": " + jv::str(r, "Description") + "\n";
        findings.push_back(std::move(o));
      }
    }
  }
  json::object out;
  out["data_source"] = "application_signals";
  out["time_range_hours"] = hours;
  out["total_unique_incidents"] = 0;
  out["incidents"] = json::array();
  out["fallback_reason"] = reason;
  out["audited_services"] = static_cast<std::int64_t>(targets.size());
  if (in_scope > targets.size())
    out["audit_cap"] = "Only the first " + std::to_string(kAuditServices) + " of " + std::to_string(in_scope) +
                       " services were audited; name one with service_name.";
  out["trace_audit_findings"] = std::move(findings);
  out["service_level_incidents"] =
      lines.empty() ? "The trace auditor found nothing abnormal in the audited services in this window." : lines;
  co_return mcp::ToolResult::structured(std::move(out));
}

asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  const std::int64_t hours = call.args.integer("hours", 24);
  const std::int64_t limit = call.args.integer("limit", 10);
  const std::string endpoint = call.args.str("endpoint");
  const std::string trigger = call.args.str("trigger_type");
  const std::string environment = call.args.str("environment");
  const std::string service = call.args.str("service_name");
  auto clients_r = call.aws();
  if (!clients_r) co_return aws_failure(clients_r.error(), aws::ops::kStartQuery);
  auto clients = *clients_r;
  const std::int64_t now = now_seconds(call);
  auto groups_r = co_await event_groups(clients, service);
  if (auto* f = std::get_if<Failure>(&groups_r)) co_return aws_failure(f->error, f->op);
  auto groups = std::get<std::vector<std::string>>(std::move(groups_r));
  if (groups.empty()) {
    std::string reason = "No service-events log group under " + log_group_prefix() +
                         " (SERVICE_EVENTS_LOG_GROUP_PREFIX): the incidents below come from the Application Signals "
                         "trace auditor instead.";
    co_return co_await trace_audit_fallback(call, clients, reason);
  }
  std::string event = "aws.service_events.incident_snapshot";
  // Every filter is applied to the parsed records: the JSON layout of @message is not ours to rely on.
  std::string filter;
  const auto max_snapshots = static_cast<std::int64_t>(kMaxSnapshots);
  auto found = co_await query_events(clients, groups, event, now - hours * 3600, now, max_snapshots, filter);
  if (auto* f = std::get_if<Failure>(&found)) {
    if (!service.empty() && f->error.code == ErrorCode::kNotFound) {
      std::string reason = "The log group " + groups[0] +
                           " does not exist (no service-events records for this service): the incidents below come "
                           "from the Application Signals trace auditor instead.";
      co_return co_await trace_audit_fallback(call, clients, reason);
    }
    co_return aws_failure(f->error, f->op);
  }
  if (std::get<json::array>(found).size() >= kMaxSnapshots)
    call.note("Only the newest " + std::to_string(kMaxSnapshots) +
              " snapshots of the window were read; counts of older incidents are incomplete (lower hours or name "
              "the service).");
  json::array kept;
  for (const auto& r_v : std::get<json::array>(found)) {
    const auto& r = jv::as_obj(r_v);
    if (!environment.empty() && attr(r, "resource", "deployment.environment.name") != environment) continue;
    if (!endpoint_matches(endpoint, attr(r, "attributes", "aws.service_events.operation"))) continue;
    if (!trigger.empty() && attr(r, "attributes", "aws.service_events.trigger_type") != trigger) continue;
    kept.push_back(r);
  }
  auto grouped = group_incidents(kept);
  json::array incidents;
  for (std::size_t i = 0; i < grouped.size() && static_cast<std::int64_t>(i) < limit; ++i)
    incidents.push_back(incident_json(grouped[i]));
  json::object out;
  out["data_source"] = "service_events";
  out["time_range_hours"] = hours;
  out["log_groups"] = static_cast<std::int64_t>(groups.size());
  out["total_snapshots"] = static_cast<std::int64_t>(kept.size());
  out["total_unique_incidents"] = static_cast<std::int64_t>(grouped.size());
  if (!endpoint.empty()) out["filter_endpoint"] = endpoint;
  if (!trigger.empty()) out["filter_trigger_type"] = trigger;
  if (!environment.empty()) out["filter_environment"] = environment;
  if (static_cast<std::int64_t>(grouped.size()) > limit)
    out["more"] = std::to_string(grouped.size() - static_cast<std::size_t>(limit)) +
                  " more incidents are not listed; raise limit or filter by endpoint / trigger_type.";
  if (grouped.empty()) {
    out["message"] = "No incident snapshot in the last " + std::to_string(hours) + " hours of " +
                     std::to_string(groups.size()) +
                     " service-events log group(s) with these filters. Raise hours, or drop endpoint / "
                     "trigger_type; get_service_health_overview shows the error trends.";
  } else {
    out["next_step"] = "get_incident_root_cause(snapshot_id=\"" +
                       std::string(jv::str(jv::as_obj(incidents[0]), "snapshot_id")) +
                       "\") explains an incident: exception, call tree, failing frame.";
  }
  out["incidents"] = std::move(incidents);
  co_return mcp::ToolResult::structured(std::move(out));
}

json::object output_schema() {
  json::object props;
  props["data_source"] = prop("string", "service_events, or application_signals when the trace audit answered");
  props["time_range_hours"] = prop("integer", "The window");
  props["log_groups"] = prop("integer", "Service-events log groups searched");
  props["total_snapshots"] = prop("integer", "Snapshots that passed the filters");
  props["total_unique_incidents"] = prop("integer", "Groups of snapshots (service, operation, trigger)");
  json::object i = prop("array",
                        "Newest first: snapshot_id (newest of the group), service, operation, trigger_type, "
                        "timestamp, occurrences, first_seen, function, exception_type, duration_ms, status_code, "
                        "cloud_context, telemetry_correlation");
  i["items"] = json::object{{"type", "object"}};
  props["incidents"] = std::move(i);
  props["filter_endpoint"] = prop("string", "The endpoint filter");
  props["filter_trigger_type"] = prop("string", "The trigger filter");
  props["filter_environment"] = prop("string", "The environment filter");
  props["more"] = prop("string", "How many incidents were left out");
  props["message"] = prop("string", "Why the list is empty");
  props["next_step"] = prop("string", "The call to make next");
  props["fallback_reason"] = prop("string", "Why the trace audit answered instead of the service-events records");
  props["audited_services"] = prop("integer", "Fallback: services audited");
  props["audit_cap"] = prop("string", "Fallback: services left out");
  json::object f = prop("array", "Fallback: trace auditor findings (service, operation, severity, description)");
  f["items"] = json::object{{"type", "object"}};
  props["trace_audit_findings"] = std::move(f);
  props["service_level_incidents"] = prop("string", "Fallback: the findings as text");
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  schema["required"] = json::array{"data_source", "incidents"};
  return schema;
}

}  // namespace

ToolEntry get_recent_incidents_tool() {
  ToolSpec spec;
  spec.name = "get_recent_incidents";
  spec.title = "Recent incidents";
  spec.description =
      "Recent incident snapshots that Application Signals service events captured (a request that threw, or "
      "one slower than its latency threshold), from CloudWatch Logs: one entry per service, operation and "
      "trigger (latency per day), newest first, with how often it happened, the exception, duration, status and "
      "trace id. Filter with endpoint, trigger_type (exception or latency) and environment; without "
      "service_name every service-events log group is searched. Where the account has no service-events logs, "
      "the Application Signals trace audit of the services answers instead. Pass a snapshot_id to "
      "get_incident_root_cause for the cause.";
  spec.args = {
      endpoint_arg(),
      arg::enumeration("trigger_type", "Only exception or only latency incidents.", {"exception", "latency"}),
      arg::integer("limit", "Most incidents listed.", 10, 1, 100),
      arg::hours("hours", "Window in hours before now.", 24, 1, 720),
      service_name_arg(),
      environment_arg(),
  };
  spec.ops = {aws::ops::kDescribeLogGroups, aws::ops::kStartQuery,   aws::ops::kGetQueryResults,
              aws::ops::kStopQuery,         aws::ops::kListServices, aws::ops::kListAuditFindings};
  spec.output_schema = output_schema();
  spec.narrow_hint = "lower limit, or filter by service_name / endpoint / trigger_type";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::service_events

// get_service_health_overview: one call for "how is it going": the services Application Signals
// knows, the functions failing most, recent incidents, and the error patterns before and after the
// latest deployment (or the last 24 hours against the 24 before); `comprehensive` adds endpoints.
#include <algorithm>
#include <cmath>
#include <set>

#include "tools/common/service_listing.h"
#include "tools/common/json_access.h"
#include "tools/service_events/deployments.h"
#include "tools/service_events/scope_args.h"
#include "tools/service_events/se_common.h"
#include "tools/service_events/service_events_tools.h"

namespace appsignals::tools::service_events {
namespace {

namespace asio = boost::asio;
using Patterns = std::map<std::pair<std::string, std::string>, double>;

json::array compare(const Patterns& before, const Patterns& after) {
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& [k, v] : before) keys.insert(k);
  for (const auto& [k, v] : after) keys.insert(k);
  struct Row {
    json::object o;
    double after = 0;
  };
  std::vector<Row> rows;
  for (const auto& k : keys) {
    double b = before.count(k) ? before.at(k) : 0;
    double a = after.count(k) ? after.at(k) : 0;
    if (std::llround(a) == 0 && std::llround(b) == 0) continue;
    std::string status = b < 0.5 && a >= 0.5   ? "new"
                         : a < 0.5 && b >= 0.5 ? "cleared"
                         : a > b * 1.2         ? "up"
                         : a < b * 0.8         ? "down"
                                               : "flat";
    json::object o;
    o["operation"] = k.first;
    o["exception"] = k.second;
    o["before"] = static_cast<std::int64_t>(std::llround(b));
    o["after"] = static_cast<std::int64_t>(std::llround(a));
    o["status"] = status;
    rows.push_back({std::move(o), a});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) { return x.after > y.after; });
  json::array out;
  for (auto& r : rows) out.push_back(std::move(r.o));
  return out;
}

asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  const std::int64_t hours = call.args.integer("hours", 24);
  const bool comprehensive = call.args.str("detail") == "comprehensive";
  const std::string service = call.args.str("service_name");
  auto clients_r = call.aws();
  if (!clients_r) co_return aws_failure(clients_r.error(), aws::ops::kListServices);
  auto clients = *clients_r;
  aws::PromqlClient promql(clients->cloudwatch.raw());
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(call.now().time_since_epoch()).count();
  json::object out;
  out["data_source"] = "service_events";
  out["time_range_hours"] = hours;
  if (!service.empty()) out["service_name"] = service;

  // Inventory.
  std::int64_t list_start = now - hours * 3600;
  auto services = co_await list_service_summaries(clients, list_start, now);
  if (!services) co_return aws_failure(services.error(), aws::ops::kListServices);
  std::vector<std::string> names;
  for (const auto& s : services->services) {
    const auto& keys = jv::obj(s, "KeyAttributes");
    if (jv::str(keys, "Type") == "Service") names.push_back(jv::str(keys, "Name"));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string inventory = std::to_string(names.size()) + " services reported to Application Signals in the window:";
  for (const auto& n : names) inventory += " " + n;
  out["service_inventory"] = inventory;

  // Functions failing most.
  aws::LabelMatchers matchers = scope_matchers(call.args);
  auto stats_r = co_await function_stats(promql, matchers, hours, now);
  if (auto* f = std::get_if<Failure>(&stats_r)) co_return aws_failure(f->error, f->op);
  auto stats = std::get<std::vector<FunctionStats>>(std::move(stats_r));
  std::erase_if(stats, [](const FunctionStats& f) { return std::llround(f.errors) <= 0; });
  std::stable_sort(stats.begin(), stats.end(), [](const FunctionStats& a, const FunctionStats& b) { return a.errors > b.errors; });
  json::array top_errors;
  for (std::size_t i = 0; i < stats.size() && i < 10; ++i) top_errors.push_back(function_json(stats[i]));
  out["top_error_functions"] = std::move(top_errors);

  // Incidents and deployments from the service-events logs.
  auto groups_r = co_await event_groups(clients, service);
  if (auto* f = std::get_if<Failure>(&groups_r)) co_return aws_failure(f->error, f->op);
  auto groups = std::get<std::vector<std::string>>(std::move(groups_r));
  std::string incident_event = "aws.service_events.incident_snapshot";
  std::string no_filter;
  auto incidents_r = co_await query_events(clients, groups, incident_event, now - hours * 3600, now, 200, no_filter);
  if (auto* f = std::get_if<Failure>(&incidents_r)) co_return aws_failure(f->error, f->op);
  json::array incidents;
  std::set<std::string> seen;
  for (const auto& r_v : std::get<json::array>(incidents_r)) {
    const auto& r = jv::as_obj(r_v);
    std::string key = attr(r, "resource", "service.name") + "|" + attr(r, "attributes", "aws.service_events.operation") +
                      "|" + attr(r, "attributes", "aws.service_events.trigger_type");
    if (!seen.insert(key).second || incidents.size() >= 10) continue;
    json::object o;
    o["snapshot_id"] = attr(r, "attributes", "aws.service_events.snapshot_id");
    o["service"] = attr(r, "resource", "service.name");
    o["operation"] = attr(r, "attributes", "aws.service_events.operation");
    o["trigger_type"] = attr(r, "attributes", "aws.service_events.trigger_type");
    o["timestamp"] = jv::str(r, "timestamp");
    std::string exc = jv::str(jv::obj(r, "exception"), "type");
    if (!exc.empty()) o["exception_type"] = exc;
    incidents.push_back(std::move(o));
  }
  out["recent_incidents"] = std::move(incidents);
  std::string deploy_event = "aws.service_events.deployment_event";
  auto deploys_r = co_await query_events(clients, groups, deploy_event, now - 168 * 3600, now, 1000, no_filter);
  if (auto* f = std::get_if<Failure>(&deploys_r)) co_return aws_failure(f->error, f->op);
  auto deployments = collapse_deployments(std::get<json::array>(deploys_r), now);

  // Error patterns: around the latest deployment (3 hours each side), else last 24 h vs the 24 before.
  json::object comparison;
  std::int64_t before_t = now - 24 * 3600, after_t = now, before_min = 24 * 60, after_min = 24 * 60;
  if (!deployments.empty() && deployments[0].deployed_at > now - 7 * 86400) {
    const Deployment& d = deployments[0];
    before_t = d.deployed_at;
    before_min = 180;
    after_min = std::min<std::int64_t>(180, (now - d.deployed_at) / 60);
    after_t = d.deployed_at + after_min * 60;
    comparison["basis"] = "deployment";
    comparison["deployment"] = deployment_json(d);
    comparison["trend_basis"] = "errors in the " + std::to_string(before_min) + " minutes before the deployment of " +
                                d.sha.substr(0, 12) + " against the " + std::to_string(after_min) + " minutes after it";
  } else {
    comparison["basis"] = "previous_24h";
    comparison["trend_basis"] = "errors in the last 24 hours against the 24 hours before";
  }
  auto before = co_await error_patterns(promql, matchers, before_min, before_t);
  if (auto* f = std::get_if<Failure>(&before)) co_return aws_failure(f->error, f->op);
  auto after = co_await error_patterns(promql, matchers, after_min, after_t);
  if (auto* f = std::get_if<Failure>(&after)) co_return aws_failure(f->error, f->op);
  comparison["patterns"] = compare(std::get<Patterns>(before), std::get<Patterns>(after));
  out["error_pattern_comparison"] = std::move(comparison);

  if (comprehensive) {
    std::string summary_event = "aws.service_events.endpoint_summary";
    auto sums = co_await query_events(clients, groups, summary_event, now - hours * 3600, now, 2000, no_filter);
    if (auto* f = std::get_if<Failure>(&sums)) co_return aws_failure(f->error, f->op);
    std::map<std::string, std::array<double, 3>> agg;  // requests, errors, duration-weighted sum
    for (const auto& r_v : std::get<json::array>(sums)) {
      const auto& a = jv::obj(jv::as_obj(r_v), "attributes");
      std::string key = attr(jv::as_obj(r_v), "resource", "service.name") + " " + jv::str(a, "aws.service_events.operation");
      double n = jv::num(a, "aws.service_events.request_count").value_or(0);
      auto& e = agg[key];
      e[0] += n;
      e[1] += jv::num(a, "aws.service_events.error_count").value_or(0);
      e[2] += n * jv::num(a, "aws.service_events.avg_duration_ms").value_or(0);
    }
    json::array endpoints;
    for (const auto& [k, e] : agg) {
      json::object o;
      o["endpoint"] = k;
      o["requests"] = static_cast<std::int64_t>(e[0]);
      o["errors"] = static_cast<std::int64_t>(e[1]);
      o["avg_duration_ms"] = e[0] > 0 ? round1(e[2] / e[0]) : 0.0;
      endpoints.push_back(std::move(o));
    }
    out["endpoints"] = std::move(endpoints);
  }
  co_return mcp::ToolResult::structured(std::move(out));
}

json::object output_schema() {
  json::object props;
  props["data_source"] = prop("string", "service_events (with cloudwatch_metrics_v2 and application_signals)");
  props["time_range_hours"] = prop("integer", "The window");
  props["service_name"] = prop("string", "The service the overview is scoped to");
  props["service_inventory"] = prop("string", "Services Application Signals knows in the window");
  json::object f = prop("array", "Functions with errors, most first (function, calls, errors, error_rate_pct, avg_duration_ms)");
  f["items"] = json::object{{"type", "object"}};
  props["top_error_functions"] = std::move(f);
  json::object i = prop("array", "Latest incident per service, operation and trigger (snapshot_id for get_incident_root_cause)");
  i["items"] = json::object{{"type", "object"}};
  props["recent_incidents"] = std::move(i);
  props["error_pattern_comparison"] =
      prop("object", "{basis: deployment|previous_24h, deployment?, trend_basis, patterns: [{operation, exception, "
                     "before, after, status: new|up|flat|down|cleared}]}");
  json::object e = prop("array", "detail=comprehensive: per endpoint requests, errors, avg_duration_ms");
  e["items"] = json::object{{"type", "object"}};
  props["endpoints"] = std::move(e);
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  schema["required"] = json::array{"data_source", "top_error_functions", "recent_incidents"};
  return schema;
}

}  // namespace

ToolEntry get_service_health_overview_tool() {
  ToolSpec spec;
  spec.name = "get_service_health_overview";
  spec.title = "Service health overview";
  spec.description =
      "One-call health picture from Application Signals service events: the services reporting, the functions "
      "with the most errors (PromQL), the latest incident per operation and trigger, and how each error pattern "
      "(operation and exception) changed across the latest deployment (3 hours each side; without a recent "
      "deployment, the last 24 hours against the 24 before). detail=comprehensive adds per-endpoint traffic, "
      "errors and latency. Scope with service_name and environment.";
  spec.args = {
      arg::hours("hours", "Window in hours before now.", 24, 1, 168),
      arg::enumeration("detail", "overview, or comprehensive to add endpoint statistics.", {"overview", "comprehensive"})
          .def("overview"),
      service_name_arg(),
      environment_arg(),
  };
  spec.ops = {aws::ops::kListServices, aws::ops::kQueryMetrics, aws::ops::kDescribeLogGroups, aws::ops::kStartQuery,
              aws::ops::kGetQueryResults, aws::ops::kStopQuery};
  spec.output_schema = output_schema();
  spec.narrow_hint = "name the service with service_name";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::service_events

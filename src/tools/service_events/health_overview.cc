// get_service_health_overview: one call for "how is it going": the services Application Signals
// knows, the functions failing most, recent incidents, and the error patterns before and after the
// latest deployment (or the last 24 hours against the 24 before); `comprehensive` adds endpoints.
#include <algorithm>
#include <cmath>
#include <set>

#include "tools/common/service_listing.h"
#include "tools/common/json_access.h"
#include "tools/common/name_match.h"
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

json::object slos_input(const std::vector<json::object>& services, const std::string& service,
                        const std::string& environment) {
  json::object input;
  input["MaxResults"] = 50;
  if (service.empty()) return input;
  json::object keys;
  for (const auto& s : services) {
    const auto& k = jv::obj(s, "KeyAttributes");
    if (jv::str(k, "Type") != "Service" || jv::str(k, "Name") != service) continue;
    if (!environment.empty() && jv::str(k, "Environment") != environment) continue;
    keys = k;
    break;
  }
  if (keys.empty()) {
    keys["Type"] = "Service";
    keys["Name"] = service;
    if (!environment.empty()) keys["Environment"] = environment;
  }
  input["KeyAttributes"] = std::move(keys);
  return input;
}

json::object budget_input(const std::vector<std::string>& names, std::size_t from, std::int64_t now) {
  json::array ids;
  for (std::size_t i = from; i < names.size() && i < from + 50; ++i) ids.emplace_back(names[i]);
  json::object input;
  input["Timestamp"] = now;
  input["SloIds"] = std::move(ids);
  return input;
}

// Remaining share of the error budget (0..100), from either budget form of a report.
std::optional<double> budget_remaining_pct(const json::object& report) {
  for (auto [rem, total] : {std::pair{"BudgetRequestsRemaining", "TotalBudgetRequests"},
                            std::pair{"BudgetSecondsRemaining", "TotalBudgetSeconds"}}) {
    auto r = jv::num(report, rem);
    auto t = jv::num(report, total);
    if (r && t && *t > 0) return round1(100.0 * std::max(0.0, *r) / *t);
  }
  return std::nullopt;
}

// SLO compliance of the service's SLOs (all SLOs without a service): ListServiceLevelObjectives
// and their budget reports at `now`. A failure is reported inside the section, naming the IAM
// action, so the rest of the overview still stands.
asio::awaitable<json::object> slo_compliance(std::shared_ptr<const aws::AwsClients> clients,
                                             std::vector<json::object> services, std::string service,
                                             std::string environment, std::int64_t now) {
  json::object out;
  json::object input = slos_input(services, service, environment);
  int max_pages = 5;
  auto page = co_await clients->application_signals.paginate(aws::ops::kListServiceLevelObjectives, input, max_pages);
  if (!page) {
    out["unavailable"] = failure_text(page.error(), aws::ops::kListServiceLevelObjectives);
    co_return out;
  }
  std::vector<std::string> names;
  std::map<std::string, std::pair<std::string, std::string>> scope;  // name → (service, operation)
  for (const auto& s_v : page->items) {
    const auto& s = jv::as_obj(s_v);
    std::string name = jv::str(s, "Name");
    if (name.empty()) continue;
    names.push_back(name);
    scope[name] = std::make_pair(jv::str(jv::obj(s, "KeyAttributes"), "Name"), jv::str(s, "OperationName"));
  }
  std::int64_t breached = 0, warning = 0, ok = 0;
  json::array slos, next;
  for (std::size_t from = 0; from < names.size(); from += 50) {
    json::object report_input = budget_input(names, from, now);
    auto reports = co_await clients->application_signals.call(aws::ops::kBatchGetServiceLevelObjectiveBudgetReport,
                                                              report_input);
    if (!reports) {
      out["unavailable"] = failure_text(reports.error(), aws::ops::kBatchGetServiceLevelObjectiveBudgetReport);
      break;
    }
    for (const auto& r_v : jv::arr(jv::as_obj(*reports), "Reports")) {
      const auto& r = jv::as_obj(r_v);
      std::string name = jv::str(r, "Name");
      std::string status = jv::str(r, "BudgetStatus");
      json::object o;
      o["name"] = name;
      const auto& [svc, op] = scope[name];
      if (!svc.empty()) o["service"] = svc;
      if (!op.empty()) o["operation"] = op;
      o["status"] = status;
      if (auto a = jv::num(r, "Attainment")) o["attainment_pct"] = std::round(*a * 100.0) / 100.0;
      if (auto g = jv::num(jv::obj(r, "Goal"), "AttainmentGoal")) o["goal_pct"] = *g;
      if (auto b = budget_remaining_pct(r)) o["budget_remaining_pct"] = *b;
      if (status == "BREACHED") ++breached;
      else if (status == "WARNING") ++warning;
      else if (status == "OK") ++ok;
      if ((status == "BREACHED" || status == "WARNING") && !svc.empty()) {
        std::string call_text = "get_recent_incidents(service_name=\"" + svc + "\"";
        if (!op.empty()) call_text += ", endpoint=\"" + op + "\"";
        call_text += ")";
        next.emplace_back(call_text);
      }
      slos.push_back(std::move(o));
    }
    for (const auto& e_v : jv::arr(jv::as_obj(*reports), "Errors")) {
      const auto& e = jv::as_obj(e_v);
      json::object o;
      o["name"] = jv::str(e, "Name");
      o["status"] = "UNKNOWN";
      o["error"] = jv::str(e, "ErrorCode") + ": " + jv::str(e, "ErrorMessage");
      slos.push_back(std::move(o));
    }
  }
  // Breached first, then warning, then the rest.
  auto weight = [](const json::value& v) {
    std::string st = jv::str(jv::as_obj(v), "status");
    return st == "BREACHED" ? 0 : st == "WARNING" ? 1 : st == "OK" ? 3 : 2;
  };
  std::stable_sort(slos.begin(), slos.end(), [&](const json::value& a, const json::value& b) { return weight(a) < weight(b); });
  out["total_slos"] = static_cast<std::int64_t>(names.size());
  out["breached"] = breached;
  out["warning"] = warning;
  out["ok"] = ok;
  out["slos"] = std::move(slos);
  if (!next.empty()) out["suggested_calls"] = std::move(next);
  if (names.empty())
    out["message"] = service.empty() ? "No SLO is defined in this account and region."
                                     : "No SLO is defined for this service.";
  co_return out;
}

asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  const std::int64_t hours = call.args.integer("hours", 24);
  const bool comprehensive = call.args.str("detail") == "comprehensive";
  std::string service = call.args.str("service_name");
  auto clients_r = call.aws();
  if (!clients_r) co_return aws_failure(clients_r.error(), aws::ops::kListServices);
  auto clients = *clients_r;
  aws::PromqlClient promql(clients->cloudwatch.raw());
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(call.now().time_since_epoch()).count();
  json::object out;
  out["data_source"] = "service_events";
  out["time_range_hours"] = hours;

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
  if (!service.empty()) {
    // The name as Application Signals spells it; an unknown name is not found, never "healthy".
    auto resolved = resolve_name(service, names);
    if (!resolved.name) co_return mcp::ToolResult::error(not_found_text("service", service, resolved, names.size()));
    if (auto n = resolved.note("service", service); !n.empty()) call.note(n);
    service = *resolved.name;
    out["service_name"] = service;
  }
  std::string inventory = std::to_string(names.size()) + " services reported to Application Signals in the window:";
  for (const auto& n : names) inventory += " " + n;
  out["service_inventory"] = inventory;

  // SLO compliance.
  std::string environment = call.args.str("environment");
  auto slo = co_await slo_compliance(clients, services->services, service, environment, now);
  out["slo_compliance"] = std::move(slo);

  // Functions failing most.
  aws::LabelMatchers matchers = scope_matchers(call.args);
  for (auto& [label, value] : matchers)
    if (label == kLabelService) value = service;
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
  for (const auto& g : group_incidents(std::get<json::array>(incidents_r))) {
    if (incidents.size() >= 10) break;
    incidents.push_back(incident_json(g));
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
  props["slo_compliance"] = prop("object",
                                 "{total_slos, breached, warning, ok, slos: [{name, service, operation, status, "
                                 "attainment_pct, goal_pct, budget_remaining_pct}], suggested_calls, unavailable?}");
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
      "One-call health picture from Application Signals service events: the services reporting, SLO compliance "
      "(budget status, attainment and remaining error budget of each SLO), the functions with the most errors "
      "(PromQL), the latest incident per operation and trigger, and how each error pattern "
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
  spec.ops = {aws::ops::kListServices, aws::ops::kListServiceLevelObjectives,
              aws::ops::kBatchGetServiceLevelObjectiveBudgetReport, aws::ops::kQueryMetrics, aws::ops::kDescribeLogGroups, aws::ops::kStartQuery,
              aws::ops::kGetQueryResults, aws::ops::kStopQuery};
  spec.output_schema = output_schema();
  spec.narrow_hint = "name the service with service_name";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::service_events

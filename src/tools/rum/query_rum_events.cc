// query_rum_events: one tool, 23 actions over CloudWatch RUM. The schema's arguments are the
// union of the actions' arguments; the action table below says which arguments each action
// requires and accepts, its platform and what it needs (the monitor, its Logs, a window). The
// dispatcher checks all of that once, then runs the action (rum_actions.h).
#include <algorithm>

#include "tools/common/json_access.h"
#include "tools/common/tool_errors.h"
#include "tools/rum/rum_actions.h"
#include "tools/rum/rum_tools.h"

namespace appsignals::tools::rum {

namespace {

enum class Platform { kAny, kWeb, kMobile };

struct Action {
  const char* name;
  std::vector<std::string> required;
  std::vector<std::string> optional;
  Platform platform = Platform::kAny;
  bool needs_monitor = true;  // GetAppMonitor before running
  bool needs_logs = true;     // CloudWatch Logs storage must be on
  Awaitable (*run)(RumCall);
};

const std::vector<std::string> kWindow = {"app_monitor_name", "start_time", "end_time"};

std::vector<std::string> with(std::vector<std::string> base, std::initializer_list<const char*> more) {
  for (const char* m : more) base.emplace_back(m);
  return base;
}

const std::vector<Action>& actions() {
  static const std::vector<Action> all = {
      {"check_data_access", {"app_monitor_name"}, {}, Platform::kAny, true, false, &check_data_access},
      {"list_monitors", {}, {"max_results"}, Platform::kAny, false, false, &list_monitors},
      {"get_monitor", {"app_monitor_name"}, {}, Platform::kAny, true, false, &get_monitor},
      {"list_tags", {"resource_arn"}, {}, Platform::kAny, false, false, &list_tags},
      {"get_policy", {"app_monitor_name"}, {}, Platform::kAny, true, false, &get_policy},
      {"query", with(kWindow, {"query_string"}), {"max_results"}, Platform::kAny, true, true, &query},
      {"health", kWindow, {"compare_previous"}, Platform::kWeb, true, true, &health},
      {"errors", kWindow, {"page_url", "group_by"}, Platform::kWeb, true, true, &errors},
      {"performance", kWindow, {"page_url"}, Platform::kWeb, true, true, &performance},
      {"sessions", kWindow, {}, Platform::kAny, true, true, &sessions},
      {"session_detail", with(kWindow, {"session_id"}), {"limit"}, Platform::kAny, true, true, &session_detail},
      {"page_views", kWindow, {}, Platform::kWeb, true, true, &page_views},
      {"timeseries", kWindow, {"metric", "bucket", "page_url"}, Platform::kAny, true, true, &timeseries},
      {"locations", kWindow, {"page_url"}, Platform::kWeb, true, true, &locations},
      {"http_requests", kWindow, {"page_url"}, Platform::kWeb, true, true, &http_requests},
      {"resources", kWindow, {"page_url"}, Platform::kWeb, true, true, &resources},
      {"page_flows", kWindow, {}, Platform::kWeb, true, true, &page_flows},
      {"crashes", kWindow, {"platform"}, Platform::kMobile, true, true, &crashes},
      {"app_launches", kWindow, {"platform"}, Platform::kMobile, true, true, &app_launches},
      {"analyze", kWindow, {}, Platform::kAny, true, true, &analyze},
      {"correlate", with(kWindow, {"page_url"}), {"max_traces"}, Platform::kWeb, true, true, &correlate},
      {"metrics", with(kWindow, {"metric_names"}), {"statistic", "period"}, Platform::kAny, false, false, &metrics},
      {"slo_health", kWindow, {}, Platform::kAny, false, false, &slo_health},
  };
  return all;
}

const Action* find_action(std::string_view name) {
  for (const auto& a : actions())
    if (name == a.name) return &a;
  return nullptr;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

std::string accepts(const Action& a) {
  return "action '" + std::string(a.name) + "' requires: " + joined(a.required) +
         "; optional: " + joined(a.optional) + " (and region)";
}

// The arguments given that the action does not take; empty when all are accepted.
std::vector<std::string> unexpected(const Action& a, const json::object& given) {
  std::vector<std::string> out;
  for (const auto& [k, v] : given) {
    std::string key(k);
    if (key == "action" || key == "region") continue;
    if (std::find(a.required.begin(), a.required.end(), key) != a.required.end()) continue;
    if (std::find(a.optional.begin(), a.optional.end(), key) != a.optional.end()) continue;
    out.push_back(key);
  }
  return out;
}

std::string example_for(const Action& a) {
  std::string out = "query_rum_events(action=\"" + std::string(a.name) + "\"";
  for (const auto& r : a.required) {
    std::string v = r == "app_monitor_name" ? "\"shop-web\""
                    : r == "start_time"     ? "\"now-3h\""
                    : r == "end_time"       ? "\"now\""
                    : r == "page_url"       ? "\"/checkout\""
                    : r == "metric_names"   ? "[\"JsErrorCount\"]"
                    : r == "resource_arn"   ? "\"arn:aws:rum:us-east-1:123456789012:appmonitor/shop-web\""
                    : r == "query_string"   ? "\"stats count(*) by event_type\""
                                            : "\"...\"";
    out += ", " + r + "=" + v;
  }
  return out + ")";
}

std::optional<std::string> platform_refusal(const Action& a, const MonitorInfo& m) {
  if (a.platform == Platform::kAny) return std::nullopt;
  const char* wanted = a.platform == Platform::kWeb ? "web" : "mobile";
  if (m.platform == wanted) return std::nullopt;
  if (m.platform.empty())
    return "the platform of app monitor '" + m.name + "' is not known (GetAppMonitor gives no Platform), and action '" +
           a.name + "' works on " + wanted + " app monitors only";
  return "action '" + std::string(a.name) + "' works on " + wanted + " app monitors, and '" + m.name + "' is " +
         (m.platform == "web" ? "a web" : "a mobile (" + m.raw_platform + ")") + " app monitor" +
         (a.platform == Platform::kWeb ? "; for mobile use crashes, app_launches, sessions or timeseries"
                                       : "; for web use errors, performance, sessions or page_views");
}

std::string logs_off(const MonitorInfo& m) {
  return "app monitor '" + m.name +
         "' does not store its events in CloudWatch Logs, so they cannot be queried. Turn it on with: aws rum "
         "update-app-monitor --name " + m.name +
         " --cw-log-enabled (events are queryable from then on); action='check_data_access' lists what else to fix";
}

Awaitable run(ToolCall call, std::shared_ptr<const RumOptions> options) {
  const std::string name = call.args.str("action");
  const Action* action = find_action(name);
  if (!action) co_return argument_failure("unknown action '" + name + "'");
  const json::object& given = call.args.object();
  auto extra = unexpected(*action, given);
  // Arguments no action takes (dropped by the spec's reading) are refused too: here the action
  // decides what an argument means, so nothing is silently ignored.
  for (const auto& u : call.args.unknown()) extra.push_back(u);
  if (!extra.empty())
    co_return argument_failure("action '" + name + "' does not take " + joined(extra) + ". " + accepts(*action));
  std::vector<std::string> missing;
  for (const auto& r : action->required)
    if (!call.args.has(r)) missing.push_back(r);
  if (!missing.empty())
    co_return argument_failure("action '" + name + "' needs " + joined(missing) + ". " + accepts(*action) +
                               ". Example: " + example_for(*action));
  RumCall rc;
  rc.call = call;
  rc.options = options;
  if (call.args.has("start_time")) {
    rc.start = call.args.integer("start_time");
    rc.end = call.args.integer("end_time");
    if (rc.end <= rc.start) co_return argument_failure("end_time must be after start_time");
  }
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kGetAppMonitor);
  rc.clients = *clients;
  if (action->needs_monitor) {
    std::string region = rc.clients->rum.raw().region();
    std::string monitor = call.args.str("app_monitor_name");
    auto found = co_await lookup_monitor(rc.clients, region, monitor);
    if (found.failure) co_return std::move(*found.failure);
    rc.monitor = std::move(*found.monitor);
    if (action->needs_logs && !rc.monitor.logs_enabled) co_return argument_failure(logs_off(rc.monitor));
    if (auto refusal = platform_refusal(*action, rc.monitor)) co_return argument_failure(*refusal);
  } else {
    rc.monitor.name = call.args.str("app_monitor_name");
  }
  co_return co_await action->run(rc);
}

std::vector<std::string> action_names() {
  std::vector<std::string> out;
  for (const auto& a : actions()) out.emplace_back(a.name);
  return out;
}

ArgSpec optional_integer(std::string name, std::string description, std::int64_t min, std::int64_t max) {
  ArgSpec a = arg::integer(std::move(name), std::move(description), min, min, max);
  a.default_value = nullptr;  // the action decides the default
  return a;
}

std::string description() {
  return "Real user monitoring (CloudWatch RUM): what end users of a web or mobile app experience. One tool; "
         "`action` selects what to do, and each action takes only its own arguments (others are refused). "
         "Results are JSON.\n"
         "Account: list_monitors [max_results=25]; get_monitor, get_policy, check_data_access (app_monitor_name: "
         "flags Logs off, X-Ray off, missing telemetries, low sampling, cookies off); list_tags (resource_arn).\n"
         "Events (app_monitor_name, start_time, end_time; the monitor must store events in CloudWatch Logs): "
         "query (query_string: Logs Insights, verbatim; max_results=100, at most 200); health (errors by "
         "country/browser, slowest pages, sessions with errors; compare_previous=false); errors (page_url, "
         "group_by country|browser|device|os|page); performance (page load p50/p90/p99 and Web Vitals, p90 rated "
         "against LCP 2.5/4 s, INP 200/500 ms, CLS 0.1/0.25, FID 100/300 ms; page_url); sessions; session_detail "
         "(session_id; limit=100, at most 500); page_views; page_flows; timeseries (metric errors|performance|"
         "sessions, bucket like 1h or 15m, page_url); locations, http_requests, resources (page_url); analyze "
         "(log anomaly detectors' anomalies, event mix, top error messages); correlate (page_url: that page's "
         "slowest traced requests followed into X-Ray, summarised by backend service; max_traces=10, at most "
         "100).\n"
         "Web only: health, errors, performance, page_views, page_flows, locations, http_requests, resources, "
         "correlate. Mobile only: crashes, app_launches (platform all|ios|android).\n"
         "Metrics: metrics (metric_names as a JSON array of AWS/RUM metric names; statistic=Average, "
         "period=300); slo_health (the SLOs defined on the app monitor and their budget status).";
}

}  // namespace

ToolEntry query_rum_events_tool(RumOptions options) {
  ToolSpec spec;
  spec.name = "query_rum_events";
  spec.title = "Query real user monitoring (RUM)";
  spec.description = description();
  spec.args = {
      arg::enumeration("action", "What to do (see the tool description for each action's arguments).", action_names())
          .require()
          .eg("\"list_monitors\""),
      arg::string("app_monitor_name",
                  "RUM app monitor name (every action except list_monitors and list_tags), e.g. 'shop-web'."),
      arg::string("resource_arn", "ARN of the RUM resource whose tags to list (list_tags)."),
      arg::string("query_string", "Logs Insights query run verbatim on the monitor's log group (query)."),
      arg::time("start_time", "Window start (event and metric actions): unix seconds, ISO-8601 or relative ('3h')."),
      arg::time("end_time", "Window end (event and metric actions), e.g. 'now'."),
      optional_integer("max_results", "How many: app monitors (list_monitors, default 25) or rows (query, default "
                                      "100, at most 200).", 1, 1000),
      arg::boolean("compare_previous", "health: also summarise the window of the same length before start_time.", false),
      arg::string("page_url", "Page id as RUM records it, e.g. '/checkout' (errors, performance, timeseries, "
                              "locations, http_requests, resources; required by correlate)."),
      arg::enumeration("group_by", "errors: break errors down by country, browser, device, os or page.",
                       {"country", "browser", "device", "os", "page"}),
      arg::string("session_id", "The session to replay (session_detail); action='sessions' lists them."),
      optional_integer("limit", "session_detail: how many events (default 100, at most 500).", 1, 10000),
      arg::enumeration("metric", "timeseries: errors (default), performance or sessions.",
                       {"errors", "performance", "sessions"}),
      arg::string("bucket", "timeseries: bucket size, a number then ms, s, m, h or d (default '1h')."),
      arg::enumeration("platform", "crashes, app_launches: all (default), ios or android.", {"all", "ios", "android"}),
      optional_integer("max_traces", "correlate: how many traced requests to follow (default 10, at most 100).", 1,
                       1000),
      arg::json_text("metric_names", "metrics: JSON array of AWS/RUM metric names, e.g. "
                                     "[\"JsErrorCount\",\"PerformanceNavigationDuration\"].",
                     "array"),
      arg::string("statistic", "metrics: CloudWatch statistic (default Average; Sum, Minimum, Maximum, SampleCount, p90...)."),
      optional_integer("period", "metrics: period in seconds (default 300).", 60, 86400),
      arg::region(),
  };
  // compare_previous is read only by health; without a default it is "given" only when sent.
  spec.args[7].default_value = nullptr;
  spec.ops = {aws::ops::kListAppMonitors, aws::ops::kGetAppMonitor, aws::ops::kListTagsForResource,
              aws::ops::kGetResourcePolicy, aws::ops::kStartQuery, aws::ops::kGetQueryResults, aws::ops::kStopQuery,
              aws::ops::kListLogAnomalyDetectors, aws::ops::kListAnomalies, aws::ops::kBatchGetTraces,
              aws::ops::kGetMetricData, aws::ops::kGetCallerIdentity, aws::ops::kListServiceLevelObjectives,
              aws::ops::kGetServiceLevelObjective, aws::ops::kBatchGetServiceLevelObjectiveBudgetReport};
  spec.narrow_hint = "narrow start_time/end_time, add page_url, or lower max_results/limit/max_traces";
  auto opts = std::make_shared<const RumOptions>(options);
  ToolRun runner = [opts](ToolCall call) { return run(std::move(call), opts); };
  return ToolEntry{std::make_shared<const ToolSpec>(std::move(spec)), std::move(runner)};
}

}  // namespace appsignals::tools::rum

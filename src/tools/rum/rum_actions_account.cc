// query_rum_events: the actions that read configuration rather than events: the RUM API
// (monitors, tags, resource policy), CloudWatch AWS/RUM metrics and the monitor's SLOs.
#include <algorithm>

#include <boost/json/parse.hpp>

#include "tools/common/json_access.h"
#include "tools/common/tool_errors.h"
#include "tools/rum/rum_actions.h"

namespace appsignals::tools::rum {

namespace {

json::object finding(std::string severity, std::string issue, std::string fix) {
  json::object f;
  f["severity"] = std::move(severity);
  f["issue"] = std::move(issue);
  f["fix"] = std::move(fix);
  return f;
}

json::object data_access_result(const MonitorInfo& m) {
  const auto& config = jv::obj(m.app_monitor, "AppMonitorConfiguration");
  json::array findings;
  if (!m.logs_enabled)
    findings.push_back(finding("HIGH", "CloudWatch Logs storage is off: RUM events cannot be queried (every analytics action needs it)",
                               "aws rum update-app-monitor --name " + m.name + " --cw-log-enabled"));
  if (!jv::boolean(config, "EnableXRay"))
    findings.push_back(finding("MEDIUM", "X-Ray tracing is off: page requests cannot be followed to backend traces (correlate)",
                               "enable X-Ray on the app monitor (AppMonitorConfiguration.EnableXRay) and in the web client"));
  std::vector<std::string> telemetries;
  for (const auto& t : jv::arr(config, "Telemetries"))
    if (t.is_string()) telemetries.emplace_back(t.get_string());
  for (const char* t : {"errors", "performance", "http"})
    if (std::find(telemetries.begin(), telemetries.end(), t) == telemetries.end())
      findings.push_back(finding("MEDIUM", std::string("the '") + t + "' telemetry is not collected",
                                 std::string("add '") + t + "' to AppMonitorConfiguration.Telemetries"));
  if (auto rate = jv::num(config, "SessionSampleRate")) {
    if (*rate <= 0)
      findings.push_back(finding("HIGH", "SessionSampleRate is 0: no session is recorded", "raise SessionSampleRate"));
    else if (*rate < 0.1)
      findings.push_back(finding("LOW", "SessionSampleRate is " + std::to_string(static_cast<int>(*rate * 100 + 0.5)) +
                                            "%: rare problems may not be seen",
                                 "raise SessionSampleRate (1.0 records every session)"));
  }
  if (!jv::boolean(config, "AllowCookies"))
    findings.push_back(finding("LOW", "cookies are off: sessions and users cannot be followed across page loads",
                               "set AppMonitorConfiguration.AllowCookies to true"));
  json::object out;
  out["action"] = "check_data_access";
  out["app_monitor"] = m.name;
  out["platform"] = m.raw_platform.empty() ? "unknown" : m.raw_platform;
  out["cloudwatch_logs_enabled"] = m.logs_enabled;
  if (m.logs_enabled) out["log_group"] = m.log_group;
  out["xray_enabled"] = jv::boolean(config, "EnableXRay");
  json::array tel;
  for (const auto& t : telemetries) tel.push_back(json::value(t));
  out["telemetries"] = std::move(tel);
  out["findings"] = std::move(findings);
  out["ready_for_analytics"] = m.logs_enabled;
  return out;
}

json::object monitors_result(const aws::Page& page, std::int64_t max_results) {
  json::array list;
  for (const auto& v : page.items) {
    if (static_cast<std::int64_t>(list.size()) >= max_results) break;
    const auto& s = jv::as_obj(v);
    json::object m;
    m["name"] = jv::str(s, "Name");
    m["id"] = jv::str(s, "Id");
    m["platform"] = jv::str(s, "Platform");
    m["state"] = jv::str(s, "State");
    m["created"] = jv::str(s, "Created");
    m["last_modified"] = jv::str(s, "LastModified");
    list.push_back(std::move(m));
  }
  json::object out;
  out["action"] = "list_monitors";
  out["count"] = static_cast<std::int64_t>(list.size());
  out["app_monitors"] = std::move(list);
  if (!page.next_token.empty()) out["next_token"] = page.next_token;
  return out;
}

json::object monitor_result(const MonitorInfo& m) {
  json::object out;
  out["action"] = "get_monitor";
  out["app_monitor"] = m.app_monitor;
  return out;
}

json::object list_input(std::int64_t max_results) {
  json::object in;
  in["MaxResults"] = std::min<std::int64_t>(max_results, 100);
  return in;
}

json::object arn_input(const std::string& arn) {
  json::object in;
  in["ResourceArn"] = arn;
  return in;
}

json::object name_input(const std::string& name) {
  json::object in;
  in["Name"] = name;
  return in;
}

json::object tags_result(const std::string& arn, const json::value& response) {
  json::object out;
  out["action"] = "list_tags";
  out["resource_arn"] = arn;
  out["tags"] = jv::obj(jv::as_obj(response), "Tags");
  return out;
}

json::object policy_result(const std::string& name, const json::value* response) {
  json::object out;
  out["action"] = "get_policy";
  out["app_monitor"] = name;
  if (!response) {
    out["policy"] = nullptr;
    out["note"] = "the app monitor has no resource policy";
    return out;
  }
  const auto& r = jv::as_obj(*response);
  boost::system::error_code ec;
  auto doc = json::parse(jv::view(r, "PolicyDocument"), ec);
  if (ec) out["policy"] = jv::str(r, "PolicyDocument");
  else out["policy"] = std::move(doc);
  out["revision_id"] = jv::str(r, "PolicyRevisionId");
  return out;
}

// GetMetricData input: one query per metric name, AWS/RUM with dimension application_name.
json::object metric_data_input(const std::string& app, const std::vector<std::string>& names, const std::string& stat,
                               std::int64_t period, std::int64_t start, std::int64_t end) {
  json::array queries;
  for (std::size_t i = 0; i < names.size(); ++i) {
    json::object dim;
    dim["Name"] = "application_name";
    dim["Value"] = app;
    json::object metric;
    metric["Namespace"] = "AWS/RUM";
    metric["MetricName"] = names[i];
    metric["Dimensions"] = json::array{dim};
    json::object ms;
    ms["Metric"] = std::move(metric);
    ms["Period"] = period;
    ms["Stat"] = stat;
    json::object q;
    q["Id"] = "m" + std::to_string(i);
    q["MetricStat"] = std::move(ms);
    q["Label"] = names[i];
    queries.push_back(std::move(q));
  }
  json::object in;
  in["MetricDataQueries"] = std::move(queries);
  in["StartTime"] = start;
  in["EndTime"] = end;
  in["ScanBy"] = "TimestampAscending";
  return in;
}

json::object metrics_result(const RumCall& rc, const aws::Page& page, const std::vector<std::string>& names,
                            const std::string& stat, std::int64_t period) {
  json::object out = base_result(rc, "metrics");
  out["namespace"] = "AWS/RUM";
  out["statistic"] = stat;
  out["period"] = period;
  json::object series;
  for (const auto& name : names) series[name] = json::object{{"points", 0}};
  for (const auto& v : page.items) {
    const auto& r = jv::as_obj(v);
    std::string label = jv::str(r, "Label");
    const auto& ts = jv::arr(r, "Timestamps");
    const auto& vals = jv::arr(r, "Values");
    json::array points;
    double sum = 0, mx = 0;
    for (std::size_t i = 0; i < vals.size() && i < ts.size(); ++i) {
      double x = vals[i].is_number() ? vals[i].to_number<double>() : 0;
      sum += x;
      mx = i == 0 ? x : std::max(mx, x);
      json::object p;
      p["timestamp"] = ts[i];
      p["value"] = x;
      points.push_back(std::move(p));
    }
    json::object s;
    s["points"] = static_cast<std::int64_t>(points.size());
    if (!points.empty()) {
      s["average"] = num_value(sum / static_cast<double>(points.size()), 3);
      s["maximum"] = mx;
      s["values"] = std::move(points);
    }
    series[label] = std::move(s);
  }
  out["metrics"] = std::move(series);
  bool any = false;
  for (const auto& [k, v] : series) any = any || jv::integer(v.as_object(), "points") > 0;
  if (!any)
    out["note"] = "no AWS/RUM data points for this app monitor in the window: check the metric names "
                  "(JsErrorCount, HttpErrorCount, SessionCount, PageViewCount, PerformanceNavigationDuration, "
                  "WebVitalsLargestContentfulPaint, ...) and that the monitor sends metrics";
  return out;
}

json::object slo_list_input(const std::string& monitor) {
  json::object keys;
  keys["Type"] = "AWS::Resource";
  keys["ResourceType"] = "AWS::RUM::AppMonitor";
  keys["Identifier"] = monitor;
  json::object in;
  in["KeyAttributes"] = std::move(keys);
  in["MaxResults"] = 50;
  return in;
}

json::object id_input(const std::string& id) {
  json::object in;
  in["Id"] = id;
  return in;
}

json::object budget_input(const std::vector<std::string>& ids, std::int64_t at) {
  json::array list;
  for (const auto& id : ids) list.push_back(json::value(id));
  json::object in;
  in["SloIds"] = std::move(list);
  in["Timestamp"] = at;
  return in;
}

}  // namespace

Awaitable check_data_access(RumCall rc) { co_return mcp::ToolResult::structured(data_access_result(rc.monitor)); }

Awaitable list_monitors(RumCall rc) {
  std::int64_t max_results = rc.call.args.has("max_results") ? rc.call.args.integer("max_results") : 25;
  json::object input = list_input(max_results);
  int pages = static_cast<int>((max_results + 99) / 100);
  auto page = co_await rc.clients->rum.paginate(aws::ops::kListAppMonitors, input, pages);
  if (!page) co_return aws_failure(page.error(), aws::ops::kListAppMonitors);
  co_return mcp::ToolResult::structured(monitors_result(*page, max_results));
}

Awaitable get_monitor(RumCall rc) { co_return mcp::ToolResult::structured(monitor_result(rc.monitor)); }

Awaitable list_tags(RumCall rc) {
  std::string arn = rc.call.args.str("resource_arn");
  json::object input = arn_input(arn);
  auto r = co_await rc.clients->rum.call(aws::ops::kListTagsForResource, input);
  if (!r) {
    if (r.error().code == ErrorCode::kNotFound)
      co_return argument_failure("no RUM resource with ARN '" + arn +
                                 "' (an app monitor ARN looks like arn:aws:rum:<region>:<account>:appmonitor/<name>)");
    co_return aws_failure(r.error(), aws::ops::kListTagsForResource);
  }
  co_return mcp::ToolResult::structured(tags_result(arn, *r));
}

Awaitable get_policy(RumCall rc) {
  json::object input = name_input(rc.monitor.name);
  auto r = co_await rc.clients->rum.call(aws::ops::kGetResourcePolicy, input);
  if (!r) {
    if (r.error().code == ErrorCode::kNotFound)
      co_return mcp::ToolResult::structured(policy_result(rc.monitor.name, nullptr));
    co_return aws_failure(r.error(), aws::ops::kGetResourcePolicy);
  }
  co_return mcp::ToolResult::structured(policy_result(rc.monitor.name, &*r));
}

Awaitable metrics(RumCall rc) {
  const auto& given = rc.call.args.json("metric_names");
  std::vector<std::string> names;
  if (given.is_array())
    for (const auto& v : given.as_array())
      if (v.is_string() && !v.as_string().empty()) names.emplace_back(v.as_string());
  if (names.empty() || names.size() > 20)
    co_return argument_failure("metric_names must be a JSON array of 1 to 20 AWS/RUM metric names, e.g. "
                               "[\"JsErrorCount\",\"PerformanceNavigationDuration\"]");
  std::string stat = rc.call.args.has("statistic") ? rc.call.args.str("statistic") : "Average";
  std::int64_t period = rc.call.args.has("period") ? rc.call.args.integer("period") : 300;
  json::object input = metric_data_input(rc.monitor.name, names, stat, period, rc.start, rc.end);
  auto page = co_await rc.clients->cloudwatch.paginate(aws::ops::kGetMetricData, input, 10);
  if (!page) co_return aws_failure(page.error(), aws::ops::kGetMetricData);
  co_return mcp::ToolResult::structured(metrics_result(rc, *page, names, stat, period));
}

Awaitable slo_health(RumCall rc) {
  json::object input = slo_list_input(rc.monitor.name);
  auto page = co_await rc.clients->application_signals.paginate(aws::ops::kListServiceLevelObjectives, input, 5);
  if (!page) co_return aws_failure(page.error(), aws::ops::kListServiceLevelObjectives);
  json::object out = base_result(rc, "slo_health");
  std::vector<std::string> ids;
  json::array slos;
  for (const auto& v : page->items) {
    const auto& s = jv::as_obj(v);
    std::string arn = jv::str(s, "Arn");
    json::object id = id_input(arn);
    auto detail = co_await rc.clients->application_signals.call(aws::ops::kGetServiceLevelObjective, id);
    if (!detail) co_return aws_failure(detail.error(), aws::ops::kGetServiceLevelObjective);
    const auto& slo = jv::obj(jv::as_obj(*detail), "Slo");
    json::object item;
    item["name"] = jv::str(slo, "Name");
    item["arn"] = arn;
    item["goal"] = jv::obj(slo, "Goal");
    slos.push_back(std::move(item));
    ids.push_back(arn);
  }
  if (!ids.empty()) {
    json::object budget = budget_input(ids, rc.end);
    auto report = co_await rc.clients->application_signals.call(aws::ops::kBatchGetServiceLevelObjectiveBudgetReport,
                                                                 budget);
    if (!report) co_return aws_failure(report.error(), aws::ops::kBatchGetServiceLevelObjectiveBudgetReport);
    for (const auto& r : jv::arr(jv::as_obj(*report), "Reports")) {
      const auto& rep = jv::as_obj(r);
      for (auto& s : slos) {
        auto& o = s.as_object();
        if (jv::view(o, "arn") != jv::view(rep, "Arn")) continue;
        o["budget_status"] = jv::str(rep, "BudgetStatus");
        if (auto a = jv::num(rep, "Attainment")) o["attainment"] = *a;
      }
    }
  }
  out["slo_count"] = static_cast<std::int64_t>(slos.size());
  out["slos"] = std::move(slos);
  if (ids.empty())
    out["note"] = "no service level objective is defined on this app monitor (SLOs on a RUM app monitor use "
                  "key attributes Type=AWS::Resource, ResourceType=AWS::RUM::AppMonitor, Identifier=<monitor name>)";
  co_return mcp::ToolResult::structured(std::move(out));
}

}  // namespace appsignals::tools::rum

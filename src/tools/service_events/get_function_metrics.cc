// get_function_metrics: one function's calls, errors and average duration over a window (three
// PromQL instant queries), its trend (three range queries), and optionally the incident snapshots
// that name it (Logs Insights over the service-events log groups).
#include <algorithm>
#include <cstdlib>

#include "tools/common/json_access.h"
#include "tools/common/name_match.h"
#include "tools/service_events/scope_args.h"
#include "tools/service_events/se_common.h"
#include "tools/service_events/service_events_tools.h"

namespace appsignals::tools::service_events {
namespace {

namespace asio = boost::asio;

// value[1] of an instant sample / the [t, "v"] pairs of a range series.
double number_of(const json::value& pair) {
  if (!pair.is_array() || pair.as_array().size() < 2 || !pair.as_array()[1].is_string()) return 0;
  return std::strtod(std::string(pair.as_array()[1].as_string()).c_str(), nullptr);
}

// The trend step: hourly up to two days, else the window in about 24 steps (whole hours).
std::int64_t trend_step_hours(std::int64_t hours) { return hours <= 48 ? 1 : (hours + 23) / 24; }

struct TrendPoint {
  double calls = 0, errors = 0;
  std::optional<double> avg_ms;
};

asio::awaitable<std::variant<std::map<std::int64_t, TrendPoint>, Failure>> trend(aws::PromqlClient promql,
                                                                                aws::LabelMatchers matchers,
                                                                                std::int64_t hours, std::int64_t now) {
  std::map<std::int64_t, TrendPoint> out;
  const std::int64_t step_h = trend_step_hours(hours);
  const std::int64_t step = step_h * 3600;
  const std::int64_t end = now;
  const std::int64_t start = now - (hours / step_h - 1) * step;
  const std::string window = "[" + std::to_string(step_h) + "h]";
  const std::string sel = aws::promql_selector(kMetricDuration, matchers);
  aws::LabelMatchers err_m = matchers;
  err_m.emplace_back("status", "error");
  const std::string err_sel = aws::promql_selector(kMetricDuration, err_m);
  for (int i = 0; i < 3; ++i) {
    std::string q = i == 0   ? "sum(histogram_count(increase(" + sel + window + ")))"
                    : i == 1 ? "sum(histogram_count(increase(" + err_sel + window + ")))"
                             : "histogram_avg(sum(increase(" + sel + window + ")))";
    auto r = co_await promql.query_range(q, start, end, step);
    if (!r) co_return Failure{r.error(), aws::ops::kQueryMetrics};
    for (const auto& series : jv::arr(jv::as_obj(*r), "result"))
      for (const auto& pair : jv::arr(jv::as_obj(series), "values")) {
        if (!pair.is_array() || pair.as_array().empty() || !pair.as_array()[0].is_number()) continue;
        auto t = pair.as_array()[0].to_number<std::int64_t>();
        double v = number_of(pair);
        TrendPoint& p = out[t];
        if (i == 0) p.calls += v;
        else if (i == 1) p.errors += v;
        else p.avg_ms = v / 1000.0;  // microseconds
      }
  }
  co_return out;
}

asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  const std::string wanted = call.args.str("function_name");
  const std::int64_t hours = call.args.integer("hours", 24);
  const bool include_exceptions = call.args.boolean("include_exceptions", false);
  auto clients_r = call.aws();
  if (!clients_r) co_return aws_failure(clients_r.error(), aws::ops::kQueryMetrics);
  auto clients = *clients_r;
  aws::PromqlClient promql(clients->cloudwatch.raw());
  const std::int64_t now = now_seconds(call);
  aws::LabelMatchers matchers = scope_matchers(call.args);

  // The name as the metrics spell it.
  auto names_r = co_await function_names(promql, matchers);
  if (auto* f = std::get_if<Failure>(&names_r)) co_return aws_failure(f->error, f->op);
  const auto names = std::get<std::vector<std::string>>(std::move(names_r));
  auto resolved = resolve_name(wanted, names);
  if (!resolved.name) {
    std::string text = not_found_text("monitored function", wanted, resolved, names.size());
    text += "\nFind names with search_functions_by_name or list_monitored_functions";
    text += matchers.empty() ? "." : " (the scope arguments narrow the names known).";
    co_return mcp::ToolResult::error(text);
  }
  const std::string function = *resolved.name;
  if (auto n = resolved.note("function", wanted); !n.empty()) call.note(n);
  aws::LabelMatchers fn_m = matchers;
  fn_m.emplace_back(std::string(kLabelFunction), function);

  auto stats_r = co_await function_stats(promql, fn_m, hours, now);
  if (auto* f = std::get_if<Failure>(&stats_r)) co_return aws_failure(f->error, f->op);
  auto stats = std::get<std::vector<FunctionStats>>(std::move(stats_r));
  FunctionStats total;
  total.name = function;
  double weighted = 0, timed_calls = 0;
  for (const auto& s : stats) {
    total.calls += s.calls;
    total.errors += s.errors;
    if (s.avg_ms) {
      weighted += *s.avg_ms * s.calls;
      timed_calls += s.calls;
    }
  }
  if (timed_calls > 0) total.avg_ms = weighted / timed_calls;

  json::object out;
  out["data_source"] = "cloudwatch_metrics_v2";
  out["function"] = function;
  out["time_range_hours"] = hours;
  json::object scope;
  for (const auto& [k, v] : matchers) scope[k] = v;
  if (!scope.empty()) out["scope"] = std::move(scope);
  json::object summary = function_json(total);
  summary.erase("function");
  out["summary"] = std::move(summary);
  if (stats.size() > 1) {
    json::array locations;
    for (const auto& s : stats) locations.push_back(function_json(s));
    out["locations"] = std::move(locations);
  } else if (stats.size() == 1 && !stats[0].at_line.empty()) {
    out["function_at_line"] = stats[0].at_line;
  }
  if (stats.empty())
    out["message"] = "The function has no calls in this window and scope; raise hours or drop a scope argument.";

  auto trend_r = co_await trend(promql, fn_m, hours, now);
  if (auto* f = std::get_if<Failure>(&trend_r)) co_return aws_failure(f->error, f->op);
  json::array points;
  for (const auto& [t, p] : std::get<std::map<std::int64_t, TrendPoint>>(trend_r)) {
    json::object o;
    o["end"] = iso(t);
    o["calls"] = static_cast<std::int64_t>(std::llround(p.calls));
    o["errors"] = static_cast<std::int64_t>(std::llround(p.errors));
    if (p.avg_ms) o["avg_duration_ms"] = round1(*p.avg_ms);
    points.push_back(std::move(o));
  }
  out["trend_step_hours"] = trend_step_hours(hours);
  out["trend"] = std::move(points);

  if (include_exceptions) {
    auto groups_r = co_await event_groups(clients, call.args.str("service_name"));
    if (auto* f = std::get_if<Failure>(&groups_r)) co_return aws_failure(f->error, f->op);
    auto groups = std::get<std::vector<std::string>>(std::move(groups_r));
    std::string event = "aws.service_events.incident_snapshot";
    std::string filter = "@message like \"" + function + "\"";
    auto found = co_await query_events(clients, groups, event, now - hours * 3600, now, 500, filter);
    if (auto* f = std::get_if<Failure>(&found)) {
      // The metrics stand on their own: say what the incidents need instead of failing the call.
      out["incidents_unavailable"] = failure_text(f->error, f->op);
    } else {
      json::array incidents;
      std::int64_t snapshots = 0;
      for (const auto& g : group_incidents(std::get<json::array>(found))) {
        snapshots += g.occurrences;
        if (incidents.size() < 10) incidents.push_back(incident_json(g));
      }
      out["incident_snapshots"] = snapshots;
      out["incidents"] = std::move(incidents);
      if (snapshots > 0)
        out["next_step"] = "get_incident_root_cause(snapshot_id=\"" +
                           std::string(jv::str(jv::as_obj(out["incidents"].as_array()[0]), "snapshot_id")) +
                           "\") explains the newest incident.";
    }
  }
  co_return mcp::ToolResult::structured(std::move(out));
}

json::object output_schema() {
  json::object props;
  props["data_source"] = prop("string", "cloudwatch_metrics_v2 (incidents: service_events)");
  props["function"] = prop("string", "The function, as the metrics name it");
  props["time_range_hours"] = prop("integer", "The window");
  props["scope"] = prop("object", "The label matchers applied (service, environment, endpoint)");
  props["summary"] = prop("object", "calls, errors, error_rate_pct, avg_duration_ms over the window");
  props["function_at_line"] = prop("string", "Where the function is defined");
  json::object loc = prop("array", "Per definition site when the name has several");
  loc["items"] = json::object{{"type", "object"}};
  props["locations"] = std::move(loc);
  props["trend_step_hours"] = prop("integer", "Hours per trend point");
  json::object tr = prop("array", "Oldest first: end (ISO-8601), calls, errors, avg_duration_ms per step");
  tr["items"] = json::object{{"type", "object"}};
  props["trend"] = std::move(tr);
  props["incident_snapshots"] = prop("integer", "include_exceptions: snapshots that name the function");
  json::object inc = prop("array", "include_exceptions: incidents per operation and trigger, newest first");
  inc["items"] = json::object{{"type", "object"}};
  props["incidents"] = std::move(inc);
  props["incidents_unavailable"] = prop("string", "Why the incidents could not be read");
  props["message"] = prop("string", "Why the numbers are empty");
  props["next_step"] = prop("string", "The call to make next");
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  schema["required"] = json::array{"data_source", "function", "summary"};
  return schema;
}

}  // namespace

ToolEntry get_function_metrics_tool() {
  ToolSpec spec;
  spec.name = "get_function_metrics";
  spec.title = "Function metrics";
  spec.description =
      "One function's health from Application Signals service events (CloudWatch PromQL): calls, errors, error "
      "rate and average duration over the last `hours`, with a trend (hourly up to 48 hours) that shows when it "
      "started failing or slowing. include_exceptions=true adds the incident snapshots that name the function "
      "(snapshot ids for get_incident_root_cause). The name is matched leniently (case, separators); find names "
      "with search_functions_by_name.";
  spec.args = {
      arg::string("function_name", "Function name as monitored, e.g. \"payments.ledger.write_entry\".")
          .require()
          .eg("\"payments.ledger.write_entry\""),
      arg::hours("hours", "Window in hours before now (e.g. 24, \"6h\").", 24, 1, 168),
      arg::boolean("include_exceptions", "Also list the incident snapshots (exceptions, latency) of the function.",
                   false),
      service_name_arg(),
      environment_arg(),
      endpoint_arg(),
  };
  spec.ops = {aws::ops::kGetLabels,         aws::ops::kQueryMetrics,     aws::ops::kDescribeLogGroups,
              aws::ops::kStartQuery,        aws::ops::kGetQueryResults,  aws::ops::kStopQuery};
  spec.output_schema = output_schema();
  spec.narrow_hint = "lower hours, or scope with service_name / endpoint";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::service_events

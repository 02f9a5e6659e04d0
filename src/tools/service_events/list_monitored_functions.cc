// list_monitored_functions: calls, average duration and errors per function (CloudWatch PromQL over
// the service.function.duration histogram), filtered to failing or slow functions and ranked.
#include <algorithm>
#include <cmath>

#include "tools/common/json_access.h"
#include "tools/service_events/scope_args.h"
#include "tools/service_events/se_common.h"
#include "tools/service_events/service_events_tools.h"

namespace appsignals::tools::service_events {
namespace {

namespace asio = boost::asio;

asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  const std::int64_t hours = call.args.integer("hours", 24);
  const std::string filter = call.args.str("filter");
  const double threshold = call.args.number("threshold_ms", 100.0);
  const std::int64_t top = call.args.integer("top", 20);
  std::string sort_by = call.args.str("sort_by");
  if (sort_by.empty()) sort_by = "calls";
  auto clients_r = call.aws();
  if (!clients_r) co_return aws_failure(clients_r.error(), aws::ops::kQueryMetrics);
  aws::PromqlClient promql((*clients_r)->cloudwatch.raw());
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(call.now().time_since_epoch()).count();
  aws::LabelMatchers matchers = scope_matchers(call.args);
  auto stats_r = co_await function_stats(promql, matchers, hours, now);
  if (auto* f = std::get_if<Failure>(&stats_r)) co_return aws_failure(f->error, f->op);
  auto stats = std::get<std::vector<FunctionStats>>(std::move(stats_r));
  const std::size_t monitored = stats.size();
  if (filter == "errors") {
    std::erase_if(stats, [](const FunctionStats& f) { return std::llround(f.errors) <= 0; });
    if (sort_by == "calls") {
      sort_by = "errors";
      call.note("filter=errors: ranked by errors (pass sort_by=duration to rank by duration).");
    }
  } else if (filter == "slow") {
    std::erase_if(stats, [&](const FunctionStats& f) { return !f.avg_ms || *f.avg_ms < threshold; });
    if (sort_by == "calls") {
      sort_by = "duration";
      call.note("filter=slow: ranked by average duration.");
    }
  }
  auto key = [&](const FunctionStats& f) {
    if (sort_by == "errors") return f.errors;
    if (sort_by == "duration") return f.avg_ms.value_or(0);
    return f.calls;
  };
  std::stable_sort(stats.begin(), stats.end(), [&](const FunctionStats& a, const FunctionStats& b) {
    double ka = key(a), kb = key(b);
    if (ka != kb) return ka > kb;
    if (a.errors != b.errors) return a.errors > b.errors;
    return a.name < b.name;
  });
  json::array functions;
  for (std::size_t i = 0; i < stats.size() && static_cast<std::int64_t>(i) < top; ++i)
    functions.push_back(function_json(stats[i]));
  json::object out;
  out["data_source"] = "cloudwatch_metrics_v2";
  out["time_range_hours"] = hours;
  if (!filter.empty()) out["filter"] = filter;
  if (filter == "slow") out["threshold_ms"] = threshold;
  out["sort_by"] = sort_by;
  json::object scope;
  for (const auto& [k, v] : matchers) scope[k] = v;
  if (!scope.empty()) out["scope"] = std::move(scope);
  out["monitored_functions"] = static_cast<std::int64_t>(monitored);
  out["matching_functions"] = static_cast<std::int64_t>(stats.size());
  out["functions"] = std::move(functions);
  if (monitored == 0)
    out["message"] = "No function metrics (service.function.duration) in this window and scope. Functions are "
                     "measured only for services instrumented with Application Signals service events.";
  else if (stats.empty())
    out["message"] = filter == "errors" ? "No function recorded an error in this window."
                                        : "No function is at or above threshold_ms on average in this window.";
  co_return mcp::ToolResult::structured(std::move(out));
}

json::object output_schema() {
  json::object props;
  props["data_source"] = prop("string", "cloudwatch_metrics_v2 (PromQL)");
  props["time_range_hours"] = prop("integer", "The window, hours before now");
  props["filter"] = prop("string", "errors or slow, when given");
  props["threshold_ms"] = prop("number", "filter=slow: the average duration at or above which a function is listed");
  props["sort_by"] = prop("string", "The ranking used: calls, duration or errors");
  props["scope"] = prop("object", "The label matchers applied (service, environment, endpoint)");
  props["monitored_functions"] = prop("integer", "Functions with metrics in the window and scope");
  props["matching_functions"] = prop("integer", "Functions left after the filter");
  json::object fns = prop("array", "Ranked: function, function_at_line, calls, errors, error_rate_pct, avg_duration_ms");
  fns["items"] = json::object{{"type", "object"}};
  props["functions"] = std::move(fns);
  props["message"] = prop("string", "Why the list is empty");
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  schema["required"] = json::array{"data_source", "functions"};
  return schema;
}

}  // namespace

ToolEntry list_monitored_functions_tool() {
  ToolSpec spec;
  spec.name = "list_monitored_functions";
  spec.title = "List monitored functions";
  spec.description =
      "Function-level view of services instrumented with Application Signals service events: for each function, "
      "its calls, errors (and error rate) and average duration over the last `hours`, from CloudWatch PromQL. "
      "filter=errors keeps the functions that failed (ranked by errors), filter=slow those whose average is at or "
      "above threshold_ms. Scope with service_name, environment and endpoint. Start here to find which function "
      "is failing or slow, then use get_recent_incidents / get_incident_root_cause.";
  spec.args = {
      arg::hours("hours", "Window in hours before now (e.g. 24, \"6h\").", 24, 1, 168),
      arg::enumeration("filter", "Keep only failing functions (errors) or slow ones (slow).", {"errors", "slow"}),
      arg::number("threshold_ms", "filter=slow: average duration in milliseconds at or above which a function is slow.",
                  100.0, 0, 3600000),
      arg::integer("top", "Most functions listed.", 20, 1, 500),
      arg::enumeration("sort_by", "Ranking: calls, duration or errors.", {"calls", "duration", "errors"}).def("calls"),
      endpoint_arg(),
      service_name_arg(),
      environment_arg(),
  };
  spec.ops = {aws::ops::kQueryMetrics};
  spec.output_schema = output_schema();
  spec.narrow_hint = "lower top, or scope with service_name / endpoint";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::service_events

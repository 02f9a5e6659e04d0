// get_slo: one SLO's full configuration (GetServiceLevelObjective).
#include "tools/common/name_match.h"
#include "tools/common/tool_errors.h"
#include "tools/slo/slo_common.h"
#include "tools/toolsets.h"

namespace appsignals::tools::slo {

namespace {

std::string interval_text(const json::object& goal) {
  const auto& interval = obj(goal, "Interval");
  if (const auto& r = obj(interval, "RollingInterval"); !r.empty())
    return "rolling " + (r.contains("Duration") ? number_text(r.at("Duration")) : "?") + " " + str(r, "DurationUnit");
  if (const auto& c = obj(interval, "CalendarInterval"); !c.empty())
    return "calendar " + (c.contains("Duration") ? number_text(c.at("Duration")) : "?") + " " + str(c, "DurationUnit") +
           ", starting " + time_text(c, "StartTime");
  return "not set";
}

void append_sli_common(std::string& out, const json::object& metric) {
  if (const auto& k = obj(metric, "KeyAttributes"); !k.empty()) out += "• Service: " + key_attributes_text(k) + "\n";
  if (auto op = str(metric, "OperationName"); !op.empty())
    out += "• Operation: " + op + "\n  (trace query filter for it: annotation[aws.local.operation]=\"" + op + "\")\n";
  if (auto t = str(metric, "MetricType"); !t.empty()) out += "• Metric type: " + t + "\n";
  if (const auto& d = obj(metric, "DependencyConfig"); !d.empty())
    out += "• Dependency: " + key_attributes_text(obj(d, "DependencyKeyAttributes")) + ", operation " +
           str(d, "DependencyOperationName") + "\n";
}

void append_queries(std::string& out, const json::array& queries, std::string_view title) {
  if (queries.empty()) return;
  out += "• " + std::string(title) + ":\n";
  for (const auto& q : queries)
    if (q.is_object()) out += metric_query_text(q.get_object(), "  ");
}

void append_threshold(std::string& out, const json::object& sli) {
  if (const auto* t = sli.if_contains("MetricThreshold"))
    out += "• Threshold: " + str(sli, "ComparisonOperator") + " " + number_text(*t) + "\n";
}

std::string render(const json::object& slo) {
  std::string out = "SLO: " + str(slo, "Name") + "\nARN: " + str(slo, "Arn") + "\n";
  if (auto d = str(slo, "Description"); !d.empty()) out += "Description: " + d + "\n";
  out += "Evaluation type: " + str(slo, "EvaluationType") + "\n";
  if (auto m = str(slo, "MetricSourceType"); !m.empty()) out += "Metric source: " + m + "\n";
  out += "Created: " + time_text(slo, "CreatedTime") + "\nLast updated: " + time_text(slo, "LastUpdatedTime") + "\n";

  const auto& goal = obj(slo, "Goal");
  out += "\nGoal:\n";
  if (const auto* a = goal.if_contains("AttainmentGoal")) out += "• Attainment goal: " + number_text(*a) + "%\n";
  if (const auto* w = goal.if_contains("WarningThreshold"))
    out += "• Warning threshold: " + number_text(*w) + "% of the error budget remaining\n";
  out += "• Interval: " + interval_text(goal) + "\n";

  if (const auto& sli = obj(slo, "Sli"); !sli.empty()) {
    out += "\nPeriod-based SLI (each period is good or bad):\n";
    const auto& metric = obj(sli, "SliMetric");
    append_sli_common(out, metric);
    append_queries(out, arr(metric, "MetricDataQueries"), "Metric queries");
    append_threshold(out, sli);
  } else if (const auto& rsli = obj(slo, "RequestBasedSli"); !rsli.empty()) {
    out += "\nRequest-based SLI (good requests / total requests):\n";
    const auto& metric = obj(rsli, "RequestBasedSliMetric");
    append_sli_common(out, metric);
    append_queries(out, arr(metric, "TotalRequestCountMetric"), "Total request count");
    const auto& monitored = obj(metric, "MonitoredRequestCountMetric");
    append_queries(out, arr(monitored, "GoodCountMetric"), "Good request count");
    append_queries(out, arr(monitored, "BadCountMetric"), "Bad request count");
    append_threshold(out, rsli);
  }

  const auto& burn = arr(slo, "BurnRateConfigurations");
  if (!burn.empty()) {
    out += "\nBurn-rate look-back windows:";
    bool first = true;
    for (const auto& b : burn)
      if (b.is_object() && b.get_object().contains("LookBackWindowMinutes")) {
        out += std::string(first ? " " : ", ") + number_text(b.get_object().at("LookBackWindowMinutes")) + " min";
        first = false;
      }
    out += "\n";
  }
  out += "\nNext: audit_slos with {\"Type\":\"slo\",\"Data\":{\"Slo\":{\"SloName\":\"" + str(slo, "Name") +
         "\"}}} to see whether it is breached and why; search_transaction_spans or query_sampled_traces with the "
         "operation filter above to inspect failing requests.";
  return out;
}

json::object list_input() {
  json::object input;
  input["MaxResults"] = 50;
  input["IncludeLinkedAccounts"] = true;
  return input;
}

boost::asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  std::string id = call.args.str("slo_id");
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kGetServiceLevelObjective);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  json::object input;
  input["Id"] = id;
  auto r = co_await c->application_signals.call(aws::ops::kGetServiceLevelObjective, input);
  if (!r && r.error().code == ErrorCode::kNotFound && id.rfind("arn:", 0) != 0) {
    // Not an exact name: resolve it among the account's SLOs (case, separators, one clear
    // near-miss), else say it does not exist with the closest names.
    json::object list = list_input();
    int max_pages = 10;
    auto page = co_await c->application_signals.paginate(aws::ops::kListServiceLevelObjectives, list, max_pages);
    if (!page) co_return aws_failure(page.error(), aws::ops::kListServiceLevelObjectives);
    auto names = slo_names(page->items);
    auto resolved = resolve_name(id, names);
    if (!resolved.name)
      co_return mcp::ToolResult::error(not_found_text("SLO", id, resolved, names.size()) +
                                       " Call list_slos to see every SLO, then retry with its name or ARN.");
    call.note(resolved.note("SLO name", id));
    input["Id"] = *resolved.name;
    r = co_await c->application_signals.call(aws::ops::kGetServiceLevelObjective, input);
  }
  if (!r) co_return aws_failure(r.error(), aws::ops::kGetServiceLevelObjective);
  if (!r->is_object() || obj(r->get_object(), "Slo").empty())
    co_return mcp::ToolResult::error("Error: GetServiceLevelObjective returned no SLO for '" + id + "'.");
  co_return mcp::ToolResult::text(render(obj(r->get_object(), "Slo")));
}

}  // namespace

ToolEntry get_slo_tool() {
  ToolSpec spec;
  spec.name = "get_slo";
  spec.title = "Get SLO";
  spec.description =
      "Shows the full configuration of one service level objective: goal (attainment target, warning "
      "threshold, rolling or calendar interval), the period-based or request-based SLI (service key "
      "attributes, operation, metric type, the CloudWatch metric queries, threshold and comparison, "
      "dependency) and the burn-rate windows. The operation name comes with the filter to use in trace "
      "queries. Use it to understand what an SLO measures; to learn whether and why it is breached use "
      "list_slis and audit_slos. Names are forgiving (case, separators, one clear near-miss); an unknown name "
      "is answered with the closest SLO names.";
  spec.args = {arg::string("slo_id", "SLO name (e.g. \"payments-charge-availability\") or its full ARN.")
                   .require()
                   .eg("\"payments-charge-availability\""),
               arg::region()};
  spec.ops = {aws::ops::kGetServiceLevelObjective, aws::ops::kListServiceLevelObjectives};
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::slo

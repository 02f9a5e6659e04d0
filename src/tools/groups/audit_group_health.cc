// audit_group_health: the health of every service of a group. SLOs first (any breached SLO:
// CRITICAL); a service without SLO data falls back to its fault rate, error rate and p99
// latency against the thresholds (strictly greater). Then the Synthetics canaries that depend
// on the group's services, and a summary with the overall status and next steps.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "tools/audit/audit_canaries.h"
#include "tools/common/fanout.h"
#include "tools/common/tool_errors.h"
#include "tools/groups/groups_common.h"

namespace appsignals::tools::groups {

namespace {

struct Thresholds {
  double fault_warning = 1.0, fault_critical = 5.0;
  double error_warning = 1.0, error_critical = 5.0;
  double latency_warning = 1000.0, latency_critical = 5000.0;
};

struct Health {
  std::string status = "UNKNOWN";  // CRITICAL, WARNING, OK, UNKNOWN
  std::string basis;               // "SLOs", "metrics", ""
  std::vector<std::string> breached, healthy_slos;
  std::optional<double> fault_pct, error_pct, p99_ms;
  std::vector<std::string> findings;  // "fault rate 6.20% > 5% (critical threshold)"
  std::vector<std::string> problems;  // what could not be read, with the IAM action
};

struct State {
  std::shared_ptr<const aws::AwsClients> clients;
  std::vector<json::object> members;
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::int64_t period = 300;
  Thresholds limits;
  std::vector<Health> health;
};

std::string fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string problem(const Error& e, const aws::Op& op) {
  return std::string(op.name) + " failed: " + e.message + " (grant " + std::string(op.iam_action) + ")";
}

int rank(std::string_view status) {
  return status == "CRITICAL" ? 3 : status == "WARNING" ? 2 : status == "OK" ? 1 : 0;
}

void raise(Health& h, std::string_view status) {
  if (rank(status) > rank(h.status)) h.status = std::string(status);
}

json::object slos_input(const json::object& keys) {
  json::object input;
  input["KeyAttributes"] = keys;
  input["IncludeLinkedAccounts"] = true;
  input["MaxResults"] = 50;
  return input;
}

json::object breached_input(const std::vector<std::string>& names, const State& st) {
  json::array queries;
  for (std::size_t i = 0; i < names.size(); ++i) {
    json::object dim;
    dim["Name"] = "SloName";
    dim["Value"] = names[i];
    json::object metric;
    metric["Namespace"] = "AWS/ApplicationSignals";
    metric["MetricName"] = "BreachedCount";
    metric["Dimensions"] = json::array{dim};
    json::object stat;
    stat["Metric"] = std::move(metric);
    stat["Period"] = st.period;
    stat["Stat"] = "Maximum";
    json::object q;
    q["Id"] = "slo" + std::to_string(i);
    q["MetricStat"] = std::move(stat);
    q["ReturnData"] = true;
    queries.push_back(std::move(q));
  }
  json::object input;
  input["MetricDataQueries"] = std::move(queries);
  input["StartTime"] = st.start;
  input["EndTime"] = st.end;
  return input;
}

json::object statistics_input(const json::object& keys, std::string_view metric, bool p99, const State& st) {
  json::array dims;
  dims.push_back(json::object{{"Name", "Service"}, {"Value", jv::str(keys, "Name")}});
  dims.push_back(json::object{{"Name", "Environment"}, {"Value", jv::str(keys, "Environment")}});
  json::object input;
  input["Namespace"] = "ApplicationSignals";
  input["MetricName"] = metric;
  input["Dimensions"] = std::move(dims);
  input["StartTime"] = st.start;
  input["EndTime"] = st.end;
  input["Period"] = st.period;
  if (p99) input["ExtendedStatistics"] = json::array{"p99"};
  else input["Statistics"] = json::array{"Average"};
  return input;
}

// Average of the Average data points, or the maximum p99.
std::optional<double> fold_statistics(const json::value& response, bool p99) {
  double sum = 0, max = 0;
  std::size_t n = 0;
  for (const auto& p : jv::arr(jv::as_obj(response), "Datapoints")) {
    const auto& o = jv::as_obj(p);
    std::optional<double> v = p99 ? jv::num(jv::obj(o, "ExtendedStatistics"), "p99") : jv::num(o, "Average");
    if (!v) continue;
    sum += *v;
    max = n == 0 ? *v : std::max(max, *v);
    ++n;
  }
  if (n == 0) return std::nullopt;
  return p99 ? max : sum / static_cast<double>(n);
}

void judge(Health& h, std::string_view what, double value, double warning, double critical, std::string_view unit) {
  if (value > critical) {
    raise(h, "CRITICAL");
    h.findings.push_back(std::string(what) + " " + fixed(value) + std::string(unit) + " > " + number(critical) +
                         std::string(unit) + " (critical threshold)");
  } else if (value > warning) {
    raise(h, "WARNING");
    h.findings.push_back(std::string(what) + " " + fixed(value) + std::string(unit) + " > " + number(warning) +
                         std::string(unit) + " (warning threshold)");
  } else {
    raise(h, "OK");
  }
}

boost::asio::awaitable<void> check_slos(std::shared_ptr<State> st, std::size_t i) {
  auto& h = st->health[i];
  json::object input = slos_input(jv::obj(st->members[i], "KeyAttributes"));
  int max_pages = 5;
  auto page = co_await st->clients->application_signals.paginate(aws::ops::kListServiceLevelObjectives, input, max_pages);
  if (!page) {
    h.problems.push_back(problem(page.error(), aws::ops::kListServiceLevelObjectives));
    co_return;
  }
  std::vector<std::string> names;
  for (const auto& s : page->items)
    if (auto n = jv::str(jv::as_obj(s), "Name"); !n.empty()) names.push_back(n);
  if (names.empty()) co_return;
  json::object data_input = breached_input(names, *st);
  auto data = co_await st->clients->cloudwatch.call(aws::ops::kGetMetricData, data_input);
  if (!data) {
    h.problems.push_back(problem(data.error(), aws::ops::kGetMetricData));
    co_return;
  }
  std::vector<int> state(names.size(), -1);  // -1 no data, 0 ok, 1 breached
  for (const auto& r : jv::arr(jv::as_obj(*data), "MetricDataResults")) {
    std::string id = jv::str(jv::as_obj(r), "Id");
    if (id.rfind("slo", 0) != 0) continue;
    std::size_t k = std::stoul(id.substr(3));
    if (k >= names.size()) continue;
    for (const auto& v : jv::arr(jv::as_obj(r), "Values")) {
      if (!v.is_number()) continue;
      state[k] = std::max(state[k], v.to_number<double>() > 0 ? 1 : 0);
    }
  }
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (state[k] == 1) h.breached.push_back(names[k]);
    if (state[k] == 0) h.healthy_slos.push_back(names[k]);
  }
  if (h.breached.empty() && h.healthy_slos.empty()) co_return;  // no SLO data: fall back to metrics
  h.basis = "SLOs";
  h.status = h.breached.empty() ? "OK" : "CRITICAL";
  for (const auto& b : h.breached) h.findings.push_back("SLO breached: " + b);
}

boost::asio::awaitable<void> check_metrics(std::shared_ptr<State> st, std::size_t i) {
  auto& h = st->health[i];
  const auto& keys = jv::obj(st->members[i], "KeyAttributes");
  h.basis = "metrics";
  for (int m = 0; m < 3; ++m) {
    std::string_view metric = m == 0 ? "Fault" : m == 1 ? "Error" : "Latency";
    bool p99 = m == 2;
    json::object input = statistics_input(keys, metric, p99, *st);
    auto res = co_await st->clients->cloudwatch.call(aws::ops::kGetMetricStatistics, input);
    if (!res) {
      h.problems.push_back(problem(res.error(), aws::ops::kGetMetricStatistics));
      co_return;
    }
    auto v = fold_statistics(*res, p99);
    if (!v) continue;
    if (m == 0) {
      h.fault_pct = *v * 100.0;
      judge(h, "fault rate", *h.fault_pct, st->limits.fault_warning, st->limits.fault_critical, "%");
    } else if (m == 1) {
      h.error_pct = *v * 100.0;
      judge(h, "error rate", *h.error_pct, st->limits.error_warning, st->limits.error_critical, "%");
    } else {
      h.p99_ms = *v;
      judge(h, "p99 latency", *h.p99_ms, st->limits.latency_warning, st->limits.latency_critical, " ms");
    }
  }
}

boost::asio::awaitable<void> check_service(std::shared_ptr<State> st, std::size_t i) {
  co_await check_slos(st, i);
  if (st->health[i].basis.empty()) co_await check_metrics(st, i);
}

std::string service_block(const json::object& member, const Health& h) {
  std::string out = "- " + service_label(member) + ": " + h.status;
  if (!h.basis.empty()) out += " (by " + h.basis + ")";
  out += "\n";
  if (h.basis == "SLOs") {
    if (!h.breached.empty()) {
      out += "  Breached SLOs:";
      for (const auto& b : h.breached) out += " " + b;
      out += "\n";
    }
    if (!h.healthy_slos.empty()) {
      out += "  SLOs met:";
      for (const auto& b : h.healthy_slos) out += " " + b;
      out += "\n";
    }
  } else if (h.basis == "metrics") {
    out += "  Fault rate: " + (h.fault_pct ? fixed(*h.fault_pct) + "%" : std::string("no data")) +
           " | Error rate: " + (h.error_pct ? fixed(*h.error_pct) + "%" : std::string("no data")) +
           " | p99 latency: " + (h.p99_ms ? fixed(*h.p99_ms) + " ms" : std::string("no data")) + "\n";
    for (const auto& f : h.findings) out += "  " + f + "\n";
  }
  for (const auto& p : h.problems) out += "  not read: " + p + "\n";
  return out;
}

boost::asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  auto window = group_window(call);
  if (!window) co_return argument_failure(window.error());
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kListServices);
  std::string group = call.args.str("group_name");
  auto st = std::make_shared<State>();
  st->clients = *clients;
  st->start = epoch_seconds(window->start);
  st->end = epoch_seconds(window->end);
  std::int64_t length = st->end - st->start;
  st->period = std::max<std::int64_t>(60, ((length / 1440) + 59) / 60 * 60);  // at most 1440 points per series
  Thresholds& t = st->limits;
  const auto& a = call.args.object();
  auto num = [&a](std::string_view key, double def) { return jv::num(a, key).value_or(def); };
  t.fault_warning = num("fault_threshold_warning", t.fault_warning);
  t.fault_critical = num("fault_threshold_critical", t.fault_critical);
  t.error_warning = num("error_threshold_warning", t.error_warning);
  t.error_critical = num("error_threshold_critical", t.error_critical);
  t.latency_warning = num("latency_p99_threshold_warning", t.latency_warning);
  t.latency_critical = num("latency_p99_threshold_critical", t.latency_critical);

  auto services = co_await list_services(st->clients, st->start, st->end);
  if (!services) co_return aws_failure(services.error(), aws::ops::kListServices);
  st->members = members_of(*services, group);
  if (st->members.empty()) co_return no_such_group(group, *services, "audit_group_health");
  st->health.resize(st->members.size());
  FanoutWork work = [st](std::size_t i) { return check_service(st, i); };
  std::size_t count = st->members.size();
  std::size_t limit = kFanout;
  co_await for_each_bounded(count, limit, work);

  std::vector<json::object> keys;
  for (const auto& m : st->members) keys.push_back(jv::obj(m, "KeyAttributes"));
  auto canaries = co_await audit::correlate_canaries(st->clients, keys, st->start, st->end);

  std::size_t critical = 0, warning = 0, ok = 0, unknown = 0;
  std::string overall = "UNKNOWN";
  for (const auto& h : st->health) {
    critical += h.status == "CRITICAL";
    warning += h.status == "WARNING";
    ok += h.status == "OK";
    unknown += h.status == "UNKNOWN";
    if (rank(h.status) > rank(overall)) overall = h.status;
  }
  std::size_t failing_canaries = 0;
  for (const auto& c : canaries.canaries) failing_canaries += c.failing() ? 1 : 0;
  if (failing_canaries > 0 && rank(overall) < rank("WARNING")) overall = "WARNING";

  // Most severe first.
  std::vector<std::size_t> order(st->members.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&st](std::size_t x, std::size_t y) {
    return rank(st->health[x].status) > rank(st->health[y].status);
  });

  std::string out = header("Group health audit", group, *window, call.default_region(), st->members.size());
  out += "Thresholds: fault rate " + number(t.fault_warning) + "% / " + number(t.fault_critical) + "%, error rate " +
         number(t.error_warning) + "% / " + number(t.error_critical) + "%, p99 latency " + number(t.latency_warning) +
         " / " + number(t.latency_critical) + " ms (warning / critical; used for services without SLO data)\n";
  out += "\nHealth summary\n";
  out += "Overall status: " + overall + "\n";
  out += "Services: " + std::to_string(critical) + " critical, " + std::to_string(warning) + " warning, " +
         std::to_string(ok) + " healthy, " + std::to_string(unknown) + " unknown (no data)\n";
  if (critical + warning > 0) {
    out += "Needs attention:\n";
    for (auto i : order) {
      const auto& h = st->health[i];
      if (h.status != "CRITICAL" && h.status != "WARNING") continue;
      out += "- " + h.status + " " + service_name(st->members[i]) + ": ";
      for (std::size_t k = 0; k < h.findings.size(); ++k) out += (k ? "; " : "") + h.findings[k];
      out += "\n";
    }
  }
  out += "\nServices:\n";
  for (auto i : order) out += service_block(st->members[i], st->health[i]);
  out += audit::render_canaries(canaries, "the group's services");
  out += "\nNext steps:\n";
  bool any = false;
  for (auto i : order) {
    const auto& h = st->health[i];
    if (h.status != "CRITICAL" && h.status != "WARNING") continue;
    if (!h.breached.empty())
      out += "- audit_slos(slo_targets='[{\"Type\":\"slo\",\"Data\":{\"Slo\":{\"SloName\":\"" + h.breached.front() +
             "\"}}}]') explains the breach of " + h.breached.front() + "\n";
    else
      out += "- audit_services(service_targets='[{\"Type\":\"service\",\"Service\":\"" + service_name(st->members[i]) +
             "\"}]', auditors='all') finds the cause for " + service_name(st->members[i]) + "\n";
    any = true;
  }
  out += "- get_group_changes(group_name=\"" + group + "\") shows what was deployed or reconfigured in the window\n";
  if (!any) out += "- the group looks healthy; get_group_dependencies shows what it relies on\n";
  co_return mcp::ToolResult::text(out);
}

ArgSpec threshold(std::string name, std::string description, double def, double max) {
  return arg::number(std::move(name), std::move(description), def, 0, max);
}

}  // namespace

ToolEntry audit_group_health_tool() {
  ToolSpec spec;
  spec.name = "audit_group_health";
  spec.title = "Audit the health of a group";
  spec.description =
      "Health check of every service in a group (team, business unit or any grouping attribute; group_name "
      "matches GroupName, GroupValue or GroupIdentifier ignoring case, '*x*' for a substring). Per service, SLOs "
      "come first: any breached SLO makes it CRITICAL. A service without SLO data is judged on its fault rate, "
      "error rate (percent of requests) and p99 latency (ms) against the thresholds (strictly greater = WARNING "
      "or CRITICAL). Adds the Synthetics canaries that depend on the group's services (failing ones flagged) and "
      "a health summary: counts, overall status, what needs attention and next steps. Default window: the last 3 "
      "hours. An unknown group lists the available ones.";
  spec.args = group_args();
  spec.args.push_back(threshold("fault_threshold_warning", "Fault rate (%) above which a service is WARNING (default 1.0).", 1.0, 100.0));
  spec.args.push_back(threshold("fault_threshold_critical", "Fault rate (%) above which a service is CRITICAL (default 5.0).", 5.0, 100.0));
  spec.args.push_back(threshold("error_threshold_warning", "Error rate (%) above which a service is WARNING (default 1.0).", 1.0, 100.0));
  spec.args.push_back(threshold("error_threshold_critical", "Error rate (%) above which a service is CRITICAL (default 5.0).", 5.0, 100.0));
  spec.args.push_back(threshold("latency_p99_threshold_warning", "p99 latency (ms) above which a service is WARNING (default 1000).", 1000.0, 3600000.0));
  spec.args.push_back(threshold("latency_p99_threshold_critical", "p99 latency (ms) above which a service is CRITICAL (default 5000).", 5000.0, 3600000.0));
  spec.ops = {aws::ops::kListServices, aws::ops::kListServiceLevelObjectives, aws::ops::kGetMetricData,
              aws::ops::kGetMetricStatistics, aws::ops::kListServiceDependents, aws::ops::kGetCanaryRuns};
  spec.narrow_hint = "use a more specific group_name";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::groups

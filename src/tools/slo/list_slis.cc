// list_slis: for every service, its SLOs and whether each breached in the window (BreachedCount),
// with the Transaction Search status.
#include <chrono>
#include <map>

#include "tools/common/service_listing.h"
#include "tools/common/fanout.h"
#include "tools/common/time_args.h"
#include "tools/common/tool_errors.h"
#include "tools/slo/slo_common.h"
#include "tools/toolsets.h"

namespace appsignals::tools::slo {

namespace {

constexpr std::size_t kFanout = 8;
constexpr std::size_t kQueriesPerCall = 500;

struct ServiceReport {
  json::object keys;
  std::vector<std::string> slos;
  std::vector<std::string> breached;
  std::vector<std::string> ok;
  std::vector<std::string> no_data;
  std::optional<Error> error;   // this service could not be checked: reported as insufficient data
  const aws::Op* failed_op = nullptr;
};

struct State {
  std::shared_ptr<const aws::AwsClients> clients;
  std::vector<json::object> services;
  std::vector<ServiceReport> reports;
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::int64_t period = 0;
};

json::object slos_input(const json::object& keys) {
  json::object input;
  input["KeyAttributes"] = keys;
  input["IncludeLinkedAccounts"] = true;
  input["MaxResults"] = 50;
  return input;
}

json::object breached_input(const std::vector<std::string>& names, std::size_t from, std::size_t to,
                            const State& st, const std::string& next_token) {
  json::array queries;
  for (std::size_t i = from; i < to; ++i) {
    json::object dim{{"Name", "SloName"}, {"Value", names[i]}};
    json::object metric{{"Namespace", "AWS/ApplicationSignals"}, {"MetricName", "BreachedCount"},
                        {"Dimensions", json::array{dim}}};
    json::object stat{{"Metric", std::move(metric)}, {"Period", st.period}, {"Stat", "Maximum"}};
    queries.push_back(json::object{{"Id", "slo" + std::to_string(i)}, {"MetricStat", std::move(stat)}, {"ReturnData", true}});
  }
  json::object input{{"MetricDataQueries", std::move(queries)}, {"StartTime", st.start}, {"EndTime", st.end}};
  if (!next_token.empty()) input["NextToken"] = next_token;
  return input;
}

// Folds one GetMetricData page into per-query maxima (index → highest value seen).
std::string fold_results(const json::value& page, std::map<std::size_t, double>& maxima) {
  if (!page.is_object()) return {};
  for (const auto& r : arr(page.get_object(), "MetricDataResults")) {
    if (!r.is_object()) continue;
    std::string id = str(r.get_object(), "Id");
    if (id.rfind("slo", 0) != 0) continue;
    std::size_t index = std::stoul(id.substr(3));
    for (const auto& v : arr(r.get_object(), "Values")) {
      if (!v.is_number()) continue;
      double d = v.to_number<double>();
      auto it = maxima.find(index);
      if (it == maxima.end() || d > it->second) maxima[index] = d;
    }
  }
  return str(page.get_object(), "NextToken");
}

boost::asio::awaitable<void> check_service(std::shared_ptr<State> st, std::size_t i) {
  auto& report = st->reports[i];
  report.keys = obj(st->services[i], "KeyAttributes");
  json::object input = slos_input(report.keys);
  int max_pages = 10;
  auto page = co_await st->clients->application_signals.paginate(aws::ops::kListServiceLevelObjectives, input, max_pages);
  if (!page) {
    report.error = std::move(page).error();
    report.failed_op = &aws::ops::kListServiceLevelObjectives;
    co_return;
  }
  for (const auto& s : page->items)
    if (s.is_object()) report.slos.push_back(str(s.get_object(), "Name"));
  std::map<std::size_t, double> maxima;
  for (std::size_t from = 0; from < report.slos.size(); from += kQueriesPerCall) {
    std::size_t to = std::min(report.slos.size(), from + kQueriesPerCall);
    std::string token;
    do {
      json::object data_input = breached_input(report.slos, from, to, *st, token);
      auto data = co_await st->clients->cloudwatch.call(aws::ops::kGetMetricData, data_input);
      if (!data) {
        report.error = std::move(data).error();
        report.failed_op = &aws::ops::kGetMetricData;
        co_return;
      }
      token = fold_results(*data, maxima);
    } while (!token.empty());
  }
  for (std::size_t k = 0; k < report.slos.size(); ++k) {
    auto it = maxima.find(k);
    if (it == maxima.end()) report.no_data.push_back(report.slos[k]);
    else if (it->second > 0) report.breached.push_back(report.slos[k]);
    else report.ok.push_back(report.slos[k]);
  }
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string service_label(const ServiceReport& r) {
  std::string env = str(r.keys, "Environment");
  return str(r.keys, "Name") + (env.empty() ? "" : " (" + env + ")");
}

// Why a service could not be checked, with the IAM action when that is the reason.
std::string failure_reason(const ServiceReport& r) {
  std::string reason = r.error->message;
  if (reason.size() > 160) reason = reason.substr(0, 157) + "...";
  std::string out = "could not be checked (" + std::string(r.failed_op->name) + " failed: " + reason + ")";
  if (r.error->code == ErrorCode::kPermissionDenied)
    out += "; grant " + std::string(r.failed_op->iam_action) + " to the server's AWS role";
  else if (r.error->code == ErrorCode::kResourceExhausted)
    out += "; AWS throttled it, retry later or with fewer hours";
  return out;
}

std::string render(const State& st, std::int64_t hours, const std::string& transaction_search) {
  std::vector<const ServiceReport*> breached, healthy, no_data;
  std::size_t slo_total = 0, slo_breached = 0, slo_ok = 0, slo_no_data = 0, failed = 0;
  for (const auto& r : st.reports) {
    if (r.error) {
      ++failed;
      no_data.push_back(&r);
      continue;
    }
    slo_total += r.slos.size();
    slo_breached += r.breached.size();
    slo_ok += r.ok.size();
    slo_no_data += r.no_data.size();
    if (!r.breached.empty()) breached.push_back(&r);
    else if (!r.ok.empty()) healthy.push_back(&r);
    else no_data.push_back(&r);
  }
  std::string out = "SLI status, last " + std::to_string(hours) + " hour" + (hours == 1 ? "" : "s") + " (" +
                    format_utc(TimePoint(std::chrono::seconds(st.start))) + " to " +
                    format_utc(TimePoint(std::chrono::seconds(st.end))) + ")\n" + transaction_search + "\n";
  out += "\nSummary: " + std::to_string(st.reports.size()) + " services, " + std::to_string(slo_total) + " SLOs\n";
  out += "• Breached: " + std::to_string(breached.size()) + " services (" + std::to_string(slo_breached) + " SLOs)\n";
  out += "• OK: " + std::to_string(healthy.size()) + " services (" + std::to_string(slo_ok) + " SLOs)\n";
  out += "• Insufficient data: " + std::to_string(no_data.size()) + " services without SLOs or without data (" +
         std::to_string(slo_no_data) + " SLOs without data" +
         (failed ? ", " + std::to_string(failed) + " services could not be checked" : std::string()) + ")\n";
  if (!breached.empty()) {
    out += "\nBreached services:\n";
    for (const auto* r : breached) {
      out += "• " + service_label(*r) + ": " + std::to_string(r->breached.size()) + " of " +
             std::to_string(r->slos.size()) + " SLOs breached: " + join(r->breached) + "\n";
      if (!r->ok.empty()) out += "  OK: " + join(r->ok) + "\n";
      if (!r->no_data.empty()) out += "  No data: " + join(r->no_data) + "\n";
    }
  }
  if (!healthy.empty()) {
    out += "\nHealthy services:\n";
    for (const auto* r : healthy) {
      out += "• " + service_label(*r) + ": " + std::to_string(r->ok.size()) + " SLOs OK: " + join(r->ok) + "\n";
      if (!r->no_data.empty()) out += "  No data: " + join(r->no_data) + "\n";
    }
  }
  if (!no_data.empty()) {
    out += "\nServices with insufficient data:\n";
    for (const auto* r : no_data)
      out += "• " + service_label(*r) + ": " +
             (r->error          ? "INSUFFICIENT_DATA: " + failure_reason(*r)
              : r->slos.empty() ? std::string("no SLOs")
                                : "no BreachedCount data for " + join(r->no_data)) +
             "\n";
  }
  out += "\nNext: ";
  if (!breached.empty())
    out += "audit_slos with {\"Type\":\"slo\",\"Data\":{\"Slo\":{\"SloName\":\"" + breached.front()->breached.front() +
           "\"}}} to find out why it breached, get_slo for its configuration";
  else
    out += "get_slo for an SLO's configuration, audit_services for services without SLOs";
  out += ".";
  return out;
}

std::string transaction_search_line(const Result<json::value>& r) {
  if (!r)
    return "Transaction Search: status unknown (" + r.error().message +
           "; reading it needs xray:GetTraceSegmentDestination)";
  std::string dest, status;
  if (r->is_object()) {
    dest = str(r->get_object(), "Destination");
    status = str(r->get_object(), "Status");
  }
  if (dest == "CloudWatchLogs" && status == "ACTIVE")
    return "Transaction Search: enabled (spans go to CloudWatch Logs; search_transaction_spans sees 100% of them)";
  return "Transaction Search: not enabled (destination " + (dest.empty() ? "unknown" : dest) + ", status " +
         (status.empty() ? "unknown" : status) + "); only sampled X-Ray traces are available";
}

boost::asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  std::int64_t hours = call.args.integer("hours", 24);
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kListServices);
  auto st = std::make_shared<State>();
  st->clients = *clients;
  st->end = epoch_seconds(call.now());
  st->start = st->end - hours * 3600;
  st->period = hours * 3600;

  auto listed = co_await list_service_summaries(st->clients, st->start, st->end);
  if (!listed) co_return aws_failure(listed.error(), aws::ops::kListServices);
  st->services = std::move(listed->services);
  st->reports.resize(st->services.size());

  FanoutWork work = [st](std::size_t i) { return check_service(st, i); };
  std::size_t count = st->services.size();
  std::size_t limit = kFanout;
  co_await for_each_bounded(count, limit, work);
  // A service whose SLOs could not be read degrades to insufficient data with its reason; only
  // when every service failed the same way is the call itself a failure.
  std::size_t failed = 0;
  for (const auto& r : st->reports) failed += r.error ? 1 : 0;
  if (failed > 0 && failed == st->reports.size() && st->reports.front().error)
    co_return aws_failure(*st->reports.front().error, *st->reports.front().failed_op);

  json::object xray_input;
  auto destination = co_await st->clients->xray.call(aws::ops::kGetTraceSegmentDestination, xray_input);
  co_return mcp::ToolResult::text(render(*st, hours, transaction_search_line(destination)));
}

}  // namespace

ToolEntry list_slis_tool() {
  ToolSpec spec;
  spec.name = "list_slis";
  spec.title = "List SLI status";
  spec.description =
      "Health report of every service's SLOs over the last `hours` hours: for each service (all pages of "
      "ListServices) its SLOs and whether each breached (CloudWatch BreachedCount), with counts of breached, "
      "OK and insufficient-data services and SLOs, then the breached, healthy and no-data services by name, "
      "and whether Transaction Search is enabled. A service that cannot be read is listed as insufficient "
      "data with the reason; the report goes on. Use it for a quick 'what is breaching right now' overview; "
      "then audit_slos (why an SLO breached) or audit_services (a service's health), get_slo for configuration.";
  spec.args = {arg::hours("hours", "Look-back window in hours, 1 to 24 (more is capped at 24).", 24, 1, 24),
               arg::region()};
  spec.ops = {aws::ops::kListServices, aws::ops::kListServiceLevelObjectives, aws::ops::kGetMetricData,
              aws::ops::kGetTraceSegmentDestination};
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::slo

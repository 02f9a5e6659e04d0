// get_endpoint_performance: per-endpoint traffic, faults, errors and latency. With a service
// named, from Application Signals (ListServices to find it, ListServiceOperations, one
// GetMetricData call over the operations' Latency, Fault and Error metrics); otherwise from the
// hourly endpoint summaries in the service-events log groups.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "tools/common/json_access.h"
#include "tools/common/name_match.h"
#include "tools/common/service_listing.h"
#include "tools/service_events/scope_args.h"
#include "tools/service_events/se_common.h"
#include "tools/service_events/service_events_tools.h"

namespace appsignals::tools::service_events {
namespace {

namespace asio = boost::asio;

constexpr std::size_t kMaxOperations = 100;  // 5 GetMetricData queries each, 500 at most per call

// 99, "99.9", "p99", "P95" → the percentile as a number; 0 < p < 100.
Result<json::value> read_percentile(const json::value& v, Notes&) {
  if (v.is_number()) {
    double p = v.to_number<double>();
    if (p > 0 && p < 100) return json::value(p);
  } else if (v.is_string()) {
    std::string text(v.as_string());
    while (!text.empty() && text.front() == ' ') text.erase(0, 1);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    if (!text.empty() && (text[0] == 'p' || text[0] == 'P')) text = text.substr(1);
    char* end = nullptr;
    double p = std::strtod(text.c_str(), &end);
    if (!text.empty() && *end == '\0' && p > 0 && p < 100) return json::value(p);
  }
  return Error(ErrorCode::kInvalidArgument, "must be a percentile between 0 and 100, e.g. 99, 95 or 99.9");
}

// The percentile as it is written in member names: 99 → "99", 99.9 → "99.9".
std::string percentile_text(const ToolCall& call) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", call.args.number("percentile", 99.0));
  return buf;
}

struct Endpoint {
  std::string service, operation;
  double requests = 0, faults = 0, errors = 0, latency_weighted = 0;
  std::optional<double> pct_ms;  // the highest hourly percentile
};

// The member name of the percentile: "p99_latency_ms", "p99.9_latency_ms".
std::string pct_key(const std::string& pct) { return "p" + pct + "_latency_ms"; }

json::object endpoint_json(const Endpoint& e, const std::string& pct, bool with_service, bool with_faults) {
  json::object o;
  if (with_service) o["service"] = e.service;
  o["operation"] = e.operation;
  o["requests"] = static_cast<std::int64_t>(std::llround(e.requests));
  if (with_faults) {
    o["faults"] = static_cast<std::int64_t>(std::llround(e.faults));
    o["fault_rate_pct"] = e.requests > 0 ? round1(100.0 * e.faults / e.requests) : 0.0;
  }
  o["errors"] = static_cast<std::int64_t>(std::llround(e.errors));
  o["error_rate_pct"] = e.requests > 0 ? round1(100.0 * e.errors / e.requests) : 0.0;
  if (e.requests > 0) o["avg_latency_ms"] = round1(e.latency_weighted / e.requests);
  if (e.pct_ms) o[pct_key(pct)] = round1(*e.pct_ms);
  return o;
}

void rank(std::vector<Endpoint>& list) {
  std::stable_sort(list.begin(), list.end(), [](const Endpoint& a, const Endpoint& b) {
    double pa = a.pct_ms.value_or(0), pb = b.pct_ms.value_or(0);
    if (pa != pb) return pa > pb;
    return a.faults + a.errors > b.faults + b.errors;
  });
}

json::object metric_query(std::string id, const json::array& dims, std::string metric, std::string stat) {
  json::object m;
  m["Namespace"] = "ApplicationSignals";
  m["MetricName"] = std::move(metric);
  m["Dimensions"] = dims;
  json::object st;
  st["Metric"] = std::move(m);
  st["Period"] = 3600;
  st["Stat"] = std::move(stat);
  json::object q;
  q["Id"] = std::move(id);
  q["MetricStat"] = std::move(st);
  q["ReturnData"] = true;
  return q;
}

json::array operation_dims(const json::object& keys, const std::string& operation) {
  json::array dims;
  json::object env;
  env["Name"] = "Environment";
  env["Value"] = jv::str(keys, "Environment");
  dims.push_back(std::move(env));
  json::object op;
  op["Name"] = "Operation";
  op["Value"] = operation;
  dims.push_back(std::move(op));
  json::object svc;
  svc["Name"] = "Service";
  svc["Value"] = jv::str(keys, "Name");
  dims.push_back(std::move(svc));
  return dims;
}

json::object summary_keys_input(const json::object& keys, std::int64_t start, std::int64_t end) {
  json::object input;
  input["StartTime"] = start;
  input["EndTime"] = end;
  input["KeyAttributes"] = keys;
  input["MaxResults"] = 100;
  return input;
}

asio::awaitable<mcp::ToolResult> from_application_signals(ToolCall call, std::shared_ptr<const aws::AwsClients> clients) {
  const std::int64_t hours = call.args.integer("hours", 24);
  const std::int64_t limit = call.args.integer("limit", 20);
  const std::string wanted = call.args.str("service_name");
  const std::string environment = call.args.str("environment");
  const std::string operation = call.args.str("operation");
  const std::string pct = percentile_text(call);
  const std::int64_t now = now_seconds(call);
  const std::int64_t start = now - hours * 3600;
  auto listed = co_await list_service_summaries(clients, start, now);
  if (!listed) co_return aws_failure(listed.error(), aws::ops::kListServices);
  std::vector<std::string> names;
  for (const auto& s : listed->services) {
    const auto& keys = jv::obj(s, "KeyAttributes");
    if (jv::str(keys, "Type") != "Service") continue;
    if (!environment.empty() && jv::str(keys, "Environment") != environment) continue;
    names.push_back(jv::str(keys, "Name"));
  }
  auto resolved = resolve_name(wanted, names);
  if (!resolved.name) {
    std::string text = not_found_text("service", wanted, resolved, names.size());
    if (!environment.empty()) text += "\n(Only services in environment " + environment + " were considered.)";
    co_return mcp::ToolResult::error(text);
  }
  if (auto n = resolved.note("service", wanted); !n.empty()) call.note(n);
  json::object keys;
  std::vector<std::string> environments;
  for (const auto& s : listed->services) {
    const auto& k = jv::obj(s, "KeyAttributes");
    if (jv::str(k, "Type") != "Service" || jv::str(k, "Name") != *resolved.name) continue;
    if (!environment.empty() && jv::str(k, "Environment") != environment) continue;
    if (keys.empty()) keys = k;
    environments.push_back(jv::str(k, "Environment"));
  }
  if (environments.size() > 1)
    call.note("The service runs in " + std::to_string(environments.size()) + " environments; showing " +
              jv::str(keys, "Environment") + " (choose with environment).");

  // ListServiceOperations answers for at most 24 hours: the operations are those of the last day
  // (or of the window when shorter); their metrics cover the whole window.
  json::object ops_input = summary_keys_input(keys, std::max(start, now - 24 * 3600), now);
  int max_pages = 5;
  auto ops = co_await clients->application_signals.paginate(aws::ops::kListServiceOperations, ops_input, max_pages);
  if (!ops) co_return aws_failure(ops.error(), aws::ops::kListServiceOperations);
  std::vector<std::string> op_names;
  for (const auto& o : ops->items) op_names.push_back(jv::str(jv::as_obj(o), "Name"));
  if (!operation.empty()) {
    auto r = resolve_name(operation, op_names);
    if (!r.name) {
      std::string text = not_found_text("operation of " + *resolved.name, operation, r, op_names.size());
      co_return mcp::ToolResult::error(text);
    }
    if (auto n = r.note("operation", operation); !n.empty()) call.note(n);
    op_names.assign(1, *r.name);
  }
  if (op_names.size() > kMaxOperations) {
    call.note("Only the first " + std::to_string(kMaxOperations) + " of " + std::to_string(op_names.size()) +
              " operations are measured; name one with operation.");
    op_names.resize(kMaxOperations);
  }
  std::vector<Endpoint> endpoints(op_names.size());
  if (!op_names.empty()) {
    json::array queries;
    for (std::size_t i = 0; i < op_names.size(); ++i) {
      endpoints[i].service = *resolved.name;
      endpoints[i].operation = op_names[i];
      json::array dims = operation_dims(keys, op_names[i]);
      const std::string n = std::to_string(i);
      queries.push_back(metric_query("req" + n, dims, "Latency", "SampleCount"));
      queries.push_back(metric_query("lat" + n, dims, "Latency", "Sum"));
      queries.push_back(metric_query("pct" + n, dims, "Latency", "p" + pct));
      queries.push_back(metric_query("flt" + n, dims, "Fault", "Sum"));
      queries.push_back(metric_query("err" + n, dims, "Error", "Sum"));
    }
    json::object data_input;
    data_input["MetricDataQueries"] = std::move(queries);
    data_input["StartTime"] = start / 3600 * 3600;
    data_input["EndTime"] = now;
    auto data = co_await clients->cloudwatch.call(aws::ops::kGetMetricData, data_input);
    if (!data) co_return aws_failure(data.error(), aws::ops::kGetMetricData);
    for (const auto& r_v : jv::arr(jv::as_obj(*data), "MetricDataResults")) {
      const auto& r = jv::as_obj(r_v);
      std::string id = jv::str(r, "Id");
      if (id.size() < 4) continue;
      std::size_t k = std::strtoul(id.c_str() + 3, nullptr, 10);
      if (k >= endpoints.size()) continue;
      Endpoint& e = endpoints[k];
      std::string kind = id.substr(0, 3);
      for (const auto& v : jv::arr(r, "Values")) {
        if (!v.is_number()) continue;
        double x = v.to_number<double>();
        if (kind == "req") e.requests += x;
        else if (kind == "lat") e.latency_weighted += x;
        else if (kind == "flt") e.faults += x;
        else if (kind == "err") e.errors += x;
        else if (kind == "pct") e.pct_ms = std::max(e.pct_ms.value_or(0), x);
      }
    }
  }
  rank(endpoints);
  json::array list;
  for (std::size_t i = 0; i < endpoints.size() && static_cast<std::int64_t>(i) < limit; ++i)
    list.push_back(endpoint_json(endpoints[i], pct, false, true));
  json::object out;
  out["data_source"] = "application_signals";
  out["service_name"] = *resolved.name;
  out["environment"] = jv::str(keys, "Environment");
  out["time_range_hours"] = hours;
  out["percentile"] = pct;
  out["latency_basis"] = "avg_latency_ms over the window; " + pct_key(pct) + " is the highest hourly p" + pct;
  out["total_endpoints"] = static_cast<std::int64_t>(endpoints.size());
  if (static_cast<std::int64_t>(endpoints.size()) > limit)
    out["more"] = std::to_string(endpoints.size() - static_cast<std::size_t>(limit)) +
                  " more endpoints are not listed; raise limit or name one with operation.";
  out["endpoints"] = std::move(list);
  if (endpoints.empty())
    out["message"] = "No operation of this service received traffic in the window; raise hours.";
  co_return mcp::ToolResult::structured(std::move(out));
}

// The summary's percentile member for `pct`: p50 and p99 are recorded; others use the nearer one.
std::string summary_member(const std::string& pct) {
  return std::strtod(pct.c_str(), nullptr) >= 75 ? "aws.service_events.p99_duration_ms"
                                                  : "aws.service_events.p50_duration_ms";
}

asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  auto clients_r = call.aws();
  if (!clients_r) co_return aws_failure(clients_r.error(), aws::ops::kListServices);
  auto clients = *clients_r;
  if (call.args.has("service_name") && !call.args.str("service_name").empty())
    co_return co_await from_application_signals(call, clients);

  const std::int64_t hours = call.args.integer("hours", 24);
  const std::int64_t limit = call.args.integer("limit", 20);
  const std::string environment = call.args.str("environment");
  const std::string operation = call.args.str("operation");
  const std::string pct = percentile_text(call);
  const std::int64_t now = now_seconds(call);
  std::string no_service;
  auto groups_r = co_await event_groups(clients, no_service);
  if (auto* f = std::get_if<Failure>(&groups_r)) co_return aws_failure(f->error, f->op);
  auto groups = std::get<std::vector<std::string>>(std::move(groups_r));
  std::string event = "aws.service_events.endpoint_summary";
  std::string no_filter;
  auto found = co_await query_events(clients, groups, event, now - hours * 3600, now, 10000, no_filter);
  if (auto* f = std::get_if<Failure>(&found)) co_return aws_failure(f->error, f->op);
  if (pct != "50" && pct != "99")
    call.note("Endpoint summaries record p50 and p99 only: percentile " + pct + " is answered with " +
              (summary_member(pct).find("p99") != std::string::npos ? "p99." : "p50."));
  const std::string member = summary_member(pct);
  const std::string shown_pct = member.find("p99") != std::string::npos ? "99" : "50";
  std::map<std::pair<std::string, std::string>, Endpoint> agg;
  std::vector<std::string> all_ops;
  for (const auto& r_v : std::get<json::array>(found)) {
    const auto& r = jv::as_obj(r_v);
    if (!environment.empty() && attr(r, "resource", "deployment.environment.name") != environment) continue;
    const auto& a = jv::obj(r, "attributes");
    std::string op = jv::str(a, "aws.service_events.operation");
    all_ops.push_back(op);
    Endpoint& e = agg[std::make_pair(attr(r, "resource", "service.name"), op)];
    e.service = attr(r, "resource", "service.name");
    e.operation = op;
    double n = jv::num(a, "aws.service_events.request_count").value_or(0);
    e.requests += n;
    e.errors += jv::num(a, "aws.service_events.error_count").value_or(0);
    e.latency_weighted += n * jv::num(a, "aws.service_events.avg_duration_ms").value_or(0);
    if (auto p = jv::num(a, member)) e.pct_ms = std::max(e.pct_ms.value_or(0), *p);
  }
  std::vector<Endpoint> endpoints;
  for (auto& [k, e] : agg) endpoints.push_back(std::move(e));
  if (!operation.empty()) {
    std::sort(all_ops.begin(), all_ops.end());
    all_ops.erase(std::unique(all_ops.begin(), all_ops.end()), all_ops.end());
    auto r = resolve_name(operation, all_ops);
    if (!r.name) {
      // A fragment ("charge") keeps every operation containing it.
      std::string w = operation;
      for (auto& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::erase_if(endpoints, [&](const Endpoint& e) {
        std::string o = e.operation;
        for (auto& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return o.find(w) == std::string::npos;
      });
      if (endpoints.empty()) co_return mcp::ToolResult::error(not_found_text("endpoint", operation, r, all_ops.size()));
    } else {
      if (auto n = r.note("operation", operation); !n.empty()) call.note(n);
      std::erase_if(endpoints, [&](const Endpoint& e) { return e.operation != *r.name; });
    }
  }
  rank(endpoints);
  json::array list;
  for (std::size_t i = 0; i < endpoints.size() && static_cast<std::int64_t>(i) < limit; ++i)
    list.push_back(endpoint_json(endpoints[i], shown_pct, true, false));
  json::object out;
  out["data_source"] = "service_events";
  out["time_range_hours"] = hours;
  out["percentile"] = shown_pct;
  out["latency_basis"] = "avg_latency_ms over the window; " + pct_key(shown_pct) + " is the highest hourly p" +
                         shown_pct + " of the endpoint summaries";
  out["log_groups"] = static_cast<std::int64_t>(groups.size());
  out["total_endpoints"] = static_cast<std::int64_t>(endpoints.size());
  if (static_cast<std::int64_t>(endpoints.size()) > limit)
    out["more"] = std::to_string(endpoints.size() - static_cast<std::size_t>(limit)) +
                  " more endpoints are not listed; raise limit or name one with operation.";
  out["endpoints"] = std::move(list);
  if (groups.empty())
    out["message"] = "No service-events log group under " + log_group_prefix() +
                     ". Name a service (service_name) to read its Application Signals operation metrics instead.";
  else if (endpoints.empty())
    out["message"] = "No endpoint summary in this window; raise hours, or name a service (service_name) for its "
                     "Application Signals operation metrics.";
  co_return mcp::ToolResult::structured(std::move(out));
}

json::object output_schema() {
  json::object props;
  props["data_source"] = prop("string", "application_signals (service_name given) or service_events");
  props["service_name"] = prop("string", "The service measured (application_signals)");
  props["environment"] = prop("string", "Its environment (application_signals)");
  props["time_range_hours"] = prop("integer", "The window");
  props["percentile"] = prop("string", "The latency percentile reported");
  props["latency_basis"] = prop("string", "How the latency numbers are computed");
  props["log_groups"] = prop("integer", "Service-events log groups read (service_events)");
  props["total_endpoints"] = prop("integer", "Endpoints measured");
  json::object e = prop("array",
                        "Slowest first (by the percentile): service, operation, requests, faults, fault_rate_pct, "
                        "errors, error_rate_pct, avg_latency_ms, p<N>_latency_ms");
  e["items"] = json::object{{"type", "object"}};
  props["endpoints"] = std::move(e);
  props["more"] = prop("string", "How many endpoints were left out");
  props["message"] = prop("string", "Why the list is empty");
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  schema["required"] = json::array{"data_source", "endpoints"};
  return schema;
}

}  // namespace

ToolEntry get_endpoint_performance_tool() {
  ToolSpec spec;
  spec.name = "get_endpoint_performance";
  spec.title = "Endpoint performance";
  spec.description =
      "Per-endpoint (operation) traffic, errors and latency, slowest first. With service_name: that service's "
      "Application Signals operation metrics (requests, faults, errors, average and the highest hourly "
      "percentile latency) from CloudWatch. Without it: the hourly endpoint summaries that Application Signals "
      "service events write to CloudWatch Logs, across every service (p50 and p99 recorded). Narrow with "
      "operation (exact name or a fragment such as \"charge\") and environment.";
  spec.args = {
      arg::hours("hours", "Window in hours before now.", 24, 1, 168),
      arg::string("operation", "One endpoint, e.g. \"POST /payments/charge\" (a fragment matches several).")
          .eg("\"POST /payments/charge\""),
      arg::integer("limit", "Most endpoints listed.", 20, 1, 100),
      service_name_arg(),
      environment_arg(),
      arg::number("percentile", "Latency percentile, above 0 and below 100 (99, 95, 99.9; \"p99\" works).", 99.0, 0,
                  100)
          .read_with(&read_percentile),
  };
  spec.ops = {aws::ops::kListServices,      aws::ops::kListServiceOperations, aws::ops::kGetMetricData,
              aws::ops::kDescribeLogGroups, aws::ops::kStartQuery,            aws::ops::kGetQueryResults,
              aws::ops::kStopQuery};
  spec.output_schema = output_schema();
  spec.narrow_hint = "lower limit, or name the service / operation";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::service_events

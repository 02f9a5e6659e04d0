#include "fakeaws/services/service_events_data.h"

#include <cstdio>
#include <ctime>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "fakeaws/services/traces_data.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

namespace {

constexpr std::string_view kEcs = "ecs:shop-cluster";

struct Fn {
  std::string_view service;
  std::string_view name;
  std::string_view at_line;
  std::string_view operation;
  double calls_per_min;
  double avg_us;
};

constexpr Fn kFunctions[] = {
    {"payments", "payments.charge.handle_request", "payments.charge.handle_request:57", "POST /payments/charge", 45, 118000},
    {"payments", "payments.ledger.write_entry", "payments.ledger.write_entry:88", "POST /payments/charge", 45, 8000},
    {"payments", "payments.fraud.score", "payments.fraud.score:31", "POST /payments/charge", 45, 24000},
    {"payments", "payments.events.publish", "payments.events.publish:19", "POST /payments/charge", 45, 6000},
    {"payments", "payments.refund.handle_request", "payments.refund.handle_request:40", "POST /payments/refund", 3, 105000},
    {"payments", "payments.lookup.get_payment", "payments.lookup.get_payment:22", "GET /payments/{id}", 30, 4000},
    {"checkout", "checkout.cart.price_items", "checkout.cart.price_items:64", "POST /checkout", 40, 30000},
    {"checkout", "checkout.payment.call_payments", "checkout.payment.call_payments:112", "POST /checkout", 40, 140000},
    {"inventory", "inventory.stock.reserve", "inventory.stock.reserve:73", "POST /inventory/reserve", 20, 152000},
};

struct Phase {
  bool after_deploy = false;
  bool incident = false;
};

Phase phase(std::int64_t anchor, std::int64_t minute) {
  std::int64_t before = anchor - minute;
  Phase p;
  p.after_deploy = before <= SampleAccount::kDeployment;
  p.incident = before <= SampleAccount::kIncidentStart && before > SampleAccount::kIncidentEnd;
  return p;
}

// (calls, errors, average µs of successes, average µs of errors) of a function in a minute.
struct Minute {
  double calls = 0, errors = 0, ok_us = 0, error_us = 0;
};

Minute minute_of(const Fn& f, std::int64_t anchor, std::int64_t minute) {
  Minute m;
  if (minute >= anchor) return m;
  Phase p = phase(anchor, minute);
  m.calls = f.calls_per_min;
  m.ok_us = f.avg_us;
  m.error_us = f.avg_us;
  if (f.name == kFailingFunction) {
    if (p.after_deploy) {
      m.ok_us = 31000;
      m.errors = 0.4;
      m.error_us = 42000;
    }
    if (p.incident) {
      m.ok_us = 640000;
      m.errors = 20;
      m.error_us = 1250000;
    }
  } else if (f.name == "payments.charge.handle_request" && p.incident) {
    m.ok_us = 760000;
    m.errors = 20;
    m.error_us = 1320000;
  } else if (f.name == "checkout.payment.call_payments" && p.incident) {
    m.ok_us = 820000;
    m.errors = 9;
    m.error_us = 1400000;
  }
  return m;
}

promql::Labels base_labels(std::string_view metric, std::string_view service) {
  return {{"__name__", std::string(metric)},
          {"@resource.service.name", std::string(service)},
          {"@resource.deployment.environment.name", std::string(kEcs)}};
}

struct Pattern {
  std::string_view service, operation, exception;
};
constexpr Pattern kPatterns[] = {
    {"payments", "POST /payments/charge", "ProvisionedThroughputExceededException"},
    {"payments", "POST /payments/charge", "ConditionalCheckFailedException"},
    {"payments", "POST /payments/refund", "ValidationException"},
    {"checkout", "POST /checkout", "PaymentServiceException"},
};

double pattern_rate(const Pattern& pt, std::int64_t anchor, std::int64_t minute) {
  if (minute >= anchor) return 0;
  Phase p = phase(anchor, minute);
  if (pt.exception == "ProvisionedThroughputExceededException") return p.incident ? 20 : 0;
  if (pt.exception == "ConditionalCheckFailedException") return p.after_deploy ? 0.4 : 0;
  if (pt.exception == "ValidationException") return 0.05;
  return p.incident ? 9 : 0;
}

std::string iso(std::int64_t epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string hex_id(std::string_view prefix, std::int64_t n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%012llx", std::string(prefix).c_str(),
                static_cast<unsigned long long>(n * 2654435761ULL % 0xffffffffffffULL));
  return buf;
}

json::object resource(std::string_view service, std::string_view commit) {
  json::object r{{"service.name", service}, {"deployment.environment.name", kEcs}, {"cloud.provider", "aws"},
                 {"cloud.platform", "aws_ecs"}};
  if (!commit.empty()) r["aws.service_events.deployment.id"] = commit;
  return r;
}

std::string_view commit_at(std::int64_t anchor, std::int64_t t) {
  return anchor - t <= SampleAccount::kDeployment ? kPaymentsCommit : kPaymentsPreviousCommit;
}

void push(std::vector<LogRecord>& out, std::int64_t t, std::int64_t start_ms, std::int64_t end_ms,
          std::string_view stream, const json::object& msg) {
  std::int64_t ms = t * 1000;
  if (ms < start_ms || ms > end_ms) return;
  out.push_back({ms, std::string(stream), json::serialize(msg), {}});
}

// A faulting trace of the incident near `t` (for the snapshot's trace correlation).
std::pair<std::string, std::string> trace_near(const LogSourceContext& ctx, std::int64_t t) {
  for (const auto& tr : traces_between(ctx.account, ctx.anchor, ctx.seed, static_cast<double>(t - 120),
                                       static_cast<double>(t + 120)))
    for (const auto& s : tr.spans)
      if (s.throttle && s.service == "payments") return {otel_trace_id(tr.id), s.span_id};
  return {};
}

json::object call_node(std::string_view fn, double ms, bool error, json::array children = {}) {
  json::object n{{"function", fn}, {"duration_ms", ms}};
  if (error) n["error"] = true;
  if (!children.empty()) n["children"] = std::move(children);
  return n;
}

json::object payments_snapshot(const LogSourceContext& ctx, std::int64_t t, std::string_view trigger) {
  bool exception = trigger == "exception";
  double total = exception ? 1321.6 : 1840.2;
  double write = exception ? 1268.4 : 1779.9;
  json::array dynamo{call_node("dynamodb.PutItem payments-ledger", write - 6.1, exception)};
  json::array top{call_node("payments.fraud.score", 24.3, false),
                  call_node("payments.ledger.write_entry", write, exception, std::move(dynamo)),
                  call_node("payments.events.publish", total - write - 24.3 - 4.0, false)};
  json::object attrs{{"aws.service_events.snapshot_id", hex_id(exception ? "snap-e" : "snap-l", t)},
                     {"aws.service_events.trigger_type", trigger},
                     {"aws.service_events.operation", "POST /payments/charge"},
                     {"aws.service_events.function", "payments.ledger.write_entry"},
                     {"aws.service_events.duration_ms", total},
                     {"http.response.status_code", exception ? 500 : 200}};
  auto [trace, span] = trace_near(ctx, t);
  if (!trace.empty()) {
    attrs["trace_id"] = trace;
    attrs["span_id"] = span;
  }
  json::object msg{{"eventName", "aws.service_events.incident_snapshot"},
                   {"timestamp", iso(t)},
                   {"resource", resource("payments", kPaymentsCommit)},
                   {"attributes", std::move(attrs)},
                   {"call_tree", call_node("payments.charge.handle_request", total, exception, std::move(top))},
                   {"request_context",
                    json::object{{"http.request.method", "POST"}, {"http.route", "/payments/charge"},
                                 {"user_agent.original", "checkout/3.2 (node)"}, {"payment.currency", "EUR"}}}};
  if (exception) {
    msg["exception"] = json::object{
        {"type", "ProvisionedThroughputExceededException"},
        {"message", "The level of configured provisioned throughput for the table payments-ledger was exceeded. "
                    "Consider increasing your provisioning level with the UpdateTable API."},
        {"stack_trace",
         "software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException: The level of "
         "configured provisioned throughput for the table payments-ledger was exceeded.\n"
         "\tat payments.ledger.LedgerRepository.putEntry(LedgerRepository.java:141)\n"
         "\tat payments.ledger.write_entry(Ledger.java:88)\n"
         "\tat payments.charge.handle_request(ChargeHandler.java:57)"}};
  } else {
    msg["latency_threshold_ms"] = 1000;
  }
  return msg;
}

}  // namespace

std::vector<promql::Series> service_event_series(const SampleAccount&, std::int64_t anchor) {
  std::vector<promql::Series> out;
  for (const Fn& f : kFunctions) {
    for (bool error : {false, true}) {
      promql::Series s;
      s.labels = base_labels("service.function.duration", f.service);
      s.labels["function.name"] = std::string(f.name);
      s.labels["aws.service_events.function_at_line"] = std::string(f.at_line);
      s.labels["operation"] = std::string(f.operation);
      s.labels["status"] = error ? "error" : "ok";
      s.kind = promql::SeriesKind::kHistogram;
      const Fn* fp = &f;
      s.at = [fp, anchor, error](std::int64_t minute) {
        Minute m = minute_of(*fp, anchor, minute);
        promql::Sample v;
        v.value = error ? m.errors : m.calls - m.errors;
        v.sum = v.value * (error ? m.error_us : m.ok_us);
        return v;
      };
      out.push_back(std::move(s));
    }
  }
  for (const Pattern& pt : kPatterns) {
    promql::Series s;
    s.labels = base_labels("count", pt.service);
    s.labels["operation"] = std::string(pt.operation);
    s.labels["exception"] = std::string(pt.exception);
    s.kind = promql::SeriesKind::kGauge;
    const Pattern* pp = &pt;
    s.at = [pp, anchor](std::int64_t minute) {
      promql::Sample v;
      v.value = pattern_rate(*pp, anchor, minute);
      return v;
    };
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> service_events_groups(const SampleAccount&) {
  return {std::string(kServiceEventsPrefix) + "checkout", std::string(kServiceEventsPrefix) + "payments"};
}

void service_events_records(const LogSourceContext& ctx, const std::string& group, std::int64_t start_ms,
                            std::int64_t end_ms, std::vector<LogRecord>& out) {
  const std::string service = group.substr(kServiceEventsPrefix.size());
  const std::int64_t anchor = ctx.anchor;
  const std::int64_t day = anchor - 24 * 3600;
  std::vector<LogRecord> recs;
  const std::string stream = service + "/service-events";

  // Endpoint summaries: one per operation and hour, from the function metrics of its entry function.
  for (std::int64_t h = day; h < anchor; h += 3600) {
    for (const Fn& f : kFunctions) {
      if (f.service != service) continue;
      bool entry = f.name.ends_with("handle_request") || f.name.ends_with("get_payment") ||
                   f.name == "checkout.payment.call_payments";
      if (!entry) continue;
      double calls = 0, errors = 0, sum_us = 0, max_us = 0;
      for (std::int64_t m = h; m < h + 3600; m += 60) {
        Minute mm = minute_of(f, anchor, m);
        calls += mm.calls;
        errors += mm.errors;
        sum_us += (mm.calls - mm.errors) * mm.ok_us + mm.errors * mm.error_us;
        max_us = std::max(max_us, std::max(mm.ok_us, mm.error_us));
      }
      if (calls <= 0) continue;
      double avg_ms = sum_us / calls / 1000.0;
      json::object attrs{{"aws.service_events.operation", f.operation},
                         {"aws.service_events.request_count", static_cast<std::int64_t>(calls)},
                         {"aws.service_events.error_count", static_cast<std::int64_t>(errors)},
                         {"aws.service_events.avg_duration_ms", std::round(avg_ms * 10) / 10},
                         {"aws.service_events.p50_duration_ms", std::round(avg_ms * 8) / 10},
                         {"aws.service_events.p99_duration_ms", std::round(max_us / 1000.0 * 18) / 10}};
      json::object msg{{"eventName", "aws.service_events.endpoint_summary"},
                       {"timestamp", iso(h + 3600)},
                       {"resource", resource(service, service == "payments" ? commit_at(anchor, h + 3600) : "")},
                       {"attributes", std::move(attrs)}};
      push(recs, h + 3600 - 1, start_ms, end_ms, stream, msg);
    }
  }

  if (service == "payments") {
    // Incident snapshots: exceptions and a latency outlier during the throttling.
    for (std::int64_t before : {126, 118, 110, 103})
      push(recs, anchor - before * 60, start_ms, end_ms, stream, payments_snapshot(ctx, anchor - before * 60, "exception"));
    push(recs, anchor - 122 * 60, start_ms, end_ms, stream, payments_snapshot(ctx, anchor - 122 * 60, "latency"));
    // Deployments: the previous commit a day earlier, the new one at kDeployment; periodic
    // heartbeats every two hours; the old task's shutdown when the new one starts.
    auto deployment = [&](std::int64_t t, std::string_view commit, std::int64_t deployed, std::string_view trigger) {
      json::object attrs{{"aws.service_events.deployment.git_commit_sha", commit},
                         {"aws.service_events.deployment.git_repo_url", kPaymentsRepo},
                         {"aws.service_events.deployment.url",
                          std::string(kPaymentsRepo) + "/actions/runs/" + std::to_string(deployed % 100000000)},
                         {"aws.service_events.deployment.timestamp", iso(deployed)},
                         {"aws.service_events.deployment.trigger", trigger}};
      json::object msg{{"eventName", "aws.service_events.deployment_event"},
                       {"timestamp", iso(t)},
                       {"resource", resource("payments", commit)},
                       {"attributes", std::move(attrs)}};
      push(recs, t, start_ms, end_ms, stream, msg);
    };
    const std::int64_t deployed = anchor - SampleAccount::kDeployment;
    const std::int64_t previous = anchor - 26 * 3600;
    deployment(previous, kPaymentsPreviousCommit, previous, "startup");
    for (std::int64_t t = previous + 7200; t < deployed; t += 7200)
      deployment(t, kPaymentsPreviousCommit, previous, "periodic");
    deployment(deployed - 30, kPaymentsPreviousCommit, previous, "shutdown");
    deployment(deployed, kPaymentsCommit, deployed, "startup");
    for (std::int64_t t = deployed + 7200; t < anchor; t += 7200) deployment(t, kPaymentsCommit, deployed, "periodic");
  }
  std::sort(recs.begin(), recs.end(),
            [](const LogRecord& a, const LogRecord& b) { return a.timestamp_ms < b.timestamp_ms; });
  for (auto& r : recs) out.push_back(std::move(r));
}

}  // namespace appsignals::fakeaws

#include <boost/beast/http/verb.hpp>
#include <set>

#include "fakeaws/wire.h"

namespace appsignals::fakeaws {

std::string promql_operation(std::string_view path) {
  if (path == "/api/v1/query" || path == "/api/v1/query_range") return "QueryMetrics";
  if (path == "/api/v1/series") return "GetSeries";
  if (path == "/api/v1/labels" || (path.starts_with("/api/v1/label/") && path.ends_with("/values"))) return "GetLabels";
  return {};
}

namespace {

net::Response prom_error(boost::beast::http::status st, std::string_view type, std::string_view message) {
  json::object body{{"status", "error"}, {"errorType", type}, {"error", message}};
  return net::json_response(st, json::serialize(body));
}

std::string url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::optional<std::int64_t> time_param(const std::string& v) {
  if (v.empty()) return std::nullopt;
  try {
    std::size_t used = 0;
    double d = std::stod(v, &used);
    if (used == v.size()) return static_cast<std::int64_t>(d);
  } catch (...) {
  }
  if (auto t = parse_rfc3339(v)) return static_cast<std::int64_t>(*t);
  return std::nullopt;
}

}  // namespace

net::Response promql_reply(std::string_view operation, const net::Request& request, std::int64_t anchor,
                           const SampleAccount& account, json::object& input, int& status) {
  namespace http = boost::beast::http;
  std::string_view text = request.message.method() == http::verb::post ? std::string_view(request.message.body())
                                                                         : request.query();
  std::map<std::string, std::string> params;
  std::vector<std::string> match;
  json::array match_json;
  for (auto& [k, v] : parse_form(text)) {
    if (k == "match[]") {
      match.push_back(v);
      match_json.push_back(json::string(v));
    } else {
      params[k] = v;
      input[k] = v;
    }
  }
  if (!match.empty()) input["match[]"] = std::move(match_json);
  auto fail = [&](std::string_view msg) {
    status = 400;
    return prom_error(http::status::bad_request, "bad_data", msg);
  };
  auto ok = [&](json::value data) {
    status = 200;
    json::object body{{"status", "success"}, {"data", std::move(data)}};
    return net::json_response(http::status::ok, json::serialize(body));
  };
  const auto series = service_event_series(account, anchor);
  std::string path(request.path());
  const std::int64_t now_s = anchor + 299;  // the fake's now (anchor is floored to 5 minutes)
  if (path == "/api/v1/query" || path == "/api/v1/query_range") {
    auto q = params.find("query");
    if (q == params.end() || q->second.empty()) return fail("invalid parameter \"query\": no query given");
    if (path == "/api/v1/query") {
      auto t = params.count("time") ? time_param(params["time"]) : std::optional<std::int64_t>(now_s);
      if (!t) return fail("invalid parameter \"time\"");
      auto r = promql::instant_query(q->second, *t, series);
      if (!r.ok()) return fail(r.error().message.substr(std::string_view("bad_data: ").size()));
      return ok(std::move(r).value());
    }
    auto start = time_param(params["start"]);
    auto end = time_param(params["end"]);
    auto step = time_param(params["step"]);
    if (!start || !end || !step) return fail("invalid parameter \"start\", \"end\" or \"step\"");
    auto r = promql::range_query(q->second, *start, *end, *step, series);
    if (!r.ok()) return fail(r.error().message.substr(std::string_view("bad_data: ").size()));
    return ok(std::move(r).value());
  }
  auto matched = promql::match_series(match, series);
  if (!matched.ok()) return fail(matched.error().message.substr(std::string_view("bad_data: ").size()));
  if (operation == "GetSeries") {
    if (match.empty()) return fail("no match[] parameter provided");
    json::array out;
    for (const auto* s : *matched) {
      json::object o;
      for (const auto& [k, v] : s->labels) o[k] = v;
      out.push_back(std::move(o));
    }
    return ok(std::move(out));
  }
  std::set<std::string> names;
  if (path == "/api/v1/labels") {
    for (const auto* s : *matched)
      for (const auto& [k, v] : s->labels) names.insert(k);
  } else {
    std::string label = url_decode(path.substr(14, path.size() - 14 - 7));
    for (const auto* s : *matched)
      if (auto it = s->labels.find(label); it != s->labels.end()) names.insert(it->second);
  }
  json::array out;
  for (const auto& n : names) out.push_back(json::string(n));
  return ok(std::move(out));
}

}  // namespace appsignals::fakeaws

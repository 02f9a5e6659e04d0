#include "fakeaws/services/log_groups.h"

#include <algorithm>
#include <cstdio>
#include <functional>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "fakeaws/services/canary_data.h"
#include "fakeaws/services/instrumentation.h"
#include "fakeaws/services/rum_data.h"
#include "fakeaws/services/service_events_data.h"
#include "fakeaws/services/traces_data.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

namespace {

bool in_range(std::int64_t t, std::int64_t start_ms, std::int64_t end_ms) { return t >= start_ms && t <= end_ms; }

std::int64_t nanos(double seconds) { return static_cast<std::int64_t>(seconds * 1e9); }

// A span as Transaction Search stores it in aws/spans: the OpenTelemetry span as JSON, so
// Logs Insights sees attributes.aws.local.service, status.code, durationNano, ...
json::object span_document(const SampleAccount& a, const SampleTrace& t, const SampleSpan& s) {
  json::object resource_attrs{{"service.name", s.service}, {"deployment.environment", s.environment},
                              {"cloud.provider", "aws"}};
  if (const auto* svc = a.find_service(s.service); svc && !svc->language.empty())
    resource_attrs["telemetry.sdk.language"] = svc->language;
  json::object attrs{{"aws.local.service", s.service},
                     {"aws.local.operation", s.operation},
                     {"aws.local.environment", s.environment},
                     {"aws.span.kind", s.kind == "SERVER" ? (s.parent_id.empty() ? "LOCAL_ROOT" : "SERVER") : "CLIENT"},
                     {"http.response.status_code", s.status},
                     {"code.function", s.code_function},
                     {"code.filepath", s.code_filepath},
                     {"code.lineno", s.code_lineno},
                     {"code.function.name", s.code_function},
                     {"code.file.path", s.code_filepath},
                     {"code.line.number", s.code_lineno}};
  if (!s.remote_service.empty()) {
    attrs["aws.remote.service"] = s.remote_service;
    attrs["aws.remote.operation"] = s.remote_operation;
  }
  if (!s.remote_resource.empty()) attrs["aws.remote.resource.identifier"] = s.remote_resource;
  if (!s.exception_type.empty()) {
    attrs["exception.type"] = s.exception_type;
    attrs["exception.message"] = s.exception_message;
  }
  json::object doc{{"resource", json::object{{"attributes", std::move(resource_attrs)}}},
                   {"traceId", otel_trace_id(t.id)},
                   {"spanId", s.span_id}};
  if (!s.parent_id.empty()) doc["parentSpanId"] = s.parent_id;
  doc["flags"] = 256;
  doc["name"] = s.operation;
  doc["kind"] = s.kind;
  doc["startTimeUnixNano"] = nanos(s.start);
  doc["endTimeUnixNano"] = nanos(s.end);
  doc["durationNano"] = nanos(s.end) - nanos(s.start);
  doc["attributes"] = std::move(attrs);
  doc["status"] = json::object{{"code", s.fault || s.error ? "ERROR" : "UNSET"}};
  return doc;
}

// Traces whose spans may start within [start_ms, end_ms] (a trace lasts seconds).
std::vector<SampleTrace> traces_for(const LogSourceContext& ctx, std::int64_t start_ms, std::int64_t end_ms) {
  const std::int64_t day_start = (ctx.anchor - 24 * 3600) * 1000;
  start_ms = std::max(start_ms, day_start - 60000);
  end_ms = std::min(end_ms, ctx.anchor * 1000);
  if (end_ms < start_ms) return {};
  return traces_between(ctx.account, ctx.anchor, ctx.seed, static_cast<double>(start_ms) / 1000.0 - 60.0,
                        static_cast<double>(end_ms) / 1000.0 + 1.0);
}

// ---- aws/spans ----
std::vector<std::string> spans_groups(const SampleAccount&) { return {"aws/spans"}; }

void spans_records(const LogSourceContext& ctx, const std::string&, std::int64_t start_ms, std::int64_t end_ms,
                   std::vector<LogRecord>& out) {
  for (const auto& t : traces_for(ctx, start_ms, end_ms))
    for (const auto& s : t.spans) {
      auto ts = static_cast<std::int64_t>(s.start * 1000);
      if (!in_range(ts, start_ms, end_ms)) continue;
      out.push_back({ts, s.service, json::serialize(span_document(ctx.account, t, s)),
                     {{"@data_format", "AWS-OTEL-TRACE-V1"}}});
    }
}

// ---- /aws/application-signals/data: the faulting and throttled spans, summarised ----
std::vector<std::string> signals_groups(const SampleAccount&) { return {"/aws/application-signals/data"}; }

void signals_records(const LogSourceContext& ctx, const std::string&, std::int64_t start_ms, std::int64_t end_ms,
                     std::vector<LogRecord>& out) {
  for (const auto& t : traces_for(ctx, start_ms, end_ms))
    for (const auto& s : t.spans) {
      auto ts = static_cast<std::int64_t>(s.start * 1000);
      if ((!s.fault && !s.throttle) || !in_range(ts, start_ms, end_ms)) continue;
      json::object msg{{"traceId", otel_trace_id(t.id)}, {"spanId", s.span_id}, {"service", s.service},
                       {"operation", s.operation}, {"status", s.status}, {"exception", s.exception_type}};
      out.push_back({ts, s.service, json::serialize(msg), {}});
    }
}

// ---- /aws/lambda/order-processor ----
std::vector<std::string> order_processor_groups(const SampleAccount&) { return {"/aws/lambda/order-processor"}; }

void order_processor_records(const LogSourceContext& ctx, const std::string&, std::int64_t start_ms,
                             std::int64_t end_ms, std::vector<LogRecord>& out) {
  const std::string stream = "2026/[$LATEST]order-processor";
  for (std::int64_t t = ctx.anchor - 24 * 3600; t < ctx.anchor; t += 300) {
    const LogRecord lines[] = {{t * 1000, stream, "START RequestId: " + std::to_string(t) + " Version: $LATEST", {}},
                               {t * 1000 + 320, stream, "INFO processed order batch size=12", {}},
                               {t * 1000 + 330, stream, "END RequestId: " + std::to_string(t), {}}};
    for (const auto& l : lines)
      if (in_range(l.timestamp_ms, start_ms, end_ms)) out.push_back(l);
  }
}

// ---- /aws/lambda/cwsyn-<canary>-<id>: canary runs ----
std::vector<std::string> canary_groups(const SampleAccount& a) {
  std::vector<std::string> out;
  for (const auto& c : a.canaries) out.push_back("/aws/lambda/" + canary_function_name(c));
  return out;
}

void canary_records(const LogSourceContext& ctx, const std::string& group, std::int64_t start_ms,
                    std::int64_t end_ms, std::vector<LogRecord>& out) {
  for (const auto& c : ctx.account.canaries) {
    if (group != "/aws/lambda/" + canary_function_name(c)) continue;
    std::vector<LogRecord> all;
    canary_log_records(c, ctx.anchor, all);
    for (auto& r : all)
      if (in_range(r.timestamp_ms, start_ms, end_ms)) out.push_back(std::move(r));
  }
}

// ---- /aws/service-events/<service>: breakpoint snapshots of dynamic instrumentation ----
// (The same groups also hold the service-events records of services/service_events_data.h:
// both sources contribute to a group.)
// One group per instrumented service (an SDK that supports dynamic instrumentation). An ACTIVE
// breakpoint writes one snapshot event per hit (services/instrumentation.h: the first at
// activation, then every kHitInterval, up to its MaxHits), as an OpenTelemetry log record.
std::vector<std::string> snapshot_groups(const SampleAccount& a) {
  std::vector<std::string> out;
  for (const auto& s : a.services)
    if (s.language == "java" || s.language == "python" || s.language == "nodejs")
      if (std::find(out.begin(), out.end(), "/aws/service-events/" + s.name) == out.end())
        out.push_back("/aws/service-events/" + s.name);
  return out;
}

json::object captured(const std::string& name, std::int64_t hit) {
  if (name == "amount") return {{"type", "java.math.BigDecimal"}, {"value", std::to_string(40 + hit * 7) + ".99"}};
  return {{"type", "java.lang.String"}, {"value", name + "-" + std::to_string(1000 + hit)}};
}

json::object snapshot_document(const InstrumentationConfig& c, std::int64_t hit, double t) {
  const auto& loc = c.code_location;
  const auto* cc = c.capture.if_contains("CodeCapture");
  const json::object empty;
  const auto& capture = cc && cc->is_object() ? cc->get_object() : empty;
  const std::int64_t line = int_arg(loc, "LineNumber", 0);
  json::object attrs{{"aws.di.location_hash", c.location_hash},
                     {"aws.di.instrumentation_type", c.type},
                     {"aws.di.instrumentation_level", line > 0 ? "LINE" : "METHOD"},
                     {"aws.di.file_path", str_arg(loc, "FilePath")},
                     {"aws.di.code_unit", str_arg(loc, "CodeUnit")},
                     {"aws.di.class_name", str_arg(loc, "ClassName")},
                     {"aws.di.method_name", str_arg(loc, "MethodName")}};
  if (line > 0) attrs["aws.di.line_number"] = line;
  // Java and Javascript SDKs report deployment.environment, the Python SDK its newer name.
  const char* env_key = str_arg(loc, "Language") == "Python" ? "deployment.environment.name" : "deployment.environment";
  json::object resource{{"service.name", c.service}, {env_key, c.environment}};
  json::object captures;
  if (const auto* args = capture.if_contains("CaptureArguments"); args && args->is_array()) {
    json::object values;
    for (const auto& n : args->get_array())
      if (n.is_string()) values[n.get_string()] = captured(std::string(n.get_string()), hit);
    captures["entry"] = json::object{{"arguments", std::move(values)}};
  }
  if (const auto* locals = capture.if_contains("CaptureLocals"); locals && locals->is_array()) {
    json::object values;
    for (const auto& n : locals->get_array())
      if (n.is_string()) values[n.get_string()] = captured(std::string(n.get_string()), hit);
    captures["lines"] = json::object{{std::to_string(line), json::object{{"locals", std::move(values)}}}};
  }
  if (bool_arg(capture, "CaptureReturn", true))
    captures["return"] = json::object{{"type", "java.lang.String"}, {"value", "OK-" + std::to_string(hit)}};
  json::array stack;
  if (bool_arg(capture, "CaptureStackTrace", true)) {
    const std::string method = str_arg(loc, "ClassName").empty() ? str_arg(loc, "MethodName")
                                                                  : str_arg(loc, "ClassName") + "." + str_arg(loc, "MethodName");
    stack.push_back(json::object{{"function", method}, {"fileName", str_arg(loc, "FilePath")},
                                 {"lineNumber", line > 0 ? line : 42}});
    stack.push_back(json::object{{"function", "RequestHandler.handle"}, {"fileName", "RequestHandler"}, {"lineNumber", 88}});
    stack.push_back(json::object{{"function", "Server.dispatch"}, {"fileName", "Server"}, {"lineNumber", 210}});
  }
  char trace[33];
  std::snprintf(trace, sizeof trace, "%08llx%024llx", static_cast<unsigned long long>(t),
                static_cast<unsigned long long>(std::hash<std::string>{}(c.location_hash) + hit));
  return json::object{{"eventName", "aws.service_events.snapshot"},
                      {"timeUnixNano", nanos(t)},
                      {"resource", json::object{{"attributes", std::move(resource)}}},
                      {"attributes", std::move(attrs)},
                      {"traceId", std::string(trace)},
                      {"spanId", std::string(trace).substr(16)},
                      {"body", json::object{{"captures", std::move(captures)}, {"stack", std::move(stack)}}}};
}

void snapshot_records(const LogSourceContext& ctx, const std::string& group, std::int64_t start_ms,
                      std::int64_t end_ms, std::vector<LogRecord>& out) {
  if (!ctx.state) return;
  const std::string service = group.substr(std::string_view("/aws/service-events/").size());
  const double now = static_cast<double>(ctx.now);
  for (const auto& c : instrumentation_configs(*ctx.state, ctx.account, ctx.region, ctx.anchor)) {
    if (c.type != "BREAKPOINT" || c.service != service) continue;
    double active = -1;
    for (const auto& e : instrumentation_events(ctx.account, c, now))
      if (e.status == "ACTIVE") active = e.time;
    if (active < 0) continue;
    const auto* cc = c.capture.if_contains("CodeCapture");
    const auto* limits = cc && cc->is_object() ? obj_arg(cc->get_object(), "CaptureLimits") : nullptr;
    const std::int64_t max_hits = std::min<std::int64_t>(limits ? int_arg(*limits, "MaxHits", 1) : 1, 100);
    const double until = c.expires_at ? std::min(now, *c.expires_at) : now;
    for (std::int64_t hit = 0; hit < max_hits; ++hit) {
      const double t = active + static_cast<double>(hit) * kHitInterval;
      if (t > until) break;
      auto ts = static_cast<std::int64_t>(t * 1000);
      if (!in_range(ts, start_ms, end_ms)) continue;
      out.push_back({ts, c.service + "/snapshots", json::serialize(snapshot_document(c, hit, t)), {}});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const LogRecord& a, const LogRecord& b) { return a.timestamp_ms < b.timestamp_ms; });
}

constexpr LogGroupSource kSources[] = {
    {signals_groups, signals_records},
    {spans_groups, spans_records},
    {order_processor_groups, order_processor_records},
    {canary_groups, canary_records},
    {service_events_groups, service_events_records},
    {snapshot_groups, snapshot_records},
    {rum_log_groups, rum_log_records},
};

}  // namespace

std::vector<std::string> log_group_names(const SampleAccount& account) {
  std::vector<std::string> out;
  for (const auto& src : kSources)
    for (auto& g : src.groups(account))
      if (std::find(out.begin(), out.end(), g) == out.end()) out.push_back(std::move(g));
  return out;
}

bool log_records(const LogSourceContext& ctx, const std::string& group, std::int64_t start_ms, std::int64_t end_ms,
                 std::vector<LogRecord>& out) {
  // Every source that holds the group contributes; the records come back in time order.
  bool found = false;
  const std::size_t first = out.size();
  for (const auto& src : kSources) {
    auto groups = src.groups(ctx.account);
    if (std::find(groups.begin(), groups.end(), group) == groups.end()) continue;
    src.records(ctx, group, start_ms, end_ms, out);
    found = true;
  }
  std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                   [](const LogRecord& a, const LogRecord& b) { return a.timestamp_ms < b.timestamp_ms; });
  return found;
}

}  // namespace appsignals::fakeaws

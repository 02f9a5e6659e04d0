#include "app/metrics.h"

#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "aws/services/ops.h"
#include "common/log_context.h"
#include "mcp/session.h"
#include "net/router.h"

namespace appsignals::app {

namespace asio = boost::asio;
namespace http = net::http;
namespace json = boost::json;
using prometheus::Counter;
using prometheus::Gauge;
using prometheus::Histogram;

namespace {

// Methods and statuses with a cached cell each; anything else shares "other".
constexpr std::array<http::verb, 5> kMethods = {http::verb::get, http::verb::post, http::verb::delete_,
                                                http::verb::head, http::verb::options};
constexpr std::size_t kMethodSlots = kMethods.size() + 1;
constexpr std::array<unsigned, 22> kStatuses = {200, 201, 202, 204, 301, 302, 304, 400, 401, 403, 404,
                                                405, 406, 409, 413, 415, 421, 429, 431, 500, 501, 503};
constexpr std::size_t kStatusSlots = kStatuses.size() + 1;
constexpr std::size_t kRouteSlots = 32;  // slot 0: unmatched; slots beyond share the last

std::size_t method_index(http::verb m) {
  for (std::size_t i = 0; i < kMethods.size(); ++i)
    if (kMethods[i] == m) return i;
  return kMethods.size();
}

std::size_t status_index(unsigned s) {
  for (std::size_t i = 0; i < kStatuses.size(); ++i)
    if (kStatuses[i] == s) return i;
  return kStatuses.size();
}

const Histogram::BucketBoundaries& latency_buckets() {
  static const Histogram::BucketBoundaries kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                       1,     2.5,  5,     10,   30,  60};
  return kBuckets;
}

std::string aws_key(std::string_view service, std::string_view operation) {
  std::string key(service);
  key += '\n';
  key += operation;
  return key;
}

// client_error: the request was refused for the client's fault (unknown tool, a capability the
// client did not declare: a JSON-RPC error other than internal error); input_required: a
// 2026-07-28 round that asked the client for input.
enum ToolOutcome : std::size_t {
  kToolOk, kToolIsError, kToolClientError, kToolError, kToolCancelled, kToolInputRequired, kToolOutcomes
};
constexpr std::array<const char*, kToolOutcomes> kToolOutcomeNames = {"ok",    "isError",   "client_error",
                                                                      "error", "cancelled", "input_required"};
// The tool label of calls naming no registered tool (bounded cardinality).
constexpr const char* kUnknownToolLabel = "(unknown)";
constexpr std::array<const char*, 4> kAwsOutcomeNames = {"ok", "retried", "throttled", "error"};

}  // namespace

struct ServerMetrics::ToolSeries {
  std::shared_ptr<prometheus::Registry> owner;  // the counters below live in it
  std::string name;
  std::array<Counter*, kToolOutcomes> calls{};
  Histogram* latency = nullptr;
};

struct ServerMetrics::AwsSeries {
  std::array<Counter*, 4> calls{};
  Counter* throttled = nullptr;
  Histogram* latency = nullptr;
};

struct ServerMetrics::Impl {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  prometheus::Family<Counter>& http_requests = prometheus::BuildCounter()
                                                   .Name("appsignals_http_requests_total")
                                                   .Help("HTTP requests answered, by route pattern, method and status")
                                                   .Register(*registry);
  prometheus::Family<Counter>& tool_calls = prometheus::BuildCounter()
                                                .Name("appsignals_tool_calls_total")
                                                .Help("MCP tools/call by tool and outcome (ok, isError, client_error, error, cancelled, input_required)")
                                                .Register(*registry);
  prometheus::Family<Histogram>& tool_latency = prometheus::BuildHistogram()
                                                    .Name("appsignals_tool_call_duration_seconds")
                                                    .Help("MCP tools/call latency by tool")
                                                    .Register(*registry);
  prometheus::Family<Counter>& aws_requests =
      prometheus::BuildCounter()
          .Name("appsignals_aws_requests_total")
          .Help("AWS API calls by service, operation and outcome (ok, retried, throttled, error)")
          .Register(*registry);
  prometheus::Family<Counter>& aws_throttled = prometheus::BuildCounter()
                                                   .Name("appsignals_aws_throttled_attempts_total")
                                                   .Help("AWS attempts answered with a throttling error")
                                                   .Register(*registry);
  prometheus::Family<Histogram>& aws_latency = prometheus::BuildHistogram()
                                                   .Name("appsignals_aws_request_duration_seconds")
                                                   .Help("AWS API call latency, retries included")
                                                   .Register(*registry);
  prometheus::Family<Counter>& auth_failures = prometheus::BuildCounter()
                                                   .Name("appsignals_auth_failures_total")
                                                   .Help("Refused authentications by reason")
                                                   .Register(*registry);
  Counter& auth_missing = auth_failures.Add({{"reason", "missing"}});
  Counter& auth_rejected = auth_failures.Add({{"reason", "rejected"}});
  Counter& auth_scope = auth_failures.Add({{"reason", "insufficient_scope"}});
  Counter& redis_errors = prometheus::BuildCounter()
                              .Name("appsignals_redis_errors_total")
                              .Help("Redis command or connection failures (cluster mode)")
                              .Register(*registry)
                              .Add({});
  Gauge& connections = prometheus::BuildGauge()
                           .Name("appsignals_open_connections")
                           .Help("Open client connections")
                           .Register(*registry)
                           .Add({});
  Gauge& sse_streams = prometheus::BuildGauge()
                           .Name("appsignals_sse_streams")
                           .Help("Open legacy SSE (/sse) streams")
                           .Register(*registry)
                           .Add({});
  prometheus::Family<Gauge>& sessions =
      prometheus::BuildGauge().Name("appsignals_sessions").Help("Live MCP sessions by transport").Register(*registry);
  Gauge& sessions_streamable = sessions.Add({{"transport", "streamable-http"}});
  Gauge& sessions_sse = sessions.Add({{"transport", "sse"}});
  Gauge& rss = prometheus::BuildGauge()
                   .Name("process_resident_memory_bytes")
                   .Help("Resident memory size in bytes")
                   .Register(*registry)
                   .Add({});
  Counter& cpu = prometheus::BuildCounter()
                     .Name("process_cpu_seconds_total")
                     .Help("Total user and system CPU time spent in seconds")
                     .Register(*registry)
                     .Add({});

  // HTTP cells, created on first use (under mu) and then read lock-free.
  std::array<std::array<std::array<std::atomic<Counter*>, kStatusSlots>, kMethodSlots>, kRouteSlots> http_cells{};
  std::unordered_map<std::string, AwsSeries> aws_series;  // read-only after construction
  AwsSeries aws_other;
  std::mutex mu;  // cell creation, gauges, scrape, tool_series
  MetricsGauges gauges;
  std::unordered_map<std::string, std::shared_ptr<const ToolSeries>> tool_series;  // by tool name
  double cpu_reported = 0;

  // The series of one tool label, created on first use (registered tools: when wrapped).
  std::shared_ptr<const ToolSeries> series_for(const std::string& name) {
    std::lock_guard lock(mu);
    if (auto it = tool_series.find(name); it != tool_series.end()) return it->second;
    auto series = std::make_shared<ToolSeries>();
    series->owner = registry;
    series->name = name;
    for (std::size_t i = 0; i < kToolOutcomes; ++i)
      series->calls[i] = &tool_calls.Add({{"tool", name}, {"outcome", kToolOutcomeNames[i]}});
    series->latency = &tool_latency.Add({{"tool", name}}, latency_buckets());
    tool_series.emplace(name, series);
    return series;
  }

  AwsSeries make_aws(std::string_view service, std::string_view operation) {
    AwsSeries s;
    const std::string svc(service), op(operation);
    for (std::size_t i = 0; i < kAwsOutcomeNames.size(); ++i)
      s.calls[i] = &aws_requests.Add({{"service", svc}, {"operation", op}, {"outcome", kAwsOutcomeNames[i]}});
    s.throttled = &aws_throttled.Add({{"service", svc}, {"operation", op}});
    s.latency = &aws_latency.Add({{"service", svc}, {"operation", op}}, latency_buckets());
    return s;
  }

  Impl() {
    for (const auto& op : aws::all_ops()) {
      auto key = aws_key(op.service, op.name);
      if (!aws_series.count(key)) aws_series.emplace(key, make_aws(op.service, op.name));
    }
    aws_other = make_aws("other", "other");
  }

  Counter* http_cell(std::size_t slot, std::string_view route, std::size_t m, std::size_t s, unsigned status,
                     http::verb method) {
    std::lock_guard lock(mu);
    auto& cell = http_cells[slot][m][s];
    if (auto* c = cell.load(std::memory_order_acquire)) return c;
    std::string route_label = slot == 0 ? "unmatched" : slot == kRouteSlots - 1 ? "other" : std::string(route);
    std::string method_label = m == kMethods.size() ? "other" : std::string(http::to_string(method));
    std::string status_label = s == kStatuses.size() ? "other" : std::to_string(status);
    auto* c = &http_requests.Add({{"route", route_label}, {"method", method_label}, {"status", status_label}});
    cell.store(c, std::memory_order_release);
    return c;
  }
};

ServerMetrics::ServerMetrics() : impl_(std::make_unique<Impl>()) {}
ServerMetrics::~ServerMetrics() = default;

void ServerMetrics::set_gauges(MetricsGauges gauges) {
  std::lock_guard lock(impl_->mu);
  impl_->gauges = std::move(gauges);
}

void ServerMetrics::on_reply(std::size_t route_slot, std::string_view route, http::verb method,
                             unsigned status) noexcept {
  try {
    const std::size_t slot = std::min(route_slot, kRouteSlots - 1);
    const std::size_t m = method_index(method);
    const std::size_t s = status_index(status);
    Counter* c = impl_->http_cells[slot][m][s].load(std::memory_order_acquire);
    if (!c) c = impl_->http_cell(slot, route, m, s, status, method);
    c->Increment();
  } catch (...) {
    // Metrics never fail a request.
  }
}

void ServerMetrics::on_auth_failure(net::AuthFailure reason) noexcept {
  switch (reason) {
    case net::AuthFailure::kRejected: impl_->auth_rejected.Increment(); break;
    case net::AuthFailure::kInsufficientScope: impl_->auth_scope.Increment(); break;
    default: impl_->auth_missing.Increment(); break;
  }
}

void ServerMetrics::on_call(const aws::CallReport& report) noexcept {
  try {
    const AwsSeries* s = &impl_->aws_other;
    // The lookup key is built per call; AWS calls cost milliseconds, this costs nanoseconds.
    if (auto it = impl_->aws_series.find(aws_key(report.service, report.operation)); it != impl_->aws_series.end())
      s = &it->second;
    s->calls[static_cast<std::size_t>(report.outcome)]->Increment();
    if (report.throttled_attempts > 0) s->throttled->Increment(report.throttled_attempts);
    s->latency->Observe(std::chrono::duration<double>(report.latency).count());
  } catch (...) {
  }
}

std::function<void()> ServerMetrics::redis_error_hook() {
  Counter* c = &impl_->redis_errors;
  return [c] { c->Increment(); };
}

namespace {

// Records one tool call when its frame ends: the outcome stays "cancelled" unless the call
// completed or threw, so a frame destroyed by cancellation is counted too. Copies what it logs:
// the RequestContext may be gone by then.
void record_tool_call(const ServerMetrics::ToolSeries& series, std::size_t outcome, double seconds,
                      std::string_view request_id, std::string_view principal, std::string_view session,
                      std::string_view requested_name) noexcept {
  try {
    series.calls[outcome]->Increment();
    series.latency->Observe(seconds);
    LogFields fields;
    fields.request_id = request_id;
    fields.principal = principal;
    fields.tool = series.name;
    fields.session = session;
    fields.outcome = kToolOutcomeNames[outcome];
    fields.duration_ms = seconds * 1000;
    if (requested_name.empty()) {
      log_with(fields, spdlog::level::info, "tools/call {}: {} in {:.1f} ms", series.name, kToolOutcomeNames[outcome],
               seconds * 1000);
    } else {  // an unregistered name, from the client: shortened and escaped by the formatter
      log_with(fields, spdlog::level::info, "tools/call {} ({:.64}): {} in {:.1f} ms", series.name, requested_name,
               kToolOutcomeNames[outcome], seconds * 1000);
    }
  } catch (...) {
  }
}

// Records one tool call when its frame ends: the outcome stays "cancelled" unless the call
// completed or threw, so a frame destroyed by cancellation is counted too. Copies what it logs:
// the RequestContext may be gone by then.
class ToolCallRecord {
 public:
  ToolCallRecord(const ServerMetrics::ToolSeries& series, mcp::RequestContext& ctx)
      : series_(series), start_(std::chrono::steady_clock::now()), request_id_(ctx.trace_id()),
        principal_(ctx.session().principal()), session_(ctx.session().id()) {}
  ~ToolCallRecord() {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    record_tool_call(series_, outcome, seconds, request_id_, principal_, session_, {});
  }
  ToolCallRecord(const ToolCallRecord&) = delete;
  ToolCallRecord& operator=(const ToolCallRecord&) = delete;
  std::size_t outcome = kToolCancelled;

 private:
  const ServerMetrics::ToolSeries& series_;
  std::chrono::steady_clock::time_point start_;
  std::string request_id_;
  std::string principal_;
  std::string session_;
};

// A handler's failure (ctx.fail / require_capability): internal error is the server's fault,
// any other JSON-RPC error the client's.
std::size_t outcome_of(const mcp::RequestContext& ctx, const mcp::ToolResult& result) {
  if (const auto& f = ctx.failure()) return f->code == mcp::jsonrpc::kInternalError ? kToolError : kToolClientError;
  if (ctx.needs_input()) return kToolInputRequired;
  return result.is_error ? kToolIsError : kToolOk;
}

// Parameters by value (the wrapped handler and the series); the context by reference, as
// every ToolHandler gets it (the server owns it for the call).
asio::awaitable<mcp::ToolResult> observed_tool_call(mcp::ToolHandler inner,
                                                    std::shared_ptr<const ServerMetrics::ToolSeries> series,
                                                    mcp::RequestContext& ctx, json::object args) {
  ToolCallRecord record(*series, ctx);
  try {
    mcp::ToolResult result = co_await inner(ctx, std::move(args));
    record.outcome = outcome_of(ctx, result);
    co_return result;
  } catch (const boost::system::system_error& e) {
    record.outcome = e.code() == asio::error::operation_aborted ? kToolCancelled : kToolError;
    throw;
  } catch (...) {
    record.outcome = kToolError;
    throw;
  }
}

}  // namespace

void ServerMetrics::instrument_tools(mcp::Registry& registry) {
  auto wrap = tool_wrapper();
  for (const auto& tool : registry.tools()) {
    mcp::ToolDef wrapped = *tool;
    wrapped.handler = wrap(*tool);
    registry.add_tool(std::move(wrapped));  // replaces the tool of the same name in place
  }
}

std::function<mcp::ToolHandler(const mcp::ToolDef&)> ServerMetrics::tool_wrapper() {
  Impl* impl = impl_.get();
  return [impl](const mcp::ToolDef& tool) -> mcp::ToolHandler {
    std::shared_ptr<const ToolSeries> kept = impl->series_for(tool.name);
    mcp::ToolHandler inner = tool.handler;
    return [inner, kept](mcp::RequestContext& ctx, json::object args) {
      return observed_tool_call(inner, kept, ctx, std::move(args));
    };
  };
}

std::function<void(mcp::RequestContext&, std::string_view, mcp::McpServer::ToolRejection)>
ServerMetrics::tool_rejection_hook() {
  Impl* impl = impl_.get();
  return [impl](mcp::RequestContext& ctx, std::string_view tool, mcp::McpServer::ToolRejection why) {
    using R = mcp::McpServer::ToolRejection;
    // Unknown and refused names are the client's words: one fixed label, never the name.
    const bool registered = why == R::kInvalidArguments;
    auto series = impl->series_for(registered ? std::string(tool) : std::string(kUnknownToolLabel));
    const std::size_t outcome = why == R::kUnknown ? kToolClientError : kToolIsError;
    record_tool_call(*series, outcome, 0.0, ctx.trace_id(), ctx.session().principal(), ctx.session().id(),
                     registered ? std::string_view() : tool);
  };
}

std::string ServerMetrics::scrape() {
  std::lock_guard lock(impl_->mu);
  auto& g = impl_->gauges;
  if (g.open_connections) impl_->connections.Set(static_cast<double>(g.open_connections()));
  if (g.sse_streams) {
    const auto n = static_cast<double>(g.sse_streams());
    impl_->sse_streams.Set(n);
    impl_->sessions_sse.Set(n);  // a legacy SSE session lives exactly as long as its stream
  }
  if (g.sessions_streamable) impl_->sessions_streamable.Set(static_cast<double>(g.sessions_streamable()));
  impl_->rss.Set(static_cast<double>(process_rss_bytes()));
  const double cpu = process_cpu_seconds();
  if (cpu > impl_->cpu_reported) {
    impl_->cpu.Increment(cpu - impl_->cpu_reported);
    impl_->cpu_reported = cpu;
  }
  prometheus::TextSerializer serializer;
  std::ostringstream out;
  serializer.Serialize(out, impl_->registry->Collect());
  return out.str();
}

std::shared_ptr<net::HttpHandler> make_metrics_handler(std::shared_ptr<ServerMetrics> metrics) {
  return net::make_handler([metrics](const net::Request& req) -> net::Reply {
    const auto m = req.message.method();
    if (m != http::verb::get && m != http::verb::head) {
      auto res = net::error_response(http::status::method_not_allowed, "method not allowed: use GET",
                                     req.message.version());
      res.set(http::field::allow, "GET, HEAD");
      return res;
    }
    net::Response res{http::status::ok, req.message.version()};
    res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.body() = metrics->scrape();
    return res;
  });
}

std::uint64_t process_rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

double process_cpu_seconds() {
  std::ifstream stat("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the command name (which may hold spaces) start after the last ')'.
  auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(text.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  // Field 3 (state) is the first here; utime and stime are fields 14 and 15.
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace appsignals::app

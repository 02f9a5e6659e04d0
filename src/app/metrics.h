#pragma once
// The server's own metrics, served as GET /metrics in the Prometheus text format (prometheus-cpp's
// registry and TextSerializer; our HTTP server, not prometheus-cpp's exposer).
//
// Series (all names prefixed appsignals_ except the process ones):
//   http_requests_total{route,method,status}      route = the registered pattern, "unmatched"
//                                                 (also the HttpServer's own 500/400/413/431/503)
//   tool_calls_total{tool,outcome}                outcome = ok | isError | client_error | error |
//                                                 cancelled | input_required; tool = a registered
//                                                 tool, or "(unknown)" for unknown/refused names
//   tool_call_duration_seconds{tool}              histogram
//   aws_requests_total{service,operation,outcome} outcome = ok | retried | throttled | error
//   aws_throttled_attempts_total{service,operation}
//   aws_request_duration_seconds{service,operation} histogram (whole call, retries included)
//   auth_failures_total{reason}                   reason = missing | rejected | insufficient_scope
//   redis_errors_total                            each Redis connection failure (RedisCluster::set_error_hook)
//   open_connections, sse_streams, sessions{transport}   gauges read at scrape time
//   process_resident_memory_bytes, process_cpu_seconds_total   from /proc/self at scrape time
//
// Cardinality is bounded: routes are the registered patterns, tools only registered ones,
// AWS operations only those in aws::ops (anything else is operation="other").
// Hot path: every label combination's counter is resolved once (at start-up, or on first use
// under a mutex) and cached; a request then costs prometheus-cpp's atomic increments (and the
// histograms' own short lock).
//
// Thread safety: all members are thread-safe.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "aws/call_observer.h"
#include "mcp/registry.h"
#include "mcp/server.h"
#include "net/http_observer.h"
#include "net/http_types.h"

namespace appsignals::app {

// Read at scrape time; each may be empty.
struct MetricsGauges {
  std::function<std::size_t()> open_connections;
  std::function<std::size_t()> sse_streams;        // legacy /sse streams
  std::function<std::size_t()> sessions_streamable;  // /mcp sessions
};

class ServerMetrics final : public net::HttpObserver, public aws::CallObserver {
 public:
  ServerMetrics();
  ~ServerMetrics() override;
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // Gauges may hold non-owning references: see ScopedGauges.
  void set_gauges(MetricsGauges gauges);

  // net::HttpObserver
  void on_reply(std::size_t route_slot, std::string_view route, net::http::verb method,
                unsigned status) noexcept override;
  void on_auth_failure(net::AuthFailure reason) noexcept override;
  // aws::CallObserver
  void on_call(const aws::CallReport& report) noexcept override;

  // Wraps a tool's handler: counts each call by outcome, observes its latency and logs one line
  // per call (request id, principal, tool, session).
  std::function<mcp::ToolHandler(const mcp::ToolDef&)> tool_wrapper();
  // For McpServer::set_tool_rejection_hook: counts and logs the tools/call answered without a
  // handler (unknown or refused tool: tool="(unknown)"; invalid arguments: the tool's isError).
  std::function<void(mcp::RequestContext&, std::string_view, mcp::McpServer::ToolRejection)> tool_rejection_hook();
  // Replaces every tool registered so far with its wrapped self (same place in the list).
  // Call once, after the tools are registered and before serving.
  void instrument_tools(mcp::Registry& registry);

  // Counts one Redis error; for the cluster-mode Redis client (increment where a Redis command
  // or connection fails).
  std::function<void()> redis_error_hook();

  // The exposition (text format 0.0.4), gauges refreshed first.
  std::string scrape();

  struct ToolSeries;
  struct AwsSeries;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Sets the gauges for its lifetime and clears them when it ends: gauges read objects they do not
// own (the HTTP server, transports), so they must be gone before those are.
class ScopedGauges {
 public:
  ScopedGauges(ServerMetrics& metrics, MetricsGauges gauges) : metrics_(metrics) {
    metrics_.set_gauges(std::move(gauges));
  }
  ~ScopedGauges() { metrics_.set_gauges({}); }
  ScopedGauges(const ScopedGauges&) = delete;
  ScopedGauges& operator=(const ScopedGauges&) = delete;

 private:
  ServerMetrics& metrics_;
};

// GET/HEAD /metrics (405 otherwise).
std::shared_ptr<net::HttpHandler> make_metrics_handler(std::shared_ptr<ServerMetrics> metrics);

// Resident set size and CPU seconds (user + system) of this process, from /proc/self; 0 when
// unreadable.
std::uint64_t process_rss_bytes();
double process_cpu_seconds();

}  // namespace appsignals::app

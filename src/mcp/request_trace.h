#pragma once
// The X-Request-Id a request arrived with (jsonrpc::Message::trace_id), looked up from its
// RequestContext, for the log lines about a tools/call (app/metrics.cc).
//
// McpServer registers a tools/call's context for as long as its run lasts (TraceScope, in the
// run's own frame, so it follows the coroutine across threads); trace_id_of returns a copy.
// Thread-safe: one short mutex per registration and per lookup (tools/call only).
#include <string>

namespace appsignals::mcp {

class RequestContext;

class TraceScope {
 public:
  TraceScope(const RequestContext& ctx, std::string trace_id);
  ~TraceScope();
  TraceScope(const TraceScope&) = delete;
  TraceScope& operator=(const TraceScope&) = delete;

 private:
  const RequestContext* ctx_;
};

// The id registered for `ctx`, or "" (stdio, or not a tools/call).
std::string trace_id_of(const RequestContext& ctx);

}  // namespace appsignals::mcp

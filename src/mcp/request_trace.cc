#include "mcp/request_trace.h"

#include <mutex>
#include <unordered_map>

namespace appsignals::mcp {

namespace {

std::mutex trace_mu;
std::unordered_map<const RequestContext*, std::string>& traces() {
  static std::unordered_map<const RequestContext*, std::string> map;
  return map;
}

}  // namespace

TraceScope::TraceScope(const RequestContext& ctx, std::string trace_id) : ctx_(&ctx) {
  if (trace_id.empty()) {
    ctx_ = nullptr;
    return;
  }
  std::lock_guard lock(trace_mu);
  traces()[ctx_] = std::move(trace_id);
}

TraceScope::~TraceScope() {
  if (!ctx_) return;
  std::lock_guard lock(trace_mu);
  traces().erase(ctx_);
}

std::string trace_id_of(const RequestContext& ctx) {
  std::lock_guard lock(trace_mu);
  auto it = traces().find(&ctx);
  return it == traces().end() ? std::string() : it->second;
}

}  // namespace appsignals::mcp

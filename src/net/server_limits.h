#pragma once
// Limits and deadlines of the HTTP server. Defaults suit a server shared by many MCP clients.
#include <chrono>
#include <cstddef>

namespace appsignals::net {

struct ServerLimits {
  std::size_t header_limit = 16 * 1024;           // request line + headers; beyond: 431
  std::size_t body_limit = 4 * 1024 * 1024;       // request body; beyond: 413
  std::chrono::milliseconds header_timeout{10'000};  // a started request must be complete by then
  std::chrono::milliseconds idle_timeout{10'000};    // keep-alive connection with no request (as the header deadline)
  std::chrono::milliseconds write_timeout{30'000};   // one write (a slow reader is dropped)
  std::chrono::milliseconds tls_handshake_timeout{10'000};
  std::size_t max_connections = 20'000;           // beyond: 503 and close
  std::size_t stream_max_frames = 1024;           // per SSE stream queue
  std::size_t stream_max_bytes = 1024 * 1024;     // per SSE stream: queued + being written
  std::size_t stream_budget_bytes = 64 * 1024 * 1024;  // all long-lived streams together
  std::chrono::milliseconds keepalive_interval{15'000};  // SSE `: keepalive` comments
};

}  // namespace appsignals::net

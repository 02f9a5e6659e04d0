#pragma once
// Composition of the HTTP server: router, auth, origin policy, MCP transports, /health, /info,
// signals and graceful shutdown. Shared by `appsignals-mcp serve` and the conformance server.
#include <functional>
#include <memory>

#include "app/config.h"
#include "mcp/registry.h"
#include "mcp/server.h"

namespace appsignals::app {

struct ServeHooks {
  // Called once the server listens, with the bound port (tests and `demo` use it).
  std::function<void(std::uint16_t port)> on_listening;
};

// Runs until SIGINT/SIGTERM, then shuts down gracefully. Returns the process exit code.
int run_server(const ServeConfig& config, std::shared_ptr<mcp::Registry> registry, mcp::ServerInfo info,
               ServeHooks hooks = {});

}  // namespace appsignals::app

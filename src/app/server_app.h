#pragma once
// Composition of the HTTP server: router, auth, origin policy, MCP transports, /health, /info,
// signals and graceful shutdown. Shared by `appsignals-mcp serve` and the conformance server.
#include <functional>
#include <memory>

#include <boost/asio/io_context.hpp>

#include "app/config.h"
#include "aws/aws_client.h"
#include "aws/env.h"
#include "mcp/registry.h"
#include "mcp/server.h"

namespace appsignals::app {

struct ServeHooks {
  // Runs on the server's io_context before anything else: may start in-process helpers (the
  // demo's fake AWS) and adjust the environment the AWS client is built from. The returned
  // object is kept alive until the io_context stops. An error aborts start-up.
  std::function<Result<std::shared_ptr<void>>(boost::asio::io_context&, aws::MapEnv&)> prepare;
  // Registers the product's tools once the AWS client exists (aws may be null when no region
  // could be resolved: tools then answer with a clear configuration error).
  std::function<void(mcp::Registry&, std::shared_ptr<aws::ClientContext> aws, const std::string& region)>
      register_tools;
  // Called once the server listens, with the bound port (tests and `demo` use it).
  std::function<void(std::uint16_t port)> on_listening;
};

// Runs until SIGINT/SIGTERM, then shuts down gracefully. Returns the process exit code.
int run_server(const ServeConfig& config, std::shared_ptr<mcp::Registry> registry, mcp::ServerInfo info,
               ServeHooks hooks = {});

}  // namespace appsignals::app

// mcp-conformance-server: the product's HTTP server and MCP core (same net, mcp and app
// libraries as appsignals-mcp) serving the conformance suite's fixture instead of the AWS tools.
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/config.h"
#include "app/server_app.h"
#include "common/logging.h"
#include "common/version.h"
#include "fixture.h"

int main(int argc, char** argv) {
  using namespace appsignals;
  CLI::App cli{"mcp-conformance-server: the MCP conformance fixture on the appsignals-mcp core"};
  app::ServeConfig config;
  config.host = "127.0.0.1";
  config.port = 0;
  config.region = "us-east-1";
  std::string level = "WARNING";
  cli.add_option("--host", config.host, "Listen address (default 127.0.0.1)");
  cli.add_option("--port", config.port, "Listen port (default 0: any free port, printed on stdout)");
  cli.add_option("--log-level", level, "Log level");
  cli.add_flag("--stateless", config.stateless, "No sessions");
  // Cluster mode, as MCP_REDIS_URL / MCP_INSTANCE_ID for appsignals-mcp: lets e2e.cluster_streams
  // prove GET-stream forwarding with the fixture's tools that send progress, logs and requests.
  cli.add_option("--redis-url", config.redis_url, "Cluster mode: redis://host:port/db (sessions shared)");
  cli.add_option("--instance-id", config.instance_id, "Cluster mode: this instance's name");
  CLI11_PARSE(cli, argc, argv);
  auto parsed = parse_log_level(level);
  init_logging(parsed.value_or(spdlog::level::warn));

  auto registry = std::make_shared<mcp::Registry>();
  conformance::register_fixture(*registry);
  mcp::ServerInfo info;
  info.name = "appsignals-mcp-conformance";
  info.version = kVersion;
  app::ServeHooks hooks;
  hooks.on_listening = [](std::uint16_t port) {
    std::cout << "listening on http://127.0.0.1:" << port << "/mcp" << std::endl;
  };
  return app::run_server(config, registry, info, hooks);
}

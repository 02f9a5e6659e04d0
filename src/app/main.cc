// appsignals-mcp: the command line. Subcommands: serve (remote HTTP), and operator helpers
// added by later layers.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <iostream>

#include "app/config.h"
#include "app/server_app.h"
#include "common/logging.h"
#include "common/version.h"

namespace {

using namespace appsignals;

mcp::ServerInfo product_info() {
  mcp::ServerInfo info;
  info.name = "cloudwatch-applicationsignals-mcp-server";
  info.title = "AWS CloudWatch Application Signals";
  info.version = kVersion;
  info.description =
      "Investigate application health in AWS CloudWatch Application Signals: services, operations, "
      "SLOs, metrics, traces, Transaction Search spans, audits and Synthetics canaries.";
  info.instructions =
      "Use these tools to investigate application health in AWS CloudWatch Application Signals. "
      "Start broad (audit_services or list_monitored_services), then drill into a service, its "
      "operations, SLOs, metrics and traces.";
  return info;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"appsignals-mcp: a remote MCP server for AWS CloudWatch Application Signals"};
  cli.set_version_flag("--version", std::string(kProductName) + " " + kVersion);
  cli.require_subcommand(1);

  auto env = app::process_environment();
  auto base = app::config_from_env(env);
  appsignals::init_logging(spdlog::level::info);
  if (!base) {
    spdlog::critical("invalid configuration: {}", base.error().message);
    return 2;
  }
  app::ServeConfig config = *base;

  auto* serve = cli.add_subcommand("serve", "Serve MCP over HTTP (Streamable HTTP at /mcp)");
  std::string port_text, level_text;
  serve->add_option("--host", config.host, "Listen address (env MCP_HOST, default 0.0.0.0)");
  serve->add_option("--port", port_text, "Listen port (env MCP_PORT, default 8000)");
  serve->add_option("--log-level", level_text,
                    "DEBUG, INFO, WARNING, ERROR or CRITICAL (env MCP_CLOUDWATCH_APPLICATIONSIGNALS_LOG_LEVEL)");
  serve->add_flag("--stateless", config.stateless, "No sessions: every request stands alone (env MCP_STATELESS)");
  serve->add_option("--threads", config.threads, "I/O threads (env MCP_THREADS, default: cores)");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  if (!port_text.empty()) {
    auto p = app::parse_port(port_text, "--port");
    if (!p) {
      spdlog::critical("invalid configuration: {}", p.error().message);
      return 2;
    }
    config.port = *p;
  }
  if (!level_text.empty()) {
    auto l = app::parse_level(level_text, "--log-level");
    if (!l) {
      spdlog::critical("invalid configuration: {}", l.error().message);
      return 2;
    }
    config.log_level = *l;
  }
  appsignals::init_logging(config.log_level);

  if (serve->parsed()) {
    auto registry = std::make_shared<mcp::Registry>();
    return app::run_server(config, registry, product_info());
  }
  return 0;
}

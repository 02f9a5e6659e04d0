// appsignals-mcp: the command line. Subcommands: serve (remote HTTP), and operator helpers
// added by later layers.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <iostream>

#include "app/aws_profiles.h"
#include "app/check_command.h"
#include "app/config.h"
#include "app/demo_command.h"
#include "app/fakeaws_command.h"
#include "app/product.h"
#include "app/gen_cert.h"
#include "app/server_app.h"
#include "common/logging.h"
#include "common/version.h"
#include "mcp/stdio_transport.h"

using namespace appsignals;
using app::product_info;

int main(int argc, char** argv) {
  CLI::App cli{"appsignals-mcp: a remote MCP server for AWS CloudWatch Application Signals"};
  cli.set_version_flag("--version", std::string(kProductName) + " " + kVersion);
  cli.require_subcommand(1);

  auto env = app::process_environment();
  auto base = app::config_from_env(env);
  appsignals::init_logging(spdlog::level::info, base ? base->log_format : appsignals::LogFormat::kText);
  if (!base) {
    spdlog::critical("invalid configuration: {}", base.error().message);
    return 2;
  }
  app::ServeConfig config = *base;

  auto* serve = cli.add_subcommand("serve", "Serve MCP over HTTP (Streamable HTTP at /mcp)");
  std::string port_text, level_text, tool_timeout_text;
  serve->add_option("--host", config.host, "Listen address (env MCP_HOST, default 0.0.0.0)");
  serve->add_option("--port", port_text, "Listen port (env MCP_PORT, default 8000)");
  serve->add_option("--log-level", level_text,
                    "DEBUG, INFO, WARNING, ERROR or CRITICAL (env MCP_CLOUDWATCH_APPLICATIONSIGNALS_LOG_LEVEL)");
  serve->add_flag("--stateless", config.stateless, "No sessions: every request stands alone (env MCP_STATELESS)");
  serve->add_option("--threads", config.threads, "I/O threads (env MCP_THREADS, default: cores)");
  serve->add_option("--tls-cert", config.tls_cert, "PEM certificate (chain) for HTTPS (env SSL_CERTFILE)");
  serve->add_option("--tls-key", config.tls_key, "PEM private key for HTTPS (env SSL_KEYFILE)");
  serve->add_option("--toolsets", config.toolsets, "Toolsets to enable, comma-separated, or all (env MCP_TOOLSETS)");
  serve->add_flag("--read-only", config.read_only, "Hide tools that write (env MCP_READ_ONLY)");
  serve->add_option("--tool-timeout", tool_timeout_text,
                    "Seconds a tool call may run, 0 for no limit (env MCP_TOOL_TIMEOUT, default 30)");
  std::string aws_profiles_text, aws_profile_map_text;
  serve->add_option("--aws-profiles", aws_profiles_text,
                    "AWS profiles a tool call may choose, comma-separated (env MCP_AWS_PROFILES)");
  serve->add_option("--aws-profile-map", aws_profile_map_text,
                    "Which principals may use which profiles (env MCP_AWS_PROFILE_MAP)");
  serve->add_option("--public-prefix", config.public_prefix,
                    "Path prefix a reverse proxy serves this server under (env MCP_PUBLIC_PATH_PREFIX)");

  auto* stdio = cli.add_subcommand("stdio", "Serve MCP over stdin/stdout (for clients that spawn the server)");
  stdio->add_option("--log-level", level_text, "DEBUG, INFO, WARNING, ERROR or CRITICAL (logs go to stderr)");
  stdio->add_option("--tool-timeout", tool_timeout_text,
                    "Seconds a tool call may run, 0 for no limit (env MCP_TOOL_TIMEOUT, default 30)");

  auto* demo = cli.add_subcommand("demo", "Serve on 127.0.0.1 against the built-in sample AWS account (no credentials needed)");
  std::string demo_port_text = "8000";
  demo->add_option("--port", demo_port_text, "Listen port (default 8000)");

  std::string fake_port_text = "0";
  auto* fakeaws = cli.add_subcommand("fakeaws", "Run the sample AWS account (fake AWS) alone on 127.0.0.1");
  fakeaws->add_option("--port", fake_port_text, "Listen port (default: any free port)");

  std::string check_region;
  auto* check = cli.add_subcommand("check", "Check region, credentials and the IAM permissions the tools need");
  check->add_option("--region", check_region, "AWS region (default: AWS_REGION or the profile's)");

  app::GenCertOptions cert_options;
  auto* gen_cert = cli.add_subcommand("gen-cert", "Write a self-signed certificate and key for HTTPS");
  gen_cert->add_option("--dns", cert_options.dns_name, "DNS name (or IP) the certificate is for")->required();
  gen_cert->add_option("--out", cert_options.out_dir, "Directory for cert.pem and key.pem (default: .)");
  gen_cert->add_option("--days", cert_options.days, "Validity in days (default 365)");
  gen_cert->add_flag("--force", cert_options.force, "Replace an existing cert.pem and key.pem");

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
  if (!tool_timeout_text.empty()) {
    auto t = app::parse_tool_timeout(tool_timeout_text, "--tool-timeout");
    if (!t) {
      spdlog::critical("invalid configuration: {}", t.error().message);
      return 2;
    }
    config.tool_timeout = *t;
  }
  if (!level_text.empty()) {
    auto l = app::parse_level(level_text, "--log-level");
    if (!l) {
      spdlog::critical("invalid configuration: {}", l.error().message);
      return 2;
    }
    config.log_level = *l;
  }
  if (!aws_profiles_text.empty() || !aws_profile_map_text.empty()) {
    if (!aws_profiles_text.empty()) {
      auto names = app::parse_profile_list(aws_profiles_text, "--aws-profiles");
      if (!names) {
        spdlog::critical("invalid configuration: {}", names.error().message);
        return 2;
      }
      config.aws_profiles = std::move(*names);
    }
    if (!aws_profile_map_text.empty()) config.aws_profile_map = aws_profile_map_text;
    if (auto checked = app::check_aws_profiles(config); !checked) {
      spdlog::critical("invalid configuration: {}", checked.error().message);
      return 2;
    }
  }
  appsignals::init_logging(config.log_level, config.log_format);

  auto tools_hook = app::product_tools(config);
  if (!tools_hook) {
    spdlog::critical("invalid configuration: {}", tools_hook.error().message);
    return 2;
  }
  if (serve->parsed()) {
    auto registry = std::make_shared<mcp::Registry>();
    app::ServeHooks hooks;
    hooks.register_tools = *tools_hook;
    return app::run_server(config, registry, product_info(), hooks);
  }
  if (demo->parsed()) {
    auto p = app::parse_port(demo_port_text, "--port");
    if (!p) {
      spdlog::critical("invalid configuration: {}", p.error().message);
      return 2;
    }
    config.host = "127.0.0.1";
    config.port = *p;
    config.api_keys.clear();
    config.api_key_file.clear();
    config.tls_cert.clear();
    config.tls_key.clear();
    // The demo serves the sample account only: no real AWS profiles (and no map without keys).
    config.aws_profiles.clear();
    config.aws_profile_map.clear();
    auto demo_tools = app::product_tools(config);  // the tools with the cleared profile settings
    if (!demo_tools) {
      spdlog::critical("invalid configuration: {}", demo_tools.error().message);
      return 2;
    }
    app::ServeHooks hooks;
    hooks.register_tools = *demo_tools;
    app::configure_demo(config, hooks);
    auto registry = std::make_shared<mcp::Registry>();
    return app::run_server(config, registry, product_info(), hooks);
  }
  if (fakeaws->parsed()) {
    auto p = app::parse_port(fake_port_text, "--port");
    if (!p) {
      spdlog::critical("invalid configuration: {}", p.error().message);
      return 2;
    }
    return app::run_fakeaws_command(*p);
  }
  if (check->parsed()) {
    return run_check_command(check_region.empty() ? std::nullopt : std::optional<std::string>(check_region),
                             config.aws_profiles);
  }
  if (stdio->parsed()) return app::run_stdio_command(config);
  if (gen_cert->parsed()) return app::run_gen_cert(cert_options);
  return 0;
}

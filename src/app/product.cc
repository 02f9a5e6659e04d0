#include "app/product.h"

#include <boost/asio/io_context.hpp>
#include <spdlog/spdlog.h>

#include "app/aws_profiles.h"
#include "aws/aws_setup.h"
#include "common/version.h"
#include "mcp/stdio_transport.h"
#include "tools/toolsets.h"

namespace appsignals::app {

mcp::ServerInfo product_info() {
  mcp::ServerInfo info;
  info.name = "cloudwatch-applicationsignals-mcp-server";
  info.title = "AWS CloudWatch Application Signals";
  info.version = kVersion;
  info.description =
      "Investigate application health in AWS CloudWatch Application Signals: services, operations, "
      "SLOs, metrics, traces, Transaction Search spans, audits and Synthetics canaries.";
  info.instructions =
      "Tools for investigating application health with AWS CloudWatch Application Signals. "
      "For 'what is unhealthy?' start with audit_services(service_targets=\"*\") (worst findings first) or "
      "list_slis; for one operation ('is POST /charge slow?') go straight to audit_service_operations; for an "
      "SLO breach, audit_slos. Names may be given as typed (case and small misspellings are resolved, with a "
      "note). Drill down with get_service_detail, query_service_metrics, get_slo, search_transaction_spans "
      "(all spans, aggregates), query_sampled_traces and get_xray_trace (root causes), and "
      "analyze_canary_failures for Synthetics canaries. list_monitored_services is an inventory, not a "
      "required first step. Times accept ISO-8601, unix seconds and relative forms such as '3 hours ago'.";
  return info;
}

Result<std::function<void(mcp::Registry&, std::shared_ptr<aws::ClientContext>, const std::string&)>>
product_tools(const ServeConfig& config) {
  auto selection = tools::parse_toolsets(config.toolsets, config.read_only);
  if (!selection) return Error{ErrorCode::kInvalidArgument, "MCP_TOOLSETS (--toolsets): " + selection.error().message};
  auto sel = *selection;
  std::size_t budget = config.output_budget;
  return std::function<void(mcp::Registry&, std::shared_ptr<aws::ClientContext>, const std::string&)>(
      [sel, budget, config](mcp::Registry& registry, std::shared_ptr<aws::ClientContext> aws, const std::string& region) {
        std::string problem = aws ? "" : "no AWS region configured: set AWS_REGION";
        std::vector<tools::AwsProfile> profiles;
        if (aws) profiles = make_tool_profiles(config, *aws, region);
        else if (!config.aws_profiles.empty())
          spdlog::error("aws: MCP_AWS_PROFILES unused: the server has no AWS region (set AWS_REGION)");
        auto env = std::make_shared<tools::ToolEnv>(std::move(aws), region, problem);
        env->set_output_budget(budget);
        env->set_profiles(std::move(profiles));
        tools::register_tools(registry, env, sel);
      });
}

int run_stdio_command(const ServeConfig& config) {
  auto hook = product_tools(config);
  if (!hook) {
    spdlog::critical("invalid configuration: {}", hook.error().message);
    return 2;
  }
  boost::asio::io_context ioc(2);
  aws::MapEnv env(std::map<std::string, std::string, std::less<>>(config.env.begin(), config.env.end()));
  std::shared_ptr<aws::ClientContext> context;
  std::string region = config.region;
  auto setup = aws::make_aws_setup(ioc.get_executor(), env,
                                   region.empty() ? std::nullopt : std::optional<std::string>(region));
  if (setup) {
    context = setup->context;
    region = setup->region;
  } else {
    spdlog::warn("aws: {}", setup.error().message);
  }
  auto registry = std::make_shared<mcp::Registry>();
  (*hook)(*registry, context, region);
  auto server = std::make_shared<mcp::McpServer>(ioc.get_executor(), registry, product_info());
  server->set_state_key(config.state_key);
  server->set_tool_timeout(config.tool_timeout);
  return mcp::run_stdio(ioc, server);
}

}  // namespace appsignals::app

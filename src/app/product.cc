#include "app/product.h"

#include <boost/asio/io_context.hpp>
#include <spdlog/spdlog.h>

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
      "Start broad: audit_services (with service_targets '[{\"Type\":\"service\",\"Data\":{\"Service\":"
      "{\"Type\":\"Service\",\"Name\":\"*\"}}}]') or list_monitored_services and list_slis show what is "
      "unhealthy. Then drill down: get_service_detail, list_service_operations and query_service_metrics "
      "for one service, get_slo for an SLO, search_transaction_spans and get_xray_trace for root causes, "
      "analyze_canary_failures for Synthetics canaries.";
  return info;
}

Result<std::function<void(mcp::Registry&, std::shared_ptr<aws::ClientContext>, const std::string&)>>
product_tools(const ServeConfig& config) {
  auto selection = tools::parse_toolsets(config.toolsets, config.read_only);
  if (!selection) return Error{ErrorCode::kInvalidArgument, "MCP_TOOLSETS (--toolsets): " + selection.error().message};
  auto sel = *selection;
  return std::function<void(mcp::Registry&, std::shared_ptr<aws::ClientContext>, const std::string&)>(
      [sel](mcp::Registry& registry, std::shared_ptr<aws::ClientContext> aws, const std::string& region) {
        std::string problem = aws ? "" : "no AWS region configured: set AWS_REGION";
        auto env = std::make_shared<const tools::ToolEnv>(std::move(aws), region, problem);
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
  return mcp::run_stdio(ioc, server);
}

}  // namespace appsignals::app

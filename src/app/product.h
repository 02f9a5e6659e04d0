#pragma once
// The product's identity and tool registration, shared by serve, demo and stdio.
#include <memory>
#include <string>

#include "app/config.h"
#include "app/server_app.h"
#include "mcp/server.h"

namespace appsignals::app {

mcp::ServerInfo product_info();
// A register_tools hook for the configured toolsets; fails for an unknown toolset name.
Result<std::function<void(mcp::Registry&, std::shared_ptr<aws::ClientContext>, const std::string&)>>
product_tools(const ServeConfig& config);
// `appsignals-mcp stdio`: the same tools over stdin/stdout.
int run_stdio_command(const ServeConfig& config);

}  // namespace appsignals::app

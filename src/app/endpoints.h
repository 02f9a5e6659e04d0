#pragma once
// The operator endpoints: /health (never behind auth) and /info (behind auth).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mcp/registry.h"
#include "mcp/server.h"
#include "net/http_types.h"

namespace appsignals::app {

struct EndpointFacts {
  std::string region;
  std::vector<std::string> transports;  // e.g. {"sse", "streamable-http"}
  std::string public_prefix;
  bool stateless = false;
  std::function<std::string()> auth_mode;  // "disabled" / "api-key"
  std::function<bool()> tls_enabled;
};

std::shared_ptr<net::HttpHandler> make_health_handler(EndpointFacts facts);
std::shared_ptr<net::HttpHandler> make_info_handler(EndpointFacts facts, mcp::ServerInfo info,
                                                    std::shared_ptr<mcp::Registry> registry);

}  // namespace appsignals::app

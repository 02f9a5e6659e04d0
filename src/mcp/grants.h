#pragma once
// What the credential of one HTTP request allows: its OAuth scopes and the AWS profiles its
// principal may use (net::Request::scopes / aws_profiles, set at authentication). The transports
// put it on every JSON-RPC message the request carried (jsonrpc::Message::grants) and the server
// hands it to that message's RequestContext, so each request is judged by its own credential:
// two requests of one session with different tokens (a refreshed or stepped-up token, a legacy
// SSE POST, a batch) never see each other's scopes or profiles.
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace appsignals::net {
struct Request;
}

namespace appsignals::mcp {

struct Grants {
  std::optional<std::vector<std::string>> scopes;        // nullopt: not restricted by scope
  std::optional<std::vector<std::string>> aws_profiles;  // its default first; nullopt: unrestricted
};

// The request's grants, never null: when it restricts nothing (auth off, API keys without a
// profile map) one shared unrestricted instance (no allocation on that path). A message without
// grants is refused where McpServer::set_require_grants is on (serve).
std::shared_ptr<const Grants> grants_of(const net::Request& request);

}  // namespace appsignals::mcp

#pragma once
// Step-up authorization on HTTP (MCP 2025-11-25, RFC 6750 §3.1): a POST /mcp whose single
// JSON-RPC message is a tools/call of a tool the token's scopes do not allow is answered 403
// with `WWW-Authenticate: Bearer error="insufficient_scope", scope="<needed>", resource_metadata=…`
// before it reaches the MCP layer, so the client can ask the user for the scope. Everything else
// (batches, the legacy /messages/ POST whose reply travels on the SSE stream, principals without
// scopes) passes through; the MCP layer then refuses with an isError that names the scope.
#include <memory>

#include "mcp/registry.h"
#include "mcp/scope_policy.h"
#include "net/authenticator.h"
#include "net/http_types.h"

namespace appsignals::app {

std::shared_ptr<net::HttpHandler> make_scope_gate(std::shared_ptr<net::HttpHandler> inner,
                                                  std::shared_ptr<mcp::Registry> registry, mcp::ScopePolicy policy,
                                                  std::shared_ptr<net::Authenticator> auth);

}  // namespace appsignals::app

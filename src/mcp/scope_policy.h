#pragma once
// OAuth scopes for tools: a read-only tool needs the read scope, a tool that writes (ToolDef::
// writes) the write scope. A principal without scopes (nullopt: API key, auth off) is not
// restricted. The scopes are the request's own (jsonrpc::Message::grants, RequestContext::scopes):
// tools/list shows only the tools the scopes allow and tools/call refuses the others with an
// isError naming the missing scope (the HTTP layer answers 403 insufficient_scope before that
// where it can: app/scope_gate.h).
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "mcp/registry.h"

namespace appsignals::mcp {

using Scopes = std::optional<std::vector<std::string>>;

struct ScopePolicy {
  std::string read = "appsignals:read";
  std::string write = "appsignals:write";

  const std::string& needed(const ToolDef& tool) const { return tool.writes ? write : read; }
  // The scope `tool` needs and `scopes` lack, or nullopt when allowed.
  std::optional<std::string> missing(const ToolDef& tool, const Scopes& scopes) const {
    if (!scopes) return std::nullopt;
    const auto& need = needed(tool);
    if (std::find(scopes->begin(), scopes->end(), need) != scopes->end()) return std::nullopt;
    return need;
  }
};

}  // namespace appsignals::mcp

#pragma once
// The MCP conformance suite's server fixture (tools, resources, prompts and completion that
// @modelcontextprotocol/conformance expects; see MCP-PROTOCOL.md §5.1), registered on the
// same Registry type the product uses.
#include "mcp/registry.h"

namespace appsignals::conformance {

void register_fixture(mcp::Registry& registry);
// The 2026-07-28 additions (fixture_modern.cc); register_fixture calls it.
void register_modern_fixture(mcp::Registry& registry);

}  // namespace appsignals::conformance

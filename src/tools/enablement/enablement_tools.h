#pragma once
// The enablement toolset's tool definitions (one file per tool), added by register.cc.
#include "mcp/registry.h"

namespace appsignals::tools::enablement {

// get_enablement_guide: needs no AWS access and no ToolEnv.
mcp::ToolDef get_enablement_guide_tool();

}  // namespace appsignals::tools::enablement

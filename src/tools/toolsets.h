#pragma once
// The product's tools, grouped in toolsets an operator can enable (--toolsets / MCP_TOOLSETS,
// default all) and filtered by --read-only (hides tools that write).
//
// Each toolset lives in src/tools/<toolset>/ with one file per tool and a register.cc that
// defines its <toolset>_tools() function (ToolEntry: the tool's ToolSpec and run function).
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/result.h"
#include "mcp/registry.h"
#include "tools/common/tool_env.h"
#include "tools/common/tool_spec.h"

namespace appsignals::tools {

struct ToolSelection {
  std::set<std::string> toolsets;  // empty: all
  bool read_only = false;
};

// Every known toolset name, in catalogue order.
const std::vector<std::string>& toolset_names();
// Parses "services,slo" / "all"; an unknown name is an error listing the known ones.
Result<ToolSelection> parse_toolsets(std::string_view text, bool read_only);

// Registers the selected tools. ToolDef::toolset is set for each.
void register_tools(mcp::Registry& registry, std::shared_ptr<const ToolEnv> env, const ToolSelection& selection);

// The specs of the selected tools (in catalogue order): `check` probes their operations,
// tests walk them.
std::vector<std::shared_ptr<const ToolSpec>> selected_specs(const ToolSelection& selection);
// Every IAM-bearing operation the selected tools may call, each once, in catalogue order.
std::vector<aws::Op> selected_ops(const ToolSelection& selection);

// Each toolset's tools (defined in its toolset's register.cc).
std::vector<ToolEntry> services_tools();
std::vector<ToolEntry> slo_tools();
std::vector<ToolEntry> audit_tools();
std::vector<ToolEntry> traces_tools();
std::vector<ToolEntry> canaries_tools();
std::vector<ToolEntry> enablement_tools();
std::vector<ToolEntry> changes_tools();
std::vector<ToolEntry> groups_tools();
std::vector<ToolEntry> service_events_tools();
std::vector<ToolEntry> instrumentation_tools();
std::vector<ToolEntry> rum_tools();


}  // namespace appsignals::tools

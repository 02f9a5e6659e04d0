#include "tools/toolsets.h"

#include <cctype>
#include <algorithm>
#include <functional>


namespace appsignals::tools {
namespace {

struct Toolset {
  const char* name;
  std::vector<ToolEntry> (*tools)();
};

// Catalogue order (TOOLS.md).
const std::vector<Toolset>& toolsets() {
  static const std::vector<Toolset> all = {
      {"services", &services_tools},
      {"slo", &slo_tools},
      {"audit", &audit_tools},
      {"traces", &traces_tools},
      {"canaries", &canaries_tools},
      {"enablement", &enablement_tools},
      {"changes", &changes_tools},
      {"groups", &groups_tools},
      {"service_events", &service_events_tools},
      {"instrumentation", &instrumentation_tools},
      {"rum", &rum_tools},
  };
  return all;
}

// The entries of every toolset, built once (specs are immutable and shared).
const std::vector<std::pair<std::string, std::vector<ToolEntry>>>& catalogue() {
  static const auto all = [] {
    std::vector<std::pair<std::string, std::vector<ToolEntry>>> out;
    for (const auto& t : toolsets()) out.emplace_back(t.name, t.tools());
    return out;
  }();
  return all;
}

bool selected(const ToolSelection& selection, const std::string& toolset, const ToolSpec& spec) {
  if (!selection.toolsets.empty() && !selection.toolsets.count(toolset)) return false;
  return !(selection.read_only && spec.writes);
}

std::vector<std::string> split_names(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : std::string(text) + ",") {
    if (c == ',' || c == ' ') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

}  // namespace

const std::vector<std::string>& toolset_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& t : toolsets()) n.emplace_back(t.name);
    return n;
  }();
  return names;
}

Result<ToolSelection> parse_toolsets(std::string_view text, bool read_only) {
  ToolSelection sel;
  sel.read_only = read_only;
  for (auto& item : split_names(text)) {
    if (item == "all") {
      sel.toolsets.clear();
      return sel;
    }
    bool known = false;
    for (const auto& n : toolset_names()) known = known || n == item;
    if (!known) {
      std::string list;
      for (const auto& n : toolset_names()) list += (list.empty() ? "" : ", ") + n;
      return Error{ErrorCode::kInvalidArgument, "unknown toolset '" + item + "' (known: " + list + ", or all)"};
    }
    sel.toolsets.insert(item);
  }
  return sel;
}

void register_tools(mcp::Registry& registry, std::shared_ptr<const ToolEnv> env, const ToolSelection& selection) {
  for (const auto& [toolset, entries] : catalogue()) {
    for (const auto& entry : entries) {
      if (!selected(selection, toolset, *entry.spec)) {
        if (selection.read_only && entry.spec->writes &&
            (selection.toolsets.empty() || selection.toolsets.count(toolset)))
          registry.add_refusal(entry.spec->name, "the server runs read-only (--read-only / MCP_READ_ONLY): " +
                                                     entry.spec->name +
                                                     " changes the AWS account and is disabled. Ask the operator "
                                                     "to run the server without read-only to use it.");
        continue;
      }
      mcp::ToolDef def = make_tool(entry.spec, env, entry.run);
      def.toolset = toolset;
      registry.add_tool(std::move(def));
    }
  }
}

std::vector<std::shared_ptr<const ToolSpec>> selected_specs(const ToolSelection& selection) {
  std::vector<std::shared_ptr<const ToolSpec>> out;
  for (const auto& [toolset, entries] : catalogue())
    for (const auto& entry : entries)
      if (selected(selection, toolset, *entry.spec)) out.push_back(entry.spec);
  return out;
}

std::vector<aws::Op> selected_ops(const ToolSelection& selection) {
  std::vector<aws::Op> out;
  for (const auto& spec : selected_specs(selection))
    for (const auto& op : spec->ops)
      if (std::find(out.begin(), out.end(), op) == out.end()) out.push_back(op);
  return out;
}

}  // namespace appsignals::tools

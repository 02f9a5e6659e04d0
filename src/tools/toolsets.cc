#include "tools/toolsets.h"

#include <cctype>
#include <functional>


namespace appsignals::tools {
namespace {

using Registrar = void (*)(mcp::Registry&, std::shared_ptr<const ToolEnv>);

struct Toolset {
  const char* name;
  Registrar registrar;
};

// Catalogue order (TOOLS.md).
const std::vector<Toolset>& toolsets() {
  static const std::vector<Toolset> all = {
      {"services", &register_services_tools}, {"slo", &register_slo_tools},
      {"audit", &register_audit_tools},       {"traces", &register_traces_tools},
      {"canaries", &register_canaries_tools}, {"enablement", &register_enablement_tools},
  };
  return all;
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
  for (const auto& t : toolsets()) {
    if (!selection.toolsets.empty() && !selection.toolsets.count(t.name)) continue;
    mcp::Registry staging;
    t.registrar(staging, env);
    for (const auto& tool : staging.tools()) {
      if (selection.read_only && tool->writes) continue;
      mcp::ToolDef def = *tool;
      def.toolset = t.name;
      registry.add_tool(std::move(def));
    }
  }
}

}  // namespace appsignals::tools

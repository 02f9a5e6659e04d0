#include "tools/groups/groups_common.h"
#include "tools/toolsets.h"

namespace appsignals::tools {

std::vector<ToolEntry> groups_tools() {
  return {groups::list_group_services_tool(), groups::audit_group_health_tool(), groups::get_group_dependencies_tool(),
          groups::get_group_changes_tool(), groups::list_grouping_attribute_definitions_tool()};
}

}  // namespace appsignals::tools

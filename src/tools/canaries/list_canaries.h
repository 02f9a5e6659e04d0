#pragma once
// list_canaries: every CloudWatch Synthetics canary of the account and region (DescribeCanaries,
// all pages up to a cap) with the latest run of each (GetCanaryRuns, one run per canary,
// concurrently and bounded). The summary counts all of them; the list shows `max_results`,
// failing canaries first, and says how many are not shown.
#include "tools/common/tool_spec.h"

namespace appsignals::tools::canaries {

ToolEntry list_canaries_tool();

}  // namespace appsignals::tools::canaries

#pragma once
// The rum toolset: query_rum_events, one tool whose `action` selects one of 23 CloudWatch RUM
// actions (app monitors, page errors, Web Vitals, sessions, mobile crashes, and the X-Ray
// traces behind a slow page).
#include "tools/common/tool_spec.h"
#include "tools/rum/rum_common.h"

namespace appsignals::tools::rum {

// `options` (timeouts, parallelism) default to the production values; tests shorten them.
ToolEntry query_rum_events_tool(RumOptions options = {});

}  // namespace appsignals::tools::rum

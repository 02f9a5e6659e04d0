#pragma once
// The actions of query_rum_events, one function each (rum_actions_*.cc, rum_analyze.cc, rum_correlate.cc). The
// dispatcher (query_rum_events.cc) has already checked the action's arguments, resolved the
// monitor (GetAppMonitor) for monitor actions, refused a monitor whose Logs are off for the
// log actions and a wrong platform, and read the window.
#include <boost/asio/awaitable.hpp>

#include "mcp/content.h"
#include "tools/rum/rum_common.h"

namespace appsignals::tools::rum {

using Awaitable = boost::asio::awaitable<mcp::ToolResult>;

// Account and configuration (RUM API, CloudWatch, Application Signals).
Awaitable check_data_access(RumCall rc);
Awaitable list_monitors(RumCall rc);
Awaitable get_monitor(RumCall rc);
Awaitable list_tags(RumCall rc);
Awaitable get_policy(RumCall rc);
Awaitable metrics(RumCall rc);
Awaitable slo_health(RumCall rc);

// Logs Insights over the monitor's log group.
Awaitable query(RumCall rc);
Awaitable health(RumCall rc);
Awaitable errors(RumCall rc);
Awaitable performance(RumCall rc);
Awaitable sessions(RumCall rc);
Awaitable session_detail(RumCall rc);
Awaitable page_views(RumCall rc);
Awaitable timeseries(RumCall rc);
Awaitable locations(RumCall rc);
Awaitable http_requests(RumCall rc);
Awaitable resources(RumCall rc);
Awaitable page_flows(RumCall rc);
Awaitable crashes(RumCall rc);
Awaitable app_launches(RumCall rc);
Awaitable analyze(RumCall rc);

// X-Ray: a page's slow requests and the backend services behind them.
Awaitable correlate(RumCall rc);

// Web Vitals ratings (published thresholds): "good", "needs_improvement" or "poor"; "" for an
// unknown vital. `vital` is LCP, INP, CLS or FID; values in ms (CLS unitless).
std::string rate_vital(std::string_view vital, double p90);

}  // namespace appsignals::tools::rum

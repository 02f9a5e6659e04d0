#pragma once
// Shared pieces of query_rum_events: the per-call context its actions receive, the app-monitor
// lookup (GetAppMonitor, cached per monitor), Logs Insights queries on the monitor's log group
// (through common/logs_query: StopQuery on timeout, bounded parallelism) and the escaping of
// user text put into queries.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "aws/services/service_client.h"
#include "tools/common/tool_spec.h"

namespace appsignals::tools::rum {

namespace json = boost::json;

// Operator/test knobs of the toolset (rum_tools.h).
struct RumOptions {
  std::chrono::seconds query_timeout{60};  // per Logs Insights query; then StopQuery
  std::size_t max_parallel_queries = 3;    // health's concurrent queries
};

// What GetAppMonitor says about a monitor, as the actions need it.
struct MonitorInfo {
  std::string name;
  std::string id;
  std::string platform;  // "web" or "mobile" ("" when the monitor does not say)
  std::string raw_platform;  // "Web", "Android", "iOS"
  bool logs_enabled = false;
  std::string log_group;
  json::object app_monitor;  // the AppMonitor member as returned
};

// One action's call: the tool call, the clients, the options, and for monitor actions the
// monitor and the window (epoch seconds).
struct RumCall {
  ToolCall call;
  std::shared_ptr<const aws::AwsClients> clients;
  std::shared_ptr<const RumOptions> options;
  MonitorInfo monitor;
  std::int64_t start = 0;
  std::int64_t end = 0;
};

// GetAppMonitor through a bounded process-wide cache (kMonitorCacheSize monitors, keyed by
// region and name; entries older than kMonitorCacheTtl are fetched again). A failure is an
// isError result (not found names the monitor; AccessDenied names rum:GetAppMonitor).
inline constexpr std::size_t kMonitorCacheSize = 64;
inline constexpr std::chrono::minutes kMonitorCacheTtl{5};
struct MonitorLookup {
  std::optional<MonitorInfo> monitor;
  std::optional<mcp::ToolResult> failure;
};
boost::asio::awaitable<MonitorLookup> lookup_monitor(std::shared_ptr<const aws::AwsClients> clients,
                                                     std::string region, std::string name);
MonitorInfo monitor_info(const json::object& app_monitor);
// The cache itself (lookup_monitor uses it; exposed for tests). remember_monitor keeps a deep
// copy in the default resource: the entry never shares the AWS answer's arena.
std::optional<MonitorInfo> cached_monitor(const std::string& key);  // nullopt: absent or expired
void remember_monitor(const std::string& key, const MonitorInfo& info);
void clear_monitor_cache();  // tests

// Logs Insights text escaping for a value inside "...": \ " newline and carriage return.
std::string escape(std::string_view value);
// `<field> = "<escaped value>"` prefixed with " and " (empty when value is empty).
std::string and_equals(std::string_view field, std::string_view value);
// A bin() period: digits then ms, s, m, h or d ("1h", "30m").
bool valid_bucket(std::string_view bucket);

// One finished query: rows as {field: value} objects, or why there are none.
struct QueryRun {
  std::string query;
  std::string status;  // Complete, Failed, Cancelled, Timeout (ours: the query was stopped)
  json::array rows;
  std::string query_id;
  std::optional<mcp::ToolResult> failure;  // StartQuery/GetQueryResults failed
};
// Runs `query` over the monitor's log group in [start, end] (up to `limit` rows).
boost::asio::awaitable<QueryRun> run_query(std::shared_ptr<const aws::AwsClients> clients,
                                           std::shared_ptr<const RumOptions> options, std::string log_group,
                                           std::string query, std::int64_t start, std::int64_t end,
                                           std::int64_t limit);
// Runs every query (same group and window) with at most options->max_parallel_queries at a time.
boost::asio::awaitable<std::vector<QueryRun>> run_queries(std::shared_ptr<const aws::AwsClients> clients,
                                                          std::shared_ptr<const RumOptions> options,
                                                          std::string log_group, std::vector<std::string> queries,
                                                          std::int64_t start, std::int64_t end);

// The result of a query-backed action: {action, app_monitor, platform, time_range, <extra>}.
json::object base_result(const RumCall& rc, std::string_view action);
// A QueryRun's failure or timeout as the tool result to return; nullopt when it completed.
std::optional<mcp::ToolResult> query_problem(const QueryRun& run);

// Numbers in Logs Insights results are text.
double number(const json::object& row, std::string_view field, double fallback = 0);
double round_to(double v, int digits);
// `v` rounded to `digits` decimals, as an integer when it is one (counts print as 12, not 1.2E1).
json::value num_value(double v, int digits);

}  // namespace appsignals::tools::rum

#pragma once
// The instrumentation toolset: Application Signals dynamic instrumentation (breakpoint snapshots
// and probes placed in running services). Shared argument specs, location reading and
// validation, rendering, the write log and the Logs Insights runner of the snapshot tools.
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "tools/common/tool_spec.h"

namespace appsignals::tools::instrumentation {

namespace json = boost::json;

ToolEntry create_instrumentation_tool();
ToolEntry list_instrumentations_tool();
ToolEntry get_instrumentation_tool();
ToolEntry delete_instrumentation_tool();
ToolEntry batch_delete_by_scope_tool();
ToolEntry batch_delete_by_arns_tool();
ToolEntry get_status_tool();
ToolEntry check_status_tool();
ToolEntry search_snapshots_tool();
ToolEntry sample_snapshot_tool();

// Argument specs shared by the tools (names as the reference server's).
ArgSpec type_arg();
ArgSpec service_arg(const char* name = "service");
ArgSpec environment_arg();
std::vector<ArgSpec> location_args();  // language, file_path, code_unit, class_name, method_name, line_number
ArgSpec location_hash_arg(bool required);

// "Java", "Python", "Javascript" for any usual spelling; nullopt otherwise.
std::optional<std::string> canonical_language(std::string_view text);
bool valid_location_hash(std::string_view hash);

// The CodeLocation the location arguments describe, or an error text saying what to change.
// `type` is BREAKPOINT or PROBE.
Result<json::object> read_code_location(const Args& args, const std::string& type);
// LocationIdentifier from location_hash or the code location arguments.
Result<json::object> read_location_identifier(const Args& args, const std::string& type);

// {InstrumentationType, Service, Environment, SignalType} from the arguments.
json::object scope_input(const Args& args);

std::string iso(double epoch_seconds);
// "Java com.shop.payments.ChargeService.charge (src/.../ChargeService.java)" and line.
std::string describe_location(const json::object& code_location);
// A configuration (model shape) as indented text lines.
std::string config_text(const json::object& config, std::int64_t now);

// INFO log line of a write: the caller's principal (never a secret), the tool, service,
// environment and outcome (never captured values).
void log_write(const ToolCall& call, std::string_view service, std::string_view environment,
               std::string_view type, std::string_view outcome);

// A Logs Insights query run to completion (polled) or stopped after max_timeout.
struct InsightsOutcome {
  std::string status;  // Complete | Failed | Cancelled | Timeout
  std::string query_id;
  json::array rows;    // one object per row: field → value
  std::optional<mcp::ToolResult> failure;
};
boost::asio::awaitable<InsightsOutcome> run_insights(ToolCall call, std::string log_group, std::int64_t start,
                                                     std::int64_t end, std::string query, std::int64_t limit,
                                                     std::int64_t max_timeout);

}  // namespace appsignals::tools::instrumentation

#pragma once
// What the three audit tools share: reading and normalising audit targets (every shorthand the
// reference accepts, keys matched case-insensitively), the auditors argument, resolving service
// names (wildcard pages of ListServices, fuzzy names, missing environments), running
// ListAuditFindings in batches of 5 concurrently, and rendering the report.
//
// Coroutines here take their parameters by value (GCC 12: see the tools brief).
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
#include "common/result.h"
#include "tools/common/time_args.h"
#include "tools/common/tool_env.h"

namespace appsignals::tools::audit {

inline constexpr std::size_t kBatchSize = 5;    // targets per ListAuditFindings call
inline constexpr std::size_t kFanout = 8;       // concurrent calls at most
inline constexpr int kMaxWildcardPages = 20;    // pages scanned looking for a wildcard match
inline constexpr std::chrono::hours kDefaultWindow{24};

// ---- arguments ----

// The targets argument: a JSON array, JSON text of one, or a single object (wrapped).
Result<boost::json::array> targets_arg(const boost::json::object& args, std::string_view name);

// The auditors argument: nullopt = every auditor (the caller omits Auditors); `fallback` when
// absent. Unknown names are an error listing the allowed ones.
Result<std::optional<std::vector<std::string>>> auditors_arg(const boost::json::object& args,
                                                             std::string_view fallback);
std::string auditors_label(const std::optional<std::vector<std::string>>& auditors);

// The arguments every audit tool reads besides its targets' meaning.
struct AuditArgs {
  boost::json::array targets;  // the `targets_key` argument, a JSON array (or JSON text of one)
  TimeWindow window;           // start_time/end_time, default the last 24 h
  std::optional<std::vector<std::string>> auditors;
  std::int64_t page_size = 5;  // `page_key` (max_services / max_slos), clamped to 1..10
  std::string next_token;
};
Result<AuditArgs> read_audit_args(const boost::json::object& args, std::string_view targets_key,
                                  std::string_view page_key, std::string_view default_auditors, TimePoint now);

// ---- targets ----

// A service as the caller named it: name may hold '*'; environment may be empty (filled from
// ListServices).
struct ServiceRef {
  std::string name;
  std::string environment;
  std::string type = "Service";
  std::string account_id;
};

struct OperationRef {
  ServiceRef service;
  std::string operation;    // may hold '*'
  std::string metric_type;  // "Latency", "Availability", "Error" or empty
};

struct SloRef {
  std::string name;  // may hold '*'
  std::string arn;
};

// Each returns an error naming the argument and the element index on a malformed target.
Result<std::vector<ServiceRef>> parse_service_targets(const boost::json::array& targets, std::string_view arg);
Result<std::vector<OperationRef>> parse_operation_targets(const boost::json::array& targets, std::string_view arg);
Result<std::vector<SloRef>> parse_slo_targets(const boost::json::array& targets, std::string_view arg);

// ListAuditFindings AuditTarget objects.
boost::json::object service_audit_target(const ServiceRef& s);
boost::json::object operation_audit_target(const OperationRef& o);
boost::json::object slo_audit_target(const SloRef& s);

// ---- service listing ----

struct ListedService {
  std::string name;
  std::string environment;
  std::string type;
  std::string account_id;
  bool instrumented = true;
};

ListedService listed_service(const boost::json::object& summary);
// Not worth auditing: Type ≠ Service, name "Unknown", or InstrumentationType UNINSTRUMENTED /
// AWS_NATIVE.
bool uninstrumented(const boost::json::object& summary);

// Every service active in the window (all pages of ListServices).
boost::asio::awaitable<Result<std::vector<ListedService>>> list_all_services(
    std::shared_ptr<const aws::AwsClients> clients, TimeWindow window);

// One wildcard scan: pages of ListServices (max_services each) from `next_token`, until a page
// gives at least one match or the listing ends.
struct WildcardScan {
  std::vector<ServiceRef> matches;  // de-duplicated, listing order
  std::size_t listed = 0;           // services on the pages scanned
  std::size_t instrumented = 0;
  std::string next_token;           // where to continue; empty = listing complete
};
boost::asio::awaitable<Result<WildcardScan>> scan_wildcards(std::shared_ptr<const aws::AwsClients> clients,
                                                            TimeWindow window, std::vector<std::string> patterns,
                                                            std::int64_t max_services, std::string next_token);

// Resolves names without '*': exact name, else a fuzzy match scoring ≥ 85; fills a missing
// environment (every environment the name is found in). `notes` gets one line per
// substitution; `unresolved` one line per name with no match (with the closest names).
void resolve_exact_names(const std::vector<ServiceRef>& wanted, const std::vector<ListedService>& listing,
                         std::vector<ServiceRef>& out, std::vector<std::string>& notes,
                         std::vector<std::string>& unresolved);

// Resolves every service reference: wildcard names against one wildcard scan (matching each
// pattern), the others by resolve_exact_names over the whole listing (only fetched when a name
// lacks its environment). Errors are ListServices failures.
struct Resolution {
  std::vector<std::vector<ServiceRef>> per_ref;  // per input reference, the services it stands for
  std::vector<std::string> lines;                // header lines: filtering, fuzzy substitutions
  std::vector<std::string> unresolved;           // names with no match, with the closest names
  bool wildcard = false;
  WildcardScan scan;
};
boost::asio::awaitable<Result<Resolution>> resolve_services(std::shared_ptr<const aws::AwsClients> clients,
                                                            TimeWindow window, std::vector<ServiceRef> refs,
                                                            std::int64_t max_services, std::string next_token);

// ---- ListAuditFindings ----

struct FailedBatch {
  Error error;
  std::vector<std::string> targets;  // labels of the batch's targets
};

struct AuditRun {
  boost::json::array findings;
  std::vector<FailedBatch> failed;
  std::size_t batches = 0;
};

// One ListAuditFindings per batch of 5 (following NextToken), at most kFanout at a time.
// `labels[i]` names targets[i] in failure reports.
boost::asio::awaitable<AuditRun> run_audit(std::shared_ptr<const aws::AwsClients> clients, TimeWindow window,
                                           std::vector<boost::json::object> targets,
                                           std::vector<std::string> labels,
                                           std::optional<std::vector<std::string>> auditors);

// ---- output ----

struct ReportHeader {
  std::string title;   // "Service audit"
  std::string scope;   // "3 service targets"
  std::string region;
  TimeWindow window;
  std::string auditors;
  std::vector<std::string> lines;  // filtering, resolution notes, ...
};

std::string render_header(const ReportHeader& h, std::size_t targets, std::size_t batches);
// Findings, most severe first within each finding; severity totals; failed batches.
std::string render_findings(const AuditRun& run);

// Continuation instructions after a wildcard listing.
struct Continuation {
  std::string tool;             // "audit_services"
  std::string targets_arg;      // "service_targets"
  std::string targets_json;     // the same targets, as JSON text
  TimeWindow window;
  std::string next_token;       // empty: listing complete
  std::string size_arg;         // "max_services"
  std::int64_t size = 5;
  std::string what;             // "services" / "SLOs"
  std::vector<std::string> audited;  // names audited on this page
};
std::string render_continuation(const Continuation& c);
// The continuation of a service-wildcard audit (nullopt without wildcards): the same targets
// (`targets` under `targets_arg`), window and page size, and the scan's next token.
std::optional<Continuation> service_continuation(const Resolution& res, std::string tool, std::string targets_arg,
                                                 const boost::json::array& targets, const TimeWindow& window,
                                                 std::int64_t max_services);

std::string join(const std::vector<std::string>& items, std::string_view sep);

}  // namespace appsignals::tools::audit

namespace appsignals::tools::audit {

// Input-schema properties shared by the three tools: start_time, end_time, auditors (with this
// default), next_token, region.
boost::json::object shared_properties(std::string_view default_auditors);
// The whole input schema of an audit tool: the shared properties, the targets parameter
// (`targets_key`, a JSON array or JSON text of one) and the page size parameter (`max_key`,
// 1 to 10, default 5).
boost::json::object audit_schema(std::string_view default_auditors, std::string_view targets_key,
                                 std::string_view targets_description, std::string_view max_key,
                                 std::string_view max_description);
// The region the call audits: the `region` argument, else the server's.
std::string region_of(const ToolEnv& env, const boost::json::object& args);

}  // namespace appsignals::tools::audit

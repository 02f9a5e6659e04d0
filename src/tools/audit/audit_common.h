#pragma once
// What the three audit tools share: reading audit targets in every form a model sends them
// (a bare name, a comma list, "*", a JSON list, the documented target objects and their
// shorthands, JSON text of any of these), the auditors and time arguments, resolving names
// against what the account reports (wildcards, one clear fuzzy winner, not found with the
// closest names), running ListAuditFindings in batches of 5 concurrently, ranking what comes
// back (most severe first) and rendering the report with its page and continuation.
//
// Coroutines here take their parameters by value (GCC 12: docs/ARCHITECTURE.md "Pitfalls").
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
#include "tools/common/tool_spec.h"

namespace appsignals::tools::audit {

namespace json = boost::json;

inline constexpr std::size_t kBatchSize = 5;    // targets per ListAuditFindings call
inline constexpr std::size_t kFanout = 8;       // concurrent AWS calls at most
inline constexpr std::size_t kAuditCap = 50;    // targets audited (and ranked) per call
inline constexpr std::size_t kMaxExpandedServices = 100;  // services whose operations one call lists
inline constexpr std::chrono::hours kDefaultWindow{24};

// ---- targets ----

enum class TargetKind { kService, kOperation, kSlo };

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

// Reads a targets argument in any accepted form into the canonical JSON array of
// ListAuditFindings AuditTarget objects (errors name the element and show every accepted form).
// These are the argument readers of service_targets / operation_targets / slo_targets.
Result<json::array> read_targets(TargetKind kind, const json::value& value);
// The targets argument of a tool (a kJson argument whose reader is read_targets).
ArgSpec targets_arg(TargetKind kind);

// The canonical array (read_targets' result) as references.
std::vector<ServiceRef> service_refs(const json::array& canonical);
std::vector<OperationRef> operation_refs(const json::array& canonical);
std::vector<SloRef> slo_refs(const json::array& canonical);

// The targets as the shortest text that reads back the same ("*pay*", "payments, checkout",
// "payments/POST /payments/charge [Latency]"), else JSON text: what the continuation quotes.
std::string compact_targets(TargetKind kind, const json::array& canonical);

// ListAuditFindings AuditTarget objects.
json::object service_audit_target(const ServiceRef& s);
json::object operation_audit_target(const OperationRef& o);
json::object slo_audit_target(const SloRef& s);

// ---- the other arguments ----

// The auditors argument: case-insensitive names, a comma list or a JSON list, "all".
ArgSpec auditors_arg(std::string_view default_auditors);
// The auditors to send: nullopt = every auditor (Auditors omitted).
std::optional<std::vector<std::string>> auditors_of(const ToolCall& call, std::string_view default_auditors);
std::string auditors_label(const std::optional<std::vector<std::string>>& auditors);

ArgSpec start_time_arg();
ArgSpec end_time_arg();
// start_time/end_time (already epoch seconds), default the last 24 h; end after start.
Result<TimeWindow> audit_window(const ToolCall& call);

ArgSpec page_size_arg(std::string name, std::string what);
ArgSpec next_token_arg();

// Where a wildcard audit continues: the first target of the audit window (a multiple of
// kAuditCap) and the first rank shown.
struct PageToken {
  std::size_t audit_offset = 0;
  std::size_t rank_offset = 0;
};
std::string format_token(const PageToken& t);
std::optional<PageToken> parse_token(std::string_view text);
// The call's next_token (the first page when absent), or the message to return: a token is
// only for wildcard audits (`targets_arg` names the tool's targets argument, `example` a
// wildcard value of it) and must be one this tool printed.
Result<PageToken> read_page_token(const ToolCall& call, bool wildcard, std::string_view targets_arg,
                                  std::string_view example);

// The region the call audits: the `region` argument, else the server's.
std::string region_of(const ToolCall& call);

// ---- service listing and name resolution ----

struct ListedService {
  std::string name;
  std::string environment;
  std::string type;
  std::string account_id;
  bool instrumented = true;
};

ListedService listed_service(const json::object& summary);
// Not worth auditing: Type ≠ Service, name "Unknown", or InstrumentationType UNINSTRUMENTED /
// AWS_NATIVE.
bool uninstrumented(const json::object& summary);

// Every service active in the window (all pages of ListServices).
boost::asio::awaitable<Result<std::vector<ListedService>>> list_all_services(
    std::shared_ptr<const aws::AwsClients> clients, TimeWindow window);

// Every service reference resolved against the listing: wildcard names match the instrumented
// services (anchored, case-insensitive globs); other names resolve exact → case → separators →
// one clear fuzzy winner (a note) → not found with the closest names.
struct Resolution {
  std::vector<std::vector<ServiceRef>> per_ref;  // per input reference, the services it stands for
  std::vector<std::string> lines;                // header lines: filtering, matches
  std::vector<std::string> notes;                // resolved spellings (call notes)
  std::vector<std::string> unresolved;           // names with no match, with the closest names
  bool wildcard = false;
};
Resolution resolve_services(const std::vector<ServiceRef>& refs, const std::vector<ListedService>& listing,
                            const TimeWindow& window);

// ---- ListAuditFindings and ranking ----

struct FailedBatch {
  Error error;
  std::vector<std::string> targets;  // labels of the batch's targets
};

// One audited target and the findings that came back for it.
struct AuditEntry {
  std::string label;
  std::vector<json::object> findings;
  bool failed = false;  // its batch failed: not audited
  int worst = 0;        // severity rank of its worst auditor result (severity_rank)
};

struct AuditRun {
  std::vector<AuditEntry> entries;  // one per target (in target order), then findings matching none
  std::vector<FailedBatch> failed;
  std::size_t batches = 0;
  std::size_t targets = 0;
};

// One ListAuditFindings per batch of 5 (following NextToken), at most kFanout at a time; the
// findings are matched to their targets by key attributes (and operation / SLO name).
boost::asio::awaitable<AuditRun> run_audit(std::shared_ptr<const aws::AwsClients> clients, TimeWindow window,
                                           std::vector<json::object> targets, std::vector<std::string> labels,
                                           std::optional<std::vector<std::string>> auditors);

// 0 for CRITICAL, then HIGH, WARNING, MEDIUM, LOW, INFO, NONE, unrated; kNoFindings for none.
int severity_rank(std::string_view severity);
inline constexpr int kNoFindings = 100;
// The audited entries (not failed), most severe first; ties keep target order.
std::vector<const AuditEntry*> ranked(const AuditRun& run);

// ---- output ----

struct ReportHeader {
  std::string title;   // "service audit"
  std::string scope;   // "3 service targets given, 3 services audited"
  std::string region;
  TimeWindow window;
  std::string auditors;
  std::vector<std::string> lines;  // filtering, matches, ...
};
std::string render_header(const ReportHeader& h, std::size_t targets, std::size_t batches);

// How a wildcard audit pages: which slice of the ranked result this call shows and how to go on.
struct Paging {
  std::string tool;          // "audit_services"
  std::string targets_arg;   // "service_targets"
  std::string targets_text;  // compact_targets
  TimeWindow window;
  std::string size_arg;      // "max_services"
  std::size_t size = 5;
  std::string what;          // "services"
  std::size_t matched = 0;   // targets the patterns stand for in all
  PageToken at;              // this page
};

// The ranked findings: the totals over every audited target, then (paged) the page's slice or
// (unpaged) every target, most severe first, then failed batches and the continuation.
std::string render_ranked(const AuditRun& run, const std::optional<Paging>& paging);
// The slice of `all` a wildcard call audits: [audit_offset, audit_offset + kAuditCap).
template <typename T>
std::vector<T> audit_slice(const std::vector<T>& all, const PageToken& at) {
  if (at.audit_offset >= all.size()) return {};
  auto end = std::min(all.size(), at.audit_offset + kAuditCap);
  return std::vector<T>(all.begin() + static_cast<std::ptrdiff_t>(at.audit_offset),
                        all.begin() + static_cast<std::ptrdiff_t>(end));
}
// An error for a next_token that points past what the listing now holds.
std::string stale_token_text(std::string_view tool);

std::string join(const std::vector<std::string>& items, std::string_view sep);
std::string plural(std::size_t n, std::string_view one, std::string_view many);

}  // namespace appsignals::tools::audit

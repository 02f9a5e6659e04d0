#pragma once
// Pure helpers of analyze_canary_failures (no I/O, so each is unit-testable): run history and
// failure streak, artifact locations and classification, HAR parsing and comparison, the
// Lambda function behind a canary, IAM policy evaluation for the actions a canary needs, and
// pattern-based advice.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace appsignals::tools::canaries {

// ---- runs ----
struct CanaryRun {
  std::string id;
  std::string state;         // PASSED, FAILED, RUNNING
  std::string reason;        // Status.StateReason
  double started = 0;        // epoch seconds (0: unknown)
  double completed = 0;
  std::string artifact_location;  // the run's ArtifactS3Location ("bucket/prefix"), may be empty
};
// GetCanaryRuns' CanaryRuns, in the order given (newest first).
std::vector<CanaryRun> parse_runs(const boost::json::array& runs);

struct ReasonGroup {
  std::string reason;
  int count = 0;
};
struct FailureStreak {
  int length = 0;                     // consecutive FAILED runs from the newest
  bool reaches_history_end = false;   // no PASSED run among the runs seen
  std::optional<std::size_t> last_passed;   // index of the newest PASSED run
  std::optional<std::size_t> last_failed;   // index of the newest FAILED run
  std::vector<ReasonGroup> reasons;   // the streak's runs grouped by StateReason, largest first
};
FailureStreak failure_streak(const std::vector<CanaryRun>& runs);

// ---- S3 ----
struct S3Location {
  std::string bucket;
  std::string prefix;  // without leading or trailing '/'
};
// "s3://bucket/prefix", "bucket/prefix" or "bucket"; nullopt when empty.
std::optional<S3Location> parse_s3_location(std::string_view text);
// "<prefix>/YYYY/MM/DD/" for the UTC day of `epoch_seconds` (the layout Synthetics writes).
std::string date_prefix(const S3Location& base, double epoch_seconds);

enum class ArtifactKind { kHar, kScreenshot, kLog, kReport, kOther };
ArtifactKind classify_artifact(std::string_view key);
std::string_view artifact_kind_name(ArtifactKind kind);

struct ArtifactFile {
  std::string key;
  std::int64_t size = 0;
  ArtifactKind kind = ArtifactKind::kOther;
};
// ListObjectsV2's Contents, classified.
std::vector<ArtifactFile> artifact_files(const boost::json::array& contents);

// The bytes kept when reading an artifact.
inline constexpr std::size_t kArtifactReadCap = 256 * 1024;
// Objects larger than this are not downloaded at all.
inline constexpr std::int64_t kArtifactSkipSize = 8 * 1024 * 1024;

// ---- HAR ----
struct HarEntry {
  std::string method;
  std::string url;
  int status = 0;
  double time_ms = 0;
  std::string error;  // e.g. "net::ERR_TIMED_OUT"
  double started = 0; // epoch seconds, 0 if unknown
};
struct HarSummary {
  std::vector<HarEntry> entries;
  double total_ms = 0;  // first request start to last request end (or the sum when starts are unknown)
};
// Parses a HAR file: plain JSON, or the HTML page Synthetics writes (a script assigning the
// HAR object). Errors: a readable reason (e.g. truncated, not HAR).
struct HarParse {
  std::optional<HarSummary> har;
  std::string problem;
};
HarParse parse_har(std::string_view text);
bool har_entry_failed(const HarEntry& e);  // status >= 400, no response (0) or a network error
std::string render_har_summary(const HarSummary& har, std::string_view label);
std::string render_har_comparison(const HarSummary& failed, const HarSummary& passed);

// ---- Lambda ----
// "arn:aws:lambda:region:acct:function:NAME[:version]" → NAME; nullopt if not a function ARN.
std::optional<std::string> function_name_from_arn(std::string_view arn);

// ---- IAM ----
struct RequiredAction {
  std::string action;
  std::string resource;  // the ARN the canary needs it on
};
// The actions a canary's role needs for its artifact bucket, logs and metrics.
std::vector<RequiredAction> required_canary_actions(const S3Location& artifacts, std::string_view region,
                                                    std::string_view account_id, std::string_view function_name);
struct ActionCheck {
  RequiredAction required;
  bool allowed = false;
  bool denied = false;           // an explicit Deny matches
  bool conditional = false;      // allowed only under a Condition
  std::string granted_by;        // policy name of the first allowing statement
};
struct PolicyDocument {
  std::string name;
  boost::json::value document;  // parsed JSON
};
std::vector<ActionCheck> check_actions(const std::vector<RequiredAction>& required,
                                       const std::vector<PolicyDocument>& policies);
// Policy documents from IAM are URL-encoded JSON; also accepts plain JSON.
std::optional<boost::json::value> decode_policy_document(std::string_view text);

// ---- patterns ----
bool is_permission_failure(std::string_view reason);
struct PatternAdvice {
  std::string id;     // "disk", "memory", "navigation_timeout", "visual_variation", "permissions"
  std::string title;
  std::vector<std::string> steps;
};
// Advice for the failure patterns found in `text` (reason + error log lines).
std::vector<PatternAdvice> pattern_advice(std::string_view text, int memory_mb, int timeout_s);

// Lower-cased copy.
std::string lower(std::string_view s);
// "2026-03-02 12:00:00 UTC" for epoch seconds.
std::string format_epoch(double epoch_seconds);
// A JSON number (int, uint or double) or numeric string as double; 0 otherwise.
double number_of(const boost::json::value* v);

}  // namespace appsignals::tools::canaries

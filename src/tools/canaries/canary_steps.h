#pragma once
// The AWS-facing steps of analyze_canary_failures. Each step writes its findings (or the error
// that stopped it) into the shared AnalysisState; none of them fails the whole analysis.
//
// Lifetime: the state is shared by the concurrent steps (shared_ptr); all steps run on the
// calling coroutine's strand (for_each_bounded), so writes to distinct members need no lock.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "aws/services/s3_client.h"
#include "aws/services/service_client.h"
#include "common/result.h"
#include "tools/canaries/canary_analysis.h"

namespace appsignals::tools::canaries {

// A step that could not complete: what failed and the IAM action it needs.
struct StepError {
  std::string what;
  Error error;
  std::string iam_action;
};
std::string render_step_error(const StepError& e);

struct ReadArtifact {
  std::string key;
  std::string text;       // at most kArtifactReadCap bytes
  bool truncated = false;
  std::int64_t size = 0;
  std::optional<StepError> error;
};

struct RunArtifacts {
  std::string bucket;
  std::string folder;     // the run's folder (prefix ending in '/'), empty if none found
  std::vector<ArtifactFile> files;
  std::optional<ReadArtifact> har;
  std::vector<ReadArtifact> logs;
  std::optional<HarParse> har_parse;
};

struct DateListing {
  std::string bucket;
  std::string prefix;
  std::vector<ArtifactFile> files;
  bool truncated = false;  // more keys than the pages read
  std::optional<StepError> error;
};

struct IamFindings {
  std::string role_name;
  bool role_exists = false;
  std::vector<std::string> policy_names;
  std::vector<ActionCheck> checks;
  std::vector<StepError> errors;
};

struct LambdaFindings {
  std::string function_name;
  std::string log_group;
  double window_start = 0, window_end = 0;
  std::optional<boost::json::object> configuration;  // GetFunction's Configuration
  std::vector<std::pair<double, std::string>> events;  // (epoch seconds, message)
  bool more_events = false;
  std::vector<StepError> errors;
};

struct AnalysisState {
  std::shared_ptr<const aws::AwsClients> clients;
  std::optional<aws::S3Client> s3;
  std::optional<Error> s3_problem;
  std::string region;
  std::string name;

  // Step 1: GetCanary and GetCanaryRuns.
  std::optional<Result<boost::json::value>> canary;
  std::optional<Result<boost::json::value>> runs;

  // Derived from step 1.
  boost::json::object canary_obj;
  std::vector<CanaryRun> recent;
  std::optional<S3Location> base;

  // Step 2.
  std::optional<StepError> audit_error;
  boost::json::array audit_findings;
  std::vector<std::string> date_prefixes;  // distinct day folders to list
  std::map<std::string, DateListing> listings;
  // Filled after the listings: the failed and the passing run's artifacts.
  std::optional<std::size_t> failed_index, passed_index;
  RunArtifacts failed_artifacts, passed_artifacts;

  // Step 3.
  std::optional<IamFindings> iam;
  std::optional<LambdaFindings> lambda;
};

using StatePtr = std::shared_ptr<AnalysisState>;

// Step 1, i = 0: GetCanary, i = 1: GetCanaryRuns (MaxResults 5).
boost::asio::awaitable<void> fetch_canary_part(StatePtr s, std::size_t i);
// Canary names in the account (DescribeCanaries), for the not-found answer.
boost::asio::awaitable<Result<std::vector<std::string>>> canary_names(StatePtr s);
// ListAuditFindings for the canary target over [end - 900 s, end].
boost::asio::awaitable<void> fetch_audit(StatePtr s, double end);
// Lists one day folder of the artifact bucket (up to 5 pages of 1000 keys).
boost::asio::awaitable<void> list_date_prefix(StatePtr s, std::string prefix);
// Picks the run's files from the listings and reads its HAR and logs (bounded).
void select_run_files(const AnalysisState& s, const CanaryRun& run, RunArtifacts& out);
boost::asio::awaitable<void> read_run_artifacts(StatePtr s, bool failed_run);
// The Lambda logs fallback around the failed run.
boost::asio::awaitable<void> fetch_lambda_logs(StatePtr s);
// IAM analysis of the execution role.
boost::asio::awaitable<void> analyze_iam(StatePtr s);

}  // namespace appsignals::tools::canaries

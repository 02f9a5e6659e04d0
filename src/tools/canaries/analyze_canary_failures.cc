// analyze_canary_failures: GetCanary and GetCanaryRuns (the core: a failure there is the
// answer), then the audit findings, the S3 artifacts, the Lambda logs fallback and the IAM
// analysis concurrently; each of those reports its own failure in its section.
#include "tools/canaries/analyze_canary_failures.h"

#include <algorithm>
#include <set>

#include "tools/canaries/canary_analysis.h"
#include "tools/canaries/canary_report.h"
#include "tools/canaries/canary_steps.h"
#include "tools/canaries/knowledge_base.h"
#include "tools/common/fanout.h"
#include "tools/common/json_access.h"
#include "tools/common/name_match.h"
#include "tools/common/time_args.h"

namespace appsignals::tools::canaries {
namespace asio = boost::asio;

namespace {

constexpr std::size_t kFanout = 8;

int run_config_int(const json::object& canary, std::string_view key) {
  return static_cast<int>(jv::integer(jv::obj(canary, "RunConfig"), key));
}

// A canary name AWS would accept: lower-case letters, digits, '-' and '_' (at most 255).
// Anything else cannot exist, so it is resolved against the account's names without a GetCanary.
bool valid_canary_name(std::string_view name) {
  if (name.empty() || name.size() > 255) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::string unknown_canary_text(const std::string& name, const std::string& region,
                                const std::vector<std::string>& names, const NameResolution& resolution) {
  std::string text = "Error: canary '" + name.substr(0, 200) + "' does not exist in region " + region + " (" +
                     std::to_string(names.size()) + " canar" + (names.size() == 1 ? "y" : "ies") + " there).";
  if (!resolution.closest.empty()) {
    text += " Closest canary names:";
    for (const auto& c : resolution.closest) text += " " + c.name + (&c == &resolution.closest.back() ? "." : ",");
  } else if (names.empty()) {
    text += " The region has no canaries; check the region argument.";
  } else {
    text += " Canaries in this region:";
    std::size_t shown = std::min<std::size_t>(names.size(), 10);
    for (std::size_t i = 0; i < shown; ++i) text += " " + names[i] + (i + 1 == shown ? "" : ",");
    if (names.size() > shown) text += " and " + std::to_string(names.size() - shown) + " more";
    text += ".";
  }
  return text + " Call analyze_canary_failures again with one of them, or list_canaries for all.";
}

asio::awaitable<void> fetch_step2(StatePtr s, double audit_end, std::size_t i) {
  if (i == 0) {
    co_await fetch_audit(s, audit_end);
  } else {
    std::string prefix = s->date_prefixes[i - 1];
    co_await list_date_prefix(s, prefix);
  }
}

// Step 3 items: 0 = read the failed run's artifacts, 1 = the passing run's HAR, 2 = Lambda
// logs fallback, 3 = IAM analysis; `wanted` says which run.
asio::awaitable<void> fetch_step3(StatePtr s, std::shared_ptr<std::vector<int>> wanted, std::size_t i) {
  switch ((*wanted)[i]) {
    case 0: co_await read_run_artifacts(s, true); break;
    case 1: co_await read_run_artifacts(s, false); break;
    case 2: co_await fetch_lambda_logs(s); break;
    default: co_await analyze_iam(s); break;
  }
}

// Everything the knowledge base and the pattern advice read, gathered from the state.
void evidence(const AnalysisState& s, const std::string& description, KbContext& kb, std::string& pattern_text) {
  const auto& failed = s.recent[*s.failed_index];
  kb.error_text = failed.reason;
  kb.evidence_text = description + "\n" + failed.reason;
  auto add_log = [&](const std::string& text) {
    for (const auto& l : error_lines(text)) kb.error_text += "\n" + l;
    kb.evidence_text += "\n" + text;
  };
  for (const auto& l : s.failed_artifacts.logs) add_log(l.text);
  if (s.lambda)
    for (const auto& e : s.lambda->events) add_log(e.second);
  if (s.failed_artifacts.files.empty()) kb.evidence_text += "\nno artifacts";
  if (const auto& hp = s.failed_artifacts.har_parse; hp && hp->har)
    kb.evidence_text += "\n" + render_har_summary(*hp->har, "har");
  if (s.failed_index && s.recent.size() > 1 && s.recent.size() == static_cast<std::size_t>(std::count_if(
        s.recent.begin(), s.recent.end(), [](const CanaryRun& r) { return r.state == "FAILED"; })))
    kb.evidence_text += "\nevery run fails";
  kb.runtime = jv::str(s.canary_obj, "RuntimeVersion");
  kb.environment_text = description;
  if (!jv::arr(jv::obj(s.canary_obj, "VpcConfig"), "SubnetIds").empty()) kb.environment_text += "\nvpc private subnet";
  pattern_text = kb.error_text;
}


// Step 2 inputs derived from the runs: which day folders to list.
void plan_listings(AnalysisState& s) {
  if (!s.base || !s.s3 || !s.failed_index) return;
  std::set<std::string> prefixes;
  prefixes.insert(date_prefix(*s.base, s.recent[*s.failed_index].started));
  if (s.passed_index) prefixes.insert(date_prefix(*s.base, s.recent[*s.passed_index].started));
  s.date_prefixes.assign(prefixes.begin(), prefixes.end());
}

std::shared_ptr<std::vector<int>> plan_step3(AnalysisState& s, bool permission_failure) {
  auto wanted = std::make_shared<std::vector<int>>();
  if (!s.failed_index) return wanted;
  select_run_files(s, s.recent[*s.failed_index], s.failed_artifacts);
  if (s.passed_index) select_run_files(s, s.recent[*s.passed_index], s.passed_artifacts);
  if (!s.failed_artifacts.files.empty()) wanted->push_back(0);
  bool failed_has_har = std::any_of(s.failed_artifacts.files.begin(), s.failed_artifacts.files.end(),
                                    [](const ArtifactFile& f) { return f.kind == ArtifactKind::kHar; });
  if (failed_has_har && !s.passed_artifacts.files.empty()) wanted->push_back(1);
  if (s.failed_artifacts.files.empty()) wanted->push_back(2);
  if (permission_failure) wanted->push_back(3);
  return wanted;
}

// Step 1: GetCanary and GetCanaryRuns for s->name, concurrently.
asio::awaitable<void> fetch_core(StatePtr s) {
  std::size_t count = 2;
  std::size_t limit = 2;
  FanoutWork work = [s](std::size_t i) { return fetch_canary_part(s, i); };
  co_await for_each_bounded(count, limit, work);
}

bool core_not_found(const AnalysisState& s) {
  return (!s.canary->ok() && s.canary->error().code == ErrorCode::kNotFound) ||
         (!s.runs->ok() && s.runs->error().code == ErrorCode::kNotFound);
}

// The text of a tool result (its first text block).
std::string result_text(const mcp::ToolResult& r) {
  for (const auto& c : r.content)
    if (const auto* t = c.is_object() ? c.get_object().if_contains("text") : nullptr; t && t->is_string())
      return std::string(t->get_string());
  return {};
}

asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  auto clients = call.aws();
  if (!clients.ok()) co_return aws_failure(clients.error(), aws::ops::kGetCanary);

  auto s = std::make_shared<AnalysisState>();
  s->clients = *clients;
  s->name = call.args.str("canary_name");
  s->region = call.args.str("region");
  if (s->region.empty()) s->region = call.default_region();
  auto s3 = call.s3(s->region);
  if (s3.ok()) {
    s->s3.emplace(std::move(*s3));
  } else {
    s->s3_problem = s3.error();
  }
  ReportInputs in;
  in.description = call.args.str("description");
  if (in.description.size() > kMaxDescriptionChars) {
    in.description.resize(kMaxDescriptionChars);
    in.description_truncated = true;
  }

  // Step 1: the canary and its recent runs. A name that is not a canary's is resolved against
  // the account's canary names (case, separators, one clear near miss) or answered as not found,
  // never analysed as "no failures".
  const bool well_formed = valid_canary_name(s->name);
  if (well_formed) co_await fetch_core(s);
  if (!well_formed || core_not_found(*s)) {
    auto names = co_await canary_names(s);
    if (!names.ok()) {
      std::string text = "Error: canary '" + s->name.substr(0, 200) + "' was not found in region " + s->region +
                         ", and the list of canaries could not be read to suggest names. " +
                         result_text(aws_failure(names.error(), aws::ops::kDescribeCanaries));
      co_return mcp::ToolResult::error(text);
    }
    auto resolution = resolve_name(s->name, *names);
    if (!resolution.name || *resolution.name == s->name)
      co_return mcp::ToolResult::error(unknown_canary_text(s->name, s->region, *names, resolution));
    call.note(resolution.note("canary name", s->name));
    s->name = *resolution.name;
    co_await fetch_core(s);
  }
  if (!s->canary->ok()) co_return aws_failure(s->canary->error(), aws::ops::kGetCanary);
  if (!s->runs->ok()) co_return aws_failure(s->runs->error(), aws::ops::kGetCanaryRuns);
  s->canary_obj = jv::obj(jv::as_obj(s->canary->value()), "Canary");
  s->recent = parse_runs(jv::arr(jv::as_obj(s->runs->value()), "CanaryRuns"));
  in.streak = failure_streak(s->recent);
  s->failed_index = in.streak.last_failed;
  s->passed_index = in.streak.last_passed;
  if (auto loc = jv::str(s->canary_obj, "ArtifactS3Location"); !loc.empty()) s->base = parse_s3_location(loc);

  // Step 2: audit findings and the artifact day folders, concurrently. Every step from here on
  // records its own failure (with the IAM action) in its section; the report goes on.
  in.audit_end = static_cast<double>(epoch_seconds(call.now()));
  if (!s->recent.empty()) {
    const auto& latest = s->recent.front();
    in.audit_end = latest.completed > 0 ? latest.completed : latest.started;
  }
  plan_listings(*s);
  {
    std::size_t count = 1 + s->date_prefixes.size();
    std::size_t limit = kFanout;
    double audit_end = in.audit_end;
    FanoutWork work = [s, audit_end](std::size_t i) { return fetch_step2(s, audit_end, i); };
    co_await for_each_bounded(count, limit, work);
  }

  // Step 3: artifact reads, Lambda logs fallback and IAM analysis, concurrently.
  if (s->failed_index) {
    in.iam_requested = is_permission_failure(s->recent[*s->failed_index].reason);
    auto wanted = plan_step3(*s, in.iam_requested);
    std::size_t count = wanted->size();
    std::size_t limit = kFanout;
    FanoutWork work = [s, wanted](std::size_t i) { return fetch_step3(s, wanted, i); };
    co_await for_each_bounded(count, limit, work);

    KbContext kb;
    std::string pattern_text;
    evidence(*s, in.description, kb, pattern_text);
    in.advice = pattern_advice(pattern_text, run_config_int(s->canary_obj, "MemoryInMB"),
                               run_config_int(s->canary_obj, "TimeoutInSeconds"));
    in.kb_matches = match_knowledge_base(knowledge_base(), kb);
  }
  co_return mcp::ToolResult::text(render_report(*s, in));
}

}  // namespace

ToolEntry analyze_canary_failures_tool() {
  ToolSpec spec;
  spec.name = "analyze_canary_failures";
  spec.title = "Analyze canary failures";
  spec.description =
      "Root cause of ONE failing CloudWatch Synthetics canary, and what to do about it. For the overview (which "
      "canaries exist and which fail) call list_canaries first; then use this tool on a red canary, or when a user "
      "asks why a synthetic check fails. It reads the 5 most recent runs and reports the failure streak since the "
      "last passed run grouped by reason; the canary's Application Signals audit findings; the failed run's S3 "
      "artifacts (screenshots listed, logs excerpted, the HAR compared with a passing run's: request count, failed "
      "or timed-out requests, slowest requests, total time); the canary's Lambda logs when the run left no "
      "artifacts; an analysis of the execution role's policies naming the missing actions when the reason is a "
      "permission error; advice for disk, memory, navigation-timeout and visual-variation failures; and the best "
      "matches from a knowledge base of known runtime failures with a confidence score. A source that cannot be "
      "read (e.g. a missing permission) is reported in its section with the IAM action, and the rest of the report "
      "goes on. A backend request that fails in the HAR points at a service: follow up with audit_services or "
      "audit_service_operations.";
  spec.args = {
      arg::string("canary_name",
                  "Name of one CloudWatch Synthetics canary, e.g. \"checkout-flow\" (see list_canaries). Case and "
                  "separators are forgiven and a clear near miss is resolved with a note; an unknown name is "
                  "answered with the closest canary names.")
          .require()
          .eg("\"checkout-flow\""),
      arg::region(),
      arg::string("description",
                  "Optional: what the user observed, in plain words (e.g. \"fails since yesterday's release, only on "
                  "the payment step\", \"runs in a VPC\"). Used to rank known failures; at most 500 characters are "
                  "used.")
          .def("")
          .empty_ok(),
  };
  spec.ops = {aws::ops::kGetCanary,         aws::ops::kGetCanaryRuns,  aws::ops::kDescribeCanaries,
              aws::ops::kListAuditFindings, aws::ops::kListObjectsV2,  aws::ops::kGetObject,
              aws::ops::kFilterLogEvents,   aws::ops::kGetFunction,    aws::ops::kGetRole,
              aws::ops::kListAttachedRolePolicies, aws::ops::kGetPolicy, aws::ops::kGetPolicyVersion};
  spec.narrow_hint = "call again with a shorter description; the report covers one canary's 5 latest runs";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::canaries

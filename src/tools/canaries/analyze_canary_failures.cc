#include "tools/canaries/analyze_canary_failures.h"

#include <algorithm>
#include <set>

#include <boost/json/array.hpp>

#include "tools/canaries/canary_analysis.h"
#include "tools/canaries/canary_report.h"
#include "tools/canaries/canary_steps.h"
#include "tools/canaries/knowledge_base.h"
#include "tools/common/args.h"
#include "tools/common/fanout.h"
#include "tools/common/name_match.h"
#include "tools/common/time_args.h"
#include "tools/common/tool_errors.h"
#include "tools/toolsets.h"

namespace appsignals::tools {
namespace json = boost::json;
namespace asio = boost::asio;
using namespace canaries;

namespace {

constexpr std::size_t kFanout = 8;

json::object input_schema() {
  return json::object{
      {"type", "object"},
      {"properties",
       json::object{
           {"canary_name", json::object{{"type", "string"},
                                        {"description", "Exact name of the CloudWatch Synthetics canary (see "
                                                        "list_canaries). Unknown names get the closest existing "
                                                        "names back."}}},
           {"region", json::object{{"type", "string"},
                                   {"description", "AWS region of the canary, e.g. us-east-1. Default: the "
                                                   "server's region."}}},
           {"description",
            json::object{{"type", "string"},
                         {"description", "Optional: what the user observed, in plain words (e.g. 'fails since "
                                         "yesterday's release, only on the payment step', 'runs in a VPC'). Used "
                                         "to rank known failures; at most 500 characters are used. Default: \"\"."}}}}},
      {"required", json::array{"canary_name"}},
      {"additionalProperties", false}};
}

std::string describe() {
  return "Explain why a CloudWatch Synthetics canary fails and what to do about it. Use it when a canary is red "
         "(list_canaries shows which) or a user asks why a synthetic check fails. It reads the 5 most recent runs "
         "and reports the failure streak since the last passed run grouped by reason; the canary's Application "
         "Signals audit findings; the failed run's S3 artifacts (screenshots listed, logs excerpted, the HAR "
         "compared with a passing run's: request count, failed or timed-out requests, slowest requests, total "
         "time); the canary's Lambda logs when the run left no artifacts; an analysis of the execution role's "
         "policies naming the missing actions when the reason is a permission error; advice for disk, memory, "
         "navigation-timeout and visual-variation failures; and the best matches from a knowledge base of known "
         "runtime failures with a confidence score. A backend request that fails in the HAR points at a service: "
         "follow up with audit_services or audit_service_operations. Read-only.";
}

std::string str_of_runtime(const json::object& canary) {
  const auto* v = canary.if_contains("RuntimeVersion");
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

int run_config_int(const json::object& canary, std::string_view key) {
  const auto* rc = canary.if_contains("RunConfig");
  if (!rc || !rc->is_object()) return 0;
  return static_cast<int>(number_of(rc->as_object().if_contains(key)));
}

// The fields of a GetCanary response the analysis uses.
json::object canary_of(const json::value& v) {
  if (v.is_object())
    if (const auto* c = v.as_object().if_contains("Canary"); c && c->is_object()) return c->as_object();
  return {};
}

json::array runs_of(const json::value& v) {
  if (v.is_object())
    if (const auto* r = v.as_object().if_contains("CanaryRuns"); r && r->is_array()) return r->as_array();
  return {};
}

std::string not_found_text(const std::string& name, const std::string& region,
                           const Result<std::vector<std::string>>& names) {
  std::string text = "Error: canary '" + name + "' does not exist in region " + region + ".";
  if (!names.ok()) {
    return text + " The list of canaries could not be read to suggest names (" + names.error().message +
           "; it needs synthetics:DescribeCanaries). Check the name with list_canaries.";
  }
  auto close = closest_names(name, *names, 5);
  if (!close.empty()) {
    text += " Closest canary names:";
    for (const auto& c : close) text += " " + c.name + (&c == &close.back() ? "." : ",");
  } else if (names->empty()) {
    text += " The region has no canaries.";
  } else {
    text += " Canaries in this region:";
    std::size_t shown = std::min<std::size_t>(names->size(), 10);
    for (std::size_t i = 0; i < shown; ++i) text += " " + (*names)[i] + (i + 1 == shown ? "" : ",");
    if (names->size() > shown) text += " and " + std::to_string(names->size() - shown) + " more";
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
  kb.runtime = str_of_runtime(s.canary_obj);
  kb.environment_text = description;
  if (const auto* vpc = s.canary_obj.if_contains("VpcConfig"); vpc && vpc->is_object()) {
    const auto* subnets = vpc->as_object().if_contains("SubnetIds");
    if (subnets && subnets->is_array() && !subnets->as_array().empty()) kb.environment_text += "\nvpc private subnet";
  }
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

std::string region_of(const std::shared_ptr<const ToolEnv>& env, const json::object& args) {
  if (const auto* r = args.if_contains("region"); r && r->is_string() && !r->as_string().empty())
    return std::string(r->as_string());
  return env->default_region();
}

asio::awaitable<mcp::ToolResult> analyze_canary_failures(std::shared_ptr<const ToolEnv> env, mcp::RequestContext& ctx,
                                                         json::object args) {
  (void)ctx;
  auto name = required_string(args, "canary_name");
  if (!name.ok()) co_return argument_failure(name.error());
  auto description_arg = string_arg(args, "description");
  if (!description_arg.ok()) co_return argument_failure(description_arg.error());
  auto clients = env->clients(args);
  if (!clients.ok()) co_return aws_failure(clients.error(), "synthetics:GetCanary");

  auto s = std::make_shared<AnalysisState>();
  s->clients = *clients;
  s->name = *name;
  s->region = region_of(env, args);
  auto s3 = env->s3(s->region);
  if (s3.ok()) {
    s->s3.emplace(std::move(*s3));
  } else {
    s->s3_problem = s3.error();
  }
  ReportInputs in;
  in.description = description_arg->value_or("");
  if (in.description.size() > kMaxDescriptionChars) {
    in.description.resize(kMaxDescriptionChars);
    in.description_truncated = true;
  }

  // Step 1: the canary and its recent runs, concurrently.
  {
    std::size_t count = 2;
    std::size_t limit = 2;
    FanoutWork work = [s](std::size_t i) { return fetch_canary_part(s, i); };
    co_await for_each_bounded(count, limit, work);
  }
  bool not_found = (!s->canary->ok() && s->canary->error().code == ErrorCode::kNotFound) ||
                   (!s->runs->ok() && s->runs->error().code == ErrorCode::kNotFound);
  if (not_found) {
    auto names = co_await canary_names(s);
    co_return mcp::ToolResult::error(not_found_text(s->name, s->region, names));
  }
  if (!s->canary->ok()) co_return aws_failure(s->canary->error(), "synthetics:GetCanary");
  if (!s->runs->ok()) co_return aws_failure(s->runs->error(), "synthetics:GetCanaryRuns");
  s->canary_obj = canary_of(s->canary->value());
  s->recent = parse_runs(runs_of(s->runs->value()));
  in.streak = failure_streak(s->recent);
  s->failed_index = in.streak.last_failed;
  s->passed_index = in.streak.last_passed;
  {
    const auto* loc = s->canary_obj.if_contains("ArtifactS3Location");
    if (loc && loc->is_string()) s->base = parse_s3_location(loc->as_string());
  }

  // Step 2: audit findings and the artifact day folders, concurrently.
  in.audit_end = static_cast<double>(epoch_seconds(env->now()));
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

mcp::ToolDef make_analyze_canary_failures_tool(std::shared_ptr<const ToolEnv> env) {
  mcp::ToolDef def;
  def.name = "analyze_canary_failures";
  def.title = "Analyze Canary Failures";
  def.description = describe();
  def.input_schema = input_schema();
  def.annotations = read_only_annotations("Analyze Canary Failures");
  def.toolset = "canaries";
  def.handler = [env](mcp::RequestContext& ctx, json::object args) {
    return analyze_canary_failures(env, ctx, std::move(args));
  };
  return def;
}

}  // namespace appsignals::tools

#include "tools/canaries/canary_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "tools/common/json_access.h"

namespace appsignals::tools::canaries {
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxAuditResults = 10;
constexpr std::size_t kMaxScreenshots = 10;

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string base_name(const std::string& key) { return key.substr(key.rfind('/') + 1); }

// Long reasons (IAM messages run to 400 characters) are cut in lists; the full text is shown once.
std::string shorten(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
  return text.substr(0, cut) + "…";
}

bool contains_ci(const std::string& text, std::string_view needle) { return lower(text).find(needle) != std::string::npos; }

void render_summary(const AnalysisState& s, const ReportInputs& in, std::string& out) {
  const auto& c = s.canary_obj;
  out += "## Summary\n";
  std::string runtime = jv::str(c, "RuntimeVersion");
  std::string schedule, state, state_reason;
  schedule = jv::str(jv::obj(c, "Schedule"), "Expression");
  state = jv::str(jv::obj(c, "Status"), "State");
  state_reason = jv::str(jv::obj(c, "Status"), "StateReason");
  out += "- Canary: runtime " + (runtime.empty() ? "unknown" : runtime) + ", schedule " +
         (schedule.empty() ? "unknown" : schedule) + ", state " + (state.empty() ? "unknown" : state);
  if (!state_reason.empty()) out += " (" + state_reason + ")";
  {
    const auto& rc = jv::obj(c, "RunConfig");
    double mem = number_of(rc.if_contains("MemoryInMB")), to = number_of(rc.if_contains("TimeoutInSeconds"));
    if (mem > 0) out += ", memory " + std::to_string(static_cast<long long>(mem)) + " MB";
    if (to > 0) out += ", run timeout " + std::to_string(static_cast<long long>(to)) + " s";
  }
  out += "\n";
  if (s.base) out += "- Artifact location: s3://" + s.base->bucket + "/" + s.base->prefix + "\n";
  if (s.recent.empty()) {
    out += "- No runs recorded yet: there is nothing to analyse until the canary has run.\n";
    return;
  }
  const auto& latest = s.recent.front();
  out += "- Latest run: " + latest.state + ", started " + format_epoch(latest.started) + "\n";
  const auto& st = in.streak;
  if (st.length == 0) {
    if (!st.last_failed) {
      out += "- No failure streak: none of the " + plural(s.recent.size(), "most recent run", "most recent runs") +
             " failed.\n";
    } else {
      out += "- No current failure streak, but an earlier run failed (started " +
             format_epoch(s.recent[*st.last_failed].started) + "); that failure is analysed below.\n";
    }
  } else if (st.reaches_history_end) {
    out += "- Failure streak: at least " + plural(static_cast<std::size_t>(st.length), "failed run", "consecutive failed runs") +
           " (none of the " + std::to_string(s.recent.size()) + " most recent runs passed)\n";
  } else {
    out += "- Failure streak: " + plural(static_cast<std::size_t>(st.length), "failed run", "consecutive failed runs") +
           " since the last passed run (started " + format_epoch(s.recent[*st.last_passed].started) + ")\n";
  }
  if (!st.reasons.empty()) {
    out += "- Streak by failure reason:\n";
    for (const auto& g : st.reasons) out += "  - " + std::to_string(g.count) + " × " + shorten(g.reason, 160) + "\n";
  }
  if (st.last_failed) {
    const auto& r = s.recent[*st.last_failed];
    out += "- Last failure reason: " + (r.reason.empty() ? std::string("(none given)") : r.reason) + "\n";
  }
  out += "- Recent runs (newest first):\n";
  for (const auto& r : s.recent) {
    out += "  - " + format_epoch(r.started) + " " + r.state;
    if (r.completed > r.started) out += " in " + std::to_string(std::llround(r.completed - r.started)) + " s";
    if (!r.reason.empty()) out += ": " + shorten(r.reason, 80);
    out += "\n";
  }
  if (!in.description.empty())
    out += "- Reported symptoms: " + in.description + (in.description_truncated ? " (cut to 500 characters)" : "") + "\n";
}

void render_telemetry(const AnalysisState& s, const ReportInputs& in, std::string& out) {
  out += "\n## Telemetry findings (Application Signals audit of the canary, " + format_epoch(in.audit_end - 900) +
         " to " + format_epoch(in.audit_end) + ")\n";
  if (s.audit_error) {
    out += "- Not available: " + render_step_error(*s.audit_error) + "\n";
    return;
  }
  std::size_t shown = 0, total = 0;
  for (const auto& fv : s.audit_findings) {
    if (!fv.is_object()) continue;
    const auto& f = fv.as_object();
    std::string target;
    const auto& ka = jv::obj(f, "KeyAttributes");
    target = jv::str(ka, "Name");
    if (target.empty()) target = jv::str(ka, "Identifier");
    if (auto op = jv::str(f, "Operation"); !op.empty()) target += " " + op;
    if (const auto* results = f.if_contains("AuditorResults"); results && results->is_array()) {
      for (const auto& rv : results->as_array()) {
        if (!rv.is_object()) continue;
        ++total;
        if (shown >= kMaxAuditResults) continue;
        const auto& r = rv.as_object();
        out += "- [" + jv::str(r, "Severity") + "] " + jv::str(r, "Auditor") + " (" + target + "): " +
               jv::str(r, "Description") + "\n";
        ++shown;
      }
    }
  }
  if (total == 0) out += "- No audit findings for this canary in that window.\n";
  if (total > shown) out += "- " + std::to_string(total - shown) + " more findings not shown.\n";
}

void render_artifacts(const AnalysisState& s, std::string& out) {
  out += "\n## Artifacts (S3)\n";
  if (!s.base) {
    out += "- The canary has no ArtifactS3Location, so there are no artifacts to read.\n";
    return;
  }
  if (!s.s3) {
    out += "- Not available: " + (s.s3_problem ? s.s3_problem->message : std::string("no S3 client")) + "\n";
    return;
  }
  for (const auto& [prefix, listing] : s.listings) {
    if (listing.error) out += "- Listing failed: " + render_step_error(*listing.error) + "\n";
    if (listing.truncated) out += "- s3://" + listing.bucket + "/" + prefix + " holds more keys than were listed.\n";
  }
  const auto& fa = s.failed_artifacts;
  if (fa.files.empty()) {
    out += "- No artifacts found for the failed run";
    if (!s.listings.empty()) out += " (searched s3://" + s.listings.begin()->second.bucket + "/" + s.listings.begin()->first + ")";
    out += ". A role that cannot write to S3, or a run that crashed before uploading, leaves none; the Lambda logs "
           "below are used instead.\n";
    return;
  }
  std::size_t counts[5] = {0, 0, 0, 0, 0};
  for (const auto& f : fa.files) ++counts[static_cast<int>(f.kind)];
  out += "- Failed run folder: s3://" + fa.bucket + "/" + fa.folder + " (" + plural(fa.files.size(), "file", "files") +
         ": " + std::to_string(counts[0]) + " HAR, " + std::to_string(counts[1]) + " screenshot, " +
         std::to_string(counts[2]) + " log, " + std::to_string(counts[3]) + " report, " + std::to_string(counts[4]) +
         " other)\n";
  out += "- Screenshots of the failed run:";
  std::size_t shots = 0;
  for (const auto& f : fa.files)
    if (f.kind == ArtifactKind::kScreenshot) {
      if (shots++ < kMaxScreenshots) out += "\n  - " + base_name(f.key) + " (" + std::to_string(f.size) + " bytes)";
    }
  if (shots == 0) out += " none";
  if (shots > kMaxScreenshots) out += "\n  - … " + std::to_string(shots - kMaxScreenshots) + " more";
  out += "\n";
  if (shots > 0)
    out += "  (images are not rendered here; a name ending in '-failed' marks the step that failed: open it in the "
           "console or download it with s3:GetObject to see what the page showed)\n";

  if (fa.har && fa.har->error) out += "- HAR of the failed run: " + render_step_error(*fa.har->error) + "\n";
  if (fa.har_parse && !fa.har_parse->har) out += "- HAR of the failed run could not be used: " + fa.har_parse->problem + "\n";
  const auto& pa = s.passed_artifacts;
  bool failed_har = fa.har_parse && fa.har_parse->har;
  bool passed_har = pa.har_parse && pa.har_parse->har;
  if (failed_har) {
    out += "- " + render_har_summary(*fa.har_parse->har, "HAR of the failed run (" + base_name(fa.har->key) + ")");
    if (fa.har->truncated) out += "  (read the first 256 KiB of " + std::to_string(fa.har->size) + " bytes)\n";
  }
  if (failed_har && passed_har && s.passed_index) {
    out += "\n### HAR comparison: failed run (" + format_epoch(s.recent[*s.failed_index].started) +
           ") vs passing run (" + format_epoch(s.recent[*s.passed_index].started) + ")\n";
    out += render_har_comparison(*fa.har_parse->har, *pa.har_parse->har);
  } else if (failed_har) {
    std::string why = !s.passed_index ? "no passing run among the recent runs"
                      : pa.files.empty() ? "the passing run has no artifacts"
                      : pa.har && pa.har->error ? render_step_error(*pa.har->error)
                      : pa.har_parse && !pa.har_parse->har ? "its HAR could not be parsed: " + pa.har_parse->problem
                                                           : "the passing run has no HAR file";
    out += "- No HAR comparison: " + why + ".\n";
  }
  for (const auto& log : fa.logs) {
    out += "\n### Log " + base_name(log.key);
    if (log.error) {
      out += "\n- " + render_step_error(*log.error) + "\n";
      continue;
    }
    out += log.truncated ? " (first 256 KiB of " + std::to_string(log.size) + " bytes)\n" : "\n";
    for (const auto& l : interesting_lines(log.text, 12)) out += "  " + l + "\n";
  }
}

void render_lambda(const AnalysisState& s, std::string& out) {
  if (!s.lambda) return;
  const auto& lf = *s.lambda;
  out += "\n## Lambda logs (fallback: the failed run left no artifacts)\n";
  for (const auto& e : lf.errors) out += "- " + render_step_error(e) + "\n";
  if (lf.function_name.empty()) return;
  out += "- Function: " + lf.function_name;
  if (lf.configuration) {
    const auto& c = *lf.configuration;
    std::vector<std::string> facts;
    if (auto rt = jv::str(c, "Runtime"); !rt.empty()) facts.push_back("runtime " + rt);
    if (double m = number_of(c.if_contains("MemorySize")); m > 0) facts.push_back("memory " + std::to_string(static_cast<long long>(m)) + " MB");
    if (double t = number_of(c.if_contains("Timeout")); t > 0) facts.push_back("timeout " + std::to_string(static_cast<long long>(t)) + " s");
    if (auto st = jv::str(c, "State"); !st.empty()) facts.push_back("state " + st);
    if (!facts.empty()) {
      out += " (";
      for (std::size_t i = 0; i < facts.size(); ++i) out += (i ? ", " : "") + facts[i];
      out += ")";
    }
  }
  out += "\n- " + lf.log_group + " from " + format_epoch(lf.window_start) + " to " + format_epoch(lf.window_end) +
         " (first 10 events):\n";
  if (lf.events.empty()) out += "  (no events in that window)\n";
  for (const auto& [ts, msg] : lf.events) {
    std::string m = msg;
    while (!m.empty() && (m.back() == '\n' || m.back() == '\r')) m.pop_back();
    out += "  " + format_epoch(ts) + " " + m + "\n";
  }
  if (lf.more_events) out += "  (more events exist in the window)\n";
}

void render_iam(const AnalysisState& s, const ReportInputs& in, std::string& out) {
  if (!in.iam_requested || !s.iam) return;
  const auto& iam = *s.iam;
  out += "\n## IAM analysis of the execution role (the failure reason points at permissions)\n";
  out += "- Role: " + iam.role_name + (iam.role_exists ? " (exists)" : "") + "\n";
  for (const auto& e : iam.errors) out += "- " + render_step_error(e) + "\n";
  if (!iam.role_exists) return;
  out += "- Attached managed policies (" + std::to_string(iam.policy_names.size()) + "):";
  for (const auto& p : iam.policy_names) out += " " + p + ";";
  if (out.back() == ';') out.pop_back();
  out += "\n- Inline policies, permissions boundaries, SCPs and bucket policies were not inspected.\n";
  out += "- Actions the canary needs:\n";
  std::vector<const ActionCheck*> missing;
  for (const auto& c : iam.checks) {
    out += "  - " + c.required.action + " on " + c.required.resource + ": ";
    if (c.denied) {
      out += "DENIED by an explicit Deny statement\n";
      missing.push_back(&c);
    } else if (!c.allowed) {
      out += "MISSING\n";
      missing.push_back(&c);
    } else {
      out += "allowed by " + c.granted_by + (c.conditional ? " (under a condition)" : "") + "\n";
    }
  }
  if (missing.empty()) {
    out += "- Every required action is granted by the attached policies; look at inline policies, a permissions "
           "boundary, the bucket policy or a KMS key policy next.\n";
    return;
  }
  out += "- Missing actions:";
  for (const auto* c : missing) out += " " + c->required.action + (c == missing.back() ? "" : ",");
  out += "\n- Fix: add to the role a statement such as:\n";
  for (const auto* c : missing)
    out += "  {\"Effect\": \"Allow\", \"Action\": \"" + c->required.action + "\", \"Resource\": \"" +
           c->required.resource + "\"}\n";
}

void render_recommendations(const ReportInputs& in, std::string& out) {
  out += "\n## Recommendations\n";
  if (in.advice.empty()) {
    out += "- No known failure pattern in the reason or the logs; start from the last failure reason, the failed "
           "requests and the log lines above.\n";
    return;
  }
  int n = 0;
  for (const auto& a : in.advice) {
    out += std::to_string(++n) + ". " + a.title + "\n";
    for (const auto& step : a.steps) out += "   - " + step + "\n";
  }
}

std::string pct(double score) { return std::to_string(static_cast<int>(std::lround(score * 100))) + "%"; }

void render_kb(const ReportInputs& in, std::string& out) {
  out += "\n## Knowledge-base matches (known runtime failures)\n";
  if (in.kb_matches.empty()) {
    out += "- No entry reached the " + pct(kKbThreshold) + " confidence threshold.\n";
    return;
  }
  int n = 0;
  for (const auto& m : in.kb_matches) {
    out += std::to_string(++n) + ". [" + m.entry->id + "] " + m.entry->title + ": confidence " + pct(m.score) +
           ", severity " + m.entry->severity + " (error " + pct(m.error) + ", symptoms " + pct(m.symptom) +
           ", runtime " + pct(m.runtime) + ", environment " + pct(m.environment) + ")\n";
    for (const auto& r : m.entry->recommendations) out += "   - " + r + "\n";
  }
}

}  // namespace

std::vector<std::string> error_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    for (const char* k : {"error", "exception", "fail", "timeout", "timed out", "denied", "not authorized"})
      if (contains_ci(line, k)) {
        out.push_back(line);
        break;
      }
  }
  return out;
}

std::vector<std::string> interesting_lines(const std::string& text, std::size_t limit) {
  std::vector<std::string> all, hits;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    all.push_back(line);
    for (const char* k : {"error", "warn", "exception", "fail", "timeout", "denied"})
      if (contains_ci(line, k)) {
        hits.push_back(line);
        break;
      }
  }
  auto& src = hits.empty() ? all : hits;
  std::vector<std::string> out;
  std::size_t from = hits.empty() && src.size() > limit ? src.size() - limit : 0;
  for (std::size_t i = from; i < src.size() && out.size() < limit; ++i) out.push_back(src[i]);
  if (!hits.empty() && hits.size() > limit) out.push_back("… " + std::to_string(hits.size() - limit) + " more matching lines");
  return out;
}

std::string render_report(const AnalysisState& s, const ReportInputs& in) {
  std::string out = "# Canary failure analysis: " + s.name + " (region " + s.region + ")\n\n";
  render_summary(s, in, out);
  render_telemetry(s, in, out);
  if (!s.failed_index) {
    out += "\n## Verdict\n- The canary is healthy: its recent runs passed, so there is no failure to analyse. If a "
           "problem is suspected anyway, check the target service with the audit tools.\n";
    return out;
  }
  render_artifacts(s, out);
  render_lambda(s, out);
  render_iam(s, in, out);
  render_recommendations(in, out);
  render_kb(in, out);
  return out;
}

}  // namespace appsignals::tools::canaries

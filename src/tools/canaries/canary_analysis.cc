#include "tools/canaries/canary_analysis.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>

#include <boost/json/parse.hpp>
#include <boost/json/stream_parser.hpp>

#include "common/encoding.h"
#include "tools/common/json_access.h"
#include "tools/common/name_match.h"
#include "tools/common/time_args.h"

namespace appsignals::tools::canaries {
namespace json = boost::json;

namespace {

std::string fmt_ms(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f ms", ms);
  return buf;
}

std::string signed_ms(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.0f ms", ms);
  return buf;
}

std::string request_label(const HarEntry& e) { return (e.method.empty() ? "?" : e.method) + " " + e.url; }

std::string outcome(const HarEntry& e) {
  std::string s;
  if (e.status == 0) {
    s = "no response";
    if (!e.error.empty()) s += " (" + e.error + ")";
  } else {
    s = "HTTP " + std::to_string(e.status);
    if (!e.error.empty()) s += " (" + e.error + ")";
  }
  return s + " after " + fmt_ms(e.time_ms);
}

std::vector<const HarEntry*> slowest(const HarSummary& har, std::size_t n) {
  std::vector<const HarEntry*> out;
  for (const auto& e : har.entries) out.push_back(&e);
  std::stable_sort(out.begin(), out.end(), [](const auto* a, const auto* b) { return a->time_ms > b->time_ms; });
  if (out.size() > n) out.resize(n);
  return out;
}

std::vector<std::string> as_strings(const json::value* v) {
  std::vector<std::string> out;
  if (!v) return out;
  if (v->is_string()) out.emplace_back(v->as_string());
  if (v->is_array())
    for (const auto& x : v->as_array())
      if (x.is_string()) out.emplace_back(x.as_string());
  return out;
}

bool any_glob(const std::vector<std::string>& patterns, std::string_view value) {
  for (const auto& p : patterns)
    if (glob_match(p, value)) return true;
  return false;
}

}  // namespace

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

double number_of(const json::value* v) {
  if (!v) return 0;
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_uint64()) return static_cast<double>(v->as_uint64());
  if (v->is_string()) {
    auto t = parse_time(v->as_string(), "timestamp");
    if (t.ok()) return static_cast<double>(epoch_seconds(*t));
  }
  return 0;
}

std::string format_epoch(double epoch_seconds) {
  auto t = Clock::time_point(std::chrono::seconds(static_cast<long long>(epoch_seconds)));
  return format_utc(t);
}

// ---- runs ----

std::vector<CanaryRun> parse_runs(const json::array& runs) {
  std::vector<CanaryRun> out;
  for (const auto& v : runs) {
    if (!v.is_object()) continue;
    const auto& o = v.as_object();
    CanaryRun r;
    r.id = jv::str(o, "Id");
    const auto& st = jv::obj(o, "Status");
    r.state = jv::str(st, "State");
    r.reason = jv::str(st, "StateReason");
    const auto& tl = jv::obj(o, "Timeline");
    r.started = number_of(tl.if_contains("Started"));
    r.completed = number_of(tl.if_contains("Completed"));
    r.artifact_location = jv::str(o, "ArtifactS3Location");
    out.push_back(std::move(r));
  }
  return out;
}

FailureStreak failure_streak(const std::vector<CanaryRun>& runs) {
  FailureStreak s;
  bool in_streak = true;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto& r = runs[i];
    if (r.state == "FAILED" && !s.last_failed) s.last_failed = i;
    if (r.state == "PASSED" && !s.last_passed) s.last_passed = i;
    if (!in_streak) continue;
    if (r.state == "PASSED") {
      in_streak = false;
    } else if (r.state == "FAILED") {
      ++s.length;
      std::string reason = r.reason.empty() ? "(no reason given)" : r.reason;
      auto it = std::find_if(s.reasons.begin(), s.reasons.end(), [&](const auto& g) { return g.reason == reason; });
      if (it == s.reasons.end()) {
        s.reasons.push_back({reason, 1});
      } else {
        ++it->count;
      }
    }
    // RUNNING runs neither extend nor end the streak.
  }
  s.reaches_history_end = in_streak && s.length > 0;
  std::stable_sort(s.reasons.begin(), s.reasons.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
  return s;
}

// ---- S3 ----

std::optional<S3Location> parse_s3_location(std::string_view text) {
  if (text.starts_with("s3://")) text.remove_prefix(5);
  while (!text.empty() && text.front() == '/') text.remove_prefix(1);
  while (!text.empty() && text.back() == '/') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  S3Location loc;
  auto slash = text.find('/');
  loc.bucket = std::string(text.substr(0, slash));
  if (slash != std::string_view::npos) loc.prefix = std::string(text.substr(slash + 1));
  if (loc.bucket.empty()) return std::nullopt;
  return loc;
}

std::string date_prefix(const S3Location& base, double epoch_seconds) {
  auto tt = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y/%m/%d/", &tm);
  return base.prefix.empty() ? std::string(buf) : base.prefix + "/" + buf;
}

ArtifactKind classify_artifact(std::string_view key) {
  std::string k = lower(key);
  if (k.ends_with(".har") || k.ends_with(".har.gz") || k.ends_with(".har.html") || k.ends_with(".har.json"))
    return ArtifactKind::kHar;
  if (k.ends_with(".png") || k.ends_with(".jpg") || k.ends_with(".jpeg")) return ArtifactKind::kScreenshot;
  if (k.ends_with(".txt") || k.ends_with(".log")) return ArtifactKind::kLog;
  if (k.ends_with(".json") && k.find("syntheticsreport") != std::string::npos) return ArtifactKind::kReport;
  return ArtifactKind::kOther;
}

std::string_view artifact_kind_name(ArtifactKind kind) {
  switch (kind) {
    case ArtifactKind::kHar: return "HAR";
    case ArtifactKind::kScreenshot: return "screenshot";
    case ArtifactKind::kLog: return "log";
    case ArtifactKind::kReport: return "report";
    case ArtifactKind::kOther: break;
  }
  return "other";
}

std::vector<ArtifactFile> artifact_files(const json::array& contents) {
  std::vector<ArtifactFile> out;
  for (const auto& v : contents) {
    if (!v.is_object()) continue;
    const auto& o = v.as_object();
    ArtifactFile f;
    f.key = jv::str(o, "Key");
    if (f.key.empty()) continue;
    f.size = static_cast<std::int64_t>(number_of(o.if_contains("Size")));
    f.kind = classify_artifact(f.key);
    out.push_back(std::move(f));
  }
  return out;
}

// ---- HAR ----

HarParse parse_har(std::string_view text) {
  HarParse out;
  std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) {
    out.problem = "the file is empty";
    return out;
  }
  if (text[start] != '{') {
    // The HTML report: `var harOutput = {...};` (or any script embedding {"log":...}).
    auto marker = text.find("harOutput");
    auto brace = marker == std::string_view::npos ? text.find("{\"log\"") : text.find('{', marker);
    if (brace == std::string_view::npos) {
      out.problem = "no HAR data found in the file";
      return out;
    }
    start = brace;
  }
  json::stream_parser p;
  boost::system::error_code ec;
  p.write_some(text.data() + start, text.size() - start, ec);
  if (ec || !p.done()) {
    out.problem = "the HAR JSON is incomplete or malformed (" + (ec ? ec.message() : std::string("truncated")) + ")";
    return out;
  }
  json::value v = p.release();
  const json::value* entries = jv::obj(jv::as_obj(v), "log").if_contains("entries");
  if (!entries || !entries->is_array()) {
    out.problem = "the JSON has no log.entries";
    return out;
  }
  HarSummary har;
  double first = 0, last = 0, sum = 0;
  bool all_started = true;
  for (const auto& ev : entries->as_array()) {
    if (!ev.is_object()) continue;
    const auto& e = ev.as_object();
    HarEntry h;
    const auto& req = jv::obj(e, "request");
    h.method = jv::str(req, "method");
    h.url = jv::str(req, "url");
    const auto& resp = jv::obj(e, "response");
    h.status = static_cast<int>(number_of(resp.if_contains("status")));
    h.error = jv::str(resp, "_error");
    h.time_ms = std::max(0.0, number_of(e.if_contains("time")));
    h.started = number_of(e.if_contains("startedDateTime"));
    sum += h.time_ms;
    if (h.started > 0) {
      double s = h.started * 1000, end = s + h.time_ms;
      first = first == 0 ? s : std::min(first, s);
      last = std::max(last, end);
    } else {
      all_started = false;
    }
    har.entries.push_back(std::move(h));
  }
  har.total_ms = all_started && !har.entries.empty() ? last - first : sum;
  out.har = std::move(har);
  return out;
}

bool har_entry_failed(const HarEntry& e) { return e.status == 0 || e.status >= 400 || !e.error.empty(); }

std::string render_har_summary(const HarSummary& har, std::string_view label) {
  std::size_t failed = 0;
  for (const auto& e : har.entries) failed += har_entry_failed(e) ? 1 : 0;
  std::string s = std::string(label) + ": " + std::to_string(har.entries.size()) + " requests, " +
                  std::to_string(failed) + " failed, total " + fmt_ms(har.total_ms) + "\n";
  for (const auto& e : har.entries)
    if (har_entry_failed(e)) s += "    - failed: " + request_label(e) + " → " + outcome(e) + "\n";
  for (const auto* e : slowest(har, 3))
    s += "    - slow: " + request_label(*e) + " → " + fmt_ms(e->time_ms) + "\n";
  return s;
}

std::string render_har_comparison(const HarSummary& failed, const HarSummary& passed) {
  std::string s;
  auto nf = failed.entries.size(), np = passed.entries.size();
  s += "- Requests: " + std::to_string(nf) + " in the failed run vs " + std::to_string(np) + " in the passing run\n";
  s += "- Total time: " + fmt_ms(failed.total_ms) + " vs " + fmt_ms(passed.total_ms) + " (" +
       signed_ms(failed.total_ms - passed.total_ms) + ")\n";
  std::vector<const HarEntry*> bad;
  for (const auto& e : failed.entries)
    if (har_entry_failed(e)) bad.push_back(&e);
  s += "- Failed or timed-out requests in the failed run: " + std::to_string(bad.size()) + "\n";
  for (const auto* e : bad) {
    s += "    - " + request_label(*e) + " → " + outcome(*e);
    auto same = std::find_if(passed.entries.begin(), passed.entries.end(),
                             [&](const HarEntry& p) { return p.url == e->url && p.method == e->method; });
    if (same == passed.entries.end()) {
      s += "; not requested in the passing run\n";
    } else {
      s += "; in the passing run " + outcome(*same) + "\n";
    }
  }
  std::vector<std::string> only_failed;
  for (const auto& e : failed.entries) {
    bool seen = std::any_of(passed.entries.begin(), passed.entries.end(),
                            [&](const HarEntry& p) { return p.url == e.url && p.method == e.method; });
    if (!seen) only_failed.push_back(request_label(e));
  }
  if (!only_failed.empty()) {
    s += "- Requests only in the failed run:";
    for (const auto& r : only_failed) s += " " + r + ";";
    s.pop_back();
    s += "\n";
  }
  s += "- Slowest requests in the failed run:";
  for (const auto* e : slowest(failed, 3)) s += " " + request_label(*e) + " (" + fmt_ms(e->time_ms) + ");";
  if (s.back() == ';') s.pop_back();
  s += "\n- Slowest requests in the passing run:";
  for (const auto* e : slowest(passed, 3)) s += " " + request_label(*e) + " (" + fmt_ms(e->time_ms) + ");";
  if (s.back() == ';') s.pop_back();
  s += "\n";
  return s;
}

// ---- Lambda ----

std::optional<std::string> function_name_from_arn(std::string_view arn) {
  auto pos = arn.find(":function:");
  if (!arn.starts_with("arn:") || pos == std::string_view::npos) return std::nullopt;
  auto rest = arn.substr(pos + 10);
  auto colon = rest.find(':');
  if (colon != std::string_view::npos) rest = rest.substr(0, colon);
  if (rest.empty()) return std::nullopt;
  return std::string(rest);
}

// ---- IAM ----

std::vector<RequiredAction> required_canary_actions(const S3Location& artifacts, std::string_view region,
                                                    std::string_view account_id, std::string_view function_name) {
  std::string bucket_arn = "arn:aws:s3:::" + artifacts.bucket;
  std::string objects = bucket_arn + "/" + (artifacts.prefix.empty() ? "" : artifacts.prefix + "/") + "*";
  std::string fn = function_name.empty() ? "cwsyn-*" : std::string(function_name);
  std::string group = "arn:aws:logs:" + std::string(region) + ":" + std::string(account_id) +
                      ":log-group:/aws/lambda/" + fn + ":*";
  return {{"s3:PutObject", objects},
          {"s3:GetBucketLocation", bucket_arn},
          {"logs:CreateLogStream", group},
          {"logs:PutLogEvents", group},
          {"cloudwatch:PutMetricData", "*"}};
}

std::vector<ActionCheck> check_actions(const std::vector<RequiredAction>& required,
                                       const std::vector<PolicyDocument>& policies) {
  std::vector<ActionCheck> out;
  for (const auto& req : required) {
    ActionCheck c;
    c.required = req;
    for (const auto& pol : policies) {
      if (!pol.document.is_object()) continue;
      const auto* stv = pol.document.as_object().if_contains("Statement");
      std::vector<const json::object*> statements;
      if (stv && stv->is_object()) statements.push_back(&stv->as_object());
      if (stv && stv->is_array())
        for (const auto& x : stv->as_array())
          if (x.is_object()) statements.push_back(&x.as_object());
      for (const auto* st : statements) {
        bool action_match = false;
        if (st->contains("Action")) action_match = any_glob(as_strings(st->if_contains("Action")), req.action);
        if (st->contains("NotAction")) action_match = !any_glob(as_strings(st->if_contains("NotAction")), req.action);
        if (!action_match) continue;
        bool resource_match = true;
        if (st->contains("Resource")) resource_match = any_glob(as_strings(st->if_contains("Resource")), req.resource);
        if (st->contains("NotResource"))
          resource_match = !any_glob(as_strings(st->if_contains("NotResource")), req.resource);
        if (!resource_match) continue;
        bool conditional = st->contains("Condition");
        if (jv::str(*st, "Effect") == "Deny") {
          if (!conditional) c.denied = true;
        } else if (jv::str(*st, "Effect") == "Allow") {
          if (!c.allowed || (c.conditional && !conditional)) {
            c.allowed = true;
            c.conditional = conditional;
            c.granted_by = pol.name;
          }
        }
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::optional<json::value> decode_policy_document(std::string_view text) {
  std::string plain(text);
  if (!text.empty() && text.front() != '{') {
    auto decoded = percent_decode(text);
    if (!decoded) return std::nullopt;
    plain = std::move(*decoded);
  }
  boost::system::error_code ec;
  auto v = json::parse(plain, ec);
  if (ec) return std::nullopt;
  return v;
}

// ---- patterns ----

bool is_permission_failure(std::string_view reason) {
  std::string r = lower(reason);
  for (const char* needle : {"permission", "access denied", "accessdenied", "not authorized", "unauthorizedoperation"})
    if (r.find(needle) != std::string::npos) return true;
  return false;
}

std::vector<PatternAdvice> pattern_advice(std::string_view text, int memory_mb, int timeout_s) {
  std::string t = lower(text);
  auto has = [&](std::initializer_list<const char*> needles) {
    return std::any_of(needles.begin(), needles.end(), [&](const char* n) { return t.find(n) != std::string::npos; });
  };
  std::vector<PatternAdvice> out;
  if (has({"enospc", "no space left"}))
    out.push_back({"disk", "Ephemeral storage is full",
                   {"The canary's /tmp ran out of space: screenshots, HAR files, downloads and browser caches all land "
                    "there.",
                    "Take fewer or smaller screenshots (or only on failure) and delete temporary files the script "
                    "creates before it ends.",
                    "Raise the canary's ephemeral storage (RunConfig.EphemeralStorage, up to 10240 MB) if the run "
                    "legitimately needs more.",
                    "Check the trend with a Logs Insights query over the canary's Lambda log group for the "
                    "maxEphemeralStorageUsage telemetry of recent runs."}});
  if (has({"out of memory", "heap out of memory", "protocol error", "target closed", "detached frame",
           "session closed", "page crashed"})) {
    std::string mem = memory_mb > 0 ? std::to_string(memory_mb) + " MB" : "the configured memory";
    out.push_back({"memory", "The browser ran out of memory or crashed",
                   {"Errors like 'Protocol error', 'Target closed' or 'detached frame' usually mean Chromium was "
                    "killed or a page crashed under memory pressure.",
                    "Raise RunConfig.MemoryInMB (now " + mem + "; at least 2048 MB helps heavy pages), and close "
                    "pages and browser contexts the script opens.",
                    "Split very long multi-step scripts into several canaries."}});
  }
  if (has({"navigation timeout", "timeouterror", "waiting for selector", "waiting for locator", "err_timed_out",
           "timed out waiting"})) {
    std::string budget = timeout_s > 0 ? " (the canary's run timeout is " + std::to_string(timeout_s) + " s)" : "";
    out.push_back({"navigation_timeout", "The page or an element did not load in time",
                   {"Find the request that did not answer in the HAR comparison: a backend call that now hangs "
                    "points at the service behind it, not at the canary.",
                    "Check that service's health (Application Signals audit of the service or operation, e.g. with "
                    "audit_services / audit_service_operations) for faults or latency at the failure times.",
                    "If the site is merely slower, raise the navigation timeout in the script (page.goto timeout, "
                    "waitForSelector timeout) within the run budget" + budget +
                        ", or wait for 'domcontentloaded' instead of full network idle.",
                    "Confirm the selector the script waits for still exists in the current page markup."}});
  }
  if (has({"visual variation", "visual monitoring"}))
    out.push_back({"visual_variation", "Screenshots differ from the visual baseline",
                   {"Compare the failed run's screenshot with the baseline: a deliberate UI change needs a new "
                    "baseline (update the canary with a new base canary run).",
                    "Exclude dynamic regions (dates, ads, carousels) from the visual comparison or raise the "
                    "variation threshold."}});
  if (is_permission_failure(text))
    out.push_back({"permissions", "The canary's execution role lacks a permission",
                   {"See the IAM analysis above for the exact missing actions, add them to the role's policy, "
                    "then wait for the next run (no redeploy is needed)."}});
  return out;
}

}  // namespace appsignals::tools::canaries

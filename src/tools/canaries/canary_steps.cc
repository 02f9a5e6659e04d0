#include "tools/canaries/canary_steps.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <set>

#include <boost/json/array.hpp>

#include "aws/services/ops.h"
#include "tools/common/fanout.h"
#include "tools/common/json_access.h"

namespace appsignals::tools::canaries {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

constexpr int kListPages = 5;
constexpr int kNamePages = 50;  // DescribeCanaries pages of 20 read to resolve a name
constexpr int kListPageSize = 1000;
constexpr std::size_t kMaxLogFiles = 2;
constexpr std::size_t kReadConcurrency = 4;

// ---- inputs (built outside coroutines: GCC 12 mishandles braced initialisers there) ----

json::object name_input(const std::string& name, bool runs) {
  json::object o{{"Name", name}};
  if (runs) o["MaxResults"] = 5;
  return o;
}

json::object audit_input(const std::string& name, double end) {
  auto e = static_cast<std::int64_t>(std::ceil(end));
  json::object target{{"Type", "canary"}, {"Data", json::object{{"Canary", json::object{{"CanaryName", name}}}}}};
  return json::object{{"StartTime", e - 900},
                      {"EndTime", e},
                      {"AuditTargets", json::array{target}},
                      {"Auditors", json::array{"canary", "operation_metric", "trace"}},
                      {"MaxResults", 10}};
}

json::object filter_input(const std::string& group, double start, double end) {
  return json::object{{"logGroupName", group},
                      {"startTime", static_cast<std::int64_t>(start * 1000)},
                      {"endTime", static_cast<std::int64_t>(end * 1000)},
                      {"limit", 10}};
}

json::object one_member(std::string_view key, const std::string& value) { return json::object{{key, value}}; }

json::object policy_version_input(const std::string& arn, const std::string& version) {
  return json::object{{"PolicyArn", arn}, {"VersionId", version}};
}

// The object member `key` of a response, null when absent.
const json::object* obj_at(const json::value& v, std::string_view key) {
  const auto& o = jv::obj(jv::as_obj(v), key);
  return o.empty() ? nullptr : &o;
}

// Epoch seconds of a Synthetics run folder ".../YYYY/MM/DD/HH/MM-SS-mmm/"; nullopt if the
// folder does not follow that layout.
std::optional<double> folder_time(std::string_view folder) {
  if (folder.ends_with("/")) folder.remove_suffix(1);
  std::vector<std::string_view> parts;
  while (!folder.empty() && parts.size() < 5) {
    auto slash = folder.rfind('/');
    parts.push_back(slash == std::string_view::npos ? folder : folder.substr(slash + 1));
    folder = slash == std::string_view::npos ? std::string_view() : folder.substr(0, slash);
  }
  if (parts.size() < 5) return std::nullopt;
  std::tm tm{};
  int mi = 0, se = 0;
  if (std::sscanf(std::string(parts[0]).c_str(), "%d-%d", &mi, &se) != 2) return std::nullopt;
  tm.tm_year = std::atoi(std::string(parts[4]).c_str()) - 1900;
  tm.tm_mon = std::atoi(std::string(parts[3]).c_str()) - 1;
  tm.tm_mday = std::atoi(std::string(parts[2]).c_str());
  tm.tm_hour = std::atoi(std::string(parts[1]).c_str());
  tm.tm_min = mi;
  tm.tm_sec = se;
  if (tm.tm_year < 70 || tm.tm_mday == 0) return std::nullopt;
  return static_cast<double>(timegm(&tm));
}

StepError step_error(std::string what, Error error, std::string_view iam_action) {
  StepError e;
  e.what = std::move(what);
  e.error = std::move(error);
  e.iam_action = std::string(iam_action);
  return e;
}

struct ReadSlots {
  std::string bucket;
  std::vector<ArtifactFile> files;
  std::vector<ReadArtifact> results;
};

asio::awaitable<void> read_one(StatePtr s, std::shared_ptr<ReadSlots> slots, std::size_t i) {
  auto& out = slots->results[i];
  const auto& file = slots->files[i];
  out.key = file.key;
  out.size = file.size;
  if (file.size > kArtifactSkipSize) {
    out.error = step_error("skipped " + file.key + " (" + std::to_string(file.size) + " bytes, over the " +
                              std::to_string(kArtifactSkipSize / (1024 * 1024)) + " MiB read limit)",
                          Error(ErrorCode::kResourceExhausted, "artifact too large"), "");
    co_return;
  }
  std::string bucket = slots->bucket;
  std::string key = file.key;
  auto r = co_await s->s3->get_object(bucket, key);
  if (!r.ok()) {
    out.error = step_error("could not read s3://" + bucket + "/" + key, r.error(), aws::ops::kGetObject.iam_action);
    co_return;
  }
  out.text = std::move(r->body);
  if (out.size == 0) out.size = static_cast<std::int64_t>(out.text.size());
  if (out.text.size() > kArtifactReadCap) {
    out.text.resize(kArtifactReadCap);
    out.truncated = true;
  }
}

asio::awaitable<void> policy_document(StatePtr s, std::shared_ptr<std::vector<std::string>> arns,
                                      std::shared_ptr<std::vector<std::optional<PolicyDocument>>> docs,
                                      std::shared_ptr<std::vector<std::optional<StepError>>> errs, std::size_t i) {
  std::string arn = (*arns)[i];
  json::object in = one_member("PolicyArn", arn);
  auto p = co_await s->clients->iam.call(aws::ops::kGetPolicy, in);
  if (!p.ok()) {
    (*errs)[i] = step_error("could not read policy " + arn, p.error(), aws::ops::kGetPolicy.iam_action);
    co_return;
  }
  const auto* pol = obj_at(*p, "Policy");
  std::string version = pol ? jv::str(*pol, "DefaultVersionId") : std::string();
  std::string name = pol ? jv::str(*pol, "PolicyName") : arn;
  if (version.empty()) version = "v1";
  json::object in2 = policy_version_input(arn, version);
  auto v = co_await s->clients->iam.call(aws::ops::kGetPolicyVersion, in2);
  if (!v.ok()) {
    (*errs)[i] = step_error("could not read policy " + name + " version " + version, v.error(), aws::ops::kGetPolicyVersion.iam_action);
    co_return;
  }
  const auto* pv = obj_at(*v, "PolicyVersion");
  auto doc = decode_policy_document(pv ? jv::str(*pv, "Document") : std::string());
  if (!doc) {
    (*errs)[i] = step_error("policy " + name + " has a document that is not URL-encoded JSON",
                           Error(ErrorCode::kInternal, "undecodable policy document"), "");
    co_return;
  }
  PolicyDocument d;
  d.name = name;
  d.document = std::move(*doc);
  (*docs)[i] = std::move(d);
}

}  // namespace

std::string render_step_error(const StepError& e) {
  std::string s = e.what + ": " + e.error.message;
  if (e.iam_action.empty()) return s;
  if (e.error.code == ErrorCode::kPermissionDenied) {
    s += " (the server's credentials need " + e.iam_action + ")";
  } else if (e.error.code == ErrorCode::kResourceExhausted) {
    s += " (throttled after retries; call again later)";
  }
  return s;
}

asio::awaitable<void> fetch_canary_part(StatePtr s, std::size_t i) {
  const aws::Op& op = i == 0 ? aws::ops::kGetCanary : aws::ops::kGetCanaryRuns;
  json::object in = name_input(s->name, i == 1);
  auto r = co_await s->clients->synthetics.call(op, in);
  if (i == 0) {
    s->canary = std::move(r);
  } else {
    s->runs = std::move(r);
  }
}

asio::awaitable<Result<std::vector<std::string>>> canary_names(StatePtr s) {
  json::object in;
  in["MaxResults"] = 20;
  int max_pages = kNamePages;
  auto r = co_await s->clients->synthetics.paginate(aws::ops::kDescribeCanaries, in, max_pages);
  if (!r.ok()) co_return std::move(r).error();
  std::vector<std::string> names;
  for (const auto& c : r->items)
    if (c.is_object()) names.push_back(jv::str(c.as_object(), "Name"));
  co_return names;
}

asio::awaitable<void> fetch_audit(StatePtr s, double end) {
  json::object in = audit_input(s->name, end);
  auto r = co_await s->clients->application_signals.call(aws::ops::kListAuditFindings, in);
  if (!r.ok()) {
    s->audit_error = step_error("could not read the canary's audit findings", r.error(),
                               aws::ops::kListAuditFindings.iam_action);
    co_return;
  }
  s->audit_findings = jv::arr(jv::as_obj(*r), "AuditFindings");
}

asio::awaitable<void> list_date_prefix(StatePtr s, std::string prefix) {
  DateListing listing;
  listing.bucket = s->base ? s->base->bucket : std::string();
  listing.prefix = prefix;
  std::string token;
  for (int page = 0; page < kListPages; ++page) {
    std::string bucket = listing.bucket;
    std::string pfx = prefix;
    std::string tok = token;
    int max_keys = kListPageSize;
    auto r = co_await s->s3->list_objects_v2(bucket, pfx, tok, max_keys);
    if (!r.ok()) {
      listing.error = step_error("could not list s3://" + listing.bucket + "/" + prefix, r.error(), aws::ops::kListObjectsV2.iam_action);
      break;
    }
    if (!r->is_object()) break;
    const auto& o = r->as_object();
    if (const auto* c = o.if_contains("Contents"); c && c->is_array()) {
      auto files = artifact_files(c->as_array());
      listing.files.insert(listing.files.end(), files.begin(), files.end());
    }
    token = jv::str(o, "NextContinuationToken");
    if (token.empty()) break;
    if (page + 1 == kListPages) listing.truncated = true;
  }
  s->listings[prefix] = std::move(listing);
}

void select_run_files(const AnalysisState& s, const CanaryRun& run, RunArtifacts& out) {
  std::vector<const ArtifactFile*> all;
  for (const auto& [prefix, listing] : s.listings) {
    out.bucket = listing.bucket;
    for (const auto& f : listing.files) all.push_back(&f);
  }
  // The run's own folder when GetCanaryRuns names it; else the folder closest in time.
  if (auto loc = parse_s3_location(run.artifact_location); loc && !loc->prefix.empty()) {
    out.folder = loc->prefix + "/";
  } else {
    double best = 180;  // seconds: a folder further than this from the run's start is another run
    for (const auto* f : all) {
      std::string folder = f->key.substr(0, f->key.rfind('/') + 1);
      auto t = folder_time(folder);
      if (t && std::abs(*t - run.started) < best) {
        best = std::abs(*t - run.started);
        out.folder = folder;
      }
    }
  }
  if (out.folder.empty()) return;
  for (const auto* f : all)
    if (f->key.starts_with(out.folder)) out.files.push_back(*f);
}

asio::awaitable<void> read_run_artifacts(StatePtr s, bool failed_run) {
  RunArtifacts& ra = failed_run ? s->failed_artifacts : s->passed_artifacts;
  auto slots = std::make_shared<ReadSlots>();
  slots->bucket = ra.bucket;
  const ArtifactFile* har = nullptr;
  const ArtifactFile* gz = nullptr;
  for (const auto& f : ra.files) {
    if (f.kind != ArtifactKind::kHar) continue;
    if (lower(f.key).ends_with(".gz")) {
      if (!gz) gz = &f;
    } else if (!har) {
      har = &f;
    }
  }
  if (har) slots->files.push_back(*har);
  if (failed_run)
    for (const auto& f : ra.files)
      if (f.kind == ArtifactKind::kLog && slots->files.size() < kMaxLogFiles + (har ? 1 : 0)) slots->files.push_back(f);
  if (!har && gz) {
    HarParse p;
    p.problem = "only a compressed HAR (" + gz->key + ") exists; this server does not decompress .har.gz files";
    ra.har_parse = p;
  }
  slots->results.resize(slots->files.size());
  std::size_t count = slots->files.size();
  std::size_t limit = kReadConcurrency;
  FanoutWork work = [s, slots](std::size_t i) { return read_one(s, slots, i); };
  co_await for_each_bounded(count, limit, work);
  for (auto& r : slots->results) {
    if (har && r.key == har->key) {
      if (!r.error) {
        auto parsed = parse_har(r.text);
        if (!parsed.har && r.truncated) parsed.problem += "; the file was cut at the read limit";
        ra.har_parse = std::move(parsed);
      }
      ra.har = std::move(r);
    } else {
      ra.logs.push_back(std::move(r));
    }
  }
}

asio::awaitable<void> fetch_lambda_logs(StatePtr s) {
  LambdaFindings lf;
  std::string engine = jv::str(s->canary_obj, "EngineArn");
  auto fn = function_name_from_arn(engine);
  if (!fn) {
    lf.errors.push_back(step_error("the canary has no Lambda function ARN (EngineArn '" + engine + "')",
                         Error(ErrorCode::kNotFound, "no EngineArn"), ""));
    s->lambda = std::move(lf);
    co_return;
  }
  lf.function_name = *fn;
  lf.log_group = "/aws/lambda/" + *fn;
  const auto& run = s->recent[*s->failed_index];
  double end = run.completed > 0 ? run.completed : run.started;
  lf.window_start = run.started - 300;
  lf.window_end = end + 300;

  json::object in = one_member("FunctionName", lf.function_name);
  auto f = co_await s->clients->lambda.call(aws::ops::kGetFunction, in);
  if (f.ok()) {
    if (const auto* c = obj_at(*f, "Configuration")) lf.configuration = *c;
  } else {
    lf.errors.push_back(step_error("could not read the canary's function " + lf.function_name, f.error(), aws::ops::kGetFunction.iam_action));
  }
  json::object in2 = filter_input(lf.log_group, lf.window_start, lf.window_end);
  auto r = co_await s->clients->logs.call(aws::ops::kFilterLogEvents, in2);
  if (!r.ok()) {
    lf.errors.push_back(step_error("could not read " + lf.log_group, r.error(), aws::ops::kFilterLogEvents.iam_action));
  } else if (r->is_object()) {
    const auto& o = r->as_object();
    if (const auto* ev = o.if_contains("events"); ev && ev->is_array())
      for (const auto& e : ev->as_array()) {
        if (!e.is_object()) continue;
        double ts = number_of(e.as_object().if_contains("timestamp")) / 1000.0;
        lf.events.emplace_back(ts, jv::str(e.as_object(), "message"));
      }
    lf.more_events = !jv::str(o, "nextToken").empty();
  }
  s->lambda = std::move(lf);
}

asio::awaitable<void> analyze_iam(StatePtr s) {
  IamFindings iam;
  std::string role_arn = jv::str(s->canary_obj, "ExecutionRoleArn");
  iam.role_name = role_arn.substr(role_arn.rfind('/') + 1);
  if (iam.role_name.empty()) {
    iam.errors.push_back(step_error("the canary has no execution role", Error(ErrorCode::kNotFound, "no ExecutionRoleArn"), ""));
    s->iam = std::move(iam);
    co_return;
  }
  json::object in = one_member("RoleName", iam.role_name);
  auto role = co_await s->clients->iam.call(aws::ops::kGetRole, in);
  if (!role.ok()) {
    iam.errors.push_back(step_error("could not read role " + iam.role_name, role.error(), aws::ops::kGetRole.iam_action));
    s->iam = std::move(iam);
    co_return;
  }
  iam.role_exists = true;
  json::object in2 = one_member("RoleName", iam.role_name);
  in2["MaxItems"] = 100;
  auto attached = co_await s->clients->iam.call(aws::ops::kListAttachedRolePolicies, in2);
  if (!attached.ok()) {
    iam.errors.push_back(step_error("could not list the role's policies", attached.error(), aws::ops::kListAttachedRolePolicies.iam_action));
    s->iam = std::move(iam);
    co_return;
  }
  auto arns = std::make_shared<std::vector<std::string>>();
  for (const auto& p : jv::arr(jv::as_obj(*attached), "AttachedPolicies"))
      if (p.is_object()) {
        arns->push_back(jv::str(p.as_object(), "PolicyArn"));
        iam.policy_names.push_back(jv::str(p.as_object(), "PolicyName"));
      }
  auto docs = std::make_shared<std::vector<std::optional<PolicyDocument>>>(arns->size());
  auto errs = std::make_shared<std::vector<std::optional<StepError>>>(arns->size());
  std::size_t count = arns->size();
  std::size_t limit = 8;
  FanoutWork work = [s, arns, docs, errs](std::size_t i) { return policy_document(s, arns, docs, errs, i); };
  co_await for_each_bounded(count, limit, work);
  std::vector<PolicyDocument> documents;
  for (std::size_t i = 0; i < count; ++i) {
    if ((*errs)[i]) iam.errors.push_back(*(*errs)[i]);
    if ((*docs)[i]) documents.push_back(std::move(*(*docs)[i]));
  }
  // arn:aws:iam::<account>:role/... → the account that owns the canary's resources.
  std::string account;
  {
    std::size_t pos = 0;
    for (int field = 0; field < 4 && pos != std::string::npos; ++field) pos = role_arn.find(':', pos + 1);
    if (pos != std::string::npos) {
      auto next = role_arn.find(':', pos + 1);
      account = role_arn.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
    }
  }
  auto fn = function_name_from_arn(jv::str(s->canary_obj, "EngineArn"));
  S3Location artifacts;
  if (s->base) artifacts = *s->base;
  auto required = required_canary_actions(artifacts, s->region, account, fn.value_or(""));
  iam.checks = check_actions(required, documents);
  s->iam = std::move(iam);
}

}  // namespace appsignals::tools::canaries

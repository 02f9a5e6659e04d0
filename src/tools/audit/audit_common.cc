// Service listing and resolution (ListServices: wildcards, resolved names, environments), the
// batched ListAuditFindings fan-out, and matching findings to their targets for the ranking.
#include "tools/audit/audit_common.h"

#include <algorithm>

#include "common/text.h"
#include "tools/common/fanout.h"
#include "tools/common/json_access.h"
#include "tools/common/name_match.h"
#include "tools/common/service_listing.h"

namespace appsignals::tools::audit {
namespace {

namespace asio = boost::asio;

constexpr int kMaxFindingPages = 10;

constexpr std::string_view kSeverities[] = {"critical", "high", "warning", "medium", "low", "info", "none"};

json::object window_input(const TimeWindow& w) {
  json::object in;
  in["StartTime"] = epoch_seconds(w.start);
  in["EndTime"] = epoch_seconds(w.end);
  return in;
}

bool same_service(const ServiceRef& a, const ServiceRef& b) {
  return a.name == b.name && a.environment == b.environment && a.account_id == b.account_id;
}

void add_unique(std::vector<ServiceRef>& list, const ServiceRef& s) {
  for (const auto& x : list)
    if (same_service(x, s)) return;
  list.push_back(s);
}

ServiceRef ref_of(const ListedService& l) {
  ServiceRef r;
  r.name = l.name;
  r.environment = l.environment;
  r.type = l.type.empty() ? "Service" : l.type;
  r.account_id = l.account_id;
  return r;
}

bool env_matches(std::string_view wanted, std::string_view actual, bool ignore_case) {
  if (wanted.empty()) return true;
  return ignore_case ? ascii_lower(wanted) == ascii_lower(actual) : wanted == actual;
}

json::object audit_input(const TimeWindow& w, const std::vector<json::object>& targets, std::size_t begin,
                         std::size_t end, const std::optional<std::vector<std::string>>& auditors) {
  json::object in = window_input(w);
  json::array list;
  for (std::size_t i = begin; i < end; ++i) list.push_back(targets[i]);
  in["AuditTargets"] = std::move(list);
  if (auditors) {
    json::array names;
    for (const auto& a : *auditors) names.push_back(json::string(a));
    in["Auditors"] = std::move(names);
  }
  return in;
}

struct BatchOutcome {
  std::vector<json::object> findings;
  std::optional<Error> error;
};

struct AuditState {
  std::shared_ptr<const aws::AwsClients> clients;
  TimeWindow window;
  std::vector<json::object> targets;
  std::optional<std::vector<std::string>> auditors;
  std::vector<BatchOutcome> outcomes;
};

asio::awaitable<void> audit_batch(std::shared_ptr<AuditState> state, std::size_t index) {
  const std::size_t begin = index * kBatchSize;
  const std::size_t end = std::min(state->targets.size(), begin + kBatchSize);
  json::object input = audit_input(state->window, state->targets, begin, end, state->auditors);
  BatchOutcome& out = state->outcomes[index];
  for (int page = 0; page < kMaxFindingPages; ++page) {
    auto r = co_await state->clients->application_signals.call(aws::ops::kListAuditFindings, input);
    if (!r) {
      out.error = r.error();
      co_return;
    }
    const json::object& body = jv::as_obj(*r);
    for (const auto& item : jv::arr(body, "AuditFindings"))
      if (item.is_object()) out.findings.push_back(item.get_object());
    std::string next = jv::str(body, "NextToken");
    if (next.empty()) co_return;
    input["NextToken"] = next;
  }
}

// "…/slo/name" → "name".
std::string slo_id(std::string_view id) {
  if (id.rfind("arn:", 0) == 0) {
    auto slash = id.rfind('/');
    if (slash != std::string_view::npos) return std::string(id.substr(slash + 1));
  }
  return std::string(id);
}

// Keys that pair a finding with its target: exact (with the environment) and loose (without).
struct Keys {
  std::string exact;
  std::string loose;
};

Keys keys(std::string_view kind, std::string_view name, std::string_view env, std::string_view extra) {
  Keys k;
  k.loose = std::string(kind) + "|" + std::string(name) + "|" + std::string(extra);
  k.exact = k.loose + "|" + std::string(env);
  return k;
}

Keys target_keys(const json::object& target) {
  const auto& data = jv::obj(target, "Data");
  if (const auto& so = jv::obj(data, "ServiceOperation"); !so.empty()) {
    const auto& svc = jv::obj(so, "Service");
    return keys("o", jv::view(svc, "Name"), jv::view(svc, "Environment"), jv::view(so, "Operation"));
  }
  if (const auto& slo = jv::obj(data, "Slo"); !slo.empty()) {
    auto name = jv::str(slo, "SloName");
    return keys("l", slo_id(name.empty() ? jv::str(slo, "SloArn") : name), "", "");
  }
  const auto& svc = jv::obj(data, "Service");
  return keys("s", jv::view(svc, "Name"), jv::view(svc, "Environment"), "");
}

Keys finding_keys(const json::object& finding) {
  const auto& ka = jv::obj(finding, "KeyAttributes");
  auto rtype = jv::view(ka, "ResourceType");
  if (rtype.find("ServiceLevelObjective") != std::string_view::npos || jv::view(finding, "Type") == "SLO") {
    auto id = jv::str(ka, "Identifier");
    if (id.empty()) id = jv::str(ka, "Name");
    return keys("l", slo_id(id), "", "");
  }
  if (auto op = jv::view(finding, "Operation"); !op.empty())
    return keys("o", jv::view(ka, "Name"), jv::view(ka, "Environment"), op);
  return keys("s", jv::view(ka, "Name"), jv::view(ka, "Environment"), "");
}

int worst_of(const std::vector<json::object>& findings) {
  int worst = kNoFindings;
  for (const auto& f : findings)
    for (const auto& r : jv::arr(f, "AuditorResults"))
      if (r.is_object()) worst = std::min(worst, severity_rank(jv::view(r.get_object(), "Severity")));
  return worst;
}

}  // namespace

int severity_rank(std::string_view severity) {
  auto s = ascii_lower(severity);
  for (std::size_t i = 0; i < std::size(kSeverities); ++i)
    if (kSeverities[i] == s) return static_cast<int>(i);
  return static_cast<int>(std::size(kSeverities));  // unrated
}

bool uninstrumented(const json::object& summary) {
  const auto& ka = jv::obj(summary, "KeyAttributes");
  if (ka.empty()) return true;
  if (jv::view(ka, "Type") != "Service" || jv::view(ka, "Name") == "Unknown") return true;
  for (const auto& m : jv::arr(summary, "AttributeMaps"))
    if (m.is_object()) {
      auto t = jv::view(m.get_object(), "InstrumentationType");
      if (t == "UNINSTRUMENTED" || t == "AWS_NATIVE") return true;
    }
  return false;
}

ListedService listed_service(const json::object& summary) {
  ListedService l;
  const auto& k = jv::obj(summary, "KeyAttributes");
  l.name = jv::str(k, "Name");
  l.environment = jv::str(k, "Environment");
  l.type = jv::str(k, "Type");
  l.account_id = jv::str(k, "AwsAccountId");
  l.instrumented = !uninstrumented(summary);
  return l;
}

asio::awaitable<Result<std::vector<ListedService>>> list_all_services(std::shared_ptr<const aws::AwsClients> clients,
                                                                      TimeWindow window) {
  std::int64_t start = epoch_seconds(window.start), end = epoch_seconds(window.end);
  auto listed = co_await list_service_summaries(std::move(clients), start, end);
  if (!listed) co_return std::move(listed).error();
  std::vector<ListedService> out;
  out.reserve(listed->services.size());
  for (const auto& summary : listed->services) out.push_back(listed_service(summary));
  co_return out;
}

Resolution resolve_services(const std::vector<ServiceRef>& refs, const std::vector<ListedService>& listing,
                            const TimeWindow& window) {
  Resolution res;
  res.per_ref.resize(refs.size());
  std::vector<std::string> names;
  std::size_t instrumented = 0;
  for (const auto& l : listing) {
    instrumented += l.instrumented;
    if (std::find(names.begin(), names.end(), l.name) == names.end()) names.push_back(l.name);
  }
  std::vector<std::string> patterns;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    const auto& ref = refs[i];
    if (has_wildcard(ref.name)) {
      res.wildcard = true;
      if (std::find(patterns.begin(), patterns.end(), ref.name) == patterns.end()) patterns.push_back(ref.name);
      for (const auto& l : listing)
        if (l.instrumented && glob_match(ref.name, l.name) && env_matches(ref.environment, l.environment, true))
          add_unique(res.per_ref[i], ref_of(l));
      continue;
    }
    auto resolved = resolve_name(ref.name, names);
    if (!resolved.name) {
      auto text = not_found_text("service", ref.name, resolved, names.size());
      if (text.rfind("Error: ", 0) == 0) text = text.substr(7);
      res.unresolved.push_back(text + " Services are those reporting between " + format_iso(window.start) +
                               " and " + format_iso(window.end) + " (list_monitored_services lists them).");
      continue;
    }
    if (!resolved.exact) res.notes.push_back(resolved.note("service", ref.name));
    std::vector<std::string> environments;
    for (int pass = 0; pass < 2 && res.per_ref[i].empty(); ++pass)
      for (const auto& l : listing)
        if (l.name == *resolved.name && env_matches(ref.environment, l.environment, pass == 1)) {
          auto r = ref_of(l);
          if (r.account_id.empty()) r.account_id = ref.account_id;
          add_unique(res.per_ref[i], r);
        }
    for (const auto& l : listing)
      if (l.name == *resolved.name) {
        environments.push_back(l.environment);
        if (!l.instrumented)
          res.lines.push_back("Service " + l.name + " (" + l.environment +
                              ") is not instrumented (uninstrumented or AWS-native): the auditors have little to say "
                              "about it.");
      }
    if (res.per_ref[i].empty())
      res.unresolved.push_back("service '" + *resolved.name + "' reports in no environment named '" + ref.environment +
                               "'; its environments: " + join(environments, ", ") + ".");
  }
  if (res.wildcard) {
    std::size_t matched = 0;
    std::vector<ServiceRef> all;
    for (std::size_t i = 0; i < refs.size(); ++i)
      if (has_wildcard(refs[i].name))
        for (const auto& s : res.per_ref[i]) add_unique(all, s);
    matched = all.size();
    res.lines.push_back("Service filtering: " + std::to_string(instrumented) + " instrumented of " +
                        plural(listing.size(), "service", "services") + " reporting in the window (" +
                        std::to_string(listing.size() - instrumented) + " uninstrumented or AWS-native skipped); " +
                        std::to_string(matched) + " matched " + join(patterns, ", ") + ".");
  }
  return res;
}

asio::awaitable<AuditRun> run_audit(std::shared_ptr<const aws::AwsClients> clients, TimeWindow window,
                                    std::vector<json::object> targets, std::vector<std::string> labels,
                                    std::optional<std::vector<std::string>> auditors) {
  auto state = std::make_shared<AuditState>();
  state->clients = std::move(clients);
  state->window = window;
  state->targets = std::move(targets);
  state->auditors = std::move(auditors);
  const std::size_t batches = (state->targets.size() + kBatchSize - 1) / kBatchSize;
  state->outcomes.resize(batches);
  FanoutWork work = [state](std::size_t i) { return audit_batch(state, i); };
  co_await for_each_bounded(batches, kFanout, work);

  AuditRun run;
  run.batches = batches;
  run.targets = state->targets.size();
  std::vector<Keys> tkeys;
  for (std::size_t i = 0; i < state->targets.size(); ++i) {
    AuditEntry e;
    e.label = i < labels.size() ? labels[i] : std::string();
    run.entries.push_back(std::move(e));
    tkeys.push_back(target_keys(state->targets[i]));
  }
  std::vector<AuditEntry> orphans;
  for (std::size_t b = 0; b < batches; ++b) {
    const std::size_t begin = b * kBatchSize;
    const std::size_t end = std::min(state->targets.size(), begin + kBatchSize);
    auto& o = state->outcomes[b];
    if (o.error) {
      FailedBatch f;
      f.error = *o.error;
      for (std::size_t i = begin; i < end; ++i) {
        f.targets.push_back(run.entries[i].label);
        run.entries[i].failed = true;
      }
      run.failed.push_back(std::move(f));
      continue;
    }
    // Each finding goes to the batch's target with the same keys (the first one still without
    // findings when several share them); one matching none becomes an entry of its own.
    for (auto& finding : o.findings) {
      auto fk = finding_keys(finding);
      std::optional<std::size_t> pick;
      for (int loose = 0; loose < 2 && !pick; ++loose) {
        std::optional<std::size_t> first;
        for (std::size_t i = begin; i < end; ++i) {
          bool same = loose ? tkeys[i].loose == fk.loose : tkeys[i].exact == fk.exact;
          if (!same) continue;
          if (!first) first = i;
          if (run.entries[i].findings.empty()) {
            pick = i;
            break;
          }
        }
        if (!pick) pick = first;
      }
      if (pick) {
        run.entries[*pick].findings.push_back(std::move(finding));
      } else {
        AuditEntry e;
        e.findings.push_back(std::move(finding));
        orphans.push_back(std::move(e));
      }
    }
  }
  for (auto& e : orphans) run.entries.push_back(std::move(e));
  for (auto& e : run.entries) e.worst = worst_of(e.findings);
  co_return run;
}

std::vector<const AuditEntry*> ranked(const AuditRun& run) {
  std::vector<const AuditEntry*> out;
  for (const auto& e : run.entries)
    if (!e.failed) out.push_back(&e);
  // Ties keep target order (listing order for wildcards): the ranking is the same on every page.
  std::stable_sort(out.begin(), out.end(),
                   [](const AuditEntry* a, const AuditEntry* b) { return a->worst < b->worst; });
  return out;
}

}  // namespace appsignals::tools::audit

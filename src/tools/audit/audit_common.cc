// Service resolution (ListServices: wildcard pages, fuzzy names, environments) and the batched
// ListAuditFindings fan-out.
#include "tools/audit/audit_common.h"

#include <algorithm>
#include <set>

#include "tools/common/fanout.h"
#include "tools/common/name_match.h"

namespace appsignals::tools::audit {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr int kMaxListingPages = 50;
constexpr int kMaxFindingPages = 10;
constexpr int kFuzzyAccept = 85;

std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

json::object window_input(const TimeWindow& w) {
  json::object in;
  in["StartTime"] = epoch_seconds(w.start);
  in["EndTime"] = epoch_seconds(w.end);
  return in;
}

json::object list_services_input(const TimeWindow& w, std::int64_t max_results, const std::string& token) {
  json::object in = window_input(w);
  in["MaxResults"] = max_results;
  if (!token.empty()) in["NextToken"] = token;
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

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The services of `listing` named `name` (exact, else ignoring case), in `environment` if given.
std::vector<ServiceRef> by_name(const std::vector<ListedService>& listing, const std::string& name,
                                const std::string& environment) {
  std::vector<ServiceRef> out;
  for (int pass = 0; pass < 2 && out.empty(); ++pass)
    for (const auto& l : listing)
      if ((pass == 0 ? l.name == name : iequal(l.name, name)) && (environment.empty() || l.environment == environment))
        add_unique(out, ref_of(l));
  return out;
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
  json::array findings;
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
  std::string op = "ListAuditFindings";
  json::object input = audit_input(state->window, state->targets, begin, end, state->auditors);
  BatchOutcome& out = state->outcomes[index];
  for (int page = 0; page < kMaxFindingPages; ++page) {
    auto r = co_await state->clients->application_signals.call(op, input);
    if (!r) {
      out.error = r.error();
      co_return;
    }
    const json::object* body = r->if_object();
    if (!body) co_return;
    if (const auto* f = body->if_contains("AuditFindings"); f && f->is_array())
      for (const auto& item : f->get_array()) out.findings.push_back(item);
    std::string next = str(*body, "NextToken");
    if (next.empty()) co_return;
    input["NextToken"] = next;
  }
}

}  // namespace

bool uninstrumented(const json::object& summary) {
  const auto* ka = summary.if_contains("KeyAttributes");
  if (!ka || !ka->is_object()) return true;
  if (str(ka->get_object(), "Type") != "Service" || str(ka->get_object(), "Name") == "Unknown") return true;
  if (const auto* maps = summary.if_contains("AttributeMaps"); maps && maps->is_array())
    for (const auto& m : maps->get_array())
      if (m.is_object()) {
        auto t = str(m.get_object(), "InstrumentationType");
        if (t == "UNINSTRUMENTED" || t == "AWS_NATIVE") return true;
      }
  return false;
}

ListedService listed_service(const json::object& summary) {
  ListedService l;
  if (const auto* ka = summary.if_contains("KeyAttributes"); ka && ka->is_object()) {
    const auto& k = ka->get_object();
    l.name = str(k, "Name");
    l.environment = str(k, "Environment");
    l.type = str(k, "Type");
    l.account_id = str(k, "AwsAccountId");
  }
  l.instrumented = !uninstrumented(summary);
  return l;
}

asio::awaitable<Result<std::vector<ListedService>>> list_all_services(std::shared_ptr<const aws::AwsClients> clients,
                                                                      TimeWindow window) {
  std::string op = "ListServices";
  std::string no_token;
  json::object input = list_services_input(window, 100, no_token);
  auto page = co_await clients->application_signals.paginate(op, input, kMaxListingPages);
  if (!page) co_return page.error();
  std::vector<ListedService> out;
  for (const auto& item : page->items)
    if (item.is_object()) out.push_back(listed_service(item.get_object()));
  co_return out;
}

asio::awaitable<Result<WildcardScan>> scan_wildcards(std::shared_ptr<const aws::AwsClients> clients,
                                                     TimeWindow window, std::vector<std::string> patterns,
                                                     std::int64_t max_services, std::string next_token) {
  WildcardScan scan;
  std::string op = "ListServices";
  std::string token = next_token;
  for (int page = 0; page < kMaxWildcardPages; ++page) {
    json::object input = list_services_input(window, max_services, token);
    auto r = co_await clients->application_signals.call(op, input);
    if (!r) co_return r.error();
    const json::object* body = r->if_object();
    token.clear();
    if (!body) break;
    if (const auto* items = body->if_contains("ServiceSummaries"); items && items->is_array())
      for (const auto& item : items->get_array()) {
        if (!item.is_object()) continue;
        ++scan.listed;
        auto l = listed_service(item.get_object());
        if (!l.instrumented) continue;
        ++scan.instrumented;
        for (const auto& p : patterns)
          if (glob_match(p, l.name)) add_unique(scan.matches, ref_of(l));
      }
    token = str(*body, "NextToken");
    if (!scan.matches.empty() || token.empty()) break;
  }
  scan.next_token = token;
  co_return scan;
}

void resolve_exact_names(const std::vector<ServiceRef>& wanted, const std::vector<ListedService>& listing,
                         std::vector<ServiceRef>& out, std::vector<std::string>& notes,
                         std::vector<std::string>& unresolved) {
  for (const auto& w : wanted) {
    auto found = by_name(listing, w.name, w.environment);
    if (!found.empty()) {
      for (auto& f : found) add_unique(out, f);
      continue;
    }
    std::vector<std::string> names;
    for (const auto& l : listing)
      if (l.instrumented && std::find(names.begin(), names.end(), l.name) == names.end()) names.push_back(l.name);
    auto close = closest_names(w.name, names, 3, 30);
    if (!close.empty() && close.front().score >= kFuzzyAccept) {
      auto matched = by_name(listing, close.front().name, w.environment);
      if (matched.empty()) matched = by_name(listing, close.front().name, "");
      for (auto& f : matched) add_unique(out, f);
      notes.push_back("'" + w.name + "' matches no service exactly; audited '" + close.front().name +
                      "' instead (similarity " + std::to_string(close.front().score) + "%)");
      continue;
    }
    std::string line = "'" + w.name + "'" + (w.environment.empty() ? "" : " in " + w.environment) +
                       ": no such service reported in the window";
    if (close.empty()) {
      line += ", and no similar names (list_monitored_services shows them all)";
    } else {
      std::vector<std::string> c;
      for (const auto& s : close) c.push_back(s.name);
      line += "; closest: " + join(c, ", ");
    }
    unresolved.push_back(line);
  }
}

asio::awaitable<Result<Resolution>> resolve_services(std::shared_ptr<const aws::AwsClients> clients,
                                                     TimeWindow window, std::vector<ServiceRef> refs,
                                                     std::int64_t max_services, std::string next_token) {
  Resolution res;
  res.per_ref.resize(refs.size());
  std::vector<std::string> patterns;
  bool need_listing = false;
  for (const auto& r : refs) {
    if (has_wildcard(r.name)) {
      if (std::find(patterns.begin(), patterns.end(), r.name) == patterns.end()) patterns.push_back(r.name);
    } else if (r.environment.empty()) {
      need_listing = true;
    }
  }
  if (!patterns.empty()) {
    res.wildcard = true;
    auto scan = co_await scan_wildcards(clients, window, patterns, max_services, next_token);
    if (!scan) co_return scan.error();
    res.scan = std::move(*scan);
    for (std::size_t i = 0; i < refs.size(); ++i)
      if (has_wildcard(refs[i].name))
        for (const auto& m : res.scan.matches)
          if (glob_match(refs[i].name, m.name)) add_unique(res.per_ref[i], m);
    res.lines.push_back("Service filtering: " + std::to_string(res.scan.instrumented) + " instrumented of " +
                        std::to_string(res.scan.listed) + " services listed (" +
                        std::to_string(res.scan.listed - res.scan.instrumented) +
                        " uninstrumented or AWS-native skipped); " + std::to_string(res.scan.matches.size()) +
                        " matched " + join(patterns, ", "));
  }
  std::vector<ListedService> listing;
  if (need_listing) {
    auto all = co_await list_all_services(clients, window);
    if (!all) co_return all.error();
    listing = std::move(*all);
  }
  for (std::size_t i = 0; i < refs.size(); ++i) {
    if (has_wildcard(refs[i].name)) continue;
    if (!refs[i].environment.empty()) {
      res.per_ref[i].push_back(refs[i]);
      continue;
    }
    std::vector<ServiceRef> one;
    one.push_back(refs[i]);
    resolve_exact_names(one, listing, res.per_ref[i], res.lines, res.unresolved);
  }
  co_return res;
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
  for (std::size_t b = 0; b < batches; ++b) {
    auto& o = state->outcomes[b];
    if (o.error) {
      FailedBatch f;
      f.error = *o.error;
      for (std::size_t i = b * kBatchSize; i < std::min(labels.size(), (b + 1) * kBatchSize); ++i)
        f.targets.push_back(labels[i]);
      run.failed.push_back(std::move(f));
      continue;
    }
    for (auto& item : o.findings) run.findings.push_back(std::move(item));
  }
  co_return run;
}

}  // namespace appsignals::tools::audit

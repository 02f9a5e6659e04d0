// audit_service_operations: operation targets (service + operation + metric type). Services are
// resolved as in audit_services; each resolved service's operations are listed
// (ListServiceOperations, its `ServiceOperations`, every page; concurrently) so that operation
// names resolve too: '*' patterns expand, a near-miss resolves to its one clear match with a
// note, an unknown name is "not found" with the closest names. Then ListAuditFindings in batches
// of 5 and the findings ranked most severe first, wildcard audits paging over the ranking.
#include <algorithm>

#include "common/text.h"
#include "tools/audit/audit_tools.h"
#include "tools/common/fanout.h"
#include "tools/common/json_access.h"
#include "tools/common/name_match.h"
#include "tools/common/tool_errors.h"

namespace appsignals::tools::audit {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kDefaultAuditors = "operation_metric";

json::object operations_input(const TimeWindow& w, const ServiceRef& s) {
  json::object ka;
  ka["Type"] = s.type;
  ka["Name"] = s.name;
  ka["Environment"] = s.environment;
  if (!s.account_id.empty()) ka["AwsAccountId"] = s.account_id;
  json::object in;
  in["StartTime"] = epoch_seconds(w.start);
  in["EndTime"] = epoch_seconds(w.end);
  in["KeyAttributes"] = std::move(ka);
  in["MaxResults"] = 100;
  return in;
}

struct OpsState {
  std::shared_ptr<const aws::AwsClients> clients;
  TimeWindow window;
  std::vector<ServiceRef> services;
  std::vector<std::vector<std::string>> operations;
  std::vector<std::optional<Error>> errors;
};

asio::awaitable<void> fetch_operations(std::shared_ptr<OpsState> state, std::size_t index) {
  json::object input = operations_input(state->window, state->services[index]);
  int max_pages = 10;
  auto page = co_await state->clients->application_signals.paginate(aws::ops::kListServiceOperations, input, max_pages);
  if (!page) {
    state->errors[index] = page.error();
    co_return;
  }
  for (const auto& item : page->items)
    if (auto name = jv::str(jv::as_obj(item), "Name"); !name.empty()) state->operations[index].push_back(name);
}

bool same(const ServiceRef& a, const ServiceRef& b) { return a.name == b.name && a.environment == b.environment; }

std::string label_of(const OperationRef& o) {
  std::string l = o.service.name + " " + o.operation;
  if (!o.metric_type.empty()) l += " [" + o.metric_type + "]";
  return l;
}

// "POST /payments/charge" → {"post", "/payments/charge"}; no verb → {"", text}.
std::pair<std::string, std::string> split_verb(std::string_view op) {
  static constexpr std::string_view kVerbs[] = {"get", "post", "put", "patch", "delete", "head", "options"};
  auto lower = ascii_lower(trim_space(op));
  auto space = lower.find(' ');
  if (space != std::string::npos)
    for (auto v : kVerbs)
      if (lower.substr(0, space) == v) return {std::string(v), std::string(trim_space(lower.substr(space + 1)))};
  return {"", lower};
}

// An operation named by the tail of its path ("POST /charge" for "POST /payments/charge"):
// the one operation with the same verb whose path ends with the given one at a '/' boundary.
std::optional<std::string> path_suffix_match(std::string_view query, const std::vector<std::string>& ops) {
  auto [qverb, qpath] = split_verb(query);
  if (qpath.empty() || qpath == "/") return std::nullopt;
  if (qpath.front() != '/') qpath = "/" + qpath;
  std::optional<std::string> found;
  for (const auto& op : ops) {
    auto [verb, path] = split_verb(op);
    if (!qverb.empty() && verb != qverb) continue;
    if (path.size() < qpath.size() || path.compare(path.size() - qpath.size(), qpath.size(), qpath) != 0) continue;
    if (found) return std::nullopt;  // not one clear match
    found = op;
  }
  return found;
}

struct Expansion {
  std::vector<OperationRef> targets;
  std::vector<std::string> lines;
  std::vector<std::string> notes;
  std::vector<std::string> unresolved;
};

// Pairs each operation target with its resolved services and their operations (`ops`, indexed
// like `services`).
Expansion expand(const std::vector<OperationRef>& refs, const Resolution& res, const std::vector<ServiceRef>& services,
                 const std::vector<std::vector<std::string>>& ops, const std::vector<bool>& listed) {
  Expansion e;
  auto add = [&e](OperationRef r) {
    for (const auto& x : e.targets)
      if (same(x.service, r.service) && x.operation == r.operation && x.metric_type == r.metric_type) return;
    e.targets.push_back(std::move(r));
  };
  for (std::size_t i = 0; i < refs.size(); ++i) {
    for (const auto& s : res.per_ref[i]) {
      std::size_t k = 0;
      while (k < services.size() && !same(services[k], s)) ++k;
      if (k == services.size() || !listed[k]) continue;
      const auto& names = ops[k];
      std::vector<std::string> shown(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(names.size(), 10)));
      const std::string known = names.empty() ? std::string("it reported no operations in the window")
                                              : "its operations: " + join(shown, ", ") + (names.size() > 10 ? ", ..." : "");
      if (has_wildcard(refs[i].operation)) {
        std::size_t matched = 0;
        for (const auto& name : names)
          if (glob_match(refs[i].operation, name)) {
            OperationRef r = refs[i];
            r.service = s;
            r.operation = name;
            add(std::move(r));
            ++matched;
          }
        e.lines.push_back("'" + refs[i].operation + "' matched " + plural(matched, "operation", "operations") + " of " +
                          s.name + (matched == 0 ? "; " + known : std::string()));
        continue;
      }
      auto resolved = resolve_name(refs[i].operation, names);
      std::optional<std::string> name = resolved.name;
      if (!name) name = path_suffix_match(refs[i].operation, names);
      if (!name) {
        auto text = not_found_text("operation", refs[i].operation, resolved, names.size());
        if (text.rfind("Error: ", 0) == 0) text = text.substr(7);
        e.unresolved.push_back(text + " (operations of " + s.name + " with traffic in the window; " + known + ")");
        continue;
      }
      if (*name != refs[i].operation)
        e.notes.push_back("resolved operation '" + refs[i].operation + "' of " + s.name + " to '" + *name + "'.");
      OperationRef r = refs[i];
      r.service = s;
      r.operation = *name;
      add(std::move(r));
    }
  }
  return e;
}

asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  auto window = audit_window(call);
  if (!window) co_return argument_failure(window.error());
  json::array canonical = call.args.json("operation_targets").as_array();
  std::vector<OperationRef> refs = operation_refs(canonical);
  auto auditors = auditors_of(call, kDefaultAuditors);
  const auto page_size = static_cast<std::size_t>(call.args.integer("max_services", 5));
  std::vector<ServiceRef> service_list;
  bool wildcard = false;
  for (const auto& r : refs) {
    service_list.push_back(r.service);
    wildcard = wildcard || has_wildcard(r.service.name) || has_wildcard(r.operation);
  }
  auto token = read_page_token(call, wildcard, "operation_targets", "payments/*");
  if (!token) co_return argument_failure(token.error());
  PageToken at = *token;

  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kListServices);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  TimeWindow w = *window;
  auto listing = co_await list_all_services(c, w);
  if (!listing) co_return aws_failure(listing.error(), aws::ops::kListServices);
  Resolution res = resolve_services(service_list, *listing, w);
  for (const auto& n : res.notes) call.note(n);

  // Every resolved service's operations (names resolve against them), concurrently.
  auto state = std::make_shared<OpsState>();
  state->clients = c;
  state->window = w;
  std::size_t over_cap = 0;
  for (const auto& list : res.per_ref)
    for (const auto& s : list) {
      bool known = false;
      for (const auto& x : state->services) known = known || same(x, s);
      if (known) continue;
      if (state->services.size() == kMaxExpandedServices) {
        ++over_cap;
        continue;
      }
      state->services.push_back(s);
    }
  state->operations.resize(state->services.size());
  state->errors.resize(state->services.size());
  FanoutWork work = [state](std::size_t i) { return fetch_operations(state, i); };
  co_await for_each_bounded(state->services.size(), kFanout, work);
  std::vector<bool> listed(state->services.size(), true);
  std::size_t failures = 0;
  for (std::size_t i = 0; i < state->errors.size(); ++i)
    if (state->errors[i]) {
      listed[i] = false;
      ++failures;
      res.lines.push_back("Could not list the operations of " + state->services[i].name + " (not audited): " +
                          state->errors[i]->message);
    }
  if (failures > 0 && failures == state->services.size())
    co_return aws_failure(*state->errors.front(), aws::ops::kListServiceOperations);
  if (over_cap > 0)
    res.lines.push_back(std::to_string(over_cap) + " more matched services were left out (operations are listed for at "
                        "most " + std::to_string(kMaxExpandedServices) + " services per call): narrow the service pattern.");
  Expansion expansion = expand(refs, res, state->services, state->operations, listed);
  for (const auto& n : expansion.notes) call.note(n);
  std::vector<std::string> unresolved = res.unresolved;
  for (const auto& u : expansion.unresolved) unresolved.push_back(u);

  if (expansion.targets.empty() && !unresolved.empty()) {
    std::string msg = "no operation to audit.\n";
    for (const auto& u : unresolved) msg += "- " + u + "\n";
    msg += "Use service/operation names as list_service_operations shows them (e.g. \"payments/POST "
           "/payments/charge\"), or a pattern such as \"payments/POST *\".";
    co_return argument_failure(msg);
  }
  std::vector<OperationRef> selected = wildcard ? audit_slice(expansion.targets, at) : expansion.targets;
  if (wildcard && selected.empty() && at.audit_offset > 0)
    co_return argument_failure(stale_token_text("audit_service_operations"));

  ReportHeader header;
  header.title = "operation audit";
  header.scope = plural(refs.size(), "operation target", "operation targets") + " given, " +
                 (wildcard ? std::to_string(expansion.targets.size()) + " matched, " : std::string()) +
                 plural(selected.size(), "operation", "operations") + " audited";
  header.region = region_of(call);
  header.window = w;
  header.auditors = auditors_label(auditors);
  header.lines = res.lines;
  for (const auto& l : expansion.lines) header.lines.push_back(l);

  if (selected.empty())
    co_return mcp::ToolResult::text(render_header(header, 0, 0) +
                                    "\nNo operation matched the targets (list_service_operations shows a service's "
                                    "operations).\n");

  std::vector<json::object> targets;
  std::vector<std::string> labels;
  for (const auto& t : selected) {
    targets.push_back(operation_audit_target(t));
    labels.push_back(label_of(t));
  }
  auto run = co_await run_audit(c, w, targets, labels, auditors);
  if (run.failed.size() == run.batches) co_return aws_failure(run.failed.front().error, aws::ops::kListAuditFindings);
  if (wildcard && at.rank_offset > 0 && at.rank_offset >= ranked(run).size())
    co_return argument_failure(stale_token_text("audit_service_operations"));

  std::optional<Paging> paging;
  if (wildcard) {
    Paging p;
    p.tool = "audit_service_operations";
    p.targets_arg = "operation_targets";
    p.targets_text = compact_targets(TargetKind::kOperation, canonical);
    p.window = w;
    p.size_arg = "max_services";
    p.size = page_size;
    p.what = "operations";
    p.matched = expansion.targets.size();
    p.at = at;
    paging = p;
  }
  std::string out = render_header(header, targets.size(), run.batches);
  if (!paging) out += "Operations: " + join(labels, "; ") + "\n";
  if (!unresolved.empty()) {
    out += "Not found (not audited):\n";
    for (const auto& u : unresolved) out += "- " + u + "\n";
  }
  out += render_ranked(run, paging);
  out += "\nNext steps: search_transaction_spans or query_sampled_traces show the failing or slow requests of an "
         "operation; re-run with auditors=\"all\" (or \"trace,log,dependency_metric\") to get the root cause.\n";
  co_return mcp::ToolResult::text(out);
}

}  // namespace

ToolEntry audit_service_operations_tool() {
  ToolSpec spec;
  spec.name = "audit_service_operations";
  spec.title = "Audit service operations";
  spec.description =
      "Operation-level audit, the FIRST choice for any question about one endpoint or API: \"is POST /charge "
      "slow?\", \"why does GET /owners fail?\", \"which operations of payments are unhealthy?\". Runs the "
      "Application Signals auditors (ListAuditFindings) over operations given as \"service/operation\" "
      "(\"payments/POST /payments/charge\"), optionally with a metric type (Latency, Availability, Error; Fault "
      "is read as Availability), or patterns (\"payments/*\", \"*/POST *\"), and returns the findings ranked "
      "most severe first: fault-rate and latency anomalies by default; auditors=\"all\" adds trace root causes, "
      "log patterns and dependency metrics. Service and operation names are resolved here (no need to list "
      "services or operations first); an unknown operation is reported not found with the closest names. "
      "Default window: the last 24 hours. For whole-service health use audit_services; for SLO breaches "
      "audit_slos; then the trace tools for individual requests.";
  spec.args = {targets_arg(TargetKind::kOperation),
               start_time_arg(),
               end_time_arg(),
               auditors_arg(kDefaultAuditors),
               next_token_arg(),
               page_size_arg("max_services", "operations"),
               arg::region()};
  spec.ops = {aws::ops::kListServices, aws::ops::kListServiceOperations, aws::ops::kListAuditFindings};
  spec.narrow_hint = "use fewer or narrower operation patterns, a smaller max_services, or page with next_token";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::audit

// audit_slos: SLO targets by name, ARN or wildcard, resolved against every SLO of the account
// (ListServiceLevelObjectives, every page); then ListAuditFindings in batches of 5 and the
// findings ranked most severe first, a wildcard audit paging over the ranking with max_slos.
#include <algorithm>

#include "tools/audit/audit_tools.h"
#include "tools/common/json_access.h"
#include "tools/common/name_match.h"
#include "tools/common/tool_errors.h"

namespace appsignals::tools::audit {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kDefaultAuditors = "slo";

struct KnownSlo {
  std::string name;
  std::string arn;
};

json::object list_input() {
  json::object in;
  in["MaxResults"] = 50;
  in["IncludeLinkedAccounts"] = true;
  return in;
}

asio::awaitable<Result<std::vector<KnownSlo>>> all_slos(std::shared_ptr<const aws::AwsClients> clients) {
  json::object input = list_input();
  int max_pages = 20;
  auto page = co_await clients->application_signals.paginate(aws::ops::kListServiceLevelObjectives, input, max_pages);
  if (!page) co_return page.error();
  std::vector<KnownSlo> out;
  for (const auto& item : page->items) {
    const auto& o = jv::as_obj(item);
    KnownSlo k;
    k.name = jv::str(o, "Name");
    k.arn = jv::str(o, "Arn");
    if (!k.name.empty()) out.push_back(std::move(k));
  }
  co_return out;
}

struct Plan {
  std::vector<SloRef> slos;
  std::vector<std::string> lines;
  std::vector<std::string> notes;
  std::vector<std::string> unresolved;
  std::size_t matched = 0;  // by wildcards
};

void add_unique(std::vector<SloRef>& list, const SloRef& r) {
  for (const auto& x : list)
    if (x.name == r.name) return;
  list.push_back(r);
}

Plan resolve(const std::vector<SloRef>& refs, const std::vector<KnownSlo>& known) {
  Plan plan;
  std::vector<std::string> names;
  for (const auto& k : known) names.push_back(k.name);
  std::vector<std::string> patterns;
  for (const auto& r : refs) {
    if (r.arn.empty() && has_wildcard(r.name)) {
      patterns.push_back(r.name);
      for (const auto& k : known)
        if (glob_match(r.name, k.name)) {
          SloRef m;
          m.name = k.name;
          auto before = plan.slos.size();
          add_unique(plan.slos, m);
          plan.matched += plan.slos.size() - before;
        }
      continue;
    }
    if (!r.arn.empty()) {
      auto it = std::find_if(known.begin(), known.end(), [&r](const KnownSlo& k) { return k.arn == r.arn; });
      if (it != known.end()) {
        SloRef m;
        m.name = it->name;
        m.arn = r.arn;
        add_unique(plan.slos, m);
        continue;
      }
    }
    std::string query = r.name;
    if (query.empty()) query = r.arn.substr(r.arn.rfind('/') == std::string::npos ? 0 : r.arn.rfind('/') + 1);
    auto resolved = resolve_name(query, names);
    if (!resolved.name) {
      auto text = not_found_text("SLO", r.name.empty() ? r.arn : r.name, resolved, names.size());
      if (text.rfind("Error: ", 0) == 0) text = text.substr(7);
      plan.unresolved.push_back(text + " (list_slos lists them)");
      continue;
    }
    if (!resolved.exact) plan.notes.push_back(resolved.note("SLO", r.name.empty() ? r.arn : r.name));
    SloRef m;
    m.name = *resolved.name;
    add_unique(plan.slos, m);
  }
  if (!patterns.empty())
    plan.lines.push_back("SLO filtering: " + std::to_string(plan.matched) + " of " +
                         plural(known.size(), "SLO", "SLOs") + " matched " + join(patterns, ", ") + ".");
  return plan;
}

asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  auto window = audit_window(call);
  if (!window) co_return argument_failure(window.error());
  json::array canonical = call.args.json("slo_targets").as_array();
  std::vector<SloRef> refs = slo_refs(canonical);
  auto auditors = auditors_of(call, kDefaultAuditors);
  const auto page_size = static_cast<std::size_t>(call.args.integer("max_slos", 5));
  bool wildcard = false;
  for (const auto& r : refs) wildcard = wildcard || (r.arn.empty() && has_wildcard(r.name));
  auto token = read_page_token(call, wildcard, "slo_targets", "*");
  if (!token) co_return argument_failure(token.error());
  PageToken at = *token;

  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kListServiceLevelObjectives);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  TimeWindow w = *window;
  auto known = co_await all_slos(c);
  if (!known) co_return aws_failure(known.error(), aws::ops::kListServiceLevelObjectives);
  Plan plan = resolve(refs, *known);
  for (const auto& n : plan.notes) call.note(n);
  if (plan.slos.empty() && !plan.unresolved.empty()) {
    std::string msg = "no SLO to audit.\n";
    for (const auto& u : plan.unresolved) msg += "- " + u + "\n";
    msg += "Use an SLO name or ARN (list_slos lists them), or a wildcard such as \"*availability*\".";
    co_return argument_failure(msg);
  }
  std::vector<SloRef> selected = wildcard ? audit_slice(plan.slos, at) : plan.slos;
  if (wildcard && selected.empty() && at.audit_offset > 0) co_return argument_failure(stale_token_text("audit_slos"));

  ReportHeader header;
  header.title = "SLO audit";
  header.scope = plural(refs.size(), "SLO target", "SLO targets") + " given, " +
                 (wildcard ? std::to_string(plan.slos.size()) + " matched, " : std::string()) +
                 plural(selected.size(), "SLO", "SLOs") + " audited";
  header.region = region_of(call);
  header.window = w;
  header.auditors = auditors_label(auditors);
  header.lines = plan.lines;

  if (selected.empty()) {
    std::vector<std::string> names;
    for (const auto& k : *known)
      if (names.size() < 20) names.push_back(k.name);
    co_return mcp::ToolResult::text(render_header(header, 0, 0) + "\nNo SLO matched the pattern" +
                                    (names.empty() ? std::string(" (the account has no SLOs in this region).\n")
                                                   : ". SLOs: " + join(names, ", ") + ".\n"));
  }

  std::vector<json::object> targets;
  std::vector<std::string> labels;
  for (const auto& s : selected) {
    targets.push_back(slo_audit_target(s));
    labels.push_back(s.name);
  }
  auto run = co_await run_audit(c, w, targets, labels, auditors);
  if (run.failed.size() == run.batches) co_return aws_failure(run.failed.front().error, aws::ops::kListAuditFindings);
  if (wildcard && at.rank_offset > 0 && at.rank_offset >= ranked(run).size())
    co_return argument_failure(stale_token_text("audit_slos"));

  std::optional<Paging> paging;
  if (wildcard) {
    Paging p;
    p.tool = "audit_slos";
    p.targets_arg = "slo_targets";
    p.targets_text = compact_targets(TargetKind::kSlo, canonical);
    p.window = w;
    p.size_arg = "max_slos";
    p.size = page_size;
    p.what = "SLOs";
    p.matched = plan.slos.size();
    p.at = at;
    paging = p;
  }
  std::string out = render_header(header, targets.size(), run.batches);
  if (!plan.unresolved.empty()) {
    out += "Not found (not audited):\n";
    for (const auto& u : plan.unresolved) out += "- " + u + "\n";
  }
  out += render_ranked(run, paging);
  out += "\nNext steps: get_slo shows an SLO's definition (SLI, threshold, goal); audit_service_operations "
         "audits the operation behind a breached SLO; re-run with auditors=\"all\" for traces, logs and "
         "dependencies.\n";
  co_return mcp::ToolResult::text(out);
}

}  // namespace

ToolEntry audit_slos_tool() {
  ToolSpec spec;
  spec.name = "audit_slos";
  spec.title = "Audit SLOs";
  spec.description =
      "SLO compliance audit: the tool for \"is an SLO breached?\", \"why is payments-charge-availability red?\", "
      "\"which SLOs are in trouble?\". Runs the Application Signals auditors (ListAuditFindings) over SLOs given "
      "by name, ARN, comma list or wildcard (\"*\" audits every SLO and ranks them together, breached first; page "
      "on with next_token) and returns each SLO's findings (CRITICAL for a breached SLO, MEDIUM for a warning) "
      "with what the operation behind it shows. Names are resolved here; no need to list SLOs first. Default "
      "window: the last 24 hours; default auditor \"slo\" (\"all\" adds traces, logs and dependencies for the "
      "root cause). Then: get_slo for a definition, audit_service_operations for the operation behind a breach, "
      "audit_services for the whole service.";
  spec.args = {targets_arg(TargetKind::kSlo),
               start_time_arg(),
               end_time_arg(),
               auditors_arg(kDefaultAuditors),
               next_token_arg(),
               page_size_arg("max_slos", "SLOs"),
               arg::region()};
  spec.ops = {aws::ops::kListServiceLevelObjectives, aws::ops::kListAuditFindings};
  spec.narrow_hint = "use a narrower pattern or fewer names, a smaller max_slos, or page with next_token";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::audit

// audit_services: resolves the service targets against every service reporting in the window
// (wildcards, resolved names, missing environments), audits them (ListAuditFindings in batches
// of 5, concurrently) and ranks the findings most severe first; a wildcard audit ranks every
// match (up to kAuditCap per call) and pages over the ranking with max_services / next_token.
#include "tools/audit/audit_canaries.h"
#include "tools/audit/audit_tools.h"

#include "tools/common/name_match.h"
#include "tools/common/tool_errors.h"

namespace appsignals::tools::audit {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kDefaultAuditors = "slo,operation_metric";

std::string label_of(const ServiceRef& s) { return s.name + (s.environment.empty() ? "" : " (" + s.environment + ")"); }

std::string not_found_message(const std::vector<std::string>& unresolved) {
  std::string msg = "no service to audit.\n";
  for (const auto& u : unresolved) msg += "- " + u + "\n";
  msg += "Use a name from the list above or from list_monitored_services, or a wildcard such as \"*pay*\".";
  return msg;
}

asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  auto window = audit_window(call);
  if (!window) co_return argument_failure(window.error());
  json::array canonical = call.args.json("service_targets").as_array();
  std::vector<ServiceRef> refs = service_refs(canonical);
  auto auditors = auditors_of(call, kDefaultAuditors);
  const auto page_size = static_cast<std::size_t>(call.args.integer("max_services", 5));
  bool wildcard = false;
  for (const auto& r : refs) wildcard = wildcard || has_wildcard(r.name);
  auto token = read_page_token(call, wildcard, "service_targets", "*");
  if (!token) co_return argument_failure(token.error());
  PageToken at = *token;

  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kListServices);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  TimeWindow w = *window;
  auto listing = co_await list_all_services(c, w);
  if (!listing) co_return aws_failure(listing.error(), aws::ops::kListServices);
  Resolution res = resolve_services(refs, *listing, w);
  for (const auto& n : res.notes) call.note(n);

  std::vector<ServiceRef> services;
  for (const auto& list : res.per_ref)
    for (const auto& s : list) {
      bool dup = false;
      for (const auto& x : services) dup = dup || (x.name == s.name && x.environment == s.environment);
      if (!dup) services.push_back(s);
    }
  if (services.empty() && !res.unresolved.empty()) co_return argument_failure(not_found_message(res.unresolved));

  std::vector<ServiceRef> selected = wildcard ? audit_slice(services, at) : services;
  if (wildcard && selected.empty() && at.audit_offset > 0) co_return argument_failure(stale_token_text("audit_services"));

  ReportHeader header;
  header.title = "service audit";
  header.scope = plural(refs.size(), "service target", "service targets") + " given, " +
                 (wildcard ? std::to_string(services.size()) + " matched, " : std::string()) +
                 plural(selected.size(), "service", "services") + " audited";
  header.region = region_of(call);
  header.window = w;
  header.auditors = auditors_label(auditors);
  header.lines = res.lines;

  if (selected.empty()) {
    std::vector<std::string> names;
    for (const auto& l : *listing)
      if (l.instrumented && names.size() < 20) names.push_back(l.name);
    std::string text = render_header(header, 0, 0) + "\nNo instrumented service matched the pattern" +
                       (names.empty() ? std::string(" (no instrumented service reported in the window).\n")
                                      : ". Instrumented services in the window: " + join(names, ", ") + ".\n");
    co_return mcp::ToolResult::text(text);
  }

  std::vector<json::object> targets;
  std::vector<std::string> labels;
  for (const auto& s : selected) {
    targets.push_back(service_audit_target(s));
    labels.push_back(label_of(s));
  }
  auto run = co_await run_audit(c, w, targets, labels, auditors);
  if (run.failed.size() == run.batches) co_return aws_failure(run.failed.front().error, aws::ops::kListAuditFindings);
  if (wildcard && at.rank_offset > 0 && at.rank_offset >= ranked(run).size())
    co_return argument_failure(stale_token_text("audit_services"));

  std::optional<Paging> paging;
  if (wildcard) {
    Paging p;
    p.tool = "audit_services";
    p.targets_arg = "service_targets";
    p.targets_text = compact_targets(TargetKind::kService, canonical);
    p.window = w;
    p.size_arg = "max_services";
    p.size = page_size;
    p.what = "services";
    p.matched = services.size();
    p.at = at;
    paging = p;
  }
  std::string out = render_header(header, targets.size(), run.batches);
  if (!res.unresolved.empty()) {
    out += "Not found (not audited):\n";
    for (const auto& u : res.unresolved) out += "- " + u + "\n";
  }
  out += render_ranked(run, paging);
  out += "\nNext steps: audit_service_operations checks one operation (e.g. \"payments/POST /payments/charge\"); "
         "audit_slos checks an SLO; re-run with auditors=\"all\" for traces, logs and dependencies when looking for a "
         "root cause.\n";
  // The Synthetics canaries that exercise the audited services, failing ones flagged.
  std::vector<json::object> canary_targets;
  for (const auto& s : selected) canary_targets.push_back(service_key_attributes(s.type, s.name, s.environment));
  std::int64_t from = epoch_seconds(w.start), to = epoch_seconds(w.end);
  auto canaries = co_await correlate_canaries(c, canary_targets, from, to);
  out += render_canaries(canaries, "the audited services");
  co_return mcp::ToolResult::text(out);
}

}  // namespace

ToolEntry audit_services_tool() {
  ToolSpec spec;
  spec.name = "audit_services";
  spec.title = "Audit services";
  spec.description =
      "Service health audit: the tool for \"is this service healthy?\", \"what is wrong with payments?\", \"which "
      "services have problems?\". Runs the Application Signals auditors (ListAuditFindings) over whole services "
      "and returns their findings ranked most severe first (CRITICAL breached SLOs, fault-rate and latency "
      "anomalies; with auditors=\"all\" also trace root causes, log patterns and dependency problems). Targets: a "
      "name, a comma list, or a wildcard (\"*\" audits every instrumented service and ranks them together, so the "
      "worst finding is always on the first page; page on with next_token). No need to list services first: "
      "names are resolved here (list_monitored_services is only an inventory). For one operation (\"is POST "
      "/charge slow?\") use audit_service_operations first; for SLO breaches use audit_slos. Default window: the "
      "last 24 hours.";
  spec.args = {targets_arg(TargetKind::kService),
               start_time_arg(),
               end_time_arg(),
               auditors_arg(kDefaultAuditors),
               next_token_arg(),
               page_size_arg("max_services", "services"),
               arg::region()};
  spec.ops = {aws::ops::kListServices, aws::ops::kListAuditFindings, aws::ops::kListServiceDependents,
              aws::ops::kGetCanaryRuns};
  spec.narrow_hint = "use a narrower pattern or fewer names, a smaller max_services, or page with next_token";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::audit

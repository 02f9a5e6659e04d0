// audit_services: resolves the service targets (shorthands, wildcards over one ListServices
// page scan, fuzzy names, missing environments), then ListAuditFindings in batches of 5.
#include <boost/json/serialize.hpp>

#include "tools/audit/audit_canaries.h"
#include "tools/audit/audit_common.h"
#include "tools/audit/audit_tools.h"
#include "tools/common/args.h"
#include "tools/common/name_match.h"
#include "tools/common/tool_errors.h"
#include "tools/toolsets.h"

namespace appsignals::tools {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace audit;

constexpr std::string_view kDefaultAuditors = "slo,operation_metric";

struct Plan {
  std::vector<ServiceRef> services;
  std::vector<std::string> labels;
  std::vector<json::object> targets;
};

Plan plan_of(const Resolution& res) {
  Plan p;
  for (const auto& list : res.per_ref)
    for (const auto& s : list) {
      bool dup = false;
      for (const auto& x : p.services) dup = dup || (x.name == s.name && x.environment == s.environment);
      if (dup) continue;
      p.services.push_back(s);
      p.labels.push_back(s.name + (s.environment.empty() ? "" : " (" + s.environment + ")"));
      p.targets.push_back(service_audit_target(s));
    }
  return p;
}

std::string report(const ReportHeader& header, const Plan& plan, const AuditRun& run, const Resolution& res,
                   const std::optional<Continuation>& more) {
  std::string out = render_header(header, plan.targets.size(), run.batches);
  if (!res.unresolved.empty()) {
    out += "Not audited (unknown names):\n";
    for (const auto& u : res.unresolved) out += "- " + u + "\n";
  }
  out += render_findings(run);
  if (more) out += render_continuation(*more);
  out += "\nNext steps: audit_service_operations drills into one operation (e.g. its Latency or Availability); "
         "audit_slos checks an SLO; re-run with auditors='all' for traces, logs and dependencies when looking for "
         "a root cause.\n";
  return out;
}

asio::awaitable<mcp::ToolResult> audit_services(std::shared_ptr<const ToolEnv> env, mcp::RequestContext&,
                                                json::object args) {
  auto common = read_audit_args(args, "service_targets", "max_services", kDefaultAuditors, env->now());
  if (!common) co_return argument_failure(common.error());
  auto refs = parse_service_targets(common->targets, "service_targets");
  if (!refs) co_return argument_failure(refs.error());
  std::string next_token = common->next_token;
  bool wildcard = false;
  for (const auto& r : *refs) wildcard = wildcard || has_wildcard(r.name);
  if (!next_token.empty() && !wildcard)
    co_return argument_failure(
        "'next_token' continues a wildcard audit: pass it together with the same service_targets containing a '*' "
        "pattern (e.g. [{\"Type\":\"service\",\"Service\":\"*\"}]); without wildcards, leave next_token out");
  auto clients = env->clients(args);
  std::string list_action = "application-signals:ListServices";
  if (!clients) co_return aws_failure(clients.error(), list_action);

  auto res = co_await resolve_services(*clients, common->window, *refs, common->page_size, next_token);
  if (!res) co_return aws_failure(res.error(), list_action);
  Plan plan = plan_of(*res);

  ReportHeader header;
  header.title = "service audit";
  header.scope = std::to_string(refs->size()) + " service target" + (refs->size() == 1 ? "" : "s") + " given, " +
                 std::to_string(plan.targets.size()) + " service" + (plan.targets.size() == 1 ? "" : "s") + " audited";
  header.region = region_of(*env, args);
  header.window = common->window;
  header.auditors = auditors_label(common->auditors);
  header.lines = res->lines;

  std::optional<Continuation> more =
      service_continuation(*res, "audit_services", "service_targets", common->targets, common->window,
                           common->page_size);

  if (plan.targets.empty()) {
    if (!res->unresolved.empty()) {
      std::string msg = "no service to audit.\n";
      for (const auto& u : res->unresolved) msg += "- " + u + "\n";
      msg += "Use the exact names (list_monitored_services lists them), or a wildcard such as '*pay*'.";
      co_return argument_failure(msg);
    }
    std::string text = render_header(header, 0, 0) + "\nNo instrumented service matched the patterns on the pages "
                       "scanned.\n";
    if (more) text += render_continuation(*more);
    co_return mcp::ToolResult::text(text);
  }

  auto run = co_await run_audit(*clients, common->window, plan.targets, plan.labels, common->auditors);
  if (run.failed.size() == run.batches) {
    std::string audit_action = "application-signals:ListAuditFindings";
    co_return aws_failure(run.failed.front().error, audit_action);
  }
  std::string text = report(header, plan, run, *res, more);
  std::vector<json::object> canary_targets;
  for (const auto& s : plan.services) canary_targets.push_back(service_key_attributes(s.type, s.name, s.environment));
  std::int64_t from = epoch_seconds(common->window.start), to = epoch_seconds(common->window.end);
  auto canaries = co_await correlate_canaries(*clients, canary_targets, from, to);
  text += render_canaries(canaries, "the audited services");
  co_return mcp::ToolResult::text(text);
}

json::object schema() {
  return audit_schema(kDefaultAuditors, "service_targets",
      "JSON array of service targets. Full form: [{\"Type\":\"service\",\"Data\":{\"Service\":{\"Type\":\"Service\","
      "\"Name\":\"payments\",\"Environment\":\"ecs:shop-cluster\"}}}]. Shorthands: {\"Type\":\"service\",\"Service\":"
      "\"payments\"}, {\"Type\":\"service\",\"Data\":{\"Service\":\"payments\"}}, {\"target_type\":\"service\","
      "\"service\":\"payments\"}; keys are case-insensitive and a missing Environment is looked up. Names may use "
      "'*' wildcards ('*' for every instrumented service, '*pay*'); a name without '*' that matches no service "
      "exactly is fuzzy-matched.",
      "max_services",
      "With wildcards: how many services each ListServices page scans (default 5, at most 10). The output says "
      "how to continue with next_token.");
}

}  // namespace

mcp::ToolDef make_audit_services_tool(std::shared_ptr<const ToolEnv> env) {
  mcp::ToolDef def;
  def.name = "audit_services";
  def.title = "Audit services";
  def.description =
      "Health audit of Application Signals services: START HERE when asked whether services are healthy, why one "
      "is slow or failing, or what changed. Runs the Application Signals auditors (ListAuditFindings) over the "
      "given services and returns their findings: per service, each auditor's result with a severity (CRITICAL, "
      "HIGH, MEDIUM, LOW) and a description (breached SLOs, fault-rate and latency anomalies, and with "
      "auditors='all' trace root causes, log patterns and dependency problems). Targets can be exact names, "
      "shorthands, or wildcards ('*' audits every instrumented service, page by page with next_token). Default "
      "window: the last 24 hours. Then drill down with audit_service_operations (one operation), audit_slos (one "
      "SLO), or the trace tools for individual requests.";
  def.input_schema = schema();
  def.annotations = read_only_annotations("Audit services");
  def.toolset = "audit";
  def.handler = [env](mcp::RequestContext& ctx, json::object args) { return audit_services(env, ctx, std::move(args)); };
  return def;
}

}  // namespace appsignals::tools

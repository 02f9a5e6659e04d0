// audit_slos: SLO targets by name or ARN; wildcard names are matched against pages of
// ListServiceLevelObjectives (max_slos each); exact names are checked against the SLO list
// (fuzzy-matched when unknown); then ListAuditFindings in batches of 5.
#include <algorithm>

#include <boost/json/serialize.hpp>

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

constexpr std::string_view kDefaultAuditors = "slo";
constexpr int kFuzzyAccept = 85;

std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

json::object list_input(std::int64_t max_results, const std::string& token) {
  json::object in;
  in["MaxResults"] = max_results;
  in["IncludeLinkedAccounts"] = true;
  if (!token.empty()) in["NextToken"] = token;
  return in;
}

struct SloScan {
  std::vector<std::string> matches;
  std::size_t listed = 0;
  std::string next_token;
};

asio::awaitable<Result<SloScan>> scan_slos(std::shared_ptr<const aws::AwsClients> clients,
                                           std::vector<std::string> patterns, std::int64_t max_slos,
                                           std::string next_token) {
  SloScan scan;
  std::string op = "ListServiceLevelObjectives";
  std::string token = next_token;
  for (int page = 0; page < kMaxWildcardPages; ++page) {
    json::object input = list_input(max_slos, token);
    auto r = co_await clients->application_signals.call(op, input);
    if (!r) co_return r.error();
    token.clear();
    const json::object* body = r->if_object();
    if (!body) break;
    if (const auto* items = body->if_contains("SloSummaries"); items && items->is_array())
      for (const auto& item : items->get_array()) {
        if (!item.is_object()) continue;
        ++scan.listed;
        auto name = str(item.get_object(), "Name");
        for (const auto& p : patterns)
          if (glob_match(p, name) && std::find(scan.matches.begin(), scan.matches.end(), name) == scan.matches.end())
            scan.matches.push_back(name);
      }
    token = str(*body, "NextToken");
    if (!scan.matches.empty() || token.empty()) break;
  }
  scan.next_token = token;
  co_return scan;
}

asio::awaitable<Result<std::vector<std::string>>> all_slo_names(std::shared_ptr<const aws::AwsClients> clients) {
  std::string op = "ListServiceLevelObjectives";
  std::string no_token;
  json::object input = list_input(50, no_token);
  auto page = co_await clients->application_signals.paginate(op, input, 20);
  if (!page) co_return page.error();
  std::vector<std::string> names;
  for (const auto& item : page->items)
    if (item.is_object()) names.push_back(str(item.get_object(), "Name"));
  co_return names;
}

struct Plan {
  std::vector<SloRef> slos;
  std::vector<std::string> lines;
  std::vector<std::string> unresolved;
};

void add_unique(std::vector<SloRef>& list, const SloRef& r) {
  for (const auto& x : list)
    if (x.name == r.name && x.arn == r.arn) return;
  list.push_back(r);
}

// Exact names checked against the SLO list: exact, else case-insensitive, else fuzzy ≥ 85.
void resolve_names(const std::vector<SloRef>& exact, const std::vector<std::string>& names, Plan& plan) {
  for (const auto& r : exact) {
    if (r.name.empty() || std::find(names.begin(), names.end(), r.name) != names.end()) {
      add_unique(plan.slos, r);
      continue;
    }
    auto close = closest_names(r.name, names, 3, 30);
    if (!close.empty() && close.front().score >= kFuzzyAccept) {
      SloRef fixed;
      fixed.name = close.front().name;
      add_unique(plan.slos, fixed);
      plan.lines.push_back("'" + r.name + "' matches no SLO exactly; audited '" + fixed.name + "' instead (similarity " +
                           std::to_string(close.front().score) + "%)");
      continue;
    }
    std::vector<std::string> c;
    for (const auto& s : close) c.push_back(s.name);
    plan.unresolved.push_back("'" + r.name + "': no such SLO" +
                              (c.empty() ? std::string(" (list_slos lists them)") : "; closest: " + join(c, ", ")));
  }
}

asio::awaitable<mcp::ToolResult> audit_slos(std::shared_ptr<const ToolEnv> env, mcp::RequestContext&,
                                            json::object args) {
  auto common = read_audit_args(args, "slo_targets", "max_slos", kDefaultAuditors, env->now());
  if (!common) co_return argument_failure(common.error());
  auto refs = parse_slo_targets(common->targets, "slo_targets");
  if (!refs) co_return argument_failure(refs.error());
  std::string next_token = common->next_token;
  std::vector<std::string> patterns;
  std::vector<SloRef> exact;
  for (const auto& r : *refs) {
    if (has_wildcard(r.name)) {
      if (std::find(patterns.begin(), patterns.end(), r.name) == patterns.end()) patterns.push_back(r.name);
    } else {
      exact.push_back(r);
    }
  }
  if (!next_token.empty() && patterns.empty())
    co_return argument_failure(
        "'next_token' continues a wildcard audit: pass it together with the same slo_targets containing a '*' "
        "pattern (e.g. [{\"Type\":\"slo\",\"Data\":{\"Slo\":{\"SloName\":\"*\"}}}]); without wildcards, leave "
        "next_token out");
  auto clients = env->clients(args);
  std::string list_action = "application-signals:ListServiceLevelObjectives";
  if (!clients) co_return aws_failure(clients.error(), list_action);

  Plan plan;
  std::optional<Continuation> more;
  if (!patterns.empty()) {
    auto scan = co_await scan_slos(*clients, patterns, common->page_size, next_token);
    if (!scan) co_return aws_failure(scan.error(), list_action);
    for (const auto& name : scan->matches) {
      SloRef r;
      r.name = name;
      add_unique(plan.slos, r);
    }
    plan.lines.push_back("SLO filtering: " + std::to_string(scan->matches.size()) + " of " +
                         std::to_string(scan->listed) + " SLOs listed matched " + join(patterns, ", "));
    Continuation c;
    c.tool = "audit_slos";
    c.targets_arg = "slo_targets";
    c.targets_json = json::serialize(common->targets);
    c.window = common->window;
    c.next_token = scan->next_token;
    c.size_arg = "max_slos";
    c.size = common->page_size;
    c.what = "SLOs";
    c.audited = scan->matches;
    more = std::move(c);
  }
  bool named = false;
  for (const auto& r : exact) named = named || !r.name.empty();
  if (named) {
    auto names = co_await all_slo_names(*clients);
    if (names) {
      resolve_names(exact, *names, plan);
    } else {
      // The names cannot be checked; audit them as given.
      for (const auto& r : exact) add_unique(plan.slos, r);
      plan.lines.push_back("SLO names not checked (ListServiceLevelObjectives failed: " + names.error().message + ")");
    }
  } else {
    for (const auto& r : exact) add_unique(plan.slos, r);
  }

  ReportHeader header;
  header.title = "SLO audit";
  header.scope = std::to_string(refs->size()) + " SLO target" + (refs->size() == 1 ? "" : "s") + " given, " +
                 std::to_string(plan.slos.size()) + " SLO" + (plan.slos.size() == 1 ? "" : "s") + " audited";
  header.region = region_of(*env, args);
  header.window = common->window;
  header.auditors = auditors_label(common->auditors);
  header.lines = plan.lines;

  if (plan.slos.empty()) {
    if (!plan.unresolved.empty()) {
      std::string msg = "no SLO to audit.\n";
      for (const auto& u : plan.unresolved) msg += "- " + u + "\n";
      msg += "Use the exact SLO names or ARNs (list_slos lists them), or a wildcard such as '*availability*'.";
      co_return argument_failure(msg);
    }
    std::string text = render_header(header, 0, 0) + "\nNo SLO matched the patterns on the pages scanned.\n";
    if (more) text += render_continuation(*more);
    co_return mcp::ToolResult::text(text);
  }

  std::vector<json::object> targets;
  std::vector<std::string> labels;
  for (const auto& s : plan.slos) {
    targets.push_back(slo_audit_target(s));
    labels.push_back(s.name.empty() ? s.arn : s.name);
  }
  auto run = co_await run_audit(*clients, common->window, targets, labels, common->auditors);
  if (run.failed.size() == run.batches) {
    std::string audit_action = "application-signals:ListAuditFindings";
    co_return aws_failure(run.failed.front().error, audit_action);
  }
  std::string out = render_header(header, targets.size(), run.batches);
  if (!plan.unresolved.empty()) {
    out += "Not audited (unknown names):\n";
    for (const auto& u : plan.unresolved) out += "- " + u + "\n";
  }
  out += render_findings(run);
  if (more) out += render_continuation(*more);
  out += "\nNext steps: get_slo shows an SLO's definition (SLI, threshold, goal); audit_service_operations "
         "audits the operation behind a breached SLO; re-run with auditors='all' for traces, logs and dependencies.\n";
  co_return mcp::ToolResult::text(out);
}

json::object schema() {
  return audit_schema(kDefaultAuditors, "slo_targets",
      "JSON array of SLO targets: [{\"Type\":\"slo\",\"Data\":{\"Slo\":{\"SloName\":\"payments-charge-availability\"}}}] "
      "or with \"SloArn\" instead of \"SloName\" (Slo must be an object, not a string). Names may use '*' "
      "wildcards ('*' for every SLO, '*latency*'); a name without '*' that matches no SLO is fuzzy-matched.",
      "max_slos",
      "With wildcards: how many SLOs each ListServiceLevelObjectives page scans (default 5, at most 10). The "
      "output says how to continue with next_token.");
}

}  // namespace

mcp::ToolDef make_audit_slos_tool(std::shared_ptr<const ToolEnv> env) {
  mcp::ToolDef def;
  def.name = "audit_slos";
  def.title = "Audit SLOs";
  def.description =
      "Compliance audit of service level objectives: use it when an SLO is breached or close to it, or to check "
      "SLOs in bulk. Runs the Application Signals auditors (ListAuditFindings) over the given SLOs (by name, ARN "
      "or '*' wildcard, paged with next_token) and returns each SLO's findings with severity (CRITICAL for a "
      "breached SLO, MEDIUM for a warning) and a description, plus, for unhealthy SLOs, what the operation "
      "behind it shows. Default window: the last 24 hours; default auditor 'slo' ('all' adds traces, logs and "
      "dependencies for the root cause). Related: list_slos / list_slis to find SLOs, get_slo for a definition, "
      "audit_services for the whole service, audit_service_operations for the operation.";
  def.input_schema = schema();
  def.annotations = read_only_annotations("Audit SLOs");
  def.toolset = "audit";
  def.handler = [env](mcp::RequestContext& ctx, json::object args) { return audit_slos(env, ctx, std::move(args)); };
  return def;
}

}  // namespace appsignals::tools

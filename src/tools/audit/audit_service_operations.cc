// audit_service_operations: operation targets (Service + Operation + MetricType). Services are
// resolved as in audit_services (wildcards, fuzzy names, environments); operation names with
// '*' are expanded from ListServiceOperations (its `ServiceOperations` list, every page) per
// service, concurrently; then ListAuditFindings in batches of 5.
#include <algorithm>

#include <boost/json/serialize.hpp>

#include "tools/audit/audit_common.h"
#include "tools/audit/audit_tools.h"
#include "tools/common/args.h"
#include "tools/common/fanout.h"
#include "tools/common/name_match.h"
#include "tools/common/tool_errors.h"
#include "tools/toolsets.h"

namespace appsignals::tools {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace audit;

constexpr std::string_view kDefaultAuditors = "operation_metric";

std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

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
  std::string op = "ListServiceOperations";
  json::object input = operations_input(state->window, state->services[index]);
  auto page = co_await state->clients->application_signals.paginate(op, input, 10);
  if (!page) {
    state->errors[index] = page.error();
    co_return;
  }
  for (const auto& item : page->items)
    if (item.is_object()) state->operations[index].push_back(str(item.get_object(), "Name"));
}

bool same(const ServiceRef& a, const ServiceRef& b) { return a.name == b.name && a.environment == b.environment; }

std::string label_of(const OperationRef& o) {
  std::string l = o.service.name + " " + o.operation;
  if (!o.metric_type.empty()) l += " [" + o.metric_type + "]";
  return l;
}

struct Expansion {
  std::vector<OperationRef> targets;
  std::vector<std::string> lines;
};

// Pairs each operation target with its resolved services; wildcard operations take the
// matching names from `ops` (indexed like `services`).
Expansion expand(const std::vector<OperationRef>& refs, const Resolution& res, const std::vector<ServiceRef>& services,
                 const std::vector<std::vector<std::string>>& ops) {
  Expansion e;
  auto add = [&e](OperationRef r) {
    for (const auto& x : e.targets)
      if (same(x.service, r.service) && x.operation == r.operation && x.metric_type == r.metric_type) return;
    e.targets.push_back(std::move(r));
  };
  for (std::size_t i = 0; i < refs.size(); ++i) {
    for (const auto& s : res.per_ref[i]) {
      if (!has_wildcard(refs[i].operation)) {
        OperationRef r = refs[i];
        r.service = s;
        add(std::move(r));
        continue;
      }
      std::size_t k = 0;
      while (k < services.size() && !same(services[k], s)) ++k;
      if (k == services.size()) continue;
      std::size_t matched = 0;
      for (const auto& name : ops[k])
        if (glob_match(refs[i].operation, name)) {
          OperationRef r = refs[i];
          r.service = s;
          r.operation = name;
          add(std::move(r));
          ++matched;
        }
      if (matched == 0) {
        std::vector<std::string> shown(ops[k].begin(), ops[k].begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(ops[k].size(), 10)));
        e.lines.push_back("'" + refs[i].operation + "' matched no operation of " + s.name +
                          (ops[k].empty() ? std::string(" (no operations reported in the window)")
                                          : "; its operations: " + join(shown, ", ") +
                                                (ops[k].size() > 10 ? ", ..." : "")));
      } else {
        e.lines.push_back("'" + refs[i].operation + "' matched " + std::to_string(matched) + " operation" +
                          (matched == 1 ? "" : "s") + " of " + s.name);
      }
    }
  }
  return e;
}

asio::awaitable<mcp::ToolResult> audit_service_operations(std::shared_ptr<const ToolEnv> env, mcp::RequestContext&,
                                                          json::object args) {
  auto common = read_audit_args(args, "operation_targets", "max_services", kDefaultAuditors, env->now());
  if (!common) co_return argument_failure(common.error());
  auto refs = parse_operation_targets(common->targets, "operation_targets");
  if (!refs) co_return argument_failure(refs.error());
  std::string next_token = common->next_token;
  std::vector<ServiceRef> service_refs;
  bool wildcard = false;
  for (const auto& r : *refs) {
    service_refs.push_back(r.service);
    wildcard = wildcard || has_wildcard(r.service.name);
  }
  if (!next_token.empty() && !wildcard)
    co_return argument_failure(
        "'next_token' continues a wildcard audit: pass it together with the same operation_targets whose Service "
        "name contains a '*' pattern; without service wildcards, leave next_token out");
  auto clients = env->clients(args);
  std::string list_action = "application-signals:ListServices";
  if (!clients) co_return aws_failure(clients.error(), list_action);

  auto res = co_await resolve_services(*clients, common->window, service_refs, common->page_size, next_token);
  if (!res) co_return aws_failure(res.error(), list_action);

  // Services whose operations must be listed (wildcard operation names).
  auto state = std::make_shared<OpsState>();
  state->clients = *clients;
  state->window = common->window;
  for (std::size_t i = 0; i < refs->size(); ++i) {
    if (!has_wildcard((*refs)[i].operation)) continue;
    for (const auto& s : res->per_ref[i]) {
      bool known = false;
      for (const auto& x : state->services) known = known || same(x, s);
      if (!known) state->services.push_back(s);
    }
  }
  state->operations.resize(state->services.size());
  state->errors.resize(state->services.size());
  FanoutWork work = [state](std::size_t i) { return fetch_operations(state, i); };
  co_await for_each_bounded(state->services.size(), kFanout, work);
  for (const auto& e : state->errors)
    if (e) {
      std::string ops_action = "application-signals:ListServiceOperations";
      co_return aws_failure(*e, ops_action);
    }
  Expansion expansion = expand(*refs, *res, state->services, state->operations);

  ReportHeader header;
  header.title = "operation audit";
  header.scope = std::to_string(refs->size()) + " operation target" + (refs->size() == 1 ? "" : "s") + " given, " +
                 std::to_string(expansion.targets.size()) + " operation" + (expansion.targets.size() == 1 ? "" : "s") +
                 " audited";
  header.region = region_of(*env, args);
  header.window = common->window;
  header.auditors = auditors_label(common->auditors);
  header.lines = res->lines;
  for (const auto& l : expansion.lines) header.lines.push_back(l);

  std::optional<Continuation> more =
      service_continuation(*res, "audit_service_operations", "operation_targets", common->targets, common->window, common->page_size);

  if (expansion.targets.empty()) {
    if (!res->unresolved.empty()) {
      std::string msg = "no operation to audit.\n";
      for (const auto& u : res->unresolved) msg += "- " + u + "\n";
      msg += "Use the exact service names (list_monitored_services lists them), or a wildcard such as '*pay*'.";
      co_return argument_failure(msg);
    }
    std::string text = render_header(header, 0, 0) +
                       "\nNo operation matched the targets (list_service_operations shows a service's operations).\n";
    if (more) text += render_continuation(*more);
    co_return mcp::ToolResult::text(text);
  }

  std::vector<json::object> targets;
  std::vector<std::string> labels;
  for (const auto& t : expansion.targets) {
    targets.push_back(operation_audit_target(t));
    labels.push_back(label_of(t));
  }
  auto run = co_await run_audit(*clients, common->window, targets, labels, common->auditors);
  if (run.failed.size() == run.batches) {
    std::string audit_action = "application-signals:ListAuditFindings";
    co_return aws_failure(run.failed.front().error, audit_action);
  }
  std::string out = render_header(header, targets.size(), run.batches);
  out += "Operations: " + join(labels, "; ") + "\n";
  if (!res->unresolved.empty()) {
    out += "Not audited (unknown names):\n";
    for (const auto& u : res->unresolved) out += "- " + u + "\n";
  }
  out += render_findings(run);
  if (more) out += render_continuation(*more);
  out += "\nNext steps: search_transaction_spans or query_sampled_traces show the failing or slow requests of an "
         "operation; re-run with auditors='all' (or 'trace,log,dependency_metric') to get the root cause.\n";
  co_return mcp::ToolResult::text(out);
}

json::object schema() {
  return audit_schema(kDefaultAuditors, "operation_targets",
      "JSON array of operation targets: [{\"Type\":\"service_operation\",\"Data\":{\"ServiceOperation\":{\"Service\":"
      "{\"Type\":\"Service\",\"Name\":\"payments\",\"Environment\":\"ecs:shop-cluster\"},\"Operation\":\"POST "
      "/payments/charge\",\"MetricType\":\"Latency\"}}}]. Service may be just the name (its Environment is looked "
      "up; '*' wildcards and approximate names are accepted). Operation may use '*' ('GET *', '*'), expanded "
      "from the service's operations. MetricType: Latency, Availability (Fault is accepted) or Error, any case.",
      "max_services",
      "With service wildcards: how many services each ListServices page scans (default 5, at most 10). The "
      "output says how to continue with next_token.");
}

}  // namespace

mcp::ToolDef make_audit_service_operations_tool(std::shared_ptr<const ToolEnv> env) {
  mcp::ToolDef def;
  def.name = "audit_service_operations";
  def.title = "Audit service operations";
  def.description =
      "Operation-level audit: use it after audit_services (or a breached SLO) points at a service, to see which "
      "endpoint is failing or slow and why. Runs the Application Signals auditors (ListAuditFindings) over "
      "specific operations (e.g. 'POST /payments/charge' with MetricType Latency, Availability or Error) and "
      "returns each finding's auditor results with severity and description: fault-rate and latency anomalies "
      "by default ('operation_metric'); auditors='all' adds trace root causes, log patterns and dependency "
      "metrics. Operation names may use '*' (expanded from the service's operations); service names may use "
      "'*' too (paged with next_token). Default window: the last 24 hours. Then use the trace tools "
      "(search_transaction_spans, query_sampled_traces) for individual requests.";
  def.input_schema = schema();
  def.annotations = read_only_annotations("Audit service operations");
  def.toolset = "audit";
  def.handler = [env](mcp::RequestContext& ctx, json::object args) {
    return audit_service_operations(env, ctx, std::move(args));
  };
  return def;
}

}  // namespace appsignals::tools

// list_slos: one page of ListServiceLevelObjectives, optionally for one service.
#include "tools/common/args.h"
#include "tools/common/tool_errors.h"
#include "tools/slo/slo_common.h"
#include "tools/toolsets.h"

namespace appsignals::tools::slo {

namespace {

std::string render(const json::object& response, const json::object& filter) {
  const auto& slos = arr(response, "SloSummaries");
  bool more = !str(response, "NextToken").empty();
  std::string scope = filter.empty() ? "" : " for " + key_attributes_text(filter);
  if (slos.empty())
    return "No SLOs found" + scope + ". Create SLOs in CloudWatch Application Signals to track service goals; "
           "list_monitored_services shows the services they can cover.";
  std::string out = "Service level objectives" + scope + ": " + std::to_string(slos.size()) +
                    (more ? " on this page (more exist)" : "") + "\n";
  for (const auto& v : slos) {
    if (!v.is_object()) continue;
    const auto& s = v.get_object();
    out += "\n• " + str(s, "Name") + "\n  ARN: " + str(s, "Arn") + "\n";
    if (auto op = str(s, "OperationName"); !op.empty()) out += "  Operation: " + op + "\n";
    if (const auto& k = obj(s, "KeyAttributes"); !k.empty()) out += "  Service: " + key_attributes_text(k) + "\n";
    if (const auto& d = obj(s, "DependencyConfig"); !d.empty())
      out += "  Dependency: " + key_attributes_text(obj(d, "DependencyKeyAttributes")) + ", operation " +
             str(d, "DependencyOperationName") + "\n";
    std::string kind = str(s, "EvaluationType");
    if (auto m = str(s, "MetricSourceType"); !m.empty()) kind += (kind.empty() ? "" : ", ") + std::string("source ") + m;
    if (!kind.empty()) out += "  Evaluation: " + kind + "\n";
    if (auto created = time_text(s, "CreatedTime"); !created.empty()) out += "  Created: " + created + "\n";
  }
  if (more)
    out += "\nMore SLOs exist than this page holds. Narrow the list with key_attributes (one service), or raise "
           "max_results (at most 50).\n";
  out += "\nNext: get_slo(slo_id=\"<name>\") for an SLO's configuration, list_slis for which ones are breached, "
         "audit_slos for why.";
  return out;
}

json::object list_input(const json::object& filter, bool linked, std::int64_t max_results) {
  json::object input;
  if (!filter.empty()) input["KeyAttributes"] = filter;
  input["IncludeLinkedAccounts"] = linked;
  input["MaxResults"] = max_results;
  return input;
}

// Key attributes must map names to strings.
std::optional<std::string> check_filter(const json::object& filter) {
  for (const auto& [k, v] : filter)
    if (!v.is_string())
      return "argument 'key_attributes' must map attribute names to strings, e.g. "
             "{\"Type\": \"Service\", \"Name\": \"checkout\", \"Environment\": \"ecs:shop-cluster\"}; '" +
             std::string(k) + "' is not a string";
  if (filter.size() > 4) return std::string("argument 'key_attributes' may hold at most 4 attributes");
  return std::nullopt;
}

boost::asio::awaitable<mcp::ToolResult> run(std::shared_ptr<const ToolEnv> env, mcp::RequestContext&,
                                            json::object args) {
  auto filter = json_object_arg(args, "key_attributes");
  if (!filter) co_return argument_failure(filter.error());
  if (auto problem = check_filter(*filter)) co_return argument_failure(*problem);
  auto linked = bool_arg(args, "include_linked_accounts", true);
  if (!linked) co_return argument_failure(linked.error());
  auto max_results = int_arg(args, "max_results", 50, 1, 50);
  if (!max_results) co_return argument_failure(max_results.error());
  auto clients = env->clients(args);
  if (!clients) co_return aws_failure(clients.error(), "application-signals:ListServiceLevelObjectives");
  std::shared_ptr<const aws::AwsClients> c = *clients;
  std::string op = "ListServiceLevelObjectives";
  json::object input = list_input(*filter, *linked, *max_results);
  auto r = co_await c->application_signals.call(op, input);
  if (!r) co_return aws_failure(r.error(), "application-signals:ListServiceLevelObjectives");
  json::object response;
  if (r->is_object()) response = r->get_object();
  co_return mcp::ToolResult::text(render(response, *filter));
}

}  // namespace

mcp::ToolDef list_slos_tool(std::shared_ptr<const ToolEnv> env) {
  mcp::ToolDef def;
  def.name = "list_slos";
  def.title = "List SLOs";
  def.description =
      "Lists service level objectives (one page of up to max_results): name, ARN, operation, service key "
      "attributes, evaluation type and creation time, and says when more exist. Filter to one service with "
      "key_attributes. Use it to find SLO names for get_slo (configuration) or audit_slos (breach analysis); "
      "use list_slis for which SLOs are currently breached.";
  json::object props;
  json::object keys;
  keys["type"] = json::array{"string", "object"};
  keys["description"] =
      "Service key attributes to filter by, as a JSON object or JSON text, e.g. {\"Type\": \"Service\", "
      "\"Name\": \"checkout\", \"Environment\": \"ecs:shop-cluster\"}. Default \"{}\" (all SLOs).";
  keys["default"] = "{}";
  props["key_attributes"] = std::move(keys);
  json::object linked;
  linked["type"] = "boolean";
  linked["description"] = "Include SLOs of linked source accounts (in a monitoring account). Default true.";
  linked["default"] = true;
  props["include_linked_accounts"] = std::move(linked);
  json::object max;
  max["type"] = "integer";
  max["description"] = "How many SLOs to return, 1 to 50. Default 50.";
  max["default"] = 50;
  max["minimum"] = 1;
  max["maximum"] = 50;
  props["max_results"] = std::move(max);
  props["region"] = region_property();
  def.input_schema = {{"type", "object"}, {"properties", std::move(props)}};
  def.annotations = read_only_annotations("List SLOs");
  def.toolset = "slo";
  def.handler = [env](mcp::RequestContext& ctx, json::object args) { return run(env, ctx, std::move(args)); };
  return def;
}

}  // namespace appsignals::tools::slo

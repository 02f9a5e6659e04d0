// list_slos: one page of ListServiceLevelObjectives, optionally for one service.
#include <algorithm>

#include <boost/beast/core/string.hpp>

#include "tools/common/name_match.h"
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

// Key attributes as a model writes them: any key case ("name", "TYPE"), the Type value in any
// case ("service"), values trimmed. Non-string values and unknown keys are errors.
Result<json::value> read_key_attributes(const json::value& v, Notes&) {
  auto fail = [](std::string what) -> Error {
    return Error{ErrorCode::kInvalidArgument,
                 what + ", e.g. {\"Type\": \"Service\", \"Name\": \"checkout\", \"Environment\": \"ecs:shop-cluster\"}"};
  };
  if (v.is_string() && (v.get_string().starts_with("{") || v.get_string().starts_with("[")))
    return fail("looks like JSON but is not valid JSON");
  if (v.is_string()) {
    // A bare service name: the most natural first call.
    json::object o;
    o["Type"] = "Service";
    o["Name"] = v.get_string();
    return json::value(std::move(o));
  }
  if (!v.is_object()) return fail("must be a JSON object of key attributes");
  json::object out;
  static const char* kKeys[] = {"Type", "Name", "Environment", "ResourceType", "Identifier", "AwsAccountId"};
  for (const auto& [k, val] : v.get_object()) {
    if (!val.is_string()) return fail("must map attribute names to strings ('" + std::string(k) + "' is not a string)");
    const char* canonical = nullptr;
    for (const char* known : kKeys)
      if (boost::beast::iequals(k, known)) canonical = known;
    if (!canonical)
      return fail("has an unknown attribute '" + std::string(k) + "' (known: Type, Name, Environment, ResourceType, "
                  "Identifier, AwsAccountId)");
    std::string value(val.get_string());
    if (std::string_view(canonical) == "Type")
      for (const char* t : {"Service", "RemoteService", "AWS::Resource", "AWS::Service"})
        if (boost::beast::iequals(value, t)) value = t;
    out[canonical] = value;
  }
  if (out.size() > 4) return fail("may hold at most 4 attributes");
  if (!out.empty() && !out.contains("Type") && out.contains("Name")) out["Type"] = "Service";
  return json::value(std::move(out));
}

boost::asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  json::object filter;
  if (const auto& f = call.args.json("key_attributes"); f.is_object()) filter = f.get_object();
  bool linked = call.args.boolean("include_linked_accounts", true);
  std::int64_t max_results = call.args.integer("max_results", 50);
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kListServiceLevelObjectives);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  json::object input = list_input(filter, linked, max_results);
  auto r = co_await c->application_signals.call(aws::ops::kListServiceLevelObjectives, input);
  if (!r) co_return aws_failure(r.error(), aws::ops::kListServiceLevelObjectives);
  json::object response;
  if (r->is_object()) response = r->get_object();
  if (arr(response, "SloSummaries").empty() && filter.contains("Name")) {
    // Nothing for that exact name: resolve the name among the services that have SLOs, so a
    // near-miss or a wrong case is read as meant and an unknown name is said to be unknown.
    json::object all_input = list_input({}, linked, 50);
    int max_pages = 10;
    auto all = co_await c->application_signals.paginate(aws::ops::kListServiceLevelObjectives, all_input, max_pages);
    if (!all) co_return aws_failure(all.error(), aws::ops::kListServiceLevelObjectives);
    std::vector<std::string> services;
    for (const auto& s : all->items)
      if (s.is_object())
        if (auto n = str(obj(s.get_object(), "KeyAttributes"), "Name");
            !n.empty() && std::find(services.begin(), services.end(), n) == services.end())
          services.push_back(n);
    std::string wanted = str(filter, "Name");
    auto resolved = resolve_name(wanted, services);
    if (!resolved.name || *resolved.name == wanted) {
      std::string text = "No SLO targets a service named '" + wanted + "'" +
                         (filter.size() > 2 ? " with " + key_attributes_text(filter) : std::string()) + ". " +
                         std::to_string(services.size()) + " services have SLOs";
      auto close = resolved.closest.empty() ? resolve_name(wanted, services).closest : resolved.closest;
      if (!close.empty()) {
        text += "; the closest: ";
        for (std::size_t i = 0; i < close.size(); ++i) text += (i ? ", " : "") + close[i].name;
      }
      text += ". Call list_slos without key_attributes to see every SLO, or list_monitored_services for the "
              "service names.";
      co_return mcp::ToolResult::text(text);
    }
    call.note(resolved.note("service name", wanted));
    filter["Name"] = *resolved.name;
    input = list_input(filter, linked, max_results);
    r = co_await c->application_signals.call(aws::ops::kListServiceLevelObjectives, input);
    if (!r) co_return aws_failure(r.error(), aws::ops::kListServiceLevelObjectives);
    response = r->is_object() ? r->get_object() : json::object{};
  }
  co_return mcp::ToolResult::text(render(response, filter));
}

}  // namespace

ToolEntry list_slos_tool() {
  ToolSpec spec;
  spec.name = "list_slos";
  spec.title = "List SLOs";
  spec.description =
      "Lists service level objectives (one page of up to max_results): name, ARN, operation, service key "
      "attributes, evaluation type and creation time, and says when more exist. Filter to one service with "
      "key_attributes (a JSON object such as {\"Name\": \"checkout\"}; attribute names and the Type value in "
      "any case; a bare service name works too). Use it to find SLO names for get_slo (configuration) or "
      "audit_slos (breach analysis); use list_slis to see which SLOs are breached right now.";
  spec.args = {
      arg::json_text("key_attributes",
                     "Service key attributes to filter by, as a JSON object (or its JSON text), e.g. {\"Type\": "
                     "\"Service\", \"Name\": \"checkout\", \"Environment\": \"ecs:shop-cluster\"}. Default "
                     "\"{}\" (all SLOs).",
                     "object")
          .def("{}")
          .read_with(&read_key_attributes)
          .eg("{\"Name\":\"checkout\"}"),
      arg::boolean("include_linked_accounts", "Include SLOs of linked source accounts (in a monitoring account).",
                   true),
      arg::integer("max_results", "How many SLOs to return, 1 to 50 (more is capped at 50).", 50, 1, 50),
      arg::region()};
  spec.ops = {aws::ops::kListServiceLevelObjectives};
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::slo

// list_service_operations: a service's operations (ListServiceOperations, every page) grouped by
// HTTP verb, each with the metric types Application Signals records for it.
#include <chrono>
#include <map>
#include <set>

#include "tools/common/args.h"
#include "tools/common/time_args.h"
#include "tools/common/tool_errors.h"
#include "tools/services/service_common.h"
#include "tools/toolsets.h"

namespace appsignals::tools::services {

namespace {

constexpr std::size_t kMaxListed = 200;

// "GET", "POST", ... for "GET /owners"; "Other" for names without a leading HTTP verb.
std::string verb_of(const std::string& name) {
  static const std::set<std::string> kVerbs = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
  auto space = name.find(' ');
  std::string first = name.substr(0, space);
  for (auto& ch : first) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return kVerbs.count(first) ? first : "Other";
}

int verb_rank(const std::string& verb) {
  static const std::vector<std::string> kOrder = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
  for (std::size_t i = 0; i < kOrder.size(); ++i)
    if (kOrder[i] == verb) return static_cast<int>(i);
  return 100;
}

std::string metric_types(const json::object& op) {
  std::set<std::string> types;
  if (const auto* refs = op.if_contains("MetricReferences"); refs && refs->is_array())
    for (const auto& r : refs->get_array())
      if (r.is_object()) types.insert(jv::str(r.get_object(), "MetricType"));
  std::string out;
  for (const auto& t : types) out += (out.empty() ? "" : ", ") + t;
  return out.empty() ? "none" : out;
}

std::string render(const std::string& service, std::int64_t hours, const json::array& ops, bool truncated) {
  std::string title = "Operations of " + service + ", last " + std::to_string(hours) + " hour" + (hours == 1 ? "" : "s");
  if (ops.empty())
    return title + ": none.\n\nListServiceOperations reports only operations that received traffic in the window, so "
           "an empty list does not mean the service has no operations. Try hours=24 (the maximum), check that "
           "the service is instrumented (get_service_detail), or look at its service-level metrics with "
           "query_service_metrics.";
  std::map<std::pair<int, std::string>, std::vector<const json::object*>> groups;
  for (const auto& op : ops)
    if (op.is_object()) {
      auto verb = verb_of(jv::str(op.get_object(), "Name"));
      groups[{verb_rank(verb), verb}].push_back(&op.get_object());
    }
  std::string out = title + ": " + std::to_string(ops.size()) + " operation" + (ops.size() == 1 ? "" : "s") + " (";
  bool first = true;
  for (const auto& [key, list] : groups) {
    out += (first ? "" : ", ") + std::to_string(list.size()) + " " + key.second;
    first = false;
  }
  out += ").\n";
  std::size_t shown = 0;
  for (const auto& [key, list] : groups) {
    out += "\n" + (key.second == "Other" ? std::string("Other operations") : key.second + " operations") + " (" +
           std::to_string(list.size()) + "):\n";
    for (const auto* op : list) {
      if (shown == kMaxListed) break;
      out += "• " + jv::str(*op, "Name") + "\n  Metric types: " + metric_types(*op) + "\n";
      ++shown;
    }
  }
  if (shown < ops.size())
    out += "\n" + std::to_string(ops.size() - shown) + " more operations are not listed (output cap " +
           std::to_string(kMaxListed) + ").\n";
  if (truncated) out += "\nListServiceOperations had more pages than this tool reads; the list is incomplete.\n";
  out += "\nNext: audit_service_operations with {\"Type\":\"service_operation\",\"Data\":{\"ServiceOperation\":"
         "{\"Service\":{\"Type\":\"Service\",\"Name\":\"" + service + "\"},\"Operation\":\"<name>\",\"MetricType\":"
         "\"Latency|Availability|Error\"}}} to check one operation, or query_service_metrics for the service's metrics.";
  return out;
}

json::object operations_input(const json::object& summary, std::int64_t start, std::int64_t end) {
  json::object input = get_service_input(summary, start, end);
  input["MaxResults"] = 100;
  return input;
}

boost::asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  std::int64_t hours = call.args.integer("hours", 24);
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kListServices);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  std::int64_t now = epoch_seconds(call.now());
  std::string wanted = call.args.str("service_name");
  auto located = co_await locate_service(c, wanted, now);
  if (located.failure) co_return std::move(*located.failure);
  if (!located.note.empty()) call.note(located.note);
  json::object input = operations_input(located.summary, now - hours * 3600, now);
  int max_pages = 20;
  auto page = co_await c->application_signals.paginate(aws::ops::kListServiceOperations, input, max_pages);
  if (!page) co_return aws_failure(page.error(), aws::ops::kListServiceOperations);
  co_return mcp::ToolResult::text(
      render(service_name_of(located.summary), hours, page->items, !page->next_token.empty()));
}

}  // namespace

ToolEntry list_service_operations_tool() {
  ToolSpec spec;
  spec.name = "list_service_operations";
  spec.title = "List service operations";
  spec.description =
      "Lists the operations (API endpoints, handlers) of one service that received traffic in the last `hours` "
      "hours, grouped by HTTP verb (GET, POST, ..., Other), each with the metric types recorded for it "
      "(LATENCY, FAULT, ERROR). Use it to find exact operation names; to ask whether an operation is slow or "
      "failing, go straight to audit_service_operations (the first choice for operation questions). An empty "
      "result only means no traffic in the window. An unknown service name is answered with the closest names.";
  spec.args = {service_name_arg(),
               arg::integer("hours", "Look-back window in hours, 1 to 24 (larger values are capped at 24).", 24, 1, 24),
               arg::region()};
  spec.ops = {aws::ops::kListServices, aws::ops::kListServiceOperations};
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::services

// get_service_detail: one service's key attributes, platform attributes, metric references and
// log group references (GetService over the last 24 h).
#include <chrono>

#include "tools/common/json_access.h"
#include "tools/common/time_args.h"
#include "tools/common/tool_errors.h"
#include "tools/services/service_common.h"
#include "tools/toolsets.h"

namespace appsignals::tools::services {

namespace {

std::string render(const json::object& response, const json::object& found) {
  json::object service = found;
  if (const auto* s = response.if_contains("Service"); s && s->is_object()) service = s->get_object();
  const auto& keys = key_attributes_of(service);
  std::string out = "Service: " + jv::str(keys, "Name") + "\n\nKey attributes:\n";
  for (const auto& [k, v] : keys)
    out += "  " + std::string(k) + ": " + (v.is_string() ? std::string(v.get_string()) : "") + "\n";

  auto platform = flatten_attribute_maps(service);
  out += "\nPlatform and instrumentation attributes";
  if (platform.empty()) out += ": none reported\n";
  else out += " (" + std::to_string(platform.size()) + "):\n";
  for (const auto& [k, v] : platform) out += "  " + k + ": " + v + "\n";

  const auto& groups = jv::arr(service, "ServiceGroups");
  if (!groups.empty()) {
    out += "\nService groups:\n";
    for (const auto& g : groups)
      if (g.is_object())
        out += "  " + jv::str(g.get_object(), "GroupName") + " = " + jv::str(g.get_object(), "GroupValue") + " (source " +
               jv::str(g.get_object(), "GroupSource") + ")\n";
  }

  const auto& metrics = jv::arr(service, "MetricReferences");
  out += "\nMetric references (" + std::to_string(metrics.size()) + "):\n";
  for (const auto& m : metrics) {
    if (!m.is_object()) continue;
    const auto& mo = m.get_object();
    out += "• " + jv::str(mo, "Namespace") + " / " + jv::str(mo, "MetricName") + "\n  Metric type: " +
           jv::str(mo, "MetricType") + "\n  Dimensions: " + dimensions_text(jv::arr(mo, "Dimensions")) + "\n";
    if (auto account = jv::str(mo, "AccountId"); !account.empty()) out += "  Account: " + account + "\n";
  }

  const json::array* logs = &jv::arr(service, "LogGroupReferences");
  if (logs->empty()) logs = &jv::arr(response, "LogGroupReferences");
  out += "\nLog group references (" + std::to_string(logs->size()) + "):\n";
  for (const auto& l : *logs) {
    if (!l.is_object()) continue;
    const auto& lo = l.get_object();
    std::string id = jv::str(lo, "Identifier");
    out += "• " + (id.empty() ? key_attributes_text(lo) : id + " (" + key_attributes_text(lo) + ")") + "\n";
  }
  out += "\nNext: query_service_metrics(service_name=\"" + jv::str(keys, "Name") +
         "\", metric_name=...) for metric values, list_service_operations for its operations, "
         "audit_services for a health check.";
  return out;
}

boost::asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kListServices);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  std::int64_t now = epoch_seconds(call.now());
  std::string wanted = call.args.str("service_name");
  auto located = co_await locate_service(c, wanted, now);
  if (located.failure) co_return std::move(*located.failure);
  if (!located.note.empty()) call.note(located.note);
  json::object input = get_service_input(located.summary, now - kDiscoveryWindowSeconds, now);
  auto r = co_await c->application_signals.call(aws::ops::kGetService, input);
  if (!r) co_return aws_failure(r.error(), aws::ops::kGetService);
  if (!r->is_object()) co_return mcp::ToolResult::error("Error: GetService returned an unexpected response.");
  co_return mcp::ToolResult::text(render(r->get_object(), located.summary));
}

}  // namespace

ToolEntry get_service_detail_tool() {
  ToolSpec spec;
  spec.name = "get_service_detail";
  spec.title = "Get service detail";
  spec.description =
      "Shows everything Application Signals knows about one service (looked up among the services that "
      "reported in the last 24 hours): key attributes, platform and instrumentation attributes (cluster, "
      "workload, runtime, SDK), service groups, the CloudWatch metric references (namespace, metric name, "
      "metric type, dimensions) and the log groups that hold its telemetry. Use it to learn which metrics and "
      "log groups exist before query_service_metrics or a log search; for \"is it healthy?\" use "
      "audit_services instead. An unknown name is answered with the closest known names.";
  spec.args = {service_name_arg(), arg::region()};
  spec.ops = {aws::ops::kListServices, aws::ops::kGetService};
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::services

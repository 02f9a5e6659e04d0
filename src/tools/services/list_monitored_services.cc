// list_monitored_services: every service that reported to Application Signals in the last 24 h.
#include <chrono>

#include "tools/common/time_args.h"
#include "tools/common/tool_errors.h"
#include "tools/services/service_common.h"
#include "tools/toolsets.h"

namespace appsignals::tools::services {

namespace {

constexpr std::size_t kMaxListed = 200;


void append_service(std::string& out, const json::object& summary) {
  const auto& keys = key_attributes_of(summary);
  out += "• " + jv::str(keys, "Name");
  if (auto env = jv::str(keys, "Environment"); !env.empty()) out += " (" + env + ")";
  out += "\n  Key attributes: " + key_attributes_text(keys) + "\n";
  if (auto p = attribute_of(summary, "PlatformType"); !p.empty()) {
    out += "  Platform: ";
    out += p;
    out += "\n";
  }
}

std::string render(const ServiceList& list, TimePoint start, TimePoint end) {
  std::vector<const json::object*> instrumented, uninstrumented;
  for (const auto& s : list.services) (is_instrumented(s) ? instrumented : uninstrumented).push_back(&s);
  std::string window = format_utc(start) + " to " + format_utc(end);
  if (list.services.empty())
    return "No services reported to Application Signals between " + window +
           ". If services should be there, check that Application Signals is enabled (get_enablement_guide) "
           "and that the region is right.";
  std::string out = "Services in Application Signals, last 24 hours (" + window + "): " +
                    std::to_string(list.services.size()) + " total, " + std::to_string(instrumented.size()) +
                    " instrumented, " + std::to_string(uninstrumented.size()) + " uninstrumented.\n";
  std::size_t shown = 0;
  auto section = [&](const char* title, const std::vector<const json::object*>& items) {
    if (items.empty()) return;
    out += "\n" + std::string(title) + " (" + std::to_string(items.size()) + "):\n";
    for (const auto* s : items) {
      if (shown == kMaxListed) break;
      append_service(out, *s);
      ++shown;
    }
  };
  section("Instrumented services", instrumented);
  section("Uninstrumented services (no Application Signals telemetry of their own)", uninstrumented);
  if (shown < list.services.size())
    out += "\n" + std::to_string(list.services.size() - shown) + " more services are not listed (output cap " +
           std::to_string(kMaxListed) + ").\n";
  if (list.truncated) out += "\nListServices returned more pages than this tool reads; the totals are a lower bound.\n";
  out += "\nNext: get_service_detail(service_name=...) for one service's metrics and log groups, "
         "list_service_operations for its operations, or audit_services to check health.";
  return out;
}

boost::asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kListServices);
  TimePoint end = call.now();
  TimePoint start = end - std::chrono::seconds(kDiscoveryWindowSeconds);
  std::int64_t s = epoch_seconds(start), e = epoch_seconds(end);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  auto list = co_await list_service_summaries(c, s, e);
  if (!list) co_return aws_failure(list.error(), aws::ops::kListServices);
  co_return mcp::ToolResult::text(render(*list, start, end));
}

}  // namespace

ToolEntry list_monitored_services_tool() {
  ToolSpec spec;
  spec.name = "list_monitored_services";
  spec.title = "List monitored services";
  spec.description =
      "Inventory: lists every service that reported to CloudWatch Application Signals in the last 24 hours "
      "(all pages), instrumented and uninstrumented counted separately, each with its key attributes (Type, "
      "Name, Environment) and platform. Use it to see what exists or to find an exact name. It is not a "
      "required first step: the other tools accept service names directly (near-misses are resolved), and "
      "health questions go straight to audit_services.";
  spec.args = {arg::region()};
  spec.ops = {aws::ops::kListServices};
  spec.narrow_hint = "ask for one service with get_service_detail or a wildcard audit such as audit_services(service_targets=\"*checkout*\")";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::services

// list_grouping_attribute_definitions: the grouping attributes defined in the account (how
// services are put in groups), with their source keys and default values.
#include "tools/common/tool_errors.h"
#include "tools/groups/groups_common.h"

namespace appsignals::tools::groups {

namespace {

constexpr int kMaxPages = 20;

boost::asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kListGroupingAttributeDefinitions);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  std::vector<json::object> definitions;
  std::optional<double> updated;
  std::string token;
  int pages = 0;
  do {
    json::object input;
    if (!token.empty()) input["NextToken"] = token;
    auto res = co_await c->application_signals.call(aws::ops::kListGroupingAttributeDefinitions, input);
    if (!res) co_return aws_failure(res.error(), aws::ops::kListGroupingAttributeDefinitions);
    const auto& page = jv::as_obj(*res);
    for (const auto& d : jv::arr(page, "GroupingAttributeDefinitions")) definitions.push_back(jv::as_obj(d));
    if (auto u = jv::num(page, "UpdatedAt")) updated = u;
    token = jv::str(page, "NextToken");
  } while (!token.empty() && ++pages < kMaxPages);

  if (definitions.empty())
    co_return mcp::ToolResult::text(
        "No grouping attribute definitions in this account and region: services are not grouped (their "
        "ServiceGroups hold only defaults). Define grouping attributes in the Application Signals console or API "
        "to group services by team, business unit or any tag or OTel resource attribute.");
  std::string out = "Grouping attribute definitions: " + std::to_string(definitions.size()) + "\n";
  if (updated)
    out += "Last updated: " + format_utc(TimePoint(std::chrono::seconds(static_cast<std::int64_t>(*updated)))) + "\n";
  for (const auto& d : definitions) {
    out += "\n- " + jv::str(d, "GroupingName") + "\n";
    std::string keys;
    for (const auto& k : jv::arr(d, "GroupingSourceKeys"))
      if (k.is_string()) keys += (keys.empty() ? "" : ", ") + std::string(k.get_string());
    out += "  Source keys: " + (keys.empty() ? std::string("none") : keys) + "\n";
    auto def = jv::str(d, "DefaultGroupingValue");
    out += "  Default value: " + (def.empty() ? std::string("none") : def) + "\n";
  }
  if (!token.empty()) out += "\nMore definitions exist beyond the pages read.\n";
  out += "\nNext: list_group_services(group_name=\"<a value>\") lists a group's services (an unknown value lists "
         "the groups in use).";
  co_return mcp::ToolResult::text(out);
}

}  // namespace

ToolEntry list_grouping_attribute_definitions_tool() {
  ToolSpec spec;
  spec.name = "list_grouping_attribute_definitions";
  spec.title = "List grouping attribute definitions";
  spec.description =
      "Lists the grouping attributes defined for Application Signals in the account (how services are put in "
      "groups such as Team or BusinessUnit): each with the tag or OpenTelemetry resource-attribute keys it reads "
      "and its default value, plus when the definitions were last updated. Use it to learn which groups exist "
      "before calling list_group_services or audit_group_health.";
  spec.args = {};
  spec.ops = {aws::ops::kListGroupingAttributeDefinitions};
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::groups

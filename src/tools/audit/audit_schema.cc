// Input-schema properties the three audit tools share.
#include "tools/audit/audit_common.h"
#include "tools/common/args.h"

namespace appsignals::tools::audit {
namespace {

namespace json = boost::json;

json::object prop(std::string_view type, std::string description) {
  json::object p;
  p["type"] = type;
  p["description"] = std::move(description);
  return p;
}

}  // namespace

json::object shared_properties(std::string_view default_auditors) {
  json::object props;
  props["start_time"] = prop("string",
                             "Start of the audit window: unix seconds, ISO-8601 (2026-03-02T10:00:00Z) or "
                             "'YYYY-MM-DD HH:MM:SS' (UTC). Default: 24 hours before end_time.");
  props["end_time"] = prop("string",
                           "End of the audit window, same forms as start_time; must be after start_time. "
                           "Default: now.");
  props["auditors"] = prop("string",
                           "Comma-separated auditors to run. Default: '" + std::string(default_auditors) +
                               "'. Allowed: slo, operation_metric, trace, log, dependency_metric, top_contributor, "
                               "service_quota; 'all' runs every auditor (slower, best for root-cause analysis).");
  props["next_token"] = prop("string",
                             "Continuation token from a previous wildcard audit's output, to audit the next page "
                             "of matches. Only valid when the targets contain a '*' wildcard; pass the same "
                             "targets, start_time and end_time as the previous call.");
  props["region"] = prop("string", "AWS region to audit (default: the server's region).");
  return props;
}

std::string region_of(const ToolEnv& env, const json::object& args) {
  auto r = string_arg(args, "region");
  if (r && *r && !(*r)->empty()) return **r;
  return env.default_region();
}

json::object audit_schema(std::string_view default_auditors, std::string_view targets_key,
                          std::string_view targets_description, std::string_view max_key,
                          std::string_view max_description) {
  json::object props = shared_properties(default_auditors);
  json::object targets;
  targets["type"] = json::array{"string", "array", "object"};
  targets["description"] = targets_description;
  props[targets_key] = std::move(targets);
  json::object max;
  max["type"] = "integer";
  max["description"] = max_description;
  max["default"] = 5;
  max["minimum"] = 1;
  max["maximum"] = 10;
  props[max_key] = std::move(max);
  json::object s;
  s["type"] = "object";
  s["properties"] = std::move(props);
  s["required"] = json::array{json::string(targets_key)};
  return s;
}

}  // namespace appsignals::tools::audit

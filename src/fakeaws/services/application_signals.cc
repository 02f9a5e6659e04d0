// CloudWatch Application Signals (restJson1): services, operations, dependencies, SLOs, change
// events and grouping attributes of the sample account.
#include <algorithm>

#include <boost/json/array.hpp>

#include "fakeaws/sample_account.h"
#include "fakeaws/services/appsignals_data.h"
#include "fakeaws/services/services.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

namespace {

struct Window {
  double start = 0;
  double end = 0;
};

std::variant<Window, ApiError> window(const Call& call) {
  auto start = time_arg(call.input, "StartTime");
  auto end = time_arg(call.input, "EndTime");
  if (!start || !end) return make_error(call.traits().validation, "StartTime and EndTime are required");
  if (*end <= *start) return make_error(call.traits().validation, "EndTime must be after StartTime");
  return Window{*start, *end};
}

template <class T>
OpResult page_of(Call& call, const std::vector<T>& items, const char* list_key, std::size_t def,
                 std::size_t max, json::object out) {
  auto p = paginate(call, items.size(), "NextToken", "MaxResults", def, max);
  if (auto* e = std::get_if<ApiError>(&p)) return *e;
  auto& page = std::get<Page>(p);
  json::array list;
  for (std::size_t i = page.begin; i < page.end; ++i) list.push_back(items[i]);
  out[list_key] = std::move(list);
  if (page.next_token) out["NextToken"] = *page.next_token;
  return out;
}

json::object window_echo(const Window& w) {
  return {{"StartTime", round_hour(w.start)}, {"EndTime", round_hour(w.end)}};
}

json::array attribute_maps(const SampleService& s) {
  json::object platform{{"PlatformType", s.platform}, {"InstrumentationType", s.instrumentation_type}};
  for (const auto& [k, v] : s.platform_attributes) platform[k] = v;
  json::object app{{"Telemetry.SDK", s.language.empty() ? "none" : "opentelemetry," + s.language},
                   {"Telemetry.Agent", s.instrumented ? "ApplicationSignals" : "None"}};
  return {platform, app};
}

json::array service_groups(const SampleAccount& a, const SampleService& s) {
  json::array out;
  for (const auto& [name, value] : s.groups) {
    const auto* grouping = a.find_grouping(name);
    out.push_back(json::object{{"GroupName", name}, {"GroupValue", value},
                               {"GroupSource", grouping ? grouping->source : "DEFAULT"},
                               {"GroupIdentifier", name + "/" + value}});
  }
  return out;
}

const SampleService* service_of(const Call& call, ApiError* err) {
  auto attrs = string_map(obj_arg(call.input, "KeyAttributes"));
  const auto* s = service_by_key(call.account, attrs);
  if (!s)
    *err = make_error(call.traits().not_found, "Service not found: " + (attrs.count("Name") ? attrs["Name"] : "?") +
                                                   " in " + (attrs.count("Environment") ? attrs["Environment"] : "?"));
  return s;
}

OpResult list_services(Call& call) {
  auto w = window(call);
  if (auto* e = std::get_if<ApiError>(&w)) return *e;
  auto win = std::get<Window>(w);
  auto anchor = anchor_for(call, "NextToken");
  std::vector<json::object> items;
  for (const auto& s : call.account.services) {
    if (!active_in(s, win.start, win.end, anchor)) continue;
    items.push_back({{"KeyAttributes", key_attributes(s)},
                     {"AttributeMaps", attribute_maps(s)},
                     {"MetricReferences", metric_references(call.account, s, nullptr)},
                     {"ServiceGroups", service_groups(call.account, s)}});
  }
  return page_of(call, items, "ServiceSummaries", 50, 100, window_echo(win));
}

OpResult get_service(Call& call) {
  auto w = window(call);
  if (auto* e = std::get_if<ApiError>(&w)) return *e;
  ApiError err;
  const auto* s = service_of(call, &err);
  if (!s) return err;
  json::array logs{json::object{{"Type", "AWS::Resource"}, {"ResourceType", "AWS::Logs::LogGroup"},
                                {"Identifier", "/aws/application-signals/data"}}};
  if (s->platform == "AWS::Lambda")
    logs.push_back(json::object{{"Type", "AWS::Resource"}, {"ResourceType", "AWS::Logs::LogGroup"},
                                {"Identifier", "/aws/lambda/" + s->name}});
  auto out = window_echo(std::get<Window>(w));
  out["Service"] = json::object{{"KeyAttributes", key_attributes(*s)},
                                {"AttributeMaps", attribute_maps(*s)},
                                {"ServiceGroups", service_groups(call.account, *s)},
                                {"MetricReferences", metric_references(call.account, *s, nullptr)},
                                {"LogGroupReferences", logs}};
  out["LogGroupReferences"] = logs;
  return out;
}

OpResult list_service_operations(Call& call) {
  auto w = window(call);
  if (auto* e = std::get_if<ApiError>(&w)) return *e;
  ApiError err;
  const auto* s = service_of(call, &err);
  if (!s) return err;
  std::vector<json::object> items;
  if (active_in(*s, std::get<Window>(w).start, std::get<Window>(w).end, anchor_for(call, "NextToken")))
    for (const auto& op : s->operations)
      items.push_back({{"Name", op.name}, {"MetricReferences", metric_references(call.account, *s, &op)}});
  return page_of(call, items, "ServiceOperations", 50, 100, window_echo(std::get<Window>(w)));
}

json::object dependency_attributes(const SampleDependency& d) {
  if (d.type == "Service") return {{"Type", "Service"}, {"Name", d.name}, {"Environment", d.environment}};
  return {{"Type", "AWS::Resource"}, {"ResourceType", d.resource_type}, {"Identifier", d.name},
          {"Environment", "us-east-1"}};
}

json::array dependency_metrics(const SampleAccount& a, const SampleService& s, const SampleDependency& d) {
  json::array out;
  for (auto [name, type] : {std::pair{"Latency", "LATENCY"}, {"Fault", "FAULT"}, {"Error", "ERROR"}}) {
    json::array dims{json::object{{"Name", "Environment"}, {"Value", s.environment}},
                     json::object{{"Name", "Operation"}, {"Value", d.operation}},
                     json::object{{"Name", "RemoteOperation"}, {"Value", d.remote_operation}},
                     json::object{{"Name", "Service"}, {"Value", s.name}}};
    if (d.type == "Service") {
      dims.push_back(json::object{{"Name", "RemoteEnvironment"}, {"Value", d.environment}});
      dims.push_back(json::object{{"Name", "RemoteService"}, {"Value", d.name}});
    } else {
      std::string svc = d.resource_type.substr(0, d.resource_type.rfind("::"));
      dims.push_back(json::object{{"Name", "RemoteResourceIdentifier"}, {"Value", d.name}});
      dims.push_back(json::object{{"Name", "RemoteResourceType"}, {"Value", d.resource_type}});
      dims.push_back(json::object{{"Name", "RemoteService"}, {"Value", svc}});
    }
    out.push_back(json::object{{"Namespace", "ApplicationSignals"}, {"MetricType", type}, {"MetricName", name},
                               {"Dimensions", std::move(dims)}, {"AccountId", a.account_id}});
  }
  return out;
}

OpResult list_service_dependencies(Call& call) {
  auto w = window(call);
  if (auto* e = std::get_if<ApiError>(&w)) return *e;
  ApiError err;
  const auto* s = service_of(call, &err);
  if (!s) return err;
  std::vector<json::object> items;
  for (const auto& d : s->dependencies)
    items.push_back({{"OperationName", d.operation},
                     {"DependencyKeyAttributes", dependency_attributes(d)},
                     {"DependencyOperationName", d.remote_operation},
                     {"MetricReferences", dependency_metrics(call.account, *s, d)}});
  return page_of(call, items, "ServiceDependencies", 50, 100, window_echo(std::get<Window>(w)));
}

OpResult list_service_dependents(Call& call) {
  auto w = window(call);
  if (auto* e = std::get_if<ApiError>(&w)) return *e;
  ApiError err;
  const auto* s = service_of(call, &err);
  if (!s) return err;
  std::vector<json::object> items;
  for (const auto& caller : call.account.services)
    for (const auto& d : caller.dependencies)
      if (d.type == "Service" && d.name == s->name && d.environment == s->environment)
        items.push_back({{"OperationName", d.remote_operation},
                         {"DependentKeyAttributes", key_attributes(caller)},
                         {"DependentOperationName", d.operation},
                         {"MetricReferences", dependency_metrics(call.account, caller, d)}});
  // Synthetics canaries that exercise the service depend on it too.
  for (const auto& canary : s->canaries)
    items.push_back({{"DependentKeyAttributes", json::object{{"Type", "AWS::Resource"},
                                                            {"ResourceType", "AWS::Synthetics::Canary"},
                                                            {"Identifier", canary}}},
                     {"MetricReferences", json::array{}}});
  return page_of(call, items, "ServiceDependents", 50, 100, window_echo(std::get<Window>(w)));
}

OpResult list_slos(Call& call) {
  auto attrs = string_map(obj_arg(call.input, "KeyAttributes"));
  auto op = str_arg(call.input, "OperationName");
  auto anchor = anchor_for(call, "NextToken");
  std::vector<json::object> items;
  // The sample SLOs are all on services: key attributes of another type (a RUM app monitor,
  // another AWS resource) match none of them.
  const bool non_service = attrs.count("Type") && attrs["Type"] != "Service";
  for (const auto& slo : call.account.slos) {
    if (non_service) break;
    if (attrs.count("Name") && attrs["Name"] != slo.service) continue;
    if (attrs.count("Environment")) {
      const auto* s = call.account.find_service(slo.service);
      if (!s || s->environment != attrs["Environment"]) continue;
    }
    if (!op.empty() && op != slo.operation) continue;
    items.push_back(slo_summary(call.account, slo, anchor));
  }
  return page_of(call, items, "SloSummaries", 50, 50, {});
}

OpResult get_slo(Call& call) {
  auto id = str_arg(call.input, "Id");
  const auto* slo = call.account.find_slo(id);
  if (!slo) return make_error(call.traits().not_found, "SLO " + id + " does not exist.");
  return json::object{{"Slo", slo_object(call.account, *slo, call.anchor())}};
}

OpResult budget_report(Call& call) {
  auto ts = time_arg(call.input, "Timestamp").value_or(static_cast<double>(call.anchor()));
  json::array reports, errors;
  if (const auto* ids = arr_arg(call.input, "SloIds")) {
    for (const auto& idv : *ids) {
      std::string id = idv.is_string() ? std::string(idv.as_string()) : "";
      const auto* slo = call.account.find_slo(id);
      if (!slo) {
        errors.push_back(json::object{{"Name", id}, {"Arn", id}, {"ErrorCode", "ResourceNotFoundException"},
                                      {"ErrorMessage", "SLO not found"}});
        continue;
      }
      auto full = slo_object(call.account, *slo, call.anchor());
      json::object r{{"Arn", full["Arn"]}, {"Name", slo->name}, {"EvaluationType", slo->evaluation},
                     {"BudgetStatus", slo->status}, {"Attainment", slo->attainment}, {"Goal", full["Goal"]}};
      double budget_share = (100.0 - slo->goal) / 100.0;
      double used_share = (100.0 - slo->attainment) / 100.0;
      if (slo->evaluation == "PeriodBased") {
        auto total = static_cast<std::int64_t>(7 * 86400 * budget_share);
        r["TotalBudgetSeconds"] = total;
        r["BudgetSecondsRemaining"] = total - static_cast<std::int64_t>(7 * 86400 * used_share);
        r["Sli"] = full["Sli"];
      } else {
        auto total = static_cast<std::int64_t>(7 * 60 * 24 * 45 * budget_share);
        r["TotalBudgetRequests"] = total;
        r["BudgetRequestsRemaining"] = total - static_cast<std::int64_t>(7 * 60 * 24 * 45 * used_share);
        r["RequestBasedSli"] = full["RequestBasedSli"];
      }
      reports.push_back(std::move(r));
    }
  }
  return json::object{{"Timestamp", ts}, {"Reports", std::move(reports)}, {"Errors", std::move(errors)}};
}

OpResult list_service_states(Call& call) {
  auto w = window(call);
  if (auto* e = std::get_if<ApiError>(&w)) return *e;
  auto win = std::get<Window>(w);
  auto anchor = anchor_for(call, "NextToken");
  std::vector<json::object> items;
  for (const auto& s : call.account.services) {
    json::array events;
    for (const auto& ev : change_events()) {
      double t = static_cast<double>(anchor - ev.offset);
      if (ev.service == s.name && t >= win.start && t < win.end)
        events.push_back(change_event_object(call.account, ev, anchor));
    }
    if (events.empty()) continue;
    items.push_back({{"Service", key_attributes(s)}, {"LatestChangeEvents", std::move(events)}});
  }
  return page_of(call, items, "ServiceStates", 50, 250, window_echo(win));
}

OpResult list_entity_events(Call& call) {
  auto w = window(call);
  if (auto* e = std::get_if<ApiError>(&w)) return *e;
  auto win = std::get<Window>(w);
  auto attrs = string_map(obj_arg(call.input, "Entity"));
  auto anchor = anchor_for(call, "NextToken");
  std::vector<json::object> items;
  for (const auto& ev : change_events()) {
    double t = static_cast<double>(anchor - ev.offset);
    if (attrs.count("Name") && attrs["Name"] != ev.service) continue;
    if (t >= win.start && t < win.end) items.push_back(change_event_object(call.account, ev, anchor));
  }
  return page_of(call, items, "ChangeEvents", 50, 250, {{"StartTime", win.start}, {"EndTime", win.end}});
}

OpResult list_grouping_attributes(Call& call) {
  std::vector<json::object> items;
  for (const auto& g : call.account.groupings) {
    json::array keys;
    for (const auto& k : g.source_keys) keys.push_back(json::value(k));
    items.push_back({{"GroupingName", g.name}, {"GroupingSourceKeys", std::move(keys)},
                     {"DefaultGroupingValue", g.default_value}});
  }
  return page_of(call, items, "GroupingAttributeDefinitions", 50, 50,
                 {{"UpdatedAt", static_cast<double>(call.anchor() - 10 * 86400)}});
}

constexpr OpEntry kOps[] = {
    {"ListServices", list_services},
    {"GetService", get_service},
    {"ListServiceOperations", list_service_operations},
    {"ListServiceDependencies", list_service_dependencies},
    {"ListServiceDependents", list_service_dependents},
    {"ListServiceLevelObjectives", list_slos},
    {"GetServiceLevelObjective", get_slo},
    {"BatchGetServiceLevelObjectiveBudgetReport", budget_report},
    {"ListAuditFindings", list_audit_findings},
    {"ListServiceStates", list_service_states},
    {"ListEntityEvents", list_entity_events},
    {"ListGroupingAttributeDefinitions", list_grouping_attributes},
    {"CreateInstrumentationConfiguration", create_instrumentation_configuration},
    {"ListInstrumentationConfigurations", list_instrumentation_configurations},
    {"GetInstrumentationConfiguration", get_instrumentation_configuration},
    {"DeleteInstrumentationConfiguration", delete_instrumentation_configuration},
    {"BatchDeleteInstrumentationConfigurations", batch_delete_instrumentation_configurations},
    {"GetInstrumentationConfigurationStatus", get_instrumentation_configuration_status},
};

}  // namespace

std::span<const OpEntry> application_signals_operations() { return kOps; }

}  // namespace appsignals::fakeaws

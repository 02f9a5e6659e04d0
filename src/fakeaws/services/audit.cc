// Application Signals ListAuditFindings: what the service's auditors would say about the sample
// account's targets (services, operations, SLOs, canaries). Findings reflect the incident when
// the requested window covers it; SLO findings reflect the SLO's status.
#include <boost/json/array.hpp>

#include "fakeaws/sample_account.h"
#include "fakeaws/services/appsignals_data.h"
#include "fakeaws/services/services.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

namespace {

struct Finding {
  json::object key_attributes;
  std::string operation;
  std::string type;  // "Service", "ServiceOperation", "SLO", "Canary"
  json::array results;
};

json::object result(std::string auditor, std::string severity, std::string description,
                    json::object data = {}) {
  return {{"Auditor", std::move(auditor)}, {"Severity", std::move(severity)},
          {"Description", std::move(description)}, {"Data", std::move(data)}};
}

bool wanted(const std::vector<std::string>& auditors, std::string_view name) {
  if (auditors.empty()) return true;
  for (const auto& a : auditors)
    if (a == name || a == "all") return true;
  return false;
}

void add_slo_results(const SampleAccount& a, const SampleSlo& slo, json::array& out) {
  if (slo.status == "BREACHED")
    out.push_back(result("slo", "CRITICAL",
                         "SLO " + slo.name + " is BREACHED: attainment " + std::to_string(slo.attainment).substr(0, 5) +
                             "% is below the goal of " + std::to_string(slo.goal).substr(0, 4) +
                             "%. The error budget is exhausted.",
                         {{"SloArn", a.slo_arn(slo)}, {"Attainment", std::to_string(slo.attainment)},
                          {"BudgetStatus", "BREACHED"}}));
  else if (slo.status == "WARNING")
    out.push_back(result("slo", "MEDIUM",
                         "SLO " + slo.name + " is in WARNING: less than " + std::to_string(static_cast<int>(slo.warning)) +
                             "% of the error budget remains.",
                         {{"SloArn", a.slo_arn(slo)}, {"BudgetStatus", "WARNING"}}));
}

void add_operation_results(const SampleService& s, const std::string& op, const std::string& metric_type,
                           bool incident, const std::vector<std::string>& auditors, json::array& out) {
  if (!incident) return;
  std::string mt = metric_type;
  for (auto& c : mt) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool availability = mt.empty() || mt == "availability" || mt == "fault";
  bool latency = mt.empty() || mt == "latency";
  if (s.name == SampleAccount::kIncidentService && (op.empty() || op == SampleAccount::kIncidentOperation)) {
    if (wanted(auditors, "operation_metric") && availability)
      out.push_back(result("operation_metric", "HIGH",
                           "Fault rate of POST /payments/charge rose from 0.1% to 32% for 30 minutes, starting "
                           "2h10m ago (anomaly).",
                           {{"Operation", std::string(SampleAccount::kIncidentOperation)}, {"MetricType", "Fault"},
                            {"PeakValue", "0.32"}}));
    if (wanted(auditors, "operation_metric") && latency)
      out.push_back(result("operation_metric", "HIGH",
                           "p99 latency of POST /payments/charge peaked at 4.1 s (baseline 0.4 s) during the same "
                           "window.",
                           {{"Operation", std::string(SampleAccount::kIncidentOperation)}, {"MetricType", "Latency"}}));
    if (wanted(auditors, "trace"))
      out.push_back(result("trace", "HIGH",
                           "Faulty traces share the root cause ProvisionedThroughputExceededException from "
                           "DynamoDB table payments-ledger (PutItem).",
                           {{"RootCauseService", "AWS::DynamoDB"}, {"RootCauseResource", "payments-ledger"},
                            {"Exception", "ProvisionedThroughputExceededException"}}));
    if (wanted(auditors, "dependency_metric"))
      out.push_back(result("dependency_metric", "MEDIUM",
                           "Dependency AWS::DynamoDB payments-ledger PutItem fault rate rose to 35% during the "
                           "incident.",
                           {{"RemoteService", "AWS::DynamoDB"}, {"RemoteOperation", "PutItem"}}));
    if (wanted(auditors, "log"))
      out.push_back(result("log", "MEDIUM",
                           "412 ERROR log lines in /aws/application-signals/data mention "
                           "ProvisionedThroughputExceededException.",
                           {{"LogGroup", "/aws/application-signals/data"}}));
  } else if (s.name == "checkout" && (op.empty() || op == "POST /checkout")) {
    if (wanted(auditors, "operation_metric") && latency)
      out.push_back(result("operation_metric", "MEDIUM",
                           "p99 latency of POST /checkout rose 3.5x while its dependency payments was failing.",
                           {{"Operation", "POST /checkout"}, {"MetricType", "Latency"}}));
    if (wanted(auditors, "dependency_metric"))
      out.push_back(result("dependency_metric", "MEDIUM",
                           "Calls to payments POST /payments/charge faulted at 30% during the incident.",
                           {{"RemoteService", "payments"}, {"RemoteOperation", "POST /payments/charge"}}));
  }
}

}  // namespace

OpResult list_audit_findings(Call& call) {
  auto start = time_arg(call.input, "StartTime");
  auto end = time_arg(call.input, "EndTime");
  if (!start || !end || *end <= *start)
    return make_error(call.traits().validation, "EndTime must be after StartTime");
  auto anchor = anchor_for(call, "NextToken");
  double inc_start = static_cast<double>(anchor - SampleAccount::kIncidentStart);
  double inc_end = static_cast<double>(anchor - SampleAccount::kIncidentEnd);
  bool incident = *start < inc_end && *end > inc_start;
  std::vector<std::string> auditors;
  if (const auto* list = arr_arg(call.input, "Auditors"))
    for (const auto& a : *list)
      if (a.is_string()) auditors.emplace_back(a.as_string());

  const auto& acct = call.account;
  std::vector<json::object> findings;
  if (const auto* targets = arr_arg(call.input, "AuditTargets")) {
    for (const auto& tv : *targets) {
      if (!tv.is_object()) continue;
      const auto* data = obj_arg(tv.as_object(), "Data");
      if (!data) continue;
      Finding f;
      if (const auto* svc = obj_arg(*data, "Service")) {
        const auto* s = service_by_key(acct, string_map(svc));
        if (!s) continue;
        f.key_attributes = key_attributes(*s);
        f.type = "Service";
        if (wanted(auditors, "slo"))
          for (const auto& slo : acct.slos)
            if (slo.service == s->name) add_slo_results(acct, slo, f.results);
        add_operation_results(*s, "", "", incident, auditors, f.results);
      } else if (const auto* so = obj_arg(*data, "ServiceOperation")) {
        const auto* svc2 = obj_arg(*so, "Service");
        const auto* s = svc2 ? service_by_key(acct, string_map(svc2)) : nullptr;
        if (!s) continue;
        f.key_attributes = key_attributes(*s);
        f.operation = str_arg(*so, "Operation");
        f.type = "ServiceOperation";
        add_operation_results(*s, f.operation, str_arg(*so, "MetricType"), incident, auditors, f.results);
      } else if (const auto* slo_t = obj_arg(*data, "Slo")) {
        std::string id = str_arg(*slo_t, "SloName", str_arg(*slo_t, "SloArn"));
        const auto* slo = acct.find_slo(id);
        if (!slo) continue;
        f.key_attributes = {{"Type", "AWS::Resource"}, {"ResourceType", "AWS::ApplicationSignals::ServiceLevelObjective"},
                            {"Identifier", slo->name}};
        f.type = "SLO";
        if (wanted(auditors, "slo")) add_slo_results(acct, *slo, f.results);
        if (const auto* s = acct.find_service(slo->service); s && slo->status != "OK")
          add_operation_results(*s, slo->operation, slo->metric_type, incident, auditors, f.results);
      } else if (const auto* can = obj_arg(*data, "Canary")) {
        const auto* c = acct.find_canary(str_arg(*can, "CanaryName"));
        if (!c) continue;
        f.key_attributes = {{"Type", "AWS::Resource"}, {"ResourceType", "AWS::Synthetics::Canary"}, {"Identifier", c->name}};
        f.type = "Canary";
        if (c->failing_runs > 0 && wanted(auditors, "canary"))
          f.results.push_back(result("canary", "HIGH",
                                     "Canary " + c->name + " failed its last " + std::to_string(c->failing_runs) +
                                         " runs: " + c->failure_reason,
                                     {{"CanaryName", c->name}, {"ConsecutiveFailures", std::to_string(c->failing_runs)}}));
      }
      if (f.results.empty()) continue;
      json::object o{{"KeyAttributes", std::move(f.key_attributes)}, {"AuditorResults", std::move(f.results)},
                     {"Type", f.type}};
      if (!f.operation.empty()) o["Operation"] = f.operation;
      findings.push_back(std::move(o));
    }
  }
  auto p = paginate(call, findings.size(), "NextToken", "MaxResults", 10, 10);
  if (auto* e = std::get_if<ApiError>(&p)) return *e;
  auto& page = std::get<Page>(p);
  json::array list;
  for (std::size_t i = page.begin; i < page.end; ++i) list.push_back(findings[i]);
  json::object out{{"StartTime", *start}, {"EndTime", *end}, {"AuditFindings", std::move(list)}};
  if (page.next_token) out["NextToken"] = *page.next_token;
  return out;
}

}  // namespace appsignals::fakeaws

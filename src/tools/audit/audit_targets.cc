// Audit arguments: the targets (every shorthand normalised), and the auditors list.
#include <algorithm>
#include <cctype>

#include <boost/json/serialize.hpp>

#include "common/text.h"
#include "tools/audit/audit_common.h"
#include "tools/common/args.h"

namespace appsignals::tools::audit {
namespace {

namespace json = boost::json;

constexpr std::string_view kAllowedAuditors[] = {"slo",        "operation_metric", "trace",        "log",
                                                 "dependency_metric", "top_contributor", "service_quota"};

const json::value* member(const json::object& o, std::initializer_list<std::string_view> keys) {
  for (auto k : keys)
    if (const auto* v = find_ci(o, k); v && !v->is_null()) return v;
  return nullptr;
}

std::string text_of(const json::value* v) {
  if (!v || !v->is_string()) return {};
  return std::string(trim_space(v->get_string()));
}

const json::object* object_of(const json::value* v) { return v && v->is_object() ? &v->get_object() : nullptr; }

Error target_error(std::string_view arg, std::size_t index, std::string_view what) {
  return Error{ErrorCode::kInvalidArgument,
               std::string(arg) + "[" + std::to_string(index) + "] " + std::string(what)};
}

// The target's declared kind ("service", "slo", "service_operation"), lower case; empty if absent.
std::string kind_of(const json::object& t) { return ascii_lower(text_of(member(t, {"Type", "target_type", "TargetType"}))); }

constexpr std::string_view kServiceForms =
    "use {\"Type\":\"service\",\"Data\":{\"Service\":{\"Type\":\"Service\",\"Name\":\"my-service\","
    "\"Environment\":\"eks:my-cluster/default\"}}} or a shorthand: {\"Type\":\"service\",\"Service\":\"my-service\"}, "
    "{\"Type\":\"service\",\"Data\":{\"Service\":\"my-service\"}}, {\"target_type\":\"service\",\"service\":\"my-service\"}";

// A service given as a name or as key attributes.
std::optional<ServiceRef> service_from(const json::value* v) {
  if (!v) return std::nullopt;
  ServiceRef s;
  if (v->is_string()) {
    s.name = trim_space(v->get_string());
  } else if (const auto* o = object_of(v)) {
    s.name = text_of(member(*o, {"Name", "ServiceName", "service_name"}));
    s.environment = text_of(member(*o, {"Environment"}));
    s.account_id = text_of(member(*o, {"AwsAccountId"}));
    auto type = text_of(member(*o, {"Type"}));
    if (!type.empty() && ascii_lower(type) != "service") s.type = type;
  } else {
    return std::nullopt;
  }
  if (s.name.empty()) return std::nullopt;
  return s;
}

std::optional<ServiceRef> service_of_target(const json::object& t) {
  const auto* data = object_of(member(t, {"Data"}));
  if (data)
    if (auto s = service_from(member(*data, {"Service"}))) return s;
  if (auto s = service_from(member(t, {"Service", "service_name", "ServiceName"}))) return s;
  // Key attributes inline: {"Type":"service","Name":"x","Environment":"y"}.
  if (member(t, {"Name"})) {
    json::value self = t;
    return service_from(&self);
  }
  return std::nullopt;
}

Result<std::string> metric_type_of(const json::value* v, std::string_view arg, std::size_t index) {
  auto text = ascii_lower(text_of(v));
  if (text.empty()) return std::string();
  if (text == "latency") return std::string("Latency");
  if (text == "availability" || text == "fault") return std::string("Availability");
  if (text == "error") return std::string("Error");
  return target_error(arg, index,
                      "has MetricType '" + text_of(v) +
                          "': use Latency, Availability (Fault is accepted as Availability) or Error");
}

}  // namespace

Result<json::array> targets_arg(const json::object& args, std::string_view name) {
  auto arr = json_array_arg(args, name, true);
  if (arr) {
    if (arr->empty())
      return Error{ErrorCode::kInvalidArgument, "'" + std::string(name) + "' is empty: give at least one target"};
    return arr;
  }
  // A single target object (or JSON text of one) is accepted as a one-element array.
  const auto* v = args.if_contains(name);
  if (v && (v->is_object() || v->is_string())) {
    auto obj = json_object_arg(args, name);
    if (obj && !obj->empty()) {
      json::array one;
      one.push_back(std::move(*obj));
      return one;
    }
  }
  return arr;
}

Result<AuditArgs> read_audit_args(const json::object& args, std::string_view targets_key, std::string_view page_key,
                                  std::string_view default_auditors, TimePoint now) {
  AuditArgs out;
  auto targets = targets_arg(args, targets_key);
  if (!targets) return targets.error();
  out.targets = std::move(*targets);
  auto window = time_window(args, "start_time", "end_time", kDefaultWindow, std::nullopt, now);
  if (!window) return window.error();
  out.window = *window;
  auto auditors = auditors_arg(args, default_auditors);
  if (!auditors) return auditors.error();
  out.auditors = std::move(*auditors);
  auto page = clamped_int_arg(args, page_key, 5, 1, 10);
  if (!page) return page.error();
  out.page_size = *page;
  auto token = string_arg(args, "next_token");
  if (!token) return token.error();
  out.next_token = token->value_or("");
  return out;
}

Result<std::optional<std::vector<std::string>>> auditors_arg(const json::object& args, std::string_view fallback) {
  std::vector<std::string> names;
  const auto* v = args.if_contains("auditors");
  auto add_csv = [&names](std::string_view csv) {
    std::size_t pos = 0;
    while (pos <= csv.size()) {
      auto comma = csv.find(',', pos);
      if (comma == std::string_view::npos) comma = csv.size();
      auto item = ascii_lower(trim_space(csv.substr(pos, comma - pos)));
      if (!item.empty()) names.push_back(item);
      pos = comma + 1;
    }
  };
  if (!v || v->is_null() || (v->is_string() && trim_space(v->get_string()).empty())) {
    add_csv(fallback);
  } else if (v->is_string()) {
    add_csv(v->get_string());
  } else if (v->is_array()) {
    for (const auto& item : v->get_array()) {
      if (!item.is_string())
        return Error{ErrorCode::kInvalidArgument, "'auditors' must be a comma-separated list of auditor names"};
      add_csv(item.get_string());
    }
  } else {
    return Error{ErrorCode::kInvalidArgument, "'auditors' must be a comma-separated list of auditor names"};
  }
  std::vector<std::string> out;
  for (const auto& n : names) {
    if (n == "all") return std::optional<std::vector<std::string>>();
    bool known = std::find(std::begin(kAllowedAuditors), std::end(kAllowedAuditors), n) != std::end(kAllowedAuditors);
    if (!known) {
      std::string allowed;
      for (auto a : kAllowedAuditors) allowed += (allowed.empty() ? "" : ", ") + std::string(a);
      return Error{ErrorCode::kInvalidArgument, "'auditors' names an unknown auditor '" + n + "': allowed are " +
                                                    allowed + ", or 'all' for every auditor (comma-separated)"};
    }
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  }
  if (out.empty()) return std::optional<std::vector<std::string>>();
  return std::optional<std::vector<std::string>>(std::move(out));
}

std::string auditors_label(const std::optional<std::vector<std::string>>& auditors) {
  if (!auditors) return "all";
  return join(*auditors, ", ");
}

Result<std::vector<ServiceRef>> parse_service_targets(const json::array& targets, std::string_view arg) {
  std::vector<ServiceRef> out;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto& t = targets[i];
    if (t.is_string()) {
      auto s = service_from(&t);
      if (!s) return target_error(arg, i, "is an empty service name");
      out.push_back(*s);
      continue;
    }
    if (!t.is_object()) return target_error(arg, i, "is not an object: " + std::string(kServiceForms));
    auto kind = kind_of(t.get_object());
    if (!kind.empty() && kind != "service")
      return target_error(arg, i,
                          "has Type '" + kind + "', but this tool audits services (Type \"service\"); use audit_slos "
                          "for SLOs and audit_service_operations for operations");
    auto s = service_of_target(t.get_object());
    if (!s) return target_error(arg, i, "names no service: " + std::string(kServiceForms));
    out.push_back(*s);
  }
  return out;
}

Result<std::vector<OperationRef>> parse_operation_targets(const json::array& targets, std::string_view arg) {
  constexpr std::string_view kForm =
      "use {\"Type\":\"service_operation\",\"Data\":{\"ServiceOperation\":{\"Service\":{\"Type\":\"Service\","
      "\"Name\":\"my-service\",\"Environment\":\"eks:my-cluster/default\"},\"Operation\":\"GET /api\","
      "\"MetricType\":\"Latency\"}}} (Service may be just the name; MetricType Latency, Availability or Error)";
  std::vector<OperationRef> out;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (!targets[i].is_object()) return target_error(arg, i, "is not an object: " + std::string(kForm));
    const auto& t = targets[i].get_object();
    auto kind = kind_of(t);
    if (!kind.empty() && kind != "service_operation" && kind != "serviceoperation" && kind != "operation")
      return target_error(arg, i,
                          "has Type '" + kind + "', but this tool audits operations (Type \"service_operation\"); "
                          "use audit_services for services and audit_slos for SLOs");
    const json::object* body = &t;
    if (const auto* data = object_of(member(t, {"Data"}))) {
      body = data;
      if (const auto* so = object_of(member(*data, {"ServiceOperation"}))) body = so;
    } else if (const auto* so = object_of(member(t, {"ServiceOperation"}))) {
      body = so;
    }
    OperationRef ref;
    auto svc = service_from(member(*body, {"Service", "ServiceName", "service_name"}));
    if (!svc) return target_error(arg, i, "names no service: " + std::string(kForm));
    ref.service = *svc;
    ref.operation = text_of(member(*body, {"Operation", "OperationName"}));
    if (ref.operation.empty()) return target_error(arg, i, "names no Operation: " + std::string(kForm));
    auto mt = metric_type_of(member(*body, {"MetricType"}), arg, i);
    if (!mt) return mt.error();
    ref.metric_type = *mt;
    out.push_back(std::move(ref));
  }
  return out;
}

Result<std::vector<SloRef>> parse_slo_targets(const json::array& targets, std::string_view arg) {
  constexpr std::string_view kForm =
      "use {\"Type\":\"slo\",\"Data\":{\"Slo\":{\"SloName\":\"my-slo\"}}} or "
      "{\"Type\":\"slo\",\"Data\":{\"Slo\":{\"SloArn\":\"arn:aws:application-signals:...:slo/my-slo\"}}}";
  std::vector<SloRef> out;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto& v = targets[i];
    if (v.is_string()) {
      SloRef r;
      auto text = trim_space(v.get_string());
      if (text.empty()) return target_error(arg, i, "is an empty SLO name");
      (text.rfind("arn:", 0) == 0 ? r.arn : r.name) = text;
      out.push_back(std::move(r));
      continue;
    }
    if (!v.is_object()) return target_error(arg, i, "is not an object: " + std::string(kForm));
    const auto& t = v.get_object();
    auto kind = kind_of(t);
    if (!kind.empty() && kind != "slo" && kind != "service_level_objective")
      return target_error(arg, i,
                          "has Type '" + kind + "', but this tool audits SLOs (Type \"slo\"); use audit_services for "
                          "services and audit_service_operations for operations");
    const auto* data = object_of(member(t, {"Data"}));
    const json::value* slo = data ? member(*data, {"Slo"}) : nullptr;
    if (!slo) slo = member(t, {"Slo"});
    if (slo && slo->is_string())
      return target_error(arg, i,
                          "gives Slo as a string; Slo must be an object naming the SLO, {\"SloName\":\"" +
                              std::string(slo->get_string()) + "\"} or {\"SloArn\":\"arn:...\"}: " + std::string(kForm));
    const json::object* body = object_of(slo);
    if (!body) body = data ? data : &t;
    SloRef r;
    r.name = text_of(member(*body, {"SloName", "Name"}));
    r.arn = text_of(member(*body, {"SloArn", "Arn"}));
    if (r.name.empty() && r.arn.empty()) return target_error(arg, i, "names no SLO: " + std::string(kForm));
    out.push_back(std::move(r));
  }
  return out;
}

json::object service_audit_target(const ServiceRef& s) {
  json::object svc;
  svc["Type"] = s.type;
  svc["Name"] = s.name;
  if (!s.environment.empty()) svc["Environment"] = s.environment;
  if (!s.account_id.empty()) svc["AwsAccountId"] = s.account_id;
  json::object data;
  data["Service"] = std::move(svc);
  json::object t;
  t["Type"] = "service";
  t["Data"] = std::move(data);
  return t;
}

json::object operation_audit_target(const OperationRef& o) {
  json::object svc = service_audit_target(o.service).at("Data").as_object().at("Service").as_object();
  json::object so;
  so["Service"] = std::move(svc);
  so["Operation"] = o.operation;
  if (!o.metric_type.empty()) so["MetricType"] = o.metric_type;
  json::object data;
  data["ServiceOperation"] = std::move(so);
  json::object t;
  t["Type"] = "service_operation";
  t["Data"] = std::move(data);
  return t;
}

json::object slo_audit_target(const SloRef& s) {
  json::object slo;
  if (!s.name.empty()) slo["SloName"] = s.name;
  if (!s.arn.empty()) slo["SloArn"] = s.arn;
  json::object data;
  data["Slo"] = std::move(slo);
  json::object t;
  t["Type"] = "slo";
  t["Data"] = std::move(data);
  return t;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

}  // namespace appsignals::tools::audit

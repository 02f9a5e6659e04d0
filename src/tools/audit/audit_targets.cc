// Audit targets in every form a model sends them, read into the canonical AuditTarget array:
// a bare name, a comma list, "*", a JSON list of names, the documented target objects and their
// shorthands (keys in any case), and JSON text of any of these.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/text.h"
#include "tools/audit/audit_common.h"
#include "tools/common/args.h"
#include "tools/common/json_access.h"

namespace appsignals::tools::audit {
namespace {

constexpr std::size_t kMaxItems = 200;

constexpr std::string_view kServiceForms =
    "Accepted forms, e.g.: a name \"payments\"; a comma list \"payments, checkout\"; a wildcard \"*\" (every "
    "instrumented service) or \"*pay*\"; a JSON list [\"payments\",\"checkout\"]; a target object "
    "{\"Type\":\"service\",\"Data\":{\"Service\":{\"Type\":\"Service\",\"Name\":\"payments\",\"Environment\":"
    "\"ecs:shop-cluster\"}}}; or a shorthand {\"Type\":\"service\",\"Service\":\"payments\"}, "
    "{\"Service\":\"payments\"}, {\"Name\":\"payments\",\"Environment\":\"ecs:shop-cluster\"}. Any of these may be "
    "sent as JSON text.";
constexpr std::string_view kOperationForms =
    "Accepted forms, e.g.: \"payments/POST /payments/charge\" (service/operation); with a metric type "
    "\"payments/POST /payments/charge [Latency]\"; every operation of a service \"payments/*\"; a comma list or "
    "JSON list of these [\"payments/POST /payments/charge\",\"checkout/POST /checkout\"]; an object "
    "{\"Service\":\"payments\",\"Operation\":\"POST /payments/charge\",\"MetricType\":\"Latency\"}; or the full "
    "target {\"Type\":\"service_operation\",\"Data\":{\"ServiceOperation\":{\"Service\":{\"Type\":\"Service\","
    "\"Name\":\"payments\",\"Environment\":\"ecs:shop-cluster\"},\"Operation\":\"POST /payments/charge\","
    "\"MetricType\":\"Availability\"}}}. MetricType: Latency, Availability (Fault is read as Availability) or "
    "Error, any case. Any of these may be sent as JSON text.";
constexpr std::string_view kSloForms =
    "Accepted forms, e.g.: a name \"payments-charge-availability\"; a comma list \"payments-charge-availability, "
    "checkout-latency-p99\"; a wildcard \"*\" or \"*latency*\"; an ARN \"arn:aws:application-signals:us-east-1:"
    "123456789012:slo/payments-charge-availability\"; a JSON list [\"payments-charge-availability\"]; "
    "{\"Slo\":\"payments-charge-availability\"}; {\"SloName\":\"payments-charge-availability\"}; {\"SloArn\":"
    "\"arn:...\"}; or the full target {\"Type\":\"slo\",\"Data\":{\"Slo\":{\"SloName\":"
    "\"payments-charge-availability\"}}}. Any of these may be sent as JSON text.";

std::string_view forms_of(TargetKind kind) {
  switch (kind) {
    case TargetKind::kService: return kServiceForms;
    case TargetKind::kOperation: return kOperationForms;
    case TargetKind::kSlo: return kSloForms;
  }
  return kServiceForms;
}

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

std::string shown(const json::value& v) {
  auto s = v.is_string() ? std::string(v.get_string()) : json::serialize(v);
  if (s.size() > 120) s = s.substr(0, 117) + "...";
  return s;
}

Error item_error(TargetKind kind, std::size_t index, const json::value& item, std::string_view what) {
  return Error{ErrorCode::kInvalidArgument, "item " + std::to_string(index + 1) + " (" + shown(item) + ") " +
                                                std::string(what) + ". " + std::string(forms_of(kind))};
}

// The target's declared kind ("service", "slo", "service_operation"), lower case; empty if absent.
std::string kind_of(const json::object& t) {
  return ascii_lower(text_of(member(t, {"Type", "target_type", "TargetType"})));
}

// Splits strings at commas, parses JSON text, and flattens lists: the items (strings and
// objects) a targets argument holds.
Result<void> collect(TargetKind kind, const json::value& v, std::vector<json::value>& items, int depth) {
  if (depth > 4) return Error{ErrorCode::kInvalidArgument, "nests lists too deeply. " + std::string(forms_of(kind))};
  if (items.size() > kMaxItems)
    return Error{ErrorCode::kInvalidArgument, "has more than " + std::to_string(kMaxItems) + " targets: use a wildcard"};
  if (v.is_array()) {
    for (const auto& e : v.get_array()) {
      auto r = collect(kind, e, items, depth + 1);
      if (!r) return r;
    }
    return {};
  }
  if (v.is_object()) {
    if (items.size() >= kMaxItems)
      return Error{ErrorCode::kInvalidArgument, "has more than " + std::to_string(kMaxItems) + " targets: use a wildcard"};
    items.push_back(v);
    return {};
  }
  if (!v.is_string())
    return Error{ErrorCode::kInvalidArgument, "cannot be read from " + shown(v) + ". " + std::string(forms_of(kind))};
  auto text = trim_space(v.get_string());
  if (text.empty()) return {};
  if (text.front() == '[' || text.front() == '{' || text.front() == '"') {
    boost::system::error_code ec;
    auto parsed = json::parse(text, ec);
    if (ec)
      return Error{ErrorCode::kInvalidArgument, "looks like JSON but is not valid JSON (" + shown(v) + "). " +
                                                    std::string(forms_of(kind))};
    return collect(kind, parsed, items, depth + 1);
  }
  // An ARN holds no commas; names and operations are split at them.
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    auto piece = trim_space(text.substr(pos, comma - pos));
    if (!piece.empty()) {
      if (items.size() >= kMaxItems)
        return Error{ErrorCode::kInvalidArgument,
                     "has more than " + std::to_string(kMaxItems) + " targets: use a wildcard"};
      items.emplace_back(std::string(piece));
    }
    pos = comma + 1;
  }
  return {};
}

// ---- services ----

std::optional<ServiceRef> service_from(const json::value* v) {
  if (!v) return std::nullopt;
  ServiceRef s;
  if (v->is_string()) {
    s.name = trim_space(v->get_string());
  } else if (const auto* o = object_of(v)) {
    s.name = text_of(member(*o, {"Name", "ServiceName", "service_name", "Service"}));
    s.environment = text_of(member(*o, {"Environment", "env"}));
    s.account_id = text_of(member(*o, {"AwsAccountId", "AccountId"}));
    auto type = text_of(member(*o, {"Type"}));
    if (!type.empty() && ascii_lower(type) != "service") s.type = type;
  } else {
    return std::nullopt;
  }
  if (s.name.empty()) return std::nullopt;
  return s;
}

std::optional<ServiceRef> service_of_target(const json::object& t) {
  if (const auto* data = object_of(member(t, {"Data"})))
    if (auto s = service_from(member(*data, {"Service"}))) return s;
  if (auto s = service_from(member(t, {"Service", "service_name", "ServiceName"}))) {
    if (s->environment.empty()) s->environment = text_of(member(t, {"Environment", "env"}));
    return s;
  }
  // Key attributes inline: {"Type":"Service","Name":"x","Environment":"y"}.
  if (member(t, {"Name"})) {
    json::value self = t;
    return service_from(&self);
  }
  return std::nullopt;
}

Result<json::object> service_item(const json::value& item, std::size_t index) {
  constexpr auto kind = TargetKind::kService;
  if (item.is_string()) {
    ServiceRef s;
    s.name = item.get_string();
    return service_audit_target(s);
  }
  const auto& t = item.get_object();
  auto declared = kind_of(t);
  if (declared == "slo" || declared == "service_level_objective")
    return item_error(kind, index, item, "is an SLO target: audit_slos audits SLOs");
  if (declared == "service_operation" || declared == "serviceoperation" || declared == "operation")
    return item_error(kind, index, item, "is an operation target: audit_service_operations audits operations");
  auto s = service_of_target(t);
  if (!s) return item_error(kind, index, item, "names no service");
  return service_audit_target(*s);
}

// ---- operations ----

Result<std::string> metric_type_of(std::string_view raw) {
  auto text = ascii_lower(trim_space(raw));
  if (text.empty()) return std::string();
  if (text == "latency" || text == "duration") return std::string("Latency");
  if (text == "availability" || text == "fault" || text == "faults") return std::string("Availability");
  if (text == "error" || text == "errors") return std::string("Error");
  return Error{ErrorCode::kInvalidArgument,
               "has MetricType '" + std::string(raw) + "': use Latency, Availability (Fault is read as Availability) "
               "or Error"};
}

// "payments/POST /payments/charge [Latency]" or "payments POST /payments/charge".
Result<OperationRef> operation_from_text(std::string_view text) {
  OperationRef r;
  text = trim_space(text);
  if (!text.empty() && text.back() == ']') {
    auto open = text.rfind('[');
    if (open != std::string_view::npos) {
      auto mt = metric_type_of(text.substr(open + 1, text.size() - open - 2));
      if (!mt) return mt.error();
      r.metric_type = *mt;
      text = trim_space(text.substr(0, open));
    }
  }
  auto slash = text.find('/');
  auto space = text.find(' ');
  std::string_view service;
  std::string_view operation;
  if (slash != std::string_view::npos && (space == std::string_view::npos || slash < space)) {
    service = trim_space(text.substr(0, slash));
    operation = trim_space(text.substr(slash + 1));
  } else if (space != std::string_view::npos) {
    service = trim_space(text.substr(0, space));
    operation = trim_space(text.substr(space + 1));
  }
  static constexpr std::string_view kVerbs[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
  for (auto verb : kVerbs)
    if (service == verb)
      return Error{ErrorCode::kInvalidArgument, "names no service (write service/operation)"};
  if (service.empty() || operation.empty())
    return Error{ErrorCode::kInvalidArgument,
                 "names no operation (write service/operation, or service/* for every operation)"};
  r.service.name = service;
  r.operation = operation;
  return r;
}

Result<json::object> operation_item(const json::value& item, std::size_t index) {
  constexpr auto kind = TargetKind::kOperation;
  if (item.is_string()) {
    auto r = operation_from_text(item.get_string());
    if (!r) return item_error(kind, index, item, r.error().message);
    return operation_audit_target(*r);
  }
  const auto& t = item.get_object();
  auto declared = kind_of(t);
  if (declared == "slo" || declared == "service_level_objective")
    return item_error(kind, index, item, "is an SLO target: audit_slos audits SLOs");
  if (declared == "service" && !member(t, {"Operation"}))
    return item_error(kind, index, item, "is a service target: audit_services audits whole services");
  const json::object* body = &t;
  if (const auto* data = object_of(member(t, {"Data"}))) {
    body = data;
    if (const auto* so = object_of(member(*data, {"ServiceOperation"}))) body = so;
  } else if (const auto* so = object_of(member(t, {"ServiceOperation"}))) {
    body = so;
  }
  OperationRef ref;
  auto svc = service_from(member(*body, {"Service", "ServiceName", "service_name"}));
  if (!svc) return item_error(kind, index, item, "names no service");
  ref.service = *svc;
  if (ref.service.environment.empty()) ref.service.environment = text_of(member(*body, {"Environment"}));
  ref.operation = text_of(member(*body, {"Operation", "OperationName", "operation_name"}));
  if (ref.operation.empty()) return item_error(kind, index, item, "names no Operation");
  auto mt = metric_type_of(text_of(member(*body, {"MetricType", "metric_type", "Metric"})));
  if (!mt) return item_error(kind, index, item, mt.error().message);
  ref.metric_type = *mt;
  return operation_audit_target(ref);
}

// ---- SLOs ----

SloRef slo_from_text(std::string_view text) {
  SloRef r;
  text = trim_space(text);
  (text.rfind("arn:", 0) == 0 ? r.arn : r.name) = text;
  return r;
}

Result<json::object> slo_item(const json::value& item, std::size_t index) {
  constexpr auto kind = TargetKind::kSlo;
  if (item.is_string()) return slo_audit_target(slo_from_text(item.get_string()));
  const auto& t = item.get_object();
  auto declared = kind_of(t);
  if (declared == "service")
    return item_error(kind, index, item, "is a service target: audit_services audits services");
  if (declared == "service_operation" || declared == "serviceoperation" || declared == "operation")
    return item_error(kind, index, item, "is an operation target: audit_service_operations audits operations");
  const auto* data = object_of(member(t, {"Data"}));
  const json::value* slo = data ? member(*data, {"Slo"}) : nullptr;
  if (!slo) slo = member(t, {"Slo"});
  if (slo && slo->is_string()) {
    auto r = slo_from_text(slo->get_string());
    if (r.name.empty() && r.arn.empty()) return item_error(kind, index, item, "names no SLO");
    return slo_audit_target(r);
  }
  const json::object* body = object_of(slo);
  if (!body) body = data ? data : &t;
  SloRef r;
  r.name = text_of(member(*body, {"SloName", "slo_name", "Name", "SloId", "slo_id"}));
  r.arn = text_of(member(*body, {"SloArn", "slo_arn", "Arn"}));
  if (r.name.rfind("arn:", 0) == 0 && r.arn.empty()) std::swap(r.name, r.arn);
  if (r.name.empty() && r.arn.empty()) return item_error(kind, index, item, "names no SLO");
  return slo_audit_target(r);
}

using jv::str;

ServiceRef service_of_key_attributes(const json::object& svc) {
  ServiceRef s;
  s.name = str(svc, "Name");
  s.environment = str(svc, "Environment");
  s.account_id = str(svc, "AwsAccountId");
  if (auto t = str(svc, "Type"); !t.empty()) s.type = t;
  return s;
}

bool plain(const ServiceRef& s) {
  return s.environment.empty() && s.account_id.empty() && s.type == "Service" &&
         s.name.find(',') == std::string::npos;
}

}  // namespace

Result<json::array> read_targets(TargetKind kind, const json::value& value) {
  std::vector<json::value> items;
  auto collected = collect(kind, value, items, 0);
  if (!collected) return collected.error();
  if (items.empty())
    return Error{ErrorCode::kInvalidArgument, "holds no target. " + std::string(forms_of(kind))};
  json::array out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    Result<json::object> t = kind == TargetKind::kService     ? service_item(items[i], i)
                             : kind == TargetKind::kOperation ? operation_item(items[i], i)
                                                              : slo_item(items[i], i);
    if (!t) return t.error();
    if (std::find(out.begin(), out.end(), json::value(*t)) == out.end()) out.push_back(std::move(*t));
  }
  return out;
}

ArgSpec targets_arg(TargetKind kind) {
  std::string name;
  std::string description;
  std::string example;
  switch (kind) {
    case TargetKind::kService:
      name = "service_targets";
      example = "\"payments\"";
      description =
          "The services to audit: a name (\"payments\"), a comma list (\"payments, checkout\"), a wildcard (\"*\" "
          "for every instrumented service, \"*pay*\"), a JSON list of names, or target objects "
          "({\"Type\":\"service\",\"Data\":{\"Service\":{\"Type\":\"Service\",\"Name\":\"payments\","
          "\"Environment\":\"ecs:shop-cluster\"}}} or shorthands such as {\"Type\":\"service\",\"Service\":"
          "\"payments\"}; keys in any case). A missing Environment is looked up; a name that is not exact "
          "resolves to the one clear match (with a note) or is reported not found with the closest names.";
      break;
    case TargetKind::kOperation:
      name = "operation_targets";
      example = "\"payments/POST /payments/charge\"";
      description =
          "The operations to audit: \"service/operation\" (\"payments/POST /payments/charge\"), optionally with a "
          "metric type (\"payments/POST /payments/charge [Latency]\"), \"payments/*\" for every operation of a "
          "service, \"*/GET *\" across services; a comma list or JSON list of these; or objects "
          "{\"Service\":\"payments\",\"Operation\":\"POST /payments/charge\",\"MetricType\":\"Latency\"} or the full "
          "{\"Type\":\"service_operation\",\"Data\":{\"ServiceOperation\":{\"Service\":{...},\"Operation\":...,"
          "\"MetricType\":...}}}. MetricType: Latency, Availability (Fault is read as Availability) or Error, any "
          "case; omitted = all. Unknown operations are reported not found with the closest names.";
      break;
    case TargetKind::kSlo:
      name = "slo_targets";
      example = "\"payments-charge-availability\"";
      description =
          "The SLOs to audit: a name (\"payments-charge-availability\"), a comma list, a wildcard (\"*\" for every "
          "SLO, \"*latency*\"), an SLO ARN, a JSON list of these, or objects ({\"Slo\":\"name\"}, "
          "{\"SloName\":\"name\"}, {\"SloArn\":\"arn:...\"}, or the full {\"Type\":\"slo\",\"Data\":{\"Slo\":"
          "{\"SloName\":\"name\"}}}). A name that is not exact resolves to the one clear match (with a note) or is "
          "reported not found with the closest names.";
      break;
  }
  ArgSpec a = arg::json_text(std::move(name), std::move(description), "");
  a.require().eg(std::move(example));
  a.read_with([kind](const json::value& v, Notes&) -> Result<json::value> {
    auto r = read_targets(kind, v);
    if (!r) return r.error();
    return json::value(std::move(*r));
  });
  return a;
}

std::vector<ServiceRef> service_refs(const json::array& canonical) {
  std::vector<ServiceRef> out;
  for (const auto& t : canonical)
    out.push_back(service_of_key_attributes(jv::obj(jv::obj(jv::as_obj(t), "Data"), "Service")));
  return out;
}

std::vector<OperationRef> operation_refs(const json::array& canonical) {
  std::vector<OperationRef> out;
  for (const auto& t : canonical) {
    const auto& so = jv::obj(jv::obj(jv::as_obj(t), "Data"), "ServiceOperation");
    OperationRef r;
    r.service = service_of_key_attributes(jv::obj(so, "Service"));
    r.operation = str(so, "Operation");
    r.metric_type = str(so, "MetricType");
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<SloRef> slo_refs(const json::array& canonical) {
  std::vector<SloRef> out;
  for (const auto& t : canonical) {
    const auto& slo = jv::obj(jv::obj(jv::as_obj(t), "Data"), "Slo");
    SloRef r;
    r.name = str(slo, "SloName");
    r.arn = str(slo, "SloArn");
    out.push_back(std::move(r));
  }
  return out;
}

std::string compact_targets(TargetKind kind, const json::array& canonical) {
  std::vector<std::string> parts;
  bool compact = true;
  if (kind == TargetKind::kService) {
    for (const auto& s : service_refs(canonical)) {
      compact = compact && plain(s);
      parts.push_back(s.name);
    }
  } else if (kind == TargetKind::kOperation) {
    for (const auto& o : operation_refs(canonical)) {
      compact = compact && plain(o.service) && o.operation.find(',') == std::string::npos &&
                o.service.name.find('/') == std::string::npos && o.service.name.find(' ') == std::string::npos;
      parts.push_back(o.service.name + "/" + o.operation + (o.metric_type.empty() ? "" : " [" + o.metric_type + "]"));
    }
  } else {
    for (const auto& s : slo_refs(canonical)) {
      std::string one = s.name.empty() ? s.arn : s.name;
      compact = compact && (s.name.empty() || s.arn.empty()) && one.find(',') == std::string::npos;
      parts.push_back(one);
    }
  }
  if (compact) {
    auto text = join(parts, ", ");
    if (!text.empty() && text.front() != '[' && text.front() != '{' && text.front() != '"') return json::serialize(json::value(text));
  }
  return json::serialize(canonical);
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

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace appsignals::tools::audit

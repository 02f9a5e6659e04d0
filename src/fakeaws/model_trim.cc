#include "fakeaws/model_trim.h"

#include <array>
#include <set>
#include <string>
#include <vector>

namespace appsignals::fakeaws {
namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 12> kApplicationSignals = {
    "ListServices", "GetService", "ListServiceOperations", "ListServiceLevelObjectives",
    "GetServiceLevelObjective", "BatchGetServiceLevelObjectiveBudgetReport",
    "ListServiceDependencies", "ListServiceDependents", "ListAuditFindings", "ListServiceStates",
    "ListGroupingAttributeDefinitions", "ListEntityEvents"};
constexpr std::array<std::string_view, 3> kCloudWatch = {"GetMetricData", "GetMetricStatistics",
                                                         "DescribeAlarms"};
constexpr std::array<std::string_view, 5> kLogs = {"StartQuery", "GetQueryResults", "StopQuery",
                                                   "FilterLogEvents", "DescribeLogGroups"};
constexpr std::array<std::string_view, 3> kXray = {"GetTraceSegmentDestination",
                                                   "GetTraceSummaries", "BatchGetTraces"};
constexpr std::array<std::string_view, 3> kSynthetics = {"GetCanary", "GetCanaryRuns",
                                                         "DescribeCanaries"};
constexpr std::array<std::string_view, 2> kS3 = {"ListObjectsV2", "GetObject"};
constexpr std::array<std::string_view, 4> kIam = {"GetRole", "ListAttachedRolePolicies",
                                                  "GetPolicy", "GetPolicyVersion"};
constexpr std::array<std::string_view, 2> kSts = {"GetCallerIdentity", "AssumeRole"};

json::value strip_docs(const json::value& v) {
  if (const auto* o = v.if_object()) {
    json::object out;
    for (const auto& [k, child] : *o) {
      if (k == "documentation" || k == "documentationUrl") continue;
      out[k] = strip_docs(child);
    }
    return out;
  }
  if (const auto* a = v.if_array()) {
    json::array out;
    for (const auto& child : *a) out.push_back(strip_docs(child));
    return out;
  }
  return v;
}

void reach(const json::object& shapes, const std::string& name, std::set<std::string>& seen) {
  if (!seen.insert(name).second) return;
  const auto* shape = shapes.if_contains(name);
  if (shape == nullptr || !shape->is_object()) return;
  const auto& s = shape->as_object();
  auto follow = [&](const char* key) {
    if (const auto* ref = s.if_contains(key); ref && ref->is_object()) {
      if (const auto* sn = ref->as_object().if_contains("shape"); sn && sn->is_string())
        reach(shapes, std::string(sn->as_string()), seen);
    }
  };
  follow("member");
  follow("key");
  follow("value");
  if (const auto* members = s.if_contains("members"); members && members->is_object()) {
    for (const auto& [k, m] : members->as_object()) {
      if (const auto* sn = m.as_object().if_contains("shape"); sn && sn->is_string())
        reach(shapes, std::string(sn->as_string()), seen);
    }
  }
}

}  // namespace

std::span<const std::string_view> implemented_operations(std::string_view prefix) {
  if (prefix == "application-signals") return kApplicationSignals;
  if (prefix == "monitoring") return kCloudWatch;
  if (prefix == "logs") return kLogs;
  if (prefix == "xray") return kXray;
  if (prefix == "synthetics") return kSynthetics;
  if (prefix == "s3") return kS3;
  if (prefix == "iam") return kIam;
  if (prefix == "sts") return kSts;
  return {};
}

json::object trim_model(const json::object& model, std::span<const std::string_view> operations) {
  json::object out;
  if (const auto* md = model.if_contains("metadata")) out["metadata"] = strip_docs(*md);
  const json::object empty;
  const auto* ops_v = model.if_contains("operations");
  const auto* shapes_v = model.if_contains("shapes");
  const auto& ops = ops_v && ops_v->is_object() ? ops_v->as_object() : empty;
  const auto& shapes = shapes_v && shapes_v->is_object() ? shapes_v->as_object() : empty;

  json::object kept_ops;
  std::set<std::string> seen;
  for (auto name : operations) {
    const auto* op = ops.if_contains(name);
    if (op == nullptr || !op->is_object()) continue;
    kept_ops[name] = strip_docs(*op);
    const auto& o = op->as_object();
    for (const char* key : {"input", "output"}) {
      if (const auto* ref = o.if_contains(key); ref && ref->is_object())
        if (const auto* sn = ref->as_object().if_contains("shape"); sn && sn->is_string())
          reach(shapes, std::string(sn->as_string()), seen);
    }
    if (const auto* errs = o.if_contains("errors"); errs && errs->is_array()) {
      for (const auto& e : errs->as_array())
        if (const auto* sn = e.as_object().if_contains("shape"); sn && sn->is_string())
          reach(shapes, std::string(sn->as_string()), seen);
    }
  }
  json::object kept_shapes;
  for (const auto& name : seen) {
    if (const auto* s = shapes.if_contains(name)) kept_shapes[name] = strip_docs(*s);
  }
  out["operations"] = std::move(kept_ops);
  out["shapes"] = std::move(kept_shapes);
  return out;
}

}  // namespace appsignals::fakeaws

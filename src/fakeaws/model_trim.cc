#include "fakeaws/model_trim.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "aws/services/ops.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

namespace {

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
  // The operations of aws::ops (the product's single table), grouped by service once.
  static const auto by_service = [] {
    std::map<std::string_view, std::vector<std::string_view>> m;
    for (const auto& op : aws::all_ops()) m[op.service].push_back(op.name);
    return m;
  }();
  auto it = by_service.find(prefix);
  if (it == by_service.end()) return {};
  return it->second;
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

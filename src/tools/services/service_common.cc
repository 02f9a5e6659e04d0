#include "tools/services/service_common.h"

#include <boost/beast/core/string.hpp>
#include <boost/json/serialize.hpp>

#include "tools/common/name_match.h"
#include "tools/common/tool_errors.h"

namespace appsignals::tools::services {

namespace {
const json::object& empty_object() {
  static const json::object kEmpty;
  return kEmpty;
}
}  // namespace

boost::asio::awaitable<LocatedService> locate_service(std::shared_ptr<const aws::AwsClients> clients,
                                                      std::string name, std::int64_t now) {
  LocatedService out;
  std::int64_t start = now - kDiscoveryWindowSeconds;
  auto list = co_await list_service_summaries(clients, start, now);
  if (!list) {
    out.failure = aws_failure(list.error(), aws::ops::kListServices);
    co_return out;
  }
  std::vector<std::string> names;
  names.reserve(list->services.size());
  for (const auto& s : list->services) names.push_back(service_name_of(s));
  auto resolved = resolve_name(name, names);
  if (!resolved.name) {
    out.failure = unknown_service(name, list->services);
    co_return out;
  }
  out.note = resolved.note("service name", name);
  for (const auto& s : list->services)
    if (service_name_of(s) == *resolved.name) {
      out.summary = s;
      break;
    }
  co_return out;
}


const json::object& key_attributes_of(const json::object& summary) {
  if (const auto* v = summary.if_contains("KeyAttributes"); v && v->is_object()) return v->get_object();
  return empty_object();
}

std::string service_name_of(const json::object& summary) { return jv::str(key_attributes_of(summary), "Name"); }

bool is_instrumented(const json::object& summary) {
  const auto& keys = key_attributes_of(summary);
  if (jv::str(keys, "Type") != "Service" || jv::str(keys, "Name") == "Unknown") return false;
  auto type = attribute_of(summary, "InstrumentationType");
  return type != "UNINSTRUMENTED" && type != "AWS_NATIVE";
}

std::string_view attribute_of(const json::object& summary, std::string_view key) {
  const auto* maps = summary.if_contains("AttributeMaps");
  if (!maps || !maps->is_array()) return {};
  for (const auto& m : maps->get_array()) {
    if (!m.is_object()) continue;
    if (const auto* v = m.get_object().if_contains(key); v && v->is_string()) return v->get_string();
  }
  return {};
}

const json::object* find_service(const std::vector<json::object>& services, std::string_view name) {
  for (const auto& s : services)
    if (service_name_of(s) == name) return &s;
  for (const auto& s : services)
    if (boost::beast::iequals(service_name_of(s), name)) return &s;
  return nullptr;
}

mcp::ToolResult unknown_service(std::string_view name, const std::vector<json::object>& services) {
  std::vector<std::string> names;
  for (const auto& s : services) names.push_back(service_name_of(s));
  std::string text = "Error: no service named '" + std::string(name) + "' reported to Application Signals in the "
                     "last 24 hours (" + std::to_string(names.size()) + " services did).";
  auto close = resolve_name(name, names).closest;
  if (!close.empty()) {
    text += " Closest names:";
    for (std::size_t i = 0; i < close.size(); ++i) text += (i ? ", " : " ") + close[i].name;
    text += ".";
  }
  text += " Call list_monitored_services to see every service name, then retry with an exact name.";
  return mcp::ToolResult::error(text);
}


std::string dimensions_text(const json::array& dimensions) {
  std::string out;
  for (const auto& d : dimensions) {
    if (!d.is_object()) continue;
    if (!out.empty()) out += ", ";
    out += jv::str(d.get_object(), "Name") + "=" + jv::str(d.get_object(), "Value");
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> flatten_attribute_maps(const json::object& summary) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto* maps = summary.if_contains("AttributeMaps");
  if (!maps || !maps->is_array()) return out;
  for (const auto& m : maps->get_array()) {
    if (!m.is_object()) continue;
    for (const auto& [k, v] : m.get_object()) {
      if (!v.is_string()) continue;
      bool seen = false;
      for (const auto& [ek, ev] : out) seen = seen || ek == k;
      if (!seen) out.emplace_back(std::string(k), std::string(v.get_string()));
    }
  }
  return out;
}

ArgSpec service_name_arg() {
  return arg::string("service_name",
                     "Service name as listed by list_monitored_services, e.g. \"payments\" (case and separators "
                     "are forgiven; a near-miss resolves to the one clear match).")
      .require()
      .eg("\"payments\"");
}

json::object get_service_input(const json::object& summary, std::int64_t start, std::int64_t end) {
  json::object input;
  input["StartTime"] = start;
  input["EndTime"] = end;
  input["KeyAttributes"] = key_attributes_of(summary);
  return input;
}

}  // namespace appsignals::tools::services

#include "tools/slo/slo_common.h"

#include <chrono>
#include <cstdio>

#include <boost/json/serialize.hpp>

#include "tools/common/time_args.h"

namespace appsignals::tools::slo {

std::vector<std::string> slo_names(const json::array& items) {
  std::vector<std::string> names;
  for (const auto& s : items)
    if (s.is_object()) names.push_back(str(s.get_object(), "Name"));
  return names;
}

std::string number_text(const json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (!v.is_double()) return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v.get_double());
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string time_text(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return {};
  if (v->is_string()) return std::string(v->get_string());
  if (!v->is_number()) return {};
  auto secs = static_cast<std::int64_t>(v->to_number<double>());
  return format_utc(TimePoint(std::chrono::seconds(secs)));
}


std::string metric_query_text(const json::object& q, std::string_view indent) {
  std::string in(indent);
  std::string out = in + "- query " + str(q, "Id");
  if (auto label = str(q, "Label"); !label.empty()) out += " (" + label + ")";
  out += "\n";
  const auto& stat = obj(q, "MetricStat");
  if (!stat.empty()) {
    const auto& metric = obj(stat, "Metric");
    out += in + "  Metric: " + str(metric, "Namespace") + "/" + str(metric, "MetricName") + "\n";
    std::string dims;
    for (const auto& d : arr(metric, "Dimensions"))
      if (d.is_object()) dims += (dims.empty() ? "" : ", ") + str(d.get_object(), "Name") + "=" + str(d.get_object(), "Value");
    if (!dims.empty()) out += in + "  Dimensions: " + dims + "\n";
    if (const auto* p = stat.if_contains("Period")) out += in + "  Period: " + number_text(*p) + " s\n";
    if (auto s = str(stat, "Stat"); !s.empty()) out += in + "  Statistic: " + s + "\n";
    if (auto u = str(stat, "Unit"); !u.empty()) out += in + "  Unit: " + u + "\n";
  }
  if (auto e = str(q, "Expression"); !e.empty()) out += in + "  Expression: " + e + "\n";
  if (auto a = str(q, "AccountId"); !a.empty()) out += in + "  Account: " + a + "\n";
  if (const auto* rd = q.if_contains("ReturnData"); rd && rd->is_bool())
    out += in + "  Returns data: " + (rd->get_bool() ? "yes" : "no") + "\n";
  return out;
}


}  // namespace appsignals::tools::slo

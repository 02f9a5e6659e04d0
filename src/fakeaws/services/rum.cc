// CloudWatch RUM (restJson1): the sample account's app monitors (services/rum_data.h).
#include <boost/json/array.hpp>

#include "fakeaws/sample_account.h"
#include "fakeaws/services/rum_data.h"
#include "fakeaws/services/services.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

namespace {

std::string monitor_arn(const Call& call, const RumMonitor& m) {
  return "arn:aws:rum:" + call.account.region + ":" + call.account.account_id + ":appmonitor/" + m.name;
}

json::object tags_of(const RumMonitor& m) {
  json::object tags;
  for (const auto& [k, v] : m.tags) tags[k] = v;
  return tags;
}

ApiError monitor_not_found(const Call& call, const std::string& name) {
  auto e = make_error(call.traits().not_found, "App monitor " + name + " does not exist.");
  e.extra["resourceName"] = name;
  e.extra["resourceType"] = "AppMonitor";
  return e;
}

OpResult list_app_monitors(Call& call) {
  const auto& all = rum_monitors();
  auto p = paginate(call, all.size(), "NextToken", "MaxResults", 100, 100);
  if (auto* e = std::get_if<ApiError>(&p)) return *e;
  auto& page = std::get<Page>(p);
  json::array list;
  for (std::size_t i = page.begin; i < page.end; ++i) {
    const auto& m = all[i];
    list.push_back(json::object{{"Name", m.name},
                                {"Id", m.id},
                                {"Created", rfc3339(static_cast<double>(page.anchor - m.created_offset))},
                                {"LastModified", rfc3339(static_cast<double>(page.anchor - 5 * 86400))},
                                {"State", "ACTIVE"},
                                {"Platform", m.platform}});
  }
  json::object out{{"AppMonitorSummaries", std::move(list)}};
  if (page.next_token) out["NextToken"] = *page.next_token;
  return out;
}

OpResult get_app_monitor(Call& call) {
  auto name = str_arg(call.input, "Name");
  const auto* m = find_rum_monitor(name);
  if (!m) return monitor_not_found(call, name);
  const auto& a = call.account;
  json::array telemetries;
  for (const auto& t : m->telemetries) telemetries.push_back(json::value(t));
  json::object config{{"IdentityPoolId", a.region + ":7c1f0e2a-93b4-4d61-a8e2-" + m->id.substr(24)},
                      {"GuestRoleArn", "arn:aws:iam::" + a.account_id + ":role/RUM-Monitor-" + m->name + "-Unauth"},
                      {"SessionSampleRate", m->sample_rate},
                      {"AllowCookies", m->cookies},
                      {"Telemetries", std::move(telemetries)},
                      {"EnableXRay", m->xray}};
  if (m->platform == "Web") config["FavoritePages"] = json::array{"/checkout"};
  json::object cw{{"CwLogEnabled", m->cw_log}};
  if (m->cw_log) cw["CwLogGroup"] = m->log_group();
  json::object monitor{{"Name", m->name},
                       {"Id", m->id},
                       {"Created", rfc3339(static_cast<double>(call.anchor() - m->created_offset))},
                       {"LastModified", rfc3339(static_cast<double>(call.anchor() - 5 * 86400))},
                       {"Tags", tags_of(*m)},
                       {"State", "ACTIVE"},
                       {"AppMonitorConfiguration", std::move(config)},
                       {"DataStorage", json::object{{"CwLog", std::move(cw)}}},
                       {"CustomEvents", json::object{{"Status", "DISABLED"}}},
                       {"Platform", m->platform}};
  if (!m->domain.empty()) {
    monitor["Domain"] = m->domain;
    monitor["DomainList"] = json::array{json::value(m->domain)};
  }
  return json::object{{"AppMonitor", std::move(monitor)}};
}

OpResult list_tags_for_resource(Call& call) {
  auto arn = str_arg(call.input, "ResourceArn");
  for (const auto& m : rum_monitors())
    if (monitor_arn(call, m) == arn) return json::object{{"ResourceArn", arn}, {"Tags", tags_of(m)}};
  auto e = make_error(call.traits().not_found, "Resource " + arn + " does not exist.");
  e.extra["resourceName"] = arn;
  return e;
}

OpResult get_resource_policy(Call& call) {
  auto name = str_arg(call.input, "Name");
  const auto* m = find_rum_monitor(name);
  if (!m) return monitor_not_found(call, name);
  if (m->policy.empty())
    return make_error(ErrorKind{"PolicyNotFoundException", 404}, "App monitor " + name + " has no resource policy.");
  return json::object{{"PolicyDocument", m->policy}, {"PolicyRevisionId", "3f1c9a0e-policy-rev-1"}};
}

constexpr OpEntry kOps[] = {
    {"ListAppMonitors", list_app_monitors},
    {"GetAppMonitor", get_app_monitor},
    {"ListTagsForResource", list_tags_for_resource},
    {"GetResourcePolicy", get_resource_policy},
};

}  // namespace

std::span<const OpEntry> rum_operations() { return kOps; }

}  // namespace appsignals::fakeaws

// CloudWatch Synthetics (restJson1): the three canaries and their runs.
#include <boost/json/array.hpp>

#include "fakeaws/sample_account.h"
#include "fakeaws/services/canary_data.h"
#include "fakeaws/services/services.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

namespace {

json::object canary_object(const Call& call, const SampleCanary& c, std::int64_t anchor) {
  const auto& a = call.account;
  bool failing = c.failing_runs > 0;
  std::string fn = canary_function_name(c);
  return {{"Id", canary_id(c)},
          {"Name", c.name},
          {"Code", json::object{{"SourceLocationArn", "arn:aws:lambda:" + a.region + ":" + a.account_id + ":layer:cwsyn-" + c.name + ":3"},
                                {"Handler", c.handler}}},
          {"ExecutionRoleArn", "arn:aws:iam::" + a.account_id + ":role/service-role/" + c.role_name},
          {"Schedule", json::object{{"Expression", c.schedule}, {"DurationInSeconds", 0}}},
          {"RunConfig", json::object{{"TimeoutInSeconds", 60}, {"MemoryInMB", 1500}, {"ActiveTracing", true}}},
          {"SuccessRetentionPeriodInDays", 31},
          {"FailureRetentionPeriodInDays", 31},
          {"Status", json::object{{"State", "RUNNING"}}},
          {"Timeline", json::object{{"Created", anchor - 60 * 86400},
                                    {"LastModified", anchor - 3 * 86400},
                                    {"LastStarted", anchor - 3 * 86400}}},
          {"ArtifactS3Location", c.artifact_prefix},
          {"EngineArn", "arn:aws:lambda:" + a.region + ":" + a.account_id + ":function:" + fn + ":7"},
          {"RuntimeVersion", c.runtime},
          {"Tags", json::object{{"team", failing ? "shop" : "web"}}}};
}

json::object run_object(const SampleCanary& c, const CanaryRunData& r, const std::string& bucket) {
  json::object status{{"State", r.passed ? "PASSED" : "FAILED"}};
  if (!r.passed) {
    status["StateReason"] = r.reason;
    status["StateReasonCode"] = "CANARY_FAILURE";
  }
  return {{"Id", r.id},
          {"Name", c.name},
          {"Status", std::move(status)},
          {"Timeline", json::object{{"Started", r.started}, {"Completed", r.completed}}},
          {"ArtifactS3Location", bucket + "/" + r.artifact_key_prefix}};
}

OpResult describe_canaries(Call& call) {
  std::vector<std::string> names;
  if (const auto* list = arr_arg(call.input, "Names"))
    for (const auto& v : *list) names.emplace_back(v.as_string());
  auto anchor = anchor_for(call, "NextToken");
  std::vector<json::object> items;
  for (const auto& c : call.account.canaries) {
    if (!names.empty() && std::find(names.begin(), names.end(), c.name) == names.end()) continue;
    items.push_back(canary_object(call, c, anchor));
  }
  auto p = paginate(call, items.size(), "NextToken", "MaxResults", 20, 20);
  if (auto* e = std::get_if<ApiError>(&p)) return *e;
  auto& page = std::get<Page>(p);
  json::array list;
  for (std::size_t i = page.begin; i < page.end; ++i) list.push_back(items[i]);
  json::object out{{"Canaries", std::move(list)}};
  if (page.next_token) out["NextToken"] = *page.next_token;
  return out;
}

OpResult get_canary(Call& call) {
  auto name = str_arg(call.input, "Name");
  const auto* c = call.account.find_canary(name);
  if (!c) return make_error(call.traits().not_found, "Canary " + name + " does not exist.");
  return json::object{{"Canary", canary_object(call, *c, call.anchor())}};
}

OpResult get_canary_runs(Call& call) {
  auto name = str_arg(call.input, "Name");
  const auto* c = call.account.find_canary(name);
  if (!c) return make_error(call.traits().not_found, "Canary " + name + " does not exist.");
  auto runs = canary_runs(*c, anchor_for(call, "NextToken"));
  auto p = paginate(call, runs.size(), "NextToken", "MaxResults", 100, 100);
  if (auto* e = std::get_if<ApiError>(&p)) return *e;
  auto& page = std::get<Page>(p);
  json::array list;
  for (std::size_t i = page.begin; i < page.end; ++i) list.push_back(run_object(*c, runs[i], call.account.artifact_bucket));
  json::object out{{"CanaryRuns", std::move(list)}};
  if (page.next_token) out["NextToken"] = *page.next_token;
  return out;
}

constexpr OpEntry kOps[] = {
    {"DescribeCanaries", describe_canaries},
    {"GetCanary", get_canary},
    {"GetCanaryRuns", get_canary_runs},
};

}  // namespace

std::span<const OpEntry> synthetics_operations() { return kOps; }

}  // namespace appsignals::fakeaws

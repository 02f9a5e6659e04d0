#include "tools/audit/audit_canaries.h"

#include <algorithm>
#include <map>

#include "aws/services/ops.h"
#include "tools/common/fanout.h"
#include "tools/common/json_access.h"

namespace appsignals::tools::audit {
namespace {

namespace json = boost::json;

struct State {
  std::shared_ptr<const aws::AwsClients> clients;
  std::vector<json::object> services;
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::vector<std::vector<std::string>> canaries_of;  // per service
  std::vector<std::string> service_problems;          // per service ("" = none)
  std::vector<CanaryHealth> canaries;
  std::vector<std::string> canary_problems;           // per canary
};

std::string problem(const Error& error, const aws::Op& op) {
  return error.message + " (grant " + std::string(op.iam_action) + ")";
}

json::object dependents_input(const json::object& keys, std::int64_t start, std::int64_t end) {
  json::object input;
  input["StartTime"] = start;
  input["EndTime"] = end;
  input["KeyAttributes"] = keys;
  input["MaxResults"] = 100;
  return input;
}

boost::asio::awaitable<void> dependents_of(std::shared_ptr<State> st, std::size_t i) {
  json::object input = dependents_input(st->services[i], st->start, st->end);
  int max_pages = 5;
  auto page = co_await st->clients->application_signals.paginate(aws::ops::kListServiceDependents, input, max_pages);
  if (!page) {
    st->service_problems[i] = jv::str(st->services[i], "Name") + ": dependents not read: " +
                              problem(page.error(), aws::ops::kListServiceDependents);
    co_return;
  }
  for (const auto& d : page->items) {
    const auto& keys = jv::obj(jv::as_obj(d), "DependentKeyAttributes");
    if (jv::view(keys, "ResourceType") != "AWS::Synthetics::Canary") continue;
    std::string name = jv::str(keys, "Identifier");
    if (name.empty()) name = jv::str(keys, "Name");
    auto& list = st->canaries_of[i];
    if (!name.empty() && std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
  }
}

boost::asio::awaitable<void> runs_of(std::shared_ptr<State> st, std::size_t i) {
  auto& c = st->canaries[i];
  json::object input;
  input["Name"] = c.name;
  input["MaxResults"] = kCanaryRuns;
  auto res = co_await st->clients->synthetics.call(aws::ops::kGetCanaryRuns, input);
  if (!res) {
    st->canary_problems[i] = c.name + ": runs not read: " + problem(res.error(), aws::ops::kGetCanaryRuns);
    co_return;
  }
  for (const auto& r : jv::arr(jv::as_obj(*res), "CanaryRuns")) {
    if (c.runs == kCanaryRuns) break;
    const auto& status = jv::obj(jv::as_obj(r), "Status");
    auto state = jv::view(status, "State");
    ++c.runs;
    if (state == "PASSED") ++c.passed;
    if (state == "FAILED") {
      ++c.failed;
      if (c.last_failure.empty()) c.last_failure = jv::str(status, "StateReason");
    }
  }
}

}  // namespace

json::object service_key_attributes(std::string_view type, std::string_view name, std::string_view environment) {
  json::object o;
  o["Type"] = type.empty() ? std::string_view("Service") : type;
  o["Name"] = name;
  if (!environment.empty()) o["Environment"] = environment;
  return o;
}

boost::asio::awaitable<CanaryCorrelation> correlate_canaries(std::shared_ptr<const aws::AwsClients> clients,
                                                             std::vector<json::object> services,
                                                             std::int64_t start, std::int64_t end) {
  auto st = std::make_shared<State>();
  st->clients = std::move(clients);
  st->services = std::move(services);
  st->start = start;
  st->end = end;
  st->canaries_of.resize(st->services.size());
  st->service_problems.resize(st->services.size());
  FanoutWork find = [st](std::size_t i) { return dependents_of(st, i); };
  std::size_t count = st->services.size();
  std::size_t limit = kCanaryFanout;
  co_await for_each_bounded(count, limit, find);

  std::map<std::string, std::vector<std::string>> by_canary;  // canary → services
  for (std::size_t i = 0; i < st->services.size(); ++i)
    for (const auto& c : st->canaries_of[i]) by_canary[c].push_back(jv::str(st->services[i], "Name"));
  for (auto& [name, svcs] : by_canary) {
    CanaryHealth h;
    h.name = name;
    h.services = std::move(svcs);
    st->canaries.push_back(std::move(h));
  }
  st->canary_problems.resize(st->canaries.size());
  FanoutWork check = [st](std::size_t i) { return runs_of(st, i); };
  count = st->canaries.size();
  co_await for_each_bounded(count, limit, check);

  CanaryCorrelation out;
  for (auto& p : st->service_problems)
    if (!p.empty()) out.problems.push_back(std::move(p));
  for (auto& p : st->canary_problems)
    if (!p.empty()) out.problems.push_back(std::move(p));
  out.canaries = std::move(st->canaries);
  std::stable_sort(out.canaries.begin(), out.canaries.end(),
                   [](const CanaryHealth& a, const CanaryHealth& b) { return a.failing() && !b.failing(); });
  co_return out;
}

std::string render_canaries(const CanaryCorrelation& c, std::string_view scope) {
  if (c.canaries.empty() && c.problems.empty()) return {};
  std::size_t failing = 0;
  for (const auto& h : c.canaries) failing += h.failing() ? 1 : 0;
  std::string out = "\nSynthetics canaries exercising " + std::string(scope) + ": " + std::to_string(c.canaries.size()) +
                    " (" + std::to_string(failing) + " failing)\n";
  auto services = [](const CanaryHealth& h) {
    std::string s;
    for (const auto& n : h.services) s += (s.empty() ? "" : ", ") + n;
    return s;
  };
  for (const auto& h : c.canaries) {
    out += h.failing() ? "- FAILING " : "- healthy ";
    out += h.name + " (depends on " + services(h) + "): ";
    if (h.runs == 0) {
      out += "no recent runs\n";
      continue;
    }
    out += std::to_string(h.passed) + "/" + std::to_string(h.runs) + " recent runs passed";
    if (h.failing() && !h.last_failure.empty()) out += "; last failure: " + h.last_failure;
    out += "\n";
  }
  if (!c.problems.empty()) {
    out += "Canary correlation incomplete:\n";
    for (const auto& p : c.problems) out += "- " + p + "\n";
  }
  for (const auto& h : c.canaries)
    if (h.failing()) {
      out += "Next: analyze_canary_failures(canary_name=\"" + h.name +
             "\") explains a failing canary (runs, artifacts, logs, permissions).\n";
      break;
    }
  return out;
}

}  // namespace appsignals::tools::audit

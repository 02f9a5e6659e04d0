// find_deployment: deployment events of the service-events logs collapsed per commit SHA, newest
// first, with the time since each deployment. get_service_health_overview: inventory, failing
// functions, incidents and the error patterns before and after the latest deployment.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "tools/common/json_access.h"
#include "tools/service_events/deployments.h"
#include "tools/service_events/scope_args.h"
#include "tools/service_events/se_common.h"
#include "tools/service_events/service_events_tools.h"

namespace appsignals::tools::service_events {
namespace asio = boost::asio;

std::vector<Deployment> collapse_deployments(const json::array& events, std::int64_t now) {
  std::map<std::string, Deployment> by_sha;
  for (const auto& e_v : events) {
    const auto& e = jv::as_obj(e_v);
    std::string sha = attr(e, "attributes", "aws.service_events.deployment.git_commit_sha");
    if (sha.empty()) continue;
    Deployment& d = by_sha[sha];
    d.sha = sha;
    d.service = attr(e, "resource", "service.name");
    d.environment = attr(e, "resource", "deployment.environment.name");
    d.repo = attr(e, "attributes", "aws.service_events.deployment.git_repo_url");
    d.url = attr(e, "attributes", "aws.service_events.deployment.url");
    std::string at = attr(e, "attributes", "aws.service_events.deployment.timestamp");
    if (auto t = parse_iso(at)) {
      if (d.deployed_at == 0 || *t < d.deployed_at) d.deployed_at = *t;
    }
    d.triggers.insert(attr(e, "attributes", "aws.service_events.deployment.trigger"));
    ++d.events;
  }
  std::vector<Deployment> out;
  for (auto& [k, d] : by_sha) {
    d.hours_since = d.deployed_at > 0 ? std::round(static_cast<double>(now - d.deployed_at) / 360.0) / 10.0 : -1;
    out.push_back(std::move(d));
  }
  std::sort(out.begin(), out.end(), [](const Deployment& a, const Deployment& b) { return a.deployed_at > b.deployed_at; });
  return out;
}

json::object deployment_json(const Deployment& d) {
  json::object o;
  o["git_commit_sha"] = d.sha;
  o["service"] = d.service;
  if (!d.environment.empty()) o["environment"] = d.environment;
  if (d.deployed_at > 0) o["deployed_at"] = iso(d.deployed_at);
  o["hours_since_deployment"] = d.hours_since;
  if (!d.repo.empty()) o["git_repo_url"] = d.repo;
  if (!d.url.empty()) o["deployment_url"] = d.url;
  json::array triggers;
  for (const auto& t : d.triggers)
    if (!t.empty()) triggers.push_back(json::string(t));
  o["triggers"] = std::move(triggers);
  o["events"] = d.events;
  return o;
}

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  const std::int64_t hours = call.args.integer("hours", 168);
  const std::string wanted = lower(call.args.str("git_commit_sha"));
  const std::string environment = call.args.str("environment");
  auto clients_r = call.aws();
  if (!clients_r) co_return aws_failure(clients_r.error(), aws::ops::kStartQuery);
  auto clients = *clients_r;
  auto groups_r = co_await event_groups(clients, call.args.str("service_name"));
  if (auto* f = std::get_if<Failure>(&groups_r)) co_return aws_failure(f->error, f->op);
  auto groups = std::get<std::vector<std::string>>(std::move(groups_r));
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(call.now().time_since_epoch()).count();
  std::string event = "aws.service_events.deployment_event";
  std::string filter;
  auto found = co_await query_events(clients, groups, event, now - hours * 3600, now, 1000, filter);
  if (auto* f = std::get_if<Failure>(&found)) co_return aws_failure(f->error, f->op);
  auto all = collapse_deployments(std::get<json::array>(found), now);
  json::array list;
  std::vector<std::string> known;
  for (const auto& d : all) {
    known.push_back(d.sha.substr(0, 12));
    if (!environment.empty() && d.environment != environment) continue;
    if (!wanted.empty() && d.sha.rfind(wanted, 0) != 0) continue;
    list.push_back(deployment_json(d));
  }
  json::object out;
  out["data_source"] = "service_events";
  out["time_range_hours"] = hours;
  if (!wanted.empty()) out["git_commit_sha"] = wanted;
  out["total_deployments"] = static_cast<std::int64_t>(list.size());
  out["deployments"] = std::move(list);
  if (out["total_deployments"].as_int64() == 0) {
    std::string msg = "No deployment events";
    if (!wanted.empty()) msg += " for a commit starting with " + wanted;
    msg += " in the last " + std::to_string(hours) + " hours of " + std::to_string(groups.size()) +
           " service-events log group(s).";
    if (!wanted.empty() && !known.empty()) {
      msg += " Commits deployed in the window:";
      for (const auto& k : known) msg += " " + k;
      msg += ".";
    }
    out["message"] = msg;
  }
  co_return mcp::ToolResult::structured(std::move(out));
}

json::object output_schema() {
  json::object props;
  props["data_source"] = prop("string", "service_events");
  props["time_range_hours"] = prop("integer", "The window searched");
  props["git_commit_sha"] = prop("string", "The commit (prefix) asked for");
  props["total_deployments"] = prop("integer", "Deployments listed");
  json::object d = prop("array",
                        "Newest first, one per commit: git_commit_sha, service, environment, deployed_at, "
                        "hours_since_deployment, git_repo_url, deployment_url, triggers (startup/periodic/shutdown), events");
  d["items"] = json::object{{"type", "object"}};
  props["deployments"] = std::move(d);
  props["message"] = prop("string", "Why the list is empty");
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  schema["required"] = json::array{"data_source", "deployments"};
  return schema;
}

}  // namespace

ToolEntry find_deployment_tool() {
  ToolSpec spec;
  spec.name = "find_deployment";
  spec.title = "Find deployments";
  spec.description =
      "Deployments recorded by Application Signals service events (CloudWatch Logs), one entry per commit SHA, "
      "newest first: when it was deployed, hours since, the repository and the deployment link. Give "
      "git_commit_sha (full or a prefix) to find one commit. Use hours_since_deployment as the `hours` of "
      "get_recent_incidents to look only after a deployment.";
  spec.args = {
      arg::string("git_commit_sha", "Commit SHA or prefix to look for (at least a few characters).").eg("\"8c1f4e2a\""),
      arg::hours("hours", "Window in hours before now.", 168, 1, 720),
      service_name_arg(),
      environment_arg(),
  };
  spec.ops = {aws::ops::kDescribeLogGroups, aws::ops::kStartQuery, aws::ops::kGetQueryResults, aws::ops::kStopQuery};
  spec.output_schema = output_schema();
  spec.narrow_hint = "name the service or the commit";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::service_events

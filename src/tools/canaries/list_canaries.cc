// list_canaries: DescribeCanaries (every page, to count them), then the latest run of each
// listed canary (GetCanaryRuns, MaxResults 1, at most 8 at a time). DescribeCanaries carries no
// run results, so the last run is what tells a passing canary from a failing one.
#include "tools/canaries/list_canaries.h"

#include <cmath>
#include <vector>

#include "tools/common/args.h"
#include "tools/common/fanout.h"
#include "tools/common/time_args.h"
#include "tools/common/tool_errors.h"
#include "tools/toolsets.h"

namespace appsignals::tools {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr int kMaxPages = 50;
constexpr std::size_t kFanout = 8;

struct LastRun {
  bool fetched = false;
  std::optional<json::object> run;  // absent: the canary has not run yet
  std::optional<Error> error;
};

std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

const json::object* obj(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

std::optional<TimePoint> time_of(const json::object* o, std::string_view key) {
  if (!o) return std::nullopt;
  const auto* v = o->if_contains(key);
  if (!v) return std::nullopt;
  double secs = 0;
  if (v->is_double()) secs = v->get_double();
  else if (v->is_int64()) secs = static_cast<double>(v->get_int64());
  else if (v->is_uint64()) secs = static_cast<double>(v->get_uint64());
  else if (v->is_string()) {
    auto t = parse_time(v->get_string(), key);
    if (!t) return std::nullopt;
    return *t;
  } else {
    return std::nullopt;
  }
  return TimePoint(std::chrono::seconds(static_cast<std::int64_t>(std::floor(secs))));
}

json::object describe_input(const std::string& next_token) {
  json::object in;
  in["MaxResults"] = 20;
  if (!next_token.empty()) in["NextToken"] = next_token;
  return in;
}

json::object runs_input(const std::string& name) {
  json::object in;
  in["Name"] = name;
  in["MaxResults"] = 1;
  return in;
}

asio::awaitable<void> fetch_last_run(std::shared_ptr<const aws::AwsClients> clients, std::string name,
                                     std::shared_ptr<std::vector<LastRun>> out, std::size_t index) {
  std::string op = "GetCanaryRuns";
  json::object input = runs_input(name);
  auto r = co_await clients->synthetics.call(op, input);
  LastRun& slot = (*out)[index];
  slot.fetched = true;
  if (!r) {
    slot.error = r.error();
    co_return;
  }
  if (r->is_object())
    if (const auto* runs = r->get_object().if_contains("CanaryRuns"); runs && runs->is_array())
      if (!runs->get_array().empty() && runs->get_array().front().is_object())
        slot.run = runs->get_array().front().get_object();
}

enum class Health { kPassing, kFailing, kNotRunning, kUnknown };

Health health_of(const json::object& canary, const LastRun& last) {
  const auto* status = obj(canary, "Status");
  std::string state = status ? str(*status, "State") : "";
  std::string run_state;
  if (last.run)
    if (const auto* rs = obj(*last.run, "Status")) run_state = str(*rs, "State");
  if (state == "ERROR" || run_state == "FAILED") return Health::kFailing;
  if (state != "RUNNING") return Health::kNotRunning;
  if (run_state == "PASSED") return Health::kPassing;
  return Health::kUnknown;
}

std::string_view icon(Health h) {
  switch (h) {
    case Health::kPassing: return "🟢";
    case Health::kFailing: return "🔴";
    case Health::kNotRunning: return "🟠";
    case Health::kUnknown: break;
  }
  return "⚪";
}

std::string describe_last_run(const LastRun& last) {
  if (last.error) return "unknown (" + last.error->message + ")";
  if (!last.fetched) return "unknown";
  if (!last.run) return "none yet";
  const auto& run = *last.run;
  const auto* status = obj(run, "Status");
  std::string state = status ? str(*status, "State") : "";
  std::string text = state.empty() ? "unknown state" : state;
  const auto* timeline = obj(run, "Timeline");
  auto started = time_of(timeline, "Started");
  auto completed = time_of(timeline, "Completed");
  if (started) text += ", started " + format_utc(*started);
  if (started && completed && *completed >= *started)
    text += ", took " + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(*completed - *started).count()) +
            " s";
  if (status)
    if (auto reason = str(*status, "StateReason"); !reason.empty()) text += ": " + reason;
  return text;
}

std::string render(const std::vector<json::object>& canaries, const std::vector<LastRun>& last, std::size_t shown,
                   const std::string& region, bool more_pages) {
  std::string out;
  const std::size_t total = canaries.size();
  if (total == 0) {
    return "No CloudWatch Synthetics canaries in " + region +
           ". Create one (Synthetics > Canaries) to monitor an endpoint or user flow from outside, or check the "
           "region.\n";
  }
  std::size_t passed = 0, failed = 0, other = 0;
  std::vector<std::string> failing;
  std::string body;
  std::size_t denied = 0;
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& c = canaries[i];
    std::string name = str(c, "Name");
    Health h = health_of(c, last[i]);
    if (h == Health::kFailing) {
      ++failed;
      failing.push_back(name);
    } else if (h == Health::kPassing) {
      ++passed;
    } else {
      ++other;
    }
    if (last[i].error && last[i].error->code == ErrorCode::kPermissionDenied) ++denied;
    body += std::string(icon(h)) + " " + name + "\n";
    const auto* status = obj(c, "Status");
    std::string state = status ? str(*status, "State") : "";
    std::string reason = status ? str(*status, "StateReason") : "";
    std::string code = status ? str(*status, "StateReasonCode") : "";
    body += "   State: " + (state.empty() ? std::string("unknown") : state);
    if (!reason.empty()) body += " (" + reason + (code.empty() ? "" : ", " + code) + ")";
    else if (!code.empty()) body += " (" + code + ")";
    body += "\n";
    if (const auto* sched = obj(c, "Schedule"))
      if (auto e = str(*sched, "Expression"); !e.empty()) body += "   Schedule: " + e + "\n";
    if (auto rt = str(c, "RuntimeVersion"); !rt.empty()) body += "   Runtime: " + rt + "\n";
    body += "   Last run: " + describe_last_run(last[i]) + "\n";
    if (auto started = time_of(obj(c, "Timeline"), "LastStarted"))
      body += "   Canary last started: " + format_utc(*started) + "\n";
  }
  out += "Found " + std::to_string(total) + (more_pages ? "+" : "") + " canar" + (total == 1 ? "y" : "ies") +
         " in " + region;
  if (shown < total) out += " (showing the first " + std::to_string(shown) + ")";
  out += ". Last runs: " + std::to_string(passed) + " passed, " + std::to_string(failed) + " failing";
  if (other) out += ", " + std::to_string(other) + " not running or unknown";
  out += ".\n\n" + body;
  if (shown < total)
    out += "\n" + std::to_string(total - shown) + " more canar" + (total - shown == 1 ? "y is" : "ies are") +
           " not shown: call list_canaries with a larger max_results (up to 200).\n";
  if (more_pages) out += "\nThe count stops after " + std::to_string(kMaxPages) + " pages; there are more canaries.\n";
  if (denied)
    out += "\nThe last run of " + std::to_string(denied) +
           " canar" + (denied == 1 ? "y" : "ies") +
           " could not be read: grant synthetics:GetCanaryRuns to the server's role to see pass/fail.\n";
  if (!failing.empty()) {
    out += "\nFailing: ";
    for (std::size_t i = 0; i < failing.size(); ++i) out += (i ? ", " : "") + failing[i];
    out += ".\nNext step: analyze_canary_failures(canary_name=\"" + failing.front() +
           "\") explains a failure: the failure streak, artifacts (HAR, screenshots, logs), telemetry and likely "
           "causes.\n";
  } else {
    out += "\nNo canary failed its last run.\n";
  }
  return out;
}

asio::awaitable<mcp::ToolResult> list_canaries(std::shared_ptr<const ToolEnv> env, mcp::RequestContext&,
                                               json::object args) {
  auto max_r = clamped_int_arg(args, "max_results", 20, 1, 200);
  if (!max_r) co_return argument_failure(max_r.error());
  auto region_r = string_arg(args, "region");
  if (!region_r) co_return argument_failure(region_r.error());
  std::string region = region_r->value_or("");
  if (region.empty()) region = env->default_region();
  auto clients_r = env->clients(args);
  if (!clients_r) co_return aws_failure(clients_r.error(), "synthetics:DescribeCanaries");
  std::shared_ptr<const aws::AwsClients> clients = *clients_r;

  std::vector<json::object> canaries;
  std::string next_token;
  bool more_pages = false;
  for (int page = 0; page < kMaxPages; ++page) {
    std::string op = "DescribeCanaries";
    json::object input = describe_input(next_token);
    auto r = co_await clients->synthetics.call(op, input);
    if (!r) co_return aws_failure(r.error(), "synthetics:DescribeCanaries");
    next_token.clear();
    if (r->is_object()) {
      const auto& o = r->get_object();
      if (const auto* list = o.if_contains("Canaries"); list && list->is_array())
        for (const auto& c : list->get_array())
          if (c.is_object()) canaries.push_back(c.get_object());
      next_token = str(o, "NextToken");
    }
    if (next_token.empty()) break;
    if (page + 1 == kMaxPages) more_pages = true;
  }

  const std::size_t shown = std::min(canaries.size(), static_cast<std::size_t>(*max_r));
  auto names = std::make_shared<std::vector<std::string>>();
  for (std::size_t i = 0; i < shown; ++i) names->push_back(str(canaries[i], "Name"));
  auto last = std::make_shared<std::vector<LastRun>>(shown);
  FanoutWork work = [clients, names, last](std::size_t i) { return fetch_last_run(clients, (*names)[i], last, i); };
  co_await for_each_bounded(shown, kFanout, work);
  co_return mcp::ToolResult::text(render(canaries, *last, shown, region, more_pages));
}

}  // namespace

mcp::ToolDef make_list_canaries_tool(std::shared_ptr<const ToolEnv> env) {
  mcp::ToolDef def;
  def.name = "list_canaries";
  def.title = "List Synthetics canaries";
  def.description =
      "List the CloudWatch Synthetics canaries (scripted probes of endpoints and user flows) with a status icon "
      "(🟢 last run passed, 🔴 failing, 🟠 not running, ⚪ unknown), state and reason, schedule, runtime version "
      "and the last run (result, time, duration, failure reason). Use it to see which synthetic checks fail, "
      "for example while investigating an incident that users would notice, and then call "
      "analyze_canary_failures with a failing canary's name for the root cause.";
  json::object props;
  props["max_results"] = json::object{
      {"type", json::array{"integer", "string"}},
      {"description", "How many canaries to show (1-200, clamped; default 20). All are counted."}};
  props["region"] = json::object{{"type", "string"}, {"description", "AWS region (default: the server's region)."}};
  def.input_schema = json::object{{"type", "object"}, {"properties", std::move(props)}};
  def.annotations = read_only_annotations(def.title);
  def.handler = [env](mcp::RequestContext& ctx, json::object args) { return list_canaries(env, ctx, std::move(args)); };
  return def;
}

}  // namespace appsignals::tools

// list_canaries: DescribeCanaries (every page, to count them), then the latest run of each
// canary (GetCanaryRuns, MaxResults 1, at most 8 at a time, at most kMaxRunReads canaries).
// DescribeCanaries carries no run results, so the last run is what tells a passing canary from
// a failing one; that is why every canary's run is read, not only the shown ones: the summary
// counts the whole account.
#include "tools/canaries/list_canaries.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "tools/common/fanout.h"
#include "tools/common/json_access.h"
#include "tools/common/time_args.h"

namespace appsignals::tools::canaries {
namespace {

namespace asio = boost::asio;

constexpr int kMaxPages = 50;             // DescribeCanaries pages of 20: up to 1000 canaries
constexpr std::size_t kMaxRunReads = 500; // canaries whose last run is read
constexpr std::size_t kFanout = 8;
constexpr std::size_t kMaxFailingNames = 20;

struct LastRun {
  bool fetched = false;
  std::optional<json::object> run;  // absent: the canary has not run yet
  std::optional<Error> error;
};

std::optional<TimePoint> time_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_string()) {
    auto t = parse_time(v->get_string(), key);
    if (!t) return std::nullopt;
    return *t;
  }
  auto secs = jv::num(o, key);
  if (!secs) return std::nullopt;
  return TimePoint(std::chrono::seconds(static_cast<std::int64_t>(std::floor(*secs))));
}

json::object describe_input() {
  json::object in;
  in["MaxResults"] = 20;
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
  json::object input = runs_input(name);
  auto r = co_await clients->synthetics.call(aws::ops::kGetCanaryRuns, input);
  LastRun& slot = (*out)[index];
  slot.fetched = true;
  if (!r) {
    slot.error = r.error();
    co_return;
  }
  const auto& runs = jv::arr(jv::as_obj(*r), "CanaryRuns");
  if (!runs.empty() && runs.front().is_object()) slot.run = runs.front().get_object();
}

enum class Health { kFailing, kUnknown, kNotRunning, kPassing };  // display order

Health health_of(const json::object& canary, const LastRun& last) {
  std::string_view state = jv::view(jv::obj(canary, "Status"), "State");
  std::string_view run_state = last.run ? jv::view(jv::obj(*last.run, "Status"), "State") : std::string_view();
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
  if (!last.fetched) return "not read (only the first " + std::to_string(kMaxRunReads) + " canaries' runs are read)";
  if (!last.run) return "none yet";
  const auto& run = *last.run;
  const auto& status = jv::obj(run, "Status");
  std::string state = jv::str(status, "State");
  std::string text = state.empty() ? "unknown state" : state;
  const auto& timeline = jv::obj(run, "Timeline");
  auto started = time_of(timeline, "Started");
  auto completed = time_of(timeline, "Completed");
  if (started) text += ", started " + format_utc(*started);
  if (started && completed && *completed >= *started)
    text += ", took " + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(*completed - *started).count()) +
            " s";
  if (auto reason = jv::str(status, "StateReason"); !reason.empty()) text += ": " + reason;
  return text;
}

std::string canary_block(const json::object& c, Health h, const LastRun& last) {
  std::string body = std::string(icon(h)) + " " + jv::str(c, "Name") + "\n";
  const auto& status = jv::obj(c, "Status");
  std::string state = jv::str(status, "State");
  std::string reason = jv::str(status, "StateReason");
  std::string code = jv::str(status, "StateReasonCode");
  body += "   State: " + (state.empty() ? std::string("unknown") : state);
  if (!reason.empty()) body += " (" + reason + (code.empty() ? "" : ", " + code) + ")";
  else if (!code.empty()) body += " (" + code + ")";
  body += "\n";
  if (auto e = jv::str(jv::obj(c, "Schedule"), "Expression"); !e.empty()) body += "   Schedule: " + e + "\n";
  if (auto rt = jv::str(c, "RuntimeVersion"); !rt.empty()) body += "   Runtime: " + rt + "\n";
  body += "   Last run: " + describe_last_run(last) + "\n";
  if (auto started = time_of(jv::obj(c, "Timeline"), "LastStarted"))
    body += "   Canary last started: " + format_utc(*started) + "\n";
  return body;
}

std::string plural_canaries(std::size_t n) { return std::to_string(n) + (n == 1 ? " canary" : " canaries"); }

std::string render(const std::vector<json::object>& canaries, const std::vector<LastRun>& last, std::size_t max_shown,
                   const std::string& region, bool more_pages) {
  const std::size_t total = canaries.size();
  if (total == 0)
    return "No CloudWatch Synthetics canaries in " + region +
           ". Create one (Synthetics > Canaries) to monitor an endpoint or user flow from outside, or check the "
           "region.\n";

  // Every canary is classified and counted; the shown ones are the first max_shown in display
  // order (failing, unknown, not running, passing; DescribeCanaries order within each).
  std::vector<Health> health(total);
  std::size_t passed = 0, failed = 0, other = 0, denied = 0;
  std::vector<std::string> failing;
  for (std::size_t i = 0; i < total; ++i) {
    health[i] = health_of(canaries[i], last[i]);
    if (health[i] == Health::kFailing) {
      ++failed;
      failing.push_back(jv::str(canaries[i], "Name"));
    } else if (health[i] == Health::kPassing) {
      ++passed;
    } else {
      ++other;
    }
    if (last[i].error && last[i].error->code == ErrorCode::kPermissionDenied) ++denied;
  }
  std::vector<std::size_t> order(total);
  for (std::size_t i = 0; i < total; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return health[a] < health[b]; });
  const std::size_t shown = std::min(total, max_shown);

  std::string out = "Found " + std::to_string(total) + (more_pages ? "+" : "") +
                    (total == 1 ? " canary" : " canaries") + " in " + region + ". Last runs: " +
                    std::to_string(passed) + " passed, " + std::to_string(failed) + " failing";
  if (other) out += ", " + std::to_string(other) + " not running or unknown";
  out += ".\n";
  if (shown < total)
    out += "Showing " + std::to_string(shown) + " of " + std::to_string(total) + " (failing first); " +
           std::to_string(total - shown) + " not shown.\n";
  out += "\n";
  for (std::size_t k = 0; k < shown; ++k) out += canary_block(canaries[order[k]], health[order[k]], last[order[k]]);

  if (shown < total)
    out += "\n" + plural_canaries(total - shown) + (total - shown == 1 ? " is" : " are") +
           " not shown: call list_canaries with max_results=" + std::to_string(std::min<std::size_t>(total, 200)) +
           " to see " + (total <= 200 ? "all" : "more") + ".\n";
  if (more_pages) out += "\nThe count stops after " + std::to_string(kMaxPages) + " pages; there are more canaries.\n";
  if (total > kMaxRunReads)
    out += "\nOnly the first " + std::to_string(kMaxRunReads) +
           " canaries' last runs were read; the others are counted by their state alone.\n";
  if (denied)
    out += "\nThe last run of " + plural_canaries(denied) + " could not be read: grant " +
           std::string(aws::ops::kGetCanaryRuns.iam_action) + " to the server's role to see pass/fail.\n";
  if (!failing.empty()) {
    out += "\nFailing (" + std::to_string(failing.size()) + "): ";
    for (std::size_t i = 0; i < failing.size() && i < kMaxFailingNames; ++i) out += (i ? ", " : "") + failing[i];
    if (failing.size() > kMaxFailingNames) out += " and " + std::to_string(failing.size() - kMaxFailingNames) + " more";
    out += ".\nNext step: analyze_canary_failures(canary_name=\"" + failing.front() +
           "\") finds one failing canary's root cause: the failure streak, artifacts (HAR, screenshots, logs), "
           "telemetry and likely causes.\n";
  } else {
    out += "\nNo canary failed its last run.\n";
  }
  return out;
}

asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  std::string region = call.args.str("region");
  if (region.empty()) region = call.default_region();
  auto clients_r = call.aws();
  if (!clients_r) co_return aws_failure(clients_r.error(), aws::ops::kDescribeCanaries);
  std::shared_ptr<const aws::AwsClients> clients = *clients_r;

  json::object input = describe_input();
  int max_pages = kMaxPages;
  auto page = co_await clients->synthetics.paginate(aws::ops::kDescribeCanaries, input, max_pages);
  if (!page) co_return aws_failure(page.error(), aws::ops::kDescribeCanaries);
  std::vector<json::object> canaries;
  for (auto& c : page->items)
    if (c.is_object()) canaries.push_back(std::move(c.get_object()));
  const bool more_pages = !page->next_token.empty();

  const std::size_t reads = std::min(canaries.size(), kMaxRunReads);
  auto names = std::make_shared<std::vector<std::string>>();
  for (std::size_t i = 0; i < reads; ++i) names->push_back(jv::str(canaries[i], "Name"));
  auto last = std::make_shared<std::vector<LastRun>>(canaries.size());
  FanoutWork work = [clients, names, last](std::size_t i) { return fetch_last_run(clients, (*names)[i], last, i); };
  co_await for_each_bounded(reads, kFanout, work);
  auto max_shown = static_cast<std::size_t>(call.args.integer("max_results", 20));
  co_return mcp::ToolResult::text(render(canaries, *last, max_shown, region, more_pages));
}

}  // namespace

ToolEntry list_canaries_tool() {
  ToolSpec spec;
  spec.name = "list_canaries";
  spec.title = "List Synthetics canaries";
  spec.description =
      "Overview of the account's CloudWatch Synthetics canaries (scripted probes of endpoints and user flows): "
      "how many there are and how many pass or fail, then each canary with a status icon (🔴 failing, ⚪ unknown, "
      "🟠 not running, 🟢 last run passed), state and reason, schedule, runtime version and its last run (result, "
      "time, duration, failure reason). Every canary in the region is counted; max_results only limits how many "
      "are listed, failing ones first. Use it first to see which synthetic checks fail (for example during an "
      "incident users would notice); then call analyze_canary_failures with one failing canary's name for its "
      "root cause.";
  spec.args = {
      arg::integer("max_results", "How many canaries to list (1-200; failing ones first). All are counted.", 20, 1,
                   200),
      arg::region(),
  };
  spec.ops = {aws::ops::kDescribeCanaries, aws::ops::kGetCanaryRuns};
  spec.narrow_hint = "call list_canaries with a smaller max_results, or analyze_canary_failures for one canary";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::canaries

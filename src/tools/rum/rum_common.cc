#include "tools/rum/rum_common.h"

#include <cmath>
#include <cstdlib>
#include <map>
#include <mutex>

#include "tools/common/fanout.h"
#include "tools/common/json_access.h"
#include "tools/common/logs_query.h"
#include "tools/common/tool_errors.h"

namespace appsignals::tools::rum {

namespace {

struct CacheEntry {
  std::chrono::steady_clock::time_point fetched;
  MonitorInfo info;
};

std::mutex& cache_mutex() {
  static std::mutex mu;
  return mu;
}
std::map<std::string, CacheEntry>& cache() {
  static std::map<std::string, CacheEntry> c;
  return c;
}

}  // namespace

std::optional<MonitorInfo> cached_monitor(const std::string& key) {
  std::lock_guard lock(cache_mutex());
  auto it = cache().find(key);
  if (it == cache().end()) return std::nullopt;
  if (std::chrono::steady_clock::now() - it->second.fetched > kMonitorCacheTtl) {
    cache().erase(it);
    return std::nullopt;
  }
  return it->second.info;
}

void remember_monitor(const std::string& key, const MonitorInfo& info) {
  // The cache outlives the call and is read by calls on other threads: its copy of the
  // AppMonitor lives in the default resource, never in the answer's arena (aws_client.h,
  // response_arena), which is not thread-safe and would be kept alive by the entry.
  // Assignment, not copy construction: a default-constructed MonitorInfo's JSON members use the
  // default resource and copy assignment copies into them (copy construction would share).
  MonitorInfo kept;
  kept = info;
  std::lock_guard lock(cache_mutex());
  auto& c = cache();
  if (c.size() >= kMonitorCacheSize && !c.contains(key)) {
    auto oldest = c.begin();
    for (auto it = c.begin(); it != c.end(); ++it)
      if (it->second.fetched < oldest->second.fetched) oldest = it;
    c.erase(oldest);
  }
  // Moved in (construction keeps the resource): `kept` is what must not share the arena.
  c.insert_or_assign(key, CacheEntry{std::chrono::steady_clock::now(), std::move(kept)});
}

namespace {

json::object name_input(const std::string& name) {
  json::object in;
  in["Name"] = name;
  return in;
}

json::object start_input(const std::string& group, const std::string& query, std::int64_t start, std::int64_t end,
                         std::int64_t limit) {
  json::object in;
  in["logGroupName"] = group;
  in["queryString"] = query;
  in["startTime"] = start;
  in["endTime"] = end;
  in["limit"] = std::clamp<std::int64_t>(limit, 1, 10000);
  return in;
}

struct Batch {
  std::shared_ptr<const aws::AwsClients> clients;
  std::shared_ptr<const RumOptions> options;
  std::string group;
  std::vector<std::string> queries;
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::vector<QueryRun> runs;
};

boost::asio::awaitable<void> run_one(std::shared_ptr<Batch> b, std::size_t i) {
  std::string q = b->queries[i];
  b->runs[i] = co_await run_query(b->clients, b->options, b->group, q, b->start, b->end, 1000);
}

}  // namespace

MonitorInfo monitor_info(const json::object& m) {
  MonitorInfo info;
  info.name = jv::str(m, "Name");
  info.id = jv::str(m, "Id");
  info.raw_platform = jv::str(m, "Platform");
  if (info.raw_platform == "Web") info.platform = "web";
  else if (info.raw_platform == "Android" || info.raw_platform == "iOS") info.platform = "mobile";
  const auto& cw = jv::obj(jv::obj(m, "DataStorage"), "CwLog");
  info.logs_enabled = jv::boolean(cw, "CwLogEnabled");
  info.log_group = jv::str(cw, "CwLogGroup");
  info.app_monitor = m;
  return info;
}

void clear_monitor_cache() {
  std::lock_guard lock(cache_mutex());
  cache().clear();
}

boost::asio::awaitable<MonitorLookup> lookup_monitor(std::shared_ptr<const aws::AwsClients> clients,
                                                     std::string region, std::string name) {
  MonitorLookup out;
  const std::string key = region + "|" + name;
  if (auto hit = cached_monitor(key)) {
    out.monitor = std::move(*hit);
    co_return out;
  }
  json::object input = name_input(name);
  auto r = co_await clients->rum.call(aws::ops::kGetAppMonitor, input);
  if (!r) {
    if (r.error().code == ErrorCode::kNotFound) {
      out.failure = argument_failure("app monitor '" + name +
                                     "' was not found in this region; action='list_monitors' lists the app monitors");
    } else {
      out.failure = aws_failure(r.error(), aws::ops::kGetAppMonitor);
    }
    co_return out;
  }
  MonitorInfo info = monitor_info(jv::obj(jv::as_obj(*r), "AppMonitor"));
  remember_monitor(key, info);
  out.monitor = std::move(info);
  co_return out;
}

std::string escape(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 8);
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out;
}

std::string and_equals(std::string_view field, std::string_view value) {
  if (value.empty()) return {};
  return " and " + std::string(field) + " = \"" + escape(value) + "\"";
}

bool valid_bucket(std::string_view b) {
  std::size_t i = 0;
  while (i < b.size() && std::isdigit(static_cast<unsigned char>(b[i]))) ++i;
  if (i == 0 || i > 6) return false;
  auto unit = b.substr(i);
  if (unit != "ms" && unit != "s" && unit != "m" && unit != "h" && unit != "d") return false;
  return std::strtoll(std::string(b.substr(0, i)).c_str(), nullptr, 10) > 0;
}

boost::asio::awaitable<QueryRun> run_query(std::shared_ptr<const aws::AwsClients> clients,
                                           std::shared_ptr<const RumOptions> options, std::string log_group,
                                           std::string query, std::int64_t start, std::int64_t end,
                                           std::int64_t limit) {
  QueryRun run;
  run.query = query;
  json::object input = start_input(log_group, query, start, end, limit);
  auto timeout = options->query_timeout;
  auto outcome = co_await run_logs_query(clients, input, timeout);
  run.query_id = outcome.query_id;
  if (outcome.error) {
    run.status = "Failed";
    run.failure = aws_failure(*outcome.error, outcome.failed_op);
    co_return run;
  }
  if (outcome.timed_out) {
    run.status = "Timeout";
    co_return run;
  }
  run.status = jv::str(jv::as_obj(outcome.response), "status");
  run.rows = logs_query_rows(outcome.response);
  co_return run;
}

boost::asio::awaitable<std::vector<QueryRun>> run_queries(std::shared_ptr<const aws::AwsClients> clients,
                                                          std::shared_ptr<const RumOptions> options,
                                                          std::string log_group, std::vector<std::string> queries,
                                                          std::int64_t start, std::int64_t end) {
  auto batch = std::make_shared<Batch>();
  batch->clients = std::move(clients);
  batch->options = options;
  batch->group = std::move(log_group);
  batch->queries = std::move(queries);
  batch->start = start;
  batch->end = end;
  batch->runs.resize(batch->queries.size());
  const std::size_t count = batch->queries.size();
  const std::size_t limit = options->max_parallel_queries;
  FanoutWork work = [batch](std::size_t i) { return run_one(batch, i); };
  co_await for_each_bounded(count, limit, work);
  co_return std::move(batch->runs);
}

json::object base_result(const RumCall& rc, std::string_view action) {
  json::object out;
  out["action"] = action;
  out["app_monitor"] = rc.monitor.name;
  out["platform"] = rc.monitor.platform.empty() ? "unknown" : rc.monitor.platform;
  json::object range;
  range["start"] = format_iso(TimePoint(std::chrono::seconds(rc.start)));
  range["end"] = format_iso(TimePoint(std::chrono::seconds(rc.end)));
  out["time_range"] = std::move(range);
  return out;
}

std::optional<mcp::ToolResult> query_problem(const QueryRun& run) {
  if (run.failure) return *run.failure;
  if (run.status == "Timeout")
    return argument_failure("the Logs Insights query did not finish in time and was stopped (StopQuery, query id " +
                            run.query_id + "); narrow start_time/end_time or add page_url");
  if (run.status != "Complete")
    return argument_failure("the Logs Insights query ended with status " + run.status + " (query id " +
                            run.query_id + ")");
  return std::nullopt;
}

double number(const json::object& row, std::string_view field, double fallback) {
  auto s = jv::view(row, field);
  if (s.empty()) return fallback;
  char* end = nullptr;
  std::string text(s);
  double v = std::strtod(text.c_str(), &end);
  return end == text.c_str() ? fallback : v;
}

json::value num_value(double v, int digits) {
  double r = round_to(v, digits);
  if (std::floor(r) == r && std::fabs(r) < 1e15) return json::value(static_cast<std::int64_t>(r));
  return json::value(r);
}

double round_to(double v, int digits) {
  double f = std::pow(10.0, digits);
  return std::round(v * f) / f;
}

}  // namespace appsignals::tools::rum

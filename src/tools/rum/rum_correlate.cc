// query_rum_events action=correlate: a page's slowest X-Ray-traced requests (the RUM
// xray_trace_event records, 5 times oversampled so duplicates still leave max_traces ids), their
// traces (BatchGetTraces, batches of 5, at most kParallelBatches at a time) and a summary of the
// backend services in them: calls, duration, faults, errors, throttles and exception types.
#include <algorithm>
#include <map>
#include <set>

#include <boost/json/parse.hpp>

#include "tools/common/fanout.h"
#include "tools/common/json_access.h"
#include "tools/common/tool_errors.h"
#include "tools/rum/rum_actions.h"

namespace appsignals::tools::rum {

namespace {

constexpr std::size_t kBatchSize = 5;       // BatchGetTraces accepts at most 5 ids
constexpr std::size_t kParallelBatches = 4;

struct ServiceStats {
  std::int64_t calls = 0;
  double total_ms = 0;
  double max_ms = 0;
  std::int64_t faults = 0;
  std::int64_t errors = 0;
  std::int64_t throttles = 0;
  std::map<std::string, std::int64_t> exceptions;
};

struct Fetch {
  std::shared_ptr<const aws::AwsClients> clients;
  std::vector<std::vector<std::string>> batches;
  std::vector<json::array> traces;  // per batch
  std::optional<Error> error;
};

json::object batch_input(const std::vector<std::string>& ids) {
  json::array list;
  for (const auto& id : ids) list.push_back(json::value(id));
  json::object in;
  in["TraceIds"] = std::move(list);
  return in;
}

boost::asio::awaitable<void> fetch_batch(std::shared_ptr<Fetch> f, std::size_t i) {
  json::object input = batch_input(f->batches[i]);
  auto page = co_await f->clients->xray.paginate(aws::ops::kBatchGetTraces, input, 5);
  if (!page) {
    if (!f->error) f->error = page.error();
    co_return;
  }
  f->traces[i] = std::move(page->items);
}

void collect_exceptions(const json::object& seg, ServiceStats& s) {
  for (const auto& e : jv::arr(jv::obj(seg, "cause"), "exceptions")) {
    auto type = jv::str(jv::as_obj(e), "type");
    if (!type.empty()) ++s.exceptions[type];
  }
  for (const auto& sub : jv::arr(seg, "subsegments")) {
    const auto& o = jv::as_obj(sub);
    if (jv::boolean(o, "throttle")) ++s.throttles;
    collect_exceptions(o, s);
  }
}

void add_segment(const json::object& doc, std::map<std::string, ServiceStats>& services) {
  auto& s = services[jv::str(doc, "name")];
  ++s.calls;
  double ms = (jv::num(doc, "end_time").value_or(0) - jv::num(doc, "start_time").value_or(0)) * 1000.0;
  s.total_ms += ms;
  s.max_ms = std::max(s.max_ms, ms);
  if (jv::boolean(doc, "fault")) ++s.faults;
  if (jv::boolean(doc, "error")) ++s.errors;
  if (jv::boolean(doc, "throttle")) ++s.throttles;
  collect_exceptions(doc, s);
}

json::object correlate_result(const RumCall& rc, const std::vector<std::string>& ids,
                              const std::vector<json::array>& batches, std::size_t slow_requests) {
  std::map<std::string, ServiceStats> services;
  std::set<std::string> found;
  for (const auto& batch : batches)
    for (const auto& t : batch) {
      const auto& trace = jv::as_obj(t);
      found.insert(jv::str(trace, "Id"));
      for (const auto& seg : jv::arr(trace, "Segments")) {
        boost::system::error_code ec;
        auto doc = json::parse(jv::view(jv::as_obj(seg), "Document"), ec);
        if (!ec && doc.is_object()) add_segment(doc.as_object(), services);
      }
    }
  json::array list;
  for (const auto& [name, s] : services) {
    json::object o;
    o["service"] = name;
    o["calls"] = s.calls;
    o["avg_duration_ms"] = num_value(s.total_ms / static_cast<double>(std::max<std::int64_t>(1, s.calls)), 1);
    o["max_duration_ms"] = num_value(s.max_ms, 1);
    o["faults"] = s.faults;
    o["errors"] = s.errors;
    o["throttles"] = s.throttles;
    json::object ex;
    for (const auto& [type, n] : s.exceptions) ex[type] = n;
    if (!ex.empty()) o["exceptions"] = std::move(ex);
    list.push_back(std::move(o));
  }
  // Most faults first, then the slowest.
  std::stable_sort(list.begin(), list.end(), [](const json::value& a, const json::value& b) {
    const auto& x = a.as_object();
    const auto& y = b.as_object();
    if (jv::integer(x, "faults") != jv::integer(y, "faults")) return jv::integer(x, "faults") > jv::integer(y, "faults");
    return jv::num(x, "avg_duration_ms").value_or(0) > jv::num(y, "avg_duration_ms").value_or(0);
  });
  json::object out = base_result(rc, "correlate");
  out["page_url"] = rc.call.args.str("page_url");
  out["slow_requests_read"] = static_cast<std::int64_t>(slow_requests);
  json::array id_list;
  for (const auto& id : ids) id_list.push_back(json::value(id));
  out["trace_ids"] = std::move(id_list);
  out["traces_found"] = static_cast<std::int64_t>(found.size());
  out["backend_services"] = std::move(list);
  if (ids.empty())
    out["note"] = "no X-Ray traced requests from this page in the window (is X-Ray on for the monitor and the page "
                  "id exact? action='page_views' lists the page ids)";
  else if (found.size() < ids.size())
    out["note"] = std::to_string(ids.size() - found.size()) +
                  " trace(s) were not found in X-Ray (expired, or not sampled by the backend)";
  return out;
}

std::string traces_query(const std::string& page, std::int64_t limit) {
  return "filter event_type = \"com.amazon.rum.xray_trace_event\" and metadata.pageId = \"" + escape(page) +
         "\" and ispresent(event_details.trace_id) | sort event_details.duration desc | limit " + std::to_string(limit);
}

}  // namespace

Awaitable correlate(RumCall rc) {
  std::int64_t max_traces = rc.call.args.has("max_traces") ? rc.call.args.integer("max_traces") : 10;
  if (max_traces > 100) {
    rc.call.note("max_traces " + std::to_string(max_traces) + " is above 100: using 100");
    max_traces = 100;
  }
  std::string q = traces_query(rc.call.args.str("page_url"), max_traces * 5);
  const std::int64_t limit = max_traces * 5;
  auto run = co_await run_query(rc.clients, rc.options, rc.monitor.log_group, q, rc.start, rc.end, limit);
  if (auto p = query_problem(run)) co_return std::move(*p);
  std::vector<std::string> ids;
  for (const auto& r : run.rows) {
    std::string id = jv::str(jv::as_obj(r), "event_details.trace_id");
    if (id.empty() || std::find(ids.begin(), ids.end(), id) != ids.end()) continue;
    ids.push_back(id);
    if (static_cast<std::int64_t>(ids.size()) >= max_traces) break;
  }
  auto fetch = std::make_shared<Fetch>();
  fetch->clients = rc.clients;
  for (std::size_t i = 0; i < ids.size(); i += kBatchSize)
    fetch->batches.emplace_back(ids.begin() + static_cast<std::ptrdiff_t>(i),
                                ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), i + kBatchSize)));
  fetch->traces.resize(fetch->batches.size());
  FanoutWork work = [fetch](std::size_t i) { return fetch_batch(fetch, i); };
  const std::size_t count = fetch->batches.size();
  co_await for_each_bounded(count, kParallelBatches, work);
  if (fetch->error) co_return aws_failure(*fetch->error, aws::ops::kBatchGetTraces);
  co_return mcp::ToolResult::structured(correlate_result(rc, ids, fetch->traces, run.rows.size()));
}

}  // namespace appsignals::tools::rum

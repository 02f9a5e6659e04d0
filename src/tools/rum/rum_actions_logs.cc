// query_rum_events: the actions answered by Logs Insights queries over the monitor's log group.
// Queries stay within what Logs Insights and the fake's subset share (filter, stats with count,
// count_distinct, avg, min, max, pct and bin, sort, limit); combinations the language would
// compute with functions (coalesce, sums of conditions) are split into queries merged here.
#include <algorithm>
#include <map>

#include "tools/common/json_access.h"
#include "tools/common/tool_errors.h"
#include "tools/rum/rum_actions.h"
#include "tools/rum/rum_shape.h"

namespace appsignals::tools::rum {

namespace {

constexpr const char* kJsError = "com.amazon.rum.js_error_event";
constexpr const char* kHttp = "com.amazon.rum.http_event";
constexpr const char* kNavigation = "com.amazon.rum.performance_navigation_event";

std::string page_filter(const RumCall& rc) { return and_equals("metadata.pageId", rc.call.args.str("page_url")); }

std::string errors_condition() {
  return std::string("(event_type = \"") + kJsError + "\" or (event_type = \"" + kHttp +
         "\" and event_details.response.status >= 400))";
}

// ---- queries ----
std::string js_errors_query(const RumCall& rc, const std::string& group_field) {
  return std::string("filter event_type = \"") + kJsError + "\"" + page_filter(rc) +
         " | stats count(*) as error_count by event_details.type, event_details.message, metadata.pageId" +
         (group_field.empty() ? "" : ", " + group_field) + " | sort error_count desc | limit 50";
}

std::string http_errors_query(const RumCall& rc, const std::string& group_field) {
  return std::string("filter event_type = \"") + kHttp + "\" and event_details.response.status >= 400" +
         page_filter(rc) +
         " | stats count(*) as error_count by event_details.request.method, event_details.request.url, "
         "event_details.response.status, metadata.pageId" +
         (group_field.empty() ? "" : ", " + group_field) + " | sort error_count desc | limit 50";
}

std::string navigation_query(const std::string& filter) {
  return std::string("filter event_type = \"") + kNavigation + "\"" + filter +
         " | stats pct(event_details.duration, 50) as p50_load_ms, pct(event_details.duration, 90) as p90_load_ms, "
         "pct(event_details.duration, 99) as p99_load_ms, count(*) as page_loads by metadata.pageId"
         " | sort p90_load_ms desc | limit 25";
}

std::string vitals_query(const std::string& filter) {
  return "filter event_type in [\"com.amazon.rum.largest_contentful_paint_event\", "
         "\"com.amazon.rum.interaction_to_next_paint_event\", \"com.amazon.rum.cumulative_layout_shift_event\", "
         "\"com.amazon.rum.first_input_delay_event\"]" +
         filter +
         " | stats pct(event_details.value, 50) as p50, pct(event_details.value, 90) as p90, "
         "pct(event_details.value, 99) as p99, count(*) as samples by event_type, metadata.pageId"
         " | sort p90 desc | limit 400";
}

std::string group_field_of(std::string_view group_by) {
  if (group_by == "country") return "metadata.countryCode";
  if (group_by == "browser") return "metadata.browserName";
  if (group_by == "device") return "metadata.deviceType";
  if (group_by == "os") return "metadata.osName";
  return {};  // page: metadata.pageId is always a key
}

std::string vital_of(std::string_view event_type) {
  if (event_type == "com.amazon.rum.largest_contentful_paint_event") return "LCP";
  if (event_type == "com.amazon.rum.interaction_to_next_paint_event") return "INP";
  if (event_type == "com.amazon.rum.cumulative_layout_shift_event") return "CLS";
  if (event_type == "com.amazon.rum.first_input_delay_event") return "FID";
  return {};
}

// Logs Insights rows keep their field names; rename for the answer and make numbers numbers.
// ---- result shapes ----
json::object errors_result(const RumCall& rc, const QueryRun& js, const QueryRun& http, const std::string& group_by,
                           const std::string& group_field) {
  json::object out = base_result(rc, "errors");
  if (!group_by.empty()) out["group_by"] = group_by;
  if (!rc.call.args.str("page_url").empty()) out["page_url"] = rc.call.args.str("page_url");
  std::string key = group_by.empty() || group_by == "page" ? "" : group_by;
  auto js_rows = renamed(js.rows, {{"event_details.type", "type"}, {"event_details.message", "message"},
                                   {"metadata.pageId", "page"}, {"error_count", "count"}},
                         {"count"});
  auto http_rows = renamed(http.rows, {{"event_details.request.method", "method"}, {"event_details.request.url", "url"},
                                       {"event_details.response.status", "status"}, {"metadata.pageId", "page"},
                                       {"error_count", "count"}},
                           {"count", "status"});
  if (!key.empty()) {
    for (std::size_t i = 0; i < js_rows.size(); ++i)
      js_rows[i].as_object()[key] = jv::str(jv::as_obj(js.rows[i]), group_field);
    for (std::size_t i = 0; i < http_rows.size(); ++i)
      http_rows[i].as_object()[key] = jv::str(jv::as_obj(http.rows[i]), group_field);
  }
  out["js_error_total"] = sum_of(js.rows, "error_count");
  out["http_error_total"] = sum_of(http.rows, "error_count");
  out["js_errors"] = std::move(js_rows);
  out["http_errors"] = std::move(http_rows);
  if (js.rows.empty() && http.rows.empty()) out["note"] = "no JavaScript errors or failed HTTP requests in the window";
  return out;
}

json::object performance_result(const RumCall& rc, const QueryRun& nav, const QueryRun& vitals) {
  json::object out = base_result(rc, "performance");
  std::map<std::string, json::object> pages;
  for (const auto& r : nav.rows) {
    const auto& row = jv::as_obj(r);
    auto& p = pages[jv::str(row, "metadata.pageId")];
    json::object load;
    load["p50_ms"] = num_value(number(row, "p50_load_ms"), 0);
    load["p90_ms"] = num_value(number(row, "p90_load_ms"), 0);
    load["p99_ms"] = num_value(number(row, "p99_load_ms"), 0);
    load["page_loads"] = static_cast<std::int64_t>(number(row, "page_loads"));
    p["page_load"] = std::move(load);
  }
  std::int64_t poor = 0;
  for (const auto& r : vitals.rows) {
    const auto& row = jv::as_obj(r);
    std::string vital = vital_of(jv::view(row, "event_type"));
    if (vital.empty()) continue;
    auto& p = pages[jv::str(row, "metadata.pageId")];
    if (!p.contains("web_vitals")) p["web_vitals"] = json::object();
    const int digits = vital == "CLS" ? 3 : 0;
    json::object v;
    v["p50"] = num_value(number(row, "p50"), digits);
    v["p90"] = num_value(number(row, "p90"), digits);
    v["p99"] = num_value(number(row, "p99"), digits);
    v["samples"] = static_cast<std::int64_t>(number(row, "samples"));
    std::string rating = rate_vital(vital, number(row, "p90"));
    if (rating == "poor") ++poor;
    v["p90_rating"] = rating;
    p["web_vitals"].as_object()[vital] = std::move(v);
  }
  json::array list;
  for (auto& [page, o] : pages) {
    o["page"] = page;
    list.push_back(std::move(o));
  }
  // Slowest first (p90 page load).
  std::stable_sort(list.begin(), list.end(), [](const json::value& a, const json::value& b) {
    auto pa = jv::num(jv::obj(a.as_object(), "page_load"), "p90_ms").value_or(0);
    auto pb = jv::num(jv::obj(b.as_object(), "page_load"), "p90_ms").value_or(0);
    return pa > pb;
  });
  out["thresholds"] = "p90 rated against LCP 2500/4000 ms, INP 200/500 ms, CLS 0.1/0.25, FID 100/300 ms "
                      "(good up to the first value, poor above the second)";
  out["poor_vitals"] = poor;
  out["pages"] = std::move(list);
  if (nav.rows.empty() && vitals.rows.empty()) out["note"] = "no page loads in the window";
  return out;
}

json::object sessions_result(const RumCall& rc, const QueryRun& run) {
  json::object out = base_result(rc, "sessions");
  json::array list;
  for (const auto& r : run.rows) {
    const auto& row = jv::as_obj(r);
    json::object s;
    if (rc.monitor.platform == "mobile") {
      s = pick(row, {{"attributes.session.id", "session_id"}, {"resource.attributes.device.model.name", "device"},
                     {"resource.attributes.os.version", "os_version"}, {"event_count", "events"}},
               {"events"});
    } else {
      s = pick(row, {{"user_details.sessionId", "session_id"}, {"metadata.browserName", "browser"},
                     {"metadata.osName", "os"}, {"metadata.deviceType", "device"}, {"metadata.countryCode", "country"},
                     {"event_count", "events"}, {"errors", "errors"}},
               {"events", "errors"});
      if (auto t = jv::view(row, "session_start"); !t.empty()) s["start"] = ms_to_iso(number(row, "session_start"));
      if (auto t = jv::view(row, "session_end"); !t.empty()) s["end"] = ms_to_iso(number(row, "session_end"));
    }
    list.push_back(std::move(s));
  }
  out["session_count"] = static_cast<std::int64_t>(list.size());
  out["sessions"] = std::move(list);
  if (run.rows.empty()) out["note"] = "no sessions in the window";
  return out;
}

json::object session_detail_result(const RumCall& rc, const QueryRun& run) {
  json::object out = base_result(rc, "session_detail");
  out["session_id"] = rc.call.args.str("session_id");
  json::array events;
  for (const auto& r : run.rows) {
    json::object e;
    for (const auto& [k, v] : jv::as_obj(r)) {
      std::string_view key = k;
      bool keep = key == "@timestamp" || key == "event_type" || key == "metadata.pageId" || key == "name" ||
                  key == "eventName" || key == "scope.name" || key == "durationNano" ||
                  (key.starts_with("event_details.") && key != "event_details.stack" && key != "event_details.version") ||
                  (key.starts_with("attributes.") && key != "attributes.session.id" &&
                   key != "attributes.exception.stacktrace");
      if (keep) e[k] = v;
    }
    events.push_back(std::move(e));
  }
  out["event_count"] = static_cast<std::int64_t>(events.size());
  out["events"] = std::move(events);
  return out;
}


json::array page_view_rows(const json::array& rows) {
  return renamed(rows, {{"metadata.pageId", "page"}, {"metadata.title", "title"}, {"view_count", "views"}}, {"views"});
}
json::array page_flow_rows(const json::array& rows) {
  return renamed(rows, {{"metadata.parentPageId", "from"}, {"metadata.pageId", "to"}, {"navigations", "navigations"}},
                 {"navigations"});
}
json::array resource_rows(const json::array& rows) {
  return renamed(rows, {{"event_details.targetUrl", "url"}, {"event_details.fileType", "file_type"},
                        {"request_count", "requests"}, {"p50_ms", "p50_ms"}, {"p90_ms", "p90_ms"},
                        {"avg_bytes", "avg_bytes"}},
                 {"requests", "p50_ms", "p90_ms", "avg_bytes"});
}

std::int64_t bucket_seconds(std::string_view b) {
  std::size_t i = 0;
  while (i < b.size() && std::isdigit(static_cast<unsigned char>(b[i]))) ++i;
  std::int64_t n = std::strtoll(std::string(b.substr(0, i)).c_str(), nullptr, 10);
  auto unit = b.substr(i);
  if (unit == "ms") return std::max<std::int64_t>(1, n / 1000);
  if (unit == "s") return n;
  if (unit == "m") return n * 60;
  if (unit == "h") return n * 3600;
  return n * 86400;
}

std::string timeseries_query(const RumCall& rc, const std::string& metric, const std::string& bucket) {
  const std::string pf = page_filter(rc);
  if (metric == "errors")
    return "filter " + errors_condition() + pf + " | stats count(*) as error_count by bin(" + bucket +
           ") as time_bucket, event_type | sort time_bucket asc";
  if (metric == "performance")
    return std::string("filter event_type = \"") + kNavigation + "\"" + pf +
           " | stats pct(event_details.duration, 50) as p50_ms, pct(event_details.duration, 90) as p90_ms, "
           "count(*) as loads by bin(" + bucket + ") as time_bucket | sort time_bucket asc";
  if (rc.monitor.platform == "mobile")
    return "filter eventName = \"session.start\" | stats count(*) as session_count by bin(" + bucket +
           ") as time_bucket | sort time_bucket asc";
  return "filter event_type = \"com.amazon.rum.session_start_event\" | stats count(*) as session_count by bin(" +
         bucket + ") as time_bucket | sort time_bucket asc";
}

json::object timeseries_result(const RumCall& rc, const QueryRun& run, const std::string& metric,
                               const std::string& bucket) {
  json::object out = base_result(rc, "timeseries");
  out["metric"] = metric;
  out["bucket"] = bucket;
  json::array points;
  for (const auto& r : run.rows) {
    const auto& row = jv::as_obj(r);
    json::object p;
    p["time"] = jv::str(row, "time_bucket");
    for (const char* f : {"error_count", "p50_ms", "p90_ms", "loads", "session_count"})
      if (!jv::view(row, f).empty()) p[f] = num_value(number(row, f), 1);
    if (auto t = jv::view(row, "event_type"); !t.empty()) p["event_type"] = t;
    points.push_back(std::move(p));
  }
  out["points"] = std::move(points);
  return out;
}

json::object locations_result(const RumCall& rc, const std::vector<QueryRun>& runs) {
  json::object out = base_result(rc, "locations");
  std::map<std::string, json::object> countries;
  for (const auto& r : runs[0].rows) {
    const auto& row = jv::as_obj(r);
    auto& c = countries[jv::str(row, "metadata.countryCode")];
    c["events"] = static_cast<std::int64_t>(number(row, "events"));
    c["sessions"] = static_cast<std::int64_t>(number(row, "sessions"));
    c["js_errors"] = 0;
  }
  for (const auto& r : runs[1].rows) {
    const auto& row = jv::as_obj(r);
    countries[jv::str(row, "metadata.countryCode")]["js_errors"] = static_cast<std::int64_t>(number(row, "js_errors"));
  }
  for (const auto& r : runs[2].rows) {
    const auto& row = jv::as_obj(r);
    auto& c = countries[jv::str(row, "metadata.countryCode")];
    c["p90_load_ms"] = num_value(number(row, "p90_load_ms"), 0);
    c["page_loads"] = static_cast<std::int64_t>(number(row, "loads"));
  }
  json::array list;
  for (auto& [code, o] : countries) {
    o["country"] = code;
    list.push_back(std::move(o));
  }
  std::stable_sort(list.begin(), list.end(), [](const json::value& a, const json::value& b) {
    return jv::integer(a.as_object(), "sessions") > jv::integer(b.as_object(), "sessions");
  });
  out["country_count"] = static_cast<std::int64_t>(list.size());
  out["countries"] = std::move(list);
  return out;
}

json::object http_result(const RumCall& rc, const QueryRun& summary, const QueryRun& statuses) {
  json::object out = base_result(rc, "http_requests");
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> errors;  // url → (4xx, 5xx)
  for (const auto& r : statuses.rows) {
    const auto& row = jv::as_obj(r);
    double status = number(row, "event_details.response.status");
    auto n = static_cast<std::int64_t>(number(row, "n"));
    auto& e = errors[jv::str(row, "event_details.request.url")];
    if (status >= 500) e.second += n;
    else if (status >= 400) e.first += n;
  }
  json::array list;
  for (const auto& r : summary.rows) {
    const auto& row = jv::as_obj(r);
    json::object o = pick(row, {{"event_details.request.method", "method"}, {"event_details.request.url", "url"},
                                {"request_count", "requests"}, {"p50_ms", "p50_ms"}, {"p90_ms", "p90_ms"}},
                          {"requests", "p50_ms", "p90_ms"});
    auto e = errors[jv::str(row, "event_details.request.url")];
    o["http_4xx"] = e.first;
    o["http_5xx"] = e.second;
    list.push_back(std::move(o));
  }
  out["count"] = static_cast<std::int64_t>(list.size());
  out["requests"] = std::move(list);
  return out;
}

json::object health_summary(const std::vector<QueryRun>& runs, std::size_t first) {
  json::object s;
  s["errors_by_country_browser"] =
      renamed(runs[first].rows, {{"metadata.countryCode", "country"}, {"metadata.browserName", "browser"},
                                 {"error_count", "errors"}},
              {"errors"});
  s["slowest_pages"] = renamed(runs[first + 1].rows, {{"metadata.pageId", "page"}, {"p90_load_ms", "p90_load_ms"},
                                                      {"loads", "loads"}},
                               {"p90_load_ms", "loads"});
  s["sessions_with_most_errors"] =
      renamed(runs[first + 2].rows, {{"user_details.sessionId", "session_id"}, {"errors", "errors"}}, {"errors"});
  s["total_errors"] = sum_of(runs[first].rows, "error_count");
  return s;
}

std::vector<std::string> health_queries() {
  return {"filter " + errors_condition() +
              " | stats count(*) as error_count by metadata.countryCode, metadata.browserName"
              " | sort error_count desc | limit 10",
          std::string("filter event_type = \"") + kNavigation +
              "\" | stats pct(event_details.duration, 90) as p90_load_ms, count(*) as loads by metadata.pageId"
              " | sort p90_load_ms desc | limit 10",
          "filter " + errors_condition() +
              " | stats count(*) as errors by user_details.sessionId | sort errors desc | limit 10"};
}

}  // namespace

Awaitable query(RumCall rc) {
  std::int64_t limit = rc.call.args.has("max_results") ? rc.call.args.integer("max_results") : 100;
  if (limit > 200) {
    rc.call.note("max_results " + std::to_string(limit) + " is above 200: using 200");
    limit = 200;
  }
  std::string q = rc.call.args.str("query_string");
  auto run = co_await run_query(rc.clients, rc.options, rc.monitor.log_group, q, rc.start, rc.end, limit);
  if (auto p = query_problem(run)) co_return std::move(*p);
  json::object out = base_result(rc, "query");
  out["query"] = q;
  out["row_count"] = static_cast<std::int64_t>(run.rows.size());
  out["rows"] = std::move(run.rows);
  co_return mcp::ToolResult::structured(std::move(out));
}

Awaitable health(RumCall rc) {
  std::vector<std::string> queries = health_queries();
  const bool compare = rc.call.args.boolean("compare_previous", false);
  auto runs = co_await run_queries(rc.clients, rc.options, rc.monitor.log_group, queries, rc.start, rc.end);
  for (const auto& r : runs)
    if (auto p = query_problem(r)) co_return std::move(*p);
  json::object out = base_result(rc, "health");
  out["current"] = health_summary(runs, 0);
  if (compare) {
    const std::int64_t len = rc.end - rc.start;
    const std::int64_t prev_start = rc.start - len;
    auto prev = co_await run_queries(rc.clients, rc.options, rc.monitor.log_group, queries, prev_start, rc.start);
    for (const auto& r : prev)
      if (auto p = query_problem(r)) co_return std::move(*p);
    json::object previous = health_summary(prev, 0);
    const std::int64_t now_errors = jv::integer(out["current"].as_object(), "total_errors");
    const std::int64_t before = jv::integer(previous, "total_errors");
    previous["start"] = format_iso(TimePoint(std::chrono::seconds(prev_start)));
    out["previous"] = std::move(previous);
    out["error_change"] = now_errors - before;
  }
  co_return mcp::ToolResult::structured(std::move(out));
}

Awaitable errors(RumCall rc) {
  std::string group_by = rc.call.args.str("group_by");
  std::string group_field = group_field_of(group_by);
  std::vector<std::string> queries;
  queries.push_back(js_errors_query(rc, group_field));
  queries.push_back(http_errors_query(rc, group_field));
  auto runs = co_await run_queries(rc.clients, rc.options, rc.monitor.log_group, queries, rc.start, rc.end);
  for (const auto& r : runs)
    if (auto p = query_problem(r)) co_return std::move(*p);
  co_return mcp::ToolResult::structured(errors_result(rc, runs[0], runs[1], group_by, group_field));
}

Awaitable performance(RumCall rc) {
  std::vector<std::string> queries;
  queries.push_back(navigation_query(page_filter(rc)));
  queries.push_back(vitals_query(page_filter(rc)));
  auto runs = co_await run_queries(rc.clients, rc.options, rc.monitor.log_group, queries, rc.start, rc.end);
  for (const auto& r : runs)
    if (auto p = query_problem(r)) co_return std::move(*p);
  co_return mcp::ToolResult::structured(performance_result(rc, runs[0], runs[1]));
}

Awaitable sessions(RumCall rc) {
  std::string q =
      rc.monitor.platform == "mobile"
          ? "filter ispresent(attributes.session.id) | stats count(*) as event_count by attributes.session.id, "
            "resource.attributes.device.model.name, resource.attributes.os.version | sort event_count desc | limit 50"
          : "filter ispresent(user_details.sessionId) | stats min(event_timestamp) as session_start, "
            "max(event_timestamp) as session_end, count(*) as event_count by user_details.sessionId, "
            "metadata.browserName, metadata.osName, metadata.deviceType, metadata.countryCode"
            " | sort session_start desc | limit 50";
  auto run = co_await run_query(rc.clients, rc.options, rc.monitor.log_group, q, rc.start, rc.end, 50);
  if (auto p = query_problem(run)) co_return std::move(*p);
  co_return mcp::ToolResult::structured(sessions_result(rc, run));
}

Awaitable session_detail(RumCall rc) {
  std::int64_t limit = rc.call.args.has("limit") ? rc.call.args.integer("limit") : 100;
  if (limit > 500) {
    rc.call.note("limit " + std::to_string(limit) + " is above 500: using 500");
    limit = 500;
  }
  const std::string id = rc.call.args.str("session_id");
  const std::string field = rc.monitor.platform == "mobile" ? "attributes.session.id" : "user_details.sessionId";
  std::string q = "filter " + field + " = \"" + escape(id) + "\" | sort @timestamp asc | limit " + std::to_string(limit);
  auto run = co_await run_query(rc.clients, rc.options, rc.monitor.log_group, q, rc.start, rc.end, limit);
  if (auto p = query_problem(run)) co_return std::move(*p);
  if (run.rows.empty())
    co_return argument_failure("no events of session '" + id + "' in app monitor '" + rc.monitor.name +
                               "' between start_time and end_time; action='sessions' lists the session ids of a window");
  co_return mcp::ToolResult::structured(session_detail_result(rc, run));
}

Awaitable page_views(RumCall rc) {
  std::string q = "filter event_type = \"com.amazon.rum.page_view_event\" | stats count(*) as view_count by "
                  "metadata.pageId, metadata.title | sort view_count desc | limit 25";
  Simple what = simple("page_views", "pages");
  co_return co_await one_query(rc, what, q, 25, &page_view_rows);
}

Awaitable page_flows(RumCall rc) {
  std::string q = "filter event_type = \"com.amazon.rum.page_view_event\" and ispresent(metadata.parentPageId)"
                  " | stats count(*) as navigations by metadata.parentPageId, metadata.pageId"
                  " | sort navigations desc | limit 50";
  Simple what = simple("page_flows", "flows");
  co_return co_await one_query(rc, what, q, 50, &page_flow_rows);
}

Awaitable resources(RumCall rc) {
  std::string q = "filter event_type = \"com.amazon.rum.performance_resource_event\"" + page_filter(rc) +
                  " | stats count(*) as request_count, pct(event_details.duration, 50) as p50_ms, "
                  "pct(event_details.duration, 90) as p90_ms, avg(event_details.transferSize) as avg_bytes by "
                  "event_details.targetUrl, event_details.fileType | sort p90_ms desc | limit 50";
  Simple what = simple("resources", "resources");
  co_return co_await one_query(rc, what, q, 50, &resource_rows);
}

Awaitable timeseries(RumCall rc) {
  std::string metric = rc.call.args.has("metric") ? rc.call.args.str("metric") : "errors";
  std::string bucket = rc.call.args.has("bucket") ? rc.call.args.str("bucket") : "1h";
  if (!valid_bucket(bucket))
    co_return argument_failure("bucket '" + bucket +
                               "' is not a period: a positive number followed by ms, s, m, h or d, e.g. '1h', '15m'");
  if ((rc.end - rc.start) / bucket_seconds(bucket) > 1440)
    co_return argument_failure("bucket '" + bucket + "' makes more than 1440 points over this window; use a larger bucket");
  if (rc.monitor.platform == "mobile" && metric != "sessions")
    co_return argument_failure("on a mobile app monitor timeseries supports metric='sessions' (errors and performance "
                               "are web metrics; action='crashes' and 'app_launches' cover mobile)");
  std::string q = timeseries_query(rc, metric, bucket);
  auto run = co_await run_query(rc.clients, rc.options, rc.monitor.log_group, q, rc.start, rc.end, 10000);
  if (auto p = query_problem(run)) co_return std::move(*p);
  co_return mcp::ToolResult::structured(timeseries_result(rc, run, metric, bucket));
}

Awaitable locations(RumCall rc) {
  const std::string pf = page_filter(rc);
  std::vector<std::string> queries;
  queries.push_back("filter ispresent(metadata.countryCode)" + pf +
                    " | stats count(*) as events, count_distinct(user_details.sessionId) as sessions by "
                    "metadata.countryCode | sort sessions desc | limit 50");
  queries.push_back(std::string("filter event_type = \"") + kJsError + "\"" + pf +
                    " | stats count(*) as js_errors by metadata.countryCode | limit 50");
  queries.push_back(std::string("filter event_type = \"") + kNavigation + "\"" + pf +
                    " | stats pct(event_details.duration, 90) as p90_load_ms, count(*) as loads by "
                    "metadata.countryCode | limit 50");
  auto runs = co_await run_queries(rc.clients, rc.options, rc.monitor.log_group, queries, rc.start, rc.end);
  for (const auto& r : runs)
    if (auto p = query_problem(r)) co_return std::move(*p);
  co_return mcp::ToolResult::structured(locations_result(rc, runs));
}

Awaitable http_requests(RumCall rc) {
  const std::string pf = page_filter(rc);
  std::vector<std::string> queries;
  queries.push_back(std::string("filter event_type = \"") + kHttp + "\"" + pf +
                    " | stats count(*) as request_count, pct(event_details.duration, 50) as p50_ms, "
                    "pct(event_details.duration, 90) as p90_ms by event_details.request.method, "
                    "event_details.request.url | sort request_count desc | limit 50");
  queries.push_back(std::string("filter event_type = \"") + kHttp + "\" and event_details.response.status >= 400" + pf +
                    " | stats count(*) as n by event_details.request.url, event_details.response.status | limit 500");
  auto runs = co_await run_queries(rc.clients, rc.options, rc.monitor.log_group, queries, rc.start, rc.end);
  for (const auto& r : runs)
    if (auto p = query_problem(r)) co_return std::move(*p);
  co_return mcp::ToolResult::structured(http_result(rc, runs[0], runs[1]));
}

std::string rate_vital(std::string_view vital, double p90) {
  double good = 0, poor = 0;
  if (vital == "LCP") good = 2500, poor = 4000;
  else if (vital == "INP") good = 200, poor = 500;
  else if (vital == "CLS") good = 0.1, poor = 0.25;
  else if (vital == "FID") good = 100, poor = 300;
  else return {};
  if (p90 <= good) return "good";
  if (p90 <= poor) return "needs_improvement";
  return "poor";
}

}  // namespace appsignals::tools::rum

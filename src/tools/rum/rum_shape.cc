#include "tools/rum/rum_shape.h"

#include "tools/common/json_access.h"

namespace appsignals::tools::rum {

json::object pick(const json::object& row, std::initializer_list<std::pair<const char*, const char*>> fields,
                  std::initializer_list<const char*> numeric) {
  json::object o;
  for (const auto& [from, to] : fields) {
    auto v = jv::view(row, from);
    if (v.empty()) continue;
    bool is_num = false;
    for (const char* n : numeric) is_num = is_num || std::string_view(n) == to;
    if (is_num) o[to] = num_value(number(row, from), 3);
    else o[to] = v;
  }
  return o;
}

json::array renamed(const json::array& rows, std::initializer_list<std::pair<const char*, const char*>> fields,
                    std::initializer_list<const char*> numeric) {
  json::array out;
  for (const auto& r : rows) out.push_back(pick(jv::as_obj(r), fields, numeric));
  return out;
}

std::int64_t sum_of(const json::array& rows, std::string_view field) {
  double s = 0;
  for (const auto& r : rows) s += number(jv::as_obj(r), field);
  return static_cast<std::int64_t>(s);
}

std::string ms_to_iso(double epoch_ms) {
  return format_iso(TimePoint(std::chrono::seconds(static_cast<std::int64_t>(epoch_ms / 1000.0))));
}

Simple simple(const char* action, const char* field) { return Simple{action, field}; }

Awaitable one_query(RumCall rc, Simple what, std::string q, std::int64_t limit,
                    json::array (*shape)(const json::array&)) {
  auto run = co_await run_query(rc.clients, rc.options, rc.monitor.log_group, q, rc.start, rc.end, limit);
  if (auto p = query_problem(run)) co_return std::move(*p);
  json::object out = base_result(rc, what.action);
  if (!rc.call.args.str("page_url").empty()) out["page_url"] = rc.call.args.str("page_url");
  auto rows = shape(run.rows);
  out["count"] = static_cast<std::int64_t>(rows.size());
  out[what.field] = std::move(rows);
  if (run.rows.empty()) out["note"] = "no matching events in the window";
  co_return mcp::ToolResult::structured(std::move(out));
}

}  // namespace appsignals::tools::rum

// query_rum_events on mobile app monitors (OpenTelemetry records): crashes and app launches,
// for all platforms or one (a platform other than the monitor's is refused).
#include "tools/common/json_access.h"
#include "tools/common/tool_errors.h"
#include "tools/rum/rum_actions.h"
#include "tools/rum/rum_shape.h"

namespace appsignals::tools::rum {

namespace {

json::array crash_rows(const json::array& rows) {
  return renamed(rows, {{"attributes.exception.type", "exception_type"}, {"attributes.exception.message", "message"},
                        {"attributes.screen.name", "screen"}, {"crash_count", "crashes"}},
                 {"crashes"});
}
json::array launch_rows(const json::array& rows) {
  json::array out;
  for (const auto& r : rows) {
    const auto& row = jv::as_obj(r);
    json::object o;
    o["start_type"] = jv::str(row, "attributes.start.type");
    o["launches"] = static_cast<std::int64_t>(number(row, "launches"));
    o["p50_ms"] = num_value(number(row, "p50_ns") / 1e6, 1);
    o["p90_ms"] = num_value(number(row, "p90_ns") / 1e6, 1);
    o["p99_ms"] = num_value(number(row, "p99_ns") / 1e6, 1);
    out.push_back(std::move(o));
  }
  return out;
}

std::string crash_scopes(std::string_view platform) {
  if (platform == "android") return "[\"io.opentelemetry.crash\"]";
  if (platform == "ios") return "[\"software.amazon.opentelemetry.kscrash\"]";
  return "[\"io.opentelemetry.crash\", \"software.amazon.opentelemetry.kscrash\"]";
}

// A mobile platform filter against the monitor's own platform: nullopt when compatible.
std::optional<std::string> platform_mismatch(const RumCall& rc, std::string_view requested) {
  if (requested == "all" || requested.empty()) return std::nullopt;
  std::string own = rc.monitor.raw_platform == "iOS" ? "ios" : rc.monitor.raw_platform == "Android" ? "android" : "";
  if (own.empty() || own == requested) return std::nullopt;
  return "platform='" + std::string(requested) + "' was asked, but app monitor '" + rc.monitor.name + "' is an " +
         rc.monitor.raw_platform + " app; use platform='" + own + "' or 'all'";
}
}  // namespace

Awaitable crashes(RumCall rc) {
  std::string platform = rc.call.args.has("platform") ? rc.call.args.str("platform") : "all";
  if (auto m = platform_mismatch(rc, platform)) co_return argument_failure(*m);
  std::string q = "filter scope.name in " + crash_scopes(platform) +
                  " | stats count(*) as crash_count by attributes.exception.type, attributes.exception.message, "
                  "attributes.screen.name | sort crash_count desc | limit 25";
  Simple what = simple("crashes", "crashes");
  co_return co_await one_query(rc, what, q, 25, &crash_rows);
}

Awaitable app_launches(RumCall rc) {
  std::string platform = rc.call.args.has("platform") ? rc.call.args.str("platform") : "all";
  if (auto m = platform_mismatch(rc, platform)) co_return argument_failure(*m);
  std::string scope = platform == "ios" ? " and scope.name = \"software.amazon.opentelemetry.appstart\"" : "";
  std::string q = "filter name = \"AppStart\"" + scope +
                  " | stats pct(durationNano, 50) as p50_ns, pct(durationNano, 90) as p90_ns, "
                  "pct(durationNano, 99) as p99_ns, count(*) as launches by attributes.start.type"
                  " | sort attributes.start.type asc";
  Simple what = simple("app_launches", "launches");
  co_return co_await one_query(rc, what, q, 25, &launch_rows);
}

}  // namespace appsignals::tools::rum

#include "tools/traces/json_output.h"

#include <charconv>
#include <cmath>

#include <boost/json/serialize.hpp>

#include "tools/common/time_args.h"

namespace appsignals::tools::traces {
namespace {

namespace json = boost::json;

}  // namespace

std::string compact_json(const json::value& value) { return mcp::compact_json(value); }

mcp::ToolResult json_result(json::object object) {
  mcp::ToolResult r = mcp::ToolResult::text(compact_json(object));
  r.structured_content = json::value(std::move(object));
  return r;
}

std::size_t keep_within(json::array& items, std::size_t budget) {
  std::size_t used = 0, kept = 0;
  for (const auto& item : items) {
    used += compact_json(item).size() + 1;
    if (kept > 0 && used > budget) break;
    ++kept;
  }
  const std::size_t dropped = items.size() - kept;
  items.resize(kept);
  return dropped;
}

std::optional<double> number_of(const json::value* v) {
  if (!v) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return std::nullopt;
}

double round_to(double value, int digits) {
  double scale = std::pow(10.0, digits);
  return std::round(value * scale) / scale;
}

std::string iso_of(const json::value* epoch_seconds) {
  auto n = number_of(epoch_seconds);
  if (!n) {
    if (epoch_seconds && epoch_seconds->is_string()) return std::string(epoch_seconds->get_string());
    return {};
  }
  auto secs = static_cast<std::int64_t>(std::floor(*n));
  return format_iso(TimePoint(std::chrono::seconds(secs)));
}

}  // namespace appsignals::tools::traces

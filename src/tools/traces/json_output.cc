#include "tools/traces/json_output.h"

#include <charconv>
#include <cmath>

#include <boost/json/serialize.hpp>

#include "tools/common/time_args.h"

namespace appsignals::tools::traces {
namespace {

namespace json = boost::json;

void indent(std::string& out, int depth) { out.append(static_cast<std::size_t>(depth) * 2, ' '); }

void write_double(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";  // JSON has no NaN/Infinity
    return;
  }
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
  if (ec != std::errc{}) {
    out += "null";
    return;
  }
  out.append(buf, p);
}

void write(std::string& out, const json::value& v, int depth) {
  switch (v.kind()) {
    case json::kind::object: {
      const auto& o = v.get_object();
      if (o.empty()) {
        out += "{}";
        return;
      }
      out += "{\n";
      bool first = true;
      for (const auto& [k, member] : o) {
        if (!first) out += ",\n";
        first = false;
        indent(out, depth + 1);
        out += json::serialize(json::string_view(k));
        out += ": ";
        write(out, member, depth + 1);
      }
      out += "\n";
      indent(out, depth);
      out += "}";
      return;
    }
    case json::kind::array: {
      const auto& a = v.get_array();
      if (a.empty()) {
        out += "[]";
        return;
      }
      out += "[\n";
      bool first = true;
      for (const auto& item : a) {
        if (!first) out += ",\n";
        first = false;
        indent(out, depth + 1);
        write(out, item, depth + 1);
      }
      out += "\n";
      indent(out, depth);
      out += "]";
      return;
    }
    case json::kind::double_:
      write_double(out, v.get_double());
      return;
    default:
      out += json::serialize(v);
      return;
  }
}

}  // namespace

std::string pretty_json(const json::value& value) {
  std::string out;
  write(out, value, 0);
  return out;
}

mcp::ToolResult json_result(json::object object) {
  mcp::ToolResult r = mcp::ToolResult::text(pretty_json(object));
  r.structured_content = json::value(std::move(object));
  return r;
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

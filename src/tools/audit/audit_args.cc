// The audit tools' arguments besides their targets: auditors, the time window, the page size and
// the continuation token.
#include <algorithm>
#include <charconv>

#include "common/text.h"
#include "tools/audit/audit_common.h"

namespace appsignals::tools::audit {
namespace {

constexpr std::string_view kAllowedAuditors[] = {"slo",        "operation_metric", "trace",        "log",
                                                 "dependency_metric", "top_contributor", "service_quota"};

// Spellings models use for the auditors (after lower-casing and '-'/' ' → '_').
struct Alias {
  std::string_view from;
  std::string_view to;
};
constexpr Alias kAliases[] = {
    {"slos", "slo"},
    {"operation", "operation_metric"},
    {"operations", "operation_metric"},
    {"operation_metrics", "operation_metric"},
    {"metric", "operation_metric"},
    {"metrics", "operation_metric"},
    {"traces", "trace"},
    {"logs", "log"},
    {"dependency", "dependency_metric"},
    {"dependencies", "dependency_metric"},
    {"dependency_metrics", "dependency_metric"},
    {"top_contributors", "top_contributor"},
    {"contributors", "top_contributor"},
    {"quota", "service_quota"},
    {"quotas", "service_quota"},
    {"service_quotas", "service_quota"},
};

std::string allowed_text() {
  std::string out;
  for (auto a : kAllowedAuditors) out += (out.empty() ? "" : ", ") + std::string(a);
  return out;
}

// "all" (as nullopt) or the canonical auditor names; an error names the unknown one.
Result<std::optional<std::vector<std::string>>> parse_auditors(const json::value& v) {
  std::vector<std::string> raw;
  auto add_csv = [&raw](std::string_view csv) {
    std::size_t pos = 0;
    while (pos <= csv.size()) {
      auto comma = csv.find(',', pos);
      if (comma == std::string_view::npos) comma = csv.size();
      auto item = ascii_lower(trim_space(csv.substr(pos, comma - pos)));
      if (!item.empty()) raw.push_back(item);
      pos = comma + 1;
    }
  };
  if (v.is_string()) {
    add_csv(v.get_string());
  } else if (v.is_array()) {
    for (const auto& item : v.get_array()) {
      if (!item.is_string())
        return Error{ErrorCode::kInvalidArgument, "must be auditor names, e.g. \"slo,operation_metric\" or \"all\""};
      add_csv(item.get_string());
    }
  } else {
    return Error{ErrorCode::kInvalidArgument, "must be auditor names, e.g. \"slo,operation_metric\" or \"all\""};
  }
  std::vector<std::string> out;
  for (auto name : raw) {
    for (auto& c : name)
      if (c == '-' || c == ' ') c = '_';
    if (name == "all" || name == "*") return std::optional<std::vector<std::string>>();
    for (const auto& a : kAliases)
      if (name == a.from) name = std::string(a.to);
    bool known = std::find(std::begin(kAllowedAuditors), std::end(kAllowedAuditors), name) != std::end(kAllowedAuditors);
    if (!known)
      return Error{ErrorCode::kInvalidArgument, "names an unknown auditor '" + name + "': allowed are " + allowed_text() +
                                                    ", comma-separated, or \"all\" for every auditor (e.g. "
                                                    "\"slo,operation_metric\")"};
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  if (out.empty()) return std::optional<std::vector<std::string>>();
  return std::optional<std::vector<std::string>>(std::move(out));
}

std::optional<std::size_t> read_size(std::string_view s) {
  std::size_t n = 0;
  if (s.empty() || s.size() > 9) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return n;
}

}  // namespace

ArgSpec auditors_arg(std::string_view default_auditors) {
  ArgSpec a = arg::json_text("auditors",
                             "Auditors to run, comma-separated, any case (default \"" + std::string(default_auditors) +
                                 "\"): " + allowed_text() +
                                 "; \"all\" runs every auditor (slower; use it to find a root cause).",
                             "");
  a.def(json::value(std::string(default_auditors))).eg("\"slo,operation_metric\"");
  a.read_with([](const json::value& v, Notes&) -> Result<json::value> {
    auto parsed = parse_auditors(v);
    if (!parsed) return parsed.error();
    if (!*parsed) return json::value("all");
    json::array names;
    for (const auto& n : **parsed) names.emplace_back(n);
    return json::value(std::move(names));
  });
  return a;
}

std::optional<std::vector<std::string>> auditors_of(const ToolCall& call, std::string_view default_auditors) {
  const auto& v = call.args.json("auditors");
  auto parsed = parse_auditors(v.is_null() ? json::value(std::string(default_auditors)) : v);
  if (!parsed) return std::vector<std::string>();  // read_args already refused it
  return *parsed;
}

std::string auditors_label(const std::optional<std::vector<std::string>>& auditors) {
  if (!auditors) return "all";
  return join(*auditors, ", ");
}

ArgSpec start_time_arg() {
  return arg::time("start_time",
                   "Start of the audit window: unix seconds, ISO-8601 (\"2026-03-02T10:00:00Z\"), or relative (\"3 "
                   "hours ago\", \"now-6h\", \"yesterday\"). Default: 24 hours before end_time.");
}

ArgSpec end_time_arg() {
  return arg::time("end_time",
                   "End of the audit window, same forms as start_time (\"now\" works); must be after start_time. "
                   "Default: now.");
}

Result<TimeWindow> audit_window(const ToolCall& call) {
  auto start = call.args.time("start_time");
  auto end = call.args.time("end_time");
  TimeWindow w{call.now() - kDefaultWindow, call.now()};
  if (end) w = TimeWindow{*end - kDefaultWindow, *end};
  if (start) w.start = *start;
  if (w.end <= w.start)
    return Error{ErrorCode::kInvalidArgument, "'end_time' (" + format_iso(w.end) + ") must be after 'start_time' (" +
                                                  format_iso(w.start) + "): give a start before the end"};
  return w;
}

ArgSpec page_size_arg(std::string name, std::string what) {
  return arg::integer(std::move(name),
                      "With wildcards: how many " + what +
                          " each page shows, ranked most severe first across every match (1 to 10, default 5). "
                          "The output says how to get the next page (next_token).",
                      5, 1, 10);
}

ArgSpec next_token_arg() {
  return arg::string("next_token",
                     "Only to continue a wildcard audit: the next_token a previous call printed, with the same "
                     "targets, start_time, end_time and page size it printed.");
}

std::string format_token(const PageToken& t) {
  return "v1:" + std::to_string(t.audit_offset) + ":" + std::to_string(t.rank_offset);
}

std::optional<PageToken> parse_token(std::string_view text) {
  text = trim_space(text);
  if (text.substr(0, 3) != "v1:") return std::nullopt;
  text.remove_prefix(3);
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto a = read_size(text.substr(0, colon));
  auto r = read_size(text.substr(colon + 1));
  if (!a || !r || *a % kAuditCap != 0) return std::nullopt;
  return PageToken{*a, *r};
}

Result<PageToken> read_page_token(const ToolCall& call, bool wildcard, std::string_view targets_arg,
                                  std::string_view example) {
  auto token = call.args.opt_str("next_token");
  if (!token) return PageToken{};
  if (!wildcard)
    return Error{ErrorCode::kInvalidArgument,
                 "'next_token' continues a wildcard audit: pass it with the same " + std::string(targets_arg) +
                     " holding a '*' pattern (e.g. " + std::string(targets_arg) + "=\"" + std::string(example) +
                     "\"); without wildcards, leave next_token out"};
  auto parsed = parse_token(*token);
  if (!parsed)
    return Error{ErrorCode::kInvalidArgument,
                 "'next_token' is not one this tool printed (e.g. \"v1:0:5\"): copy it from the previous output, or "
                 "leave it out to start from the first page"};
  return *parsed;
}

std::string region_of(const ToolCall& call) {
  auto r = call.args.opt_str("region");
  if (r && !r->empty()) return *r;
  return call.default_region();
}

}  // namespace appsignals::tools::audit

// The audit report: header, findings with their auditor results (most severe first), failed
// batches, and the continuation after a wildcard listing.
#include <algorithm>
#include <map>

#include <boost/json/serialize.hpp>

#include "tools/audit/audit_common.h"

namespace appsignals::tools::audit {
namespace {

namespace json = boost::json;

constexpr std::string_view kSeverities[] = {"CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE"};

std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return {};
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_null()) return {};
  return json::serialize(*v);
}

int rank(std::string_view severity) {
  for (std::size_t i = 0; i < std::size(kSeverities); ++i)
    if (kSeverities[i] == severity) return static_cast<int>(i);
  return static_cast<int>(std::size(kSeverities));
}

std::string hours_label(std::chrono::seconds length) {
  auto s = length.count();
  if (s % 3600 == 0) return std::to_string(s / 3600) + " h";
  if (s % 60 == 0) return std::to_string(s / 60) + " min";
  return std::to_string(s) + " s";
}

// "payments (ecs:shop-cluster)" or "payments-charge-availability (SLO)".
std::string subject(const json::object& finding) {
  const auto* ka = finding.if_contains("KeyAttributes");
  if (!ka || !ka->is_object()) return "(no key attributes)";
  const auto& k = ka->get_object();
  std::string name = str(k, "Name");
  if (name.empty()) name = str(k, "Identifier");
  std::string out = name.empty() ? std::string("(unnamed)") : name;
  std::string env = str(k, "Environment");
  std::string rtype = str(k, "ResourceType");
  if (!env.empty()) out += " (" + env + ")";
  else if (!rtype.empty()) out += " (" + rtype + ")";
  if (auto op = str(finding, "Operation"); !op.empty()) out += ", operation " + op;
  return out;
}

std::string key_attributes_line(const json::object& finding) {
  const auto* ka = finding.if_contains("KeyAttributes");
  if (!ka || !ka->is_object()) return {};
  std::vector<std::string> parts;
  for (const auto& [k, v] : ka->get_object())
    parts.push_back(std::string(k) + "=" + (v.is_string() ? std::string(v.get_string()) : json::serialize(v)));
  return join(parts, ", ");
}

std::string data_line(const json::value* data) {
  if (!data || !data->is_object() || data->get_object().empty()) return {};
  std::vector<std::string> parts;
  for (const auto& [k, v] : data->get_object())
    parts.push_back(std::string(k) + "=" + (v.is_string() ? std::string(v.get_string()) : json::serialize(v)));
  return join(parts, ", ");
}

// Indents every line after the first of a multi-line description.
std::string indented(std::string_view text, std::string_view pad) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out += pad;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  return out;
}

}  // namespace

std::string render_header(const ReportHeader& h, std::size_t targets, std::size_t batches) {
  std::string out = "Application Signals " + h.title + "\n";
  out += "Scope: " + h.scope + " | Region: " + h.region + "\n";
  out += "Window: " + format_iso(h.window.start) + " to " + format_iso(h.window.end) + " (" +
         hours_label(h.window.length()) + "; epoch " + std::to_string(epoch_seconds(h.window.start)) + "-" +
         std::to_string(epoch_seconds(h.window.end)) + ")\n";
  out += "Auditors: " + h.auditors + "\n";
  for (const auto& l : h.lines) out += l + "\n";
  out += "Audited: " + std::to_string(targets) + " target" + (targets == 1 ? "" : "s") + " in " +
         std::to_string(batches) + " ListAuditFindings batch" + (batches == 1 ? "" : "es") + " of up to " +
         std::to_string(kBatchSize) + "\n";
  return out;
}

std::string render_findings(const AuditRun& run) {
  std::map<std::string, std::size_t> counts;
  std::size_t results = 0;
  std::string body;
  std::size_t n = 0;
  for (const auto& fv : run.findings) {
    if (!fv.is_object()) continue;
    const auto& f = fv.get_object();
    ++n;
    body += "\n" + std::to_string(n) + ". " + subject(f) + "\n";
    if (auto ka = key_attributes_line(f); !ka.empty()) body += "   Key attributes: " + ka + "\n";
    if (auto t = str(f, "Type"); !t.empty()) body += "   Finding type: " + t + "\n";
    std::vector<const json::object*> ar;
    if (const auto* list = f.if_contains("AuditorResults"); list && list->is_array())
      for (const auto& r : list->get_array())
        if (r.is_object()) ar.push_back(&r.get_object());
    std::stable_sort(ar.begin(), ar.end(), [](const json::object* a, const json::object* b) {
      return rank(str(*a, "Severity")) < rank(str(*b, "Severity"));
    });
    for (const auto* r : ar) {
      std::string sev = str(*r, "Severity");
      if (sev.empty()) sev = "UNRATED";
      ++counts[sev];
      ++results;
      std::string auditor = str(*r, "Auditor");
      body += "   [" + sev + "] " + (auditor.empty() ? std::string("auditor") : auditor) + ": " +
              indented(str(*r, "Description"), "      ") + "\n";
      if (auto d = data_line(r->if_contains("Data")); !d.empty()) body += "      Data: " + d + "\n";
    }
    if (const auto* mg = f.if_contains("MetricGraph"); mg && mg->is_object() && !mg->get_object().empty())
      body += "   Metric graph: " + json::serialize(*mg) + "\n";
    if (const auto* dg = f.if_contains("DependencyGraph"); dg && dg->is_object() && !dg->get_object().empty())
      body += "   Dependency graph: " + json::serialize(*dg) + "\n";
  }
  std::string out;
  if (n == 0) {
    out += "\nFindings: none. The auditors reported nothing abnormal for these targets in the window";
    out += run.failed.empty() ? ".\n" : " (for the batches that succeeded).\n";
  } else {
    std::vector<std::string> parts;
    for (auto sev : kSeverities)
      if (auto it = counts.find(std::string(sev)); it != counts.end())
        parts.push_back(std::to_string(it->second) + " " + std::string(sev));
    if (auto it = counts.find("UNRATED"); it != counts.end()) parts.push_back(std::to_string(it->second) + " unrated");
    out += "\nFindings: " + std::to_string(n) + " target" + (n == 1 ? "" : "s") + " with findings, " +
           std::to_string(results) + " auditor result" + (results == 1 ? "" : "s") + " (" + join(parts, ", ") + ")\n";
    out += body;
  }
  if (!run.failed.empty()) {
    out += "\nFailed batches: " + std::to_string(run.failed.size()) + " of " + std::to_string(run.batches) +
           " (their targets were not audited)\n";
    for (const auto& f : run.failed)
      out += "- " + join(f.targets, ", ") + ": " + f.error.message + "\n";
    out += "Retry those targets (a smaller set, or later if AWS throttled).\n";
  }
  return out;
}

std::optional<Continuation> service_continuation(const Resolution& res, std::string tool, std::string targets_arg,
                                                 const json::array& targets, const TimeWindow& window,
                                                 std::int64_t max_services) {
  if (!res.wildcard) return std::nullopt;
  Continuation c;
  c.tool = std::move(tool);
  c.targets_arg = std::move(targets_arg);
  c.targets_json = json::serialize(targets);
  c.window = window;
  c.next_token = res.scan.next_token;
  c.size_arg = "max_services";
  c.size = max_services;
  c.what = "services";
  for (const auto& s : res.scan.matches) c.audited.push_back(s.name);
  return c;
}

std::string render_continuation(const Continuation& c) {
  std::string out;
  if (!c.next_token.empty()) {
    out += "\nMore " + c.what + " remain in the listing: this call audited the matches found so far";
    out += c.audited.empty() ? ".\n" : " (" + join(c.audited, ", ") + ").\n";
    out += "To audit the next " + c.what + ", call " + c.tool + " again with exactly these arguments:\n";
    out += "  " + c.targets_arg + ": " + c.targets_json + "\n";
    out += "  start_time: \"" + std::to_string(epoch_seconds(c.window.start)) + "\"\n";
    out += "  end_time: \"" + std::to_string(epoch_seconds(c.window.end)) + "\"\n";
    out += "  next_token: \"" + c.next_token + "\"\n";
    out += "  " + c.size_arg + ": " + std::to_string(c.size) + "\n";
  } else {
    out += "\nListing complete: every " + c.what.substr(0, c.what.size() - 1) +
           " in the window has been scanned for these patterns";
    out += c.audited.empty() ? ".\n" : "; audited here: " + join(c.audited, ", ") + ".\n";
  }
  return out;
}

}  // namespace appsignals::tools::audit

// The audit report: header, the ranked findings (most severe first, with totals over every
// audited target), failed batches, and the page and continuation of a wildcard audit.
#include <algorithm>
#include <map>

#include <boost/json/serialize.hpp>

#include "tools/audit/audit_common.h"
#include "tools/common/json_access.h"

namespace appsignals::tools::audit {
namespace {

constexpr std::string_view kSeverityNames[] = {"CRITICAL", "HIGH", "WARNING", "MEDIUM", "LOW", "INFO", "NONE"};

std::string text(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return {};
  if (v->is_string()) return std::string(v->get_string());
  return json::serialize(*v);
}

std::string severity_name(int rank) {
  if (rank >= 0 && rank < static_cast<int>(std::size(kSeverityNames))) return std::string(kSeverityNames[rank]);
  return rank == kNoFindings ? "no findings" : "UNRATED";
}

std::string hours_label(std::chrono::seconds length) {
  auto s = length.count();
  if (s % 3600 == 0) return std::to_string(s / 3600) + " h";
  if (s % 60 == 0) return std::to_string(s / 60) + " min";
  return std::to_string(s) + " s";
}

// "payments (ecs:shop-cluster)" or "payments-charge-availability (AWS::ApplicationSignals::…)".
std::string subject(const json::object& finding) {
  const auto& k = jv::obj(finding, "KeyAttributes");
  if (k.empty()) return "(no key attributes)";
  std::string name = text(k, "Name");
  if (name.empty()) name = text(k, "Identifier");
  std::string out = name.empty() ? std::string("(unnamed)") : name;
  std::string env = text(k, "Environment");
  std::string rtype = text(k, "ResourceType");
  if (!env.empty()) out += " (" + env + ")";
  else if (!rtype.empty()) out += " (" + rtype + ")";
  if (auto op = text(finding, "Operation"); !op.empty()) out += ", operation " + op;
  return out;
}

std::string members_line(const json::object& o) {
  std::vector<std::string> parts;
  for (const auto& [k, v] : o) parts.push_back(std::string(k) + "=" + (v.is_string() ? std::string(v.get_string()) : json::serialize(v)));
  return join(parts, ", ");
}

// Indents every line after the first of a multi-line description.
std::string indented(std::string_view s, std::string_view pad) {
  std::string out;
  for (char c : s) {
    out += c;
    if (c == '\n') out += pad;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  return out;
}

std::string entry_name(const AuditEntry& e) {
  if (!e.label.empty()) return e.label;
  return e.findings.empty() ? std::string("(unnamed)") : subject(e.findings.front());
}

std::string render_finding(std::size_t rank, const json::object& f) {
  std::string body = "\n" + std::to_string(rank) + ". " + subject(f) + "\n";
  if (const auto& ka = jv::obj(f, "KeyAttributes"); !ka.empty()) body += "   Key attributes: " + members_line(ka) + "\n";
  if (auto t = text(f, "Type"); !t.empty()) body += "   Finding type: " + t + "\n";
  std::vector<const json::object*> results;
  for (const auto& r : jv::arr(f, "AuditorResults"))
    if (r.is_object()) results.push_back(&r.get_object());
  std::stable_sort(results.begin(), results.end(), [](const json::object* a, const json::object* b) {
    return severity_rank(jv::view(*a, "Severity")) < severity_rank(jv::view(*b, "Severity"));
  });
  for (const auto* r : results) {
    std::string sev = text(*r, "Severity");
    if (sev.empty()) sev = "UNRATED";
    std::string auditor = text(*r, "Auditor");
    body += "   [" + sev + "] " + (auditor.empty() ? std::string("auditor") : auditor) + ": " +
            indented(text(*r, "Description"), "      ") + "\n";
    if (const auto& d = jv::obj(*r, "Data"); !d.empty()) body += "      Data: " + members_line(d) + "\n";
  }
  if (const auto& mg = jv::obj(f, "MetricGraph"); !mg.empty()) body += "   Metric graph: " + mcp::compact_json(mg) + "\n";
  if (const auto& dg = jv::obj(f, "DependencyGraph"); !dg.empty())
    body += "   Dependency graph: " + mcp::compact_json(dg) + "\n";
  return body;
}

std::string render_entry(std::size_t rank, const AuditEntry& e) {
  if (e.findings.empty()) return "\n" + std::to_string(rank) + ". " + entry_name(e) + ": no findings in the window.\n";
  std::string out;
  for (const auto& f : e.findings) out += render_finding(rank, f);
  return out;
}

std::string singular(const std::string& what) { return what.empty() ? what : what.substr(0, what.size() - 1); }

}  // namespace

std::string render_header(const ReportHeader& h, std::size_t targets, std::size_t batches) {
  std::string out = "Application Signals " + h.title + "\n";
  out += "Scope: " + h.scope + " | Region: " + h.region + "\n";
  out += "Window: " + format_iso(h.window.start) + " to " + format_iso(h.window.end) + " (" +
         hours_label(h.window.length()) + "; epoch " + std::to_string(epoch_seconds(h.window.start)) + "-" +
         std::to_string(epoch_seconds(h.window.end)) + ")\n";
  out += "Auditors: " + h.auditors + "\n";
  for (const auto& l : h.lines) out += l + "\n";
  out += "Audited: " + plural(targets, "target", "targets") + " in " + std::to_string(batches) +
         " ListAuditFindings batch" + (batches == 1 ? "" : "es") + " of up to " + std::to_string(kBatchSize) + "\n";
  return out;
}

std::string render_ranked(const AuditRun& run, const std::optional<Paging>& paging) {
  auto all = ranked(run);
  std::map<int, std::size_t> counts;
  std::size_t results = 0;
  std::size_t with_findings = 0;
  for (const auto* e : all) {
    with_findings += !e->findings.empty();
    for (const auto& f : e->findings)
      for (const auto& r : jv::arr(f, "AuditorResults"))
        if (r.is_object()) {
          ++counts[severity_rank(jv::view(r.get_object(), "Severity"))];
          ++results;
        }
  }
  std::string out;
  if (with_findings == 0) {
    out += "\nFindings: none. The auditors reported nothing abnormal for the " + plural(all.size(), "audited target", "audited targets") +
           " in the window";
    out += run.failed.empty() ? ".\n" : " (for the batches that succeeded).\n";
  } else {
    std::vector<std::string> parts;
    for (const auto& [rank, n] : counts) parts.push_back(std::to_string(n) + " " + severity_name(rank));
    out += "\nFindings: " + std::to_string(with_findings) + " of " + plural(all.size(), "audited target", "audited targets") +
           " with findings, " + plural(results, "auditor result", "auditor results") + " (" + join(parts, ", ") +
           "); most severe first\n";
  }

  std::size_t begin = 0;
  std::size_t end = all.size();
  if (paging) {
    // The whole ranking in one line, so the page never hides where the worst is.
    std::vector<std::string> bad;
    std::vector<std::string> clean;
    for (const auto* e : all)
      (e->worst == kNoFindings ? clean : bad).push_back(entry_name(*e) + (e->worst == kNoFindings ? "" : " " + severity_name(e->worst)));
    if (!all.empty()) {
      out += "Ranking (worst first): " + (bad.empty() ? std::string("none with findings") : join(bad, "; "));
      if (!clean.empty()) out += "; no findings: " + join(clean, ", ");
      out += "\n";
    }
    begin = std::min(paging->at.rank_offset, all.size());
    end = std::min(all.size(), begin + paging->size);
    if (end > begin)
      out += "Page: ranks " + std::to_string(begin + 1) + "-" + std::to_string(end) + " of " +
             std::to_string(all.size()) + " (" + paging->size_arg + "=" + std::to_string(paging->size) + ")\n";
  }
  std::string cont;  // coverage and continuation: before the entries, so a cut output keeps them
  if (paging) {
    const auto& p = *paging;
    const std::size_t audited_end = p.at.audit_offset + run.targets;
    const std::size_t more_targets = p.matched > audited_end ? p.matched - audited_end : 0;
    const std::size_t more_ranks = all.size() - end;
    std::optional<PageToken> next;
    if (more_ranks > 0) next = PageToken{p.at.audit_offset, end};
    else if (more_targets > 0) next = PageToken{p.at.audit_offset + kAuditCap, 0};
    cont += "Coverage: " + std::to_string(run.targets) + " of " + std::to_string(p.matched) + " matched " + p.what +
           " audited in this call";
    if (p.matched > kAuditCap)
      cont += " (" + singular(p.what) + " " + std::to_string(p.at.audit_offset + 1) + " to " +
             std::to_string(audited_end) + " of the match list; at most " + std::to_string(kAuditCap) +
             " per call, ranked together)";
    cont += ".\n";
    if (next) {
      if (more_ranks > 0) cont += std::to_string(more_ranks) + " more ranked " + p.what + " on the next pages";
      if (more_ranks > 0 && more_targets > 0) cont += "; then ";
      if (more_targets > 0)
        cont += std::to_string(more_targets) + " more matched " + p.what + " not audited yet (a further call audits and ranks the next " +
               std::to_string(std::min(more_targets, kAuditCap)) + ")";
      cont += ".\nNext page: call " + p.tool + " again with exactly these arguments:\n";
      cont += "  " + p.targets_arg + ": " + p.targets_text + "\n";
      cont += "  start_time: \"" + std::to_string(epoch_seconds(p.window.start)) + "\"\n";
      cont += "  end_time: \"" + std::to_string(epoch_seconds(p.window.end)) + "\"\n";
      cont += "  next_token: \"" + format_token(*next) + "\"\n";
      cont += "  " + p.size_arg + ": " + std::to_string(p.size) + "\n";
    } else {
      cont += "Complete: every matched " + singular(p.what) + " has been audited and this is the last page.\n";
    }
  }
  out += cont;
  if (!cont.empty()) out += "\n";
  if (with_findings > 0 || paging)
    for (std::size_t i = begin; i < end; ++i) out += render_entry(i + 1, *all[i]);
  else if (!all.empty()) {
    std::vector<std::string> names;
    for (const auto* e : all) names.push_back(entry_name(*e));
    out += "Audited with no findings: " + join(names, ", ") + "\n";
  }

  if (!run.failed.empty()) {
    out += "\nFailed batches: " + std::to_string(run.failed.size()) + " of " + std::to_string(run.batches) +
           " (their targets were not audited)\n";
    for (const auto& f : run.failed) out += "- " + join(f.targets, ", ") + ": " + f.error.message + "\n";
    out += "Retry those targets (a smaller set, or later if AWS throttled).\n";
  }

  return out;
}

std::string stale_token_text(std::string_view tool) {
  return "'next_token' points past the end of this audit (the services, window or page size changed?): call " +
         std::string(tool) + " again without next_token to start from the first page";
}

}  // namespace appsignals::tools::audit

#include "tools/canaries/knowledge_base.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include <boost/json/parse.hpp>

#include "tools/canaries/canary_analysis.h"

namespace appsignals::tools::canaries {
namespace json = boost::json;

namespace {

Error kb_error(const std::string& where, const std::string& what) {
  return Error(ErrorCode::kInternal, "knowledge base: " + where + ": " + what);
}

Result<std::vector<std::string>> string_list(const json::object& o, std::string_view key, const std::string& where,
                                             bool to_lower) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_array()) return kb_error(where, "'" + std::string(key) + "' must be an array of strings");
  std::vector<std::string> out;
  for (const auto& x : v->as_array()) {
    if (!x.is_string()) return kb_error(where, "'" + std::string(key) + "' must be an array of strings");
    out.push_back(to_lower ? lower(x.as_string()) : std::string(x.as_string()));
  }
  return out;
}

// Splits "syn-nodejs-puppeteer-9.1" into family and numeric version parts.
bool split_runtime(std::string_view rt, std::string& family, std::vector<int>& version) {
  auto dash = rt.rfind('-');
  if (dash == std::string_view::npos) return false;
  family = lower(rt.substr(0, dash));
  std::string_view v = rt.substr(dash + 1);
  version.clear();
  int cur = -1;
  for (char c : v) {
    if (c >= '0' && c <= '9') {
      cur = (cur < 0 ? 0 : cur * 10) + (c - '0');
    } else if (c == '.') {
      if (cur < 0) return false;
      version.push_back(cur);
      cur = -1;
    } else {
      return false;
    }
  }
  if (cur < 0) return false;
  version.push_back(cur);
  return true;
}

}  // namespace

bool runtime_matches(std::string_view runtime, std::string_view spec) {
  if (spec.ends_with("-*")) return lower(runtime).starts_with(lower(spec.substr(0, spec.size() - 1)));
  bool or_later = spec.ends_with("+");
  if (or_later) spec.remove_suffix(1);
  std::string rf, sf;
  std::vector<int> rv, sv;
  if (!split_runtime(runtime, rf, rv) || !split_runtime(spec, sf, sv)) return lower(runtime) == lower(spec);
  if (rf != sf) return false;
  if (!or_later) return rv == sv;
  return !std::lexicographical_compare(rv.begin(), rv.end(), sv.begin(), sv.end());
}

Result<std::vector<KbEntry>> parse_knowledge_base(std::string_view json_text) {
  boost::system::error_code ec;
  auto root = json::parse(json_text, ec);
  if (ec) return kb_error("file", "not valid JSON: " + ec.message());
  const auto* entries = root.is_object() ? root.as_object().if_contains("entries") : nullptr;
  if (!entries || !entries->is_array()) return kb_error("file", "'entries' must be an array");
  std::vector<KbEntry> out;
  std::set<std::string> ids;
  for (const auto& ev : entries->as_array()) {
    if (!ev.is_object()) return kb_error("entries", "every entry must be an object");
    const auto& e = ev.as_object();
    KbEntry k;
    auto str = [&](std::string_view key) -> std::string {
      const auto* v = e.if_contains(key);
      return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    k.id = str("id");
    k.title = str("title");
    k.severity = str("severity");
    std::string where = "entry " + (k.id.empty() ? std::to_string(out.size()) : k.id);
    if (k.id.empty() || k.title.empty()) return kb_error(where, "'id' and 'title' are required");
    if (!ids.insert(k.id).second) return kb_error(where, "duplicate id");
    static const std::set<std::string> kSeverities = {"critical", "high", "medium", "low"};
    if (!kSeverities.count(k.severity)) return kb_error(where, "'severity' must be critical, high, medium or low");
    const auto* pats = e.if_contains("error_patterns");
    if (!pats || !pats->is_array() || pats->as_array().empty())
      return kb_error(where, "'error_patterns' must be a non-empty array");
    for (const auto& pv : pats->as_array()) {
      if (!pv.is_object()) return kb_error(where, "an error pattern must be an object");
      const auto& p = pv.as_object();
      const auto* type = p.if_contains("type");
      const auto* value = p.if_contains("value");
      if (!type || !type->is_string() || !value || !value->is_string() || value->as_string().empty())
        return kb_error(where, "an error pattern needs 'type' and a non-empty 'value'");
      ErrorPattern ep;
      ep.text = std::string(value->as_string());
      if (type->as_string() == "regex") {
        ep.kind = ErrorPattern::Kind::kRegex;
        try {
          ep.regex = std::regex(ep.text, std::regex::ECMAScript | std::regex::icase);
        } catch (const std::regex_error& err) {
          return kb_error(where, "regex '" + ep.text + "' does not compile: " + err.what());
        }
      } else if (type->as_string() == "contains") {
        ep.kind = ErrorPattern::Kind::kContains;
        ep.text = lower(ep.text);
      } else {
        return kb_error(where, "pattern type must be 'regex' or 'contains'");
      }
      k.error_patterns.push_back(std::move(ep));
    }
    auto symptoms = string_list(e, "symptoms", where, true);
    if (!symptoms.ok()) return std::move(symptoms).error();
    auto runtimes = string_list(e, "runtime_versions", where, false);
    if (!runtimes.ok()) return std::move(runtimes).error();
    auto environment = string_list(e, "environment", where, true);
    if (!environment.ok()) return std::move(environment).error();
    auto recs = string_list(e, "recommendations", where, false);
    if (!recs.ok()) return std::move(recs).error();
    if (recs->empty()) return kb_error(where, "'recommendations' must not be empty");
    k.symptoms = std::move(*symptoms);
    k.runtime_versions = std::move(*runtimes);
    k.environment = std::move(*environment);
    k.recommendations = std::move(*recs);
    out.push_back(std::move(k));
  }
  return out;
}

const std::vector<KbEntry>& knowledge_base() {
  static const std::vector<KbEntry> kKb = [] {
    auto r = parse_knowledge_base(knowledge_base_json());
    if (!r.ok()) std::abort();  // the unit tests parse the built-in file
    return std::move(r).value();
  }();
  return kKb;
}

KbMatch score_entry(const KbEntry& entry, const KbContext& context) {
  KbMatch m;
  m.entry = &entry;
  std::string err = lower(context.error_text);
  bool error_hit = std::any_of(entry.error_patterns.begin(), entry.error_patterns.end(), [&](const ErrorPattern& p) {
    if (p.kind == ErrorPattern::Kind::kContains) return err.find(p.text) != std::string::npos;
    return std::regex_search(context.error_text, p.regex);
  });
  if (!error_hit) return m;
  m.error = 0.4;
  std::string evidence = lower(context.evidence_text);
  for (const auto& s : entry.symptoms)
    if (evidence.find(s) != std::string::npos) m.matched_symptoms.push_back(s);
  if (!entry.symptoms.empty()) {
    double needed = static_cast<double>(std::min<std::size_t>(2, entry.symptoms.size()));
    m.symptom = 0.2 * std::min(1.0, static_cast<double>(m.matched_symptoms.size()) / needed);
  }
  if (entry.runtime_versions.empty()) {
    m.runtime = 0.1;  // written for every runtime: weaker evidence than a listed runtime
  } else if (std::any_of(entry.runtime_versions.begin(), entry.runtime_versions.end(),
                         [&](const std::string& s) { return runtime_matches(context.runtime, s); })) {
    m.runtime = 0.2;
  }
  std::string env = lower(context.environment_text);
  if (std::any_of(entry.environment.begin(), entry.environment.end(),
                  [&](const std::string& k) { return env.find(k) != std::string::npos; }))
    m.environment = 0.2;
  m.score = m.error + m.symptom + m.runtime + m.environment;
  return m;
}

std::vector<KbMatch> match_knowledge_base(const std::vector<KbEntry>& kb, const KbContext& context,
                                          std::size_t limit) {
  std::vector<KbMatch> out;
  for (const auto& e : kb) {
    auto m = score_entry(e, context);
    if (m.score + 1e-9 >= kKbThreshold) out.push_back(std::move(m));
  }
  std::stable_sort(out.begin(), out.end(), [](const KbMatch& a, const KbMatch& b) { return a.score > b.score; });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace appsignals::tools::canaries

#include "tools/common/name_match.h"

#include <algorithm>
#include <cctype>

namespace appsignals::tools {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string normalize(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '-' || c == '_' || c == '.' || c == ' ') continue;
    out.push_back(lower(c));
  }
  return out;
}

std::size_t levenshtein(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

bool has_wildcard(std::string_view pattern) { return pattern.find('*') != std::string_view::npos; }

bool glob_match(std::string_view pattern, std::string_view name) {
  // Iterative wildcard matching with backtracking to the last '*'.
  std::size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] != '*' && lower(pattern[p]) == lower(name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

int similarity(std::string_view query, std::string_view name) {
  // Bounded: names are short; a pathological argument must not cost quadratic time.
  auto a = normalize(query.substr(0, 256));
  auto b = normalize(name.substr(0, 256));
  if (a.empty() || b.empty()) return 0;
  if (a == b) return 100;
  int score = 0;
  std::size_t longest = std::max(a.size(), b.size());
  auto dist = levenshtein(a, b);
  score = static_cast<int>(100 * (longest - std::min(dist, longest)) / longest);
  // A name that contains the query ("pay" → "payments") is a strong match; a query that merely
  // contains a short name ("billing-api" ⊃ "api") is not.
  if (a.size() >= 3 && b.find(a) != std::string::npos) score = std::max(score, 90);
  return score;
}

std::vector<ScoredName> closest_names(std::string_view query, const std::vector<std::string>& names,
                                      std::size_t limit, int min_score) {
  std::vector<ScoredName> scored;
  for (const auto& n : names) {
    int s = similarity(query, n);
    if (s >= min_score) scored.push_back({n, s});
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) { return x.score > y.score; });
  if (scored.size() > limit) scored.resize(limit);
  return scored;
}

std::string NameResolution::note(std::string_view kind, std::string_view query) const {
  if (exact || !name) return {};
  return "resolved " + std::string(kind) + " '" + std::string(query) + "' to '" + *name + "'.";
}

NameResolution resolve_name(std::string_view query, const std::vector<std::string>& names) {
  NameResolution r;
  for (const auto& n : names)
    if (n == query) {
      r.name = n;
      r.exact = true;
      return r;
    }
  auto q_lower = std::string(query);
  for (auto& c : q_lower) c = lower(c);
  const std::string* ci = nullptr;
  int ci_count = 0;
  for (const auto& n : names) {
    if (n.size() != query.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < n.size() && same; ++i) same = lower(n[i]) == q_lower[i];
    if (same) ci = &n, ++ci_count;
  }
  if (ci_count == 1) {
    r.name = *ci;
    return r;
  }
  auto q_norm = normalize(query);
  const std::string* nm = nullptr;
  int nm_count = 0;
  for (const auto& n : names)
    if (!q_norm.empty() && normalize(n) == q_norm) nm = &n, ++nm_count;
  if (nm_count == 1) {
    r.name = *nm;
    return r;
  }
  auto scored = closest_names(query, names, 5, 30);
  if (!scored.empty() && scored[0].score >= 80 && (scored.size() == 1 || scored[0].score - scored[1].score >= 10)) {
    r.name = scored[0].name;
    return r;
  }
  if (scored.size() > 3) scored.resize(3);
  r.closest = std::move(scored);
  return r;
}

std::string not_found_text(std::string_view kind, std::string_view query, const NameResolution& resolution,
                           std::size_t known_count) {
  std::string out = "Error: no " + std::string(kind) + " named '" + std::string(query.substr(0, 200)) + "' was found";
  out += known_count == 0 ? " (there are none in this account and region)." : " among the " + std::to_string(known_count) + " known.";
  if (!resolution.closest.empty()) {
    out += " Closest names: ";
    for (std::size_t i = 0; i < resolution.closest.size(); ++i)
      out += (i ? ", " : "") + resolution.closest[i].name;
    out += ".";
  }
  return out;
}

}  // namespace appsignals::tools

#pragma once
// Name matching for service, SLO and canary names: anchored case-insensitive globs ("*checkout*")
// and a fuzzy score for names typed approximately ("check-out" → "checkout").
#include <string>
#include <string_view>
#include <vector>

namespace appsignals::tools {

bool has_wildcard(std::string_view pattern);
// '*' matches any run of characters (including none); everything else literally, ignoring case;
// the whole name must match.
bool glob_match(std::string_view pattern, std::string_view name);

// 0..100: how alike two names are, ignoring case and the separators - _ . and space;
// a name containing the query scores at least 90.
int similarity(std::string_view query, std::string_view name);

struct ScoredName {
  std::string name;
  int score = 0;
};
// Candidates sorted by similarity (best first), at least `min_score`, at most `limit`.
std::vector<ScoredName> closest_names(std::string_view query, const std::vector<std::string>& names,
                                      std::size_t limit = 3, int min_score = 30);

}  // namespace appsignals::tools

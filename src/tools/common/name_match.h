#pragma once
// Name matching for service, SLO and canary names: anchored case-insensitive globs ("*checkout*")
// and a fuzzy score for names typed approximately ("check-out" → "checkout").
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace appsignals::tools {

bool has_wildcard(std::string_view pattern);
// '*' matches any run of characters (including none); everything else literally, ignoring case;
// the whole name must match.
bool glob_match(std::string_view pattern, std::string_view name);

// 0..100: how alike two names are, ignoring case and the separators - _ . and space;
// a name containing the query (of 3 or more characters) scores at least 90.
int similarity(std::string_view query, std::string_view name);

struct ScoredName {
  std::string name;
  int score = 0;
};
// Candidates sorted by similarity (best first), at least `min_score`, at most `limit`.
std::vector<ScoredName> closest_names(std::string_view query, const std::vector<std::string>& names,
                                      std::size_t limit = 3, int min_score = 30);

// A name typed by a model, resolved against the known names: exact, then ignoring case, then
// ignoring case and separators ("Checkout Flow" = "checkout-flow"), then one clear fuzzy winner
// (score >= 80 and at least 10 ahead of the runner-up). Anything else is not found, with the
// closest names.
struct NameResolution {
  std::optional<std::string> name;  // the known name to use
  bool exact = false;               // the query was that name exactly
  std::vector<ScoredName> closest;  // when not found: the nearest names (best first)

  // "resolved 'Checkout Flow' to 'checkout-flow'" (empty when exact or not found).
  std::string note(std::string_view kind, std::string_view query) const;
};
NameResolution resolve_name(std::string_view query, const std::vector<std::string>& names);

// "Error: no <kind> named 'x' ... Closest: a, b, c" text for an unresolved name.
std::string not_found_text(std::string_view kind, std::string_view query, const NameResolution& resolution,
                           std::size_t known_count);

}  // namespace appsignals::tools

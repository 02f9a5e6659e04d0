#pragma once
// Our knowledge base of known canary runtime failures: entries are data (JSON compiled into
// the binary, see knowledge_base_data.cc) and are matched with a score:
//   0.40 × error   (required: one of the entry's error patterns matches the error text)
// + 0.20 × symptom (share of the entry's symptoms found in the evidence; 2 found = full weight)
// + 0.20 × runtime (the canary's runtime is listed; entries for every runtime get half)
// + 0.20 × environment (one of the entry's environment keywords is in the description or
//                       the canary's configuration)
// Matches at or above kKbThreshold are reported, best first.
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appsignals::tools::canaries {

inline constexpr double kKbThreshold = 0.6;
inline constexpr std::size_t kKbMaxShown = 2;
inline constexpr std::size_t kMaxDescriptionChars = 500;

struct ErrorPattern {
  enum class Kind { kRegex, kContains } kind = Kind::kContains;
  std::string text;
  std::regex regex;  // kRegex: compiled, case-insensitive
};

struct KbEntry {
  std::string id;
  std::string title;
  std::string severity;  // critical, high, medium, low
  std::vector<ErrorPattern> error_patterns;
  std::vector<std::string> symptoms;          // lower-case phrases
  std::vector<std::string> runtime_versions;  // "syn-nodejs-puppeteer-6.1+", "syn-python-selenium-*"; empty: all
  std::vector<std::string> environment;       // lower-case keywords
  std::vector<std::string> recommendations;
};

// Parses and validates a knowledge base (every field present, regexes compile, ids unique).
Result<std::vector<KbEntry>> parse_knowledge_base(std::string_view json_text);
// The built-in knowledge base (parsed once; a broken built-in file aborts at first use, which
// the unit tests prevent).
const std::vector<KbEntry>& knowledge_base();
// The JSON text of the built-in knowledge base.
std::string_view knowledge_base_json();

struct KbContext {
  std::string error_text;        // StateReason plus error lines from logs
  std::string evidence_text;     // description, log lines, HAR findings
  std::string runtime;           // e.g. "syn-nodejs-puppeteer-9.1"
  std::string environment_text;  // description plus configuration facts ("vpc", ...)
};

struct KbMatch {
  const KbEntry* entry = nullptr;
  double score = 0;
  double error = 0, symptom = 0, runtime = 0, environment = 0;
  std::vector<std::string> matched_symptoms;
};

// The score of one entry (score 0 when no error pattern matches).
KbMatch score_entry(const KbEntry& entry, const KbContext& context);
// Entries scoring at least kKbThreshold, best first, at most `limit`.
std::vector<KbMatch> match_knowledge_base(const std::vector<KbEntry>& kb, const KbContext& context,
                                          std::size_t limit = kKbMaxShown);
// "syn-nodejs-puppeteer-9.1" against "syn-nodejs-puppeteer-6.1+" / "...-*" / exact.
bool runtime_matches(std::string_view runtime, std::string_view spec);

}  // namespace appsignals::tools::canaries

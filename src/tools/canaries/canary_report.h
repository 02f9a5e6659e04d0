#pragma once
// Renders the analysis of one canary as the text a model reads: sections for the summary,
// telemetry findings, artifacts and the HAR comparison, logs, IAM, recommendations and
// knowledge-base matches. Pure (no I/O).
#include <string>
#include <vector>

#include "tools/canaries/canary_analysis.h"
#include "tools/canaries/canary_steps.h"
#include "tools/canaries/knowledge_base.h"

namespace appsignals::tools::canaries {

struct ReportInputs {
  FailureStreak streak;
  std::string description;
  bool description_truncated = false;
  double audit_end = 0;
  std::vector<PatternAdvice> advice;
  std::vector<KbMatch> kb_matches;
  bool iam_requested = false;
};

// Error and warning lines of a log text (at most `limit`), else its last lines.
std::vector<std::string> interesting_lines(const std::string& text, std::size_t limit);
// Lines that look like errors (for knowledge-base and pattern matching).
std::vector<std::string> error_lines(const std::string& text);

std::string render_report(const AnalysisState& s, const ReportInputs& in);

}  // namespace appsignals::tools::canaries

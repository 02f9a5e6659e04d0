#pragma once
// analyze_canary_failures: why one CloudWatch Synthetics canary fails, end to end (runs and
// failure streak, the canary's audit findings, S3 artifacts with a HAR comparison, Lambda logs
// when there are no artifacts, IAM analysis for permission failures, pattern advice and the
// knowledge base of known runtime failures). The canary name resolves like every name (case,
// separators, one clear near miss); an unknown name is answered with the closest names.
#include "tools/common/tool_spec.h"

namespace appsignals::tools::canaries {

ToolEntry analyze_canary_failures_tool();

}  // namespace appsignals::tools::canaries

#pragma once
// `appsignals-mcp check [--region R]`: an operator's preflight. Prints the region, the
// credential source (never a secret), the caller identity (STS GetCallerIdentity), then one
// cheap read per service the tools use with OK or the IAM action that is missing.
#include <optional>
#include <string>

namespace appsignals {

// Returns 0 only when every check passes.
int run_check_command(const std::optional<std::string>& region);

}  // namespace appsignals

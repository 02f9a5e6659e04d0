#pragma once
// `appsignals-mcp check [--region R]`: an operator's preflight. Prints the region, every source
// of the credential chain with why it was skipped, had nothing or failed (never a secret), the
// source in use, the caller identity (STS GetCallerIdentity), then one cheap read per service
// the tools use with OK or the IAM action that is missing. With MCP_AWS_PROFILES, the same for
// every listed profile (its region and credentials), each line starting "[profile <name>] ".
#include <optional>
#include <string>
#include <vector>

namespace appsignals {

// Returns 0 only when every check passes.
int run_check_command(const std::optional<std::string>& region, const std::vector<std::string>& profiles = {});

}  // namespace appsignals

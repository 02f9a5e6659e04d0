#pragma once
// Tool results for failures, written for a model to act on: AWS errors as
// "AWS Error: <Code>: <message>" followed by what to do (the missing IAM action for access
// denied, a narrower window for throttling, ...); bad arguments as "Error: <what to fix>".
#include <string_view>

#include "common/error.h"
#include "mcp/content.h"

namespace appsignals::tools {

// `iam_action` names the permission the failed call needs, e.g. "application-signals:ListServices".
mcp::ToolResult aws_failure(const Error& error, std::string_view iam_action);
// An argument or configuration problem (the message names the argument and the accepted form).
mcp::ToolResult argument_failure(const Error& error);
mcp::ToolResult argument_failure(std::string_view message);

}  // namespace appsignals::tools

#include "tools/common/tool_errors.h"

#include <string>

namespace appsignals::tools {

mcp::ToolResult aws_failure(const Error& error, std::string_view iam_action) {
  // Errors that never reached AWS (configuration, bad region) are not "AWS Error"s.
  if (error.code == ErrorCode::kFailedPrecondition && error.details.empty()) return argument_failure(error);
  if (error.code == ErrorCode::kInvalidArgument && error.details.empty()) return argument_failure(error);

  std::string text = "AWS Error: " + error.message;
  switch (error.code) {
    case ErrorCode::kPermissionDenied:
      text += "\n\nThe server's AWS credentials are not allowed to do this. Grant the IAM action " +
              std::string(iam_action) +
              " to the role or user the server runs as (for reading, the managed policies "
              "CloudWatchReadOnlyAccess and AWSXrayReadOnlyAccess cover the Application Signals tools), "
              "then retry. `appsignals-mcp check` lists every permission the tools need.";
      break;
    case ErrorCode::kResourceExhausted:
      text += "\n\nAWS throttled the request even after retries. Retry in a little while, or ask for less: "
              "a narrower time window, fewer targets or a smaller max_results.";
      break;
    case ErrorCode::kUnauthenticated:
      text += "\n\nThe server's AWS credentials are missing, invalid or expired. The operator should check them "
              "with `appsignals-mcp check` (temporary credentials refresh by themselves once the source works).";
      break;
    case ErrorCode::kNotFound:
      text += "\n\nThe named resource does not exist in this account and region. Check the name (list the "
              "available ones first) and the region.";
      break;
    case ErrorCode::kInvalidArgument:
      text += "\n\nAWS rejected the request parameters: correct the values named in the message and retry.";
      break;
    case ErrorCode::kUnavailable:
    case ErrorCode::kDeadlineExceeded:
      text += "\n\nAWS could not be reached or did not answer in time. Retry; if it persists, the network or the "
              "service endpoint is the problem.";
      break;
    default:
      break;
  }
  return mcp::ToolResult::error(text);
}

mcp::ToolResult argument_failure(const Error& error) { return argument_failure(error.message); }

mcp::ToolResult argument_failure(std::string_view message) {
  return mcp::ToolResult::error("Error: " + std::string(message));
}

}  // namespace appsignals::tools

#pragma once
// AWS error responses: parsed per protocol into code, message, request id and retry class,
// then mapped to appsignals::ErrorCode (the AWS code is kept in Error::details).
#include <string>
#include <string_view>

#include "aws/http/http_client.h"
#include "aws/service.h"
#include "common/error.h"

namespace appsignals::aws {

struct AwsError {
  int http_status = 0;
  std::string code;     // sanitised: "ThrottlingException", "AccessDenied", ...
  std::string message;  // may be empty
  std::string request_id;
};

// Parses an error response (status >= 300) of `protocol` (AWS-WIRE.md §3). Never fails: an
// unparsable body yields the HTTP status text as the code.
AwsError parse_aws_error(Protocol protocol, const HttpResponse& response);

// "aws.protocoltests#FooError:http://..." -> "FooError"
std::string sanitize_error_code(std::string_view raw);

bool is_throttling_code(std::string_view code);
// Transient by status (500/502/503/504) or code (RequestTimeout, ...).
bool is_transient_error(const AwsError& e);
// Codes that mean the client clock is off (RequestTimeTooSkewed, RequestExpired, ...).
bool is_clock_skew_error(const AwsError& e);

// Maps to the canonical codes; message "<Code>: <message>", details "<Code>".
Error to_error(const AwsError& e);

}  // namespace appsignals::aws

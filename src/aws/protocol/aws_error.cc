#include "aws/protocol/aws_error.h"

#include <boost/json/parse.hpp>
#include <pugixml.hpp>

namespace appsignals::aws {
namespace {

bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

std::string status_text(int status) {
  switch (status) {
    case 400: return "BadRequest";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 409: return "Conflict";
    case 429: return "TooManyRequests";
    case 500: return "InternalServerError";
    case 502: return "BadGateway";
    case 503: return "ServiceUnavailable";
    case 504: return "GatewayTimeout";
    default: return "Http" + std::to_string(status);
  }
}

void parse_json_error(const HttpResponse& r, AwsError& e) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  if (ec || !v.is_object()) return;
  const auto& o = v.as_object();
  if (e.code.empty()) {
    for (const char* k : {"__type", "code", "Code"}) {
      if (auto* c = o.if_contains(k); c && c->is_string()) {
        e.code = sanitize_error_code(c->as_string());
        break;
      }
    }
  }
  for (const char* k : {"message", "Message", "errorMessage"}) {
    if (auto* m = o.if_contains(k); m && m->is_string()) {
      e.message = std::string(m->as_string());
      break;
    }
  }
}

void parse_xml_error(const HttpResponse& r, AwsError& e) {
  pugi::xml_document doc;
  if (!doc.load_buffer(r.body.data(), r.body.size())) return;
  pugi::xml_node err = doc.child("ErrorResponse").child("Error");  // awsQuery
  if (!err) err = doc.child("Response").child("Errors").child("Error");  // EC2-style
  if (!err) err = doc.child("Error");                                   // S3 (noErrorWrapping)
  if (!err) return;
  if (auto c = err.child_value("Code"); *c) e.code = sanitize_error_code(c);
  e.message = err.child_value("Message");
  std::string rid = doc.child("ErrorResponse").child_value("RequestId");
  if (rid.empty()) rid = err.child_value("RequestId");
  if (rid.empty()) rid = doc.child("Response").child_value("RequestID");
  if (!rid.empty() && e.request_id.empty()) e.request_id = rid;
}

}  // namespace

std::string sanitize_error_code(std::string_view raw) {
  auto colon = raw.find(':');
  if (colon != std::string_view::npos) raw = raw.substr(0, colon);
  auto hash = raw.find('#');
  if (hash != std::string_view::npos) raw = raw.substr(hash + 1);
  return std::string(raw);
}

AwsError parse_aws_error(Protocol protocol, const HttpResponse& r) {
  AwsError e;
  e.http_status = r.status;
  for (const char* h : {"x-amzn-RequestId", "x-amz-request-id", "x-amzn-request-id"}) {
    if (auto v = r.header(h)) {
      e.request_id = std::string(*v);
      break;
    }
  }
  switch (protocol) {
    case Protocol::kRestJson1:
    case Protocol::kAwsJson1_0:
    case Protocol::kAwsJson1_1:
      if (auto t = r.header("x-amzn-ErrorType")) e.code = sanitize_error_code(*t);
      parse_json_error(r, e);
      if (protocol == Protocol::kAwsJson1_0) {
        // awsQueryCompatible: the legacy query code wins ("ResourceNotFound;Sender").
        if (auto q = r.header("x-amzn-query-error")) {
          std::string_view qv = *q;
          auto semi = qv.find(';');
          if (semi != 0) e.code = std::string(qv.substr(0, semi));
        }
      }
      break;
    case Protocol::kAwsQuery:
    case Protocol::kRestXml:
      parse_xml_error(r, e);
      break;
  }
  if (e.code.empty()) e.code = status_text(r.status);
  return e;
}

bool is_throttling_code(std::string_view code) {
  static constexpr std::string_view kCodes[] = {
      "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
      "TooManyRequestsException", "ProvisionedThroughputExceededException",
      "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
      "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
      "EC2ThrottledException"};
  for (auto c : kCodes)
    if (code == c) return true;
  return false;
}

bool is_transient_error(const AwsError& e) {
  if (e.http_status == 500 || e.http_status == 502 || e.http_status == 503 || e.http_status == 504) return true;
  return e.code == "RequestTimeout" || e.code == "RequestTimeoutException" ||
         e.code == "PriorRequestNotComplete" || e.code == "IDPCommunicationError";
}

bool is_clock_skew_error(const AwsError& e) {
  return e.code == "RequestTimeTooSkewed" || e.code == "RequestExpired" ||
         e.code == "RequestInTheFuture" ||
         (e.code == "InvalidSignatureException" && contains(e.message, "Signature expired")) ||
         (e.code == "SignatureDoesNotMatch" && contains(e.message, "Signature expired"));
}

Error to_error(const AwsError& e) {
  std::string_view c = e.code;
  ErrorCode code;
  if (contains(c, "AccessDenied") || c == "UnauthorizedOperation" || c == "AuthorizationError" ||
      c == "Forbidden")
    code = ErrorCode::kPermissionDenied;
  else if (c == "UnrecognizedClientException" || c == "InvalidClientTokenId" || c == "SignatureDoesNotMatch" ||
           c == "InvalidSignatureException" || c == "IncompleteSignature" ||
           c == "MissingAuthenticationToken" || contains(c, "ExpiredToken") || c == "RequestExpired" ||
           c == "RequestTimeTooSkewed" || c == "InvalidAccessKeyId" || c == "Unauthorized")
    code = ErrorCode::kUnauthenticated;
  else if (is_throttling_code(c) || c == "ServiceQuotaExceededException" || c == "LimitExceeded" ||
           contains(c, "QuotaExceeded") || e.http_status == 429)
    code = ErrorCode::kResourceExhausted;
  else if (contains(c, "NotFound") || c == "NoSuchEntity" || c == "NoSuchKey" || c == "NoSuchBucket" ||
           c == "NoSuchEntityException" || e.http_status == 404)
    code = ErrorCode::kNotFound;
  else if (c == "ConflictException" || c == "EntityAlreadyExists" || c == "ResourceAlreadyExistsException")
    code = ErrorCode::kAlreadyExists;
  else if (c == "OptInRequired" || c == "InvalidObjectState")
    code = ErrorCode::kFailedPrecondition;
  else if (is_transient_error(e) || e.http_status >= 500)
    code = ErrorCode::kUnavailable;
  else if (contains(c, "Validation") || contains(c, "InvalidParameter") || contains(c, "InvalidRequest") ||
           contains(c, "Malformed") || contains(c, "BadRequest") || c == "MissingParameter" ||
           c == "InvalidInput" || c == "InvalidNextToken" || c == "InvalidAction" || e.http_status == 400)
    code = ErrorCode::kInvalidArgument;
  else if (e.http_status == 403)
    code = ErrorCode::kPermissionDenied;
  else
    code = ErrorCode::kInternal;
  std::string msg = e.code;
  if (!e.message.empty()) msg += ": " + e.message;
  return Error(code, std::move(msg), e.code);
}

}  // namespace appsignals::aws

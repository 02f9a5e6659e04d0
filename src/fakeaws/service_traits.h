#pragma once
// Per-service error vocabulary: which code and HTTP status each kind of failure has in that
// service's protocol (from the models and the services' "Common Errors" pages). One table, so
// every failure path (validation, auth, faults) answers the way the real service does.
#include <string>
#include <string_view>

namespace appsignals::fakeaws {

struct ErrorKind {
  std::string_view code;  // on the wire (__type / Code)
  int status = 400;
  std::string_view query_code = {};  // CloudWatch JSON mode: x-amzn-query-error code
  bool server = false;               // Receiver (5xx) rather than Sender
};

struct ServiceTraits {
  ErrorKind validation;        // wrong type, bad enum, out of range
  ErrorKind missing_member;    // a required member is absent
  ErrorKind unknown_operation;
  ErrorKind not_found;
  ErrorKind throttling;
  ErrorKind internal;          // "500" fault
  ErrorKind unavailable;       // "503" fault
  ErrorKind unknown_key;       // access key id not known
  ErrorKind bad_signature;
  ErrorKind expired_request;   // X-Amz-Date outside the allowed skew
  ErrorKind missing_auth;
  ErrorKind expired_token;
  ErrorKind invalid_token;     // a bad NextToken
};

// By SigV4 signing name; an unknown name gets generic JSON codes.
const ServiceTraits& traits_for(std::string_view signing_name);

}  // namespace appsignals::fakeaws

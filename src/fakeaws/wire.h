#pragma once
// The wire side of each protocol: turning an HTTP request into the operation's input (model
// member names, JSON values) and an operation's result or error into an HTTP response.
//
//   restJson1  : labels, query string, headers + JSON body        → JSON body, x-amzn-ErrorType
//   awsJson1_x : JSON body (X-Amz-Target names the operation)     → JSON body, __type
//                (CloudWatch: absolute __type + x-amzn-query-error)
//   awsQuery   : form parameters (Action=...; lists as .member.N) → <OpResponse> / <ErrorResponse>
//   restXml    : labels, query string, headers (S3)               → raw bodies / <Error>
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json/object.hpp>

#include "fakeaws/call.h"
#include "fakeaws/model.h"
#include "net/http_types.h"

namespace appsignals::fakeaws {

// Parses "a=1&b=2" (percent-decoded, '+' as space) into a multimap-like list.
std::vector<std::pair<std::string, std::string>> parse_form(std::string_view text);

// The operation input. `protocol` is how this request arrived (CloudWatch: kJson or kQuery).
// `labels` are the REST path labels. Errors: malformed JSON / form → a validation error.
std::variant<boost::json::object, ApiError> extract_input(const ServiceModel& model, Protocol protocol,
                                                          std::string_view operation,
                                                          const net::Request& request,
                                                          const std::map<std::string, std::string>& labels);

net::Response render_result(const ServiceModel& model, Protocol protocol, std::string_view operation,
                            OpResult result, const std::string& request_id);

net::Response render_error(const ServiceModel& model, Protocol protocol, const ApiError& error,
                           const std::string& request_id);

// A syntactically broken body in the protocol's format (fault injection).
std::string malformed_body(Protocol protocol);

}  // namespace appsignals::fakeaws

#pragma once
// Request serialisation and response parsing for the five wire protocols (AWS-WIRE.md §3):
// restJson1, awsJson1_0 (+ awsQueryCompatible), awsJson1_1, awsQuery, restXml.
// Responses become boost::json values: JSON bodies as they are; XML converted (elements with
// children -> objects, <member> lists -> arrays, repeated elements -> arrays, text -> strings).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "aws/http/http_client.h"
#include "aws/service.h"
#include "common/result.h"

namespace appsignals::aws {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// An operation request before endpoint, signing and transport.
struct OperationRequest {
  std::string method = "POST";
  std::string path = "/";  // percent-encoded
  QueryParams query;       // raw names and values (encoded when sent)
  HeaderList headers;
  std::string body;
};

// awsJson1_0 / awsJson1_1: POST /, X-Amz-Target: <prefix>.<op>, the input as the body
// (query-compatible services also get x-amzn-query-mode: true).
OperationRequest json_rpc_request(const ServiceInfo& service, std::string_view operation,
                                  const boost::json::object& input);
// restJson1: method + path (labels already encoded with encode_label) + query; with a body,
// Content-Type: application/json.
OperationRequest rest_json_request(std::string method, std::string path, QueryParams query = {},
                                   const boost::json::object* body = nullptr);
// awsQuery: POST / form body Action=<op>&Version=<v>& flattened input (lists X.member.N, maps
// X.entry.N.key/value, nested A.B).
OperationRequest query_request(const ServiceInfo& service, std::string_view operation,
                               const boost::json::object& input);
// restXml GET/HEAD etc.
OperationRequest rest_xml_request(std::string method, std::string path, QueryParams query = {});

// Percent-encodes a URI label (greedy labels keep '/').
std::string encode_label(std::string_view value, bool greedy = false);
// Query string "a=1&b=2" with SigV4-compatible encoding.
std::string encode_query(const QueryParams& query);
// awsQuery flattening of a JSON input.
void flatten_query(const boost::json::value& v, const std::string& prefix, QueryParams& out);

// Parses a 2xx body. awsQuery: the <OpResult> element of <OpResponse>; restXml: the root
// element; JSON protocols: the body ({} when empty), built in `storage` (XML: always the
// default resource).
Result<boost::json::value> parse_response_body(Protocol protocol, std::string_view operation,
                                               std::string_view body, boost::json::storage_ptr storage = {});
// XML text to JSON as described above (the root element's content).
Result<boost::json::value> xml_to_json(std::string_view xml, std::string* root_name = nullptr);
// A value that may be one item or a list (XML flattened lists) as an array.
boost::json::array as_list(const boost::json::value* v);

}  // namespace appsignals::aws

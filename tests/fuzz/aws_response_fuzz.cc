// The AWS response decoders of the five wire protocols (AWS-WIRE.md §3): a 2xx body through
// parse_response_body and an error response through parse_aws_error and to_error.
// Input: first byte = protocol (mod 5) and status class, then "operation\n" header lines
// ("Name: value") up to an empty line, then the body.
#include <cstddef>
#include <cstdint>
#include <string>

#include "aws/protocol/aws_error.h"
#include "aws/protocol/wire.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace appsignals;
  using aws::Protocol;
  if (size < 1) return 0;
  static constexpr Protocol kProtocols[] = {Protocol::kRestJson1, Protocol::kAwsJson1_0, Protocol::kAwsJson1_1,
                                            Protocol::kAwsQuery, Protocol::kRestXml};
  const Protocol protocol = kProtocols[data[0] % 5];
  static constexpr int kStatuses[] = {400, 403, 404, 429, 500, 503, 301, 413};
  const int status = kStatuses[(data[0] / 5) % 8];
  std::string_view rest = fuzz::as_text(data + 1, size - 1);

  auto line = [&rest]() {
    auto pos = rest.find('\n');
    std::string_view l = rest.substr(0, pos);
    rest.remove_prefix(pos == std::string_view::npos ? rest.size() : pos + 1);
    return l;
  };
  std::string operation(line());
  aws::HttpResponse response;
  response.status = status;
  while (!rest.empty()) {
    std::string_view l = line();
    if (l.empty()) break;
    auto colon = l.find(':');
    if (colon == std::string_view::npos) continue;
    response.headers.emplace_back(std::string(l.substr(0, colon)), std::string(l.substr(colon + 1)));
  }
  response.body = std::string(rest);

  (void)aws::parse_response_body(protocol, operation, response.body);
  auto error = aws::parse_aws_error(protocol, response);
  (void)aws::is_transient_error(error);
  (void)aws::is_clock_skew_error(error);
  (void)aws::to_error(error);
  (void)aws::sanitize_error_code(response.body);
  return 0;
}

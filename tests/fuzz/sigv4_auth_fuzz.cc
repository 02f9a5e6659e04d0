// The fake AWS's SigV4 verification of an incoming request: the Authorization header parser
// (parse_authorization) and verify() over a raw request in the signing suite's format (request
// line, headers with obs-fold continuation lines, blank line, body; LF or CRLF), with the suite's
// key and clock so that the suite's signed requests (.sreq) verify and mutations of them go deep.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "aws/sigv4/signer.h"
#include "fuzz_input.h"

namespace {

using namespace appsignals;

struct RawRequest {
  std::string method, path, query, body;
  aws::sigv4::Headers headers;
};

RawRequest parse_raw(std::string_view text) {
  RawRequest r;
  bool first = true;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (first) {
      first = false;
      auto sp = line.find(' ');
      r.method = std::string(line.substr(0, sp));
      if (sp == std::string_view::npos) continue;
      std::string_view target = line.substr(sp + 1);
      if (auto http = target.rfind(" HTTP/"); http != std::string_view::npos) target = target.substr(0, http);
      auto q = target.find('?');
      r.path = std::string(target.substr(0, q));
      if (q != std::string_view::npos) r.query = std::string(target.substr(q + 1));
    } else if (line.empty()) {
      r.body = std::string(text);
      break;
    } else if ((line[0] == ' ' || line[0] == '\t') && !r.headers.empty()) {
      r.headers.back().second += " " + std::string(line);
    } else {
      auto colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      r.headers.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
    }
  }
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace sigv4 = aws::sigv4;
  std::string_view text = fuzz::as_text(data, size);
  RawRequest raw = parse_raw(text);
  for (const auto& [name, value] : raw.headers) {
    if (name.size() == 13 && (name == "Authorization" || name == "authorization")) (void)sigv4::parse_authorization(value);
  }
  (void)sigv4::parse_amz_date(raw.body);

  static const auto kNow = *sigv4::parse_amz_date("20150830T123600Z");
  sigv4::IncomingRequest in;
  in.method = raw.method;
  in.path = raw.path;
  in.query = raw.query;
  in.headers = &raw.headers;
  in.body = raw.body;
  sigv4::VerifyOptions options;
  options.now = kNow;
  options.normalize_path = !raw.body.empty() || (size % 2 == 0);
  options.double_encode = options.normalize_path;
  auto secret_for = [](std::string_view key) -> std::optional<std::string> {
    if (key == "AKIDEXAMPLE") return std::string("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    return std::nullopt;
  };
  (void)sigv4::verify(in, secret_for, options);
  return 0;
}

#pragma once
// Byte encodings used across layers: hex (lower case), base64 (standard alphabet, padded),
// and percent-encoding as SigV4 and URLs need it.
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace appsignals {

std::string hex_encode(std::span<const unsigned char> bytes);
std::string hex_encode(std::string_view bytes);
std::optional<std::string> hex_decode(std::string_view hex);

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

// RFC 3986 unreserved characters stay as they are; everything else becomes %XX (upper case).
// With keep_slash, '/' is also kept (for URI paths).
std::string percent_encode(std::string_view text, bool keep_slash = false);
// Decodes %XX; with plus_as_space, '+' becomes ' ' (form encoding). nullopt on a bad escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space = false);

}  // namespace appsignals

#pragma once
// Small ASCII text helpers shared by every layer (header names, config keys, user input).
#include <string>
#include <string_view>

namespace appsignals {

// `s` with A-Z mapped to a-z; other bytes unchanged (no locale).
std::string ascii_lower(std::string_view s);

// `s` without leading and trailing ASCII white space (space, \t, \n, \v, \f, \r).
std::string_view trim_space(std::string_view s);

}  // namespace appsignals

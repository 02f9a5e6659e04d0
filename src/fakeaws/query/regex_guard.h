#pragma once
// A check made before a pattern from a query reaches std::regex: libstdc++'s regex compiler
// reads the number of a back-reference (\N) or a repetition ({n,m}) into an int without an
// overflow check, which is undefined behaviour on a long run of digits (the logs_insights fuzz
// target found it). Patterns with such a run are refused before compiling.
#include <cctype>
#include <cstddef>
#include <string_view>

namespace appsignals::fakeaws {

inline constexpr std::size_t kMaxRegexNumberDigits = 6;

// True when `pattern` has a run of more than kMaxRegexNumberDigits decimal digits.
inline bool regex_has_long_number(std::string_view pattern) {
  std::size_t run = 0;
  for (char c : pattern) {
    run = std::isdigit(static_cast<unsigned char>(c)) ? run + 1 : 0;
    if (run > kMaxRegexNumberDigits) return true;
  }
  return false;
}

}  // namespace appsignals::fakeaws

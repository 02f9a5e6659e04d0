#pragma once
// Logs Insights subset, internal to the parser: tokens, the lexer and the failure it throws.
// Only logs_insights_lexer.cc and logs_insights_parser.cc include this.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "fakeaws/query/logs_insights.h"

namespace appsignals::fakeaws::insights::detail {

enum class Tok { kIdent, kQuotedField, kString, kNumber, kDuration, kRegex, kSymbol, kEnd };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // identifier, field, unescaped string, number or duration as written, pattern, symbol
  std::size_t start = 0;
  std::size_t end = 0;
};

// Thrown by the lexer and the parser, caught by parse() (never escapes it).
struct ParseFailure {
  SyntaxError error;
};

// Throws ParseFailure: `what` at [start, end) of `text`, with Logs' "at line L and position P".
[[noreturn]] void fail(std::string_view text, std::size_t start, std::size_t end, const std::string& what);

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The tokens of `text`, ending with a kEnd token; throws ParseFailure on a character outside
// the language or an unterminated string, backquoted name or regex.
std::vector<Token> lex(std::string_view text);

}  // namespace appsignals::fakeaws::insights::detail

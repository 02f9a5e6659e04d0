// Logs Insights subset: the lexer (tokens in logs_insights_lexer.h).
#include "fakeaws/query/logs_insights_lexer.h"

#include <algorithm>

namespace appsignals::fakeaws::insights::detail {
namespace {

bool ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '@' || c == '$';
}
bool ident_char(char c) { return ident_start(c) || is_digit(c) || c == '.'; }
bool letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// "at line 1 and position 7": where Logs' compile errors point (1-based).
std::string where(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < offset; ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  return "at line " + std::to_string(line) + " and position " + std::to_string(offset - line_start + 1);
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : s_(text) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    while (true) {
      skip_space_and_comments();
      if (i_ >= s_.size()) break;
      out.push_back(next());
    }
    out.push_back(Token{Tok::kEnd, "", s_.size(), s_.size()});
    return out;
  }

 private:
  void skip_space_and_comments() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        ++i_;
      } else if (c == '#') {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else {
        break;
      }
    }
  }

  Token next() {
    const std::size_t start = i_;
    const char c = s_[i_];
    if (ident_start(c)) {
      while (i_ < s_.size() && ident_char(s_[i_])) ++i_;
      return {Tok::kIdent, std::string(s_.substr(start, i_ - start)), start, i_};
    }
    if (is_digit(c)) return number(start);
    if (c == '`') return delimited(start, '`', Tok::kQuotedField, "unterminated field name");
    if (c == '"' || c == '\'') return delimited(start, c, Tok::kString, "unterminated string");
    if (c == '/') return delimited(start, '/', Tok::kRegex, "unterminated regular expression");
    static constexpr std::string_view kTwo[] = {"!=", "<=", ">=", "=~"};
    for (auto sym : kTwo)
      if (s_.substr(i_, 2) == sym) {
        i_ += 2;
        return {Tok::kSymbol, std::string(sym), start, i_};
      }
    if (std::string_view("=<>()[],|*:-").find(c) != std::string_view::npos) {
      ++i_;
      return {Tok::kSymbol, std::string(1, c), start, i_};
    }
    fail(s_, start, start + 1, "unexpected symbol found " + std::string(1, c));
  }

  Token number(std::size_t start) {
    while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
    if (i_ + 1 < s_.size() && s_[i_] == '.' && is_digit(s_[i_ + 1])) {
      ++i_;
      while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      std::size_t j = i_ + 1;
      if (j < s_.size() && (s_[j] == '+' || s_[j] == '-')) ++j;
      if (j < s_.size() && is_digit(s_[j])) {
        i_ = j;
        while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
      }
    }
    // A number with letters straight after it is a period ("5m", "100ms").
    if (i_ < s_.size() && letter(s_[i_])) {
      while (i_ < s_.size() && ident_char(s_[i_])) ++i_;
      return {Tok::kDuration, std::string(s_.substr(start, i_ - start)), start, i_};
    }
    return {Tok::kNumber, std::string(s_.substr(start, i_ - start)), start, i_};
  }

  // A string, backquoted field name or /regex/ ending at the next unescaped `close`. Strings
  // unescape \\, \', \", \n, \t; a regex keeps its escapes except for \/.
  Token delimited(std::size_t start, char close, Tok kind, const char* unterminated) {
    std::string value;
    ++i_;
    while (i_ < s_.size() && s_[i_] != close) {
      char c = s_[i_];
      if (c == '\\' && i_ + 1 < s_.size() && kind != Tok::kQuotedField) {
        char e = s_[i_ + 1];
        i_ += 2;
        if (kind == Tok::kRegex) {
          if (e != '/') value += '\\';
          value += e;
        } else {
          value += e == 'n' ? '\n' : e == 't' ? '\t' : e;
        }
        continue;
      }
      value += c;
      ++i_;
    }
    if (i_ >= s_.size()) fail(s_, start, s_.size(), unterminated);
    ++i_;
    return {kind, std::move(value), start, i_};
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

void fail(std::string_view text, std::size_t start, std::size_t end, const std::string& what) {
  throw ParseFailure{SyntaxError{what + " " + where(text, start), start, std::max(end, start + 1)}};
}

std::vector<Token> lex(std::string_view text) { return Lexer(text).run(); }

}  // namespace appsignals::fakeaws::insights::detail

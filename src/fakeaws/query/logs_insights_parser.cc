// Logs Insights subset: recursive-descent parser over the lexer's tokens (the grammar is in
// logs_insights.h). The lexer and the parser throw detail::ParseFailure; parse() catches it and
// returns the SyntaxError as a value.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "common/text.h"
#include "fakeaws/query/logs_insights.h"
#include "fakeaws/query/logs_insights_lexer.h"
#include "fakeaws/query/regex_guard.h"

namespace appsignals::fakeaws::insights {
namespace {

using detail::fail;
using detail::is_digit;
using detail::ParseFailure;
using detail::Tok;
using detail::Token;

class Parser {
 public:
  Parser(std::string_view text, std::vector<Token> tokens) : text_(text), toks_(std::move(tokens)) {}

  Query run() {
    Query q;
    if (word("source")) {
      parse_source(q);
      if (peek().kind != Tok::kEnd) expect("|", "'|' after SOURCE");
    }
    if (peek().kind == Tok::kEnd) return q;
    while (true) {
      q.commands.push_back(parse_command());
      if (peek().kind == Tok::kEnd) break;
      expect("|", "'|' between commands");
    }
    return q;
  }

 private:
  using CommandParser = void (Parser::*)(Command&);

  const Token& peek(std::size_t k = 0) const { return toks_[std::min(pos_ + k, toks_.size() - 1)]; }
  Token take() {
    Token t = peek();
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  bool symbol(std::string_view s, std::size_t k = 0) const {
    return peek(k).kind == Tok::kSymbol && peek(k).text == s;
  }
  bool word(std::string_view w, std::size_t k = 0) const {
    return peek(k).kind == Tok::kIdent && ascii_lower(peek(k).text) == w;
  }
  [[noreturn]] void unexpected(const Token& t) const {
    if (t.kind == Tok::kEnd) fail(text_, t.start, t.end, "unexpected end of query");
    std::string shown = std::string(text_.substr(t.start, std::min<std::size_t>(t.end - t.start, 40)));
    fail(text_, t.start, t.end, "unexpected symbol found " + shown);
  }
  [[noreturn]] void expected(const char* what) const {
    const Token& t = peek();
    if (t.kind == Tok::kEnd) fail(text_, t.start, t.end, std::string("expected ") + what + ", found end of query");
    fail(text_, t.start, t.end,
         std::string("expected ") + what + ", found " + std::string(text_.substr(t.start, std::min<std::size_t>(t.end - t.start, 40))));
  }
  void expect(std::string_view sym, const char* what) {
    if (!symbol(sym)) expected(what);
    take();
  }

  // A field name: an identifier or a backquoted name. An identifier followed by '(' is a
  // function call, and no function is allowed where a field is expected.
  std::string field_name(const char* what = "a field name") {
    const Token& t = peek();
    if (t.kind == Tok::kQuotedField) return take().text;
    if (t.kind != Tok::kIdent) expected(what);
    if (symbol("(", 1)) fail(text_, t.start, t.end, "unsupported function " + t.text + "()");
    return take().text;
  }

  std::string optional_alias(std::string fallback) {
    if (!word("as")) return fallback;
    take();
    return field_name("a name after 'as'");
  }

  void parse_source(Query& q) {
    take();
    q.has_source = true;
    if (!word("loggroups")) expected("logGroups(...) after SOURCE");
    take();
    expect("(", "'(' after logGroups");
    while (!symbol(")")) {
      if (peek().kind != Tok::kIdent) expected("a logGroups option (namePrefix, class)");
      Token key = take();
      std::string k = ascii_lower(key.text);
      if (k != "nameprefix" && k != "class")
        fail(text_, key.start, key.end, "unsupported logGroups option " + key.text);
      expect(":", "':' after the option name");
      std::vector<std::string> values;
      if (symbol("[")) {
        take();
        while (true) {
          if (peek().kind != Tok::kString) expected("a quoted string");
          values.push_back(take().text);
          if (symbol("]")) break;
          expect(",", "',' or ']'");
        }
        take();
      } else if (peek().kind == Tok::kString) {
        values.push_back(take().text);
      } else {
        expected("a quoted string or a list of them");
      }
      if (k == "nameprefix") q.name_prefixes.insert(q.name_prefixes.end(), values.begin(), values.end());
      if (symbol(")")) break;
      expect(",", "',' or ')'");
    }
    take();
  }

  Command parse_command() {
    struct Entry {
      std::string_view name;
      Command::Kind kind;
      CommandParser parse;
    };
    static constexpr Entry kCommands[] = {
        {"fields", Command::Kind::kFields, &Parser::parse_fields},
        {"display", Command::Kind::kDisplay, &Parser::parse_display},
        {"filter", Command::Kind::kFilter, &Parser::parse_filter},
        {"filterindex", Command::Kind::kFilter, &Parser::parse_filter},
        {"stats", Command::Kind::kStats, &Parser::parse_stats},
        {"sort", Command::Kind::kSort, &Parser::parse_sort},
        {"limit", Command::Kind::kLimit, &Parser::parse_limit},
    };
    static constexpr std::string_view kUnsupported[] = {"parse", "dedup", "unmask", "pattern", "diff",
                                                        "anomaly", "unnest", "lookup", "source"};
    const Token& t = peek();
    if (t.kind != Tok::kIdent) {
      if (t.kind == Tok::kEnd) fail(text_, t.start, t.end, "expected a command, found end of query");
      unexpected(t);
    }
    const std::string name = ascii_lower(t.text);
    for (const auto& e : kCommands)
      if (e.name == name) {
        take();
        Command c;
        c.kind = e.kind;
        (this->*e.parse)(c);
        return c;
      }
    if (std::find(std::begin(kUnsupported), std::end(kUnsupported), name) != std::end(kUnsupported))
      fail(text_, t.start, t.end, "the " + t.text + " command is not supported by the sample account");
    unexpected(t);
  }

  void parse_fields(Command& c) {
    do {
      if (!c.fields.empty()) take();
      std::string f = field_name();
      std::string name = optional_alias(f);
      c.fields.push_back({std::move(f), std::move(name)});
    } while (symbol(","));
  }

  void parse_display(Command& c) {
    do {
      if (!c.fields.empty()) take();
      std::string f = field_name();
      c.fields.push_back({f, f});
    } while (symbol(","));
  }

  void parse_filter(Command& c) { c.condition = parse_or(0); }

  void parse_sort(Command& c) {
    do {
      if (!c.sort.empty()) take();
      SortKey k;
      k.field = field_name();
      if (word("asc") || word("desc")) k.descending = ascii_lower(take().text) == "desc";
      c.sort.push_back(std::move(k));
    } while (symbol(","));
  }

  void parse_limit(Command& c) {
    const Token& t = peek();
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), n);
    if (t.kind != Tok::kNumber || ec != std::errc() || p != t.text.data() + t.text.size() || n < 1 || n > kMaxLimit)
      fail(text_, t.start, t.end, "limit must be an integer between 1 and " + std::to_string(kMaxLimit));
    take();
    c.limit = n;
  }

  // ---- stats ----
  void parse_stats(Command& c) {
    do {
      if (!c.aggregates.empty()) take();
      c.aggregates.push_back(parse_aggregate());
    } while (symbol(","));
    if (!word("by")) return;
    take();
    do {
      if (!c.groups.empty()) take();
      GroupKey k;
      const Token& t = peek();
      if (word("bin") && symbol("(", 1)) {
        take();
        take();
        k.bin_ms = parse_period();
        expect(")", "')' after the bin period");
        k.name = optional_alias(std::string(text_.substr(t.start, toks_[pos_ - 1].end - t.start)));
      } else {
        k.field = field_name("a field or bin(period) after 'by'");
        k.name = optional_alias(k.field);
      }
      c.groups.push_back(std::move(k));
    } while (symbol(","));
  }

  Aggregate parse_aggregate() {
    struct Fn {
      std::string_view name;
      Aggregate::Fn fn;
    };
    static constexpr Fn kFns[] = {{"count", Aggregate::Fn::kCount},   {"count_distinct", Aggregate::Fn::kCountDistinct},
                                  {"avg", Aggregate::Fn::kAvg},       {"sum", Aggregate::Fn::kSum},
                                  {"min", Aggregate::Fn::kMin},       {"max", Aggregate::Fn::kMax},
                                  {"pct", Aggregate::Fn::kPct}};
    const Token t = peek();
    if (t.kind != Tok::kIdent) expected("an aggregate function (count, avg, sum, min, max, pct, count_distinct)");
    const std::string name = ascii_lower(t.text);
    const Fn* fn = nullptr;
    for (const auto& f : kFns)
      if (f.name == name) fn = &f;
    if (!fn) {
      if (symbol("(", 1)) fail(text_, t.start, t.end, "unsupported function " + t.text + "() in stats");
      expected("an aggregate function (count, avg, sum, min, max, pct, count_distinct)");
    }
    take();
    expect("(", "'(' after the function name");
    Aggregate a;
    a.fn = fn->fn;
    if (a.fn == Aggregate::Fn::kCount && (symbol("*") || symbol(")"))) {
      if (symbol("*")) take();
      a.fn = Aggregate::Fn::kCountAll;
    } else {
      a.field = field_name();
    }
    if (a.fn == Aggregate::Fn::kPct) {
      expect(",", "',' and a percentile in pct(field, N)");
      const Token& n = peek();
      double v = -1;
      if (n.kind == Tok::kNumber) std::from_chars(n.text.data(), n.text.data() + n.text.size(), v);
      if (n.kind != Tok::kNumber || v < 0 || v > 100) fail(text_, n.start, n.end, "the percentile must be a number from 0 to 100");
      take();
      a.percentile = v;
    }
    expect(")", "')' to close the function");
    a.name = optional_alias(std::string(text_.substr(t.start, toks_[pos_ - 1].end - t.start)));
    return a;
  }

  std::int64_t parse_period() {
    const Token& t = peek();
    if (t.kind != Tok::kDuration) expected("a period such as 5m");
    std::size_t split = 0;
    while (split < t.text.size() && is_digit(t.text[split])) ++split;
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(t.text.data(), t.text.data() + split, n);
    static constexpr std::pair<std::string_view, std::int64_t> kUnits[] = {
        {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}, {"w", 604800000}};
    const std::string unit = ascii_lower(std::string_view(t.text).substr(split));
    std::int64_t scale = 0;
    for (const auto& [u, ms] : kUnits)
      if (u == unit) scale = ms;
    if (ec != std::errc() || p != t.text.data() + split || n < 1 || n > 1000000 || scale == 0)
      fail(text_, t.start, t.end, "invalid period " + t.text + " (use a whole number with ms, s, m, h, d or w)");
    take();
    return n * scale;
  }

  // ---- conditions ----
  Condition parse_or(int depth) {
    Condition left = parse_and(depth);
    while (word("or")) {
      take();
      Condition c;
      c.kind = Condition::Kind::kOr;
      c.children.push_back(std::move(left));
      c.children.push_back(parse_and(depth));
      left = std::move(c);
    }
    return left;
  }

  Condition parse_and(int depth) {
    Condition left = parse_not(depth);
    while (word("and")) {
      take();
      Condition c;
      c.kind = Condition::Kind::kAnd;
      c.children.push_back(std::move(left));
      c.children.push_back(parse_not(depth));
      left = std::move(c);
    }
    return left;
  }

  void check_depth(int depth) const {
    if (depth >= kMaxDepth)
      fail(text_, peek().start, peek().end, "the condition is nested too deeply (at most " + std::to_string(kMaxDepth) + " levels)");
  }

  Condition parse_not(int depth) {
    if (!word("not")) return parse_primary(depth);
    check_depth(depth);
    take();
    Condition c;
    c.kind = Condition::Kind::kNot;
    c.children.push_back(parse_not(depth + 1));
    return c;
  }

  Condition parse_primary(int depth) {
    if (symbol("(")) {
      check_depth(depth);
      take();
      Condition inner = parse_or(depth + 1);
      expect(")", "')'");
      return inner;
    }
    Condition c;
    if (word("ispresent") && symbol("(", 1)) {
      take();
      take();
      c.kind = Condition::Kind::kIsPresent;
      c.lhs.text = field_name();
      expect(")", "')' after the field");
      return c;
    }
    c.lhs = parse_operand();
    static constexpr std::pair<std::string_view, CompareOp> kOps[] = {
        {"=", CompareOp::kEq}, {"!=", CompareOp::kNe}, {"<", CompareOp::kLt},
        {"<=", CompareOp::kLe}, {">", CompareOp::kGt}, {">=", CompareOp::kGe}};
    for (const auto& [sym, op] : kOps)
      if (symbol(sym)) {
        take();
        c.kind = Condition::Kind::kCompare;
        c.op = op;
        c.rhs = parse_operand();
        return c;
      }
    if (symbol("=~")) {
      take();
      c.kind = Condition::Kind::kRegex;
      c.regex = parse_regex();
      return c;
    }
    if (word("not") && (word("like", 1) || word("in", 1))) {
      take();
      c.negated = true;
    }
    if (word("like")) {
      take();
      if (peek().kind == Tok::kString) {
        c.kind = Condition::Kind::kSubstring;
        c.rhs.kind = Operand::Kind::kString;
        c.rhs.text = take().text;
      } else {
        c.kind = Condition::Kind::kRegex;
        c.regex = parse_regex();
      }
      return c;
    }
    if (word("in")) {
      take();
      c.kind = Condition::Kind::kIn;
      expect("[", "'[' to start the list");
      while (true) {
        Operand o = parse_operand();
        if (o.kind == Operand::Kind::kField) fail(text_, toks_[pos_ - 1].start, toks_[pos_ - 1].end, "expected a literal in the list");
        c.list.push_back(std::move(o));
        if (symbol("]")) break;
        expect(",", "',' or ']'");
      }
      take();
      return c;
    }
    expected("a comparison (=, !=, <, <=, >, >=, like, =~, in)");
  }

  Operand parse_operand() {
    Operand o;
    const Token& t = peek();
    bool negative = false;
    if (symbol("-") && peek(1).kind == Tok::kNumber) {
      take();
      negative = true;
    }
    const Token& v = peek();
    switch (v.kind) {
      case Tok::kNumber: {
        o.kind = Operand::Kind::kNumber;
        o.text = (negative ? "-" : "") + v.text;
        auto [p, ec] = std::from_chars(o.text.data(), o.text.data() + o.text.size(), o.number);
        if (ec != std::errc() || !std::isfinite(o.number)) fail(text_, t.start, v.end, "invalid number " + o.text);
        take();
        return o;
      }
      case Tok::kString:
        o.kind = Operand::Kind::kString;
        o.text = take().text;
        return o;
      case Tok::kIdent:
      case Tok::kQuotedField:
        o.text = field_name();
        return o;
      default:
        expected("a field, a quoted string or a number");
    }
  }

  std::shared_ptr<const std::regex> parse_regex() {
    const Token& t = peek();
    if (t.kind != Tok::kRegex) expected("a /regular expression/");
    std::string pattern = t.text;
    if (pattern.size() > kMaxRegexLength)
      fail(text_, t.start, t.end, "the regular expression is longer than " + std::to_string(kMaxRegexLength) + " characters");
    auto flags = std::regex::ECMAScript;
#ifdef __GLIBCXX__
    flags |= std::regex_constants::__polynomial;  // no backtracking: linear in the subject
#endif
    if (pattern.rfind("(?i)", 0) == 0) {
      pattern.erase(0, 4);
      flags |= std::regex::icase;
    }
    if (regex_has_long_number(pattern))
      fail(text_, t.start, t.end,
           "the regular expression has a number longer than " + std::to_string(kMaxRegexNumberDigits) + " digits");
    if (repetition_bound(pattern) > kMaxRepetition)
      fail(text_, t.start, t.end, "the regular expression repeats too much (at most " + std::to_string(kMaxRepetition) + " in {n,m})");
    // Compiled alone to check it, then wrapped so that one regex_match scans the value once
    // (regex_search would restart at every position).
    std::shared_ptr<const std::regex> re;
    try {
      std::regex alone(pattern, flags);
      re = std::make_shared<const std::regex>("[\\s\\S]*(?:" + pattern + ")[\\s\\S]*", flags);
    } catch (const std::regex_error& e) {
      fail(text_, t.start, t.end, std::string("invalid regular expression: ") + e.what());
    }
    take();
    return re;
  }

  // The product of the bounds of every {n}, {n,} and {n,m} in `pattern`: an upper bound of how
  // many times a compiled state is copied.
  static double repetition_bound(std::string_view pattern) {
    double product = 1;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      if (pattern[i] == '\\') {
        ++i;
        continue;
      }
      if (pattern[i] != '{') continue;
      double biggest = 0, n = 0;
      std::size_t j = i + 1;
      for (; j < pattern.size() && (is_digit(pattern[j]) || pattern[j] == ','); ++j) {
        if (pattern[j] == ',') {
          biggest = std::max(biggest, n);
          n = 0;
        } else {
          n = n * 10 + (pattern[j] - '0');
        }
      }
      if (j < pattern.size() && pattern[j] == '}') product *= std::max({biggest, n, 1.0});
    }
    return product;
  }

  std::string_view text_;
  std::vector<Token> toks_;
  std::size_t pos_ = 0;
};

}  // namespace

std::variant<Query, SyntaxError> parse(std::string_view text) {
  if (text.size() > kMaxQueryLength)
    return SyntaxError{"the query is longer than " + std::to_string(kMaxQueryLength) + " characters", kMaxQueryLength,
                       text.size()};
  try {
    Parser parser(text, detail::lex(text));
    return parser.run();
  } catch (const ParseFailure& f) {
    return f.error;
  } catch (const std::exception& e) {  // std::regex or allocation: never escapes the parser
    return SyntaxError{std::string("the query could not be compiled: ") + e.what(), 0, text.size()};
  }
}

}  // namespace appsignals::fakeaws::insights

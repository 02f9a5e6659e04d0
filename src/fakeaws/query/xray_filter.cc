// X-Ray filter expression subset: lexer, recursive-descent parser and matcher (the grammar is in
// xray_filter.h). Failures are thrown as Failure inside this file only and returned by parse()
// as a FilterError value.
#include "fakeaws/query/xray_filter.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

#include "common/text.h"

namespace appsignals::fakeaws::xray_filter {
namespace {

enum class Tok { kWord, kAnnotation, kString, kNumber, kSymbol, kEnd };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // word, annotation key, unescaped string, number, symbol
  std::size_t start = 0;
  std::size_t end = 0;
};

struct Failure {
  FilterError error;
};

[[noreturn]] void fail(std::size_t position, const std::string& what) {
  throw Failure{FilterError{"Invalid filter expression: " + what + " at position " + std::to_string(position + 1) + ".",
                            position}};
}

bool word_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool digit(char c) { return c >= '0' && c <= '9'; }
bool word_char(char c) { return word_start(c) || digit(c) || c == '.' || c == '-'; }

std::vector<Token> lex(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (true) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
    if (i >= s.size()) break;
    const std::size_t start = i;
    const char c = s[i];
    if (word_start(c)) {
      while (i < s.size() && word_char(s[i])) ++i;
      std::string w(s.substr(start, i - start));
      std::string lower = ascii_lower(w);
      if (lower == "annotation" && i < s.size() && s[i] == '[') {
        std::size_t close = s.find(']', i);
        if (close == std::string_view::npos || close == i + 1) fail(i, "expected annotation[key]");
        out.push_back({Tok::kAnnotation, std::string(s.substr(i + 1, close - i - 1)), start, close + 1});
        i = close + 1;
      } else if (lower.rfind("annotation.", 0) == 0 && w.size() > 11) {
        out.push_back({Tok::kAnnotation, w.substr(11), start, i});
      } else {
        out.push_back({Tok::kWord, std::move(w), start, i});
      }
    } else if (digit(c) || (c == '-' && i + 1 < s.size() && digit(s[i + 1])) || (c == '.' && i + 1 < s.size() && digit(s[i + 1]))) {
      ++i;
      while (i < s.size() && (digit(s[i]) || s[i] == '.')) ++i;
      out.push_back({Tok::kNumber, std::string(s.substr(start, i - start)), start, i});
    } else if (c == '"' || c == '\'') {
      std::string value;
      ++i;
      while (i < s.size() && s[i] != c) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        value += s[i++];
      }
      if (i >= s.size()) fail(start, "unterminated string");
      ++i;
      out.push_back({Tok::kString, std::move(value), start, i});
    } else {
      static constexpr std::string_view kSymbols[] = {"!=", "<=", ">=", "=", "<", ">", "!", "(", ")", "{", "}"};
      bool found = false;
      for (auto sym : kSymbols)
        if (s.substr(i, sym.size()) == sym) {
          i += sym.size();
          out.push_back({Tok::kSymbol, std::string(sym), start, i});
          found = true;
          break;
        }
      if (!found) fail(start, "unexpected character '" + std::string(1, c) + "'");
    }
  }
  out.push_back({Tok::kEnd, "", s.size(), s.size()});
  return out;
}

struct FieldEntry {
  std::string_view name;
  Node::Kind kind;
  Node::Field field;
};
constexpr FieldEntry kFields[] = {
    {"ok", Node::Kind::kFlag, Node::Field::kOk},
    {"fault", Node::Kind::kFlag, Node::Field::kFault},
    {"error", Node::Kind::kFlag, Node::Field::kError},
    {"throttle", Node::Kind::kFlag, Node::Field::kThrottle},
    {"http.status", Node::Kind::kNumber, Node::Field::kHttpStatus},
    {"responsetime", Node::Kind::kNumber, Node::Field::kResponseTime},
    {"duration", Node::Kind::kNumber, Node::Field::kDuration},
    {"http.url", Node::Kind::kText, Node::Field::kHttpUrl},
    {"http.method", Node::Kind::kText, Node::Field::kHttpMethod},
};

constexpr std::pair<std::string_view, Op> kOps[] = {
    {"=", Op::kEq},  {"!=", Op::kNe}, {"<", Op::kLt},         {"<=", Op::kLe},          {">", Op::kGt},
    {">=", Op::kGe}, {"contains", Op::kContains}, {"beginswith", Op::kBeginsWith}, {"endswith", Op::kEndsWith}};

bool is_text_op(Op op) { return op == Op::kContains || op == Op::kBeginsWith || op == Op::kEndsWith; }
bool is_order_op(Op op) { return op == Op::kLt || op == Op::kLe || op == Op::kGt || op == Op::kGe; }

class Parser {
 public:
  explicit Parser(std::vector<Token> toks) : toks_(std::move(toks)) {}

  Filter run() {
    Filter f;
    if (peek().kind == Tok::kEnd) return f;
    f.empty = false;
    f.root = parse_or(0);
    if (peek().kind != Tok::kEnd) unexpected();
    return f;
  }

 private:
  const Token& peek(std::size_t k = 0) const { return toks_[std::min(pos_ + k, toks_.size() - 1)]; }
  Token take() {
    Token t = peek();
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  bool symbol(std::string_view s) const { return peek().kind == Tok::kSymbol && peek().text == s; }
  bool word(std::string_view w) const { return peek().kind == Tok::kWord && ascii_lower(peek().text) == w; }
  [[noreturn]] void unexpected() const {
    const Token& t = peek();
    if (t.kind == Tok::kEnd) fail(t.start, "unexpected end of expression");
    fail(t.start, "unexpected '" + (t.kind == Tok::kString ? "\"" + t.text + "\"" : t.text) + "'");
  }
  void expect(std::string_view s) {
    if (!symbol(s)) {
      const Token& t = peek();
      fail(t.start, "expected '" + std::string(s) + "'" + (t.kind == Tok::kEnd ? " before the end" : ""));
    }
    take();
  }
  void check_depth(int depth) const {
    if (depth >= kMaxDepth) fail(peek().start, "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
  }

  Node parse_or(int depth) {
    Node left = parse_and(depth);
    while (word("or")) {
      take();
      Node n;
      n.kind = Node::Kind::kOr;
      n.children.push_back(std::move(left));
      n.children.push_back(parse_and(depth));
      left = std::move(n);
    }
    return left;
  }

  Node parse_and(int depth) {
    Node left = parse_unary(depth);
    while (word("and")) {
      take();
      Node n;
      n.kind = Node::Kind::kAnd;
      n.children.push_back(std::move(left));
      n.children.push_back(parse_unary(depth));
      left = std::move(n);
    }
    return left;
  }

  Node parse_unary(int depth) {
    if (symbol("!")) {
      check_depth(depth);
      take();
      Node n;
      n.kind = Node::Kind::kNot;
      n.children.push_back(parse_unary(depth + 1));
      return n;
    }
    if (symbol("(")) {
      check_depth(depth);
      take();
      Node inner = parse_or(depth + 1);
      expect(")");
      return inner;
    }
    return parse_condition(depth);
  }

  std::optional<Op> parse_op() {
    const Token& t = peek();
    std::string lower = ascii_lower(t.text);
    if (t.kind != Tok::kSymbol && t.kind != Tok::kWord) return std::nullopt;
    for (const auto& [name, op] : kOps)
      if (name == lower) {
        take();
        return op;
      }
    return std::nullopt;
  }

  double parse_number() {
    const Token& t = peek();
    double v = 0;
    auto [p, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
    if (t.kind != Tok::kNumber || ec != std::errc() || p != t.text.data() + t.text.size() || !std::isfinite(v))
      fail(t.start, "expected a number");
    take();
    return v;
  }

  Node parse_condition(int depth) {
    const Token t = peek();
    Node n;
    if (t.kind == Tok::kAnnotation) {
      take();
      n.kind = Node::Kind::kAnnotation;
      n.key = t.text;
      auto op = parse_op();
      if (!op) fail(peek().start, "expected an operator after annotation[" + t.text + "]");
      n.op = *op;
      const Token& v = peek();
      if (v.kind == Tok::kString) {
        n.literal = Node::Literal::kString;
        n.text = take().text;
        if (is_order_op(n.op)) fail(v.start, "a string annotation value takes =, !=, CONTAINS, BEGINSWITH or ENDSWITH");
      } else if (v.kind == Tok::kNumber) {
        n.literal = Node::Literal::kNumber;
        n.number = parse_number();
        if (is_text_op(n.op)) fail(v.start, "a number annotation value takes =, !=, <, <=, > or >=");
      } else if (word("true") || word("false")) {
        n.literal = Node::Literal::kBool;
        n.flag = ascii_lower(take().text) == "true";
        if (n.op != Op::kEq && n.op != Op::kNe) fail(v.start, "a boolean annotation value takes = or !=");
      } else {
        fail(v.start, "expected a string, number or boolean annotation value");
      }
      return n;
    }
    if (t.kind != Tok::kWord) unexpected();
    const std::string name = ascii_lower(t.text);
    if (name == "service") return parse_service(depth);
    const FieldEntry* field = nullptr;
    for (const auto& f : kFields)
      if (f.name == name) field = &f;
    if (!field) fail(t.start, "unsupported keyword '" + t.text + "'");
    take();
    n.kind = field->kind;
    n.field = field->field;
    if (n.kind == Node::Kind::kFlag) {
      if (!symbol("=") && !symbol("!=")) return n;  // bare: the flag is true
      bool negate = take().text == "!=";
      if (!word("true") && !word("false")) fail(peek().start, "expected true or false after " + t.text);
      n.flag = (ascii_lower(take().text) == "true") != negate;
      return n;
    }
    auto op = parse_op();
    if (!op) fail(peek().start, "expected an operator after " + t.text);
    n.op = *op;
    if (n.kind == Node::Kind::kNumber) {
      if (is_text_op(n.op)) fail(t.start, t.text + " takes =, !=, <, <=, > or >=");
      n.number = parse_number();
    } else {
      if (is_order_op(n.op)) fail(t.start, t.text + " takes =, !=, CONTAINS, BEGINSWITH or ENDSWITH");
      if (peek().kind != Tok::kString) fail(peek().start, "expected a quoted string after " + t.text);
      n.text = take().text;
    }
    return n;
  }

  Node parse_service(int depth) {
    take();
    expect("(");
    if (peek().kind != Tok::kString) fail(peek().start, "expected a quoted service name in service()");
    Node n;
    n.kind = Node::Kind::kService;
    n.text = take().text;
    expect(")");
    if (symbol("{")) {
      check_depth(depth);
      take();
      n.children.push_back(parse_or(depth + 1));
      expect("}");
    }
    return n;
  }

  std::vector<Token> toks_;
  std::size_t pos_ = 0;
};

template <typename T>
bool ordered(Op op, const T& a, const T& b) {
  switch (op) {
    case Op::kEq: return a == b;
    case Op::kNe: return a != b;
    case Op::kLt: return a < b;
    case Op::kLe: return a <= b;
    case Op::kGt: return a > b;
    case Op::kGe: return a >= b;
    default: return false;
  }
}

bool text_matches(Op op, std::string_view value, std::string_view wanted) {
  switch (op) {
    case Op::kContains: return value.find(wanted) != std::string_view::npos;
    case Op::kBeginsWith: return value.substr(0, wanted.size()) == wanted;
    case Op::kEndsWith: return value.size() >= wanted.size() && value.substr(value.size() - wanted.size()) == wanted;
    default: return ordered(op, value, wanted);
  }
}

bool annotation_matches(const Node& n, const std::string& value) {
  switch (n.literal) {
    case Node::Literal::kString: return text_matches(n.op, value, n.text);
    case Node::Literal::kBool: return (value == (n.flag ? "true" : "false")) == (n.op == Op::kEq);
    case Node::Literal::kNumber: {
      double v = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      return ec == std::errc() && p == value.data() + value.size() && ordered(n.op, v, n.number);
    }
  }
  return false;
}

bool eval(const Node& n, const Segment& s, const Trace& trace) {
  using K = Node::Kind;
  using F = Node::Field;
  switch (n.kind) {
    case K::kAnd: return eval(n.children[0], s, trace) && eval(n.children[1], s, trace);
    case K::kOr: return eval(n.children[0], s, trace) || eval(n.children[1], s, trace);
    case K::kNot: return !eval(n.children[0], s, trace);
    case K::kFlag: {
      bool v = n.field == F::kOk      ? !s.fault && !s.error && !s.throttle
               : n.field == F::kFault ? s.fault
               : n.field == F::kError ? s.error
                                      : s.throttle;
      return v == n.flag;
    }
    case K::kNumber: {
      double v = n.field == F::kHttpStatus     ? static_cast<double>(s.http_status)
                 : n.field == F::kResponseTime ? s.response_time
                                               : s.duration;
      return ordered(n.op, v, n.number);
    }
    case K::kText: return text_matches(n.op, n.field == F::kHttpUrl ? s.http_url : s.http_method, n.text);
    case K::kAnnotation:
      return std::any_of(s.annotations.begin(), s.annotations.end(),
                         [&n](const auto& a) { return a.first == n.key && annotation_matches(n, a.second); });
    case K::kService:
      return std::any_of(trace.segments.begin(), trace.segments.end(), [&n, &trace](const Segment& seg) {
        return seg.service == n.text && (n.children.empty() || eval(n.children[0], seg, trace));
      });
  }
  return false;
}

}  // namespace

std::variant<Filter, FilterError> parse(std::string_view text) {
  if (text.size() > kMaxLength)
    return FilterError{"Invalid filter expression: longer than " + std::to_string(kMaxLength) + " characters.", kMaxLength};
  try {
    Parser p(lex(text));
    return p.run();
  } catch (const Failure& f) {
    return f.error;
  }
}

bool matches(const Filter& filter, const Trace& trace) {
  return filter.empty || eval(filter.root, trace.summary, trace);
}

}  // namespace appsignals::fakeaws::xray_filter

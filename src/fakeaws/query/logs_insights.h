#pragma once
// A small subset of the CloudWatch Logs Insights query language (Logs Insights QL), for the fake
// Logs service: a parser to an AST and an evaluator over rows of (field, value) pairs. Anything
// outside the subset is a syntax error, so the fake answers it as Logs answers a malformed query
// (MalformedQueryException) instead of returning rows that ignore part of the query.
//
// Supported subset
//   query     := [SOURCE logGroups(namePrefix: ["p", ...], class: "...") '|'] command ('|' command)*
//                (an empty query selects every record)
//   command   := fields item (',' item)*            item := field ['as' name]
//              | display field (',' field)*
//              | filter cond | filterIndex cond      (filterIndex acts as a filter)
//              | stats agg ['as' name] (',' agg ['as' name])* ['by' key (',' key)*]
//              | sort field [asc|desc] (',' field [asc|desc])*   (ascending by default)
//              | limit N                              (1 ≤ N ≤ 10000)
//   cond      := cond or cond | cond and cond | not cond | '(' cond ')' | ispresent(field)
//              | operand (= | != | < | <= | > | >=) operand
//              | operand [not] like ("substring" | /regex/) | operand =~ /regex/
//              | operand [not] in [literal, ...]
//   operand   := field | "string" | 'string' | number | -number
//   agg       := count(*) | count() | count(field) | count_distinct(field) | avg(field)
//              | sum(field) | min(field) | max(field) | pct(field, N)
//   key       := field ['as' name] | bin(period) ['as' name]    period: N(ms|s|m|h|d|w)
//   field     := name of letters, digits, '_', '.', '@', '$' (not starting with a digit), or
//                `any text` in backquotes.
// Keywords and function names are case-insensitive; field names are case-sensitive. `#` starts
// a comment to the end of the line. Commands run in the order written.
//
// Semantics
//   - Comparisons: a quoted literal compares as a string; otherwise two numeric values compare
//     as numbers; a number literal against a non-numeric value is false. A comparison, like or in
//     on an absent field is false (so `not` of it is true).
//   - like "s" is a case-sensitive substring test; /regex/ is an ECMAScript regex searched in the
//     value, `(?i)` at its start makes it case-insensitive. Patterns are at most kMaxRegexLength
//     characters with {n,m} bounds multiplying to at most kMaxRepetition, and run in linear time
//     (no back-references); values longer than kMaxRegexSubject are cut there.
//   - fields/display choose the columns of the result (fields also adds aliases that later
//     commands can use); without them a row has every field. stats replaces the rows with one row
//     per group: the by-columns first, then the aggregates, named by their alias or the text of
//     the expression (`count(*)`, `bin(5m)`); bin values are formatted like @timestamp
//     (`2026-12-04 01:05:00.000`), groups come in ascending order of their keys. A field absent
//     from a row is absent from that row of the result. Non-numeric values are skipped by
//     avg/sum/min/max/pct; an aggregate with no value is absent from its row.
//   - sort uses Logs Insights' natural order: non-numbers before numbers, digit runs compared
//     by value; rows without the field come last.
//   - @ptr, when a row has it, stays in every non-aggregated result row.
// Not supported (syntax error): parse, dedup, unmask, pattern, diff, arithmetic, functions other
// than the ones above, SQL and PPL.
//
// Limits: the query text is at most kMaxQueryLength characters; conditions nest at most
// kMaxDepth levels. Thread safety: a parsed Query is immutable and may be shared.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace appsignals::fakeaws::insights {

inline constexpr std::size_t kMaxQueryLength = 10000;
inline constexpr int kMaxDepth = 64;
inline constexpr std::size_t kMaxRegexLength = 256;
inline constexpr std::size_t kMaxRegexSubject = 8192;
inline constexpr double kMaxRepetition = 1000;  // product of the {n,m} bounds in a regex
inline constexpr std::int64_t kMaxLimit = 10000;

// One log record (or result row): fields in order, names unique.
using Row = std::vector<std::pair<std::string, std::string>>;

struct Operand {
  enum class Kind { kField, kString, kNumber };
  Kind kind = Kind::kField;
  std::string text;  // field name, string value, or the number as written
  double number = 0;
};

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };

struct Condition {
  enum class Kind { kAnd, kOr, kNot, kCompare, kSubstring, kRegex, kIn, kIsPresent };
  Kind kind = Kind::kCompare;
  std::vector<Condition> children;  // kAnd, kOr (two), kNot (one)
  CompareOp op = CompareOp::kEq;
  Operand lhs;                      // every leaf; kIsPresent: the field
  Operand rhs;                      // kCompare; kSubstring: the substring
  std::vector<Operand> list;        // kIn
  std::shared_ptr<const std::regex> regex;  // kRegex
  bool negated = false;             // not like / not in
};

struct FieldItem {
  std::string field;
  std::string name;  // alias, or the field itself
};

struct Aggregate {
  enum class Fn { kCountAll, kCount, kCountDistinct, kAvg, kSum, kMin, kMax, kPct };
  Fn fn = Fn::kCountAll;
  std::string field;
  double percentile = 0;  // kPct
  std::string name;       // alias, or the expression's text
};

struct GroupKey {
  std::string field;         // empty for bin()
  std::int64_t bin_ms = 0;   // bin(period)
  std::string name;
};

struct SortKey {
  std::string field;
  bool descending = false;
};

struct Command {
  enum class Kind { kFields, kDisplay, kFilter, kStats, kSort, kLimit };
  Kind kind = Kind::kFilter;
  std::vector<FieldItem> fields;  // kFields, kDisplay
  Condition condition;            // kFilter
  std::vector<Aggregate> aggregates;
  std::vector<GroupKey> groups;   // kStats
  std::vector<SortKey> sort;      // kSort
  std::int64_t limit = 0;         // kLimit
};

struct Query {
  bool has_source = false;
  std::vector<std::string> name_prefixes;  // SOURCE logGroups(namePrefix: ...); empty: all groups
  std::vector<Command> commands;
};

// Where and why the text is not in the subset (offsets in bytes, end exclusive), worded like
// Logs' compile errors.
struct SyntaxError {
  std::string message;
  std::size_t start = 0;
  std::size_t end = 0;
};

std::variant<Query, SyntaxError> parse(std::string_view text);

struct Evaluation {
  std::vector<Row> rows;
  std::int64_t matched = 0;  // records that passed the filters (before stats and limit)
};

// Runs the commands over `rows` (in the order given) and keeps at most `max_rows` result rows.
Evaluation evaluate(const Query& query, std::vector<Row> rows, std::size_t max_rows);

// Logs Insights' timestamp text: epoch milliseconds → "2026-12-04 01:05:00.123" (UTC).
std::string format_time(std::int64_t epoch_ms);
// The inverse; false if `text` is not in that form.
bool parse_time(std::string_view text, std::int64_t& epoch_ms);

}  // namespace appsignals::fakeaws::insights

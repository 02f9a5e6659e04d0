#pragma once
// A subset of the X-Ray filter expression language (GetTraceSummaries' FilterExpression), for
// the fake X-Ray service: a parser to an AST and a matcher over a trace's facts. Anything
// outside the subset is an error, which the fake answers as X-Ray answers an invalid filter
// (InvalidRequestException), never by matching everything.
//
// Supported subset (keywords and operators case-insensitive, names and values case-sensitive)
//   expr      := expr AND expr | expr OR expr | '!' expr | '(' expr ')' | condition
//                (AND binds tighter than OR)
//   condition := ok | fault | error | throttle        (alone: the flag is true)
//              | (ok | fault | error | throttle) (= | !=) (true | false)
//              | (http.status | responsetime | duration) (= | != | < | <= | > | >=) number
//              | (http.url | http.method) (= | != | CONTAINS | BEGINSWITH | ENDSWITH) "string"
//              | annotation.key op value | annotation[key] op value
//                  value: "string" (= != CONTAINS BEGINSWITH ENDSWITH), number (= != < <= > >=),
//                  true | false (= !=)
//              | service("name") [ '{' expr '}' ]
// Strings are in double or single quotes (backslash escapes the next character).
//
// Semantics: at the top level a condition is about the trace as X-Ray summarises it (its flags,
// the root request's HTTP status, URL and method, its response time and duration in seconds); an
// annotation condition holds when any segment has that annotation with a matching value.
// service("name") holds when the trace has a segment of that service; with `{ expr }`, when
// such a segment satisfies expr, where the conditions are about that segment.
//
// Limits: at most kMaxLength characters, nesting at most kMaxDepth levels. A parsed Filter is
// immutable and may be shared between threads.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace appsignals::fakeaws::xray_filter {

inline constexpr std::size_t kMaxLength = 10000;
inline constexpr int kMaxDepth = 64;

// What a condition can see of one segment, or of the whole trace.
struct Segment {
  std::string service;
  bool fault = false;
  bool error = false;
  bool throttle = false;
  int http_status = 0;
  std::string http_url;
  std::string http_method;
  double response_time = 0;  // seconds
  double duration = 0;       // seconds
  std::vector<std::pair<std::string, std::string>> annotations;  // values as text ("42", "true")
};

struct Trace {
  Segment summary;                // the trace: flags, root request, every segment's annotations
  std::vector<Segment> segments;  // one per service segment, for service()
};

enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kContains, kBeginsWith, kEndsWith };

struct Node {
  enum class Kind { kAnd, kOr, kNot, kFlag, kNumber, kText, kAnnotation, kService };
  enum class Field { kOk, kFault, kError, kThrottle, kHttpStatus, kResponseTime, kDuration, kHttpUrl, kHttpMethod };
  enum class Literal { kString, kNumber, kBool };
  Kind kind = Kind::kFlag;
  std::vector<Node> children;  // kAnd/kOr: two; kNot: one; kService: the `{ expr }`, if any
  Field field = Field::kFault;
  Op op = Op::kEq;
  Literal literal = Literal::kBool;
  bool flag = true;            // kFlag: the value it must have; kAnnotation with a bool
  double number = 0;
  std::string text;            // string value; kService: the name
  std::string key;             // kAnnotation
};

struct Filter {
  Node root;
  bool empty = true;  // an empty expression matches every trace
};

struct FilterError {
  std::string message;  // for InvalidRequestException
  std::size_t position = 0;
};

std::variant<Filter, FilterError> parse(std::string_view text);
bool matches(const Filter& filter, const Trace& trace);

}  // namespace appsignals::fakeaws::xray_filter

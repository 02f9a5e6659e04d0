#pragma once
// One declarative spec per tool. From a ToolSpec come the input schema (portable: one `type`
// per property), the argument reading (the leniency rules below), the MCP annotations, the
// IAM hints of AccessDenied results, `check`'s probes and the output budget. A tool's run
// function receives already-read, typed arguments (ToolCall::args).
//
// Leniency rules, applied to every argument of every tool (arguments come from language
// models; read them the way the model means them):
//   - strings: numbers given for a string are accepted as their text; surrounding space trimmed.
//   - integers: numeric strings ("24", "24.0") accepted; out of range → clamped to the range with
//     a one-line note in the output ("max_results 100 is above the limit 50: using 50").
//   - numbers (decimals): numeric strings ("1.5", " 99 ") accepted; out of range → clamped with a
//     note, like integers; NaN and infinities refused.
//   - booleans: true/false, "true"/"false"/"yes"/"no"/"1"/"0" in any case.
//   - enumerations: case-insensitive and trimmed, answered with the canonical spelling; an
//     optional per-argument reader handles tool-specific readings (statistic "p99").
//   - times: see time_args.h (unix s/ms, ISO-8601 with or without seconds and zone, dates, now,
//     relative forms); end before start is an error that says so.
//   - JSON arguments (objects and arrays): a JSON value or JSON text of one; the schema
//     advertises a string (portable) and the description says what the JSON holds.
//   - region: trimmed and lower-cased ("US-EAST-1" → "us-east-1"), then checked for shape.
//   - unknown arguments are ignored (their names are kept: Args::unknown()); null or "" for an
//     optional argument means "not given".
// A missing required argument or a value that cannot be read is an isError result naming the
// argument, what it accepts, and a valid example call.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "aws/services/ops.h"
#include "common/result.h"
#include "mcp/content.h"
#include "mcp/registry.h"
#include "mcp/request_context.h"
#include "tools/common/time_args.h"
#include "tools/common/tool_env.h"

namespace appsignals::tools {

namespace json = boost::json;

// Default output budget in characters (operator-settable: MCP_OUTPUT_BUDGET / ToolEnv).
inline constexpr std::size_t kDefaultOutputBudget = 16000;

enum class ArgKind { kString, kInteger, kNumber, kBoolean, kEnum, kTime, kJson };

// Notes collected while reading arguments (clamps, resolved spellings), shown to the model
// at the top of the result.
using Notes = std::vector<std::string>;

struct ArgSpec {
  // An argument-specific reader: for enums and integers it runs first (aliases, units), for the
  // other kinds after the kind's own reading. Returns the value to use, may add a note, or an
  // error message (without the argument's name).
  using Reader = std::function<Result<json::value>(const json::value& value, Notes& notes)>;

  std::string name;
  ArgKind kind = ArgKind::kString;
  std::string description;
  bool required = false;
  json::value default_value;          // null: no default
  std::int64_t min = INT64_MIN;       // integers: the clamp range
  std::int64_t max = INT64_MAX;
  double number_min = -1e308;         // numbers: the clamp range
  double number_max = 1e308;
  std::vector<std::string> allowed;   // enums: canonical spellings
  bool allow_empty = false;           // strings/enums: "" is a value (not "not given")
  std::string example;                // a valid value, as it would be written in a call
  std::string json_shape;             // kJson: "array" or "object" (either when empty)
  Reader reader;

  // Builders: Arg::string("service_name", "…").required().example("\"payments\"")
  ArgSpec& require() { required = true; return *this; }
  ArgSpec& def(json::value v) { default_value = std::move(v); return *this; }
  ArgSpec& range(std::int64_t lo, std::int64_t hi) { min = lo; max = hi; return *this; }
  ArgSpec& eg(std::string e) { example = std::move(e); return *this; }
  ArgSpec& empty_ok() { allow_empty = true; return *this; }
  ArgSpec& read_with(Reader r) { reader = std::move(r); return *this; }
};

namespace arg {
ArgSpec string(std::string name, std::string description);
ArgSpec integer(std::string name, std::string description, std::int64_t def, std::int64_t min, std::int64_t max);
// A decimal number (JSON schema "number"), clamped to [min, max] with a note.
ArgSpec number(std::string name, std::string description, double def, double min, double max);
ArgSpec boolean(std::string name, std::string description, bool def);
ArgSpec enumeration(std::string name, std::string description, std::vector<std::string> allowed);
ArgSpec time(std::string name, std::string description);
// JSON given as a value or as JSON text; `shape` "array", "object" or "" (either).
ArgSpec json_text(std::string name, std::string description, std::string shape);
// An hour count that also accepts "1h", "24 hours", "2d", "90m" (rounded up to whole hours).
ArgSpec hours(std::string name, std::string description, std::int64_t def, std::int64_t min, std::int64_t max);
// The optional `region` every AWS tool takes.
ArgSpec region();
}  // namespace arg

struct ToolSpec {
  std::string name;
  std::string title;
  std::string description;
  std::vector<ArgSpec> args;
  std::vector<aws::Op> ops;       // every AWS operation the tool may call
  bool writes = false;            // hidden by --read-only
  bool destructive = false;
  bool idempotent = true;
  bool open_world = true;         // talks to AWS
  std::optional<json::object> output_schema;
  std::size_t output_budget = 0;  // 0: the server's budget
  // How to get less when the output was cut (the last line of a cut result).
  std::string narrow_hint = "narrow the time window or the names, or page with next_token where the tool has one";
  // Optional arguments that, added to the required ones' examples, make a call that reaches AWS
  // in the sample account (tests: a tool whose required arguments alone are refused before AWS,
  // such as create_instrumentation without a code location).
  json::object example_extra;
};

// Arguments read by the spec: every declared argument present has its canonical type (int64,
// bool, string, canonical enum spelling, epoch seconds for times, a parsed JSON value),
// defaults are filled in, unknown arguments are dropped.
class Args {
 public:
  Args() = default;
  Args(json::object values, Notes notes) : values_(std::move(values)), notes_(std::move(notes)) {}

  bool has(std::string_view name) const;  // given or defaulted
  std::string str(std::string_view name) const;  // "" when absent
  std::optional<std::string> opt_str(std::string_view name) const;
  std::int64_t integer(std::string_view name, std::int64_t fallback = 0) const;
  double number(std::string_view name, double fallback = 0) const;
  bool boolean(std::string_view name, bool fallback = false) const;
  std::optional<TimePoint> time(std::string_view name) const;
  const json::value& json(std::string_view name) const;  // null when absent

  // The read arguments as an object (for helpers that take the argument object).
  const json::object& object() const { return values_; }
  const Notes& notes() const { return notes_; }
  // The names of the arguments given that the spec does not declare (dropped from the values;
  // a tool whose meaning depends on them, such as query_rum_events, refuses them).
  const std::vector<std::string>& unknown() const { return unknown_; }
  void set_unknown(std::vector<std::string> names) { unknown_ = std::move(names); }
  void add_note(std::string note) { notes_.push_back(std::move(note)); }

 private:
  json::object values_;
  Notes notes_;
  std::vector<std::string> unknown_;
};

// What a run function gets.
struct ToolCall {
  const ToolSpec* spec = nullptr;
  std::shared_ptr<const ToolEnv> env;
  mcp::RequestContext* ctx = nullptr;
  Args args;
  std::shared_ptr<Notes> notes = std::make_shared<Notes>();  // shared by copies of the call
  // The AWS profile the call runs with (MCP_AWS_PROFILES: the `profile` argument, else the
  // principal's default); "": the server's own credentials.
  std::string profile;

  TimePoint now() const { return env->now(); }
  // The clients of the call's profile and region (the `region` argument, else the profile's,
  // else the server's), whose AWS requests carry the call's principal as their fair-share key.
  Result<std::shared_ptr<const aws::AwsClients>> aws() const {
    return env->clients(args.object(), ctx ? principal() : std::string(), profile);
  }
  // The region a call without `region` uses: the profile's, else the server's.
  const std::string& default_region() const { return env->default_region(profile); }
  Result<aws::S3Client> s3(std::string_view region) const { return env->s3(region, profile); }
  // Who asks: the session's principal ("api-key:<keyed hash>", never a secret); "anonymous"
  // when the server authenticates nobody.
  std::string principal() const;
  // Adds a note shown at the top of the result.
  void note(std::string text) const { notes->push_back(std::move(text)); }
};

// Run functions take the call by value (coroutine parameter rule).
using ToolRun = std::function<boost::asio::awaitable<mcp::ToolResult>(ToolCall call)>;

// Reads `raw` by `spec`; an error message (naming the argument, the accepted form and a valid
// call) when an argument cannot be read. `now` anchors relative times.
Result<Args> read_args(const ToolSpec& spec, const json::object& raw, TimePoint now);

// The portable JSON Schema of the spec's arguments.
json::object input_schema(const ToolSpec& spec);
json::object annotations(const ToolSpec& spec);
// "get_service_detail(service_name=\"payments\")": the required arguments with their examples.
std::string example_call(const ToolSpec& spec);

// Cuts `result` to `budget` characters: text at a line boundary, JSON (structuredContent) by
// dropping items from its largest array; the last line (or a `truncated` member) says what was
// cut and `hint`.
void apply_budget(mcp::ToolResult& result, std::size_t budget, std::string_view hint);

// Puts "Note: …" lines at the top of a result (a leading text block for JSON results).
void prefix_notes(mcp::ToolResult& result, const Notes& notes);

// The registered tool: schema, annotations, and a handler that reads the arguments, runs,
// prefixes the notes and applies the budget. When `env` has AWS profiles (MCP_AWS_PROFILES) and
// the tool talks to AWS (open_world), the tool gains an optional `profile` argument (an enum of
// the profile names) here, for every tool at once; a call's profile must be one the request's
// principal may use (mcp::RequestContext::aws_profiles), else the call is an isError that names only
// the principal's own profiles. tools/list narrows the enum to the principal's profiles
// (mcp::McpServer::tools_list, mcp::kAwsProfileArgument).
mcp::ToolDef make_tool(std::shared_ptr<const ToolSpec> spec, std::shared_ptr<const ToolEnv> env, ToolRun run);

// A tool as a toolset lists it: its spec and its run function.
struct ToolEntry {
  std::shared_ptr<const ToolSpec> spec;
  ToolRun run;
};

// Registers every entry (make_tool) into `registry`, setting ToolDef::toolset.
void register_entries(mcp::Registry& registry, std::shared_ptr<const ToolEnv> env,
                      const std::vector<ToolEntry>& entries, std::string_view toolset = {});
// A registrar for one toolset (tests: ToolHarness(&register_toolset<&services_tools>)).
template <std::vector<ToolEntry> (*Tools)()>
void register_toolset(mcp::Registry& registry, std::shared_ptr<const ToolEnv> env) {
  register_entries(registry, std::move(env), Tools());
}

// The AccessDenied/AWS failure result for `op`.
mcp::ToolResult aws_failure(const Error& error, const aws::Op& op);

}  // namespace appsignals::tools

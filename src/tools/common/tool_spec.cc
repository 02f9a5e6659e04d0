#include "tools/common/tool_spec.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "mcp/session.h"
#include "tools/common/tool_errors.h"

namespace appsignals::tools {
namespace {

std::string trim_copy(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string lower_copy(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Integers as models send them: 24, 24.0, "24", " 24 ", "24.0", "1e2".
std::optional<std::int64_t> read_integer(const json::value& v) {
  double d = 0;
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) return v.get_uint64() > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX
                                                                                     : static_cast<std::int64_t>(v.get_uint64());
  if (v.is_double()) {
    d = v.get_double();
  } else if (v.is_string()) {
    auto s = trim_copy(v.get_string());
    if (s.empty() || s.size() > 32) return std::nullopt;
    std::int64_t i = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
    if (ec == std::errc{} && p == s.data() + s.size()) return i;
    auto [p2, ec2] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec2 != std::errc{} || p2 != s.data() + s.size()) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(d) || std::trunc(d) != d) return std::nullopt;
  if (d >= 9.2e18) return INT64_MAX;
  if (d <= -9.2e18) return INT64_MIN;
  return static_cast<std::int64_t>(d);
}

std::optional<bool> read_boolean(const json::value& v) {
  if (v.is_bool()) return v.get_bool();
  if (v.is_int64()) {
    if (v.get_int64() == 0) return false;
    if (v.get_int64() == 1) return true;
  }
  if (v.is_string()) {
    auto s = lower_copy(trim_copy(v.get_string()));
    if (s == "true" || s == "yes" || s == "1" || s == "on") return true;
    if (s == "false" || s == "no" || s == "0" || s == "off") return false;
  }
  return std::nullopt;
}

// A decimal as a model would write it: 1, 2.5, 99.9 (no trailing zeros).
std::string number_text(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", d);
  return buf;
}

std::string value_text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  auto s = json::serialize(v);
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

std::string allowed_list(const std::vector<std::string>& allowed) {
  std::string out;
  for (const auto& a : allowed) out += (out.empty() ? "" : ", ") + a;
  return out;
}

// "" or null: not given (unless the argument takes "" as a value).
bool absent(const ArgSpec& a, const json::value* v) {
  if (!v || v->is_null()) return true;
  if (v->is_string() && !a.allow_empty) {
    auto s = v->get_string();
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
  }
  return false;
}

Result<json::value> read_one(const ArgSpec& a, const json::value& v, Notes& notes, TimePoint now) {
  auto fail = [&](std::string what) -> Error { return Error{ErrorCode::kInvalidArgument, std::move(what)}; };
  switch (a.kind) {
    case ArgKind::kString: {
      if (v.is_string()) return json::value(trim_copy(v.get_string()));
      if (v.is_number()) {
        if (auto i = read_integer(v)) return json::value(std::to_string(*i));
        return json::value(json::serialize(v));
      }
      if (v.is_bool()) return json::value(v.get_bool() ? "true" : "false");
      return fail("must be a string");
    }
    case ArgKind::kInteger: {
      auto i = read_integer(v);
      if (!i) return fail("must be a whole number (got " + value_text(v) + ")");
      if (*i > a.max) {
        notes.push_back(a.name + " " + std::to_string(*i) + " is above the limit " + std::to_string(a.max) +
                        ": using " + std::to_string(a.max) + ".");
        return json::value(a.max);
      }
      if (*i < a.min) {
        notes.push_back(a.name + " " + std::to_string(*i) + " is below the minimum " + std::to_string(a.min) +
                        ": using " + std::to_string(a.min) + ".");
        return json::value(a.min);
      }
      return json::value(*i);
    }
    case ArgKind::kNumber: {
      std::optional<double> d;
      if (v.is_number()) {
        d = v.to_number<double>();
      } else if (v.is_string()) {
        std::string text = trim_copy(v.get_string());
        char* end = nullptr;
        double parsed = std::strtod(text.c_str(), &end);
        if (!text.empty() && end && *end == '\0') d = parsed;
      }
      if (!d || !std::isfinite(*d)) return fail("must be a number (got " + value_text(v) + ")");
      if (*d > a.number_max) {
        notes.push_back(a.name + " " + number_text(*d) + " is above the limit " + number_text(a.number_max) +
                        ": using " + number_text(a.number_max) + ".");
        return json::value(a.number_max);
      }
      if (*d < a.number_min) {
        notes.push_back(a.name + " " + number_text(*d) + " is below the minimum " + number_text(a.number_min) +
                        ": using " + number_text(a.number_min) + ".");
        return json::value(a.number_min);
      }
      return json::value(*d);
    }
    case ArgKind::kBoolean: {
      auto b = read_boolean(v);
      if (!b) return fail("must be true or false (got " + value_text(v) + ")");
      return json::value(*b);
    }
    case ArgKind::kEnum: {
      if (!v.is_string() && !v.is_number()) return fail("must be one of: " + allowed_list(a.allowed));
      std::string text = v.is_string() ? trim_copy(v.get_string()) : value_text(v);
      for (const auto& allowed : a.allowed)
        if (allowed == text) return json::value(allowed);
      const std::string wanted = lower_copy(text);
      for (const auto& allowed : a.allowed)
        if (lower_copy(allowed) == wanted) return json::value(allowed);
      return fail("must be one of: " + allowed_list(a.allowed) + " (got '" + text.substr(0, 80) + "')");
    }
    case ArgKind::kTime: {
      std::string text;
      if (v.is_string()) text = v.get_string();
      else if (auto i = read_integer(v)) text = std::to_string(*i);
      else if (v.is_double() && std::isfinite(v.get_double())) text = std::to_string(static_cast<std::int64_t>(v.get_double()));
      else return fail("must be a time. " + std::string(kAcceptedTimeForms));
      auto t = parse_time(text, a.name, now);
      if (!t) return t.error();
      return json::value(epoch_seconds(*t));
    }
    case ArgKind::kJson: {
      json::value parsed = v;
      if (v.is_string()) {
        boost::system::error_code ec;
        std::string text = trim_copy(v.get_string());
        parsed = json::parse(text, ec);
        // Text that looks like JSON but does not parse: say so, unless the argument's own reader
        // explains its accepted forms itself.
        if (ec && !a.reader && !text.empty() && (text.front() == '{' || text.front() == '['))
          return fail("looks like JSON but is not valid JSON (" + ec.message() + "); send a JSON " +
                      (a.json_shape.empty() ? std::string("value") : a.json_shape) + " or its text, e.g. " + a.example);
        // Not JSON text: the argument's own reader decides (e.g. a bare name for targets).
        if (ec) parsed = json::value(std::move(text));
      }
      if (!a.reader) {
        if (a.json_shape == "array" && !parsed.is_array())
          return fail("must be a JSON array (or JSON text of one), e.g. " + a.example);
        if (a.json_shape == "object" && !parsed.is_object())
          return fail("must be a JSON object (or JSON text of one), e.g. " + a.example);
      }
      return parsed;
    }
  }
  return fail("has an unsupported type");
}

Result<json::value> read_arg(const ArgSpec& a, const json::value& v, Notes& notes, TimePoint now) {
  if ((a.kind == ArgKind::kEnum || a.kind == ArgKind::kInteger || a.kind == ArgKind::kNumber) && a.reader) {
    // The argument's own reading first (aliases, units such as "1h"), then the kind's checks.
    auto r = a.reader(v, notes);
    if (!r) return r;
    return read_one(a, *r, notes, now);
  }
  auto r = read_one(a, v, notes, now);
  if (!r || !a.reader) return r;
  return a.reader(*r, notes);
}

std::string kind_text(const ArgSpec& a) {
  switch (a.kind) {
    case ArgKind::kString: return "a string";
    case ArgKind::kInteger: return "a whole number from " + std::to_string(a.min) + " to " + std::to_string(a.max);
    case ArgKind::kNumber: return "a number from " + number_text(a.number_min) + " to " + number_text(a.number_max);
    case ArgKind::kBoolean: return "true or false";
    case ArgKind::kEnum: return "one of " + allowed_list(a.allowed);
    case ArgKind::kTime: return "a time";
    case ArgKind::kJson: return a.json_shape.empty() ? "JSON" : "a JSON " + a.json_shape;
  }
  return "a value";
}

std::string schema_type(const ArgSpec& a) {
  switch (a.kind) {
    case ArgKind::kInteger: return "integer";
    case ArgKind::kNumber: return "number";
    case ArgKind::kBoolean: return "boolean";
    default: return "string";
  }
}

}  // namespace

namespace arg {
ArgSpec string(std::string name, std::string description) {
  ArgSpec a;
  a.name = std::move(name);
  a.kind = ArgKind::kString;
  a.description = std::move(description);
  return a;
}
ArgSpec integer(std::string name, std::string description, std::int64_t def, std::int64_t min, std::int64_t max) {
  ArgSpec a;
  a.name = std::move(name);
  a.kind = ArgKind::kInteger;
  a.description = std::move(description);
  a.default_value = def;
  a.min = min;
  a.max = max;
  a.example = std::to_string(def);
  return a;
}
ArgSpec number(std::string name, std::string description, double def, double min, double max) {
  ArgSpec a;
  a.name = std::move(name);
  a.kind = ArgKind::kNumber;
  a.description = std::move(description);
  a.default_value = def;
  a.number_min = min;
  a.number_max = max;
  a.example = number_text(def);
  return a;
}
ArgSpec boolean(std::string name, std::string description, bool def) {
  ArgSpec a;
  a.name = std::move(name);
  a.kind = ArgKind::kBoolean;
  a.description = std::move(description);
  a.default_value = def;
  a.example = def ? "true" : "false";
  return a;
}
ArgSpec enumeration(std::string name, std::string description, std::vector<std::string> allowed) {
  ArgSpec a;
  a.name = std::move(name);
  a.kind = ArgKind::kEnum;
  a.description = std::move(description);
  a.allowed = std::move(allowed);
  if (!a.allowed.empty()) a.example = "\"" + a.allowed.front() + "\"";
  return a;
}
ArgSpec time(std::string name, std::string description) {
  ArgSpec a;
  a.name = std::move(name);
  a.kind = ArgKind::kTime;
  a.description = std::move(description);
  a.example = "\"2026-12-04T01:00:00Z\"";
  return a;
}
ArgSpec json_text(std::string name, std::string description, std::string shape) {
  ArgSpec a;
  a.name = std::move(name);
  a.kind = ArgKind::kJson;
  a.description = std::move(description);
  a.json_shape = std::move(shape);
  return a;
}
ArgSpec hours(std::string name, std::string description, std::int64_t def, std::int64_t min, std::int64_t max) {
  ArgSpec a = integer(std::move(name), std::move(description), def, min, max);
  a.reader = [](const json::value& v, Notes&) -> Result<json::value> {
    if (!v.is_string()) return v;
    // "1h", "24 hours", "2d", "90m" → whole hours (rounded up).
    std::string s = lower_copy(trim_copy(v.get_string()));
    std::size_t i = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == 0 || i == s.size() || i > 9) return v;
    std::int64_t n = std::stoll(s.substr(0, i));
    std::string unit = trim_copy(s.substr(i));
    if (unit == "h" || unit == "hr" || unit == "hrs" || unit == "hour" || unit == "hours") return json::value(n);
    if (unit == "d" || unit == "day" || unit == "days") return json::value(n * 24);
    if (unit == "w" || unit == "week" || unit == "weeks") return json::value(n * 168);
    if (unit == "m" || unit == "min" || unit == "mins" || unit == "minutes") return json::value((n + 59) / 60);
    return v;
  };
  return a;
}

ArgSpec region() {
  ArgSpec a;
  a.name = "region";
  a.kind = ArgKind::kString;
  a.description = "AWS region to query, e.g. \"us-east-1\" (default: the server's region).";
  a.example = "\"us-east-1\"";
  a.reader = [](const json::value& v, Notes&) -> Result<json::value> {
    std::string r = lower_copy(v.get_string());
    if (!valid_region_name(r))
      return Error{ErrorCode::kInvalidArgument, "must be an AWS region name such as us-east-1 (got '" +
                                                    std::string(v.get_string()).substr(0, 40) + "')"};
    return json::value(r);
  };
  return a;
}
}  // namespace arg

std::string ToolCall::principal() const {
  if (!ctx) return "anonymous";
  const auto& p = ctx->session().principal();
  return p.empty() ? std::string("anonymous") : p;
}

bool Args::has(std::string_view name) const { return values_.contains(name); }

std::string Args::str(std::string_view name) const {
  auto o = opt_str(name);
  return o ? *o : std::string();
}

std::optional<std::string> Args::opt_str(std::string_view name) const {
  if (auto* v = values_.if_contains(name); v && v->is_string()) return std::string(v->get_string());
  return std::nullopt;
}

std::int64_t Args::integer(std::string_view name, std::int64_t fallback) const {
  if (auto* v = values_.if_contains(name); v && v->is_int64()) return v->get_int64();
  return fallback;
}

double Args::number(std::string_view name, double fallback) const {
  if (auto* v = values_.if_contains(name); v && v->is_number()) return v->to_number<double>();
  return fallback;
}

bool Args::boolean(std::string_view name, bool fallback) const {
  if (auto* v = values_.if_contains(name); v && v->is_bool()) return v->get_bool();
  return fallback;
}

std::optional<TimePoint> Args::time(std::string_view name) const {
  if (auto* v = values_.if_contains(name); v && v->is_int64()) return TimePoint(std::chrono::seconds(v->get_int64()));
  return std::nullopt;
}

const json::value& Args::json(std::string_view name) const {
  static const json::value kNull;
  if (auto* v = values_.if_contains(name)) return *v;
  return kNull;
}

std::string example_call(const ToolSpec& spec) {
  std::string out = spec.name + "(";
  bool first = true;
  for (const auto& a : spec.args) {
    if (!a.required) continue;
    out += (first ? "" : ", ") + a.name + "=" + (a.example.empty() ? "\"...\"" : a.example);
    first = false;
  }
  return out + ")";
}

Result<Args> read_args(const ToolSpec& spec, const json::object& raw, TimePoint now) {
  json::object values;
  Notes notes;
  for (const auto& a : spec.args) {
    const json::value* v = raw.if_contains(a.name);
    if (absent(a, v)) {
      if (a.required) {
        std::string msg = "missing required argument '" + a.name + "' (" + kind_text(a) + ": " + a.description +
                          "). Example of a valid call: " + example_call(spec);
        return Error{ErrorCode::kInvalidArgument, std::move(msg)};
      }
      if (!a.default_value.is_null()) values[a.name] = a.default_value;
      continue;
    }
    auto r = read_arg(a, *v, notes, now);
    if (!r) {
      std::string msg = "argument '" + a.name + "' " + r.error().message;
      if (a.kind != ArgKind::kTime && !a.example.empty() && msg.find("e.g.") == std::string::npos)
        msg += ". Example: " + a.name + "=" + a.example;
      return Error{ErrorCode::kInvalidArgument, std::move(msg)};
    }
    values[a.name] = std::move(*r);
  }
  std::vector<std::string> unknown;
  for (const auto& kv : raw) {  // not a structured binding: clang 14 (fuzz build) cannot capture one
    const std::string_view k = kv.key();
    const bool declared = std::any_of(spec.args.begin(), spec.args.end(), [&](const ArgSpec& a) { return a.name == k; });
    if (!declared) unknown.emplace_back(k);
  }
  Args args(std::move(values), std::move(notes));
  args.set_unknown(std::move(unknown));
  return args;
}

json::object input_schema(const ToolSpec& spec) {
  json::object props;
  json::array required;
  for (const auto& a : spec.args) {
    json::object p;
    p["type"] = schema_type(a);
    std::string description = a.description;
    if (a.kind == ArgKind::kTime && description.find("relative") == std::string::npos)
      description += " Accepts ISO-8601, unix seconds, or relative forms such as \"now\", \"1h\", \"3 hours ago\".";
    p["description"] = description;
    if (!a.default_value.is_null()) p["default"] = a.default_value;
    if (a.kind == ArgKind::kInteger) {
      if (a.min != INT64_MIN) p["minimum"] = a.min;
      if (a.max != INT64_MAX) p["maximum"] = a.max;
    }
    if (a.kind == ArgKind::kNumber) {
      if (a.number_min > -1e308) p["minimum"] = a.number_min;
      if (a.number_max < 1e308) p["maximum"] = a.number_max;
    }
    if (a.kind == ArgKind::kEnum) {
      json::array values;
      for (const auto& v : a.allowed) values.emplace_back(v);
      p["enum"] = std::move(values);
    }
    props[a.name] = std::move(p);
    if (a.required) required.emplace_back(a.name);
  }
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  if (!required.empty()) schema["required"] = std::move(required);
  return schema;
}

json::object annotations(const ToolSpec& spec) {
  json::object o;
  o["title"] = spec.title;
  o["readOnlyHint"] = !spec.writes;
  o["destructiveHint"] = spec.destructive;
  o["idempotentHint"] = spec.idempotent;
  o["openWorldHint"] = spec.open_world;
  return o;
}

namespace {

constexpr std::string_view kProfileArg = "profile";

ArgSpec profile_arg(const std::vector<std::string>& names) {
  return arg::enumeration(std::string(kProfileArg),
                          "AWS profile (account) to query; default: your default profile, else the server's. "
                          "You may be allowed only some of the listed profiles.",
                          names);
}

// The profile a call runs with, from its `profile` argument and the principal's set
// (`allowed`: nullopt unrestricted, else its default first). Rewrites the argument to the
// canonical name. The error names only the principal's own profiles, never the others.
Result<std::string> call_profile(const ToolEnv& env, const std::optional<std::vector<std::string>>& allowed,
                                 json::object& raw) {
  const std::vector<std::string>& mine = allowed ? *allowed : env.profile_names();
  auto listed = [&] {
    std::string out;
    for (const auto& n : mine) out += (out.empty() ? "" : ", ") + n;
    return out;
  };
  const json::value* given = raw.if_contains(kProfileArg);
  std::string text;
  if (given && given->is_string()) text = trim_copy(given->get_string());
  else if (given && given->is_number()) text = value_text(*given);
  else if (given && !given->is_null()) text = "(not a name)";  // refused below, naming only `mine`
  if (text.empty()) {
    if (!allowed) return std::string();  // the server's own credentials
    if (mine.empty())
      return Error{ErrorCode::kPermissionDenied,
                   "no AWS profile is allowed for you on this server (MCP_AWS_PROFILE_MAP): ask its operator"};
    return mine.front();
  }
  // The exact name first, then any case (names differing only in case are refused at start).
  for (const auto& name : mine) {
    if (name == text) {
      raw[kProfileArg] = name;
      return name;
    }
  }
  const std::string wanted = lower_copy(text);
  for (const auto& name : mine) {
    if (lower_copy(name) == wanted) {
      raw[kProfileArg] = name;
      return name;
    }
  }
  if (mine.empty())
    return Error{ErrorCode::kPermissionDenied,
                 "no AWS profile is allowed for you on this server (MCP_AWS_PROFILE_MAP): ask its operator"};
  return Error{ErrorCode::kInvalidArgument, "argument 'profile' must be one of: " + listed() + " (got '" +
                                                text.substr(0, 80) + "')"};
}

boost::asio::awaitable<mcp::ToolResult> run_tool(std::shared_ptr<const ToolSpec> spec,
                                                 std::shared_ptr<const ToolEnv> env, ToolRun run,
                                                 mcp::RequestContext& ctx, json::object raw) {
  std::string profile;
  // With a profile map (the request carries the principal's set) every AWS call runs with one of
  // the principal's profiles, even if none could be set up: never with the server's credentials.
  const auto allowed = ctx.aws_profiles();
  if (spec->open_world && (!env->profile_names().empty() || allowed)) {
    auto p = call_profile(*env, allowed, raw);
    if (!p) co_return argument_failure(p.error());
    profile = std::move(*p);
  }
  auto args = read_args(*spec, raw, env->now());
  if (!args) co_return argument_failure(args.error());
  ToolCall call;
  call.spec = spec.get();
  call.env = env;
  call.ctx = &ctx;
  call.profile = std::move(profile);
  *call.notes = args->notes();
  call.args = std::move(*args);
  auto notes = call.notes;  // shared with the run function's copy of the call
  mcp::ToolResult result = co_await run(call);
  // Budget first, notes after: a cut must never drop what the notes say about the arguments.
  std::size_t budget = spec->output_budget ? spec->output_budget : env->output_budget();
  apply_budget(result, budget, spec->narrow_hint);
  prefix_notes(result, *notes);
  co_return result;
}
}  // namespace

mcp::ToolDef make_tool(std::shared_ptr<const ToolSpec> spec, std::shared_ptr<const ToolEnv> env, ToolRun run) {
  if (spec->open_world && !env->profile_names().empty()) {
    // The one place every AWS tool gains `profile` (MCP_AWS_PROFILES).
    auto with_profile = std::make_shared<ToolSpec>(*spec);
    with_profile->args.push_back(profile_arg(env->profile_names()));
    spec = std::move(with_profile);
  }
  mcp::ToolDef def;
  def.name = spec->name;
  def.title = spec->title;
  def.description = spec->description;
  def.input_schema = input_schema(*spec);
  def.output_schema = spec->output_schema;
  def.annotations = annotations(*spec);
  def.writes = spec->writes;
  def.reads_own_arguments = true;
  def.handler = [spec, env, run](mcp::RequestContext& ctx, json::object raw) {
    return run_tool(spec, env, run, ctx, std::move(raw));
  };
  return def;
}

void register_entries(mcp::Registry& registry, std::shared_ptr<const ToolEnv> env,
                      const std::vector<ToolEntry>& entries, std::string_view toolset) {
  for (const auto& e : entries) {
    auto def = make_tool(e.spec, env, e.run);
    def.toolset = std::string(toolset);
    registry.add_tool(std::move(def));
  }
}

mcp::ToolResult aws_failure(const Error& error, const aws::Op& op) { return aws_failure(error, op.iam_action); }

}  // namespace appsignals::tools

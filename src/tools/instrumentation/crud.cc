// create_instrumentation, list_instrumentations, get_instrumentation, delete_instrumentation and
// the two batch deletes: Application Signals instrumentation configurations.
#include <algorithm>

#include "tools/common/json_access.h"
#include "tools/common/tool_errors.h"
#include "tools/instrumentation/instrumentation_common.h"

namespace appsignals::tools::instrumentation {

namespace {

constexpr std::size_t kMaxDescription = 50;
constexpr std::size_t kMaxFilterGroups = 10;

bool valid_name(std::string_view s) {
  return !s.empty() && s.size() <= 255 && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || std::string_view(":/+=,.@_-").find(c) != std::string_view::npos;
         });
}

// The names of capture_arguments / capture_locals, or a problem text.
std::optional<std::string> read_names(const json::value& v, const char* arg, std::size_t max, json::array& out) {
  if (v.is_null()) return std::nullopt;
  if (!v.is_array()) return std::string(arg) + " must be a JSON array of names, e.g. [\"orderId\",\"amount\"]";
  const auto& a = v.get_array();
  if (a.empty()) return std::string(arg) + " is an empty list: name at least one variable, or leave it out";
  if (a.size() > max) return std::string(arg) + " names " + std::to_string(a.size()) + " variables: at most " + std::to_string(max);
  for (const auto& n : a) {
    if (!n.is_string() || n.get_string().empty()) return std::string(arg) + " must hold non-empty names (strings)";
    if (n.get_string() == "*")
      return std::string(arg) + " does not accept \"*\": list the variables by name, e.g. [\"orderId\",\"amount\"]";
    if (n.get_string().size() > 80) return std::string(arg) + ": the name '" + std::string(n.get_string()) + "' is over 80 characters";
    out.push_back(n);
  }
  return std::nullopt;
}

std::optional<std::string> read_filters(const json::value& v, json::array& out) {
  if (v.is_null()) return std::nullopt;
  if (!v.is_array() || v.get_array().empty())
    return "attribute_filters must be a non-empty JSON array of groups, e.g. [{\"http.route\":\"/charge\"}] (keys in a group "
           "must all match; any group may match)";
  if (v.get_array().size() > kMaxFilterGroups)
    return "attribute_filters has " + std::to_string(v.get_array().size()) + " groups: at most 10";
  for (const auto& g : v.get_array()) {
    if (!g.is_object() || g.get_object().empty())
      return "each attribute_filters group must be a non-empty object of attribute → value, e.g. {\"tenant\":\"acme\"}";
    json::object group;
    for (const auto& [k, val] : g.get_object()) {
      std::string value = val.is_string() ? std::string(val.get_string())
                                          : (val.is_int64() ? std::to_string(val.get_int64()) : std::string());
      if (value.empty()) return "attribute_filters: the value of '" + std::string(k) + "' must be a non-empty string";
      if (k.size() > 50) return "attribute_filters: the key '" + std::string(k) + "' is over 50 characters";
      if (value.size() > 100) return "attribute_filters: the value of '" + std::string(k) + "' is over 100 characters";
      group[k] = value;
    }
    out.push_back(std::move(group));
  }
  return std::nullopt;
}

struct CreateInput {
  json::object input;
  std::vector<std::string> problems;
};

CreateInput build_create(const ToolCall& call) {
  CreateInput r;
  const auto& a = call.args;
  std::string type = a.str("instrumentation_type");
  if (!valid_name(a.str("service"))) r.problems.push_back("service must be 1-255 characters of letters, digits and :/+=,.@_-");
  if (!valid_name(a.str("environment")))
    r.problems.push_back("environment must be 1-255 characters of letters, digits and :/+=,.@_- (e.g. ecs:shop-cluster)");
  auto cl = read_code_location(a, type);
  if (!cl) r.problems.push_back(cl.error().message);
  const bool line_level = a.has("line_number");
  json::array arguments, locals;
  if (auto p = read_names(a.json("capture_arguments"), "capture_arguments", 10, arguments)) r.problems.push_back(*p);
  if (auto p = read_names(a.json("capture_locals"), "capture_locals", 20, locals)) r.problems.push_back(*p);
  if (line_level && locals.empty() && a.json("capture_locals").is_null())
    r.problems.push_back("a line-level breakpoint (line_number given) needs capture_locals, the local variables to "
                         "capture, e.g. [\"total\",\"customerId\"]");
  if (line_level && !arguments.empty())
    r.problems.push_back("capture_arguments is for method-level targets: for a line, capture the variables with "
                         "capture_locals (or remove line_number)");
  if (!line_level && !locals.empty())
    r.problems.push_back("capture_locals is for line-level targets: give line_number, or capture method arguments "
                         "with capture_arguments");
  json::array filters;
  if (auto p = read_filters(a.json("attribute_filters"), filters)) r.problems.push_back(*p);
  std::string description = a.str("description");
  if (description.size() > kMaxDescription)
    r.problems.push_back("description is " + std::to_string(description.size()) + " characters: at most 50");
  if (!r.problems.empty()) return r;

  json::object limits;
  for (auto [argname, member] : {std::pair{"max_hits", "MaxHits"}, {"max_string_length", "MaxStringLength"},
                                 {"max_collection_width", "MaxCollectionWidth"}, {"max_collection_depth", "MaxCollectionDepth"},
                                 {"max_stack_frames", "MaxStackFrames"}, {"max_stack_trace_size", "MaxStackTraceSize"},
                                 {"max_object_depth", "MaxObjectDepth"}, {"max_fields_per_object", "MaxFieldsPerObject"}})
    if (a.has(argname)) limits[member] = a.integer(argname);
  json::object code_capture;
  if (!arguments.empty()) code_capture["CaptureArguments"] = std::move(arguments);
  if (!locals.empty()) code_capture["CaptureLocals"] = std::move(locals);
  code_capture["CaptureReturn"] = a.boolean("capture_return", true);
  code_capture["CaptureStackTrace"] = a.boolean("capture_stack_trace", true);
  code_capture["CaptureLimits"] = std::move(limits);

  json::object in;
  in["InstrumentationType"] = type;
  in["Service"] = a.str("service");
  in["Environment"] = a.str("environment");
  in["SignalType"] = "SNAPSHOT";
  in["Location"] = json::object{{"CodeLocation", std::move(*cl)}};
  in["CaptureConfiguration"] = json::object{{"CodeCapture", std::move(code_capture)}};
  if (!description.empty()) in["Description"] = description;
  if (!filters.empty()) in["AttributeFilters"] = std::move(filters);
  if (a.has("ttl_hours")) {
    if (type == "PROBE") {
      call.note("ttl_hours applies to breakpoints only: the probe stays until deleted");
    } else {
      in["ExpiresAt"] = epoch_seconds(call.now()) + a.integer("ttl_hours") * 3600;
    }
  }
  r.input = std::move(in);
  return r;
}

std::string create_text(const json::object& c, std::int64_t now) {
  std::string type = jv::str(c, "InstrumentationType");
  std::string service = jv::str(c, "Service"), env = jv::str(c, "Environment"), hash = jv::str(c, "LocationHash");
  std::string t = "Created a " + type + " for " + service + " (" + env + ").\n\n";
  t += config_text(c, now);
  t += "\nNext steps:\n";
  t += "1. It becomes READY once the service's agents sync it (about a minute), then ACTIVE when the code runs. Check with "
       "check_instrumentation_status(service=\"" + service + "\", environment=\"" + env + "\", instrumentation_type=\"" +
       type + "\", location_hash=\"" + hash + "\", start_time=\"" + iso(jv::num(c, "CreatedAt").value_or(0)) +
       "\", end_time=\"now\").\n";
  if (type == "BREAKPOINT")
    t += "2. Snapshots are written to the log group /aws/service-events/" + service +
         ": once ACTIVE, read one with get_sample_snapshot_for_breakpoint(service_name=\"" + service + "\", environment=\"" +
         env + "\", location_hash=\"" + hash + "\", status_timestamp=<the ACTIVE event's time>).\n";
  t += std::string(type == "BREAKPOINT" ? "3" : "2") + ". Remove it when done: delete_instrumentation(service=\"" + service +
       "\", environment=\"" + env + "\", instrumentation_type=\"" + type + "\", location_hash=\"" + hash + "\").\n";
  return t;
}

// The elicitation that asks the user to confirm a create_instrumentation call.
json::object confirm_question(const ToolCall& call) {
  json::object confirm;
  confirm["type"] = "boolean";
  confirm["description"] = "Place it";
  json::object props;
  props["confirm"] = std::move(confirm);
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  schema["required"] = json::array{"confirm"};
  json::object q;
  q["message"] = "Place a " + call.args.str("instrumentation_type") + " in " + call.args.str("service") + " (" +
                 call.args.str("environment") + ")? It changes what the running service records.";
  q["requestedSchema"] = std::move(schema);
  return q;
}

// An elicitation answer that accepts with confirm=true.
bool confirmed(const json::value& answer) {
  const auto* o = answer.if_object();
  if (!o) return false;
  const auto* action = o->if_contains("action");
  if (!action || !action->is_string() || action->get_string() != "accept") return false;
  const auto* content = o->if_contains("content");
  if (!content || !content->is_object()) return false;
  const auto* yes = content->get_object().if_contains("confirm");
  return yes && yes->is_bool() && yes->get_bool();
}

boost::asio::awaitable<mcp::ToolResult> run_create(ToolCall call) {
  auto built = build_create(call);
  if (!built.problems.empty()) {
    std::string text = "nothing was created; change the following and call again:";
    for (const auto& p : built.problems) text += "\n- " + p;
    co_return argument_failure(text);
  }
  // 2026-07-28 clients that declared elicitation confirm the write first: an input_required
  // round (any instance can continue it); other clients are not asked.
  if (call.ctx && call.ctx->modern() && call.ctx->client_supports("elicitation")) {
    std::string key = "confirm";
    std::string method = "elicitation/create";
    json::object question = confirm_question(call);
    auto answer = co_await call.ctx->ask(key, method, std::move(question));
    if (answer && !*answer) co_return mcp::ToolResult::text("waiting for the user's confirmation");
    if (answer && !confirmed(**answer))
      co_return argument_failure("nothing was created: the user did not confirm the " + call.args.str("instrumentation_type") +
                                 " for " + call.args.str("service") + ".");
  }
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kCreateInstrumentationConfiguration);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  auto r = co_await c->application_signals.call(aws::ops::kCreateInstrumentationConfiguration, built.input);
  std::string service = call.args.str("service"), env = call.args.str("environment"),
              type = call.args.str("instrumentation_type");
  if (!r) {
    log_write(call, service, env, type, "failed: " + r.error().details);
    if (r.error().details == "ConflictException")
      co_return argument_failure("a " + type + " already exists at this code location for " + service + " (" + env +
                                 "): " + r.error().message +
                                 ". Use get_instrumentation to see it, or delete_instrumentation first to replace it.");
    co_return aws_failure(r.error(), aws::ops::kCreateInstrumentationConfiguration);
  }
  const auto& created = jv::as_obj(*r);
  log_write(call, service, env, type, jv::str(created, "ARN"));
  co_return mcp::ToolResult::text(create_text(created, epoch_seconds(call.now())));
}

boost::asio::awaitable<mcp::ToolResult> run_list(ToolCall call) {
  json::object in = scope_input(call.args);
  in.erase("SignalType");
  in["MaxResults"] = call.args.integer("max_results", 100);
  if (auto t = call.args.time("synced_at")) in["SyncedAt"] = epoch_seconds(*t);
  if (auto tok = call.args.opt_str("next_token")) in["NextToken"] = *tok;
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kListInstrumentationConfigurations);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  auto r = co_await c->application_signals.call(aws::ops::kListInstrumentationConfigurations, in);
  if (!r) co_return aws_failure(r.error(), aws::ops::kListInstrumentationConfigurations);
  const auto& page = jv::as_obj(*r);
  const auto& list = jv::arr(page, "LatestConfigurations");
  std::string type = call.args.str("instrumentation_type");
  std::string t = type + " configurations of " + call.args.str("service") + " (" + call.args.str("environment") +
                  "): " + std::to_string(list.size()) + "\n";
  if (call.args.has("synced_at"))
    t += std::string("Changed since synced_at: ") + (jv::boolean(page, "Changed") ? "yes" : "no") + "\n";
  const auto now = epoch_seconds(call.now());
  for (const auto& item : list) t += config_text(jv::as_obj(item), now);
  if (list.empty())
    t += "None. create_instrumentation places one; the other type (" + std::string(type == "BREAKPOINT" ? "PROBE" : "BREAKPOINT") +
         ") is listed separately.\n";
  if (auto next = jv::str(page, "NextToken"); !next.empty()) t += "More: call again with next_token=\"" + next + "\"\n";
  co_return mcp::ToolResult::text(t);
}

boost::asio::awaitable<mcp::ToolResult> run_get(ToolCall call) {
  auto id = read_location_identifier(call.args, call.args.str("instrumentation_type"));
  if (!id) co_return argument_failure(id.error());
  json::object in = scope_input(call.args);
  in["LocationIdentifier"] = std::move(*id);
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kGetInstrumentationConfiguration);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  auto r = co_await c->application_signals.call(aws::ops::kGetInstrumentationConfiguration, in);
  if (!r) {
    if (r.error().code == ErrorCode::kNotFound)
      co_return argument_failure("no such " + call.args.str("instrumentation_type") + " for " + call.args.str("service") +
                                 " (" + call.args.str("environment") + "): " + r.error().message +
                                 ". list_instrumentations shows the existing ones and their location hashes.");
    co_return aws_failure(r.error(), aws::ops::kGetInstrumentationConfiguration);
  }
  const auto& conf = jv::obj(jv::as_obj(*r), "Configuration");
  std::string t = "Instrumentation configuration of " + jv::str(conf, "Service") + " (" + jv::str(conf, "Environment") + "):\n";
  t += config_text(conf, epoch_seconds(call.now()));
  co_return mcp::ToolResult::text(t);
}

boost::asio::awaitable<mcp::ToolResult> run_delete(ToolCall call) {
  auto id = read_location_identifier(call.args, call.args.str("instrumentation_type"));
  if (!id) co_return argument_failure(id.error());
  json::object in = scope_input(call.args);
  in["LocationIdentifier"] = std::move(*id);
  std::string service = call.args.str("service"), env = call.args.str("environment"),
              type = call.args.str("instrumentation_type");
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kDeleteInstrumentationConfiguration);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  auto r = co_await c->application_signals.call(aws::ops::kDeleteInstrumentationConfiguration, in);
  if (!r) {
    if (r.error().code == ErrorCode::kNotFound) {
      log_write(call, service, env, type, "nothing to delete");
      co_return mcp::ToolResult::text("Nothing deleted: no " + type + " at that location for " + service + " (" + env +
                                      ") (already removed or expired). list_instrumentations shows what remains.");
    }
    log_write(call, service, env, type, "failed: " + r.error().details);
    co_return aws_failure(r.error(), aws::ops::kDeleteInstrumentationConfiguration);
  }
  const auto& loc = in.at("LocationIdentifier").as_object();
  std::string what = loc.contains("LocationHash") ? "location hash " + jv::str(loc, "LocationHash")
                                                  : describe_location(jv::obj(loc, "CodeLocation"));
  log_write(call, service, env, type, "deleted " + what);
  co_return mcp::ToolResult::text("Deleted the " + type + " of " + service + " (" + env + ") at " + what +
                                  ". It stops capturing once the agents sync (about a minute).");
}

std::string batch_text(const json::object& r, const std::string& scope) {
  std::int64_t n = jv::integer(r, "DeletedCount");
  std::string t = "Removed " + std::to_string(n) + " instrumentation configuration" + (n == 1 ? "" : "s") + " (" + scope + ").\n";
  for (const auto& d : jv::arr(r, "SuccessfulDeletions")) {
    const auto& o = jv::as_obj(d);
    t += "- deleted " + jv::str(o, "ResourceArn") + " (location hash " + jv::str(o, "LocationHash") + ")\n";
  }
  const auto& errors = jv::arr(r, "Errors");
  if (!errors.empty()) t += "Not removed: " + std::to_string(errors.size()) + "\n";
  for (const auto& e : errors) {
    const auto& o = jv::as_obj(e);
    t += "- " + jv::str(o, "ResourceArn") + ": " + jv::str(o, "Code") + ": " + jv::str(o, "Message") + "\n";
  }
  return t;
}

boost::asio::awaitable<mcp::ToolResult> run_batch_scope(ToolCall call) {
  std::string service = call.args.str("service"), env = call.args.str("environment"),
              type = call.args.str("instrumentation_type");
  json::object scope = scope_input(call.args);
  scope.erase("SignalType");
  json::object target;
  target["Scope"] = std::move(scope);
  json::object in;
  in["DeletionTarget"] = std::move(target);
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kBatchDeleteInstrumentationConfigurations);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  auto r = co_await c->application_signals.call(aws::ops::kBatchDeleteInstrumentationConfigurations, in);
  if (!r) {
    log_write(call, service, env, type, "failed: " + r.error().details);
    co_return aws_failure(r.error(), aws::ops::kBatchDeleteInstrumentationConfigurations);
  }
  const auto& out = jv::as_obj(*r);
  log_write(call, service, env, type,
            "removed " + std::to_string(jv::integer(out, "DeletedCount")));
  co_return mcp::ToolResult::text(batch_text(out, "every " + type + " of " + service + " in " + env));
}

boost::asio::awaitable<mcp::ToolResult> run_batch_arns(ToolCall call) {
  std::string type = call.args.str("instrumentation_type");
  const auto& given = call.args.json("resource_arns");
  json::array arns;
  if (given.is_string()) arns.push_back(given);
  else if (given.is_array()) arns = given.get_array();
  if (arns.empty() || arns.size() > 50)
    co_return argument_failure("resource_arns must list 1 to 50 configuration ARNs (list_instrumentations shows them)");
  for (const auto& a : arns)
    if (!a.is_string() || a.get_string().find(":instrumentationConfig/") == json::string::npos)
      co_return argument_failure("resource_arns must hold instrumentation configuration ARNs such as "
                                 "arn:aws:application-signals:us-east-1:123456789012:instrumentationConfig/payments/"
                                 "0123456789abcdef");
  json::object by;
  by["ResourceArns"] = arns;
  by["InstrumentationType"] = type;
  json::object target;
  target["ResourceArns"] = std::move(by);
  json::object in;
  in["DeletionTarget"] = std::move(target);
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kBatchDeleteInstrumentationConfigurations);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  auto r = co_await c->application_signals.call(aws::ops::kBatchDeleteInstrumentationConfigurations, in);
  if (!r) {
    log_write(call, "-", "-", type, "failed: " + r.error().details);
    co_return aws_failure(r.error(), aws::ops::kBatchDeleteInstrumentationConfigurations);
  }
  const auto& out = jv::as_obj(*r);
  std::string deleted;
  for (const auto& d : jv::arr(out, "SuccessfulDeletions")) deleted += " " + jv::str(jv::as_obj(d), "ResourceArn");
  log_write(call, "-", "-", type, "removed" + (deleted.empty() ? std::string(" none") : deleted));
  co_return mcp::ToolResult::text(batch_text(out, std::to_string(arns.size()) + " ARN" + (arns.size() == 1 ? "" : "s") + " given"));
}

std::shared_ptr<const ToolSpec> finish(ToolSpec spec) { return std::make_shared<const ToolSpec>(std::move(spec)); }

std::vector<ArgSpec> scope_args() { return {service_arg(), environment_arg(), type_arg()}; }

std::vector<ArgSpec> identify_args() {
  auto args = scope_args();
  args.push_back(location_hash_arg(false));
  for (auto& a : location_args()) args.push_back(std::move(a));
  return args;
}

ArgSpec limit_arg(const char* name, const char* what, std::int64_t max) {
  return arg::integer(name, std::string(what) + " (1-" + std::to_string(max) + ").", 0, 1, max).def(json::value()).eg("5");
}

}  // namespace

ToolEntry create_instrumentation_tool() {
  ToolSpec s;
  s.name = "create_instrumentation";
  s.title = "Place a breakpoint or probe in a running service";
  s.description =
      "Changes the account: places a dynamic instrumentation in a running service without redeploying it. A "
      "BREAKPOINT captures a snapshot (method arguments, or locals at a line, the return value and the stack) each time "
      "the code runs, up to max_hits; a PROBE records method timing. Give the code location: language, file_path, and "
      "for Java code_unit (package), class_name (simple name) and method_name; for Python code_unit (module) and "
      "method_name; for JavaScript line_number. A line-level breakpoint needs capture_locals; method level uses "
      "capture_arguments. attribute_filters restricts captures to requests whose attributes match (all keys of a "
      "group, any group). Every rule is checked before AWS is called. The result gives the ARN, the location hash, "
      "the expiry and how to check that it became ACTIVE and read its snapshots.";
  s.args = {type_arg(), service_arg(), environment_arg()};
  for (auto& a : location_args()) s.args.push_back(std::move(a));
  s.args.push_back(arg::json_text("capture_arguments", "Method-level: JSON array of argument names to capture, e.g. [\"orderId\"] (no \"*\").", "array")
                       .eg("[\"orderId\",\"amount\"]"));
  s.args.push_back(arg::boolean("capture_return", "Capture the return value.", true));
  s.args.push_back(arg::boolean("capture_stack_trace", "Capture the stack trace.", true));
  s.args.push_back(arg::json_text("capture_locals", "Line-level: JSON array of local variable names, e.g. [\"total\"] (no \"*\").", "array")
                       .eg("[\"total\"]"));
  s.args.push_back(limit_arg("max_hits", "Snapshots captured at most", 1000));
  s.args.push_back(limit_arg("max_string_length", "Characters kept of a string value", 255));
  s.args.push_back(limit_arg("max_collection_width", "Elements kept of a collection", 20));
  s.args.push_back(limit_arg("max_collection_depth", "Nesting depth of collections", 5));
  s.args.push_back(limit_arg("max_stack_frames", "Stack frames kept", 20));
  s.args.push_back(limit_arg("max_stack_trace_size", "Size of the stack trace", 1000));
  s.args.push_back(limit_arg("max_object_depth", "Nesting depth of objects", 5));
  s.args.push_back(limit_arg("max_fields_per_object", "Fields kept per object", 20));
  s.args.push_back(arg::json_text("attribute_filters",
                                  "JSON array of at most 10 groups {attribute: value}: a capture happens when every "
                                  "key of one group matches, e.g. [{\"http.route\":\"/charge\"}].",
                                  "array")
                       .eg("[{\"tenant\":\"acme\"}]"));
  s.args.push_back(arg::string("description", "A label, at most 50 characters.").def("MCP dynamic instrumentation"));
  s.args.push_back(arg::integer("ttl_hours", "Breakpoints: remove it after this many hours (1-720).", 0, 1, 720)
                       .def(json::value())
                       .eg("4"));
  s.args.push_back(arg::region());
  s.ops = {aws::ops::kCreateInstrumentationConfiguration};
  s.example_extra = json::object{{"language", "Java"},
                                 {"file_path", "src/main/java/com/shop/payments/Ledger.java"},
                                 {"code_unit", "com.shop.payments"},
                                 {"class_name", "Ledger"},
                                 {"method_name", "post"}};
  s.writes = true;
  s.destructive = false;
  s.idempotent = false;
  return {finish(std::move(s)), &run_create};
}

ToolEntry list_instrumentations_tool() {
  ToolSpec s;
  s.name = "list_instrumentations";
  s.title = "List dynamic instrumentations";
  s.description =
      "Lists the breakpoints or probes placed in one service and environment: location, location hash, ARN, what "
      "they capture, creation and expiry. Use it to find a configuration's location hash or ARN.";
  s.args = scope_args();
  s.args.push_back(arg::time("synced_at", "Only report whether anything changed since this time (any time form)."));
  s.args.push_back(arg::integer("max_results", "Most configurations per page (1-100).", 100, 1, 100));
  s.args.push_back(arg::string("next_token", "The token of the previous page."));
  s.args.push_back(arg::region());
  s.ops = {aws::ops::kListInstrumentationConfigurations};
  return {finish(std::move(s)), &run_list};
}

ToolEntry get_instrumentation_tool() {
  ToolSpec s;
  s.name = "get_instrumentation";
  s.title = "Show one dynamic instrumentation";
  s.description =
      "Shows one breakpoint or probe of a service, named by its 16-hex location_hash or by its code location "
      "(language, file_path, code_unit, class_name, method_name, line_number as created).";
  s.args = identify_args();
  s.args.push_back(arg::region());
  s.ops = {aws::ops::kGetInstrumentationConfiguration};
  s.example_extra = json::object{{"location_hash", "dff3f31ed63bd064"}};
  return {finish(std::move(s)), &run_get};
}

ToolEntry delete_instrumentation_tool() {
  ToolSpec s;
  s.name = "delete_instrumentation";
  s.title = "Remove a dynamic instrumentation";
  s.description =
      "Changes the account: removes one breakpoint or probe, named by location_hash or by its code location. "
      "Deleting one that is already gone changes nothing and says so.";
  s.args = identify_args();
  s.args.push_back(arg::region());
  s.ops = {aws::ops::kDeleteInstrumentationConfiguration};
  s.example_extra = json::object{{"location_hash", "dff3f31ed63bd064"}};
  s.writes = true;
  s.destructive = true;
  s.idempotent = true;
  return {finish(std::move(s)), &run_delete};
}

ToolEntry batch_delete_by_scope_tool() {
  ToolSpec s;
  s.name = "batch_delete_instrumentations_by_scope";
  s.title = "Remove every instrumentation of a service";
  s.description =
      "Changes the account: removes every breakpoint (or every probe) of one service and environment, and says how "
      "many were removed.";
  s.args = scope_args();
  s.args.push_back(arg::region());
  s.ops = {aws::ops::kBatchDeleteInstrumentationConfigurations};
  s.writes = true;
  s.destructive = true;
  s.idempotent = true;
  return {finish(std::move(s)), &run_batch_scope};
}

ToolEntry batch_delete_by_arns_tool() {
  ToolSpec s;
  s.name = "batch_delete_instrumentations_by_arns";
  s.title = "Remove instrumentations by ARN";
  s.description =
      "Changes the account: removes the breakpoints or probes named by their ARNs (JSON array, at most 50; "
      "list_instrumentations shows them) and reports each one removed or not found.";
  s.args = {arg::json_text("resource_arns", "JSON array of instrumentation configuration ARNs.", "array")
                .require()
                .eg("[\"arn:aws:application-signals:us-east-1:123456789012:instrumentationConfig/payments/"
                    "0123456789abcdef\"]"),
            type_arg(), arg::region()};
  s.ops = {aws::ops::kBatchDeleteInstrumentationConfigurations};
  s.writes = true;
  s.destructive = true;
  s.idempotent = true;
  return {finish(std::move(s)), &run_batch_arns};
}

}  // namespace appsignals::tools::instrumentation

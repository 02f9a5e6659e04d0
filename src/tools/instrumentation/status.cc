// get_instrumentation_configuration_status and check_instrumentation_status: where a breakpoint
// or probe is in its life (created → READY → ACTIVE, or ERROR with the cause).
#include "tools/common/json_access.h"
#include "tools/common/tool_errors.h"
#include "tools/instrumentation/instrumentation_common.h"

namespace appsignals::tools::instrumentation {

namespace {

std::string cause_advice(std::string_view cause) {
  if (cause == "FILE_NOT_FOUND") return "the agent found no such file_path: use the path as deployed";
  if (cause == "METHOD_NOT_FOUND") return "no such method in that class or module: check method_name, class_name and code_unit";
  if (cause == "LINE_NOT_EXECUTABLE") return "that line holds no executable code: pick a line with a statement";
  if (cause == "OVERLOADED_METHODS") return "the method is overloaded: target a line inside the intended overload";
  if (cause == "LANGUAGE_MISMATCH") return "the service runs another language than the one given: fix language";
  if (cause == "RUNTIME_ERROR") return "the agent failed to apply it: delete it and create it again";
  return "see the service's agent logs";
}

json::object status_input(const Args& args, const json::object& id) {
  json::object in = scope_input(args);
  if (args.str("signal_type").size()) in["SignalType"] = args.str("signal_type");
  in["LocationIdentifier"] = id;
  return in;
}

std::string events_text(const json::array& events) {
  std::string t;
  for (const auto& e : events) {
    const auto& o = jv::as_obj(e);
    t += "- " + iso(jv::num(o, "Time").value_or(0));
    if (auto c = jv::str(o, "ErrorCause"); !c.empty()) t += "  " + c + ": " + cause_advice(c);
    t += "\n";
  }
  return t;
}

boost::asio::awaitable<mcp::ToolResult> run_status(ToolCall call) {
  auto id = read_location_identifier(call.args, call.args.str("instrumentation_type"));
  if (!id) co_return argument_failure(id.error());
  json::object in = status_input(call.args, *id);
  if (auto s = call.args.opt_str("status")) in["Status"] = *s;
  auto start = call.args.time("start_time");
  auto end = call.args.time("end_time");
  if (start && end && *end < *start) co_return argument_failure("end_time must be after start_time");
  if (start) in["StartTime"] = epoch_seconds(*start);
  if (end) in["EndTime"] = epoch_seconds(*end);
  in["MaxResults"] = call.args.integer("max_results", 100);
  if (auto tok = call.args.opt_str("next_token")) in["NextToken"] = *tok;
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kGetInstrumentationConfigurationStatus);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  auto r = co_await c->application_signals.call(aws::ops::kGetInstrumentationConfigurationStatus, in);
  if (!r) {
    if (r.error().code == ErrorCode::kNotFound)
      co_return argument_failure("no such configuration: " + r.error().message +
                                 ". list_instrumentations shows the existing ones and their location hashes.");
    co_return aws_failure(r.error(), aws::ops::kGetInstrumentationConfigurationStatus);
  }
  const auto& o = jv::as_obj(*r);
  std::string wanted = call.args.opt_str("status").value_or(jv::str(o, "Status"));
  std::string t = "Current status: " + jv::str(o, "Status") + "\n";
  t += "Location: " + describe_location(jv::obj(jv::obj(o, "Location"), "CodeLocation")) + "\n";
  const auto& events = jv::arr(o, "Events");
  t += wanted + " events" + (start || end ? " in the window" : "") + ": " + std::to_string(events.size()) + "\n";
  t += events_text(events);
  if (events.empty() && call.args.opt_str("status"))
    t += "None: ask for another status (READY, ACTIVE, ERROR, DISABLED) or widen the window.\n";
  if (auto next = jv::str(o, "NextToken"); !next.empty()) t += "More: call again with next_token=\"" + next + "\"\n";
  co_return mcp::ToolResult::text(t);
}

const char* checked_status(int i) { return i == 0 ? "ACTIVE" : i == 1 ? "READY" : "ERROR"; }

boost::asio::awaitable<mcp::ToolResult> run_check(ToolCall call) {
  auto hash = call.args.str("location_hash");
  if (!valid_location_hash(hash))
    co_return argument_failure("location_hash must be 16 hexadecimal characters (list_instrumentations shows it); '" +
                               hash + "' is not");
  std::int64_t start = epoch_seconds(*call.args.time("start_time"));
  std::int64_t end = epoch_seconds(*call.args.time("end_time"));
  if (end < start) co_return argument_failure("end_time must be after start_time");
  json::object id;
  id["LocationHash"] = hash;
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kGetInstrumentationConfiguration);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  json::object get_in = status_input(call.args, id);
  auto got = co_await c->application_signals.call(aws::ops::kGetInstrumentationConfiguration, get_in);
  if (!got) {
    if (got.error().code == ErrorCode::kNotFound)
      co_return argument_failure("no " + call.args.str("instrumentation_type") + " with location hash " + hash + " for " +
                                 call.args.str("service") + " (" + call.args.str("environment") +
                                 "): it was deleted, expired or never created. list_instrumentations shows the existing ones.");
    co_return aws_failure(got.error(), aws::ops::kGetInstrumentationConfiguration);
  }
  const auto& conf = jv::obj(jv::as_obj(*got), "Configuration");
  double created = jv::num(conf, "CreatedAt").value_or(0);
  std::string t = "Instrumentation " + hash + " (" + jv::str(conf, "InstrumentationType") + ") of " +
                  jv::str(conf, "Service") + " (" + jv::str(conf, "Environment") + ")\n";
  t += "Location: " + describe_location(jv::obj(jv::obj(conf, "Location"), "CodeLocation")) + "\n";
  t += "Created: " + iso(created) + "\n";
  t += "Window: " + iso(static_cast<double>(start)) + " to " + iso(static_cast<double>(end)) + "\n";
  std::vector<json::array> found(3);
  std::string current;
  for (int i = 0; i < 3; ++i) {
    json::object in = status_input(call.args, id);
    in["Status"] = checked_status(i);
    in["StartTime"] = start;
    in["EndTime"] = end;
    auto r = co_await c->application_signals.call(aws::ops::kGetInstrumentationConfigurationStatus, in);
    if (!r) co_return aws_failure(r.error(), aws::ops::kGetInstrumentationConfigurationStatus);
    found[i] = jv::arr(jv::as_obj(*r), "Events");
    current = jv::str(jv::as_obj(*r), "Status");
  }
  t += "Current status: " + current + "\n\n";
  auto first_time = [](const json::array& events) { return iso(jv::num(jv::as_obj(events.front()), "Time").value_or(0)); };
  if (!found[2].empty()) {
    std::string cause = jv::str(jv::as_obj(found[2].front()), "ErrorCause");
    t += "ERROR at " + first_time(found[2]) + ": " + cause + " (" + cause_advice(cause) +
         "). Delete it and create it again with the location corrected.\n";
  } else if (!found[0].empty()) {
    t += "ACTIVE since " + first_time(found[0]) + ": the code ran and the instrumentation fired.\n";
    if (!found[1].empty()) t += "(READY at " + first_time(found[1]) + " before that.)\n";
    if (jv::str(conf, "InstrumentationType") == "BREAKPOINT")
      t += "Snapshots: search_snapshots_for_status_event(service_name=\"" + jv::str(conf, "Service") + "\", environment=\"" +
           jv::str(conf, "Environment") + "\", location_hash=\"" + hash + "\", status_timestamp=\"" + first_time(found[0]) +
           "\").\n";
  } else if (!found[1].empty()) {
    t += "READY since " + first_time(found[1]) +
         ": the agents have it, but the code has not run since. Exercise that code path (send a request that reaches "
         "it), then check again.\n";
  } else {
    t += "No status event in this window: the agents have not picked it up yet (it takes about a minute), or no "
         "instance of the service runs an SDK with dynamic instrumentation. Check again with a later end_time.\n";
  }
  co_return mcp::ToolResult::text(t);
}

ArgSpec signal_arg() {
  return arg::enumeration("signal_type", "The signal: SNAPSHOT (the only one).", {"SNAPSHOT"}).def("SNAPSHOT");
}

}  // namespace

ToolEntry get_status_tool() {
  ToolSpec s;
  s.name = "get_instrumentation_configuration_status";
  s.title = "Status events of a dynamic instrumentation";
  s.description =
      "The current status of one breakpoint or probe (READY: the agents have it; ACTIVE: it fired; ERROR: it could "
      "not be applied, with the cause; DISABLED: expired) and its events of one status (status, default the current "
      "one) in an optional window. Name it by location_hash or code location.";
  s.args = {service_arg(), environment_arg(), type_arg(), location_hash_arg(false)};
  for (auto& a : location_args()) s.args.push_back(std::move(a));
  s.args.push_back(arg::enumeration("status", "The status whose events to list.", {"READY", "ACTIVE", "ERROR", "DISABLED"}));
  s.args.push_back(arg::time("start_time", "Start of the window (any time form)."));
  s.args.push_back(arg::time("end_time", "End of the window (any time form)."));
  s.args.push_back(arg::integer("max_results", "Most events per page (1-100).", 100, 1, 100));
  s.args.push_back(arg::string("next_token", "The token of the previous page."));
  s.args.push_back(signal_arg());
  s.args.push_back(arg::region());
  s.ops = {aws::ops::kGetInstrumentationConfigurationStatus};
  s.example_extra = json::object{{"location_hash", "dff3f31ed63bd064"}};
  return {std::make_shared<const ToolSpec>(std::move(s)), &run_status};
}

ToolEntry check_status_tool() {
  ToolSpec s;
  s.name = "check_instrumentation_status";
  s.title = "Did the instrumentation become active?";
  s.description =
      "Answers whether a breakpoint or probe went from created to READY to ACTIVE in a window, or hit an ERROR (with "
      "what to change), and for an active breakpoint how to read its snapshots.";
  s.args = {service_arg(), environment_arg(), type_arg(), location_hash_arg(true),
            arg::time("start_time", "Start of the window, e.g. the creation time.").require().eg("\"now-1h\""),
            arg::time("end_time", "End of the window (e.g. now).").require().eg("\"now\""), signal_arg(), arg::region()};
  s.ops = {aws::ops::kGetInstrumentationConfiguration, aws::ops::kGetInstrumentationConfigurationStatus};
  return {std::make_shared<const ToolSpec>(std::move(s)), &run_check};
}

}  // namespace appsignals::tools::instrumentation

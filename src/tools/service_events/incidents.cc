// get_incident_root_cause: one incident snapshot from the service-events logs, explained: trigger,
// exception and stack, the call tree with time shares and the failing frame marked, request
// context and the trace to open.
#include <cmath>
#include <cstdio>

#include "tools/common/json_access.h"
#include "tools/service_events/scope_args.h"
#include "tools/service_events/se_common.h"
#include "tools/service_events/service_events_tools.h"

namespace appsignals::tools::service_events {
namespace {

namespace asio = boost::asio;

struct TreeText {
  std::vector<std::string> lines;
  std::string failing;        // the deepest frame marked as an error
  double failing_ms = 0;
};

// The deepest error frame under `n` (empty when none).
void find_failing(const json::object& n, int depth, int& best_depth, std::string& name, double& ms) {
  if (jv::boolean(n, "error") && depth > best_depth) {
    best_depth = depth;
    name = jv::str(n, "function");
    ms = jv::num(n, "duration_ms").value_or(0);
  }
  for (const auto& c : jv::arr(n, "children")) find_failing(jv::as_obj(c), depth + 1, best_depth, name, ms);
}

void render(const json::object& n, double total, const std::string& prefix, bool last, bool root,
            const std::string& failing, TreeText& out) {
  double ms = jv::num(n, "duration_ms").value_or(0);
  char buf[64];
  std::snprintf(buf, sizeof buf, " [%.1fms, %.1f%%]", ms, total > 0 ? 100.0 * ms / total : 0.0);
  std::string name = jv::str(n, "function");
  std::string line = root ? name : prefix + (last ? "└── " : "├── ") + name;
  line += buf;
  if (name == failing) line += " ★ ERROR";
  else if (jv::boolean(n, "error")) line += " (error)";
  out.lines.push_back(std::move(line));
  const auto& kids = jv::arr(n, "children");
  std::string child_prefix = root ? "" : prefix + (last ? "    " : "│   ");
  for (std::size_t i = 0; i < kids.size(); ++i)
    render(jv::as_obj(kids[i]), total, child_prefix, i + 1 == kids.size(), false, failing, out);
}

std::string clean_id(std::string id) {
  std::erase_if(id, [](char c) { return c == '"' || c == '\\' || c == '\n'; });
  return id;
}

asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  const std::string snapshot_id = clean_id(call.args.str("snapshot_id"));
  const std::int64_t hours = call.args.integer("hours", 72);
  auto clients_r = call.aws();
  if (!clients_r) co_return aws_failure(clients_r.error(), aws::ops::kStartQuery);
  auto clients = *clients_r;
  auto groups_r = co_await event_groups(clients, call.args.str("service_name"));
  if (auto* f = std::get_if<Failure>(&groups_r)) co_return aws_failure(f->error, f->op);
  auto groups = std::get<std::vector<std::string>>(std::move(groups_r));
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(call.now().time_since_epoch()).count();
  std::string filter = "@message like \"" + snapshot_id + "\"";
  std::string event = "aws.service_events.incident_snapshot";
  auto found = co_await query_events(clients, groups, event, now - hours * 3600, now, 5, filter);
  if (auto* f = std::get_if<Failure>(&found)) co_return aws_failure(f->error, f->op);
  const auto& records = std::get<json::array>(found);
  const json::object* snap = nullptr;
  for (const auto& r : records)
    if (attr(jv::as_obj(r), "attributes", "aws.service_events.snapshot_id") == snapshot_id) snap = &r.as_object();
  if (!snap) {
    json::object out;
    out["data_source"] = "service_events";
    out["snapshot_id"] = snapshot_id;
    out["found"] = false;
    out["message"] = "No incident snapshot with this id in the last " + std::to_string(hours) + " hours of " +
                     std::to_string(groups.size()) +
                     " service-events log group(s). Take snapshot ids from get_recent_incidents, or raise hours.";
    co_return mcp::ToolResult::structured(std::move(out));
  }
  const json::object& s = *snap;
  json::object out;
  out["data_source"] = "service_events";
  out["snapshot_id"] = snapshot_id;
  out["found"] = true;
  out["service"] = attr(s, "resource", "service.name");
  out["environment"] = attr(s, "resource", "deployment.environment.name");
  out["timestamp"] = jv::str(s, "timestamp");
  out["operation"] = attr(s, "attributes", "aws.service_events.operation");
  out["trigger_type"] = attr(s, "attributes", "aws.service_events.trigger_type");
  if (auto d = jv::num(jv::obj(s, "attributes"), "aws.service_events.duration_ms")) out["duration_ms"] = *d;
  if (auto st = jv::num(jv::obj(s, "attributes"), "http.response.status_code"))
    out["status_code"] = static_cast<std::int64_t>(*st);
  const auto& exc = jv::obj(s, "exception");
  if (!exc.empty()) {
    out["exception_type"] = jv::str(exc, "type");
    out["exception_message"] = jv::str(exc, "message");
    out["stack_trace"] = jv::str(exc, "stack_trace");
  }
  const auto& tree = jv::obj(s, "call_tree");
  std::string failing;
  if (!tree.empty()) {
    int depth = -1;
    double failing_ms = 0;
    find_failing(tree, 0, depth, failing, failing_ms);
    if (failing.empty()) {
      // Latency snapshots: the slowest leaf path is the one to read; mark nothing.
    }
    TreeText t;
    render(tree, jv::num(tree, "duration_ms").value_or(0), "", true, true, failing, t);
    std::string text;
    for (const auto& l : t.lines) text += l + "\n";
    out["call_tree"] = text;
    if (!failing.empty()) out["failing_frame"] = failing;
  } else {
    out["call_tree_note"] = "This snapshot carries no call tree.";
  }
  // One line that names the cause.
  std::string cause;
  if (!exc.empty()) {
    cause = jv::str(exc, "type") + " in " + (failing.empty() ? out["operation"].as_string().c_str() : failing);
    if (const auto* m = exc.if_contains("message"); m && m->is_string()) {
      std::string msg(m->as_string());
      cause += ": " + msg.substr(0, msg.find(". "));
    }
  } else {
    cause = "Latency: " + jv::str(out, "operation") + " took " + attr(s, "attributes", "aws.service_events.duration_ms") +
            " ms (threshold " + (s.contains("latency_threshold_ms") ? std::to_string(jv::integer(s, "latency_threshold_ms")) : "?") +
            " ms)";
  }
  out["root_cause"] = cause;
  if (!jv::obj(s, "request_context").empty()) out["request_context"] = jv::obj(s, "request_context");
  out["resource_attributes"] = jv::obj(s, "resource");
  std::string trace = attr(s, "attributes", "trace_id");
  if (!trace.empty()) {
    json::object tc;
    tc["trace_id"] = trace;
    tc["span_id"] = attr(s, "attributes", "span_id");
    tc["hint"] = "search_transaction_spans with `filter traceId = \"" + trace + "\"` shows every span of this request.";
    out["telemetry_correlation"] = std::move(tc);
  }
  co_return mcp::ToolResult::structured(std::move(out));
}

json::object output_schema() {
  json::object props;
  props["data_source"] = prop("string", "service_events");
  props["snapshot_id"] = prop("string", "The snapshot");
  props["found"] = prop("boolean", "Whether the snapshot was found");
  props["service"] = prop("string", "Service of the snapshot");
  props["environment"] = prop("string", "Its environment");
  props["timestamp"] = prop("string", "When it was taken (ISO-8601 UTC)");
  props["operation"] = prop("string", "Endpoint of the request");
  props["trigger_type"] = prop("string", "exception or latency");
  props["duration_ms"] = prop("number", "Request duration");
  props["status_code"] = prop("integer", "HTTP status of the request");
  props["exception_type"] = prop("string", "Exception class");
  props["exception_message"] = prop("string", "Exception message");
  props["stack_trace"] = prop("string", "Stack trace");
  props["call_tree"] = prop("string", "The request's call tree: time and share per function; ★ ERROR marks the failing frame");
  props["call_tree_note"] = prop("string", "Why there is no call tree");
  props["failing_frame"] = prop("string", "The deepest frame that failed");
  props["root_cause"] = prop("string", "One line naming the cause");
  props["request_context"] = prop("object", "Request attributes captured with the snapshot");
  props["resource_attributes"] = prop("object", "Resource attributes (service, environment, deployment)");
  props["telemetry_correlation"] = prop("object", "{trace_id, span_id, hint}");
  props["message"] = prop("string", "When not found: what to do");
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  schema["required"] = json::array{"data_source", "snapshot_id", "found"};
  return schema;
}

}  // namespace

ToolEntry get_incident_root_cause_tool() {
  ToolSpec spec;
  spec.name = "get_incident_root_cause";
  spec.title = "Explain an incident snapshot";
  spec.description =
      "Root cause of one incident snapshot (ids come from get_recent_incidents): what triggered it (exception or "
      "latency), the exception and stack trace, the request's call tree with each function's time and share and "
      "the failing frame marked, the request context, and the trace id to open the full trace. Reads the "
      "service-events records in CloudWatch Logs (searched over the last `hours`).";
  spec.args = {
      arg::string("snapshot_id", "Incident snapshot id, as listed by get_recent_incidents.").require().eg("\"snap-e0000000abcd\""),
      arg::hours("hours", "How far back to search, in hours.", 72, 1, 720),
      service_name_arg(),
      environment_arg(),
  };
  spec.ops = {aws::ops::kDescribeLogGroups, aws::ops::kStartQuery, aws::ops::kGetQueryResults, aws::ops::kStopQuery};
  spec.output_schema = output_schema();
  spec.narrow_hint = "name the service with service_name";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::service_events

#include "tools/instrumentation/instrumentation_common.h"

#include "common/log_context.h"
#include "mcp/session.h"

#include <algorithm>
#include <cctype>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "tools/common/json_access.h"
#include "tools/common/tool_errors.h"

namespace appsignals::tools::instrumentation {

namespace asio = boost::asio;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

constexpr std::chrono::milliseconds kFirstPoll{100};
constexpr std::chrono::milliseconds kMaxPoll{1000};

json::object query_id_input(const std::string& id) {
  json::object o;
  o["queryId"] = id;
  return o;
}

json::object start_input(const std::string& group, std::int64_t start, std::int64_t end, const std::string& query,
                         std::int64_t limit) {
  json::object o;
  o["logGroupName"] = group;
  o["startTime"] = start;
  o["endTime"] = end;
  o["queryString"] = query;
  o["limit"] = limit;
  return o;
}

json::array rows_of(const json::value& response) {
  json::array out;
  for (const auto& line : jv::arr(jv::as_obj(response), "results")) {
    json::object row;
    if (line.is_array())
      for (const auto& cell : line.get_array()) {
        const auto& c = jv::as_obj(cell);
        row[jv::str(c, "field")] = jv::str(c, "value");
      }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

ArgSpec type_arg() {
  return arg::enumeration("instrumentation_type",
                          "BREAKPOINT (captures a snapshot of arguments, locals, return value and stack when the code "
                          "runs) or PROBE (method-level timing, no snapshot).",
                          {"BREAKPOINT", "PROBE"})
      .require()
      .eg("\"BREAKPOINT\"");
}

ArgSpec service_arg(const char* name) {
  return arg::string(name, "The service name as Application Signals reports it (e.g. payments).").require().eg("\"payments\"");
}

ArgSpec environment_arg() {
  return arg::string("environment", "The service's environment (e.g. ecs:shop-cluster, eks:cluster/namespace).")
      .require()
      .eg("\"ecs:shop-cluster\"");
}

std::vector<ArgSpec> location_args() {
  return {
      arg::string("language", "Java, Python or JavaScript.").eg("\"Java\""),
      arg::string("file_path", "Source file path as deployed (e.g. src/main/java/com/shop/payments/ChargeService.java).")
          .eg("\"src/main/java/com/shop/payments/ChargeService.java\""),
      arg::string("code_unit", "Java: the package (com.shop.payments); Python: the dotted module (inventory.reserve).")
          .eg("\"com.shop.payments\""),
      arg::string("class_name", "The simple class name (Java: required; Python: for methods).").eg("\"ChargeService\""),
      arg::string("method_name", "The method or function name.").eg("\"charge\""),
      arg::integer("line_number", "A line for a line-level breakpoint (omit for method level).", 0, 1, 10000000)
          .def(json::value())
          .eg("42"),
  };
}

ArgSpec location_hash_arg(bool required) {
  auto a = arg::string("location_hash",
                       "The configuration's 16-hex location hash (from create_instrumentation or list_instrumentations).")
               .eg("\"0123456789abcdef\"");
  if (required) a.require();
  return a;
}

std::optional<std::string> canonical_language(std::string_view text) {
  auto l = lower(text);
  if (l == "java") return "Java";
  if (l == "python" || l == "py" || l == "python3") return "Python";
  if (l == "javascript" || l == "js" || l == "node" || l == "nodejs" || l == "node.js" || l == "typescript")
    return "Javascript";
  return std::nullopt;
}

bool valid_location_hash(std::string_view hash) {
  return hash.size() == 16 && std::all_of(hash.begin(), hash.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
}

Result<json::object> read_code_location(const Args& args, const std::string& type) {
  std::vector<std::string> problems;
  auto language_text = args.str("language");
  auto language = canonical_language(language_text);
  auto file = args.str("file_path");
  auto unit = args.str("code_unit");
  auto cls = args.str("class_name");
  auto method = args.str("method_name");
  bool has_line = args.has("line_number");
  if (language_text.empty()) problems.push_back("give language: Java, Python or JavaScript");
  else if (!language) problems.push_back("language '" + language_text + "' is not supported: use Java, Python or JavaScript");
  if (file.empty()) problems.push_back("give file_path, the source file as deployed");
  if (language == "Java") {
    if (!cls.empty() && cls.find('.') != std::string::npos) {
      auto dot = cls.rfind('.');
      problems.push_back("class_name must be the simple name: use class_name=\"" + cls.substr(dot + 1) + "\"" +
                         (unit.empty() ? " and code_unit=\"" + cls.substr(0, dot) + "\"" : ""));
    } else if (cls.empty()) {
      problems.push_back("Java needs class_name (the simple class name, e.g. ChargeService)");
    }
    if (unit.empty() && (cls.empty() || cls.find('.') == std::string::npos))
      problems.push_back("Java needs code_unit (the package, e.g. com.shop.payments)");
    else if (unit.find('/') != std::string::npos)
      problems.push_back("code_unit is a package with dots, not a path: e.g. com.shop.payments");
    if (method.empty()) problems.push_back("Java needs method_name");
  } else if (language == "Python") {
    if (unit.empty()) problems.push_back("Python needs code_unit (the dotted module, e.g. inventory.reserve)");
    else if (unit.size() > 3 && unit.compare(unit.size() - 3, 3, ".py") == 0)
      problems.push_back("code_unit is the module path, not the file: use code_unit=\"" +
                         [&] {
                           std::string m = unit.substr(0, unit.size() - 3);
                           std::replace(m.begin(), m.end(), '/', '.');
                           return m;
                         }() +
                         "\"");
    if (method.empty()) problems.push_back("Python needs method_name");
  } else if (language == "Javascript") {
    if (!has_line) problems.push_back("JavaScript breakpoints bind by file and line: give line_number");
  }
  if (type == "PROBE") {
    if (language == "Javascript") problems.push_back("PROBE is not available for JavaScript: use instrumentation_type=BREAKPOINT");
    if (has_line) problems.push_back("PROBE is method-level: remove line_number");
  }
  if (!problems.empty()) {
    std::string text = "the code location is incomplete; change the following and call again:";
    for (std::size_t i = 0; i < problems.size(); ++i) text += "\n" + std::to_string(i + 1) + ". " + problems[i];
    return Error{ErrorCode::kInvalidArgument, text};
  }
  json::object cl;
  cl["Language"] = *language;
  cl["FilePath"] = file;
  if (!unit.empty()) cl["CodeUnit"] = unit;
  if (!cls.empty()) cl["ClassName"] = cls;
  if (!method.empty()) cl["MethodName"] = method;
  if (has_line) cl["LineNumber"] = args.integer("line_number");
  return cl;
}

Result<json::object> read_location_identifier(const Args& args, const std::string& type) {
  json::object id;
  auto hash = args.str("location_hash");
  if (!hash.empty()) {
    if (!valid_location_hash(hash))
      return Error{ErrorCode::kInvalidArgument,
                   "location_hash must be 16 hexadecimal characters (e.g. 0123456789abcdef); '" + hash +
                       "' is not. list_instrumentations shows each configuration's hash."};
    id["LocationHash"] = lower(hash);
    return id;
  }
  if (args.str("file_path").empty() && args.str("language").empty())
    return Error{ErrorCode::kInvalidArgument,
                 "name the configuration: give location_hash (list_instrumentations shows it), or its code location "
                 "(language, file_path, code_unit, class_name, method_name, line_number as created)"};
  auto cl = read_code_location(args, type);
  if (!cl) return cl.error();
  id["CodeLocation"] = std::move(*cl);
  return id;
}

json::object scope_input(const Args& args) {
  json::object o;
  o["InstrumentationType"] = args.str("instrumentation_type");
  o["Service"] = args.str(args.has("service") ? "service" : "service_name");
  o["Environment"] = args.str("environment");
  o["SignalType"] = "SNAPSHOT";
  return o;
}

std::string iso(double epoch_seconds) {
  return format_iso(TimePoint(std::chrono::seconds(static_cast<std::int64_t>(epoch_seconds))));
}

std::string describe_location(const json::object& cl) {
  std::string where = jv::str(cl, "CodeUnit");
  for (const char* k : {"ClassName", "MethodName"})
    if (auto v = jv::str(cl, k); !v.empty()) where += (where.empty() ? "" : ".") + v;
  std::string text = jv::str(cl, "Language") + " " + where + " (" + jv::str(cl, "FilePath");
  if (auto line = jv::integer(cl, "LineNumber"); line > 0) text += ", line " + std::to_string(line);
  return text + ")";
}

std::string config_text(const json::object& c, std::int64_t now) {
  std::string t;
  const auto& cl = jv::obj(jv::obj(c, "Location"), "CodeLocation");
  t += "- " + jv::str(c, "InstrumentationType") + " at " + describe_location(cl) + "\n";
  t += "  Location hash: " + jv::str(c, "LocationHash") + "\n";
  t += "  ARN: " + jv::str(c, "ARN") + "\n";
  if (auto d = jv::str(c, "Description"); !d.empty()) t += "  Description: " + d + "\n";
  if (auto created = jv::num(c, "CreatedAt")) t += "  Created: " + iso(*created) + "\n";
  if (auto exp = jv::num(c, "ExpiresAt"))
    t += "  Expires: " + iso(*exp) + (*exp <= static_cast<double>(now) ? " (expired)" : "") + "\n";
  else
    t += "  Expires: never (remove it with delete_instrumentation when done)\n";
  const auto& cc = jv::obj(jv::obj(c, "CaptureConfiguration"), "CodeCapture");
  auto names = [&](const char* key) {
    std::string s;
    for (const auto& v : jv::arr(cc, key))
      if (v.is_string()) s += (s.empty() ? "" : ", ") + std::string(v.get_string());
    return s;
  };
  std::string capture;
  if (auto a = names("CaptureArguments"); !a.empty()) capture += "arguments [" + a + "]; ";
  if (auto l = names("CaptureLocals"); !l.empty()) capture += "locals [" + l + "]; ";
  capture += std::string("return value ") + (jv::boolean(cc, "CaptureReturn", true) ? "on" : "off");
  capture += std::string("; stack trace ") + (jv::boolean(cc, "CaptureStackTrace", true) ? "on" : "off");
  if (auto hits = jv::integer(jv::obj(cc, "CaptureLimits"), "MaxHits"); hits > 0) capture += "; max hits " + std::to_string(hits);
  t += "  Captures: " + capture + "\n";
  if (const auto* f = c.if_contains("AttributeFilters"); f && f->is_array()) {
    std::string groups;
    for (const auto& g : f->get_array()) {
      std::string conds;
      for (const auto& [k, v] : jv::as_obj(g))
        conds += (conds.empty() ? "" : " AND ") + std::string(k) + "=" + (v.is_string() ? std::string(v.get_string()) : "");
      groups += (groups.empty() ? "(" : " OR (") + conds + ")";
    }
    t += "  Only when: " + groups + "\n";
  }
  return t;
}

void log_write(const ToolCall& call, std::string_view service, std::string_view environment, std::string_view type,
               std::string_view outcome) {
  // The write audit line: who (also in the line's context, with the request id and session),
  // which tool, AWS profile and target.
  const std::string principal = call.principal();
  const std::string tool = call.spec ? call.spec->name : std::string("?");
  LogFields fields;
  fields.principal = principal;
  fields.tool = tool;
  if (call.ctx) {
    fields.request_id = call.ctx->trace_id();
    fields.session = call.ctx->session().id();
  }
  log_with(fields, spdlog::level::info,
           "instrumentation write: principal={} tool={} service={} environment={} type={} result={} profile={}",
           principal, tool, service, environment, type, outcome,
           call.profile.empty() ? std::string("(server)") : call.profile);
}

asio::awaitable<InsightsOutcome> run_insights(ToolCall call, std::string log_group, std::int64_t start,
                                              std::int64_t end, std::string query, std::int64_t limit,
                                              std::int64_t max_timeout) {
  InsightsOutcome out;
  auto clients_r = call.aws();
  if (!clients_r) {
    out.failure = aws_failure(clients_r.error(), aws::ops::kStartQuery);
    co_return out;
  }
  std::shared_ptr<const aws::AwsClients> clients = *clients_r;
  json::object input = start_input(log_group, start, end, query, limit);
  auto started = co_await clients->logs.call(aws::ops::kStartQuery, input);
  if (!started) {
    out.failure = aws_failure(started.error(), aws::ops::kStartQuery);
    co_return out;
  }
  out.query_id = jv::str(jv::as_obj(*started), "queryId");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(max_timeout);
  std::chrono::milliseconds delay = kFirstPoll;
  asio::steady_timer timer(call.ctx->executor());
  while (true) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    timer.expires_after(std::min<std::chrono::steady_clock::duration>(delay, deadline - now));
    auto token = asio::as_tuple(asio::use_awaitable);
    co_await timer.async_wait(token);
    json::object poll = query_id_input(out.query_id);
    auto polled = co_await clients->logs.call(aws::ops::kGetQueryResults, poll);
    if (!polled) {
      json::object stop = query_id_input(out.query_id);
      auto stopped = co_await clients->logs.call(aws::ops::kStopQuery, stop);
      (void)stopped;
      out.failure = aws_failure(polled.error(), aws::ops::kGetQueryResults);
      co_return out;
    }
    auto status = jv::str(jv::as_obj(*polled), "status");
    if (status == "Complete" || status == "Failed" || status == "Cancelled" || status == "Timeout") {
      out.status = status;
      out.rows = rows_of(*polled);
      co_return out;
    }
    delay = std::min(delay * 2, kMaxPoll);
  }
  json::object stop = query_id_input(out.query_id);
  auto stopped = co_await clients->logs.call(aws::ops::kStopQuery, stop);
  (void)stopped;
  out.status = "Timeout";
  co_return out;
}

}  // namespace appsignals::tools::instrumentation

// get_xray_trace: BatchGetTraces for up to 5 trace ids (X-Ray, OpenTelemetry or 0x forms),
// each trace as its segments with their subsegment trees, plus a list of the spots that
// faulted, errored or were throttled, with the path that leads to them.
#include "common/text.h"
#include "tools/traces/get_xray_trace.h"

#include <algorithm>
#include <cctype>
#include <map>

#include <boost/json/parse.hpp>

#include "tools/common/args.h"
#include "tools/common/tool_errors.h"
#include "tools/toolsets.h"
#include "tools/traces/json_output.h"
#include "tools/traces/traces_tools.h"

namespace appsignals::tools {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using traces::json_result;
using traces::number_of;
using traces::round_to;

constexpr std::size_t kMaxIds = 5;
constexpr int kMaxDepth = 5;
constexpr int kMaxPages = 5;
constexpr std::size_t kMaxCauses = 3;

bool all_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n\"'");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n\"'");
  return std::string(s.substr(b, e - b + 1));
}

const json::object* object_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

std::string string_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

bool true_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

json::object http_summary(const json::object& http) {
  json::object out;
  if (const auto* req = object_member(http, "request")) {
    if (auto m = string_member(*req, "method"); !m.empty()) out["method"] = m;
    if (auto u = string_member(*req, "url"); !u.empty()) out["url"] = u;
  }
  if (const auto* resp = object_member(http, "response"))
    if (const auto* s = resp->if_contains("status"); s && s->is_number()) out["status"] = *s;
  return out;
}

json::object aws_summary(const json::object& aws) {
  static constexpr std::string_view kFields[] = {"operation",     "table_name", "queue_url",  "bucket_name",
                                                 "function_name", "topic_arn",  "stream_name"};
  json::object out;
  for (auto f : kFields)
    if (auto v = string_member(aws, f); !v.empty()) out[f] = v;
  if (const auto* r = aws.if_contains("retries"); r && r->is_number() && number_of(r).value_or(0) > 0)
    out["retries"] = *r;
  return out;
}

json::array cause_summary(const json::value& cause) {
  json::array out;
  if (!cause.is_object()) return out;
  const auto* ex = cause.get_object().if_contains("exceptions");
  if (!ex || !ex->is_array()) return out;
  for (const auto& e : ex->get_array()) {
    if (out.size() >= kMaxCauses) break;
    if (!e.is_object()) continue;
    json::object c;
    if (auto t = string_member(e.get_object(), "type"); !t.empty()) c["type"] = t;
    if (auto m = string_member(e.get_object(), "message"); !m.empty()) c["message"] = m;
    if (!c.empty()) out.emplace_back(std::move(c));
  }
  return out;
}

std::size_t count_nodes(const json::object& doc) {
  std::size_t n = 0;
  if (const auto* subs = doc.if_contains("subsegments"); subs && subs->is_array())
    for (const auto& s : subs->get_array())
      if (s.is_object()) n += 1 + count_nodes(s.get_object());
  return n;
}

// A fault, error or throttle somewhere in the trace, with the path of names leading to it.
struct Problem {
  std::string path;
  const json::object* node;
};

void collect_problems(const json::object& node, const std::string& path, std::vector<Problem>& out) {
  if (true_member(node, "fault") || true_member(node, "error") || true_member(node, "throttle"))
    out.push_back({path, &node});
  if (const auto* subs = node.if_contains("subsegments"); subs && subs->is_array())
    for (const auto& s : subs->get_array())
      if (s.is_object()) collect_problems(s.get_object(), path + " > " + string_member(s.get_object(), "name"), out);
}

void index_paths(const json::object& node, const std::string& path, std::map<std::string, std::string>& paths) {
  if (auto id = string_member(node, "id"); !id.empty()) paths[id] = path;
  if (const auto* subs = node.if_contains("subsegments"); subs && subs->is_array())
    for (const auto& s : subs->get_array())
      if (s.is_object()) index_paths(s.get_object(), path + " > " + string_member(s.get_object(), "name"), paths);
}

json::object problem_json(const Problem& p) {
  const auto& n = *p.node;
  json::object o;
  o["path"] = p.path;
  json::array kinds;
  for (const char* k : {"fault", "error", "throttle"})
    if (true_member(n, k)) kinds.emplace_back(k);
  o["kind"] = std::move(kinds);
  if (const auto* http = object_member(n, "http")) {
    auto h = http_summary(*http);
    if (const auto* s = h.if_contains("status")) o["http_status"] = *s;
  }
  if (const auto* aws = object_member(n, "aws")) {
    auto a = aws_summary(*aws);
    if (!a.empty()) o["aws"] = std::move(a);
  }
  if (const auto* c = n.if_contains("cause")) {
    auto causes = cause_summary(*c);
    if (!causes.empty()) o["cause"] = causes.front();
  }
  return o;
}

struct ParsedSegment {
  json::object doc;
  double start = 0;
  std::string parse_error;
  std::string id;
};

json::object trace_summary(const json::object& trace) {
  json::object out;
  out["trace_id"] = string_member(trace, "Id");
  if (auto d = number_of(trace.if_contains("Duration"))) out["duration_s"] = round_to(*d, 3);
  std::vector<ParsedSegment> segments;
  if (const auto* segs = trace.if_contains("Segments"); segs && segs->is_array()) {
    for (const auto& s : segs->get_array()) {
      if (!s.is_object()) continue;
      ParsedSegment p;
      p.id = string_member(s.get_object(), "Id");
      std::string text = string_member(s.get_object(), "Document");
      boost::system::error_code ec;
      auto doc = json::parse(text, ec);
      if (ec || !doc.is_object()) {
        p.parse_error = "the segment document is not a JSON object";
      } else {
        p.doc = std::move(doc.get_object());
        p.start = number_of(p.doc.if_contains("start_time")).value_or(0);
      }
      segments.push_back(std::move(p));
    }
  }
  std::stable_sort(segments.begin(), segments.end(),
                   [](const ParsedSegment& a, const ParsedSegment& b) { return a.start < b.start; });

  // Paths across segments: a segment whose parent_id is another segment's subsegment continues
  // that subsegment's path (checkout > payments > payments > DynamoDB).
  std::map<std::string, std::string> paths;
  std::vector<std::string> segment_paths(segments.size());
  for (std::size_t pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const auto& doc = segments[i].doc;
      if (!segments[i].parse_error.empty()) continue;
      std::string name = string_member(doc, "name");
      std::string parent = string_member(doc, "parent_id");
      auto it = paths.find(parent);
      segment_paths[i] = it != paths.end() ? it->second + " > " + name : name;
      index_paths(doc, segment_paths[i], paths);
    }
  }

  bool has_errors = false, has_faults = false, has_throttles = false;
  std::size_t nodes = 0;
  json::array list;
  std::vector<Problem> problems;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& p = segments[i];
    if (!p.parse_error.empty()) {
      json::object bad;
      bad["id"] = p.id;
      bad["parse_error"] = p.parse_error;
      list.emplace_back(std::move(bad));
      continue;
    }
    nodes += 1 + count_nodes(p.doc);
    collect_problems(p.doc, segment_paths[i], problems);
    list.emplace_back(traces::summarize_segment(p.doc, 0, kMaxDepth));
  }
  for (const auto& pr : problems) {
    has_faults = has_faults || true_member(*pr.node, "fault");
    has_errors = has_errors || true_member(*pr.node, "error");
    has_throttles = has_throttles || true_member(*pr.node, "throttle");
  }
  out["segment_count"] = static_cast<std::int64_t>(segments.size());
  out["node_count"] = static_cast<std::int64_t>(nodes);
  out["has_faults"] = has_faults;
  out["has_errors"] = has_errors;
  out["has_throttles"] = has_throttles;
  if (true_member(trace, "LimitExceeded")) out["limit_exceeded"] = true;
  json::array plist;
  for (const auto& pr : problems) plist.emplace_back(problem_json(pr));
  out["problems"] = std::move(plist);
  out["segments"] = std::move(list);
  return out;
}

json::object batch_input(const std::vector<std::string>& ids, const std::string& next_token) {
  json::object in;
  json::array list;
  for (const auto& id : ids) list.emplace_back(id);
  in["TraceIds"] = std::move(list);
  if (!next_token.empty()) in["NextToken"] = next_token;
  return in;
}

json::object build_output(const std::vector<std::string>& originals, const std::vector<std::string>& ids,
                          const json::array& traces_raw, const json::array& unprocessed) {
  json::object out;
  json::array traces;
  std::vector<std::string> returned;
  for (const auto& t : traces_raw) {
    if (!t.is_object()) continue;
    returned.push_back(string_member(t.get_object(), "Id"));
    traces.emplace_back(trace_summary(t.get_object()));
  }
  out["requested_trace_ids"] = json::array(ids.begin(), ids.end());
  json::object conversions;
  for (std::size_t i = 0; i < ids.size() && i < originals.size(); ++i)
    if (originals[i] != ids[i]) conversions[originals[i]] = ids[i];
  if (!conversions.empty()) out["trace_id_conversions"] = std::move(conversions);
  out["traces"] = std::move(traces);
  json::array missing = unprocessed;
  for (const auto& id : ids) {
    bool seen = std::find(returned.begin(), returned.end(), id) != returned.end();
    for (const auto& u : unprocessed) seen = seen || (u.is_string() && u.get_string() == id);
    if (!seen) missing.emplace_back(id);
  }
  out["unprocessed_trace_ids"] = missing;
  if (!missing.empty())
    out["note"] = "X-Ray returned nothing for " + std::to_string(missing.size()) +
                  " id(s): the trace may be older than 30 days, not sampled into X-Ray, in another region, or "
                  "mistyped. With Transaction Search on, search_transaction_spans finds every span by traceId.";
  return out;
}

asio::awaitable<mcp::ToolResult> get_xray_trace(std::shared_ptr<const ToolEnv> env, mcp::RequestContext&,
                                                json::object args) {
  std::string text;
  if (const auto* v = args.if_contains("trace_ids"); v && v->is_array()) {
    // Lenient: a JSON array of ids.
    for (const auto& item : v->get_array()) {
      if (!item.is_string()) co_return argument_failure("argument 'trace_ids' must be a comma-separated string of ids");
      if (!text.empty()) text += ",";
      text += std::string(item.get_string());
    }
    if (text.empty()) co_return argument_failure("argument 'trace_ids' is required and must not be empty");
  } else {
    auto t = required_string(args, "trace_ids");
    if (!t) co_return argument_failure(t.error());
    text = *t;
  }
  if (text.size() > 1 && text.front() == '[') {
    boost::system::error_code ec;
    auto arr = json::parse(text, ec);
    if (!ec && arr.is_array()) {
      text.clear();
      for (const auto& item : arr.get_array())
        if (item.is_string()) text += (text.empty() ? "" : ",") + std::string(item.get_string());
    }
  }
  auto ids_r = traces::parse_trace_ids(text, kMaxIds);
  if (!ids_r) co_return argument_failure(ids_r.error());
  std::vector<std::string> ids = std::move(*ids_r);
  std::vector<std::string> originals;
  {
    std::string token;
    for (char c : text + ",") {
      if (c == ',') {
        auto t = trim(token);
        token.clear();
        if (t.empty()) continue;
        auto n = traces::normalize_trace_id(t);
        if (n && std::find(originals.begin(), originals.end(), t) == originals.end()) originals.push_back(t);
      } else {
        token += c;
      }
    }
  }
  // Align originals with the de-duplicated ids (first spelling of each).
  std::vector<std::string> aligned;
  for (const auto& id : ids) {
    std::string orig = id;
    for (const auto& o : originals)
      if (auto n = traces::normalize_trace_id(o); n && *n == id) {
        orig = o;
        break;
      }
    aligned.push_back(orig);
  }

  auto clients_r = env->clients(args);
  if (!clients_r) co_return aws_failure(clients_r.error(), "xray:BatchGetTraces");
  std::shared_ptr<const aws::AwsClients> clients = *clients_r;
  json::array traces_raw, unprocessed;
  std::string next_token;
  for (int page = 0; page < kMaxPages; ++page) {
    std::string op = "BatchGetTraces";
    json::object input = batch_input(ids, next_token);
    auto r = co_await clients->xray.call(op, input);
    if (!r) co_return aws_failure(r.error(), "xray:BatchGetTraces");
    next_token.clear();
    if (r->is_object()) {
      const auto& o = r->get_object();
      if (const auto* t = o.if_contains("Traces"); t && t->is_array())
        for (const auto& item : t->get_array()) traces_raw.push_back(item);
      if (const auto* u = o.if_contains("UnprocessedTraceIds"); u && u->is_array())
        for (const auto& item : u->get_array()) unprocessed.push_back(item);
      next_token = string_member(o, "NextToken");
    }
    if (next_token.empty()) break;
  }
  co_return json_result(build_output(aligned, ids, traces_raw, unprocessed));
}

json::object input_schema() {
  json::object props;
  props["trace_ids"] = json::object{
      {"type", json::array{"string", "array"}},
      {"description",
       "Comma-separated trace ids, at most 5. Accepted forms: " + std::string(traces::kTraceIdForms) +
           ". OpenTelemetry ids (as in span traceId fields) are converted to the X-Ray form. Required."}};
  props["region"] = json::object{{"type", "string"}, {"description", "AWS region (default: the server's region)."}};
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  schema["required"] = json::array{"trace_ids"};
  return schema;
}

json::object output_schema() {
  auto prop = [](std::string_view type, std::string_view d) { return json::object{{"type", type}, {"description", d}}; };
  json::object props;
  props["requested_trace_ids"] =
      json::object{{"type", "array"}, {"items", json::object{{"type", "string"}}}, {"description", "X-Ray form"}};
  props["trace_id_conversions"] = prop("object", "Given id → X-Ray id, for ids that were converted");
  props["traces"] = json::object{
      {"type", "array"},
      {"items", json::object{{"type", "object"}}},
      {"description",
       "Per trace: trace_id, duration_s, segment_count, node_count, has_faults, has_errors, has_throttles, "
       "problems [{path, kind, http_status?, aws?, cause?}], segments [{id, name, duration_ms, namespace?, "
       "origin?, fault?/error?/throttle?, http?, aws?, sql?, cause?, subsegments?}]"}};
  props["unprocessed_trace_ids"] = json::object{{"type", "array"}, {"items", json::object{{"type", "string"}}}};
  props["note"] = prop("string", "Why some ids returned nothing");
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  schema["required"] = json::array{"traces", "unprocessed_trace_ids"};
  return schema;
}

}  // namespace

namespace traces {

Result<std::string> normalize_trace_id(std::string_view raw) {
  std::string id = ascii_lower(trim(raw));
  if (id.size() == 35 && id.compare(0, 2, "1-") == 0 && id[10] == '-' && all_hex(id.substr(2, 8)) &&
      all_hex(id.substr(11)))
    return id;
  if (id.size() == 34 && id.compare(0, 2, "0x") == 0) id = id.substr(2);
  if (id.size() == 32 && all_hex(id)) return "1-" + id.substr(0, 8) + "-" + id.substr(8);
  return Error{ErrorCode::kInvalidArgument, "argument 'trace_ids': '" + trim(raw) +
                                                "' is not a trace id. Accepted forms: " + std::string(kTraceIdForms)};
}

Result<std::vector<std::string>> parse_trace_ids(std::string_view text, std::size_t max_ids) {
  std::vector<std::string> ids;
  std::string token;
  std::string all(text);
  all += ',';
  for (char c : all) {
    if (c != ',') {
      token += c;
      continue;
    }
    std::string t = trim(token);
    token.clear();
    if (t.empty()) continue;
    auto n = normalize_trace_id(t);
    if (!n) return n.error();
    if (std::find(ids.begin(), ids.end(), *n) == ids.end()) ids.push_back(*n);
  }
  if (ids.empty())
    return Error{ErrorCode::kInvalidArgument,
                 "argument 'trace_ids' is required: give 1 to " + std::to_string(max_ids) +
                     " comma-separated ids. Accepted forms: " + std::string(kTraceIdForms)};
  if (ids.size() > max_ids)
    return Error{ErrorCode::kInvalidArgument, "argument 'trace_ids' has " + std::to_string(ids.size()) +
                                                  " ids; at most " + std::to_string(max_ids) +
                                                  " per call: split them over several calls"};
  return ids;
}

json::object summarize_segment(const json::object& doc, int depth, int max_depth) {
  json::object o;
  if (auto id = string_member(doc, "id"); !id.empty()) o["id"] = id;
  o["name"] = string_member(doc, "name");
  if (depth == 0) {
    if (auto p = string_member(doc, "parent_id"); !p.empty()) o["parent_id"] = p;
    if (auto s = doc.if_contains("start_time")) {
      if (auto iso = iso_of(s); !iso.empty()) o["start_time"] = iso;
    }
  }
  auto start = number_of(doc.if_contains("start_time"));
  auto end = number_of(doc.if_contains("end_time"));
  if (start && end) o["duration_ms"] = round_to((*end - *start) * 1000.0, 1);
  else if (true_member(doc, "in_progress")) o["in_progress"] = true;
  if (auto ns = string_member(doc, "namespace"); !ns.empty()) o["namespace"] = ns;
  if (auto origin = string_member(doc, "origin"); !origin.empty()) o["origin"] = origin;
  for (const char* flag : {"error", "fault", "throttle"})
    if (true_member(doc, flag)) o[flag] = true;
  if (const auto* http = object_member(doc, "http")) {
    auto h = http_summary(*http);
    if (!h.empty()) o["http"] = std::move(h);
  }
  if (const auto* aws = object_member(doc, "aws")) {
    auto a = aws_summary(*aws);
    if (!a.empty()) o["aws"] = std::move(a);
  }
  if (const auto* sql = object_member(doc, "sql")) {
    json::object s;
    auto q = string_member(*sql, "sanitized_query");
    if (q.empty()) q = string_member(*sql, "url");
    if (!q.empty()) s["query"] = q;
    if (auto t = string_member(*sql, "database_type"); !t.empty()) s["database_type"] = t;
    if (!s.empty()) o["sql"] = std::move(s);
  }
  if (depth == 0)
    if (const auto* ann = object_member(doc, "annotations"); ann && !ann->empty()) {
      json::object a;
      for (const auto& [k, v] : *ann) {
        if (a.size() >= 10) break;
        a[k] = v;
      }
      o["annotations"] = std::move(a);
    }
  if (const auto* c = doc.if_contains("cause")) {
    auto causes = cause_summary(*c);
    if (!causes.empty()) o["cause"] = std::move(causes);
  }
  if (const auto* subs = doc.if_contains("subsegments"); subs && subs->is_array() && !subs->get_array().empty()) {
    if (depth + 1 >= max_depth) {
      o["subsegments_not_shown"] = static_cast<std::int64_t>(count_nodes(doc));
    } else {
      json::array list;
      for (const auto& s : subs->get_array())
        if (s.is_object()) list.emplace_back(summarize_segment(s.get_object(), depth + 1, max_depth));
      o["subsegments"] = std::move(list);
    }
  }
  return o;
}

}  // namespace traces

mcp::ToolDef make_get_xray_trace_tool(std::shared_ptr<const ToolEnv> env) {
  mcp::ToolDef def;
  def.name = "get_xray_trace";
  def.title = "Get X-Ray traces";
  def.description =
      "Fetch up to 5 complete X-Ray traces by id and show each as its segment tree: every service segment and "
      "its subsegments (name, duration, fault/error/throttle, HTTP method/URL/status, AWS resource such as a "
      "DynamoDB table or SQS queue, SQL, exception causes), plus a 'problems' list giving the path to each "
      "faulting, erroring or throttled call. Use it after query_sampled_traces or search_transaction_spans found "
      "an interesting trace id, to see exactly where a request failed or spent its time. Ids may be X-Ray "
      "(1-xxxxxxxx-<24 hex>), OpenTelemetry (32 hex) or 0x-prefixed; they are converted. Returns JSON.";
  def.input_schema = input_schema();
  def.output_schema = output_schema();
  def.annotations = read_only_annotations(def.title);
  def.handler = [env](mcp::RequestContext& ctx, json::object args) { return get_xray_trace(env, ctx, std::move(args)); };
  return def;
}

}  // namespace appsignals::tools

// get_xray_trace: BatchGetTraces for up to 5 trace ids (X-Ray, OpenTelemetry or 0x forms),
// each trace as its segments with their subsegment trees, plus a list of the spots that
// faulted, errored or were throttled, with the path that leads to them.
#include "tools/traces/get_xray_trace.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>

#include <boost/json/parse.hpp>

#include "common/text.h"
#include "tools/common/json_access.h"
#include "tools/common/tool_errors.h"
#include "tools/toolsets.h"
#include "tools/traces/json_output.h"
#include "tools/traces/traces_tools.h"

namespace appsignals::tools::traces {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr std::size_t kMaxIds = 5;
constexpr int kMaxDepth = 5;
constexpr int kMaxPages = 5;
constexpr std::size_t kMaxCauses = 3;
// Segment-tree nodes (segments and subsegments) shown per call, shared among the traces; the
// rest are counted (subsegments_not_shown / segments_not_shown).
constexpr std::size_t kMaxNodesPerCall = 60;
constexpr std::size_t kMinNodesPerTrace = 12;
constexpr std::size_t kMaxChildren = 12;   // subsegments shown under one node
constexpr std::size_t kMaxSegments = 25;   // segments listed per trace
constexpr std::size_t kMaxProblems = 10;   // problems listed per trace

bool all_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n\"'[]");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n\"'[]");
  return std::string(s.substr(b, e - b + 1));
}

// The member as an object pointer, or null when absent or not an object.
const json::object* object_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

json::object http_summary(const json::object& http) {
  json::object out;
  if (const auto* req = object_member(http, "request")) {
    if (auto m = jv::str(*req, "method"); !m.empty()) out["method"] = m;
    if (auto u = jv::str(*req, "url"); !u.empty()) out["url"] = u;
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
    if (auto v = jv::str(aws, f); !v.empty()) out[f] = v;
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
    if (auto t = jv::str(e.get_object(), "type"); !t.empty()) c["type"] = t;
    if (auto m = jv::str(e.get_object(), "message"); !m.empty()) c["message"] = m;
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
  if (jv::boolean(node, "fault") || jv::boolean(node, "error") || jv::boolean(node, "throttle"))
    out.push_back({path, &node});
  if (const auto* subs = node.if_contains("subsegments"); subs && subs->is_array())
    for (const auto& s : subs->get_array())
      if (s.is_object()) collect_problems(s.get_object(), path + " > " + jv::str(s.get_object(), "name"), out);
}

void index_paths(const json::object& node, const std::string& path, std::map<std::string, std::string>& paths) {
  if (auto id = jv::str(node, "id"); !id.empty()) paths[id] = path;
  if (const auto* subs = node.if_contains("subsegments"); subs && subs->is_array())
    for (const auto& s : subs->get_array())
      if (s.is_object()) index_paths(s.get_object(), path + " > " + jv::str(s.get_object(), "name"), paths);
}

json::object problem_json(const Problem& p) {
  const auto& n = *p.node;
  json::object o;
  o["path"] = p.path;
  json::array kinds;
  for (const char* k : {"fault", "error", "throttle"})
    if (jv::boolean(n, k)) kinds.emplace_back(k);
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

json::object trace_summary(const json::object& trace, std::size_t node_budget) {
  json::object out;
  out["trace_id"] = jv::str(trace, "Id");
  if (auto d = number_of(trace.if_contains("Duration"))) out["duration_s"] = round_to(*d, 3);
  std::vector<ParsedSegment> segments;
  if (const auto* segs = trace.if_contains("Segments"); segs && segs->is_array()) {
    for (const auto& s : segs->get_array()) {
      if (!s.is_object()) continue;
      ParsedSegment p;
      p.id = jv::str(s.get_object(), "Id");
      std::string text = jv::str(s.get_object(), "Document");
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
      std::string name = jv::str(doc, "name");
      std::string parent = jv::str(doc, "parent_id");
      auto it = paths.find(parent);
      segment_paths[i] = it != paths.end() ? it->second + " > " + name : name;
      index_paths(doc, segment_paths[i], paths);
    }
  }

  bool has_errors = false, has_faults = false, has_throttles = false;
  std::size_t nodes = 0;
  json::array list;
  std::vector<Problem> problems;
  std::size_t budget = node_budget;
  std::int64_t segments_not_shown = 0;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& p = segments[i];
    if (list.size() >= kMaxSegments) {
      ++segments_not_shown;
      if (p.parse_error.empty()) {
        nodes += 1 + count_nodes(p.doc);
        collect_problems(p.doc, segment_paths[i], problems);
      }
      continue;
    }
    if (!p.parse_error.empty()) {
      json::object bad;
      bad["id"] = p.id;
      bad["parse_error"] = p.parse_error;
      list.emplace_back(std::move(bad));
      continue;
    }
    nodes += 1 + count_nodes(p.doc);
    collect_problems(p.doc, segment_paths[i], problems);
    list.emplace_back(summarize_segment(p.doc, 0, kMaxDepth, budget));
  }
  for (const auto& pr : problems) {
    has_faults = has_faults || jv::boolean(*pr.node, "fault");
    has_errors = has_errors || jv::boolean(*pr.node, "error");
    has_throttles = has_throttles || jv::boolean(*pr.node, "throttle");
  }
  out["segment_count"] = static_cast<std::int64_t>(segments.size());
  out["node_count"] = static_cast<std::int64_t>(nodes);
  out["has_faults"] = has_faults;
  out["has_errors"] = has_errors;
  out["has_throttles"] = has_throttles;
  if (jv::boolean(trace, "LimitExceeded")) out["limit_exceeded"] = true;
  json::array plist;
  for (const auto& pr : problems) {
    if (plist.size() >= kMaxProblems) break;
    plist.emplace_back(problem_json(pr));
  }
  out["problems"] = std::move(plist);
  if (problems.size() > kMaxProblems)
    out["problems_not_shown"] = static_cast<std::int64_t>(problems.size() - kMaxProblems);
  out["segments"] = std::move(list);
  if (segments_not_shown > 0) out["segments_not_shown"] = segments_not_shown;
  const std::size_t shown = node_budget - budget;
  if (shown < nodes) out["nodes_not_shown"] = static_cast<std::int64_t>(nodes - shown);
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
  std::size_t count = 0;
  for (const auto& t : traces_raw) count += t.is_object() ? 1 : 0;
  const std::size_t per_trace = std::max(kMinNodesPerTrace, kMaxNodesPerCall / std::max<std::size_t>(1, count));
  bool cut = false;
  for (const auto& t : traces_raw) {
    if (!t.is_object()) continue;
    returned.push_back(jv::str(t.get_object(), "Id"));
    auto summary = trace_summary(t.get_object(), per_trace);
    cut = cut || summary.contains("nodes_not_shown") || summary.contains("problems_not_shown");
    traces.emplace_back(std::move(summary));
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
  if (cut)
    out["truncated"] =
        "Large trace: parts of the segment tree are counted, not shown (nodes_not_shown, subsegments_not_shown). "
        "The problems list still leads to every failing call; fetch one trace per call for more of its tree, or "
        "query its spans with search_transaction_spans (filter traceId = \"<32-hex id>\").";
  return out;
}

// The trace_ids argument: a comma-separated string, a JSON list of ids (or JSON text of one);
// each id in any accepted form. Answers the given spellings, in order, as a JSON array.
Result<json::value> read_trace_ids(const json::value& v, Notes&) {
  std::vector<std::string> tokens;
  auto split = [&tokens](std::string_view text) {
    std::string token;
    std::string all(text);
    all += ',';
    for (char c : all) {
      if (c == ',' || c == ';' || c == ' ' || c == '\n' || c == '\t') {
        if (auto t = trim(token); !t.empty()) tokens.push_back(t);
        token.clear();
      } else {
        token += c;
      }
    }
  };
  if (v.is_string()) {
    split(v.get_string());
  } else if (v.is_array()) {
    for (const auto& item : v.get_array()) {
      if (!item.is_string())
        return Error{ErrorCode::kInvalidArgument, "must list trace ids as strings. Accepted forms: " +
                                                      std::string(kTraceIdForms)};
      split(item.get_string());
    }
  } else {
    return Error{ErrorCode::kInvalidArgument, "must be trace ids as a comma-separated string or a JSON list of "
                                              "strings (numbers lose digits: quote the id). Accepted forms: " +
                                                  std::string(kTraceIdForms)};
  }
  std::string joined;
  for (const auto& t : tokens) joined += (joined.empty() ? "" : ",") + t;
  auto ids = parse_trace_ids(joined, kMaxIds);
  if (!ids) return ids.error();
  json::array out;
  for (const auto& t : tokens) out.emplace_back(t);
  return json::value(std::move(out));
}

asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  // The spellings given (validated by read_trace_ids), and the X-Ray form of each id, once.
  std::vector<std::string> ids, aligned;
  for (const auto& t : call.args.json("trace_ids").as_array()) {
    std::string given(t.get_string());
    auto n = normalize_trace_id(given);
    if (!n || std::find(ids.begin(), ids.end(), *n) != ids.end()) continue;
    ids.push_back(*n);
    aligned.push_back(given);
  }

  auto clients_r = call.aws();
  if (!clients_r) co_return aws_failure(clients_r.error(), aws::ops::kBatchGetTraces);
  std::shared_ptr<const aws::AwsClients> clients = *clients_r;
  json::array traces_raw, unprocessed;
  std::string next_token;
  for (int page = 0; page < kMaxPages; ++page) {
    json::object input = batch_input(ids, next_token);
    auto r = co_await clients->xray.call(aws::ops::kBatchGetTraces, input);
    if (!r) co_return aws_failure(r.error(), aws::ops::kBatchGetTraces);
    const auto& o = jv::as_obj(*r);
    for (const auto& item : jv::arr(o, "Traces")) traces_raw.push_back(item);
    for (const auto& item : jv::arr(o, "UnprocessedTraceIds")) unprocessed.push_back(item);
    next_token = jv::str(o, "NextToken");
    if (next_token.empty()) break;
  }
  co_return json_result(build_output(aligned, ids, traces_raw, unprocessed));
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
       "problems [{path, kind, http_status?, aws?, cause?}] (at most 10; problems_not_shown), segments [{id, "
       "name, duration_ms, namespace?, origin?, fault?/error?/throttle?, http?, aws?, sql?, cause?, "
       "subsegments?, subsegments_not_shown?}] (at most 25; segments_not_shown), nodes_not_shown?"}};
  props["unprocessed_trace_ids"] = json::object{{"type", "array"}, {"items", json::object{{"type", "string"}}}};
  props["note"] = prop("string", "Why some ids returned nothing");
  props["truncated"] = prop("string", "Present when parts of a segment tree were counted, not shown: how to see more");
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  schema["required"] = json::array{"traces", "unprocessed_trace_ids"};
  return schema;
}

}  // namespace

Result<std::string> normalize_trace_id(std::string_view raw) {
  std::string id = ascii_lower(trim(raw));
  if (id.size() == 35 && id.compare(0, 2, "1-") == 0 && id[10] == '-' && all_hex(id.substr(2, 8)) &&
      all_hex(id.substr(11)))
    return id;
  if (id.size() == 34 && id.compare(0, 2, "0x") == 0) id = id.substr(2);
  if (id.size() == 32 && all_hex(id)) return "1-" + id.substr(0, 8) + "-" + id.substr(8);
  return Error{ErrorCode::kInvalidArgument,
               "has '" + trim(raw) + "', which is not a trace id. Accepted forms: " + std::string(kTraceIdForms)};
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
                 "holds no trace id: give 1 to " + std::to_string(max_ids) +
                     " comma-separated ids. Accepted forms: " + std::string(kTraceIdForms)};
  if (ids.size() > max_ids)
    return Error{ErrorCode::kInvalidArgument, "has " + std::to_string(ids.size()) +
                                                  " ids; at most " + std::to_string(max_ids) +
                                                  " per call: split them over several calls"};
  return ids;
}

json::object summarize_segment(const json::object& doc, int depth, int max_depth) {
  std::size_t unlimited = SIZE_MAX;
  return summarize_segment(doc, depth, max_depth, unlimited);
}

json::object summarize_segment(const json::object& doc, int depth, int max_depth, std::size_t& node_budget) {
  if (node_budget > 0) --node_budget;
  json::object o;
  if (auto id = jv::str(doc, "id"); !id.empty()) o["id"] = id;
  o["name"] = jv::str(doc, "name");
  if (depth == 0) {
    if (auto p = jv::str(doc, "parent_id"); !p.empty()) o["parent_id"] = p;
    if (auto s = doc.if_contains("start_time")) {
      if (auto iso = iso_of(s); !iso.empty()) o["start_time"] = iso;
    }
  }
  auto start = number_of(doc.if_contains("start_time"));
  auto end = number_of(doc.if_contains("end_time"));
  if (start && end) o["duration_ms"] = round_to((*end - *start) * 1000.0, 1);
  else if (jv::boolean(doc, "in_progress")) o["in_progress"] = true;
  if (auto ns = jv::str(doc, "namespace"); !ns.empty()) o["namespace"] = ns;
  if (auto origin = jv::str(doc, "origin"); !origin.empty()) o["origin"] = origin;
  for (const char* flag : {"error", "fault", "throttle"})
    if (jv::boolean(doc, flag)) o[flag] = true;
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
    auto q = jv::str(*sql, "sanitized_query");
    if (q.empty()) q = jv::str(*sql, "url");
    if (!q.empty()) s["query"] = q;
    if (auto t = jv::str(*sql, "database_type"); !t.empty()) s["database_type"] = t;
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
    if (depth + 1 >= max_depth || node_budget == 0) {
      o["subsegments_not_shown"] = static_cast<std::int64_t>(count_nodes(doc));
    } else {
      json::array list;
      std::int64_t not_shown = 0;
      for (const auto& s : subs->get_array()) {
        if (!s.is_object()) continue;
        if (list.size() >= kMaxChildren || node_budget == 0) {
          not_shown += 1 + static_cast<std::int64_t>(count_nodes(s.get_object()));
          continue;
        }
        list.emplace_back(summarize_segment(s.get_object(), depth + 1, max_depth, node_budget));
      }
      o["subsegments"] = std::move(list);
      if (not_shown > 0) o["subsegments_not_shown"] = not_shown;
    }
  }
  return o;
}

ToolEntry get_xray_trace_tool() {
  ToolSpec spec;
  spec.name = "get_xray_trace";
  spec.title = "Get X-Ray traces";
  spec.description =
      "Fetches up to 5 complete X-Ray traces by id and shows each as its segment tree: every service segment and "
      "its subsegments (name, duration, fault/error/throttle, HTTP method/URL/status, AWS resource such as a "
      "DynamoDB table or SQS queue, SQL, exception causes), plus a 'problems' list giving the path from the entry "
      "service to each faulting, erroring or throttled call. Use it once you have a trace id: from "
      "query_sampled_traces (sampled X-Ray summaries, filter expressions, root causes) or from "
      "search_transaction_spans (the traceId field of any span; Transaction Search), to see exactly where one "
      "request failed or spent its time. It does not search or count: for that use those two tools. Ids may be "
      "X-Ray (1-xxxxxxxx-<24 hex>), OpenTelemetry (32 hex) or 0x-prefixed, given comma-separated or as a JSON "
      "list; they are converted. Large trees are bounded (depth 5, about 60 nodes per call) and the rest counted. "
      "Returns compact JSON.";
  spec.args = {arg::json_text("trace_ids",
                              "Trace ids, 1 to 5: a comma-separated string (\"1-67891233-abcdef012345678912345678, "
                              "67891233abcdef012345678912345679\") or a JSON list of strings. Accepted forms: " +
                                  std::string(kTraceIdForms) +
                                  ". OpenTelemetry ids (the traceId of a span) are converted to the X-Ray form.",
                              "")
                   .require()
                   .eg("\"1-67891233-abcdef012345678912345678\"")
                   .read_with(&read_trace_ids),
               arg::region()};
  spec.ops = {aws::ops::kBatchGetTraces};
  spec.output_schema = output_schema();
  spec.narrow_hint = "fetch fewer trace ids per call";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::traces

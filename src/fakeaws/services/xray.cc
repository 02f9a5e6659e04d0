// AWS X-Ray (restJson1): Transaction Search status, sampled trace summaries with root causes
// (filtered by the subset of the filter language in query/xray_filter.h), and full segment
// documents.
#include <algorithm>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "fakeaws/query/xray_filter.h"
#include "fakeaws/sample_account.h"
#include "fakeaws/services/services.h"
#include "fakeaws/services/traces_data.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

namespace {

OpResult get_destination(Call&) {
  return json::object{{"Destination", "CloudWatchLogs"}, {"Status", "ACTIVE"}};
}

std::string http_method(const SampleSpan& s) { return s.operation.substr(0, s.operation.find(' ')); }
std::string http_url(const SampleSpan& s) {
  return "https://shop.example.com" + s.operation.substr(s.operation.find(' ') + 1);
}

// What the filter language sees of a service segment (a SERVER span): the same facts its
// segment document carries.
xray_filter::Segment segment_facts(const SampleSpan& s) {
  xray_filter::Segment f;
  f.service = s.service;
  f.fault = s.fault;
  f.error = s.error;
  f.throttle = s.throttle;
  f.http_status = s.status;
  f.http_url = http_url(s);
  f.http_method = http_method(s);
  f.response_time = f.duration = s.end - s.start;
  f.annotations = {{"aws.local.service", s.service},
                   {"aws.local.operation", s.operation},
                   {"aws.local.environment", s.environment}};
  return f;
}

// The trace as GetTraceSummaries summarises it (flags, root request, duration), its segments,
// and every segment's annotations for a top-level annotation condition.
xray_filter::Trace trace_facts(const SampleTrace& t) {
  xray_filter::Trace facts;
  for (const auto& s : t.spans)
    if (s.kind == "SERVER") facts.segments.push_back(segment_facts(s));
  facts.summary = segment_facts(t.spans[0]);
  facts.summary.fault = t.fault;
  facts.summary.error = t.error;
  facts.summary.throttle = t.throttle;
  facts.summary.response_time = facts.summary.duration = t.duration;
  facts.summary.annotations.clear();
  for (const auto& seg : facts.segments)
    facts.summary.annotations.insert(facts.summary.annotations.end(), seg.annotations.begin(), seg.annotations.end());
  return facts;
}

json::object service_id(const SampleSpan& s) {
  return {{"Name", s.service}, {"Names", json::array{s.service}}, {"AccountId", sample_account().account_id},
          {"Type", "AWS::ECS::Container"}};
}

json::object summary(const SampleTrace& t) {
  const auto& root = t.spans[0];
  json::object o{{"Id", t.id},
                 {"StartTime", t.start},
                 {"Duration", t.duration},
                 {"ResponseTime", t.duration},
                 {"HasFault", t.fault},
                 {"HasError", t.error},
                 {"HasThrottle", t.throttle},
                 {"IsPartial", false},
                 {"Http", json::object{{"HttpURL", http_url(root)},
                                       {"HttpStatus", root.status},
                                       {"HttpMethod", http_method(root)}}},
                 {"Annotations", json::object{{"aws.local.operation", json::array{json::object{{"AnnotationValue", json::object{{"StringValue", root.operation}}}}}}}},
                 {"EntryPoint", service_id(root)},
                 {"Revision", 1}};
  json::array ids;
  std::vector<std::string> seen;
  for (const auto& s : t.spans) {
    if (std::find(seen.begin(), seen.end(), s.service) != seen.end()) continue;
    seen.push_back(s.service);
    ids.push_back(service_id(s));
  }
  o["ServiceIds"] = std::move(ids);
  json::array faults;
  if (t.fault) {
    json::array path;
    for (const auto& s : t.spans) {
      if (!s.fault && !s.throttle) continue;
      json::object ent{{"Name", s.kind == "CLIENT" ? s.remote_service : s.service}, {"Remote", s.kind == "CLIENT"}};
      if (!s.exception_type.empty())
        ent["Exceptions"] = json::array{json::object{{"Name", s.exception_type}, {"Message", s.exception_message}}};
      path.push_back(std::move(ent));
    }
    faults.push_back(json::object{
        {"Services", json::array{json::object{{"Name", "payments"}, {"Names", json::array{"payments"}},
                                              {"Type", "AWS::ECS::Container"}, {"AccountId", sample_account().account_id},
                                              {"EntityPath", std::move(path)}, {"Inferred", false}}}},
        {"ClientImpacting", true}});
  }
  o["FaultRootCauses"] = std::move(faults);
  return o;
}

OpResult get_trace_summaries(Call& call) {
  auto start = time_arg(call.input, "StartTime");
  auto end = time_arg(call.input, "EndTime");
  if (!start || !end || *end <= *start)
    return make_error(call.traits().validation, "EndTime must be after StartTime.");
  if (*end - *start > 24 * 3600)
    return make_error(call.traits().validation, "The time range must not exceed 24 hours.");
  auto filter = xray_filter::parse(str_arg(call.input, "FilterExpression"));
  if (const auto* e = std::get_if<xray_filter::FilterError>(&filter)) {
    ApiError err = make_error(call.traits().validation, e->message);
    err.extra["Message"] = e->message;  // the model's member (render_error adds "message")
    return err;
  }
  const auto& expr = std::get<xray_filter::Filter>(filter);
  auto anchor = anchor_for(call, "NextToken");
  auto traces = traces_between(call.account, anchor, call.seed, *start, *end);
  std::vector<const SampleTrace*> hits;
  for (const auto& t : traces)
    if (xray_filter::matches(expr, trace_facts(t))) hits.push_back(&t);
  std::reverse(hits.begin(), hits.end());  // newest first
  auto p = paginate(call, hits.size(), "NextToken", "", 100, 100);
  if (auto* e = std::get_if<ApiError>(&p)) return *e;
  auto& page = std::get<Page>(p);
  json::array list;
  for (std::size_t i = page.begin; i < page.end; ++i) list.push_back(summary(*hits[i]));
  json::object out{{"TraceSummaries", std::move(list)}, {"ApproximateTime", static_cast<double>(anchor)},
                   {"TracesProcessedCount", static_cast<std::int64_t>(traces.size())}};
  if (page.next_token) out["NextToken"] = *page.next_token;
  return out;
}

json::object cause(const SampleSpan& s) {
  return {{"working_directory", "/app"},
          {"exceptions", json::array{json::object{{"id", s.span_id.substr(0, 16)},
                                                  {"message", s.exception_message},
                                                  {"type", s.exception_type},
                                                  {"remote", s.kind == "CLIENT"},
                                                  {"stack", json::array{json::object{{"path", s.code_filepath},
                                                                                     {"line", s.code_lineno},
                                                                                     {"label", s.code_function}}}}}}}};
}

json::object subsegment(const SampleSpan& s) {
  json::object o{{"id", s.span_id}, {"name", s.remote_service}, {"start_time", s.start}, {"end_time", s.end},
                 {"fault", s.fault}, {"error", s.error}, {"throttle", s.throttle}};
  if (!s.remote_resource.empty()) {
    o["namespace"] = "aws";
    o["name"] = s.remote_service == "AWS::DynamoDB" ? "DynamoDB" : "SQS";
    json::object aws{{"operation", s.remote_operation}, {"region", "us-east-1"}, {"retries", s.throttle ? 3 : 0}};
    if (s.remote_service == "AWS::DynamoDB") aws["table_name"] = s.remote_resource;
    else aws["queue_url"] = "https://sqs.us-east-1.amazonaws.com/123456789012/" + s.remote_resource;
    o["aws"] = std::move(aws);
    o["http"] = json::object{{"response", json::object{{"status", s.status}}}};
  } else {
    o["namespace"] = "remote";
    o["http"] = json::object{{"request", json::object{{"method", s.remote_operation.substr(0, s.remote_operation.find(' '))},
                                                      {"url", "http://" + s.remote_service + s.remote_operation.substr(s.remote_operation.find(' ') + 1)}}},
                             {"response", json::object{{"status", s.status}}}};
  }
  if (!s.exception_type.empty()) o["cause"] = cause(s);
  return o;
}

json::object segment_document(const SampleTrace& t, const SampleSpan& server) {
  json::object doc{{"id", server.span_id},
                   {"name", server.service},
                   {"start_time", server.start},
                   {"end_time", server.end},
                   {"trace_id", t.id},
                   {"origin", "AWS::ECS::Container"},
                   {"fault", server.fault},
                   {"error", server.error},
                   {"http", json::object{{"request", json::object{{"method", http_method(server)},
                                                                  {"url", http_url(server)}}},
                                         {"response", json::object{{"status", server.status}}}}},
                   {"annotations", json::object{{"aws.local.service", server.service},
                                                {"aws.local.operation", server.operation},
                                                {"aws.local.environment", server.environment}}},
                   {"metadata", json::object{{"default", json::object{{"code.function", server.code_function},
                                                                      {"code.filepath", server.code_filepath},
                                                                      {"code.lineno", server.code_lineno}}}}},
                   {"aws", json::object{{"account_id", sample_account().account_id}}}};
  if (!server.parent_id.empty()) doc["parent_id"] = server.parent_id;
  if (!server.exception_type.empty()) doc["cause"] = cause(server);
  json::array subs;
  for (const auto& s : t.spans)
    if (s.kind == "CLIENT" && s.parent_id == server.span_id) subs.push_back(subsegment(s));
  if (!subs.empty()) doc["subsegments"] = std::move(subs);
  return doc;
}

OpResult batch_get_traces(Call& call) {
  json::array traces, unprocessed;
  auto anchor = call.anchor();
  if (const auto* ids = arr_arg(call.input, "TraceIds")) {
    for (const auto& idv : *ids) {
      std::string id(idv.as_string());
      auto t = trace_by_id(call.account, anchor, call.seed, id);
      if (!t) {
        unprocessed.push_back(json::string(id));
        continue;
      }
      json::array segs;
      for (const auto& s : t->spans)
        if (s.kind == "SERVER")
          segs.push_back(json::object{{"Id", s.span_id}, {"Document", json::serialize(segment_document(*t, s))}});
      traces.push_back(json::object{{"Id", t->id}, {"Duration", t->duration}, {"LimitExceeded", false},
                                    {"Segments", std::move(segs)}});
    }
  }
  return json::object{{"Traces", std::move(traces)}, {"UnprocessedTraceIds", std::move(unprocessed)}};
}

constexpr OpEntry kOps[] = {
    {"GetTraceSegmentDestination", get_destination},
    {"GetTraceSummaries", get_trace_summaries},
    {"BatchGetTraces", batch_get_traces},
};

}  // namespace

std::span<const OpEntry> xray_operations() { return kOps; }

}  // namespace appsignals::fakeaws

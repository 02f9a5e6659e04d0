// AWS X-Ray (restJson1): Transaction Search status, sampled trace summaries with root causes,
// and full segment documents.
#include <algorithm>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "fakeaws/sample_account.h"
#include "fakeaws/services/services.h"
#include "fakeaws/services/traces_data.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

namespace {

OpResult get_destination(Call&) {
  return json::object{{"Destination", "CloudWatchLogs"}, {"Status", "ACTIVE"}};
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A small subset of the X-Ray filter language: fault/error/throttle = true|false,
// service("name"), http.status = N, responsetime > N. Unknown clauses match everything.
bool matches(const SampleTrace& t, const std::string& filter) {
  std::string f = lower(filter);
  auto has = [&](const char* s) { return f.find(s) != std::string::npos; };
  if ((has("fault = true") || has("fault=true") || f == "fault") && !t.fault) return false;
  if ((has("fault = false") || has("fault=false")) && t.fault) return false;
  if ((has("error = true") || has("error=true")) && !t.error) return false;
  if ((has("throttle = true") || has("throttle=true")) && !t.throttle) return false;
  if (auto p = f.find("service(\""); p != std::string::npos) {
    auto q = f.find('"', p + 9);
    std::string name = f.substr(p + 9, q == std::string::npos ? std::string::npos : q - p - 9);
    bool found = false;
    for (const auto& s : t.spans) found = found || lower(s.service) == name;
    if (!found) return false;
  }
  if (auto p = f.find("http.status"); p != std::string::npos) {
    auto digits = f.find_first_of("0123456789", p);
    if (digits != std::string::npos && std::atoi(f.c_str() + digits) != t.spans[0].status) return false;
  }
  if (auto p = f.find("responsetime >"); p != std::string::npos) {
    if (t.duration <= std::atof(f.c_str() + p + 14)) return false;
  }
  return true;
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
                 {"Http", json::object{{"HttpURL", "https://shop.example.com" + root.operation.substr(root.operation.find(' ') + 1)},
                                       {"HttpStatus", root.status},
                                       {"HttpMethod", root.operation.substr(0, root.operation.find(' '))}}},
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
  auto anchor = anchor_for(call, "NextToken");
  auto traces = traces_between(call.account, anchor, call.seed, *start, *end);
  std::string filter = str_arg(call.input, "FilterExpression");
  std::vector<const SampleTrace*> hits;
  for (const auto& t : traces)
    if (matches(t, filter)) hits.push_back(&t);
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
                   {"http", json::object{{"request", json::object{{"method", server.operation.substr(0, server.operation.find(' '))},
                                                                  {"url", "https://shop.example.com" + server.operation.substr(server.operation.find(' ') + 1)}}},
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

#pragma once
// The sample account's traces: one sampled request every two minutes over the last 24 hours,
// rotating over entry operations; during the incident most requests are checkouts that fault
// in payments because DynamoDB throttles PutItem on payments-ledger. Used by X-Ray
// (summaries and segment documents) and by Logs Insights (spans in aws/spans).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "fakeaws/sample_account.h"

namespace appsignals::fakeaws {

struct SampleSpan {
  std::string span_id;    // 16 hex
  std::string parent_id;  // empty for the root
  std::string service;
  std::string environment;
  std::string operation;
  std::string kind;  // "SERVER" or "CLIENT"
  std::string remote_service;    // CLIENT spans
  std::string remote_operation;
  std::string remote_resource;   // DynamoDB table, SQS queue
  double start = 0;
  double end = 0;
  int status = 200;
  bool fault = false;
  bool error = false;
  bool throttle = false;
  std::string exception_type;
  std::string exception_message;
  std::string code_function;
  std::string code_filepath;
  int code_lineno = 0;
};

struct SampleTrace {
  std::string id;  // X-Ray form "1-<8 hex>-<24 hex>"
  double start = 0;
  double duration = 0;
  bool fault = false;
  bool error = false;
  bool throttle = false;
  std::vector<SampleSpan> spans;  // [0] is the root
};

// Traces starting within [start, end), oldest first.
std::vector<SampleTrace> traces_between(const SampleAccount& a, std::int64_t anchor, std::uint64_t seed,
                                        double start, double end);
// The trace with this X-Ray id, if it exists within the last 30 days.
std::optional<SampleTrace> trace_by_id(const SampleAccount& a, std::int64_t anchor, std::uint64_t seed,
                                       const std::string& id);
// "1-5f8a...-..." → "5f8a..." (32 hex, the OpenTelemetry form).
std::string otel_trace_id(const std::string& xray_id);

}  // namespace appsignals::fakeaws

#pragma once
// Canary runs and their artifacts (S3 objects, Lambda log lines) for the sample account.
#include <cstdint>
#include <string>
#include <vector>

#include "fakeaws/sample_account.h"
#include "fakeaws/services/log_groups.h"

namespace appsignals::fakeaws {

struct CanaryRunData {
  std::string id;
  std::int64_t started = 0;
  std::int64_t completed = 0;
  bool passed = true;
  std::string reason;
  std::string artifact_key_prefix;  // "canary/us-east-1/<name>/YYYY/MM/DD/HH/MM-SS-000" (no bucket)
  bool has_artifacts = false;
};

std::int64_t canary_interval(const SampleCanary& c);
std::string canary_function_name(const SampleCanary& c);
std::string canary_id(const SampleCanary& c);
// Runs of the last 24 hours before `anchor`, newest first.
std::vector<CanaryRunData> canary_runs(const SampleCanary& c, std::int64_t anchor);

struct S3ObjectData {
  std::string key;
  std::string content_type;
  std::string body;
  std::int64_t last_modified = 0;
};
// Every artifact object in the artifact bucket.
std::vector<S3ObjectData> artifact_objects(const SampleAccount& a, std::int64_t anchor);

// The log lines of the canary's runs (its Lambda function's log group), oldest first.
void canary_log_records(const SampleCanary& c, std::int64_t anchor, std::vector<LogRecord>& out);

}  // namespace appsignals::fakeaws

#pragma once
// The sample account's CloudWatch Logs log groups: a registry of log group → record generator
// (log_groups.cc). DescribeLogGroups, FilterLogEvents and Logs Insights all read the groups
// through it, so a new group (RUM events, service events, ...) is one more entry in that table.
//
// Records are generated on demand from the account, the anchor and the seed: deterministic, and
// nothing is stored. Thread safety: pure functions of their arguments.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fakeaws/call.h"
#include "fakeaws/sample_account.h"

namespace appsignals::fakeaws {

struct LogRecord {
  std::int64_t timestamp_ms = 0;
  std::string stream;
  std::string message;  // a JSON object's text exposes its fields to Logs Insights
  std::vector<std::pair<std::string, std::string>> system_fields;  // e.g. {"@data_format", "AWS-OTEL-TRACE-V1"}
};

struct LogSourceContext {
  const SampleAccount& account;
  std::int64_t anchor = 0;  // epoch seconds; records cover the 24 hours before it
  std::uint64_t seed = 0;
  // The fake's mutable state, region and clock (epoch seconds), for groups made from what
  // clients created (the snapshot events of instrumentation breakpoints); null: none.
  FakeState* state = nullptr;
  std::string region;
  std::int64_t now = 0;
};

// One entry of the registry: the groups it serves and how their records are made.
struct LogGroupSource {
  std::vector<std::string> (*groups)(const SampleAccount& account);
  // Appends the records of `group` (one of groups()) with start_ms <= timestamp <= end_ms,
  // oldest first.
  void (*records)(const LogSourceContext& ctx, const std::string& group, std::int64_t start_ms,
                  std::int64_t end_ms, std::vector<LogRecord>& out);
};

// Every log group of the account, in registry order.
std::vector<std::string> log_group_names(const SampleAccount& account);

// The records of `group` in [start_ms, end_ms], oldest first; false (and nothing appended) if
// the group does not exist.
bool log_records(const LogSourceContext& ctx, const std::string& group, std::int64_t start_ms, std::int64_t end_ms,
                 std::vector<LogRecord>& out);

}  // namespace appsignals::fakeaws

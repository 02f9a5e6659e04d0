#pragma once
// The sample account's metrics as functions of time: per-minute request counts, latency and
// fault/error counts for every service operation (baseline + seeded noise + the incident), and
// the SLO BreachedCount series. CloudWatch statistics over any period are computed from them.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "fakeaws/sample_account.h"

namespace appsignals::fakeaws {

struct MinuteStats {
  double requests = 0;
  double latency_avg = 0;  // ms
  double faults = 0;       // count of 5xx
  double errors = 0;       // count of 4xx
};

// One minute [minute, minute+60) of one operation. Zero when the service was not reporting.
MinuteStats operation_minute(const SampleService& service, const SampleOperation& op, std::int64_t minute,
                             std::int64_t anchor, std::uint64_t seed);
// Whether `op` of `service` is inside the incident at `minute` (and how hard: 0..1).
double incident_intensity(const SampleService& service, const SampleOperation& op, std::int64_t minute,
                          std::int64_t anchor);

struct SeriesQuery {
  std::string ns;
  std::string metric;
  std::map<std::string, std::string> dimensions;
  std::int64_t period = 60;
  std::string stat;  // Average, Sum, SampleCount, Minimum, Maximum, pNN, pNN.N
  std::int64_t start = 0;
  std::int64_t end = 0;
};

struct Series {
  std::vector<std::int64_t> timestamps;  // period starts, ascending
  std::vector<double> values;
  std::string unit;  // "Milliseconds", "Count", "None"
  bool known = false;  // the metric exists in the account
};

Series compute_series(const SampleAccount& account, const SeriesQuery& q, std::int64_t anchor, std::uint64_t seed);

}  // namespace appsignals::fakeaws

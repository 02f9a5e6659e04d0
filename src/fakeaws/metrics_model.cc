#include "fakeaws/metrics_model.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "fakeaws/call.h"
#include "fakeaws/services/rum_data.h"

namespace appsignals::fakeaws {

namespace {
constexpr std::int64_t kRetention = 15 * 86400;

bool affected(const SampleService& s, const SampleOperation& op) {
  return (s.name == SampleAccount::kIncidentService && op.name == SampleAccount::kIncidentOperation) ||
         (s.name == "checkout" && op.name == "POST /checkout");
}
}  // namespace

double incident_intensity(const SampleService& s, const SampleOperation& op, std::int64_t minute,
                          std::int64_t anchor) {
  if (!affected(s, op)) return 0;
  std::int64_t start = anchor - SampleAccount::kIncidentStart;
  std::int64_t end = anchor - SampleAccount::kIncidentEnd;
  if (minute < start || minute >= end) return 0;
  // Ramp up over 5 minutes, plateau, ramp down over the last 5.
  double from_start = static_cast<double>(minute - start) / 300.0;
  double to_end = static_cast<double>(end - minute) / 300.0;
  return std::clamp(std::min(from_start + 0.2, to_end), 0.0, 1.0);
}

MinuteStats operation_minute(const SampleService& s, const SampleOperation& op, std::int64_t minute,
                             std::int64_t anchor, std::uint64_t seed) {
  MinuteStats m;
  if (minute > anchor - s.last_seen_offset || minute < anchor - kRetention) return m;
  std::string key = s.name + "|" + op.name;
  std::int64_t n = minute / 60;
  // Daily shape: busier in the (UTC) afternoon.
  double hour = static_cast<double>((minute % 86400) / 3600);
  double daily = 0.75 + 0.35 * std::sin((hour - 9.0) / 24.0 * 2.0 * 3.14159265358979);
  double jitter = 0.85 + 0.3 * unit_noise(seed, key + "|rpm", n);
  m.requests = std::max(1.0, std::round(op.requests_per_min * daily * jitter));
  double lat = op.latency_ms * (0.85 + 0.3 * unit_noise(seed, key + "|lat", n));
  double fault_rate = op.fault_rate * (0.5 + unit_noise(seed, key + "|fault", n));
  double error_rate = op.error_rate * (0.5 + unit_noise(seed, key + "|err", n));
  if (affected(s, op) && minute >= anchor - SampleAccount::kDeployment) lat *= 1.15;
  if (double x = incident_intensity(s, op, minute, anchor); x > 0) {
    bool core = s.name == SampleAccount::kIncidentService;
    lat *= 1.0 + x * (core ? 9.0 : 3.5);
    fault_rate = std::max(fault_rate, x * (core ? 0.32 : 0.12));
  }
  m.latency_avg = lat;
  m.faults = std::round(m.requests * fault_rate);
  m.errors = std::round(m.requests * error_rate);
  return m;
}

namespace {

// Multiplier of the average for a latency percentile (a long-tailed distribution).
double percentile_factor(double p) {
  if (p <= 50) return 0.35 + 0.013 * p;
  if (p <= 90) return 1.0 + (p - 50) * 0.025;
  if (p <= 99) return 2.0 + (p - 90) * 0.15;
  return 3.35 + (p - 99) * 1.5;
}

std::optional<double> percentile_of(const std::string& stat) {
  if (stat.size() < 2 || (stat[0] != 'p' && stat[0] != 'P')) return std::nullopt;
  char* end = nullptr;
  double p = std::strtod(stat.c_str() + 1, &end);
  if (end == stat.c_str() + 1 || *end != '\0' || p < 0 || p > 100) return std::nullopt;
  return p;
}

}  // namespace

Series compute_series(const SampleAccount& account, const SeriesQuery& q, std::int64_t anchor, std::uint64_t seed) {
  Series out;
  std::int64_t period = std::max<std::int64_t>(60, q.period - q.period % 60);
  std::int64_t first = q.start - ((q.start % period) + period) % period;
  std::int64_t last_data = anchor;  // no data points beyond "now"

  if (q.ns == "AWS/RUM") return rum_series(account, q, anchor, seed);
  if (q.ns == "AWS/ApplicationSignals" && q.metric == "BreachedCount") {
    auto it = q.dimensions.find("SloName");
    const SampleSlo* slo = it == q.dimensions.end() ? nullptr : account.find_slo(it->second);
    if (!slo) return out;
    out.known = true;
    out.unit = "Count";
    for (std::int64_t t = first; t < q.end && t < last_data; t += period) {
      if (t + period <= q.start) continue;
      bool breached = slo->status == "BREACHED" && t + period > anchor - SampleAccount::kIncidentStart;
      double minutes = static_cast<double>(period / 60);
      double v = breached ? 1.0 : 0.0;
      out.timestamps.push_back(t);
      if (q.stat == "Sum") v *= minutes;
      else if (q.stat == "SampleCount") v = minutes;
      out.values.push_back(v);
    }
    return out;
  }
  if (q.ns != "ApplicationSignals" || (q.metric != "Latency" && q.metric != "Fault" && q.metric != "Error"))
    return out;
  auto svc = q.dimensions.find("Service");
  if (svc == q.dimensions.end()) return out;
  auto env = q.dimensions.find("Environment");
  const SampleService* service = account.find_service(svc->second, env == q.dimensions.end() ? "" : env->second);
  if (!service || !service->instrumented) return out;
  std::vector<const SampleOperation*> ops;
  auto opname = q.dimensions.find("Operation");
  for (const auto& op : service->operations)
    if (opname == q.dimensions.end() || op.name == opname->second) ops.push_back(&op);
  if (ops.empty()) return out;
  out.known = true;
  out.unit = q.metric == "Latency" ? "Milliseconds" : "Count";
  auto pct = percentile_of(q.stat);
  for (std::int64_t t = first; t < q.end && t < last_data; t += period) {
    if (t + period <= q.start) continue;
    double req = 0, lat_weighted = 0, faults = 0, errors = 0, max_lat = 0, min_lat = 1e18;
    for (std::int64_t m = t; m < t + period && m < last_data; m += 60) {
      for (const auto* op : ops) {
        auto ms = operation_minute(*service, *op, m, anchor, seed);
        if (ms.requests <= 0) continue;
        req += ms.requests;
        lat_weighted += ms.latency_avg * ms.requests;
        faults += ms.faults;
        errors += ms.errors;
        max_lat = std::max(max_lat, ms.latency_avg);
        min_lat = std::min(min_lat, ms.latency_avg);
      }
    }
    if (req <= 0) continue;
    double v = 0;
    if (q.metric == "Latency") {
      double avg = lat_weighted / req;
      if (q.stat == "Average") v = avg;
      else if (q.stat == "Sum") v = lat_weighted;
      else if (q.stat == "SampleCount") v = req;
      else if (q.stat == "Maximum") v = max_lat * 4.2;
      else if (q.stat == "Minimum") v = min_lat * 0.3;
      else if (pct) v = avg * percentile_factor(*pct);
      else v = avg;
    } else {
      double count = q.metric == "Fault" ? faults : errors;
      if (q.stat == "Sum") v = count;
      else if (q.stat == "SampleCount") v = req;
      else if (q.stat == "Maximum") v = count > 0 ? 1 : 0;
      else if (q.stat == "Minimum") v = 0;
      else v = count / req;  // Average: the fault (error) rate
    }
    out.timestamps.push_back(t);
    out.values.push_back(std::round(v * 1000.0) / 1000.0);
  }
  return out;
}

}  // namespace appsignals::fakeaws

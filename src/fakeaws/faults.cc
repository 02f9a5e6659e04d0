#include "fakeaws/faults.h"

#include <array>
#include <utility>

#include "fakeaws/call.h"

namespace appsignals::fakeaws {

namespace {
constexpr std::array<std::pair<std::string_view, FaultKind>, 9> kNames = {{
    {"throttle", FaultKind::kThrottle},
    {"500", FaultKind::kInternal},
    {"503", FaultKind::kUnavailable},
    {"latency", FaultKind::kLatency},
    {"reset", FaultKind::kReset},
    {"truncate", FaultKind::kTruncate},
    {"malformed", FaultKind::kMalformed},
    {"expired_token", FaultKind::kExpiredToken},
    {"access_denied", FaultKind::kAccessDenied},
}};
}  // namespace

std::optional<FaultKind> parse_fault_kind(std::string_view name) {
  for (const auto& [n, k] : kNames)
    if (n == name) return k;
  if (name == "internal") return FaultKind::kInternal;
  if (name == "unavailable") return FaultKind::kUnavailable;
  return std::nullopt;
}

std::string_view fault_kind_name(FaultKind kind) {
  for (const auto& [n, k] : kNames)
    if (k == kind) return n;
  return "unknown";
}

std::optional<FaultSpec> fault_from_json(const boost::json::object& o, std::string* error) {
  FaultSpec spec;
  spec.operation = str_arg(o, "operation", "*");
  auto kind = parse_fault_kind(str_arg(o, "fault"));
  if (!kind) {
    if (error)
      *error = "unknown fault; one of: throttle, 500, 503, latency, reset, truncate, malformed, "
               "expired_token, access_denied";
    return std::nullopt;
  }
  spec.kind = *kind;
  spec.count = static_cast<int>(int_arg(o, "count", 1));
  spec.latency_ms = static_cast<int>(int_arg(o, "latency_ms", 0));
  spec.every = static_cast<int>(int_arg(o, "every", 1));
  if (spec.every < 1) {
    if (error) *error = "every must be at least 1";
    return std::nullopt;
  }
  return spec;
}

boost::json::object fault_to_json(const FaultSpec& spec) {
  return {{"operation", spec.operation},
          {"fault", fault_kind_name(spec.kind)},
          {"count", spec.count},
          {"latency_ms", spec.latency_ms},
          {"every", spec.every}};
}

void FaultInjector::add(FaultSpec spec) {
  std::lock_guard lock(mu_);
  faults_.push_back(std::move(spec));
}

void FaultInjector::clear() {
  std::lock_guard lock(mu_);
  faults_.clear();
}

std::optional<FaultSpec> FaultInjector::take(std::string_view signing_name, std::string_view operation) {
  std::lock_guard lock(mu_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    std::string_view op = it->operation;
    bool match = op == "*" || op == operation;
    if (!match) {
      auto colon = op.find(':');
      if (colon != std::string_view::npos)
        match = op.substr(0, colon) == signing_name &&
                (op.substr(colon + 1) == operation || op.substr(colon + 1) == "*");
    }
    if (!match || it->count == 0) continue;
    if (it->every > 1 && ++it->seen % it->every != 0) continue;
    FaultSpec fired = *it;
    if (it->count > 0 && --it->count == 0) faults_.erase(it);
    return fired;
  }
  return std::nullopt;
}

std::vector<FaultSpec> FaultInjector::list() const {
  std::lock_guard lock(mu_);
  return faults_;
}

}  // namespace appsignals::fakeaws

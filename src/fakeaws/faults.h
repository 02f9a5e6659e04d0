#pragma once
// Fault injection for tests: per operation ("ListServices", "logs:StartQuery" or "*"), a fault
// that fires on the next `count` matching requests (count < 0: until cleared).
//
// Thread safety: all members are thread-safe.
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

namespace appsignals::fakeaws {

enum class FaultKind {
  kThrottle,      // the service's throttling error (429 / 400 / SlowDown 503)
  kInternal,      // 500 with the service's internal error code
  kUnavailable,   // 503
  kLatency,       // delay the reply by latency_ms, then answer normally
  kReset,         // close the connection with a TCP reset, no reply
  kTruncate,      // send the headers and half of the body, then close
  kMalformed,     // 200 with a syntactically broken JSON / XML body
  kExpiredToken,  // ExpiredTokenException / ExpiredToken
  kAccessDenied,  // AccessDeniedException / AccessDenied
};

std::optional<FaultKind> parse_fault_kind(std::string_view name);
std::string_view fault_kind_name(FaultKind kind);

struct FaultSpec {
  std::string operation = "*";  // "*", "<Operation>" or "<signing-name>:<Operation>"
  FaultKind kind = FaultKind::kInternal;
  int count = 1;                // < 0: every matching request until cleared
  int latency_ms = 0;           // kLatency only
  int every = 1;                // fires on one in `every` matching requests (the every-th, 2every-th, ...)
  int seen = 0;                 // matching requests so far (for `every`)
};

// {"operation": "...", "fault": "throttle", "count": 2, "latency_ms": 100, "every": 7}
std::optional<FaultSpec> fault_from_json(const boost::json::object& o, std::string* error);
boost::json::object fault_to_json(const FaultSpec& spec);

class FaultInjector {
 public:
  void add(FaultSpec spec);
  void clear();
  // The first armed fault matching the request, consuming one of its uses.
  std::optional<FaultSpec> take(std::string_view signing_name, std::string_view operation);
  std::vector<FaultSpec> list() const;

 private:
  mutable std::mutex mu_;
  std::vector<FaultSpec> faults_;
};

}  // namespace appsignals::fakeaws

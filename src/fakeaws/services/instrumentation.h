#pragma once
// Application Signals dynamic instrumentation in the fake: the configurations of an account and
// region (FakeState::instrumentation, seeded with the sample account's two configurations on
// first use) and the status each one reaches on the fake's clock, derived from its creation
// time (no timers):
//   created_at + kReadyAfter   READY   (the agents synced it)
//   created_at + kActiveAfter  ACTIVE  (first hit; a breakpoint writes a snapshot event then and
//                                       every kHitInterval after, up to MaxHits)
//   ERROR (LANGUAGE_MISMATCH) at created_at + kReadyAfter instead, when the sample service runs
//   another language; a configuration of a service the account does not run stays READY.
//   expires_at                 DISABLED
// Thread safety: every function locks FakeState::mu itself (callers must not hold it).
#include <optional>
#include <string>
#include <vector>

#include "fakeaws/call.h"
#include "fakeaws/sample_account.h"

namespace appsignals::fakeaws {

inline constexpr double kReadyAfter = 5;
inline constexpr double kActiveAfter = 60;
inline constexpr double kHitInterval = 300;

struct InstrumentationEvent {
  std::string status;  // READY | ACTIVE | ERROR | DISABLED
  double time = 0;
  std::string error_cause;
};

// The status events of `c` up to `now`, oldest first.
std::vector<InstrumentationEvent> instrumentation_events(const SampleAccount& account, const InstrumentationConfig& c,
                                                         double now);

// A copy of the configurations of (account, region), seeding them on first use.
std::vector<InstrumentationConfig> instrumentation_configs(FakeState& state, const SampleAccount& account,
                                                           const std::string& region, std::int64_t anchor);

// "16 hex" location hash of a configuration's identity.
std::string instrumentation_location_hash(const std::string& type, const std::string& service,
                                          const std::string& environment, const boost::json::object& code_location);

}  // namespace appsignals::fakeaws

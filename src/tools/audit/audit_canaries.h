#pragma once
// Canary correlation: the Synthetics canaries that exercise a set of services (their
// ListServiceDependents entries whose ResourceType is AWS::Synthetics::Canary), each with its
// recent runs (GetCanaryRuns, the last kCanaryRuns). A canary is failing when fewer than 80% of
// those runs passed. Used at the end of audit_services and by audit_group_health.
//
// Failure contract: never fails the caller. A service whose dependents cannot be read, or a
// canary whose runs cannot be read, becomes a `problems` line with the AWS error and the IAM
// action to grant.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "aws/services/service_client.h"

namespace appsignals::tools::audit {

inline constexpr int kCanaryRuns = 5;
inline constexpr std::size_t kCanaryFanout = 6;  // concurrent AWS calls at most

struct CanaryHealth {
  std::string name;
  std::vector<std::string> services;  // names of the given services it depends on
  int runs = 0;
  int passed = 0;
  int failed = 0;
  std::string last_failure;  // StateReason of the newest failed run
  bool failing() const { return runs > 0 && passed * 100 < 80 * runs; }
};

struct CanaryCorrelation {
  std::vector<CanaryHealth> canaries;  // failing first, then by name
  std::vector<std::string> problems;   // what could not be read, with the IAM action
};

// {Type, Name, Environment} (Environment omitted when empty).
boost::json::object service_key_attributes(std::string_view type, std::string_view name,
                                           std::string_view environment);

// `services`: the key attributes (Type, Name, Environment) of each service; [start, end] in
// epoch seconds bounds ListServiceDependents.
boost::asio::awaitable<CanaryCorrelation> correlate_canaries(std::shared_ptr<const aws::AwsClients> clients,
                                                             std::vector<boost::json::object> services,
                                                             std::int64_t start, std::int64_t end);

// The block appended to a report ("" when there is no canary and no problem). `scope` says
// what the canaries were looked up for ("the audited services").
std::string render_canaries(const CanaryCorrelation& correlation, std::string_view scope);

}  // namespace appsignals::tools::audit

#pragma once
// Shapes shared by the Application Signals operations (and the audit): key attributes, metric
// references, SLO definitions and change events of the sample account, as model JSON.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "fakeaws/sample_account.h"

namespace appsignals::fakeaws {

boost::json::object key_attributes(const SampleService& s);
// Latency, Fault and Error references; `op` adds the Operation dimension.
boost::json::array metric_references(const SampleAccount& a, const SampleService& s, const SampleOperation* op);
// The service that `attrs` (Type/Name/Environment) names; nullptr if none.
const SampleService* service_by_key(const SampleAccount& a, const std::map<std::string, std::string>& attrs);
// Whether the service reported at any time within [start, end) (epoch seconds).
bool active_in(const SampleService& s, double start, double end, std::int64_t anchor);

boost::json::object slo_object(const SampleAccount& a, const SampleSlo& slo, std::int64_t anchor);
boost::json::object slo_summary(const SampleAccount& a, const SampleSlo& slo, std::int64_t anchor);

struct ChangeEventData {
  std::string service;
  std::string type;  // DEPLOYMENT or CONFIGURATION
  std::int64_t offset = 0;  // seconds before the anchor
  std::string user;
  std::string event_name;
};
std::vector<ChangeEventData> change_events();
boost::json::object change_event_object(const SampleAccount& a, const ChangeEventData& e, std::int64_t anchor);

// Hour-rounded echo of a requested window (Application Signals rounds to the hour).
double round_hour(double t);

}  // namespace appsignals::fakeaws

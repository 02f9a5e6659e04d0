#pragma once
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace appsignals::tools::service_events {

struct Deployment {
  std::string sha, service, environment, repo, url;
  std::int64_t deployed_at = 0;  // epoch seconds
  double hours_since = -1;
  std::set<std::string> triggers;
  std::int64_t events = 0;
};

// Deployment events (records) collapsed per commit SHA, newest deployment first.
std::vector<Deployment> collapse_deployments(const boost::json::array& events, std::int64_t now);
boost::json::object deployment_json(const Deployment& d);

}  // namespace appsignals::tools::service_events

#pragma once
// Every service that reported to Application Signals in a window: ListServices, all pages (up to
// a cap), as the raw ServiceSummaries. The one pager the toolsets share.
#include <cstdint>
#include <memory>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "aws/services/service_client.h"
#include "common/result.h"

namespace appsignals::tools {

struct ServiceSummaries {
  std::vector<boost::json::object> services;  // ServiceSummaries of every page, in order
  bool truncated = false;                     // the page cap was reached
};

inline constexpr int kMaxServicePages = 50;  // of 100 services each

// ListServices over [start, end] (epoch seconds). Errors: the AWS error of the failed page.
boost::asio::awaitable<Result<ServiceSummaries>> list_service_summaries(std::shared_ptr<const aws::AwsClients> clients,
                                                                        std::int64_t start, std::int64_t end);

}  // namespace appsignals::tools

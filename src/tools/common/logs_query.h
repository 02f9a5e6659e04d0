#pragma once
// Running a CloudWatch Logs Insights query to its end: poll GetQueryResults with backoff until
// the query is terminal, `max_timeout` passes or the MCP request is cancelled; StopQuery on
// timeout, on a polling failure and on cancellation (best effort). Shared by
// search_transaction_spans and the service_events tools.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "aws/services/ops.h"
#include "aws/services/service_client.h"
#include "common/error.h"

namespace appsignals::tools {

struct LogsQueryOutcome {
  std::string query_id;
  bool done = false;       // a terminal status was reached: `response` is the last GetQueryResults
  bool timed_out = false;  // max_timeout passed (the query was stopped)
  boost::json::value response;
  std::optional<Error> error;  // StartQuery or GetQueryResults failed (see failed_op)
  aws::Op failed_op{};
};

// Polls the started query `query_id`. On cancellation of the MCP request the query is stopped and
// boost::system::system_error(operation_aborted) is thrown (no response is due).
boost::asio::awaitable<LogsQueryOutcome> poll_logs_query(std::shared_ptr<const aws::AwsClients> clients,
                                                         std::string query_id, std::chrono::seconds max_timeout);

// StartQuery with `start_input`, then poll_logs_query().
boost::asio::awaitable<LogsQueryOutcome> run_logs_query(std::shared_ptr<const aws::AwsClients> clients,
                                                        boost::json::object start_input,
                                                        std::chrono::seconds max_timeout);

// The rows of a GetQueryResults response as objects {field: value} (the @ptr field dropped).
boost::json::array logs_query_rows(const boost::json::value& response);

}  // namespace appsignals::tools

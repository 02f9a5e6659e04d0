#include "tools/common/logs_query.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/system/system_error.hpp>

#include "tools/common/json_access.h"

namespace appsignals::tools {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::chrono::milliseconds kFirstPoll{250};
constexpr std::chrono::milliseconds kMaxPoll{2000};

json::object query_id_input(const std::string& id) {
  json::object in;
  in["queryId"] = id;
  return in;
}

bool is_terminal(std::string_view status) {
  return status == "Complete" || status == "Failed" || status == "Cancelled" || status == "Timeout" ||
         status == "Unknown";
}

asio::awaitable<void> stop_query(std::shared_ptr<const aws::AwsClients> clients, std::string query_id) {
  json::object input = query_id_input(query_id);
  auto r = co_await clients->logs.call(aws::ops::kStopQuery, input);
  (void)r;
}

asio::awaitable<bool> cancellation_requested() {
  auto cs = co_await asio::this_coro::cancellation_state;
  co_return cs.cancelled() != asio::cancellation_type::none;
}

}  // namespace

asio::awaitable<LogsQueryOutcome> poll_logs_query(std::shared_ptr<const aws::AwsClients> clients,
                                                  std::string query_id, std::chrono::seconds max_timeout) {
  LogsQueryOutcome out;
  out.query_id = query_id;
  const auto deadline = std::chrono::steady_clock::now() + max_timeout;
  std::chrono::milliseconds delay = kFirstPoll;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  bool aborted = false;
  try {
    for (;;) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) {
        out.timed_out = true;
        break;
      }
      timer.expires_after(std::min<std::chrono::steady_clock::duration>(delay, deadline - now));
      auto token = asio::as_tuple(asio::use_awaitable);
      auto waited = co_await timer.async_wait(token);
      const bool cancelled_now = co_await cancellation_requested();
      if (std::get<0>(waited) == asio::error::operation_aborted || cancelled_now) {
        aborted = true;
        break;
      }
      json::object poll_input = query_id_input(query_id);
      auto polled = co_await clients->logs.call(aws::ops::kGetQueryResults, poll_input);
      if (!polled) {
        if (polled.error().code == ErrorCode::kCancelled) {
          aborted = true;
        } else {
          out.error = polled.error();
          out.failed_op = aws::ops::kGetQueryResults;
        }
        break;
      }
      const bool cancelled_after_poll = co_await cancellation_requested();
      if (cancelled_after_poll) {
        aborted = true;
        break;
      }
      if (is_terminal(jv::view(jv::as_obj(*polled), "status"))) {
        out.response = std::move(*polled);
        out.done = true;
        break;
      }
      delay = std::min(delay * 2, kMaxPoll);
    }
  } catch (const boost::system::system_error& e) {
    if (e.code() != asio::error::operation_aborted) throw;
    aborted = true;
  }
  if (aborted) {
    // The client cancelled: stop the query so it does not keep scanning, then let the
    // cancellation propagate.
    co_await asio::this_coro::reset_cancellation_state();
    co_await stop_query(clients, query_id);
    throw boost::system::system_error(asio::error::operation_aborted);
  }
  if (out.timed_out || out.error) co_await stop_query(clients, query_id);
  co_return out;
}

asio::awaitable<LogsQueryOutcome> run_logs_query(std::shared_ptr<const aws::AwsClients> clients,
                                                 json::object start_input, std::chrono::seconds max_timeout) {
  auto started = co_await clients->logs.call(aws::ops::kStartQuery, start_input);
  if (!started) {
    LogsQueryOutcome out;
    out.error = started.error();
    out.failed_op = aws::ops::kStartQuery;
    co_return out;
  }
  std::string query_id = jv::str(jv::as_obj(*started), "queryId");
  if (query_id.empty()) {
    LogsQueryOutcome out;
    out.error = Error(ErrorCode::kInternal, "StartQuery returned no queryId");
    out.failed_op = aws::ops::kStartQuery;
    co_return out;
  }
  co_return co_await poll_logs_query(clients, query_id, max_timeout);
}

json::array logs_query_rows(const json::value& response) {
  json::array rows;
  const auto* results = response.is_object() ? response.as_object().if_contains("results") : nullptr;
  if (!results || !results->is_array()) return rows;
  for (const auto& row : results->as_array()) {
    if (!row.is_array()) continue;
    json::object o;
    for (const auto& cell : row.as_array()) {
      const auto& c = jv::as_obj(cell);
      std::string field = jv::str(c, "field");
      if (field.empty() || field == "@ptr") continue;
      o[field] = jv::str(c, "value");
    }
    rows.push_back(std::move(o));
  }
  return rows;
}

}  // namespace appsignals::tools

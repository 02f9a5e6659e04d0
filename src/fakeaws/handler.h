#pragma once
// FakeAwsHandler: every AWS service of the sample account behind one HTTP handler.
//
// A request goes through: control endpoints (/__fault, /__requests, /__reset) → service
// identification (SigV4 credential scope; else X-Amz-Target, form Action/Version, path, Host) →
// SigV4 verification (demo key, or credentials issued by sts:AssumeRole; 15 minutes of skew) →
// operation lookup in the model → injected faults → input extraction and model validation →
// the operation → the reply in the service's protocol. Every AWS request is logged.
//
// Thread safety: handle() may run concurrently on several threads.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "fakeaws/call.h"
#include "fakeaws/faults.h"
#include "fakeaws/model.h"
#include "net/http_types.h"

namespace appsignals::fakeaws {

struct HandlerOptions {
  std::string access_key_id;
  std::string secret_access_key;
  std::string region = "us-east-1";
  std::uint64_t seed = 42;
  std::function<std::chrono::system_clock::time_point()> clock;  // default: system_clock::now
  bool verify_signatures = true;
  bool validate_requests = true;
};

struct RequestRecord {
  std::string service;    // signing name
  std::string operation;  // empty when it could not be identified
  int status = 0;
  std::string fault;      // injected fault name, if any
  boost::json::object input;
};

class FakeAwsHandler final : public net::HttpHandler {
 public:
  FakeAwsHandler(ModelSet models, HandlerOptions options);
  boost::asio::awaitable<net::Reply> handle(net::Request request) override;

  FaultInjector& faults() { return faults_; }
  std::vector<RequestRecord> requests() const;
  // Clears faults, the request log (arrivals included) and running queries.
  void reset();

  // Requests for `operation` that have arrived: authenticated and identified, and about to meet
  // injected faults (an injected latency starts right after). Requests that fail before that
  // point are only in the log.
  std::size_t arrivals(std::string_view operation) const;

  // Test synchronisation: block the calling thread until the fake reaches a point, or until
  // `timeout` passes (a failure guard, not a schedule). True when the point was reached. Call
  // from a test thread, never from a thread running the fake's io_context.
  //   wait_for_arrivals: arrivals(operation) >= count (see above).
  //   wait_for_logged:   the log holds >= count records of `operation`; the last one's reply
  //                      has been built and is about to be written.
  bool wait_for_arrivals(std::string_view operation, std::size_t count,
                         std::chrono::steady_clock::duration timeout) const;
  bool wait_for_logged(std::string_view operation, std::size_t count,
                       std::chrono::steady_clock::duration timeout) const;

 private:
  struct Routed;
  net::Response control(const net::Request& request);
  std::string identify_service(const net::Request& request) const;
  std::optional<std::string> secret_for(std::string_view access_key_id) const;
  void record(RequestRecord r);
  void arrived(const std::string& operation);
  void clear_log();
  std::string next_request_id();

  ModelSet models_;
  HandlerOptions options_;
  FaultInjector faults_;
  mutable FakeState state_;
  mutable std::mutex log_mu_;
  mutable std::condition_variable log_changed_;  // notified on every arrival and record
  std::deque<RequestRecord> log_;  // the newest 10,000 requests (pop_front is O(1))
  std::map<std::string, std::size_t, std::less<>> arrivals_;
};

}  // namespace appsignals::fakeaws

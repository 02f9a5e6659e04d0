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
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
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
  // Clears faults, the request log and running queries.
  void reset();

 private:
  struct Routed;
  net::Response control(const net::Request& request);
  std::string identify_service(const net::Request& request) const;
  std::optional<std::string> secret_for(std::string_view access_key_id) const;
  void record(RequestRecord r);
  std::string next_request_id();

  ModelSet models_;
  HandlerOptions options_;
  FaultInjector faults_;
  mutable FakeState state_;
  mutable std::mutex log_mu_;
  std::deque<RequestRecord> log_;  // the newest kMaxLogged requests (pop_front: O(1))
};

}  // namespace appsignals::fakeaws

#pragma once
// FakeAws: the sample account served on a loopback port (see handler.h for what it serves and
// sample_account.h for the story in the data).
//
//   boost::asio::io_context ioc;
//   auto fake = fakeaws::FakeAws::start(ioc, {});        // 127.0.0.1, a free port
//   setenv("AWS_ENDPOINT_URL", fake->endpoint_url());   // and the demo credentials
//   ... run ioc on some thread(s) ...
//   fake->stop();
//
// Control endpoints (unsigned, for tests): POST /__fault {"operation","fault","count",
// "latency_ms"} (or an array of them), GET /__fault, DELETE /__fault, GET /__requests,
// DELETE /__requests, POST /__reset.
//
// Thread safety: all members are thread-safe. Lifetime: stop() before destroying the
// io_context; the object may be destroyed after stop() while the io_context still runs.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "common/result.h"
#include "fakeaws/faults.h"
#include "fakeaws/handler.h"

namespace appsignals::fakeaws {

struct DemoCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string region;
  std::string account_id;
};

struct FakeAwsOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: pick a free port
  // Directory of the official models (botocore layout); empty: the compiled-in tables.
  std::string models_dir;
  std::uint64_t seed = 42;
  std::function<std::chrono::system_clock::time_point()> clock;  // default: the system clock
  std::vector<FaultSpec> faults;  // armed at start
  bool verify_signatures = true;
  bool validate_requests = true;
};

class FakeAws {
 public:
  static Result<std::unique_ptr<FakeAws>> start(boost::asio::io_context& ioc, FakeAwsOptions options = {});
  ~FakeAws();
  FakeAws(const FakeAws&) = delete;
  FakeAws& operator=(const FakeAws&) = delete;

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>"
  std::string endpoint_url() const;
  // The only long-term credentials the fake accepts.
  static DemoCredentials demo_credentials();

  FaultInjector& faults() { return handler_->faults(); }
  std::vector<RequestRecord> requests() const { return handler_->requests(); }
  void reset() { handler_->reset(); }
  std::shared_ptr<FakeAwsHandler> handler() const { return handler_; }

  void stop();

 private:
  FakeAws() = default;
  class ListenerHolder;
  std::shared_ptr<FakeAwsHandler> handler_;
  std::unique_ptr<ListenerHolder> listener_;
  std::string host_;
  std::uint16_t port_ = 0;
};

}  // namespace appsignals::fakeaws

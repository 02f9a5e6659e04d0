#include "fakeaws/fake_aws.h"

#include "fakeaws/listener.h"
#include "fakeaws/sample_account.h"

namespace appsignals::fakeaws {

class FakeAws::ListenerHolder {
 public:
  ListenerHolder(boost::asio::io_context& ioc, std::shared_ptr<net::HttpHandler> h) : listener(ioc, std::move(h)) {}
  Listener listener;
};

DemoCredentials FakeAws::demo_credentials() {
  return {"AKIDAPPSIGNALSDEMO", "appsignals-demo-secret-key/not-a-real-secret", "us-east-1",
          sample_account().account_id};
}

Result<std::unique_ptr<FakeAws>> FakeAws::start(boost::asio::io_context& ioc, FakeAwsOptions options) {
  auto models = options.models_dir.empty() ? ModelSet::load_embedded() : ModelSet::load_directory(options.models_dir);
  if (!models) return models.error();
  auto creds = demo_credentials();
  HandlerOptions ho;
  ho.access_key_id = creds.access_key_id;
  ho.secret_access_key = creds.secret_access_key;
  ho.region = creds.region;
  ho.seed = options.seed;
  ho.clock = options.clock;
  ho.verify_signatures = options.verify_signatures;
  ho.validate_requests = options.validate_requests;
  std::unique_ptr<FakeAws> fake(new FakeAws());
  fake->handler_ = std::make_shared<FakeAwsHandler>(std::move(models).value(), std::move(ho));
  for (auto& f : options.faults) fake->handler_->faults().add(f);
  fake->listener_ = std::make_unique<ListenerHolder>(ioc, fake->handler_);
  auto port = fake->listener_->listener.listen(options.host, options.port);
  if (!port) return port.error();
  fake->host_ = options.host;
  fake->port_ = *port;
  fake->listener_->listener.start();
  return fake;
}

FakeAws::~FakeAws() { stop(); }

void FakeAws::stop() {
  if (listener_) listener_->listener.stop();
}

std::string FakeAws::endpoint_url() const {
  return "http://" + (host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_) + ":" + std::to_string(port_);
}

}  // namespace appsignals::fakeaws

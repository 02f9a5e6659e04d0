#include "app/fakeaws_command.h"

#include <cstdio>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "fakeaws/fake_aws.h"

namespace appsignals::app {

int run_fakeaws_command(std::uint16_t port) {
  boost::asio::io_context ioc;
  fakeaws::FakeAwsOptions options;
  options.port = port;
  auto fake = fakeaws::FakeAws::start(ioc, options);
  if (!fake) {
    std::fprintf(stderr, "fakeaws: %s\n", fake.error().message.c_str());
    return 1;
  }
  auto creds = fakeaws::FakeAws::demo_credentials();
  std::printf("# The fake AWS (sample account %s) is listening. Point an AWS client at it with:\n",
              creds.account_id.c_str());
  std::printf("export AWS_ENDPOINT_URL=%s\n", (*fake)->endpoint_url().c_str());
  std::printf("export AWS_ACCESS_KEY_ID=%s\n", creds.access_key_id.c_str());
  std::printf("export AWS_SECRET_ACCESS_KEY=%s\n", creds.secret_access_key.c_str());
  std::printf("export AWS_REGION=%s\n", creds.region.c_str());
  std::printf("export AWS_DEFAULT_REGION=%s\n", creds.region.c_str());
  std::printf("# Test controls: POST %s/__fault, GET %s/__requests, POST %s/__reset\n",
              (*fake)->endpoint_url().c_str(), (*fake)->endpoint_url().c_str(), (*fake)->endpoint_url().c_str());
  std::fflush(stdout);
  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    (*fake)->stop();
    ioc.stop();
  });
  ioc.run();
  return 0;
}

}  // namespace appsignals::app

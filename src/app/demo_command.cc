#include "app/demo_command.h"

#include <spdlog/spdlog.h>

#include "fakeaws/fake_aws.h"

namespace appsignals::app {

void configure_demo(ServeConfig& config, ServeHooks& hooks) {
  config.region = "us-east-1";
  hooks.prepare = [](boost::asio::io_context& ioc, aws::MapEnv& env) -> Result<std::shared_ptr<void>> {
    auto fake = fakeaws::FakeAws::start(ioc, fakeaws::FakeAwsOptions{});
    if (!fake) return fake.error();
    auto creds = fakeaws::FakeAws::demo_credentials();
    // Start from an environment with no AWS settings at all, so no profile, credential source,
    // endpoint override or metadata service of the caller can send a request elsewhere.
    aws::MapEnv clean;
    clean.set("HOME", env.home());
    clean.set("AWS_ENDPOINT_URL", (*fake)->endpoint_url());
    clean.set("AWS_ACCESS_KEY_ID", creds.access_key_id);
    clean.set("AWS_SECRET_ACCESS_KEY", creds.secret_access_key);
    clean.set("AWS_REGION", "us-east-1");
    clean.set("AWS_CONFIG_FILE", "/dev/null");
    clean.set("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    clean.set("AWS_EC2_METADATA_DISABLED", "true");
    env = std::move(clean);
    spdlog::info("demo: sample AWS account (fake AWS) at {}", (*fake)->endpoint_url());
    return std::shared_ptr<void>(std::move(*fake));
  };
}

}  // namespace appsignals::app

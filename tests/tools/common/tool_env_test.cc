#include "tools/common/tool_env.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "aws/aws_setup.h"

namespace appsignals::tools {
namespace {

// Issue #20 finding 8: any well-formed region string gets clients, but the per-region cache
// stays bounded (least recently used regions go first; the busy ones stay).
TEST(ToolEnv, PerRegionClientCacheIsAnLru) {
  boost::asio::io_context ioc;
  aws::MapEnv env;
  env.set("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
  env.set("AWS_ACCESS_KEY_ID", "AKIDTOOLENVTEST");
  env.set("AWS_SECRET_ACCESS_KEY", "tool-env-test-secret");
  env.set("AWS_REGION", "us-east-1");
  env.set("AWS_CONFIG_FILE", "/dev/null");
  env.set("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
  env.set("AWS_EC2_METADATA_DISABLED", "true");
  auto setup = aws::make_aws_setup(ioc.get_executor(), env);
  ASSERT_TRUE(setup.ok()) << setup.error().message;
  ToolEnv tool_env(setup->context, "us-east-1");
  auto home = tool_env.clients_for("us-east-1");
  ASSERT_TRUE(home.ok());
  for (int i = 0; i < 2000; ++i) {
    ASSERT_TRUE(tool_env.clients_for("xx-flood-" + std::to_string(i)).ok());
    if (i % 8 == 0) {
      ASSERT_TRUE(tool_env.clients_for("us-east-1").ok());  // in steady use
    }
  }
  EXPECT_LE(tool_env.cached_regions(), ToolEnv::kMaxCachedRegions);
  EXPECT_EQ(tool_env.clients_for("us-east-1")->get(), home->get()) << "the busy region was evicted";
}

// Issue #20 (fair share): each principal's calls get clients whose AWS requests carry its
// principal as the fair-share key; the same principal reuses its clients.
TEST(ToolEnv, ClientsArePerPrincipal) {
  boost::asio::io_context ioc;
  aws::MapEnv env;
  env.set("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
  env.set("AWS_ACCESS_KEY_ID", "AKIDTOOLENVTEST");
  env.set("AWS_SECRET_ACCESS_KEY", "tool-env-test-secret");
  env.set("AWS_REGION", "us-east-1");
  env.set("AWS_CONFIG_FILE", "/dev/null");
  env.set("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
  env.set("AWS_EC2_METADATA_DISABLED", "true");
  auto setup = aws::make_aws_setup(ioc.get_executor(), env);
  ASSERT_TRUE(setup.ok()) << setup.error().message;
  ToolEnv tool_env(setup->context, "us-east-1");
  auto a = tool_env.clients_for("us-east-1", "api-key:a");
  auto a2 = tool_env.clients_for("us-east-1", "api-key:a");
  auto b = tool_env.clients_for("us-east-1", "api-key:b");
  ASSERT_TRUE(a.ok() && a2.ok() && b.ok());
  EXPECT_EQ(a->get(), a2->get());
  EXPECT_NE(a->get(), b->get());
}

}  // namespace
}  // namespace appsignals::tools

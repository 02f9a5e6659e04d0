// The OAuth fetcher (metadata, JWKS, introspection) caps what it accepts at 1 MiB.
#include "app/oauth_setup.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "aws/test_http_server.h"

namespace appsignals::app {
namespace {

using aws::test::TestHttpServer;
using aws::test::TestRequest;
using aws::test::TestResponse;

TEST(OAuthFetcher, RefusesABodyOverOneMiB) {
  TestHttpServer server([](const TestRequest& r) {
    const std::size_t size = r.target == "/jwks-big" ? kOAuthMaxResponseBytes + 1 : 1000;
    return TestResponse::json(200, std::string(size, ' '));
  });
  boost::asio::io_context ioc;
  auto fetcher = make_oauth_fetcher(ioc.get_executor(), "");
  net::FetchRequest small;
  small.url = server.url("/jwks");
  auto ok = aws::test::run_sync(ioc, fetcher(small));
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(ok->body.size(), 1000u);

  net::FetchRequest big;
  big.url = server.url("/jwks-big");
  auto refused = aws::test::run_sync(ioc, fetcher(big));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().details, "ResponseTooLarge");
}

}  // namespace
}  // namespace appsignals::app

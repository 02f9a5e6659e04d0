#include "app/endpoints.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <optional>

namespace appsignals::app {
namespace {

namespace http = net::http;

net::Response call(net::HttpHandler& handler, http::verb method) {
  boost::asio::io_context ioc;
  net::Request req;
  req.message = http::request<http::string_body>{method, "/health", 11};
  std::optional<net::Reply> out;
  boost::asio::co_spawn(ioc, handler.handle(std::move(req)), [&out](std::exception_ptr, net::Reply r) {
    out = std::move(r);
  });
  ioc.run();
  if (!out || !std::holds_alternative<net::Response>(*out)) {
    ADD_FAILURE() << "no response";
    return {};
  }
  return std::get<net::Response>(std::move(*out));
}

// Issue #20 finding 8: /health and /info answer GET (and HEAD); any other method gets 405 + Allow.
TEST(Endpoints, HealthAndInfoAnswerOnlyGetAndHead) {
  EndpointFacts facts;
  facts.region = "us-east-1";
  facts.auth_mode = [] { return std::string("disabled"); };
  facts.tls_enabled = [] { return false; };
  auto health = make_health_handler(facts);
  auto info = make_info_handler(facts, mcp::ServerInfo{}, std::make_shared<mcp::Registry>());
  for (auto* handler : {health.get(), info.get()}) {
    EXPECT_EQ(call(*handler, http::verb::get).result(), http::status::ok);
    EXPECT_EQ(call(*handler, http::verb::head).result(), http::status::ok);
    for (auto method : {http::verb::post, http::verb::put, http::verb::delete_, http::verb::patch}) {
      auto res = call(*handler, method);
      EXPECT_EQ(res.result(), http::status::method_not_allowed) << http::to_string(method);
      EXPECT_EQ(res[http::field::allow], "GET, HEAD");
    }
  }
}

}  // namespace
}  // namespace appsignals::app

#include "net/router.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include <exception>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace appsignals::net {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kKey = "router-test-key";

Reply run(Router& router, Request request) {
  asio::io_context ioc;
  std::optional<Reply> out;
  std::exception_ptr failure;
  asio::co_spawn(ioc, router.handle(std::move(request)), [&](std::exception_ptr e, Reply r) {
    failure = e;
    out = std::move(r);
  });
  ioc.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*out);
}

Response response_of(Reply reply) {
  auto* res = std::get_if<Response>(&reply);
  if (!res) {
    ADD_FAILURE() << "expected a plain response, got a stream";
    return {};
  }
  return std::move(*res);
}

Request make(http::verb method, std::string target, std::string host = "127.0.0.1:8000") {
  Request r;
  r.message.method(method);
  r.message.target(target);
  r.message.version(11);
  if (!host.empty()) r.message.set(http::field::host, host);
  r.remote_address = "127.0.0.1:5555";
  return r;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.set_origin_policy(OriginPolicy::for_bind_address("127.0.0.1"));
    router_.add("/mcp", make_handler([this](const Request& r) -> Reply {
                  seen_principal_ = r.principal;
                  seen_profiles_ = r.aws_profiles;
                  ++mcp_calls_;
                  return json_response(http::status::ok, "{\"ok\":true}");
                }));
    router_.add("/health", make_handler([](const Request&) -> Reply {
                  return json_response(http::status::ok, "{\"status\":\"ok\"}");
                }),
                RouteOptions{false, false});
    router_.add("/messages/", make_handler([](const Request&) -> Reply {
                  return json_response(http::status::accepted, "{}");
                }));
  }
  void enable_auth() {
    router_.set_authenticator(std::make_shared<ApiKeyAuthenticator>(std::vector<std::string>{std::string(kKey)}));
  }

  Router router_;
  std::string seen_principal_;
  std::optional<std::vector<std::string>> seen_profiles_;
  int mcp_calls_ = 0;
};

// Issue #20 finding 8: failed authentications are logged with the peer and the reason, never
// the key, and a flood of them yields a bounded number of lines.
TEST_F(RouterTest, FailedAuthenticationsAreLoggedRateLimitedWithoutTheKey) {
  enable_auth();
  auto stream = std::make_shared<std::ostringstream>();
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(
      std::make_shared<spdlog::logger>("capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(*stream)));
  const std::string wrong = "router-test-wrong-key-flood";
  for (int i = 0; i < 1000; ++i) {
    auto req = make(http::verb::post, "/mcp");
    req.message.set("X-API-Key", wrong);
    EXPECT_EQ(response_of(run(router_, std::move(req))).result(), http::status::unauthorized);
  }
  spdlog::set_default_logger(previous);
  const std::string log = stream->str();
  std::size_t lines = 0;
  for (char ch : log) lines += ch == '\n';
  EXPECT_GE(lines, 1u);
  EXPECT_LE(lines, 40u) << "pre-auth log lines are not rate-limited";
  EXPECT_NE(log.find("authentication failed from 127.0.0.1:5555: API key rejected"), std::string::npos) << log;
  EXPECT_EQ(log.find(wrong), std::string::npos);
  EXPECT_EQ(log.find(kKey), std::string::npos);
}

TEST_F(RouterTest, ProtectedRouteWithoutCredentialsGets401WithWwwAuthenticate) {
  enable_auth();
  auto res = response_of(run(router_, make(http::verb::post, "/mcp")));
  EXPECT_EQ(res.result(), http::status::unauthorized);
  EXPECT_NE(res[http::field::www_authenticate].find("Bearer"), std::string_view::npos);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(mcp_calls_, 0);
}

TEST_F(RouterTest, MissingKeyGets401SayingAKeyIsRequiredAndHow) {
  enable_auth();
  auto res = response_of(run(router_, make(http::verb::post, "/mcp")));
  EXPECT_EQ(res.result(), http::status::unauthorized);
  EXPECT_EQ(res[http::field::www_authenticate], R"(Bearer realm="appsignals-mcp")");
  EXPECT_NE(res.body().find("API key required"), std::string::npos) << res.body();
  EXPECT_NE(res.body().find("Authorization: Bearer <key>"), std::string::npos) << res.body();
  EXPECT_NE(res.body().find("X-API-Key: <key>"), std::string::npos) << res.body();
}

TEST_F(RouterTest, WrongKeyGets401SayingTheKeyWasRejectedWithoutEchoingIt) {
  enable_auth();
  const std::string wrong = "router-test-wrong-key-7d1e";
  for (auto [name, value] : {std::pair<std::string, std::string>{"Authorization", "Bearer " + wrong},
                             std::pair<std::string, std::string>{"X-API-Key", wrong}}) {
    auto req = make(http::verb::post, "/mcp");
    req.message.set(name, value);
    auto res = response_of(run(router_, std::move(req)));
    EXPECT_EQ(res.result(), http::status::unauthorized) << name;
    EXPECT_EQ(res[http::field::www_authenticate], R"(Bearer realm="appsignals-mcp", error="invalid_token")");
    EXPECT_NE(res.body().find("API key rejected"), std::string::npos) << res.body();
    EXPECT_EQ(res.body().find(wrong), std::string::npos) << res.body();
    EXPECT_EQ(res.body().find(kKey), std::string::npos) << res.body();
  }
  EXPECT_EQ(mcp_calls_, 0);
}

TEST_F(RouterTest, PrefixRouteAnswersEveryPathUnderItWithoutAuthWhenPublic) {
  enable_auth();
  router_.add_prefix("/.well-known/", make_handler([](const Request& r) -> Reply {
                       return json_response(http::status::not_found, "{\"under\":\"" + std::string(r.path()) + "\"}");
                     }),
                     RouteOptions{.require_auth = false});
  for (const char* path : {"/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp",
                           "/.well-known/openid-configuration"}) {
    auto res = response_of(run(router_, make(http::verb::get, path)));
    EXPECT_EQ(res.result(), http::status::not_found) << path;
    EXPECT_NE(res.body().find(path), std::string::npos) << path;
    EXPECT_EQ(res[http::field::www_authenticate], "") << path;
  }
  // Not under the prefix: still behind the key.
  EXPECT_EQ(response_of(run(router_, make(http::verb::get, "/.well-known"))).result(), http::status::unauthorized);
  EXPECT_EQ(response_of(run(router_, make(http::verb::get, "/register"))).result(), http::status::unauthorized);
}

TEST_F(RouterTest, ExactRouteWinsOverAPrefixRouteAndTheLongestPrefixWins) {
  router_.add_prefix("/a/", make_handler([](const Request&) -> Reply { return json_response(http::status::ok, "short"); }));
  router_.add_prefix("/a/b/", make_handler([](const Request&) -> Reply { return json_response(http::status::ok, "long"); }));
  router_.add("/a/b/c", make_handler([](const Request&) -> Reply { return json_response(http::status::ok, "exact"); }));
  EXPECT_EQ(response_of(run(router_, make(http::verb::get, "/a/x"))).body(), "short");
  EXPECT_EQ(response_of(run(router_, make(http::verb::get, "/a/b/x"))).body(), "long");
  EXPECT_EQ(response_of(run(router_, make(http::verb::get, "/a/b/c"))).body(), "exact");
}

TEST_F(RouterTest, ProtectedRouteWithAKeyReachesTheHandlerWithAPrincipal) {
  enable_auth();
  auto req = make(http::verb::post, "/mcp");
  req.message.set(http::field::authorization, "Bearer " + std::string(kKey));
  auto res = response_of(run(router_, std::move(req)));
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(mcp_calls_, 1);
  EXPECT_FALSE(seen_principal_.empty());
  EXPECT_EQ(seen_principal_.find(kKey), std::string::npos);
}

// Issue #18: with MCP_AWS_PROFILE_MAP the request carries the principal's profile set, chosen
// by which API key matched; without a map it carries none (unrestricted).
TEST_F(RouterTest, TheProfileMapPutsThePrincipalsProfilesOnTheRequest) {
  constexpr std::string_view kOther = "second-key-0123456789";
  router_.set_authenticator(std::make_shared<ApiKeyAuthenticator>(
      std::vector<std::string>{std::string(kKey), std::string(kOther)}));
  auto call = [this](std::string_view key) {
    auto req = make(http::verb::post, "/mcp");
    req.message.set(http::field::authorization, "Bearer " + std::string(key));
    EXPECT_EQ(response_of(run(router_, std::move(req))).result(), http::status::ok);
  };
  call(kKey);
  EXPECT_FALSE(seen_profiles_.has_value());
  auto map = ProfileMap::parse("api-key#2 -> b; * -> a", {"a", "b"});
  ASSERT_TRUE(map.ok()) << map.error().message;
  router_.set_profile_map(std::make_shared<const ProfileMap>(std::move(*map)));
  call(kKey);
  EXPECT_EQ(seen_profiles_, std::optional<std::vector<std::string>>(std::vector<std::string>{"a"}));
  call(kOther);
  EXPECT_EQ(seen_profiles_, std::optional<std::vector<std::string>>(std::vector<std::string>{"b"}));
}

TEST_F(RouterTest, PrincipalOverItsRateLimitGets429WithRetryAfter) {
  enable_auth();
  RateLimiter::Clock::time_point now{};
  router_.set_rate_limiter(std::make_shared<RateLimiter>(2, [&now] { return now; }));
  auto call = [this] {
    auto req = make(http::verb::post, "/mcp");
    req.message.set(http::field::authorization, "Bearer " + std::string(kKey));
    return response_of(run(router_, std::move(req)));
  };
  EXPECT_EQ(call().result(), http::status::ok);
  EXPECT_EQ(call().result(), http::status::ok);
  auto limited = call();
  EXPECT_EQ(limited.result(), http::status::too_many_requests);
  EXPECT_EQ(limited[http::field::retry_after], "30");
  EXPECT_EQ(mcp_calls_, 2);
  // Refused credentials are not counted against anyone: they get 401 first.
  auto anon = make(http::verb::post, "/mcp");
  EXPECT_EQ(response_of(run(router_, std::move(anon))).result(), http::status::unauthorized);
  now += std::chrono::seconds(30);
  EXPECT_EQ(call().result(), http::status::ok);
}

TEST_F(RouterTest, HealthIsPublicWhenAuthIsOn) {
  enable_auth();
  auto res = response_of(run(router_, make(http::verb::get, "/health")));
  EXPECT_EQ(res.result(), http::status::ok);
}

TEST_F(RouterTest, HealthSkipsTheHostCheck) {
  auto res = response_of(run(router_, make(http::verb::get, "/health", "10.1.2.3:8000")));
  EXPECT_EQ(res.result(), http::status::ok);
}

TEST_F(RouterTest, UnknownPathGets404Json) {
  auto res = response_of(run(router_, make(http::verb::get, "/nope")));
  EXPECT_EQ(res.result(), http::status::not_found);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_NE(res.body().find("\"error\""), std::string::npos);
}

TEST_F(RouterTest, UnknownPathGets401BeforeRevealing404WhenAuthIsOn) {
  enable_auth();
  auto res = response_of(run(router_, make(http::verb::get, "/nope")));
  EXPECT_EQ(res.result(), http::status::unauthorized);
}

TEST_F(RouterTest, QueryStringIsIgnoredWhenMatchingRoutes) {
  auto res = response_of(run(router_, make(http::verb::post, "/mcp?x=1")));
  EXPECT_EQ(res.result(), http::status::ok);
}

TEST_F(RouterTest, RouteWithTrailingSlashAlsoAnswersWithoutIt) {
  EXPECT_EQ(response_of(run(router_, make(http::verb::post, "/messages"))).result(), http::status::accepted);
  EXPECT_EQ(response_of(run(router_, make(http::verb::post, "/messages/"))).result(), http::status::accepted);
}

TEST_F(RouterTest, ForeignHostGets403WhenBoundToLoopback) {
  auto res = response_of(run(router_, make(http::verb::post, "/mcp", "evil.example.com")));
  EXPECT_EQ(res.result(), http::status::forbidden);
  EXPECT_EQ(mcp_calls_, 0);
}

TEST_F(RouterTest, ForeignHost403NamesTheHostAndMcpAllowedHosts) {
  auto res = response_of(run(router_, make(http::verb::post, "/mcp", "evil.example.com:8000")));
  EXPECT_EQ(res.result(), http::status::forbidden);
  EXPECT_NE(res.body().find("evil.example.com"), std::string::npos) << res.body();
  EXPECT_NE(res.body().find("MCP_ALLOWED_HOSTS"), std::string::npos) << res.body();
  EXPECT_EQ(res.body().find("MCP_ALLOWED_ORIGINS"), std::string::npos) << res.body();
}

TEST_F(RouterTest, ForeignOrigin403NamesTheOriginAndMcpAllowedOrigins) {
  auto req = make(http::verb::post, "/mcp");
  req.message.set(http::field::origin, "http://evil.example.com");
  auto res = response_of(run(router_, std::move(req)));
  EXPECT_EQ(res.result(), http::status::forbidden);
  EXPECT_NE(res.body().find("http://evil.example.com"), std::string::npos) << res.body();
  EXPECT_NE(res.body().find("MCP_ALLOWED_ORIGINS"), std::string::npos) << res.body();
  EXPECT_EQ(res.body().find("MCP_ALLOWED_HOSTS"), std::string::npos) << res.body();
}

TEST_F(RouterTest, ForeignHostGets403EvenBeforeAuthentication) {
  enable_auth();
  auto res = response_of(run(router_, make(http::verb::post, "/mcp", "evil.example.com")));
  EXPECT_EQ(res.result(), http::status::forbidden);
}

TEST_F(RouterTest, ForeignOriginGets403) {
  auto req = make(http::verb::post, "/mcp");
  req.message.set(http::field::origin, "http://evil.example.com");
  EXPECT_EQ(response_of(run(router_, std::move(req))).result(), http::status::forbidden);
}

TEST_F(RouterTest, CorsPreflightFromAnAllowedOriginIsAnsweredWithoutAuth) {
  enable_auth();
  auto req = make(http::verb::options, "/mcp");
  req.message.set(http::field::origin, "http://localhost:6274");
  req.message.set(http::field::access_control_request_method, "POST");
  auto res = response_of(run(router_, std::move(req)));
  EXPECT_EQ(res.result(), http::status::no_content);
  EXPECT_EQ(res[http::field::access_control_allow_origin], "http://localhost:6274");
  EXPECT_NE(res[http::field::access_control_allow_methods].find("POST"), std::string_view::npos);
  auto allow_headers = res[http::field::access_control_allow_headers];
  EXPECT_NE(allow_headers.find("Mcp-Session-Id"), std::string_view::npos);
  EXPECT_NE(allow_headers.find("MCP-Protocol-Version"), std::string_view::npos);
  EXPECT_NE(allow_headers.find("Authorization"), std::string_view::npos);
  EXPECT_EQ(mcp_calls_, 0);
}

TEST_F(RouterTest, ActualCorsResponseExposesTheSessionHeader) {
  auto req = make(http::verb::post, "/mcp");
  req.message.set(http::field::origin, "http://localhost:6274");
  auto res = response_of(run(router_, std::move(req)));
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res[http::field::access_control_allow_origin], "http://localhost:6274");
  EXPECT_NE(res[http::field::access_control_expose_headers].find("Mcp-Session-Id"), std::string_view::npos);
}

TEST_F(RouterTest, UnauthorizedCorsResponseStillCarriesCorsHeaders) {
  enable_auth();
  auto req = make(http::verb::post, "/mcp");
  req.message.set(http::field::origin, "http://localhost:6274");
  auto res = response_of(run(router_, std::move(req)));
  EXPECT_EQ(res.result(), http::status::unauthorized);
  EXPECT_EQ(res[http::field::access_control_allow_origin], "http://localhost:6274");
  EXPECT_NE(res[http::field::access_control_expose_headers].find("WWW-Authenticate"), std::string_view::npos);
}

TEST_F(RouterTest, NoAuthenticatorMeansNoPrincipal) {
  auto res = response_of(run(router_, make(http::verb::post, "/mcp")));
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_TRUE(seen_principal_.empty());
}

}  // namespace
}  // namespace appsignals::net

namespace appsignals::net {
namespace {

class RecordingObserver final : public HttpObserver {
 public:
  void on_reply(std::size_t slot, std::string_view route, http::verb method, unsigned status) noexcept override {
    replies.push_back(std::to_string(slot) + " " + std::string(route) + " " + std::string(http::to_string(method)) +
                      " " + std::to_string(status));
  }
  void on_auth_failure(AuthFailure reason) noexcept override { failures.push_back(reason); }
  std::vector<std::string> replies;
  std::vector<AuthFailure> failures;
};

TEST_F(RouterTest, ObserverSeesRoutePatternsStatusesAndAuthFailures) {
  enable_auth();
  auto observer = std::make_shared<RecordingObserver>();
  router_.set_observer(observer);
  auto authed = make(http::verb::post, "/mcp");
  authed.message.set("X-API-Key", kKey);
  run(router_, std::move(authed));
  run(router_, make(http::verb::post, "/mcp"));
  auto wrong = make(http::verb::post, "/messages");
  wrong.message.set("X-API-Key", "router-test-wrong-key");
  run(router_, std::move(wrong));
  auto unknown = make(http::verb::get, "/nope/1234");
  unknown.message.set("X-API-Key", kKey);
  run(router_, std::move(unknown));
  run(router_, make(http::verb::get, "/health"));
  // Slots are registration order + 1: /mcp 1, /health 2, /messages/ 3 (also for "/messages").
  EXPECT_EQ(observer->replies, (std::vector<std::string>{"1 /mcp POST 200", "1 /mcp POST 401", "3 /messages/ POST 401",
                                                         "0  GET 404", "2 /health GET 200"}));
  EXPECT_EQ(observer->failures, (std::vector<AuthFailure>{AuthFailure::kMissing, AuthFailure::kRejected}));
}

}  // namespace
}  // namespace appsignals::net

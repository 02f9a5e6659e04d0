#include "mcp/session.h"

#include "mcp/jsonrpc.h"

#include <gtest/gtest.h>

#include <chrono>
#include <exception>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace appsignals::mcp {
namespace {

namespace asio = boost::asio;
using Response = Session::ClientResponse;

class NullOutbound final : public Outbound {
 public:
  bool send(std::string) override { return true; }
};

asio::awaitable<std::optional<Response>> await_slot(std::shared_ptr<OneShot<Response>> slot) {
  co_return co_await slot->wait(std::chrono::hours(1));
}

// Runs `slot->wait` on `ioc` after `before` was posted; returns what the waiter got.
std::optional<Response> wait_for(asio::io_context& ioc, std::shared_ptr<OneShot<Response>> slot,
                                 std::function<void()> before) {
  std::optional<Response> got;
  asio::co_spawn(ioc, await_slot(std::move(slot)),
                 [&got](std::exception_ptr e, std::optional<Response> r) {
                   if (e) std::rethrow_exception(e);
                   got = std::move(r);
                 });
  asio::post(ioc, std::move(before));
  ioc.run();
  return got;
}

TEST(Session, DefaultsToTheLatestVersionUninitialisedAtInfo) {
  Session s("abc", "api-key#1");
  EXPECT_EQ(s.id(), "abc");
  EXPECT_EQ(s.principal(), "api-key#1");
  EXPECT_EQ(s.protocol_version(), "2025-11-25");
  EXPECT_FALSE(s.initialized());
  EXPECT_EQ(s.log_level(), LogLevel::kInfo);
  s.set_initialized();
  EXPECT_TRUE(s.initialized());
}

TEST(Session, ClientCapabilitiesAreRecorded) {
  Session s("abc", "");
  s.set_client(json::object{{"sampling", json::object{}}}, json::object{{"name", "c"}});
  EXPECT_TRUE(s.client_supports("sampling"));
  EXPECT_FALSE(s.client_supports("elicitation"));
  EXPECT_EQ(s.client_info().at("name"), "c");
}

TEST(Session, OnlyOneStandaloneStreamAttaches) {
  Session s("abc", "");
  auto a = std::make_shared<NullOutbound>();
  auto b = std::make_shared<NullOutbound>();
  EXPECT_TRUE(s.attach_standalone(a));
  EXPECT_FALSE(s.attach_standalone(b));
  s.detach_standalone(b.get());  // not the attached one: no effect
  EXPECT_EQ(s.standalone(), a);
  s.detach_standalone(a.get());
  EXPECT_EQ(s.standalone(), nullptr);
  EXPECT_TRUE(s.attach_standalone(b));
}

TEST(Session, ClientRequestsAreResolvedByTheirId) {
  asio::io_context ioc;
  auto s = std::make_shared<Session>("abc", "");
  auto [id1, slot1] = s->begin_client_request(ioc.get_executor());
  auto [id2, slot2] = s->begin_client_request(ioc.get_executor());
  EXPECT_NE(id1, id2);
  auto got = wait_for(ioc, slot2, [s, id = id2] {
    EXPECT_TRUE(s->complete_client_request(id, json::value("second")));
  });
  ASSERT_TRUE(got);
  ASSERT_TRUE(got->ok());
  EXPECT_EQ(got->value(), json::value("second"));
  EXPECT_FALSE(slot1->has_value());
}

TEST(Session, UnknownOrAlreadyAnsweredClientResponsesAreRefused) {
  asio::io_context ioc;
  auto s = std::make_shared<Session>("abc", "");
  auto [id, slot] = s->begin_client_request(ioc.get_executor());
  EXPECT_FALSE(s->complete_client_request(json::value(987654), json::value(1)));
  EXPECT_FALSE(s->complete_client_request(json::value(jsonrpc::id_key(id)), json::value(1)));
  EXPECT_TRUE(s->complete_client_request(id, json::value(1)));
  EXPECT_FALSE(s->complete_client_request(id, json::value(2)));
}

TEST(Session, AbandonedClientRequestNoLongerAcceptsAResponse) {
  asio::io_context ioc;
  auto s = std::make_shared<Session>("abc", "");
  auto [id, slot] = s->begin_client_request(ioc.get_executor());
  s->abandon_client_request(id);
  EXPECT_FALSE(s->complete_client_request(id, json::value(1)));
}

TEST(Session, CancelInFlightRunsTheCancelFunctionForKnownKeysOnly) {
  Session s("abc", "");
  int cancels = 0;
  s.add_in_flight("i:1", [&] { ++cancels; });
  EXPECT_TRUE(s.cancel_in_flight("i:1"));
  EXPECT_FALSE(s.cancel_in_flight("i:2"));
  EXPECT_EQ(cancels, 1);
  s.remove_in_flight("i:1");
  EXPECT_FALSE(s.cancel_in_flight("i:1"));
}

TEST(Session, CloseCancelsInFlightRequestsAndFailsWaitingClientRequests) {
  asio::io_context ioc;
  auto s = std::make_shared<Session>("abc", "");
  int cancels = 0;
  s->add_in_flight("i:1", [&] { ++cancels; });
  s->add_in_flight("s:x", [&] { ++cancels; });
  s->attach_standalone(std::make_shared<NullOutbound>());
  auto [id, slot] = s->begin_client_request(ioc.get_executor());
  auto got = wait_for(ioc, slot, [s] { s->close(); });
  EXPECT_EQ(cancels, 2);
  ASSERT_TRUE(got);
  ASSERT_FALSE(got->ok());
  EXPECT_EQ(got->error().code, ErrorCode::kCancelled);
  EXPECT_TRUE(s->closed());
  EXPECT_EQ(s->standalone(), nullptr);
  EXPECT_FALSE(s->attach_standalone(std::make_shared<NullOutbound>()));
  s->close();  // idempotent
  EXPECT_EQ(cancels, 2);
}

TEST(Session, SubscriptionsAreTracked) {
  Session s("abc", "");
  s.subscribe("x://1");
  EXPECT_TRUE(s.subscribed("x://1"));
  EXPECT_FALSE(s.subscribed("x://2"));
  s.unsubscribe("x://1");
  EXPECT_FALSE(s.subscribed("x://1"));
}

TEST(Session, TouchAdvancesLastActivity) {
  Session s("abc", "");
  auto before = s.last_activity();
  s.touch();
  EXPECT_GE(s.last_activity(), before);
}

}  // namespace
}  // namespace appsignals::mcp

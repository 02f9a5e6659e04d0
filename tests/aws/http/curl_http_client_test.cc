#include "aws/http/curl_http_client.h"

#include <gtest/gtest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <string>
#include <vector>

#include "test_http_server.h"

namespace appsignals::aws {
namespace {

using test::TestHttpServer;
using test::TestRequest;
using test::TestResponse;
namespace asio = boost::asio;

TEST(CurlHttpClient, RoundTripsStatusHeadersAndBody) {
  TestHttpServer server([](const TestRequest& r) {
    return TestResponse::json(201, "{\"echo\":\"" + r.body + "\"}", {{"x-amzn-RequestId", "rid-1"}});
  });
  asio::io_context ioc;
  CurlHttpClient client(ioc.get_executor());
  HttpRequest req;
  req.method = "POST";
  req.url = server.url("/path/a%20b?x=1");
  req.headers = {{"Content-Type", "application/json"}, {"X-Custom", "v"}};
  req.body = std::string(4000, 'a');  // large enough that curl would send Expect: 100-continue
  auto res = test::run_sync(ioc, client.send(req));
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->header("X-AMZN-REQUESTID").value_or(""), "rid-1");
  EXPECT_EQ(res->body, "{\"echo\":\"" + req.body + "\"}");
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].target, "/path/a%20b?x=1");
  EXPECT_EQ(seen[0].header("X-Custom"), "v");
  EXPECT_EQ(seen[0].header("Expect"), "");
  EXPECT_NE(seen[0].header("Accept-Encoding").find("gzip"), std::string::npos);
}

asio::awaitable<int> send_sequentially(HttpClient* client, std::string url, int n) {
  int ok = 0;
  for (int i = 0; i < n; ++i) {
    HttpRequest req;
    req.url = url;
    auto r = co_await client->send(req);
    if (r.ok() && r->status == 200) ++ok;
  }
  co_return ok;
}

TEST(CurlHttpClient, ReusesConnectionsAcrossRequests) {
  TestHttpServer server([](const TestRequest&) { return TestResponse::json(200, "{}"); });
  asio::io_context ioc;
  CurlHttpClient client(ioc.get_executor());
  EXPECT_EQ(test::run_sync(ioc, send_sequentially(&client, server.url("/"), 10)), 10);
  EXPECT_EQ(server.connections(), 1);
}

TEST(CurlHttpClient, ConnectionRefusedIsUnavailable) {
  unsigned short port;
  {
    TestHttpServer server([](const TestRequest&) { return TestResponse::json(200, "{}"); });
    port = server.port();
  }
  asio::io_context ioc;
  CurlHttpClient client(ioc.get_executor());
  HttpRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(port) + "/";
  auto res = test::run_sync(ioc, client.send(req));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::kUnavailable);
}

TEST(CurlHttpClient, ConnectionResetIsUnavailable) {
  TestHttpServer server([](const TestRequest&) { return TestResponse::reset(); });
  asio::io_context ioc;
  CurlHttpClient client(ioc.get_executor());
  HttpRequest req;
  req.url = server.url("/");
  auto res = test::run_sync(ioc, client.send(req));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(res.error().details, "ConnectionError");
}

TEST(CurlHttpClient, TotalTimeoutIsDeadlineExceeded) {
  TestHttpServer server([](const TestRequest&) { return TestResponse::hang(); });
  asio::io_context ioc;
  CurlHttpClient client(ioc.get_executor());
  HttpRequest req;
  req.url = server.url("/");
  req.total_timeout = std::chrono::milliseconds(200);
  auto res = test::run_sync(ioc, client.send(req));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::kDeadlineExceeded);
}

TEST(CurlHttpClient, CancellationSlotAbortsTheTransfer) {
  asio::io_context ioc;
  asio::cancellation_signal cancel;
  TestHttpServer server([&](const TestRequest&) {
    // The request reached the server: cancel it from the client's own thread.
    asio::post(ioc, [&] { cancel.emit(asio::cancellation_type::terminal); });
    return TestResponse::hang();
  });
  CurlHttpClient client(ioc.get_executor());
  HttpRequest req;
  req.url = server.url("/");
  std::optional<Result<HttpResponse>> out;
  asio::co_spawn(ioc, test::as_optional(client.send(req)),
                 asio::bind_cancellation_slot(cancel.slot(), [&](std::exception_ptr,
                                                                 std::optional<Result<HttpResponse>> r) {
                   out = std::move(r);
                 }));
  ioc.run();
  ASSERT_TRUE(out.has_value());
  ASSERT_FALSE(out->ok());
  EXPECT_EQ(out->error().code, ErrorCode::kCancelled);
  EXPECT_EQ(client.in_flight(), 0u);
}

struct Concurrency {
  int ok = 0;
  int ticks = 0;
  bool done = false;
};

asio::awaitable<void> one_request(HttpClient* client, std::string url, std::string expect,
                                  Concurrency* c, int total) {
  HttpRequest req;
  req.url = url;
  auto r = co_await client->send(req);
  if (r.ok() && r->status == 200 && r->body == expect) ++c->ok;
  if (c->ok == total) c->done = true;
}

asio::awaitable<void> heartbeat(Concurrency* c) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  while (!c->done) {
    t.expires_after(std::chrono::milliseconds(1));
    co_await t.async_wait(asio::use_awaitable);
    ++c->ticks;
  }
}

TEST(CurlHttpClient, TwoHundredConcurrentRequestsOnOneIoThread) {
  constexpr int kN = 200;
  // The server answers nothing until all kN requests have arrived, so every request must be in
  // flight at once while the single io thread stays free to drive them.
  TestHttpServer server([](const TestRequest& r) { return TestResponse::json(200, r.target); }, kN);
  asio::io_context ioc;  // run by this thread only
  CurlHttpClient::Options options;
  options.max_in_flight = kN;  // the default cap (64) would queue most of them
  options.max_in_flight_per_key = kN;  // one key: its default share (3/4) would hold some back
  CurlHttpClient client(ioc.get_executor(), options);
  Concurrency c;
  for (int i = 0; i < kN; ++i) {
    std::string path = "/r" + std::to_string(i);
    asio::co_spawn(ioc, one_request(&client, server.url(path), path, &c, kN), asio::detached);
  }
  // A heartbeat on the same thread keeps ticking while the requests wait.
  asio::co_spawn(ioc, heartbeat(&c), asio::detached);
  ioc.run();
  EXPECT_EQ(c.ok, kN);
  EXPECT_EQ(server.requests(), kN);
  EXPECT_GT(c.ticks, 0);
  EXPECT_EQ(client.in_flight(), 0u);
}

TEST(CurlHttpClient, RequestsBeyondTheCapWaitTheirTurnAndAllComplete) {
  constexpr int kN = 40;
  constexpr std::size_t kCap = 4;
  // The gate holds every answer until kCap requests have arrived: the cap is reached, not just
  // respected by requests that happen to finish quickly.
  TestHttpServer server([](const TestRequest& r) { return TestResponse::json(200, r.target); }, kCap);
  asio::io_context ioc;
  CurlHttpClient::Options options;
  options.max_in_flight = kCap;
  options.max_in_flight_per_key = kCap;  // one key may use every slot here
  CurlHttpClient client(ioc.get_executor(), options);
  Concurrency c;
  for (int i = 0; i < kN; ++i) {
    std::string path = "/r" + std::to_string(i);
    asio::co_spawn(ioc, one_request(&client, server.url(path), path, &c, kN), asio::detached);
  }
  ioc.run();
  EXPECT_EQ(c.ok, kN);
  EXPECT_EQ(server.requests(), kN);
  // Never more than kCap transfers at once, so never more than kCap connections (reused).
  EXPECT_LE(server.connections(), static_cast<int>(kCap));
  EXPECT_EQ(client.in_flight(), 0u);
}

// A tool's fan-out (list_slis): workers each sending a few requests in turn, then one request
// alone; ten times. The first round's connections serve every later request. With curl's default
// connection cache (4 x the handles added at that moment) connections were closed whenever a
// round was down to its last transfers and the next round connected again (18-21 connections
// in 3 rounds; this test failed 20 times in 20 without CURLMOPT_MAXCONNECTS).
asio::awaitable<void> worker(HttpClient* client, std::string url, int n, int* ok) {
  for (int i = 0; i < n; ++i) {
    HttpRequest req;
    req.url = url;
    auto r = co_await client->send(req);
    if (r.ok() && r->status == 200) ++*ok;
  }
}

TEST(CurlHttpClient, KeepsAFanOutsConnectionsForTheNextRound) {
  constexpr int kWorkers = 12;
  constexpr int kEach = 3;
  constexpr int kRounds = 10;
  // The first kWorkers requests are held until all have arrived: the fan-out opens kWorkers
  // connections (one per worker) before any of them can be reused.
  TestHttpServer server([](const TestRequest&) { return TestResponse::json(200, "{}"); }, kWorkers);
  asio::io_context ioc;
  CurlHttpClient client(ioc.get_executor());  // defaults: 64 slots, 48 for one key
  int ok = 0;
  for (int round = 0; round < kRounds; ++round) {
    for (int w = 0; w < kWorkers; ++w)
      asio::co_spawn(ioc, worker(&client, server.url("/w"), kEach, &ok), asio::detached);
    ioc.restart();
    ioc.run();
    EXPECT_EQ(test::run_sync(ioc, send_sequentially(&client, server.url("/one"), 1)), 1);
  }
  EXPECT_EQ(ok, kRounds * kWorkers * kEach);
  EXPECT_EQ(server.requests(), kRounds * (kWorkers * kEach + 1));
  EXPECT_EQ(server.connections(), kWorkers);  // every later request reused one of them
  EXPECT_EQ(client.in_flight(), 0u);
}

asio::awaitable<void> send_into(HttpClient* client, HttpRequest req, std::optional<Result<HttpResponse>>* out,
                                std::vector<std::string>* done) {
  std::string url = req.url;
  *out = co_await client->send(std::move(req));
  done->push_back(url.substr(url.rfind('/')));
}

TEST(CurlHttpClient, QueuedRequestsFailAtTheirOwnDeadline) {
  TestHttpServer server([](const TestRequest&) { return TestResponse::hang(); });
  asio::io_context ioc;
  CurlHttpClient::Options options;
  options.max_in_flight = 1;
  CurlHttpClient client(ioc.get_executor(), options);
  HttpRequest first;
  first.url = server.url("/first");
  first.total_timeout = std::chrono::milliseconds(800);
  HttpRequest second;
  second.url = server.url("/second");
  second.total_timeout = std::chrono::milliseconds(100);  // over before the first one frees the slot
  std::optional<Result<HttpResponse>> r1, r2;
  std::vector<std::string> done;
  asio::co_spawn(ioc, send_into(&client, first, &r1, &done), asio::detached);
  asio::co_spawn(ioc, send_into(&client, second, &r2, &done), asio::detached);
  ioc.run();
  ASSERT_TRUE(r1 && r2);
  // The queued request fails at its own deadline, not when the slot frees up.
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[0], "/second");
  ASSERT_FALSE(r1->ok());
  EXPECT_EQ(r1->error().code, ErrorCode::kDeadlineExceeded);
  ASSERT_FALSE(r2->ok());
  EXPECT_EQ(r2->error().code, ErrorCode::kDeadlineExceeded);
  EXPECT_NE(r2->error().message.find("free slot"), std::string::npos) << r2->error().message;
  EXPECT_EQ(r2->error().details, "QueueTimeout");  // not retried into the same queue
  EXPECT_EQ(server.requests(), 1);  // the second never went out
}

TEST(CurlHttpClient, PooledHandlesCarryNoOptionsIntoTheNextRequest) {
  // A POST with custom headers, then a GET on the (reset, reused) handle: nothing of the first
  // request may leak into the second.
  TestHttpServer server([](const TestRequest& r) { return TestResponse::json(200, r.method); });
  asio::io_context ioc;
  CurlHttpClient client(ioc.get_executor());
  HttpRequest post;
  post.method = "POST";
  post.url = server.url("/a");
  post.headers = {{"X-Only-First", "1"}, {"Content-Type", "application/json"}};
  post.body = "{}";
  auto r1 = test::run_sync(ioc, client.send(post));
  ASSERT_TRUE(r1.ok()) << r1.error().to_string();
  HttpRequest get;
  get.url = server.url("/b");
  auto r2 = test::run_sync(ioc, client.send(get));
  ASSERT_TRUE(r2.ok()) << r2.error().to_string();
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[1].method, "GET");
  EXPECT_EQ(seen[1].header("X-Only-First"), "");
  EXPECT_EQ(seen[1].body, "");
}

asio::awaitable<void> send_keyed(HttpClient* client, std::string url, std::string key, int* done) {
  HttpRequest req;
  req.url = std::move(url);
  req.fairness_key = std::move(key);
  (void)co_await client->send(std::move(req));
  ++*done;
}

// Issue #20 (fair share): a key that floods the client holds at most its share of the running
// slots, so another key's request starts at once rather than behind the whole flood. The server
// answers nothing until kCap requests have arrived: which ones arrive first is the slot
// accounting, not timing.
TEST(CurlHttpClient, OneKeyFloodingLeavesASlotForAnother) {
  constexpr std::size_t kCap = 4;
  TestHttpServer server([](const TestRequest& r) { return TestResponse::json(200, r.target); }, kCap);
  asio::io_context ioc;
  CurlHttpClient::Options options;
  options.max_in_flight = kCap;  // per key: 3 of 4
  CurlHttpClient client(ioc.get_executor(), options);
  int done = 0;
  for (int i = 0; i < 20; ++i)
    asio::co_spawn(ioc, send_keyed(&client, server.url("/flood" + std::to_string(i)), "api-key:flooder", &done),
                   asio::detached);
  asio::co_spawn(ioc, send_keyed(&client, server.url("/other"), "api-key:other", &done), asio::detached);
  ioc.run();
  EXPECT_EQ(done, 21);
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 21u);
  std::size_t other_at = seen.size();
  for (std::size_t i = 0; i < seen.size(); ++i)
    if (seen[i].target == "/other") other_at = i;
  EXPECT_LT(other_at, kCap) << "the other key's request waited behind the flood (arrived " << other_at + 1 << "th)";
}

// Queued requests start in turns between keys: with one slot, a late key's request is not
// served after the whole backlog of the first key.
TEST(CurlHttpClient, QueuedRequestsTakeTurnsBetweenKeys) {
  TestHttpServer server([](const TestRequest& r) { return TestResponse::json(200, r.target); });
  asio::io_context ioc;
  CurlHttpClient::Options options;
  options.max_in_flight = 1;
  CurlHttpClient client(ioc.get_executor(), options);
  int done = 0;
  for (int i = 0; i < 6; ++i)
    asio::co_spawn(ioc, send_keyed(&client, server.url("/a" + std::to_string(i)), "a", &done), asio::detached);
  asio::co_spawn(ioc, send_keyed(&client, server.url("/b"), "b", &done), asio::detached);
  ioc.run();
  EXPECT_EQ(done, 7);
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 7u);
  std::size_t b_at = seen.size();
  for (std::size_t i = 0; i < seen.size(); ++i)
    if (seen[i].target == "/b") b_at = i;
  EXPECT_LE(b_at, 2u) << "key b waited behind key a's backlog (arrived " << b_at + 1 << "th)";
  EXPECT_EQ(client.in_flight(), 0u);
}

// ~CurlHttpClient used to post its shutdown to a strand of a context that was already gone
// (ASan/valgrind: heap-use-after-free at process exit). A client may outlive its io_context.
TEST(CurlHttpClient, OutlivesItsIoContext) {
  TestHttpServer server([](const TestRequest& r) { return TestResponse::json(200, r.target); });
  auto ioc = std::make_unique<asio::io_context>();
  auto client = std::make_unique<CurlHttpClient>(ioc->get_executor());
  HttpRequest req;
  req.url = server.url("/once");
  auto r = test::run_sync(*ioc, client->send(req));  // leaves a pooled connection and a socket
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ioc.reset();
  client.reset();  // must touch nothing of the destroyed context
}

asio::awaitable<void> send_owning(std::shared_ptr<CurlHttpClient> client, HttpRequest req) {
  (void)co_await client->send(std::move(req));
}

// The last owner of the client is a coroutine frame suspended in send(): the io_context's
// destructor destroys the frame, which destroys the client in the middle of the context's own
// shutdown, with a transfer running and its socket watched.
TEST(CurlHttpClient, DestroyedWithItsIoContextWhileARequestRuns) {
  auto ioc = std::make_unique<asio::io_context>();
  asio::io_context* raw = ioc.get();
  TestHttpServer server([raw](const TestRequest&) {
    asio::post(*raw, [raw] { raw->stop(); });  // the request is out: stop the loop mid-call
    return TestResponse::hang();
  });
  {
    auto client = std::make_shared<CurlHttpClient>(ioc->get_executor());
    HttpRequest req;
    req.url = server.url("/hang");
    asio::co_spawn(*ioc, send_owning(std::move(client), std::move(req)), asio::detached);
  }
  ioc->run();
  ASSERT_EQ(server.requests(), 1);
  ioc.reset();
}

}  // namespace
}  // namespace appsignals::aws

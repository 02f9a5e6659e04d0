// The HTTP request path without sockets: raw bytes through Beast's request parser (the server's
// header and body limits), then the product's router (origin policy, API-key authentication),
// /health, /info, the OAuth-discovery answer and both MCP transports (Streamable HTTP on /mcp,
// legacy SSE on /sse + /messages/) over the conformance fixture's registry.
//
// The input is a sequence of requests, as on one keep-alive connection. Session ids are random,
// so the literal "$SESSION" in a target or in an Mcp-Session-Id header is replaced by the last
// id the server handed out (Mcp-Session-Id response header, or the SSE endpoint event); the API
// key is kKey below. Every reply is serialized as the server would write it, and its header
// values must be free of CR/LF (no response splitting from request data).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <spdlog/spdlog.h>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>

#include "app/endpoints.h"
#include "conformance/fixture.h"
#include "fuzz_input.h"
#include "mcp/registry.h"
#include "mcp/server.h"
#include "mcp/session_store.h"
#include "mcp/sse_transport.h"
#include "mcp/streamable_http.h"
#include "net/authenticator.h"
#include "net/event_stream.h"
#include "net/origin_policy.h"
#include "net/router.h"
#include "net/server_limits.h"

namespace {

using namespace appsignals;
namespace http = net::http;
namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr std::string_view kKey = "fuzz-api-key-0123456789";

template <class Fields>
void check_fields(const Fields& fields) {
  for (const auto& f : fields) {
    auto v = f.value();
    if (v.find_first_of("\r\n") != std::string_view::npos) std::abort();  // response splitting
  }
}

// Serializes a message the way the server writes it (consumes nothing else).
template <bool isRequest, class Body, class Fields>
std::size_t serialize(http::message<isRequest, Body, Fields>& msg) {
  http::serializer<isRequest, Body, Fields> sr(msg);
  std::size_t total = 0;
  boost::system::error_code ec;
  while (!sr.is_done()) {
    sr.next(ec, [&](boost::system::error_code&, const auto& buffers) {
      std::size_t n = asio::buffer_size(buffers);
      total += n;
      sr.consume(n);
    });
    if (ec) break;
  }
  return total;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  if (to.empty()) return;
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
}

struct Harness {
  asio::io_context ioc{1};
  std::shared_ptr<mcp::McpServer> mcp;
  std::shared_ptr<mcp::SessionStore> sessions;
  std::shared_ptr<mcp::SseTransport> sse;
  std::shared_ptr<net::Router> router;

  explicit Harness(const std::shared_ptr<mcp::Registry>& registry) {
    mcp::ServerInfo info;
    info.name = "appsignals-mcp";
    info.version = "0.0.0";
    auto ex = ioc.get_executor();
    mcp = std::make_shared<mcp::McpServer>(ex, registry, info);
    sessions = std::make_shared<mcp::SessionStore>(ex, std::chrono::seconds(3600));
    auto streamable = std::make_shared<mcp::StreamableHttpTransport>(mcp, sessions, mcp::StreamableHttpOptions{});
    sse = std::make_shared<mcp::SseTransport>(mcp, mcp::SseTransportOptions{});
    app::EndpointFacts facts;
    facts.region = "us-east-1";
    facts.transports = {"sse", "streamable-http"};
    facts.auth_mode = [] { return std::string("api-key"); };
    facts.tls_enabled = [] { return false; };
    router = std::make_shared<net::Router>();
    router->set_origin_policy(net::OriginPolicy::for_bind_address("127.0.0.1"));
    router->set_authenticator(std::make_shared<net::ApiKeyAuthenticator>(std::vector<std::string>{std::string(kKey)}));
    router->add("/health", app::make_health_handler(facts), net::RouteOptions{.require_auth = false, .check_origin = false});
    auto no_oauth = app::make_no_oauth_handler(facts);
    for (const char* prefix : {"/.well-known/", "/mcp/.well-known/", "/sse/.well-known/"})
      router->add_prefix(prefix, no_oauth, net::RouteOptions{.require_auth = false});
    router->add("/info", app::make_info_handler(facts, info, registry));
    router->add("/mcp", streamable);
    router->add("/sse", sse);
    router->add("/messages/", sse);
  }

  ~Harness() {
    sse->close_all();
    sessions->close_all();
    ioc.poll();
  }

  void run() {
    ioc.poll();
    ioc.restart();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool kQuiet = (spdlog::set_level(spdlog::level::off), true);  // logs cost more than the work
  (void)kQuiet;
  static const auto kRegistry = [] {
    auto r = std::make_shared<mcp::Registry>();
    conformance::register_fixture(*r);
    return r;
  }();
  const net::ServerLimits limits;
  Harness h(kRegistry);
  std::string session_id;
  std::vector<std::shared_ptr<net::EventStream>> streams;

  std::string_view rest = fuzz::as_text(data, size);
  for (int round = 0; round < 16 && !rest.empty(); ++round) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
    parser.body_limit(limits.body_limit);
    parser.eager(true);
    boost::system::error_code ec;
    std::size_t used = parser.put(asio::buffer(rest.data(), rest.size()), ec);
    if (ec == http::error::need_more && !parser.is_done()) {
      parser.put_eof(ec);
    }
    if (ec || !parser.is_done()) break;
    rest.remove_prefix(std::min(used, rest.size()));

    net::Request request;
    request.message = parser.release();
    request.remote_address = "127.0.0.1:40000";
    if (!session_id.empty()) {
      std::string target(request.message.target());
      replace_all(target, "$SESSION", session_id);
      request.message.target(target);
      if (request.message["Mcp-Session-Id"] == "$SESSION") request.message.set("Mcp-Session-Id", session_id);
    }

    // Shared: a slow handler may finish after this iteration (or never, then the teardown ends it).
    auto reply = std::make_shared<std::optional<net::Reply>>();
    asio::co_spawn(
        h.ioc,
        [](std::shared_ptr<net::Router> router, net::Request req,
           std::shared_ptr<std::optional<net::Reply>> out) -> asio::awaitable<void> {
          auto r = co_await router->handle(std::move(req));
          *out = std::move(r);
        }(h.router, std::move(request), reply),
        asio::detached);
    h.run();
    if (!*reply) continue;
    if (auto* res = std::get_if<net::Response>(&**reply)) {
      check_fields(*res);
      if (auto sid = (*res)["Mcp-Session-Id"]; !sid.empty()) session_id = std::string(sid);
      res->prepare_payload();
      serialize(*res);
    } else {
      auto& sr = std::get<net::StreamReply>(**reply);
      check_fields(sr.head);
      if (auto sid = sr.head["Mcp-Session-Id"]; !sid.empty()) session_id = std::string(sid);
      serialize(sr.head);
      h.run();
      auto batch = sr.stream->take();
      if (auto pos = batch.data.find("sessionId="); pos != std::string::npos) {
        auto end = batch.data.find_first_of("\r\n&", pos);
        session_id = batch.data.substr(pos + 10, end == std::string::npos ? std::string::npos : end - pos - 10);
      }
      streams.push_back(sr.stream);
    }
  }
  for (auto& s : streams) {
    h.run();
    (void)s->take();
    s->end(net::EndReason::kPeerGone);
  }
  h.run();
  return 0;
}

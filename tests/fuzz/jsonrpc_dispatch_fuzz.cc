// JSON-RPC dispatch (src/mcp/jsonrpc + McpServer) on the conformance fixture's tools, resources,
// prompts and completion (tests/conformance/fixture.*): the input is one message per line, as
// a client would send them over one session (initialize, notifications, calls, responses to the
// server's own requests, cancellations). Everything runs on one thread; the server's handlers
// get the chance to run after every message, and whatever is still pending at the end
// (timers of slow tools, requests to the client) is cancelled with the session.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include <boost/asio/io_context.hpp>
#include <spdlog/spdlog.h>

#include "conformance/fixture.h"
#include "fuzz_input.h"
#include "mcp/jsonrpc.h"
#include "mcp/outbound.h"
#include "mcp/registry.h"
#include "mcp/server.h"
#include "mcp/session.h"

namespace {

using namespace appsignals;

class CountingOutbound final : public mcp::Outbound {
 public:
  bool send(std::string message) override {
    bytes_ += message.size();
    return true;
  }
  std::size_t bytes_ = 0;
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
  std::size_t answered = 0;  // before ioc: handlers destroyed with it may still hold the callback
  boost::asio::io_context ioc(1);
  mcp::ServerInfo info;
  info.name = "appsignals-mcp";
  info.version = "0.0.0";
  auto server = std::make_shared<mcp::McpServer>(ioc.get_executor(), kRegistry, info);
  server->set_page_size(2 + size % 4);  // small pages, so cursors are exercised
  auto session = std::make_shared<mcp::Session>("fuzz-session", "fuzz-principal");
  auto out = std::make_shared<CountingOutbound>();

  std::string_view rest = fuzz::as_text(data, size);
  while (!rest.empty()) {
    auto fields = fuzz::split_fields(rest, 2);
    rest = fields[1];
    auto json = mcp::jsonrpc::parse_json(fields[0]);
    if (!json) continue;
    auto parsed = mcp::jsonrpc::parse_message(*json);
    if (auto* failure = std::get_if<mcp::jsonrpc::Failure>(&parsed)) {
      (void)mcp::jsonrpc::make_error(*failure);
      continue;
    }
    auto& message = std::get<mcp::jsonrpc::Message>(parsed);
    if (message.is_request()) {
      server->dispatch(session, std::move(message), out,
                       [&answered](std::optional<std::string> response) { answered += response ? 1 : 0; });
    } else {
      server->accept(session, message);
    }
    ioc.poll();
    ioc.restart();
  }
  session->close();
  ioc.poll();
  return 0;
}

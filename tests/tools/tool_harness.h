#pragma once
// ToolHarness: the product's tools served by the real MCP engine against the fake AWS sample
// account, in process. Tests call tools exactly as a client would (tools/call through
// McpServer, argument checks included) and can arm faults or read the fake's request log.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "aws/aws_setup.h"
#include "aws/env.h"
#include "fakeaws/fake_aws.h"
#include "mcp/jsonrpc.h"
#include "mcp/server.h"
#include "mcp/session.h"
#include "tools/toolsets.h"

namespace appsignals::testing {

namespace json = boost::json;

// Defined in harness_all.cc for tools_test (which links every toolset); toolset test binaries
// always pass their own registrar.
void register_all(mcp::Registry& registry, std::shared_ptr<const tools::ToolEnv> env);

// What a tools/call returned: the result object, and its text content joined.
struct ToolCallResult {
  json::object result;      // {content, isError?, structuredContent?}
  std::string text;         // all text blocks, joined with "\n"
  bool is_error = false;
  std::optional<json::object> rpc_error;  // a JSON-RPC error instead of a result
};

class ToolHarness {
 public:
  // A fixed "now" shared by the fake account and the tools, so outputs are deterministic
  // (golden tests). 2026-03-02T12:00:00Z.
  static std::chrono::system_clock::time_point fixed_now() {
    return std::chrono::system_clock::time_point(std::chrono::seconds(1772452800));
  }

  // With fixed_clock (the default) the fake's data and the tools' "now" are fixed_now(); the
  // AWS client still signs with the real time (the fake checks signatures against its own
  // clock only for skew, which the harness disables by using the real time there).
  using Registrar = void (*)(mcp::Registry&, std::shared_ptr<const tools::ToolEnv>);
  // Changes the tools' env before the tools are registered (e.g. ToolEnv::set_profiles); gets
  // the server's client context and the fake's endpoint URL.
  using ConfigureEnv =
      std::function<void(tools::ToolEnv&, const std::shared_ptr<aws::ClientContext>&, const std::string& fake_url)>;

  // `registrar` registers the tools under test (one toolset: &tools::register_toolset<&tools::<toolset>_tools>);
  // null registers every toolset through tools::register_tools (links appsignals_tools).
  explicit ToolHarness(Registrar registrar, fakeaws::FakeAwsOptions fake_options = {}, bool fixed_clock = true,
                       ConfigureEnv configure_env = {})
      : work_(boost::asio::make_work_guard(ioc_)) {
    if (fixed_clock && !fake_options.clock) fake_options.clock = [] { return fixed_now(); };
    thread_ = std::thread([this] { ioc_.run(); });
    auto fake = fakeaws::FakeAws::start(ioc_, std::move(fake_options));
    if (!fake) throw std::runtime_error("fake AWS did not start: " + fake.error().message);
    fake_ = std::move(*fake);
    auto creds = fakeaws::FakeAws::demo_credentials();
    aws::MapEnv env;
    env.set("AWS_ENDPOINT_URL", fake_->endpoint_url());
    env.set("AWS_ACCESS_KEY_ID", creds.access_key_id);
    env.set("AWS_SECRET_ACCESS_KEY", creds.secret_access_key);
    env.set("AWS_REGION", "us-east-1");
    env.set("AWS_CONFIG_FILE", "/dev/null");
    env.set("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    env.set("AWS_EC2_METADATA_DISABLED", "true");
    env.set("AWS_MAX_ATTEMPTS", "2");
    auto setup = aws::make_aws_setup(ioc_.get_executor(), env);
    if (!setup) throw std::runtime_error(setup.error().message);
    context_ = setup->context;
    auto tool_env = std::make_shared<tools::ToolEnv>(
        context_, "us-east-1", "", fixed_clock ? tools::ToolEnv::Clock([] { return fixed_now(); }) : tools::ToolEnv::Clock());
    if (configure_env) configure_env(*tool_env, context_, fake_->endpoint_url());
    tool_env_ = std::move(tool_env);
    registry_ = std::make_shared<mcp::Registry>();
    if (registrar) {
      registrar(*registry_, tool_env_);
    } else {
      register_all(*registry_, tool_env_);
    }
    mcp::ServerInfo info{"test", "", "0", "", "", ""};
    server_ = std::make_shared<mcp::McpServer>(ioc_.get_executor(), registry_, info);
    session_ = std::make_shared<mcp::Session>("test-session", "");
    session_->set_protocol_version("2025-06-18");
  }

  ~ToolHarness() {
    if (fake_) {
      auto done = std::make_shared<std::promise<void>>();
      auto f = done->get_future();
      boost::asio::post(ioc_, [this, done] {
        fake_->stop();
        done->set_value();
      });
      f.wait_for(std::chrono::seconds(5));
    }
    work_.reset();
    ioc_.stop();
    if (thread_.joinable()) thread_.join();
  }

  ToolCallResult call(const std::string& name, json::object arguments = {},
                      std::chrono::seconds timeout = std::chrono::seconds(60)) {
    json::object params{{"name", name}, {"arguments", std::move(arguments)}};
    return call_raw(std::move(params), timeout);
  }

  ToolCallResult call_raw(json::object params, std::chrono::seconds timeout = std::chrono::seconds(60)) {
    mcp::jsonrpc::Message m;
    m.kind = mcp::jsonrpc::Kind::kRequest;
    m.id = ++next_id_;
    m.method = "tools/call";
    m.params = std::move(params);
    m.grants = grants_;
    auto promise = std::make_shared<std::promise<std::optional<std::string>>>();
    auto future = promise->get_future();
    server_->dispatch(session_, std::move(m), nullptr,
                      [promise](std::optional<std::string> r) { promise->set_value(std::move(r)); });
    if (future.wait_for(timeout) != std::future_status::ready) throw std::runtime_error("tool call timed out");
    auto text = future.get();
    ToolCallResult out;
    if (!text) throw std::runtime_error("tool call was cancelled");
    auto v = json::parse(*text).as_object();
    if (auto* e = v.if_contains("error")) {
      out.rpc_error = e->as_object();
      return out;
    }
    out.result = v.at("result").as_object();
    out.is_error = out.result.contains("isError") && out.result.at("isError").as_bool();
    for (const auto& block : out.result.at("content").as_array()) {
      const auto& b = block.as_object();
      if (b.at("type") == "text") {
        if (!out.text.empty()) out.text += "\n";
        out.text += std::string(b.at("text").as_string());
      }
    }
    return out;
  }

  // Calls from now on come from a session of `principal` (as an authenticated client's would).
  void set_principal(const std::string& principal) {
    session_ = std::make_shared<mcp::Session>("test-session-" + principal, principal);
    session_->set_protocol_version("2025-06-18");
  }
  // The AWS profiles the calling principal may use (MCP_AWS_PROFILE_MAP), carried on every
  // following call as the transports do (jsonrpc::Message::grants); nullopt: unrestricted.
  void set_aws_profiles(std::optional<std::vector<std::string>> profiles) {
    grants_ = std::make_shared<const mcp::Grants>(mcp::Grants{std::nullopt, std::move(profiles)});
  }

  // Arms a fault on the fake (see fakeaws/faults.h), e.g. {"operation":"ListServices","fault":"throttle","count":10}.
  mcp::Session& session() { return *session_; }
  boost::asio::io_context& io() { return ioc_; }

  void arm_fault(const fakeaws::FaultSpec& spec) { fake_->faults().add(spec); }
  std::vector<fakeaws::RequestRecord> requests() const { return fake_->requests(); }
  fakeaws::FakeAws& fake() { return *fake_; }
  mcp::Registry& registry() { return *registry_; }

 private:
  boost::asio::io_context ioc_{2};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
  std::unique_ptr<fakeaws::FakeAws> fake_;
  std::shared_ptr<aws::ClientContext> context_;
  std::shared_ptr<const tools::ToolEnv> tool_env_;
  std::shared_ptr<mcp::Registry> registry_;
  std::shared_ptr<mcp::McpServer> server_;
  std::shared_ptr<mcp::Session> session_;
  std::shared_ptr<const mcp::Grants> grants_;
  std::int64_t next_id_ = 0;
};

}  // namespace appsignals::testing

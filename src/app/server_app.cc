#include "app/server_app.h"

#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <thread>
#include <vector>

#include "app/api_keys.h"
#include "app/endpoints.h"
#include "common/logging.h"
#include "common/version.h"
#include "mcp/protocol_version.h"
#include "mcp/session_store.h"
#include "mcp/streamable_http.h"
#include "net/http_server.h"
#include "net/origin_policy.h"
#include "net/router.h"

namespace appsignals::app {

namespace asio = boost::asio;
namespace http = net::http;
namespace json = boost::json;

namespace {

// Many idle SSE clients need many descriptors: lift the soft limit to the hard one.
void raise_fd_limit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

}  // namespace

int run_server(const ServeConfig& config, std::shared_ptr<mcp::Registry> registry, mcp::ServerInfo info,
               ServeHooks hooks) {
  raise_fd_limit();
  const unsigned threads = config.threads ? config.threads : std::max(1u, std::thread::hardware_concurrency());
  asio::io_context ioc(static_cast<int>(threads));

  auto mcp_server = std::make_shared<mcp::McpServer>(ioc.get_executor(), registry, info);
  auto sessions = std::make_shared<mcp::SessionStore>(ioc.get_executor(), config.session_idle_timeout);

  net::ServerLimits limits;
  limits.max_connections = config.max_connections;

  mcp::StreamableHttpOptions sh_options;
  sh_options.stateless = config.stateless;
  sh_options.stream_max_frames = limits.stream_max_frames;
  sh_options.stream_max_bytes = limits.stream_max_bytes;
  auto streamable = std::make_shared<mcp::StreamableHttpTransport>(mcp_server, sessions, sh_options);

  auto router = std::make_shared<net::Router>();
  router->set_origin_policy(
      net::OriginPolicy::for_bind_address(config.host, config.allowed_hosts, config.allowed_origins));
  std::shared_ptr<net::ApiKeyAuthenticator> auth;
  {
    auto keys = load_api_keys(config.api_keys, config.api_key_file);
    if (!keys) {
      spdlog::critical("cannot start: {}", keys.error().message);
      return 2;
    }
    if (!keys->empty()) {
      auth = std::make_shared<net::ApiKeyAuthenticator>(*keys);
      router->set_authenticator(auth);
    }
  }
  EndpointFacts facts;
  facts.region = config.region;
  facts.transports = {"streamable-http"};
  facts.public_prefix = config.public_prefix;
  facts.stateless = config.stateless;
  facts.auth_mode = [auth] { return auth ? std::string("api-key") : std::string("disabled"); };
  facts.tls_enabled = [] { return false; };
  router->add("/health", make_health_handler(facts), net::RouteOptions{.require_auth = false, .check_origin = false});
  router->add("/info", make_info_handler(facts, info, registry));
  router->add("/mcp", streamable);

  // Signals are caught from here on, before anything announces that the server is up.
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  asio::signal_set reload(ioc, SIGHUP);

  net::HttpServer server(ioc, router, limits);
  auto port = server.listen(config.host, config.port);
  if (!port) {
    spdlog::critical("cannot start: {}", port.error().message);
    return 1;
  }
  sessions->start_sweeper();
  server.start();

  const std::string url = "http://" + (config.host.find(':') != std::string::npos ? "[" + config.host + "]" : config.host) +
                          ":" + std::to_string(*port);
  spdlog::info("{} {} listening on {}", kProductName, kVersion, url);
  spdlog::info("transports: streamable-http at {}/mcp ({})", url, config.stateless ? "stateless" : "sessions");
  spdlog::info("auth: {}", auth ? "api-key (" + std::to_string(auth->key_count()) + " key(s))" : std::string("disabled"));
  if (!auth && !net::is_loopback_host(config.host))
    spdlog::warn("no MCP_API_KEY set while listening on {}: anyone who can reach this port can use the server",
                 config.host);
  spdlog::info("region: {}", config.region.empty() ? "(none)" : config.region);
  if (hooks.on_listening) hooks.on_listening(*port);

  // Graceful shutdown on SIGINT/SIGTERM: stop accepting, end long-lived streams, let in-flight
  // requests finish; once every connection is gone (or the deadline passes) end the sessions.
  asio::steady_timer grace(ioc);
  std::atomic<bool> stopping{false};
  auto finish = [&ioc, sessions] {
    sessions->close_all();
    asio::post(ioc, [&ioc] { ioc.stop(); });
  };
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    if (stopping.exchange(true)) return;
    spdlog::info("received signal {}: shutting down (up to {} s for in-flight requests)", sig,
                 config.shutdown_grace.count());
    reload.cancel();
    server.set_on_drained(finish);
    server.stop();
    grace.expires_after(config.shutdown_grace);
    grace.async_wait([&](const boost::system::error_code& gec) {
      if (gec) return;
      spdlog::warn("shutdown deadline reached with {} connection(s) open; closing them",
                   server.connection_count());
      finish();
    });
  });

  // SIGHUP re-reads what may change under a running server (rotated keys); a failed reload
  // keeps the current settings.
  std::function<void()> arm_reload;
  arm_reload = [&] {
    reload.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      if (auth && !config.api_key_file.empty()) {
        auto keys = load_api_keys(config.api_keys, config.api_key_file);
        if (keys) {
          auth->set_keys(*keys);
          spdlog::info("SIGHUP: reloaded {} API key(s)", keys->size());
        } else {
          spdlog::error("SIGHUP: keeping the current API keys: {}", keys.error().message);
        }
      }
      arm_reload();
    });
  };
  arm_reload();

  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  spdlog::info("stopped");
  return 0;
}

}  // namespace appsignals::app

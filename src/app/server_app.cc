#include "app/server_app.h"

#include <algorithm>
#include <sys/resource.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <optional>
#include <thread>
#include <vector>

#include "app/api_keys.h"
#include "app/endpoints.h"
#include "app/memory_trim.h"
#include "app/metrics.h"
#include "app/oauth_setup.h"
#include "app/aws_profiles.h"
#include "aws/aws_setup.h"
#include "aws/call_observer.h"
#include "aws/credentials/credentials.h"
#include "cluster/redis_cluster.h"
#include "common/random.h"
#include "common/logging.h"
#include "common/version.h"
#include "mcp/protocol_version.h"
#include "mcp/session_store.h"
#include "mcp/sse_transport.h"
#include "mcp/streamable_http.h"
#include "net/http_server.h"
#include "net/origin_policy.h"
#include "net/router.h"
#include "net/tls_context.h"

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

asio::awaitable<void> log_credential_source(std::shared_ptr<aws::ClientContext> context) {
  auto creds = co_await context->credentials->get();
  if (creds) {
    spdlog::info("aws: credentials from {}", context->credentials->describe());
  } else {
    spdlog::warn("aws: no usable credentials yet ({}); tools will report this until it is fixed",
                 creds.error().message);
  }
}

// Fetches the issuer's metadata and keys once at start, so a wrong issuer shows up in the log
// now rather than as 401s later. Never blocks start-up; requests fetch again when needed.
asio::awaitable<void> log_oauth_keys(std::shared_ptr<net::OAuthAuthenticator> oauth) {
  auto keys = co_await oauth->refresh_keys();
  if (keys) spdlog::info("auth: {} signing key(s) from the issuer's JWKS", *keys);
  else spdlog::warn("auth: cannot load the issuer's keys yet: {}", keys.error().message);
}

}  // namespace

int run_server(const ServeConfig& config, std::shared_ptr<mcp::Registry> registry, mcp::ServerInfo info,
               ServeHooks hooks) {
  raise_fd_limit();
  const unsigned threads = config.threads ? config.threads : std::max(1u, std::thread::hardware_concurrency());
  asio::io_context ioc(static_cast<int>(threads));

  // The AWS client: region, endpoints, credential chain and retry settings from the
  // environment (plus whatever the prepare hook changed, e.g. the demo's fake AWS).
  aws::MapEnv env(std::map<std::string, std::string, std::less<>>(config.env.begin(), config.env.end()));
  std::shared_ptr<void> kept_alive;
  if (hooks.prepare) {
    auto prepared = hooks.prepare(ioc, env);
    if (!prepared) {
      spdlog::critical("cannot start: {}", prepared.error().message);
      return 1;
    }
    kept_alive = std::move(*prepared);
  }
  std::shared_ptr<aws::ClientContext> aws_context;
  std::string region = config.region;
  std::string region_source;
  std::string aws_problem;
  {
    auto setup = aws::make_aws_setup(ioc.get_executor(), env,
                                     region.empty() ? std::nullopt : std::optional<std::string>(region));
    if (setup) {
      aws_context = setup->context;
      region = setup->region;
      region_source = setup->region_source;
    } else {
      aws_problem = setup.error().message;
    }
  }
  if (hooks.register_tools) hooks.register_tools(*registry, aws_context, region);
  // Metrics: tool calls through wrapped handlers, AWS calls through the process's call observer,
  // HTTP replies and auth failures through the router's observer (set below).
  std::shared_ptr<ServerMetrics> metrics;
  if (config.metrics) {
    metrics = std::make_shared<ServerMetrics>();
    metrics->instrument_tools(*registry);
  }
  // Cleared at every exit of run_server, before `metrics` is released (non-owning global).
  aws::ScopedCallObserver call_observer_scope(metrics.get());

  auto mcp_server = std::make_shared<mcp::McpServer>(ioc.get_executor(), registry, info);
  mcp_server->set_state_key(config.state_key);
  mcp_server->set_tool_timeout(config.tool_timeout);
  mcp_server->set_require_grants(true);  // every request over HTTP carries its credential's grants
  if (metrics) mcp_server->set_tool_rejection_hook(metrics->tool_rejection_hook());
  mcp::SessionLimits session_limits;
  session_limits.max_sessions = config.max_sessions;
  session_limits.max_per_principal = std::min(config.max_sessions_per_key, config.max_sessions);
  auto sessions = std::make_shared<mcp::SessionStore>(ioc.get_executor(), config.session_idle_timeout, session_limits);

  // Cluster mode: sessions in Redis (MCP_REDIS_URL); without it, exactly the single instance.
  std::shared_ptr<cluster::RedisCluster> redis_cluster;
  if (!config.redis_url.empty()) {
    auto url = cluster::parse_redis_url(config.redis_url);
    if (!url) {
      spdlog::critical("cannot start: {}", url.error().message);
      return 2;
    }
    auto instance = config.instance_id.empty() ? random_hex(6) : config.instance_id;
    redis_cluster = std::make_shared<cluster::RedisCluster>(ioc.get_executor(), *url, instance);
    spdlog::info("cluster: instance {} sharing sessions through {}", instance, url->display());
  }

  net::ServerLimits limits;
  limits.max_connections = config.max_connections;
  if (rlimit rl{}; getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
    limits.max_connections = clamp_connections_to_fd_limit(config.max_connections, rl.rlim_cur);
    if (limits.max_connections < config.max_connections)
      spdlog::warn("MCP_MAX_CONNECTIONS {} exceeds what the descriptor limit ({}) allows: serving at most {} "
                   "connections (raise `ulimit -n` for more)",
                   config.max_connections, static_cast<std::uint64_t>(rl.rlim_cur), limits.max_connections);
  }
  limits.stream_max_bytes = config.stream_max_bytes;
  limits.stream_budget_bytes = config.stream_budget_bytes;
  auto stream_budget = std::make_shared<net::StreamBudget>(limits.stream_budget_bytes);

  mcp::StreamableHttpOptions sh_options;
  sh_options.stateless = config.stateless;
  sh_options.stream_max_frames = limits.stream_max_frames;
  sh_options.stream_max_bytes = limits.stream_max_bytes;
  sh_options.stream_budget = stream_budget;
  sh_options.cluster = redis_cluster;
  sh_options.record_ttl = config.session_idle_timeout;
  auto streamable = std::make_shared<mcp::StreamableHttpTransport>(mcp_server, sessions, sh_options);
  mcp::SseTransportOptions sse_options;
  sse_options.public_prefix = config.public_prefix;
  sse_options.stream_max_frames = limits.stream_max_frames;
  sse_options.stream_max_bytes = limits.stream_max_bytes;
  sse_options.stream_budget = stream_budget;
  sse_options.cluster = redis_cluster;
  sse_options.max_streams = session_limits.max_sessions;
  sse_options.max_streams_per_principal = session_limits.max_per_principal;
  auto sse = std::make_shared<mcp::SseTransport>(mcp_server, sse_options);

  // Direct TLS: a bad certificate or key is a start-up error, never a silent fall back to HTTP.
  std::shared_ptr<boost::asio::ssl::context> tls;
  if (!config.tls_cert.empty() || !config.tls_key.empty()) {
    if (config.tls_cert.empty() || config.tls_key.empty()) {
      spdlog::critical("cannot start: TLS needs both SSL_CERTFILE (--tls-cert) and SSL_KEYFILE (--tls-key)");
      return 2;
    }
    auto ctx = net::load_tls_context(config.tls_cert, config.tls_key);
    if (!ctx) {
      spdlog::critical("cannot start: {}", ctx.error().message);
      return 2;
    }
    tls = *ctx;
  }
  std::atomic<bool> tls_on{tls != nullptr};

  auto router = std::make_shared<net::Router>();
  router->set_origin_policy(
      net::OriginPolicy::for_bind_address(config.host, config.allowed_hosts, config.allowed_origins));
  std::shared_ptr<net::ApiKeyAuthenticator> auth;
  // The keys in force, in order: MCP_AWS_PROFILE_MAP's `api-key#<n>` names a key by its place.
  std::vector<std::string> keys_in_force;
  {
    auto keys = load_api_keys(config.api_keys, config.api_key_file);
    if (!keys) {
      spdlog::critical("cannot start: {}", keys.error().message);
      return 2;
    }
    keys_in_force = *keys;
    if (!keys->empty()) {
      auth = std::make_shared<net::ApiKeyAuthenticator>(*keys);
      // One principal per key on every instance (cluster session records are bound to it).
      auth->set_principal_secret(config.state_key);
      router->set_authenticator(auth);
      if (redis_cluster && config.state_key.empty()) {
        spdlog::critical(
            "cannot start: cluster mode (MCP_REDIS_URL) with API keys needs MCP_STATE_KEY, the same on every "
            "instance (it keys the principal a session is bound to; without it a session works only on the "
            "instance that created it)");
        return 2;
      }
    }
  }
  router->set_profile_map(profile_map_of(config));  // MCP_AWS_PROFILE_MAP; nullptr when unset
  if (config.rate_limit_per_minute > 0)
    router->set_rate_limiter(std::make_shared<net::RateLimiter>(config.rate_limit_per_minute));
  EndpointFacts facts;
  facts.region = region;
  facts.transports = {"sse", "streamable-http"};
  facts.public_prefix = config.public_prefix;
  facts.stateless = config.stateless;
  std::weak_ptr<net::Router> weak_router = router;  // the router holds these handlers
  facts.auth_mode = [weak_router] {
    auto r = weak_router.lock();
    return r && r->authenticator() ? r->authenticator()->mode() : std::string("disabled");
  };
  facts.tls_enabled = [&tls_on] { return tls_on.load(); };
  router->add("/health", make_health_handler(facts), net::RouteOptions{.require_auth = false, .check_origin = false});
  // OAuth discovery gets a public 404 that names the API key (see make_no_oauth_handler).
  // With OAuth on, install_oauth adds the protected resource metadata there instead.
  auto no_oauth = make_no_oauth_handler(facts);
  if (!config.oauth.enabled())
    for (const char* prefix : {"/.well-known/", "/mcp/.well-known/", "/sse/.well-known/"})
      router->add_prefix(prefix, no_oauth, net::RouteOptions{.require_auth = false});
  router->add("/info", make_info_handler(facts, info, registry));
  if (metrics) {
    // Behind the same authentication as /info; MCP_METRICS=off leaves it unrouted (404).
    router->add("/metrics", make_metrics_handler(metrics));
    router->set_observer(metrics);
  }
  router->add("/mcp", streamable);
  router->add("/sse", sse);
  router->add("/messages/", sse);

  // Signals are caught from here on, before anything announces that the server is up.
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  asio::signal_set reload(ioc, SIGHUP);

  net::HttpServer server(ioc, router, limits);
  // Cleared at every exit of run_server, before server, sse and sessions die.
  std::optional<ScopedGauges> gauges_scope;
  if (metrics) {
    MetricsGauges gauges;
    // Non-owning: valid while set (gauges_scope).
    gauges.open_connections = [srv = &server] { return srv->connection_count(); };
    gauges.sse_streams = [s = sse.get()] { return s->session_count(); };
    gauges.sessions_streamable = [s = sessions.get()] { return s->size(); };
    gauges_scope.emplace(*metrics, std::move(gauges));
  }
  if (metrics) server.set_observer(metrics);  // the replies the router never sees
  if (tls) server.set_tls_context(tls);
  auto port = server.listen(config.host, config.port);
  if (!port) {
    spdlog::critical("cannot start: {}", port.error().message);
    return 1;
  }
  // OAuth 2.1 resource server: its default resource is the /mcp URL, known now.
  std::shared_ptr<net::OAuthAuthenticator> oauth;
  if (config.oauth.enabled()) {
    auto installed = install_oauth(config, *port, tls != nullptr, ioc.get_executor(),
                                   OAuthInstall{router, mcp_server, registry, streamable, auth});
    if (!installed) {
      spdlog::critical("cannot start: {}", installed.error().message);
      return 2;
    }
    oauth = *installed;
  }
  sessions->start_sweeper();
  if (redis_cluster && metrics)
    redis_cluster->set_error_hook([metrics, count = metrics->redis_error_hook()] { count(); });
  if (redis_cluster) redis_cluster->start();
  server.start();
  // After a burst, free heap goes back to the kernel instead of pinning the high-water mark.
  MemoryTrimmer trimmer(ioc.get_executor(), std::chrono::seconds(5), 4u << 20);
  trimmer.start();

  const std::string scheme = tls ? "https" : "http";
  const std::string host_part = config.host.find(':') != std::string::npos ? "[" + config.host + "]" : config.host;
  const std::string url = scheme + "://" + host_part + ":" + std::to_string(*port);
  // Clients connect to a concrete name; 0.0.0.0 is not one.
  const std::string client_host = (config.host == "0.0.0.0" || config.host == "::") ? "<this-host>" : host_part;
  const std::string client_base = scheme + "://" + client_host + ":" + std::to_string(*port) + config.public_prefix;
  spdlog::info("{} {} listening on {}", kProductName, kVersion, url);
  spdlog::info("transports: streamable-http at {}/mcp ({}), legacy sse at {}/sse", client_base,
               config.stateless ? "stateless" : "sessions", client_base);
  spdlog::info("auth: {}", auth ? "api-key (" + std::to_string(auth->key_count()) + " key(s))" : std::string("disabled"));
  if (oauth) {
    spdlog::info("auth: OAuth 2.1 resource {} (issuer {}, metadata {}; scopes {} / {})", oauth->options().resource,
                 config.oauth.issuer, oauth->options().resource_metadata_url, config.oauth.read_scope,
                 config.oauth.write_scope);
    asio::co_spawn(ioc, log_oauth_keys(oauth), asio::detached);
  }
  spdlog::info("2026-07-28 requestState key: {}", config.state_key.empty() ? "random per process (set MCP_STATE_KEY on every instance behind one address)" : "MCP_STATE_KEY (set)");
  spdlog::info("metrics: {}", metrics ? "GET " + client_base + "/metrics (same authentication as /info)"
                                      : std::string("off (MCP_METRICS=off)"));
  spdlog::info("tool calls: at most {} s each (MCP_TOOL_TIMEOUT{})", config.tool_timeout.count(),
               config.tool_timeout.count() == 0 ? ": 0 means no limit" : "");
  spdlog::info("tls: {}", tls ? "on (" + config.tls_cert + ")" : std::string("off"));
  if (!auth && !oauth && !net::is_loopback_host(config.host))
    spdlog::warn("no MCP_API_KEY set while listening on {}: anyone who can reach this port can use the server",
                 config.host);
  if (aws_context) {
    spdlog::info("aws: region {} (from {})", region, region_source);
    // Resolve the credentials once in the background so the log names their source (and a
    // broken source shows up at start, not at the first tool call). Never blocks start-up.
    asio::co_spawn(ioc, log_credential_source(aws_context), asio::detached);
  } else {
    spdlog::warn("aws: {}", aws_problem);
  }
  const std::string header = auth ? R"(, "headers": {"Authorization": "Bearer <your key>"})" : "";
  spdlog::info("client configuration (Streamable HTTP): {{\"type\": \"http\", \"url\": \"{}/mcp\"{}}}", client_base, header);
  spdlog::info("client configuration (legacy SSE):      {{\"type\": \"sse\", \"url\": \"{}/sse\"{}}}", client_base, header);
  if (hooks.on_listening) hooks.on_listening(*port);

  // Graceful shutdown on SIGINT/SIGTERM: stop accepting, end long-lived streams, let in-flight
  // requests finish; once every connection is gone (or the deadline passes) end the sessions.
  asio::steady_timer grace(ioc);
  std::atomic<bool> stopping{false};
  auto finish = [&ioc, sessions, sse, redis_cluster] {
    sessions->close_all();
    sse->close_all();
    if (redis_cluster) redis_cluster->stop();
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
      if (tls) {
        // Certificate renewals: new connections use the new pair, open ones keep theirs.
        auto ctx = net::load_tls_context(config.tls_cert, config.tls_key);
        if (ctx) {
          server.set_tls_context(*ctx);
          spdlog::info("SIGHUP: reloaded the TLS certificate and key");
        } else {
          spdlog::error("SIGHUP: keeping the current TLS certificate: {}", ctx.error().message);
        }
      }
      if (auth && !config.api_key_file.empty()) {
        auto keys = load_api_keys(config.api_keys, config.api_key_file);
        // A map naming keys by position: a reload that moves or removes a key would hand a key
        // another key's profiles. Only keys added after the current ones are taken; else restart.
        const bool by_position = config.aws_profile_map.find("api-key#") != std::string::npos;
        const bool moved = keys && (keys->size() < keys_in_force.size() ||
                                    !std::equal(keys_in_force.begin(), keys_in_force.end(), keys->begin()));
        if (keys && by_position && moved) {
          spdlog::error("SIGHUP: keeping the current API keys: MCP_AWS_PROFILE_MAP names keys by their place "
                        "(api-key#<n>) and the new key file moves or removes some; restart the server to apply it");
        } else if (keys) {
          keys_in_force = *keys;
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

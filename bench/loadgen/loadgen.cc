// loadgen: a small asynchronous HTTP/1.1 load generator for the MCP benchmark (bench/run.sh).
//
// One thread, one io_context, N keep-alive connections, each with one request in flight (a
// closed-loop generator: throughput is what the server sustains at that concurrency). Every
// completed request's latency (send start to full reply) is kept in a vector and sorted at the
// end, so p50/p99 are exact, not bucketed. Its own CPU (getrusage) over the measured window is
// reported so a reader can tell whether the generator, not the server, was the limit.
//
// Modes
//   http      POST --body to --url on N connections. --session: each connection first sends
//             initialize + notifications/initialized and then carries the Mcp-Session-Id.
//   sse       legacy HTTP+SSE: per connection, GET --url (the /sse stream), read the endpoint
//             event, then POST --body to that endpoint on a second keep-alive connection and
//             time until the reply event arrives on the stream (initialize handshake first).
//   idle-sse  open --count GET --url streams, wait for each endpoint event, print the result
//             line, then hold them for --hold seconds (or until SIGTERM) while draining pings.
//             With an https:// URL the streams are TLS (certificate not verified): the
//             server's memory per idle TLS connection.
//
// Output: one JSON object on stdout.
//
// Build: g++ -O2 -std=c++20 loadgen.cc -o loadgen -lboost_json -lssl -lcrypto -lpthread
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <netinet/in.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using asio::awaitable;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

struct Options {
  std::string mode = "http";
  bool tls = false;  // an https:// URL (idle-sse only)
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string path = "/";
  std::string body;
  std::vector<std::string> headers;
  int connections = 1;
  double duration = 3.0;
  double warmup = 0.5;
  long requests = 0;  // > 0: stop after this many measured requests instead of a duration
  bool session = false;
  int count = 1000;
  double hold = 3600;
  int sources = 1;  // bind to 127.0.0.1 .. 127.0.0.N round-robin (ephemeral ports per address)
  int connect_parallel = 256;
  std::string expect;  // a reply body must contain this, else it counts as an error
  std::string reject;  // a reply body must not contain this
  std::string protocol_version = "2025-06-18";
  double timeout = 30.0;  // hard cap on the whole run beyond duration
};

struct State {
  explicit State(asio::io_context& c) : ioc(c), gate(c) { gate.expires_at(Clock::time_point::max()); }
  asio::io_context& ioc;
  Options opt;
  asio::steady_timer gate;  // released when every connection finished its set-up
  int ready = 0;
  int active = 0;
  bool stop = false;
  Clock::time_point measure_start = Clock::time_point::max();
  Clock::time_point measure_end = Clock::time_point::max();
  long budget = 0;  // remaining requests in --requests mode
  std::vector<std::uint64_t> latencies_ns;
  long errors = 0;
  long total_ok = 0;  // successful replies including warm-up (for server CPU per request)
  long setup_errors = 0;
  long reconnects = 0;
  std::string first_error;
  // idle-sse
  int opened = 0;
  int failed = 0;
  int connect_slots = 0;
  asio::steady_timer* slot_timer = nullptr;

  void error(const std::string& what) {
    ++errors;
    if (first_error.empty()) first_error = what;
  }
};

static double rusage_cpu() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void raise_nofile() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

// Connects from 127.0.0.(1 + index % sources) so that K connections to one port are not limited
// by one source address's ephemeral range; IP_BIND_ADDRESS_NO_PORT defers the port choice to
// connect() so the 4-tuple, not the source port alone, must be unique.
static awaitable<boost::system::error_code> connect(tcp::socket& sock, const Options& opt, int index) {
  boost::system::error_code ec;
  tcp::endpoint remote(asio::ip::make_address(opt.host, ec), opt.port);
  if (ec) co_return ec;
  sock.open(tcp::v4(), ec);
  if (ec) co_return ec;
  sock.set_option(tcp::no_delay(true), ec);
  if (opt.sources > 1) {
    int one = 1;
    ::setsockopt(sock.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    asio::ip::address_v4::bytes_type b{127, 0, 0, static_cast<unsigned char>(1 + index % opt.sources)};
    sock.bind(tcp::endpoint(asio::ip::address_v4(b), 0), ec);
    if (ec) co_return ec;
  }
  auto [cec] = co_await sock.async_connect(remote, kTuple);
  co_return cec;
}

static std::string host_header(const Options& opt) { return opt.host + ":" + std::to_string(opt.port); }

static std::string post_bytes(const Options& opt, const std::string& target, const std::string& body,
                              const std::string& session_id) {
  std::string r;
  r.reserve(512 + body.size());
  r += "POST " + target + " HTTP/1.1\r\nHost: " + host_header(opt) +
       "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n";
  r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  for (const auto& h : opt.headers) r += h + "\r\n";
  if (!session_id.empty()) {
    r += "Mcp-Session-Id: " + session_id + "\r\nMcp-Protocol-Version: " + opt.protocol_version + "\r\n";
  }
  r += "\r\n";
  r += body;
  return r;
}

static std::string initialize_body(const Options& opt) {
  return R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":")" + opt.protocol_version +
         R"(","capabilities":{},"clientInfo":{"name":"loadgen","version":"1"}}})";
}
static const std::string kInitialized = R"({"jsonrpc":"2.0","method":"notifications/initialized"})";

struct Reply {
  boost::system::error_code ec;
  unsigned status = 0;
  bool keep_alive = false;
  std::string session_id;
  // The body: a view into the connection's receive buffer (valid until the next read on that
  // connection), or `owned` when it had to be assembled (chunked encoding, SSE events).
  std::string_view view;
  std::string owned;
  bool use_owned = false;
  std::string_view body() const { return use_owned ? std::string_view(owned) : view; }
  std::string excerpt(std::size_t n = 300) const { return std::string(body().substr(0, n)); }
};

// A connection's receive buffer: bytes [begin, end) of `mem` are received and not yet consumed.
// Replies are parsed in place (no per-reply allocation on the Content-Length path), so the
// generator spends its CPU on the socket, not on copying 26 KB bodies around.
struct RecvBuf {
  std::vector<char> mem = std::vector<char>(128 * 1024);
  std::size_t begin = 0, end = 0;
  std::string_view view() const { return {mem.data() + begin, end - begin}; }
  void consume(std::size_t n) {
    begin += n;
    if (begin == end) begin = end = 0;
  }
  void clear() { begin = end = 0; }
  void make_room(std::size_t want) {
    if (mem.size() - end >= want) return;
    std::memmove(mem.data(), mem.data() + begin, end - begin);
    end -= begin;
    begin = 0;
    if (mem.size() - end < want) mem.resize(std::max(mem.size() * 2, end + want));
  }
};

static awaitable<boost::system::error_code> fill(tcp::socket& sock, RecvBuf& rb) {
  rb.make_room(16 * 1024);
  auto [ec, n] = co_await sock.async_read_some(asio::buffer(rb.mem.data() + rb.end, rb.mem.size() - rb.end), kTuple);
  rb.end += n;
  co_return ec;
}

static bool iequals_prefix(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  return true;
}

static std::string_view header_value(std::string_view line, std::size_t name_len) {
  auto v = line.substr(name_len + 1);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

static bool contains(std::string_view hay, std::string_view needle) {
  return needle.empty() || ::memmem(hay.data(), hay.size(), needle.data(), needle.size()) != nullptr;
}

// Reads one HTTP/1.1 response with a Content-Length or chunked body.
static awaitable<Reply> read_reply(tcp::socket& sock, RecvBuf& rb) {
  Reply r;
  std::size_t hend;
  while ((hend = rb.view().find("\r\n\r\n")) == std::string_view::npos) {
    if (rb.end - rb.begin > 64 * 1024) {
      r.ec = make_error_code(boost::system::errc::message_size);
      co_return r;
    }
    if (auto ec = co_await fill(sock, rb)) {
      r.ec = ec;
      co_return r;
    }
  }
  std::string_view head = rb.view().substr(0, hend);
  bool http11 = head.starts_with("HTTP/1.1");
  if (head.size() < 12 || !head.starts_with("HTTP/1.")) {
    r.ec = make_error_code(boost::system::errc::protocol_error);
    co_return r;
  }
  r.status = static_cast<unsigned>(std::atoi(std::string(head.substr(9, 3)).c_str()));
  r.keep_alive = http11;
  std::size_t content_length = 0;
  bool chunked = false;
  std::size_t pos = head.find("\r\n");
  while (pos != std::string_view::npos && pos < head.size()) {
    std::size_t next = head.find("\r\n", pos + 2);
    std::string_view line = head.substr(pos + 2, next == std::string_view::npos ? std::string_view::npos : next - pos - 2);
    if (iequals_prefix(line, "content-length")) {
      content_length = std::strtoull(std::string(header_value(line, 14)).c_str(), nullptr, 10);
    } else if (iequals_prefix(line, "transfer-encoding")) {
      chunked = contains(header_value(line, 17), "chunked");
    } else if (iequals_prefix(line, "connection")) {
      auto v = header_value(line, 10);
      if (contains(v, "close")) r.keep_alive = false;
      if (contains(v, "keep-alive")) r.keep_alive = true;
    } else if (iequals_prefix(line, "mcp-session-id")) {
      r.session_id = std::string(header_value(line, 14));
    }
    pos = next;
  }
  rb.consume(hend + 4);
  if (!chunked) {
    while (rb.end - rb.begin < content_length) {
      rb.make_room(content_length - (rb.end - rb.begin));
      if (auto ec = co_await fill(sock, rb)) {
        r.ec = ec;
        co_return r;
      }
    }
    r.view = rb.view().substr(0, content_length);
    rb.consume(content_length);  // the bytes stay in place until the next read
    co_return r;
  }
  r.use_owned = true;
  for (;;) {
    std::size_t eol;
    while ((eol = rb.view().find("\r\n")) == std::string_view::npos)
      if (auto ec = co_await fill(sock, rb)) {
        r.ec = ec;
        co_return r;
      }
    std::size_t size = std::strtoull(std::string(rb.view().substr(0, eol)).c_str(), nullptr, 16);
    rb.consume(eol + 2);
    while (rb.end - rb.begin < size + 2) {
      rb.make_room(size + 2 - (rb.end - rb.begin));
      if (auto ec = co_await fill(sock, rb)) {
        r.ec = ec;
        co_return r;
      }
    }
    r.owned.append(rb.view().substr(0, size));
    rb.consume(size + 2);  // data + CRLF (the last chunk: CRLF of an empty trailer)
    if (size == 0) co_return r;
  }
}

static awaitable<Reply> round_trip(tcp::socket& sock, RecvBuf& buf, const std::string& bytes) {
  auto [wec, wn] = co_await asio::async_write(sock, asio::buffer(bytes), kTuple);
  if (wec) {
    Reply r;
    r.ec = wec;
    co_return r;
  }
  co_return co_await read_reply(sock, buf);
}

static bool reply_ok(State& st, const Reply& r) {
  if (r.ec) {
    st.error("io: " + r.ec.message());
    return false;
  }
  if (r.status < 200 || r.status >= 300) {
    st.error("HTTP " + std::to_string(r.status) + ": " + r.excerpt());
    return false;
  }
  if (!contains(r.body(), st.opt.expect)) {
    st.error("reply lacks expected text: " + r.excerpt());
    return false;
  }
  if (!st.opt.reject.empty() && contains(r.body(), st.opt.reject)) {
    st.error("reply has rejected text: " + r.excerpt());
    return false;
  }
  return true;
}

// Waits at the gate until every connection is set up, so the measured window starts with all N
// connections ready (connect and initialize are not measured).
static awaitable<void> arrive(std::shared_ptr<State> st) {
  if (++st->ready == st->opt.connections) {
    st->gate.cancel();
  } else {
    co_await st->gate.async_wait(kTuple);
  }
}

// True when the request that started at t0 and ended at t1 falls in the measured window.
static bool record(State& st, Clock::time_point t0, Clock::time_point t1) {
  ++st.total_ok;
  if (t0 < st.measure_start || t1 > st.measure_end) return false;
  st.latencies_ns.push_back(static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
  if (st.opt.requests > 0 && --st.budget <= 0) st.stop = true;
  return true;
}

// ---- http mode ---------------------------------------------------------------------------------

static awaitable<void> http_worker(std::shared_ptr<State> st, int index) {
  ++st->active;
  const Options& opt = st->opt;
  tcp::socket sock(st->ioc);
  RecvBuf buf;
  std::string session_id;
  std::string bytes;
  bool arrived = false;
  bool connected = false;
  while (true) {
    if (!connected) {
      if (st->stop) break;
      boost::system::error_code cec = co_await connect(sock, opt, index);
      if (cec) {
        st->error("connect: " + cec.message());
        if (!arrived) ++st->setup_errors;
        break;
      }
      connected = true;
      buf.clear();
      if (opt.session && session_id.empty()) {
        Reply init = co_await round_trip(sock, buf, post_bytes(opt, opt.path, initialize_body(opt), ""));
        if (init.ec || init.status >= 300 || init.session_id.empty()) {
          st->error("initialize: HTTP " + std::to_string(init.status) + " " + init.ec.message() +
                    (init.session_id.empty() ? " (no Mcp-Session-Id) " : " ") + init.excerpt(200));
          ++st->setup_errors;
          break;
        }
        session_id = init.session_id;
        Reply note = co_await round_trip(sock, buf, post_bytes(opt, opt.path, kInitialized, session_id));
        if (note.ec || note.status >= 300) {
          st->error("notifications/initialized: HTTP " + std::to_string(note.status));
          ++st->setup_errors;
          break;
        }
        if (!note.keep_alive) {
          sock.close();
          connected = false;
        }
      }
      bytes = post_bytes(opt, opt.path, opt.body, session_id);
      if (!arrived) {
        arrived = true;
        co_await arrive(st);
      }
      if (!connected) continue;
    }
    if (st->stop) break;
    auto t0 = Clock::now();
    Reply r = co_await round_trip(sock, buf, bytes);
    auto t1 = Clock::now();
    if (st->stop && t1 > st->measure_end) break;
    if (!r.ec && reply_ok(*st, r)) {
      record(*st, t0, t1);
    } else if (r.ec) {
      sock.close();
      connected = false;
      ++st->reconnects;
      continue;
    }
    if (!r.keep_alive) {
      sock.close();
      connected = false;
      ++st->reconnects;
    }
  }
  if (!arrived) co_await arrive(st);
  boost::system::error_code ignored;
  sock.close(ignored);
  --st->active;
}

// ---- SSE helpers -------------------------------------------------------------------------------

struct SseEvent {
  std::string event;
  std::string data;
};

// An SSE stream over an HTTP/1.1 response read incrementally (chunked or close-delimited).
struct SseReader {
  explicit SseReader(asio::io_context& ioc) : sock(ioc) { parser.body_limit(boost::none); }
  tcp::socket sock;
  beast::flat_buffer buf;
  http::response_parser<http::buffer_body> parser;
  std::string pending;
  std::size_t scanned = 0;  // bytes of `pending` already searched for an event's end
  char chunk[65536];

  awaitable<boost::system::error_code> open(const Options& opt, int index) {
    auto ec = co_await connect(sock, opt, index);
    if (ec) co_return ec;
    std::string req = "GET " + opt.path + " HTTP/1.1\r\nHost: " + host_header(opt) + "\r\nAccept: text/event-stream\r\n";
    for (const auto& h : opt.headers) req += h + "\r\n";
    req += "\r\n";
    auto [wec, wn] = co_await asio::async_write(sock, asio::buffer(req), kTuple);
    if (wec) co_return wec;
    auto [hec, hn] = co_await http::async_read_header(sock, buf, parser, kTuple);
    if (hec) co_return hec;
    if (parser.get().result_int() != 200) co_return make_error_code(boost::system::errc::protocol_error);
    co_return boost::system::error_code{};
  }

  // Next complete event, or an error when the stream ends.
  awaitable<std::pair<boost::system::error_code, SseEvent>> next() {
    while (true) {
      if (auto ev = take()) co_return std::pair{boost::system::error_code{}, std::move(*ev)};
      if (parser.is_done()) co_return std::pair{boost::system::error_code(asio::error::eof), SseEvent{}};
      parser.get().body().data = chunk;
      parser.get().body().size = sizeof chunk;
      auto [ec, n] = co_await http::async_read_some(sock, buf, parser, kTuple);
      if (ec && ec != http::error::need_buffer) co_return std::pair{ec, SseEvent{}};
      pending.append(chunk, sizeof chunk - parser.get().body().size);
    }
  }

  std::optional<SseEvent> take() {
    while (true) {
      std::size_t end = std::string::npos, skip = 0;
      if (auto a = pending.find("\n\n", scanned); a != std::string::npos) end = a, skip = 2;
      if (auto b = pending.find("\r\n\r\n", scanned); b != std::string::npos && b < end) end = b, skip = 4;
      if (end == std::string::npos) {
        scanned = pending.size() > 3 ? pending.size() - 3 : 0;  // a separator may straddle reads
        return std::nullopt;
      }
      // Lines are views into `pending`; only the data is copied, once.
      std::string_view block(pending.data(), end);
      SseEvent ev;
      std::size_t pos = 0;
      while (pos <= block.size()) {
        std::size_t nl = block.find('\n', pos);
        std::string_view line = block.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.starts_with("event:")) {
          ev.event = std::string(line.substr(line.size() > 6 && line[6] == ' ' ? 7 : 6));
        } else if (line.starts_with("data:")) {
          if (!ev.data.empty()) ev.data += "\n";
          ev.data += line.substr(line.size() > 5 && line[5] == ' ' ? 6 : 5);
        }
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
      }
      pending.erase(0, end + skip);
      scanned = 0;
      if (ev.event.empty() && ev.data.empty()) continue;  // a comment (keep-alive ping)
      if (ev.event.empty()) ev.event = "message";
      return ev;
    }
  }
};

// The endpoint event carries a path (ours: /messages/?session_id=..., the SDK's:
// /messages?sessionId=...), possibly as an absolute URL.
static std::string endpoint_target(const std::string& data) {
  if (data.rfind("http://", 0) == 0 || data.rfind("https://", 0) == 0) {
    auto slash = data.find('/', data.find("//") + 2);
    return slash == std::string::npos ? "/" : data.substr(slash);
  }
  return data;
}

// Reads stream events until a JSON-RPC message event arrives.
static awaitable<std::pair<boost::system::error_code, SseEvent>> next_message(SseReader& sse) {
  while (true) {
    auto [ec, ev] = co_await sse.next();
    if (ec || ev.event == "message") co_return std::pair{ec, std::move(ev)};
  }
}

// ---- sse mode ----------------------------------------------------------------------------------

static awaitable<void> sse_worker(std::shared_ptr<State> st, int index) {
  ++st->active;
  const Options& opt = st->opt;
  SseReader sse(st->ioc);
  tcp::socket post(st->ioc);
  RecvBuf buf;
  std::string target, bytes;
  bool ok = false;
  do {
    if (auto ec = co_await sse.open(opt, index); ec) {
      st->error("GET sse: " + ec.message());
      break;
    }
    auto [eec, ev] = co_await sse.next();
    if (eec || ev.event != "endpoint") {
      st->error("no endpoint event: " + (eec ? eec.message() : ev.event));
      break;
    }
    target = endpoint_target(ev.data);
    if (auto ec = co_await connect(post, opt, index); ec) {
      st->error("connect: " + ec.message());
      break;
    }
    Reply init = co_await round_trip(post, buf, post_bytes(opt, target, initialize_body(opt), ""));
    if (init.ec || init.status >= 300) {
      st->error("initialize POST: HTTP " + std::to_string(init.status) + " " + init.ec.message() + " " + init.excerpt(200));
      break;
    }
    auto [iec, iev] = co_await next_message(sse);
    if (iec) {
      st->error("initialize reply: " + iec.message());
      break;
    }
    Reply note = co_await round_trip(post, buf, post_bytes(opt, target, kInitialized, ""));
    if (note.ec || note.status >= 300) {
      st->error("notifications/initialized: HTTP " + std::to_string(note.status));
      break;
    }
    bytes = post_bytes(opt, target, opt.body, "");
    ok = true;
  } while (false);
  if (!ok) ++st->setup_errors;
  co_await arrive(st);
  while (ok && !st->stop) {
    auto t0 = Clock::now();
    Reply r = co_await round_trip(post, buf, bytes);
    if (r.ec || r.status >= 300) {
      st->error("POST message: HTTP " + std::to_string(r.status) + " " + r.ec.message());
      break;
    }
    auto [ec, ev] = co_await next_message(sse);
    auto t1 = Clock::now();
    if (ec) {
      st->error("stream: " + ec.message());
      break;
    }
    Reply as_reply;
    as_reply.status = 200;
    as_reply.owned = std::move(ev.data);
    as_reply.use_owned = true;
    if (reply_ok(*st, as_reply)) record(*st, t0, t1);
    if (!r.keep_alive) break;
  }
  boost::system::error_code ignored;
  post.close(ignored);
  sse.sock.close(ignored);
  --st->active;
}

// ---- idle-sse mode -----------------------------------------------------------------------------

static awaitable<void> idle_sse_worker(std::shared_ptr<State> st, int index) {
  // Bounded connect parallelism: a burst of 10k SYNs overflows the accept backlog.
  while (st->connect_slots <= 0) {
    asio::steady_timer t(st->ioc, std::chrono::milliseconds(1));
    co_await t.async_wait(kTuple);
  }
  --st->connect_slots;
  auto sse = std::make_unique<SseReader>(st->ioc);
  bool ok = false;
  if (auto ec = co_await sse->open(st->opt, index); ec) {
    st->error("GET sse: " + ec.message());
  } else {
    auto [eec, ev] = co_await sse->next();
    if (eec || ev.event != "endpoint") {
      st->error("no endpoint event: " + (eec ? eec.message() : ev.event));
    } else {
      ok = true;
    }
  }
  ++st->connect_slots;
  if (ok) ++st->opened; else ++st->failed;
  if (!ok) co_return;
  // Hold the stream: drain whatever the server sends (keep-alive comments) until it ends.
  while (true) {
    auto [ec, ev] = co_await sse->next();
    if (ec) break;
  }
}

// The same over TLS: handshake, GET, read up to the endpoint event, then hold the stream.
static awaitable<void> idle_tls_worker(std::shared_ptr<State> st, asio::ssl::context& ctx, int index) {
  while (st->connect_slots <= 0) {
    asio::steady_timer t(st->ioc, std::chrono::milliseconds(1));
    co_await t.async_wait(kTuple);
  }
  --st->connect_slots;
  auto stream = std::make_unique<asio::ssl::stream<tcp::socket>>(st->ioc, ctx);
  std::string got;
  bool ok = false;
  auto cec = co_await connect(stream->next_layer(), st->opt, index);
  boost::system::error_code hec;
  if (!cec) std::tie(hec) = co_await stream->async_handshake(asio::ssl::stream_base::client, kTuple);
  if (cec) {
    st->error("connect: " + cec.message());
  } else if (hec) {
    st->error("tls handshake: " + hec.message());
  } else {
    std::string req = "GET " + st->opt.path + " HTTP/1.1\r\nHost: " + host_header(st->opt) +
                      "\r\nAccept: text/event-stream\r\n";
    for (const auto& h : st->opt.headers) req += h + "\r\n";
    req += "\r\n";
    auto [wec, wn] = co_await asio::async_write(*stream, asio::buffer(req), kTuple);
    char chunk[4096];
    while (!wec) {
      auto [rec, n] = co_await stream->async_read_some(asio::buffer(chunk), kTuple);
      if (rec) {
        st->error("reading the stream: " + rec.message());
        break;
      }
      got.append(chunk, n);
      auto at = got.find("event: endpoint");
      if (at != std::string::npos && got.find("\n\n", at) != std::string::npos) {
        ok = got.rfind("HTTP/1.1 200", 0) == 0;
        if (!ok) st->error("no 200: " + got.substr(0, 40));
        break;
      }
      if (got.size() > 65536) {
        st->error("no endpoint event in 64 KiB");
        break;
      }
    }
  }
  ++st->connect_slots;
  if (ok) ++st->opened; else ++st->failed;
  if (!ok) co_return;
  std::string().swap(got);
  char sink[256];
  while (true) {
    auto [ec, n] = co_await stream->async_read_some(asio::buffer(sink), kTuple);
    if (ec) break;
  }
}

// ---- main --------------------------------------------------------------------------------------

static void usage() {
  std::fprintf(stderr,
               "usage: loadgen --mode http|sse|idle-sse --url http://127.0.0.1:PORT/path [--body JSON | --body-file F]\n"
               "  [--header 'K: V']... [-c CONNECTIONS] [-d SECONDS] [--warmup S] [-n REQUESTS] [--session]\n"
               "  [--count K] [--hold S] [--sources N] [--expect TEXT] [--reject TEXT]\n");
}

static bool parse_url(const std::string& url, Options& opt) {
  opt.tls = url.rfind("https://", 0) == 0;
  const std::string scheme = opt.tls ? "https://" : "http://";
  if (url.rfind(scheme, 0) != 0) return false;
  auto rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  opt.path = slash == std::string::npos ? "/" : rest.substr(slash);
  auto colon = authority.rfind(':');
  if (colon == std::string::npos) return false;
  opt.host = authority.substr(0, colon);
  opt.port = static_cast<std::uint16_t>(std::stoi(authority.substr(colon + 1)));
  return true;
}

static double percentile_ms(const std::vector<std::uint64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto idx = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return static_cast<double>(sorted[std::min(idx, sorted.size() - 1)]) / 1e6;
}

int main(int argc, char** argv) {
  Options opt;
  std::string url;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) {
        usage();
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--mode") opt.mode = val();
    else if (a == "--url") url = val();
    else if (a == "--body") opt.body = val();
    else if (a == "--body-file") {
      std::FILE* f = std::fopen(val().c_str(), "rb");
      if (!f) { std::perror("body-file"); return 2; }
      char b[65536];
      std::size_t n;
      while ((n = std::fread(b, 1, sizeof b, f)) > 0) opt.body.append(b, n);
      std::fclose(f);
    } else if (a == "--header" || a == "-H") opt.headers.push_back(val());
    else if (a == "-c" || a == "--connections") opt.connections = std::stoi(val());
    else if (a == "-d" || a == "--duration") opt.duration = std::stod(val());
    else if (a == "--warmup") opt.warmup = std::stod(val());
    else if (a == "-n" || a == "--requests") opt.requests = std::stol(val());
    else if (a == "--session") opt.session = true;
    else if (a == "--count") opt.count = std::stoi(val());
    else if (a == "--hold") opt.hold = std::stod(val());
    else if (a == "--sources") opt.sources = std::max(1, std::stoi(val()));
    else if (a == "--expect") opt.expect = val();
    else if (a == "--reject") opt.reject = val();
    else if (a == "--protocol-version") opt.protocol_version = val();
    else if (a == "--timeout") opt.timeout = std::stod(val());
    else if (a == "-h" || a == "--help") { usage(); return 0; }
    else { usage(); return 2; }
  }
  if (!parse_url(url, opt)) {
    std::fprintf(stderr, "loadgen: --url must be http://HOST:PORT/path\n");
    return 2;
  }
  raise_nofile();
  std::signal(SIGPIPE, SIG_IGN);

  asio::io_context ioc(1);
  auto st = std::make_shared<State>(ioc);
  st->opt = opt;
  st->budget = opt.requests;
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) { ioc.stop(); });

  json::object out;
  out["mode"] = opt.mode;
  out["url"] = url;

  if (opt.mode == "idle-sse") {
    st->connect_slots = opt.connect_parallel;
    auto t0 = Clock::now();
    double cpu0 = rusage_cpu();
    asio::ssl::context tls_ctx(asio::ssl::context::tls_client);
    tls_ctx.set_verify_mode(asio::ssl::verify_none);
    for (int i = 0; i < opt.count; ++i) {
      if (opt.tls)
        asio::co_spawn(ioc, idle_tls_worker(st, tls_ctx, i), asio::detached);
      else
        asio::co_spawn(ioc, idle_sse_worker(st, i), asio::detached);
    }
    // Report once every stream is open (or failed), then hold them.
    asio::co_spawn(ioc, [](std::shared_ptr<State> s, Clock::time_point start, double cpu_start, json::object* o) -> awaitable<void> {
      asio::steady_timer t(s->ioc);
      auto limit = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s->opt.timeout));
      while (s->opened + s->failed < s->opt.count && Clock::now() < limit) {
        t.expires_after(std::chrono::milliseconds(5));
        co_await t.async_wait(kTuple);
      }
      (*o)["count"] = s->opt.count;
      (*o)["opened"] = s->opened;
      (*o)["failed"] = s->failed + (s->opt.count - s->opened - s->failed);
      (*o)["seconds"] = std::chrono::duration<double>(Clock::now() - start).count();
      (*o)["cpu_seconds"] = rusage_cpu() - cpu_start;
      (*o)["first_error"] = s->first_error;
      std::cout << json::serialize(*o) << std::endl;
      t.expires_after(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s->opt.hold)));
      co_await t.async_wait(kTuple);
      s->ioc.stop();
    }(st, t0, cpu0, &out), asio::detached);
    ioc.run();
    return 0;
  }

  if (opt.tls && opt.mode != "idle-sse") {
    std::fprintf(stderr, "https:// URLs are for --mode idle-sse only\n");
    return 2;
  }
  if (opt.mode != "http" && opt.mode != "sse") {
    usage();
    return 2;
  }
  for (int i = 0; i < opt.connections; ++i) {
    if (opt.mode == "http") asio::co_spawn(ioc, http_worker(st, i), asio::detached);
    else asio::co_spawn(ioc, sse_worker(st, i), asio::detached);
  }
  double cpu_start = 0, cpu_end = 0;
  Clock::time_point wall_end{};
  asio::co_spawn(ioc, [](std::shared_ptr<State> s, double* cpu0, double* cpu1, Clock::time_point* end) -> awaitable<void> {
    asio::steady_timer t(s->ioc);
    // Set-up (connect, initialize) for all connections first, bounded by --timeout.
    auto setup_limit = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s->opt.timeout));
    while (s->ready < s->opt.connections && Clock::now() < setup_limit) {
      t.expires_after(std::chrono::milliseconds(1));
      co_await t.async_wait(kTuple);
    }
    s->gate.cancel();
    auto warm = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s->opt.requests > 0 ? 0 : s->opt.warmup));
    s->measure_start = Clock::now() + warm;
    if (warm.count() > 0) {
      t.expires_at(s->measure_start);
      co_await t.async_wait(kTuple);
    }
    *cpu0 = rusage_cpu();
    if (s->opt.requests > 0) {
      auto limit = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s->opt.timeout));
      while (!s->stop && s->active > 0 && Clock::now() < limit) {
        t.expires_after(std::chrono::milliseconds(2));
        co_await t.async_wait(kTuple);
      }
      s->measure_end = Clock::now();
    } else {
      s->measure_end = s->measure_start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s->opt.duration));
      t.expires_at(s->measure_end);
      co_await t.async_wait(kTuple);
    }
    s->stop = true;
    *cpu1 = rusage_cpu();
    *end = s->measure_end;
    // Let in-flight requests finish (not counted) for up to a second, then stop.
    auto grace = Clock::now() + std::chrono::seconds(1);
    while (s->active > 0 && Clock::now() < grace) {
      t.expires_after(std::chrono::milliseconds(2));
      co_await t.async_wait(kTuple);
    }
    s->ioc.stop();
  }(st, &cpu_start, &cpu_end, &wall_end), asio::detached);
  ioc.run();

  auto& lat = st->latencies_ns;
  std::sort(lat.begin(), lat.end());
  double seconds = st->measure_start == Clock::time_point::max() || wall_end == Clock::time_point{}
                       ? 0
                       : std::chrono::duration<double>(wall_end - st->measure_start).count();
  double sum = 0;
  for (auto v : lat) sum += static_cast<double>(v);
  out["connections"] = opt.connections;
  out["session"] = opt.session;
  out["requests"] = static_cast<std::int64_t>(lat.size());
  out["total_requests"] = st->total_ok;
  out["errors"] = st->errors;
  out["setup_errors"] = st->setup_errors;
  out["reconnects"] = st->reconnects;
  out["seconds"] = seconds;
  out["rps"] = seconds > 0 ? static_cast<double>(lat.size()) / seconds : 0.0;
  out["p50_ms"] = percentile_ms(lat, 0.50);
  out["p90_ms"] = percentile_ms(lat, 0.90);
  out["p99_ms"] = percentile_ms(lat, 0.99);
  out["max_ms"] = lat.empty() ? 0.0 : static_cast<double>(lat.back()) / 1e6;
  out["mean_ms"] = lat.empty() ? 0.0 : sum / static_cast<double>(lat.size()) / 1e6;
  out["cpu_seconds"] = cpu_end - cpu_start;
  out["first_error"] = st->first_error;
  std::cout << json::serialize(out) << std::endl;
  return lat.empty() ? 1 : 0;
}

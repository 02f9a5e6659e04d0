// The libcurl multi driver (see curl_multi_impl.h and curl_http_client.h).
#include "aws/http/curl_multi_impl.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <strings.h>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "aws/http/url.h"

namespace appsignals::aws {

namespace asio = boost::asio;
using detail::SocketState;
using detail::Transfer;

namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// `proxy` is the proxy the transfer used ("" for none), `ca_bundle` Options::ca_bundle.
Error transport_error(CURLcode code, const char* errbuf, const std::string& url, const std::string& proxy,
                      const std::string& ca_bundle) {
  std::string what = errbuf && *errbuf ? errbuf : curl_easy_strerror(code);
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Error(ErrorCode::kDeadlineExceeded, "HTTP request timed out: " + what, "Timeout");
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Error(ErrorCode::kInvalidArgument, "bad URL: " + what);
    case CURLE_PEER_FAILED_VERIFICATION: {
      auto parts = parse_url(url);
      std::string origin = parts.ok() ? parts->origin() : std::string("the endpoint");
      return Error(ErrorCode::kUnavailable,
                   "TLS certificate verification failed for " + origin + ": " + what +
                       (ca_bundle.empty()
                            ? " (if the endpoint uses a private CA, set AWS_CA_BUNDLE to a PEM file with it)"
                            : " (trusted CAs: " + ca_bundle + ")"),
                   "TlsError");
    }
    case CURLE_SSL_CACERT_BADFILE: {
      std::string which = ca_bundle.empty() ? "the system CA store" : "the CA bundle " + ca_bundle;
      return Error(ErrorCode::kUnavailable, "cannot load " + which + ": " + what, "TlsError");
    }
    default: {
      std::string via = proxy.empty() ? "" : " (via proxy " + redact_proxy_url(proxy) + ")";
      return Error(ErrorCode::kUnavailable, "HTTP connection failed: " + what + via, "ConnectionError");
    }
  }
}

size_t write_cb(char* ptr, size_t size, size_t nmemb, void* userdata) {
  auto* t = static_cast<Transfer*>(userdata);
  const size_t n = size * nmemb;
  if (t->max_body > 0 && n > t->max_body - std::min(t->max_body, t->response.body.size())) {
    t->too_large = true;
    return 0;  // anything but n aborts the transfer (CURLE_WRITE_ERROR)
  }
  t->response.body.append(ptr, n);
  return n;
}

// The body passed the cap (decoded, or a declared Content-Length): not retried, a retry would
// get the same answer. Names the origin only, never the path or query.
Error too_large_error(const std::string& url, std::size_t cap) {
  auto parts = parse_url(url);
  std::string origin = parts.ok() ? parts->origin() : std::string("the endpoint");
  return Error(ErrorCode::kFailedPrecondition,
               "HTTP response from " + origin + " is larger than the " + std::to_string(cap) +
                   "-byte limit; the transfer was aborted (ask for less: a narrower time window or fewer results)",
               "ResponseTooLarge");
}

size_t header_cb(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* t = static_cast<Transfer*>(userdata);
  std::string_view line(buffer, size * nitems);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    t->response.headers.clear();  // a new response (after 100-continue or a redirect)
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    t->response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * nitems;
}

}  // namespace

struct CurlHttpClient::Impl::RunInitiation {
  std::shared_ptr<Impl> self;
  std::shared_ptr<Transfer> t;
  template <typename Handler>
  void operator()(Handler&& handler) const {
    auto slot = asio::get_associated_cancellation_slot(handler);
    if (slot.is_connected()) {
      std::weak_ptr<Impl> wself = self;
      std::weak_ptr<Transfer> wt = t;
      slot.assign([wself, wt](asio::cancellation_type) {
        auto s = wself.lock();
        if (!s || s->gone_) return;
        asio::post(*s->strand_, [s, wt] {
          if (auto tt = wt.lock()) s->finish(tt, Error(ErrorCode::kCancelled, "HTTP request cancelled"));
        });
      });
    }
    t->completion = detail::make_completion(std::move(handler));
    auto me = self;
    auto tt = t;
    asio::post(*self->strand_, [me, tt] { me->start(tt); });
  }
};

template <typename Token>
auto CurlHttpClient::Impl::async_run(const std::shared_ptr<Transfer>& t, Token&& token) {
  RunInitiation init{shared_from_this(), t};
  return asio::async_initiate<Token, void()>(init, token);
}

CurlHttpClient::Impl::Impl(asio::any_io_executor ex, Options options)
    : strand_(asio::make_strand(ex)), options_(options) {
  timer_.emplace(*strand_);
  // Registered after the strand and timer services: its shutdown() runs before theirs.
  list_ = detail::client_list_of(asio::query(ex, asio::execution::context));
  global_init();
  multi_ = curl_multi_init();
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &Impl::socket_cb);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &Impl::timer_cb);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  // curl's connection cache holds by default 4 x the easy handles added at the moment: after a
  // fan-out burst only a few remain added, so the burst's connections were closed as they came
  // back and the next burst connected again (3 new connections per list_slis call at c = 1).
  // Keep as many idle connections as transfers may run at once.
  if (options_.max_in_flight > 0)
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(options_.max_in_flight));
  if (options_.max_total_connections > 0)
    curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, options_.max_total_connections);
  if (options_.max_host_connections > 0)
    curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, options_.max_host_connections);
}

CurlHttpClient::Impl::~Impl() {
  // Only reached when no handler holds a reference, i.e. nothing is in flight on the strand.
  for (auto& [easy, t] : transfers_) curl_multi_remove_handle(multi_, easy);
  transfers_.clear();
  for (CURL* e : idle_handles_) curl_easy_cleanup(e);
  idle_handles_.clear();
  curl_multi_cleanup(multi_);  // may call socket_cb(REMOVE) / close_cb for pooled sockets
  for (auto& [fd, s] : sockets_) {
    s->closed = true;
    s->sd.release();
  }
  sockets_.clear();
}

void CurlHttpClient::Impl::register_with_context() {
  std::lock_guard lock(list_->mu);
  if (list_->gone) return;
  std::erase_if(list_->impls, [](const auto& w) { return w.expired(); });
  list_->impls.push_back(weak_from_this());
}

void CurlHttpClient::Impl::context_gone() {
  gone_ = true;
  std::vector<std::shared_ptr<Transfer>> all = take_queued();
  for (auto& [e, t] : transfers_) all.push_back(t);
  for (auto& t : all) {
    t->queue_timer.reset();
    auto completion = std::move(t->completion);  // its handler may own the client: drop last
    completion.reset();
  }
  for (auto& [fd, s] : sockets_) {
    s->closed = true;
    s->sd.release();
  }
  sockets_.clear();
  timer_.reset();
  strand_.reset();
}

void CurlHttpClient::Impl::shutdown() {
  if (gone_) return;  // the io_context is gone: context_gone() already dropped everything
  auto self = shared_from_this();
  asio::post(*strand_, [self] {
    std::vector<std::shared_ptr<Transfer>> all = self->take_queued();
    for (auto& [e, t] : self->transfers_) all.push_back(t);
    for (auto& t : all) self->finish(t, Error(ErrorCode::kCancelled, "HTTP client shut down"));
    self->timer_->cancel();
  });
}

std::optional<Error> CurlHttpClient::Impl::prepare(Transfer& t) {
  const HttpRequest& r = t.request;
  // The total timeout counts from the call, so time spent queued is part of it.
  auto queued = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t.created);
  auto remaining = r.total_timeout - queued;
  if (r.total_timeout.count() > 0 && remaining.count() <= 0) return queue_timeout(t);
  if (!idle_handles_.empty()) {
    t.easy = idle_handles_.back();  // reset when it was returned; keeps its buffers
    idle_handles_.pop_back();
  } else {
    t.easy = curl_easy_init();
  }
  if (!t.easy) return Error(ErrorCode::kInternal, "curl_easy_init failed");
  CURL* e = t.easy;
  curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.errbuf);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &write_cb);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &header_cb);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(r.connect_timeout.count()));
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(r.total_timeout.count() > 0 ? remaining.count() : 0));
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  t.max_body = r.max_response_bytes > 0 ? r.max_response_bytes : options_.max_response_bytes;
  t.too_large = false;
  // A declared Content-Length over the cap fails before any byte of the body is read.
  if (t.max_body > 0) curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(t.max_body));
  if (options_.verbose) curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
  // Always set: "" stops libcurl from consulting http_proxy & co. on its own (it reads only
  // the lowercase http_proxy, unlike the SDKs). libcurl copies the string. NOPROXY "" likewise
  // stops it from applying the process's no_proxy/NO_PROXY: the bypass was decided above.
  t.proxy = options_.proxy.proxy_for(r.url);
  curl_easy_setopt(e, CURLOPT_PROXY, t.proxy.c_str());
  curl_easy_setopt(e, CURLOPT_NOPROXY, "");
  if (!options_.ca_bundle.empty()) {
    // The bundle replaces the system store (as AWS_CA_BUNDLE does in the SDKs): no CA path.
    curl_easy_setopt(e, CURLOPT_CAINFO, options_.ca_bundle.c_str());
    curl_easy_setopt(e, CURLOPT_CAPATH, static_cast<const char*>(nullptr));
  }
  if (r.method == "GET") {
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  } else if (r.method == "HEAD") {
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else {
    if (r.method != "POST") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.data());
  }
  bool has_content_type = false;
  for (const auto& [n, v] : r.headers) {
    std::string line = n + ": " + v;
    if (v.empty()) line = n + ";";  // curl syntax for a header with an empty value
    if (n.size() == 12 && strncasecmp(n.c_str(), "content-type", 12) == 0) has_content_type = true;
    t.header_list = curl_slist_append(t.header_list, line.c_str());
  }
  t.header_list = curl_slist_append(t.header_list, "Expect:");
  if (!has_content_type && r.method != "GET" && r.method != "HEAD")
    t.header_list = curl_slist_append(t.header_list, "Content-Type:");
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.header_list);
  return std::nullopt;
}

// Runs `t` now, or queues it while max_in_flight transfers run (a queued transfer holds no
// curl handle or buffers: a burst of fan-out calls costs memory only for what is running).
void CurlHttpClient::Impl::start(const std::shared_ptr<Transfer>& t) {
  if (t->state != State::kPending) return;  // cancelled before it started
  if (!has_room_for(t->request.fairness_key)) {
    auto& q = queues_[t->request.fairness_key];
    if (q.empty()) turns_.push_back(t->request.fairness_key);
    q.push_back(t);
    if (t->request.total_timeout.count() > 0) {
      // The deadline is kept while waiting too: a queued call fails on time, not when a slot
      // frees up.
      t->queue_timer = std::make_unique<asio::steady_timer>(*strand_);
      t->queue_timer->expires_at(t->created + t->request.total_timeout);
      std::weak_ptr<Transfer> wt = t;
      t->queue_timer->async_wait([self = shared_from_this(), wt](const boost::system::error_code& ec) {
        if (ec) return;
        auto tt = wt.lock();
        if (tt && tt->state == State::kPending) self->finish(tt, self->queue_timeout(*tt));
      });
    }
    return;
  }
  activate(t);
}

// Not retried (details "QueueTimeout", not "Timeout"): a retry would join the same queue.
Error CurlHttpClient::Impl::queue_timeout(const Transfer& t) {
  auto waited =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t.created);
  return Error(ErrorCode::kDeadlineExceeded,
               "HTTP request timed out: waited " + std::to_string(waited.count()) +
                   " ms for a free slot (too many concurrent AWS requests)",
               "QueueTimeout");
}

void CurlHttpClient::Impl::activate(const std::shared_ptr<Transfer>& t) {
  if (t->queue_timer) t->queue_timer->cancel();
  if (auto err = prepare(*t)) {
    finish(t, std::move(err));
    return;
  }
  t->state = State::kActive;
  transfers_.emplace(t->easy, t);
  ++running_per_key_[t->request.fairness_key];
  ++in_flight_;
  CURLMcode rc = curl_multi_add_handle(multi_, t->easy);
  if (rc != CURLM_OK) finish(t, Error(ErrorCode::kInternal, curl_multi_strerror(rc)));
}

// The running transfers one fairness key may hold: Options::max_in_flight_per_key, by default
// three quarters of max_in_flight (at least 1), so a key that floods leaves slots for others.
std::size_t CurlHttpClient::Impl::per_key_cap() const {
  if (options_.max_in_flight_per_key > 0) return options_.max_in_flight_per_key;
  if (options_.max_in_flight == 0) return 0;
  return std::max<std::size_t>(1, options_.max_in_flight - options_.max_in_flight / 4);
}

bool CurlHttpClient::Impl::has_room_for(const std::string& key) const {
  if (options_.max_in_flight > 0 && transfers_.size() >= options_.max_in_flight) return false;
  const std::size_t cap = per_key_cap();
  if (cap == 0) return true;
  auto it = running_per_key_.find(key);
  return it == running_per_key_.end() || it->second < cap;
}

// Every queued transfer, the queues emptied (shutdown).
std::vector<std::shared_ptr<Transfer>> CurlHttpClient::Impl::take_queued() {
  std::vector<std::shared_ptr<Transfer>> all;
  for (auto& [key, q] : queues_) all.insert(all.end(), q.begin(), q.end());
  queues_.clear();
  turns_.clear();
  return all;
}

// Starts queued transfers while there is room, taking turns between fairness keys (round
// robin: a key that got a slot goes to the back), so one key's backlog cannot starve another.
void CurlHttpClient::Impl::start_queued() {
  std::size_t skipped = 0;  // keys in a row that could not start (at their cap)
  while (!turns_.empty() && skipped < turns_.size()) {
    if (options_.max_in_flight > 0 && transfers_.size() >= options_.max_in_flight) return;
    std::string key = std::move(turns_.front());
    turns_.pop_front();
    auto qit = queues_.find(key);
    if (qit == queues_.end() || qit->second.empty()) {
      if (qit != queues_.end()) queues_.erase(qit);
      continue;
    }
    auto& q = qit->second;
    if (!has_room_for(key)) {
      turns_.push_back(std::move(key));
      ++skipped;
      continue;
    }
    skipped = 0;
    auto t = std::move(q.front());
    q.pop_front();
    if (q.empty()) queues_.erase(qit);
    else turns_.push_back(key);
    if (t->state == State::kPending) activate(t);
  }
}

// A finished transfer's handle goes back to the pool, reset (options cleared; its buffers and
// the multi handle's connection cache stay), so steady traffic allocates no curl state.
void CurlHttpClient::Impl::recycle(Transfer& t) {
  if (!t.easy) return;
  if (idle_handles_.size() < kMaxIdleHandles) {
    curl_easy_reset(t.easy);
    idle_handles_.push_back(t.easy);
  } else {
    curl_easy_cleanup(t.easy);
  }
  t.easy = nullptr;
}

// Completes `t` once: removes it from the multi handle and resumes the waiting coroutine
// on its own executor. With `err` empty the transfer finished (see response/error).
void CurlHttpClient::Impl::finish(const std::shared_ptr<Transfer>& t, std::optional<Error> err) {
  if (t->state == State::kDone) return;
  bool was_active = t->state == State::kActive;
  if (t->state == State::kPending) {
    // Cancelled or timed out while queued: leave the queue now (frees its request body).
    if (t->queue_timer) t->queue_timer->cancel();
    const std::string& key = t->request.fairness_key;
    if (auto qit = queues_.find(key); qit != queues_.end()) {
      auto& q = qit->second;
      if (auto it = std::find(q.begin(), q.end(), t); it != q.end()) q.erase(it);
      if (q.empty()) {
        queues_.erase(qit);
        if (auto k = std::find(turns_.begin(), turns_.end(), key); k != turns_.end()) turns_.erase(k);
      }
    }
  }
  if (was_active) {
    curl_multi_remove_handle(multi_, t->easy);
    transfers_.erase(t->easy);
    if (auto k = running_per_key_.find(t->request.fairness_key); k != running_per_key_.end() && --k->second == 0)
      running_per_key_.erase(k);
    --in_flight_;
    recycle(*t);
  }
  t->state = State::kDone;
  if (err) t->error = std::move(err);
  auto completion = std::move(t->completion);
  if (completion) completion->post_complete();
  if (was_active) start_queued();
}

void CurlHttpClient::Impl::check_completed() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    auto it = transfers_.find(msg->easy_handle);
    if (it == transfers_.end()) continue;
    auto t = it->second;
    CURLcode result = msg->data.result;
    if (result == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
      t->response.status = static_cast<int>(status);
      finish(t, std::nullopt);
    } else if (t->too_large || result == CURLE_FILESIZE_EXCEEDED) {
      finish(t, too_large_error(t->request.url, t->max_body));
    } else {
      finish(t, transport_error(result, t->errbuf, t->request.url, t->proxy, options_.ca_bundle));
    }
  }
}

void CurlHttpClient::Impl::on_socket_ready(const std::shared_ptr<SocketState>& s, int direction,
                     const boost::system::error_code& ec) {
  if (direction == CURL_CSELECT_IN) s->read_pending = false;
  else s->write_pending = false;
  if (s->closed) return;
  if (ec == asio::error::operation_aborted) {
    arm(s);  // cancelled because curl changed its interest: wait for what it wants now
    return;
  }
  int running = 0;
  curl_multi_socket_action(multi_, s->fd_, ec ? CURL_CSELECT_ERR : direction, &running);
  check_completed();
  if (!s->closed) arm(s);
}

void CurlHttpClient::Impl::arm(const std::shared_ptr<SocketState>& s) {
  auto self = shared_from_this();
  if ((s->want & CURL_POLL_IN) && !s->read_pending) {
    s->read_pending = true;
    s->sd.async_wait(asio::posix::stream_descriptor::wait_read,
                     asio::bind_executor(*strand_, [self, s](const boost::system::error_code& ec) {
                       self->on_socket_ready(s, CURL_CSELECT_IN, ec);
                     }));
  }
  if ((s->want & CURL_POLL_OUT) && !s->write_pending) {
    s->write_pending = true;
    s->sd.async_wait(asio::posix::stream_descriptor::wait_write,
                     asio::bind_executor(*strand_, [self, s](const boost::system::error_code& ec) {
                       self->on_socket_ready(s, CURL_CSELECT_OUT, ec);
                     }));
  }
}

void CurlHttpClient::Impl::drop_socket(curl_socket_t fd) {
  auto it = sockets_.find(fd);
  if (it == sockets_.end()) return;
  it->second->closed = true;
  it->second->sd.release();  // aborts pending waits; never closes the fd (curl owns it)
  sockets_.erase(it);
}

// curl -> us: watch `fd` for `what`. Runs inside curl_multi_* calls, i.e. on the strand.
int CurlHttpClient::Impl::socket_cb(CURL*, curl_socket_t fd, int what, void* userp, void*) {
  auto* self = static_cast<Impl*>(userp);
  if (self->gone_) return 0;  // from ~Impl's cleanup after the io_context went away
  if (what == CURL_POLL_REMOVE) {
    self->drop_socket(fd);
    return 0;
  }
  auto it = self->sockets_.find(fd);
  std::shared_ptr<SocketState> s;
  if (it == self->sockets_.end()) {
    s = std::make_shared<SocketState>(*self->strand_, fd);
    self->sockets_.emplace(fd, s);
  } else {
    s = it->second;
  }
  s->want = what;
  if ((!(what & CURL_POLL_IN) && s->read_pending) || (!(what & CURL_POLL_OUT) && s->write_pending)) {
    // curl no longer wants one direction: cancel; the aborted handlers re-arm what is wanted.
    boost::system::error_code ignored;
    s->sd.cancel(ignored);
    return 0;
  }
  self->arm(s);
  return 0;
}

// curl -> us: call curl_multi_socket_action(CURL_SOCKET_TIMEOUT) after `timeout_ms` (-1: no
// timeout). curl calls this on nearly every action; each re-arm of the earliest timer costs
// the reactor a timerfd_settime system call, so "now" is a post, not a timer, and a deadline
// within a millisecond of the armed one keeps the armed one. A stale expiry only causes one
// spare socket_action call, which curl tolerates.
int CurlHttpClient::Impl::timer_cb(CURLM*, long timeout_ms, void* userp) {
  auto* self = static_cast<Impl*>(userp);
  if (self->gone_) return 0;
  if (timeout_ms < 0) {
    if (self->timer_armed_) self->timer_->cancel();
    self->timer_armed_ = false;
    return 0;
  }
  auto me = self->shared_from_this();
  if (timeout_ms == 0) {
    asio::post(*self->strand_, [me] { me->on_timeout(); });
    return 0;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  if (self->timer_armed_ && deadline >= self->timer_->expiry() - std::chrono::milliseconds(1) &&
      deadline <= self->timer_->expiry() + std::chrono::milliseconds(1))
    return 0;
  self->timer_->expires_at(deadline);
  self->timer_armed_ = true;
  self->timer_->async_wait(asio::bind_executor(*self->strand_, [me](const boost::system::error_code& ec) {
    if (ec) return;  // re-armed or cancelled: the newer wait owns timer_armed_
    me->timer_armed_ = false;
    me->on_timeout();
  }));
  return 0;
}

void CurlHttpClient::Impl::on_timeout() {
  int running = 0;
  curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
  check_completed();
}

asio::awaitable<Result<HttpResponse>> CurlHttpClient::Impl::send(HttpRequest request) {
  auto t = std::make_shared<Transfer>(std::move(request));
  // (A named initiation and const-reference arguments: GCC 12 mis-destroys lambda
  // temporaries that appear inside a co_await expression.)
  co_await async_run(t, asio::use_awaitable);
  if (t->error) co_return *t->error;
  co_return std::move(t->response);
}

}  // namespace appsignals::aws

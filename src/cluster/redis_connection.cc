#include "cluster/redis_connection.h"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <boost/asio/bind_executor.hpp>
#include <spdlog/spdlog.h>

namespace appsignals::cluster {

namespace {

RedisReply convert(const redisReply* r) {
  RedisReply out;
  if (!r) return RedisReply::error("connection to Redis lost");
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      for (std::size_t i = 0; i < r->elements; ++i) out.elements.push_back(convert(r->element[i]));
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

}  // namespace

struct RedisConnection::Pending {
  RedisConnection* conn;
  Callback callback;
  bool tracked;
};

// The C hooks hiredis calls; `privdata` / `data` is the RedisConnection (alive: the context is
// freed only by the connection itself, on its strand).
struct RedisHooks {
  static RedisConnection* of(const redisAsyncContext* c) { return static_cast<RedisConnection*>(c->data); }
  static void add_read(void* p) {
    auto* self = static_cast<RedisConnection*>(p);
    self->want_read_ = true;
    self->arm_read();
  }
  static void del_read(void* p) { static_cast<RedisConnection*>(p)->want_read_ = false; }
  static void add_write(void* p) {
    auto* self = static_cast<RedisConnection*>(p);
    self->want_write_ = true;
    self->arm_write();
  }
  static void del_write(void* p) { static_cast<RedisConnection*>(p)->want_write_ = false; }
  static void cleanup(void* p) {
    // hiredis is freeing the context (and will close the socket): forget both.
    auto* self = static_cast<RedisConnection*>(p);
    self->ctx_ = nullptr;
    self->want_read_ = self->want_write_ = false;
    if (self->sd_.is_open()) self->sd_.release();  // cancels the waits; their generation is stale
  }
  static void on_connect(const redisAsyncContext* c, int status) {
    auto* self = of(c);
    if (status != REDIS_OK) {
      self->lost(c->errstr[0] ? c->errstr : "connect failed");
      return;  // hiredis frees the context after this
    }
    self->on_connected();
  }
  static void on_disconnect(const redisAsyncContext* c, int status) {
    auto* self = of(c);
    self->lost(status == REDIS_OK ? "closed" : (c->errstr[0] ? c->errstr : "connection lost"));
  }
  static void on_reply(redisAsyncContext*, void* reply, void* privdata) {
    std::unique_ptr<RedisConnection::Pending> p(static_cast<RedisConnection::Pending*>(privdata));
    if (p->conn->destroying_) return;  // the io loop may be going away: post nothing
    if (p->tracked && !p->conn->sent_.empty()) p->conn->sent_.pop_front();
    p->callback(convert(static_cast<redisReply*>(reply)));
  }
  static void on_subscribed(redisAsyncContext*, void* reply, void* privdata) {
    auto* self = static_cast<RedisConnection*>(privdata);
    auto* r = static_cast<redisReply*>(reply);
    if (!r || r->type != REDIS_REPLY_ARRAY || r->elements < 3) return;
    std::string_view kind(r->element[0]->str ? r->element[0]->str : "", r->element[0]->len);
    if (kind == "subscribe") {
      self->set_up(true);
    } else if (kind == "message" && r->element[2]->type == REDIS_REPLY_STRING && self->on_message_) {
      self->on_message_(std::string(r->element[2]->str, r->element[2]->len));
    }
  }
};

RedisConnection::RedisConnection(boost::asio::any_io_executor executor, RedisUrl url, std::string name)
    : strand_(boost::asio::make_strand(executor)),
      sd_(strand_),
      reconnect_timer_(strand_),
      watchdog_timer_(strand_),
      url_(std::move(url)),
      name_(std::move(name)) {}

RedisConnection::~RedisConnection() {
  // stop() freed the context; should it not have run, free it here (no hook touches us after).
  if (ctx_) {
    ctx_->ev.cleanup = nullptr;
    ctx_->onDisconnect = nullptr;
    ctx_->onConnect = nullptr;
    if (sd_.is_open()) sd_.release();
    auto* c = ctx_;
    ctx_ = nullptr;
    stopped_ = true;
    destroying_ = true;
    redisAsyncFree(c);
  }
}

void RedisConnection::set_subscription(std::string channel, std::function<void(std::string)> on_message) {
  channel_ = std::move(channel);
  on_message_ = std::move(on_message);
}

void RedisConnection::set_on_state(std::function<void(bool)> on_state) { on_state_ = std::move(on_state); }

void RedisConnection::set_on_error(std::function<void()> on_error) { on_error_ = std::move(on_error); }

void RedisConnection::start() {
  boost::asio::post(strand_, [self = shared_from_this()] {
    self->connect();
    self->watchdog();
  });
}

void RedisConnection::stop() {
  boost::asio::post(strand_, [self = shared_from_this()] {
    self->stopped_ = true;
    self->reconnect_timer_.cancel();
    self->watchdog_timer_.cancel();
    // A connected context is closed once what was sent is written and answered (a last DEL of
    // the heartbeat, say); otherwise it is freed now. The destructor frees what is left.
    if (self->ctx_ && self->connected_) redisAsyncDisconnect(self->ctx_);
    else if (self->ctx_) redisAsyncFree(self->ctx_);  // pending callbacks get errors; cleanup hook runs
    self->connected_ = false;
  });
}

void RedisConnection::connect() {
  if (stopped_ || ctx_) return;
  redisAsyncContext* c = redisAsyncConnect(url_.host.c_str(), url_.port);
  if (!c) {
    lost("out of memory");
    return;
  }
  if (c->err) {
    std::string why = c->errstr;
    redisAsyncFree(c);
    lost(why);
    return;
  }
  ++gen_;
  ctx_ = c;
  c->data = this;
  connect_started_ = std::chrono::steady_clock::now();
  boost::system::error_code ec;
  sd_.assign(c->c.fd, ec);
  if (ec) {
    drop("cannot watch the socket: " + ec.message());
    return;
  }
  c->ev.data = this;
  c->ev.addRead = &RedisHooks::add_read;
  c->ev.delRead = &RedisHooks::del_read;
  c->ev.addWrite = &RedisHooks::add_write;
  c->ev.delWrite = &RedisHooks::del_write;
  c->ev.cleanup = &RedisHooks::cleanup;
  redisAsyncSetConnectCallback(c, &RedisHooks::on_connect);
  redisAsyncSetDisconnectCallback(c, &RedisHooks::on_disconnect);
  // Queued in order before anything else on this connection.
  if (!url_.password.empty()) {
    std::vector<std::string> auth{"AUTH"};
    if (!url_.username.empty()) auth.push_back(url_.username);
    auth.push_back(url_.password);
    std::weak_ptr<RedisConnection> weak = weak_from_this();
    send(std::move(auth),
         [weak](RedisReply r) {
           if (r.type == RedisReply::Type::kError && !r.str.starts_with("connection"))
             if (auto self = weak.lock())
               spdlog::error("Redis {} ({}): AUTH refused: check the credentials in MCP_REDIS_URL", self->url_.display(),
                             self->name_);
         },
         true);
  }
  if (url_.db != 0) send({"SELECT", std::to_string(url_.db)}, [](RedisReply) {}, true);
  if (!channel_.empty()) {
    const char* argv[2] = {"SUBSCRIBE", channel_.c_str()};
    std::size_t lens[2] = {9, channel_.size()};
    redisAsyncCommandArgv(ctx_, &RedisHooks::on_subscribed, this, 2, argv, lens);
  }
}

void RedisConnection::on_connected() {
  backoff_ = std::chrono::milliseconds(100);
  // A subscriber is up once SUBSCRIBE is confirmed; a command connection once connected
  // (AUTH/SELECT are ahead of any command in the pipeline).
  if (channel_.empty()) set_up(true);
}

void RedisConnection::set_up(bool up) {
  connected_ = up;
  if (up == was_up_) return;
  was_up_ = up;
  if (up) {
    if (ever_up_) spdlog::warn("Redis {} ({}) is reachable again: cluster sessions are served", url_.display(), name_);
    else spdlog::info("Redis {} ({}) connected", url_.display(), name_);
    ever_up_ = true;
  }
  if (on_state_) on_state_(up);
}

void RedisConnection::lost(const std::string& why) {
  if (stopped_) {  // stop() closed it: no transition to report, nothing to reconnect
    connected_ = false;
    sent_.clear();
    return;
  }
  if (on_error_) on_error_();
  const bool was = was_up_;
  set_up(false);
  sent_.clear();
  auto now = std::chrono::steady_clock::now();
  // Once per transition, then every 30 s while down.
  if (!stopped_ && (was || now - last_down_log_ >= std::chrono::seconds(30))) {
    spdlog::error("Redis {} ({}) unavailable: {}; new cluster sessions get 503 until it returns (retrying)",
                  url_.display(), name_, why);
    last_down_log_ = now;
  }
  schedule_reconnect();  // re-arming the timer replaces an earlier wait
}

void RedisConnection::drop(const std::string& why) {
  if (ctx_) {
    auto* c = ctx_;
    c->onDisconnect = nullptr;  // we report the loss ourselves
    c->onConnect = nullptr;
    redisAsyncFree(c);  // runs the cleanup hook and every pending callback (with errors)
  }
  lost(why);
}

void RedisConnection::schedule_reconnect() {
  if (stopped_) return;
  reconnect_timer_.expires_after(backoff_);
  backoff_ = std::min<std::chrono::milliseconds>(backoff_ * 2, std::chrono::milliseconds(2000));
  reconnect_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->stopped_) return;
    self->connect();
  });
}

void RedisConnection::watchdog() {
  if (stopped_) return;
  auto now = std::chrono::steady_clock::now();
  if (ctx_ && !connected_ && !was_up_ && now - connect_started_ > kAnswerTimeout) {
    drop("no connection within 2 s");
  } else if (ctx_ && !sent_.empty() && now - sent_.front() > kAnswerTimeout) {
    drop("no answer within 2 s");
  }
  watchdog_timer_.expires_after(std::chrono::milliseconds(250));
  watchdog_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec) self->watchdog();
  });
}

void RedisConnection::arm_read() {
  if (!ctx_ || reading_ || !want_read_) return;
  reading_ = true;
  sd_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                 [self = shared_from_this(), g = gen_](boost::system::error_code ec) {
                   if (g != self->gen_) return;
                   self->reading_ = false;
                   if (ec == boost::asio::error::operation_aborted || !self->ctx_) return;
                   redisAsyncHandleRead(self->ctx_);
                   self->arm_read();
                 });
}

void RedisConnection::arm_write() {
  if (!ctx_ || writing_ || !want_write_) return;
  writing_ = true;
  sd_.async_wait(boost::asio::posix::stream_descriptor::wait_write,
                 [self = shared_from_this(), g = gen_](boost::system::error_code ec) {
                   if (g != self->gen_) return;
                   self->writing_ = false;
                   if (ec == boost::asio::error::operation_aborted || !self->ctx_) return;
                   redisAsyncHandleWrite(self->ctx_);
                   self->arm_write();
                 });
}

void RedisConnection::command(std::vector<std::string> args, Callback callback) {
  boost::asio::post(strand_, [self = shared_from_this(), args = std::move(args), cb = std::move(callback)]() mutable {
    if (!self->ctx_ || !self->connected_) {
      cb(RedisReply::error("Redis unavailable"));
      return;
    }
    self->send(std::move(args), std::move(cb), true);
  });
}

void RedisConnection::send(std::vector<std::string> args, Callback callback, bool track) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  for (auto& a : args) {
    argv.push_back(a.c_str());
    lens.push_back(a.size());
  }
  auto* p = new Pending{this, std::move(callback), track};
  if (redisAsyncCommandArgv(ctx_, &RedisHooks::on_reply, p, static_cast<int>(argv.size()), argv.data(),
                            lens.data()) != REDIS_OK) {
    std::unique_ptr<Pending> own(p);
    own->callback(RedisReply::error("Redis connection closing"));
    return;
  }
  if (track) sent_.push_back(std::chrono::steady_clock::now());
}

}  // namespace appsignals::cluster

#include "mcp/stdio_transport.h"

#include "mcp/modern.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "common/random.h"
#include "mcp/jsonrpc.h"

namespace appsignals::mcp {

namespace asio = boost::asio;
using asio::awaitable;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// The single writer of out_fd. send() queues (never blocks); a dedicated thread writes each
// message followed by '\n'. SIGPIPE is blocked on that thread so a vanished reader shows up as
// EPIPE rather than killing the process.
class LineWriter final : public Outbound {
 public:
  LineWriter(int fd, std::size_t max_pending) : fd_(fd), max_pending_(max_pending) {
    thread_ = std::thread([this] { run(); });
  }
  ~LineWriter() override { finish(); }

  bool send(std::string message) override {
    {
      std::lock_guard lock(mu_);
      if (stopping_ || broken_) return false;
      if (pending_ + message.size() + 1 > max_pending_) {
        spdlog::error("stdio: output queue full ({} bytes pending); dropping a message", pending_);
        return false;
      }
      message.push_back('\n');
      pending_ += message.size();
      queue_.push_back(std::move(message));
    }
    cv_.notify_one();
    return true;
  }

  // Writes everything queued, then stops the thread. Idempotent.
  void finish() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void run() {
    sigset_t pipe_set;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, nullptr);
    for (;;) {
      std::string message;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping and drained
        message = std::move(queue_.front());
        queue_.pop_front();
        pending_ -= message.size();
      }
      if (!write_all(message)) {
        const int err = errno;
        // Consume the SIGPIPE raised for this thread so it never reaches the process.
        timespec zero{};
        sigtimedwait(&pipe_set, nullptr, &zero);
        spdlog::warn("stdio: cannot write to fd {} ({}); further output is dropped", fd_, std::strerror(err));
        std::lock_guard lock(mu_);
        broken_ = true;
        queue_.clear();
        pending_ = 0;
        return;
      }
    }
  }

  // Blocking write of the whole message; copes with a non-blocking descriptor (a tty shared
  // with stdin, which Asio puts in non-blocking mode) by waiting for POLLOUT.
  bool write_all(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n >= 0) {
        data.remove_prefix(static_cast<std::size_t>(n));
        continue;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        pollfd p{fd_, POLLOUT, 0};
        if (::poll(&p, 1, -1) < 0 && errno != EINTR) return false;
        continue;
      }
      return false;
    }
    return true;
  }

  const int fd_;
  const std::size_t max_pending_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  std::size_t pending_ = 0;
  bool stopping_ = false;
  bool broken_ = false;
  std::thread thread_;
};

// One stdio conversation: line framing, dispatch, and the end-of-input drain. All members
// except the atomics are touched only on `strand`.
class StdioLoop : public std::enable_shared_from_this<StdioLoop> {
 public:
  StdioLoop(asio::io_context& ioc, std::shared_ptr<McpServer> server, const StdioOptions& options)
      : ioc_(ioc),
        server_(std::move(server)),
        options_(options),
        strand_(asio::make_strand(ioc)),
        drain_timer_(strand_),
        writer_(std::make_shared<LineWriter>(options.out_fd, options.max_pending_output)),
        session_(std::make_shared<Session>(random_hex(16), std::string())) {
    session_->attach_standalone(writer_);
  }

  // Starts reading; false (logged) if in_fd is unusable.
  bool start() {
    struct stat st {};
    if (::fstat(options_.in_fd, &st) != 0) {
      spdlog::critical("stdio: cannot use fd {} for input: {}", options_.in_fd, std::strerror(errno));
      return false;
    }
    if (!S_ISREG(st.st_mode)) {
      boost::system::error_code ec;
      descriptor_.emplace(strand_);
      descriptor_->assign(options_.in_fd, ec);
      if (!ec) {
        asio::co_spawn(strand_, read_async(shared_from_this()), asio::detached);
        return true;
      }
      descriptor_.reset();
      spdlog::debug("stdio: fd {} not pollable ({}); reading it on a thread", options_.in_fd, ec.message());
    }
    // Regular files (and anything epoll refuses): blocking reads on a thread of their own.
    reader_ = std::thread([self = shared_from_this()] { self->read_blocking(); });
    return true;
  }

  // After the io_context has stopped: join the reader, flush the output, hand back the fd.
  void finish() {
    if (reader_.joinable()) reader_.join();
    if (descriptor_) {
      boost::system::error_code ec;
      descriptor_->cancel(ec);
      descriptor_->release();
      descriptor_.reset();
    }
    session_->detach_standalone(writer_.get());
    session_->close();
    writer_->finish();
  }

 private:
  static awaitable<void> read_async(std::shared_ptr<StdioLoop> self) {
    std::vector<char> chunk(64 * 1024);
    for (;;) {
      auto [ec, n] = co_await self->descriptor_->async_read_some(asio::buffer(chunk), kTuple);
      if (n > 0) self->feed(std::string_view(chunk.data(), n));
      if (ec) {
        if (ec != asio::error::eof) spdlog::warn("stdio: read failed: {}", ec.message());
        break;
      }
    }
    self->on_eof();
  }

  void read_blocking() {
    std::vector<char> chunk(64 * 1024);
    for (;;) {
      ssize_t n = ::read(options_.in_fd, chunk.data(), chunk.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) spdlog::warn("stdio: read failed: {}", std::strerror(errno));
      if (n <= 0) break;
      asio::post(strand_, [self = shared_from_this(), data = std::string(chunk.data(), static_cast<std::size_t>(n))] {
        self->feed(data);
      });
    }
    asio::post(strand_, [self = shared_from_this()] { self->on_eof(); });
  }

  // Splits input into lines. A line longer than the limit is answered once and skipped.
  void feed(std::string_view data) {
    while (!data.empty()) {
      auto nl = data.find('\n');
      auto part = data.substr(0, nl);
      if (!skipping_) {
        if (buffer_.size() + part.size() > options_.max_line_bytes) {
          buffer_.clear();
          skipping_ = true;
          writer_->send(jsonrpc::make_error(nullptr, jsonrpc::kInvalidRequest,
                                            "Invalid Request: message longer than " +
                                                std::to_string(options_.max_line_bytes) + " bytes"));
        } else {
          buffer_.append(part);
        }
      }
      if (nl == std::string_view::npos) return;
      data.remove_prefix(nl + 1);
      if (skipping_) {
        skipping_ = false;
        continue;
      }
      std::string line;
      line.swap(buffer_);
      handle_line(line);
    }
  }

  void handle_line(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) return;
    auto value = jsonrpc::parse_json(line);
    if (!value) {
      writer_->send(jsonrpc::make_error(nullptr, jsonrpc::kParseError, "Parse error: Invalid JSON"));
      return;
    }
    auto parsed = jsonrpc::parse_message(*value);
    if (auto* failure = std::get_if<jsonrpc::Failure>(&parsed)) {
      writer_->send(jsonrpc::make_error(*failure));
      return;
    }
    auto& message = std::get<jsonrpc::Message>(parsed);
    if (!message.is_request()) {
      server_->accept(session_, message);
      return;
    }
    // Classified per message: a 2026-07-28 request carries its own _meta and is served under
    // the modern rules on the same pipe (cancellation still by notifications/cancelled).
    std::shared_ptr<const ModernCall> modern_call;
    if (modern::classify(message, "") == modern::Era::kModern) {
      auto checked = modern::validate(message, nullptr);
      if (auto* rejected = std::get_if<modern::Rejection>(&checked)) {
        writer_->send(jsonrpc::make_error(rejected->failure));
        return;
      }
      auto prepared = server_->prepare_modern(message, std::move(std::get<modern::Envelope>(checked)));
      if (auto* failure = std::get_if<jsonrpc::Failure>(&prepared)) {
        writer_->send(jsonrpc::make_error(*failure));
        return;
      }
      modern_call = std::get<std::shared_ptr<const ModernCall>>(std::move(prepared));
    }
    in_flight_.fetch_add(1);
    server_->dispatch(
        session_, std::move(message), writer_,
        [self = shared_from_this()](std::optional<std::string> response) {
          if (response) self->writer_->send(std::move(*response));
          if (self->in_flight_.fetch_sub(1) == 1) asio::post(self->strand_, [self] { self->maybe_stop(); });
        },
        std::move(modern_call));
  }

  void on_eof() {
    if (!buffer_.empty() && !skipping_) {  // a last line without '\n'
      std::string line;
      line.swap(buffer_);
      handle_line(line);
    }
    eof_ = true;
    if (in_flight_.load() == 0) {
      maybe_stop();
      return;
    }
    spdlog::debug("stdio: end of input; waiting for {} request(s)", in_flight_.load());
    drain_timer_.expires_after(options_.drain_timeout);
    drain_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec || self->stopped_) return;
      spdlog::warn("stdio: {} request(s) still running {} ms after end of input; cancelling them",
                   self->in_flight_.load(), self->options_.drain_timeout.count());
      self->session_->close();
      self->stop();
    });
  }

  void maybe_stop() {
    if (eof_ && in_flight_.load() == 0) stop();
  }

  void stop() {
    if (stopped_) return;
    stopped_ = true;
    drain_timer_.cancel();
    if (descriptor_) {
      boost::system::error_code ec;
      descriptor_->cancel(ec);
    }
    ioc_.stop();
  }

  asio::io_context& ioc_;
  std::shared_ptr<McpServer> server_;
  StdioOptions options_;
  asio::strand<asio::io_context::executor_type> strand_;
  asio::steady_timer drain_timer_;
  std::shared_ptr<LineWriter> writer_;
  std::shared_ptr<Session> session_;
  std::optional<asio::posix::stream_descriptor> descriptor_;
  std::thread reader_;
  std::string buffer_;
  bool skipping_ = false;
  bool eof_ = false;
  bool stopped_ = false;
  std::atomic<std::size_t> in_flight_{0};
};

}  // namespace

int run_stdio(asio::io_context& ioc, std::shared_ptr<McpServer> server, StdioOptions options) {
  const int in_flags = ::fcntl(options.in_fd, F_GETFL);
  auto loop = std::make_shared<StdioLoop>(ioc, std::move(server), options);
  if (!loop->start()) {
    loop->finish();
    return 1;
  }
  spdlog::info("stdio transport: JSON-RPC on fd {} / fd {}", options.in_fd, options.out_fd);
  {
    // Keeps run() going while input comes from the reader thread (no pending Asio operation).
    auto guard = asio::make_work_guard(ioc);
    const unsigned extra = options.threads > 1 ? options.threads - 1 : 0;
    std::vector<std::thread> pool;
    pool.reserve(extra);
    for (unsigned i = 0; i < extra; ++i) pool.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();
  }
  loop->finish();
  // Asio leaves the descriptor non-blocking; the terminal or parent may share it.
  if (in_flags >= 0) ::fcntl(options.in_fd, F_SETFL, in_flags);
  return 0;
}

int run_stdio(std::shared_ptr<McpServer> server, int in_fd, int out_fd) {
  auto ex = server->executor();
  asio::io_context* ioc = nullptr;
  if (auto* plain = ex.target<asio::io_context::executor_type>()) {
    ioc = &plain->context();
  } else if (auto* strand = ex.target<asio::strand<asio::io_context::executor_type>>()) {
    ioc = &strand->get_inner_executor().context();
  }
  if (!ioc) {
    spdlog::critical("stdio: the MCP server must run on an io_context executor");
    return 1;
  }
  StdioOptions options;
  options.in_fd = in_fd;
  options.out_fd = out_fd;
  return run_stdio(*ioc, std::move(server), options);
}

int run_stdio(std::shared_ptr<Registry> registry, ServerInfo info, StdioOptions options) {
  asio::io_context ioc(static_cast<int>(options.threads ? options.threads : 1));
  auto server = std::make_shared<McpServer>(ioc.get_executor(), std::move(registry), std::move(info));
  return run_stdio(ioc, std::move(server), options);
}

}  // namespace appsignals::mcp

#pragma once
// CurlHttpClient::Impl: the libcurl multi driver behind CurlHttpClient (curl_http_client.h
// states the contract: mechanism, queueing and fair share, errors, lifetime). Internal to
// src/aws/http: included by curl_http_client.cc (the public wrapper and the per-io_context
// shutdown service) and curl_multi_impl.cc (the driver).
//
// Threading: every member except the constructor, register_with_context(), shutdown(),
// in_flight() and context_gone() runs on strand_ (curl callbacks run inside curl_multi_* calls
// made there). context_gone() runs from the io_context's shutdown, when no thread runs it.
#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "aws/detail/completion.h"
#include "aws/http/curl_http_client.h"

namespace appsignals::aws {
namespace detail {

// kPending: waiting (no easy handle yet) until fewer than max_in_flight transfers run.
enum class TransferState { kPending, kActive, kDone };

struct Transfer {
  explicit Transfer(HttpRequest r) : request(std::move(r)) {}
  ~Transfer() {
    if (easy) curl_easy_cleanup(easy);
    if (header_list) curl_slist_free_all(header_list);
  }
  std::chrono::steady_clock::time_point created = std::chrono::steady_clock::now();
  std::unique_ptr<boost::asio::steady_timer> queue_timer;  // the total timeout while queued
  HttpRequest request;
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  std::string proxy;  // chosen for this request; "" for a direct connection
  std::size_t max_body = 0;  // the response body cap in force (0: none)
  bool too_large = false;    // the write callback refused a body past max_body
  HttpResponse response;
  std::optional<Error> error;
  TransferState state = TransferState::kPending;
  std::unique_ptr<Completion> completion;
  char errbuf[CURL_ERROR_SIZE] = {0};
};

struct SocketState {
  explicit SocketState(const boost::asio::strand<boost::asio::any_io_executor>& strand, curl_socket_t fd)
      : sd(strand, fd), fd_(fd) {}
  boost::asio::posix::stream_descriptor sd;
  curl_socket_t fd_;
  int want = 0;  // CURL_POLL_IN / OUT / INOUT
  bool read_pending = false;
  bool write_pending = false;
  bool closed = false;
};

// The clients alive on one execution context. The context's destruction (ClientService::shutdown
// in curl_http_client.cc, which runs before any of the context's services is destroyed) tells
// each of them to drop its Asio objects, so a client that outlives its io_context never touches
// a destroyed service.
struct ClientList {
  std::mutex mu;
  bool gone = false;  // the context is shutting down: no new registrations
  std::vector<std::weak_ptr<CurlHttpClient::Impl>> impls;
};

// The list of `ctx` (its ClientService, created on first use; curl_http_client.cc).
std::shared_ptr<ClientList> client_list_of(boost::asio::execution_context& ctx);

}  // namespace detail

class CurlHttpClient::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(boost::asio::any_io_executor ex, Options options);
  ~Impl();

  // Called once the Impl is owned by a shared_ptr (registration needs weak_from_this()).
  void register_with_context();
  // The io_context is being destroyed (no thread runs it): complete nothing (the waiting
  // coroutines are being destroyed with the context), drop every Asio object now, and never
  // post again. Curl state stays until ~Impl.
  void context_gone();
  // Called by ~CurlHttpClient: abort everything (on the strand).
  void shutdown();

  boost::asio::awaitable<Result<HttpResponse>> send(HttpRequest request);
  std::size_t in_flight() const { return in_flight_.load(); }

 private:
  using Transfer = detail::Transfer;
  using SocketState = detail::SocketState;
  using State = detail::TransferState;

  struct RunInitiation;
  template <typename Token>
  auto async_run(const std::shared_ptr<Transfer>& t, Token&& token);

  std::optional<Error> prepare(Transfer& t);
  void start(const std::shared_ptr<Transfer>& t);
  static Error queue_timeout(const Transfer& t);
  void activate(const std::shared_ptr<Transfer>& t);
  std::size_t per_key_cap() const;
  bool has_room_for(const std::string& key) const;
  std::vector<std::shared_ptr<Transfer>> take_queued();
  void start_queued();
  void recycle(Transfer& t);
  void finish(const std::shared_ptr<Transfer>& t, std::optional<Error> err);
  void check_completed();
  void on_socket_ready(const std::shared_ptr<SocketState>& s, int direction, const boost::system::error_code& ec);
  void arm(const std::shared_ptr<SocketState>& s);
  void drop_socket(curl_socket_t fd);
  static int socket_cb(CURL*, curl_socket_t fd, int what, void* userp, void*);
  static int timer_cb(CURLM*, long timeout_ms, void* userp);
  void on_timeout();

  // Both reset by context_gone(): Asio objects must not outlive their execution context.
  std::optional<boost::asio::strand<boost::asio::any_io_executor>> strand_;
  std::optional<boost::asio::steady_timer> timer_;
  std::shared_ptr<detail::ClientList> list_;
  std::atomic<bool> gone_{false};  // set by context_gone() (no thread runs the context then)
  bool timer_armed_ = false;  // a wait on timer_ is pending (strand only)
  Options options_;
  CURLM* multi_ = nullptr;
  static constexpr std::size_t kMaxIdleHandles = 32;
  std::unordered_map<CURL*, std::shared_ptr<Transfer>> transfers_;
  // Waiting transfers per fairness key (FIFO within a key) and the keys' turn order.
  std::unordered_map<std::string, std::deque<std::shared_ptr<Transfer>>> queues_;
  std::deque<std::string> turns_;
  std::unordered_map<std::string, std::size_t> running_per_key_;
  std::vector<CURL*> idle_handles_;
  std::unordered_map<curl_socket_t, std::shared_ptr<SocketState>> sockets_;
  std::atomic<std::size_t> in_flight_{0};
};



}  // namespace appsignals::aws

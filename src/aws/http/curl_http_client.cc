#include "aws/http/curl_http_client.h"

#include <mutex>
#include <vector>

#include <boost/asio/execution_context.hpp>

#include "aws/http/curl_multi_impl.h"

namespace appsignals::aws {

namespace asio = boost::asio;

namespace {

// Tells every client on its execution context, at the context's shutdown, to drop its Asio
// objects (CurlHttpClient::Impl::context_gone). Registered by the first client's constructor,
// after that client's strand and timer services: its shutdown() runs before theirs.
class ClientService final : public asio::execution_context::service {
 public:
  static inline asio::execution_context::id id;
  explicit ClientService(asio::execution_context& ctx)
      : asio::execution_context::service(ctx), list_(std::make_shared<detail::ClientList>()) {}
  std::shared_ptr<detail::ClientList> list() const { return list_; }

 private:
  void shutdown() override;
  std::shared_ptr<detail::ClientList> list_;
};

void ClientService::shutdown() {
  std::vector<std::shared_ptr<CurlHttpClient::Impl>> alive;
  {
    std::lock_guard lock(list_->mu);
    list_->gone = true;
    for (auto& w : list_->impls)
      if (auto p = w.lock()) alive.push_back(std::move(p));
    list_->impls.clear();
  }
  for (auto& impl : alive) impl->context_gone();
}  // the last references may go here: ~Impl then touches no Asio object

}  // namespace

namespace detail {

std::shared_ptr<ClientList> client_list_of(asio::execution_context& ctx) {
  return asio::use_service<ClientService>(ctx).list();
}

}  // namespace detail

CurlHttpClient::CurlHttpClient(asio::any_io_executor executor)
    : CurlHttpClient(std::move(executor), Options{}) {}

CurlHttpClient::CurlHttpClient(asio::any_io_executor executor, Options options)
    : impl_(std::make_shared<Impl>(std::move(executor), options)) {
  impl_->register_with_context();
}

CurlHttpClient::~CurlHttpClient() { impl_->shutdown(); }

asio::awaitable<Result<HttpResponse>> CurlHttpClient::send(HttpRequest request) {
  auto impl = impl_;  // keeps the state alive for the duration of the call
  co_return co_await impl->send(std::move(request));
}

std::size_t CurlHttpClient::in_flight() const { return impl_->in_flight(); }

}  // namespace appsignals::aws

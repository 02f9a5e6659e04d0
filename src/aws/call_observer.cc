#include "aws/call_observer.h"

#include <atomic>
#include <mutex>
#include <vector>

namespace appsignals::aws {

namespace {

std::mutex observer_mu;
// Every observer ever set stays alive (a call in flight may still report to a replaced one);
// in practice there is one per process. Guarded by observer_mu.
std::vector<std::shared_ptr<CallObserver>> observers;
std::atomic<CallObserver*> observer_ptr{nullptr};

}  // namespace

void set_call_observer(std::shared_ptr<CallObserver> observer) {
  std::lock_guard lock(observer_mu);
  observer_ptr.store(observer.get(), std::memory_order_release);
  if (observer) observers.push_back(std::move(observer));
}

CallObserver* call_observer() { return observer_ptr.load(std::memory_order_acquire); }

}  // namespace appsignals::aws

#include "aws/call_observer.h"

#include <atomic>

namespace appsignals::aws {

namespace {

// Non-owning (see call_observer.h).
std::atomic<CallObserver*> observer_ptr{nullptr};

}  // namespace

void set_call_observer(CallObserver* observer) noexcept { observer_ptr.store(observer, std::memory_order_release); }

CallObserver* call_observer() noexcept { return observer_ptr.load(std::memory_order_acquire); }

}  // namespace appsignals::aws

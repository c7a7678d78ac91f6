#include "asyncio/handles.hpp"

#include <cstdio>
#include <new>
#include <vector>

#include "asyncio/events.hpp"

namespace asyncio {

namespace {
// A per-thread free list: handles are the most frequently allocated objects of the loop.
// Handles released after the pool's thread-exit destruction (a loop in a static) bypass it.
thread_local bool pool_destroyed = false;
struct HandlePool {
  std::vector<void*> free;
  ~HandlePool() {
    pool_destroyed = true;
    for (void* p : free) ::operator delete(p);
  }
};
thread_local HandlePool pool;
}  // namespace

void* HandleState::operator new(std::size_t size) {
  if (!pool_destroyed && size == sizeof(HandleState) && !pool.free.empty()) {
    void* p = pool.free.back();
    pool.free.pop_back();
    return p;
  }
  return ::operator new(size);
}

void HandleState::operator delete(void* p) noexcept {
  if (!pool_destroyed && pool.free.size() < 4096) {
    try {
      pool.free.push_back(p);
      return;
    } catch (...) {
    }
  }
  ::operator delete(p);
}

void timer_handle_cancelled(HandleState& h);

void Handle::cancel() {
  if (!s_ || s_->cancelled) return;
  if (s_->timer) timer_handle_cancelled(*s_);
  s_->cancelled = true;
  s_->clear();
}

std::string Handle::repr() const {
  std::string out = "<Handle";
  if (s_->cancelled) out += " cancelled";
  if (!s_->label.empty()) out += " " + s_->label;
  return out + ">";
}

std::string TimerHandle::repr() const {
  std::string out = "<TimerHandle";
  if (s_->cancelled) out += " cancelled";
  char buf[64];
  std::snprintf(buf, sizeof buf, " when=%.9g", when());
  out += buf;
  if (!s_->label.empty()) out += " " + s_->label;
  return out + ">";
}

}  // namespace asyncio

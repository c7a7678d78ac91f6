#include "asyncio/locks.hpp"

#include <algorithm>
#include <cstdio>

namespace asyncio {

EventLoop& LoopBoundMixin::get_loop() {
  // mixins.py: _LoopBoundMixin._get_loop
  EventLoop* loop = running_loop();
  if (!loop_) loop_ = Ref<EventLoop>(loop);
  if (loop != loop_.get()) throw RuntimeError(repr() + " is bound to a different event loop");
  // Python would fail on None.create_future(); a C++ coroutine only runs inside a task anyway.
  if (!loop) throw RuntimeError("no running event loop");
  return *loop;
}

std::string LoopBoundMixin::address() const {
  char addr[32];
  std::snprintf(addr, sizeof addr, "%#zx", reinterpret_cast<std::size_t>(this));
  return addr;
}

std::string LoopBoundMixin::object_repr_prefix(const char* qualified_name) const {
  return std::string("<") + qualified_name + " object at " + address();
}

namespace detail {

void remove_waiter(Waiters& ws, const Waiter& w) {
  auto it = std::find(ws.begin(), ws.end(), w);
  if (it != ws.end()) ws.erase(it);
}

Coro<std::exception_ptr> wait_in_line(Waiters& ws, Waiter w) {
  ws.push_back(w);
  auto error = co_await await_waiter(w);
  remove_waiter(ws, w);
  co_return error;
}

namespace {
std::string with_waiters(std::string extra, const Waiters& ws) {
  if (!ws.empty()) extra += ", waiters:" + std::to_string(ws.size());
  return extra;
}
bool all_cancelled(const Waiters& ws) {
  return std::all_of(ws.begin(), ws.end(), [](const Waiter& w) { return w->cancelled(); });
}
}  // namespace

}  // namespace detail

// ---------------------------------------------------------------------------------------------- Lock

Coro<bool> Lock::acquire() {
  // locks.py: Lock.acquire
  if (!locked_ && detail::all_cancelled(waiters_)) {
    locked_ = true;
    co_return true;
  }
  auto keep = keep_alive();
  auto fut = make_ref<FutureState<void>>(get_loop());
  auto error = co_await detail::wait_in_line(waiters_, fut);
  if (error) {
    if (is_cancelled_error(error) && !locked_) wake_up_first();
    std::rethrow_exception(error);
  }
  locked_ = true;
  co_return true;
}

void Lock::release() {
  if (!locked_) throw RuntimeError("Lock is not acquired.");
  locked_ = false;
  wake_up_first();
}

void Lock::wake_up_first() {
  if (waiters_.empty()) return;
  auto& fut = waiters_.front();
  if (!fut->done()) fut->set_result();
}

std::string Lock::repr() const {
  return object_repr_prefix("asyncio.locks.Lock") + " [" +
         detail::with_waiters(locked_ ? "locked" : "unlocked", waiters_) + "]>";
}

Coro<void> Lock::aenter() { co_await acquire(); }
Coro<bool> Lock::aexit(std::exception_ptr) {
  release();
  co_return false;
}

// --------------------------------------------------------------------------------------------- Event

void Event::set() {
  if (value_) return;
  value_ = true;
  for (auto& fut : waiters_)
    if (!fut->done()) fut->set_result();
}

Coro<bool> Event::wait() {
  if (value_) co_return true;
  auto keep = keep_alive();
  auto fut = make_ref<FutureState<void>>(get_loop());
  auto error = co_await detail::wait_in_line(waiters_, fut);
  if (error) std::rethrow_exception(error);
  co_return true;
}

std::string Event::repr() const {
  return object_repr_prefix("asyncio.locks.Event") + " [" + detail::with_waiters(value_ ? "set" : "unset", waiters_) +
         "]>";
}

// ----------------------------------------------------------------------------------------- Condition

Condition::Condition() : owned_(make_ref<Lock>()), lock_(owned_.get()) {}
Condition::Condition(Lock& lock) : lock_(&lock) {}
Condition::Condition(Ref<Lock> lock) : owned_(std::move(lock)), lock_(owned_.get()) {}

Coro<bool> Condition::wait() {
  // locks.py: Condition.wait
  if (!locked()) throw RuntimeError("cannot wait on un-acquired lock");
  auto keep = keep_alive();
  release();
  std::exception_ptr error;
  try {
    auto fut = make_ref<FutureState<void>>(get_loop());
    error = co_await detail::wait_in_line(waiters_, fut);
  } catch (...) {
    error = std::current_exception();
  }
  // finally: re-acquire the lock, whatever happens; a cancellation meanwhile is raised afterwards.
  bool cancelled = false;
  while (true) {
    try {
      co_await acquire();
      break;
    } catch (const CancelledError&) {
      cancelled = true;
    }
  }
  if (cancelled) throw CancelledError();
  if (error) std::rethrow_exception(error);
  co_return true;
}

void Condition::notify(std::size_t n) {
  if (!locked()) throw RuntimeError("cannot notify on un-acquired lock");
  std::size_t idx = 0;
  for (auto& fut : waiters_) {
    if (idx >= n) break;
    if (!fut->done()) {
      ++idx;
      fut->set_result();
    }
  }
}

std::string Condition::repr() const {
  return object_repr_prefix("asyncio.locks.Condition") + " [" +
         detail::with_waiters(locked() ? "locked" : "unlocked", waiters_) + "]>";
}

Coro<void> Condition::aenter() { co_await acquire(); }
Coro<bool> Condition::aexit(std::exception_ptr) {
  release();
  co_return false;
}

// ----------------------------------------------------------------------------------------- Semaphore

Semaphore::Semaphore(long value) : value_(value) {
  if (value < 0) throw ValueError("Semaphore initial value must be >= 0");
}

bool Semaphore::locked() const noexcept {
  return value_ == 0 || !detail::all_cancelled(waiters_);
}

Coro<bool> Semaphore::acquire() {
  // locks.py: Semaphore.acquire
  if (!locked()) {
    --value_;
    co_return true;
  }
  auto keep = keep_alive();
  auto fut = make_ref<FutureState<void>>(get_loop());
  auto error = co_await detail::wait_in_line(waiters_, fut);
  if (error) {
    if (is_cancelled_error(error) && !fut->cancelled()) {
      // Woken, then cancelled before it ran: hand the wake-up on.
      ++value_;
      wake_up_next();
    }
    std::rethrow_exception(error);
  }
  if (value_ > 0) wake_up_next();
  co_return true;
}

void Semaphore::release() {
  ++value_;
  wake_up_next();
}

void Semaphore::wake_up_next() {
  for (auto& fut : waiters_) {
    if (!fut->done()) {
      --value_;
      fut->set_result();
      return;
    }
  }
}

std::string Semaphore::repr() const {
  std::string extra = locked() ? "locked" : "unlocked, value:" + std::to_string(value_);
  return object_repr_prefix(qualified_name()) + " [" + detail::with_waiters(std::move(extra), waiters_) + "]>";
}

Coro<void> Semaphore::aenter() { co_await acquire(); }
Coro<bool> Semaphore::aexit(std::exception_ptr) {
  release();
  co_return false;
}

BoundedSemaphore::BoundedSemaphore(long value) : Semaphore(value), bound_value_(value) {}

void BoundedSemaphore::release() {
  if (value_ >= bound_value_) throw ValueError("BoundedSemaphore released too many times");
  Semaphore::release();
}

// ------------------------------------------------------------------------------------------- Barrier

namespace {
const char* state_name(Barrier::State s) {
  switch (s) {
    case Barrier::State::filling: return "filling";
    case Barrier::State::draining: return "draining";
    case Barrier::State::resetting: return "resetting";
    case Barrier::State::broken: return "broken";
  }
  return "?";
}
}  // namespace

Barrier::Barrier(long parties) : parties_(parties) {
  if (parties < 1) throw ValueError("parties must be > 0");
}

Coro<long> Barrier::wait() {
  // locks.py: Barrier.wait — `async with self._cond:` around the body.
  auto keep = keep_alive();
  co_await cond_.acquire();
  long index = 0;
  std::exception_ptr error;
  try {
    co_await block();  // block while the barrier drains or resets
    std::exception_ptr inner;
    try {
      index = count_++;
      if (index + 1 == parties_)
        release_all();
      else
        co_await wait_drained();
    } catch (...) {
      inner = std::current_exception();
    }
    --count_;
    exit();
    if (inner) std::rethrow_exception(inner);
  } catch (...) {
    error = std::current_exception();
  }
  cond_.release();
  if (error) std::rethrow_exception(error);
  co_return index;
}

Coro<void> Barrier::block() {
  co_await cond_.wait_for([this] { return state_ != State::draining && state_ != State::resetting; });
  if (state_ == State::broken) throw BrokenBarrierError("Barrier aborted");
}

void Barrier::release_all() {
  state_ = State::draining;
  cond_.notify_all();
}

Coro<void> Barrier::wait_drained() {
  // locks.py: Barrier._wait
  co_await cond_.wait_for([this] { return state_ != State::filling; });
  if (state_ == State::broken || state_ == State::resetting) throw BrokenBarrierError("Abort or reset of barrier");
}

void Barrier::exit() {
  if (count_ == 0) {
    if (state_ == State::resetting || state_ == State::draining) state_ = State::filling;
    cond_.notify_all();
  }
}

Coro<void> Barrier::reset() {
  // `async with self._cond:`; the body cannot raise while the lock is held.
  auto keep = keep_alive();
  co_await cond_.acquire();
  if (count_ > 0) {
    if (state_ != State::resetting) state_ = State::resetting;
  } else {
    state_ = State::filling;
  }
  cond_.notify_all();
  cond_.release();
}

Coro<void> Barrier::abort() {
  auto keep = keep_alive();
  co_await cond_.acquire();
  state_ = State::broken;
  cond_.notify_all();
  cond_.release();
}

std::string Barrier::repr() const {
  std::string extra = state_name(state_);
  if (!broken()) extra += ", waiters:" + std::to_string(n_waiting()) + "/" + std::to_string(parties_);
  return object_repr_prefix("asyncio.locks.Barrier") + " [" + extra + "]>";
}

Coro<bool> Barrier::aexit(std::exception_ptr) { co_return false; }

}  // namespace asyncio

#pragma once
// Synchronization primitives (asyncio/locks.py, asyncio/mixins.py): Lock, Event, Condition, Semaphore,
// BoundedSemaphore, Barrier. Waiters are FIFO deques of futures, as in CPython, so wake-up order and
// the number of loop iterations each hand-over costs are CPython's.
//
// The primitives are not copyable. They may live anywhere (stack, member, make_ref); while a coroutine
// is suspended in one of them the object must stay alive. When it is owned through Ref<> the
// suspended coroutine holds a reference, as the Python frame would.
#include <coroutine>
#include <deque>
#include <exception>
#include <string>
#include <utility>

#include "asyncio/coroutines.hpp"
#include "asyncio/futures.hpp"
#include "asyncio/tasks.hpp"

namespace asyncio {

/// mixins._LoopBoundMixin: binds to the running loop on first use (the first wait that blocks).
class LoopBoundMixin : public RefCounted {
 public:
  /// `<asyncio.locks.Lock object at 0x... [unlocked]>`
  virtual std::string repr() const = 0;

 protected:
  /// _get_loop(): the running loop; RuntimeError('<repr> is bound to a different event loop') when the
  /// object was first used under another loop.
  EventLoop& get_loop();
  /// A reference that keeps a Ref-owned object alive across a suspension (null when not Ref-owned).
  Ref<RefCounted> keep_alive() { return ref_count() ? Ref<RefCounted>(this) : Ref<RefCounted>(); }
  /// `<module.Name object at 0x...` without the closing `>`; callers append ` [...]>`.
  std::string object_repr_prefix(const char* qualified_name) const;
  /// id(self) as repr prints it: `0x7f...`.
  std::string address() const;

 private:
  Ref<EventLoop> loop_;
};

namespace detail {
using Waiter = Ref<FutureState<void>>;
using Waiters = std::deque<Waiter>;
/// deque.remove(fut): the first occurrence.
void remove_waiter(Waiters& ws, const Waiter& w);
/// `await fut` that records the exception instead of throwing, so the caller can run the `finally`
/// and `except` parts (C++ cannot co_await inside a handler). An awaiter, not a coroutine: a wait
/// costs no frame (a stream's read waits once per chunk). Whatever the await raises, the refusal
/// outside a task included, is returned.
class [[nodiscard]] AwaitWaiter {
 public:
  explicit AwaitWaiter(Waiter w) noexcept : inner_{std::move(w)} {}
  bool await_ready() noexcept {
    try {
      return inner_.await_ready();
    } catch (...) {
      error_ = std::current_exception();
      return true;
    }
  }
  void await_suspend(std::coroutine_handle<> h) { inner_.await_suspend(h); }
  std::exception_ptr await_resume() noexcept {
    if (error_) return std::move(error_);
    try {
      inner_.await_resume();
    } catch (...) {
      return std::current_exception();
    }
    return nullptr;
  }

 private:
  FutureAwaiter<FutureState<void>> inner_;
  std::exception_ptr error_;
};
inline AwaitWaiter await_waiter(Waiter w) noexcept { return AwaitWaiter(std::move(w)); }
/// Appends `w` to `ws`, waits for it and takes it out again (locks.py: `self._waiters.append(fut)` …
/// `finally: self._waiters.remove(fut)`); returns what interrupted the wait, if anything.
Coro<std::exception_ptr> wait_in_line(Waiters& ws, Waiter w);
}  // namespace detail

class Lock : public LoopBoundMixin {
 public:
  bool locked() const noexcept { return locked_; }
  /// Lock.acquire(): the fast path only when unlocked and every waiter is cancelled, so a new caller
  /// queues behind a woken waiter (no barging).
  Coro<bool> acquire();
  /// Lock.release(): RuntimeError('Lock is not acquired.') when unlocked.
  void release();
  std::string repr() const override;
  /// `async with lock` (_ContextManagerMixin).
  Coro<void> aenter();
  Coro<bool> aexit(std::exception_ptr exc);

 private:
  void wake_up_first();
  detail::Waiters waiters_;
  bool locked_ = false;
};

class Event : public LoopBoundMixin {
 public:
  bool is_set() const noexcept { return value_; }
  /// Wakes every waiter, FIFO; clear() afterwards does not take the wake-ups back.
  void set();
  void clear() noexcept { value_ = false; }
  Coro<bool> wait();
  std::string repr() const override;

 private:
  detail::Waiters waiters_;
  bool value_ = false;
};

class Condition : public LoopBoundMixin {
 public:
  /// Condition(): with a new Lock of its own.
  Condition();
  /// Condition(lock): shares `lock`, which must outlive the condition.
  explicit Condition(Lock& lock);
  /// Condition(lock) with shared ownership of the lock.
  explicit Condition(Ref<Lock> lock);

  bool locked() const noexcept { return lock_->locked(); }
  Coro<bool> acquire() { return lock_->acquire(); }
  void release() { lock_->release(); }
  Lock& lock() const noexcept { return *lock_; }

  /// Condition.wait(): RuntimeError('cannot wait on un-acquired lock'); releases the lock, waits for a
  /// notification, and re-acquires the lock even when cancelled (then raises CancelledError).
  Coro<bool> wait();
  /// Condition.wait_for(predicate): returns the predicate's final (truthy) value.
  template <class Predicate>
  Coro<std::invoke_result_t<Predicate&>> wait_for(Predicate predicate) {
    auto result = predicate();
    while (!result) {
      co_await wait();
      result = predicate();
    }
    co_return result;
  }
  /// Wakes the first n waiters that are not done, FIFO. RuntimeError('cannot notify on un-acquired lock').
  void notify(std::size_t n = 1);
  void notify_all() { notify(waiters_.size()); }
  std::string repr() const override;
  Coro<void> aenter();
  Coro<bool> aexit(std::exception_ptr exc);

 private:
  Ref<Lock> owned_;
  Lock* lock_;
  detail::Waiters waiters_;
};

class Semaphore : public LoopBoundMixin {
 public:
  /// ValueError('Semaphore initial value must be >= 0').
  explicit Semaphore(long value = 1);
  /// True when the value is 0 or any waiter is not cancelled: new callers queue behind waiters.
  bool locked() const noexcept;
  Coro<bool> acquire();
  virtual void release();
  long value() const noexcept { return value_; }
  std::string repr() const override;
  Coro<void> aenter();
  Coro<bool> aexit(std::exception_ptr exc);

 protected:
  virtual const char* qualified_name() const noexcept { return "asyncio.locks.Semaphore"; }
  long value_;

 private:
  void wake_up_next();
  detail::Waiters waiters_;
};

class BoundedSemaphore final : public Semaphore {
 public:
  explicit BoundedSemaphore(long value = 1);
  /// ValueError('BoundedSemaphore released too many times') above the initial value.
  void release() override;

 private:
  const char* qualified_name() const noexcept override { return "asyncio.locks.BoundedSemaphore"; }
  long bound_value_;
};

class Barrier final : public LoopBoundMixin {
 public:
  enum class State { filling, draining, resetting, broken };
  /// ValueError('parties must be > 0').
  explicit Barrier(long parties);
  /// Barrier.wait(): the arrival index, 0 .. parties-1. BrokenBarrierError('Barrier aborted') when
  /// broken on arrival, BrokenBarrierError('Abort or reset of barrier') when broken or reset while
  /// waiting.
  Coro<long> wait();
  /// Waiting tasks get BrokenBarrierError; the barrier refills once they have left.
  Coro<void> reset();
  /// Breaks the barrier: waiting and future callers get BrokenBarrierError.
  Coro<void> abort();
  long parties() const noexcept { return parties_; }
  long n_waiting() const noexcept { return state_ == State::filling ? count_ : 0; }
  bool broken() const noexcept { return state_ == State::broken; }
  State state() const noexcept { return state_; }
  std::string repr() const override;
  /// `async with barrier as index`
  Coro<long> aenter() { return wait(); }
  Coro<bool> aexit(std::exception_ptr exc);

 private:
  Coro<void> block();
  Coro<void> wait_drained();
  void release_all();
  void exit();
  Condition cond_;
  long parties_;
  State state_ = State::filling;
  long count_ = 0;
};

/// The guard `hold()` returns: releases the primitive when it goes out of scope (the `__aexit__` of
/// `async with lock:`), or earlier through release().
template <class P>
class [[nodiscard]] Held {
 public:
  explicit Held(P& p) noexcept : p_(&p) {}
  Held(Held&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  Held& operator=(Held&&) = delete;
  ~Held() {
    if (!p_) return;
    try {
      p_->release();
    } catch (const BaseException& e) {
      // A destructor cannot raise; the primitive was released behind the guard's back.
      warn("RuntimeWarning", "release() in a guard's destructor raised " + e.describe());
    }
  }
  void release() { std::exchange(p_, nullptr)->release(); }

 private:
  P* p_;
};

/// `auto held = co_await asyncio::hold(lock);` — acquire now, release at scope exit.
template <class P>
Coro<Held<P>> hold(P& p) {
  co_await p.acquire();
  co_return Held<P>(p);
}

}  // namespace asyncio

#pragma once
// Future<T>: asyncio.Future with a typed result (asyncio/futures.py), on the type-erased FutureBase.
#include <coroutine>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "asyncio/events.hpp"
#include "asyncio/future_base.hpp"

namespace asyncio {

/// The stored form of a result: `void` is kept as std::monostate.
template <class T>
using stored_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

namespace detail {
// Defined in tasks.hpp: every await calls them, so they are inline.
/// Suspends the running task on `fut` (nullptr: a bare yield, one loop iteration); require_task()
/// has checked that there is one.
inline void suspend_task(std::coroutine_handle<> h, FutureBase* fut);
/// Raises the exception the task was resumed with (a cancellation, or the awaited future's error).
inline void resume_task();
/// Checks, before suspending, that a task is running (a Coro is only ever driven by a task):
/// RuntimeError otherwise.
inline void require_task();

/// Copies a result out for an awaiter; move-only results are moved (one consumer).
template <class T>
T take(stored_t<T>& v) {
  if constexpr (std::is_void_v<T>)
    return;
  else if constexpr (std::is_copy_constructible_v<T>)
    return v;
  else
    return std::move(v);
}
}  // namespace detail

template <class T>
class FutureState final : public FutureBase {
 public:
  using value_type = T;
  using FutureBase::FutureBase;

  /// Future.set_result(); InvalidStateError('invalid state') unless pending.
  void set_result(stored_t<T> v = {}) {
    check_pending();
    value_.emplace(std::move(v));
    finish();
  }
  /// Future.result(): the value, or raises what the future holds.
  T result() {
    raise_if_failed();
    return detail::take<T>(*value_);
  }

 private:
  std::optional<stored_t<T>> value_;
};

/// Awaiting a future that is already done continues without yielding (Future.__await__ returns
/// result() at once); otherwise the task suspends and resumes one iteration after completion, because
/// done callbacks go through call_soon.
template <class S>
struct FutureAwaiter {
  Ref<S> s;
  bool await_ready() const {
    if (s->done()) return true;
    detail::require_task();
    return false;
  }
  void await_suspend(std::coroutine_handle<> h) { detail::suspend_task(h, s.get()); }
  auto await_resume() {
    detail::resume_task();
    return s->result();
  }
};

/// The handle user code holds: futures and tasks are shared, so copies refer to the same future.
template <class S>
class FutureHandle {
 public:
  FutureHandle() = default;
  explicit FutureHandle(Ref<S> s) : s_(std::move(s)) {}

  S* operator->() const noexcept { return s_.get(); }
  S& state() const noexcept { return *s_; }
  FutureBase* base() const noexcept { return s_.get(); }
  explicit operator bool() const noexcept { return bool(s_); }

  bool done() const noexcept { return s_->done(); }
  bool cancelled() const noexcept { return s_->cancelled(); }
  bool cancel(std::optional<std::string> msg = std::nullopt) const { return s_->cancel(std::move(msg)); }
  decltype(auto) result() const { return s_->result(); }
  std::exception_ptr exception() const { return s_->exception(); }
  const void* add_done_callback(FutureBase::DoneCallback cb) const { return s_->add_done_callback(std::move(cb)); }
  std::size_t remove_done_callback(const void* key) const { return s_->remove_done_callback(key); }
  EventLoop& get_loop() const noexcept { return s_->get_loop(); }
  std::string repr() const { return s_->repr(); }

  FutureAwaiter<S> operator co_await() const { return FutureAwaiter<S>{s_}; }
  friend bool operator==(const FutureHandle& a, const FutureHandle& b) noexcept { return a.s_ == b.s_; }

 protected:
  Ref<S> s_;
};

template <class T = void>
class Future : public FutureHandle<FutureState<T>> {
 public:
  using FutureHandle<FutureState<T>>::FutureHandle;
  using value_type = T;
  void set_result(stored_t<T> v = {}) const { this->s_->set_result(std::move(v)); }
  template <class E>
  void set_exception(E e) const {
    this->s_->set_exception(std::move(e));
  }
};

template <class T>
Future<T> EventLoop::create_future() {
  return Future<T>(make_ref<FutureState<T>>(*this));
}

}  // namespace asyncio

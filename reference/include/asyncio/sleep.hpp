#pragma once
// asyncio.sleep (tasks.py: sleep, __sleep0).
#include <chrono>
#include <cmath>
#include <limits>

#include "asyncio/futures.hpp"
#include "asyncio/tasks.hpp"

namespace asyncio {

/// The future a timed sleep awaits when the task's own sleep slot (tasks.hpp) is taken, which is
/// also its own timer-heap entry: CPython's sleep() creates a future and a TimerHandle for
/// `call_later(delay, futures._set_result_unless_cancelled, future, result)`; here the future
/// carries that handle's two flags (TimerHandle._scheduled, Handle._cancelled) and the heap entry
/// names the future, so a sleep allocates one object. The entry is pushed, sifted, popped, purged and
/// queued exactly where the TimerHandle would be (see EventLoop::run_once), so timer order, the
/// cancelled-timer count and the heap rebuild are CPython's.
class SleepFuture final : public FutureBase {
 public:
  /// loop.create_future() + loop.call_later(delay, ...): one clock read, as call_later does.
  SleepFuture(EventLoop& loop, Nanos delay) : FutureBase(loop) {
    loop.push_timer(reinterpret_cast<std::uintptr_t>(static_cast<RefCounted*>(this)) | EventLoop::kSleepTimer,
                    loop.later_deadline(delay));
  }
  /// The timer's `h.cancel()` in sleep()'s finally (events.py: TimerHandle.cancel): counted towards
  /// the heap rebuild only while still scheduled (base_events.py: _timer_handle_cancelled).
  void cancel_timer() noexcept {
    if (timer_cancelled) return;
    if (timer_scheduled) ++loop_->timer_cancelled_count_;
    timer_cancelled = true;
  }
  /// The timer's callback: futures._set_result_unless_cancelled.
  void fire() {
    if (!cancelled()) finish();
  }

  bool timer_scheduled = false;
  bool timer_cancelled = false;
};

/// The awaitable returned by sleep(). A delay of zero or less is one bare yield: the task gives up
/// exactly one loop iteration and no timer is created. Otherwise a future is resolved by a timer, and
/// the timer is cancelled however the sleep ends.
template <class T = void>
class [[nodiscard]] Sleep {
 public:
  Sleep(double seconds, stored_t<T> result = {})
      : delay_(seconds <= 0 ? kNoTimer
                            : std::isnan(seconds) ? 0  // NaN needs a timer too: 3.11 fires it on the next iteration
                                                  : seconds_to_nanos(seconds)),
        result_(std::move(result)) {}

  bool await_ready() const {
    detail::require_task();
    return false;
  }
  void await_suspend(std::coroutine_handle<> h) {
    if (delay_ == kNoTimer) {
      detail::suspend_task(h, nullptr);
      return;
    }
    // The task's own sleep slot when it is free (tasks.hpp), else a SleepFuture of its own.
    TaskBase& task = *get_running_loop().current_task();
    if (task.suspend_on_own_sleep(h, delay_)) return;
    fut_ = make_ref<SleepFuture>(task.get_loop(), delay_);
    detail::suspend_task(h, fut_.get());
  }
  T await_resume() {
    // sleep()'s `finally: h.cancel()`
    if (fut_)
      fut_->cancel_timer();
    else if (delay_ != kNoTimer)
      running_loop()->current_task()->cancel_own_sleep_timer();
    detail::resume_task();
    if constexpr (!std::is_void_v<T>) return std::move(result_);
  }

 private:
  // A positive delay never converts to a negative count of nanoseconds.
  static constexpr Nanos kNoTimer = -1;
  Nanos delay_;
  [[no_unique_address]] stored_t<T> result_;
  Ref<SleepFuture> fut_;
};

/// `co_await asyncio::sleep(1.5)`; `co_await asyncio::sleep(0)` yields once.
inline Sleep<void> sleep(double seconds) { return Sleep<void>(seconds); }
/// `co_await asyncio::sleep(1, value)` returns value.
template <class T>
Sleep<T> sleep(double seconds, T result) {
  return Sleep<T>(seconds, std::move(result));
}
template <class Rep, class Period>
Sleep<void> sleep(std::chrono::duration<Rep, Period> d) {
  return Sleep<void>(std::chrono::duration<double>(d).count());
}

}  // namespace asyncio

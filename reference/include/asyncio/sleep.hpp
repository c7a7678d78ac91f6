#pragma once
// asyncio.sleep (tasks.py: sleep, __sleep0).
#include <chrono>
#include <cmath>
#include <limits>

#include "asyncio/futures.hpp"
#include "asyncio/tasks.hpp"

namespace asyncio {

namespace detail {
/// futures._set_result_unless_cancelled, as a timer callback with the future as payload.
void set_result_unless_cancelled(HandleState& h);
}  // namespace detail

/// The awaitable returned by sleep(). A delay of zero or less is one bare yield: the task gives up
/// exactly one loop iteration and no timer is created. Otherwise a future is resolved by a
/// call_later timer, and the timer is cancelled however the sleep ends.
template <class T = void>
class [[nodiscard]] Sleep {
 public:
  Sleep(double seconds, stored_t<T> result = {})
      : timer_needed_(!(seconds <= 0)),  // NaN needs a timer too: 3.11 fires it on the next iteration
        delay_(std::isnan(seconds) ? 0 : seconds_to_nanos(seconds)),
        result_(std::move(result)) {}

  bool await_ready() const {
    detail::require_task();
    return false;
  }
  void await_suspend(std::coroutine_handle<> h) {
    if (!timer_needed_) {
      detail::suspend_task(h, nullptr);
      return;
    }
    auto& loop = get_running_loop();
    auto fut = make_ref<FutureState<void>>(loop);
    Ref<HandleState> timer(new HandleState);
    timer->loop = &loop;
    timer->fast = detail::set_result_unless_cancelled;
    timer->a = Ref<RefCounted>(fut.get());
    timer->label = Label::literal("futures._set_result_unless_cancelled()");
    const Nanos now = loop.time_ns();
    timer->when = delay_ > std::numeric_limits<Nanos>::max() - now ? std::numeric_limits<Nanos>::max() : now + delay_;
    timer_ = loop.schedule_timer(std::move(timer));
    detail::suspend_task(h, fut.get());
  }
  T await_resume() {
    timer_.cancel();
    detail::resume_task();
    if constexpr (!std::is_void_v<T>) return std::move(result_);
  }

 private:
  bool timer_needed_;
  Nanos delay_;
  stored_t<T> result_;
  TimerHandle timer_;
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

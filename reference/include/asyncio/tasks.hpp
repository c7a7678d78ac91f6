#pragma once
// Task<T>: a coroutine driven by the loop (asyncio/tasks.py: Task.__step, __wakeup, cancel, uncancel).
#include <coroutine>
#include <optional>
#include <string>
#include <vector>

#include "asyncio/coroutines.hpp"
#include "asyncio/events.hpp"
#include "asyncio/futures.hpp"

namespace asyncio {

class TaskBase : public FutureBase {
 public:
  /// Takes ownership of the coroutine frame; schedules the first step with call_soon.
  TaskBase(EventLoop& loop, std::coroutine_handle<> coro, detail::PromiseBase& promise, std::string&& name);
  ~TaskBase() override = default;

  /// Task.cancel(msg): counts the request (cancelling()); cancels the awaited future if there is one,
  /// otherwise the CancelledError is thrown into the coroutine at its next step.
  bool cancel(std::optional<std::string> msg = std::nullopt) override;
  /// The number of pending cancellation requests (3.11).
  int cancelling() const noexcept { return num_cancels_requested_; }
  /// Decrements cancelling(); in 3.11 it does not clear a pending cancel request.
  int uncancel() noexcept;
  /// RuntimeError('Task does not support set_exception operation').
  void set_exception(std::exception_ptr e) override;

  const std::string& get_name() const {
    if (number_) rare().name = "Task-" + std::to_string(std::exchange(number_, 0));
    return rare().name;
  }
  void set_name(std::string n) {
    number_ = 0;
    rare().name = std::move(n);
  }
  const char* coro_name() const noexcept { return top_ ? root_promise().name : rare_->coro_name; }
  /// `<Task pending name='Task-1' coro=<main() running>>`
  std::string repr() const override;

  /// Tasks created by run_until_complete from a coroutine do not report being destroyed pending.
  void set_log_destroy_pending(bool v) noexcept { log_destroy_pending_ = v; }

  // Used by awaiters (see futures.hpp detail::suspend_task) and the loop.
  void step_from_loop(std::exception_ptr exc);
  /// Drops the coroutine frame of a task whose loop closed under it.
  void discard_frame() noexcept;
  /// Suspended on a future or a sleep (Task._fut_waiter is set), or it was when its loop closed under
  /// it. In CPython such a task is in a reference cycle with that future (whose callbacks hold the
  /// task's wakeup), so once unreferenced it goes only when the garbage collector runs.
  bool waits_on_future() const noexcept { return fut_waiter_ || own_sleep_waiting_ || waited_at_discard_; }
  void suspend_on(std::coroutine_handle<> h, FutureBase* fut) noexcept {
    resume_point_ = h;
    loop_->yielded_ = fut;
  }
  std::exception_ptr take_throw_in() noexcept { return std::exchange(loop_->throw_in_, nullptr); }

  /// sleep(delay) on the task's own sleep slot (see own_sleep_queued_): schedules its timer and
  /// suspends `h` on it; false (nothing done) while the slot's previous timer is still queued.
  bool suspend_on_own_sleep(std::coroutine_handle<> h, Nanos delay);
  /// The slot's `h.cancel()` in sleep()'s finally (events.py: TimerHandle.cancel).
  void cancel_own_sleep_timer() noexcept;

 protected:
  std::coroutine_handle<> root() const noexcept { return top_; }
  /// The root coroutine's promise: TaskState knows its type. Reached through the frame rather than
  /// kept, as the frame is always there while the promise is needed (8 bytes of every task).
  virtual detail::PromiseBase& root_promise() const noexcept = 0;
  /// Task.__del__, then the coroutine's finalization: run by ~TaskState, while root_promise() works.
  void finalize() noexcept;

 private:
  friend class EventLoop;
  void step(std::exception_ptr exc);
  void complete();
  void schedule_step(std::exception_ptr exc);
  static void wakeup(FutureBase& fut, RefCounted* self);
  // The slot's future: futures._set_result_unless_cancelled (its timer fired), Future.cancel, and
  // Task.__wakeup once it is done.
  void fire_own_sleep();
  bool cancel_own_sleep(std::optional<std::string> msg);
  void wake_from_own_sleep();

  std::coroutine_handle<> top_;
  std::coroutine_handle<> resume_point_;
  Ref<FutureBase> fut_waiter_;
  bool must_cancel_ = false;
  bool started_ = false;
  bool log_destroy_pending_ = true;
  bool waited_at_discard_ = false;
  int num_cancels_requested_ = 0;
  // A default name is numbered at creation (tasks.py: _task_name_counter) but only spelled out (in
  // Rare::name) when asked for: formatting "Task-N" for every task was a measurable share of create_task.
  // Numbers past 32 bits are spelled out at creation.
  mutable std::uint32_t number_ = 0;
  // This task's place in the loop's list of unfinished tasks (EventLoop::task_slots_), or kNoSlot.
  static constexpr std::uint32_t kNoSlot = ~std::uint32_t{0};
  std::uint32_t slot_ = kNoSlot;
};

template <class T>
class TaskState final : public TaskBase {
 public:
  using value_type = T;
  TaskState(EventLoop& loop, Coro<T> coro, std::string name)
      : TaskState(loop, coro.release(), std::move(name)) {}
  ~TaskState() override { finalize(); }

  /// Task.result(): the coroutine's return value, or raises what the task holds.
  T result() {
    raise_if_failed();
    if constexpr (std::is_void_v<T>)
      return;
    else
      return detail::take<T>(*promise().value);
  }

 private:
  TaskState(EventLoop& loop, typename Coro<T>::handle_type h, std::string&& name)
      : TaskBase(loop, h, h.promise(), std::move(name)) {}
  detail::Promise<T>& promise() const noexcept {
    return Coro<T>::handle_type::from_address(root().address()).promise();
  }
  detail::PromiseBase& root_promise() const noexcept override { return promise(); }
};

template <class T = void>
class Task : public FutureHandle<TaskState<T>> {
 public:
  using FutureHandle<TaskState<T>>::FutureHandle;
  using value_type = T;
  const std::string& get_name() const noexcept { return this->s_->get_name(); }
  void set_name(std::string n) const { this->s_->set_name(std::move(n)); }
  int cancelling() const noexcept { return this->s_->cancelling(); }
  int uncancel() const noexcept { return this->s_->uncancel(); }
};

template <class T>
Task<T> EventLoop::create_task(Coro<T> coro, std::string name) {
  check_closed();
  if (!coro.valid() || coro.started()) throw TypeError("a coroutine was expected, got a started or empty Coro");
  return Task<T>(make_ref<TaskState<T>>(*this, std::move(coro), std::move(name)));
}

/// asyncio.create_task(): on the running loop (RuntimeError('no running event loop') otherwise).
template <class T>
Task<T> create_task(Coro<T> coro, std::string name = {}) {
  return get_running_loop().create_task(std::move(coro), std::move(name));
}

/// asyncio.current_task(): the task running on this thread's running loop, or null.
TaskBase* current_task() noexcept;
/// asyncio.all_tasks(): the running loop's unfinished tasks.
std::vector<Ref<TaskBase>> all_tasks();

namespace detail {
[[noreturn]] void throw_no_task();
inline void require_task() {
  EventLoop* loop = running_loop();
  if (!loop || !loop->current_task()) [[unlikely]] throw_no_task();
}
inline void suspend_task(std::coroutine_handle<> h, FutureBase* fut) { running_loop()->current_task()->suspend_on(h, fut); }
inline void resume_task() {
  if (std::exception_ptr e = running_loop()->current_task()->take_throw_in()) [[unlikely]] std::rethrow_exception(e);
}
}  // namespace detail

template <class T>
T EventLoop::run_until_complete(Coro<T> coro) {
  // base_events.py: run_until_complete checks the loop before ensure_future wraps the coroutine, so
  // a refused coroutine never becomes a task (and warns that it was never awaited).
  check_closed();
  check_running();
  return run_until_complete(create_task(std::move(coro)));
}
template <class T>
T EventLoop::run_until_complete(const Task<T>& task) {
  run_until_complete(*task.base());
  return task.result();
}
template <class T>
T EventLoop::run_until_complete(const Future<T>& fut) {
  run_until_complete(*fut.base());
  return fut.result();
}

}  // namespace asyncio

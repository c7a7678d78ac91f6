#pragma once
// asyncio.TaskGroup (taskgroups.py 3.11).
//
//     co_await asyncio::task_group([&](TaskGroup& tg) -> Coro<> {
//       tg.create_task(a());
//       tg.create_task(b());
//     });
//
// or, as the interpreter drives `async with`: `co_await tg.aenter(); ... co_await tg.aexit(exc);`.
// The first child error that is not a cancellation cancels the other children and, once, the parent
// task; __aexit__ waits for every child, uncancels the parent, and raises
// BaseExceptionGroup('unhandled errors in a TaskGroup', errors) with the errors in completion order
// and the body's own exception last (an ExceptionGroup when all are Exceptions). SystemExit and
// KeyboardInterrupt are raised bare; a cancellation of the parent from outside propagates when there
// are no errors.
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "asyncio/async_with.hpp"
#include "asyncio/futures.hpp"
#include "asyncio/tasks.hpp"

namespace asyncio {

namespace detail {
struct TaskGroupState final : RefCounted {
  bool entered = false;
  bool exiting = false;
  bool aborting = false;
  bool parent_cancel_requested = false;
  Ref<EventLoop> loop;
  Ref<TaskBase> parent_task;  // held from __aenter__ to the end of __aexit__
  std::vector<Ref<TaskBase>> tasks;  // a set in Python; insertion order here
  std::vector<std::exception_ptr> errors;
  std::exception_ptr base_error;
  Ref<FutureState<void>> on_completed_fut;

  std::string repr() const;
  void check_can_create() const;
  void add(TaskBase* task);
  void abort();
  static void on_task_done(FutureBase& task, RefCounted* self);
};
}  // namespace detail

class TaskGroup {
 public:
  TaskGroup() : s_(make_ref<detail::TaskGroupState>()) {}

  /// __aenter__: RuntimeError('TaskGroup <...> has already been entered') / ('TaskGroup <...> cannot
  /// determine the parent task').
  Coro<void> aenter();
  /// __aexit__(exc); never suppresses (returns false) — it raises instead.
  Coro<bool> aexit(std::exception_ptr exc);

  /// TaskGroup.create_task(coro, name=None): RuntimeError('TaskGroup <...> has not been entered' /
  /// 'is finished' / 'is shutting down'). The task gets a Task-N number even when it is named.
  template <class T>
  /// Takes the coroutine by reference: when the group refuses it, the caller still owns it.
  Task<T> create_task(Coro<T>&& coro, std::optional<std::string> name = std::nullopt) const {
    s_->check_can_create();
    auto task = s_->loop->create_task(std::move(coro));
    if (name) task.set_name(std::move(*name));  // tasks._set_task_name
    s_->add(&task.state());
    return task;
  }

  /// `<TaskGroup tasks=2 errors=1 cancelling>`
  std::string repr() const { return s_->repr(); }
  std::size_t task_count() const noexcept { return s_->tasks.size(); }
  /// TaskGroup._tasks: the group's tasks not yet done, in the order they were created.
  const std::vector<Ref<TaskBase>>& tasks() const noexcept { return s_->tasks; }

 private:
  Ref<detail::TaskGroupState> s_;
};

/// `async with asyncio.TaskGroup() as tg: body` — returns what the body returns.
template <class F>
auto task_group(F body) {
  return async_with(TaskGroup(), std::move(body));
}

}  // namespace asyncio

#include "asyncio/taskgroups.hpp"

#include <algorithm>

#include "asyncio/locks.hpp"

namespace asyncio {

namespace detail {

std::string TaskGroupState::repr() const {
  std::string info;
  if (!tasks.empty()) info += " tasks=" + std::to_string(tasks.size());
  if (!errors.empty()) info += " errors=" + std::to_string(errors.size());
  if (aborting)
    info += " cancelling";
  else if (entered)
    info += " entered";
  return "<TaskGroup" + info + ">";
}

void TaskGroupState::check_can_create() const {
  if (!entered) throw RuntimeError("TaskGroup " + repr() + " has not been entered");
  if (exiting && tasks.empty()) throw RuntimeError("TaskGroup " + repr() + " is finished");
  if (aborting) throw RuntimeError("TaskGroup " + repr() + " is shutting down");
}

void TaskGroupState::add(TaskBase* task) {
  task->add_fast_callback(&TaskGroupState::on_task_done, this);
  tasks.emplace_back(task);
}

void TaskGroupState::abort() {
  aborting = true;
  for (auto& t : tasks)
    if (!t->done()) t->cancel();
}

void TaskGroupState::on_task_done(FutureBase& task, RefCounted* self) {
  // taskgroups.py: TaskGroup._on_task_done
  auto& s = static_cast<TaskGroupState&>(*self);
  s.tasks.erase(std::find(s.tasks.begin(), s.tasks.end(), Ref<TaskBase>(&static_cast<TaskBase&>(task))));
  if (s.on_completed_fut && s.tasks.empty() && !s.on_completed_fut->done()) s.on_completed_fut->set_result();
  if (task.cancelled()) return;
  auto exc = task.exception();
  if (!exc) return;
  s.errors.push_back(exc);
  if (is_exit_exception(exc) && !s.base_error) s.base_error = exc;
  if (s.parent_task->done()) {
    ExceptionContext ctx;
    ctx.message = "Task " + task.repr() + " has errored out but its parent task " + s.parent_task->repr() +
                  " is already completed";
    ctx.exception = exc;
    ctx.future = &task;
    ctx.future_key = "task";
    s.loop->call_exception_handler(ctx);
    return;
  }
  if (!s.aborting && !s.parent_cancel_requested) {
    // Cancel the parent once, to interrupt whatever the body is awaiting; __aexit__ uncancels it.
    s.abort();
    s.parent_cancel_requested = true;
    s.parent_task->cancel();
  }
}

}  // namespace detail

Coro<void> TaskGroup::aenter() {
  auto s = s_;
  if (s->entered) throw RuntimeError("TaskGroup " + s->repr() + " has already been entered");
  if (!s->loop) s->loop = Ref<EventLoop>(&get_running_loop());
  s->parent_task = Ref<TaskBase>(s->loop->current_task());
  if (!s->parent_task) throw RuntimeError("TaskGroup " + s->repr() + " cannot determine the parent task");
  s->entered = true;
  co_return;
}

Coro<bool> TaskGroup::aexit(std::exception_ptr exc) {
  // taskgroups.py: TaskGroup.__aexit__
  auto s = s_;
  s->exiting = true;
  if (exc && is_exit_exception(exc) && !s->base_error) s->base_error = exc;

  const bool et_is_cancelled = detail::exception_type_is<CancelledError>(exc);
  std::exception_ptr propagate_cancellation_error = et_is_cancelled ? exc : nullptr;
  if (s->parent_cancel_requested) {
    // The group cancelled the parent: take that request back. With none left, do not propagate.
    if (s->parent_task->uncancel() == 0) propagate_cancellation_error = nullptr;
  }
  if (exc && !s->aborting) s->abort();  // the parent is being cancelled, or the body raised

  // The waiter can be cancelled several times if the parent is cancelled repeatedly.
  while (!s->tasks.empty()) {
    if (!s->on_completed_fut) s->on_completed_fut = make_ref<FutureState<void>>(*s->loop);
    if (auto error = co_await detail::await_waiter(s->on_completed_fut)) {
      if (!is_cancelled_error(error)) std::rethrow_exception(error);
      if (!s->aborting) {
        // The parent was cancelled from outside while the children were still running.
        propagate_cancellation_error = error;
        s->abort();
      }
    }
    s->on_completed_fut = nullptr;
  }
  s->parent_task = nullptr;

  if (s->base_error) std::rethrow_exception(s->base_error);
  // A cancellation propagates unless there are errors, which have priority.
  if (propagate_cancellation_error && s->errors.empty()) std::rethrow_exception(propagate_cancellation_error);
  if (exc && !et_is_cancelled) s->errors.push_back(exc);
  if (!s->errors.empty()) {
    auto errors = std::exchange(s->errors, {});
    std::rethrow_exception(make_exception_group("unhandled errors in a TaskGroup", std::move(errors)));
  }
  co_return false;
}

}  // namespace asyncio

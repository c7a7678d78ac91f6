#include "asyncio/tasks.hpp"

#include <cstdio>

namespace asyncio {

TaskBase::TaskBase(EventLoop& loop, std::coroutine_handle<> coro, detail::PromiseBase& promise, std::string&& name)
    : FutureBase(loop), top_(coro), resume_point_(coro) {
  is_task_ = true;
  promise.mark_started();  // owned by the task now: no "never awaited" warning
  if (!name.empty())
    rare().name = std::move(name);
  else if (const std::uint64_t n = loop.next_task_number(); n <= ~std::uint32_t{0})
    number_ = static_cast<std::uint32_t>(n);
  else
    rare().name = "Task-" + std::to_string(n);
  loop.register_task(this);
  schedule_step(nullptr);
}

void TaskBase::finalize() noexcept {
  if (state_ == State::pending && log_destroy_pending_) [[unlikely]] {
    // tasks.py: Task.__del__
    ExceptionContext ctx;
    ctx.message = "Task was destroyed but it is pending!";
    ctx.future = this;
    ctx.future_key = "task";
    try {
      loop_->call_exception_handler(ctx);
    } catch (...) {
    }
  }
  if (log_traceback_) report_unretrieved("Task");
  loop_->unregister_task(this);
  if (top_) {
    // A coroutine that never ran is finalized after Task.__del__ and warns like any other.
    if (!started_) warn("RuntimeWarning", std::string("coroutine '") + coro_name() + "' was never awaited");
    std::exchange(top_, {}).destroy();
  }
}

void TaskBase::discard_frame() noexcept {
  // A frame that never ran has registered nothing that points back at the task; it stays until
  // the task is destroyed, so the task still reads as running and the never-awaited warning follows.
  if (!started_) return;
  waited_at_discard_ = waits_on_future();
  fut_waiter_ = nullptr;
  own_sleep_waiting_ = false;
  if (top_) {
    rare().coro_name = root_promise().name;  // the name outlives the frame, for repr
    std::exchange(top_, {}).destroy();
  }
  resume_point_ = {};
}

void TaskBase::schedule_step(std::exception_ptr exc) {
  if (!exc) {
    // call_soon(self.__step): the entry is the task itself (see EventLoop::ReadyKind).
    loop_->push_ready(this, EventLoop::kTaskStep);
    return;
  }
  // call_soon(self.__step, exc): a Handle, which an exception from the step is reported against.
  Ref<HandleState> h(new HandleState(loop_.get(), [task = Ref<TaskBase>(this), exc = std::move(exc)]() mutable {
    task->step_from_loop(std::exchange(exc, nullptr));
  }));
  h->label = Label::literal("<TaskStepMethWrapper>");
  loop_->schedule_soon(std::move(h));
}

void TaskBase::set_exception(std::exception_ptr) {
  throw RuntimeError("Task does not support set_exception operation");
}

bool TaskBase::cancel(std::optional<std::string> msg) {
  // tasks.py: Task.cancel
  log_traceback_ = false;
  if (done()) return false;
  ++num_cancels_requested_;
  // Leave must_cancel_ clear when the waiter is cancelled: its cancellation is what wakes the task.
  if (own_sleep_waiting_) {
    if (cancel_own_sleep(msg)) return true;
  } else if (fut_waiter_) {
    if (fut_waiter_->cancel(msg)) return true;
  }
  must_cancel_ = true;
  set_cancel_message(std::move(msg));
  return true;
}

int TaskBase::uncancel() noexcept {
  if (num_cancels_requested_ > 0) --num_cancels_requested_;
  return num_cancels_requested_;
}

void TaskBase::wakeup(FutureBase& fut, RefCounted* self) {
  // tasks.py: Task.__wakeup — step with the future's exception (a cancellation included), or with
  // nothing so the awaiter reads the result itself.
  auto& task = static_cast<TaskBase&>(*self);
  std::exception_ptr exc;
  if (fut.cancelled())
    exc = fut.make_cancelled_error();
  else
    exc = fut.exception();
  task.step(std::move(exc));
}

void TaskBase::step_from_loop(std::exception_ptr exc) { step(std::move(exc)); }

void TaskBase::step(std::exception_ptr exc) {
  // tasks.py: Task.__step
  if (done()) throw InvalidStateError("_step(): already done: " + repr());
  if (must_cancel_) {
    if (!is_cancelled_error(exc)) exc = make_cancelled_error();
    must_cancel_ = false;
  }
  fut_waiter_ = nullptr;
  own_sleep_waiting_ = false;

  auto& loop = *loop_;
  if (loop.current_task_)
    throw RuntimeError("Cannot enter into task " + repr() + " while another task " + loop.current_task_->repr() +
                       " is being executed.");
  loop.current_task_ = this;
  Ref<TaskBase> keep(this);
  struct Leave {
    EventLoop& loop;
    ~Leave() { loop.current_task_ = nullptr; }
  } leave{loop};

  loop.yielded_ = nullptr;
  bool yielded = false;
  if (!started_ && exc) {
    // coro.throw() into a coroutine that never ran: the exception comes straight back out and the
    // body never runs.
    root_promise().exception = exc;
    started_ = true;
  } else {
    started_ = true;
    loop.throw_in_ = std::move(exc);
    std::exchange(resume_point_, {}).resume();
    loop.throw_in_ = nullptr;  // not left for another task's step
    yielded = !top_.done();
  }

  if (!yielded) {
    complete();
    return;
  }
  FutureBase* fut = std::exchange(loop.yielded_, nullptr);
  if (!fut) {
    if (own_sleep_waiting_) {
      // Suspended on the sleep slot's future: its wake-up is implied (see fire_own_sleep).
      if (must_cancel_ && cancel_own_sleep(cancel_message())) must_cancel_ = false;
      return;
    }
    // A bare yield gives up control for exactly one iteration (sleep(0)).
    schedule_step(nullptr);
    return;
  }
  if (&fut->get_loop() != &loop) {
    schedule_step(std::make_exception_ptr(
        RuntimeError("Task " + repr() + " got Future " + fut->repr() + " attached to a different loop")));
  } else if (fut == this) {
    schedule_step(std::make_exception_ptr(RuntimeError("Task cannot await on itself: " + repr())));
  } else {
    fut->add_fast_callback(&TaskBase::wakeup, this);
    fut_waiter_ = Ref<FutureBase>(fut);
    if (must_cancel_ && fut_waiter_->cancel(cancel_message())) must_cancel_ = false;
  }
}

bool TaskBase::suspend_on_own_sleep(std::coroutine_handle<> h, Nanos delay) {
  if (own_sleep_queued_) return false;
  // tasks.py: sleep — loop.create_future(), then loop.call_later(delay, ...): one clock read.
  const Nanos when = loop_->later_deadline(delay);
  own_sleep_state_ = State::pending;
  own_sleep_timer_cancelled_ = false;
  own_sleep_queued_ = true;
  loop_->push_timer(reinterpret_cast<std::uintptr_t>(static_cast<RefCounted*>(this)) | EventLoop::kOwnSleepTimer, when);
  resume_point_ = h;
  own_sleep_waiting_ = true;  // step() finds no yielded future and this flag: `await future`
  return true;
}

void TaskBase::cancel_own_sleep_timer() noexcept {
  // base_events.py: _timer_handle_cancelled counts it only while it is still in the heap.
  if (own_sleep_timer_cancelled_) return;
  if (own_sleep_scheduled_) ++loop_->timer_cancelled_count_;
  own_sleep_timer_cancelled_ = true;
}

void TaskBase::fire_own_sleep() {
  // futures._set_result_unless_cancelled; set_result schedules the one done callback, this task's
  // __wakeup, if it is still registered.
  if (own_sleep_state_ != State::pending) return;
  own_sleep_state_ = State::finished;
  if (own_sleep_waiting_) loop_->push_ready(this, EventLoop::kOwnSleepWakeup);
}

bool TaskBase::cancel_own_sleep(std::optional<std::string> msg) {
  // futures.py: Future.cancel — the message goes into the CancelledError __wakeup throws in.
  if (own_sleep_state_ != State::pending) return false;
  own_sleep_state_ = State::cancelled;
  if (msg || rare_) rare().own_sleep_cancelled = msg ? std::make_exception_ptr(CancelledError(*msg)) : nullptr;
  if (own_sleep_waiting_) loop_->push_ready(this, EventLoop::kOwnSleepWakeup);
  return true;
}

void TaskBase::wake_from_own_sleep() {
  // tasks.py: Task.__wakeup on the slot's future.
  std::exception_ptr exc;
  if (own_sleep_state_ == State::cancelled) {
    if (rare_) exc = std::exchange(rare_->own_sleep_cancelled, nullptr);
    if (!exc) exc = std::make_exception_ptr(CancelledError());
  }
  step(std::move(exc));
}

void TaskBase::complete() {
  auto exc = std::exchange(root_promise().exception, nullptr);
  loop_->unregister_task(this);
  if (!exc) {
    if (must_cancel_) {
      // The task was cancelled right before the coroutine returned.
      must_cancel_ = false;
      cancel_future(cancel_message());
    } else {
      finish();
    }
    return;
  }
  if (is_cancelled_error(exc)) {
    rare().cancelled_exc = exc;
    cancel_future(std::nullopt);
    return;
  }
  FutureBase::set_exception(exc);
  if (is_exit_exception(exc)) std::rethrow_exception(exc);
}

std::string TaskBase::repr() const {
  std::string status;
  switch (state_) {
    case State::pending: status = num_cancels_requested_ ? "cancelling" : "pending"; break;
    case State::cancelled: status = "cancelled"; break;
    case State::finished: status = "finished"; break;
  }
  std::string out = "<Task " + status + " name=" + py_repr(get_name()) + " coro=<" + coro_name() + "()";
  // coroutines.py: _format_coroutine says "running" while the coroutine has a frame (cr_frame), so a
  // pending task whose frame the closed loop discarded reads as done.
  out += state_ == State::pending && top_ ? " running>" : " done>";
  if (state_ == State::finished) {
    if (exception_)
      out += " exception=" + inspect(exception_).repr();
    else
      out += " result=" + result_repr();
  }
  return out + ">";
}

TaskBase* current_task() noexcept {
  auto* loop = running_loop();
  return loop ? loop->current_task() : nullptr;
}

std::vector<Ref<TaskBase>> all_tasks() { return get_running_loop().all_tasks(); }

namespace detail {

void throw_no_task() { throw RuntimeError("await wasn't used with a task: no task is running"); }

}  // namespace detail

}  // namespace asyncio

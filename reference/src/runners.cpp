#include "asyncio/runners.hpp"

#include <unistd.h>

#include <csignal>

#include "asyncio/asyncgens.hpp"
#include "asyncio/gather.hpp"
#include "asyncio/unix_events.hpp"

namespace asyncio {

namespace {

// runners.py: _cancel_all_tasks
void cancel_all_tasks(EventLoop& loop) {
  auto to_cancel = loop.all_tasks();
  if (to_cancel.empty()) return;
  std::vector<Ref<FutureBase>> children;
  for (auto& t : to_cancel) {
    t->cancel();
    children.emplace_back(t.get());
  }
  auto g = gather_futures(loop, std::move(children), true);
  loop.run_until_complete(*g);
  for (auto& t : to_cancel) {
    if (t->cancelled()) continue;
    if (auto exc = t->exception()) {
      ExceptionContext ctx;
      ctx.message = "unhandled exception during asyncio.run() shutdown";
      ctx.exception = exc;
      ctx.future = t.get();
      ctx.future_key = "task";
      loop.call_exception_handler(ctx);
    }
  }
}

void run_to_completion(EventLoop& loop, Coro<void> c) {
  auto task = loop.create_task(std::move(c));
  task->set_log_destroy_pending(false);
  loop.run_until_complete(task);
}

}  // namespace

void Runner::install_sigint(TaskBase& main_task) {
  interrupt_count_ = 0;
  // threading.current_thread() is threading.main_thread() and SIGINT is default_int_handler (here
  // SIG_DFL: see remove_signal_handler).
  struct sigaction current{};
  if (gettid() != getpid() || sigaction(SIGINT, nullptr, &current) < 0 || current.sa_handler != SIG_DFL) return;
  loop_->add_signal_handler(SIGINT, [this, task = Ref<TaskBase>(&main_task)] {
    // Runner._on_sigint.
    if (++interrupt_count_ == 1 && !task->done()) {
      task->cancel();
      return;
    }
    throw KeyboardInterrupt();
  });
  sigint_handler_ = detail::signal_handler(*loop_, SIGINT);
}

void Runner::restore_sigint() noexcept {
  // Back to default_int_handler, unless the program replaced the handler meanwhile.
  if (!sigint_handler_) return;
  if (detail::signal_handler(*loop_, SIGINT) == std::exchange(sigint_handler_, nullptr)) {
    try {
      loop_->remove_signal_handler(SIGINT);
    } catch (...) {
    }
  }
}

void Runner::lazy_init() {
  if (state_ == State::closed) throw RuntimeError("Runner is closed");
  if (state_ == State::initialized) return;
  if (factory_) {
    loop_ = factory_();
  } else {
    loop_ = new_event_loop();
    if (!set_event_loop_) {
      set_event_loop(loop_);
      set_event_loop_ = true;
    }
  }
  state_ = State::initialized;
}

void Runner::close() {
  if (state_ != State::initialized) return;
  struct Finally {
    Runner& r;
    ~Finally() {
      if (r.set_event_loop_) set_event_loop(nullptr);
      r.loop_->close();
      r.loop_ = nullptr;
      r.state_ = State::closed;
    }
  } finally{*this};
  cancel_all_tasks(*loop_);
  // A task even when there is no generator to close: the loop iteration it takes lets callbacks left
  // in the ready queue run before the loop closes, as in CPython.
  run_to_completion(*loop_, shutdown_asyncgens(*loop_));
  run_to_completion(*loop_, loop_->shutdown_default_executor());
}

}  // namespace asyncio

#include "asyncio/runners.hpp"

#include "asyncio/gather.hpp"

namespace asyncio {

namespace {

// base_events.py: shutdown_asyncgens / shutdown_default_executor. There are no async generators or
// executors here, but asyncio.run still runs both as tasks, and the loop iterations they take let
// callbacks left in the ready queue run before the loop closes; keep them for identical traces.
Coro<void> shutdown_asyncgens() { co_return; }
Coro<void> shutdown_default_executor() { co_return; }

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
  run_to_completion(*loop_, shutdown_asyncgens());
  run_to_completion(*loop_, shutdown_default_executor());
}

}  // namespace asyncio

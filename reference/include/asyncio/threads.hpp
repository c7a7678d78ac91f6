#pragma once
// Crossing threads: asyncio.to_thread (threads.py), loop.run_in_executor (base_events.py),
// asyncio.wrap_future (futures.py: _chain_future) and asyncio.run_coroutine_threadsafe (tasks.py).
//
// Each copies a result from one thread to the other exactly as CPython's _chain_future does: the
// concurrent future's done callback runs in the thread that finished it and hands the copy to the
// loop with call_soon_threadsafe, so the awaiting task resumes two iterations after the callback
// arrives (the copy's callback, then the future's done callback). The job is external work for the
// loop until the copy arrives: a virtual clock waits for it (see the poll phase in events.hpp).
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "asyncio/concurrent_futures.hpp"
#include "asyncio/coroutines.hpp"
#include "asyncio/events.hpp"
#include "asyncio/futures.hpp"
#include "asyncio/tasks.hpp"

namespace asyncio {

namespace detail {
/// A link keeping an asyncio future for another thread's job (LoopLink: the thread never touches it).
template <class T>
class FutureLink final : public LoopLink {
 public:
  explicit FutureLink(Future<T> f) : future_(std::move(f)) {}
  /// Loop thread, in a posted callback: the future, ending the link.
  Future<T> take() {
    Future<T> f = *future_;
    f.get_loop().remove_link(*this);
    return f;
  }

 private:
  void detach() noexcept override { future_.reset(); }
  std::optional<Future<T>> future_;
};

/// Registers an external link for `f` with f's loop.
template <class T>
std::shared_ptr<FutureLink<T>> link_future(const Future<T>& f) {
  auto link = std::make_shared<FutureLink<T>>(f);
  f.get_loop().add_link(link, true);
  return link;
}

/// futures._copy_future_state(source, dest) for a done concurrent source.
template <class T>
void copy_future_state(const concurrent::Future<T>& source, const Future<T>& dest) {
  if (dest.cancelled()) return;
  if (source.cancelled()) {
    dest.cancel();
  } else if (auto exc = source.exception()) {
    dest.set_exception(exc);
  } else if constexpr (std::is_void_v<T>) {
    dest.set_result();
  } else {
    dest.set_result(source.result());
  }
}
}  // namespace detail

/// asyncio.wrap_future(future, loop=loop): an asyncio future of `loop` (default: the current event
/// loop) that gets the concurrent future's outcome; cancelling it cancels the concurrent one (which
/// fails once its job runs).
template <class T>
Future<T> wrap_future(concurrent::Future<T> source, EventLoop* loop = nullptr) {
  EventLoop& l = loop ? *loop : get_event_loop();
  Future<T> dest = l.create_future<T>();
  auto link = detail::link_future(dest);
  // _call_check_cancel: the source has no loop, so it is cancelled at once.
  dest.add_done_callback([source](FutureBase& d) {
    if (d.cancelled()) source.cancel();
  });
  // _call_set_state, in the thread that completes the source.
  source.add_done_callback([link](const concurrent::Future<T>& src) {
    link->post([link, src] { detail::copy_future_state(src, link->take()); });
  });
  return dest;
}

template <class F>
Future<std::invoke_result_t<F&>> EventLoop::run_in_executor(std::shared_ptr<concurrent::Executor> executor, F fn) {
  check_closed();
  if (!executor) executor = default_executor();
  return wrap_future(executor->submit(std::move(fn)), this);
}

/// What to_thread runs its function in: contextvars.copy_context().run for the interpreter. The hook
/// is called on the loop's thread and returns the runner the worker calls with the function.
using ContextRunner = std::function<void(const std::function<void()>&)>;
using ContextCopier = std::function<ContextRunner()>;
void set_to_thread_context(ContextCopier copier);
const ContextCopier& to_thread_context();

namespace detail {
/// to_thread's run_in_executor(None, functools.partial(ctx.run, func)). Not a coroutine: g++ 12
/// destroys a lambda's init-captures twice when the lambda is built inside one.
template <class F>
Future<std::invoke_result_t<F&>> submit_to_thread(EventLoop& loop, F fn) {
  using R = std::invoke_result_t<F&>;
  const ContextCopier& copier = to_thread_context();
  if (!copier) return loop.run_in_executor(nullptr, std::move(fn));
  return loop.run_in_executor(nullptr, [run = copier(), fn = std::move(fn)]() mutable -> R {
    std::optional<stored_t<R>> value;
    run([&] {
      if constexpr (std::is_void_v<R>) {
        fn();
        value.emplace();
      } else {
        value.emplace(fn());
      }
    });
    return asyncio::detail::take<R>(*value);
  });
}
}  // namespace detail

/// asyncio.to_thread(func): fn() in the running loop's default executor (in the context the hook
/// captures, if one is set).
template <class F>
Coro<std::invoke_result_t<F&>> to_thread(F fn) {
  Future<std::invoke_result_t<F&>> result = detail::submit_to_thread(get_running_loop(), std::move(fn));
  co_return co_await result;
}

namespace detail {
/// The task that run_coroutine_threadsafe started, kept for cancellation requests from other threads.
class TaskLink final : public LoopLink {
 public:
  /// Loop thread.
  TaskBase* task() const noexcept { return task_.get(); }
  void set_task(Ref<TaskBase> t) noexcept { task_ = std::move(t); }

 private:
  void detach() noexcept override { task_ = nullptr; }
  Ref<TaskBase> task_;
};
}  // namespace detail

/// asyncio.run_coroutine_threadsafe(coro, loop), from any thread: the coroutine becomes a task of
/// `loop` (in a call_soon_threadsafe callback) and the returned concurrent future gets its outcome;
/// cancelling that future cancels the task through the loop. Not external work: the loop runs it.
template <class T>
concurrent::Future<T> run_coroutine_threadsafe(Coro<T> coro, EventLoop& loop) {
  concurrent::Future<T> future;
  auto link = std::make_shared<detail::TaskLink>();
  future.set_computed_by(link);
  loop.call_soon_threadsafe([coro = std::move(coro), future, link, &loop]() mutable {
    Task<T> task = loop.create_task(std::move(coro));
    link->set_task(Ref<TaskBase>(&task.state()));
    loop.add_link(link, false);
    // _call_check_cancel: the task has a loop and the future none, so through call_soon_threadsafe.
    future.add_done_callback([link](const concurrent::Future<T>& f) {
      if (f.cancelled()) link->post([link] {
          if (TaskBase* t = link->task()) t->cancel();
        });
    });
    // _call_set_state -> _set_concurrent_future_state, on the loop's thread.
    task.add_done_callback([future, link](FutureBase& done) {
      auto& t = static_cast<TaskState<T>&>(done);
      t.get_loop().remove_link(*link);
      if (t.cancelled()) future.cancel();
      if (!future.set_running_or_notify_cancel()) return;
      if (auto exc = t.exception()) {
        future.set_exception(exc);
      } else if constexpr (std::is_void_v<T>) {
        future.set_result();
      } else {
        future.set_result(t.result());
      }
    });
  });
  return future;
}

}  // namespace asyncio

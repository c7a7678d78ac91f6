#pragma once
// asyncio.wait and asyncio.wait_for (tasks.py: wait, _wait, wait_for, _cancel_and_wait) and
// asyncio.shield (tasks.py: shield).
#include <optional>
#include <utility>
#include <vector>

#include "asyncio/futures.hpp"
#include "asyncio/gather.hpp"
#include "asyncio/tasks.hpp"

namespace asyncio {

enum class ReturnWhen { FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED };
inline constexpr ReturnWhen FIRST_COMPLETED = ReturnWhen::FIRST_COMPLETED;
inline constexpr ReturnWhen FIRST_EXCEPTION = ReturnWhen::FIRST_EXCEPTION;
inline constexpr ReturnWhen ALL_COMPLETED = ReturnWhen::ALL_COMPLETED;

using FutureList = std::vector<Ref<FutureBase>>;

/// asyncio.wait on type-erased futures: (done, pending), each in first-appearance order (Python
/// returns sets). Duplicates collapse. A timeout returns what is done so far: nothing is raised and
/// nothing is cancelled. ValueError('Set of Tasks/Futures is empty.') for an empty list.
Coro<std::pair<FutureList, FutureList>> wait_futures(FutureList fs, std::optional<double> timeout = std::nullopt,
                                                     ReturnWhen return_when = ALL_COMPLETED);

/// asyncio.wait over tasks: `auto [done, pending] = co_await asyncio::wait(tasks, FIRST_COMPLETED);`
template <class T>
Coro<std::pair<std::vector<Task<T>>, std::vector<Task<T>>>> wait(std::vector<Task<T>> tasks,
                                                                 ReturnWhen return_when = ALL_COMPLETED,
                                                                 std::optional<double> timeout = std::nullopt) {
  FutureList fs;
  for (auto& t : tasks) fs.emplace_back(t.base());
  co_await wait_futures(std::move(fs), timeout, return_when);
  std::pair<std::vector<Task<T>>, std::vector<Task<T>>> out;
  for (auto& t : tasks) {
    auto& side = t.done() ? out.first : out.second;
    bool seen = false;
    for (auto& s : side) seen = seen || s == t;
    if (!seen) side.push_back(t);
  }
  co_return out;
}

/// The 3.11 wait_for on a future or task: returns once `fut` is done (the caller reads its result);
/// on timeout, cancels it, waits until it has really finished, then raises TimeoutError (from the
/// CancelledError) unless the future ended otherwise. Cancelling the waiter cancels `fut` the same way.
Coro<void> wait_for_future(Ref<FutureBase> fut, std::optional<double> timeout);

/// asyncio.wait_for: a coroutine is wrapped in a new task (with a timeout) or awaited inline (none).
template <class T>
Coro<T> wait_for(Coro<T> coro, std::optional<double> timeout) {
  if (!timeout) co_return co_await std::move(coro);
  auto task = get_running_loop().create_task(std::move(coro));
  co_await wait_for_future(Ref<FutureBase>(task.base()), timeout);
  co_return task.result();
}
template <class T>
Coro<T> wait_for(Task<T> task, std::optional<double> timeout) {
  co_await wait_for_future(Ref<FutureBase>(task.base()), timeout);
  co_return task.result();
}

/// The outer future of shield(): mirrors the inner future's outcome, but cancelling it leaves the
/// inner untouched. Its value is read from the inner future.
class ShieldFuture final : public FutureBase {
 public:
  ShieldFuture(EventLoop& loop, Ref<FutureBase> inner);
  FutureBase& inner() const noexcept { return *inner_; }

 private:
  static void inner_done(FutureBase& inner, RefCounted* self);
  static void outer_done(FutureBase& outer, RefCounted* self);
  Ref<FutureBase> inner_;
};

/// asyncio.shield on a type-erased future: the future itself if done, else a ShieldFuture.
Ref<FutureBase> shield_future(Ref<FutureBase> inner);

/// asyncio.shield(task): `co_await asyncio::shield(task)`.
template <class T>
Coro<T> shield(Task<T> task) {
  auto outer = shield_future(Ref<FutureBase>(task.base()));
  if (outer.get() != task.base()) co_await FutureHandle<FutureBase>(outer);
  co_return task.result();
}

}  // namespace asyncio

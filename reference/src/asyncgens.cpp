#include "asyncio/asyncgens.hpp"

#include <algorithm>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "asyncio/gather.hpp"
#include "asyncio/tasks.hpp"

namespace asyncio {

namespace {

// Each loop's _asyncgens, in first-iteration order (CPython's WeakSet has no reproducible order).
// A side table rather than a member: only loops that ever run asynchronous generators pay for it.
// An entry cannot outlive its loop's address: a registered generator keeps its loop alive.
std::unordered_map<const EventLoop*, std::vector<AsyncGen*>>& registry() {
  static std::unordered_map<const EventLoop*, std::vector<AsyncGen*>> r;
  return r;
}

}  // namespace

void asyncgen_firstiter(EventLoop& loop, AsyncGen& agen) { registry()[&loop].push_back(&agen); }

void asyncgen_forget(EventLoop& loop, AsyncGen& agen) noexcept {
  auto it = registry().find(&loop);
  if (it == registry().end()) return;
  std::erase(it->second, &agen);
  if (it->second.empty()) registry().erase(it);
}

void asyncgen_finalizer(EventLoop& loop, AsyncGen& agen) {
  asyncgen_forget(loop, agen);
  if (loop.is_closed()) return;
  // base_events.py _asyncgen_finalizer_hook: call_soon_threadsafe(create_task, agen.aclose()). A close
  // the loop never gets to run (it stops first) is dropped without a "never awaited" warning, as
  // CPython drops the athrow() awaitable.
  struct PendingClose {
    explicit PendingClose(Coro<void> c) : coro(std::move(c)) {}
    Coro<void> coro;
    ~PendingClose() {
      if (coro.valid() && !coro.started()) coro.handle().promise().mark_started();
    }
  };
  auto pending = std::make_shared<PendingClose>(agen.aclose());
  loop.call_soon_threadsafe([&loop, pending] { loop.create_task(std::move(pending->coro)); });
}

Coro<void> shutdown_asyncgens(EventLoop& loop) {
  auto it = registry().find(&loop);
  if (it == registry().end()) co_return;
  std::vector<AsyncGen*> closing = std::move(it->second);
  registry().erase(it);
  std::vector<std::string> names;
  std::vector<Ref<FutureBase>> tasks;
  for (AsyncGen* agen : closing) {
    names.push_back(agen->repr());
    tasks.emplace_back(loop.create_task(agen->aclose()).base());
  }
  co_await FutureHandle<GatheringFuture>(gather_futures(loop, tasks, true));
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    std::exception_ptr exc = tasks[i]->cancelled() ? nullptr : tasks[i]->exception();
    if (!exc) continue;
    try {
      std::rethrow_exception(exc);
    } catch (const Exception&) {  // isinstance(result, Exception): a cancellation is not reported
      ExceptionContext ctx;
      ctx.message = "an error occurred during closing of asynchronous generator " + names[i];
      ctx.exception = exc;
      ctx.extra.emplace_back("asyncgen", names[i]);
      loop.call_exception_handler(ctx);
    } catch (...) {
    }
  }
}

}  // namespace asyncio

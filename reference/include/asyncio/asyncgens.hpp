#pragma once
// Asynchronous generators as the loop sees them through sys.set_asyncgen_hooks (base_events.py:
// _asyncgen_firstiter_hook, _asyncgen_finalizer_hook, shutdown_asyncgens). C++ has no asynchronous
// generators; a Python implementation running on the loop (the interpreter) registers its own here,
// and asyncio.run/Runner.close close those still alive between cancelling the tasks and shutting the
// default executor down, as runners.py does.
#include <string>

#include "asyncio/coroutines.hpp"
#include "asyncio/events.hpp"

namespace asyncio {

/// An asynchronous generator the loop must be able to close.
class AsyncGen {
 public:
  virtual ~AsyncGen() = default;
  /// agen.aclose(), as a coroutine that keeps the generator alive until it ends.
  virtual Coro<void> aclose() = 0;
  virtual std::string repr() const = 0;
};

/// The firstiter hook: the loop remembers `agen` (weakly: it must call asyncgen_forget or
/// asyncgen_finalizer before it goes).
void asyncgen_firstiter(EventLoop& loop, AsyncGen& agen);
/// Forgets `agen` (the WeakSet losing a generator that finished).
void asyncgen_forget(EventLoop& loop, AsyncGen& agen) noexcept;
/// The finalizer hook, for a generator going while suspended: forgets it and, unless the loop is
/// closed, schedules (call_soon) a task running agen.aclose(). Loop thread only.
void asyncgen_finalizer(EventLoop& loop, AsyncGen& agen);
/// loop.shutdown_asyncgens(): closes the generators still remembered, concurrently (gather with
/// return_exceptions); each Exception is reported to the loop's exception handler as
/// "an error occurred during closing of asynchronous generator <repr>".
Coro<void> shutdown_asyncgens(EventLoop& loop);

}  // namespace asyncio

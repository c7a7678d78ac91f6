#include "asyncio/wait.hpp"

#include <algorithm>

namespace asyncio {

namespace {

// tasks.py: _release_waiter
void release_waiter(FutureBase& waiter) {
  if (!waiter.done()) static_cast<FutureState<void>&>(waiter).set_result();
}
void release_waiter_cb(FutureBase&, RefCounted* waiter) { release_waiter(static_cast<FutureBase&>(*waiter)); }

TimerHandle release_later(EventLoop& loop, double timeout, Ref<FutureState<void>> waiter) {
  return loop.call_later(timeout, [w = std::move(waiter)] { release_waiter(*w); }, "_release_waiter()");
}

// tasks.py: _cancel_and_wait
Coro<void> cancel_and_wait(Ref<FutureBase> fut) {
  auto& loop = get_running_loop();
  auto waiter = make_ref<FutureState<void>>(loop);
  const void* key = waiter.get();
  fut->add_fast_callback(release_waiter_cb, waiter.get(), key);
  try {
    fut->cancel();
    co_await FutureHandle<FutureState<void>>(waiter);
  } catch (...) {
    fut->remove_done_callback(key);
    throw;
  }
  fut->remove_done_callback(key);
}

struct WaitState final : RefCounted {
  Ref<FutureState<void>> waiter;
  TimerHandle timeout_handle;
  std::size_t counter;
  ReturnWhen return_when;
};

void on_completion(FutureBase& f, RefCounted* s) {
  auto& st = static_cast<WaitState&>(*s);
  --st.counter;
  if (st.counter == 0 || st.return_when == FIRST_COMPLETED ||
      (st.return_when == FIRST_EXCEPTION && !f.cancelled() && f.exception())) {
    st.timeout_handle.cancel();
    release_waiter(*st.waiter);
  }
}

}  // namespace

Coro<std::pair<FutureList, FutureList>> wait_futures(FutureList input, std::optional<double> timeout,
                                                     ReturnWhen return_when) {
  if (input.empty()) throw ValueError("Set of Tasks/Futures is empty.");
  FutureList fs;  // set(fs), in first-appearance order
  for (auto& f : input)
    if (std::find(fs.begin(), fs.end(), f) == fs.end()) fs.push_back(f);
  auto& loop = get_running_loop();

  // tasks.py: _wait
  auto st = make_ref<WaitState>();
  st->waiter = make_ref<FutureState<void>>(loop);
  st->counter = fs.size();
  st->return_when = return_when;
  if (timeout) st->timeout_handle = release_later(loop, *timeout, st->waiter);
  const void* key = st.get();
  for (auto& f : fs) f->add_fast_callback(on_completion, st.get(), key);
  std::exception_ptr error;
  try {
    co_await FutureHandle<FutureState<void>>(st->waiter);
  } catch (...) {
    error = std::current_exception();
  }
  st->timeout_handle.cancel();
  for (auto& f : fs) f->remove_done_callback(key);
  if (error) std::rethrow_exception(error);

  std::pair<FutureList, FutureList> out;
  for (auto& f : fs) (f->done() ? out.first : out.second).push_back(f);
  co_return out;
}

Coro<void> wait_for_future(Ref<FutureBase> fut, std::optional<double> timeout) {
  auto& loop = get_running_loop();
  if (!timeout) {
    co_await FutureHandle<FutureBase>(fut);
    co_return;
  }
  if (*timeout <= 0) {
    if (fut->done()) co_return;
    co_await cancel_and_wait(fut);
    if (fut->cancelled()) {
      TimeoutError err;
      err.cause = fut->make_cancelled_error();
      throw err;
    }
    co_return;
  }

  auto waiter = make_ref<FutureState<void>>(loop);
  TimerHandle timeout_handle = release_later(loop, *timeout, waiter);
  const void* key = waiter.get();
  fut->add_fast_callback(release_waiter_cb, waiter.get(), key);
  struct Finally {
    TimerHandle& h;
    ~Finally() { h.cancel(); }
  } finally{timeout_handle};

  std::exception_ptr cancelled;
  try {
    co_await FutureHandle<FutureState<void>>(waiter);
  } catch (const CancelledError&) {
    cancelled = std::current_exception();
  }
  if (cancelled) {
    // 3.11: if the inner finished meanwhile, its result wins and the cancellation is swallowed.
    if (fut->done()) co_return;
    fut->remove_done_callback(key);
    co_await cancel_and_wait(fut);
    // tasks.py: wait_for re-raises the caught CancelledError (a bare `raise`), message included.
    std::rethrow_exception(cancelled);
  }
  if (fut->done()) co_return;
  fut->remove_done_callback(key);
  co_await cancel_and_wait(fut);
  if (fut->cancelled()) {
    TimeoutError err;
    err.cause = fut->make_cancelled_error();
    throw err;
  }
}

ShieldFuture::ShieldFuture(EventLoop& loop, Ref<FutureBase> inner) : FutureBase(loop), inner_(std::move(inner)) {
  inner_->add_fast_callback(&ShieldFuture::inner_done, this, this);
  add_fast_callback(&ShieldFuture::outer_done, nullptr);
}

void ShieldFuture::inner_done(FutureBase& inner, RefCounted* self) {
  auto& outer = static_cast<ShieldFuture&>(*self);
  if (outer.cancelled()) {
    if (!inner.cancelled()) inner.exception();  // mark retrieved
    return;
  }
  if (inner.cancelled())
    outer.cancel();
  else if (auto exc = inner.exception())
    outer.FutureBase::set_exception(exc);
  else
    outer.finish();
}

void ShieldFuture::outer_done(FutureBase& outer, RefCounted*) {
  auto& self = static_cast<ShieldFuture&>(outer);
  if (!self.inner_->done()) self.inner_->remove_done_callback(&self);
}

Ref<FutureBase> shield_future(Ref<FutureBase> inner) {
  if (inner->done()) return inner;
  auto& loop = inner->get_loop();
  return Ref<FutureBase>(make_ref<ShieldFuture>(loop, std::move(inner)));
}

}  // namespace asyncio

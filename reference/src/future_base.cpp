#include "asyncio/future_base.hpp"

#include <algorithm>

#include "asyncio/events.hpp"

namespace asyncio {

FutureBase::FutureBase(EventLoop& loop) : loop_(&loop) {}

const std::optional<std::string>& FutureBase::cancel_message() const noexcept {
  static const std::optional<std::string> none;
  return rare_ ? rare_->cancel_message : none;
}

FutureBase::~FutureBase() {
  if (log_traceback_) report_unretrieved("Future");
  drop_first_callback();
}

void FutureBase::drop_first_callback() noexcept {
  first_fn_ = nullptr;
  if (first_obj_) std::exchange(first_obj_, nullptr)->release();
}

void FutureBase::run_first_callback() {
  const FastCallback fn = std::exchange(first_fn_, nullptr);
  auto obj = Ref<RefCounted>::adopt(std::exchange(first_obj_, nullptr));
  fn(*this, obj.get());
}

void FutureBase::report_unretrieved(const char* kind) noexcept {
  if (!log_traceback_) return;
  log_traceback_ = false;
  // futures.py: Future.__del__
  ExceptionContext ctx;
  ctx.message = std::string(kind) + " exception was never retrieved";
  ctx.exception = exception_;
  ctx.future = this;
  try {
    loop_->call_exception_handler(ctx);
  } catch (...) {
  }
}

void FutureBase::throw_invalid_state() { throw InvalidStateError("invalid state"); }

bool FutureBase::cancel(std::optional<std::string> msg) { return cancel_future(std::move(msg)); }

bool FutureBase::cancel_future(std::optional<std::string> msg) {
  log_traceback_ = false;
  if (state_ != State::pending) return false;
  state_ = State::cancelled;
  set_cancel_message(std::move(msg));
  schedule_callbacks();
  return true;
}

std::exception_ptr FutureBase::make_cancelled_error() {
  if (rare_) {
    if (rare_->cancelled_exc) return std::exchange(rare_->cancelled_exc, nullptr);
    if (rare_->cancel_message) return std::make_exception_ptr(CancelledError(*rare_->cancel_message));
  }
  return std::make_exception_ptr(CancelledError());
}

void FutureBase::raise_not_finished(const char* pending_text) {
  if (state_ == State::cancelled) std::rethrow_exception(make_cancelled_error());
  throw InvalidStateError(pending_text);
}

void FutureBase::set_exception(std::exception_ptr e) {
  check_pending();
  // futures.py: StopIteration cannot be raised into a Future (3.11 raises TypeError); there is no
  // StopIteration in C++, so nothing to check here.
  exception_ = std::move(e);
  state_ = State::finished;
  log_traceback_ = true;
  schedule_callbacks();
}


const void* FutureBase::add_done_callback(DoneCallback cb, const void* key, CallbackLabel label) {
  if (!key) {
    // A fresh token: small integers are never object addresses, so they cannot collide with keys
    // that are (the interpreter uses its callable's address).
    static std::uintptr_t counter = 0;
    key = reinterpret_cast<const void*>(++counter);
  }
  Callback c;
  c.fn = std::move(cb);
  c.key = key;
  c.label = label;
  if (done())
    schedule(std::move(c));
  else
    rare().callbacks.push_back(std::move(c));
  return key;
}

void FutureBase::add_fast_callback(FastCallback fn, RefCounted* obj, const void* key) {
  if (!key && !done() && !first_fn_ && !has_callbacks()) {
    first_fn_ = fn;
    first_obj_ = obj;
    if (obj) obj->add_ref();
    return;
  }
  Callback c;
  c.fast = fn;
  c.obj = Ref<RefCounted>(obj);
  c.key = key;
  if (done())
    schedule(std::move(c));
  else
    rare().callbacks.push_back(std::move(c));
}

std::size_t FutureBase::remove_done_callback(const void* key) {
  std::size_t removed = 0;
  // Once done, the inline callback belongs to its scheduled entry: CPython's list is already empty.
  if (!key && first_fn_ && !done()) {
    drop_first_callback();
    removed = 1;
  }
  if (!rare_) return removed;
  auto& cbs = rare_->callbacks;
  const auto before = cbs.size();
  cbs.erase(std::remove_if(cbs.begin(), cbs.end(), [&](const Callback& c) { return c.key == key; }), cbs.end());
  return removed + before - cbs.size();
}

void FutureBase::schedule(Callback cb) {
  // futures.py: __schedule_callbacks — each callback goes through call_soon, in registration order.
  Ref<HandleState> h;
  if (cb.fast)
    h = Ref<HandleState>(new HandleState(loop_.get(), [self = Ref<FutureBase>(this), fn = cb.fast, obj = std::move(cb.obj)] {
      fn(*self, obj.get());
    }));
  else {
    std::string label = cb.label ? cb.label(*this, cb.fn) : std::string();
    h = Ref<HandleState>(new HandleState(loop_.get(), [self = Ref<FutureBase>(this), fn = std::move(cb.fn)] { fn(*self); }));
    h->label = Label(std::move(label));
  }
  loop_->schedule_soon(std::move(h));
}

void FutureBase::schedule_listed_callbacks() {
  auto cbs = std::move(rare_->callbacks);
  rare_->callbacks.clear();
  for (auto& c : cbs) schedule(std::move(c));
}

std::string FutureBase::repr() const {
  switch (state_) {
    case State::pending: return "<Future pending>";
    case State::cancelled: return "<Future cancelled>";
    case State::finished:
      if (exception_) return "<Future finished exception=" + inspect(exception_).repr() + ">";
      return "<Future finished result=" + result_repr() + ">";
  }
  return "<Future>";
}

}  // namespace asyncio

#pragma once
// The type-erased core of asyncio.Future (asyncio/futures.py): state, exception, cancellation and done
// callbacks. The value lives in the typed layers (FutureState<T>, TaskState<T>, and the interpreter's
// dynamic futures), so one scheduler serves typed C++ code and the Python interpreter alike.
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "asyncio/exceptions.hpp"
#include "asyncio/pool.hpp"
#include "asyncio/ref.hpp"

namespace asyncio {

class EventLoop;

class FutureBase : public RefCounted {
 public:
  enum class State : std::uint8_t { pending, cancelled, finished };
  using DoneCallback = std::function<void(FutureBase&)>;
  using FastCallback = void (*)(FutureBase&, RefCounted*);
  /// Names a done callback's Handle (the label of its "Exception in callback" report and repr), made
  /// when the future schedules it: futures.py's call_soon(callback, self) formats the callback with
  /// the future as its argument.
  using CallbackLabel = std::string (*)(FutureBase& fut, const DoneCallback& cb);

  explicit FutureBase(EventLoop& loop);
  ~FutureBase() override;

  EventLoop& get_loop() const noexcept { return *loop_.get(); }
  State state() const noexcept { return state_; }
  bool done() const noexcept { return state_ != State::pending; }
  bool cancelled() const noexcept { return state_ == State::cancelled; }
  bool is_task() const noexcept { return is_task_; }

  /// Future.cancel(msg): False when done; otherwise cancelled, callbacks scheduled, True.
  virtual bool cancel(std::optional<std::string> msg = std::nullopt);
  /// Future.exception(): the exception (null if the result is a value); raises CancelledError when
  /// cancelled and InvalidStateError('Exception is not set.') when pending.
  std::exception_ptr exception() {
    if (state_ != State::finished) [[unlikely]] raise_not_finished("Exception is not set.");
    log_traceback_ = false;
    return exception_;
  }
  /// The checks of Future.result() without the value: raises what result() would raise.
  void raise_if_failed() {
    if (state_ != State::finished) [[unlikely]] raise_not_finished("Result is not set.");
    log_traceback_ = false;
    if (exception_) [[unlikely]] std::rethrow_exception(exception_);
  }
  /// result() for a future whose value is read elsewhere (awaiting a FutureBase).
  void result() { raise_if_failed(); }
  /// Future.set_exception(); InvalidStateError('invalid state') when already done.
  virtual void set_exception(std::exception_ptr e);
  template <class E>
  void set_exception(E e) {
    set_exception(std::make_exception_ptr(std::move(e)));
  }

  /// Future.add_done_callback: runs through call_soon once done (immediately scheduled if done already).
  /// `key` identifies the callback for remove_done_callback; by default a fresh token is returned.
  /// `label` names the callback's Handle (none: `<callback>`).
  const void* add_done_callback(DoneCallback cb, const void* key = nullptr, CallbackLabel label = nullptr);
  /// Removes every callback registered with `key`; returns how many.
  std::size_t remove_done_callback(const void* key);
  /// Internal: a done callback without std::function (task wake-ups, combinators).
  void add_fast_callback(FastCallback fn, RefCounted* obj, const void* key = nullptr);

  /// `<Future pending>`, `<Future finished result=...>`; tasks and the interpreter refine it.
  virtual std::string repr() const;
  /// The stored value's repr for repr(); "..." when the layer above does not know how to print it.
  virtual std::string result_repr() const { return "..."; }

  /// futures.Future._make_cancelled_error: the saved CancelledError once, then a fresh one.
  std::exception_ptr make_cancelled_error();
  /// Marks the exception retrieved (no "exception was never retrieved" report).
  void mark_retrieved() noexcept { log_traceback_ = false; }
  const std::optional<std::string>& cancel_message() const noexcept;
  /// An object the layer above keeps with this future for as long as the future lives (the
  /// interpreter: a Python future's attributes, a task's coroutine object); null until attached.
  RefCounted* attachment() const noexcept { return rare_ ? rare_->attachment.get() : nullptr; }
  void attach(Ref<RefCounted> obj) { rare().attachment = std::move(obj); }

  // Futures and tasks are created and freed at the rate of tasks: recycle them (see pool.hpp).
  static void* operator new(std::size_t size) { return detail::pool_allocate(size); }
  static void operator delete(void* p, std::size_t size) noexcept { detail::pool_deallocate(p, size); }

 private:
  struct Callback {
    FastCallback fast = nullptr;
    Ref<RefCounted> obj;
    DoneCallback fn;
    const void* key = nullptr;
    CallbackLabel label = nullptr;
  };

 protected:
  /// Fields most futures never touch, allocated on first use: a pending task carries none of them.
  struct Rare {
    std::optional<std::string> cancel_message;
    std::exception_ptr cancelled_exc;  // the CancelledError a task ended with (futures.py: _cancelled_exc)
    std::vector<Callback, detail::PoolAllocator<Callback>> callbacks;  // after the inline first one
    std::string name;  // TaskBase: the name, once set or spelled out
    const char* coro_name = nullptr;  // TaskBase: its coroutine's name, once the frame is gone
    std::exception_ptr own_sleep_cancelled;  // TaskBase: CancelledError(msg) of its sleep slot's future
    Ref<RefCounted> attachment;  // see attachment()
    static void* operator new(std::size_t size) { return detail::pool_allocate(size); }
    static void operator delete(void* p, std::size_t size) noexcept { detail::pool_deallocate(p, size); }
  };
  Rare& rare() const {
    if (!rare_) rare_.reset(new Rare);
    return *rare_;
  }
  /// Stores Future._cancel_message (allocates nothing for None).
  void set_cancel_message(std::optional<std::string> msg) {
    if (msg || rare_) rare().cancel_message = std::move(msg);
  }

  /// Raises InvalidStateError('invalid state') unless pending (the C Future's text).
  void check_pending() const {
    if (state_ != State::pending) [[unlikely]] throw_invalid_state();
  }
  [[noreturn]] static void throw_invalid_state();
  /// Raises CancelledError when cancelled, else InvalidStateError(`pending_text`).
  [[noreturn]] void raise_not_finished(const char* pending_text);
  /// Moves to FINISHED and schedules the callbacks (the typed layer stored the value first).
  /// Inline (events.hpp): setting a result is as frequent as waking a task.
  inline void finish();
  /// Moves to CANCELLED (no override dispatch: Task.cancel and gather's cancel call this).
  bool cancel_future(std::optional<std::string> msg);
  /// Reports "X exception was never retrieved" through the loop's exception handler if needed.
  void report_unretrieved(const char* kind) noexcept;

  // The flags first: they fit in RefCounted's tail padding.
  State state_ = State::pending;
  bool is_task_ = false;
  bool log_traceback_ = false;
  // TaskBase's own sleep slot: the future and TimerHandle that sleep() creates, kept in the task so
  // that a timed sleep allocates nothing. The slot's timer-heap entry names the task
  // (EventLoop::kOwnSleepTimer) and sits in the heap exactly where the TimerHandle would. While that
  // entry is still queued (a cancelled sleep's timer waits in the heap until it is popped or purged),
  // a further sleep uses a SleepFuture instead. The bits live here, in the last spare byte next to
  // the reference count, so that a firing timer touches one cache line of the task.
  bool own_sleep_queued_ : 1 = false;     // the slot's timer entry is in the heap or the ready queue
  bool own_sleep_scheduled_ : 1 = false;  // TimerHandle._scheduled
  bool own_sleep_timer_cancelled_ : 1 = false;  // Handle._cancelled
  bool own_sleep_waiting_ : 1 = false;    // the slot's future is the task's _fut_waiter
  State own_sleep_state_ : 2 = State::pending;  // the slot's future's state
  Ref<EventLoop> loop_;
  std::exception_ptr exception_;
  mutable std::unique_ptr<Rare> rare_;

 private:
  friend class EventLoop;
  inline void schedule_callbacks();
  void schedule_listed_callbacks();
  /// Runs the first done callback (the loop's kFirstCallback entry).
  void run_first_callback();
  /// Drops the first done callback unrun (its entry was discarded by close()).
  void drop_first_callback() noexcept;
  void schedule(Callback cb);
  bool has_callbacks() const noexcept { return rare_ && !rare_->callbacks.empty(); }
  // The first done callback, when it is a fast one without a key (a task waiting on this future, the
  // common case), is kept inline and dispatched without a HandleState; the rest go to Rare::callbacks.
  // It is used only while that list is empty, so inline-then-list is registration order.
  FastCallback first_fn_ = nullptr;
  RefCounted* first_obj_ = nullptr;  // owned reference
};

}  // namespace asyncio

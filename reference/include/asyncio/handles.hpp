#pragma once
// Handle and TimerHandle: a scheduled callback that can be cancelled. Mirrors asyncio/events.py.
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>

#include "asyncio/clock.hpp"
#include "asyncio/pool.hpp"
#include "asyncio/ref.hpp"

namespace asyncio {

class EventLoop;

/// A handle's label: an owned string (user callbacks) or a string literal, which internal callbacks
/// use so that scheduling a task step or a timer allocates no string.
class Label {
 public:
  Label() = default;
  Label(std::string s) : owned_(s.empty() ? nullptr : std::make_unique<std::string>(std::move(s))) {}
  Label(const char* s) : Label(std::string(s)) {}
  /// A label with static storage duration, kept by pointer.
  static Label literal(const char* s) noexcept {
    Label l;
    l.literal_ = s;
    return l;
  }
  bool empty() const noexcept { return literal_ ? !*literal_ : !owned_; }
  std::string str() const { return literal_ ? std::string(literal_) : owned_ ? *owned_ : std::string(); }
  friend std::string operator+(const std::string& a, const Label& b) { return a + b.str(); }
  friend std::string operator+(const char* a, const Label& b) { return a + b.str(); }

 private:
  const char* literal_ = nullptr;
  std::unique_ptr<std::string> owned_;  // one pointer: most handles have no label
};

/// The state behind a Handle: the callback (events.py: Handle._callback and _args) is any callable,
/// stored in place when it fits (every internal callback and most lambdas do), so scheduling one costs
/// a single pool block and no std::function. The loop's ready queue and timer heap hold these.
class HandleState final : public RefCounted {
  // The flags come first: they fill the bytes RefCounted leaves free after its count (a 104-byte handle).
  bool running_ = false;

 public:
  bool cancelled = false;
  bool timer = false;
  bool scheduled = false;  // in the timer heap (TimerHandle._scheduled)

  static constexpr std::size_t kInline = 40;

  /// A handle with no callback: what an error from an internal ready-queue entry is reported against.
  explicit HandleState(EventLoop* owner) : loop(owner), ops_(&kEmptyOps) {}
  template <class F>
  HandleState(EventLoop* owner, F&& f) : loop(owner) {
    using Fn = std::decay_t<F>;
    if constexpr (sizeof(Fn) <= kInline && alignof(Fn) <= alignof(void*) && std::is_nothrow_move_constructible_v<Fn>) {
      ::new (static_cast<void*>(buf_)) Fn(std::forward<F>(f));
      ops_ = &kInlineOps<Fn>;
    } else {
      ::new (static_cast<void*>(buf_)) Fn*(new Fn(std::forward<F>(f)));
      ops_ = &kBoxedOps<Fn>;
    }
  }
  ~HandleState() override {
    if (ops_->destroy) ops_->destroy(buf_);
  }

  EventLoop* const loop;
  /// Describes the callback in "Exception in callback LABEL" (format_helpers._format_callback_source).
  Label label;
  Nanos when = 0;
  /// The deadline exactly as call_at was given it (NaN: none given): TimerHandle.when() returns the
  /// float it was called with, which nanoseconds cannot always give back (`h.when() == t0 + 0.2`).
  double when_given = std::numeric_limits<double>::quiet_NaN();

  void run() {
    // The callable outlives its own call even if it cancels this handle (clear() waits for it).
    running_ = true;
    ops_->invoke(buf_);
    running_ = false;
  }
  /// Drops the callback and what it holds (Handle.cancel sets _callback and _args to None).
  void clear() noexcept {
    if (running_) return;
    if (ops_->destroy) ops_->destroy(buf_);
    ops_ = &kEmptyOps;
  }

  // Handles are created and freed at the rate of callbacks: recycle them through a per-thread pool.
  static void* operator new(std::size_t size) { return detail::pool_allocate(size); }
  static void operator delete(void* p, std::size_t size) noexcept { detail::pool_deallocate(p, size); }

 private:
  struct Ops {
    void (*invoke)(void*);
    void (*destroy)(void*) noexcept;  // null: nothing to destroy
  };
  template <class Fn>
  static void destroy_inline(void* p) noexcept {
    static_cast<Fn*>(p)->~Fn();
  }
  template <class Fn>
  static constexpr Ops kInlineOps = {[](void* p) { (*static_cast<Fn*>(p))(); },
                                     std::is_trivially_destructible_v<Fn> ? nullptr : &destroy_inline<Fn>};
  template <class Fn>
  static constexpr Ops kBoxedOps = {[](void* p) { (**static_cast<Fn**>(p))(); },
                                    [](void* p) noexcept { delete *static_cast<Fn**>(p); }};
  static constexpr Ops kEmptyOps = {[](void*) {}, nullptr};

  const Ops* ops_;
  alignas(void*) unsigned char buf_[kInline];
};

/// A callback scheduled with `call_soon` (events.Handle).
class Handle {
 public:
  Handle() = default;
  explicit Handle(Ref<HandleState> s) : s_(std::move(s)) {}
  /// Idempotent; a cancelled handle is skipped when the loop reaches it.
  void cancel();
  bool cancelled() const { return s_->cancelled; }
  /// `<Handle label>` / `<Handle cancelled>`
  std::string repr() const;
  HandleState* state() const { return s_.get(); }
  explicit operator bool() const { return bool(s_); }

 protected:
  Ref<HandleState> s_;
};

/// A callback scheduled with `call_later` / `call_at` (events.TimerHandle).
class TimerHandle : public Handle {
 public:
  using Handle::Handle;
  /// The deadline in loop time, seconds.
  double when() const { return std::isnan(s_->when_given) ? static_cast<double>(s_->when) / 1e9 : s_->when_given; }
  Nanos when_ns() const { return s_->when; }
  std::string repr() const;
};

}  // namespace asyncio

#pragma once
// Handle and TimerHandle: a scheduled callback that can be cancelled. Mirrors asyncio/events.py.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

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

/// The state behind a Handle. The loop's ready queue and timer heap hold these. Internal callbacks
/// (task steps, future callbacks) use `fast` with two owned payloads and avoid a std::function.
class HandleState final : public RefCounted {
 public:
  using Fast = void (*)(HandleState&);

  EventLoop* loop = nullptr;
  Fast fast = nullptr;
  Ref<RefCounted> a, b;
  void* aux = nullptr;
  std::function<void()> fn;
  /// Describes the callback in "Exception in callback LABEL" (format_helpers._format_callback_source).
  Label label;
  Nanos when = 0;
  bool cancelled = false;
  bool timer = false;
  bool scheduled = false;  // in the timer heap (TimerHandle._scheduled)

  void run() {
    if (fast)
      fast(*this);
    else
      fn();
  }
  /// Drops the callback and its payload (Handle.cancel).
  void clear() {
    fast = nullptr;
    a = nullptr;
    b = nullptr;
    fn = nullptr;
  }

  // Handles are created and freed at the rate of callbacks: recycle them through a per-thread pool.
  static void* operator new(std::size_t size) { return detail::pool_allocate(size); }
  static void operator delete(void* p, std::size_t size) noexcept { detail::pool_deallocate(p, size); }
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
  double when() const { return static_cast<double>(s_->when) / 1e9; }
  Nanos when_ns() const { return s_->when; }
  std::string repr() const;
};

}  // namespace asyncio

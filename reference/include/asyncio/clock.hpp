#pragma once
// Clocks for the event loop. Time is int64 nanoseconds; `EventLoop::time()` converts to float seconds.
#include <chrono>
#include <cstdint>

namespace asyncio {

using Nanos = std::int64_t;

/// Float seconds to nanoseconds, saturating at the int64 range (NaN must be handled by the caller).
inline Nanos seconds_to_nanos(double seconds) noexcept {
  const double ns = seconds * 1e9;
  if (ns >= 9.2e18) return INT64_MAX;
  if (ns <= -9.2e18) return INT64_MIN;
  return static_cast<Nanos>(ns < 0 ? ns - 0.5 : ns + 0.5);
}

class Clock {
 public:
  virtual ~Clock() = default;
  /// The current time. Mirrors `BaseEventLoop.time()` (time.monotonic()).
  virtual Nanos now() noexcept = 0;
  /// A virtual clock never waits: the loop jumps it to the next deadline when idle.
  virtual bool is_virtual() const noexcept = 0;
  /// Block the calling thread for `d` without running the loop (`time.sleep`): a real clock really
  /// sleeps, a virtual clock just moves forward.
  virtual void sleep(Nanos d) = 0;
};

/// Virtual time: starts at 0 and moves only when told to, or when the loop is idle and waits for the
/// next deadline: then it advances as far as CPython's epoll_wait would sleep (the timeout rounded up
/// to whole milliseconds; see EventLoop::run_once). Every read advances it by `tick` (1 ns by default): on a real clock two reads never
/// return the same instant, so `call_later(1)` twice in a row yields two distinct deadlines that fire in
/// call order. Without the tick those deadlines would tie, and heapq's tie order (which is not FIFO)
/// would reorder them where CPython never does. Explicit `call_at(t)` with one `t` still ties, as in
/// CPython.
class VirtualClock final : public Clock {
 public:
  explicit VirtualClock(Nanos tick = 1) : tick_(tick) {}
  Nanos now() noexcept override {
    Nanos t = now_;
    now_ += tick_;
    return t;
  }
  bool is_virtual() const noexcept override { return true; }
  void sleep(Nanos d) override { advance(d); }
  /// Move forward by `d` (negative or zero: no change).
  void advance(Nanos d) noexcept {
    if (d > 0) now_ += d;
  }
  /// Jump to `t` if it lies ahead.
  void advance_to(Nanos t) noexcept {
    if (t > now_) now_ = t;
  }
  /// The current time without advancing.
  Nanos peek() const noexcept { return now_; }

 private:
  Nanos now_ = 0;
  Nanos tick_;
};

/// Real time: std::chrono::steady_clock (CLOCK_MONOTONIC, as time.monotonic()).
class MonotonicClock final : public Clock {
 public:
  Nanos now() noexcept override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  bool is_virtual() const noexcept override { return false; }
  void sleep(Nanos d) override;
};

}  // namespace asyncio

#pragma once
// asyncio.timeout / timeout_at and the Timeout context manager (timeouts.py 3.11).
//
//     int v = co_await asyncio::async_with(asyncio::timeout(1.5), [&](Timeout& t) -> Coro<int> { ... });
//
// or `co_await t.aenter(); ... co_await t.aexit(exc);` as the interpreter drives `async with`.
// On entry the deadline is scheduled: none for nullopt, call_soon when already past, else call_at.
// When it fires the task is cancelled (no message); if the CancelledError reaches aexit and no other
// cancellation was requested meanwhile, it becomes TimeoutError with the CancelledError as __cause__.
#include <exception>
#include <optional>
#include <string>

#include "asyncio/async_with.hpp"
#include "asyncio/tasks.hpp"

namespace asyncio {

namespace detail {
struct TimeoutState final : RefCounted {
  enum class State { created, entered, expiring, expired, exited };
  State state = State::created;
  std::optional<double> when;
  Handle timeout_handler;
  Ref<TaskBase> task;  // held from __aenter__ to __aexit__
  int cancelling = 0;
  void on_timeout();
};
}  // namespace detail

class Timeout {
 public:
  using State = detail::TimeoutState::State;
  /// Timeout(when): nullopt never fires; a past deadline fires on the next iteration.
  explicit Timeout(std::optional<double> when) : s_(make_ref<detail::TimeoutState>()) { s_->when = when; }

  std::optional<double> when() const noexcept { return s_->when; }
  /// RuntimeError('Timeout has not been entered') / ('Cannot change state of <state> Timeout').
  void reschedule(std::optional<double> when);
  /// True once the deadline has fired (expiring or expired).
  bool expired() const noexcept { return s_->state == State::expiring || s_->state == State::expired; }
  State state() const noexcept { return s_->state; }
  /// `<Timeout [active] when=12.5>`; the state's value is created/active/expiring/expired/finished.
  std::string repr() const;

  /// RuntimeError('Timeout has already been entered') / ('Timeout should be used inside a task').
  Coro<void> aenter();
  /// Returns false (never suppresses); raises TimeoutError in place of the cancellation it caused.
  Coro<bool> aexit(std::exception_ptr exc);

 private:
  Ref<detail::TimeoutState> s_;
};

/// asyncio.timeout(delay): a deadline `delay` seconds from now on the running loop; nullopt: none.
Timeout timeout(std::optional<double> delay);
/// asyncio.timeout_at(when): an absolute deadline in loop time.
inline Timeout timeout_at(std::optional<double> when) { return Timeout(when); }

/// Python's repr() of a float: the shortest string that round-trips, in Python's layout (`5.0`, `1e+16`).
std::string py_float_repr(double v);

}  // namespace asyncio

#include "asyncio/timeouts.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace asyncio {

namespace {
const char* state_value(Timeout::State s) {
  switch (s) {
    case Timeout::State::created: return "created";
    case Timeout::State::entered: return "active";
    case Timeout::State::expiring: return "expiring";
    case Timeout::State::expired: return "expired";
    case Timeout::State::exited: return "finished";
  }
  return "?";
}

/// round(v, 3): correctly rounded through decimal, as Python's float.__round__.
double round3(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return std::strtod(buf, nullptr);
}
}  // namespace

std::string py_float_repr(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  // Shortest round-trip digits, then float_repr_style 'short': fixed for 1e-4 <= |v| < 1e16.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  const auto e = sci.find('e');
  std::string mantissa = sci.substr(0, e);
  const int exp = std::atoi(sci.c_str() + e + 1);
  std::string sign;
  if (mantissa[0] == '-') {
    sign = "-";
    mantissa.erase(0, 1);
  }
  std::string digits = mantissa.substr(0, 1) + (mantissa.size() > 2 ? mantissa.substr(2) : "");
  if (exp < -4 || exp >= 16) {
    std::string out = sign + digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char ebuf[16];
    std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    return out + ebuf;
  }
  std::string intpart, frac;
  if (exp >= 0) {
    if (static_cast<int>(digits.size()) <= exp + 1) {
      intpart = digits + std::string(exp + 1 - digits.size(), '0');
    } else {
      intpart = digits.substr(0, exp + 1);
      frac = digits.substr(exp + 1);
    }
  } else {
    intpart = "0";
    frac = std::string(-exp - 1, '0') + digits;
  }
  return sign + intpart + "." + (frac.empty() ? "0" : frac);
}

void detail::TimeoutState::on_timeout() {
  // timeouts.py: Timeout._on_timeout
  task->cancel();
  state = State::expiring;
  timeout_handler = Handle();  // drop the reference early
}

void Timeout::reschedule(std::optional<double> when) {
  auto& s = *s_;
  if (s.state != State::entered) {
    if (s.state == State::created) throw RuntimeError("Timeout has not been entered");
    throw RuntimeError(std::string("Cannot change state of ") + state_value(s.state) + " Timeout");
  }
  s.when = when;
  s.timeout_handler.cancel();
  if (!when) {
    s.timeout_handler = Handle();
    return;
  }
  auto& loop = get_running_loop();
  auto fire = [st = s_] { st->on_timeout(); };
  if (*when <= loop.time())
    s.timeout_handler = loop.call_soon(std::move(fire), "Timeout._on_timeout()");
  else
    s.timeout_handler = loop.call_at(*when, std::move(fire), "Timeout._on_timeout()");
}

std::string Timeout::repr() const {
  std::string info;
  if (s_->state == State::entered)
    info = " when=" + (s_->when ? py_float_repr(round3(*s_->when)) : std::string("None"));
  return std::string("<Timeout [") + state_value(s_->state) + "]" + info + ">";
}

Coro<void> Timeout::aenter() {
  auto s = s_;
  if (s->state != State::created) throw RuntimeError("Timeout has already been entered");
  TaskBase* task = current_task();
  if (!task) throw RuntimeError("Timeout should be used inside a task");
  s->state = State::entered;
  s->task = Ref<TaskBase>(task);
  s->cancelling = task->cancelling();
  reschedule(s->when);
  co_return;
}

Coro<bool> Timeout::aexit(std::exception_ptr exc) {
  auto s = s_;
  if (s->state != State::entered && s->state != State::expiring) throw AssertionError();
  s->timeout_handler.cancel();
  s->timeout_handler = Handle();
  auto task = std::exchange(s->task, nullptr);
  if (s->state == State::expiring) {
    s->state = State::expired;
    // No cancellation requested since entry other than ours: this one is ours to convert.
    if (task->uncancel() <= s->cancelling && detail::exception_type_is<CancelledError>(exc)) {
      TimeoutError err;
      err.cause = exc;
      throw err;
    }
  } else {
    s->state = State::exited;
  }
  co_return false;
}

Timeout timeout(std::optional<double> delay) {
  auto& loop = get_running_loop();
  return Timeout(delay ? std::optional<double>(loop.time() + *delay) : std::nullopt);
}

}  // namespace asyncio

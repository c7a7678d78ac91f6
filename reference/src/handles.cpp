#include "asyncio/handles.hpp"

#include <cstdio>

#include "asyncio/events.hpp"

namespace asyncio {

void timer_handle_cancelled(HandleState& h);

void Handle::cancel() {
  if (!s_ || s_->cancelled) return;
  if (s_->timer) timer_handle_cancelled(*s_);
  s_->cancelled = true;
  s_->clear();
}

std::string Handle::repr() const {
  std::string out = "<Handle";
  if (s_->cancelled) out += " cancelled";
  if (!s_->label.empty()) out += " " + s_->label;
  return out + ">";
}

std::string TimerHandle::repr() const {
  std::string out = "<TimerHandle";
  if (s_->cancelled) out += " cancelled";
  char buf[64];
  std::snprintf(buf, sizeof buf, " when=%.9g", when());
  out += buf;
  if (!s_->label.empty()) out += " " + s_->label;
  return out + ">";
}

}  // namespace asyncio

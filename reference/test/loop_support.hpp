#pragma once
// Helpers shared by the core loop tests. Each test keeps, above it, the CPython 3.11 program whose
// output it asserts (see check_python_comments.py, which re-runs them).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "trace.hpp"

namespace asyncio::test {

/// traceback.format_exception_only(e)[-1].strip(): `ValueError: x`, `asyncio.exceptions.CancelledError`.
inline std::string describe(const std::exception_ptr& e) { return e ? inspect(e).describe() : "None"; }
inline std::string repr(const std::exception_ptr& e) { return e ? inspect(e).repr() : "None"; }

/// What `f` raised, described as above, or "no exception".
template <class F>
std::string raised(F&& f) {
  try {
    f();
  } catch (...) {
    return describe(std::current_exception());
  }
  return "no exception";
}

/// The exception handler's calls, one line each: "message | key=repr key=repr" with the context's
/// other keys in sorted order, as the Python programs print them with
///   def h(loop, c): print(c['message'], '|', ' '.join(f'{k}={v!r}' for k, v in sorted(c.items()) if k != 'message'))
struct HandlerLog {
  std::vector<std::string> lines;
  void install(EventLoop& loop) {
    loop.set_exception_handler([this](EventLoop&, const ExceptionContext& c) { lines.push_back(format(c)); });
  }
  static std::string format(const ExceptionContext& c) {
    std::vector<std::string> parts;
    if (c.exception) parts.push_back("exception=" + repr(c.exception));
    if (c.future) parts.push_back(std::string(c.future_key) + "=" + c.future->repr());
    if (c.handle)
      parts.push_back("handle=" + (c.handle.state()->timer ? TimerHandle(Ref<HandleState>(c.handle.state())).repr()
                                                            : c.handle.repr()));
    std::string out = c.message + " | ";
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? " " : "") + parts[i];
    return out;
  }
};

/// Messages given to the warnings hook while alive.
struct WarningLog {
  static inline std::vector<std::string> lines;
  WarningLog() {
    lines.clear();
    set_warning_sink([](const char* category, const std::string& message) {
      lines.push_back(std::string(category) + ": " + message);
    });
  }
  ~WarningLog() { set_warning_sink(nullptr); }
};

/// Texts the default exception handler logs while alive.
struct LogCapture {
  std::vector<std::string> texts;
  LogCapture() {
    set_log_sink([this](const std::string& text, const ExceptionContext&) { texts.push_back(text); });
  }
  ~LogCapture() { set_log_sink(nullptr); }
};

/// Counts loop iterations with a callback that re-schedules itself once per iteration
/// (shared/reference/probes/probe_latency.py's method).
struct Ticker {
  int tick = 0;
  bool stopped = false;
  void start(EventLoop& loop) {
    loop.call_soon([this, &loop] {
      ++tick;
      if (!stopped) start(loop);
    });
  }
};

}  // namespace asyncio::test

#pragma once
// asyncio.run and asyncio.Runner (asyncio/runners.py).
#include <memory>

#include "asyncio/coroutines.hpp"
#include "asyncio/events.hpp"
#include "asyncio/tasks.hpp"

namespace asyncio {

/// asyncio.Runner: one loop for several run() calls. The loop is created lazily, set as the current
/// loop, and on close() the tasks left are cancelled and run to completion, errors other than
/// cancellation are reported, the current loop is unset and the loop closed.
class Runner {
 public:
  using LoopFactory = EventLoopPtr (*)();
  /// With no factory: new_event_loop(), set as the current loop (runners.py: Runner._lazy_init).
  explicit Runner(LoopFactory factory = nullptr) : factory_(factory) {}
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;
  /// Closes the runner; an error while closing is lost here, so call close() to see it.
  ~Runner() {
    try {
      close();
    } catch (...) {
    }
  }

  /// Runner.run(coro): RuntimeError('Runner.run() cannot be called from a running event loop'),
  /// RuntimeError('Runner is closed').
  template <class T>
  T run(Coro<T> coro) {
    if (running_loop()) throw RuntimeError("Runner.run() cannot be called from a running event loop");
    lazy_init();
    auto task = loop_->create_task(std::move(coro));
    return loop_->run_until_complete(task);
  }
  /// Idempotent; see the class comment.
  void close();
  EventLoop& get_loop() {
    lazy_init();
    return *loop_;
  }

 private:
  void lazy_init();
  enum class State { created, initialized, closed };
  LoopFactory factory_;
  State state_ = State::created;
  bool set_event_loop_ = false;
  EventLoopPtr loop_;
};

/// asyncio.run(main): a fresh loop runs main to completion, then leftovers are cancelled and the loop
/// is closed. RuntimeError('asyncio.run() cannot be called from a running event loop') inside a loop.
template <class T>
T run(Coro<T> main) {
  if (running_loop()) throw RuntimeError("asyncio.run() cannot be called from a running event loop");
  Runner runner;
  // `with Runner() as runner: return runner.run(main)`: close() runs on both paths, and an error
  // from close() replaces the one in flight.
  try {
    if constexpr (std::is_void_v<T>) {
      runner.run(std::move(main));
      runner.close();
    } else {
      T result = runner.run(std::move(main));
      runner.close();
      return result;
    }
  } catch (...) {
    auto e = std::current_exception();
    runner.close();
    std::rethrow_exception(e);
  }
}

}  // namespace asyncio

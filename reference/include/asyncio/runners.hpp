#pragma once
// asyncio.run and asyncio.Runner (asyncio/runners.py).
#include <memory>

#include "asyncio/coroutines.hpp"
#include "asyncio/events.hpp"
#include "asyncio/tasks.hpp"

namespace asyncio {

/// asyncio.Runner: one loop for several run() calls. The loop is created lazily, set as the current
/// loop, and on close() the tasks left are cancelled and run to completion, errors other than
/// cancellation are reported, the default executor is shut down, the current loop is unset and the
/// loop closed.
///
/// Ctrl-C (Runner._on_sigint): on the main thread, unless SIGINT already has a handler, run()
/// handles SIGINT with the loop's add_signal_handler while the task runs: the first SIGINT cancels
/// the main task, and run() raises KeyboardInterrupt once it has ended cancelled (if uncancel()
/// leaves no other cancellation); a second SIGINT raises KeyboardInterrupt out of the loop.
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
    struct Restore {
      Runner& r;
      ~Restore() { r.restore_sigint(); }
    } restore{*this};
    install_sigint(task.state());
    try {
      return loop_->run_until_complete(task);
    } catch (const CancelledError&) {
      if (interrupt_count_ > 0 && task->uncancel() == 0) throw KeyboardInterrupt();
      throw;
    }
  }
  /// Idempotent; see the class comment.
  void close();
  EventLoop& get_loop() {
    lazy_init();
    return *loop_;
  }

 private:
  void lazy_init();
  void install_sigint(TaskBase& main_task);
  void restore_sigint() noexcept;
  enum class State { created, initialized, closed };
  LoopFactory factory_;
  State state_ = State::created;
  bool set_event_loop_ = false;
  EventLoopPtr loop_;
  int interrupt_count_ = 0;
  // The SIGINT handler run() installed (see detail::signal_handler).
  const void* sigint_handler_ = nullptr;
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

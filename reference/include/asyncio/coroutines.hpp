#pragma once
// Coro<T>: a coroutine object. Calling a `Coro<T>`-returning function creates the frame and runs
// nothing (initial_suspend), like calling an `async def`. `co_await coro` runs it inline in the
// awaiting task, with no trip through the loop; only futures and tasks cost a loop iteration.
//
// The awaiter resumes the child inside await_suspend and returns false when the child finished
// synchronously, instead of returning the child's handle for symmetric transfer: g++ 12 does not
// guarantee that transfer is a tail call at -O0/-O1 or under ASan, and a long run of awaits of
// synchronously finishing children would overflow the stack.
#include <coroutine>
#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "asyncio/exceptions.hpp"
#include "asyncio/pool.hpp"

namespace asyncio {

/// Receives Python-style warnings (`RuntimeWarning: coroutine 'f' was never awaited`). The default
/// prints `<category>: <message>` to stderr.
using WarningSink = void (*)(const char* category, const std::string& message);
void set_warning_sink(WarningSink sink) noexcept;
void warn(const char* category, const std::string& message);

namespace detail {

/// The name a coroutine reports in warnings: the function that created it (its qualname in Python).
struct CoroName {
  const char* name;
  explicit CoroName(const char* n = __builtin_FUNCTION()) : name(n) {}
};

struct PromiseBase {
  /// The coroutine to return to at the end: null before the coroutine starts, the awaiting
  /// coroutine once it suspended, std::noop_coroutine() in between and for a task's coroutine.
  /// Being null is also what "not started" means, so that costs no byte of the frame.
  std::coroutine_handle<> continuation;
  std::exception_ptr exception;
  /// Static storage: the creating function's name, or a name set by whoever outlives the frame.
  const char* name;

  explicit PromiseBase(CoroName n) : name(n.name) {}
  bool started() const noexcept { return bool(continuation); }
  void mark_started() noexcept { continuation = std::noop_coroutine(); }
  // A frame is allocated per coroutine call: recycle them (see pool.hpp).
  static void* operator new(std::size_t size) { return pool_allocate(size); }
  static void operator delete(void* p, std::size_t size) noexcept { pool_deallocate(p, size); }
  std::suspend_always initial_suspend() noexcept { return {}; }
  struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      // Resumed by the task after suspending: hand control back to the awaiting coroutine.
      // Finished inside the awaiter's resume(), or a task's: noop, back to whoever resumed it.
      return h.promise().continuation;
    }
    void await_resume() const noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() noexcept { exception = std::current_exception(); }
};

template <class T>
struct Promise : PromiseBase {
  std::optional<T> value;
  Promise(CoroName n = CoroName()) : PromiseBase(n) {}
  template <class U>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
  auto get_return_object();
};

template <>
struct Promise<void> : PromiseBase {
  Promise(CoroName n = CoroName()) : PromiseBase(n) {}
  void return_void() noexcept {}
  auto get_return_object();
};

}  // namespace detail

template <class T = void>
class [[nodiscard]] Coro {
 public:
  using promise_type = detail::Promise<T>;
  using handle_type = std::coroutine_handle<promise_type>;
  using value_type = T;

  Coro() = default;
  explicit Coro(handle_type h) noexcept : h_(h) {}
  Coro(Coro&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  Coro& operator=(Coro o) noexcept {
    std::swap(h_, o.h_);
    return *this;
  }
  /// Destroying a coroutine that never started warns, as CPython does when it finalizes one.
  ~Coro() {
    if (!h_) return;
    if (!h_.promise().started())
      warn("RuntimeWarning", std::string("coroutine '") + h_.promise().name + "' was never awaited");
    h_.destroy();
  }

  bool valid() const noexcept { return bool(h_); }
  bool done() const noexcept { return h_ && h_.done(); }
  bool started() const noexcept { return h_ && h_.promise().started(); }
  const char* name() const noexcept { return h_.promise().name; }
  /// Renames the coroutine (the interpreter gives Python qualnames); `n` must outlive the frame.
  void set_name(const char* n) noexcept { h_.promise().name = n; }
  handle_type handle() const noexcept { return h_; }
  /// Gives the frame to a task, which owns it from now on.
  handle_type release() noexcept { return std::exchange(h_, {}); }

  struct Awaiter {
    handle_type h;
    bool await_ready() const {
      // coroutines: "cannot reuse already awaited coroutine" / "coroutine is being awaited already"
      if (!h) throw RuntimeError("cannot reuse already awaited coroutine");
      if (h.promise().started())
        throw RuntimeError(h.done() ? "cannot reuse already awaited coroutine" : "coroutine is being awaited already");
      return false;
    }
    bool await_suspend(std::coroutine_handle<> parent) {
      h.promise().mark_started();
      h.resume();
      if (h.done()) return false;
      h.promise().continuation = parent;
      return true;
    }
    T await_resume() {
      auto& p = h.promise();
      if (p.exception) std::rethrow_exception(p.exception);
      if constexpr (!std::is_void_v<T>) return std::move(*p.value);
    }
  };
  Awaiter operator co_await() const noexcept { return Awaiter{h_}; }

 private:
  handle_type h_;
};

template <class T>
auto detail::Promise<T>::get_return_object() {
  return Coro<T>(Coro<T>::handle_type::from_promise(*this));
}
inline auto detail::Promise<void>::get_return_object() {
  return Coro<void>(Coro<void>::handle_type::from_promise(*this));
}

template <class T>
struct is_coro : std::false_type {};
template <class T>
struct is_coro<Coro<T>> : std::true_type {};

}  // namespace asyncio

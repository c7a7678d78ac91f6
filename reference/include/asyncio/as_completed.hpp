#pragma once
// asyncio.as_completed (tasks.py 3.11): a generator of coroutines. Each future's done callback puts it
// on a Queue; each coroutine takes the next one off and returns its result (or raises its exception).
// On timeout every remaining coroutine raises TimeoutError; the futures are not cancelled.
#include <iterator>
#include <optional>
#include <vector>

#include "asyncio/queues.hpp"
#include "asyncio/wait.hpp"

namespace asyncio {

namespace detail {
/// The generator's locals shared with the callbacks: `done` (a Queue of finished futures; null is the
/// timeout's dummy), `todo` and `timeout_handle`.
struct AsCompletedState final : RefCounted {
  Queue<Ref<FutureBase>> done;
  FutureList todo;
  TimerHandle timeout_handle;
  static void on_completion(FutureBase& f, RefCounted* self);
  void on_timeout();
};
/// `_wait_for_one()`: the next done future (its result() checked), or TimeoutError().
Coro<Ref<FutureBase>> wait_for_one(Ref<AsCompletedState> st);
inline constexpr const char* wait_for_one_name = "as_completed.<locals>._wait_for_one";

/// Range-for over anything with `std::optional<X> next()`.
template <class G>
class GeneratorIterator {
 public:
  using value_type = typename decltype(std::declval<G&>().next())::value_type;
  using difference_type = std::ptrdiff_t;
  GeneratorIterator() = default;
  explicit GeneratorIterator(G& g) : g_(&g), cur_(g.next()) {}
  value_type&& operator*() { return std::move(*cur_); }  // generators hand their values over
  GeneratorIterator& operator++() {
    cur_ = g_->next();
    return *this;
  }
  void operator++(int) { ++*this; }
  bool operator==(std::default_sentinel_t) const noexcept { return !cur_; }

 private:
  G* g_ = nullptr;
  std::optional<value_type> cur_;
};
}  // namespace detail

/// The generator object on type-erased futures (what the interpreter drives). Nothing happens until
/// the first next(), as with a Python generator: then the futures are deduplicated (first-appearance
/// order; Python iterates a set), callbacks are added and the timeout is scheduled.
class AsCompleted {
 public:
  AsCompleted(FutureList fs, std::optional<double> timeout);
  /// next(gen): the next `_wait_for_one()` coroutine, or nullopt once len(todo) have been produced.
  std::optional<Coro<Ref<FutureBase>>> next();
  detail::GeneratorIterator<AsCompleted> begin() { return detail::GeneratorIterator<AsCompleted>(*this); }
  std::default_sentinel_t end() const noexcept { return {}; }

  /// Runs the setup if needed; false once every coroutine has been produced. Used by the typed layer.
  bool advance();
  const Ref<detail::AsCompletedState>& state() const noexcept { return state_; }

 private:
  void start();
  FutureList fs_;
  std::optional<double> timeout_;
  Ref<detail::AsCompletedState> state_;
  std::size_t remaining_ = 0;
  bool started_ = false;
};

/// as_completed over typed handles (Task<T> / Future<T>): `for (auto c : as_completed(tasks)) T r =
/// co_await std::move(c);`
template <class H>
class AsCompletedOf {
 public:
  using T = typename H::value_type;
  AsCompletedOf(const std::vector<H>& fs, std::optional<double> timeout) : gen_(bases(fs), timeout) {}
  std::optional<Coro<T>> next() {
    if (!gen_.advance()) return std::nullopt;
    auto c = typed(gen_.state());
    c.set_name(detail::wait_for_one_name);
    return c;
  }
  detail::GeneratorIterator<AsCompletedOf> begin() { return detail::GeneratorIterator<AsCompletedOf>(*this); }
  std::default_sentinel_t end() const noexcept { return {}; }

 private:
  using S = std::remove_reference_t<decltype(std::declval<H>().state())>;
  static FutureList bases(const std::vector<H>& fs) {
    FutureList out;
    for (auto& f : fs) out.emplace_back(f.base());
    return out;
  }
  static Coro<T> typed(Ref<detail::AsCompletedState> st) {
    auto f = co_await detail::wait_for_one(std::move(st));
    co_return static_cast<S&>(*f).result();
  }
  AsCompleted gen_;
};

template <class H>
AsCompletedOf<H> as_completed(const std::vector<H>& fs, std::optional<double> timeout = std::nullopt) {
  return AsCompletedOf<H>(fs, timeout);
}
inline AsCompleted as_completed(FutureList fs, std::optional<double> timeout = std::nullopt) {
  return AsCompleted(std::move(fs), timeout);
}

}  // namespace asyncio

#pragma once
// asyncio.gather (tasks.py: gather, _GatheringFuture).
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include "asyncio/futures.hpp"
#include "asyncio/tasks.hpp"

namespace asyncio {

/// The outer future of gather(). Its result is the children's results in argument order; it is not
/// stored here but read from the children (they cannot change once done), so typed C++ code and the
/// interpreter's dynamic values share this one implementation.
class GatheringFuture final : public FutureBase {
 public:
  /// `children` in argument order; the same future may appear several times and is then awaited once.
  GatheringFuture(EventLoop& loop, std::vector<Ref<FutureBase>> children, bool return_exceptions);
  /// Cancels every child; True if any child's cancel() did. The outer then ends with a CancelledError
  /// exception once all children are done (even with return_exceptions), while cancelled() is False.
  bool cancel(std::optional<std::string> msg = std::nullopt) override;
  const std::vector<Ref<FutureBase>>& children() const noexcept { return children_; }
  bool return_exceptions() const noexcept { return return_exceptions_; }
  /// What gather puts in the result list for a child under return_exceptions: its exception, a
  /// CancelledError('' or msg) if cancelled, or null for a value.
  static std::exception_ptr child_exception(FutureBase& child);
  /// gather() of nothing: already finished with an empty result.
  void finish_empty() { finish(); }

 private:
  static void on_child_done(FutureBase& child, RefCounted* self);
  std::vector<Ref<FutureBase>> children_;
  std::size_t nfuts_ = 0;
  std::size_t nfinished_ = 0;
  bool return_exceptions_;
  bool cancel_requested_ = false;
};

/// gather() with no awaitables: an already finished future (3.11: on events._get_event_loop()).
Ref<GatheringFuture> gather_futures(EventLoop& loop, std::vector<Ref<FutureBase>> children, bool return_exceptions);

/// Tag: `gather(asyncio::return_exceptions, a(), b())`.
struct ReturnExceptions {};
inline constexpr ReturnExceptions return_exceptions{};

/// A child's outcome under return_exceptions.
template <class T>
using Outcome = std::variant<stored_t<T>, std::exception_ptr>;

namespace detail {
template <class A>
auto ensure_future(EventLoop& loop, A&& a) {
  if constexpr (is_coro<std::decay_t<A>>::value)
    return loop.create_task(std::forward<A>(a));
  else
    return std::forward<A>(a);  // a Task<T> or Future<T>
}
/// What an awaitable argument of gather becomes: a Task<T> for a Coro<T>, itself for a Task or Future.
template <class A>
using future_of = std::decay_t<decltype(ensure_future(std::declval<EventLoop&>(), std::declval<A>()))>;
template <class H>
auto outcome_of(const H& h) {
  using T = typename std::decay_t<H>::value_type;
  if (auto e = GatheringFuture::child_exception(*h.base())) return Outcome<T>(std::in_place_index<1>, e);
  if constexpr (std::is_void_v<T>)
    return Outcome<T>(std::in_place_index<0>);
  else
    return Outcome<T>(std::in_place_index<0>, h.result());
}
template <class H>
auto value_of(const H& h) {
  using T = typename std::decay_t<H>::value_type;
  if constexpr (std::is_void_v<T>) {
    h.result();
    return std::monostate{};
  } else {
    return h.result();
  }
}
}  // namespace detail

/// The awaitable gather() returns: `auto [a, b] = co_await gather(f(), g());`. The children are
/// created (and start) when gather() is called, as in Python, not when it is awaited.
template <bool ReturnExc, class... Hs>
class Gathering {
 public:
  Gathering(Ref<GatheringFuture> outer, std::tuple<Hs...> children)
      : outer_(std::move(outer)), children_(std::move(children)) {}
  GatheringFuture& future() const noexcept { return *outer_; }
  bool cancel(std::optional<std::string> msg = std::nullopt) const { return outer_->cancel(std::move(msg)); }
  bool done() const noexcept { return outer_->done(); }

  auto result() const {
    outer_->raise_if_failed();
    return std::apply(
        [](const auto&... h) {
          if constexpr (ReturnExc)
            return std::make_tuple(detail::outcome_of(h)...);
          else
            return std::make_tuple(detail::value_of(h)...);
        },
        children_);
  }

  struct Awaiter {
    const Gathering& g;
    bool await_ready() const { return FutureAwaiter<GatheringFuture>{g.outer_}.await_ready(); }
    void await_suspend(std::coroutine_handle<> h) { detail::suspend_task(h, g.outer_.get()); }
    auto await_resume() {
      detail::resume_task();
      return g.result();
    }
  };
  Awaiter operator co_await() const& { return Awaiter{*this}; }

 private:
  Ref<GatheringFuture> outer_;
  std::tuple<Hs...> children_;
};

template <bool ReturnExc, class... A>
auto make_gathering(A&&... aws) {
  auto& loop = get_event_loop();
  // Braced initialisation evaluates left to right: tasks are created in argument order.
  std::tuple<detail::future_of<A>...> children{detail::ensure_future(loop, std::forward<A>(aws))...};
  std::vector<Ref<FutureBase>> bases;
  std::apply([&](const auto&... h) { (bases.emplace_back(h.base()), ...); }, children);
  auto outer = gather_futures(loop, std::move(bases), ReturnExc);
  return Gathering<ReturnExc, detail::future_of<A>...>(std::move(outer), std::move(children));
}

/// asyncio.gather(*aws): coroutines become tasks in argument order; the result is a tuple in argument
/// order whatever the completion order; the first error propagates while the other children run on.
template <class... A>
auto gather(A&&... aws) {
  return make_gathering<false>(std::forward<A>(aws)...);
}
/// asyncio.gather(*aws, return_exceptions=True): a tuple of Outcome<T>.
template <class... A>
auto gather(ReturnExceptions, A&&... aws) {
  return make_gathering<true>(std::forward<A>(aws)...);
}

/// gather over a homogeneous list of tasks; the result is a vector in argument order.
template <class T>
Coro<std::vector<stored_t<T>>> gather(std::vector<Task<T>> tasks) {
  std::vector<Ref<FutureBase>> bases;
  for (auto& t : tasks) bases.emplace_back(t.base());
  auto outer = gather_futures(get_event_loop(), std::move(bases), false);
  co_await FutureHandle<GatheringFuture>(outer);
  std::vector<stored_t<T>> out;
  out.reserve(tasks.size());
  for (auto& t : tasks) out.push_back(detail::value_of(t));
  co_return out;
}

}  // namespace asyncio

#pragma once
// The `async with` statement for any object with aenter() / aexit(std::exception_ptr) awaitables
// (Lock, Semaphore, Condition, Barrier, TaskGroup, Timeout, and the interpreter's own context
// managers):
//
//     int n = co_await asyncio::async_with(asyncio::timeout(1.0), [&](Timeout& t) -> Coro<int> { ... });
//
// The body receives what aenter() returns, or the context manager itself when aenter() returns
// nothing. As in Python, aexit(exc) gets the body's exception (null when it returned normally); the
// exception propagates unless aexit returns true, and an exception raised by aexit replaces it.
#include <exception>
#include <optional>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include "asyncio/coroutines.hpp"
#include "asyncio/futures.hpp"

namespace asyncio {

namespace detail {

/// `exc_type is E` (not isinstance): TaskGroup and Timeout treat CancelledError subclasses as other errors.
template <class E>
bool exception_type_is(const std::exception_ptr& e) {
  auto info = inspect(e);
  return info.exc && typeid(*info.exc) == typeid(E);
}

template <class CM>
using aenter_result_t = typename decltype(std::declval<CM&>().aenter())::value_type;

template <class CM, class F>
decltype(auto) call_body(F& body, CM& cm, std::optional<stored_t<aenter_result_t<CM>>>& entered) {
  if constexpr (!std::is_void_v<aenter_result_t<CM>>)
    return body(*entered);
  else if constexpr (std::is_invocable_v<F&, CM&>)
    return body(cm);
  else
    return body();
}

template <class CM, class F>
using body_result_t = typename decltype(call_body<CM>(std::declval<F&>(), std::declval<CM&>(),
                                                     std::declval<std::optional<stored_t<aenter_result_t<CM>>>&>()))::value_type;

// CM is `T&` for an lvalue (the caller keeps it alive) or `T` for an rvalue (kept in this frame).
template <class R, class CM, class F>
Coro<R> async_with_impl(CM cm, F body) {
  using A = aenter_result_t<CM>;
  std::optional<stored_t<A>> entered;
  if constexpr (std::is_void_v<A>) {
    co_await cm.aenter();
    entered.emplace();
  } else {
    entered.emplace(co_await cm.aenter());
  }
  std::optional<stored_t<R>> result;
  std::exception_ptr exc;
  try {
    if constexpr (std::is_void_v<R>) {
      co_await call_body<std::remove_reference_t<CM>>(body, cm, entered);
      result.emplace();
    } else {
      result.emplace(co_await call_body<std::remove_reference_t<CM>>(body, cm, entered));
    }
  } catch (...) {
    exc = std::current_exception();
  }
  const bool suppress = co_await cm.aexit(exc);
  if (exc && !suppress) std::rethrow_exception(exc);
  if constexpr (!std::is_void_v<R>) {
    if (!result) {
      // The exception was suppressed, so the body produced no value.
      if constexpr (std::is_default_constructible_v<R>)
        co_return R{};
      else
        throw RuntimeError("async with: the context manager suppressed the exception of a body that returns a value");
    } else {
      co_return std::move(*result);
    }
  }
}

}  // namespace detail

template <class CM, class F>
auto async_with(CM&& cm, F body) {
  using R = detail::body_result_t<std::remove_reference_t<CM>, F>;
  return detail::async_with_impl<R, CM>(std::forward<CM>(cm), std::move(body));
}

}  // namespace asyncio

// generator: generator objects, shared by the evaluator (`yield`, `yield from`) and generator.cpp.
#pragma once

#include <coroutine>
#include <utility>

#include "../interp.hpp"

namespace aiospec::interp {

// A generator (a call of a function whose body yields, or a generator expression). Its body runs on
// the coroutine evaluator; `yield` suspends the whole chain of C++ coroutines back to whoever resumed
// it, and the next send() resumes the innermost one (`leaf`). The Python object is an IterObj over
// this (so for loops, iter() and next() treat it as any iterator); the IterObj owns it.
struct GenObj final : NativeObj {
  asyncio::Coro<Object> body;  // invalid once finished (the frame is freed then, as CPython frees it)
  std::coroutine_handle<> leaf;
  Object transfer;            // the value sent in, or the value yielded out
  std::exception_ptr thrown;  // raised at the yield when resumed (throw(), close())
  Object delegate;            // the iterator a `yield from` is suspended in (gi_yieldfrom)
  IterObj* wrapper = nullptr;
  const char* qualname = "";
  bool running = false;

  bool finished() const noexcept { return !body.valid(); }
  bool started() const noexcept { return body.valid() && body.started(); }
  Object self() const { return Object(Tag::Iter, wrapper); }
  const char* type_name() const override { return "generator"; }
  std::string repr(Interp&) override;
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
  bool iternext(Interp& ip, const Object& self, Object& out) override;
  ~GenObj() override;
};

// The generator an object is (an IterObj over a GenObj), or null.
GenObj* as_generator(const Object& o);

// Resumes `g` with `value` sent in, or with `thrown` raised at its yield. True: it yielded `out`;
// false: it returned `out`. Raises what the body raised (StopIteration turned into RuntimeError).
bool gen_resume(Interp& ip, GenObj& g, Object value, std::exception_ptr thrown, Object& out);
// send(), __next__, throw(): the value yielded, or StopIteration carrying the value returned.
Object resume_or_stop(Interp& ip, GenObj& g, Object value, std::exception_ptr thrown);

// `co_await YieldAwaiter{g, v}` in the generator's body: yields v, evaluates to the value sent in.
struct YieldAwaiter {
  GenObj* g;
  Object value;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) noexcept {
    g->leaf = h;
    g->transfer = std::move(value);
  }
  Object await_resume() {
    if (g->thrown) std::rethrow_exception(std::exchange(g->thrown, nullptr));
    return std::exchange(g->transfer, Object());
  }
};

}  // namespace aiospec::interp

// generator: generator objects, shared by the evaluator (`yield`, `yield from`) and generator.cpp.
#pragma once

#include <coroutine>
#include <utility>

#include "../interp.hpp"

namespace aiospec::interp {

// A generator (a call of a function whose body yields, or a generator expression), or an
// asynchronous generator. Its body runs on the coroutine evaluator; `yield` suspends the whole chain
// of C++ coroutines back to whoever resumed it, and the next send() resumes the innermost one
// (`leaf`). The Python object (`wrapper`, which owns this) is an IterObj over it for a generator, so
// for loops, iter() and next() treat it as any iterator, and an AgenObj for an asynchronous one.
//
// An asynchronous generator's body also awaits: resumed by an awaited asend() (AgenStep), it may
// suspend its task on a future instead of yielding; the coroutine awaiting asend() (`waiter`) is then
// resumed when the body yields or ends.
struct GenObj final : NativeObj {
  asyncio::Coro<Object> body;  // invalid once finished (the frame is freed then, as CPython frees it)
  std::coroutine_handle<> leaf;
  Object transfer;            // the value sent in, or the value yielded out
  std::exception_ptr thrown;  // raised at the yield when resumed (throw(), close())
  Object delegate;            // the iterator a `yield from` is suspended in (gi_yieldfrom)
  RefCounted* wrapper = nullptr;
  std::coroutine_handle<> waiter = std::noop_coroutine();
  Object loop;  // the loop whose hooks saw its first iteration (asynchronous generators)
  const char* qualname = "";
  bool running = false;
  bool is_async = false;
  bool at_yield = false;      // the last resumption ended at a yield
  bool hooks_inited = false;  // asynchronous: firstiter ran (genobject.c: ag_hooks_inited)
  bool closed = false;        // asynchronous: aclose() began, or the body ended (ag_closed)

  bool finished() const noexcept { return !body.valid(); }
  bool started() const noexcept { return body.valid() && body.started(); }
  Object self() const { return Object(is_async ? Tag::Native : Tag::Iter, wrapper); }
  const char* type_name() const override { return is_async ? "async_generator" : "generator"; }
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

// StopIteration carrying a generator's or coroutine's return value.
[[noreturn]] void raise_stop(Interp& ip, Object value);
// The exception throw(typ[, val[, tb]]) or throw(instance) raises (genobject.c: _gen_throw).
std::exception_ptr throw_arg(Interp& ip, CallArgs& a);

// close() of a started generator or coroutine (genobject.c: gen_close): GeneratorExit thrown in at
// the yield by resume(exit), which returns true if the body yielded again (it ignored GeneratorExit).
// The body ending with GeneratorExit or StopIteration is a clean close; anything else propagates.
template <class Resume>
void close_by_throw(Interp& ip, const char* kind, Resume resume) {
  std::exception_ptr ep;
  try {
    if (resume(ip.to_cpp(ip.new_exc(ip.T.GeneratorExit, {})))) ip.raise(ip.T.RuntimeError, std::string(kind) + " ignored GeneratorExit");
    return;
  } catch (const Abort&) {
    throw;
  } catch (...) {
    ep = std::current_exception();
  }
  Ref<ExcObj> e = ip.to_python(ep);
  if (!e->cls->subclass_of(ip.T.GeneratorExit.get()) && !e->cls->subclass_of(ip.T.StopIteration.get()))
    std::rethrow_exception(ep);
}

// Awaiting what an asynchronous generator's asend(), __anext__(), athrow() or aclose() returned.
bool is_agen_op(const Object& o);
asyncio::Coro<Object> await_agen_op(Interp& ip, Object op);

// The Python object of the generator whose state is `g` (an IterObj, or an asynchronous generator).
Object wrap_generator(const Ref<GenObj>& g);

// `co_await YieldAwaiter{g, v}` in the generator's body: yields v, evaluates to the value sent in.
struct YieldAwaiter {
  GenObj* g;
  Object value;
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) noexcept {
    g->leaf = h;
    g->transfer = std::move(value);
    g->at_yield = true;
    return std::exchange(g->waiter, std::noop_coroutine());
  }
  Object await_resume() {
    if (g->thrown) std::rethrow_exception(std::exchange(g->thrown, nullptr));
    return std::exchange(g->transfer, Object());
  }
};

// `co_await CoroYield{ip, v}`: a coroutine yields v (from the iterator an __await__ returned, or a
// future's). Driven by send() (Interp::hand_driver, with the task that called send() still the current
// one), the value is what send() returns. Driven by a task, it is what Task.__step does with a yielded
// value (tasks.py): a future whose __await__ yielded it (blocking) is waited on, None waits one loop
// iteration, anything else becomes a RuntimeError thrown in at the next step.
struct CoroYield {
  CoroYield(Interp* i, Object v) : ip(i), value(std::move(v)) {}
  Interp* ip;
  Object value;
  CoroObj* driver = nullptr;
  Object error;  // the RuntimeError Task.__step throws in
  bool await_ready() {
    if (ip->hand_driver && ip->hand_task == asyncio::current_task()) driver = ip->hand_driver;
    else asyncio::detail::require_task();
    return false;
  }
  void await_suspend(std::coroutine_handle<> h);
  Object await_resume();
};

// `co_await AgenStep{g}` after setting g's transfer/thrown: resumes an asynchronous generator's body
// until it yields or ends, suspending the awaiting coroutine meanwhile if the body awaits a future.
struct AgenStep {
  GenObj* g;
  bool await_ready() {
    if (!g->started()) {
      g->body.handle().promise().mark_started();
      g->leaf = g->body.handle();
    }
    g->body.handle().promise().continuation = std::noop_coroutine();  // ending now returns here
    g->at_yield = false;
    g->running = true;
    g->leaf.resume();
    return g->at_yield || g->body.done();
  }
  void await_suspend(std::coroutine_handle<> h) noexcept {
    g->waiter = h;
    g->body.handle().promise().continuation = h;
  }
  void await_resume() noexcept {
    g->running = false;
    g->waiter = std::noop_coroutine();
  }
};

}  // namespace aiospec::interp

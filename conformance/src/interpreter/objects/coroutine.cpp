// coroutine: coroutine objects and `await`.
#include <fmt/format.h>

#include "generator.hpp"

namespace aiospec::interp {

using namespace scenario;

Object Interp::make_coro(asyncio::Coro<Object> c, const char* qualname, bool is_async_def) {
  c.set_name(qualname);
  auto obj = asyncio::make_ref<CoroObj>(std::move(c), qualname);
  obj->is_async_def = is_async_def;
  return Object(Tag::Coro, obj);
}

void CoroYield::await_suspend(std::coroutine_handle<> h) {
  if (driver) {  // back to send()
    driver->leaf = h;
    driver->transfer = std::move(value);
    return;
  }
  asyncio::TaskBase* task = asyncio::current_task();
  if (value.is(Tag::Future)) {
    auto* fut = value.as<asyncio::FutureBase>();
    FutureExtras* x = extras_of(*fut);
    if (fut == task) {
      error = Object(Tag::Exc, ip->new_exc(ip->T.RuntimeError, {ip->str_obj(fmt::format("Task cannot await on itself: {}", ip->repr(value)))}));
    } else if (x && x->blocking) {
      x->blocking = false;
      asyncio::detail::suspend_task(h, fut);
      return;
    } else {
      error = Object(Tag::Exc, ip->new_exc(ip->T.RuntimeError, {ip->str_obj(fmt::format(
          "yield was used instead of yield from in task {} with {}", ip->repr(ip->future_obj(task)), ip->repr(value)))}));
    }
  } else if (!value.is_none()) {
    error = Object(Tag::Exc, ip->new_exc(ip->T.RuntimeError, {ip->str_obj("Task got bad yield: " + ip->repr(value))}));
  }
  asyncio::detail::suspend_task(h, nullptr);
}

Object CoroYield::await_resume() {
  if (driver) {
    if (driver->thrown) std::rethrow_exception(std::exchange(driver->thrown, nullptr));
    return std::exchange(driver->transfer, Object());
  }
  asyncio::detail::resume_task();  // a cancellation wins over the error (Task.__step: _must_cancel)
  if (!error.null()) ip->raise_obj(Ref<ExcObj>(error.as<ExcObj>()));
  return Object::none();
}

namespace {

// coroutine.send(value) / throw(exc) (genobject.c: gen_send_ex): runs the coroutine by hand until
// it yields (true, the value in `out`) or ends (false, its return value).
bool coro_resume(Interp& ip, CoroObj& c, Object value, std::exception_ptr thrown, Object& out) {
  if (c.running) ip.raise(ip.T.ValueError, "coroutine already executing");
  auto h = c.coro.handle();
  if (!h) ip.refuse("send() or throw() into a coroutine a task runs");
  if (h.done()) ip.raise(ip.T.RuntimeError, "cannot reuse already awaited coroutine");
  if (!h.promise().started()) {
    if (!thrown && !value.is_none()) ip.raise(ip.T.TypeError, "can't send non-None value to a just-started coroutine");
    h.promise().mark_started();
    if (thrown) {  // raised where the body would begin: it never runs
      c.coro.release().destroy();
      std::rethrow_exception(thrown);
    }
    c.leaf = h;
  } else if (!c.leaf) {
    ip.raise(ip.T.RuntimeError, "coroutine is being awaited already");
  }
  c.transfer = std::move(value);
  c.thrown = std::move(thrown);
  c.running = true;
  CoroObj* outer = std::exchange(ip.hand_driver, &c);
  asyncio::TaskBase* outer_task = std::exchange(ip.hand_task, asyncio::current_task());
  std::exchange(c.leaf, {}).resume();
  ip.hand_driver = outer;
  ip.hand_task = outer_task;
  c.running = false;
  if (!h.done()) {
    // Suspended elsewhere than at a CoroYield: on what a task waits on, inside the task that called send().
    if (!c.leaf) ip.refuse(kHandDrivenWait);
    out = std::exchange(c.transfer, Object());
    return true;
  }
  auto& p = h.promise();
  if (std::exception_ptr ep = std::exchange(p.exception, nullptr)) std::rethrow_exception(ep);
  out = std::move(*p.value);
  return false;
}

Object send_or_stop(Interp& ip, CoroObj& c, Object value, std::exception_ptr thrown) {
  Object out;
  if (!coro_resume(ip, c, std::move(value), std::move(thrown), out)) raise_stop(ip, std::move(out));
  return out;
}

}  // namespace

Object coro_method(Interp& ip, const Object& self, std::string_view name) {
  if (name == "send")
    return ip.builtin("send", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      check_args(ip, "send", a, 1, 1);
      return send_or_stop(ip, *b.self.as<CoroObj>(), a.pos[0], nullptr);
    }, self);
  if (name == "throw")
    return ip.builtin("throw", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      return send_or_stop(ip, *b.self.as<CoroObj>(), Object::none(), throw_arg(ip, a));
    }, self);
  if (name == "close")
    return ip.builtin("close", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      check_args(ip, "close", a, 0, 0);
      auto& c = *b.self.as<CoroObj>();
      auto h = c.coro.handle();
      if (h && h.promise().started() && !h.done() && c.leaf)  // suspended in a send(): GeneratorExit at its yield
        close_by_throw(ip, "coroutine", [&](std::exception_ptr exit) {
          Object out;
          return coro_resume(ip, c, Object::none(), std::move(exit), out);
        });
      else if (auto r = c.coro.release())  // never started (no warning), or finished
        r.destroy();
      return Object::none();
    }, self);
  if (name == "cr_running") return Object::boolean(self.as<CoroObj>()->running);
  return {};
}

asyncio::Coro<Object> Interp::await_object(Object x) {
  switch (x.tag()) {
    case Tag::Coro: {
      auto* c = x.as<CoroObj>();
      std::exception_ptr ep;
      Object v;
      try {
        v = co_await c->coro;
      } catch (const Abort&) {
        throw;
      } catch (...) {
        ep = std::current_exception();
      }
      if (ep) {
        // The finished frame's promise still holds the exception, which would hold the frame:
        // break the cycle (the exception keeps the coroutine object, as a traceback would).
        if (auto h = c->coro.handle()) h.promise().exception = nullptr;
        rethrow_keeping(ep, {std::move(x)});
      }
      co_return v;
    }
    case Tag::Future: {
      Ref<asyncio::FutureBase> fut(x.as<asyncio::FutureBase>());
      if (hand_driver && hand_task == asyncio::current_task()) co_return co_await yield_from(nullptr, future_iter(*this, x));
      asyncio::FutureAwaiter<asyncio::FutureBase> awaiter{fut};  // named: g++ 12 destroys a braced temporary awaiter twice
      co_await awaiter;
      co_return future_result(*fut);
    }
    case Tag::Native:
      if (is_agen_op(x)) co_return co_await await_agen_op(*this, std::move(x));
      [[fallthrough]];
    case Tag::Instance: {
      Object aw = x.is(Tag::Native) ? getattr_opt(x, "__await__") : special(x, "__await__");
      if (aw.null()) break;
      Object it = call0(aw);
      if (it.is(Tag::Coro)) co_return co_await await_object(std::move(it));  // a coroutine's __await__ is itself here
      if (!it.is(Tag::Iter) && special(it, "__next__").null())
        raise(T.TypeError, fmt::format("__await__() returned non-iterator of type '{}'", type_of(it)->name));
      co_return co_await yield_from(nullptr, std::move(it));
    }
    default: break;
  }
  raise(T.TypeError, fmt::format("object {} can't be used in 'await' expression", type_of(x)->name));
}

}  // namespace aiospec::interp

// generator: generator functions, generator expressions and `yield from` (Objects/genobject.c).
#include "generator.hpp"

#include <fmt/format.h>

#include "asyncio/asyncgens.hpp"

namespace aiospec::interp {

using namespace scenario;

namespace {

// PEP 479: a StopIteration (an async generator's StopAsyncIteration too) leaving the body becomes
// RuntimeError, chained as _PyErr_FormatFromCause does.
[[noreturn]] void raise_from_body(Interp& ip, const GenObj& g, std::exception_ptr ep) {
  Ref<ExcObj> e = ip.to_python(ep);
  const char* stop = e->cls->subclass_of(ip.T.StopIteration.get()) ? "StopIteration"
                     : g.is_async && e->cls->subclass_of(ip.T.StopAsyncIteration.get()) ? "StopAsyncIteration"
                                                                                           : nullptr;
  if (!stop) std::rethrow_exception(ep);
  Ref<ExcObj> r = ip.new_exc(ip.T.RuntimeError, {ip.str_obj(fmt::format("{} raised {}", g.is_async ? "async generator" : "generator", stop))});
  r->cause = r->context = Object(Tag::Exc, e);
  r->suppress_context = true;
  ip.raise_obj(r);
}

// The end of the body: false with its return value, or what it raised.
bool finish(Interp& ip, GenObj& g, Object& out) {
  auto& p = g.body.handle().promise();
  std::exception_ptr ep = std::exchange(p.exception, nullptr);
  if (!ep) out = std::move(*p.value);
  g.body = {};
  g.delegate = {};
  if (ep) raise_from_body(ip, g, std::move(ep));
  return false;
}

// Closing a generator that never started runs nothing, and warns of nothing.
void close_unstarted(GenObj& g) {
  g.body.handle().promise().mark_started();
  g.body = {};
}

// gen.close(): GeneratorExit at the yield; a generator that yields again has ignored it.
void gen_close(Interp& ip, GenObj& g) {
  if (g.finished()) return;
  if (!g.started()) return close_unstarted(g);
  close_by_throw(ip, "generator", [&](std::exception_ptr exit) {
    Object out;
    return gen_resume(ip, g, Object::none(), std::move(exit), out);
  });
}

// Calls method(arg) of a `yield from` iterator that is not a generator: true with the value it
// yields, false with the value its StopIteration carries.
bool call_delegate(Interp& ip, const Object& method, Object arg, Object& out) {
  std::exception_ptr ep;
  try {
    out = ip.call1(method, std::move(arg));
    return true;
  } catch (const Abort&) {
    throw;
  } catch (...) {
    ep = std::current_exception();
  }
  Ref<ExcObj> e = ip.to_python(ep);
  if (!e->cls->subclass_of(ip.T.StopIteration.get())) std::rethrow_exception(ep);
  out = e->args.empty() ? Object::none() : e->args[0];
  return false;
}

// --- asynchronous generators ---------------------------------------------------------------

// The Python object of an asynchronous generator. It is also what the loop's asyncgen hooks see:
// when it goes while the generator is suspended, the finalizer hook closes the generator in a task,
// through a new AgenObj over the same state (CPython resurrects the generator object instead).
struct AgenObj final : NativeObj, asyncio::AsyncGen {
  explicit AgenObj(Ref<GenObj> g) : state(std::move(g)) { state->wrapper = this; }
  Ref<GenObj> state;
  bool dying = false;
  const char* type_name() const override { return "async_generator"; }
  std::string repr(Interp& ip) override { return state->repr(ip); }
  std::string repr() const override { return state->repr(*current_interp()); }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override { return state->getattr(ip, self, name); }
  asyncio::Coro<void> aclose() override;
  ~AgenObj() override;
};

// The generator a method is bound to: methods hold the Python object, as CPython's bound methods do.
GenObj& self_gen(BuiltinObj& b) {
  if (GenObj* g = as_generator(b.self)) return *g;
  return *static_cast<AgenObj*>(b.self.as<NativeObj>())->state;
}

// What asend()/__anext__(), athrow() and aclose() return: awaited once, it resumes the generator.
struct AgenOp final : NativeObj {
  Ref<GenObj> g;
  Object agen;  // the Python object, kept alive while this is (as CPython's op holds the generator)
  Object value;
  std::exception_ptr thrown;
  std::exception_ptr bad_args;  // athrow()'s arguments are checked when it is awaited
  bool close = false;
  bool awaited = false;
  bool is_throw() const noexcept { return close || thrown || bad_args; }
  const char* type_name() const override { return is_throw() ? "async_generator_athrow" : "async_generator_asend"; }
  std::string repr(Interp&) override {
    return fmt::format("<{} object at {:#x}>", type_name(), reinterpret_cast<std::uintptr_t>(this));
  }
  Object getattr(Interp&, const Object&, std::string_view) override { return {}; }
};

// An operation on `g`; its first one runs the firstiter hook of the running loop (base_events.py:
// _asyncgen_firstiter_hook registers it for shutdown_asyncgens).
Object agen_op(GenObj& g, Object value, std::exception_ptr thrown, bool close) {
  if (!g.hooks_inited) {
    g.hooks_inited = true;
    if (asyncio::EventLoop* loop = asyncio::running_loop()) {
      g.loop = Object(Tag::Loop, loop);
      asyncio::asyncgen_firstiter(*loop, *static_cast<AgenObj*>(g.wrapper));
    }
  }
  auto op = asyncio::make_ref<AgenOp>();
  op->g = Ref<GenObj>(&g);
  op->agen = g.self();
  op->value = std::move(value);
  op->thrown = std::move(thrown);
  op->close = close;
  return Object(Tag::Native, op);
}

Object agen_attr(Interp& ip, GenObj& g, std::string_view name) {
  const Object self = g.self();
  if (name == "__aiter__")
    return ip.builtin("__aiter__", [](Interp&, BuiltinObj& b, CallArgs&) -> Object { return self_gen(b).self(); }, self);
  if (name == "__anext__")
    return ip.builtin("__anext__", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      check_args(ip, "__anext__", a, 0, 0);
      return agen_op(self_gen(b), Object::none(), nullptr, false);
    }, self);
  if (name == "asend")
    return ip.builtin("asend", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      check_args(ip, "asend", a, 1, 1);
      return agen_op(self_gen(b), a.pos[0], nullptr, false);
    }, self);
  if (name == "athrow")
    return ip.builtin("athrow", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      std::exception_ptr thrown, bad_args;
      try {
        thrown = throw_arg(ip, a);
      } catch (const Abort&) {
        throw;
      } catch (...) {
        bad_args = std::current_exception();
      }
      Object op = agen_op(self_gen(b), Object::none(), thrown, false);
      static_cast<AgenOp*>(op.as<NativeObj>())->bad_args = bad_args;
      return op;
    }, self);
  if (name == "aclose")
    return ip.builtin("aclose", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      check_args(ip, "aclose", a, 0, 0);
      return agen_op(self_gen(b), Object::none(), nullptr, true);
    }, self);
  if (name == "ag_running") return Object::boolean(g.running);
  if (name == "ag_await") return Object::none();
  return {};
}

asyncio::Coro<void> aclose_task(Object op) {
  asyncio::Coro<Object> c = await_agen_op(*current_interp(), std::move(op));
  co_await c;
}

asyncio::Coro<void> AgenObj::aclose() {
  // A dying AgenObj (the finalizer hook) hands the generator to a new one.
  Ref<AgenObj> agen(dying ? new AgenObj(state) : this);
  return aclose_task(agen_op(*state, Object::none(), nullptr, true));
}

AgenObj::~AgenObj() {
  GenObj& g = *state;
  if (g.loop.null()) return;
  auto* loop = g.loop.as<asyncio::EventLoop>();
  dying = true;
  // _PyGen_Finalize: a generator whose body ended, or that aclose() began closing, has nothing to close.
  if (g.closed || g.finished())
    asyncio::asyncgen_forget(*loop, *this);
  else
    asyncio::asyncgen_finalizer(*loop, *this);
}

}  // namespace

[[noreturn]] void raise_stop(Interp& ip, Object value) {
  std::vector<Object> args;
  if (!value.is_none()) args.push_back(std::move(value));
  ip.raise_obj(ip.new_exc(ip.T.StopIteration, std::move(args)));
}


// gen.throw(typ[, val[, tb]]) and the instance form (genobject.c: _gen_throw).
std::exception_ptr throw_arg(Interp& ip, CallArgs& a) {
  check_args(ip, "throw", a, 1, 3);
  const Object& typ = a.pos[0];
  Object val = a.pos.size() > 1 ? a.pos[1] : Object::none();
  if (typ.is(Tag::Exc)) {
    if (!val.is_none()) ip.raise(ip.T.TypeError, "instance exception may not have a separate value");
    return ip.to_cpp(Ref<ExcObj>(typ.as<ExcObj>()));
  }
  if (!typ.is(Tag::Type) || !typ.as<TypeObj>()->is_exception)
    ip.raise(ip.T.TypeError, fmt::format("exceptions must be classes or instances deriving from BaseException, not {}",
                                         ip.type_of(typ)->name));
  Object exc;
  if (val.is(Tag::Exc) && val.as<ExcObj>()->cls->subclass_of(typ.as<TypeObj>())) {
    exc = val;
  } else {
    CallArgs args;
    if (val.is(Tag::Tuple)) args.pos = val.as<ListObj>()->v;
    else if (!val.is_none()) args.pos.push_back(val);
    exc = ip.call(typ, args);
  }
  return ip.to_cpp(Ref<ExcObj>(exc.as<ExcObj>()));
}


Object resume_or_stop(Interp& ip, GenObj& g, Object value, std::exception_ptr thrown) {
  Object out;
  if (!gen_resume(ip, g, std::move(value), std::move(thrown), out)) raise_stop(ip, std::move(out));
  return out;
}

GenObj* as_generator(const Object& o) {
  if (!o.is(Tag::Iter)) return nullptr;
  const Object& src = o.as<IterObj>()->src;
  return src.is(Tag::Native) ? dynamic_cast<GenObj*>(src.as<NativeObj>()) : nullptr;
}

bool gen_resume(Interp& ip, GenObj& g, Object value, std::exception_ptr thrown, Object& out) {
  if (g.running) ip.raise(ip.T.ValueError, "generator already executing");
  if (g.finished()) {
    if (thrown) std::rethrow_exception(thrown);
    out = Object::none();
    return false;
  }
  if (!g.started()) {
    if (!thrown && !value.is_none())
      ip.raise(ip.T.TypeError, "can't send non-None value to a just-started generator");
    g.body.handle().promise().mark_started();
    g.leaf = g.body.handle();
  }
  g.transfer = std::move(value);
  g.thrown = std::move(thrown);
  RecursiveCall level(ip);  // the generator's frame
  g.running = true;
  g.leaf.resume();
  g.running = false;
  if (!g.body.done()) {
    out = std::exchange(g.transfer, Object());
    return true;
  }
  return finish(ip, g, out);
}

std::string GenObj::repr(Interp&) {
  return fmt::format("<{} object {} at {:#x}>", type_name(), qualname, reinterpret_cast<std::uintptr_t>(wrapper));
}

bool GenObj::iternext(Interp& ip, const Object&, Object& out) { return gen_resume(ip, *this, Object::none(), nullptr, out); }

Object GenObj::getattr(Interp& ip, const Object&, std::string_view name) {
  if (name == "__name__" || name == "__qualname__") {
    std::string q = qualname;
    if (name == "__name__" && q.rfind('.') != std::string::npos) q = q.substr(q.rfind('.') + 1);
    return ip.str_obj(q);
  }
  if (is_async) return agen_attr(ip, *this, name);
  const Object self = this->self();
  if (name == "__next__")
    return ip.builtin("__next__", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      check_args(ip, "__next__", a, 0, 0);
      return resume_or_stop(ip, self_gen(b), Object::none(), nullptr);
    }, self);
  if (name == "send")
    return ip.builtin("send", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      check_args(ip, "send", a, 1, 1);
      return resume_or_stop(ip, self_gen(b), a.pos[0], nullptr);
    }, self);
  if (name == "throw")
    return ip.builtin("throw", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      return resume_or_stop(ip, self_gen(b), Object::none(), throw_arg(ip, a));
    }, self);
  if (name == "close")
    return ip.builtin("close", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      check_args(ip, "close", a, 0, 0);
      gen_close(ip, self_gen(b));
      return Object::none();
    }, self);
  if (name == "__iter__")
    return ip.builtin("__iter__", [](Interp&, BuiltinObj& b, CallArgs&) -> Object { return self_gen(b).self(); }, self);
  if (name == "gi_running") return Object::boolean(running);
  if (name == "gi_suspended") return Object::boolean(started() && !finished() && !running);
  if (name == "gi_yieldfrom") return delegate.null() ? Object::none() : delegate;
  return {};
}

GenObj::~GenObj() {
  // CPython finalises a suspended generator by closing it; what that raises cannot propagate
  // (CPython prints it as "Exception ignored in"). An asynchronous generator is closed through the
  // loop's finalizer hook (AgenObj) or not at all.
  if (!started()) {
    if (body.valid()) body.handle().promise().mark_started();  // an unstarted generator warns of nothing
    return;
  }
  Interp* ip = current_interp();
  if (finished() || !ip || is_async) return;
  try {
    gen_close(*ip, *this);
  } catch (...) {
  }
}

Object Interp::call_generator(FuncObj* fn, CallArgs& args) {
  auto frame = std::make_unique<Frame>();
  bind_args(fn, args, *frame);
  frame->line = fn->def->line;
  auto g = asyncio::make_ref<GenObj>();
  g->qualname = fn->qualname;
  g->is_async = fn->is_async;
  frame->gen = g.get();
  g->body = run_generator(Ref<FuncObj>(fn), std::move(frame));
  return wrap_generator(g);
}

asyncio::Coro<Object> Interp::run_generator(Ref<FuncObj> fn, std::unique_ptr<Frame> frame) {
  // throw() before the first send raises before the first line runs.
  if (frame->gen->thrown) std::rethrow_exception(std::exchange(frame->gen->thrown, nullptr));
  asyncio::Coro<Object> body = run_coroutine(std::move(fn), std::move(frame));
  Object v = co_await body;
  co_return v;
}

// A generator expression runs lazily, one element per resumption, so any(), all() and next() stop as
// early as in Python; one that awaits or has an `async for` is an asynchronous generator. Its first
// iterable was evaluated when the expression was (in the enclosing scope), and so is its iterator.
Object Interp::make_genexp(const Comp& c, Frame& f, Object first) {
  auto frame = std::make_unique<Frame>();
  init_slots(*frame, c.scope);
  frame->qualname = f.qualname;
  frame->code_name = "<genexpr>";
  frame->line = c.line;
  frame->comp = &c;
  auto g = asyncio::make_ref<GenObj>();
  g->qualname = child_qualname(*this, f, "<genexpr>");
  g->is_async = c.is_async;
  frame->gen = g.get();
  g->body = run_genexp(c, std::move(frame), capture(c.scope, f), comp_iter(c.generators[0], first));
  return wrap_generator(g);
}

asyncio::Coro<Object> Interp::run_genexp(const Comp& c, std::unique_ptr<Frame> frame, std::vector<Ref<CellObj>> closure,
                                         Object first) {
  frame->closure = &closure;
  if (frame->gen->thrown) std::rethrow_exception(std::exchange(frame->gen->thrown, nullptr));
  asyncio::Coro<Object> body = run_comp_a(c, *frame, std::move(first), Object());
  std::exception_ptr ep;
  try {
    co_await body;
  } catch (const Abort&) {
    throw;
  } catch (...) {
    ep = std::current_exception();
  }
  if (ep) rethrow_keeping(ep, {}, frame.get());
  co_return Object::none();
}

asyncio::Coro<Object> Interp::yield_from(GenObj* g, Object src) {
  Object it = iter(src);
  GenObj* sub = as_generator(it);
  Object sent = Object::none();
  std::exception_ptr thrown;
  for (;;) {
    Object out;
    bool yielded;
    if (thrown && to_python(thrown)->cls->subclass_of(T.GeneratorExit.get())) {
      // GeneratorExit closes the delegate, then the delegating generator (PEP 380).
      if (sub) gen_close(*this, *sub);
      else if (Object close = getattr_opt(it, "close"); !close.null()) call0(close);
      std::rethrow_exception(thrown);
    }
    if (sub) {
      yielded = gen_resume(*this, *sub, std::move(sent), std::move(thrown), out);
    } else if (thrown) {  // to the delegate's throw() when it has one
      Object m = getattr_opt(it, "throw");
      if (m.null()) std::rethrow_exception(thrown);
      yielded = call_delegate(*this, m, exc_object(thrown), out);
    } else if (sent.is_none()) {
      // A native iterator's end may carry a value (a FutureIter's is the future's result).
      const Object& src = it.as<IterObj>()->src;
      yielded = src.is(Tag::Native) ? src.as<NativeObj>()->iternext(*this, src, out) : next(*it.as<IterObj>(), out);
      if (!yielded && out.null()) out = Object::none();
    } else {
      yielded = call_delegate(*this, getattr(it, "send"), std::move(sent), out);
    }
    if (!yielded) co_return out;
    if (g) g->delegate = it;
    thrown = nullptr;
    sent = Object::none();
    try {
      if (g) {
        YieldAwaiter y{g, std::move(out)};  // named: g++ 12 destroys a braced temporary awaiter twice
        sent = co_await y;
      } else {
        CoroYield y{this, std::move(out)};
        sent = co_await y;
      }
    } catch (const Abort&) {
      throw;
    } catch (...) {
      thrown = std::current_exception();
    }
    if (g) g->delegate = {};
  }
}

Object wrap_generator(const Ref<GenObj>& g) {
  if (g->is_async) return Object(Tag::Native, asyncio::make_ref<AgenObj>(g));
  auto it = asyncio::make_ref<IterObj>();
  it->src = Object(Tag::Native, g);
  g->wrapper = it.get();
  return Object(Tag::Iter, it);
}

bool is_agen_op(const Object& o) { return o.is(Tag::Native) && dynamic_cast<AgenOp*>(o.as<NativeObj>()); }

asyncio::Coro<Object> await_agen_op(Interp& ip, Object o) {
  // genobject.c: async_gen_asend_send, async_gen_athrow_send.
  auto& op = *static_cast<AgenOp*>(o.as<NativeObj>());
  if (op.awaited)
    ip.raise(ip.T.RuntimeError, op.is_throw() ? "cannot reuse already awaited aclose()/athrow()"
                                              : "cannot reuse already awaited __anext__()/asend()");
  op.awaited = true;
  GenObj& g = *op.g;
  if (g.finished() && op.is_throw()) co_return Object::none();
  if (g.running)
    ip.raise(ip.T.RuntimeError, fmt::format("{}(): asynchronous generator is already running",
                                            op.close ? "aclose" : op.thrown ? "athrow" : "anext"));
  if ((g.closed && op.is_throw()) || g.finished()) ip.raise_obj(ip.new_exc(ip.T.StopAsyncIteration, {}));
  if (op.bad_args) std::rethrow_exception(op.bad_args);
  if (op.close) g.closed = true;
  if (!g.started()) {
    if (op.close) {
      close_unstarted(g);
      co_return Object::none();
    }
    if (!op.thrown && !op.value.is_none())
      ip.raise(ip.T.TypeError, "can't send non-None value to a just-started async generator");
  }
  g.transfer = std::move(op.value);
  g.thrown = op.close ? ip.to_cpp(ip.new_exc(ip.T.GeneratorExit, {})) : std::move(op.thrown);
  AgenStep step{&g};
  co_await step;
  Object out;
  if (!g.body.done()) {
    if (op.close) ip.raise(ip.T.RuntimeError, "async generator ignored GeneratorExit");
    co_return std::exchange(g.transfer, Object());
  }
  std::exception_ptr ep;
  try {
    finish(ip, g, out);
  } catch (const Abort&) {
    throw;
  } catch (...) {
    ep = std::current_exception();
  }
  // async_gen_unwrap_value: ending, or GeneratorExit, closes it; aclose() wanted just that.
  const bool exited = ep && ip.to_python(ep)->cls->subclass_of(ip.T.GeneratorExit.get());
  if (!ep || exited) g.closed = true;
  if (ep && !(op.close && exited)) std::rethrow_exception(ep);
  if (op.close) co_return Object::none();
  ip.raise_obj(ip.new_exc(ip.T.StopAsyncIteration, {}));
}

}  // namespace aiospec::interp

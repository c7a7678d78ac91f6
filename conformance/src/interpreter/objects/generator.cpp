// generator: generator functions, generator expressions and `yield from` (Objects/genobject.c).
#include "generator.hpp"

#include <fmt/format.h>

namespace aiospec::interp {

using namespace scenario;

namespace {

Object wrap(const Ref<GenObj>& g) {
  auto it = asyncio::make_ref<IterObj>();
  it->src = Object(Tag::Native, g);
  g->wrapper = it.get();
  return Object(Tag::Iter, it);
}

GenObj& self_gen(BuiltinObj& b) { return *static_cast<GenObj*>(b.self.as<NativeObj>()); }

// PEP 479: a StopIteration leaving the body becomes RuntimeError, chained as _PyErr_FormatFromCause does.
[[noreturn]] void raise_from_body(Interp& ip, std::exception_ptr ep) {
  Ref<ExcObj> e = ip.to_python(ep);
  if (!e->cls->subclass_of(ip.T.StopIteration.get())) std::rethrow_exception(ep);
  Ref<ExcObj> r = ip.new_exc(ip.T.RuntimeError, {ip.str_obj("generator raised StopIteration")});
  r->cause = r->context = Object(Tag::Exc, e);
  r->suppress_context = true;
  ip.raise_obj(r);
}

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

// gen.close(): GeneratorExit at the yield; a generator that yields again has ignored it.
void gen_close(Interp& ip, GenObj& g) {
  if (g.finished()) return;
  if (!g.started()) {
    g.body.handle().promise().mark_started();  // closing an unstarted generator runs nothing, and warns of nothing
    g.body = {};
    return;
  }
  std::exception_ptr ep;
  try {
    Object out;
    if (gen_resume(ip, g, Object::none(), ip.to_cpp(ip.new_exc(ip.T.GeneratorExit, {})), out))
      ip.raise(ip.T.RuntimeError, "generator ignored GeneratorExit");
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

}  // namespace

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
  g.running = true;
  g.leaf.resume();
  g.running = false;
  if (!g.body.done()) {
    out = std::exchange(g.transfer, Object());
    return true;
  }
  auto& p = g.body.handle().promise();
  std::exception_ptr ep = std::exchange(p.exception, nullptr);
  if (!ep) out = std::move(*p.value);
  g.body = {};
  g.delegate = {};
  if (ep) raise_from_body(ip, std::move(ep));
  return false;
}

std::string GenObj::repr(Interp&) {
  return fmt::format("<{} object {} at {:#x}>", type_name(), qualname, reinterpret_cast<std::uintptr_t>(wrapper));
}

bool GenObj::iternext(Interp& ip, const Object&, Object& out) { return gen_resume(ip, *this, Object::none(), nullptr, out); }

Object GenObj::getattr(Interp& ip, const Object& self, std::string_view name) {
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
  if (name == "__name__" || name == "__qualname__") {
    std::string q = qualname;
    if (name == "__name__" && q.rfind('.') != std::string::npos) q = q.substr(q.rfind('.') + 1);
    return ip.str_obj(q);
  }
  return {};
}

GenObj::~GenObj() {
  // CPython finalises a suspended generator by closing it; what that raises cannot propagate
  // (CPython prints it as "Exception ignored in").
  if (!started()) {
    if (body.valid()) body.handle().promise().mark_started();  // an unstarted generator warns of nothing
    return;
  }
  Interp* ip = current_interp();
  if (finished() || !ip) return;
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
  frame->gen = g.get();
  g->body = run_generator(Ref<FuncObj>(fn), std::move(frame));
  return wrap(g);
}

asyncio::Coro<Object> Interp::run_generator(Ref<FuncObj> fn, std::unique_ptr<Frame> frame) {
  // throw() before the first send raises before the first line runs.
  if (frame->gen->thrown) std::rethrow_exception(std::exchange(frame->gen->thrown, nullptr));
  asyncio::Coro<Object> body = run_coroutine(std::move(fn), std::move(frame));
  Object v = co_await body;
  co_return v;
}

// A generator expression runs lazily, one element per resumption, so any(), all() and next() stop as
// early as in Python. Its first iterable was evaluated when the expression was (in the enclosing scope).
Object Interp::make_genexp(const Comp& c, Frame& f, Object first) {
  auto frame = std::make_unique<Frame>();
  init_slots(*frame, c.scope);
  frame->qualname = f.qualname;
  auto g = asyncio::make_ref<GenObj>();
  g->qualname = child_qualname(*this, f, "<genexpr>");
  frame->gen = g.get();
  g->body = run_genexp(c, std::move(frame), capture(c.scope, f), iter(first));
  return wrap(g);
}

asyncio::Coro<Object> Interp::run_genexp(const Comp& c, std::unique_ptr<Frame> frame, std::vector<Ref<CellObj>> closure,
                                         Object first) {
  Frame& cf = *frame;
  cf.closure = &closure;
  if (cf.gen->thrown) std::rethrow_exception(std::exchange(cf.gen->thrown, nullptr));
  std::vector<Object> iters{std::move(first)};  // one per active `for` clause, outermost first
  while (!iters.empty()) {
    const std::size_t gi = iters.size() - 1;
    Object v;
    if (!next(*iters.back().as<IterObj>(), v)) {
      iters.pop_back();
      continue;
    }
    step();
    const Comprehension& gen = c.generators[gi];
    assign(gen.target, cf, v);
    bool ok = true;
    for (Expr* cond : gen.ifs)
      if (!truthy(eval(cond, cf))) {
        ok = false;
        break;
      }
    if (!ok) continue;
    if (gi + 1 < c.generators.size()) {
      iters.push_back(iter(eval(c.generators[gi + 1].iter, cf)));
      continue;
    }
    YieldAwaiter y{cf.gen, eval(c.elt, cf)};  // named: g++ 12 destroys a braced temporary awaiter twice
    co_await y;
  }
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
      yielded = next(*it.as<IterObj>(), out);
      if (!yielded) out = Object::none();
    } else {
      yielded = call_delegate(*this, getattr(it, "send"), std::move(sent), out);
    }
    if (!yielded) co_return out;
    g->delegate = it;
    thrown = nullptr;
    sent = Object::none();
    try {
      YieldAwaiter y{g, std::move(out)};  // named: g++ 12 destroys a braced temporary awaiter twice
      sent = co_await y;
    } catch (const Abort&) {
      throw;
    } catch (...) {
      thrown = std::current_exception();
    }
    g->delegate = {};
  }
}

}  // namespace aiospec::interp

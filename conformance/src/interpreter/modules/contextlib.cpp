// The `contextlib` module (Lib/contextlib.py): contextmanager, suppress, closing, aclosing,
// nullcontext, ExitStack, AsyncExitStack, AbstractContextManager, AbstractAsyncContextManager.
#include <fmt/format.h>

#include "../interp.hpp"
#include "../objects/method.hpp"

namespace aiospec::interp {

namespace {

enum class Kind { Suppress, Closing, AClosing, NullContext };

// suppress, closing, aclosing and nullcontext: a context manager around one object.
struct SimpleCm final : NativeObj {
  SimpleCm(Kind k, Object v) : kind(k), value(std::move(v)) {}
  Kind kind;
  Object value;  // the exceptions suppressed, the thing closed, or the enter result
  const char* type_name() const override {
    switch (kind) {
      case Kind::Suppress: return "suppress";
      case Kind::Closing: return "closing";
      case Kind::AClosing: return "aclosing";
      case Kind::NullContext: return "nullcontext";
    }
    return "";
  }
  std::string repr(Interp& ip) override { return ip.default_repr(Object(Tag::Native, this)); }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

SimpleCm& CM(BuiltinObj& b) { return *static_cast<SimpleCm*>(b.self.as<NativeObj>()); }

asyncio::Coro<Object> ready(Object v) { co_return v; }

asyncio::Coro<Object> aclose_then_none(Interp& ip, Object thing) {
  co_await ip.await_object(ip.call0(ip.getattr(thing, "aclose")));
  co_return Object::none();
}

bool suppresses(const Object& excs, const Object& type) {
  if (!type.is(Tag::Type)) return false;
  for (const Object& e : excs.as<ListObj>()->v)
    if (e.is(Tag::Type) && type.as<TypeObj>()->subclass_of(e.as<TypeObj>())) return true;
  return false;
}

Object SimpleCm::getattr(Interp& ip, const Object& self, std::string_view name) {
  bool async = kind == Kind::AClosing || kind == Kind::NullContext;
  bool sync = kind != Kind::AClosing;
  if ((sync && name == "__enter__") || (async && name == "__aenter__"))
    return ip.builtin(name == "__enter__" ? "__enter__" : "__aenter__", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      check_args(ip, b.name, a, 0, 0);
      SimpleCm& c = CM(b);
      Object v = c.kind == Kind::Suppress ? Object::none() : c.value;
      return std::string_view(b.name) == "__aenter__" ? ip.make_coro(ready(v), "nullcontext.__aenter__") : v;
    }, self);
  if ((sync && name == "__exit__") || (async && name == "__aexit__"))
    return ip.builtin(name == "__exit__" ? "__exit__" : "__aexit__", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      SimpleCm& c = CM(b);
      bool is_async = std::string_view(b.name) == "__aexit__";
      switch (c.kind) {
        case Kind::Suppress: return Object::boolean(!a.pos.empty() && suppresses(c.value, a.pos[0]));
        case Kind::Closing: ip.call0(ip.getattr(c.value, "close")); return Object::none();
        case Kind::AClosing: return ip.make_coro(aclose_then_none(ip, c.value), "aclosing.__aexit__");
        case Kind::NullContext: break;
      }
      return is_async ? ip.make_coro(ready(Object::none()), "nullcontext.__aexit__") : Object::none();
    }, self);
  if (name == "thing" && (kind == Kind::Closing || kind == Kind::AClosing)) return value;
  if (name == "enter_result" && kind == Kind::NullContext) return value;
  return {};
}

// ---- contextmanager ----

// _GeneratorContextManager: the generator runs to its yield on __enter__, and on from there on __exit__.
struct GeneratorCm final : NativeObj {
  Object gen;
  const char* type_name() const override { return "_GeneratorContextManager"; }
  std::string repr(Interp& ip) override { return ip.default_repr(Object(Tag::Native, this)); }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

[[noreturn]] void runtime_error_from_none(Interp& ip, const char* msg) {
  auto e = ip.new_exc(ip.T.RuntimeError, {ip.str_obj(msg)});
  e->suppress_context = true;
  ip.raise_obj(e);
}

// The next value of the generator; false when it returned.
bool advance(Interp& ip, const Object& gen, Object& out) {
  if (!gen.is(Tag::Iter)) ip.raise(ip.T.TypeError, fmt::format("'{}' object is not an iterator", ip.type_of(gen)->name));
  return ip.next(*gen.as<IterObj>(), out);
}

// __exit__ with an exception: thrown into the generator at its yield.
Object throw_into(Interp& ip, const Object& gen, Object value) {
  std::exception_ptr ep;
  try {
    ip.call1(ip.getattr(gen, "throw"), value);
  } catch (const Abort&) {
    throw;
  } catch (...) {
    ep = std::current_exception();
  }
  if (!ep) runtime_error_from_none(ip, "generator didn't stop after throw()");
  Object exc = ip.exc_object(ep);
  auto* e = exc.as<ExcObj>();
  if (e->cls->subclass_of(ip.T.StopIteration.get())) return Object::boolean(!exc.same(value));
  // The exception thrown in came back out (or a StopIteration the generator turned into
  // RuntimeError): not suppressed.
  if (exc.same(value)) return Object::boolean(false);
  if (e->cls->subclass_of(ip.T.RuntimeError.get()) && value.as<ExcObj>()->cls->subclass_of(ip.T.StopIteration.get()) &&
      e->cause.same(value))
    return Object::boolean(false);
  std::rethrow_exception(ep);
}

Object GeneratorCm::getattr(Interp& ip, const Object& self, std::string_view name) {
  if (name == "__enter__")
    return ip.builtin("__enter__", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      check_args(ip, "__enter__", a, 0, 0);
      Object v;
      if (!advance(ip, static_cast<GeneratorCm*>(b.self.as<NativeObj>())->gen, v)) runtime_error_from_none(ip, "generator didn't yield");
      return v;
    }, self);
  if (name == "__exit__")
    return ip.builtin("__exit__", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      check_args(ip, "__exit__", a, 3, 3);
      const Object& gen = static_cast<GeneratorCm*>(b.self.as<NativeObj>())->gen;
      if (a.pos[0].is_none()) {
        Object v;
        if (!advance(ip, gen, v)) return Object::boolean(false);
        ip.raise(ip.T.RuntimeError, "generator didn't stop");
      }
      return throw_into(ip, gen, a.pos[1].is_none() ? ip.call0(a.pos[0]) : a.pos[1]);
    }, self);
  if (name == "gen") return gen;
  return {};
}

Object b_contextmanager(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "contextmanager", a, 1, 1);
  return ip.builtin("helper", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
    auto cm = asyncio::make_ref<GeneratorCm>();
    cm->gen = ip.call(b.data, a);
    return Object(Tag::Native, cm);
  }, {}, a.pos[0]);
}

// ---- ExitStack, AsyncExitStack ----

struct Callback {
  Object fn;
  bool is_async;  // its result is awaited (push_async_exit, enter_async_context)
};

struct ExitStackObj final : NativeObj {
  explicit ExitStackObj(bool a) : async(a) {}
  bool async;
  std::vector<Callback> callbacks;
  const char* type_name() const override { return async ? "AsyncExitStack" : "ExitStack"; }
  std::string repr(Interp& ip) override { return ip.default_repr(Object(Tag::Native, this)); }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

ExitStackObj& ES(BuiltinObj& b) { return *static_cast<ExitStackObj*>(b.self.as<NativeObj>()); }

// ExitStack.__exit__'s bookkeeping while the callbacks run, last pushed first: each sees the
// exception the previous ones left, a true result suppresses it, one raised replaces it.
struct Unwind {
  Interp& ip;
  Object frame_exc;  // the exception the stack was exited with
  Object exc;        // the one propagating now (None: none)
  bool suppressed = false, pending = false;

  Unwind(Interp& i, const Object& e) : ip(i), frame_exc(e), exc(e) {}
  CallArgs args() const {
    CallArgs a;
    a.pos = {exc.is_none() ? Object::none() : Object(Tag::Type, exc.as<ExcObj>()->cls), exc, Object::none()};
    return a;
  }
  void returned(const Object& r) {
    if (!ip.truthy(r)) return;
    suppressed = true;
    pending = false;
    exc = Object::none();
  }
  // _fix_exception_context: the new exception's chain ends at the one it replaced.
  void raised(const std::exception_ptr& ep) {
    Object fresh = ip.exc_object(ep);
    for (ExcObj* e = fresh.as<ExcObj>();;) {
      const Object& ctx = e->context;
      if (!ctx.null() && ctx.same(exc)) break;
      if (ctx.null() || ctx.same(frame_exc)) {
        if (!exc.is_none()) e->context = exc;
        break;
      }
      e = ctx.as<ExcObj>();
    }
    pending = true;
    exc = fresh;
  }
  Object finish() {
    if (pending) ip.raise_obj(Ref<ExcObj>(exc.as<ExcObj>()));
    return Object::boolean(!frame_exc.is_none() && suppressed);
  }
};

Object unwind_sync(Interp& ip, ExitStackObj& s, const Object& exc) {
  Unwind u(ip, exc);
  while (!s.callbacks.empty()) {
    Callback cb = std::move(s.callbacks.back());
    s.callbacks.pop_back();
    try {
      CallArgs a = u.args();
      u.returned(ip.call(cb.fn, a));
    } catch (const Abort&) {
      throw;
    } catch (...) {
      u.raised(std::current_exception());
    }
  }
  return u.finish();
}

asyncio::Coro<Object> unwind_async(Interp& ip, Object self, Object exc) {
  auto& s = *static_cast<ExitStackObj*>(self.as<NativeObj>());
  Unwind u(ip, exc);
  while (!s.callbacks.empty()) {
    Callback cb = std::move(s.callbacks.back());
    s.callbacks.pop_back();
    std::exception_ptr ep;
    try {
      CallArgs a = u.args();
      Object r = ip.call(cb.fn, a);
      if (cb.is_async) r = co_await ip.await_object(std::move(r));
      u.returned(r);
    } catch (const Abort&) {
      throw;
    } catch (...) {
      ep = std::current_exception();
    }
    if (ep) u.raised(ep);
  }
  co_return u.finish();
}

// callback(fn, *args, **kwds): called without the exception details.
Object wrap_callback(Interp& ip, CallArgs& a, const char* name) {
  if (a.pos.empty()) ip.raise(ip.T.TypeError, fmt::format("{} expected at least 1 argument, got 0", name));
  auto saved = std::make_shared<CallArgs>(a);
  std::vector<std::string> keys;  // the keyword names outlive the caller's arguments
  for (auto& [k, v] : saved->kw) keys.emplace_back(k);
  return ip.closure_builtin("_exit_wrapper", [saved, keys](Interp& ip, CallArgs&) {
    CallArgs c;
    c.pos.assign(saved->pos.begin() + 1, saved->pos.end());
    for (std::size_t i = 0; i < keys.size(); ++i) c.kw.emplace_back(keys[i], saved->kw[i].second);
    return ip.call(saved->pos[0], c);
  });
}

Object exit_of(Interp& ip, const Object& cm, bool async) {
  Object enter = ip.getattr_opt(cm, async ? "__aenter__" : "__enter__"), exit = ip.getattr_opt(cm, async ? "__aexit__" : "__exit__");
  if (enter.null() || exit.null())
    ip.raise(ip.T.TypeError, fmt::format("'{}.{}' object does not support the {}context manager protocol", ip.type_of(cm)->module.empty() ? "builtins" : ip.type_of(cm)->module,
                                         ip.type_of(cm)->name, async ? "asynchronous " : ""));
  return exit;
}

asyncio::Coro<Object> enter_async(Interp& ip, Object self, Object cm) {
  Object exit = exit_of(ip, cm, true);
  Object r = co_await ip.await_object(ip.call0(ip.getattr(cm, "__aenter__")));
  static_cast<ExitStackObj*>(self.as<NativeObj>())->callbacks.push_back({exit, true});
  co_return r;
}

Object ExitStackObj::getattr(Interp& ip, const Object& self, std::string_view name) {
#define M(NAME, ...) BOUND_METHOD(NAME, ExitStackObj& s = ES(b), __VA_ARGS__)
  M("enter_context", {
    check_args(ip, "enter_context", a, 1, 1);
    Object exit = exit_of(ip, a.pos[0], false);
    Object r = ip.call0(ip.getattr(a.pos[0], "__enter__"));
    s.callbacks.push_back({exit, false});
    return r;
  })
  // push/push_async_exit: an exit function, or a context manager's exit; callback/push_async_callback.
  bool awaited = name == "push_async_exit" || name == "push_async_callback";
  if (name == "push" || (async && name == "push_async_exit"))
    return ip.builtin(awaited ? "push_async_exit" : "push", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      check_args(ip, b.name, a, 1, 1);
      bool awaited = b.name[4] == '_';
      Object exit = ip.getattr_opt(a.pos[0], awaited ? "__aexit__" : "__exit__");
      ES(b).callbacks.push_back({exit.null() ? a.pos[0] : exit, awaited});
      return a.pos[0];
    }, self);
  if (name == "callback" || (async && name == "push_async_callback"))
    return ip.builtin(awaited ? "push_async_callback" : "callback", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      ES(b).callbacks.push_back({wrap_callback(ip, a, b.name), b.name[0] == 'p'});
      return a.pos[0];
    }, self);
  M("pop_all", {
    check_args(ip, "pop_all", a, 0, 0);
    auto out = asyncio::make_ref<ExitStackObj>(s.async);
    out->callbacks = std::move(s.callbacks);
    s.callbacks.clear();
    return Object(Tag::Native, out);
  })
  if (!async) {
    M("__enter__", check_args(ip, "__enter__", a, 0, 0); (void)s; return b.self;)
    M("__exit__", return unwind_sync(ip, s, a.pos.size() >= 2 ? a.pos[1] : Object::none());)
    M("close", check_args(ip, "close", a, 0, 0); unwind_sync(ip, s, Object::none()); return Object::none();)
    return {};
  }
  M("__aenter__", check_args(ip, "__aenter__", a, 0, 0); (void)s; return ip.make_coro(ready(b.self), "AsyncExitStack.__aenter__");)
  M("__aexit__", (void)s; return ip.make_coro(unwind_async(ip, b.self, a.pos.size() >= 2 ? a.pos[1] : Object::none()), "AsyncExitStack.__aexit__");)
  M("aclose", check_args(ip, "aclose", a, 0, 0); (void)s; return ip.make_coro(unwind_async(ip, b.self, Object::none()), "AsyncExitStack.aclose");)
  M("enter_async_context", {
    check_args(ip, "enter_async_context", a, 1, 1);
    (void)s;
    return ip.make_coro(enter_async(ip, b.self, a.pos[0]), "AsyncExitStack.enter_async_context");
  })
#undef M
  return {};
}

// AbstractContextManager and AbstractAsyncContextManager: ABCs whose hook wants both methods.
bool has_methods(Interp& ip, const TypeObj& abc, const TypeObj& cls) {
  bool async = abc.name == "AbstractAsyncContextManager";
  for (const char* m : {async ? "__aenter__" : "__enter__", async ? "__aexit__" : "__exit__"}) {
    const Object* v = cls.user ? ip.type_lookup(&cls, m) : nullptr;
    if (!v || v->is_none()) return false;
  }
  return true;
}

}  // namespace

Object module_contextlib(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("contextlib");
  auto& A = m->attrs;
  A["contextmanager"] = ip.builtin("contextmanager", b_contextmanager);
  ip.native_type("_GeneratorContextManager", nullptr, "contextlib");
  m->add_class(ip, "suppress", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    if (!a.kw.empty()) ip.raise(ip.T.TypeError, "suppress() takes no keyword arguments");
    return make<SimpleCm>(Tag::Native, Kind::Suppress, ip.tuple_obj(a.pos));
  });
  m->add_class(ip, "closing", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "closing", a, 1, 1);
    return make<SimpleCm>(Tag::Native, Kind::Closing, a.pos[0]);
  });
  m->add_class(ip, "aclosing", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "aclosing", a, 1, 1);
    return make<SimpleCm>(Tag::Native, Kind::AClosing, a.pos[0]);
  });
  m->add_class(ip, "nullcontext", [](Interp&, BuiltinObj&, CallArgs& a) {
    return make<SimpleCm>(Tag::Native, Kind::NullContext, arg_or(a, 0, "enter_result", Object::none()));
  });
  m->add_class(ip, "ExitStack", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "ExitStack", a, 0, 0);
    return make<ExitStackObj>(Tag::Native, false);
  });
  m->add_class(ip, "AsyncExitStack", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "AsyncExitStack", a, 0, 0);
    return make<ExitStackObj>(Tag::Native, true);
  });
  for (const char* n : {"AbstractContextManager", "AbstractAsyncContextManager"}) {
    Ref<TypeObj> t = new_type(n, ip.T.object, "contextlib");
    t->subclass_check = has_methods;
    A[n] = Object(Tag::Type, t);
  }
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp

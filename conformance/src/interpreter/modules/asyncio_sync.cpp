// asyncio's synchronization primitives and queues (locks.py, queues.py) bound to the reference loop.
#include <fmt/format.h>

#include "asyncio_io.hpp"

namespace aiospec::interp {

// Python comparison and repr for the core's typed containers (PriorityQueue order, Queue repr).
bool operator<(const Object& a, const Object& b) { return current_interp()->lt(a, b); }
std::string py_value_repr(const Object& o) { return current_interp()->repr(o); }

namespace {

using ObjQueue = asyncio::Queue<Object>;

// A Python coroutine object running a core coroutine; `keep` holds the primitive while it runs.
template <class T, class Conv>
asyncio::Coro<Object> adapt([[maybe_unused]] Object keep, asyncio::Coro<T> c, Conv conv) {
  if constexpr (std::is_void_v<T>) {
    co_await c;
    co_return conv(Object::none());
  } else {
    T v = co_await c;
    co_return conv(v);
  }
}
constexpr auto to_bool = [](bool b) { return Object::boolean(b); };

// TaskGroup.__aexit__: the group of its tasks' errors passes its frame (`raise me from None`).
asyncio::Coro<Object> taskgroup_aexit(Interp& ip, [[maybe_unused]] Object keep, asyncio::Coro<bool> c) {
  std::exception_ptr ep;
  bool handled = false;
  try {
    handled = co_await c;
  } catch (const Abort&) {
    throw;
  } catch (...) {
    ep = std::current_exception();
  }
  if (ep) {
    try {
      std::rethrow_exception(ep);
    } catch (const asyncio::BaseExceptionGroup&) {
      ip.traceback_lib({&kTaskGroupAexit});
    }
  }
  co_return Object::boolean(handled);
}
constexpr auto to_long = [](long v) { return Object::integer(v); };
constexpr auto ident = [](Object o) { return o; };

enum class Kind { Lock, Event, Condition, Semaphore, BoundedSemaphore, Barrier, Queue, PriorityQueue, LifoQueue };

struct SyncObj final : NativeObj {
  SyncObj(Kind k, Ref<asyncio::LoopBoundMixin> p) : kind(k), core(std::move(p)) {}
  Kind kind;
  Ref<asyncio::LoopBoundMixin> core;
  Object lock;  // Condition: the Lock object it uses

  const char* type_name() const override {
    switch (kind) {
      case Kind::Lock: return "Lock";
      case Kind::Event: return "Event";
      case Kind::Condition: return "Condition";
      case Kind::Semaphore: return "Semaphore";
      case Kind::BoundedSemaphore: return "BoundedSemaphore";
      case Kind::Barrier: return "Barrier";
      case Kind::Queue: return "Queue";
      case Kind::PriorityQueue: return "PriorityQueue";
      case Kind::LifoQueue: return "LifoQueue";
    }
    return "?";
  }
  std::string repr(Interp&) override { return core->repr(); }
  // queues.py: __str__ is __repr__ without the address.
  std::string str(Interp& ip) override {
    std::string r = repr(ip);
    if (!is_queue()) return r;
    auto at = r.find(" at 0x");
    return at == std::string::npos ? r : r.erase(at, r.find(' ', at + 4) - at);
  }
  template <class T>
  T& as() const {
    return static_cast<T&>(*core);
  }
  bool is_queue() const { return kind == Kind::Queue || kind == Kind::PriorityQueue || kind == Kind::LifoQueue; }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

SyncObj& S(BuiltinObj& b) { return *static_cast<SyncObj*>(b.self.as<NativeObj>()); }

std::exception_ptr exit_exception(Interp& ip, CallArgs& a) {
  if (a.pos.size() >= 2 && a.pos[1].is(Tag::Exc)) return ip.to_cpp(Ref<ExcObj>(a.pos[1].as<ExcObj>()));
  return nullptr;
}

asyncio::Coro<Object> condition_wait_for(Interp& ip, Object self, Object predicate) {
  auto& cond = static_cast<SyncObj*>(self.as<NativeObj>())->as<asyncio::Condition>();
  Object result = ip.call0(predicate);
  while (!ip.truthy(result)) {
    co_await cond.wait();
    result = ip.call0(predicate);
  }
  co_return result;
}

Object SyncObj::getattr(Interp& ip, const Object& self, std::string_view name) {
#define M(NAME, BODY) \
  if (name == NAME) return ip.builtin(NAME, [](Interp & ip, BuiltinObj & b, CallArgs & a) -> Object { SyncObj& s = S(b); (void)s; (void)ip; (void)a; BODY }, self);
  // Acquire/release protocol: Lock, Condition, Semaphore, BoundedSemaphore.
  if (kind == Kind::Lock || kind == Kind::Condition || kind == Kind::Semaphore || kind == Kind::BoundedSemaphore) {
    M("locked", {
      switch (s.kind) {
        case Kind::Lock: return Object::boolean(s.as<asyncio::Lock>().locked());
        case Kind::Condition: return Object::boolean(s.as<asyncio::Condition>().locked());
        default: return Object::boolean(s.as<asyncio::Semaphore>().locked());
      }
    })
    M("acquire", {
      check_args(ip, "acquire", a, 0, 0);
      switch (s.kind) {
        case Kind::Lock: return ip.make_coro(adapt(b.self, s.as<asyncio::Lock>().acquire(), to_bool), "Lock.acquire");
        case Kind::Condition: return ip.make_coro(adapt(b.self, s.as<asyncio::Condition>().acquire(), to_bool), "Lock.acquire");
        default: return ip.make_coro(adapt(b.self, s.as<asyncio::Semaphore>().acquire(), to_bool), "Semaphore.acquire");
      }
    })
    M("release", {
      check_args(ip, "release", a, 0, 0);
      switch (s.kind) {
        case Kind::Lock: s.as<asyncio::Lock>().release(); break;
        case Kind::Condition: s.as<asyncio::Condition>().release(); break;
        default: s.as<asyncio::Semaphore>().release(); break;
      }
      return Object::none();
    })
    M("__aenter__", {
      switch (s.kind) {
        case Kind::Lock: return ip.make_coro(adapt(b.self, s.as<asyncio::Lock>().aenter(), ident), "_ContextManagerMixin.__aenter__");
        case Kind::Condition: return ip.make_coro(adapt(b.self, s.as<asyncio::Condition>().aenter(), ident), "_ContextManagerMixin.__aenter__");
        default: return ip.make_coro(adapt(b.self, s.as<asyncio::Semaphore>().aenter(), ident), "_ContextManagerMixin.__aenter__");
      }
    })
    M("__aexit__", {
      std::exception_ptr e = exit_exception(ip, a);
      switch (s.kind) {
        case Kind::Lock: return ip.make_coro(adapt(b.self, s.as<asyncio::Lock>().aexit(e), [](bool) { return Object::none(); }), "_ContextManagerMixin.__aexit__");
        case Kind::Condition: return ip.make_coro(adapt(b.self, s.as<asyncio::Condition>().aexit(e), [](bool) { return Object::none(); }), "_ContextManagerMixin.__aexit__");
        default: return ip.make_coro(adapt(b.self, s.as<asyncio::Semaphore>().aexit(e), [](bool) { return Object::none(); }), "_ContextManagerMixin.__aexit__");
      }
    })
  }
  if (kind == Kind::Semaphore || kind == Kind::BoundedSemaphore) {
    if (name == "_value") return Object::integer(as<asyncio::Semaphore>().value());
  }
  if (kind == Kind::Event) {
    M("is_set", { return Object::boolean(s.as<asyncio::Event>().is_set()); })
    M("set", { s.as<asyncio::Event>().set(); return Object::none(); })
    M("clear", { s.as<asyncio::Event>().clear(); return Object::none(); })
    M("wait", { return ip.make_coro(adapt(b.self, s.as<asyncio::Event>().wait(), to_bool), "Event.wait"); })
  }
  if (kind == Kind::Condition) {
    M("wait", { return ip.make_coro(adapt(b.self, s.as<asyncio::Condition>().wait(), to_bool), "Condition.wait"); })
    M("wait_for", {
      check_args(ip, "wait_for", a, 1, 1);
      return ip.make_coro(condition_wait_for(ip, b.self, a.pos[0]), "Condition.wait_for");
    })
    M("notify", {
      Object n = arg_or(a, 0, "n", Object::integer(1));
      s.as<asyncio::Condition>().notify(static_cast<std::size_t>(std::max<std::int64_t>(0, n.i())));
      return Object::none();
    })
    M("notify_all", { s.as<asyncio::Condition>().notify_all(); return Object::none(); })
  }
  if (kind == Kind::Barrier) {
    auto& br = as<asyncio::Barrier>();
    if (name == "parties") return Object::integer(br.parties());
    if (name == "n_waiting") return Object::integer(br.n_waiting());
    if (name == "broken") return Object::boolean(br.broken());
    M("wait", { return ip.make_coro(adapt(b.self, s.as<asyncio::Barrier>().wait(), to_long), "Barrier.wait"); })
    M("reset", { return ip.make_coro(adapt(b.self, s.as<asyncio::Barrier>().reset(), ident), "Barrier.reset"); })
    M("abort", { return ip.make_coro(adapt(b.self, s.as<asyncio::Barrier>().abort(), ident), "Barrier.abort"); })
    M("__aenter__", { return ip.make_coro(adapt(b.self, s.as<asyncio::Barrier>().aenter(), to_long), "Barrier.__aenter__"); })
    M("__aexit__", {
      return ip.make_coro(adapt(b.self, s.as<asyncio::Barrier>().aexit(exit_exception(ip, a)), [](bool) { return Object::none(); }), "Barrier.__aexit__");
    })
  }
  if (is_queue()) {
    auto& q = as<ObjQueue>();
    if (name == "maxsize") return Object::integer(q.maxsize());
    M("qsize", { return Object::integer(static_cast<std::int64_t>(s.as<ObjQueue>().qsize())); })
    M("empty", { return Object::boolean(s.as<ObjQueue>().empty()); })
    M("full", { return Object::boolean(s.as<ObjQueue>().full()); })
    M("put", {
      check_args(ip, "put", a, 1, 1);
      return ip.make_coro(adapt(b.self, s.as<ObjQueue>().put(a.pos[0]), ident), "Queue.put");
    })
    M("put_nowait", {
      check_args(ip, "put_nowait", a, 1, 1);
      s.as<ObjQueue>().put_nowait(a.pos[0]);
      return Object::none();
    })
    M("get", { return ip.make_coro(adapt(b.self, s.as<ObjQueue>().get(), ident), "Queue.get"); })
    M("get_nowait", { return s.as<ObjQueue>().get_nowait(); })
    M("task_done", { s.as<ObjQueue>().task_done(); return Object::none(); })
    M("join", { return ip.make_coro(adapt(b.self, s.as<ObjQueue>().join(), ident), "Queue.join"); })
  }
#undef M
  return {};
}

// asyncio.TaskGroup (taskgroups.py).
struct TaskGroupObj final : NativeObj {
  asyncio::TaskGroup tg;
  const char* type_name() const override { return "TaskGroup"; }
  std::string repr(Interp&) override { return tg.repr(); }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override {
    if (name == "create_task")
      return ip.builtin("create_task", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
        Object name = a.take_kw("name");
        a.take_kw("context");
        check_args(ip, "create_task", a, 1, 1);
        if (!a.pos[0].is(Tag::Coro)) ip.raise(ip.T.TypeError, "a coroutine was expected, got " + ip.repr(a.pos[0]));
        auto* c = a.pos[0].as<CoroObj>();
        if (!c->coro.valid() || c->coro.started()) ip.raise(ip.T.RuntimeError, "cannot reuse already awaited coroutine");
        auto& tg = static_cast<TaskGroupObj*>(b.self.as<NativeObj>())->tg;
        std::optional<std::string> n;
        if (!name.null() && !name.is_none()) n = ip.str(name);
        auto task = tg.create_task(std::move(c->coro), std::move(n));
        ip.note_task(task.state(), a.pos[0]);
        return ip.future_obj(task.base());
      }, self);
    if (name == "__aenter__")
      return ip.builtin("__aenter__", [](Interp& ip, BuiltinObj& b, CallArgs&) {
        auto& tg = static_cast<TaskGroupObj*>(b.self.as<NativeObj>())->tg;
        Object self = b.self;  // `async with TaskGroup() as tg` binds the group
        return ip.make_coro(adapt(b.self, tg.aenter(), [self](Object) { return self; }), "TaskGroup.__aenter__");
      }, self);
    if (name == "__aexit__")
      return ip.builtin("__aexit__", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
        auto& tg = static_cast<TaskGroupObj*>(b.self.as<NativeObj>())->tg;
        return ip.make_coro(taskgroup_aexit(ip, b.self, tg.aexit(exit_exception(ip, a))), "TaskGroup.__aexit__");
      }, self);
    if (name == "_tasks") {  // a copy of taskgroups.py's set: len() and iteration as in CPython
      Object s = ip.set_obj();
      for (const auto& t : tg.tasks()) {
        Object o = ip.future_obj(t.get());
        s.as<SetObj>()->add(o, ip.hash(o));
      }
      return s;
    }
    return {};
  }
};

// asyncio.Timeout (timeouts.py): timeout() and timeout_at().
struct TimeoutObj final : NativeObj {
  explicit TimeoutObj(asyncio::Timeout t) : to(std::move(t)) {}
  asyncio::Timeout to;
  const char* type_name() const override { return "Timeout"; }
  std::string repr(Interp&) override { return to.repr(); }
  static asyncio::Timeout& of(BuiltinObj& b) { return static_cast<TimeoutObj*>(b.self.as<NativeObj>())->to; }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override {
    if (name == "when")
      return ip.builtin("when", [](Interp&, BuiltinObj& b, CallArgs&) {
        auto w = of(b).when();
        return w ? Object::real(*w) : Object::none();
      }, self);
    if (name == "reschedule")
      return ip.builtin("reschedule", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
        check_args(ip, "reschedule", a, 1, 1);
        of(b).reschedule(when_arg(ip, a.pos[0]));
        return Object::none();
      }, self);
    if (name == "expired")
      return ip.builtin("expired", [](Interp&, BuiltinObj& b, CallArgs&) { return Object::boolean(of(b).expired()); }, self);
    if (name == "__aenter__")
      return ip.builtin("__aenter__", [](Interp& ip, BuiltinObj& b, CallArgs&) {
        Object self = b.self;
        return ip.make_coro(adapt(b.self, of(b).aenter(), [self](Object) { return self; }), "Timeout.__aenter__");
      }, self);
    if (name == "__aexit__")
      return ip.builtin("__aexit__", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
        return ip.make_coro(adapt(b.self, of(b).aexit(exit_exception(ip, a)), to_bool), "Timeout.__aexit__");
      }, self);
    return {};
  }
  static std::optional<double> when_arg(Interp& ip, const Object& o) {
    if (o.is_none()) return std::nullopt;
    if (o.is(Tag::Float)) return o.f();
    if (o.is(Tag::Int) || o.is(Tag::Bool)) return static_cast<double>(o.i());
    ip.raise(ip.T.TypeError, fmt::format("'<=' not supported between instances of 'float' and '{}'", ip.type_of(o)->name));
  }
};

template <class T>
Object wrap(Kind k, Ref<T> p) {
  return make<SyncObj>(Tag::Native, k, Ref<asyncio::LoopBoundMixin>(p.get()));
}

long int_arg(Interp& ip, CallArgs& a, const char* fname, const char* kw, long dflt) {
  Object v = a.take_kw(kw);
  if (!a.pos.empty()) v = a.pos[0];
  if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("{}() got an unexpected keyword argument '{}'", fname, a.kw[0].first));
  if (a.pos.size() > 1) ip.raise(ip.T.TypeError, fmt::format("{}() takes from 1 to 2 positional arguments but {} were given", fname, a.pos.size() + 1));
  if (v.null()) return dflt;
  if (!v.is(Tag::Int) && !v.is(Tag::Bool)) ip.raise(ip.T.TypeError, fmt::format("'<' not supported between instances of '{}' and 'int'", ip.type_of(v)->name));
  return static_cast<long>(v.i());
}

}  // namespace

void install_sync_bindings(Interp& ip, std::map<std::string, Object, std::less<>>& A) {
  // The primitives are classes, as in asyncio: calling one constructs the native object, whose type is
  // the class, so isinstance, type(x) and the subclass relations (BoundedSemaphore of Semaphore,
  // PriorityQueue and LifoQueue of Queue) hold.
  auto cls = [&](const char* name, const char* module, BuiltinObj::Fn make, const char* base = nullptr) {
    Ref<TypeObj> t = ip.native_type(name, base ? ip.native_type(base) : nullptr, module);
    t->construct = make;
    A[name] = Object(Tag::Type, t);
  };
  cls("Lock", "asyncio.locks", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    bind_params(ip, "Lock.__init__", a, {}, 0, 0);
    return wrap(Kind::Lock, asyncio::make_ref<asyncio::Lock>());
  });
  cls("Event", "asyncio.locks", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    bind_params(ip, "Event.__init__", a, {}, 0, 0);
    return wrap(Kind::Event, asyncio::make_ref<asyncio::Event>());
  });
  cls("Condition", "asyncio.locks", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    Object lock = bind_params(ip, "Condition.__init__", a, {"lock"}, 1, 0)[0];
    if (lock.null()) lock = Object::none();
    Object out;
    if (lock.is_none()) {
      lock = wrap(Kind::Lock, asyncio::make_ref<asyncio::Lock>());
    } else if (!lock.is(Tag::Native) || std::string_view(lock.as<NativeObj>()->type_name()) != "Lock") {
      ip.raise(ip.T.TypeError, "Condition(lock): lock must be an asyncio.Lock");
    }
    auto* l = static_cast<SyncObj*>(lock.as<NativeObj>());
    out = wrap(Kind::Condition, asyncio::make_ref<asyncio::Condition>(Ref<asyncio::Lock>(&l->as<asyncio::Lock>())));
    static_cast<SyncObj*>(out.as<NativeObj>())->lock = lock;
    return out;
  });
  cls("Semaphore", "asyncio.locks", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    return wrap(Kind::Semaphore, asyncio::make_ref<asyncio::Semaphore>(int_arg(ip, a, "Semaphore.__init__", "value", 1)));
  });
  cls("BoundedSemaphore", "asyncio.locks", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    return wrap(Kind::BoundedSemaphore, asyncio::make_ref<asyncio::BoundedSemaphore>(int_arg(ip, a, "BoundedSemaphore.__init__", "value", 1)));
  }, "Semaphore");
  cls("Barrier", "asyncio.locks", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    if (a.pos.empty() && a.kw.empty()) ip.raise(ip.T.TypeError, "Barrier.__init__() missing 1 required positional argument: 'parties'");
    return wrap(Kind::Barrier, asyncio::make_ref<asyncio::Barrier>(int_arg(ip, a, "Barrier.__init__", "parties", 1)));
  });
  cls("TaskGroup", "asyncio.taskgroups", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "TaskGroup", a, 0, 0);
    return make<TaskGroupObj>(Tag::Native);
  });
  A["timeout"] = ip.builtin("timeout", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "timeout", a, 1, 1);
    return make<TimeoutObj>(Tag::Native, asyncio::timeout(TimeoutObj::when_arg(ip, a.pos[0])));
  });
  A["timeout_at"] = ip.builtin("timeout_at", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "timeout_at", a, 1, 1);
    return make<TimeoutObj>(Tag::Native, asyncio::timeout_at(TimeoutObj::when_arg(ip, a.pos[0])));
  });
  cls("Queue", "asyncio.queues", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    return wrap(Kind::Queue, asyncio::make_ref<asyncio::Queue<Object>>(int_arg(ip, a, "Queue.__init__", "maxsize", 0)));
  });
  cls("PriorityQueue", "asyncio.queues", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    return wrap(Kind::PriorityQueue, asyncio::make_ref<asyncio::PriorityQueue<Object>>(int_arg(ip, a, "Queue.__init__", "maxsize", 0)));
  }, "Queue");
  cls("LifoQueue", "asyncio.queues", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    return wrap(Kind::LifoQueue, asyncio::make_ref<asyncio::LifoQueue<Object>>(int_arg(ip, a, "Queue.__init__", "maxsize", 0)));
  }, "Queue");
}

}  // namespace aiospec::interp

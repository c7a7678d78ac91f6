// The `asyncio` module: loop, future and handle methods, tasks and the asyncio functions, bound to
// the reference loop.
#include <fmt/format.h>

#include <cmath>
#include <deque>
#include <set>

#include "../interp.hpp"
#include "../objects/generator.hpp"
#include "asyncio/asyncgens.hpp"
#include "asyncio/sim_network.hpp"
#include "asyncio_io.hpp"

namespace aiospec::interp {

namespace {

using asyncio::EventLoop;
using asyncio::FutureBase;


double seconds_arg(Interp& ip, const Object& o, const char* what) {
  if (o.is(Tag::Float)) return o.f();
  if (o.is(Tag::Int) || o.is(Tag::Bool)) return static_cast<double>(o.i());
  ip.raise(ip.T.TypeError, fmt::format("'<=' not supported between instances of '{}' and 'int'{}", ip.type_of(o)->name, what));
}

std::optional<double> timeout_arg(Interp& ip, const Object& o) {
  if (o.null() || o.is_none()) return std::nullopt;
  return seconds_arg(ip, o, "");
}

EventLoop& loop_of(const Object& o) { return *o.as<EventLoop>(); }
Object loop_obj(EventLoop& l) { return Object(Tag::Loop, &l); }

// events._get_event_loop(): the running loop, else get_event_loop().
EventLoop& event_loop() {
  if (auto* l = asyncio::running_loop()) return *l;
  return asyncio::get_event_loop();
}

bool is_coroutine(const Object& o) { return o.is(Tag::Coro); }

// A coroutine object's frame, for a task. Empty or started coroutines cannot become tasks.
asyncio::Coro<Object> take_coro(Interp& ip, const Object& o) {
  auto* c = o.as<CoroObj>();
  if (!c->coro.valid() || c->coro.started()) ip.raise(ip.T.RuntimeError, "cannot reuse already awaited coroutine");
  return std::move(c->coro);
}

Object create_task_on(Interp& ip, EventLoop& loop, const Object& coro, const Object& name) {
  if (!is_coroutine(coro)) ip.raise(ip.T.TypeError, "a coroutine was expected, got " + ip.repr(coro));
  loop.check_closed();
  std::string n = name.null() || name.is_none() ? std::string() : ip.str(name);
  auto task = loop.create_task(take_coro(ip, coro), std::move(n));
  ip.note_task(task.state(), coro);
  return ip.future_obj(task.base());
}


Object dict_from_context(Interp& ip, const asyncio::ExceptionContext& ctx) {
  Object d = ip.dict_obj();
  auto put = [&](const char* k, Object v) {
    Object key = ip.str_obj(k);
    d.as<DictObj>()->set(key, ip.hash(key), std::move(v));
  };
  put("message", ip.str_obj(ctx.message));
  if (ctx.exception) put("exception", ip.exc_object(ctx.exception));
  // A future reported from its own destructor ("exception was never retrieved") cannot be
  // resurrected: the entry is there, but None.
  if (ctx.future)
    put(ctx.future_key, ctx.future->ref_count() ? ip.future_obj(const_cast<FutureBase*>(ctx.future)) : Object::none());
  if (ctx.handle) put("handle", Object(Tag::Handle, ctx.handle.state()));
  return d;
}

asyncio::ExceptionContext context_from_dict(Interp& ip, const Object& d) {
  if (!d.is(Tag::Dict)) ip.raise(ip.T.TypeError, "context must be a dict");
  asyncio::ExceptionContext ctx;
  auto get = [&](const char* k) {
    Object key = ip.str_obj(k);
    Object* v = d.as<DictObj>()->find(key, ip.hash(key));
    return v ? *v : Object();
  };
  Object m = get("message");
  ctx.message = m.null() ? "" : ip.str(m);
  Object e = get("exception");
  if (e.is(Tag::Exc)) ctx.exception = ip.to_cpp(Ref<ExcObj>(e.as<ExcObj>()));
  for (const char* k : {"future", "task"}) {
    Object f = get(k);
    if (f.is(Tag::Future)) {
      ctx.future = f.as<FutureBase>();
      ctx.future_key = k[0] == 'f' ? "future" : "task";
    }
  }
  Object h = get("handle");
  if (h.is(Tag::Handle)) ctx.handle = asyncio::Handle(Ref<asyncio::HandleState>(h.as<asyncio::HandleState>()));
  return ctx;
}


// --- coroutines of the asyncio module ---

asyncio::Coro<Object> sleep_coro(double d, Object result) {
  co_await asyncio::Sleep<void>(d);
  co_return result;
}

asyncio::Coro<Object> noop_coro() { co_return Object::none(); }

asyncio::Coro<Object> shutdown_asyncgens_coro(EventLoop& loop) {
  asyncio::Coro<void> c = asyncio::shutdown_asyncgens(loop);
  co_await c;
  co_return Object::none();
}

const char* return_when_name(asyncio::ReturnWhen w) {
  switch (w) {
    case asyncio::ReturnWhen::FIRST_COMPLETED: return "FIRST_COMPLETED";
    case asyncio::ReturnWhen::FIRST_EXCEPTION: return "FIRST_EXCEPTION";
    default: return "ALL_COMPLETED";
  }
}

asyncio::Coro<Object> wait_coro(Interp& ip, Object fs, Object timeout, Object return_when) {
  // tasks.py: wait (3.11)
  if (fs.is(Tag::Future) || fs.is(Tag::Coro))
    ip.raise(ip.T.TypeError, fmt::format("expect a list of futures, not {}", ip.type_of(fs)->name));
  std::vector<Object> items = ip.to_vector(fs);
  if (items.empty()) ip.raise(ip.T.ValueError, "Set of Tasks/Futures is empty.");
  asyncio::ReturnWhen rw = asyncio::ALL_COMPLETED;
  bool valid = false;
  for (auto w : {asyncio::FIRST_COMPLETED, asyncio::FIRST_EXCEPTION, asyncio::ALL_COMPLETED})
    if (return_when.is(Tag::Str) && return_when.as<StrObj>()->s == return_when_name(w)) {
      rw = w;
      valid = true;
    }
  if (!valid) ip.raise(ip.T.ValueError, "Invalid return_when value: " + ip.str(return_when));
  asyncio::get_running_loop();
  asyncio::FutureList list;
  for (auto& x : items) {
    // The error's traceback holds wait()'s frame, and so `fs`, until the error goes (the coroutines
    // in it are reported as never awaited then, not now).
    if (x.is(Tag::Coro))
      ip.rethrow_keeping(std::make_exception_ptr(asyncio::TypeError("Passing coroutines is forbidden, use tasks explicitly.")), {fs});
    if (!x.is(Tag::Future)) ip.raise(ip.T.TypeError, "An asyncio.Future, a coroutine or an awaitable is required");
    list.emplace_back(x.as<FutureBase>());
  }
  auto [done, pending] = co_await asyncio::wait_futures(std::move(list), timeout_arg(ip, timeout), rw);
  Object d = ip.set_obj(), p = ip.set_obj();
  for (auto& f : done) {
    Object o = ip.future_obj(f.get());
    d.as<SetObj>()->add(o, ip.hash(o));
  }
  for (auto& f : pending) {
    Object o = ip.future_obj(f.get());
    p.as<SetObj>()->add(o, ip.hash(o));
  }
  co_return ip.tuple_obj({d, p});
}

asyncio::Coro<Object> wait_for_coro(Interp& ip, Object aw, Object timeout) {
  std::optional<double> t = timeout_arg(ip, timeout);
  if (!t) co_return co_await ip.await_object(std::move(aw));
  auto& loop = asyncio::get_running_loop();
  Ref<FutureBase> fut = ip.to_future(aw, &loop);
  aw = Object();
  co_await asyncio::wait_for_future(fut, t);
  co_return ip.future_result(*fut);
}

// tasks.py: as_completed (3.11) is a generator: nothing happens before the first next(), when the
// awaitables become futures and the core's AsCompleted takes over.
asyncio::Coro<Object> wait_for_one(Interp& ip, asyncio::Coro<Ref<FutureBase>> c) {
  Ref<FutureBase> f = co_await c;
  co_return ip.future_result(*f);
}

struct AsCompletedGen final : NativeObj {
  std::vector<Object> fs;
  std::optional<double> timeout;
  std::optional<asyncio::AsCompleted> gen;
  const char* type_name() const override { return "generator"; }
  std::string repr(Interp&) override {
    return fmt::format("<generator object as_completed at {:#x}>", reinterpret_cast<std::uintptr_t>(this));
  }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override {
    if (name != "__next__") return {};
    // The iterator protocol of IterObj: Null once exhausted.
    return ip.builtin("__next__", [](Interp& ip, BuiltinObj& b, CallArgs&) -> Object {
      auto& g = *static_cast<AsCompletedGen*>(b.self.as<NativeObj>());
      if (!g.gen) {
        EventLoop& loop = event_loop();
        asyncio::FutureList list;
        for (auto& x : g.fs) list.push_back(ip.to_future(x, &loop));
        g.fs.clear();
        g.gen.emplace(std::move(list), g.timeout);
      }
      auto c = g.gen->next();
      if (!c) return Object();
      return ip.make_coro(wait_for_one(ip, std::move(*c)), asyncio::detail::wait_for_one_name);
    }, self);
  }
};

// --- Runner ---

asyncio::EventLoopPtr call_loop_factory() {
  Interp* ip = current_interp();
  Object l = ip->call0(ip->loop_factory);
  if (!l.is(Tag::Loop)) ip->raise(ip->T.TypeError, "loop_factory must return an event loop");
  return asyncio::EventLoopPtr(l.as<EventLoop>());
}

struct RunnerObj final : NativeObj {
  std::unique_ptr<asyncio::Runner> runner;
  Object factory;
  const char* type_name() const override { return "Runner"; }
  std::string repr(Interp&) override { return fmt::format("<asyncio.runners.Runner object at {:#x}>", reinterpret_cast<std::uintptr_t>(this)); }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
  void with_factory() { current_interp()->loop_factory = factory; }
};

RunnerObj& runner_of(BuiltinObj& b) { return *static_cast<RunnerObj*>(b.self.as<NativeObj>()); }

// `frames`: what Interp::run_loop counts for the caller (asyncio.run is Runner.run's caller); the
// task's exception passes run_until_complete's and Runner.run's frames (and asyncio.run's, `in_run`).
Object runner_run(Interp& ip, RunnerObj& r, Object coro, int frames, bool in_run = false) {
  if (!is_coroutine(coro)) ip.raise(ip.T.ValueError, "a coroutine was expected, got " + ip.repr(coro));
  if (asyncio::running_loop()) ip.raise(ip.T.RuntimeError, "Runner.run() cannot be called from a running event loop");
  r.with_factory();
  EventLoop& loop = r.runner->get_loop();
  auto task = loop.create_task(take_coro(ip, coro));
  ip.note_task(task.state(), coro);
  coro = Object();
  try {
    ip.run_loop(loop, task.base(), frames);
    return ip.future_result(*task.base());
  } catch (const Abort&) {
    throw;
  } catch (...) {
    if (in_run) ip.traceback_lib({&kRunUntilComplete, &kRunnerRun, &kRunnersRun});
    ip.traceback_lib({&kRunUntilComplete, &kRunnerRun});
  }
}

Object RunnerObj::getattr(Interp& ip, const Object& self, std::string_view name) {
  if (name == "run")
    return ip.builtin("run", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      a.take_kw("context");
      check_args(ip, "run", a, 1, 1);
      return runner_run(ip, runner_of(b), a.pos[0], 5);
    }, self);
  if (name == "close" || name == "__exit__")
    return ip.builtin(name == "close" ? "close" : "__exit__", [](Interp&, BuiltinObj& b, CallArgs&) {
      auto& r = runner_of(b);
      r.with_factory();
      r.runner->close();
      return Object::none();
    }, self);
  if (name == "get_loop")
    return ip.builtin("get_loop", [](Interp&, BuiltinObj& b, CallArgs&) {
      auto& r = runner_of(b);
      r.with_factory();
      return loop_obj(r.runner->get_loop());
    }, self);
  if (name == "__enter__")
    return ip.builtin("__enter__", [](Interp&, BuiltinObj& b, CallArgs&) {
      auto& r = runner_of(b);
      r.with_factory();
      r.runner->get_loop();  // runners.py: Runner.__enter__ calls _lazy_init
      return b.self;
    }, self);
  return {};
}

Object make_runner(Interp& ip, CallArgs& a) {
  a.take_kw("debug");
  Object factory = a.take_kw("loop_factory");
  check_args(ip, "Runner", a, 0, 0);
  auto r = asyncio::make_ref<RunnerObj>();
  r->factory = factory;
  r->runner = std::make_unique<asyncio::Runner>(factory.null() || factory.is_none() ? nullptr : call_loop_factory);
  return Object(Tag::Native, r);
}

}  // namespace

// "f(1, 'a') at file.py:3" (format_helpers._format_callback_source).
// reprlib.repr of a callback's argument: long reprs shortened to 30 characters (40 for an int) as
// repr_str, repr_int and repr_instance do; containers are shown whole.
std::string reprlib_repr(Interp& ip, const Object& o) {
  std::string r = ip.repr(o);
  const bool container = o.is(Tag::List) || o.is(Tag::Tuple) || o.is(Tag::Dict) || o.is(Tag::Set);
  const std::size_t max = o.is(Tag::Int) ? 40 : 30, i = (max - 3) / 2, j = max - 3 - i;
  if (!container && r.size() > max) r = r.substr(0, i) + "..." + r.substr(r.size() - j);
  return r;
}

std::string callback_label(Interp& ip, const Object& fn, const std::vector<Object>& args) {
  std::string out;
  if (fn.is(Tag::Func)) out = fn.as<FuncObj>()->qualname;
  else if (fn.is(Tag::Builtin)) out = fn.as<BuiltinObj>()->data.is(Tag::Func) ? std::string(fn.as<BuiltinObj>()->data.as<FuncObj>()->qualname) : std::string(fn.as<BuiltinObj>()->name);
  else out = ip.repr(fn);
  out += "(";
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i) out += ", ";
    out += reprlib_repr(ip, args[i]);
  }
  out += ")";
  // format_helpers._get_function_source: a function's definition; a bound method has none.
  const FuncObj* src = fn.is(Tag::Func) ? fn.as<FuncObj>() : nullptr;
  if (src) out += fmt::format(" at {}:{}", ip.mod.filename, src->def ? src->def->line : src->lambda->line);
  return out;
}

// A done callback the program added: called with the future; its Handle is labelled as
// call_soon(callback, future) labels it, with the future as it is once done.
struct PyDoneCallback {
  Interp* ip;
  Object fn;
  void operator()(FutureBase& fut) const { ip->call1(fn, ip->future_obj(&fut)); }
  static std::string label(FutureBase& fut, const FutureBase::DoneCallback& cb) {
    const auto* self = cb.target<PyDoneCallback>();
    return self ? callback_label(*self->ip, self->fn, {self->ip->future_obj(&fut)}) : std::string();
  }
};

std::function<void()> callback_fn(Interp& ip, Object fn, std::vector<Object> args) {
  return [&ip, fn = std::move(fn), args = std::move(args)] {
    CallArgs a;
    a.pos = args;
    ip.call(fn, a);
  };
}


// ---------------------------------------------------------------------------------------------

void Interp::run_loop(EventLoop& loop, FutureBase* fut, int frames) {
  use_loop(loop);
  call_depth += frames;
  struct Restore {
    int& depth;
    int frames;
    ~Restore() { depth -= frames; }
  } restore{call_depth, frames};
  try {
    if (fut)
      loop.run_until_complete(*fut);
    else
      loop.run_forever();
  } catch (const asyncio::Deadlock& d) {
    deadlock(d);
  }
}

void Interp::use_loop(EventLoop& loop) {
  if (clock_loop_.get() != &loop) {
    if (clock_loop_) process_clock += clock_loop_->virtual_clock()->peek() - clock_mark_;
    clock_loop_ = asyncio::EventLoopPtr(&loop);
    clock_mark_ = loop.virtual_clock() ? loop.virtual_clock()->peek() : 0;
  }
  if (time_base < 0) time_base = now_ns();
}

asyncio::Nanos Interp::now_ns() {
  asyncio::Nanos t = process_clock;
  if (clock_loop_ && clock_loop_->virtual_clock()) t += clock_loop_->virtual_clock()->peek() - clock_mark_;
  return t;
}

double Interp::now() { return static_cast<double>(now_ns()) / 1e9; }

const std::shared_ptr<asyncio::Network>& Interp::network() {
  // Descriptors from 3 up, as a fresh process's (the reference's own default leaves room for a loop's).
  asyncio::SimConfig config;
  config.first_fd = 3;
  if (!network_) network_ = std::make_shared<asyncio::SimNetwork>(program_clock, config);
  return network_;
}

Object Interp::future_result(FutureBase& f) {
  if (auto* t = dynamic_cast<asyncio::TaskState<Object>*>(&f)) return t->result();
  if (auto* p = dynamic_cast<asyncio::FutureState<Object>*>(&f)) return p->result();
  if (auto* g = dynamic_cast<asyncio::GatheringFuture*>(&f)) {
    g->raise_if_failed();
    std::vector<Object> out;
    for (auto& c : g->children()) {
      if (g->return_exceptions()) {
        if (auto e = asyncio::GatheringFuture::child_exception(*c)) {
          out.push_back(exc_object(e));
          continue;
        }
      }
      out.push_back(future_result(*c));
    }
    return list_obj(std::move(out));
  }
  if (auto* s = dynamic_cast<asyncio::ShieldFuture*>(&f)) {
    f.raise_if_failed();
    return future_result(s->inner());
  }
  f.raise_if_failed();
  return Object::none();
}

Ref<FutureBase> Interp::to_future(const Object& aw, EventLoop* loop, bool coroutines_ok) {
  // tasks.py: ensure_future / _ensure_future
  if (aw.is(Tag::Future)) return Ref<FutureBase>(aw.as<FutureBase>());
  if ((aw.is(Tag::Coro) || is_agen_op(aw)) && coroutines_ok) {
    // An asynchronous generator's asend()/athrow() is a coroutine to asyncio (it has send and throw).
    Object coro = aw.is(Tag::Coro) ? aw : make_coro(await_object(aw), aw.as<NativeObj>()->type_name());
    EventLoop& l = loop ? *loop : event_loop();
    Object t = create_task_on(*this, l, coro, Object());
    return Ref<FutureBase>(t.as<FutureBase>());
  }
  raise(T.TypeError, "An asyncio.Future, a coroutine or an awaitable is required");
}

FutureExtras* extras_of(const FutureBase& f) { return static_cast<FutureExtras*>(f.attachment()); }

FutureExtras& extras_for(FutureBase& f) {
  if (!f.attachment()) f.attach(asyncio::make_ref<FutureExtras>());
  return *extras_of(f);
}

void Interp::note_task(asyncio::TaskBase& task, const Object& coro) {
  FutureExtras& x = extras_for(task);
  auto* c = coro.as<CoroObj>();
  x.coro = coro;
  x.frame = std::exchange(c->frame, nullptr);  // the task owns the frame now
  x.def_line = c->def_line;
}

std::string future_repr(Interp& ip, FutureBase& f) {
  std::string r = f.repr();
  if (f.is_task()) {
    // tasks.py via coroutines._format_coroutine: `running at FILE:LINE` / `done, defined at FILE:LINE`.
    FutureExtras* x = extras_of(f);
    if (x && x->frame) {
      const bool pending = !f.done();
      const std::string from = pending ? "() running>" : "() done>";
      auto pos = r.find(from);
      if (pos != std::string::npos)
        r.replace(pos, from.size(), pending ? fmt::format("() running at {}:{}>", ip.mod.filename, x->frame->line)
                                            : fmt::format("() done, defined at {}:{}>", ip.mod.filename, x->def_line));
    }
  }
  if (f.state() == FutureBase::State::finished) {
    auto pos = r.rfind("result=...");
    if (pos != std::string::npos) {
      std::string v;
      try {
        v = ip.repr(ip.future_result(f));
      } catch (...) {
        v = "...";
      }
      r = r.substr(0, pos) + "result=" + v + r.substr(pos + 10);
    }
  }
  if (!f.is_task() && dynamic_cast<asyncio::GatheringFuture*>(&f) && r.rfind("<Future", 0) == 0) r = "<_GatheringFuture" + r.substr(7);
  return r;
}

std::string handle_repr(Interp&, asyncio::HandleState& h) {
  Ref<asyncio::HandleState> ref(&h);
  return h.timer ? asyncio::TimerHandle(ref).repr() : asyncio::Handle(ref).repr();
}

namespace {

// What Future.__await__ returns (_asynciomodule.c: FutureIter_am_send): a pending future yields
// itself once, marked blocking for the task that receives it; resumed while still pending it is
// "await wasn't used with future"; once done, its result is the StopIteration value.
struct FutureIter final : NativeObj {
  Object fut;  // Null once exhausted
  const char* type_name() const override { return "FutureIter"; }
  std::string repr(Interp&) override { return fmt::format("<_asyncio.FutureIter object at {:#x}>", reinterpret_cast<std::uintptr_t>(this)); }
  bool iternext(Interp& ip, const Object&, Object& out) override {
    if (fut.null()) return false;
    auto* f = fut.as<FutureBase>();
    if (!f->done()) {
      FutureExtras& x = extras_for(*f);
      if (x.blocking) ip.raise(ip.T.RuntimeError, "await wasn't used with future");
      x.blocking = true;
      out = fut;
      return true;
    }
    Object done = std::exchange(fut, Object());
    out = ip.future_result(*done.as<FutureBase>());
    return false;
  }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override {
    if (name == "send" || name == "__next__")
      return ip.builtin(name == "send" ? "send" : "__next__", [](Interp& ip, BuiltinObj& b, CallArgs&) -> Object {
        Object out;
        if (!b.self.as<IterObj>()->src.as<FutureIter>()->iternext(ip, b.self, out)) raise_stop(ip, std::move(out));
        return out;
      }, self);
    if (name == "throw")
      return ip.builtin("throw", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
        b.self.as<IterObj>()->src.as<FutureIter>()->fut = Object();
        std::rethrow_exception(throw_arg(ip, a));
      }, self);
    return {};
  }
};

}  // namespace

Object future_iter(Interp&, Object fut) {
  auto fi = asyncio::make_ref<FutureIter>();
  fi->fut = std::move(fut);
  auto it = asyncio::make_ref<IterObj>();
  it->src = Object(Tag::Native, fi);
  return Object(Tag::Iter, it);
}

Object future_method(Interp& ip, const Object& self, std::string_view name) {
  auto* f = self.as<FutureBase>();
  if (name == "__await__" || name == "__iter__")
    return ip.builtin(name == "__await__" ? "__await__" : "__iter__", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      check_args(ip, b.name, a, 0, 0);
      return future_iter(ip, b.self);
    }, self);
#define M(NAME, BODY) \
  if (name == NAME) return ip.builtin(NAME, [](Interp & ip, BuiltinObj & b, CallArgs & a) -> Object { auto* f = b.self.as<FutureBase>(); (void)f; (void)ip; (void)a; BODY }, self);
  M("done", { return Object::boolean(f->done()); })
  M("cancelled", { return Object::boolean(f->cancelled()); })
  M("result", { check_args(ip, "result", a, 0, 0); return ip.future_result(*f); })
  M("exception", {
    auto e = f->exception();
    return e ? ip.exc_object(e) : Object::none();
  })
  M("cancel", {
    Object msg = arg_or(a, 0, "msg", Object::none());
    return Object::boolean(f->cancel(msg.is_none() ? std::nullopt : std::optional<std::string>(ip.str(msg))));
  })
  M("add_done_callback", {
    a.take_kw("context");
    check_args(ip, "add_done_callback", a, 1, 1);
    Object fn = a.pos[0];
    const void* key = fn.ptr();
    f->add_done_callback(PyDoneCallback{&ip, fn}, key, &PyDoneCallback::label);
    return Object::none();
  })
  M("remove_done_callback", {
    check_args(ip, "remove_done_callback", a, 1, 1);
    return Object::integer(static_cast<std::int64_t>(f->remove_done_callback(a.pos[0].ptr())));
  })
  M("get_loop", { return loop_obj(f->get_loop()); })
  if (name == "_loop") return loop_obj(f->get_loop());
  if (name == "_state") return ip.str_obj(f->cancelled() ? "CANCELLED" : f->done() ? "FINISHED" : "PENDING");
  M("set_result", {
    check_args(ip, "set_result", a, 1, 1);
    if (f->is_task()) ip.raise(ip.T.RuntimeError, "Task does not support set_result operation");
    auto* p = dynamic_cast<asyncio::FutureState<Object>*>(f);
    if (!p) ip.raise(ip.T.RuntimeError, "this future does not support set_result");
    p->set_result(a.pos[0]);
    return Object::none();
  })
  M("set_exception", {
    check_args(ip, "set_exception", a, 1, 1);
    if (f->is_task()) ip.raise(ip.T.RuntimeError, "Task does not support set_exception operation");
    Object e = a.pos[0];
    if (e.is(Tag::Type) && e.as<TypeObj>()->is_exception) e = ip.call0(e);
    if (!e.is(Tag::Exc)) ip.raise(ip.T.TypeError, "invalid exception object");
    if (e.as<ExcObj>()->cls->subclass_of(ip.T.StopIteration.get()))
      ip.raise(ip.T.TypeError, "StopIteration interacts badly with generators and cannot be raised into a Future");
    f->set_exception(ip.to_cpp(Ref<ExcObj>(e.as<ExcObj>())));
    return Object::none();
  })
  if (f->is_task()) {
    M("get_name", { return ip.str_obj(static_cast<asyncio::TaskBase*>(f)->get_name()); })
    M("set_name", {
      check_args(ip, "set_name", a, 1, 1);
      static_cast<asyncio::TaskBase*>(f)->set_name(ip.str(a.pos[0]));
      return Object::none();
    })
    M("cancelling", { return Object::integer(static_cast<asyncio::TaskBase*>(f)->cancelling()); })
    M("uncancel", { return Object::integer(static_cast<asyncio::TaskBase*>(f)->uncancel()); })
    M("get_coro", {
      FutureExtras* x = extras_of(*f);
      if (x && !x->coro.null()) return x->coro;
      return ip.make_coro_husk(static_cast<asyncio::TaskBase*>(f)->coro_name());  // a task the program did not make
    })
  }
#undef M
  return {};
}

Object future_getattr(Interp& ip, const Object& self, std::string_view name) {
  // _asyncio.Future's getset descriptors (_state...) are not provided, and future_setattr keeps
  // their names out of the dict, so the dict comes first: it shadows the methods, as in CPython.
  auto* f = self.as<FutureBase>();
  if (FutureExtras* x = extras_of(*f); x && x->dict)
    if (Object* v = x->dict->find_str(name)) return *v;
  if (name == "__dict__" && !ip.type_of(self)->dotted_tp_name) {  // _GatheringFuture, a Python class, shows its dict
    FutureExtras& x = extras_for(*f);
    if (!x.dict) x.dict = asyncio::make_ref<DictObj>();
    return Object(Tag::Dict, x.dict);
  }
  return future_method(ip, self, name);
}

void future_setattr(Interp& ip, const Object& self, std::string_view name, Object v) {
  // The getset descriptors of _asyncio.Future and _asyncio.Task (Modules/_asynciomodule.c).
  static const std::set<std::string_view> kFutureReadOnly = {"_state", "_loop", "_callbacks", "_result", "_exception", "_source_traceback"};
  static const std::set<std::string_view> kTaskReadOnly = {"_coro", "_fut_waiter", "_must_cancel"};
  static const std::set<std::string_view> kWritable = {"_asyncio_future_blocking", "_cancel_message", "_log_traceback", "_log_destroy_pending"};
  auto* f = self.as<FutureBase>();
  const bool task_only = kTaskReadOnly.count(name) || name == "_log_destroy_pending";
  if (!task_only || f->is_task()) {
    if (kFutureReadOnly.count(name) || kTaskReadOnly.count(name))
      ip.raise(ip.T.AttributeError, fmt::format("attribute '{}' of '{}' objects is not writable", name,
                                                (f->is_task() ? ip.T.task : ip.T.future)->tp_name()));
    // Writable, but what they change (the never-retrieved report, a task's wake-up) the interpreter does not model.
    if (kWritable.count(name)) ip.refuse(fmt::format("{} {}.{}", v.null() ? "deleting" : "setting", ip.type_of(self)->name, name));
  }
  ip.generic_setattr(self, ip.type_of(self), extras_for(*f).dict, name, std::move(v));
}

Object handle_method(Interp& ip, const Object& self, std::string_view name) {
  if (name == "cancel")
    return ip.builtin("cancel", [](Interp&, BuiltinObj& b, CallArgs&) {
      auto* h = b.self.as<asyncio::HandleState>();
      Ref<asyncio::HandleState> ref(h);
      if (h->timer) asyncio::TimerHandle(ref).cancel();
      else asyncio::Handle(ref).cancel();
      return Object::none();
    }, self);
  if (name == "cancelled")
    return ip.builtin("cancelled", [](Interp&, BuiltinObj& b, CallArgs&) { return Object::boolean(b.self.as<asyncio::HandleState>()->cancelled); }, self);
  if (name == "when" && self.as<asyncio::HandleState>()->timer)
    return ip.builtin("when", [](Interp&, BuiltinObj& b, CallArgs&) {
      return Object::real(asyncio::TimerHandle(Ref<asyncio::HandleState>(b.self.as<asyncio::HandleState>())).when());
    }, self);
  return {};
}

Object loop_method(Interp& ip, const Object& self, std::string_view name) {
#define M(NAME, BODY) \
  if (name == NAME) return ip.builtin(NAME, [](Interp & ip, BuiltinObj & b, CallArgs & a) -> Object { EventLoop& loop = loop_of(b.self); (void)loop; (void)ip; (void)a; BODY }, self);
  M("time", { return Object::real(loop.time()); })
  M("is_running", { return Object::boolean(loop.is_running()); })
  M("is_closed", { return Object::boolean(loop.is_closed()); })
  M("get_debug", { return Object::boolean(false); })
  M("set_debug", { return Object::none(); })
  M("stop", { loop.stop(); return Object::none(); })
  M("close", { loop.close(); return Object::none(); })
  M("create_future", { return ip.future_obj(loop.create_future<Object>().base()); })
  M("create_task", {
    Object name = a.take_kw("name");
    a.take_kw("context");
    check_args(ip, "create_task", a, 1, 1);
    return create_task_on(ip, loop, a.pos[0], name);
  })
  M("run_forever", {
    check_args(ip, "run_forever", a, 0, 0);
    ip.run_loop(loop, nullptr, 3);
    return Object::none();
  })
  M("run_until_complete", {
    if (a.pos.empty() && a.kw.empty()) ip.raise(ip.T.TypeError, "BaseEventLoop.run_until_complete() missing 1 required positional argument: 'future'");
    check_args(ip, "run_until_complete", a, 1, 1);
    loop.check_closed();
    if (loop.is_running()) ip.raise(ip.T.RuntimeError, "This event loop is already running");
    if (asyncio::running_loop()) ip.raise(ip.T.RuntimeError, "Cannot run the event loop while another loop is running");
    Ref<FutureBase> fut = ip.to_future(a.pos[0], &loop);
    bool made = !a.pos[0].is(Tag::Future);
    if (made && fut->is_task()) static_cast<asyncio::TaskBase*>(fut.get())->set_log_destroy_pending(false);
    a.pos.clear();
    try {
      ip.run_loop(loop, fut.get(), 4);
      return ip.future_result(*fut);
    } catch (const Abort&) {
      throw;
    } catch (...) {
      ip.traceback_lib({&kRunUntilComplete});
    }
  })
  if (name == "call_soon" || name == "call_soon_threadsafe") {
    return ip.builtin(name == "call_soon" ? "call_soon" : "call_soon_threadsafe", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      a.take_kw("context");
      if (a.pos.empty()) ip.raise(ip.T.TypeError, "call_soon() missing 1 required positional argument: 'callback'");
      EventLoop& loop = loop_of(b.self);
      loop.check_closed();
      Object fn = a.pos[0];
      std::vector<Object> args(a.pos.begin() + 1, a.pos.end());
      std::string label = callback_label(ip, fn, args);
      asyncio::Handle h = loop.call_soon(callback_fn(ip, fn, std::move(args)), std::move(label));
      return Object(Tag::Handle, h.state());
    }, self);
  }
  if (name == "call_later" || name == "call_at") {
    return ip.builtin(name == "call_later" ? "call_later" : "call_at", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      a.take_kw("context");
      bool later = b.name[5] == 'l';
      if (a.pos.size() < 2) ip.raise(ip.T.TypeError, fmt::format("{}() missing required arguments", b.name));
      EventLoop& loop = loop_of(b.self);
      loop.check_closed();
      if (a.pos[0].is_none()) ip.raise(ip.T.TypeError, later ? "delay must not be None" : "when cannot be None");
      double t = seconds_arg(ip, a.pos[0], "");
      Object fn = a.pos[1];
      std::vector<Object> args(a.pos.begin() + 2, a.pos.end());
      std::string label = callback_label(ip, fn, args);
      asyncio::TimerHandle h = later ? loop.call_later(t, callback_fn(ip, fn, std::move(args)), std::move(label))
                                     : loop.call_at(t, callback_fn(ip, fn, std::move(args)), std::move(label));
      return Object(Tag::Handle, h.state());
    }, self);
  }
  M("set_exception_handler", {
    check_args(ip, "set_exception_handler", a, 1, 1);
    Object h = a.pos[0];
    if (h.is_none()) {
      loop.set_exception_handler(nullptr);
      ip.loop_handlers.erase(&loop);
      return Object::none();
    }
    if (!h.is(Tag::Func) && !h.is(Tag::Builtin)) ip.raise(ip.T.TypeError, "A callable object or None is expected, got " + ip.repr(h));
    ip.loop_handlers[&loop] = h;
    loop.set_exception_handler([&ip, h](EventLoop& l, const asyncio::ExceptionContext& ctx) {
      CallArgs ca;
      ca.pos = {loop_obj(l), dict_from_context(ip, ctx)};
      ip.call(h, ca);
    });
    return Object::none();
  })
  M("get_exception_handler", {
    auto it = ip.loop_handlers.find(&loop);
    return it == ip.loop_handlers.end() ? Object::none() : it->second;
  })
  M("default_exception_handler", {
    check_args(ip, "default_exception_handler", a, 1, 1);
    loop.default_exception_handler(context_from_dict(ip, a.pos[0]));
    return Object::none();
  })
  M("call_exception_handler", {
    check_args(ip, "call_exception_handler", a, 1, 1);
    loop.call_exception_handler(context_from_dict(ip, a.pos[0]));
    return Object::none();
  })
  M("shutdown_asyncgens", { return ip.make_coro(shutdown_asyncgens_coro(loop), "BaseEventLoop.shutdown_asyncgens"); })
  M("shutdown_default_executor", { return ip.make_coro(noop_coro(), "BaseEventLoop.shutdown_default_executor"); })
#undef M
  return io_loop_method(ip, self, name);
}

Object Interp::make_coro_husk(const char* qualname) {
  // A stand-in coroutine object for Task.get_coro() (the frame belongs to the task).
  auto obj = asyncio::make_ref<CoroObj>(asyncio::Coro<Object>(), qualname);
  return Object(Tag::Coro, obj);
}

// ---------------------------------------------------------------------------------------------

Object module_asyncio(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("asyncio");
  auto& A = m->attrs;
  auto fn = [&](const char* name, BuiltinObj::Fn f) { A[name] = ip.builtin(name, f); };

  fn("run", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    a.take_kw("debug");
    check_args(ip, "run", a, 1, 1);
    if (asyncio::running_loop()) ip.raise(ip.T.RuntimeError, "asyncio.run() cannot be called from a running event loop");
    RunnerObj r;
    r.add_ref();  // on the stack: never freed through the count
    r.runner = std::make_unique<asyncio::Runner>();
    Object result;
    std::exception_ptr ep;
    try {
      result = runner_run(ip, r, a.pos[0], 6, true);
    } catch (const Abort&) {
      throw;
    } catch (...) {
      ep = std::current_exception();
    }
    a.pos.clear();
    r.runner->close();
    if (ep) std::rethrow_exception(ep);
    return result;
  });
  A["Runner"] = ip.closure_builtin("Runner", [](Interp& ip, CallArgs& a) { return make_runner(ip, a); });
  fn("sleep", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    auto p = bind_params(ip, "sleep", a, {"delay", "result"}, 2, 1, false);
    double d = seconds_arg(ip, p[0], "");
    return ip.make_coro(sleep_coro(d, p[1].null() ? Object::none() : p[1]), "sleep");
  });
  fn("gather", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    Object rexc = a.take_kw("return_exceptions");
    bool return_exceptions = !rexc.null() && ip.truthy(rexc);
    if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("gather() got an unexpected keyword argument '{}'", a.kw[0].first));
    EventLoop* loop = asyncio::running_loop();
    std::vector<Ref<FutureBase>> children;
    std::vector<std::pair<const void*, Ref<FutureBase>>> seen;  // tasks.py: arg_to_fut
    for (auto& x : a.pos) {
      Ref<FutureBase> f;
      for (auto& [k, v] : seen)
        if (k == x.ptr()) f = v;
      if (!f) {
        f = ip.to_future(x, loop);
        if (!loop) loop = &f->get_loop();
        if (!x.is(Tag::Future) && f->is_task()) static_cast<asyncio::TaskBase*>(f.get())->set_log_destroy_pending(false);
        seen.emplace_back(x.ptr(), f);
      }
      children.push_back(f);
    }
    a.pos.clear();
    EventLoop& l = loop ? *loop : event_loop();
    auto outer = asyncio::gather_futures(l, std::move(children), return_exceptions);
    return ip.future_obj(outer.get());
  });
  fn("wait", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    // tasks.py (3.11): wait(fs, *, timeout=None, return_when=ALL_COMPLETED)
    auto p = bind_params(ip, "wait", a, {"fs", "timeout", "return_when"}, 1, 1, false);
    return ip.make_coro(wait_coro(ip, p[0], p[1], p[2].null() ? ip.str_obj("ALL_COMPLETED") : p[2]), "wait");
  });
  fn("wait_for", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    auto p = bind_params(ip, "wait_for", a, {"fut", "timeout"}, 2, 2, false);
    return ip.make_coro(wait_for_coro(ip, p[0], p[1]), "wait_for");
  });
  fn("shield", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    Object arg = bind_params(ip, "shield", a, {"arg"}, 1, 1, false)[0];
    Ref<FutureBase> inner = ip.to_future(arg, asyncio::running_loop());
    return ip.future_obj(asyncio::shield_future(inner).get());
  });
  fn("as_completed", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    // tasks.py (3.11): as_completed(fs, *, timeout=None)
    auto p = bind_params(ip, "as_completed", a, {"fs", "timeout"}, 1, 1, false);
    if (p[0].is(Tag::Future) || p[0].is(Tag::Coro))
      ip.raise(ip.T.TypeError, fmt::format("expect an iterable of futures, not {}", ip.type_of(p[0])->name));
    auto g = asyncio::make_ref<AsCompletedGen>();
    g->fs = ip.to_vector(p[0]);
    g->timeout = timeout_arg(ip, p[1]);
    auto it = asyncio::make_ref<IterObj>();
    it->src = Object(Tag::Native, g);
    return Object(Tag::Iter, it);
  });
  fn("create_task", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    auto p = bind_params(ip, "create_task", a, {"coro", "name", "context"}, 1, 1, false);
    const Object& name = p[1];
    // tasks.py: create_task creates an unnamed task (it takes a Task-N number), then names it.
    EventLoop& loop = asyncio::get_running_loop();
    Object t = create_task_on(ip, loop, p[0], Object());
    if (!name.null() && !name.is_none()) static_cast<asyncio::TaskBase*>(t.as<FutureBase>())->set_name(ip.str(name));
    return t;
  });
  fn("ensure_future", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    auto p = bind_params(ip, "ensure_future", a, {"coro_or_future", "loop"}, 1, 1, false);
    return ip.future_obj(ip.to_future(p[0], p[1].null() || p[1].is_none() ? nullptr : &loop_of(p[1])).get());
  });
  fn("current_task", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "current_task", a, 0, 1);
    EventLoop& loop = a.pos.empty() || a.pos[0].is_none() ? asyncio::get_running_loop() : loop_of(a.pos[0]);
    auto* t = loop.current_task();
    return t ? ip.future_obj(t) : Object::none();
  });
  fn("all_tasks", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "all_tasks", a, 0, 1);
    EventLoop& loop = a.pos.empty() || a.pos[0].is_none() ? asyncio::get_running_loop() : loop_of(a.pos[0]);
    Object s = ip.set_obj();
    for (auto& t : loop.all_tasks()) {
      Object o = ip.future_obj(t.get());
      s.as<SetObj>()->add(o, ip.hash(o));
    }
    return s;
  });
  fn("iscoroutine", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "iscoroutine", a, 1, 1);
    // coroutines._COROUTINE_TYPES: generators too, and what has send/throw/close/__await__ (asend()).
    const Object& x = a.pos[0];
    return Object::boolean(x.is(Tag::Coro) || as_generator(x) || is_agen_op(x));
  });
  fn("iscoroutinefunction", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "iscoroutinefunction", a, 1, 1);
    const Object& f = a.pos[0];
    return Object::boolean((f.is(Tag::Func) && f.as<FuncObj>()->is_async) ||
                           (f.is(Tag::Builtin) && f.as<BuiltinObj>()->data.is(Tag::Func) && f.as<BuiltinObj>()->data.as<FuncObj>()->is_async));
  });
  fn("isfuture", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "isfuture", a, 1, 1);
    return Object::boolean(a.pos[0].is(Tag::Future));
  });
  fn("get_running_loop", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "get_running_loop", a, 0, 0);
    return loop_obj(asyncio::get_running_loop());
  });
  fn("get_event_loop", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "get_event_loop", a, 0, 0);
    return loop_obj(asyncio::get_event_loop());
  });
  fn("new_event_loop", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "new_event_loop", a, 0, 0);
    auto l = asyncio::new_event_loop();
    return loop_obj(*l);
  });
  fn("set_event_loop", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "set_event_loop", a, 1, 1);
    if (!a.pos[0].is_none() && !a.pos[0].is(Tag::Loop))
      ip.raise(ip.T.TypeError, fmt::format("loop must be an instance of AbstractEventLoop or None, not '{}'", ip.type_of(a.pos[0])->name));
    asyncio::set_event_loop(a.pos[0].is_none() ? nullptr : asyncio::EventLoopPtr(a.pos[0].as<EventLoop>()));
    return Object::none();
  });
  ip.T.future->construct = [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    Object loop = a.take_kw("loop");
    check_args(ip, "Future", a, 0, 0);
    EventLoop& l = loop.null() || loop.is_none() ? event_loop() : loop_of(loop);
    return ip.future_obj(l.create_future<Object>().base());
  };
  ip.T.task->construct = [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    Object loop = a.take_kw("loop"), name = a.take_kw("name");
    a.take_kw("context");
    check_args(ip, "Task", a, 1, 1);
    EventLoop& l = loop.null() || loop.is_none() ? event_loop() : loop_of(loop);
    return create_task_on(ip, l, a.pos[0], name);
  };
  A["Future"] = Object(Tag::Type, ip.T.future);
  A["Task"] = Object(Tag::Type, ip.T.task);
  A["Handle"] = Object(Tag::Type, ip.T.handle);
  A["TimerHandle"] = Object(Tag::Type, ip.T.timer_handle);
  A["AbstractEventLoop"] = Object(Tag::Type, ip.T.loop);
  for (auto* t : {&ip.T.CancelledError, &ip.T.InvalidStateError, &ip.T.QueueEmpty, &ip.T.QueueFull,
                  &ip.T.BrokenBarrierError, &ip.T.SendfileNotAvailableError, &ip.T.IncompleteReadError,
                  &ip.T.LimitOverrunError})
    A[(*t)->name] = Object(Tag::Type, *t);
  A["TimeoutError"] = Object(Tag::Type, ip.T.TimeoutError);
  for (const char* w : {"FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"}) A[w] = ip.str_obj(w);
  install_sync_bindings(ip, A);
  install_protocol_classes(ip, A);
  install_transport_classes(ip, A);
  install_stream_bindings(ip, A);
  install_policy_bindings(ip, A);
  install_subprocess_bindings(ip, A);
  return Object(Tag::Native, m);
}


}  // namespace aiospec::interp

// function: functions and lambdas defined by the program, argument binding and calls.
#include <fmt/format.h>

#include "../interp.hpp"

namespace aiospec::interp {

using namespace scenario;

Object CallArgs::take_kw(std::string_view name) {
  for (auto it = kw.begin(); it != kw.end(); ++it)
    if (it->first == name) {
      Object v = std::move(it->second);
      kw.erase(it);
      return v;
    }
  return {};
}

const char* child_qualname(Interp& ip, Frame& f, std::string_view name) {
  if (f.class_ns) return ip.intern(std::string(f.qualname) + "." + std::string(name));
  if (*f.qualname) return ip.intern(std::string(f.qualname) + ".<locals>." + std::string(name));
  return ip.intern(std::string(name));
}

void init_slots(Frame& f, const Scope* s) {
  f.slots.resize(s->slots.size());
  for (std::size_t i = s->nparams; i < s->slots.size(); ++i)
    if (s->slots[i].is_cell) f.slots[i] = make<CellObj>(Tag::Cell);
}

Object Interp::make_function(const FunctionDef* def, Frame& f, std::vector<Object> defaults, std::vector<Object> kwdefaults) {
  auto fn = asyncio::make_ref<FuncObj>();
  fn->args = &def->args;
  fn->scope = def->scope;
  fn->def = def;
  fn->defaults = std::move(defaults);
  fn->kwdefaults = std::move(kwdefaults);
  fn->closure = capture(def->scope, f);
  fn->name = std::string(def->name->id);
  fn->qualname = child_qualname(*this, f, def->name->id);
  fn->is_async = def->is_async;
  fn->cls = f.cls;
  return Object(Tag::Func, fn);
}

Object Interp::make_lambda(const Lambda* l, Frame& f) {
  auto fn = asyncio::make_ref<FuncObj>();
  fn->args = &l->args;
  fn->scope = l->scope;
  fn->lambda = l;
  for (auto& p : l->args.posargs) fn->defaults.push_back(p.default_value ? eval(p.default_value, f) : Object());
  for (auto& p : l->args.kwonly) fn->kwdefaults.push_back(p.default_value ? eval(p.default_value, f) : Object());
  fn->closure = capture(l->scope, f);
  fn->name = "<lambda>";
  fn->qualname = child_qualname(*this, f, "<lambda>");
  fn->cls = f.cls;
  return Object(Tag::Func, fn);
}

void Interp::bind_args(FuncObj* fn, CallArgs& args, Frame& f) {
  const Arguments& A = *fn->args;
  const Scope* s = fn->scope;
  init_slots(f, s);
  const std::size_t npos = A.posargs.size();
  std::size_t slot = 0;
  // CPython names the function by its __qualname__ ("C.m() missing 1 required positional argument").
  auto fail = [&](std::string msg) { raise(T.TypeError, fmt::format("{}() {}", *fn->qualname ? fn->qualname : fn->name.c_str(), msg)); };
  std::size_t given = args.pos.size();
  for (std::size_t i = 0; i < npos && i < given; ++i) f.slots[i] = std::move(args.pos[i]);
  slot = npos;
  Object varargs;
  if (A.vararg) {
    std::vector<Object> extra;
    for (std::size_t i = npos; i < given; ++i) extra.push_back(std::move(args.pos[i]));
    varargs = tuple_obj(std::move(extra));
    f.slots[slot++] = varargs;
  } else if (given > npos) {
    std::size_t required = 0;
    for (std::size_t i = 0; i < npos; ++i) required += fn->defaults[i].null();
    if (required == npos)
      fail(fmt::format("takes {} positional argument{} but {} {} given", npos, npos == 1 ? "" : "s", given, given == 1 ? "was" : "were"));
    fail(fmt::format("takes from {} to {} positional arguments but {} {} given", required, npos, given, given == 1 ? "was" : "were"));
  }
  const std::size_t kwonly_start = slot;
  slot += A.kwonly.size();
  Object kwdict;
  if (A.kwarg) {
    kwdict = dict_obj();
    f.slots[slot] = kwdict;
  }
  for (auto& [name, value] : args.kw) {
    bool placed = false;
    for (std::size_t i = 0; i < npos && !placed; ++i)
      if (A.posargs[i].name == name) {
        if (!f.slots[i].null()) fail(fmt::format("got multiple values for argument '{}'", name));
        f.slots[i] = std::move(value);
        placed = true;
      }
    for (std::size_t i = 0; i < A.kwonly.size() && !placed; ++i)
      if (A.kwonly[i].name == name) {
        f.slots[kwonly_start + i] = std::move(value);
        placed = true;
      }
    if (!placed) {
      if (!kwdict.null()) {
        Object k = str_key(*this, name);
        kwdict.as<DictObj>()->set(k, hash(k), std::move(value));
      } else {
        fail(fmt::format("got an unexpected keyword argument '{}'", name));
      }
    }
  }
  std::vector<std::string_view> missing;
  for (std::size_t i = 0; i < npos; ++i)
    if (f.slots[i].null()) {
      if (!fn->defaults[i].null())
        f.slots[i] = fn->defaults[i];
      else
        missing.push_back(A.posargs[i].name);
    }
  auto report = [&](const char* kind) {
    std::string names;
    for (std::size_t i = 0; i < missing.size(); ++i) {
      if (i) names += missing.size() == 2 ? " and " : (i + 1 == missing.size() ? ", and " : ", ");
      names += "'" + std::string(missing[i]) + "'";
    }
    fail(fmt::format("missing {} required {} argument{}: {}", missing.size(), kind, missing.size() == 1 ? "" : "s", names));
  };
  if (!missing.empty()) report("positional");
  for (std::size_t i = 0; i < A.kwonly.size(); ++i)
    if (f.slots[kwonly_start + i].null()) {
      if (!fn->kwdefaults[i].null())
        f.slots[kwonly_start + i] = fn->kwdefaults[i];
      else
        missing.push_back(A.kwonly[i].name);
    }
  if (!missing.empty()) report("keyword-only");
  for (std::size_t i = 0; i < s->nparams; ++i)
    if (s->slots[i].is_cell) {
      Object c = make<CellObj>(Tag::Cell);
      c.as<CellObj>()->v = std::move(f.slots[i]);
      f.slots[i] = std::move(c);
    }
  f.closure = &fn->closure;
  f.qualname = fn->qualname;
  f.code_name = fn->def ? fn->def->name->id : "<lambda>";
  f.cls = fn->cls;
}

Object Interp::call_function(FuncObj* fn, CallArgs& args) {
  if (fn->def && fn->def->is_generator) return call_generator(fn, args);
  if (fn->is_async) {
    auto frame = std::make_unique<Frame>();
    bind_args(fn, args, *frame);
    frame->line = fn->def->line;
    Frame* raw = frame.get();
    Object c = make_coro(run_coroutine(Ref<FuncObj>(fn), std::move(frame)), fn->qualname, true);
    c.as<CoroObj>()->frame = raw;
    c.as<CoroObj>()->def_line = fn->def->line;
    return c;
  }
  RecursiveCall frame_level(*this);
  Ref<FuncObj> keep(fn);
  Frame frame;
  bind_args(fn, args, frame);
  try {
    if (fn->lambda) return eval(fn->lambda->body, frame);
    exec_body(fn->def->body, frame);
  } catch (const Abort&) {
    throw;
  } catch (...) {
    rethrow_keeping(std::current_exception(), std::move(frame.slots), &frame);
  }
  return frame.retval.null() ? Object::none() : std::move(frame.retval);
}

asyncio::Coro<Object> Interp::run_coroutine(Ref<FuncObj> fn, std::unique_ptr<Frame> frame) {
  // The frame is a level of its task's chain while it runs, suspended or not: CPython resumes a
  // task by sending into the outermost coroutine, so the whole chain is on its stack again.
  Ref<FutureExtras> chain_owner;
  int& chain = coro_depth(chain_owner);
  ++chain;
  std::exception_ptr ep;
  try {
    if (depth() > recursion_limit) raise(T.RecursionError, "maximum recursion depth exceeded");
    if (stack_nearly_full()) stack_full();
    if (fn->def->body_awaits)
      co_await exec_body_a(fn->def->body, *frame);
    else
      exec_body(fn->def->body, *frame);
  } catch (const Abort&) {
    throw;
  } catch (...) {
    ep = std::current_exception();
  }
  --chain;
  if (ep) rethrow_keeping(ep, std::move(frame->slots), frame.get());
  co_return frame->retval.null() ? Object::none() : std::move(frame->retval);
}

}  // namespace aiospec::interp

// BaseException and its subclasses: the exception hierarchy, conversions between Python exception
// objects and the reference loop's C++ exceptions, str/repr of exceptions.
#include <fmt/format.h>

#include <algorithm>
#include <new>
#include <stdexcept>

#include "../interp.hpp"

namespace aiospec::interp {

namespace {

// Indexes of the asyncio:: classes a Python exception travels as (TypeObj::core).
enum Core {
  kBaseException, kException, kCancelledError, kRuntimeError, kValueError, kTypeError, kOSError,
  kTimeoutError, kInvalidStateError, kQueueEmpty, kQueueFull, kBrokenBarrierError,
  kKeyboardInterrupt, kSystemExit, kGeneratorExit, kBaseExceptionGroup, kExceptionGroup,
};

}  // namespace

void Interp::setup_exception_types() {
  auto& t = T;
  auto exc = [&](Ref<TypeObj>& slot, const char* name, const Ref<TypeObj>& base, int core, const char* module = "") {
    slot = new_type(name, base, module);
    slot->is_exception = true;
    slot->core = core < 0 ? base->core : core;
  };
  exc(t.BaseException, "BaseException", t.object, kBaseException);
  exc(t.Exception, "Exception", t.BaseException, kException);
  exc(t.ArithmeticError, "ArithmeticError", t.Exception, -1);
  exc(t.ZeroDivisionError, "ZeroDivisionError", t.ArithmeticError, -1);
  exc(t.OverflowError, "OverflowError", t.ArithmeticError, -1);
  exc(t.AssertionError, "AssertionError", t.Exception, -1);
  exc(t.AttributeError, "AttributeError", t.Exception, -1);
  exc(t.ImportError, "ImportError", t.Exception, -1);
  exc(t.ModuleNotFoundError, "ModuleNotFoundError", t.ImportError, -1);
  exc(t.NameError, "NameError", t.Exception, -1);
  exc(t.UnboundLocalError, "UnboundLocalError", t.NameError, -1);
  exc(t.LookupError, "LookupError", t.Exception, -1);
  exc(t.IndexError, "IndexError", t.LookupError, -1);
  exc(t.KeyError, "KeyError", t.LookupError, -1);
  exc(t.OSError, "OSError", t.Exception, kOSError);
  exc(t.TimeoutError, "TimeoutError", t.OSError, kTimeoutError);
  // EOFError and the OSError subclasses (Objects/exceptions.c) are builtins only: find_exc_type finds
  // them by name when the loop's I/O raises one.
  struct Sub {
    const char* name;
    const char* base;
  };
  for (auto [name, base] : {Sub{"EOFError", "Exception"}, Sub{"BlockingIOError", "OSError"},
                            Sub{"ChildProcessError", "OSError"}, Sub{"ConnectionError", "OSError"},
                            Sub{"BrokenPipeError", "ConnectionError"}, Sub{"ConnectionAbortedError", "ConnectionError"},
                            Sub{"ConnectionRefusedError", "ConnectionError"}, Sub{"ConnectionResetError", "ConnectionError"},
                            Sub{"FileExistsError", "OSError"}, Sub{"FileNotFoundError", "OSError"},
                            Sub{"InterruptedError", "OSError"}, Sub{"IsADirectoryError", "OSError"},
                            Sub{"NotADirectoryError", "OSError"}, Sub{"PermissionError", "OSError"},
                            Sub{"ProcessLookupError", "OSError"}}) {
    const std::string_view b = base;
    Ref<TypeObj> sub;
    exc(sub, name, b == "OSError" ? t.OSError : b == "Exception" ? t.Exception : Ref<TypeObj>(builtins.find(b)->second.as<TypeObj>()), -1);
    builtins[name] = Object(Tag::Type, sub);
  }
  exc(t.gaierror, "gaierror", t.OSError, -1, "socket");
  exc(t.RuntimeError, "RuntimeError", t.Exception, kRuntimeError);
  exc(t.NotImplementedError, "NotImplementedError", t.RuntimeError, -1);
  exc(t.RecursionError, "RecursionError", t.RuntimeError, -1);
  exc(t.StopIteration, "StopIteration", t.Exception, -1);
  exc(t.StopAsyncIteration, "StopAsyncIteration", t.Exception, -1);
  exc(t.TypeError, "TypeError", t.Exception, kTypeError);
  exc(t.ValueError, "ValueError", t.Exception, kValueError);
  exc(t.UnicodeError, "UnicodeError", t.ValueError, -1);
  exc(t.UnicodeDecodeError, "UnicodeDecodeError", t.UnicodeError, -1);
  exc(t.UnicodeEncodeError, "UnicodeEncodeError", t.UnicodeError, -1);
  exc(t.BufferError, "BufferError", t.Exception, -1);
  exc(t.MemoryError, "MemoryError", t.Exception, -1);
  exc(t.Warning, "Warning", t.Exception, -1);
  exc(t.DeprecationWarning, "DeprecationWarning", t.Warning, -1);
  exc(t.RuntimeWarning, "RuntimeWarning", t.Warning, -1);
  exc(t.UserWarning, "UserWarning", t.Warning, -1);
  for (const char* name : {"PendingDeprecationWarning", "SyntaxWarning", "FutureWarning", "ImportWarning", "UnicodeWarning",
                           "BytesWarning", "ResourceWarning", "EncodingWarning"}) {
    Ref<TypeObj> sub;
    exc(sub, name, t.Warning, -1);
    builtins[name] = Object(Tag::Type, sub);
  }
  exc(t.CancelledError, "CancelledError", t.BaseException, kCancelledError, "asyncio.exceptions");
  exc(t.InvalidStateError, "InvalidStateError", t.Exception, kInvalidStateError, "asyncio.exceptions");
  exc(t.BrokenBarrierError, "BrokenBarrierError", t.RuntimeError, kBrokenBarrierError, "asyncio.exceptions");
  exc(t.SendfileNotAvailableError, "SendfileNotAvailableError", t.RuntimeError, -1, "asyncio.exceptions");
  exc(t.IncompleteReadError, "IncompleteReadError", Ref<TypeObj>(builtins["EOFError"].as<TypeObj>()), -1, "asyncio.exceptions");
  exc(t.LimitOverrunError, "LimitOverrunError", t.Exception, -1, "asyncio.exceptions");
  exc(t.QueueEmpty, "QueueEmpty", t.Exception, kQueueEmpty, "asyncio.queues");
  exc(t.QueueFull, "QueueFull", t.Exception, kQueueFull, "asyncio.queues");
  exc(t.KeyboardInterrupt, "KeyboardInterrupt", t.BaseException, kKeyboardInterrupt);
  exc(t.SystemExit, "SystemExit", t.BaseException, kSystemExit);
  exc(t.GeneratorExit, "GeneratorExit", t.BaseException, kGeneratorExit);
  exc(t.BaseExceptionGroup, "BaseExceptionGroup", t.BaseException, kBaseExceptionGroup);
  exc(t.ExceptionGroup, "ExceptionGroup", t.BaseExceptionGroup, kExceptionGroup);
  t.ExceptionGroup->base2 = t.Exception;
}

// ---------------------------------------------------------------------------------------------
// Exceptions

Ref<ExcObj> Interp::new_exc(const Ref<TypeObj>& t, std::vector<Object> args) {
  auto e = asyncio::make_ref<ExcObj>();
  e->cls = t;
  e->args = std::move(args);
  return e;
}

void Interp::raise(const Ref<TypeObj>& t, std::string msg) {
  std::vector<Object> args;
  args.push_back(str_obj(std::move(msg)));
  raise_obj(new_exc(t, std::move(args)));
}

void Interp::raise_obj(const Ref<ExcObj>& e) { std::rethrow_exception(to_cpp(e)); }

ExcObj::~ExcObj() {
  if (cache_key)
    if (Interp* ip = current_interp()) ip->converted_.erase(cache_key);
}

std::exception_ptr Interp::to_cpp(const Ref<ExcObj>& e) {
  if (e->origin) return e->origin;
  return holder_of(e);
}

void Interp::rethrow_keeping(const std::exception_ptr& ep, std::vector<Object> refs, const Frame* left) {
  Ref<ExcObj> e = to_python(ep);  // rethrows Abort
  for (auto& r : refs)
    if (!r.null()) e->traceback_refs.push_back(std::move(r));
  if (left) {
    // Raised where no statement of the frame was running: a comprehension's iteration, at its span.
    if (e->tb_frame != left) {
      const scenario::Expr* c = left->comp;
      e->tb.push_back(c ? TbEntry{left->code_name, c->line, c->col - 1, c->end_line, c->end_col, nullptr, c}
                        : TbEntry{left->code_name, left->line});
    }
    e->tb_frame = nullptr;
  }
  try {
    std::rethrow_exception(ep);
  } catch (const PyExcHolder&) {
    throw;
  } catch (...) {
  }
  std::rethrow_exception(holder_of(e));
}

std::exception_ptr Interp::holder_of(const Ref<ExcObj>& e) {
  switch (e->cls->core) {
    case kException: return std::make_exception_ptr(PyException<asyncio::Exception>(e));
    case kCancelledError: return std::make_exception_ptr(PyException<asyncio::CancelledError>(e));
    case kRuntimeError: return std::make_exception_ptr(PyException<asyncio::RuntimeError>(e));
    case kValueError: return std::make_exception_ptr(PyException<asyncio::ValueError>(e));
    case kTypeError: return std::make_exception_ptr(PyException<asyncio::TypeError>(e));
    case kOSError: return std::make_exception_ptr(PyException<asyncio::OSError>(e));
    case kTimeoutError: return std::make_exception_ptr(PyException<asyncio::TimeoutError>(e));
    case kInvalidStateError: return std::make_exception_ptr(PyException<asyncio::InvalidStateError>(e));
    case kQueueEmpty: return std::make_exception_ptr(PyException<asyncio::QueueEmpty>(e));
    case kQueueFull: return std::make_exception_ptr(PyException<asyncio::QueueFull>(e));
    case kBrokenBarrierError: return std::make_exception_ptr(PyException<asyncio::BrokenBarrierError>(e));
    case kKeyboardInterrupt: return std::make_exception_ptr(PyException<asyncio::KeyboardInterrupt>(e));
    case kSystemExit: return std::make_exception_ptr(PyException<asyncio::SystemExit>(e));
    case kGeneratorExit: return std::make_exception_ptr(PyException<asyncio::GeneratorExit>(e));
    case kBaseExceptionGroup:
    case kExceptionGroup: {
      std::vector<std::exception_ptr> members;
      for (auto& m : e->group) members.push_back(to_cpp(Ref<ExcObj>(m.as<ExcObj>())));
      std::string msg = e->args.empty() ? "" : str(e->args[0]);
      if (e->cls->core == kExceptionGroup)
        return std::make_exception_ptr(PyException<asyncio::ExceptionGroup>(e, msg, std::move(members)));
      return std::make_exception_ptr(PyException<asyncio::BaseExceptionGroup>(e, msg, std::move(members)));
    }
    default: return std::make_exception_ptr(PyException<asyncio::BaseException>(e));
  }
}

Ref<TypeObj> Interp::find_exc_type(std::string_view name) {
  auto it = builtins.find(name);
  if (it != builtins.end() && it->second.is(Tag::Type) && it->second.as<TypeObj>()->is_exception)
    return Ref<TypeObj>(it->second.as<TypeObj>());
  for (auto* t : {&T.CancelledError, &T.InvalidStateError, &T.QueueEmpty, &T.QueueFull, &T.BrokenBarrierError,
                  &T.IncompleteReadError, &T.LimitOverrunError, &T.SendfileNotAvailableError, &T.gaierror})
    if ((*t)->name == name) return *t;
  return nullptr;
}

Ref<ExcObj> Interp::to_python(const std::exception_ptr& ep) {
  try {
    std::rethrow_exception(ep);
  } catch (const Abort&) {
    throw;
  } catch (const asyncio::Deadlock& d) {
    deadlock(d);
  } catch (const asyncio::BaseException& e) {
    if (auto* h = dynamic_cast<const PyExcHolder*>(&e)) return h->obj;
    auto it = converted_.find(&e);
    if (it != converted_.end()) return Ref<ExcObj>(it->second);
    // detail::require_task: what only a task can wait on, reached by a coroutine driven by send().
    if (hand_driver && e.str() == "await wasn't used with a task: no task is running")
      refuse(kHandDrivenWait);
    Ref<TypeObj> t = find_exc_type(e.type_name());
    if (!t) t = asyncio::is_exception(ep) ? T.Exception : T.BaseException;
    std::vector<Object> args;
    Ref<ExcObj> obj;
    auto set_attr = [&](const char* k, Object v) {
      if (!obj->attrs) obj->attrs = asyncio::make_ref<DictObj>();
      obj->attrs->set(str_obj(k), str_hash(k), std::move(v));
    };
    if (auto* g = dynamic_cast<const asyncio::BaseExceptionGroup*>(&e)) {
      std::vector<Object> members;
      for (auto& m : g->exceptions()) members.push_back(exc_object(m));
      args.push_back(str_obj(g->message()));
      args.push_back(list_obj(members));
      obj = new_exc(t, std::move(args));
      obj->group = std::move(members);
    } else if (auto* os = dynamic_cast<const asyncio::OSError*>(&e); os && os->error_code()) {
      // OSError(errno, strerror), with its attributes.
      args = {Object::integer(os->error_code()), str_obj(os->strerror())};
      obj = new_exc(t, args);
      // A filename shows only in the str: "[Errno 2] No such file or directory: 'prog'".
      const std::string text = e.str(), plain = fmt::format("[Errno {}] {}: ", os->error_code(), os->strerror());
      Object filename = text.size() > plain.size() + 1 && text.starts_with(plain)
                            ? str_obj(text.substr(plain.size() + 1, text.size() - plain.size() - 2))
                            : Object::none();
      for (auto [k, v] : {std::pair{"errno", args[0]}, std::pair{"strerror", args[1]}, std::pair{"filename", filename}})
        set_attr(k, v);
    } else {
      for (auto& a : e.args()) args.push_back(str_obj(a));
      obj = new_exc(t, std::move(args));
      // exceptions.py: the attributes IncompleteReadError and LimitOverrunError set besides their message.
      if (auto* ir = dynamic_cast<const asyncio::IncompleteReadError*>(&e)) {
        set_attr("partial", bytes_obj(ir->partial));
        set_attr("expected", ir->expected < 0 ? Object::none() : Object::integer(ir->expected));
      } else if (auto* lo = dynamic_cast<const asyncio::LimitOverrunError*>(&e)) {
        set_attr("consumed", Object::integer(static_cast<std::int64_t>(lo->consumed)));
      }
    }
    obj->origin = ep;
    if (e.cause) obj->cause = exc_object(e.cause);
    obj->cache_key = &e;
    converted_.emplace(&e, obj.get());
    return obj;
  } catch (const std::bad_alloc&) {
    return new_exc(T.MemoryError, {});  // an allocation beyond the memory budget (limits.hpp)
  } catch (const std::length_error&) {
    return new_exc(T.MemoryError, {});  // a container beyond its max_size(), as PyMem_Malloc's limit
  } catch (const std::exception& e) {
    return new_exc(T.RuntimeError, {str_obj(std::string("internal error: ") + e.what())});
  }
}

std::string Interp::exc_str(ExcObj& e) {
  if (e.cls->user) {
    Object m = getattr_opt(Object(Tag::Exc, &e), "__str__");
    if (!m.null() && m.is(Tag::Builtin) && m.as<BuiltinObj>()->data.is(Tag::Func)) return str(call0(m));
  }
  if (e.args.size() == 2 && e.args[0].is(Tag::Int) && e.cls->subclass_of(T.OSError.get())) {
    Object* filename = e.attrs ? e.attrs->find_str("filename") : nullptr;
    return fmt::format("[Errno {}] {}{}", e.args[0].i(), str(e.args[1]),
                       filename && filename->is(Tag::Str) ? ": " + repr(*filename) : std::string());
  }
  if (e.cls->subclass_of(T.BaseExceptionGroup.get())) {
    std::size_t n = e.group.size();
    return (e.args.empty() ? std::string() : str(e.args[0])) + " (" + std::to_string(n) +
           (n == 1 ? " sub-exception)" : " sub-exceptions)");
  }
  if (e.cls->subclass_of(T.UnicodeDecodeError.get()) || e.cls->subclass_of(T.UnicodeEncodeError.get()))
    if (std::string s = unicode_error_str(*this, e); !s.empty()) return s;
  if (e.args.empty()) return "";
  if (e.args.size() == 1) return e.cls->subclass_of(T.KeyError.get()) ? repr(e.args[0]) : str(e.args[0]);
  return repr(tuple_obj(e.args));
}

std::string Interp::exc_repr(ExcObj& e) {
  std::string out = e.cls->name + "(";
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    if (i) out += ", ";
    out += repr(e.args[i]);
  }
  return out + ")";
}

std::vector<std::string> Interp::exc_lines(ExcObj& e) {
  std::string name = e.cls->name;
  if (!e.cls->module.empty() && e.cls->module != "__main__") name = e.cls->module + "." + name;
  std::string msg = exc_str(e);
  std::vector<std::string> lines{msg.empty() ? name : name + ": " + msg};
  // traceback.py: TracebackException.format_exception_only, each line of each note after it.
  Object notes = getattr_opt(Object(Tag::Exc, &e), "__notes__");
  if (notes.is(Tag::List) || notes.is(Tag::Tuple) || notes.is(Tag::Str)) {
    for (const Object& note : to_vector(notes)) {
      std::string text = str(note);
      for (std::size_t start = 0;;) {
        std::size_t nl = text.find('\n', start);
        lines.push_back(text.substr(start, nl == std::string::npos ? nl : nl - start));
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
    }
  } else if (!notes.null() && !notes.is_none()) {
    lines.push_back(repr(notes));
  }
  return lines;
}

// --- ExceptionGroup's split(), subgroup() and derive() (Objects/exceptions.c) ---

namespace {

// What split() and subgroup() select by: an exception type, a tuple of them, or a predicate.
struct GroupMatcher {
  Object value;
  bool predicate = false;

  bool matches(Interp& ip, const Object& exc) const {
    if (predicate) return ip.truthy(ip.call1(value, exc));
    Ref<TypeObj> t = ip.type_of(exc);
    if (value.is(Tag::Type)) return t->subclass_of(value.as<TypeObj>());
    for (const Object& c : value.as<ListObj>()->v)
      if (t->subclass_of(c.as<TypeObj>())) return true;
    return false;
  }
};

// get_matcher_type
GroupMatcher group_matcher(Interp& ip, const Object& v) {
  auto exc_type = [](const Object& o) { return o.is(Tag::Type) && o.as<TypeObj>()->is_exception; };
  if (exc_type(v)) return {v, false};
  if (v.is(Tag::Tuple)) {
    const auto& items = v.as<ListObj>()->v;
    if (std::all_of(items.begin(), items.end(), exc_type)) return {v, false};
  } else if (!v.is(Tag::Type) && (v.is(Tag::Func) || v.is(Tag::Builtin) || !ip.getattr_opt(v, "__call__").null())) {
    return {v, true};
  }
  ip.raise(ip.T.TypeError, "expected a function, exception type or tuple of exception types");
}

// exceptiongroup_subset: orig.derive(excs) with orig's traceback, cause, context and notes; None
// when excs is empty.
Object group_subset(Interp& ip, const Object& orig, std::vector<Object> excs) {
  if (excs.empty()) return Object::none();
  Object eg = ip.call1(ip.getattr(orig, "derive"), ip.list_obj(std::move(excs)));
  if (!eg.is(Tag::Exc) || !eg.as<ExcObj>()->cls->subclass_of(ip.T.BaseExceptionGroup.get()))
    ip.raise(ip.T.TypeError, "derive must return an instance of BaseExceptionGroup");
  ExcObj& from = *orig.as<ExcObj>();
  ExcObj& to = *eg.as<ExcObj>();
  to.traceback_refs.insert(to.traceback_refs.end(), from.traceback_refs.begin(), from.traceback_refs.end());
  to.context = from.context;
  to.cause = from.cause;
  to.suppress_context = true;  // PyException_SetCause sets it, whatever the cause
  Object notes = ip.getattr_opt(orig, "__notes__");
  if (notes.is(Tag::List) || notes.is(Tag::Tuple) || notes.is(Tag::Str)) ip.setattr(eg, "__notes__", ip.list_obj(ip.to_vector(notes)));
  return eg;
}

// exceptiongroup_split_recursive: `match` and `rest` are None when empty (rest is left Null when
// not constructed).
void group_split(Interp& ip, const Object& exc, const GroupMatcher& m, bool construct_rest, Object& match, Object& rest) {
  match = Object::none();
  if (construct_rest) rest = Object::none();
  if (m.matches(ip, exc)) {
    match = exc;  // the whole exception, group or not: the same object
    return;
  }
  ExcObj& e = *exc.as<ExcObj>();
  if (!e.cls->subclass_of(ip.T.BaseExceptionGroup.get())) {
    if (construct_rest) rest = exc;
    return;
  }
  std::vector<Object> matched, rested;
  const std::vector<Object> members = e.group;  // a predicate may change the group under us
  for (const Object& member : members) {
    Object mm, rr;
    group_split(ip, member, m, construct_rest, mm, rr);
    if (!mm.is_none()) matched.push_back(mm);
    if (construct_rest && !rr.is_none()) rested.push_back(rr);
  }
  match = group_subset(ip, exc, std::move(matched));
  if (construct_rest) rest = group_subset(ip, exc, std::move(rested));
}

}  // namespace

Object exc_group_method(Interp& ip, const Object& self, std::string_view name) {
  if (name == "split" || name == "subgroup")
    return ip.builtin(name == "split" ? "split" : "subgroup", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("BaseExceptionGroup.{}() takes no keyword arguments", b.name));
      if (a.pos.size() != 1) ip.raise(ip.T.TypeError, fmt::format("{} expected 1 argument, got {}", b.name, a.pos.size()));
      GroupMatcher m = group_matcher(ip, a.pos[0]);
      const bool split = b.name[0] == 's' && b.name[1] == 'p';
      Object match, rest;
      group_split(ip, b.self, m, split, match, rest);
      return split ? ip.tuple_obj({match, rest}) : match;
    }, self);
  if (name == "derive")
    return ip.builtin("derive", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      if (!a.kw.empty()) ip.raise(ip.T.TypeError, "BaseExceptionGroup.derive() takes no keyword arguments");
      if (a.pos.size() != 1) ip.raise(ip.T.TypeError, fmt::format("BaseExceptionGroup.derive() takes exactly one argument ({} given)", a.pos.size()));
      ExcObj& e = *b.self.as<ExcObj>();
      CallArgs args;
      args.pos = {e.args.empty() ? ip.str_obj("") : e.args[0], a.pos[0]};
      return ip.call(Object(Tag::Type, ip.T.BaseExceptionGroup), args);
    }, self);
  return {};
}

Object exc_add_note(Interp& ip, const Object& self) {
  return ip.builtin("add_note", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
    check_args(ip, "add_note", a, 1, 1);
    if (!a.pos[0].is(Tag::Str)) ip.raise(ip.T.TypeError, fmt::format("note must be a str, not '{}'", ip.type_of(a.pos[0])->tp_name()));
    Object notes = ip.getattr_opt(b.self, "__notes__");
    if (notes.null()) {
      notes = ip.list_obj();
      ip.setattr(b.self, "__notes__", notes);
    }
    if (!notes.is(Tag::List)) ip.raise(ip.T.TypeError, "Cannot add note: __notes__ is not a list");
    notes.as<ListObj>()->v.push_back(a.pos[0]);
    return Object::none();
  }, self);
}

template <class Base>
const char* PyException<Base>::module_name() const noexcept {
  const std::string& m = obj->cls->module;
  return m == "__main__" ? "" : m.c_str();
}
template <class Base>
std::string PyException<Base>::str() const {
  return current_interp()->exc_str(*obj);
}
template <class Base>
std::string PyException<Base>::repr() const {
  return current_interp()->exc_repr(*obj);
}

template class PyException<asyncio::BaseException>;
template class PyException<asyncio::Exception>;
template class PyException<asyncio::CancelledError>;
template class PyException<asyncio::RuntimeError>;
template class PyException<asyncio::ValueError>;
template class PyException<asyncio::TypeError>;
template class PyException<asyncio::OSError>;
template class PyException<asyncio::TimeoutError>;
template class PyException<asyncio::InvalidStateError>;
template class PyException<asyncio::QueueEmpty>;
template class PyException<asyncio::QueueFull>;
template class PyException<asyncio::BrokenBarrierError>;
template class PyException<asyncio::KeyboardInterrupt>;
template class PyException<asyncio::SystemExit>;
template class PyException<asyncio::GeneratorExit>;
template class PyException<asyncio::BaseExceptionGroup>;
template class PyException<asyncio::ExceptionGroup>;

}  // namespace aiospec::interp

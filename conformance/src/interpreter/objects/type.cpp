// type: the builtin types, type(), isinstance, and classes defined by a program.
#include <fmt/format.h>

#include "../interp.hpp"

namespace aiospec::interp {

using namespace scenario;

Ref<TypeObj> new_type(std::string name, Ref<TypeObj> base, std::string module) {
  auto t = asyncio::make_ref<TypeObj>();
  t->name = std::move(name);
  t->module = std::move(module);
  t->base = std::move(base);
  return t;
}

void Interp::setup_types() {
  auto& t = T;
  t.object = new_type("object", nullptr);
  auto simple = [&](Ref<TypeObj>& slot, const char* name, const char* module = "") { slot = new_type(name, t.object, module); };
  simple(t.none, "NoneType");
  simple(t.int_, "int");
  t.bool_ = new_type("bool", t.int_);
  simple(t.float_, "float");
  simple(t.str, "str");
  simple(t.list, "list");
  simple(t.tuple, "tuple");
  simple(t.dict, "dict");
  simple(t.set, "set");
  simple(t.frozenset, "frozenset");
  simple(t.range, "range");
  simple(t.slice, "slice");
  simple(t.function, "function");
  simple(t.builtin, "builtin_function_or_method");
  simple(t.type, "type");
  simple(t.coroutine, "coroutine");
  simple(t.iterator, "iterator");
  simple(t.cell, "cell");
  simple(t.ellipsis, "ellipsis");
  simple(t.future, "Future", "_asyncio");  // the C implementations, as type() shows them
  t.task = new_type("Task", t.future, "_asyncio");
  t.gathering = new_type("_GatheringFuture", t.future, "asyncio.tasks");
  simple(t.loop, "_UnixSelectorEventLoop", "asyncio.unix_events");
  simple(t.handle, "Handle", "asyncio.events");
  t.timer_handle = new_type("TimerHandle", t.handle, "asyncio.events");
  simple(t.module, "module");
  setup_exception_types();
}

Ref<TypeObj> Interp::type_of(const Object& o) {
  switch (o.tag()) {
    case Tag::Null:
    case Tag::None: return T.none;
    case Tag::Bool: return T.bool_;
    case Tag::Int: return T.int_;
    case Tag::Float: return T.float_;
    case Tag::Ellipsis: return T.ellipsis;
    case Tag::Str: return T.str;
    case Tag::List: return T.list;
    case Tag::Tuple: return T.tuple;
    case Tag::Dict: return T.dict;
    case Tag::Set: return o.as<SetObj>()->frozen ? T.frozenset : T.set;
    case Tag::Range: return T.range;
    case Tag::Slice: return T.slice;
    case Tag::Func: return T.function;
    case Tag::Builtin: return T.builtin;
    case Tag::Type: return T.type;
    case Tag::Exc: return o.as<ExcObj>()->cls;
    case Tag::Coro: return T.coroutine;
    case Tag::Cell: return T.cell;
    case Tag::Iter: {  // a native iterator (a generator expression, as_completed) has its own type
      const Object& src = o.as<IterObj>()->src;
      return src.is(Tag::Native) ? type_of(src) : T.iterator;
    }
    case Tag::Native: return native_type(o.as<NativeObj>()->type_name());
    case Tag::Future: {
      auto* f = o.as<asyncio::FutureBase>();
      if (f->is_task()) return T.task;
      if (dynamic_cast<asyncio::GatheringFuture*>(f)) return T.gathering;
      return T.future;
    }
    case Tag::Loop: return T.loop;
    case Tag::Handle: return o.as<asyncio::HandleState>()->timer ? T.timer_handle : T.handle;
  }
  return T.object;
}

Ref<TypeObj> Interp::native_type(std::string_view name, const Ref<TypeObj>& base, std::string module) {
  auto it = native_types_.find(name);
  if (it == native_types_.end())
    it = native_types_.emplace(std::string(name), new_type(std::string(name), base ? base : T.object, std::move(module))).first;
  return it->second;
}

bool Interp::isinstance(const Object& o, const TypeObj* t) { return type_of(o)->subclass_of(t); }

Object Interp::build_class(const ClassDef& c, Frame& f) {
  std::vector<Object> bases;
  for (Expr* b : c.bases) bases.push_back(eval(b, f));
  Ref<TypeObj> base = T.Exception;
  if (!bases.empty()) {
    if (!bases[0].is(Tag::Type) || !bases[0].as<TypeObj>()->is_exception)
      raise(T.TypeError, "only exception subclasses are supported (see spec/language.md)");
    base = Ref<TypeObj>(bases[0].as<TypeObj>());
  }
  auto t = asyncio::make_ref<TypeObj>();
  t->name = std::string(c.name->id);
  t->module = "__main__";
  t->base = base;
  t->is_exception = true;
  t->user = true;
  t->core = base->core;
  t->ns = asyncio::make_ref<DictObj>();
  Object cls(Tag::Type, t);
  std::vector<Ref<CellObj>> closure = capture(c.scope, f);
  Frame cf;
  cf.class_ns = t->ns.get();
  cf.closure = &closure;
  cf.qualname = child_qualname(*this, f, c.name->id);
  exec_body(c.body, cf);
  t->ns->each([&](const Object&, const Object& v) {
    if (v.is(Tag::Func)) v.as<FuncObj>()->cls = cls;
  });
  return cls;
}

}  // namespace aiospec::interp

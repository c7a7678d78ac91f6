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
  simple(t.bytes, "bytes");
  simple(t.bytearray, "bytearray");
  simple(t.memoryview, "memoryview");
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
  t.future->dotted_tp_name = t.task->dotted_tp_name = true;
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
    case Tag::Bytes: return T.bytes;
    case Tag::ByteArray: return T.bytearray;
    case Tag::MemoryView: return T.memoryview;
    case Tag::List: return T.list;
    case Tag::Tuple: return o.as<ListObj>()->cls ? o.as<ListObj>()->cls : T.tuple;
    case Tag::Dict: return o.as<DictObj>()->cls ? o.as<DictObj>()->cls : T.dict;
    case Tag::Set: return o.as<SetObj>()->frozen ? T.frozenset : T.set;
    case Tag::Range: return T.range;
    case Tag::Slice: return T.slice;
    case Tag::Func: return T.function;
    case Tag::Builtin: return T.builtin;
    case Tag::Type: return o.as<TypeObj>()->meta ? o.as<TypeObj>()->meta : T.type;
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
    case Tag::Instance: return o.as<InstanceObj>()->cls;
  }
  return T.object;
}

Ref<TypeObj> Interp::native_type(std::string_view name, const Ref<TypeObj>& base, std::string module) {
  auto it = native_types_.find(name);
  if (it == native_types_.end())
    it = native_types_.emplace(std::string(name), new_type(std::string(name), base ? base : T.object, std::move(module))).first;
  return it->second;
}

bool Interp::isinstance(const Object& o, const TypeObj* t) {
  if (t->subclass_check) return t->subclass_check(*this, *t, *type_of(o));
  return type_of(o)->subclass_of(t);
}

Object Interp::build_class(const ClassDef& c, Frame& f) {
  std::vector<Ref<TypeObj>> bases;
  for (Expr* b : c.bases) {
    Object v = eval(b, f);
    if (!v.is(Tag::Type)) raise(T.TypeError, fmt::format("bases must be types, not '{}'", type_of(v)->name));
    bases.emplace_back(v.as<TypeObj>());
  }
  // int, str and float may be the data type of an enum (`class Color(str, Enum)`, modules/enum.cpp).
  bool is_enum = false;
  for (auto& b : bases) is_enum = is_enum || b->meta;
  for (auto& b : bases) {
    bool data_type = is_enum && (b == T.int_ || b == T.str || b == T.float_);
    if (!b->user && !b->is_exception && b != T.object && !data_type)
      raise(T.TypeError, fmt::format("subclassing '{}' is not in the scenario language (see spec/language.md)", b->name));
  }
  if (bases.empty()) bases.push_back(T.object);
  auto t = asyncio::make_ref<TypeObj>();
  classes.push_back(t);
  t->name = std::string(c.name->id);
  t->qualname = child_qualname(*this, f, c.name->id);
  t->module = "__main__";
  t->user = true;
  t->base = bases[0];
  for (auto& b : bases)
    if (b->is_exception && !t->is_exception) {
      t->is_exception = true;
      t->core = b->core;
    }
  for (auto& b : bases)
    if (b->meta) t->meta = b->meta;
  t->mro = c3_mro(*this, t.get(), bases);
  t->bases = std::move(bases);
  t->ns = asyncio::make_ref<DictObj>();
  Object cls(Tag::Type, t);
  auto put = [&](const char* k, Object v) { t->ns->set(str_obj(k), str_hash(k), std::move(v)); };
  put("__module__", str_obj("__main__"));
  put("__qualname__", str_obj(t->qualname));
  std::vector<Ref<CellObj>> closure = capture(c.scope, f);
  Frame cf;
  cf.class_ns = t->ns.get();
  cf.closure = &closure;
  cf.qualname = t->qualname.c_str();
  cf.cls = cls;
  cf.code_name = c.name->id;
  try {
    exec_body(c.body, cf);
  } catch (const Abort&) {
    throw;
  } catch (...) {
    rethrow_keeping(std::current_exception(), {}, &cf);
  }
  if (!t->ns->find_str("__doc__")) {
    const Stmt* first = c.body.empty() ? nullptr : c.body[0];
    bool doc = first && first->kind == StmtKind::ExprStmt && first->as<ExprStmt>().value->kind == ExprKind::Str &&
               !first->as<ExprStmt>().value->as<Str>().bytes;
    put("__doc__", doc ? eval(first->as<ExprStmt>().value, cf) : Object::none());
  }
  // A class that defines __eq__ and not __hash__ has unhashable instances.
  if (t->ns->find_str("__eq__") && !t->ns->find_str("__hash__")) put("__hash__", Object::none());
  for (const char* hook : {"__del__", "__getattribute__", "__class_getitem__", "__set_name__"})
    if (t->ns->find_str(hook))
      raise(T.TypeError, fmt::format("{} is not in the scenario language (see spec/language.md)", hook));
  if (Object* sl = t->ns->find_str("__slots__")) {
    std::vector<Object> names = sl->is(Tag::Str) ? std::vector<Object>{*sl} : to_vector(*sl);
    t->has_dict = false;
    for (auto& n : names) {
      if (!n.is(Tag::Str)) raise(T.TypeError, fmt::format("__slots__ items must be strings, not '{}'", type_of(n)->name));
      t->slots.push_back(n.as<StrObj>()->s);
      t->has_dict = t->has_dict || t->slots.back() == "__dict__";
    }
    for (auto& b : t->bases) t->has_dict = t->has_dict || (b->user ? b->has_dict : b.get() != T.object.get());
  }
  // The nearest base's __init_subclass__, an implicit classmethod.
  for (std::size_t i = 1; i < t->mro.size(); ++i)
    if (Object* hook = t->mro[i]->ns ? t->mro[i]->ns->find_str("__init_subclass__") : nullptr) {
      const Object* fn = classmethod_func(*hook);
      call1(fn ? *fn : *hook, cls);
      break;
    }
  return cls;
}

}  // namespace aiospec::interp

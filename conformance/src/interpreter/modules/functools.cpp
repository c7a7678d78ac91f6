// The `functools` module (Lib/functools.py, Modules/_functoolsmodule.c): partial, reduce,
// update_wrapper/wraps, lru_cache/cache, cached_property, total_ordering, cmp_to_key.
#include <fmt/format.h>

#include "../interp.hpp"

namespace aiospec::interp {

namespace {

// Native objects with a dict of attributes that update_wrapper can set (__name__, __wrapped__...).
struct AttrsObj : NativeObj {
  Ref<DictObj> attrs = asyncio::make_ref<DictObj>();
  Object own_attr(Interp& ip, const Object& self, std::string_view name) {
    if (Object* v = attrs->find_str(name)) return *v;
    if (name == "__dict__") return Object(Tag::Dict, attrs);
    if (name == "__setattr__")
      return ip.builtin("__setattr__", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
        auto* o = static_cast<AttrsObj*>(b.self.as<NativeObj>());
        o->attrs->set(a.pos[0], ip.hash(a.pos[0]), a.pos[1]);
        return Object::none();
      }, self);
    return {};
  }
};

// ---- partial ----

struct PartialObj final : AttrsObj {
  Object func;
  std::vector<Object> args;
  Ref<DictObj> keywords = asyncio::make_ref<DictObj>();
  const char* type_name() const override { return "partial"; }
  std::string repr(Interp& ip) override {
    std::string out = "functools.partial(" + ip.repr(func);
    for (const Object& a : args) out += ", " + ip.repr(a);
    keywords->each([&](const Object& k, const Object& v) { out += ", " + ip.str(k) + "=" + ip.repr(v); });
    return out + ")";
  }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

Object partial_call(Interp& ip, BuiltinObj& b, CallArgs& a) {
  auto* p = static_cast<PartialObj*>(b.self.as<NativeObj>());
  CallArgs full;
  full.pos = p->args;
  full.pos.insert(full.pos.end(), a.pos.begin(), a.pos.end());
  // The call's keywords override the partial's (the keys stay alive in p->keywords and a).
  p->keywords->each([&](const Object& k, const Object& v) {
    std::string_view key = k.as<StrObj>()->s;
    for (auto& [n, _] : a.kw)
      if (n == key) return;
    full.kw.emplace_back(key, v);
  });
  full.kw.insert(full.kw.end(), a.kw.begin(), a.kw.end());
  return ip.call(p->func, full);
}

Object PartialObj::getattr(Interp& ip, const Object& self, std::string_view name) {
  if (name == "func") return func;
  if (name == "args") return ip.tuple_obj(args);
  if (name == "keywords") return Object(Tag::Dict, keywords);
  if (name == "__call__") return ip.builtin("__call__", partial_call, self);
  return own_attr(ip, self, name);
}

Object make_partial(Interp& ip, BuiltinObj&, CallArgs& a) {
  if (a.pos.empty()) ip.raise(ip.T.TypeError, "type 'partial' takes at least one argument");
  Object func = a.pos[0];
  if (!ip.truthy(ip.call1(ip.builtins["callable"], func))) ip.raise(ip.T.TypeError, "the first argument must be callable");
  auto p = asyncio::make_ref<PartialObj>();
  // partial(partial(f, 1), 2) is flattened to partial(f, 1, 2), as _functools does.
  if (func.is(Tag::Native) && std::string_view(func.as<NativeObj>()->type_name()) == "partial") {
    auto* inner = static_cast<PartialObj*>(func.as<NativeObj>());
    p->args = inner->args;
    inner->keywords->each([&](const Object& k, const Object& v) { p->keywords->set(k, ip.hash(k), v); });
    func = inner->func;
  }
  p->func = func;
  p->args.insert(p->args.end(), a.pos.begin() + 1, a.pos.end());
  for (auto& [k, v] : a.kw) {
    Object key = str_key(ip, k);
    p->keywords->set(key, ip.hash(key), v);
  }
  return Object(Tag::Native, p);
}

// ---- update_wrapper, wraps ----

constexpr const char* kAssigned[] = {"__module__", "__name__", "__qualname__", "__doc__", "__annotations__"};

Object update_wrapper(Interp& ip, const Object& wrapper, const Object& wrapped) {
  for (const char* attr : kAssigned) {
    Object v = ip.getattr_opt(wrapped, attr);
    if (!v.null()) ip.setattr(wrapper, attr, v);
  }
  Object from = ip.getattr_opt(wrapped, "__dict__");
  if (from.is(Tag::Dict)) {
    auto* to = ip.getattr(wrapper, "__dict__").as<DictObj>();
    from.as<DictObj>()->each([&](const Object& k, const Object& v) { to->set(k, ip.hash(k), v); });
  }
  ip.setattr(wrapper, "__wrapped__", wrapped);
  return wrapper;
}

Object b_update_wrapper(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object wrapper = arg_or(a, 0, "wrapper", {}), wrapped = arg_or(a, 1, "wrapped", {});
  if (wrapper.null() || wrapped.null()) ip.raise(ip.T.TypeError, "update_wrapper() missing required argument");
  return update_wrapper(ip, wrapper, wrapped);
}

Object b_wraps(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object wrapped = arg_or(a, 0, "wrapped", {});
  if (wrapped.null()) ip.raise(ip.T.TypeError, "wraps() missing 1 required positional argument: 'wrapped'");
  return ip.builtin("update_wrapper", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
    check_args(ip, "update_wrapper", a, 1, 1);
    return update_wrapper(ip, a.pos[0], b.data);
  }, {}, wrapped);
}

// ---- reduce ----

Object b_reduce(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "reduce", a, 2, 3);
  Object it = ip.iter(a.pos[1]);
  Object acc = a.pos.size() == 3 ? a.pos[2] : Object(), v;
  while (ip.next(*it.as<IterObj>(), v)) {
    if (acc.null()) {
      acc = v;
      continue;
    }
    CallArgs c;
    c.pos = {acc, v};
    acc = ip.call(a.pos[0], c);
  }
  if (acc.null()) ip.raise(ip.T.TypeError, "reduce() of empty iterable with no initial value");
  return acc;
}

// ---- lru_cache, cache ----

struct LruObj final : AttrsObj {
  Object func;
  std::int64_t maxsize = 128;  // -1: unbounded (maxsize=None)
  bool typed = false;
  std::int64_t hits = 0, misses = 0;
  Ref<DictObj> cache = asyncio::make_ref<DictObj>();  // oldest first
  const char* type_name() const override { return "_lru_cache_wrapper"; }
  std::string repr(Interp& ip) override { return ip.default_repr(Object(Tag::Native, const_cast<LruObj*>(this))); }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
  // A method: the wrapper bound to the instance.
  Object get(Interp& ip, const Object& self, const Ref<TypeObj>&) override {
    Object me(Tag::Native, this);
    if (self.null()) return me;
    return ip.builtin("__call__", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      a.pos.insert(a.pos.begin(), b.self);
      return ip.call(b.data, a);
    }, self, me);
  }
};

// functools._make_key: the arguments, then a marker and the keyword items, then the types if typed.
Object make_key(Interp& ip, LruObj& w, const Object& mark, CallArgs& a) {
  std::vector<Object> key = a.pos;
  if (!a.kw.empty()) {
    key.push_back(mark);
    for (auto& [k, v] : a.kw) {
      key.push_back(str_key(ip, k));
      key.push_back(v);
    }
  }
  if (w.typed) {
    for (const Object& v : a.pos) key.emplace_back(Tag::Type, ip.type_of(v));
    for (auto& [k, v] : a.kw) key.emplace_back(Tag::Type, ip.type_of(v));
  }
  return ip.tuple_obj(std::move(key));
}

Object lru_call(Interp& ip, BuiltinObj& b, CallArgs& a) {
  auto& w = *static_cast<LruObj*>(b.self.as<NativeObj>());
  if (w.maxsize == 0) {
    ++w.misses;
    return ip.call(w.func, a);
  }
  Object key = make_key(ip, w, b.self, a);
  std::uint64_t h = ip.hash(key);
  if (Object* v = w.cache->find(key, h)) {
    ++w.hits;
    Object r = *v;
    if (w.maxsize > 0) {  // the most recently used goes last
      w.cache->erase(key, h);
      w.cache->set(key, h, r);
    }
    return r;
  }
  ++w.misses;
  Object r = ip.call(w.func, a);
  if (w.cache->find(key, h)) return r;  // a recursive call cached it meanwhile
  if (w.maxsize > 0 && static_cast<std::int64_t>(w.cache->used) >= w.maxsize)
    for (const auto& e : w.cache->entries)
      if (!e.key.null()) {
        Object oldest = e.key;
        w.cache->erase(oldest, e.hash);
        break;
      }
  w.cache->set(key, h, r);
  return r;
}

Object LruObj::getattr(Interp& ip, const Object& self, std::string_view name) {
  if (name == "__call__") return ip.builtin("__call__", lru_call, self);
  if (name == "cache_info")
    return ip.builtin("cache_info", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, "cache_info", a, 0, 0);
      auto& w = *static_cast<LruObj*>(b.self.as<NativeObj>());
      Object info = ip.getattr(ip.import_module("functools"), "_CacheInfo");
      CallArgs c;
      c.pos = {Object::integer(w.hits), Object::integer(w.misses), w.maxsize < 0 ? Object::none() : Object::integer(w.maxsize),
               Object::integer(static_cast<std::int64_t>(w.cache->used))};
      return ip.call(info, c);
    }, self);
  if (name == "cache_clear")
    return ip.builtin("cache_clear", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, "cache_clear", a, 0, 0);
      auto& w = *static_cast<LruObj*>(b.self.as<NativeObj>());
      w.cache->clear();
      w.hits = w.misses = 0;
      return Object::none();
    }, self);
  if (name == "cache_parameters")
    return ip.builtin("cache_parameters", [](Interp& ip, BuiltinObj& b, CallArgs&) {
      auto& w = *static_cast<LruObj*>(b.self.as<NativeObj>());
      Object d = ip.dict_obj();
      ip.setitem(d, ip.str_obj("maxsize"), w.maxsize < 0 ? Object::none() : Object::integer(w.maxsize));
      ip.setitem(d, ip.str_obj("typed"), Object::boolean(w.typed));
      return d;
    }, self);
  return own_attr(ip, self, name);
}

Object make_lru(Interp& ip, const Object& func, std::int64_t maxsize, bool typed) {
  auto w = asyncio::make_ref<LruObj>();
  w->func = func;
  w->maxsize = maxsize;
  w->typed = typed;
  Object o(Tag::Native, w);
  return update_wrapper(ip, o, func);
}

Object b_lru_cache(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object maxsize = arg_or(a, 0, "maxsize", Object::integer(128));
  bool typed = ip.truthy(arg_or(a, 1, "typed", Object::boolean(false)));
  if (maxsize.is(Tag::Int) || maxsize.is(Tag::Bool)) {
    std::int64_t n = std::max<std::int64_t>(maxsize.i(), 0);
    return ip.builtin("decorating_function", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, "decorating_function", a, 1, 1);
      return make_lru(ip, a.pos[0], b.data.as<ListObj>()->v[0].i(), b.data.as<ListObj>()->v[1].i());
    }, {}, ip.tuple_obj({Object::integer(n), Object::boolean(typed)}));
  }
  if (maxsize.is_none())
    return ip.builtin("decorating_function", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, "decorating_function", a, 1, 1);
      return make_lru(ip, a.pos[0], -1, b.data.i());
    }, {}, Object::boolean(typed));
  if (ip.truthy(ip.call1(ip.builtins["callable"], maxsize))) return make_lru(ip, maxsize, 128, typed);  // @lru_cache
  ip.raise(ip.T.TypeError, "Expected first argument to be an integer, a callable, or None");
}

// ---- cached_property ----

struct CachedPropertyObj final : AttrsObj {
  Object func;
  const char* type_name() const override { return "cached_property"; }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override {
    if (name == "func") return func;
    return own_attr(ip, self, name);
  }
  // The value is computed once and kept in the instance's __dict__, which later lookups find first.
  Object get(Interp& ip, const Object& self, const Ref<TypeObj>&) override {
    if (self.null()) return Object(Tag::Native, this);
    std::string name = ip.str(ip.getattr(func, "__name__"));
    if (!self.is(Tag::Instance) || !self.as<InstanceObj>()->cls->has_dict)
      ip.raise(ip.T.TypeError, fmt::format("No '__dict__' attribute on '{}' instance to cache '{}' property.", ip.type_of(self)->name, name));
    Object v = ip.call1(func, self);
    auto& dict = self.as<InstanceObj>()->dict;
    if (!dict) dict = asyncio::make_ref<DictObj>();
    Object k = ip.str_obj(name);
    dict->set(k, ip.hash(k), v);
    return v;
  }
};

// ---- total_ordering ----

// The methods total_ordering adds (functools._gt_from_lt...): each calls the root comparison and
// combines its result with == or != in one of these ways.
enum class Derive { NotAndNe, OrEq, Not, NotOrEq, AndNe };

struct DerivedCompareObj final : NativeObj {
  DerivedCompareObj(std::string n, std::string r, Derive d) : name(std::move(n)), root(std::move(r)), how(d) {}
  std::string name, root;
  Derive how;
  const char* type_name() const override { return "function"; }
  std::string repr(Interp&) override { return fmt::format("<function {} at {:#x}>", name, reinterpret_cast<std::uintptr_t>(this)); }
  Object getattr(Interp& ip, const Object& self, std::string_view n) override {
    if (n == "__name__") return ip.str_obj(name);
    if (n == "__call__") return ip.builtin("__call__", call, self);
    return {};
  }
  Object get(Interp& ip, const Object& self, const Ref<TypeObj>&) override {
    Object me(Tag::Native, this);
    if (self.null()) return me;
    return ip.builtin(ip.intern(name), [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      a.pos.insert(a.pos.begin(), b.self);
      return ip.call(b.data, a);
    }, self, me);
  }
  static Object call(Interp& ip, BuiltinObj& b, CallArgs& a) {
    auto& d = *static_cast<DerivedCompareObj*>(b.self.as<NativeObj>());
    check_args(ip, d.name.c_str(), a, 2, 2);
    const Object &self = a.pos[0], &other = a.pos[1];
    Ref<TypeObj> cls = ip.type_of(self);
    Object* m = ip.type_lookup(cls.get(), d.root);
    if (!m) ip.raise(ip.T.AttributeError, fmt::format("type object '{}' has no attribute '{}'", cls->name, d.root));
    CallArgs c;
    c.pos = {self, other};
    Object r = ip.call(*m, c);
    if (r.same(ip.not_implemented)) return r;
    bool t = ip.truthy(r);
    auto eq = [&] { return Object::boolean(ip.compare(scenario::CmpOpKind::Eq, self, other)); };
    auto ne = [&] { return Object::boolean(ip.compare(scenario::CmpOpKind::NotEq, self, other)); };
    switch (d.how) {
      case Derive::NotAndNe: return t ? Object::boolean(false) : ne();
      case Derive::OrEq: return t ? r : eq();
      case Derive::Not: return Object::boolean(!t);
      case Derive::NotOrEq: return t ? eq() : Object::boolean(true);
      case Derive::AndNe: return t ? ne() : r;
    }
    return r;
  }
};

Object b_total_ordering(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "total_ordering", a, 1, 1);
  Object cls = a.pos[0];
  if (!cls.is(Tag::Type) || !cls.as<TypeObj>()->user) ip.raise(ip.T.TypeError, "total_ordering() needs a class of the program");
  auto* t = cls.as<TypeObj>();
  struct Rule {
    const char* root;
    const char* derived[3];
    Derive how[3];
  };
  // functools._convert; the root is the greatest name defined (max(roots)).
  static constexpr Rule rules[] = {
      {"__lt__", {"__gt__", "__le__", "__ge__"}, {Derive::NotAndNe, Derive::OrEq, Derive::Not}},
      {"__le__", {"__ge__", "__lt__", "__gt__"}, {Derive::NotOrEq, Derive::AndNe, Derive::Not}},
      {"__gt__", {"__lt__", "__ge__", "__le__"}, {Derive::NotAndNe, Derive::OrEq, Derive::Not}},
      {"__ge__", {"__le__", "__gt__", "__lt__"}, {Derive::NotOrEq, Derive::AndNe, Derive::Not}},
  };
  auto defined = [&](const char* op) { return ip.type_lookup(t, op) != nullptr; };
  for (const Rule& r : rules) {
    if (!defined(r.root)) continue;
    for (int i = 0; i < 3; ++i)
      if (!defined(r.derived[i])) ip.setattr(cls, r.derived[i], make<DerivedCompareObj>(Tag::Native, r.derived[i], r.root, r.how[i]));
    return cls;
  }
  ip.raise(ip.T.ValueError, "must define at least one ordering operation: < > <= >=");
}

// ---- cmp_to_key ----

struct KeyObj final : NativeObj {
  Object cmp, obj;
  const char* type_name() const override { return "functools.KeyWrapper"; }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override {
    if (name == "obj") return obj;
    static constexpr std::pair<const char*, scenario::CmpOpKind> ops[] = {
        {"__lt__", scenario::CmpOpKind::Lt}, {"__le__", scenario::CmpOpKind::LtE}, {"__gt__", scenario::CmpOpKind::Gt},
        {"__ge__", scenario::CmpOpKind::GtE}, {"__eq__", scenario::CmpOpKind::Eq}, {"__ne__", scenario::CmpOpKind::NotEq}};
    for (auto& [n, op] : ops)
      if (name == n)
        return ip.builtin(n, [](Interp& ip, BuiltinObj& b, CallArgs& a) {
          check_args(ip, "comparison", a, 1, 1);
          auto& k = *static_cast<KeyObj*>(b.self.as<NativeObj>());
          if (!a.pos[0].is(Tag::Native) || a.pos[0].as<NativeObj>()->type_name() != k.type_name())
            ip.raise(ip.T.TypeError, "other argument must be K instance");
          CallArgs c;
          c.pos = {k.obj, static_cast<KeyObj*>(a.pos[0].as<NativeObj>())->obj};
          return Object::boolean(ip.compare(static_cast<scenario::CmpOpKind>(b.data.i()), ip.call(k.cmp, c), Object::integer(0)));
        }, self, Object::integer(static_cast<std::int64_t>(op)));
    return {};
  }
};

}  // namespace

Object module_functools(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("functools");
  auto& A = m->attrs;
  m->add_class(ip, "partial", make_partial);
  m->add_class(ip, "cached_property", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "cached_property", a, 1, 1);
    auto p = asyncio::make_ref<CachedPropertyObj>();
    p->func = a.pos[0];
    Object o(Tag::Native, p);
    update_wrapper(ip, o, a.pos[0]);
    return o;
  });
  A["reduce"] = ip.builtin("reduce", b_reduce);
  A["update_wrapper"] = ip.builtin("update_wrapper", b_update_wrapper);
  A["wraps"] = ip.builtin("wraps", b_wraps);
  A["lru_cache"] = ip.builtin("lru_cache", b_lru_cache);
  A["cache"] = ip.builtin("cache", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "cache", a, 1, 1);
    return make_lru(ip, a.pos[0], -1, false);
  });
  A["total_ordering"] = ip.builtin("total_ordering", b_total_ordering);
  A["cmp_to_key"] = ip.builtin("cmp_to_key", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "cmp_to_key", a, 1, 1);
    return ip.builtin("K", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, "K", a, 1, 1);
      auto k = asyncio::make_ref<KeyObj>();
      k->cmp = b.data;
      k->obj = a.pos[0];
      return Object(Tag::Native, k);
    }, {}, a.pos[0]);
  });
  std::vector<Object> assigned;
  for (const char* n : kAssigned) assigned.push_back(ip.str_obj(n));
  A["WRAPPER_ASSIGNMENTS"] = ip.tuple_obj(std::move(assigned));
  A["WRAPPER_UPDATES"] = ip.tuple_obj({ip.str_obj("__dict__")});
  A["_CacheInfo"] = make_namedtuple(ip, "CacheInfo", {"hits", "misses", "maxsize", "currsize"}, "functools");
  A["__all__"] = ip.list_obj();
  for (const char* n : {"update_wrapper", "wraps", "WRAPPER_ASSIGNMENTS", "WRAPPER_UPDATES", "total_ordering", "cache",
                        "cmp_to_key", "lru_cache", "reduce", "partial", "cached_property"})
    A["__all__"].as<ListObj>()->v.push_back(ip.str_obj(n));
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp

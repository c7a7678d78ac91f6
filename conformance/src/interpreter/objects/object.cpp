// object: instances of the program's classes — attribute lookup along the MRO, descriptors, the
// default repr — and the C3 linearisation.
#include <fmt/format.h>

#include "../interp.hpp"

namespace aiospec::interp {

Object* Interp::type_lookup(const TypeObj* t, std::string_view name) {
  if (!t->mro.empty()) {
    for (const TypeObj* c : t->mro)
      if (c->ns)
        if (Object* v = c->ns->find_str(name)) return v;
    return nullptr;
  }
  for (const TypeObj* c = t; c; c = c->base.get())
    if (c->ns)
      if (Object* v = c->ns->find_str(name)) return v;
  return nullptr;
}

namespace {
Object bound_method_call(Interp& ip, BuiltinObj& b, CallArgs& a) {
  a.pos.insert(a.pos.begin(), b.self);
  return ip.call(b.data, a);
}
}  // namespace

Object Interp::bind(const Object& attr, const Object& self, const Ref<TypeObj>& cls) {
  if (attr.is(Tag::Func)) {
    if (self.null()) return attr;
    return builtin(attr.as<FuncObj>()->name.c_str(), bound_method_call, self, attr);
  }
  if (attr.is(Tag::Native)) {
    if (const Object* f = classmethod_func(attr)) {
      Object c(Tag::Type, cls);
      return builtin(f->is(Tag::Func) ? f->as<FuncObj>()->name.c_str() : "classmethod", bound_method_call, c, *f);
    }
    if (const Object* f = staticmethod_func(attr)) return *f;
    if (PropertyObj* p = as_property(attr)) return self.null() ? attr : property_get(*this, *p, self);
    if (Object v = attr.as<NativeObj>()->get(*this, self, cls); !v.null()) return v;
  }
  return attr;
}

Object Interp::generic_getattr(const Object& self, const Ref<TypeObj>& cls, DictObj* dict, std::string_view name) {
  Object* cv = type_lookup(cls.get(), name);
  if (cv)
    if (PropertyObj* p = as_property(*cv)) return property_get(*this, *p, self);
  if (dict)
    if (Object* v = dict->find_str(name)) return *v;
  if (cv) return bind(*cv, self, cls);
  if (name == "__dict__" && dict) return Object(Tag::Dict, dict);
  if (Object* ga = type_lookup(cls.get(), "__getattr__")) {
    Object fn = bind(*ga, self, cls);
    Object n = str_obj(std::string(name));
    return call1(fn, n);
  }
  return {};
}

void Interp::generic_setattr(const Object& self, const Ref<TypeObj>& cls, Ref<DictObj>& dict, std::string_view name, Object v) {
  if (Object* cv = type_lookup(cls.get(), name))
    if (PropertyObj* p = as_property(*cv)) return property_set(*this, *p, self, name, cls, std::move(v));
  if (dict && !v.null())
    if (Object* slot = dict->find_str(name)) {
      *slot = std::move(v);
      return;
    }
  if (!cls->has_dict) {
    bool slot = false;
    for (const TypeObj* c : cls->mro)
      for (const std::string& s : c->slots) slot = slot || s == name;
    if (!slot)
      raise(T.AttributeError, fmt::format("'{}' object has no attribute '{}'", cls->tp_name(), name));
  }
  if (v.null()) {
    Object k = str_obj(std::string(name));
    if (!dict || !dict->erase(k, hash(k)))
      raise(T.AttributeError, fmt::format("'{}' object has no attribute '{}'", cls->tp_name(), name));
    return;
  }
  if (!dict) dict = asyncio::make_ref<DictObj>();
  Object k = str_obj(std::string(name));
  dict->set(k, hash(k), std::move(v));
}

Object Interp::special(const Object& o, std::string_view name) {
  Ref<TypeObj> cls = type_of(o);
  if (!cls->user) return {};
  Object* m = type_lookup(cls.get(), name);
  if (!m || m->is_none()) return m ? *m : Object();
  return bind(*m, o, cls);
}

std::string Interp::default_repr(const Object& o) {
  Ref<TypeObj> t = type_of(o);
  std::string q = t->qualname.empty() ? t->name : t->qualname;
  std::string m = t->module.empty() ? "" : t->module + ".";
  return fmt::format("<{}{} object at {:#x}>", m, q, o.bits());
}

Object Interp::new_instance(const Ref<TypeObj>& cls, CallArgs& args) {
  Object type(Tag::Type, cls);
  Object inst;
  Object* nw = type_lookup(cls.get(), "__new__");
  if (nw) {
    // __new__ is a static method taking the class first.
    CallArgs a = args;
    a.pos.insert(a.pos.begin(), type);
    const Object* f = staticmethod_func(*nw);
    inst = call(f ? *f : *nw, a);
    if (!isinstance(inst, cls.get())) return inst;
  } else {
    inst = Object(Tag::Instance, asyncio::make_ref<InstanceObj>(cls));
  }
  if (Object* init = type_lookup(cls.get(), "__init__")) {
    Object r;
    if (init->is(Tag::Func)) {
      args.pos.insert(args.pos.begin(), inst);
      r = call(*init, args);
    } else {
      r = call(bind(*init, inst, cls), args);
    }
    if (!r.is_none()) raise(T.TypeError, fmt::format("__init__() should return None, not '{}'", type_of(r)->name));
  } else if (!nw && (!args.pos.empty() || !args.kw.empty())) {
    raise(T.TypeError, fmt::format("{}() takes no arguments", cls->name));
  }
  return inst;
}

namespace {

struct NotImplementedObj final : NativeObj {
  const char* type_name() const override { return "NotImplementedType"; }
  std::string repr(Interp&) override { return "NotImplemented"; }
  Object getattr(Interp&, const Object&, std::string_view) override { return {}; }
};

Object self_arg(Interp& ip, CallArgs& a, const char* name) {
  if (a.pos.empty()) ip.raise(ip.T.TypeError, fmt::format("descriptor '{}' of 'object' object needs an argument", name));
  return a.pos[0];
}

Object object_init(Interp& ip, BuiltinObj&, CallArgs& a) {
  self_arg(ip, a, "__init__");
  if (a.pos.size() > 1 || !a.kw.empty())
    ip.raise(ip.T.TypeError, "object.__init__() takes exactly one argument (the instance to initialize)");
  return Object::none();
}

Object object_new(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object cls = self_arg(ip, a, "__new__");
  if (!cls.is(Tag::Type)) ip.raise(ip.T.TypeError, fmt::format("object.__new__(X): X is not a type object ({})", ip.type_of(cls)->name));
  auto* t = cls.as<TypeObj>();
  if (!t->user || t->is_exception) ip.raise(ip.T.TypeError, fmt::format("object.__new__({}) is not safe, use {}.__new__()", t->name, t->name));
  return Object(Tag::Instance, asyncio::make_ref<InstanceObj>(Ref<TypeObj>(t)));
}

Object object_setattr(Interp& ip, BuiltinObj& b, CallArgs& a) {
  Object self = self_arg(ip, a, b.name);
  bool del = std::string_view(b.name) == "__delattr__";
  check_args(ip, b.name, a, del ? 2 : 3, del ? 2 : 3);
  if (!a.pos[1].is(Tag::Str))
    ip.raise(ip.T.TypeError, fmt::format("attribute name must be string, not '{}'", ip.type_of(a.pos[1])->name));
  std::string_view name = a.pos[1].as<StrObj>()->s;
  if (!self.is(Tag::Instance)) {
    ip.setattr(self, name, del ? Object() : a.pos[2]);
    return Object::none();
  }
  auto* in = self.as<InstanceObj>();
  ip.generic_setattr(self, in->cls, in->dict, name, del ? Object() : a.pos[2]);
  return Object::none();
}

Object object_getattribute(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object self = self_arg(ip, a, "__getattribute__");
  check_args(ip, "__getattribute__", a, 2, 2);
  return ip.getattr(self, ip.str(a.pos[1]));
}

Object object_repr(Interp& ip, BuiltinObj&, CallArgs& a) { return ip.str_obj(ip.default_repr(self_arg(ip, a, "__repr__"))); }

Object object_str(Interp& ip, BuiltinObj&, CallArgs& a) { return ip.str_obj(ip.repr(self_arg(ip, a, "__str__"))); }

Object object_eq(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "__eq__", a, 2, 2);
  return a.pos[0].same(a.pos[1]) ? Object::boolean(true) : ip.not_implemented;
}

Object object_hash(Interp& ip, BuiltinObj&, CallArgs& a) {
  std::uint64_t y = self_arg(ip, a, "__hash__").bits();
  return Object::integer(static_cast<std::int64_t>(((y >> 4) | (y << 60)) >> 1));
}

Object object_init_subclass(Interp&, BuiltinObj&, CallArgs&) { return Object::none(); }

}  // namespace

Object object_method(Interp& ip, std::string_view name) {
  static const std::pair<const char*, BuiltinObj::Fn> table[] = {
      {"__init__", object_init},       {"__new__", object_new},     {"__setattr__", object_setattr},
      {"__delattr__", object_setattr}, {"__getattribute__", object_getattribute},
      {"__repr__", object_repr},       {"__str__", object_str},     {"__eq__", object_eq},
      {"__hash__", object_hash},       {"__init_subclass__", object_init_subclass},
  };
  for (auto& [n, fn] : table)
    if (name == n) return ip.builtin(n, fn);
  return {};
}

void install_object(Interp& ip) {
  ip.not_implemented = make<NotImplementedObj>(Tag::Native);
  ip.builtins["NotImplemented"] = ip.not_implemented;
}

std::vector<TypeObj*> c3_mro(Interp& ip, TypeObj* cls, const std::vector<Ref<TypeObj>>& bases) {
  // Builtin classes have single inheritance (ExceptionGroup's second base aside): their chain.
  auto linear = [](TypeObj* t) {
    if (!t->mro.empty()) return t->mro;
    std::vector<TypeObj*> out;
    for (TypeObj* c = t; c; c = c->base.get()) out.push_back(c);
    return out;
  };
  std::vector<std::vector<TypeObj*>> seqs;
  for (auto& b : bases) seqs.push_back(linear(b.get()));
  std::vector<TypeObj*> direct;
  for (auto& b : bases) direct.push_back(b.get());
  seqs.push_back(direct);
  std::vector<TypeObj*> out{cls};
  for (;;) {
    bool any = false;
    for (auto& s : seqs) any = any || !s.empty();
    if (!any) return out;
    TypeObj* pick = nullptr;
    for (auto& s : seqs) {
      if (s.empty()) continue;
      TypeObj* cand = s.front();
      bool in_tail = false;
      for (auto& o : seqs)
        for (std::size_t i = 1; i < o.size() && !in_tail; ++i) in_tail = o[i] == cand;
      if (!in_tail) {
        pick = cand;
        break;
      }
    }
    if (!pick) {
      std::string names;
      for (auto& b : bases) names += (names.empty() ? "" : ", ") + b->name;
      ip.raise(ip.T.TypeError, "Cannot create a consistent method resolution\norder (MRO) for bases " + names);
    }
    out.push_back(pick);
    for (auto& s : seqs)
      if (!s.empty() && s.front() == pick) s.erase(s.begin());
  }
}

}  // namespace aiospec::interp

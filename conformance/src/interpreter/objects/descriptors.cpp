// property, classmethod and staticmethod: the descriptors a class body makes with decorators.
#include <fmt/format.h>

#include "../interp.hpp"

namespace aiospec::interp {

struct PropertyObj final : NativeObj {
  Object fget, fset, fdel, doc;
  const char* type_name() const override { return "property"; }
  std::string repr(Interp& ip) override { return ip.default_repr(Object(Tag::Native, this)); }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

namespace {

// classmethod and staticmethod objects: the wrapped function and which binding it gets.
struct WrapperObj final : NativeObj {
  WrapperObj(Object f, bool c) : func(std::move(f)), is_classmethod(c) {}
  Object func;
  bool is_classmethod;
  const char* type_name() const override { return is_classmethod ? "classmethod" : "staticmethod"; }
  std::string repr(Interp& ip) override { return fmt::format("<{}({})>", type_name(), ip.repr(func)); }
  Object getattr(Interp& ip, const Object&, std::string_view name) override {
    if (name == "__func__" || name == "__wrapped__") return func;
    if (name == "__name__" || name == "__qualname__" || name == "__doc__") return ip.getattr_opt(func, name);
    return {};
  }
};

WrapperObj* as_wrapper(const Object& o) {
  if (!o.is(Tag::Native)) return nullptr;
  return dynamic_cast<WrapperObj*>(o.as<NativeObj>());
}

Object make_wrapper(Interp& ip, CallArgs& a, const char* name, bool is_classmethod) {
  check_args(ip, name, a, 1, 1);
  return make<WrapperObj>(Tag::Native, a.pos[0], is_classmethod);
}

// property.setter / getter / deleter: a copy with one accessor replaced.
Object property_with(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, b.name, a, 1, 1);
  auto* old = static_cast<PropertyObj*>(b.self.as<NativeObj>());
  auto p = asyncio::make_ref<PropertyObj>();
  p->fget = old->fget;
  p->fset = old->fset;
  p->fdel = old->fdel;
  p->doc = old->doc;
  std::string_view which = b.name;
  (which == "getter" ? p->fget : which == "setter" ? p->fset : p->fdel) = a.pos[0];
  return Object(Tag::Native, p);
}

}  // namespace

Object PropertyObj::getattr(Interp& ip, const Object& self, std::string_view name) {
  if (name == "fget") return fget.null() ? Object::none() : fget;
  if (name == "fset") return fset.null() ? Object::none() : fset;
  if (name == "fdel") return fdel.null() ? Object::none() : fdel;
  if (name == "__doc__") return doc.null() ? Object::none() : doc;
  if (name == "getter") return ip.builtin("getter", property_with, self);
  if (name == "setter") return ip.builtin("setter", property_with, self);
  if (name == "deleter") return ip.builtin("deleter", property_with, self);
  return {};
}

const Object* classmethod_func(const Object& o) {
  WrapperObj* w = as_wrapper(o);
  return w && w->is_classmethod ? &w->func : nullptr;
}

const Object* staticmethod_func(const Object& o) {
  WrapperObj* w = as_wrapper(o);
  return w && !w->is_classmethod ? &w->func : nullptr;
}

PropertyObj* as_property(const Object& o) {
  if (!o.is(Tag::Native)) return nullptr;
  return dynamic_cast<PropertyObj*>(o.as<NativeObj>());
}

namespace {
// The property's name as CPython 3.11 reports it: the getter's __name__.
std::string property_name(Interp& ip, PropertyObj& p, std::string_view attr) {
  if (p.fget.null()) return std::string(attr);
  Object n = ip.getattr_opt(p.fget, "__name__");
  return n.is(Tag::Str) ? n.as<StrObj>()->s : std::string(attr);
}
}  // namespace

Object property_get(Interp& ip, PropertyObj& p, const Object& self) {
  if (p.fget.null()) ip.raise(ip.T.AttributeError, "unreadable attribute");
  return ip.call1(p.fget, self);
}

void property_set(Interp& ip, PropertyObj& p, const Object& self, std::string_view name, const Ref<TypeObj>& cls, Object v) {
  const Object& fn = v.null() ? p.fdel : p.fset;
  if (fn.null())
    ip.raise(ip.T.AttributeError, fmt::format("property '{}' of '{}' object has no {}", property_name(ip, p, name), cls->name,
                                              v.null() ? "deleter" : "setter"));
  CallArgs a;
  a.pos.push_back(self);
  if (!v.null()) a.pos.push_back(std::move(v));
  ip.call(fn, a);
}

void install_descriptors(Interp& ip) {
  ip.builtins["property"] = ip.builtin("property", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    auto p = asyncio::make_ref<PropertyObj>();
    p->fget = arg_or(a, 0, "fget", Object());
    p->fset = arg_or(a, 1, "fset", Object());
    p->fdel = arg_or(a, 2, "fdel", Object());
    p->doc = arg_or(a, 3, "doc", Object());
    for (Object* f : {&p->fget, &p->fset, &p->fdel})
      if (f->is_none()) *f = Object();
    if (p->doc.null() && !p->fget.null()) p->doc = ip.getattr_opt(p->fget, "__doc__");
    return Object(Tag::Native, p);
  });
  ip.builtins["classmethod"] = ip.builtin("classmethod", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    return make_wrapper(ip, a, "classmethod", true);
  });
  ip.builtins["staticmethod"] = ip.builtin("staticmethod", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    return make_wrapper(ip, a, "staticmethod", false);
  });
}

}  // namespace aiospec::interp

// Functions written in C++ that live in a program's classes (see native_function in method.hpp).
#include <fmt/format.h>

#include "../interp.hpp"
#include "method.hpp"

namespace aiospec::interp {

namespace {

struct NativeFunctionObj final : NativeObj {
  NativeFunctionObj(std::string q, Fn f, Object d, bool p) : qualname(std::move(q)), fn(f), data(std::move(d)), property(p) {}
  std::string qualname;
  Fn fn;
  Object data;
  bool property;
  std::string name() const { return qualname.substr(qualname.rfind('.') + 1); }
  const char* type_name() const override { return property ? "property" : "function"; }
  std::string repr(Interp&) override {
    return property ? fmt::format("<property object at {:#x}>", reinterpret_cast<std::uintptr_t>(this))
                    : fmt::format("<function {} at {:#x}>", qualname, reinterpret_cast<std::uintptr_t>(this));
  }
  Object bound(Interp& ip, const Object& self) { return ip.builtin(ip.intern(name()), fn, self, data); }
  Object getattr(Interp& ip, const Object& self, std::string_view n) override {
    if (n == "__name__") return ip.str_obj(name());
    if (n == "__qualname__") return ip.str_obj(qualname);
    if (n == "__call__" && !property)
      return ip.builtin("__call__", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
        auto& f = *static_cast<NativeFunctionObj*>(b.self.as<NativeObj>());
        if (a.pos.empty()) ip.raise(ip.T.TypeError, fmt::format("{}() missing 1 required positional argument: 'self'", f.qualname));
        Object self = a.pos[0];
        a.pos.erase(a.pos.begin());
        return ip.call(f.bound(ip, self), a);
      }, self);
    return {};
  }
  Object get(Interp& ip, const Object& self, const Ref<TypeObj>&) override {
    if (self.null()) return Object(Tag::Native, this);
    if (!property) return bound(ip, self);
    CallArgs none;
    return ip.call(bound(ip, self), none);
  }
};

}  // namespace

Object native_function(Interp&, std::string qualname, Fn fn, Object data, bool property) {
  return make<NativeFunctionObj>(Tag::Native, std::move(qualname), fn, std::move(data), property);
}

}  // namespace aiospec::interp

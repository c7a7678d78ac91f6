// super: zero-argument super() inside a method.
#include <fmt/format.h>

#include "../interp.hpp"

namespace aiospec::interp {

namespace {

Object bound_call(Interp& ip, BuiltinObj& b, CallArgs& a) {
  a.pos.insert(a.pos.begin(), b.self);
  return ip.call(b.data, a);
}

// super(cls, self): attributes of the classes after `cls` in the MRO of self's class (or of self,
// when it is a class: super() in a classmethod).
struct SuperObj final : NativeObj {
  SuperObj(Object c, Object s) : cls(std::move(c)), self(std::move(s)) {}
  Object cls, self;
  const char* type_name() const override { return "super"; }
  std::string repr(Interp& ip) override {
    return fmt::format("<super: <class '{}'>, <{} object>>", cls.as<TypeObj>()->name, ip.type_of(self)->name);
  }
  Object getattr(Interp& ip, const Object&, std::string_view name) override {
    auto* start = cls.as<TypeObj>();
    bool of_class = self.is(Tag::Type);
    Ref<TypeObj> objtype = of_class ? Ref<TypeObj>(self.as<TypeObj>()) : ip.type_of(self);
    const std::vector<TypeObj*>& mro = objtype->mro;
    std::size_t i = 0;
    while (i < mro.size() && mro[i] != start) ++i;
    for (++i; i < mro.size(); ++i)
      if (mro[i]->ns)
        if (Object* v = mro[i]->ns->find_str(name)) return ip.bind(*v, of_class ? Object() : self, objtype);
    if (self.is(Tag::Exc)) {
      if (Object v = exception_method(ip, name); !v.null()) return v;
    }
    Object m = object_method(ip, name);
    if (m.null() || (of_class && name != "__new__" && name != "__init_subclass__")) return m;
    if (name == "__new__") return m;  // a static method: the class is passed explicitly
    return ip.builtin(m.as<BuiltinObj>()->name, bound_call, self, m);
  }

  Object exception_method(Interp& ip, std::string_view name) {
    if (name == "__init__")
      return ip.builtin("__init__", [](Interp&, BuiltinObj& b, CallArgs& a) {
        auto* e = b.self.as<ExcObj>();
        e->args = a.pos;
        if (e->cls->subclass_of(current_interp()->T.BaseExceptionGroup.get()) && a.pos.size() == 2)
          e->group = current_interp()->to_vector(a.pos[1]);
        return Object::none();
      }, self);
    if (name == "__str__")
      return ip.builtin("__str__", [](Interp& ip, BuiltinObj& b, CallArgs&) {
        auto* e = b.self.as<ExcObj>();
        if (e->args.empty()) return ip.str_obj("");
        return ip.str_obj(e->args.size() == 1 ? ip.str(e->args[0]) : ip.repr(ip.tuple_obj(e->args)));
      }, self);
    if (name == "__repr__")
      return ip.builtin("__repr__", [](Interp& ip, BuiltinObj& b, CallArgs&) { return ip.str_obj(ip.exc_repr(*b.self.as<ExcObj>())); }, self);
    return {};
  }
};

}  // namespace

Object make_super(Object cls, Object self) { return make<SuperObj>(Tag::Native, std::move(cls), std::move(self)); }

}  // namespace aiospec::interp

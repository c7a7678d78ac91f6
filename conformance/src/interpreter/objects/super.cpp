// super: zero-argument super() inside a method.
#include <fmt/format.h>

#include "../interp.hpp"

namespace aiospec::interp {

namespace {

// The SuperObj of `super()` inside a method of an exception subclass.
struct SuperObj final : NativeObj {
  SuperObj(Object c, Object s) : cls(std::move(c)), self(std::move(s)) {}
  Object cls, self;
  const char* type_name() const override { return "super"; }
  Object getattr(Interp& ip, const Object& me, std::string_view name) override {
    auto* t = cls.as<TypeObj>();
    for (TypeObj* c = t->base.get(); c; c = c->base.get())
      if (c->ns) {
        Object k = str_key(ip, name);
        if (Object* v = c->ns->find(k, ip.hash(k))) {
          if (!v->is(Tag::Func)) return *v;
          return ip.builtin(v->as<FuncObj>()->name.c_str(), [](Interp& ip, BuiltinObj& b, CallArgs& a) {
            a.pos.insert(a.pos.begin(), b.self);
            return ip.call(b.data, a);
          }, self, *v);
        }
      }
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
    (void)me;
    return {};
  }
};

}  // namespace

Object make_super(Object cls, Object self) { return make<SuperObj>(Tag::Native, std::move(cls), std::move(self)); }

}  // namespace aiospec::interp

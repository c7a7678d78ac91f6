// Methods of builtin types: `METHOD(name) body END_METHOD` inside a `*_method(ip, self, name)`
// lookup returns the method bound to `self` when `name` matches.
#pragma once

#include <initializer_list>
#include <string_view>

#define METHOD(NAME) \
  if (name == #NAME) return ip.builtin(#NAME, [](Interp & ip, BuiltinObj & b, CallArgs & a) -> Object { \
    (void)ip;                                                                                         \
    (void)a;
#define END_METHOD }, self);

// Methods of native objects: `BOUND_METHOD("name", DECL, body...)` inside a getattr(ip, self, name)
// returns the method bound to `self` when `name` matches; DECL declares what the body works on,
// from `b.self` (`DequeObj& q = DQ(b)`).
#define BOUND_METHOD(NAME, DECL, ...)                                                              \
  if (name == NAME) return ip.builtin(NAME, [](Interp & ip, BuiltinObj & b, CallArgs & a) -> Object { \
    DECL;                                                                                        \
    (void)a;                                                                                     \
    __VA_ARGS__                                                                                  \
  }, self);

namespace aiospec::interp {
using Fn = BuiltinObj::Fn;

// The one of `names` that `name` spells (a static string, as BuiltinObj::name needs), or null: for a
// family of methods sharing one implementation, which tells them apart by b.name.
inline const char* one_of(std::string_view name, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (name == n) return n;
  return nullptr;
}
}  // namespace aiospec::interp

namespace aiospec::interp {
// A function defined in C++ that a module puts in a program's class (dataclass's __init__, the
// methods of enum.Enum): on the class it is the function itself (calling it takes the instance
// first), on an instance it is bound to the instance. `fn` gets the instance as `b.self` and
// `data` as `b.data`. A `property` is instead the attribute `fn` computes from the instance.
Object native_function(Interp& ip, std::string qualname, Fn fn, Object data = {}, bool property = false);
}  // namespace aiospec::interp

// Methods of builtin types: `METHOD(name) body END_METHOD` inside a `*_method(ip, self, name)`
// lookup returns the method bound to `self` when `name` matches.
#pragma once

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
}  // namespace aiospec::interp

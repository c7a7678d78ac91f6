// Methods of builtin types: `METHOD(name) body END_METHOD` inside a `*_method(ip, self, name)`
// lookup returns the method bound to `self` when `name` matches.
#pragma once

#define METHOD(NAME) \
  if (name == #NAME) return ip.builtin(#NAME, [](Interp & ip, BuiltinObj & b, CallArgs & a) -> Object { \
    (void)ip;                                                                                         \
    (void)a;
#define END_METHOD }, self);

namespace aiospec::interp {
using Fn = BuiltinObj::Fn;
}  // namespace aiospec::interp

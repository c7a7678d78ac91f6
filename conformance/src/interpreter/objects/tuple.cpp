// tuple: its methods.
#include <fmt/format.h>

#include "../interp.hpp"
#include "method.hpp"

namespace aiospec::interp {

Object tuple_method(Interp& ip, const Object& self, std::string_view name) {
  METHOD(index)
    check_args(ip, "index", a, 1, 3);
    auto& v = b.self.as<ListObj>()->v;
    for (std::size_t i = 0; i < v.size(); ++i)
      if (ip.eq(v[i], a.pos[0])) return Object::integer(static_cast<std::int64_t>(i));
    ip.raise(ip.T.ValueError, "tuple.index(x): x not in tuple");
  END_METHOD
  METHOD(count)
    check_args(ip, "count", a, 1, 1);
    std::int64_t c = 0;
    for (auto& x : b.self.as<ListObj>()->v) c += ip.eq(x, a.pos[0]);
    return Object::integer(c);
  END_METHOD
  return {};
}

}  // namespace aiospec::interp

// list: its methods and sorting.
#include <fmt/format.h>

#include "../interp.hpp"
#include "method.hpp"

namespace aiospec::interp {

// Sorting with Python's comparison; `key` may be Null.
void py_sort(Interp& ip, std::vector<Object>& v, const Object& key, bool reverse) {
  std::vector<std::pair<Object, Object>> items;
  items.reserve(v.size());
  for (auto& x : v) items.emplace_back(key.null() || key.is_none() ? x : ip.call1(key, x), x);
  if (reverse) std::reverse(items.begin(), items.end());
  std::stable_sort(items.begin(), items.end(), [&](const auto& a, const auto& b) { return ip.lt(a.first, b.first); });
  if (reverse) std::reverse(items.begin(), items.end());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = std::move(items[i].second);
}

Object list_method(Interp& ip, const Object& self, std::string_view name) {
  METHOD(append)
    check_args(ip, "list.append", a, 1, 1);
    b.self.as<ListObj>()->v.push_back(a.pos[0]);
    return Object::none();
  END_METHOD
  METHOD(extend)
    check_args(ip, "list.extend", a, 1, 1);
    for (auto& x : ip.to_vector(a.pos[0])) b.self.as<ListObj>()->v.push_back(x);
    return Object::none();
  END_METHOD
  METHOD(insert)
    check_args(ip, "insert", a, 2, 2);
    auto& v = b.self.as<ListObj>()->v;
    std::int64_t i = ip.index_arg(a.pos[0], "list"), n = static_cast<std::int64_t>(v.size());
    if (i < 0) i = std::max<std::int64_t>(0, i + n);
    if (i > n) i = n;
    v.insert(v.begin() + i, a.pos[1]);
    return Object::none();
  END_METHOD
  METHOD(pop)
    check_args(ip, "pop", a, 0, 1);
    auto& v = b.self.as<ListObj>()->v;
    if (v.empty()) ip.raise(ip.T.IndexError, "pop from empty list");
    std::int64_t i = a.pos.empty() ? -1 : ip.index_arg(a.pos[0], "list"), n = static_cast<std::int64_t>(v.size());
    if (i < 0) i += n;
    if (i < 0 || i >= n) ip.raise(ip.T.IndexError, "pop index out of range");
    Object x = v[i];
    v.erase(v.begin() + i);
    return x;
  END_METHOD
  METHOD(remove)
    check_args(ip, "list.remove", a, 1, 1);
    auto& v = b.self.as<ListObj>()->v;
    for (std::size_t i = 0; i < v.size(); ++i)
      if (ip.eq(v[i], a.pos[0])) {
        v.erase(v.begin() + i);
        return Object::none();
      }
    ip.raise(ip.T.ValueError, "list.remove(x): x not in list");
  END_METHOD
  METHOD(index)
    check_args(ip, "index", a, 1, 3);
    auto& v = b.self.as<ListObj>()->v;
    for (std::size_t i = 0; i < v.size(); ++i)
      if (ip.eq(v[i], a.pos[0])) return Object::integer(static_cast<std::int64_t>(i));
    ip.raise(ip.T.ValueError, fmt::format("{} is not in list", ip.repr(a.pos[0])));
  END_METHOD
  METHOD(count)
    check_args(ip, "count", a, 1, 1);
    std::int64_t c = 0;
    for (auto& x : b.self.as<ListObj>()->v) c += ip.eq(x, a.pos[0]);
    return Object::integer(c);
  END_METHOD
  METHOD(sort)
    Object key = a.take_kw("key"), rev = a.take_kw("reverse");
    check_args(ip, "sort", a, 0, 0);
    std::vector<Object> v = b.self.as<ListObj>()->v;
    py_sort(ip, v, key, !rev.null() && ip.truthy(rev));
    b.self.as<ListObj>()->v = std::move(v);
    return Object::none();
  END_METHOD
  METHOD(reverse)
    auto& v = b.self.as<ListObj>()->v;
    std::reverse(v.begin(), v.end());
    (void)a;
    (void)ip;
    return Object::none();
  END_METHOD
  METHOD(clear)
    b.self.as<ListObj>()->v.clear();
    (void)a;
    (void)ip;
    return Object::none();
  END_METHOD
  METHOD(copy)
    (void)a;
    return ip.list_obj(b.self.as<ListObj>()->v);
  END_METHOD
  return {};
}

}  // namespace aiospec::interp

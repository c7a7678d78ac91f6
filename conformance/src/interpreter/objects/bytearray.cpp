// bytearray: a mutable bytes. Its own methods mutate; the others are bytes' (objects/bytes.cpp).
// While a memoryview exports it, it keeps its size (BufferError), as in CPython.
#include <fmt/format.h>

#include <algorithm>

#include "../interp.hpp"
#include "method.hpp"

namespace aiospec::interp {

namespace {

std::string& V(const Object& o) { return o.as<BytesObj>()->s; }

// The bytearray about to change size.
std::string& resizable(Interp& ip, const Object& o) {
  if (o.as<BytesObj>()->exports > 0) ip.raise(ip.T.BufferError, "Existing exports of data: object cannot be re-sized");
  return V(o);
}

// What slice assignment and extend() take: a buffer, or an iterable of ints in range(0, 256).
std::string byte_source(Interp& ip, const Object& v, bool for_extend) {
  if (is_buffer(v)) return buffer_bytes(ip, v);
  if (v.is(Tag::Str) || v.is(Tag::Int) || v.is(Tag::Bool) || v.is(Tag::Float) || v.is(Tag::None)) {
    if (!for_extend) ip.raise(ip.T.TypeError, "can assign only bytes, buffers, or iterables of ints in range(0, 256)");
    if (!v.is(Tag::Str)) ip.raise(ip.T.TypeError, fmt::format("can't extend bytearray with {}", ip.type_of(v)->name));
  }
  std::string out;
  for (auto& x : ip.to_vector(v)) out += static_cast<char>(byte_value(ip, x));
  return out;
}

std::int64_t position(Interp& ip, const Object& o, const Object& key) {
  std::int64_t n = static_cast<std::int64_t>(V(o).size()), i = ip.index_arg(key, "bytearray");
  if (i < 0) i += n;
  if (i < 0 || i >= n) ip.raise(ip.T.IndexError, "bytearray index out of range");
  return i;
}

}  // namespace

void bytearray_setitem(Interp& ip, const Object& o, const Object& key, const Object& v) {
  if (!key.is(Tag::Slice)) {
    V(o)[position(ip, o, key)] = static_cast<char>(byte_value(ip, v));
    return;
  }
  std::string& s = V(o);
  std::int64_t start, stop, step;
  std::int64_t n = slice_indices(ip, *key.as<SliceObj>(), static_cast<std::int64_t>(s.size()), start, stop, step);
  std::string items = byte_source(ip, v, false);
  if (step != 1) {
    if (static_cast<std::int64_t>(items.size()) != n)
      ip.raise(ip.T.ValueError, fmt::format("attempt to assign bytes of size {} to extended slice of size {}", items.size(), n));
    for (std::int64_t k = 0; k < n; ++k) s[start + k * step] = items[k];
    return;
  }
  if (static_cast<std::int64_t>(items.size()) != n) resizable(ip, o);
  s.replace(start, n, items);
}

void bytearray_delitem(Interp& ip, const Object& o, const Object& key) {
  if (!key.is(Tag::Slice)) {
    std::int64_t i = position(ip, o, key);
    resizable(ip, o).erase(i, 1);
    return;
  }
  std::string& s = V(o);
  std::int64_t start, stop, step;
  std::int64_t n = slice_indices(ip, *key.as<SliceObj>(), static_cast<std::int64_t>(s.size()), start, stop, step);
  if (n == 0) return;
  resizable(ip, o);
  std::vector<bool> drop(s.size());
  for (std::int64_t k = 0; k < n; ++k) drop[start + k * step] = true;
  std::string keep;
  for (std::size_t k = 0; k < s.size(); ++k)
    if (!drop[k]) keep += s[k];
  s = std::move(keep);
}

Object bytearray_inplace(Interp& ip, scenario::BinOpKind op, const Object& cur, const Object& v) {
  if (op == scenario::BinOpKind::Add) {
    if (!is_buffer(v)) ip.raise(ip.T.TypeError, fmt::format("can't concat {} to bytearray", ip.type_of(v)->name));
    std::string more = buffer_bytes(ip, v);
    resizable(ip, cur) += more;
    return cur;
  }
  if (!v.is(Tag::Int) && !v.is(Tag::Bool))
    ip.raise(ip.T.TypeError, fmt::format("can't multiply sequence by non-int of type '{}'", ip.type_of(v)->name));
  std::string& s = resizable(ip, cur);
  std::string one = s;
  s.clear();
  for (std::int64_t k = 0; k < v.i(); ++k) s += one;
  return cur;
}

Object bytearray_method(Interp& ip, const Object& self, std::string_view name) {
  METHOD(append)
    check_args(ip, "append", a, 1, 1);
    char c = static_cast<char>(byte_value(ip, a.pos[0]));
    resizable(ip, b.self) += c;
    return Object::none();
  END_METHOD
  METHOD(extend)
    check_args(ip, "extend", a, 1, 1);
    std::string more = byte_source(ip, a.pos[0], true);
    resizable(ip, b.self) += more;
    return Object::none();
  END_METHOD
  METHOD(insert)
    if (a.pos.size() != 2) ip.raise(ip.T.TypeError, fmt::format("insert expected 2 arguments, got {}", a.pos.size()));
    std::int64_t i = ip.index_arg(a.pos[0], nullptr), n = static_cast<std::int64_t>(V(b.self).size());
    char c = static_cast<char>(byte_value(ip, a.pos[1]));
    if (i < 0) i = std::max<std::int64_t>(0, i + n);
    resizable(ip, b.self).insert(static_cast<std::size_t>(std::min(i, n)), 1, c);
    return Object::none();
  END_METHOD
  METHOD(pop)
    check_args(ip, "pop", a, 0, 1);
    std::int64_t i = a.pos.empty() ? -1 : ip.index_arg(a.pos[0], nullptr), n = static_cast<std::int64_t>(V(b.self).size());
    if (n == 0) ip.raise(ip.T.IndexError, "pop from empty bytearray");
    if (i < 0) i += n;
    if (i < 0 || i >= n) ip.raise(ip.T.IndexError, "pop index out of range");
    std::string& s = resizable(ip, b.self);
    auto c = static_cast<unsigned char>(s[i]);
    s.erase(i, 1);
    return Object::integer(c);
  END_METHOD
  METHOD(remove)
    check_args(ip, "remove", a, 1, 1);
    std::size_t i = V(b.self).find(static_cast<char>(byte_value(ip, a.pos[0])));
    if (i == std::string::npos) ip.raise(ip.T.ValueError, "value not found in bytearray");
    resizable(ip, b.self).erase(i, 1);
    return Object::none();
  END_METHOD
  METHOD(clear)
    check_args(ip, "clear", a, 0, 0);
    resizable(ip, b.self).clear();
    return Object::none();
  END_METHOD
  METHOD(copy)
    check_args(ip, "copy", a, 0, 0);
    return ip.bytes_obj(V(b.self), Tag::ByteArray);
  END_METHOD
  METHOD(reverse)
    check_args(ip, "reverse", a, 0, 0);
    std::reverse(V(b.self).begin(), V(b.self).end());
    return Object::none();
  END_METHOD
  return bytes_method(ip, self, name);
}

}  // namespace aiospec::interp

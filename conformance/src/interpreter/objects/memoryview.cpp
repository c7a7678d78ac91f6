// memoryview: one-dimensional views (format 'B') of bytes and bytearray; a slice is another view of
// the same buffer, not a copy. CPython's Objects/memoryobject.c, for what 'B' views do.
#include <fmt/format.h>

#include "../interp.hpp"
#include "method.hpp"

namespace aiospec::interp {

BufferObj::BufferObj(Object o) : obj(std::move(o)) {
  if (obj.is(Tag::ByteArray)) ++obj.as<BytesObj>()->exports;
}
BufferObj::~BufferObj() {
  if (obj.is(Tag::ByteArray)) --obj.as<BytesObj>()->exports;
}

namespace {

MemoryViewObj& live(Interp& ip, MemoryViewObj& m) {
  if (!m.buf) ip.raise(ip.T.ValueError, "operation forbidden on released memoryview object");
  return m;
}
MemoryViewObj& live(Interp& ip, const Object& o) { return live(ip, *o.as<MemoryViewObj>()); }

std::string& data(MemoryViewObj& m) { return m.buf->obj.as<BytesObj>()->s; }

Object view(const MemoryViewObj& from, std::int64_t start, std::int64_t step, std::int64_t len) {
  auto m = asyncio::make_ref<MemoryViewObj>();
  m->buf = from.buf;
  m->start = start;
  m->step = step;
  m->len = len;
  m->readonly = from.readonly;
  return Object(Tag::MemoryView, m);
}

std::int64_t position(Interp& ip, MemoryViewObj& m, const Object& key) {
  if (!key.is(Tag::Int) && !key.is(Tag::Bool)) ip.raise(ip.T.TypeError, "memoryview: invalid slice key");
  std::int64_t i = key.i() < 0 ? key.i() + m.len : key.i();
  if (i < 0 || i >= m.len) ip.raise(ip.T.IndexError, "index out of bounds on dimension 1");
  return m.start + i * m.step;
}

}  // namespace

Object memoryview_construct(Interp& ip, CallArgs& a) {
  Object src = arg_or(a, 0, "object", Object());
  check_args(ip, "memoryview", a, 1, 1);
  if (src.is(Tag::MemoryView)) {
    MemoryViewObj& m = live(ip, src);
    return view(m, m.start, m.step, m.len);
  }
  if (!src.is(Tag::Bytes) && !src.is(Tag::ByteArray))
    ip.raise(ip.T.TypeError, fmt::format("memoryview: a bytes-like object is required, not '{}'", ip.type_of(src)->name));
  MemoryViewObj whole;
  whole.buf = asyncio::make_ref<BufferObj>(src);
  whole.readonly = src.is(Tag::Bytes);
  return view(whole, 0, 1, static_cast<std::int64_t>(src.as<BytesObj>()->s.size()));
}

std::string memoryview_bytes(Interp& ip, MemoryViewObj& mv) {
  MemoryViewObj& m = live(ip, mv);
  const std::string& s = data(m);
  if (m.step == 1) return s.substr(m.start, m.len);
  std::string out;
  for (std::int64_t k = 0; k < m.len; ++k) out += s[m.start + k * m.step];
  return out;
}

std::int64_t memoryview_len(Interp& ip, const Object& o) { return live(ip, o).len; }

std::string memoryview_repr(const Object& o) {
  return fmt::format("<{}memory at {:#x}>", o.as<MemoryViewObj>()->buf ? "" : "released ", o.bits());
}

Object memoryview_getitem(Interp& ip, const Object& o, const Object& key) {
  MemoryViewObj& m = live(ip, o);
  if (key.is(Tag::Slice)) {
    std::int64_t start, stop, step;
    std::int64_t n = slice_indices(ip, *key.as<SliceObj>(), m.len, start, stop, step);
    return view(m, m.start + start * m.step, m.step * step, n);
  }
  return Object::integer(static_cast<unsigned char>(data(m)[position(ip, m, key)]));
}

void memoryview_setitem(Interp& ip, const Object& o, const Object& key, const Object& v) {
  MemoryViewObj& m = live(ip, o);
  if (m.readonly) ip.raise(ip.T.TypeError, "cannot modify read-only memory");
  if (!key.is(Tag::Slice)) {
    std::int64_t at = position(ip, m, key);
    if (!v.is(Tag::Int) && !v.is(Tag::Bool)) ip.raise(ip.T.TypeError, "memoryview: invalid type for format 'B'");
    if (v.i() < 0 || v.i() > 255) ip.raise(ip.T.ValueError, "memoryview: invalid value for format 'B'");
    data(m)[at] = static_cast<char>(v.i());
    return;
  }
  std::int64_t start, stop, step;
  std::int64_t n = slice_indices(ip, *key.as<SliceObj>(), m.len, start, stop, step);
  if (!is_buffer(v)) ip.raise(ip.T.TypeError, fmt::format("a bytes-like object is required, not '{}'", ip.type_of(v)->name));
  std::string items = buffer_bytes(ip, v);
  if (static_cast<std::int64_t>(items.size()) != n)
    ip.raise(ip.T.ValueError, "memoryview assignment: lvalue and rvalue have different structures");
  for (std::int64_t k = 0; k < n; ++k) data(m)[m.start + (start + k * step) * m.step] = items[k];
}

std::uint64_t memoryview_hash(Interp& ip, const Object& o) {
  MemoryViewObj& m = live(ip, o);
  if (!m.readonly) ip.raise(ip.T.ValueError, "cannot hash writable memoryview object");
  return str_hash(memoryview_bytes(ip, m));  // as hash(bytes) of the same bytes
}

Object memoryview_method(Interp& ip, const Object& self, std::string_view name) {
  if (name == "release")
    return ip.builtin("release", [](Interp&, BuiltinObj& b, CallArgs&) {
      b.self.as<MemoryViewObj>()->buf = nullptr;
      return Object::none();
    }, self);
  if (name == "__enter__")
    return ip.builtin("__enter__", [](Interp& ip, BuiltinObj& b, CallArgs&) {
      live(ip, b.self);
      return b.self;
    }, self);
  if (name == "__exit__")
    return ip.builtin("__exit__", [](Interp&, BuiltinObj& b, CallArgs&) {
      b.self.as<MemoryViewObj>()->buf = nullptr;
      return Object::none();
    }, self);
  if (!one_of(name, {"obj", "nbytes", "readonly", "format", "itemsize", "ndim", "shape", "strides", "contiguous",
                     "c_contiguous", "f_contiguous", "tobytes", "tolist", "hex", "toreadonly"}))
    return {};
  MemoryViewObj& m = live(ip, self);
  if (name == "obj") return m.buf->obj;
  if (name == "nbytes") return Object::integer(m.len);
  if (name == "readonly") return Object::boolean(m.readonly);
  if (name == "format") return ip.str_obj("B");
  if (name == "itemsize" || name == "ndim") return Object::integer(1);
  if (name == "shape") return ip.tuple_obj({Object::integer(m.len)});
  if (name == "strides") return ip.tuple_obj({Object::integer(m.step)});
  if (name == "contiguous" || name == "c_contiguous" || name == "f_contiguous") return Object::boolean(m.step == 1 || m.len <= 1);
  METHOD(tobytes)
    check_args(ip, "tobytes", a, 0, 0);
    return ip.bytes_obj(memoryview_bytes(ip, *b.self.as<MemoryViewObj>()));
  END_METHOD
  METHOD(tolist)
    check_args(ip, "tolist", a, 0, 0);
    std::vector<Object> out;
    for (unsigned char c : memoryview_bytes(ip, *b.self.as<MemoryViewObj>())) out.push_back(Object::integer(c));
    return ip.list_obj(std::move(out));
  END_METHOD
  METHOD(hex)
    Object sep = arg_or(a, 0, "sep", Object());
    std::int64_t per = arg_or(a, 1, "bytes_per_sep", Object::integer(1)).i();
    return ip.str_obj(bytes_hex(ip, memoryview_bytes(ip, *b.self.as<MemoryViewObj>()), sep, per));
  END_METHOD
  METHOD(toreadonly)
    check_args(ip, "toreadonly", a, 0, 0);
    auto& from = *b.self.as<MemoryViewObj>();
    Object r = view(from, from.start, from.step, from.len);
    r.as<MemoryViewObj>()->readonly = true;
    return r;
  END_METHOD
  return {};
}

}  // namespace aiospec::interp

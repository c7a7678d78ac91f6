// The object protocol: reprs, truth, equality, hashing, arithmetic, comparisons, iteration,
// subscripts, attributes and calls, dispatched over the types of objects/.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "interp.hpp"

namespace aiospec::interp {

namespace {

std::uint64_t hash_int(std::int64_t v) {
  // Python/pyhash.c: ints hash modulo 2**61 - 1, keeping the sign; -1 becomes -2.
  constexpr std::int64_t P = (std::int64_t(1) << 61) - 1;
  std::int64_t h = v >= 0 ? v % P : -((-(v + 1)) % P + 1) % P;
  if (v < 0 && h == 0) h = 0;
  if (h == -1) h = -2;
  return static_cast<std::uint64_t>(h);
}

std::uint64_t hash_double(double v) {
  // Python/pyhash.c: _Py_HashDouble.
  constexpr int kBits = 61;
  constexpr std::uint64_t kMod = (std::uint64_t(1) << kBits) - 1;
  if (std::isinf(v)) return v > 0 ? 314159 : static_cast<std::uint64_t>(-314159);
  if (std::isnan(v)) return 0;
  int e;
  double m = std::frexp(v, &e);
  int sign = 1;
  if (m < 0) {
    sign = -1;
    m = -m;
  }
  std::uint64_t x = 0;
  while (m) {
    x = ((x << 28) & kMod) | x >> (kBits - 28);
    m *= 268435456.0;
    e -= 28;
    auto y = static_cast<std::uint64_t>(m);
    m -= static_cast<double>(y);
    x += y;
    if (x >= kMod) x -= kMod;
  }
  e = e >= 0 ? e % kBits : kBits - 1 - ((-1 - e) % kBits);
  x = ((x << e) & kMod) | x >> (kBits - e);
  x = x * static_cast<std::uint64_t>(static_cast<std::int64_t>(sign));
  if (x == static_cast<std::uint64_t>(-1)) x = static_cast<std::uint64_t>(-2);
  return x;
}

}  // namespace

std::string Interp::repr(const Object& o) {
  RecursiveCall level(*this, kInRepr);  // PyObject_Repr
  switch (o.tag()) {
    case Tag::Null:
    case Tag::None: return "None";
    case Tag::Bool: return o.i() ? "True" : "False";
    case Tag::Int: return int_to_str(o.i());
    case Tag::Float: return float_repr(o.f());
    case Tag::Ellipsis: return "Ellipsis";
    case Tag::Str: return str_repr(o.as<StrObj>()->s);
    case Tag::Bytes: return asyncio::bytes_repr(o.as<BytesObj>()->s);
    case Tag::ByteArray: return "bytearray(" + asyncio::bytes_repr(o.as<BytesObj>()->s) + ")";
    case Tag::MemoryView: return memoryview_repr(o);
    case Tag::List:
    case Tag::Tuple: {
      if (o.as<ListObj>()->cls) return namedtuple_repr(*this, o);
      auto& v = o.as<ListObj>()->v;
      bool tuple = o.is(Tag::Tuple);
      std::string out(1, tuple ? '(' : '[');
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out += ", ";
        out += v[i].same(o) ? (tuple ? "(...)" : "[...]") : repr(v[i]);
      }
      if (tuple && v.size() == 1) out += ',';
      return out + (tuple ? ')' : ']');
    }
    case Tag::Dict: {
      if (o.as<DictObj>()->cls) return dict_subclass_repr(*this, o);
      std::string out = "{";
      bool first = true;
      o.as<DictObj>()->each([&](const Object& k, const Object& v) {
        if (!first) out += ", ";
        first = false;
        out += repr(k) + ": " + (v.same(o) ? std::string("{...}") : repr(v));
      });
      return out + "}";
    }
    case Tag::Set: {
      auto* s = o.as<SetObj>();
      if (s->used == 0) return s->frozen ? "frozenset()" : "set()";
      std::string out = s->frozen ? "frozenset({" : "{";
      bool first = true;
      s->each([&](const Object& k) {
        if (!first) out += ", ";
        first = false;
        out += repr(k);
      });
      return out + (s->frozen ? "})" : "}");
    }
    case Tag::Range: {
      auto* r = o.as<RangeObj>();
      std::string out = "range(" + int_to_str(r->start) + ", " + int_to_str(r->stop);
      if (r->step != 1) out += ", " + int_to_str(r->step);
      return out + ")";
    }
    case Tag::Slice: {
      auto* s = o.as<SliceObj>();
      return "slice(" + repr(s->lower) + ", " + repr(s->upper) + ", " + repr(s->step) + ")";
    }
    case Tag::Func: return fmt::format("<function {} at {:#x}>", o.as<FuncObj>()->qualname, o.bits());
    case Tag::Builtin: {
      auto* b = o.as<BuiltinObj>();
      if (b->data.is(Tag::Func))
        return fmt::format("<bound method {} of {}>", b->data.as<FuncObj>()->qualname, repr(b->self));
      if (!b->self.null())
        return fmt::format("<built-in method {} of {} object at {:#x}>", b->name, type_of(b->self)->tp_name(), b->self.bits());
      return fmt::format("<built-in function {}>", b->name);
    }
    case Tag::Type: {
      auto* t = o.as<TypeObj>();
      if (t->meta)
        if (Object m = special(o, "__repr__"); !m.null()) return str(call0(m));
      std::string m = t->module.empty() ? (t->is_exception || t == T.object.get() || t->name.find('.') == std::string::npos ? "" : "") : t->module + ".";
      return "<class '" + m + (t->qualname.empty() ? t->name : t->qualname) + "'>";
    }
    case Tag::Exc: return exc_repr(*o.as<ExcObj>());
    case Tag::Coro: return fmt::format("<coroutine object {} at {:#x}>", o.as<CoroObj>()->qualname, o.bits());
    case Tag::Cell: return fmt::format("<cell at {:#x}>", o.bits());
    case Tag::Iter: {
      const Object& src = o.as<IterObj>()->src;
      return src.is(Tag::Native) ? repr(src) : fmt::format("<iterator object at {:#x}>", o.bits());
    }
    case Tag::Native: return o.as<NativeObj>()->repr(*this);
    case Tag::Future: return future_repr(*this, *o.as<asyncio::FutureBase>());
    case Tag::Loop: return o.as<asyncio::EventLoop>()->repr();
    case Tag::Handle: return handle_repr(*this, *o.as<asyncio::HandleState>());
    case Tag::Instance: {
      Object m = special(o, "__repr__");
      if (m.null()) return default_repr(o);
      Object r = call0(m);
      if (!r.is(Tag::Str)) raise(T.TypeError, fmt::format("__repr__ returned non-string (type {})", type_of(r)->tp_name()));
      return r.as<StrObj>()->s;
    }
  }
  return "?";
}

std::string Interp::str(const Object& o) {
  if (o.is(Tag::Str)) return o.as<StrObj>()->s;
  RecursiveCall level(*this, " while getting the str of an object");  // PyObject_Str
  switch (o.tag()) {
    case Tag::Exc: return exc_str(*o.as<ExcObj>());
    case Tag::Native: return o.as<NativeObj>()->str(*this);
    case Tag::Instance: {
      Object m = special(o, "__str__");
      if (m.null()) return repr(o);
      Object r = call0(m);
      if (!r.is(Tag::Str)) raise(T.TypeError, fmt::format("__str__ returned non-string (type {})", type_of(r)->tp_name()));
      return r.as<StrObj>()->s;
    }
    default: return repr(o);
  }
}

bool Interp::truthy(const Object& o) {
  switch (o.tag()) {
    case Tag::Null:
    case Tag::None: return false;
    case Tag::Bool:
    case Tag::Int: return o.i() != 0;
    case Tag::Float: return o.f() != 0;
    case Tag::Str: return !o.as<StrObj>()->s.empty();
    case Tag::Bytes:
    case Tag::ByteArray: return !o.as<BytesObj>()->s.empty();
    case Tag::MemoryView: return memoryview_len(*this, o) != 0;
    case Tag::List:
    case Tag::Tuple: return !o.as<ListObj>()->v.empty();
    case Tag::Dict: return o.as<DictObj>()->used != 0;
    case Tag::Set: return o.as<SetObj>()->used != 0;
    case Tag::Range: return o.as<RangeObj>()->length() != 0;
    case Tag::Native: return getattr_opt(o, "__len__").null() || len(o) != 0;  // deque, Counter views...
    case Tag::Instance: {
      Object m = special(o, "__bool__");
      if (!m.null()) {
        Object r = call0(m);
        if (!r.is(Tag::Bool)) raise(T.TypeError, fmt::format("__bool__ should return bool, returned {}", type_of(r)->tp_name()));
        return r.i() != 0;
      }
      if (!special(o, "__len__").null()) return len(o) != 0;
      return true;
    }
    default: return true;
  }
}

namespace {
bool numeric(const Object& o) { return o.is(Tag::Int) || o.is(Tag::Bool) || o.is(Tag::Float); }
double as_double(const Object& o) { return o.is(Tag::Float) ? o.f() : static_cast<double>(o.i()); }
}  // namespace

bool Interp::eq(const Object& a, const Object& b) {
  if (a.is(Tag::Instance) || b.is(Tag::Instance)) return truthy(rich_compare(scenario::CmpOpKind::Eq, a, b));
  // Native objects with an __eq__ (deque): it returns Null for NotImplemented.
  for (const Object* o : {&a, &b})
    if (o->is(Tag::Native))
      if (Object m = getattr_opt(*o, "__eq__"); !m.null())
        if (Object r = call1(m, o == &a ? b : a); !r.null()) return truthy(r);
  if (numeric(a) && numeric(b)) {
    if (a.is(Tag::Float) || b.is(Tag::Float)) return as_double(a) == as_double(b);
    return a.i() == b.i();
  }
  if (is_buffer(a) && is_buffer(b)) {
    // A released memoryview equals only itself; otherwise any two buffers compare their bytes.
    for (const Object* m : {&a, &b})
      if (m->is(Tag::MemoryView) && !m->as<MemoryViewObj>()->buf) return a.same(b);
    return buffer_bytes(*this, a) == buffer_bytes(*this, b);
  }
  if (a.tag() != b.tag()) return false;
  switch (a.tag()) {
    case Tag::None:
    case Tag::Null:
    case Tag::Ellipsis: return true;
    case Tag::Str: return a.as<StrObj>()->s == b.as<StrObj>()->s;
    case Tag::List:
    case Tag::Tuple: {
      auto &x = a.as<ListObj>()->v, &y = b.as<ListObj>()->v;
      if (x.size() != y.size()) return false;
      RecursiveCall level(*this, kInComparison);  // PyObject_RichCompare
      for (std::size_t i = 0; i < x.size(); ++i)
        if (!x[i].same(y[i]) && !eq(x[i], y[i])) return false;
      return true;
    }
    case Tag::Dict: {
      auto *x = a.as<DictObj>(), *y = b.as<DictObj>();
      if (x->cls || y->cls)
        if (int r = dict_subclass_eq(*this, a, b); r >= 0) return r;
      if (x->used != y->used) return false;
      RecursiveCall level(*this, kInComparison);
      bool same = true;
      x->each([&](const Object& k, const Object& v) {
        if (!same) return;
        Object* w = y->find(k, hash(k));
        same = w && eq(v, *w);
      });
      return same;
    }
    case Tag::Set: {
      auto *x = a.as<SetObj>(), *y = b.as<SetObj>();
      if (x->used != y->used) return false;
      bool same = true;
      x->each([&](const Object& k) { same = same && y->contains(k, hash(k)); });
      return same;
    }
    case Tag::Range: {
      auto *x = a.as<RangeObj>(), *y = b.as<RangeObj>();
      return x->length() == y->length() && (x->length() == 0 || (x->start == y->start && (x->length() == 1 || x->step == y->step)));
    }
    default: return a.same(b);
  }
}

std::uint64_t Interp::hash(const Object& o) {
  switch (o.tag()) {
    case Tag::None:
    case Tag::Null: return 0xFCA86420ULL;
    case Tag::Bool:
    case Tag::Int: return hash_int(o.i());
    case Tag::Float: {
      double d = o.f();
      if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.2e18) return hash_int(static_cast<std::int64_t>(d));
      return hash_double(d);
    }
    case Tag::Str: return str_hash(o.as<StrObj>()->s);
    case Tag::Bytes: return str_hash(o.as<BytesObj>()->s);  // as CPython, a bytes hashes as the str of the same bytes
    case Tag::MemoryView: return memoryview_hash(*this, o);
    case Tag::Tuple: {
      // Objects/tupleobject.c: tuplehash (xxHash-based). CPython counts no recursion here: only
      // the stack bounds a deeply nested tuple's.
      if (stack_nearly_full()) stack_full();
      constexpr std::uint64_t P1 = 11400714785074694791ULL, P2 = 14029467366897019727ULL, P5 = 2870177450012600261ULL;
      auto& v = o.as<ListObj>()->v;
      std::uint64_t acc = P5;
      for (auto& x : v) {
        acc += hash(x) * P2;
        acc = (acc << 31) | (acc >> 33);
        acc *= P1;
      }
      acc += v.size() ^ (P5 ^ 3527539UL);
      return acc == static_cast<std::uint64_t>(-1) ? 1546275796 : acc;
    }
    case Tag::List:
    case Tag::ByteArray:
    case Tag::Dict: raise(T.TypeError, fmt::format("unhashable type: '{}'", type_of(o)->tp_name()));
    case Tag::Set:
      if (!o.as<SetObj>()->frozen) raise(T.TypeError, "unhashable type: 'set'");
      return o.bits() >> 4;
    case Tag::Instance: {
      Object* m = type_lookup(o.as<InstanceObj>()->cls.get(), "__hash__");
      if (m && m->is_none()) raise(T.TypeError, fmt::format("unhashable type: '{}'", type_of(o)->tp_name()));
      if (m) {
        Object r = call0(bind(*m, o, o.as<InstanceObj>()->cls));
        if (!r.is(Tag::Int) && !r.is(Tag::Bool)) raise(T.TypeError, "__hash__ method should return an integer");
        return hash_int(r.i());
      }
      std::uint64_t y = o.bits();
      return (y >> 4) | (y << 60);
    }
    default: {
      // _Py_HashPointer: the address rotated by 4 bits.
      std::uint64_t y = o.bits();
      return (y >> 4) | (y << 60);
    }
  }
}

std::int64_t Interp::len(const Object& o) {
  switch (o.tag()) {
    case Tag::Str: return o.as<StrObj>()->length();
    case Tag::Bytes:
    case Tag::ByteArray: return static_cast<std::int64_t>(o.as<BytesObj>()->s.size());
    case Tag::MemoryView: return memoryview_len(*this, o);
    case Tag::List:
    case Tag::Tuple: return static_cast<std::int64_t>(o.as<ListObj>()->v.size());
    case Tag::Dict: return static_cast<std::int64_t>(o.as<DictObj>()->used);
    case Tag::Set: return static_cast<std::int64_t>(o.as<SetObj>()->used);
    case Tag::Range: return o.as<RangeObj>()->length();
    case Tag::Native: {
      Object m = getattr_opt(o, "__len__");
      if (!m.null()) return call0(m).i();
      break;
    }
    case Tag::Type:
    case Tag::Instance: {
      Object m = special(o, "__len__");
      if (m.null()) break;
      Object r = call0(m);
      if (!r.is(Tag::Int) && !r.is(Tag::Bool))
        raise(T.TypeError, fmt::format("'{}' object cannot be interpreted as an integer", type_of(r)->tp_name()));
      if (r.i() < 0) raise(T.ValueError, "__len__() should return >= 0");
      return r.i();
    }
    default: break;
  }
  raise(T.TypeError, fmt::format("object of type '{}' has no len()", type_of(o)->tp_name()));
}

bool Interp::contains(const Object& c, const Object& x) {
  switch (c.tag()) {
    case Tag::Type:
    case Tag::Instance: {
      Object m = special(c, "__contains__");
      if (!m.null()) return truthy(call1(m, x));
      if (special(c, "__iter__").null())
        raise(T.TypeError, fmt::format("argument of type '{}' is not iterable", type_of(c)->tp_name()));
      Object it = iter(c);
      Object v;
      while (next(*it.as<IterObj>(), v))
        if (v.same(x) || eq(v, x)) return true;
      return false;
    }
    case Tag::Native:
      if (Object m = getattr_opt(c, "__contains__"); !m.null()) return truthy(call1(m, x));
      break;
    case Tag::Str: {
      if (!x.is(Tag::Str)) raise(T.TypeError, fmt::format("'in <string>' requires string as left operand, not {}", type_of(x)->tp_name()));
      return c.as<StrObj>()->s.find(x.as<StrObj>()->s) != std::string::npos;
    }
    case Tag::Bytes:
    case Tag::ByteArray: return bytes_contains(*this, c.as<BytesObj>()->s, x);
    case Tag::List:
    case Tag::Tuple:
      for (auto& v : c.as<ListObj>()->v)
        if (v.same(x) || eq(v, x)) return true;
      return false;
    case Tag::Dict: return c.as<DictObj>()->find(x, hash(x)) != nullptr;
    case Tag::Set: return c.as<SetObj>()->contains(x, hash(x));
    case Tag::Range: {
      if (!x.is(Tag::Int) && !x.is(Tag::Bool)) return false;
      auto* r = c.as<RangeObj>();
      std::int64_t v = x.i();
      if (r->step > 0 ? (v < r->start || v >= r->stop) : (v > r->start || v <= r->stop)) return false;
      return (v - r->start) % r->step == 0;
    }
    default: break;
  }
  Object it = iter(c);
  Object v;
  while (next(*it.as<IterObj>(), v))
    if (v.same(x) || eq(v, x)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

namespace {
using scenario::BinOpKind;
const char* binop_symbol(BinOpKind op) {
  static const char* s[] = {"+", "-", "*", "/", "//", "%", "** or pow()", "<<", ">>", "|", "^", "&"};
  return s[static_cast<int>(op)];
}
std::int64_t floordiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}
double py_fmod(double a, double b) {
  double m = std::fmod(a, b);
  if (m != 0) {
    if ((b < 0) != (m < 0)) m += b;
  } else {
    m = std::copysign(0.0, b);
  }
  return m;
}
}  // namespace

Object Interp::binop(BinOpKind op, const Object& a, const Object& b) {
  if (a.is(Tag::Instance) || b.is(Tag::Instance))
    if (Object r = instance_binop(op, a, b, false); !r.null()) return r;
  const bool ai = a.is(Tag::Int) || a.is(Tag::Bool), bi = b.is(Tag::Int) || b.is(Tag::Bool);
  auto overflow = [&]() -> Object {
    raise(T.OverflowError, "integer result too large (the scenario language has 64-bit ints)");
  };
  if (ai && bi) {
    std::int64_t x = a.i(), y = b.i(), r;
    switch (op) {
      case BinOpKind::Add: if (__builtin_add_overflow(x, y, &r)) return overflow(); return Object::integer(r);
      case BinOpKind::Sub: if (__builtin_sub_overflow(x, y, &r)) return overflow(); return Object::integer(r);
      case BinOpKind::Mult: if (__builtin_mul_overflow(x, y, &r)) return overflow(); return Object::integer(r);
      case BinOpKind::Div:
        if (y == 0) raise(T.ZeroDivisionError, "division by zero");
        return Object::real(static_cast<double>(x) / static_cast<double>(y));
      case BinOpKind::FloorDiv:
        if (y == 0) raise(T.ZeroDivisionError, "integer division or modulo by zero");
        return Object::integer(floordiv(x, y));
      case BinOpKind::Mod: {
        if (y == 0) raise(T.ZeroDivisionError, "integer division or modulo by zero");
        std::int64_t m = x % y;
        if (m != 0 && ((m < 0) != (y < 0))) m += y;
        return Object::integer(m);
      }
      case BinOpKind::Pow: {
        if (y < 0) return Object::real(std::pow(static_cast<double>(x), static_cast<double>(y)));
        std::int64_t res = 1, base = x;
        while (y) {
          if (y & 1)
            if (__builtin_mul_overflow(res, base, &res)) return overflow();
          y >>= 1;
          if (y && __builtin_mul_overflow(base, base, &base)) return overflow();
        }
        return Object::integer(res);
      }
      case BinOpKind::LShift:
        if (y < 0) raise(T.ValueError, "negative shift count");
        if (y >= 63 || (x != 0 && (x << y) >> y != x)) return overflow();
        return Object::integer(x << y);
      case BinOpKind::RShift:
        if (y < 0) raise(T.ValueError, "negative shift count");
        return Object::integer(y >= 63 ? (x < 0 ? -1 : 0) : x >> y);
      case BinOpKind::BitOr: return a.is(Tag::Bool) && b.is(Tag::Bool) ? Object::boolean(x | y) : Object::integer(x | y);
      case BinOpKind::BitXor: return a.is(Tag::Bool) && b.is(Tag::Bool) ? Object::boolean(x ^ y) : Object::integer(x ^ y);
      case BinOpKind::BitAnd: return a.is(Tag::Bool) && b.is(Tag::Bool) ? Object::boolean(x & y) : Object::integer(x & y);
    }
  }
  if (numeric(a) && numeric(b)) {
    double x = as_double(a), y = as_double(b);
    switch (op) {
      case BinOpKind::Add: return Object::real(x + y);
      case BinOpKind::Sub: return Object::real(x - y);
      case BinOpKind::Mult: return Object::real(x * y);
      case BinOpKind::Div:
        if (y == 0) raise(T.ZeroDivisionError, "float division by zero");
        return Object::real(x / y);
      case BinOpKind::FloorDiv:
        if (y == 0) raise(T.ZeroDivisionError, "float floor division by zero");
        return Object::real(std::floor(x / y));
      case BinOpKind::Mod:
        if (y == 0) raise(T.ZeroDivisionError, "float modulo");
        return Object::real(py_fmod(x, y));
      case BinOpKind::Pow:
        if (x == 0 && y < 0) raise(T.ZeroDivisionError, "0.0 cannot be raised to a negative power");
        return Object::real(std::pow(x, y));
      default: break;
    }
  }
  if (is_buffer(a) || is_buffer(b))
    if (Object r = bytes_binop(*this, op, a, b); !r.null()) return r;
  if (a.is(Tag::Str)) {
    if (op == BinOpKind::Add && b.is(Tag::Str)) return str_obj(a.as<StrObj>()->s + b.as<StrObj>()->s);
    if (op == BinOpKind::Mult && bi) {
      std::string out;
      for (std::int64_t k = 0; k < b.i(); ++k) out += a.as<StrObj>()->s;
      return str_obj(std::move(out));
    }
    if (op == BinOpKind::Mod) return str_obj(percent_format(*this, a.as<StrObj>()->s, b));
    if (op == BinOpKind::Add)
      raise(T.TypeError, fmt::format("can only concatenate str (not \"{}\") to str", type_of(b)->tp_name()));
  }
  if (ai && b.is(Tag::Str) && op == BinOpKind::Mult) return binop(op, b, a);
  if ((a.is(Tag::List) || a.is(Tag::Tuple))) {
    Tag t = a.tag();
    if (op == BinOpKind::Add && b.is(t)) {
      std::vector<Object> v = a.as<ListObj>()->v;
      for (auto& x : b.as<ListObj>()->v) v.push_back(x);
      return make<ListObj>(t, std::move(v));
    }
    if (op == BinOpKind::Mult && bi) {
      std::vector<Object> v;
      for (std::int64_t k = 0; k < b.i(); ++k)
        for (auto& x : a.as<ListObj>()->v) v.push_back(x);
      return make<ListObj>(t, std::move(v));
    }
    if (op == BinOpKind::Add)
      raise(T.TypeError, fmt::format("can only concatenate {} (not \"{}\") to {}", type_of(a)->tp_name(), type_of(b)->tp_name(), type_of(a)->tp_name()));
  }
  if (ai && (b.is(Tag::List) || b.is(Tag::Tuple)) && op == BinOpKind::Mult) return binop(op, b, a);
  if (a.is(Tag::Set) && b.is(Tag::Set)) {
    auto *x = a.as<SetObj>(), *y = b.as<SetObj>();
    Object out = set_obj();
    auto* o = out.as<SetObj>();
    switch (op) {
      case BinOpKind::BitOr:
        x->each([&](const Object& k) { o->add(k, hash(k)); });
        y->each([&](const Object& k) { o->add(k, hash(k)); });
        return out;
      case BinOpKind::BitAnd:
        x->each([&](const Object& k) { if (y->contains(k, hash(k))) o->add(k, hash(k)); });
        return out;
      case BinOpKind::Sub:
        x->each([&](const Object& k) { if (!y->contains(k, hash(k))) o->add(k, hash(k)); });
        return out;
      case BinOpKind::BitXor:
        x->each([&](const Object& k) { if (!y->contains(k, hash(k))) o->add(k, hash(k)); });
        y->each([&](const Object& k) { if (!x->contains(k, hash(k))) o->add(k, hash(k)); });
        return out;
      default: break;
    }
  }
  if (a.is(Tag::Dict) && b.is(Tag::Dict) && (a.as<DictObj>()->cls || b.as<DictObj>()->cls))
    if (Object r = counter_binop(*this, op, a, b); !r.null()) return r;
  if (a.is(Tag::Dict) && b.is(Tag::Dict) && op == BinOpKind::BitOr) {
    Object out = dict_obj();
    for (auto* d : {a.as<DictObj>(), b.as<DictObj>()})
      d->each([&](const Object& k, const Object& v) { out.as<DictObj>()->set(k, hash(k), v); });
    return out;
  }
  raise(T.TypeError, fmt::format("unsupported operand type(s) for {}: '{}' and '{}'", binop_symbol(op),
                                 type_of(a)->tp_name(), type_of(b)->tp_name()));
}

namespace {
const char* const kBinopDunders[][3] = {
    {"__add__", "__radd__", "__iadd__"}, {"__sub__", "__rsub__", "__isub__"},
    {"__mul__", "__rmul__", "__imul__"}, {"__truediv__", "__rtruediv__", "__itruediv__"},
    {"__floordiv__", "__rfloordiv__", "__ifloordiv__"}, {"__mod__", "__rmod__", "__imod__"},
    {"__pow__", "__rpow__", "__ipow__"}, {"__lshift__", "__rlshift__", "__ilshift__"},
    {"__rshift__", "__rrshift__", "__irshift__"}, {"__or__", "__ror__", "__ior__"},
    {"__xor__", "__rxor__", "__ixor__"}, {"__and__", "__rand__", "__iand__"},
};


// self.name(other) for a binary special method of an instance's class; Null when the class has
// none (or it is None) or it returns NotImplemented. A plain function is called without binding.
Object call_binary_special(Interp& ip, const Object& self, const char* name, const Object& other) {
  if (!self.is(Tag::Instance)) return {};
  const Ref<TypeObj>& cls = self.as<InstanceObj>()->cls;
  Object* m = ip.type_lookup(cls.get(), name);
  if (!m || m->is_none()) return {};
  CallArgs a;
  Object r;
  if (m->is(Tag::Func)) {
    a.pos = {self, other};
    r = ip.call(*m, a);
  } else {
    a.pos = {other};
    r = ip.call(ip.bind(*m, self, cls), a);
  }
  return r.same(ip.not_implemented) ? Object() : r;
}
}  // namespace

Object Interp::instance_binop(BinOpKind op, const Object& a, const Object& b, bool inplace) {
  const auto& names = kBinopDunders[static_cast<int>(op)];
  auto attempt = [&](const Object& self, const char* name, const Object& other) {
    return call_binary_special(*this, self, name, other);
  };
  Object r;
  if (inplace) r = attempt(a, names[2], b);
  if (r.null()) r = attempt(a, names[0], b);
  if (r.null() && !(a.is(Tag::Instance) && b.is(Tag::Instance) && a.as<InstanceObj>()->cls == b.as<InstanceObj>()->cls))
    r = attempt(b, names[1], a);
  if (!r.null() || !inplace) return r;
  raise(T.TypeError, fmt::format("unsupported operand type(s) for {}=: '{}' and '{}'", op == BinOpKind::Pow ? "**" : binop_symbol(op),
                                 type_of(a)->tp_name(), type_of(b)->tp_name()));
}

Object Interp::rich_compare(scenario::CmpOpKind op, const Object& a, const Object& b) {
  using scenario::CmpOpKind;
  struct Names {
    const char *name, *reflected, *symbol;
  };
  auto names = [&]() -> Names {
    switch (op) {
      case CmpOpKind::Eq: return {"__eq__", "__eq__", "=="};
      case CmpOpKind::NotEq: return {"__ne__", "__ne__", "!="};
      case CmpOpKind::Lt: return {"__lt__", "__gt__", "<"};
      case CmpOpKind::LtE: return {"__le__", "__ge__", "<="};
      case CmpOpKind::Gt: return {"__gt__", "__lt__", ">"};
      default: return {"__ge__", "__le__", ">="};
    }
  }();
  auto attempt = [&](const Object& self, const char* name, const Object& other) {
    return call_binary_special(*this, self, name, other);
  };
  // The right operand's reflection goes first when its class is a subclass of the left's.
  bool right_first = b.is(Tag::Instance) && type_of(b) != type_of(a) && type_of(b)->subclass_of(type_of(a).get());
  Object r = right_first ? attempt(b, names.reflected, a) : attempt(a, names.name, b);
  if (r.null()) r = right_first ? attempt(a, names.name, b) : attempt(b, names.reflected, a);
  if (!r.null()) return r;
  if (op == CmpOpKind::NotEq) {
    // object.__ne__ inverts __eq__.
    Object e = attempt(a, "__eq__", b);
    if (e.null()) e = attempt(b, "__eq__", a);
    if (!e.null()) return Object::boolean(!truthy(e));
    return Object::boolean(!a.same(b));
  }
  if (op == CmpOpKind::Eq) return Object::boolean(a.same(b));
  raise(T.TypeError, fmt::format("'{}' not supported between instances of '{}' and '{}'", names.symbol, type_of(a)->tp_name(), type_of(b)->tp_name()));
}

bool Interp::lt(const Object& a, const Object& b) {
  if (a.is(Tag::Instance) || b.is(Tag::Instance)) return truthy(rich_compare(scenario::CmpOpKind::Lt, a, b));
  if (a.is(Tag::Native))  // functools.cmp_to_key's keys
    if (Object m = getattr_opt(a, "__lt__"); !m.null())
      if (Object r = call1(m, b); !r.null()) return truthy(r);
  if (numeric(a) && numeric(b)) {
    if (a.is(Tag::Float) || b.is(Tag::Float)) return as_double(a) < as_double(b);
    return a.i() < b.i();
  }
  if (a.is(Tag::Str) && b.is(Tag::Str)) return a.as<StrObj>()->s < b.as<StrObj>()->s;
  if ((a.is(Tag::Bytes) || a.is(Tag::ByteArray)) && (b.is(Tag::Bytes) || b.is(Tag::ByteArray)))
    return a.as<BytesObj>()->s < b.as<BytesObj>()->s;
  if ((a.is(Tag::List) && b.is(Tag::List)) || (a.is(Tag::Tuple) && b.is(Tag::Tuple))) {
    auto &x = a.as<ListObj>()->v, &y = b.as<ListObj>()->v;
    RecursiveCall level(*this, kInComparison);
    for (std::size_t i = 0; i < x.size() && i < y.size(); ++i)
      if (!eq(x[i], y[i])) return lt(x[i], y[i]);
    return x.size() < y.size();
  }
  if (a.is(Tag::Set) && b.is(Tag::Set)) {
    auto *x = a.as<SetObj>(), *y = b.as<SetObj>();
    bool sub = true;
    x->each([&](const Object& k) { sub = sub && y->contains(k, hash(k)); });
    return sub && x->used < y->used;
  }
  raise(T.TypeError, fmt::format("'<' not supported between instances of '{}' and '{}'", type_of(a)->tp_name(), type_of(b)->tp_name()));
}

bool Interp::compare(scenario::CmpOpKind op, const Object& a, const Object& b) {
  using scenario::CmpOpKind;
  auto unorderable = [&](const char* sym) {
    raise(T.TypeError, fmt::format("'{}' not supported between instances of '{}' and '{}'", sym, type_of(a)->tp_name(), type_of(b)->tp_name()));
  };
  if ((a.is(Tag::Instance) || b.is(Tag::Instance)) && op != CmpOpKind::Is && op != CmpOpKind::IsNot &&
      op != CmpOpKind::In && op != CmpOpKind::NotIn)
    return truthy(rich_compare(op, a, b));
  switch (op) {
    case CmpOpKind::Eq: return a.same(b) || eq(a, b);
    case CmpOpKind::NotEq: return !(a.same(b) || eq(a, b));
    case CmpOpKind::Is: return a.same(b);
    case CmpOpKind::IsNot: return !a.same(b);
    case CmpOpKind::In: return contains(b, a);
    case CmpOpKind::NotIn: return !contains(b, a);
    case CmpOpKind::Lt: return lt(a, b);
    case CmpOpKind::Gt:
      try {
        return lt(b, a);
      } catch (...) {
        unorderable(">");
      }
    case CmpOpKind::LtE:
      if (a.is(Tag::Set)) return lt(a, b) || eq(a, b);
      try {
        return !lt(b, a) && !(std::isnan(as_double(numeric(a) ? a : Object::integer(0))) || std::isnan(as_double(numeric(b) ? b : Object::integer(0))));
      } catch (...) {
        unorderable("<=");
      }
    case CmpOpKind::GtE:
      if (a.is(Tag::Set)) return lt(b, a) || eq(a, b);
      try {
        return !lt(a, b) && !(std::isnan(as_double(numeric(a) ? a : Object::integer(0))) || std::isnan(as_double(numeric(b) ? b : Object::integer(0))));
      } catch (...) {
        unorderable(">=");
      }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Iteration

Object snapshot_iter(std::vector<Object> items) {
  auto it = asyncio::make_ref<IterObj>();
  it->items = std::move(items);
  it->snapshot = true;
  return Object(Tag::Iter, it);
}

Object Interp::iter(const Object& o) {
  switch (o.tag()) {
    case Tag::Iter: return o;
    case Tag::List:
    case Tag::Tuple:
    case Tag::Range:
    case Tag::Bytes:
    case Tag::ByteArray:
    case Tag::MemoryView: {
      auto it = asyncio::make_ref<IterObj>();
      it->src = o;
      return Object(Tag::Iter, it);
    }
    case Tag::Str: {
      auto it = asyncio::make_ref<IterObj>();
      const std::string& s = o.as<StrObj>()->s;
      for (std::size_t i = 0; i < s.size();) {
        std::size_t n = 1;
        while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
        it->items.push_back(str_obj(s.substr(i, n)));
        i += n;
      }
      it->snapshot = true;
      return Object(Tag::Iter, it);
    }
    case Tag::Dict: {
      auto it = asyncio::make_ref<IterObj>();
      o.as<DictObj>()->each([&](const Object& k, const Object&) { it->items.push_back(k); });
      it->snapshot = true;
      return Object(Tag::Iter, it);
    }
    case Tag::Set: {
      auto it = asyncio::make_ref<IterObj>();
      o.as<SetObj>()->each([&](const Object& k) { it->items.push_back(k); });
      it->snapshot = true;
      return Object(Tag::Iter, it);
    }
    case Tag::Native:
    case Tag::Type:
    case Tag::Instance: {
      Object m = o.is(Tag::Native) ? getattr_opt(o, "__iter__") : special(o, "__iter__");
      if (!m.null()) {
        Object r = call0(m);
        if (r.is(Tag::Iter)) return r;
        if (!r.is(Tag::Native) && special(r, "__next__").null())
          raise(T.TypeError, fmt::format("iter() returned non-iterator of type '{}'", type_of(r)->tp_name()));
        auto it = asyncio::make_ref<IterObj>();  // a native iterator: IterObj drives its __next__
        it->src = r;
        return Object(Tag::Iter, it);
      }
      break;
    }
    case Tag::Future: return future_iter(*this, o);  // Future.__iter__ is __await__
    default: break;
  }
  raise(T.TypeError, fmt::format("'{}' object is not iterable", type_of(o)->tp_name()));
}

bool NativeObj::iternext(Interp& ip, const Object& self, Object& out) {
  out = ip.call0(ip.getattr(self, "__next__"));
  return !out.null();
}

bool Interp::next(IterObj& it, Object& out) {
  if (it.snapshot) {
    if (it.pos >= static_cast<std::int64_t>(it.items.size())) return false;
    out = it.items[it.pos++];
    return true;
  }
  const Object& s = it.src;
  switch (s.tag()) {
    case Tag::List:
    case Tag::Tuple: {
      auto& v = s.as<ListObj>()->v;
      if (it.pos >= static_cast<std::int64_t>(v.size())) return false;
      out = v[it.pos++];
      return true;
    }
    case Tag::Bytes:
    case Tag::ByteArray: {
      const std::string& b = s.as<BytesObj>()->s;
      if (it.pos >= static_cast<std::int64_t>(b.size())) return false;
      out = Object::integer(static_cast<unsigned char>(b[it.pos++]));
      return true;
    }
    case Tag::MemoryView:
      if (it.pos >= memoryview_len(*this, s)) return false;
      out = memoryview_getitem(*this, s, Object::integer(it.pos++));
      return true;
    case Tag::Range: {
      auto* r = s.as<RangeObj>();
      if (it.pos >= r->length()) return false;
      out = Object::integer(r->start + r->step * it.pos++);
      return true;
    }
    case Tag::Native: return s.as<NativeObj>()->iternext(*this, s, out);
    case Tag::Instance: {
      // A program's iterator: its __next__ raises StopIteration when exhausted.
      Object m = special(s, "__next__");
      if (m.null()) raise(T.TypeError, fmt::format("iter() returned non-iterator of type '{}'", type_of(s)->tp_name()));
      std::exception_ptr ep;
      try {
        out = call0(m);
        return true;
      } catch (const Abort&) {
        throw;
      } catch (...) {
        ep = std::current_exception();
      }
      if (to_python(ep)->cls->subclass_of(T.StopIteration.get())) return false;
      std::rethrow_exception(ep);
    }
    default: return false;
  }
}

std::vector<Object> Interp::to_vector(const Object& o) {
  if (o.is(Tag::List) || o.is(Tag::Tuple)) return o.as<ListObj>()->v;
  std::vector<Object> out;
  Object it = iter(o);
  Object v;
  while (next(*it.as<IterObj>(), v)) out.push_back(std::move(v));
  return out;
}

std::vector<Object> Interp::join_items(const Object& o) {
  if (o.is(Tag::List) || o.is(Tag::Tuple)) return o.as<ListObj>()->v;
  Object it;
  try {
    it = iter(o);
  } catch (const Abort&) {
    throw;
  } catch (...) {
    // PySequence_Fast replaces any TypeError of PyObject_GetIter with its own message.
    if (to_python(std::current_exception())->cls->subclass_of(T.TypeError.get())) raise(T.TypeError, "can only join an iterable");
    throw;
  }
  return to_vector(it);
}

// ---------------------------------------------------------------------------------------------
// Subscripts

std::int64_t Interp::index_arg(const Object& o, const char* what) {
  if (o.is(Tag::Int) || o.is(Tag::Bool)) return o.i();
  if (Object v = builtin_value(*this, o); v.is(Tag::Int)) return v.i();
  if (!what) raise(T.TypeError, fmt::format("'{}' object cannot be interpreted as an integer", type_of(o)->tp_name()));
  raise(T.TypeError, fmt::format("{} indices must be integers or slices, not {}", what, type_of(o)->tp_name()));
}

std::int64_t slice_indices(Interp& ip, SliceObj& s, std::int64_t len, std::int64_t& start, std::int64_t& stop, std::int64_t& step) {
  step = s.step.is_none() || s.step.null() ? 1 : ip.index_arg(s.step, "slice");
  if (step == 0) ip.raise(ip.T.ValueError, "slice step cannot be zero");
  auto bound = [&](const Object& v, std::int64_t dflt, bool is_start) {
    if (v.is_none() || v.null()) return dflt;
    std::int64_t x = ip.index_arg(v, "slice");
    if (x < 0) {
      x += len;
      if (x < 0) x = step < 0 ? -1 : 0;
    } else if (x >= len) {
      x = step < 0 ? len - 1 : len;
    }
    (void)is_start;
    return x;
  };
  start = bound(s.lower, step < 0 ? len - 1 : 0, true);
  stop = bound(s.upper, step < 0 ? -1 : len, false);
  if (step < 0) return stop < start ? (start - stop - 1) / (-step) + 1 : 0;
  return start < stop ? (stop - start - 1) / step + 1 : 0;
}

namespace {
std::vector<std::string_view> code_points(const std::string& s) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = 1;
    while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
    out.emplace_back(s.data() + i, n);
    i += n;
  }
  return out;
}
}  // namespace

Object Interp::getitem(const Object& o, const Object& key) {
  switch (o.tag()) {
    case Tag::Native:
    case Tag::Type:
    case Tag::Instance: {
      Object m = o.is(Tag::Native) ? getattr_opt(o, "__getitem__") : special(o, "__getitem__");
      if (m.null()) break;
      return call1(m, key);
    }
    case Tag::List:
    case Tag::Tuple: {
      auto& v = o.as<ListObj>()->v;
      const char* what = o.is(Tag::List) ? "list" : "tuple";
      if (key.is(Tag::Slice)) {
        std::int64_t start, stop, step;
        std::int64_t n = slice_indices(*this, *key.as<SliceObj>(), static_cast<std::int64_t>(v.size()), start, stop, step);
        std::vector<Object> out;
        for (std::int64_t k = 0; k < n; ++k) out.push_back(v[start + k * step]);
        return make<ListObj>(o.tag(), std::move(out));
      }
      std::int64_t i = index_arg(key, what);
      if (i < 0) i += static_cast<std::int64_t>(v.size());
      if (i < 0 || i >= static_cast<std::int64_t>(v.size())) raise(T.IndexError, fmt::format("{} index out of range", what));
      return v[i];
    }
    case Tag::Str: {
      auto* s = o.as<StrObj>();
      if (key.is(Tag::Slice)) {
        std::int64_t start, stop, step;
        if (s->ascii()) {
          std::int64_t n = slice_indices(*this, *key.as<SliceObj>(), static_cast<std::int64_t>(s->s.size()), start, stop, step);
          if (step == 1) return str_obj(s->s.substr(start, n));
          std::string out;
          for (std::int64_t k = 0; k < n; ++k) out += s->s[start + k * step];
          return str_obj(out);
        }
        auto cps = code_points(s->s);
        std::int64_t n = slice_indices(*this, *key.as<SliceObj>(), static_cast<std::int64_t>(cps.size()), start, stop, step);
        std::string out;
        for (std::int64_t k = 0; k < n; ++k) out += cps[start + k * step];
        return str_obj(out);
      }
      std::int64_t i = index_arg(key, "string");
      std::int64_t n = s->length();
      if (i < 0) i += n;
      if (i < 0 || i >= n) raise(T.IndexError, "string index out of range");
      if (s->ascii()) return str_obj(s->s.substr(i, 1));
      return str_obj(std::string(code_points(s->s)[i]));
    }
    case Tag::Dict: {
      Object* v = o.as<DictObj>()->find(key, hash(key));
      if (!v && o.as<DictObj>()->cls) return dict_missing(*this, o, key);
      if (!v) raise_obj(new_exc(T.KeyError, {key}));
      return *v;
    }
    case Tag::Bytes:
    case Tag::ByteArray: return bytes_getitem(*this, o, key);
    case Tag::MemoryView: return memoryview_getitem(*this, o, key);
    case Tag::Range: {
      auto* r = o.as<RangeObj>();
      if (key.is(Tag::Slice)) {
        std::int64_t start, stop, step;
        std::int64_t n = slice_indices(*this, *key.as<SliceObj>(), r->length(), start, stop, step);
        return make<RangeObj>(Tag::Range, r->start + start * r->step, r->start + (start + n * step) * r->step, r->step * step);
      }
      std::int64_t i = index_arg(key, "range");
      if (i < 0) i += r->length();
      if (i < 0 || i >= r->length()) raise(T.IndexError, "range object index out of range");
      return Object::integer(r->start + i * r->step);
    }
    default: break;
  }
  raise(T.TypeError, fmt::format("'{}' object is not subscriptable", type_of(o)->tp_name()));
}

void Interp::setitem(const Object& o, const Object& key, Object v) {
  if (o.is(Tag::Instance) || o.is(Tag::Native)) {
    Object m = o.is(Tag::Native) ? getattr_opt(o, "__setitem__") : special(o, "__setitem__");
    if (!m.null()) {
      CallArgs a;
      a.pos = {key, std::move(v)};
      call(m, a);
      return;
    }
  }
  if (o.is(Tag::List)) {
    auto& vec = o.as<ListObj>()->v;
    if (key.is(Tag::Slice)) {
      std::int64_t start, stop, step;
      std::int64_t n = slice_indices(*this, *key.as<SliceObj>(), static_cast<std::int64_t>(vec.size()), start, stop, step);
      std::vector<Object> items = to_vector(v);
      if (step != 1) {
        if (static_cast<std::int64_t>(items.size()) != n)
          raise(T.ValueError, fmt::format("attempt to assign sequence of size {} to extended slice of size {}", items.size(), n));
        for (std::int64_t k = 0; k < n; ++k) vec[start + k * step] = items[k];
        return;
      }
      if (stop < start) stop = start;
      vec.erase(vec.begin() + start, vec.begin() + stop);
      vec.insert(vec.begin() + start, items.begin(), items.end());
      return;
    }
    std::int64_t i = index_arg(key, "list");
    if (i < 0) i += static_cast<std::int64_t>(vec.size());
    if (i < 0 || i >= static_cast<std::int64_t>(vec.size())) raise(T.IndexError, "list assignment index out of range");
    vec[i] = std::move(v);
    return;
  }
  if (o.is(Tag::Dict)) {
    o.as<DictObj>()->set(key, hash(key), std::move(v));
    return;
  }
  if (o.is(Tag::ByteArray)) return bytearray_setitem(*this, o, key, v);
  if (o.is(Tag::MemoryView)) return memoryview_setitem(*this, o, key, v);
  raise(T.TypeError, fmt::format("'{}' object does not support item assignment", type_of(o)->tp_name()));
}

void Interp::delitem(const Object& o, const Object& key) {
  if (o.is(Tag::Instance) || o.is(Tag::Native)) {
    Object m = o.is(Tag::Native) ? getattr_opt(o, "__delitem__") : special(o, "__delitem__");
    if (!m.null()) {
      call1(m, key);
      return;
    }
  }
  if (o.is(Tag::List)) {
    auto& vec = o.as<ListObj>()->v;
    if (key.is(Tag::Slice)) {
      std::int64_t start, stop, step;
      std::int64_t n = slice_indices(*this, *key.as<SliceObj>(), static_cast<std::int64_t>(vec.size()), start, stop, step);
      std::vector<bool> drop(vec.size());
      for (std::int64_t k = 0; k < n; ++k) drop[start + k * step] = true;
      std::vector<Object> keep;
      for (std::size_t k = 0; k < vec.size(); ++k)
        if (!drop[k]) keep.push_back(vec[k]);
      vec = std::move(keep);
      return;
    }
    std::int64_t i = index_arg(key, "list");
    if (i < 0) i += static_cast<std::int64_t>(vec.size());
    if (i < 0 || i >= static_cast<std::int64_t>(vec.size())) raise(T.IndexError, "list assignment index out of range");
    vec.erase(vec.begin() + i);
    return;
  }
  if (o.is(Tag::Dict)) {
    if (!o.as<DictObj>()->erase(key, hash(key))) raise_obj(new_exc(T.KeyError, {key}));
    return;
  }
  if (o.is(Tag::ByteArray)) return bytearray_delitem(*this, o, key);
  if (o.is(Tag::MemoryView))
    raise(T.TypeError, o.as<MemoryViewObj>()->readonly ? "cannot modify read-only memory" : "cannot delete memory");
  raise(T.TypeError, fmt::format("'{}' object doesn't support item deletion", type_of(o)->tp_name()));
}

// ---------------------------------------------------------------------------------------------
// Attributes

Object Interp::getattr_opt(const Object& o, std::string_view name) {
  switch (o.tag()) {
    case Tag::Str: return str_method(*this, o, name);
    case Tag::Bytes: return bytes_method(*this, o, name);
    case Tag::ByteArray: return bytearray_method(*this, o, name);
    case Tag::MemoryView: return memoryview_method(*this, o, name);
    case Tag::List: return list_method(*this, o, name);
    case Tag::Tuple:
      if (o.as<ListObj>()->cls)
        if (Object v = namedtuple_attr(*this, o, name); !v.null()) return v;
      return tuple_method(*this, o, name);
    case Tag::Dict:
      if (o.as<DictObj>()->cls)
        if (Object v = dict_subclass_attr(*this, o, name); !v.null()) return v;
      return dict_method(*this, o, name);
    case Tag::Set: return set_method(*this, o, name);
    case Tag::Future: return future_getattr(*this, o, name);
    case Tag::Loop: return loop_method(*this, o, name);
    case Tag::Handle: return handle_method(*this, o, name);
    case Tag::Native: return o.as<NativeObj>()->getattr(*this, o, name);
    case Tag::Iter: {  // a native iterator's attributes (a generator's send, throw...)
      const Object& src = o.as<IterObj>()->src;
      return src.is(Tag::Native) ? src.as<NativeObj>()->getattr(*this, src, name) : Object();
    }
    case Tag::Range: {
      auto* r = o.as<RangeObj>();
      if (name == "start") return Object::integer(r->start);
      if (name == "stop") return Object::integer(r->stop);
      if (name == "step") return Object::integer(r->step);
      return {};
    }
    case Tag::Int:
    case Tag::Bool:
      if (name == "real" || name == "numerator") return Object::integer(o.i());
      if (name == "imag") return Object::integer(0);
      if (name == "denominator") return Object::integer(1);
      if (Object m = int_method(*this, o, name); !m.null()) return m;
      if (name == "bit_length")
        return builtin("bit_length", [](Interp&, BuiltinObj& b, CallArgs&) {
          std::uint64_t v = b.self.i() < 0 ? -static_cast<std::uint64_t>(b.self.i()) : b.self.i();
          return Object::integer(v ? 64 - __builtin_clzll(v) : 0);
        }, o);
      return {};
    case Tag::Float:
      if (name == "real") return o;
      if (name == "imag") return Object::real(0);
      if (name == "is_integer")
        return builtin("is_integer", [](Interp&, BuiltinObj& b, CallArgs&) {
          return Object::boolean(std::isfinite(b.self.f()) && b.self.f() == std::floor(b.self.f()));
        }, o);
      return {};
    case Tag::Func: {
      auto* fn = o.as<FuncObj>();
      // Attributes set on the function (functools.wraps sets __doc__, __module__, __wrapped__...).
      if (fn->dict)
        if (Object* v = fn->dict->find_str(name)) return *v;
      if (name == "__dict__") {
        if (!fn->dict) fn->dict = asyncio::make_ref<DictObj>();
        return Object(Tag::Dict, fn->dict);
      }
      if (name == "__doc__") {
        const Stmt* first = fn->def && !fn->def->body.empty() ? fn->def->body[0] : nullptr;
        if (first && first->kind == scenario::StmtKind::ExprStmt && first->as<scenario::ExprStmt>().value->kind == scenario::ExprKind::Str)
          return str_obj(std::string(first->as<scenario::ExprStmt>().value->as<scenario::Str>().value));
        return Object::none();
      }
      if (name == "__name__") return str_obj(fn->name);
      if (name == "__qualname__") return str_obj(fn->qualname);
      if (name == "__module__") return str_obj("__main__");
      return {};
    }
    case Tag::Builtin: {
      auto* b = o.as<BuiltinObj>();
      if (name == "__name__") return str_obj(b->data.is(Tag::Func) ? b->data.as<FuncObj>()->name : b->name);
      if (name == "__self__") return b->self;
      if (name == "__func__") return b->data;
      return {};
    }
    case Tag::Coro: {
      auto* c = o.as<CoroObj>();
      if (name == "__name__" || name == "__qualname__") {
        std::string q = c->qualname;
        if (name == "__name__" && q.rfind('.') != std::string::npos) q = q.substr(q.rfind('.') + 1);
        return str_obj(q);
      }
      if (Object m = coro_method(*this, o, name); !m.null()) return m;
      if (name == "__await__")  // awaiting the result awaits the coroutine (a class's __await__ returns it)
        return builtin("__await__", [](Interp&, BuiltinObj& b, CallArgs&) { return b.self; }, o);
      return {};
    }
    case Tag::Type: {
      auto* t = o.as<TypeObj>();
      if (name == "__name__") return str_obj(t->name);
      if (name == "__qualname__") return str_obj(t->qualname.empty() ? t->name : t->qualname);
      if (name == "__module__" && !t->user) return str_obj(t->module.empty() ? "builtins" : t->module);
      if (name == "__base__") return t->base ? Object(Tag::Type, t->base) : Object::none();
      if (name == "__bases__") {
        std::vector<Object> bs;
        for (auto& b : t->bases) bs.emplace_back(Tag::Type, b);
        if (t->bases.empty() && t->base) bs.emplace_back(Tag::Type, t->base);
        return tuple_obj(std::move(bs));
      }
      if (name == "__mro__") {
        std::vector<Object> ms;
        if (!t->mro.empty())
          for (TypeObj* c : t->mro) ms.emplace_back(Tag::Type, c);
        else
          for (TypeObj* c = t; c; c = c->base.get()) ms.emplace_back(Tag::Type, c);
        return tuple_obj(std::move(ms));
      }
      if (name == "__dict__" && t->ns) return Object(Tag::Dict, t->ns);
      if (Object* v = type_lookup(t, name)) return bind(*v, Object(), Ref<TypeObj>(t));
      if (t->meta)
        if (Object* v = type_lookup(t->meta.get(), name)) return bind(*v, o, t->meta);
      if (Object m = object_method(*this, name); !m.null()) return m;
      if (t == T.int_.get())
        if (Object m = int_type_attr(*this, name); !m.null()) return m;
      if (t == T.bytes.get() || t == T.bytearray.get())
        if (Object m = bytes_type_attr(*this, o, name); !m.null()) return m;
      // Unbound methods of builtin types (`str.lower`): call the method of the first argument.
      Object sample = t == T.str.get() ? str_obj("") : t == T.bytes.get() ? bytes_obj("") : t == T.bytearray.get() ? bytes_obj("", Tag::ByteArray)
                    : t == T.list.get() ? list_obj() : t == T.tuple.get() ? tuple_obj()
                    : t == T.dict.get() ? dict_obj() : t == T.set.get() ? set_obj() : Object();
      if (!sample.null() && !getattr_opt(sample, name).null())
        return builtin(intern(std::string(name)), [](Interp& ip, BuiltinObj& b, CallArgs& a) {
          if (a.pos.empty()) ip.raise(ip.T.TypeError, fmt::format("unbound method {}() needs an argument", b.name));
          Object self = a.pos[0];
          if (!ip.isinstance(self, b.data.as<TypeObj>()))
            ip.raise(ip.T.TypeError, fmt::format("descriptor '{}' for '{}' objects doesn't apply to a '{}' object", b.name,
                                                 b.data.as<TypeObj>()->name, ip.type_of(self)->tp_name()));
          a.pos.erase(a.pos.begin());
          return ip.call(ip.getattr(self, b.name), a);
        }, Object(), o);
      return {};
    }
    case Tag::Exc: {
      auto* e = o.as<ExcObj>();
      if (e->cls->user) {
        Object v = generic_getattr(o, e->cls, e->attrs.get(), name);
        if (!v.null()) return v;
      } else if (e->attrs) {
        if (Object* v = e->attrs->find_str(name)) return *v;
      }
      if (name == "args") return tuple_obj(e->args);
      if (name == "value" && e->cls->subclass_of(T.StopIteration.get()))
        return e->args.empty() ? Object::none() : e->args[0];
      if (name == "code" && e->cls->subclass_of(T.SystemExit.get())) return exit_code(*e);
      if (name == "__cause__") return e->cause.null() ? Object::none() : e->cause;
      if (name == "__context__") return e->context.null() ? Object::none() : e->context;
      if (name == "__suppress_context__") return Object::boolean(e->suppress_context);
      if (name == "__traceback__") return traceback_object(*this, *e);
      if (name == "__class__") return Object(Tag::Type, e->cls);
      if ((e->cls->subclass_of(T.UnicodeDecodeError.get()) || e->cls->subclass_of(T.UnicodeEncodeError.get())) && e->args.size() == 5) {
        static const char* const kFields[] = {"encoding", "object", "start", "end", "reason"};  // the arguments, in order
        for (std::size_t k = 0; k < 5; ++k)
          if (name == kFields[k]) return e->args[k];
      }
      if (e->cls->subclass_of(T.BaseExceptionGroup.get())) {
        if (name == "exceptions") return tuple_obj(e->group);
        if (name == "message") return e->args.empty() ? str_obj("") : e->args[0];
        if (Object m = exc_group_method(*this, o, name); !m.null()) return m;
      }
      if (name == "with_traceback")
        return builtin("with_traceback", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
          check_args(ip, "with_traceback", a, 1, 1);
          set_traceback(ip, *b.self.as<ExcObj>(), a.pos[0]);
          return b.self;
        }, o);
      if (name == "add_note") return exc_add_note(*this, o);
      return {};
    }
    case Tag::Instance: {
      auto* in = o.as<InstanceObj>();
      if (name == "__dict__" && !in->dict && in->cls->has_dict) in->dict = asyncio::make_ref<DictObj>();  // vars(C())
      return generic_getattr(o, in->cls, in->dict.get(), name);
    }
    default: return {};
  }
}

Object Interp::getattr(const Object& o, std::string_view name) {
  Object v = getattr_opt(o, name);
  if (!v.null()) return v;
  if (name == "__class__") return Object(Tag::Type, type_of(o));
  if (o.is(Tag::Native) && o.as<NativeObj>()->type_name() == std::string_view("module"))
    raise(T.AttributeError, fmt::format("module '{}' has no attribute '{}'", repr(o).substr(9, repr(o).find('\'', 9) - 9), name));
  if (o.is(Tag::Type))
    raise(T.AttributeError, fmt::format("type object '{}' has no attribute '{}'", o.as<TypeObj>()->name, name));
  raise(T.AttributeError, fmt::format("'{}' object has no attribute '{}'", type_of(o)->tp_name(), name));
}

void Interp::setattr(const Object& o, std::string_view name, Object v) {
  if (o.is(Tag::Instance)) {
    auto* in = o.as<InstanceObj>();
    if (Object* m = type_lookup(in->cls.get(), v.null() ? "__delattr__" : "__setattr__")) {
      CallArgs a;
      a.pos.push_back(str_obj(std::string(name)));
      if (!v.null()) a.pos.push_back(std::move(v));
      call(bind(*m, o, in->cls), a);
      return;
    }
    generic_setattr(o, in->cls, in->dict, name, std::move(v));
    return;
  }
  if (o.is(Tag::Future)) return future_setattr(*this, o, name, std::move(v));
  if (o.is(Tag::Type) && o.as<TypeObj>()->user) {
    auto* t = o.as<TypeObj>();
    if (t->meta)
      if (Object* m = type_lookup(t->meta.get(), v.null() ? "__delattr__" : "__setattr__")) {
        CallArgs a;
        a.pos = {o, str_obj(std::string(name))};
        if (!v.null()) a.pos.push_back(std::move(v));
        call(*m, a);
        return;
      }
    Object k = str_obj(std::string(name));
    if (v.null()) {
      if (!t->ns->erase(k, hash(k))) raise(T.AttributeError, fmt::format("type object '{}' has no attribute '{}'", t->name, name));
    } else {
      t->ns->set(k, hash(k), std::move(v));
    }
    return;
  }
  if (o.is(Tag::Exc)) {
    auto* e = o.as<ExcObj>();
    if (name == "__cause__") {
      e->cause = v.is_none() ? Object() : v;
      e->suppress_context = true;
      return;
    }
    if (name == "__context__") {
      e->context = v.is_none() ? Object() : v;
      return;
    }
    if (name == "args") {
      e->args = to_vector(v);
      return;
    }
    if (e->cls->user) return generic_setattr(o, e->cls, e->attrs, name, std::move(v));
    if (!e->attrs) e->attrs = asyncio::make_ref<DictObj>();
    Object k = str_obj(std::string(name));
    e->attrs->set(k, hash(k), std::move(v));
    return;
  }
  if (o.is(Tag::Func)) {
    auto* fn = o.as<FuncObj>();
    if (name == "__name__") {
      fn->name = str(v);
    } else if (name == "__qualname__") {
      fn->qualname = intern(str(v));
    } else {
      if (!fn->dict) fn->dict = asyncio::make_ref<DictObj>();
      Object k = str_obj(std::string(name));
      if (v.null()) fn->dict->erase(k, hash(k));
      else fn->dict->set(k, hash(k), std::move(v));
    }
    return;
  }
  if (o.is(Tag::Native)) {
    Object setter = o.as<NativeObj>()->getattr(*this, o, "__setattr__");
    if (!setter.null()) {
      CallArgs a;
      a.pos = {str_obj(std::string(name)), std::move(v)};
      call(setter, a);
      return;
    }
  }
  // A namedtuple's fields are read-only descriptors (collections._tuplegetter).
  if (o.is(Tag::Tuple) && o.as<ListObj>()->cls && !namedtuple_attr(*this, o, name).null() && !name.starts_with('_'))
    raise(T.AttributeError, "can't set attribute");
  raise(T.AttributeError, fmt::format("'{}' object has no attribute '{}'", type_of(o)->tp_name(), name));
}

// ---------------------------------------------------------------------------------------------
// Calls

Object Interp::call(const Object& fn, CallArgs& args) {
  switch (fn.tag()) {
    case Tag::Func: return call_function(fn.as<FuncObj>(), args);
    case Tag::Builtin: {
      auto* b = fn.as<BuiltinObj>();
      Ref<BuiltinObj> keep(b);
      RecursiveCall level(*this, kInCall);  // cfunction_vectorcall's Py_EnterRecursiveCall
      try {
        if (b->fn) return b->fn(*this, *b, args);
        return b->closure(*this, args);
      } catch (const Abort&) {
        throw;
      } catch (...) {
        rethrow_keeping(std::current_exception(), std::move(args.pos));
      }
    }
    case Tag::Type: {
      auto* t = fn.as<TypeObj>();
      if (t->meta)
        if (Object m = special(fn, "__call__"); !m.null()) return call(m, args);
      if (t->construct) {
        BuiltinObj self(t->name.c_str(), t->construct, fn);
        return t->construct(*this, self, args);
      }
      if (t->user && !t->is_exception) return new_instance(Ref<TypeObj>(t), args);
      if (t->is_exception) {
        Ref<TypeObj> cls(t);
        Object init = getattr_opt(fn, "__init__");
        if (!init.null() && init.is(Tag::Func)) {
          Object inst(Tag::Exc, new_exc(cls, args.pos));
          CallArgs a = args;
          a.pos.insert(a.pos.begin(), inst);
          call(init, a);
          return inst;
        }
        if (!args.kw.empty())
          raise(T.TypeError, fmt::format("{}() takes no keyword arguments", t->name));
        if (t->subclass_of(T.BaseExceptionGroup.get())) {
          if (args.pos.size() != 2) raise(T.TypeError, fmt::format("BaseExceptionGroup.__new__() takes exactly 2 arguments ({} given)", args.pos.size()));
          if (!args.pos[0].is(Tag::Str)) raise(T.TypeError, "argument 1 must be str, not " + type_of(args.pos[0])->tp_name());
          std::vector<Object> members = to_vector(args.pos[1]);
          if (members.empty()) raise(T.ValueError, "second argument (exceptions) must be a non-empty sequence");
          bool all_exc = true;
          for (auto& m : members) {
            if (!m.is(Tag::Exc)) raise(T.ValueError, fmt::format("Item {} of second argument (exceptions) is not an exception", &m - members.data()));
            all_exc = all_exc && m.as<ExcObj>()->cls->subclass_of(T.Exception.get());
          }
          if (t == T.BaseExceptionGroup.get() && all_exc) cls = T.ExceptionGroup;
          else if (t->subclass_of(T.ExceptionGroup.get()) && !all_exc) raise(T.TypeError, "Cannot nest BaseExceptions in an ExceptionGroup");
          auto e = new_exc(cls, args.pos);
          e->group = std::move(members);
          return Object(Tag::Exc, e);
        }
        return Object(Tag::Exc, new_exc(cls, args.pos));
      }
      raise(T.TypeError, fmt::format("cannot create '{}' instances", t->name));
    }
    case Tag::Native: {
      Object m = getattr_opt(fn, "__call__");
      if (!m.null()) return call(m, args);
      break;
    }
    case Tag::Instance: {
      Object m = special(fn, "__call__");
      if (!m.null()) return call(m, args);
      break;
    }
    default: break;
  }
  raise(T.TypeError, fmt::format("'{}' object is not callable", type_of(fn)->tp_name()));
}

Object Interp::call_method(const Object& o, std::string_view name, std::vector<Object> args) {
  CallArgs a;
  a.pos = std::move(args);
  return call(getattr(o, name), a);
}

void check_args(Interp& ip, const char* name, CallArgs& a, std::size_t min, std::size_t max) {
  if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("{}() takes no keyword arguments", name));
  if (a.pos.size() < min || a.pos.size() > max) {
    if (min == max)
      ip.raise(ip.T.TypeError, min == 0 ? fmt::format("{}() takes no arguments ({} given)", name, a.pos.size())
                                        : fmt::format("{}() takes exactly {} argument{} ({} given)", name, min, min == 1 ? "" : "s", a.pos.size()));
    if (a.pos.size() < min)
      ip.raise(ip.T.TypeError, fmt::format("{} expected at least {} argument{}, got {}", name, min, min == 1 ? "" : "s", a.pos.size()));
    ip.raise(ip.T.TypeError, fmt::format("{} expected at most {} argument{}, got {}", name, max, max == 1 ? "" : "s", a.pos.size()));
  }
}

Object arg_or(CallArgs& a, std::size_t i, std::string_view kw, Object dflt) {
  if (i < a.pos.size()) return a.pos[i];
  Object v = a.take_kw(kw);
  return v.null() ? dflt : v;
}

}  // namespace aiospec::interp

// The builtins module: the builtin functions and constructors.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "../interp.hpp"
#include "../objects/generator.hpp"

namespace aiospec::interp {

namespace {

using Fn = BuiltinObj::Fn;

std::int64_t to_int(Interp& ip, const Object& o, const char* what) {
  if (o.is(Tag::Int) || o.is(Tag::Bool)) return o.i();
  ip.raise(ip.T.TypeError, fmt::format("'{}' object cannot be interpreted as an integer{}", ip.type_of(o)->name, what));
}



Object b_print(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object sep = a.take_kw("sep"), end = a.take_kw("end");
  a.take_kw("flush");
  Object file = a.take_kw("file");
  if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("'{}' is an invalid keyword argument for print()", a.kw[0].first));
  auto text_of = [&](const Object& o, const char* what, const char* absent) {
    if (o.null() || o.is_none()) return std::string(absent);
    if (!o.is(Tag::Str)) ip.raise(ip.T.TypeError, fmt::format("{} must be None or a string, not {}", what, ip.type_of(o)->name));
    return ip.str(o);
  };
  const std::string s = text_of(sep, "sep", " "), e = text_of(end, "end", "\n");
  // builtin_print_impl: one file.write() per argument, separator and end; the program's stdout
  // (file=None) takes the line at once.
  const bool to_file = !file.null() && !file.is_none();
  Object write = to_file ? ip.getattr(file, "write") : Object();
  std::string out;
  auto put = [&](std::string text) { to_file ? void(ip.call1(write, ip.str_obj(std::move(text)))) : void(out += text); };
  for (std::size_t i = 0; i < a.pos.size(); ++i) {
    if (i) put(s);
    put(ip.str(a.pos[i]));
  }
  put(e);
  if (!to_file) ip.write_out(out);
  return Object::none();
}

Object b_len(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "len", a, 1, 1);
  return Object::integer(ip.len(a.pos[0]));
}

Object b_range(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "range", a, 1, 3);
  std::int64_t start = 0, stop, step = 1;
  if (a.pos.size() == 1) {
    stop = to_int(ip, a.pos[0], "");
  } else {
    start = to_int(ip, a.pos[0], "");
    stop = to_int(ip, a.pos[1], "");
    if (a.pos.size() == 3) step = to_int(ip, a.pos[2], "");
  }
  if (step == 0) ip.raise(ip.T.ValueError, "range() arg 3 must not be zero");
  return make<RangeObj>(Tag::Range, start, stop, step);
}


// enumerate, zip, map and filter are lazy, as in CPython: they draw from their iterables one item
// at a time (infinite ones included).
Object b_enumerate(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object start = a.take_kw("start");
  if (a.pos.size() == 2) start = a.pos[1];
  if (a.pos.empty()) ip.raise(ip.T.TypeError, "enumerate() missing required argument 'iterable' (pos 1)");
  std::int64_t n = start.null() ? 0 : to_int(ip, start, "");
  return lazy_iter("enumerate", [it = ip.iter(a.pos[0]), n](Interp& ip, Object& out) mutable {
    Object x;
    if (!ip.next(*it.as<IterObj>(), x)) return false;
    out = ip.tuple_obj({Object::integer(n++), x});
    return true;
  });
}

std::vector<Object> iters_of(Interp& ip, const std::vector<Object>& iterables) {
  std::vector<Object> its;
  for (const Object& x : iterables) its.push_back(ip.iter(x));
  return its;
}

Object b_zip(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object strict_arg = a.take_kw("strict");
  bool strict = !strict_arg.null() && ip.truthy(strict_arg);
  return lazy_iter("zip", [its = iters_of(ip, a.pos), strict](Interp& ip, Object& out) {
    if (its.empty()) return false;
    std::vector<Object> row;
    for (std::size_t k = 0; k < its.size(); ++k) {
      Object v;
      if (ip.next(*its[k].as<IterObj>(), v)) {
        row.push_back(v);
        continue;
      }
      if (!strict) return false;
      // zip_next: an argument that ends before the first is shorter; the first ending with others left is shorter than them.
      auto plural = [](std::size_t i) { return i == 1 ? std::string(" 1") : "s 1-" + std::to_string(i); };
      if (k > 0) ip.raise(ip.T.ValueError, fmt::format("zip() argument {} is shorter than argument{}", k + 1, plural(k)));
      for (std::size_t j = 1; j < its.size(); ++j)
        if (ip.next(*its[j].as<IterObj>(), v)) ip.raise(ip.T.ValueError, fmt::format("zip() argument {} is longer than argument{}", j + 1, plural(j)));
      return false;
    }
    out = ip.tuple_obj(std::move(row));
    return true;
  });
}

Object b_sorted(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object key = a.take_kw("key"), rev = a.take_kw("reverse");
  check_args(ip, "sorted", a, 1, 1);
  std::vector<Object> v = ip.to_vector(a.pos[0]);
  py_sort(ip, v, key, !rev.null() && ip.truthy(rev));
  return ip.list_obj(std::move(v));
}

Object b_reversed(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "reversed", a, 1, 1);
  if (a.pos[0].is(Tag::Set) || a.pos[0].is(Tag::Iter))
    ip.raise(ip.T.TypeError, fmt::format("'{}' object is not reversible", ip.type_of(a.pos[0])->name));
  std::vector<Object> v = ip.to_vector(a.pos[0]);
  std::reverse(v.begin(), v.end());
  return snapshot_iter(std::move(v));
}

Object minmax(Interp& ip, CallArgs& a, bool is_max) {
  const char* name = is_max ? "max" : "min";
  Object key = a.take_kw("key"), dflt = a.take_kw("default");
  if (a.pos.empty()) ip.raise(ip.T.TypeError, fmt::format("{} expected at least 1 argument, got 0", name));
  std::vector<Object> v = a.pos.size() == 1 ? ip.to_vector(a.pos[0]) : a.pos;
  if (v.empty()) {
    if (!dflt.null()) return dflt;
    ip.raise(ip.T.ValueError, fmt::format("{}() arg is an empty sequence", name));
  }
  Object best = v[0];
  Object bk = key.null() || key.is_none() ? best : ip.call1(key, best);
  for (std::size_t i = 1; i < v.size(); ++i) {
    Object k = key.null() || key.is_none() ? v[i] : ip.call1(key, v[i]);
    if (is_max ? ip.lt(bk, k) : ip.lt(k, bk)) {
      best = v[i];
      bk = k;
    }
  }
  return best;
}
Object b_min(Interp& ip, BuiltinObj&, CallArgs& a) { return minmax(ip, a, false); }
Object b_max(Interp& ip, BuiltinObj&, CallArgs& a) { return minmax(ip, a, true); }

Object b_sum(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object start = a.take_kw("start");
  check_args(ip, "sum", a, 1, 2);
  Object acc = a.pos.size() == 2 ? a.pos[1] : start.null() ? Object::integer(0) : start;
  if (acc.is(Tag::Str)) ip.raise(ip.T.TypeError, "sum() can't sum strings [use ''.join(seq) instead]");
  for (auto& x : ip.to_vector(a.pos[0])) acc = ip.binop(scenario::BinOpKind::Add, acc, x);
  return acc;
}

Object b_abs(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "abs", a, 1, 1);
  const Object& x = a.pos[0];
  if (x.is(Tag::Float)) return Object::real(std::fabs(x.f()));
  if (x.is(Tag::Int) || x.is(Tag::Bool)) return ip.unary(x.i() < 0 ? scenario::UnaryOpKind::Neg : scenario::UnaryOpKind::Pos, x);
  if (Object m = ip.special(x, "__abs__"); !m.null()) return ip.call0(m);
  ip.raise(ip.T.TypeError, fmt::format("bad operand type for abs(): '{}'", ip.type_of(x)->name));
}

Object b_round(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object nd = a.take_kw("ndigits");
  check_args(ip, "round", a, 1, 2);
  if (a.pos.size() == 2) nd = a.pos[1];
  const Object& x = a.pos[0];
  if (x.is(Tag::Int) || x.is(Tag::Bool)) {
    if (nd.null() || nd.is_none() || to_int(ip, nd, "") >= 0) return Object::integer(x.i());
    std::int64_t p = 1;
    for (std::int64_t k = 0; k < -nd.i() && p < INT64_MAX / 10; ++k) p *= 10;
    std::int64_t q = x.i() / p, r = x.i() % p;
    if (r < 0) { r += p; --q; }
    if (2 * r > p || (2 * r == p && (q & 1))) ++q;
    return Object::integer(q * p);
  }
  if (!x.is(Tag::Float)) ip.raise(ip.T.TypeError, fmt::format("type {} doesn't define __round__ method", ip.type_of(x)->name));
  double d = x.f();
  if (nd.null() || nd.is_none()) {
    if (std::isnan(d)) ip.raise(ip.T.ValueError, "cannot convert float NaN to integer");
    if (std::isinf(d)) ip.raise(ip.T.OverflowError, "cannot convert float infinity to integer");
    return Object::integer(static_cast<std::int64_t>(std::nearbyint(d)));
  }
  std::int64_t n = to_int(ip, nd, "");
  if (!std::isfinite(d)) return x;
  if (n >= 0) {
    // Correctly rounded decimal conversion, half to even on exact ties (as Python's float round).
    char buf[512];
    std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(std::min<std::int64_t>(n, 300)), d);
    return Object::real(std::strtod(buf, nullptr));
  }
  double p = std::pow(10.0, static_cast<double>(-n));
  return Object::real(std::nearbyint(d / p) * p);
}

Object b_str(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object x = arg_or(a, 0, "object", Object()), enc = arg_or(a, 1, "encoding", Object()), errors = arg_or(a, 2, "errors", Object());
  if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("'{}' is an invalid keyword argument for str()", a.kw[0].first));
  if (a.pos.size() > 3) ip.raise(ip.T.TypeError, fmt::format("str() takes at most 3 arguments ({} given)", a.pos.size()));
  if (!enc.null() || !errors.null()) {  // str(b, encoding, errors) decodes
    if (x.is(Tag::Str)) ip.raise(ip.T.TypeError, "decoding str is not supported");
    if (!is_buffer(x)) ip.raise(ip.T.TypeError, fmt::format("decoding to str: need a bytes-like object, {} found", ip.type_of(x)->name));
    return ip.str_obj(codec_decode(ip, buffer_bytes(ip, x), x.is(Tag::Bytes) ? x : ip.bytes_obj(buffer_bytes(ip, x)), enc, errors, "str"));
  }
  return x.null() ? ip.str_obj("") : x.is(Tag::Str) ? x : ip.str_obj(ip.str(x));
}
Object b_bytes(Interp& ip, BuiltinObj&, CallArgs& a) { return bytes_construct(ip, Tag::Bytes, a); }
Object b_bytearray(Interp& ip, BuiltinObj&, CallArgs& a) { return bytes_construct(ip, Tag::ByteArray, a); }
Object b_memoryview(Interp& ip, BuiltinObj&, CallArgs& a) { return memoryview_construct(ip, a); }
Object b_repr(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "repr", a, 1, 1);
  return ip.str_obj(ip.repr(a.pos[0]));
}

std::string strip_ws(const std::string& s) {
  auto b = s.find_first_not_of(" \t\n\r\f\v");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\n\r\f\v");
  return s.substr(b, e - b + 1);
}

Object b_int(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object base_o = a.take_kw("base");
  check_args(ip, "int", a, 0, 2);
  if (a.pos.size() == 2) base_o = a.pos[1];
  if (a.pos.empty()) return Object::integer(0);
  const Object x = builtin_value(ip, a.pos[0]);
  if (x.is(Tag::Int)) return x;
  if (x.is(Tag::Bool)) return Object::integer(x.i());
  if (x.is(Tag::Float)) {
    double d = x.f();
    if (std::isnan(d)) ip.raise(ip.T.ValueError, "cannot convert float NaN to integer");
    if (std::isinf(d)) ip.raise(ip.T.OverflowError, "cannot convert float infinity to integer");
    if (std::fabs(d) >= 9.2e18) ip.raise(ip.T.OverflowError, "int too large (the scenario language has 64-bit ints)");
    return Object::integer(static_cast<std::int64_t>(d));
  }
  if (x.is(Tag::Str)) {
    int base = base_o.null() ? 10 : static_cast<int>(to_int(ip, base_o, ""));
    std::string raw = x.as<StrObj>()->s;
    std::string s;
    for (char c : strip_ws(raw))
      if (c != '_') s += c;
    std::string digits = s;
    bool neg = false;
    if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
      neg = digits[0] == '-';
      digits = digits.substr(1);
    }
    if (base == 0 || base == 16 || base == 8 || base == 2) {
      if (digits.size() > 2 && digits[0] == '0' && std::strchr("xXoObB", digits[1])) {
        int b = std::strchr("xX", digits[1]) ? 16 : std::strchr("oO", digits[1]) ? 8 : 2;
        if (base == 0 || base == b) {
          base = b;
          digits = digits.substr(2);
        }
      }
      if (base == 0) base = 10;
    }
    errno = 0;
    char* end = nullptr;
    long long v = digits.empty() ? 0 : std::strtoll(digits.c_str(), &end, base);
    if (digits.empty() || *end || std::isspace(static_cast<unsigned char>(digits[0])) || digits[0] == '-' || digits[0] == '+')
      ip.raise(ip.T.ValueError, fmt::format("invalid literal for int() with base {}: {}", base, str_repr(raw)));
    if (errno == ERANGE) ip.raise(ip.T.OverflowError, "int too large (the scenario language has 64-bit ints)");
    return Object::integer(neg ? -v : v);
  }
  ip.raise(ip.T.TypeError, fmt::format("int() argument must be a string, a bytes-like object or a real number, not '{}'", ip.type_of(x)->name));
}

Object b_float(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "float", a, 0, 1);
  if (a.pos.empty()) return Object::real(0);
  const Object x = builtin_value(ip, a.pos[0]);
  if (x.is(Tag::Float)) return x;
  if (x.is(Tag::Int) || x.is(Tag::Bool)) return Object::real(static_cast<double>(x.i()));
  if (x.is(Tag::Str)) {
    std::string s;
    for (char c : strip_ws(x.as<StrObj>()->s))
      if (c != '_') s += c;
    std::string low;
    for (char c : s) low += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string body = (!low.empty() && (low[0] == '-' || low[0] == '+')) ? low.substr(1) : low;
    double sign = (!low.empty() && low[0] == '-') ? -1 : 1;
    if (body == "inf" || body == "infinity") return Object::real(sign * INFINITY);
    if (body == "nan") return Object::real(NAN);
    char* end = nullptr;
    double d = s.empty() ? 0 : std::strtod(s.c_str(), &end);
    if (s.empty() || *end || body.find_first_of("xpn") != std::string::npos)
      ip.raise(ip.T.ValueError, "could not convert string to float: " + str_repr(x.as<StrObj>()->s));
    return Object::real(d);
  }
  ip.raise(ip.T.TypeError, fmt::format("float() argument must be a string or a real number, not '{}'", ip.type_of(x)->name));
}

Object b_bool(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "bool", a, 0, 1);
  return Object::boolean(!a.pos.empty() && ip.truthy(a.pos[0]));
}
Object b_list(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "list", a, 0, 1);
  return ip.list_obj(a.pos.empty() ? std::vector<Object>{} : ip.to_vector(a.pos[0]));
}
Object b_tuple(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "tuple", a, 0, 1);
  if (!a.pos.empty() && a.pos[0].is(Tag::Tuple) && !a.pos[0].as<ListObj>()->cls) return a.pos[0];  // a namedtuple becomes a tuple
  return ip.tuple_obj(a.pos.empty() ? std::vector<Object>{} : ip.to_vector(a.pos[0]));
}
Object b_dict(Interp& ip, BuiltinObj&, CallArgs& a) {
  if (a.pos.size() > 1) ip.raise(ip.T.TypeError, fmt::format("dict expected at most 1 argument, got {}", a.pos.size()));
  Object d = ip.dict_obj();
  dict_update(ip, *d.as<DictObj>(), a);
  return d;
}
Object b_set(Interp& ip, BuiltinObj&, CallArgs& a) { return build_set(ip, a, "set", false); }
Object b_frozenset(Interp& ip, BuiltinObj&, CallArgs& a) { return build_set(ip, a, "frozenset", true); }

bool isinstance_spec(Interp& ip, const Object& x, const Object& spec, const char* fname) {
  if (spec.is(Tag::Tuple)) {
    for (auto& s : spec.as<ListObj>()->v)
      if (isinstance_spec(ip, x, s, fname)) return true;
    return false;
  }
  if (spec.is(Tag::Native))  // typing's aliases
    if (Object check = ip.getattr_opt(spec, "__instancecheck__"); !check.null()) return ip.truthy(ip.call1(check, x));
  if (!spec.is(Tag::Type)) ip.raise(ip.T.TypeError, fmt::format("{}() arg 2 must be a type, a tuple of types, or a union", fname));
  return ip.isinstance(x, spec.as<TypeObj>());
}
Object b_isinstance(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "isinstance", a, 2, 2);
  return Object::boolean(isinstance_spec(ip, a.pos[0], a.pos[1], "isinstance"));
}
Object b_issubclass(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "issubclass", a, 2, 2);
  if (!a.pos[0].is(Tag::Type)) ip.raise(ip.T.TypeError, "issubclass() arg 1 must be a class");
  std::vector<Object> specs = a.pos[1].is(Tag::Tuple) ? a.pos[1].as<ListObj>()->v : std::vector<Object>{a.pos[1]};
  for (auto& s : specs) {
    if (!s.is(Tag::Type)) ip.raise(ip.T.TypeError, "issubclass() arg 2 must be a class, a tuple of classes, or a union");
    auto* t = s.as<TypeObj>();
    if (t->subclass_check ? t->subclass_check(ip, *t, *a.pos[0].as<TypeObj>()) : a.pos[0].as<TypeObj>()->subclass_of(t))
      return Object::boolean(true);
  }
  return Object::boolean(false);
}
Object b_type(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "type", a, 1, 1);
  return Object(Tag::Type, ip.type_of(a.pos[0]));
}
Object b_id(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "id", a, 1, 1);
  const Object& x = a.pos[0];
  return Object::integer(x.heap() ? static_cast<std::int64_t>(x.bits()) : static_cast<std::int64_t>(ip.hash(x) * 32 + 0x7f0000000000));
}
Object b_hash(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "hash", a, 1, 1);
  return Object::integer(static_cast<std::int64_t>(ip.hash(a.pos[0])));
}
// any() and all() stop at the first deciding element: the rest of a generator expression never runs.
Object any_all(Interp& ip, CallArgs& a, const char* name, bool stop_on) {
  check_args(ip, name, a, 1, 1);
  Object it = ip.iter(a.pos[0]);
  Object x;
  while (ip.next(*it.as<IterObj>(), x))
    if (ip.truthy(x) == stop_on) return Object::boolean(stop_on);
  return Object::boolean(!stop_on);
}
Object b_any(Interp& ip, BuiltinObj&, CallArgs& a) { return any_all(ip, a, "any", true); }
Object b_all(Interp& ip, BuiltinObj&, CallArgs& a) { return any_all(ip, a, "all", false); }
Object b_iter(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "iter", a, 1, 1);
  return ip.iter(a.pos[0]);
}
Object b_next(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "next", a, 1, 2);
  if (Object m = ip.special(a.pos[0], "__next__"); !m.null()) {
    if (a.pos.size() == 1) return ip.call0(m);
    auto it = asyncio::make_ref<IterObj>();  // drives __next__, turning StopIteration into the default
    it->src = a.pos[0];
    Object v;
    return ip.next(*it, v) ? v : a.pos[1];
  }
  if (GenObj* g = as_generator(a.pos[0]); g && a.pos.size() == 1) return resume_or_stop(ip, *g, Object::none(), nullptr);
  if (!a.pos[0].is(Tag::Iter)) ip.raise(ip.T.TypeError, fmt::format("'{}' object is not an iterator", ip.type_of(a.pos[0])->name));
  Object v;
  if (ip.next(*a.pos[0].as<IterObj>(), v)) return v;
  if (a.pos.size() == 2) return a.pos[1];
  ip.raise_obj(ip.new_exc(ip.T.StopIteration, {}));
}
Object b_aiter(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "aiter", a, 1, 1);
  Object m = ip.getattr_opt(a.pos[0], "__aiter__");
  if (m.null()) ip.raise(ip.T.TypeError, fmt::format("'{}' object is not an async iterable", ip.type_of(a.pos[0])->name));
  return ip.call0(m);
}
// anext(it, default): what it.__anext__() gives, or `default` for StopAsyncIteration (anext_awaitable).
asyncio::Coro<Object> anext_or(Interp& ip, Object aw, Object dflt) {
  std::exception_ptr ep;
  try {
    co_return co_await ip.await_object(std::move(aw));
  } catch (const Abort&) {
    throw;
  } catch (...) {
    ep = std::current_exception();
  }
  if (!ip.exc_object(ep).as<ExcObj>()->cls->subclass_of(ip.T.StopAsyncIteration.get())) std::rethrow_exception(ep);
  co_return dflt;
}
Object b_anext(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "anext", a, 1, 2);
  Object m = ip.getattr_opt(a.pos[0], "__anext__");
  if (m.null()) ip.raise(ip.T.TypeError, fmt::format("'{}' object is not an async iterator", ip.type_of(a.pos[0])->name));
  Object aw = ip.call0(m);
  if (a.pos.size() == 1) return aw;
  return ip.make_coro(anext_or(ip, std::move(aw), a.pos[1]), "anext_awaitable");
}
Object b_super(Interp& ip, BuiltinObj&, CallArgs& a) {
  // Zero-argument super() is resolved where it is called (eval_call); this is super(cls, obj).
  if (a.pos.size() != 2 || !a.kw.empty()) ip.raise(ip.T.RuntimeError, "super(): no arguments");
  if (!a.pos[0].is(Tag::Type)) ip.raise(ip.T.TypeError, fmt::format("super() argument 1 must be a type, not {}", ip.type_of(a.pos[0])->name));
  const TypeObj* t = a.pos[0].as<TypeObj>();
  const Object& obj = a.pos[1];
  if (!(obj.is(Tag::Type) ? obj.as<TypeObj>()->subclass_of(t) : ip.isinstance(obj, t)))
    ip.raise(ip.T.TypeError, "super(type, obj): obj must be an instance or subtype of type");
  return make_super(a.pos[0], obj);
}
Object b_callable(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "callable", a, 1, 1);
  Tag t = a.pos[0].tag();
  if (t == Tag::Instance) return Object::boolean(!ip.special(a.pos[0], "__call__").null());
  if (t == Tag::Native) return Object::boolean(!ip.getattr_opt(a.pos[0], "__call__").null());
  return Object::boolean(t == Tag::Func || t == Tag::Builtin || t == Tag::Type);
}
Object b_divmod(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "divmod", a, 2, 2);
  return ip.tuple_obj({ip.binop(scenario::BinOpKind::FloorDiv, a.pos[0], a.pos[1]), ip.binop(scenario::BinOpKind::Mod, a.pos[0], a.pos[1])});
}
Object b_pow(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "pow", a, 2, 3);
  Object r = ip.binop(scenario::BinOpKind::Pow, a.pos[0], a.pos[1]);
  if (a.pos.size() == 3) r = ip.binop(scenario::BinOpKind::Mod, r, a.pos[2]);
  return r;
}
Object b_chr(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "chr", a, 1, 1);
  std::int64_t c = to_int(ip, a.pos[0], "");
  if (c < 0 || c > 0x10FFFF) ip.raise(ip.T.ValueError, "chr() arg not in range(0x110000)");
  return ip.str_obj(ip.format(Object::integer(c), "c"));
}
Object b_ord(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "ord", a, 1, 1);
  if (!a.pos[0].is(Tag::Str)) ip.raise(ip.T.TypeError, fmt::format("ord() expected string of length 1, but {} found", ip.type_of(a.pos[0])->name));
  auto* s = a.pos[0].as<StrObj>();
  if (s->length() != 1) ip.raise(ip.T.TypeError, fmt::format("ord() expected a character, but string of length {} found", s->length()));
  const auto* p = reinterpret_cast<const unsigned char*>(s->s.data());
  std::uint32_t c = p[0];
  if (c >= 0xF0) c = ((c & 7) << 18) | ((p[1] & 63) << 12) | ((p[2] & 63) << 6) | (p[3] & 63);
  else if (c >= 0xE0) c = ((c & 15) << 12) | ((p[1] & 63) << 6) | (p[2] & 63);
  else if (c >= 0xC0) c = ((c & 31) << 6) | (p[1] & 63);
  return Object::integer(c);
}
Object b_hex(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "hex", a, 1, 1);
  return ip.str_obj(ip.format(Object::integer(to_int(ip, a.pos[0], "")), "#x"));
}
Object b_bin(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "bin", a, 1, 1);
  return ip.str_obj(ip.format(Object::integer(to_int(ip, a.pos[0], "")), "#b"));
}
Object b_format(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "format", a, 1, 2);
  return ip.str_obj(ip.format(a.pos[0], a.pos.size() == 2 ? ip.str(a.pos[1]) : ""));
}
Object b_getattr(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "getattr", a, 2, 3);
  if (!a.pos[1].is(Tag::Str)) ip.raise(ip.T.TypeError, "attribute name must be string");
  if (a.pos.size() == 3) {
    Object v = ip.getattr_opt(a.pos[0], a.pos[1].as<StrObj>()->s);
    return v.null() ? a.pos[2] : v;
  }
  return ip.getattr(a.pos[0], a.pos[1].as<StrObj>()->s);
}
Object b_hasattr(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "hasattr", a, 2, 2);
  if (!a.pos[1].is(Tag::Str)) ip.raise(ip.T.TypeError, "attribute name must be string");
  return Object::boolean(!ip.getattr_opt(a.pos[0], a.pos[1].as<StrObj>()->s).null() || a.pos[1].as<StrObj>()->s == "__class__");
}
Object b_setattr(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "setattr", a, 3, 3);
  ip.setattr(a.pos[0], ip.str(a.pos[1]), a.pos[2]);
  return Object::none();
}
Object b_vars(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "vars", a, 0, 1);
  if (a.pos.empty()) ip.refuse("vars() without an argument");  // locals() is not provided either
  Object d = ip.getattr_opt(a.pos[0], "__dict__");
  if (d.null()) ip.raise(ip.T.TypeError, "vars() argument must have __dict__ attribute");
  return d;
}
Object b_map(Interp& ip, BuiltinObj&, CallArgs& a) {
  if (a.pos.size() < 2) ip.raise(ip.T.TypeError, "map() must have at least two arguments.");
  return lazy_iter("map", [fn = a.pos[0], its = iters_of(ip, std::vector<Object>(a.pos.begin() + 1, a.pos.end()))](Interp& ip, Object& out) {
    CallArgs ca;
    for (const Object& it : its) {
      Object v;
      if (!ip.next(*it.as<IterObj>(), v)) return false;
      ca.pos.push_back(v);
    }
    out = ip.call(fn, ca);
    return true;
  });
}
Object b_filter(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "filter", a, 2, 2);
  return lazy_iter("filter", [pred = a.pos[0], it = ip.iter(a.pos[1])](Interp& ip, Object& out) {
    while (ip.next(*it.as<IterObj>(), out))
      if (pred.is_none() ? ip.truthy(out) : ip.truthy(ip.call1(pred, out))) return true;
    return false;
  });
}

}  // namespace


void install_builtins(Interp& ip) {
  auto& B = ip.builtins;
  auto fn = [&](const char* name, Fn f) { B[name] = ip.builtin(name, f); };
  auto type = [&](const Ref<TypeObj>& t, Fn f) {
    t->construct = f;
    B[t->name] = Object(Tag::Type, t);
  };
  fn("print", b_print);
  fn("len", b_len);
  fn("enumerate", b_enumerate);
  fn("zip", b_zip);
  fn("sorted", b_sorted);
  fn("reversed", b_reversed);
  fn("min", b_min);
  fn("max", b_max);
  fn("sum", b_sum);
  fn("abs", b_abs);
  fn("round", b_round);
  fn("repr", b_repr);
  fn("isinstance", b_isinstance);
  fn("issubclass", b_issubclass);
  fn("id", b_id);
  fn("hash", b_hash);
  fn("any", b_any);
  fn("all", b_all);
  fn("iter", b_iter);
  fn("next", b_next);
  fn("aiter", b_aiter);
  fn("anext", b_anext);
  fn("super", b_super);
  fn("callable", b_callable);
  fn("divmod", b_divmod);
  fn("pow", b_pow);
  fn("chr", b_chr);
  fn("ord", b_ord);
  fn("hex", b_hex);
  fn("bin", b_bin);
  fn("format", b_format);
  fn("getattr", b_getattr);
  fn("hasattr", b_hasattr);
  fn("setattr", b_setattr);
  fn("vars", b_vars);
  fn("map", b_map);
  fn("filter", b_filter);
  type(ip.T.range, b_range);
  type(ip.T.str, b_str);
  type(ip.T.bytes, b_bytes);
  type(ip.T.bytearray, b_bytearray);
  type(ip.T.memoryview, b_memoryview);
  type(ip.T.int_, b_int);
  type(ip.T.float_, b_float);
  type(ip.T.bool_, b_bool);
  type(ip.T.list, b_list);
  type(ip.T.tuple, b_tuple);
  type(ip.T.dict, b_dict);
  type(ip.T.set, b_set);
  type(ip.T.frozenset, b_frozenset);
  type(ip.T.type, b_type);
  B["object"] = Object(Tag::Type, ip.T.object);
  B["__name__"] = ip.str_obj("__main__");
  B["__file__"] = ip.str_obj(ip.mod.filename);
  for (auto* t : {&ip.T.BaseException, &ip.T.Exception, &ip.T.ValueError, &ip.T.TypeError, &ip.T.RuntimeError,
                  &ip.T.KeyError, &ip.T.IndexError, &ip.T.ZeroDivisionError, &ip.T.AttributeError, &ip.T.ImportError, &ip.T.ModuleNotFoundError, &ip.T.NameError,
                  &ip.T.UnboundLocalError, &ip.T.StopIteration, &ip.T.StopAsyncIteration, &ip.T.OverflowError,
                  &ip.T.AssertionError, &ip.T.NotImplementedError, &ip.T.RecursionError, &ip.T.LookupError,
                  &ip.T.ArithmeticError, &ip.T.OSError, &ip.T.TimeoutError, &ip.T.KeyboardInterrupt,
                  &ip.T.SystemExit, &ip.T.GeneratorExit, &ip.T.BaseExceptionGroup, &ip.T.ExceptionGroup,
                  &ip.T.Warning, &ip.T.DeprecationWarning, &ip.T.RuntimeWarning, &ip.T.UserWarning,
                  &ip.T.UnicodeError, &ip.T.UnicodeDecodeError, &ip.T.UnicodeEncodeError, &ip.T.BufferError, &ip.T.MemoryError})
    B[(*t)->name] = Object(Tag::Type, *t);
  install_descriptors(ip);
  install_object(ip);
}

}  // namespace aiospec::interp

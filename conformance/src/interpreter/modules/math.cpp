// The `math` module (Modules/mathmodule.c): the C library's functions with CPython's argument
// checks and errors; integer results go through the interpreter's arithmetic (its 64-bit limit).
#include <fmt/format.h>

#include <cmath>
#include <numeric>

#include "../interp.hpp"

namespace aiospec::interp {

namespace {

using scenario::BinOpKind;

bool is_int(const Object& o) { return o.is(Tag::Int) || o.is(Tag::Bool); }

double real_arg(Interp& ip, const Object& o) {
  if (o.is(Tag::Float)) return o.f();
  if (is_int(o)) return static_cast<double>(o.i());
  ip.raise(ip.T.TypeError, fmt::format("must be real number, not {}", ip.type_of(o)->name));
}

std::int64_t int_arg(Interp& ip, const Object& o) {
  if (is_int(o)) return o.i();
  ip.raise(ip.T.TypeError, fmt::format("'{}' object cannot be interpreted as an integer", ip.type_of(o)->name));
}

[[noreturn]] void domain_error(Interp& ip) { ip.raise(ip.T.ValueError, "math domain error"); }

// A float result as math_1 checks it: NaN from a non-NaN argument is a domain error, an infinity
// from a finite one an overflow.
Object checked(Interp& ip, double x, double r, bool can_overflow = true) {
  if (std::isnan(r) && !std::isnan(x)) domain_error(ip);
  if (std::isinf(r) && std::isfinite(x)) {
    if (can_overflow) ip.raise(ip.T.OverflowError, "math range error");
    domain_error(ip);
  }
  return Object::real(r);
}

template <double (*F)(double)>
Object unary(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, b.name, a, 1, 1);
  double x = real_arg(ip, a.pos[0]);
  return checked(ip, x, F(x));
}

// Functions whose poles are domain errors (log(0), atanh(1)), not overflows.
template <double (*F)(double)>
Object unary_pole(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, b.name, a, 1, 1);
  double x = real_arg(ip, a.pos[0]);
  return checked(ip, x, F(x), false);
}

double log_of(Interp& ip, const Object& o) {
  double x = real_arg(ip, o);
  if (x <= 0) domain_error(ip);
  return std::log(x);
}

// floor, ceil, trunc: an int for an int; a float is rounded and must fit.
Object to_int(Interp& ip, const Object& o, double (*round)(double)) {
  if (is_int(o)) return Object::integer(o.i());
  if (!o.is(Tag::Float)) {
    if (Object r = ip.special(o, "__floor__"); !r.null()) return ip.call0(r);
    ip.raise(ip.T.TypeError, fmt::format("must be real number, not {}", ip.type_of(o)->name));
  }
  double r = round(o.f());
  if (std::isnan(r)) ip.raise(ip.T.ValueError, "cannot convert float NaN to integer");
  if (std::isinf(r)) ip.raise(ip.T.OverflowError, "cannot convert float infinity to integer");
  if (std::fabs(r) >= 9.2233720368547758e18) ip.raise(ip.T.OverflowError, "integer result too large (the scenario language has 64-bit ints)");
  return Object::integer(static_cast<std::int64_t>(r));
}

Object product(Interp& ip, std::int64_t from, std::int64_t to) {  // from * (from+1) * ... * to
  Object r = Object::integer(1);
  for (std::int64_t i = from; i <= to; ++i) r = ip.binop(BinOpKind::Mult, r, Object::integer(i));
  return r;
}

Object b_comb(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "comb", a, 2, 2);
  std::int64_t n = int_arg(ip, a.pos[0]), k = int_arg(ip, a.pos[1]);
  if (n < 0) ip.raise(ip.T.ValueError, "n must be a non-negative integer");
  if (k < 0) ip.raise(ip.T.ValueError, "k must be a non-negative integer");
  if (k > n) return Object::integer(0);
  k = std::min(k, n - k);
  // C(n, i+1) = C(n, i) * (n - i) / (i + 1), exact at every step.
  Object r = Object::integer(1);
  for (std::int64_t i = 0; i < k; ++i)
    r = ip.binop(BinOpKind::FloorDiv, ip.binop(BinOpKind::Mult, r, Object::integer(n - i)), Object::integer(i + 1));
  return r;
}

Object b_perm(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "perm", a, 1, 2);
  std::int64_t n = int_arg(ip, a.pos[0]);
  std::int64_t k = a.pos.size() == 2 && !a.pos[1].is_none() ? int_arg(ip, a.pos[1]) : n;
  if (n < 0) ip.raise(ip.T.ValueError, "n must be a non-negative integer");
  if (k < 0) ip.raise(ip.T.ValueError, "k must be a non-negative integer");
  if (k > n) return Object::integer(0);
  return product(ip, n - k + 1, n);
}

Object b_gcd(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, b.name, a, 0, SIZE_MAX);
  bool lcm = std::string_view(b.name) == "lcm";
  Object r = Object::integer(lcm ? 1 : 0);
  for (const Object& x : a.pos) {
    std::int64_t v = std::llabs(int_arg(ip, x)), acc = r.i();
    if (!lcm) {
      r = Object::integer(std::gcd(acc, v));
    } else if (v == 0 || acc == 0) {
      r = Object::integer(0);
    } else {
      r = ip.binop(BinOpKind::Mult, Object::integer(acc / std::gcd(acc, v)), Object::integer(v));
    }
  }
  return r;
}

Object b_isclose(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object rel = a.take_kw("rel_tol"), abs_ = a.take_kw("abs_tol");
  check_args(ip, "isclose", a, 2, 2);
  double x = real_arg(ip, a.pos[0]), y = real_arg(ip, a.pos[1]);
  double rt = rel.null() ? 1e-09 : real_arg(ip, rel), at = abs_.null() ? 0.0 : real_arg(ip, abs_);
  if (rt < 0 || at < 0) ip.raise(ip.T.ValueError, "tolerances must be non-negative");
  if (x == y) return Object::boolean(true);
  if (std::isinf(x) || std::isinf(y)) return Object::boolean(false);
  double diff = std::fabs(y - x);
  return Object::boolean((diff <= std::fabs(rt * y)) || (diff <= std::fabs(rt * x)) || diff <= at);
}

// math.fsum: Shewchuk's exact partial sums (msum in mathmodule.c), rounded once at the end.
Object b_fsum(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "fsum", a, 1, 1);
  std::vector<double> partials;
  double special = 0;
  bool have_special = false;
  for (const Object& o : ip.to_vector(a.pos[0])) {
    double x = real_arg(ip, o);
    if (!std::isfinite(x)) {
      special = have_special ? special + x : x;
      have_special = true;
      continue;
    }
    std::size_t i = 0;
    for (double y : partials) {
      if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
      double hi = x + y, lo = y - (hi - x);
      if (lo != 0.0) partials[i++] = lo;
      x = hi;
    }
    partials.resize(i);
    partials.push_back(x);
  }
  if (have_special) {
    if (std::isnan(special)) ip.raise(ip.T.ValueError, "-inf + inf in fsum");
    return Object::real(special);
  }
  double hi = 0;
  std::size_t n = partials.size();
  if (n > 0) {
    hi = partials[--n];
    double lo = 0;
    while (n > 0) {
      double x = hi, y = partials[--n];
      hi = x + y;
      double yr = hi - x;
      lo = y - yr;
      if (lo != 0.0) break;
    }
    // Round half-even across the remaining partials, as msum does.
    if (n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0))) {
      double y = lo * 2.0, x = hi + y, yr = x - hi;
      if (y == yr) hi = x;
    }
  }
  return Object::real(hi);
}

Object b_prod(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object start = a.take_kw("start");
  check_args(ip, "prod", a, 1, 1);
  Object r = start.null() ? Object::integer(1) : start;
  for (const Object& o : ip.to_vector(a.pos[0])) r = ip.binop(BinOpKind::Mult, r, o);
  return r;
}

}  // namespace

Object module_math(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("math");
  auto& A = m->attrs;
  auto fn = [&](const char* name, BuiltinObj::Fn f) { A[name] = ip.builtin(name, f); };
  A["pi"] = Object::real(M_PI);
  A["e"] = Object::real(M_E);
  A["tau"] = Object::real(2 * M_PI);
  A["inf"] = Object::real(INFINITY);
  A["nan"] = Object::real(NAN);
  fn("sqrt", unary<std::sqrt>);
  fn("exp", unary<std::exp>);
  fn("expm1", unary<std::expm1>);
  fn("sin", unary<std::sin>);
  fn("cos", unary<std::cos>);
  fn("tan", unary<std::tan>);
  fn("asin", unary<std::asin>);
  fn("acos", unary<std::acos>);
  fn("atan", unary<std::atan>);
  fn("sinh", unary<std::sinh>);
  fn("cosh", unary<std::cosh>);
  fn("tanh", unary<std::tanh>);
  fn("asinh", unary<std::asinh>);
  fn("acosh", unary<std::acosh>);
  fn("atanh", unary_pole<std::atanh>);
  fn("fabs", unary<std::fabs>);
  fn("erf", unary<std::erf>);
  fn("erfc", unary<std::erfc>);
  fn("log2", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "log2", a, 1, 1);
    log_of(ip, a.pos[0]);
    return Object::real(std::log2(real_arg(ip, a.pos[0])));
  });
  fn("log10", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "log10", a, 1, 1);
    log_of(ip, a.pos[0]);
    return Object::real(std::log10(real_arg(ip, a.pos[0])));
  });
  fn("log1p", unary_pole<std::log1p>);
  fn("log", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "log", a, 1, 2);
    double num = log_of(ip, a.pos[0]);
    if (a.pos.size() == 1) return Object::real(num);
    double den = log_of(ip, a.pos[1]);
    if (den == 0) ip.raise(ip.T.ZeroDivisionError, "float division by zero");
    return Object::real(num / den);
  });
  fn("pow", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "pow", a, 2, 2);
    double x = real_arg(ip, a.pos[0]), y = real_arg(ip, a.pos[1]);
    double r = std::pow(x, y);
    if (std::isnan(r) && !std::isnan(x) && !std::isnan(y)) domain_error(ip);
    if (std::isinf(r) && std::isfinite(x) && std::isfinite(y)) {
      if (x == 0) domain_error(ip);
      ip.raise(ip.T.OverflowError, "math range error");
    }
    return Object::real(r);
  });
  fn("atan2", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "atan2", a, 2, 2);
    return Object::real(std::atan2(real_arg(ip, a.pos[0]), real_arg(ip, a.pos[1])));
  });
  fn("copysign", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "copysign", a, 2, 2);
    return Object::real(std::copysign(real_arg(ip, a.pos[0]), real_arg(ip, a.pos[1])));
  });
  fn("fmod", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "fmod", a, 2, 2);
    double x = real_arg(ip, a.pos[0]), y = real_arg(ip, a.pos[1]);
    if (std::isinf(x) || (y == 0 && !std::isnan(x))) domain_error(ip);
    return Object::real(std::fmod(x, y));
  });
  fn("hypot", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "hypot", a, 0, SIZE_MAX);
    double r = 0;
    for (const Object& o : a.pos) r = std::hypot(r, real_arg(ip, o));
    return Object::real(r);
  });
  fn("dist", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "dist", a, 2, 2);
    std::vector<Object> p = ip.to_vector(a.pos[0]), q = ip.to_vector(a.pos[1]);
    if (p.size() != q.size()) ip.raise(ip.T.ValueError, "both points must have the same number of dimensions");
    double r = 0;
    for (std::size_t i = 0; i < p.size(); ++i) r = std::hypot(r, real_arg(ip, p[i]) - real_arg(ip, q[i]));
    return Object::real(r);
  });
  fn("degrees", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "degrees", a, 1, 1);
    return Object::real(real_arg(ip, a.pos[0]) * (180.0 / M_PI));
  });
  fn("radians", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "radians", a, 1, 1);
    return Object::real(real_arg(ip, a.pos[0]) * (M_PI / 180.0));
  });
  fn("floor", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "floor", a, 1, 1);
    return to_int(ip, a.pos[0], std::floor);
  });
  fn("ceil", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "ceil", a, 1, 1);
    return to_int(ip, a.pos[0], std::ceil);
  });
  fn("trunc", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "trunc", a, 1, 1);
    return to_int(ip, a.pos[0], std::trunc);
  });
  for (const char* n : {"isfinite", "isinf", "isnan"})
    fn(n, [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, b.name, a, 1, 1);
      double x = real_arg(ip, a.pos[0]);
      std::string_view name = b.name;
      return Object::boolean(name == "isfinite" ? std::isfinite(x) : name == "isinf" ? std::isinf(x) : std::isnan(x));
    });
  fn("isclose", b_isclose);
  fn("modf", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "modf", a, 1, 1);
    double ip_part, x = real_arg(ip, a.pos[0]);
    double frac = std::modf(x, &ip_part);
    return ip.tuple_obj({Object::real(frac), Object::real(ip_part)});
  });
  fn("frexp", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "frexp", a, 1, 1);
    int e = 0;
    double mant = std::frexp(real_arg(ip, a.pos[0]), &e);
    return ip.tuple_obj({Object::real(mant), Object::integer(e)});
  });
  fn("ldexp", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "ldexp", a, 2, 2);
    double x = real_arg(ip, a.pos[0]);
    double r = std::ldexp(x, static_cast<int>(std::clamp<std::int64_t>(int_arg(ip, a.pos[1]), INT32_MIN, INT32_MAX)));
    if (std::isinf(r) && std::isfinite(x)) ip.raise(ip.T.OverflowError, "math range error");
    return Object::real(r);
  });
  fn("factorial", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "factorial", a, 1, 1);
    std::int64_t n = int_arg(ip, a.pos[0]);
    if (n < 0) ip.raise(ip.T.ValueError, "factorial() not defined for negative values");
    return product(ip, 2, n);
  });
  fn("isqrt", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "isqrt", a, 1, 1);
    std::int64_t n = int_arg(ip, a.pos[0]);
    if (n < 0) ip.raise(ip.T.ValueError, "isqrt() argument must be nonnegative");
    auto r = static_cast<std::int64_t>(std::sqrt(static_cast<double>(n)));
    while (r > 0 && (r > n / r)) --r;  // r*r > n without overflow
    while ((r + 1) <= n / (r + 1)) ++r;
    return Object::integer(r);
  });
  fn("comb", b_comb);
  fn("perm", b_perm);
  fn("gcd", b_gcd);
  fn("lcm", b_gcd);
  fn("fsum", b_fsum);
  fn("prod", b_prod);
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp

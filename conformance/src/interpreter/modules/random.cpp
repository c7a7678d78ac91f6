// The `random` module (Lib/random.py over Modules/_randommodule.c): the Mersenne Twister seeded and
// drawn exactly as CPython does, so a seeded program prints CPython's numbers.
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <random>
#include <unordered_set>

#include "../interp.hpp"
#include "../objects/method.hpp"

namespace aiospec::interp {

namespace {

// SHA-512 (FIPS 180-4): random.seed(str) seeds with the string's bytes followed by their digest.
std::array<std::uint8_t, 64> sha512(std::string_view msg) {
  static constexpr std::uint64_t K[80] = {
      0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538, 0x59f111f1b605d019,
      0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
      0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3,
      0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65, 0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
      0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
      0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
      0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b, 0xa2bfe8a14cf10364, 0xa81a664bbc423001,
      0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
      0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb,
      0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
      0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c, 0xd186b8c721c0c207,
      0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
      0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a,
      0x5fcb6fab3ad6faec, 0x6c44198c4a475817};
  std::uint64_t h[8] = {0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
                        0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179};
  std::string m(msg);
  m += '\x80';
  while (m.size() % 128 != 112) m += '\0';
  m.append(8, '\0');
  for (int i = 7; i >= 0; --i) m += static_cast<char>((static_cast<std::uint64_t>(msg.size()) * 8) >> (i * 8));
  auto rotr = [](std::uint64_t x, int n) { return (x >> n) | (x << (64 - n)); };
  for (std::size_t off = 0; off < m.size(); off += 128) {
    std::uint64_t w[80];
    for (int t = 0; t < 16; ++t) {
      w[t] = 0;
      for (int j = 0; j < 8; ++j) w[t] = (w[t] << 8) | static_cast<std::uint8_t>(m[off + t * 8 + j]);
    }
    for (int t = 16; t < 80; ++t) {
      std::uint64_t s0 = rotr(w[t - 15], 1) ^ rotr(w[t - 15], 8) ^ (w[t - 15] >> 7);
      std::uint64_t s1 = rotr(w[t - 2], 19) ^ rotr(w[t - 2], 61) ^ (w[t - 2] >> 6);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    std::uint64_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int t = 0; t < 80; ++t) {
      std::uint64_t t1 = hh + (rotr(e, 14) ^ rotr(e, 18) ^ rotr(e, 41)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
      std::uint64_t t2 = (rotr(a, 28) ^ rotr(a, 34) ^ rotr(a, 39)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    std::uint64_t add[8] = {a, b, c, d, e, f, g, hh};
    for (int i = 0; i < 8; ++i) h[i] += add[i];
  }
  std::array<std::uint8_t, 64> out{};
  for (int i = 0; i < 64; ++i) out[i] = static_cast<std::uint8_t>(h[i / 8] >> (56 - 8 * (i % 8)));
  return out;
}

// MT19937 as _randommodule.c has it (init_genrand, init_by_array, genrand_uint32).
struct Mersenne {
  static constexpr int N = 624, M = 397;
  std::uint32_t mt[N];
  int mti = N + 1;

  void init_genrand(std::uint32_t s) {
    mt[0] = s;
    for (mti = 1; mti < N; ++mti) mt[mti] = 1812433253U * (mt[mti - 1] ^ (mt[mti - 1] >> 30)) + static_cast<std::uint32_t>(mti);
  }
  void init_by_array(const std::vector<std::uint32_t>& key) {
    init_genrand(19650218U);
    std::size_t i = 1, j = 0, len = key.size();
    for (std::size_t k = std::max<std::size_t>(N, len); k; --k) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525U)) + key[j] + static_cast<std::uint32_t>(j);
      ++i, ++j;
      if (i >= N) mt[0] = mt[N - 1], i = 1;
      if (j >= len) j = 0;
    }
    for (std::size_t k = N - 1; k; --k) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941U)) - static_cast<std::uint32_t>(i);
      ++i;
      if (i >= N) mt[0] = mt[N - 1], i = 1;
    }
    mt[0] = 0x80000000U;
  }
  std::uint32_t next() {
    static constexpr std::uint32_t mag01[2] = {0, 0x9908b0dfU};
    if (mti >= N) {
      int kk = 0;
      for (; kk < N - M; ++kk) {
        std::uint32_t y = (mt[kk] & 0x80000000U) | (mt[kk + 1] & 0x7fffffffU);
        mt[kk] = mt[kk + M] ^ (y >> 1) ^ mag01[y & 1];
      }
      for (; kk < N - 1; ++kk) {
        std::uint32_t y = (mt[kk] & 0x80000000U) | (mt[kk + 1] & 0x7fffffffU);
        mt[kk] = mt[kk + (M - N)] ^ (y >> 1) ^ mag01[y & 1];
      }
      std::uint32_t y = (mt[N - 1] & 0x80000000U) | (mt[0] & 0x7fffffffU);
      mt[N - 1] = mt[M - 1] ^ (y >> 1) ^ mag01[y & 1];
      mti = 0;
    }
    std::uint32_t y = mt[mti++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= y >> 18;
    return y;
  }
};

// The 32-bit words of a non-negative integer, least significant first, as random_seed takes them.
std::vector<std::uint32_t> key_of(std::uint64_t n) {
  std::vector<std::uint32_t> key{static_cast<std::uint32_t>(n)};
  if (n >> 32) key.push_back(static_cast<std::uint32_t>(n >> 32));
  return key;
}

struct RandomObj final : NativeObj {
  Mersenne mt;
  double gauss_next = NAN;  // NaN: none pending
  const char* type_name() const override { return "Random"; }
  std::string repr(Interp& ip) override { return ip.default_repr(Object(Tag::Native, const_cast<RandomObj*>(this))); }

  void seed(Interp& ip, const Object& a) {
    gauss_next = NAN;
    if (a.null() || a.is_none()) {
      std::random_device rd;
      mt.init_by_array({rd(), rd(), rd(), rd()});
    } else if (a.is(Tag::Int) || a.is(Tag::Bool)) {
      std::int64_t v = a.i();
      mt.init_by_array(key_of(v < 0 ? -static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v)));
    } else if (a.is(Tag::Str)) {
      // int.from_bytes(s + sha512(s).digest()) in words, without its high zero words.
      const std::string& s = a.as<StrObj>()->s;
      auto digest = sha512(s);
      std::string bytes = s + std::string(digest.begin(), digest.end());
      std::vector<std::uint32_t> key;
      for (std::size_t end = bytes.size(); end > 0;) {
        std::size_t begin = end >= 4 ? end - 4 : 0;
        std::uint32_t w = 0;
        for (std::size_t i = begin; i < end; ++i) w = (w << 8) | static_cast<std::uint8_t>(bytes[i]);
        key.push_back(w);
        end = begin;
      }
      while (key.size() > 1 && key.back() == 0) key.pop_back();
      mt.init_by_array(key);
    } else if (a.is(Tag::Float)) {
      mt.init_by_array(key_of(ip.hash(a)));  // (size_t)hash(a)
    } else {
      ip.raise(ip.T.TypeError, "The only supported seed types are: None,\nint, float, str, bytes, and bytearray.");
    }
  }
  double random() {  // genrand_res53
    std::uint32_t a = mt.next() >> 5, b = mt.next() >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
  }
  std::uint64_t getrandbits(Interp& ip, std::int64_t k) {
    if (k < 0) ip.raise(ip.T.ValueError, "number of bits must be non-negative");
    if (k == 0) return 0;
    if (k <= 32) return mt.next() >> (32 - k);
    if (k > 64) ip.raise(ip.T.OverflowError, "integer result too large (the scenario language has 64-bit ints)");
    std::uint64_t lo = mt.next(), hi = mt.next() >> (64 - k);
    return lo | (hi << 32);
  }
  std::int64_t randbelow(Interp& ip, std::int64_t n) {  // _randbelow_with_getrandbits
    std::int64_t k = 64 - __builtin_clzll(static_cast<std::uint64_t>(n));
    std::uint64_t r = getrandbits(ip, k);
    while (r >= static_cast<std::uint64_t>(n)) r = getrandbits(ip, k);
    return static_cast<std::int64_t>(r);
  }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

RandomObj& R(BuiltinObj& b) { return *static_cast<RandomObj*>(b.self.as<NativeObj>()); }

// randrange's argument conversion: an int, or an integral float with 3.10's DeprecationWarning.
std::int64_t range_arg(Interp& ip, const Object& v, const char* what) {
  if (v.is(Tag::Int) || v.is(Tag::Bool)) return v.i();
  if (!v.is(Tag::Float)) ip.raise(ip.T.TypeError, fmt::format("'{}' object cannot be interpreted as an integer", ip.type_of(v)->name));
  double d = v.f();
  if (d != std::trunc(d)) {
    ip.warn("DeprecationWarning", "randrange() will raise TypeError in the future");
    ip.raise(ip.T.ValueError, fmt::format("non-integer {} for randrange()", what));
  }
  ip.warn("DeprecationWarning",
          "non-integer arguments to randrange() have been deprecated since Python 3.10 and will be removed in a subsequent version");
  return static_cast<std::int64_t>(d);
}

std::int64_t randrange(Interp& ip, RandomObj& r, const Object& start, const Object& stop, const Object& step) {
  std::int64_t istart = range_arg(ip, start, "arg 1");
  if (stop.null() || stop.is_none()) {
    if (!step.null()) ip.raise(ip.T.TypeError, "Missing a non-None stop argument");
    if (istart > 0) return r.randbelow(ip, istart);
    ip.raise(ip.T.ValueError, "empty range for randrange()");
  }
  std::int64_t istop = range_arg(ip, stop, "stop");
  std::int64_t width = ip.binop(scenario::BinOpKind::Sub, Object::integer(istop), Object::integer(istart)).i();
  std::int64_t istep = step.null() ? 1 : range_arg(ip, step, "step");
  if (istep == 1) {
    if (width > 0) return istart + r.randbelow(ip, width);
    ip.raise(ip.T.ValueError, fmt::format("empty range for randrange() ({}, {}, {})", istart, istop, width));
  }
  std::int64_t n;
  auto floordiv = [](std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); };
  if (istep > 0) n = floordiv(width + istep - 1, istep);
  else if (istep < 0) n = floordiv(width + istep + 1, istep);
  else ip.raise(ip.T.ValueError, "zero step for randrange()");
  if (n <= 0) ip.raise(ip.T.ValueError, "empty range for randrange()");
  return istart + istep * r.randbelow(ip, n);
}

bool is_sequence(Interp& ip, const Object& o) {
  switch (o.tag()) {
    case Tag::List:
    case Tag::Tuple:
    case Tag::Str:
    case Tag::Range: return true;
    case Tag::Native: return ip.type_of(o)->name == "deque";
    default: return false;
  }
}

// bisect.bisect_right(a, x, lo, hi).
std::size_t bisect_right(Interp& ip, const std::vector<Object>& a, const Object& x, std::size_t lo, std::size_t hi) {
  while (lo < hi) {
    std::size_t mid = (lo + hi) / 2;
    if (ip.lt(x, a[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

std::vector<Object> sample(Interp& ip, RandomObj& r, const Object& population, std::int64_t k, const Object& counts) {
  if (!is_sequence(ip, population)) ip.raise(ip.T.TypeError, "Population must be a sequence.  For dicts or sets, use sorted(d).");
  std::int64_t n = ip.len(population);
  if (!counts.null() && !counts.is_none()) {
    std::vector<Object> cum;
    Object total = Object::integer(0);
    for (const Object& c : ip.to_vector(counts)) cum.push_back(total = ip.binop(scenario::BinOpKind::Add, total, c));
    if (static_cast<std::int64_t>(cum.size()) != n) ip.raise(ip.T.ValueError, "The number of counts does not match the population");
    cum.pop_back();
    if (!total.is(Tag::Int)) ip.raise(ip.T.TypeError, "Counts must be integers");
    if (total.i() <= 0) ip.raise(ip.T.ValueError, "Total of counts must be greater than zero");
    std::vector<Object> out;
    for (const Object& s : sample(ip, r, make<RangeObj>(Tag::Range, 0, total.i(), 1), k, {}))
      out.push_back(ip.getitem(population, Object::integer(static_cast<std::int64_t>(bisect_right(ip, cum, s, 0, cum.size())))));
    return out;
  }
  if (k < 0 || k > n) ip.raise(ip.T.ValueError, "Sample larger than population or is negative");
  std::vector<Object> result(static_cast<std::size_t>(k));
  std::int64_t setsize = 21;
  if (k > 5) setsize += static_cast<std::int64_t>(std::pow(4.0, std::ceil(std::log(k * 3.0) / std::log(4.0))));
  if (n <= setsize) {
    std::vector<Object> pool = ip.to_vector(population);
    for (std::int64_t i = 0; i < k; ++i) {
      std::int64_t j = r.randbelow(ip, n - i);
      result[i] = pool[j];
      pool[j] = pool[n - i - 1];
    }
  } else {
    std::unordered_set<std::int64_t> selected;
    for (std::int64_t i = 0; i < k; ++i) {
      std::int64_t j = r.randbelow(ip, n);
      while (selected.count(j)) j = r.randbelow(ip, n);
      selected.insert(j);
      result[i] = ip.getitem(population, Object::integer(j));
    }
  }
  return result;
}

std::vector<Object> choices(Interp& ip, RandomObj& r, const Object& population, const Object& weights, Object cum, std::int64_t k) {
  std::int64_t n = ip.len(population);
  std::vector<Object> out;
  if (cum.null() || cum.is_none()) {
    if (weights.null() || weights.is_none()) {
      for (std::int64_t i = 0; i < k; ++i)
        out.push_back(ip.getitem(population, Object::integer(static_cast<std::int64_t>(std::floor(r.random() * static_cast<double>(n))))));
      return out;
    }
    if (weights.is(Tag::Int)) ip.raise(ip.T.TypeError, fmt::format("The number of choices must be a keyword argument: k={}", weights.i()));
    std::vector<Object> acc;
    Object total;
    for (const Object& w : ip.to_vector(weights))
      acc.push_back(total = total.null() ? w : ip.binop(scenario::BinOpKind::Add, total, w));
    cum = ip.list_obj(std::move(acc));
  } else if (!weights.null() && !weights.is_none()) {
    ip.raise(ip.T.TypeError, "Cannot specify both weights and cumulative weights");
  }
  std::vector<Object> cw = ip.to_vector(cum);
  if (static_cast<std::int64_t>(cw.size()) != n) ip.raise(ip.T.ValueError, "The number of weights does not match the population");
  Object total = ip.binop(scenario::BinOpKind::Add, cw.back(), Object::real(0.0));
  if (total.f() <= 0.0) ip.raise(ip.T.ValueError, "Total of weights must be greater than zero");
  if (!std::isfinite(total.f())) ip.raise(ip.T.ValueError, "Total of weights must be finite");
  for (std::int64_t i = 0; i < k; ++i) {
    std::size_t at = bisect_right(ip, cw, Object::real(r.random() * total.f()), 0, static_cast<std::size_t>(n - 1));
    out.push_back(ip.getitem(population, Object::integer(static_cast<std::int64_t>(at))));
  }
  return out;
}

double real(Interp& ip, const Object& o) {
  if (o.is(Tag::Float)) return o.f();
  if (o.is(Tag::Int) || o.is(Tag::Bool)) return static_cast<double>(o.i());
  ip.raise(ip.T.TypeError, fmt::format("must be real number, not {}", ip.type_of(o)->name));
}

Object RandomObj::getattr(Interp& ip, const Object& self, std::string_view name) {
#define M(NAME, ...) BOUND_METHOD(NAME, RandomObj& r = R(b), __VA_ARGS__)
  M("seed", {
    Object v = arg_or(a, 0, "a", Object::none());
    a.take_kw("version");
    r.seed(ip, v);
    return Object::none();
  })
  M("random", check_args(ip, "random", a, 0, 0); return Object::real(r.random());)
  M("getrandbits", {
    check_args(ip, "getrandbits", a, 1, 1);
    std::uint64_t v = r.getrandbits(ip, ip.index_arg(a.pos[0], "getrandbits"));
    if (v >> 63) ip.raise(ip.T.OverflowError, "integer result too large (the scenario language has 64-bit ints)");
    return Object::integer(static_cast<std::int64_t>(v));
  })
  M("randrange", {
    Object start = arg_or(a, 0, "start", {}), stop = arg_or(a, 1, "stop", {}), step = arg_or(a, 2, "step", {});
    if (start.null()) ip.raise(ip.T.TypeError, "Random.randrange() missing 1 required positional argument: 'start'");
    return Object::integer(randrange(ip, r, start, stop, step));
  })
  M("randint", {
    check_args(ip, "randint", a, 2, 2);
    Object stop = ip.binop(scenario::BinOpKind::Add, a.pos[1], Object::integer(1));
    return Object::integer(randrange(ip, r, a.pos[0], stop, {}));
  })
  M("choice", {
    check_args(ip, "choice", a, 1, 1);
    std::int64_t n = ip.len(a.pos[0]);
    if (!n) ip.raise(ip.T.IndexError, "Cannot choose from an empty sequence");
    return ip.getitem(a.pos[0], Object::integer(r.randbelow(ip, n)));
  })
  M("shuffle", {
    check_args(ip, "shuffle", a, 1, 1);
    const Object& x = a.pos[0];
    for (std::int64_t i = ip.len(x) - 1; i > 0; --i) {
      Object j = Object::integer(r.randbelow(ip, i + 1)), at = Object::integer(i);
      Object xi = ip.getitem(x, at), xj = ip.getitem(x, j);
      ip.setitem(x, at, xj);
      ip.setitem(x, j, xi);
    }
    return Object::none();
  })
  M("sample", {
    Object counts = a.take_kw("counts");
    Object pop = arg_or(a, 0, "population", {}), k = arg_or(a, 1, "k", {});
    if (pop.null() || k.null()) ip.raise(ip.T.TypeError, "Random.sample() missing 1 required positional argument: 'k'");
    return ip.list_obj(sample(ip, r, pop, ip.index_arg(k, "sample"), counts));
  })
  M("choices", {
    Object cum = a.take_kw("cum_weights"), k = a.take_kw("k");
    Object pop = arg_or(a, 0, "population", {}), weights = arg_or(a, 1, "weights", Object::none());
    if (pop.null()) ip.raise(ip.T.TypeError, "Random.choices() missing 1 required positional argument: 'population'");
    return ip.list_obj(choices(ip, r, pop, weights, cum, k.null() ? 1 : ip.index_arg(k, "choices")));
  })
  M("uniform", {
    check_args(ip, "uniform", a, 2, 2);
    double lo = real(ip, a.pos[0]), hi = real(ip, a.pos[1]);
    return Object::real(lo + (hi - lo) * r.random());
  })
  M("triangular", {
    double low = real(ip, arg_or(a, 0, "low", Object::real(0))), high = real(ip, arg_or(a, 1, "high", Object::real(1)));
    Object mode = arg_or(a, 2, "mode", Object::none());
    double u = r.random();
    if (!mode.is_none() && high == low) return Object::real(low);
    double c = mode.is_none() ? 0.5 : (real(ip, mode) - low) / (high - low);
    if (u > c) {
      u = 1.0 - u;
      c = 1.0 - c;
      std::swap(low, high);
    }
    return Object::real(low + (high - low) * std::sqrt(u * c));
  })
  M("gauss", {
    double mu = real(ip, arg_or(a, 0, "mu", Object::real(0))), sigma = real(ip, arg_or(a, 1, "sigma", Object::real(1)));
    double z = r.gauss_next;
    r.gauss_next = NAN;
    if (std::isnan(z)) {
      double x2pi = r.random() * (2 * M_PI), g2rad = std::sqrt(-2.0 * std::log(1.0 - r.random()));
      z = std::cos(x2pi) * g2rad;
      r.gauss_next = std::sin(x2pi) * g2rad;
    }
    return Object::real(mu + z * sigma);
  })
  M("expovariate", {
    check_args(ip, "expovariate", a, 1, 1);
    return Object::real(-std::log(1.0 - r.random()) / real(ip, a.pos[0]));
  })
#undef M
  return {};
}

Object new_random(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "Random", a, 0, 1);
  auto r = asyncio::make_ref<RandomObj>();
  r->seed(ip, a.pos.empty() ? Object() : a.pos[0]);
  return Object(Tag::Native, r);
}

}  // namespace

Object module_random(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("random");
  auto& A = m->attrs;
  m->add_class(ip, "Random", new_random);
  // The module's functions are the bound methods of one hidden instance, as in random.py.
  CallArgs none;
  BuiltinObj maker("Random", new_random);
  Object inst = new_random(ip, maker, none);
  for (const char* n : {"seed", "random", "getrandbits", "randrange", "randint", "choice", "shuffle", "sample", "choices", "uniform",
                        "triangular", "gauss", "expovariate"})
    A[n] = ip.getattr(inst, n);
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp

// int: its str, and the conversions to and from bytes.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "../interp.hpp"
#include "method.hpp"

namespace aiospec::interp {

std::string int_to_str(std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

namespace {

// to_bytes' and from_bytes' byteorder and signed arguments; true for little-endian.
bool little_endian(Interp& ip, CallArgs& a, const char* fname, bool& is_signed) {
  Object order = arg_or(a, 1, "byteorder", Object());
  Object sig = a.take_kw("signed");
  if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("{}() got an unexpected keyword argument '{}'", fname, a.kw[0].first));
  if (a.pos.size() > 2) ip.raise(ip.T.TypeError, fmt::format("{}() takes at most 2 positional arguments ({} given)", fname, a.pos.size()));
  is_signed = !sig.null() && ip.truthy(sig);
  if (order.null()) return false;
  if (!order.is(Tag::Str)) ip.raise(ip.T.TypeError, fmt::format("{}() argument 'byteorder' must be str, not {}", fname, ip.type_of(order)->name));
  const std::string& o = order.as<StrObj>()->s;
  if (o != "little" && o != "big") ip.raise(ip.T.ValueError, "byteorder must be either 'little' or 'big'");
  return o == "little";
}

}  // namespace

Object int_method(Interp& ip, const Object& self, std::string_view name) {
  METHOD(to_bytes)
    Object len_o = arg_or(a, 0, "length", Object::integer(1));
    bool is_signed;
    bool little = little_endian(ip, a, "to_bytes", is_signed);
    std::int64_t len = ip.index_arg(len_o, nullptr), v = b.self.i();
    if (len < 0) ip.raise(ip.T.ValueError, "length argument must be non-negative");
    if (v < 0 && !is_signed) ip.raise(ip.T.OverflowError, "can't convert negative int to unsigned");
    // The value must fit in len bytes: two's complement when signed.
    bool fits = len >= 8;
    if (len == 0) {
      fits = v == 0;
    } else if (len < 8 && is_signed) {
      std::int64_t lim = std::int64_t(1) << (8 * len - 1);
      fits = v >= -lim && v < lim;
    } else if (len < 8) {
      fits = static_cast<std::uint64_t>(v) < (std::uint64_t(1) << (8 * len));
    }
    if (!fits) ip.raise(ip.T.OverflowError, "int too big to convert");
    std::string out(static_cast<std::size_t>(len), v < 0 ? '\xff' : '\0');
    auto u = static_cast<std::uint64_t>(v);
    for (std::int64_t k = 0; k < len && k < 8; ++k) out[little ? k : len - 1 - k] = static_cast<char>((u >> (8 * k)) & 0xFF);
    return ip.bytes_obj(std::move(out));
  END_METHOD
  return {};
}

Object int_type_attr(Interp& ip, std::string_view name) {
  if (name != "from_bytes") return {};
  return ip.builtin("from_bytes", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    Object src = arg_or(a, 0, "bytes", Object());
    if (src.null()) ip.raise(ip.T.TypeError, "from_bytes() missing required argument 'bytes' (pos 1)");
    bool is_signed;
    bool little = little_endian(ip, a, "from_bytes", is_signed);
    CallArgs ca;
    ca.pos.push_back(src);
    std::string s = is_buffer(src) ? buffer_bytes(ip, src) : bytes_construct(ip, Tag::Bytes, ca).as<BytesObj>()->s;
    if (little) std::reverse(s.begin(), s.end());
    // Leading sign bytes carry no value: what is left must fit in 64 bits.
    std::size_t skip = 0;
    bool negative = is_signed && !s.empty() && static_cast<unsigned char>(s[0]) >= 0x80;
    while (skip < s.size() && static_cast<unsigned char>(s[skip]) == (negative ? 0xFF : 0x00)) ++skip;
    if (s.size() - skip > 8 || (s.size() - skip == 8 && (static_cast<unsigned char>(s[skip]) >= 0x80) != negative))
      ip.raise(ip.T.OverflowError, "int too large (the scenario language has 64-bit ints)");
    std::uint64_t u = negative ? ~std::uint64_t(0) : 0;
    for (unsigned char c : s) u = (u << 8) | c;
    return Object::integer(static_cast<std::int64_t>(u));
  }, Object(Tag::Type, ip.T.int_));
}

}  // namespace aiospec::interp

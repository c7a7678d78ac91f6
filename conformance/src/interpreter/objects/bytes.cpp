// bytes: immutable byte strings; their construction, subscripts, operators and methods. bytearray
// shares every method that does not mutate: results take the type of self, as in CPython.
#include <fmt/format.h>

#include <algorithm>

#include "../interp.hpp"
#include "method.hpp"
#include "stringlib.hpp"

namespace aiospec::interp {

bool is_buffer(const Object& o) { return o.is(Tag::Bytes) || o.is(Tag::ByteArray) || o.is(Tag::MemoryView); }

std::string buffer_bytes(Interp& ip, const Object& o) {
  if (o.is(Tag::MemoryView)) return memoryview_bytes(ip, *o.as<MemoryViewObj>());
  return o.as<BytesObj>()->s;
}

std::int64_t byte_value(Interp& ip, const Object& o) {
  std::int64_t v = o.is(Tag::Int) || o.is(Tag::Bool) ? o.i() : ip.index_arg(o, nullptr);
  if (v < 0 || v > 255) ip.raise(ip.T.ValueError, "byte must be in range(0, 256)");
  return v;
}

namespace {

const std::string& B(const BuiltinObj& b) { return b.self.as<BytesObj>()->s; }
Object result(Interp& ip, const BuiltinObj& b, std::string s) { return ip.bytes_obj(std::move(s), b.self.tag()); }

// A bytes-like argument; TypeError "a bytes-like object is required" otherwise.
std::string buffer_arg(Interp& ip, const Object& o) {
  if (!is_buffer(o)) ip.raise(ip.T.TypeError, fmt::format("a bytes-like object is required, not '{}'", ip.type_of(o)->name));
  return buffer_bytes(ip, o);
}

// find()'s and count()'s subsection: bytes-like, or an int naming one byte.
std::string sub_arg(Interp& ip, const Object& o) {
  if (o.is(Tag::Int) || o.is(Tag::Bool)) return std::string(1, static_cast<char>(byte_value(ip, o)));
  if (!is_buffer(o))
    ip.raise(ip.T.TypeError, fmt::format("argument should be integer or bytes-like object, not '{}'", ip.type_of(o)->name));
  return buffer_bytes(ip, o);
}

// The optional start and end of find(), count(), startswith()... made into offsets (ADJUST_INDICES);
// false when start lies past the end.
bool bounds(Interp& ip, CallArgs& a, std::size_t first, std::int64_t len, std::int64_t& start, std::int64_t& end) {
  auto arg = [&](std::size_t i, std::int64_t dflt) {
    return i < a.pos.size() && !a.pos[i].is_none() ? ip.index_arg(a.pos[i], "slice") : dflt;
  };
  start = arg(first, 0);
  end = arg(first + 1, len);
  if (end > len) end = len;
  else if (end < 0) end = std::max<std::int64_t>(end + len, 0);
  if (start < 0) start = std::max<std::int64_t>(start + len, 0);
  return start <= len;
}

// ASCII's classes, as bytes methods see them (Python/pyctype.c).
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alpha(char c) { return is_lower(c) || is_upper(c); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char to_upper(char c) { return is_lower(c) ? static_cast<char>(c - 32) : c; }
char to_lower(char c) { return is_upper(c) ? static_cast<char>(c + 32) : c; }

std::string pad_arg(Interp& ip, CallArgs& a, const char* name) {
  if (a.pos.size() < 2) return " ";
  const Object& f = a.pos[1];
  if (!(f.is(Tag::Bytes) || f.is(Tag::ByteArray)) || f.as<BytesObj>()->s.size() != 1)
    ip.raise(ip.T.TypeError, fmt::format("{}() argument 2 must be a byte string of length 1, not {}", name, ip.type_of(f)->name));
  return f.as<BytesObj>()->s;
}

const char kHex[] = "0123456789abcdef";

}  // namespace

Object bytes_construct(Interp& ip, Tag t, CallArgs& a) {
  const char* name = t == Tag::Bytes ? "bytes" : "bytearray";
  Object src = arg_or(a, 0, "source", Object()), enc = arg_or(a, 1, "encoding", Object()), errors = arg_or(a, 2, "errors", Object());
  if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("'{}' is an invalid keyword argument for {}()", a.kw[0].first, name));
  if (a.pos.size() > 3) ip.raise(ip.T.TypeError, fmt::format("{}() takes at most 3 arguments ({} given)", name, a.pos.size()));
  if (src.null()) {
    if (!enc.null() || !errors.null()) ip.raise(ip.T.TypeError, enc.null() ? "errors without a string argument" : "encoding without a string argument");
    return ip.bytes_obj("", t);
  }
  if (src.is(Tag::Str)) {
    if (enc.null()) ip.raise(ip.T.TypeError, "string argument without an encoding");
    return ip.bytes_obj(codec_encode(ip, src, enc, errors, name), t);
  }
  if (!enc.null() || !errors.null()) ip.raise(ip.T.TypeError, enc.null() ? "errors without a string argument" : "encoding without a string argument");
  if (t == Tag::Bytes && src.is(Tag::Bytes)) return src;
  if (is_buffer(src)) return ip.bytes_obj(buffer_bytes(ip, src), t);
  if (src.is(Tag::Instance) && t == Tag::Bytes)
    if (Object m = ip.special(src, "__bytes__"); !m.null()) {
      Object r = ip.call0(m);
      if (!r.is(Tag::Bytes)) ip.raise(ip.T.TypeError, fmt::format("__bytes__ returned non-bytes (type {})", ip.type_of(r)->name));
      return r;
    }
  if (src.is(Tag::Int) || src.is(Tag::Bool)) {
    if (src.i() < 0) ip.raise(ip.T.ValueError, "negative count");
    return ip.bytes_obj(std::string(static_cast<std::size_t>(src.i()), '\0'), t);
  }
  if (src.is(Tag::Float) || (ip.getattr_opt(src, "__iter__").null() && !src.is(Tag::List) && !src.is(Tag::Tuple) &&
                             !src.is(Tag::Iter) && !src.is(Tag::Dict) && !src.is(Tag::Set) && !src.is(Tag::Range) &&
                             ip.special(src, "__iter__").null()))
    ip.raise(ip.T.TypeError, fmt::format("cannot convert '{}' object to {}", ip.type_of(src)->name, name));
  std::string out;
  for (auto& x : ip.to_vector(src)) {
    std::int64_t v = ip.index_arg(x, nullptr);
    if (v < 0 || v > 255) ip.raise(ip.T.ValueError, t == Tag::Bytes ? "bytes must be in range(0, 256)" : "byte must be in range(0, 256)");
    out += static_cast<char>(v);
  }
  return ip.bytes_obj(std::move(out), t);
}

Object bytes_getitem(Interp& ip, const Object& o, const Object& key) {
  std::string_view s = o.as<BytesObj>()->s;
  auto n = static_cast<std::int64_t>(s.size());
  if (key.is(Tag::Slice)) {
    std::int64_t start, stop, step;
    std::int64_t len = slice_indices(ip, *key.as<SliceObj>(), n, start, stop, step);
    std::string out;
    for (std::int64_t k = 0; k < len; ++k) out += s[start + k * step];
    return ip.bytes_obj(std::move(out), o.tag());
  }
  if (!key.is(Tag::Int) && !key.is(Tag::Bool))
    ip.raise(ip.T.TypeError, fmt::format("{} indices must be integers or slices, not {}", o.is(Tag::Bytes) ? "byte" : "bytearray", ip.type_of(key)->name));
  std::int64_t i = key.i() < 0 ? key.i() + n : key.i();
  if (i < 0 || i >= n) ip.raise(ip.T.IndexError, o.is(Tag::Bytes) ? "index out of range" : "bytearray index out of range");
  return Object::integer(static_cast<unsigned char>(s[i]));
}

bool bytes_contains(Interp& ip, const std::string& s, const Object& x) {
  if (x.is(Tag::Int) || x.is(Tag::Bool)) return s.find(static_cast<char>(byte_value(ip, x))) != std::string::npos;
  return s.find(buffer_arg(ip, x)) != std::string::npos;
}

Object bytes_binop(Interp& ip, scenario::BinOpKind op, const Object& a, const Object& b) {
  using scenario::BinOpKind;
  bool ab = a.is(Tag::Bytes) || a.is(Tag::ByteArray);
  if (op == BinOpKind::Add && ab) {
    if (!is_buffer(b)) ip.raise(ip.T.TypeError, fmt::format("can't concat {} to {}", ip.type_of(b)->name, ip.type_of(a)->name));
    return ip.bytes_obj(a.as<BytesObj>()->s + buffer_bytes(ip, b), a.tag());
  }
  if (op == BinOpKind::Mult && (ab || b.is(Tag::Bytes) || b.is(Tag::ByteArray))) {
    const Object& seq = ab ? a : b;
    const Object& n = ab ? b : a;
    if (!n.is(Tag::Int) && !n.is(Tag::Bool))
      ip.raise(ip.T.TypeError, fmt::format("can't multiply sequence by non-int of type '{}'", ip.type_of(n)->name));
    std::string out;
    for (std::int64_t k = 0; k < n.i(); ++k) out += seq.as<BytesObj>()->s;
    return ip.bytes_obj(std::move(out), seq.tag());
  }
  if (op == BinOpKind::Mod && ab) return ip.bytes_obj(percent_format(ip, a.as<BytesObj>()->s, b, true), a.tag());
  return {};
}

Object bytes_method(Interp& ip, const Object& self, std::string_view name) {
  METHOD(decode)
    Object enc = arg_or(a, 0, "encoding", Object()), errors = arg_or(a, 1, "errors", Object());
    check_args(ip, "decode", a, 0, 2);
    return ip.str_obj(codec_decode(ip, B(b), b.self, enc, errors, "decode"));
  END_METHOD
  METHOD(hex)
    Object sep = arg_or(a, 0, "sep", Object());
    std::int64_t per = arg_or(a, 1, "bytes_per_sep", Object::integer(1)).i();
    return ip.str_obj(bytes_hex(ip, B(b), sep, per));
  END_METHOD
  if (const char* nm = one_of(name, {"find", "index", "rfind", "rindex", "count"})) {
    return ip.builtin(nm, [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      if (a.pos.empty()) ip.raise(ip.T.TypeError, fmt::format("{}() takes at least 1 argument (0 given)", b.name));
      check_args(ip, b.name, a, 1, 3);
      const std::string& s = B(b);
      std::string sub = sub_arg(ip, a.pos[0]);
      std::int64_t start, end;
      bool in = bounds(ip, a, 1, static_cast<std::int64_t>(s.size()), start, end);
      std::string_view n = b.name;
      auto sublen = static_cast<std::int64_t>(sub.size());
      std::size_t pos = std::string_view::npos;
      if (in && end - start >= sublen) {
        std::string_view part = std::string_view(s).substr(start, end - start);
        if (n == "count") return Object::integer(sub.empty() ? end - start + 1 : stringlib::count(part, sub));
        pos = n[0] == 'r' ? part.rfind(sub) : part.find(sub);
      } else if (n == "count") {
        return Object::integer(0);
      }
      if (pos == std::string_view::npos) {
        if (n == "index" || n == "rindex") ip.raise(ip.T.ValueError, "subsection not found");
        return Object::integer(-1);
      }
      return Object::integer(start + static_cast<std::int64_t>(pos));
    }, self);
  }
  if (const char* nm = one_of(name, {"startswith", "endswith"})) {
    return ip.builtin(nm, [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, b.name, a, 1, 3);
      bool start_side = b.name[0] == 's';
      const std::string& s = B(b);
      std::vector<Object> cands = a.pos[0].is(Tag::Tuple) ? a.pos[0].as<ListObj>()->v : std::vector<Object>{a.pos[0]};
      std::int64_t start, end;
      bool in = bounds(ip, a, 1, static_cast<std::int64_t>(s.size()), start, end);
      for (auto& c : cands) {
        if (!is_buffer(c))
          ip.raise(ip.T.TypeError, fmt::format("{} first arg must be bytes or a tuple of bytes, not {}", b.name, ip.type_of(c)->name));
        std::string p = buffer_bytes(ip, c);
        auto plen = static_cast<std::int64_t>(p.size());
        if (!in || end - start < plen) continue;
        if (s.compare(start_side ? start : end - plen, plen, p) == 0) return Object::boolean(true);
      }
      return Object::boolean(false);
    }, self);
  }
  if (const char* nm = one_of(name, {"split", "rsplit"})) {
    return ip.builtin(nm, [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      Object sep = arg_or(a, 0, "sep", Object::none());
      std::int64_t maxsplit = ip.index_arg(arg_or(a, 1, "maxsplit", Object::integer(-1)), nullptr);
      check_args(ip, b.name, a, 0, 2);
      bool right = b.name[0] == 'r';
      std::vector<std::string> parts;
      if (sep.is_none()) {
        parts = stringlib::split_ws(B(b), maxsplit, right);
      } else {
        std::string d = buffer_arg(ip, sep);
        if (d.empty()) ip.raise(ip.T.ValueError, "empty separator");
        parts = stringlib::split_sep(B(b), d, maxsplit, right);
      }
      std::vector<Object> out;
      for (auto& p : parts) out.push_back(result(ip, b, std::move(p)));
      return ip.list_obj(std::move(out));
    }, self);
  }
  METHOD(splitlines)
    bool keep = ip.truthy(arg_or(a, 0, "keepends", Object::boolean(false)));
    check_args(ip, "splitlines", a, 0, 1);
    const std::string& s = B(b);
    std::vector<Object> out;
    for (std::size_t i = 0; i < s.size();) {
      std::size_t j = s.find_first_of("\r\n", i);
      if (j == std::string::npos) {
        out.push_back(result(ip, b, s.substr(i)));
        break;
      }
      std::size_t eol = (s[j] == '\r' && j + 1 < s.size() && s[j + 1] == '\n') ? 2 : 1;
      out.push_back(result(ip, b, s.substr(i, j - i + (keep ? eol : 0))));
      i = j + eol;
    }
    return ip.list_obj(std::move(out));
  END_METHOD
  if (const char* nm = one_of(name, {"partition", "rpartition"})) {
    return ip.builtin(nm, [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, b.name, a, 1, 1);
      const std::string& s = B(b);
      std::string sep = buffer_arg(ip, a.pos[0]);
      if (sep.empty()) ip.raise(ip.T.ValueError, "empty separator");
      bool right = b.name[0] == 'r';
      std::size_t p = right ? s.rfind(sep) : s.find(sep);
      // bytes gives back itself for the untouched part; bytearray always copies.
      Object whole = b.self.is(Tag::Bytes) ? b.self : result(ip, b, s);
      if (p == std::string::npos)
        return right ? ip.tuple_obj({result(ip, b, ""), result(ip, b, ""), whole}) : ip.tuple_obj({whole, result(ip, b, ""), result(ip, b, "")});
      return ip.tuple_obj({result(ip, b, s.substr(0, p)), result(ip, b, sep), result(ip, b, s.substr(p + sep.size()))});
    }, self);
  }
  METHOD(join)
    check_args(ip, "join", a, 1, 1);
    std::string out;
    std::size_t i = 0;
    for (auto& x : ip.join_items(a.pos[0])) {
      if (!is_buffer(x)) ip.raise(ip.T.TypeError, fmt::format("sequence item {}: expected a bytes-like object, {} found", i, ip.type_of(x)->name));
      if (i++) out += B(b);
      out += buffer_bytes(ip, x);
    }
    return result(ip, b, std::move(out));
  END_METHOD
  if (const char* nm = one_of(name, {"strip", "lstrip", "rstrip"})) {
    return ip.builtin(nm, [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, b.name, a, 0, 1);
      Object c = a.pos.empty() ? Object::none() : a.pos[0];
      std::string chars = c.is_none() ? std::string(" \t\n\r\f\v") : buffer_arg(ip, c);
      return result(ip, b, stringlib::strip(B(b), chars, b.name[0] != 'r', b.name[0] != 'l'));
    }, self);
  }
  METHOD(replace)
    check_args(ip, "replace", a, 2, 3);
    std::int64_t count = a.pos.size() == 3 ? ip.index_arg(a.pos[2], nullptr) : -1;
    return result(ip, b, stringlib::replace(B(b), buffer_arg(ip, a.pos[0]), buffer_arg(ip, a.pos[1]), count, false));
  END_METHOD
  if (const char* nm = one_of(name, {"upper", "lower", "swapcase", "capitalize", "title"})) {
    return ip.builtin(nm, [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, b.name, a, 0, 0);
      std::string s = B(b);
      std::string_view n = b.name;
      bool prev_cased = false;
      for (std::size_t i = 0; i < s.size(); ++i) {
        char& c = s[i];
        if (n == "upper") c = to_upper(c);
        else if (n == "lower") c = to_lower(c);
        else if (n == "swapcase") c = is_upper(c) ? to_lower(c) : to_upper(c);
        else if (n == "capitalize") c = i == 0 ? to_upper(c) : to_lower(c);
        else {
          bool cased = is_alpha(c);
          c = prev_cased ? to_lower(c) : to_upper(c);
          prev_cased = cased;
        }
      }
      return result(ip, b, std::move(s));
    }, self);
  }
  if (const char* nm = one_of(name, {"isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "istitle", "isascii"})) {
    return ip.builtin(nm, [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, b.name, a, 0, 0);
      const std::string& s = B(b);
      std::string_view n = b.name;
      if (n == "isascii") return Object::boolean(std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
      if (s.empty()) return Object::boolean(false);
      if (n == "isupper" || n == "islower") {
        bool lower = n == "islower", cased = false;
        for (char c : s) {
          if (lower ? is_upper(c) : is_lower(c)) return Object::boolean(false);
          cased |= lower ? is_lower(c) : is_upper(c);
        }
        return Object::boolean(cased);
      }
      if (n == "istitle") {
        bool cased = false, prev_cased = false;
        for (char c : s) {
          if (is_upper(c)) {
            if (prev_cased) return Object::boolean(false);
            prev_cased = cased = true;
          } else if (is_lower(c)) {
            if (!prev_cased) return Object::boolean(false);
            prev_cased = cased = true;
          } else {
            prev_cased = false;
          }
        }
        return Object::boolean(cased);
      }
      for (char c : s) {
        bool ok = n == "isdigit" ? is_digit(c) : n == "isalpha" ? is_alpha(c) : n == "isalnum" ? is_alpha(c) || is_digit(c) : stringlib::ascii_space(c);
        if (!ok) return Object::boolean(false);
      }
      return Object::boolean(true);
    }, self);
  }
  METHOD(zfill)
    check_args(ip, "zfill", a, 1, 1);
    std::string s = B(b);
    std::int64_t w = ip.index_arg(a.pos[0], nullptr), n = static_cast<std::int64_t>(s.size());
    if (n >= w) return b.self.is(Tag::Bytes) ? b.self : result(ip, b, s);
    std::string sign;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
      sign = s.substr(0, 1);
      s = s.substr(1);
    }
    return result(ip, b, sign + std::string(w - n, '0') + s);
  END_METHOD
  if (const char* nm = one_of(name, {"center", "ljust", "rjust"})) {
    return ip.builtin(nm, [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, b.name, a, 1, 2);
      std::int64_t w = ip.index_arg(a.pos[0], nullptr), n = static_cast<std::int64_t>(B(b).size());
      char fill = pad_arg(ip, a, b.name)[0];
      if (n >= w) return b.self.is(Tag::Bytes) ? b.self : result(ip, b, B(b));
      std::int64_t left = b.name[0] == 'c' ? stringlib::center_left(n, w) : b.name[0] == 'l' ? 0 : w - n;
      return result(ip, b, std::string(left, fill) + B(b) + std::string(w - n - left, fill));
    }, self);
  }
  if (const char* nm = one_of(name, {"removeprefix", "removesuffix"})) {
    return ip.builtin(nm, [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, b.name, a, 1, 1);
      const std::string& s = B(b);
      std::string p = buffer_arg(ip, a.pos[0]);
      bool prefix = b.name[6] == 'p';
      bool has = p.size() <= s.size() && s.compare(prefix ? 0 : s.size() - p.size(), p.size(), p) == 0;
      if (!has || p.empty()) return b.self.is(Tag::Bytes) ? b.self : result(ip, b, s);
      return result(ip, b, prefix ? s.substr(p.size()) : s.substr(0, s.size() - p.size()));
    }, self);
  }
  return {};
}

std::string bytes_hex(Interp& ip, std::string_view s, const Object& sep, std::int64_t per) {
  std::string sep_s;
  if (!sep.null() && !sep.is_none()) {
    sep_s = sep.is(Tag::Str) ? sep.as<StrObj>()->s : buffer_arg(ip, sep);
    if (sep_s.size() != 1) ip.raise(ip.T.ValueError, "sep must be length 1.");
  }
  std::string out;
  auto n = static_cast<std::int64_t>(s.size());
  std::int64_t group = per < 0 ? -per : per;
  for (std::int64_t i = 0; i < n; ++i) {
    // A positive bytes_per_sep counts the groups from the right, a negative one from the left.
    if (i && !sep_s.empty() && group && (per > 0 ? (n - i) % group == 0 : i % group == 0)) out += sep_s;
    auto c = static_cast<unsigned char>(s[i]);
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

// bytes.fromhex and bytearray.fromhex, reached through the type.
Object bytes_type_attr(Interp& ip, const Object& type, std::string_view name) {
  if (name != "fromhex") return {};
  return ip.builtin("fromhex", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
    check_args(ip, "fromhex", a, 1, 1);
    if (!a.pos[0].is(Tag::Str)) ip.raise(ip.T.TypeError, fmt::format("fromhex() argument must be str, not {}", ip.type_of(a.pos[0])->name));
    const std::string& s = a.pos[0].as<StrObj>()->s;
    auto digit = [](char c) { return is_digit(c) ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1; };
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
      if (stringlib::ascii_space(s[i])) {
        ++i;
        continue;
      }
      int hi = digit(s[i]), lo = i + 1 < s.size() ? digit(s[i + 1]) : -1;
      if (hi < 0 || lo < 0)
        ip.raise(ip.T.ValueError, fmt::format("non-hexadecimal number found in fromhex() arg at position {}", hi < 0 ? i : i + 1));
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    return ip.bytes_obj(std::move(out), b.self.as<TypeObj>() == ip.T.bytes.get() ? Tag::Bytes : Tag::ByteArray);
  }, type);
}

}  // namespace aiospec::interp

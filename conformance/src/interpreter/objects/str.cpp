// str: UTF-8 strings, their repr and their methods.
#include <fmt/format.h>

#include "../interp.hpp"
#include "method.hpp"
#include "stringlib.hpp"

namespace aiospec::interp {

std::int64_t StrObj::length() {
  if (len_ < 0) {
    std::int64_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    len_ = n;
  }
  return len_;
}

std::uint64_t str_hash(std::string_view s) noexcept {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h == static_cast<std::uint64_t>(-1) ? static_cast<std::uint64_t>(-2) : h;
}

bool StrObj::ascii() { return length() == static_cast<std::int64_t>(s.size()); }


std::string str_repr(std::string_view s) {
  bool sq = s.find('\'') != std::string_view::npos, dq = s.find('"') != std::string_view::npos;
  char q = (sq && !dq) ? '"' : '\'';
  std::string out(1, q);
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = s[i];
    if (c == q || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", c);
      out += b;
    } else if (c == 0xC2 && i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) <= 0xA0 || static_cast<unsigned char>(s[i + 1]) == 0xAD)) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[++i]));  // C1 controls, NBSP, soft hyphen: not printable
    } else if (c == 0xED && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0xA0) {
      // A lone surrogate (surrogateescape, \udc80).
      unsigned cp = 0xD000u | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) | (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
      out += fmt::format("\\u{:04x}", cp);
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += q;
  return out;
}

std::string ascii_escape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    int n = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    std::uint32_t cp = n == 1 ? c & 0x1F : n == 2 ? c & 0x0F : c & 0x07;
    for (int k = 1; k <= n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out += cp < 0x100 ? fmt::format("\\x{:02x}", cp) : cp < 0x10000 ? fmt::format("\\u{:04x}", cp) : fmt::format("\\U{:08x}", cp);
    i += n + 1;
  }
  return out;
}

namespace {

const std::string& S(const BuiltinObj& b) { return b.self.as<StrObj>()->s; }

}  // namespace

Object str_method(Interp& ip, const Object& self, std::string_view name) {
  METHOD(encode)
    Object enc = arg_or(a, 0, "encoding", Object()), errors = arg_or(a, 1, "errors", Object());
    if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("'{}' is an invalid keyword argument for encode()", a.kw[0].first));
    if (a.pos.size() > 2) ip.raise(ip.T.TypeError, fmt::format("encode() takes at most 2 arguments ({} given)", a.pos.size()));
    return ip.bytes_obj(codec_encode(ip, b.self, enc, errors, "encode"));
  END_METHOD
  METHOD(join)
    check_args(ip, "join", a, 1, 1);
    std::string out;
    std::size_t i = 0;
    for (auto& x : ip.join_items(a.pos[0])) {
      if (!x.is(Tag::Str)) ip.raise(ip.T.TypeError, fmt::format("sequence item {}: expected str instance, {} found", i, ip.type_of(x)->name));
      if (i++) out += S(b);
      out += x.as<StrObj>()->s;
    }
    return ip.str_obj(std::move(out));
  END_METHOD
  if (name == "split" || name == "rsplit") {
    Fn fn = [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      Object sep = arg_or(a, 0, "sep", Object::none());
      std::int64_t maxsplit = arg_or(a, 1, "maxsplit", Object::integer(-1)).i();
      bool right = b.name[0] == 'r';
      std::vector<std::string> parts;
      if (sep.is_none()) {
        parts = stringlib::split_ws(S(b), maxsplit, right);
      } else {
        const std::string& d = sep.as<StrObj>()->s;
        if (d.empty()) ip.raise(ip.T.ValueError, "empty separator");
        parts = stringlib::split_sep(S(b), d, maxsplit, right);
      }
      std::vector<Object> out;
      for (auto& p : parts) out.push_back(ip.str_obj(std::move(p)));
      return ip.list_obj(std::move(out));
    };
    return ip.builtin(name == "split" ? "split" : "rsplit", fn, self);
  }
  METHOD(splitlines)
    // str.splitlines(keepends=False): the line boundaries of Unicode (\n, \r, \r\n, \v, \f,
    // \x1c-\x1e, \x85, \u2028, \u2029), kept at the end of each line when asked.
    const bool keep = ip.truthy(arg_or(a, 0, "keepends", Object::boolean(false)));
    check_args(ip, "splitlines", a, 0, 1);
    std::vector<Object> out;
    const std::string& s = S(b);
    std::size_t start = 0, i = 0;
    while (i < s.size()) {
      const auto c = static_cast<unsigned char>(s[i]);
      std::size_t n = 0;  // the boundary's length in bytes
      if (c == '\r') n = i + 1 < s.size() && s[i + 1] == '\n' ? 2 : 1;
      else if (c == '\n' || c == '\v' || c == '\f' || (c >= 0x1c && c <= 0x1e)) n = 1;
      else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x85) n = 2;
      else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) n = 3;
      if (!n) {
        ++i;
        continue;
      }
      out.push_back(ip.str_obj(s.substr(start, (keep ? i + n : i) - start)));
      start = i = i + n;
    }
    if (start < s.size()) out.push_back(ip.str_obj(s.substr(start)));
    return ip.list_obj(std::move(out));
  END_METHOD
  if (name == "strip" || name == "lstrip" || name == "rstrip") {
    Fn fn;
    if (name == "strip") fn = [](Interp& ip, BuiltinObj& b, CallArgs& a) { Object c = arg_or(a, 0, "chars", Object::none()); return ip.str_obj(stringlib::strip(S(b), c.is_none() ? " \t\n\r\f\v" : c.as<StrObj>()->s, true, true)); };
    else if (name == "lstrip") fn = [](Interp& ip, BuiltinObj& b, CallArgs& a) { Object c = arg_or(a, 0, "chars", Object::none()); return ip.str_obj(stringlib::strip(S(b), c.is_none() ? " \t\n\r\f\v" : c.as<StrObj>()->s, true, false)); };
    else fn = [](Interp& ip, BuiltinObj& b, CallArgs& a) { Object c = arg_or(a, 0, "chars", Object::none()); return ip.str_obj(stringlib::strip(S(b), c.is_none() ? " \t\n\r\f\v" : c.as<StrObj>()->s, false, true)); };
    return ip.builtin(name == "strip" ? "strip" : name == "lstrip" ? "lstrip" : "rstrip", fn, self);
  }
  METHOD(upper)
    std::string s = S(b);
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return ip.str_obj(s);
  END_METHOD
  METHOD(lower)
    std::string s = S(b);
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ip.str_obj(s);
  END_METHOD
  METHOD(capitalize)
    std::string s = S(b);
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return ip.str_obj(s);
  END_METHOD
  METHOD(title)
    std::string s = S(b);
    bool prev = false;
    for (auto& c : s) {
      bool alpha = std::isalpha(static_cast<unsigned char>(c));
      c = static_cast<char>(alpha && !prev ? std::toupper(static_cast<unsigned char>(c)) : std::tolower(static_cast<unsigned char>(c)));
      prev = alpha;
    }
    return ip.str_obj(s);
  END_METHOD
  if (name == "startswith" || name == "endswith") {
    Fn fn = [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, b.name, a, 1, 1);
      bool start = b.name[0] == 's';
      std::vector<Object> cands = a.pos[0].is(Tag::Tuple) ? a.pos[0].as<ListObj>()->v : std::vector<Object>{a.pos[0]};
      const std::string& s = S(b);
      for (auto& c : cands) {
        if (!c.is(Tag::Str)) ip.raise(ip.T.TypeError, fmt::format("{} first arg must be str or a tuple of str, not {}", b.name, ip.type_of(c)->name));
        const std::string& p = c.as<StrObj>()->s;
        if (p.size() <= s.size() && (start ? s.compare(0, p.size(), p) == 0 : s.compare(s.size() - p.size(), p.size(), p) == 0))
          return Object::boolean(true);
      }
      return Object::boolean(false);
    };
    return ip.builtin(name == "startswith" ? "startswith" : "endswith", fn, self);
  }
  METHOD(replace)
    check_args(ip, "replace", a, 2, 3);
    std::int64_t count = a.pos.size() == 3 ? a.pos[2].i() : -1;
    return ip.str_obj(stringlib::replace(S(b), ip.str(a.pos[0]), ip.str(a.pos[1]), count, true));
  END_METHOD
  if (name == "find" || name == "index" || name == "rfind" || name == "rindex" || name == "count") {
    Fn fn = [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      check_args(ip, b.name, a, 1, 1);
      if (!a.pos[0].is(Tag::Str)) ip.raise(ip.T.TypeError, fmt::format("must be str, not {}", ip.type_of(a.pos[0])->name));
      const std::string& s = S(b);
      const std::string& sub = a.pos[0].as<StrObj>()->s;
      std::string_view n = b.name;
      auto to_cp = [&](std::size_t byte) {
        std::int64_t k = 0;
        for (std::size_t i = 0; i < byte; ++i) k += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
        return k;
      };
      if (n == "count") {
        if (sub.empty()) return Object::integer(b.self.as<StrObj>()->length() + 1);
        return Object::integer(stringlib::count(s, sub));
      }
      std::size_t pos = n[0] == 'r' ? s.rfind(sub) : s.find(sub);
      if (pos == std::string::npos) {
        if (n == "index" || n == "rindex") ip.raise(ip.T.ValueError, "substring not found");
        return Object::integer(-1);
      }
      return Object::integer(to_cp(pos));
    };
    static const char* names[] = {"find", "index", "rfind", "rindex", "count"};
    const char* nm = names[name == "find" ? 0 : name == "index" ? 1 : name == "rfind" ? 2 : name == "rindex" ? 3 : 4];
    return ip.builtin(nm, fn, self);
  }
  METHOD(format)
    return ip.str_obj(str_format(ip, S(b), a));
  END_METHOD
  if (name == "isdigit" || name == "isalpha" || name == "isalnum" || name == "isspace" || name == "isupper" || name == "islower" || name == "isdecimal" || name == "isnumeric" || name == "isidentifier") {
    static const char* names[] = {"isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "isdecimal", "isnumeric", "isidentifier"};
    const char* nm = nullptr;
    for (auto* n : names)
      if (name == n) nm = n;
    return ip.builtin(nm, [](Interp&, BuiltinObj& b, CallArgs&) {
      const std::string& s = S(b);
      std::string_view n = b.name;
      if (s.empty()) return Object::boolean(false);
      bool any_cased = false;
      for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        bool ok;
        if (n == "isdigit" || n == "isdecimal" || n == "isnumeric") ok = std::isdigit(c);
        else if (n == "isalpha") ok = std::isalpha(c) || c >= 0x80;
        else if (n == "isalnum") ok = std::isalnum(c) || c >= 0x80;
        else if (n == "isspace") ok = std::isspace(c);
        else if (n == "isidentifier") ok = c == '_' || std::isalpha(c) || c >= 0x80 || (i > 0 && std::isdigit(c));
        else if (n == "isupper") { ok = !std::islower(c); any_cased |= std::isupper(c) != 0; }
        else { ok = !std::isupper(c); any_cased |= std::islower(c) != 0; }
        if (!ok) return Object::boolean(false);
      }
      return Object::boolean((n != "isupper" && n != "islower") || any_cased);
    }, self);
  }
  METHOD(zfill)
    check_args(ip, "zfill", a, 1, 1);
    std::string s = S(b);
    std::int64_t w = a.pos[0].i(), n = b.self.as<StrObj>()->length();
    if (n >= w) return b.self;
    std::string sign;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
      sign = s.substr(0, 1);
      s = s.substr(1);
    }
    return ip.str_obj(sign + std::string(w - n, '0') + s);
  END_METHOD
  if (name == "center" || name == "ljust" || name == "rjust") {
    Fn fn = [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, b.name, a, 1, 2);
      std::string fill = a.pos.size() == 2 ? ip.str(a.pos[1]) : " ";
      char align = b.name[0] == 'c' ? '^' : b.name[0] == 'l' ? '<' : '>';
      std::string spec = fill + align + std::to_string(a.pos[0].i());
      if (align == '^') {
        // str.center puts the extra fill on the right only when the padding is odd and the width odd.
        std::int64_t n = b.self.as<StrObj>()->length(), w = a.pos[0].i();
        if (n >= w) return b.self;
        std::int64_t marg = w - n, left = stringlib::center_left(n, w);
        std::string l, r;
        for (std::int64_t k = 0; k < left; ++k) l += fill;
        for (std::int64_t k = 0; k < marg - left; ++k) r += fill;
        return ip.str_obj(l + S(b) + r);
      }
      return ip.str_obj(ip.format(b.self, spec));
    };
    return ip.builtin(name == "center" ? "center" : name == "ljust" ? "ljust" : "rjust", fn, self);
  }
  if (name == "partition" || name == "rpartition") {
    Fn fn = [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, b.name, a, 1, 1);
      const std::string& s = S(b);
      std::string sep = ip.str(a.pos[0]);
      std::size_t p = b.name[0] == 'r' ? s.rfind(sep) : s.find(sep);
      if (p == std::string::npos)
        return b.name[0] == 'r' ? ip.tuple_obj({ip.str_obj(""), ip.str_obj(""), b.self}) : ip.tuple_obj({b.self, ip.str_obj(""), ip.str_obj("")});
      return ip.tuple_obj({ip.str_obj(s.substr(0, p)), ip.str_obj(sep), ip.str_obj(s.substr(p + sep.size()))});
    };
    return ip.builtin(name == "partition" ? "partition" : "rpartition", fn, self);
  }
  METHOD(swapcase)
    std::string s = S(b);
    for (auto& c : s) c = static_cast<char>(std::isupper(static_cast<unsigned char>(c)) ? std::tolower(static_cast<unsigned char>(c)) : std::toupper(static_cast<unsigned char>(c)));
    return ip.str_obj(s);
  END_METHOD
  METHOD(removeprefix)
    std::string s = S(b), p = ip.str(a.pos.at(0));
    return ip.str_obj(s.compare(0, p.size(), p) == 0 ? s.substr(p.size()) : s);
  END_METHOD
  METHOD(removesuffix)
    std::string s = S(b), p = ip.str(a.pos.at(0));
    return ip.str_obj(!p.empty() && s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0 ? s.substr(0, s.size() - p.size()) : s);
  END_METHOD
  return {};
}

}  // namespace aiospec::interp

// The codecs str.encode and bytes.decode use: utf-8, ascii and latin-1 with the error handlers
// strict, ignore, replace, backslashreplace, xmlcharrefreplace, surrogateescape and surrogatepass
// (Objects/unicodeobject.c, Python/codecs.c). A str holds UTF-8 in which a lone surrogate (from
// surrogateescape) is its 3-byte form, as the lexer writes \udc80.
#include <fmt/format.h>

#include "../interp.hpp"
#include "aiospec/scenario/lexer.hpp"

namespace aiospec::interp {

using scenario::append_utf8;

namespace {

enum class Codec { Utf8, Ascii, Latin1 };

const char* codec_name(Codec c) { return c == Codec::Utf8 ? "utf-8" : c == Codec::Ascii ? "ascii" : "latin-1"; }

// encodings.normalize_encoding after lower-casing, then encodings.aliases for these three codecs.
Codec lookup(Interp& ip, std::string_view encoding) {
  std::string norm;
  bool punct = false;
  for (char c : encoding) {
    bool alnum = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    if (alnum || c == '.') {
      if (punct && !norm.empty()) norm += '_';
      norm += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      punct = false;
    } else {
      punct = true;
    }
  }
  static const std::pair<const char*, Codec> kNames[] = {
      {"utf_8", Codec::Utf8}, {"u8", Codec::Utf8}, {"utf", Codec::Utf8}, {"utf8", Codec::Utf8},
      {"utf8_ucs2", Codec::Utf8}, {"utf8_ucs4", Codec::Utf8}, {"cp65001", Codec::Utf8},
      {"ascii", Codec::Ascii}, {"646", Codec::Ascii}, {"ansi_x3.4_1968", Codec::Ascii},
      {"ansi_x3_4_1968", Codec::Ascii}, {"ansi_x3.4_1986", Codec::Ascii}, {"cp367", Codec::Ascii},
      {"csascii", Codec::Ascii}, {"ibm367", Codec::Ascii}, {"iso646_us", Codec::Ascii},
      {"iso_646.irv_1991", Codec::Ascii}, {"iso_ir_6", Codec::Ascii}, {"us", Codec::Ascii}, {"us_ascii", Codec::Ascii},
      {"latin_1", Codec::Latin1}, {"8859", Codec::Latin1}, {"cp819", Codec::Latin1}, {"csisolatin1", Codec::Latin1},
      {"ibm819", Codec::Latin1}, {"iso8859", Codec::Latin1}, {"iso8859_1", Codec::Latin1},
      {"iso_8859_1", Codec::Latin1}, {"iso_8859_1_1987", Codec::Latin1}, {"iso_ir_100", Codec::Latin1},
      {"l1", Codec::Latin1}, {"latin", Codec::Latin1}, {"latin1", Codec::Latin1},
  };
  for (const auto& [n, c] : kNames)
    if (norm == n) return c;
  ip.raise(ip.T.TypeError, fmt::format("encoding {} is not in the scenario language (it provides utf-8, ascii and latin-1; see spec/language.md)",
                                       str_repr(encoding)));
}

std::string str_arg(Interp& ip, const Object& o, const char* fname, const char* what, const char* dflt) {
  if (o.null()) return dflt;
  if (!o.is(Tag::Str)) ip.raise(ip.T.TypeError, fmt::format("{}() argument '{}' must be str, not {}", fname, what, ip.type_of(o)->name));
  return o.as<StrObj>()->s;
}

enum class Handler { Strict, Ignore, Replace, BackslashReplace, XmlCharRefReplace, SurrogateEscape, SurrogatePass };

Handler handler(Interp& ip, const std::string& errors) {
  static const std::pair<const char*, Handler> kHandlers[] = {
      {"strict", Handler::Strict}, {"ignore", Handler::Ignore}, {"replace", Handler::Replace},
      {"backslashreplace", Handler::BackslashReplace}, {"xmlcharrefreplace", Handler::XmlCharRefReplace},
      {"surrogateescape", Handler::SurrogateEscape}, {"surrogatepass", Handler::SurrogatePass},
  };
  for (const auto& [n, h] : kHandlers)
    if (errors == n) return h;
  if (errors == "namereplace")  // needs the Unicode character names
    ip.raise(ip.T.TypeError, "errors='namereplace' is not in the scenario language (see spec/language.md)");
  ip.raise(ip.T.LookupError, fmt::format("unknown error handler name '{}'", errors));
}

// The code points of a str's UTF-8 (which is well formed but for surrogates).
std::vector<std::uint32_t> code_points(std::string_view s) {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    std::uint32_t cp = n == 0 ? c : n == 1 ? c & 0x1F : n == 2 ? c & 0x0F : c & 0x07;
    for (int k = 1; k <= n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n + 1;
  }
  return out;
}

bool is_surrogate(std::uint32_t cp) { return cp >= 0xD800 && cp <= 0xDFFF; }

[[noreturn]] void raise_unicode_error(Interp& ip, const Ref<TypeObj>& type, Codec c, const Object& obj, std::size_t start,
                                      std::size_t end, const char* reason) {
  ip.raise_obj(ip.new_exc(type, {ip.str_obj(codec_name(c)), obj, Object::integer(static_cast<std::int64_t>(start)),
                                 Object::integer(static_cast<std::int64_t>(end)), ip.str_obj(reason)}));
}

// Where the UTF-8 sequence at s[i] stops being valid: 0 when it is valid (its length in `len`);
// else the end of the bad range and the reason (Objects/stringlib/codecs.h).
std::size_t utf8_invalid(std::string_view s, std::size_t i, std::size_t& len, const char*& reason) {
  auto c = static_cast<unsigned char>(s[i]);
  std::size_t need;
  unsigned lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    lo = c == 0xE0 ? 0xA0 : 0x80;
    hi = c == 0xED ? 0x9F : 0xBF;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    lo = c == 0xF0 ? 0x90 : 0x80;
    hi = c == 0xF4 ? 0x8F : 0xBF;
  } else {
    reason = "invalid start byte";
    return i + 1;
  }
  for (std::size_t k = 1; k <= need; ++k) {
    if (i + k >= s.size()) {
      reason = "unexpected end of data";
      return s.size();
    }
    auto d = static_cast<unsigned char>(s[i + k]);
    if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xBF)) {
      reason = "invalid continuation byte";
      return i + k;
    }
  }
  len = need + 1;
  return 0;
}

}  // namespace

std::string codec_decode(Interp& ip, std::string_view s, const Object& obj, const Object& encoding, const Object& errors, const char* fname) {
  Codec c = lookup(ip, str_arg(ip, encoding, fname, "encoding", "utf-8"));
  std::string err = str_arg(ip, errors, fname, "errors", "strict");
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    auto byte = static_cast<unsigned char>(s[i]);
    if (byte < 0x80 || c == Codec::Latin1) {
      append_utf8(out, byte);
      ++i;
      continue;
    }
    std::size_t len = 1, end = i + 1;
    const char* reason = "ordinal not in range(128)";
    if (c == Codec::Utf8) end = utf8_invalid(s, i, len, reason);
    if (end == 0) {
      out.append(s.substr(i, len));
      i += len;
      continue;
    }
    auto fail = [&]() { raise_unicode_error(ip, ip.T.UnicodeDecodeError, c, obj, i, end, reason); };
    switch (handler(ip, err)) {
      case Handler::Strict: fail();
      case Handler::Ignore: break;
      case Handler::Replace: append_utf8(out, 0xFFFD); break;
      case Handler::BackslashReplace:
        for (std::size_t k = i; k < end; ++k) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[k]));
        break;
      case Handler::XmlCharRefReplace: ip.raise(ip.T.TypeError, "don't know how to handle UnicodeDecodeError in error callback");
      case Handler::SurrogateEscape:
        for (std::size_t k = i; k < end; ++k) append_utf8(out, 0xDC00 + static_cast<unsigned char>(s[k]));
        break;
      case Handler::SurrogatePass: {
        // A surrogate's 3-byte form, which only UTF-8 lets through.
        bool surrogate = c == Codec::Utf8 && byte == 0xED && i + 2 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xE0) == 0xA0 &&
                         (static_cast<unsigned char>(s[i + 2]) & 0xC0) == 0x80;
        if (!surrogate) fail();
        out.append(s.substr(i, 3));
        end = i + 3;
        break;
      }
    }
    i = end;
  }
  return out;
}

std::string codec_encode(Interp& ip, const Object& str, const Object& encoding, const Object& errors, const char* fname) {
  Codec c = lookup(ip, str_arg(ip, encoding, fname, "encoding", "utf-8"));
  std::string err = str_arg(ip, errors, fname, "errors", "strict");
  const std::string& s = str.as<StrObj>()->s;
  const std::uint32_t limit = c == Codec::Ascii ? 0x80 : c == Codec::Latin1 ? 0x100 : 0x110000;
  auto unencodable = [&](std::uint32_t cp) { return cp >= limit || (c == Codec::Utf8 && is_surrogate(cp)); };
  std::vector<std::uint32_t> cps = code_points(s);
  std::string out;
  for (std::size_t i = 0; i < cps.size();) {
    if (!unencodable(cps[i])) {
      if (c == Codec::Utf8) append_utf8(out, cps[i]);
      else out += static_cast<char>(cps[i]);
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    while (end < cps.size() && unencodable(cps[end])) ++end;
    auto fail = [&]() {
      raise_unicode_error(ip, ip.T.UnicodeEncodeError, c, str, i, end,
                          c == Codec::Utf8 ? "surrogates not allowed" : c == Codec::Ascii ? "ordinal not in range(128)" : "ordinal not in range(256)");
    };
    Handler h = handler(ip, err);
    for (std::size_t k = i; k < end; ++k) {
      std::uint32_t cp = cps[k];
      switch (h) {
        case Handler::Strict: fail();
        case Handler::Ignore: break;
        case Handler::Replace: out += '?'; break;
        case Handler::BackslashReplace:
          out += cp < 0x100 ? fmt::format("\\x{:02x}", cp) : cp < 0x10000 ? fmt::format("\\u{:04x}", cp) : fmt::format("\\U{:08x}", cp);
          break;
        case Handler::XmlCharRefReplace: out += fmt::format("&#{};", cp); break;
        case Handler::SurrogateEscape:
          if (cp < 0xDC80 || cp > 0xDCFF) fail();
          out += static_cast<char>(cp - 0xDC00);
          break;
        case Handler::SurrogatePass:
          if (c != Codec::Utf8 || !is_surrogate(cp)) fail();
          append_utf8(out, cp);
          break;
      }
    }
    i = end;
  }
  return out;
}

std::string unicode_error_str(Interp& ip, ExcObj& e) {
  const auto& a = e.args;
  bool decode = e.cls->subclass_of(ip.T.UnicodeDecodeError.get());
  if (a.size() != 5 || !a[0].is(Tag::Str) || !a[2].is(Tag::Int) || !a[3].is(Tag::Int) || !a[4].is(Tag::Str) ||
      !(decode ? a[1].is(Tag::Bytes) : a[1].is(Tag::Str)))
    return {};
  std::int64_t start = a[2].i(), end = a[3].i();
  const std::string& enc = a[0].as<StrObj>()->s;
  const std::string& reason = a[4].as<StrObj>()->s;
  const char* verb = decode ? "decode" : "encode";
  if (end != start + 1) return fmt::format("'{}' codec can't {} {} in position {}-{}: {}", enc, verb, decode ? "bytes" : "characters", start, end - 1, reason);
  if (decode) {
    const std::string& b = a[1].as<BytesObj>()->s;
    if (start < 0 || start >= static_cast<std::int64_t>(b.size())) return {};
    return fmt::format("'{}' codec can't decode byte 0x{:02x} in position {}: {}", enc, static_cast<unsigned char>(b[start]), start, reason);
  }
  std::vector<std::uint32_t> cps = code_points(a[1].as<StrObj>()->s);
  if (start < 0 || start >= static_cast<std::int64_t>(cps.size())) return {};
  std::uint32_t cp = cps[start];
  std::string ch = cp <= 0xFF ? fmt::format("\\x{:02x}", cp) : cp <= 0xFFFF ? fmt::format("\\u{:04x}", cp) : fmt::format("\\U{:08x}", cp);
  return fmt::format("'{}' codec can't encode character '{}' in position {}: {}", enc, ch, start, reason);
}

}  // namespace aiospec::interp

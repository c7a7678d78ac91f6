// Text formatting: format specs (format(), f-strings, str.format) and %-formatting.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "aiospec/scenario/lexer.hpp"
#include "interp.hpp"

namespace aiospec::interp {

namespace {

struct Spec {
  char fill = ' ';
  std::string fill_utf8 = " ";
  char align = 0;  // < > ^ =
  char sign = '-';
  bool alt = false;
  bool zero = false;
  int width = -1;
  char grouping = 0;
  int precision = -1;
  char type = 0;
};

std::size_t cp_len(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

Spec parse_spec(Interp& ip, std::string_view s) {
  Spec sp;
  std::size_t i = 0;
  auto is_align = [](char c) { return c == '<' || c == '>' || c == '^' || c == '='; };
  // A fill character may be any code point.
  std::size_t first = 1;
  while (first < s.size() && (static_cast<unsigned char>(s[first]) & 0xC0) == 0x80) ++first;
  if (s.size() > first && is_align(s[first])) {
    sp.fill_utf8 = std::string(s.substr(0, first));
    sp.align = s[first];
    i = first + 1;
  } else if (!s.empty() && is_align(s[0])) {
    sp.align = s[0];
    i = 1;
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) sp.sign = s[i++];
  if (i < s.size() && s[i] == '#') {
    sp.alt = true;
    ++i;
  }
  if (i < s.size() && s[i] == '0') {
    sp.zero = true;
    ++i;
  }
  if (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
    sp.width = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) sp.width = sp.width * 10 + (s[i++] - '0');
  }
  if (i < s.size() && (s[i] == ',' || s[i] == '_')) sp.grouping = s[i++];
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) ip.raise(ip.T.ValueError, "Format specifier missing precision");
    sp.precision = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) sp.precision = sp.precision * 10 + (s[i++] - '0');
  }
  if (i < s.size()) sp.type = s[i++];
  if (i < s.size()) ip.raise(ip.T.ValueError, "Invalid format specifier '" + std::string(s) + "'");
  if (sp.zero && !sp.align) {
    sp.fill_utf8 = "0";
    sp.align = '=';
  }
  return sp;
}

std::string group_digits(const std::string& digits, char sep, int every = 3) {
  std::string out;
  int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i && (n - i) % every == 0) out += sep;
    out += digits[i];
  }
  return out;
}

// Pads `body` (with its sign/prefix kept in front for '=') to the spec's width.
std::string pad(const Spec& sp, std::string prefix, std::string body, char default_align) {
  char align = sp.align ? sp.align : default_align;
  std::size_t len = cp_len(prefix) + cp_len(body);
  if (sp.width < 0 || len >= static_cast<std::size_t>(sp.width)) return prefix + body;
  std::size_t n = sp.width - len;
  auto fill = [&](std::size_t k) {
    std::string s;
    for (std::size_t j = 0; j < k; ++j) s += sp.fill_utf8;
    return s;
  };
  switch (align) {
    case '<': return prefix + body + fill(n);
    case '^': return fill(n / 2) + prefix + body + fill(n - n / 2);
    case '=': {
      if (sp.fill_utf8 == "0" && sp.grouping) {
        // Zero padding also groups the padding digits.
        std::string digits = body;
        std::string frac;
        auto dot = digits.find_first_of(".eE%");
        if (dot != std::string::npos) {
          frac = digits.substr(dot);
          digits = digits.substr(0, dot);
        }
        std::string raw;
        for (char c : digits)
          if (c != sp.grouping) raw += c;
        while (cp_len(prefix) + group_digits(raw, sp.grouping).size() + frac.size() < static_cast<std::size_t>(sp.width)) raw = "0" + raw;
        return prefix + group_digits(raw, sp.grouping) + frac;
      }
      return prefix + fill(n) + body;
    }
    default: return fill(n) + prefix + body;
  }
}

std::string sign_of(const Spec& sp, bool negative) {
  if (negative) return "-";
  if (sp.sign == '+') return "+";
  if (sp.sign == ' ') return " ";
  return "";
}

std::string format_float(Interp& ip, double d, const Spec& sp) {
  char type = sp.type;
  bool neg = std::signbit(d) && !std::isnan(d);
  double a = std::fabs(d);
  std::string body;
  int prec = sp.precision;
  if (std::isinf(a) || std::isnan(a)) {
    body = std::isnan(a) ? "nan" : "inf";
    if (type == 'E' || type == 'F' || type == 'G') body = std::isnan(a) ? "NAN" : "INF";
    if (type == '%') body += "%";
  } else if (type == 0 && prec < 0) {
    body = float_repr(a);
  } else {
    char buf[512];
    switch (type) {
      case 'f':
      case 'F':
        std::snprintf(buf, sizeof buf, "%.*f", prec < 0 ? 6 : prec, a);
        body = buf;
        if (sp.alt && body.find('.') == std::string::npos) body += '.';
        break;
      case 'e':
      case 'E':
        std::snprintf(buf, sizeof buf, type == 'e' ? "%.*e" : "%.*E", prec < 0 ? 6 : prec, a);
        body = buf;
        break;
      case '%':
        std::snprintf(buf, sizeof buf, "%.*f", prec < 0 ? 6 : prec, a * 100);
        body = std::string(buf) + "%";
        break;
      case 'g':
      case 'G':
      case 'n':
      case 0: {
        // 'g' rules (and the empty type, which keeps at least one digit after the point).
        int p = prec < 0 ? 6 : (prec == 0 ? 1 : prec);
        if (type == 0 && prec >= 0) p = prec == 0 ? 1 : prec;
        std::snprintf(buf, sizeof buf, "%.*e", p - 1, a);
        int exp = std::atoi(std::strchr(buf, 'e') + 1);
        if (exp >= -4 && exp < p) {
          std::snprintf(buf, sizeof buf, "%.*f", p - 1 - exp, a);
          body = buf;
          if (!sp.alt && body.find('.') != std::string::npos) {
            while (body.back() == '0') body.pop_back();
            if (body.back() == '.') body.pop_back();
          }
          if (type == 0 && body.find('.') == std::string::npos) body += ".0";
        } else {
          std::string mant(buf, std::strchr(buf, 'e'));
          if (!sp.alt && mant.find('.') != std::string::npos) {
            while (mant.back() == '0') mant.pop_back();
            if (mant.back() == '.') mant.pop_back();
          }
          char eb[16];
          std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
          body = mant + eb;
        }
        if (type == 'G') for (auto& c : body) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        break;
      }
      default: ip.raise(ip.T.ValueError, fmt::format("Unknown format code '{}' for object of type 'float'", type));
    }
  }
  if (sp.grouping && !std::isinf(a) && !std::isnan(a)) {
    auto end = body.find_first_of(".eE%");
    std::string ip_part = body.substr(0, end);
    body = group_digits(ip_part, sp.grouping) + (end == std::string::npos ? "" : body.substr(end));
  }
  return pad(sp, sign_of(sp, neg), body, '>');
}

std::string format_int(Interp& ip, std::int64_t v, const Spec& sp) {
  char type = sp.type;
  if (type == 'e' || type == 'E' || type == 'f' || type == 'F' || type == 'g' || type == 'G' || type == '%')
    return format_float(ip, static_cast<double>(v), sp);
  if (sp.precision >= 0) ip.raise(ip.T.ValueError, "Precision not allowed in integer format specifier");
  bool neg = v < 0;
  std::uint64_t a = neg ? -static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  std::string body, prefix;
  switch (type) {
    case 0:
    case 'd':
    case 'n': body = std::to_string(a); break;
    case 'x': body = fmt::format("{:x}", a); prefix = sp.alt ? "0x" : ""; break;
    case 'X': body = fmt::format("{:X}", a); prefix = sp.alt ? "0X" : ""; break;
    case 'o': body = fmt::format("{:o}", a); prefix = sp.alt ? "0o" : ""; break;
    case 'b': body = fmt::format("{:b}", a); prefix = sp.alt ? "0b" : ""; break;
    case 'c': {
      std::string s;
      scenario::append_utf8(s, static_cast<char32_t>(v));
      return pad(sp, "", s, '<');
    }
    default: ip.raise(ip.T.ValueError, fmt::format("Unknown format code '{}' for object of type 'int'", type));
  }
  if (sp.grouping) body = group_digits(body, sp.grouping, (type == 'x' || type == 'X' || type == 'o' || type == 'b') ? 4 : 3);
  return pad(sp, sign_of(sp, neg) + prefix, body, '>');
}

}  // namespace

std::string Interp::format(const Object& o, std::string_view spec) {
  if (o.is(Tag::Instance)) {
    Object m = special(o, "__format__");
    if (m.null()) {
      if (spec.empty()) return str(o);
      raise(T.TypeError, fmt::format("unsupported format string passed to {}.__format__", type_of(o)->name));
    }
    Object r = call1(m, str_obj(std::string(spec)));
    if (!r.is(Tag::Str)) raise(T.TypeError, fmt::format("__format__ must return a str, not {}", type_of(r)->name));
    return r.as<StrObj>()->s;
  }
  if (spec.empty()) return str(o);
  Spec sp = parse_spec(*this, spec);
  switch (o.tag()) {
    case Tag::Int: return format_int(*this, o.i(), sp);
    case Tag::Bool:
      if (sp.type == 0) return pad(sp, "", str(o), '<');
      return format_int(*this, o.i(), sp);
    case Tag::Float: return format_float(*this, o.f(), sp);
    case Tag::Str: {
      if (sp.type != 0 && sp.type != 's')
        raise(T.ValueError, fmt::format("Unknown format code '{}' for object of type 'str'", sp.type));
      if (sp.align == '=') raise(T.ValueError, "'=' alignment not allowed in string format specifier");
      if (sp.sign != '-') raise(T.ValueError, "Sign not allowed in string format specifier");
      std::string s = o.as<StrObj>()->s;
      if (sp.precision >= 0 && cp_len(s) > static_cast<std::size_t>(sp.precision)) {
        std::size_t i = 0, n = 0;
        while (i < s.size() && n < static_cast<std::size_t>(sp.precision)) {
          ++i;
          while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
          ++n;
        }
        s = s.substr(0, i);
      }
      return pad(sp, "", s, '<');
    }
    default:
      raise(T.TypeError, fmt::format("unsupported format string passed to {}.__format__", type_of(o)->name));
  }
}

namespace {
// A %s, %b, %r, %a or %c piece of bytes formatting (Objects/bytesobject.c: _PyBytes_FormatEx).
std::string bytes_piece(Interp& ip, char conv, const Object& value, const Spec& sp) {
  std::string body;
  if (conv == 'r' || conv == 'a') {
    body = ascii_escape(ip.repr(value));
  } else if (conv == 'c') {
    bool one_byte = (value.is(Tag::Bytes) || value.is(Tag::ByteArray)) && value.as<BytesObj>()->s.size() == 1;
    if (!one_byte && !((value.is(Tag::Int) || value.is(Tag::Bool)) && value.i() >= 0 && value.i() < 256))
      ip.raise(ip.T.TypeError, "%c requires an integer in range(256) or a single byte");
    body = one_byte ? value.as<BytesObj>()->s : std::string(1, static_cast<char>(value.i()));
  } else if (is_buffer(value)) {
    body = buffer_bytes(ip, value);
  } else if (Object m = ip.special(value, "__bytes__"); !m.null()) {
    body = ip.call0(m).as<BytesObj>()->s;
  } else {
    ip.raise(ip.T.TypeError, fmt::format("%b requires a bytes-like object, or an object that implements __bytes__, not '{}'", ip.type_of(value)->name));
  }
  if (sp.precision >= 0 && conv != 'c' && body.size() > static_cast<std::size_t>(sp.precision)) body.resize(sp.precision);
  std::size_t w = sp.width > 0 ? static_cast<std::size_t>(sp.width) : 0;
  if (body.size() >= w) return body;
  return sp.align == '<' ? body + std::string(w - body.size(), ' ') : std::string(w - body.size(), ' ') + body;
}
}  // namespace

std::string percent_format(Interp& ip, std::string_view fmt_s, const Object& args, bool bytes) {
  std::vector<Object> items;
  const bool is_tuple = args.is(Tag::Tuple);
  if (is_tuple) items = args.as<ListObj>()->v;
  else items.push_back(args);
  std::size_t next = 0;
  bool used_mapping = false;
  std::string out;
  auto take = [&]() -> Object {
    if (next >= items.size()) ip.raise(ip.T.TypeError, "not enough arguments for format string");
    return items[next++];
  };
  for (std::size_t i = 0; i < fmt_s.size(); ++i) {
    char c = fmt_s[i];
    if (c != '%') {
      out += c;
      continue;
    }
    if (++i >= fmt_s.size()) ip.raise(ip.T.ValueError, "incomplete format");
    Object value;
    bool have_value = false;
    if (fmt_s[i] == '(') {
      auto close = fmt_s.find(')', i);
      if (close == std::string_view::npos) ip.raise(ip.T.ValueError, "incomplete format key");
      if (!args.is(Tag::Dict)) ip.raise(ip.T.TypeError, "format requires a mapping");
      std::string key(fmt_s.substr(i + 1, close - i - 1));
      value = ip.getitem(args, bytes ? ip.bytes_obj(std::move(key)) : ip.str_obj(std::move(key)));
      have_value = true;
      used_mapping = true;
      i = close + 1;
    }
    Spec sp;
    bool left = false;
    for (; i < fmt_s.size(); ++i) {
      char fl = fmt_s[i];
      if (fl == '-') left = true;
      else if (fl == '+') sp.sign = '+';
      else if (fl == ' ') sp.sign = sp.sign == '+' ? '+' : ' ';
      else if (fl == '#') sp.alt = true;
      else if (fl == '0') sp.zero = true;
      else break;
    }
    if (i < fmt_s.size() && fmt_s[i] == '*') {
      sp.width = static_cast<int>(ip.index_arg(take(), "width"));
      ++i;
    } else if (i < fmt_s.size() && std::isdigit(static_cast<unsigned char>(fmt_s[i]))) {
      sp.width = 0;
      while (i < fmt_s.size() && std::isdigit(static_cast<unsigned char>(fmt_s[i]))) sp.width = sp.width * 10 + (fmt_s[i++] - '0');
    }
    if (i < fmt_s.size() && fmt_s[i] == '.') {
      ++i;
      sp.precision = 0;
      if (i < fmt_s.size() && fmt_s[i] == '*') {
        sp.precision = static_cast<int>(ip.index_arg(take(), "precision"));
        ++i;
      } else {
        while (i < fmt_s.size() && std::isdigit(static_cast<unsigned char>(fmt_s[i]))) sp.precision = sp.precision * 10 + (fmt_s[i++] - '0');
      }
    }
    if (i >= fmt_s.size()) ip.raise(ip.T.ValueError, "incomplete format");
    char conv = fmt_s[i];
    if (conv == '%') {
      out += '%';
      continue;
    }
    if (!have_value) value = take();
    if (left) sp.align = '<';
    else if (sp.zero && conv != 's' && conv != 'r' && conv != 'a') {
      sp.fill_utf8 = "0";
      sp.align = '=';
    }
    std::string piece;
    if (bytes && (conv == 's' || conv == 'b' || conv == 'r' || conv == 'a' || conv == 'c')) {
      piece = bytes_piece(ip, conv, value, sp);
      out += piece;
      continue;
    }
    switch (conv) {
      case 's': piece = pad(sp, "", sp.precision >= 0 ? ip.str(value).substr(0, sp.precision) : ip.str(value), '>'); break;
      case 'r':
      case 'a': piece = pad(sp, "", ip.repr(value), '>'); break;
      case 'd':
      case 'i':
      case 'u': {
        std::int64_t v;
        if (value.is(Tag::Float)) v = static_cast<std::int64_t>(value.f());
        else if (value.is(Tag::Int) || value.is(Tag::Bool)) v = value.i();
        else ip.raise(ip.T.TypeError, fmt::format("%{} format: a real number is required, not {}", conv, ip.type_of(value)->name));
        Spec s2 = sp;
        s2.precision = -1;
        piece = format_int(ip, v, s2);
        break;
      }
      case 'x':
      case 'X':
      case 'o': {
        if (!value.is(Tag::Int) && !value.is(Tag::Bool))
          ip.raise(ip.T.TypeError, fmt::format("%{} format: an integer is required, not {}", conv, ip.type_of(value)->name));
        Spec s2 = sp;
        s2.type = conv;
        s2.precision = -1;
        piece = format_int(ip, value.i(), s2);
        break;
      }
      case 'c': piece = value.is(Tag::Str) ? value.as<StrObj>()->s : format_int(ip, value.i(), Spec{.type = 'c'}); break;
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G': {
        double d;
        if (value.is(Tag::Float)) d = value.f();
        else if (value.is(Tag::Int) || value.is(Tag::Bool)) d = static_cast<double>(value.i());
        else ip.raise(ip.T.TypeError, fmt::format("must be real number, not {}", ip.type_of(value)->name));
        Spec s2 = sp;
        s2.type = conv;
        if (s2.precision < 0) s2.precision = 6;
        piece = format_float(ip, d, s2);
        break;
      }
      default:
        ip.raise(ip.T.ValueError, fmt::format("unsupported format character '{}' (0x{:x}) at index {}", conv, static_cast<int>(conv), i));
    }
    out += piece;
  }
  if (!used_mapping && next < items.size() && !(items.size() == 1 && !is_tuple && args.is(Tag::Dict)))
    ip.raise(ip.T.TypeError, "not all arguments converted during string formatting");
  return out;
}

std::string str_format(Interp& ip, std::string_view f, CallArgs& a) {
  std::string out;
  std::size_t auto_index = 0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    char c = f[i];
    if (c == '}') {
      if (i + 1 < f.size() && f[i + 1] == '}') {
        out += '}';
        ++i;
        continue;
      }
      ip.raise(ip.T.ValueError, "Single '}' encountered in format string");
    }
    if (c != '{') {
      out += c;
      continue;
    }
    if (i + 1 < f.size() && f[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    // Find the matching '}' (a spec may nest one level of {}).
    std::size_t depth = 1, j = i + 1;
    for (; j < f.size() && depth; ++j) {
      if (f[j] == '{') ++depth;
      else if (f[j] == '}') --depth;
    }
    if (depth) ip.raise(ip.T.ValueError, "expected '}' before end of string");
    std::string_view field = f.substr(i + 1, j - i - 2);
    i = j - 1;
    std::string_view spec;
    char conv = 0;
    auto colon = field.find(':');
    if (colon != std::string_view::npos) {
      spec = field.substr(colon + 1);
      field = field.substr(0, colon);
    }
    auto bang = field.find('!');
    if (bang != std::string_view::npos) {
      if (bang + 1 < field.size()) conv = field[bang + 1];
      field = field.substr(0, bang);
    }
    // The first name: an index, a keyword, or empty (automatic numbering).
    std::size_t end = field.find_first_of(".[");
    std::string_view head = field.substr(0, end);
    Object v;
    if (head.empty()) {
      if (auto_index >= a.pos.size()) ip.raise(ip.T.IndexError, fmt::format("Replacement index {} out of range for positional args tuple", auto_index));
      v = a.pos[auto_index++];
    } else if (std::isdigit(static_cast<unsigned char>(head[0]))) {
      std::size_t k = std::stoul(std::string(head));
      if (k >= a.pos.size()) ip.raise(ip.T.IndexError, fmt::format("Replacement index {} out of range for positional args tuple", k));
      v = a.pos[k];
    } else {
      bool found = false;
      for (auto& [name, val] : a.kw)
        if (name == head) {
          v = val;
          found = true;
        }
      if (!found) ip.raise_obj(ip.new_exc(ip.T.KeyError, {ip.str_obj(std::string(head))}));
    }
    while (end != std::string_view::npos && end < field.size()) {
      if (field[end] == '.') {
        std::size_t nx = field.find_first_of(".[", end + 1);
        v = ip.getattr(v, field.substr(end + 1, nx == std::string_view::npos ? std::string_view::npos : nx - end - 1));
        end = nx;
      } else {
        std::size_t close = field.find(']', end);
        std::string key(field.substr(end + 1, close - end - 1));
        Object k = !key.empty() && std::isdigit(static_cast<unsigned char>(key[0])) ? Object::integer(std::stoll(key)) : ip.str_obj(key);
        v = ip.getitem(v, k);
        end = close + 1 < field.size() ? close + 1 : std::string_view::npos;
      }
    }
    if (conv == 'r' || conv == 'a') v = ip.str_obj(ip.repr(v));
    else if (conv == 's') v = ip.str_obj(ip.str(v));
    std::string spec_s(spec);
    if (spec_s.find('{') != std::string::npos) spec_s = str_format(ip, spec_s, a);
    out += ip.format(v, spec_s);
  }
  return out;
}

}  // namespace aiospec::interp

// The `json` module (Lib/json/__init__.py, encoder.py, decoder.py, Modules/_json.c): dumps, dump,
// loads, load and JSONDecodeError, with CPython's output byte for byte and its error messages and
// positions.
#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "../interp.hpp"
#include "textwrap.hpp"
#include "aiospec/scenario/lexer.hpp"

namespace aiospec::interp {

namespace {


// The keyword arguments of dumps()/loads(): the ones named take their value, any other is the
// TypeError of the JSONEncoder/JSONDecoder constructor they are passed on to.
struct Options {
  std::map<std::string_view, Object> given;
  Options(Interp& ip, CallArgs& a, std::initializer_list<std::string_view> names, const char* cls) {
    for (auto& [k, v] : a.kw) {
      bool known = false;
      for (auto n : names) known = known || n == k;
      if (!known) ip.raise(ip.T.TypeError, fmt::format("{}.__init__() got an unexpected keyword argument '{}'", cls, k));
      given[k] = v;
    }
  }
  Object get(std::string_view k) const {
    auto it = given.find(k);
    return it == given.end() || it->second.is_none() ? Object() : it->second;
  }
};

// ---- encoding (encoder.py's _make_iterencode, and c_make_encoder's one-shot dumps) ----

struct Encoder {
  Interp& ip;
  bool skipkeys = false, ensure_ascii = true, check_circular = true, allow_nan = true, sort_keys = false;
  bool c_encoder = false;  // dumps() without indent: _json.c's messages
  Object default_fn;
  std::optional<std::string> indent;
  std::string item_sep = ", ", key_sep = ": ";
  std::vector<const void*> markers;  // the containers being encoded (check_circular)
  std::string out;

  Encoder(Interp& i, const Options& o, bool dumps) : ip(i) {
    auto flag = [&](const char* k, bool& v) {
      if (Object x = o.get(k); !x.null()) v = ip.truthy(x);
    };
    flag("skipkeys", skipkeys);
    flag("ensure_ascii", ensure_ascii);
    flag("check_circular", check_circular);
    flag("allow_nan", allow_nan);
    flag("sort_keys", sort_keys);
    if (!o.get("cls").null()) ip.refuse("json's cls= (a JSONEncoder subclass)");
    default_fn = o.get("default");
    if (Object in = o.get("indent"); !in.null()) {
      // JSONEncoder.__init__: an int indent is that many spaces.
      indent = in.is(Tag::Str) ? ip.str(in) : std::string(static_cast<std::size_t>(std::max<std::int64_t>(0, ip.index_arg(in, nullptr))), ' ');
      item_sep = ",";
    }
    if (Object sep = o.get("separators"); !sep.null()) {
      std::vector<Object> v = ip.to_vector(sep);
      if (v.size() != 2) ip.raise(ip.T.ValueError, fmt::format("too many values to unpack (expected 2)"));
      item_sep = ip.str(v[0]);
      key_sep = ip.str(v[1]);
    }
    c_encoder = dumps && !indent;
  }

  // py_encode_basestring(_ascii).
  void string(std::string_view s) {
    out += '"';
    for (char32_t c : textwrap::utf32(s)) {
      switch (c) {
        case '"': out += "\\\""; continue;
        case '\\': out += "\\\\"; continue;
        case '\n': out += "\\n"; continue;
        case '\r': out += "\\r"; continue;
        case '\t': out += "\\t"; continue;
        case '\b': out += "\\b"; continue;
        case '\f': out += "\\f"; continue;
        default: break;
      }
      if (c < 0x20 || (ensure_ascii && c >= 0x7F && c < 0x10000)) {
        out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(c));
      } else if (ensure_ascii && c >= 0x10000) {
        char32_t v = c - 0x10000;
        out += fmt::format("\\u{:04x}\\u{:04x}", 0xD800 | ((v >> 10) & 0x3FF), 0xDC00 | (v & 0x3FF));
      } else {
        scenario::append_utf8(out, c);
      }
    }
    out += '"';
  }

  std::string floatstr(double d) {
    if (std::isfinite(d)) return float_repr(d);
    if (!allow_nan)
      ip.raise(ip.T.ValueError, c_encoder ? std::string("Out of range float values are not JSON compliant")
                                          : "Out of range float values are not JSON compliant: " + float_repr(d));
    return std::isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
  }

  void enter(const void* id) {
    if (!check_circular) return;
    for (const void* m : markers)
      if (m == id) ip.raise(ip.T.ValueError, "Circular reference detected");
    markers.push_back(id);
  }
  void leave() {
    if (check_circular) markers.pop_back();
  }

  // A newline and the indent of `level`, or "" without indent.
  std::string newline(int level) const {
    if (!indent) return "";
    std::string s = "\n";
    for (int i = 0; i < level; ++i) s += *indent;
    return s;
  }

  void encode(const Object& o, int level) {
    Object v = builtin_value(ip, o);
    switch (v.tag()) {
      case Tag::Str: return string(v.as<StrObj>()->s);
      case Tag::None: out += "null"; return;
      case Tag::Bool: out += v.i() ? "true" : "false"; return;
      case Tag::Int: out += int_to_str(v.i()); return;
      case Tag::Float: out += floatstr(v.f()); return;
      case Tag::List:
      case Tag::Tuple: return array(v, level);
      case Tag::Dict: return object(v, level);
      default: break;
    }
    enter(o.ptr());
    if (default_fn.null()) ip.raise(ip.T.TypeError, fmt::format("Object of type {} is not JSON serializable", ip.type_of(o)->name));
    Object r = ip.call1(default_fn, o);
    encode(r, level);
    leave();
  }

  void array(const Object& o, int level) {
    const auto& items = o.as<ListObj>()->v;
    if (items.empty()) {
      out += "[]";
      return;
    }
    enter(o.ptr());
    out += '[';
    out += newline(level + 1);
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i) out += item_sep + newline(level + 1);
      Object item = items[i];  // the list may change while default= runs
      encode(item, level + 1);
    }
    out += newline(level);
    out += ']';
    leave();
  }

  void object(const Object& o, int level) {
    auto* d = o.as<DictObj>();
    if (d->used == 0) {
      out += "{}";
      return;
    }
    enter(o.ptr());
    out += '{';
    out += newline(level + 1);
    std::vector<std::pair<Object, Object>> items;
    d->each([&](const Object& k, const Object& v) { items.emplace_back(k, v); });
    if (sort_keys) {
      // sorted(dct.items()): the keys decide, as a dict's keys are distinct.
      std::vector<Object> keys;
      for (auto& [k, v] : items) keys.push_back(k);
      py_sort(ip, keys, Object(), false);
      std::vector<std::pair<Object, Object>> sorted;
      for (auto& k : keys)
        for (auto& kv : items)
          if (kv.first.same(k)) sorted.push_back(kv);
      items = std::move(sorted);
    }
    bool first = true;
    for (auto& [key, value] : items) {
      Object k = builtin_value(ip, key);
      std::string ks;
      switch (k.tag()) {
        case Tag::Str: ks = k.as<StrObj>()->s; break;
        case Tag::Float: ks = floatstr(k.f()); break;
        case Tag::Bool: ks = k.i() ? "true" : "false"; break;
        case Tag::None: ks = "null"; break;
        case Tag::Int: ks = int_to_str(k.i()); break;
        default:
          if (skipkeys) continue;
          ip.raise(ip.T.TypeError, fmt::format("keys must be str, int, float, bool or None, not {}", ip.type_of(key)->name));
      }
      if (!first) out += item_sep + newline(level + 1);
      first = false;
      string(ks);
      out += key_sep;
      encode(value, level + 1);
    }
    out += newline(level);
    out += '}';
    leave();
  }
};

// The TypeError of a Python function whose positional parameters are `names` (all required).
void positional(Interp& ip, const CallArgs& a, const char* fname, std::initializer_list<const char*> names) {
  std::size_t n = names.size(), got = a.pos.size();
  if (got > n)
    ip.raise(ip.T.TypeError, fmt::format("{}() takes {} positional argument{} but {} were given", fname, n, n == 1 ? "" : "s", got));
  if (got == n) return;
  std::vector<std::string> missing;
  for (auto it = names.begin() + got; it != names.end(); ++it) missing.push_back(fmt::format("'{}'", *it));
  std::string list = missing.size() == 1 ? missing[0] : missing[0] + " and " + missing[1];
  ip.raise(ip.T.TypeError, fmt::format("{}() missing {} required positional argument{}: {}", fname, missing.size(),
                                       missing.size() == 1 ? "" : "s", list));
}

std::string encode(Interp& ip, const Object& obj, CallArgs& a, bool dumps) {
  Options o(ip, a,
            {"skipkeys", "ensure_ascii", "check_circular", "allow_nan", "cls", "indent", "separators", "default", "sort_keys"},
            "JSONEncoder");
  Encoder e(ip, o, dumps);
  e.encode(obj, 0);
  return std::move(e.out);
}

// ---- decoding (decoder.py's JSONDecoder.decode and _json.c's scanner) ----

bool json_space(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

struct Decoder {
  Decoder(Interp& i, Ref<TypeObj> t, Object d, std::u32string text) : ip(i), error_type(std::move(t)), doc(std::move(d)), s(std::move(text)) {}
  Interp& ip;
  Ref<TypeObj> error_type;
  Object doc;
  std::u32string s;
  Object object_hook, object_pairs_hook, parse_float, parse_int, parse_constant;
  bool strict = true;

  // JSONDecodeError(msg, doc, pos): "msg: line L column C (char P)".
  [[noreturn]] void fail(const char* msg, std::size_t pos) {
    std::int64_t lineno = 1, last_nl = -1;
    for (std::size_t i = 0; i < pos && i < s.size(); ++i)
      if (s[i] == '\n') {
        ++lineno;
        last_nl = static_cast<std::int64_t>(i);
      }
    std::int64_t p = static_cast<std::int64_t>(pos), colno = p - last_nl;
    auto e = ip.new_exc(error_type, {ip.str_obj(fmt::format("{}: line {} column {} (char {})", msg, lineno, colno, p))});
    e->attrs = asyncio::make_ref<DictObj>();
    for (auto [k, v] : {std::pair{"msg", ip.str_obj(msg)}, std::pair{"doc", doc}, std::pair{"pos", Object::integer(p)},
                        std::pair{"lineno", Object::integer(lineno)}, std::pair{"colno", Object::integer(colno)}})
      e->attrs->set(ip.str_obj(k), str_hash(k), v);
    ip.raise_obj(e);
  }

  std::size_t skip(std::size_t i) const {
    while (i < s.size() && json_space(s[i])) ++i;
    return i;
  }

  // scanstring_unicode: `end` is just after the opening quote.
  Object string(std::size_t end, std::size_t& next_out) {
    std::size_t begin = end - 1;
    std::string out;
    for (;;) {
      std::size_t next = end;
      char32_t c = 0;
      for (; next < s.size(); ++next) {
        c = s[next];
        if (c == '"' || c == '\\') break;
        if (c <= 0x1f && strict) fail("Invalid control character at", next);
      }
      if (next >= s.size()) fail("Unterminated string starting at", begin);
      for (std::size_t i = end; i < next; ++i) scenario::append_utf8(out, s[i]);
      ++next;
      if (c == '"') {
        end = next;
        break;
      }
      if (next == s.size()) fail("Unterminated string starting at", begin);
      c = s[next];
      if (c != 'u') {
        end = next + 1;
        switch (c) {
          case '"': case '\\': case '/': break;
          case 'b': c = '\b'; break;
          case 'f': c = '\f'; break;
          case 'n': c = '\n'; break;
          case 'r': c = '\r'; break;
          case 't': c = '\t'; break;
          default: fail("Invalid \\escape", end - 2);
        }
      } else {
        ++next;
        end = next + 4;
        if (end >= s.size()) fail("Invalid \\uXXXX escape", next - 1);
        auto hex4 = [&](std::size_t from) {
          char32_t v = 0;
          for (std::size_t i = from; i < from + 4; ++i) {
            char32_t d = s[i];
            int x = d >= '0' && d <= '9' ? int(d - '0') : d >= 'a' && d <= 'f' ? int(d - 'a' + 10) : d >= 'A' && d <= 'F' ? int(d - 'A' + 10) : -1;
            if (x < 0) fail("Invalid \\uXXXX escape", from - 1);
            v = (v << 4) | static_cast<char32_t>(x);
          }
          return v;
        };
        c = hex4(next);
        // A surrogate pair written as two escapes is one code point.
        if (c >= 0xD800 && c <= 0xDBFF && end + 6 < s.size() && s[end] == '\\' && s[end + 1] == 'u') {
          char32_t c2 = hex4(end + 2);
          if (c2 >= 0xDC00 && c2 <= 0xDFFF) {
            c = 0x10000 + (((c - 0xD800) << 10) | (c2 - 0xDC00));
            end += 6;
          }
        }
      }
      scenario::append_utf8(out, c);
    }
    next_out = end;
    return ip.str_obj(std::move(out));
  }

  bool word(std::size_t i, std::u32string_view w) const { return s.size() - i >= w.size() && std::u32string_view(s).substr(i, w.size()) == w; }

  Object constant(const char* name, double v) {
    if (!parse_constant.null()) return ip.call1(parse_constant, ip.str_obj(name));
    return Object::real(v);
  }

  // scan_once_unicode; `stop` (StopIteration(idx) in _json.c) becomes "Expecting value".
  Object value(std::size_t idx, std::size_t& next) {
    if (idx >= s.size()) fail("Expecting value", idx);
    char32_t c = s[idx];
    switch (c) {
      case '"': return string(idx + 1, next);
      case '{': return object(idx + 1, next);
      case '[': return array(idx + 1, next);
      case 'n':
        if (word(idx, U"null")) return next = idx + 4, Object::none();
        break;
      case 't':
        if (word(idx, U"true")) return next = idx + 4, Object::boolean(true);
        break;
      case 'f':
        if (word(idx, U"false")) return next = idx + 5, Object::boolean(false);
        break;
      case 'N':
        if (word(idx, U"NaN")) return next = idx + 3, constant("NaN", NAN);
        break;
      case 'I':
        if (word(idx, U"Infinity")) return next = idx + 8, constant("Infinity", INFINITY);
        break;
      case '-':
        if (word(idx, U"-Infinity")) return next = idx + 9, constant("-Infinity", -INFINITY);
        break;
      default: break;
    }
    return number(idx, next);
  }

  // _match_number_unicode.
  Object number(std::size_t start, std::size_t& next) {
    auto digit = [&](std::size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; };
    std::size_t idx = start;
    if (s[idx] == '-' && ++idx >= s.size()) fail("Expecting value", start);
    if (s[idx] >= '1' && s[idx] <= '9') {
      while (digit(idx)) ++idx;
    } else if (s[idx] == '0') {
      ++idx;
    } else {
      fail("Expecting value", start);
    }
    bool is_float = false;
    if (idx + 1 < s.size() && s[idx] == '.' && digit(idx + 1)) {
      is_float = true;
      idx += 2;
      while (digit(idx)) ++idx;
    }
    if (idx + 1 < s.size() && (s[idx] == 'e' || s[idx] == 'E')) {
      std::size_t e_start = idx++;
      if (idx + 1 < s.size() && (s[idx] == '-' || s[idx] == '+')) ++idx;
      while (digit(idx)) ++idx;
      if (digit(idx - 1)) is_float = true;
      else idx = e_start;
    }
    std::string text;
    for (std::size_t i = start; i < idx; ++i) text += static_cast<char>(s[i]);
    next = idx;
    const Object& hook = is_float ? parse_float : parse_int;
    if (!hook.null()) return ip.call1(hook, ip.str_obj(text));
    CallArgs a;
    a.pos.push_back(ip.str_obj(text));
    return ip.call(ip.builtins.find(is_float ? "float" : "int")->second, a);
  }

  Object object(std::size_t idx, std::size_t& next) {
    std::vector<std::pair<Object, Object>> pairs;
    idx = skip(idx);
    if (idx >= s.size() || s[idx] != '}') {
      for (;;) {
        if (idx >= s.size() || s[idx] != '"') fail("Expecting property name enclosed in double quotes", idx);
        std::size_t n;
        Object key = string(idx + 1, n);
        idx = skip(n);
        if (idx >= s.size() || s[idx] != ':') fail("Expecting ':' delimiter", idx);
        idx = skip(idx + 1);
        Object v = value(idx, n);
        pairs.emplace_back(key, v);
        idx = skip(n);
        if (idx < s.size() && s[idx] == '}') break;
        if (idx >= s.size() || s[idx] != ',') fail("Expecting ',' delimiter", idx);
        idx = skip(idx + 1);
      }
    }
    next = idx + 1;
    if (!object_pairs_hook.null()) {
      std::vector<Object> items;
      for (auto& [k, v] : pairs) items.push_back(ip.tuple_obj({k, v}));
      return ip.call1(object_pairs_hook, ip.list_obj(std::move(items)));
    }
    Object d = ip.dict_obj();
    for (auto& [k, v] : pairs) ip.setitem(d, k, v);
    return object_hook.null() ? d : ip.call1(object_hook, d);
  }

  Object array(std::size_t idx, std::size_t& next) {
    std::vector<Object> items;
    idx = skip(idx);
    if (idx >= s.size() || s[idx] != ']') {
      for (;;) {
        std::size_t n;
        items.push_back(value(idx, n));
        idx = skip(n);
        if (idx < s.size() && s[idx] == ']') break;
        if (idx >= s.size() || s[idx] != ',') fail("Expecting ',' delimiter", idx);
        idx = skip(idx + 1);
      }
    }
    next = idx + 1;
    return ip.list_obj(std::move(items));
  }
};

Object decode(Interp& ip, BuiltinObj& b, const Object& text, CallArgs& a) {
  Options o(ip, a, {"cls", "object_hook", "parse_float", "parse_int", "parse_constant", "object_pairs_hook", "strict"}, "JSONDecoder");
  if (!o.get("cls").null()) ip.refuse("json's cls= (a JSONDecoder subclass)");
  Object doc = text;
  if (text.is(Tag::Bytes) || text.is(Tag::ByteArray)) {
    // json.loads decodes bytes as detect_encoding() finds them: UTF-8 here, its BOM dropped (utf-8-sig).
    std::string raw = text.as<BytesObj>()->s;
    if (raw.starts_with("\xef\xbb\xbf")) raw.erase(0, 3);
    doc = ip.str_obj(codec_decode(ip, raw, text, ip.str_obj("utf-8"), Object(), "decode"));
  } else if (!text.is(Tag::Str)) {
    ip.raise(ip.T.TypeError, fmt::format("the JSON object must be str, bytes or bytearray, not {}", ip.type_of(text)->name));
  }
  Decoder d(ip, Ref<TypeObj>(b.data.as<TypeObj>()), doc, textwrap::utf32(doc.as<StrObj>()->s));
  if (!d.s.empty() && d.s[0] == 0xFEFF) d.fail("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0);
  d.object_hook = o.get("object_hook");
  d.object_pairs_hook = o.get("object_pairs_hook");
  d.parse_float = o.get("parse_float");
  d.parse_int = o.get("parse_int");
  d.parse_constant = o.get("parse_constant");
  if (Object st = o.get("strict"); !st.null()) d.strict = ip.truthy(st);
  std::size_t end;
  Object v = d.value(d.skip(0), end);
  end = d.skip(end);
  if (end != d.s.size()) d.fail("Extra data", end);
  return v;
}

}  // namespace

Object module_json(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("json");
  auto& A = m->attrs;
  Ref<TypeObj> error = new_type("JSONDecodeError", ip.T.ValueError, "json.decoder");
  error->is_exception = true;
  error->core = ip.T.ValueError->core;
  Object err(Tag::Type, error);
  A["JSONDecodeError"] = err;
  A["dumps"] = ip.builtin("dumps", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    positional(ip, a, "dumps", {"obj"});
    Object obj = a.pos[0];
    return ip.str_obj(encode(ip, obj, a, true));
  });
  // json.dump writes encoder.py's chunks one write() each; here the whole text in one write().
  A["dump"] = ip.builtin("dump", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    if (Object fp = a.take_kw("fp"); !fp.null() && a.pos.size() == 1) a.pos.push_back(fp);
    positional(ip, a, "dump", {"obj", "fp"});
    Object obj = a.pos[0], write = ip.getattr(a.pos[1], "write");
    ip.call1(write, ip.str_obj(encode(ip, obj, a, false)));
    return Object::none();
  });
  A["loads"] = ip.builtin("loads", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
    positional(ip, a, "loads", {"s"});
    Object text = a.pos[0];
    return decode(ip, b, text, a);
  }, {}, err);
  A["load"] = ip.builtin("load", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
    positional(ip, a, "load", {"fp"});
    Object text = ip.call0(ip.getattr(a.pos[0], "read"));
    return decode(ip, b, text, a);
  }, {}, err);
  A["__all__"] = ip.list_obj();
  for (const char* n : {"dump", "dumps", "load", "loads", "JSONDecodeError"})
    A["__all__"].as<ListObj>()->v.push_back(ip.str_obj(n));
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp

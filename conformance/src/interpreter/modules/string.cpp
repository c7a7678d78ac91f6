// The `string` module (Lib/string.py): its constants, capwords, and Template with the default
// delimiter and identifier pattern. Not provided (refused where used): Formatter, Template subclasses
// that change `delimiter` or `pattern`.
#include <fmt/format.h>

#include "../interp.hpp"

namespace aiospec::interp {

namespace {

bool id_start(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool id_char(char c) { return id_start(c) || (c >= '0' && c <= '9'); }

struct TemplateObj final : NativeObj {
  Object text;
  const char* type_name() const override { return "Template"; }
  std::string repr(Interp&) override { return "<string.Template object at 0x...>"; }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

// Template.pattern's groups at the `$` at s[i]: the identifier (named or braced) and where the
// placeholder ends; an empty name with end i + 1 for `$$`, and end i (the invalid group) otherwise.
std::pair<std::string_view, std::size_t> placeholder(std::string_view s, std::size_t i) {
  if (i + 1 < s.size() && s[i + 1] == '$') return {{}, i + 2};
  std::size_t j = i + 1;
  if (j < s.size() && id_start(s[j])) {
    while (j < s.size() && id_char(s[j])) ++j;
    return {s.substr(i + 1, j - i - 1), j};
  }
  if (j < s.size() && s[j] == '{' && j + 1 < s.size() && id_start(s[j + 1])) {
    std::size_t k = j + 1;
    while (k < s.size() && id_char(s[k])) ++k;
    if (k < s.size() && s[k] == '}') return {s.substr(j + 1, k - j - 1), k + 1};
  }
  return {{}, i};
}

// Template._invalid: the line and column (code points) of the invalid group's start, just after the `$`.
[[noreturn]] void invalid(Interp& ip, std::string_view s, std::size_t i) {
  std::size_t line = 1, col = 0;
  for (std::size_t k = 0; k < i; ++k) {
    if (s[k] == '\n') {
      ++line;
      col = 0;
    } else if ((static_cast<unsigned char>(s[k]) & 0xC0) != 0x80) {
      ++col;
    }
  }
  ip.raise(ip.T.ValueError, fmt::format("Invalid placeholder in string: line {}, col {}", line, col));
}

// substitute(mapping={}, /, **kws) and safe_substitute: the keywords first, then the mapping.
Object substitute(Interp& ip, BuiltinObj& b, CallArgs& a) {
  const bool safe = std::string_view(b.name) == "safe_substitute";
  if (a.pos.size() > 1) ip.raise(ip.T.TypeError, fmt::format("Template.{}() takes from 1 to 2 positional arguments but {} were given", b.name, a.pos.size() + 1));
  auto* t = static_cast<TemplateObj*>(b.self.as<NativeObj>());
  const std::string& s = t->text.as<StrObj>()->s;
  Object kws = ip.dict_obj();
  for (auto& [k, v] : a.kw) ip.setitem(kws, str_key(ip, k), v);
  Object mapping = a.pos.empty() ? Object() : a.pos[0];
  auto lookup = [&](std::string_view name) -> Object {
    Object key = str_key(ip, name);
    if (ip.contains(kws, key) || mapping.null()) return ip.getitem(kws, key);
    return ip.getitem(mapping, key);
  };
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] != '$') {
      out += s[i++];
      continue;
    }
    auto [name, end] = placeholder(s, i);
    if (end == i) {  // the invalid group
      if (!safe) invalid(ip, s, i + 1);
      out += s[i++];
      continue;
    }
    if (name.empty()) {
      out += '$';
    } else if (!safe) {
      out += ip.str(lookup(name));
    } else {
      try {
        out += ip.str(lookup(name));
      } catch (...) {
        Ref<ExcObj> e = ip.to_python(std::current_exception());
        if (!e->cls->subclass_of(ip.T.KeyError.get())) throw;
        out += s.substr(i, end - i);
      }
    }
    i = end;
  }
  return ip.str_obj(std::move(out));
}

Object TemplateObj::getattr(Interp& ip, const Object& self, std::string_view name) {
  if (name == "template") return text;
  if (name == "delimiter") return ip.str_obj("$");
  if (name == "substitute") return ip.builtin("substitute", substitute, self);
  if (name == "safe_substitute") return ip.builtin("safe_substitute", substitute, self);
  return {};
}

Object make_template(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object text = arg_or(a, 0, "template", {});
  if (text.null()) ip.raise(ip.T.TypeError, "Template.__init__() missing 1 required positional argument: 'template'");
  if (!text.is(Tag::Str)) ip.refuse("string.Template of a non-str template");
  auto t = asyncio::make_ref<TemplateObj>();
  t->text = text;
  return Object(Tag::Native, t);
}

// capwords(s, sep=None): (sep or ' ').join(map(str.capitalize, s.split(sep)))
Object b_capwords(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object s = arg_or(a, 0, "s", {}), sep = arg_or(a, 1, "sep", Object::none());
  if (s.null()) ip.raise(ip.T.TypeError, "capwords() missing 1 required positional argument: 's'");
  std::vector<Object> words;
  for (const Object& w : ip.to_vector(ip.call1(ip.getattr(s, "split"), sep))) words.push_back(ip.call0(ip.getattr(w, "capitalize")));
  Object joiner = ip.truthy(sep) ? sep : ip.str_obj(" ");
  return ip.call1(ip.getattr(joiner, "join"), ip.list_obj(std::move(words)));
}

}  // namespace

Object module_string(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("string");
  auto& A = m->attrs;
  const std::string lower = "abcdefghijklmnopqrstuvwxyz", upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", digits = "0123456789";
  const std::string punctuation = R"(!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~)", whitespace = " \t\n\r\x0b\x0c";
  A["ascii_lowercase"] = ip.str_obj(lower);
  A["ascii_uppercase"] = ip.str_obj(upper);
  A["ascii_letters"] = ip.str_obj(lower + upper);
  A["digits"] = ip.str_obj(digits);
  A["hexdigits"] = ip.str_obj(digits + "abcdefABCDEF");
  A["octdigits"] = ip.str_obj("01234567");
  A["punctuation"] = ip.str_obj(punctuation);
  A["whitespace"] = ip.str_obj(whitespace);
  A["printable"] = ip.str_obj(digits + lower + upper + punctuation + whitespace);
  A["capwords"] = ip.builtin("capwords", b_capwords);
  m->add_class(ip, "Template", make_template);
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp

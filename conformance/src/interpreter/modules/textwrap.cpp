// The `textwrap` module (Lib/textwrap.py): TextWrapper, wrap, fill, shorten, dedent, indent, with
// CPython's chunking (TextWrapper.wordsep_re, matched here by hand) and line filling. `\w` beyond
// ASCII counts every non-ASCII code point as a letter.
#include "textwrap.hpp"

#include <fmt/format.h>

#include "../interp.hpp"
#include "aiospec/scenario/lexer.hpp"
#include "../objects/stringlib.hpp"

namespace aiospec::interp {
namespace textwrap {

std::u32string utf32(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out += cp;
    i += n;
  }
  return out;
}

std::string utf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) scenario::append_utf8(out, c);
  return out;
}

namespace {

// textwrap._whitespace: the characters TextWrapper treats as whitespace.
bool ws(char32_t c) { return c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == ' '; }
bool word(char32_t c) { return c >= 0x80 || c == '_' || (c < 0x80 && std::isalnum(static_cast<int>(c))); }
bool letter(char32_t c) { return word(c) && !(c >= '0' && c <= '9'); }  // [^\d\W]
bool word_punct(char32_t c) { return word(c) || c == '!' || c == '"' || c == '\'' || c == '&' || c == '.' || c == ',' || c == '?'; }

// str.strip() == '' for a chunk.
bool blank(std::u32string_view s) {
  for (char32_t c : s)
    if (!ws(c) && c != 0x1c && c != 0x1d && c != 0x1e && c != 0x1f && c != 0x85 && c != 0xa0 && c != 0x3000) return false;
  return true;
}

// The end of the chunk that TextWrapper.wordsep_re matches at `i` (a non-empty match always exists).
std::size_t wordsep_end(std::u32string_view t, std::size_t i) {
  const std::size_t n = t.size();
  auto at = [&](std::size_t k) -> char32_t { return k < n ? t[k] : 0; };
  auto hyphens_then_word = [&](std::size_t k) {  // (?=-{2,}\w)
    std::size_t j = k;
    while (j < n && t[j] == '-') ++j;
    return j - k >= 2 && j < n && word(t[j]);
  };
  if (ws(t[i])) {  // whitespace
    std::size_t j = i;
    while (j < n && ws(t[j])) ++j;
    return j;
  }
  if (i > 0 && word_punct(t[i - 1]) && t[i] == '-' && hyphens_then_word(i)) {  // em-dash between words
    std::size_t j = i;
    while (t[j] == '-') ++j;
    return j;
  }
  for (std::size_t j = i + 1;; ++j) {  // a word, the shortest that ends at one of these
    if (at(j) == '-' && ((j >= 2 && letter(t[j - 2]) && letter(t[j - 1])) ||
                         (j >= 3 && letter(t[j - 3]) && t[j - 2] == '-' && letter(t[j - 1]))) &&
        letter(at(j + 1)) && (letter(at(j + 2)) || (at(j + 2) == '-' && letter(at(j + 3)))))
      return j + 1;  // a hyphenated word
    if (j == n || ws(t[j])) return j;                             // the end of the word
    if (word_punct(t[j - 1]) && hyphens_then_word(j)) return j;  // before an em-dash
  }
}

std::vector<std::u32string> split_chunks(const Options& o, std::u32string_view text) {
  std::u32string t;
  std::size_t col = 0;
  for (char32_t c : text) {  // _munge_whitespace: str.expandtabs, then whitespace becomes spaces
    if (c == '\t' && o.expand_tabs) {
      if (o.tabsize > 0) {
        std::size_t pad = static_cast<std::size_t>(o.tabsize) - col % static_cast<std::size_t>(o.tabsize);
        t.append(pad, ' ');
        col += pad;
      }
      continue;
    }
    col = c == '\n' || c == '\r' ? 0 : col + 1;
    t += o.replace_whitespace && ws(c) ? U' ' : c;
  }
  std::vector<std::u32string> chunks;
  for (std::size_t i = 0; i < t.size();) {
    std::size_t j = i + 1;
    if (o.break_on_hyphens) {
      j = wordsep_end(t, i);
    } else {  // wordsep_simple_re: runs of whitespace separate the words
      while (j < t.size() && ws(t[j]) == ws(t[i])) ++j;
    }
    chunks.emplace_back(t.substr(i, j - i));
    i = j;
  }
  return chunks;
}

// sentence_end_re: [a-z][.!?]["']?\Z
bool sentence_end(std::u32string_view c) {
  std::size_t n = c.size();
  if (n && (c[n - 1] == '"' || c[n - 1] == '\'')) --n;
  return n >= 2 && (c[n - 1] == '.' || c[n - 1] == '!' || c[n - 1] == '?') && c[n - 2] >= 'a' && c[n - 2] <= 'z';
}

std::size_t total(const std::vector<std::u32string>& v) {
  std::size_t n = 0;
  for (const auto& s : v) n += s.size();
  return n;
}

std::u32string joined(const std::u32string& indent, const std::vector<std::u32string>& v) {
  std::u32string out = indent;
  for (const auto& s : v) out += s;
  return out;
}

std::u32string_view lstrip(std::u32string_view s) {
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  return s;
}

}  // namespace

std::vector<std::u32string> wrap(Interp& ip, const Options& o, std::u32string_view text) {
  std::vector<std::u32string> chunks = split_chunks(o, text);
  if (o.fix_sentence_endings)
    for (std::size_t i = 0; i + 1 < chunks.size();) {
      if (chunks[i + 1] == U" " && sentence_end(chunks[i])) {
        chunks[i + 1] = U"  ";
        i += 2;
      } else {
        ++i;
      }
    }
  // _wrap_chunks
  std::vector<std::u32string> lines;
  const auto W = static_cast<std::ptrdiff_t>(o.width);
  if (o.width <= 0) ip.raise(ip.T.ValueError, fmt::format("invalid width {} (must be > 0)", o.width));
  if (o.max_lines) {
    const std::u32string& indent = *o.max_lines > 1 ? o.subsequent_indent : o.initial_indent;
    if (static_cast<std::ptrdiff_t>(indent.size() + lstrip(o.placeholder).size()) > W)
      ip.raise(ip.T.ValueError, "placeholder too large for max width");
  }
  std::reverse(chunks.begin(), chunks.end());
  const auto len = [](const std::u32string& s) { return static_cast<std::ptrdiff_t>(s.size()); };
  while (!chunks.empty()) {
    std::vector<std::u32string> cur;
    std::ptrdiff_t cur_len = 0;
    const std::u32string& indent = lines.empty() ? o.initial_indent : o.subsequent_indent;
    const std::ptrdiff_t width = W - len(indent);
    if (o.drop_whitespace && blank(chunks.back()) && !lines.empty()) chunks.pop_back();
    while (!chunks.empty() && cur_len + len(chunks.back()) <= width) {
      cur_len += len(chunks.back());
      cur.push_back(std::move(chunks.back()));
      chunks.pop_back();
    }
    if (!chunks.empty() && len(chunks.back()) > width) {  // _handle_long_word
      const std::ptrdiff_t space_left = width < 1 ? 1 : width - cur_len;
      if (o.break_long_words) {
        std::u32string& chunk = chunks.back();
        std::ptrdiff_t end = space_left;
        if (o.break_on_hyphens && len(chunk) > space_left) {
          // chunk.rfind('-', 0, space_left); space_left >= 0, as every chunk taken fitted.
          auto hyphen = space_left == 0 ? -1 : static_cast<std::ptrdiff_t>(chunk.rfind('-', static_cast<std::size_t>(space_left - 1)));
          if (hyphen > 0 && chunk.find_first_not_of(U'-') < static_cast<std::size_t>(hyphen)) end = hyphen + 1;
        }
        const auto cut = static_cast<std::size_t>(std::min(end, len(chunk)));
        cur.push_back(chunk.substr(0, cut));
        chunk.erase(0, cut);
      } else if (cur.empty()) {
        cur.push_back(std::move(chunks.back()));
        chunks.pop_back();
      }
      cur_len = static_cast<std::ptrdiff_t>(total(cur));
    }
    if (o.drop_whitespace && !cur.empty() && blank(cur.back())) {
      cur_len -= len(cur.back());
      cur.pop_back();
    }
    if (cur.empty()) continue;
    if (!o.max_lines || static_cast<std::int64_t>(lines.size()) + 1 < *o.max_lines ||
        ((chunks.empty() || (o.drop_whitespace && chunks.size() == 1 && blank(chunks[0]))) && cur_len <= width)) {
      lines.push_back(joined(indent, cur));
      continue;
    }
    // The last line allowed: as many chunks as leave room for the placeholder.
    bool placed = false;
    while (!cur.empty()) {
      if (!blank(cur.back()) && cur_len + len(o.placeholder) <= width) {
        cur.push_back(o.placeholder);
        lines.push_back(joined(indent, cur));
        placed = true;
        break;
      }
      cur_len -= len(cur.back());
      cur.pop_back();
    }
    if (!placed) {
      std::u32string prev = lines.empty() ? U"" : lines.back();
      while (!prev.empty() && ws(prev.back())) prev.pop_back();
      if (!lines.empty() && len(prev) + len(o.placeholder) <= W) lines.back() = prev + o.placeholder;
      else lines.push_back(indent + std::u32string(lstrip(o.placeholder)));
    }
    break;
  }
  return lines;
}

std::u32string fill(Interp& ip, const Options& o, std::u32string_view text) {
  std::u32string out;
  for (const auto& l : wrap(ip, o, text)) out += (out.empty() ? U"" : U"\n") + l;
  return out;
}

}  // namespace textwrap

namespace {

using textwrap::Options;
using textwrap::utf32;
using textwrap::utf8;

std::u32string text_arg(Interp& ip, const Object& v, const char* method) {
  if (!v.is(Tag::Str)) ip.raise(ip.T.AttributeError, fmt::format("'{}' object has no attribute '{}'", ip.type_of(v)->name, method));
  return utf32(v.as<StrObj>()->s);
}

constexpr const char* kOptionNames[] = {"width", "initial_indent", "subsequent_indent", "expand_tabs", "replace_whitespace",
                                        "fix_sentence_endings", "break_long_words", "drop_whitespace", "break_on_hyphens",
                                        "tabsize", "max_lines", "placeholder"};

// One TextWrapper attribute; false when `name` is not one.
bool set_option(Interp& ip, Options& o, std::string_view name, const Object& v) {
  auto flag = [&](bool& b) { b = ip.truthy(v); };
  auto text = [&](std::u32string& s) { s = text_arg(ip, v, "__len__"); };
  if (name == "width") o.width = ip.index_arg(v, nullptr);
  else if (name == "initial_indent") text(o.initial_indent);
  else if (name == "subsequent_indent") text(o.subsequent_indent);
  else if (name == "expand_tabs") flag(o.expand_tabs);
  else if (name == "replace_whitespace") flag(o.replace_whitespace);
  else if (name == "fix_sentence_endings") flag(o.fix_sentence_endings);
  else if (name == "break_long_words") flag(o.break_long_words);
  else if (name == "drop_whitespace") flag(o.drop_whitespace);
  else if (name == "break_on_hyphens") flag(o.break_on_hyphens);
  else if (name == "tabsize") o.tabsize = ip.index_arg(v, nullptr);
  else if (name == "max_lines") o.max_lines = v.is_none() ? std::nullopt : std::optional(ip.index_arg(v, nullptr));
  else if (name == "placeholder") text(o.placeholder);
  else return false;
  return true;
}

Object get_option(Interp& ip, const Options& o, std::string_view name) {
  auto text = [&](const std::u32string& s) { return ip.str_obj(utf8(s)); };
  if (name == "width") return Object::integer(o.width);
  if (name == "initial_indent") return text(o.initial_indent);
  if (name == "subsequent_indent") return text(o.subsequent_indent);
  if (name == "expand_tabs") return Object::boolean(o.expand_tabs);
  if (name == "replace_whitespace") return Object::boolean(o.replace_whitespace);
  if (name == "fix_sentence_endings") return Object::boolean(o.fix_sentence_endings);
  if (name == "break_long_words") return Object::boolean(o.break_long_words);
  if (name == "drop_whitespace") return Object::boolean(o.drop_whitespace);
  if (name == "break_on_hyphens") return Object::boolean(o.break_on_hyphens);
  if (name == "tabsize") return Object::integer(o.tabsize);
  if (name == "max_lines") return o.max_lines ? Object::integer(*o.max_lines) : Object::none();
  if (name == "placeholder") return text(o.placeholder);
  return {};
}

// TextWrapper(width=70, initial_indent='', ...): the positional arguments in kOptionNames' order.
Options options_from(Interp& ip, CallArgs& a, std::size_t first) {
  Options o;
  if (a.pos.size() - first > 10)
    ip.raise(ip.T.TypeError, fmt::format("TextWrapper.__init__() takes from 1 to 11 positional arguments but {} were given", a.pos.size() - first + 1));
  for (std::size_t i = first; i < a.pos.size(); ++i) set_option(ip, o, kOptionNames[i - first], a.pos[i]);
  for (auto& [k, v] : a.kw)
    if (!set_option(ip, o, k, v)) ip.raise(ip.T.TypeError, fmt::format("TextWrapper.__init__() got an unexpected keyword argument '{}'", k));
  return o;
}

Object lines_obj(Interp& ip, const std::vector<std::u32string>& lines) {
  std::vector<Object> v;
  for (const auto& l : lines) v.push_back(ip.str_obj(utf8(l)));
  return ip.list_obj(std::move(v));
}

struct WrapperObj final : NativeObj {
  Options o;
  const char* type_name() const override { return "TextWrapper"; }
  std::string repr(Interp&) override { return "<textwrap.TextWrapper object at 0x...>"; }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override {
    if (name == "wrap" || name == "fill")
      return ip.builtin(name == "wrap" ? "wrap" : "fill", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
        check_args(ip, b.name, a, 1, 1);
        const Options& o = static_cast<WrapperObj*>(b.self.as<NativeObj>())->o;
        std::u32string t = text_arg(ip, a.pos[0], "expandtabs");
        return b.name[0] == 'w' ? lines_obj(ip, textwrap::wrap(ip, o, t)) : ip.str_obj(utf8(textwrap::fill(ip, o, t)));
      }, self);
    if (name == "__setattr__")
      return ip.builtin("__setattr__", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
        check_args(ip, "__setattr__", a, 2, 2);
        if (!set_option(ip, static_cast<WrapperObj*>(b.self.as<NativeObj>())->o, ip.str(a.pos[0]), a.pos[1]))
          ip.refuse(fmt::format("setting TextWrapper attribute '{}'", ip.str(a.pos[0])));
        return Object::none();
      }, self);
    return get_option(ip, o, name);
  }
};

Object make_wrapper(Interp& ip, BuiltinObj&, CallArgs& a) {
  auto w = asyncio::make_ref<WrapperObj>();
  w->o = options_from(ip, a, 0);
  return Object(Tag::Native, w);
}

// wrap(text, width=70, **kwargs), fill(...), shorten(text, width, **kwargs): through a TextWrapper.
Options function_options(Interp& ip, const char* name, CallArgs& a, bool shorten) {
  Object width = a.pos.size() > 1 ? a.pos[1] : a.take_kw("width");
  if (a.pos.size() > 2) ip.raise(ip.T.TypeError, fmt::format("{}() takes from 1 to 2 positional arguments but {} were given", name, a.pos.size()));
  if (shorten && width.null()) ip.raise(ip.T.TypeError, "shorten() missing 1 required positional argument: 'width'");
  CallArgs kw;
  kw.kw = a.kw;
  Options o = options_from(ip, kw, 0);
  if (!width.null()) o.width = ip.index_arg(width, nullptr);
  if (shorten) {
    if (o.max_lines) ip.raise(ip.T.TypeError, "textwrap.TextWrapper() got multiple values for keyword argument 'max_lines'");
    o.max_lines = 1;
  }
  return o;
}

Object text_of(Interp& ip, CallArgs& a, const char* name) {
  Object t = arg_or(a, 0, "text", {});
  if (t.null()) ip.raise(ip.T.TypeError, fmt::format("{}() missing 1 required positional argument: 'text'", name));
  return t;
}

Object b_wrap(Interp& ip, BuiltinObj& b, CallArgs& a) {
  Object t = text_of(ip, a, b.name);
  Options o = function_options(ip, b.name, a, false);
  std::u32string text = text_arg(ip, t, "expandtabs");
  return b.name[0] == 'w' ? lines_obj(ip, textwrap::wrap(ip, o, text)) : ip.str_obj(utf8(textwrap::fill(ip, o, text)));
}

Object b_shorten(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object t = text_of(ip, a, "shorten");
  Options o = function_options(ip, "shorten", a, true);
  // ' '.join(text.strip().split())
  std::string collapsed;
  for (const Object& w : ip.to_vector(ip.call0(ip.getattr(t, "split")))) collapsed += (collapsed.empty() ? "" : " ") + ip.str(w);
  return ip.str_obj(utf8(textwrap::fill(ip, o, utf32(collapsed))));
}

bool space_or_tab(char c) { return c == ' ' || c == '\t'; }

Object b_dedent(Interp& ip, BuiltinObj&, CallArgs& a) {
  check_args(ip, "dedent", a, 1, 1);
  if (!a.pos[0].is(Tag::Str)) ip.raise(ip.T.TypeError, "expected string or bytes-like object");
  // Lines of only spaces and tabs become empty; the margin is the longest common prefix of the
  // other lines' leading spaces and tabs (_whitespace_only_re, _leading_whitespace_re).
  std::vector<std::string> lines = stringlib::split_sep(a.pos[0].as<StrObj>()->s, "\n", -1, false);
  std::optional<std::string> margin;
  for (std::string& l : lines) {
    std::size_t k = 0;
    while (k < l.size() && space_or_tab(l[k])) ++k;
    if (k == l.size()) {
      l.clear();
      continue;
    }
    std::string_view indent(l.data(), k);
    if (!margin) {
      margin = std::string(indent);
    } else {
      std::size_t i = 0;
      while (i < margin->size() && i < indent.size() && (*margin)[i] == indent[i]) ++i;
      if (i < margin->size()) margin->resize(i);
    }
  }
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i) out += '\n';
    out += margin && lines[i].starts_with(*margin) ? lines[i].substr(margin->size()) : lines[i];
  }
  return ip.str_obj(std::move(out));
}

Object b_indent(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object text = arg_or(a, 0, "text", {}), prefix = arg_or(a, 1, "prefix", {}), pred = arg_or(a, 2, "predicate", Object::none());
  if (text.null() || prefix.null()) ip.raise(ip.T.TypeError, "indent() missing required argument 'text' or 'prefix'");
  std::string out;
  Object keepends = Object::boolean(true);
  for (const Object& line : ip.to_vector(ip.call1(ip.getattr(text, "splitlines"), keepends))) {
    bool yes = pred.is_none() ? ip.truthy(ip.call0(ip.getattr(line, "strip"))) : ip.truthy(ip.call1(pred, line));
    out += (yes ? ip.str(prefix) : "") + ip.str(line);
  }
  return ip.str_obj(std::move(out));
}

}  // namespace

Object module_textwrap(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("textwrap");
  auto& A = m->attrs;
  m->add_class(ip, "TextWrapper", make_wrapper);
  A["wrap"] = ip.builtin("wrap", b_wrap);
  A["fill"] = ip.builtin("fill", b_wrap);
  A["shorten"] = ip.builtin("shorten", b_shorten);
  A["dedent"] = ip.builtin("dedent", b_dedent);
  A["indent"] = ip.builtin("indent", b_indent);
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp

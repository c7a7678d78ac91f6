// The `argparse` module (Lib/argparse.py): ArgumentParser with positionals and options (the store,
// store_const, store_true, store_false, append, append_const, count, extend, help and version
// actions; nargs None, '?', '*', '+', N and REMAINDER; type, choices, required, default, dest,
// metavar), argument groups and mutually exclusive groups, parse_args/parse_known_args with
// CPython's matching of the nargs patterns, abbreviations and combined short flags, Namespace, and
// HelpFormatter's usage and help text (and its Raw/RawText/ArgumentDefaults variants), wrapped at
// shutil.get_terminal_size()'s width as CPython does (COLUMNS, else the terminal, else 80). Errors
// print usage and `prog: error: ...` on stderr and exit with status 2. Not provided (refused where
// used): subparsers, fromfile_prefix_chars, custom Action classes, parse_intermixed_args,
// conflict_handler='resolve', formatter classes of the program's own.
#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "../interp.hpp"
#include "../objects/stringlib.hpp"
#include "textwrap.hpp"

namespace aiospec::interp {

namespace {

std::size_t cp_len(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string spaces(std::ptrdiff_t n) { return std::string(static_cast<std::size_t>(std::max<std::ptrdiff_t>(n, 0)), ' '); }

// argparse.SUPPRESS ('==SUPPRESS==') as a value.
bool suppressed(const Object& v) { return v.is(Tag::Str) && v.as<StrObj>()->s == "==SUPPRESS=="; }

enum class Kind { Store, StoreConst, StoreTrue, StoreFalse, Append, AppendConst, Count, Extend, Help, Version };
// nargs: None, '?', '*', '+', '...' (REMAINDER), or a count.
enum class Nargs { None, Optional, ZeroOrMore, OneOrMore, Remainder, Count };

constexpr const char* kKindClass[] = {"_StoreAction",  "_StoreConstAction", "_StoreTrueAction", "_StoreFalseAction", "_AppendAction",
                                      "_AppendConstAction", "_CountAction", "_ExtendAction", "_HelpAction", "_VersionAction"};

struct ActionObj final : NativeObj {
  Kind kind = Kind::Store;
  std::vector<std::string> option_strings;
  Object dest;  // a str (SUPPRESS for help and version)
  Nargs nargs = Nargs::None;
  std::int64_t count = 0;  // nargs=N
  Object const_ = Object::none(), default_ = Object::none(), type = Object::none(), choices = Object::none();
  bool required = false;
  Object help = Object::none(), metavar = Object::none(), version = Object::none();
  const char* type_name() const override { return kKindClass[static_cast<int>(kind)]; }
  Object nargs_obj(Interp& ip) const {
    switch (nargs) {
      case Nargs::None: return kind == Kind::Store || kind == Kind::Append || kind == Kind::Extend ? Object::none() : Object::integer(0);
      case Nargs::Optional: return ip.str_obj("?");
      case Nargs::ZeroOrMore: return ip.str_obj("*");
      case Nargs::OneOrMore: return ip.str_obj("+");
      case Nargs::Remainder: return ip.str_obj("...");
      case Nargs::Count: return Object::integer(count);
    }
    return Object::none();
  }
  bool zero_args() const { return nargs == Nargs::None && !(kind == Kind::Store || kind == Kind::Append || kind == Kind::Extend); }
  Object option_strings_obj(Interp& ip) const {
    std::vector<Object> v;
    for (const auto& s : option_strings) v.push_back(ip.str_obj(s));
    return ip.list_obj(std::move(v));
  }
  Object getattr(Interp& ip, const Object&, std::string_view name) override {
    if (name == "option_strings") return option_strings_obj(ip);
    if (name == "dest") return dest;
    if (name == "nargs") return nargs_obj(ip);
    if (name == "const") return const_;
    if (name == "default") return default_;
    if (name == "type") return type;
    if (name == "choices") return choices;
    if (name == "required") return Object::boolean(required);
    if (name == "help") return help;
    if (name == "metavar") return metavar;
    return {};
  }
  // _AttributeHolder.__repr__ over Action._get_kwargs.
  std::string repr(Interp& ip) override {
    return fmt::format("{}(option_strings={}, dest={}, nargs={}, const={}, default={}, type={}, choices={}, required={}, help={}, metavar={})",
                       type_name(), ip.repr(option_strings_obj(ip)), ip.repr(dest), ip.repr(nargs_obj(ip)), ip.repr(const_),
                       ip.repr(default_), ip.repr(type), ip.repr(choices), required ? "True" : "False", ip.repr(help), ip.repr(metavar));
  }
};

using ActionRef = Ref<ActionObj>;

// _get_action_name
std::string action_name(Interp& ip, const ActionObj& a) {
  if (!a.option_strings.empty()) {
    std::string s;
    for (const auto& o : a.option_strings) s += (s.empty() ? "" : "/") + o;
    return s;
  }
  if (!a.metavar.is_none() && !suppressed(a.metavar)) return ip.str(a.metavar);
  if (!a.dest.is_none() && !suppressed(a.dest)) return ip.str(a.dest);
  return "";
}

// ArgumentError: the action's name and the message (str(ArgumentError)).
struct ArgError {
  std::string text;
};
[[noreturn]] void arg_error(Interp& ip, const ActionObj* a, std::string msg) {
  const std::string name = a ? action_name(ip, *a) : "";
  throw ArgError{name.empty() ? msg : fmt::format("argument {}: {}", name, msg)};
}

struct Group {
  Object title, description;
  std::vector<ActionObj*> actions;
};
struct Mutex {
  bool required = false;
  std::vector<ActionObj*> actions;
};

enum class FormatterClass { Default, RawDescription, RawText, ArgumentDefaults };

struct ParserObj final : NativeObj {
  Object prog, usage = Object::none(), description = Object::none(), epilog = Object::none(), formatter_class;
  FormatterClass fclass = FormatterClass::Default;
  std::string prefix_chars = "-";
  bool add_help = true, allow_abbrev = true, exit_on_error = true;
  Object argument_default = Object::none();
  std::vector<ActionRef> actions;
  std::vector<std::pair<std::string, ActionObj*>> option_actions;  // in the order they were added
  std::vector<Group> groups;  // [positional arguments, options, the program's groups...]
  std::vector<Mutex> mutexes;
  Object defaults;  // set_defaults
  const char* type_name() const override { return "ArgumentParser"; }
  std::string repr(Interp& ip) override {
    return fmt::format("ArgumentParser(prog={}, usage={}, description={}, formatter_class={}, conflict_handler='error', add_help={})",
                       ip.repr(prog), ip.repr(usage), ip.repr(description), ip.repr(formatter_class), add_help ? "True" : "False");
  }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
  ActionObj* find_option(std::string_view s) {
    for (auto& [o, a] : option_actions)
      if (o == s) return a;
    return nullptr;
  }
  bool has_negative_number_optionals = false;
};

// ---- Namespace ----

struct NamespaceObj final : NativeObj {
  Ref<DictObj> dict = asyncio::make_ref<DictObj>();
  const char* type_name() const override { return "Namespace"; }
  std::string repr(Interp& ip) override {
    // _AttributeHolder.__repr__: identifiers as name=value, any other key in a **{...}.
    std::string out, star;
    dict->each([&](const Object& k, const Object& v) {
      const std::string key = ip.str(k);
      const bool ident = ip.truthy(ip.call0(ip.getattr(k, "isidentifier")));
      if (ident) out += (out.empty() ? "" : ", ") + key + "=" + ip.repr(v);
      else star += (star.empty() ? "" : ", ") + ip.repr(k) + ": " + ip.repr(v);
    });
    if (!star.empty()) out += (out.empty() ? "**{" : ", **{") + star + "}";
    return "Namespace(" + out + ")";
  }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override {
    if (Object* v = dict->find_str(name)) return *v;
    if (name == "__dict__") return Object(Tag::Dict, dict);
    if (name == "__setattr__")
      return ip.builtin("__setattr__", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
        check_args(ip, "__setattr__", a, 2, 2);
        auto* ns = static_cast<NamespaceObj*>(b.self.as<NativeObj>());
        ns->dict->set(a.pos[0], ip.hash(a.pos[0]), a.pos[1]);
        return Object::none();
      }, self);
    if (name == "__contains__")
      return ip.builtin("__contains__", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
        check_args(ip, "__contains__", a, 1, 1);
        return Object::boolean(ip.contains(Object(Tag::Dict, static_cast<NamespaceObj*>(b.self.as<NativeObj>())->dict), a.pos[0]));
      }, self);
    if (name == "__eq__")
      return ip.builtin("__eq__", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
        check_args(ip, "__eq__", a, 1, 1);
        const Object& o = a.pos[0];
        if (!o.is(Tag::Native) || std::string_view(o.as<NativeObj>()->type_name()) != "Namespace") return ip.not_implemented;
        auto* me = static_cast<NamespaceObj*>(b.self.as<NativeObj>());
        return Object::boolean(ip.eq(Object(Tag::Dict, me->dict), Object(Tag::Dict, static_cast<NamespaceObj*>(o.as<NativeObj>())->dict)));
      }, self);
    return {};
  }
};

Object make_namespace(Interp& ip, BuiltinObj&, CallArgs& a) {
  if (!a.pos.empty()) ip.raise(ip.T.TypeError, fmt::format("Namespace.__init__() takes 1 positional argument but {} were given", a.pos.size() + 1));
  auto ns = asyncio::make_ref<NamespaceObj>();
  for (auto& [k, v] : a.kw) ns->dict->set(str_key(ip, k), ip.hash(str_key(ip, k)), v);
  return Object(Tag::Native, ns);
}

// ---- HelpFormatter ----

// shutil.get_terminal_size().columns: $COLUMNS (os.environ's, when the program imported os), else
// the terminal's width, else 80.
std::int64_t terminal_columns(Interp& ip) {
  std::string env;
  if (auto os = ip.modules.find("os"); os != ip.modules.end()) {
    Object environ = ip.getattr(os->second, "environ"), key = ip.str_obj("COLUMNS");
    if (ip.contains(environ, key)) env = ip.str(ip.getitem(environ, key));
  } else if (const char* c = std::getenv("COLUMNS")) {
    env = c;
  }
  try {
    std::size_t used = 0;
    const long long n = env.empty() ? 0 : std::stoll(env, &used);
    if (n > 0 && used == env.size()) return n;
  } catch (const std::exception&) {
  }
  winsize ws{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

struct Formatter {
  Interp& ip;
  ParserObj& parser;
  std::string prog;
  std::int64_t width, max_help_position, current_indent = 0, action_max_length = 0;
  static constexpr std::int64_t indent_increment = 2;

  struct Section {
    Section* parent;
    Object heading;
    std::vector<std::function<std::string()>> items;
    std::vector<std::unique_ptr<Section>> children;
  };
  Section root{nullptr, Object::none(), {}, {}};
  Section* current = &root;

  Formatter(Interp& i, ParserObj& p) : ip(i), parser(p), prog(i.str(p.prog)) {
    width = terminal_columns(ip) - 2;
    max_help_position = std::min<std::int64_t>(24, std::max<std::int64_t>(width - 20, indent_increment * 2));
  }

  std::string section_help(Section& s) {
    if (s.parent) current_indent += indent_increment;
    std::string item_help;
    for (auto& f : s.items) item_help += f();
    if (s.parent) current_indent -= indent_increment;
    if (item_help.empty()) return "";
    std::string heading;
    if (!s.heading.is_none() && !suppressed(s.heading)) heading = spaces(current_indent) + ip.str(s.heading) + ":\n";
    return "\n" + heading + item_help + "\n";
  }
  void start_section(const Object& heading) {
    current_indent += indent_increment;
    current->children.push_back(std::make_unique<Section>(Section{current, heading, {}, {}}));
    Section* s = current->children.back().get();
    current->items.push_back([this, s] { return section_help(*s); });
    current = s;
  }
  void end_section() {
    current = current->parent;
    current_indent -= indent_increment;
  }
  void add_text(const Object& text) {
    if (text.is_none() || suppressed(text)) return;
    current->items.push_back([this, text] { return format_text(ip.str(text)); });
  }
  void add_usage(const Object& usage, const std::string& prefix = "usage: ") {
    if (suppressed(usage)) return;
    current->items.push_back([this, usage, prefix] { return format_usage(usage, prefix); });
  }
  void add_arguments(const std::vector<ActionObj*>& actions) {
    for (ActionObj* a : actions) {
      if (suppressed(a->help)) continue;
      action_max_length = std::max<std::int64_t>(action_max_length, static_cast<std::int64_t>(cp_len(invocation(*a))) + current_indent);
      current->items.push_back([this, a] { return format_action(*a); });
    }
  }
  std::string format_help() {
    std::string help = section_help(root);
    if (help.empty()) return help;
    // _long_break_matcher: three or more newlines become two; then strip('\n') + '\n'.
    std::string out;
    for (std::size_t i = 0; i < help.size();) {
      std::size_t j = i;
      while (j < help.size() && help[j] == '\n') ++j;
      if (j - i >= 3) {
        out += "\n\n";
        i = j;
      } else if (j > i) {
        out.append(j - i, '\n');
        i = j;
      } else {
        out += help[i++];
      }
    }
    const auto b = out.find_first_not_of('\n'), e = out.find_last_not_of('\n');
    return (b == std::string::npos ? "" : out.substr(b, e - b + 1)) + "\n";
  }

  // _whitespace_matcher (\s+, ASCII) replaced by a space, then strip().
  static std::string collapse(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
      if (stringlib::ascii_space(text[i])) {
        while (i < text.size() && stringlib::ascii_space(text[i])) ++i;
        out += ' ';
      } else {
        out += text[i++];
      }
    }
    return stringlib::strip(out, " \t\n\r\f\v", true, true);
  }
  std::vector<std::string> split_lines(const std::string& text, std::int64_t w) {
    if (parser.fclass == FormatterClass::RawText) return stringlib::split_sep(text, "\n", -1, false);
    textwrap::Options o;
    o.width = w;
    std::vector<std::string> out;
    for (const auto& l : textwrap::wrap(ip, o, textwrap::utf32(collapse(text)))) out.push_back(textwrap::utf8(l));
    return out;
  }
  std::string fill_text(const std::string& text, std::int64_t w, const std::string& indent) {
    if (parser.fclass == FormatterClass::RawDescription || parser.fclass == FormatterClass::RawText) {
      std::string out;
      for (const Object& l : ip.to_vector(ip.call1(ip.getattr(ip.str_obj(text), "splitlines"), Object::boolean(true))))
        out += indent + ip.str(l);
      return out;
    }
    textwrap::Options o;
    o.width = w;
    o.initial_indent = o.subsequent_indent = textwrap::utf32(indent);
    return textwrap::utf8(textwrap::fill(ip, o, textwrap::utf32(collapse(text))));
  }
  std::string format_text(std::string text) {
    if (text.find("%(prog)") != std::string::npos) text = percent_format(ip, text, prog_dict());
    const std::int64_t text_width = std::max<std::int64_t>(width - current_indent, 11);
    return fill_text(text, text_width, spaces(current_indent)) + "\n\n";
  }
  Object prog_dict() {
    Object d = ip.dict_obj();
    ip.setitem(d, ip.str_obj("prog"), ip.str_obj(prog));
    return d;
  }

  // _metavar_formatter: the metavar (a str, or a tuple of them), the choices, or the default.
  std::vector<std::string> metavars(const ActionObj& a, const std::string& dflt, std::size_t n) {
    std::string result = dflt;
    if (!a.metavar.is_none()) {
      if (a.metavar.is(Tag::Tuple)) {
        std::vector<std::string> v;
        for (const Object& m : a.metavar.as<ListObj>()->v) v.push_back(ip.str(m));
        if (v.size() != n) ip.raise(ip.T.ValueError, "length of metavar tuple does not match nargs");
        return v;
      }
      result = ip.str(a.metavar);
    } else if (!a.choices.is_none()) {
      result = "{";
      bool first = true;
      for (const Object& c : ip.to_vector(a.choices)) {
        result += (first ? "" : ",") + ip.str(c);
        first = false;
      }
      result += "}";
    }
    return std::vector<std::string>(n, result);
  }
  std::string format_args(const ActionObj& a, const std::string& dflt) {
    switch (a.nargs) {
      case Nargs::None: return metavars(a, dflt, 1)[0];
      case Nargs::Optional: return "[" + metavars(a, dflt, 1)[0] + "]";
      case Nargs::ZeroOrMore: {
        if (a.metavar.is(Tag::Tuple) && a.metavar.as<ListObj>()->v.size() == 2) {
          auto m = metavars(a, dflt, 2);
          return "[" + m[0] + " [" + m[1] + " ...]]";
        }
        return "[" + metavars(a, dflt, 1)[0] + " ...]";
      }
      case Nargs::OneOrMore: {
        auto m = metavars(a, dflt, 2);
        return m[0] + " [" + m[1] + " ...]";
      }
      case Nargs::Remainder: return "...";
      case Nargs::Count: {
        std::string out;
        for (const auto& m : metavars(a, dflt, static_cast<std::size_t>(a.count))) out += (out.empty() ? "" : " ") + m;
        return out;
      }
    }
    return "";
  }
  std::string default_metavar(const ActionObj& a) {
    std::string d = ip.str(a.dest);
    if (a.option_strings.empty()) return d;
    for (char& c : d) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return d;
  }
  std::string invocation(const ActionObj& a) {
    if (a.option_strings.empty()) return metavars(a, default_metavar(a), 1)[0];
    std::string out;
    const std::string args = a.zero_args() ? "" : format_args(a, default_metavar(a));
    for (const auto& o : a.option_strings) out += (out.empty() ? "" : ", ") + o + (a.zero_args() ? "" : " " + args);
    return out;
  }

  std::string actions_usage(const std::vector<ActionObj*>& actions) {
    std::set<ActionObj*> in_group;
    std::map<std::size_t, std::string> inserts;
    for (const Mutex& g : parser.mutexes) {
      if (g.actions.empty()) ip.raise(ip.T.ValueError, "empty group");
      auto it = std::find(actions.begin(), actions.end(), g.actions[0]);
      if (it == actions.end()) continue;
      const auto start = static_cast<std::size_t>(it - actions.begin()), end = start + g.actions.size();
      if (end > actions.size() || !std::equal(g.actions.begin(), g.actions.end(), actions.begin() + static_cast<std::ptrdiff_t>(start))) continue;
      std::size_t exposed = 0;
      for (ActionObj* a : g.actions) {
        in_group.insert(a);
        exposed += !suppressed(a->help);
      }
      auto add = [&](std::size_t at, const char* open_first, const char* text) {
        inserts[at] = inserts.contains(at) ? inserts[at] + open_first : text;
      };
      if (!g.required) {
        add(start, " [", "[");
        add(end, "]", "]");
      } else if (exposed > 1) {
        add(start, " (", "(");
        add(end, ")", ")");
      }
      for (std::size_t i = start + 1; i < end; ++i) inserts[i] = "|";
    }
    std::vector<std::optional<std::string>> parts;
    for (std::size_t i = 0; i < actions.size(); ++i) {
      ActionObj& a = *actions[i];
      if (suppressed(a.help)) {
        parts.emplace_back();
        if (inserts.contains(i) && inserts[i] == "|") inserts.erase(i);
        else if (inserts.contains(i + 1) && inserts[i + 1] == "|") inserts.erase(i + 1);
      } else if (a.option_strings.empty()) {
        std::string part = format_args(a, default_metavar(a));
        if (in_group.contains(&a) && part.size() >= 2 && part.front() == '[' && part.back() == ']') part = part.substr(1, part.size() - 2);
        parts.emplace_back(part);
      } else {
        std::string part = a.option_strings[0];
        if (!a.zero_args()) part += " " + format_args(a, default_metavar(a));
        if (!a.required && !in_group.contains(&a)) part = "[" + part + "]";
        parts.emplace_back(part);
      }
    }
    for (auto it = inserts.rbegin(); it != inserts.rend(); ++it)
      parts.insert(parts.begin() + static_cast<std::ptrdiff_t>(std::min(it->first, parts.size())), it->second);
    std::string text;
    bool first = true;
    for (const auto& p : parts)
      if (p) {
        text += (first ? "" : " ") + *p;
        first = false;
      }
    // The three re.sub of _format_actions_usage: no space after an opening bracket or before a
    // closing one, and no empty brackets.
    auto is_open = [](char c) { return c == '[' || c == '('; };
    auto is_close = [](char c) { return c == ']' || c == ')'; };
    std::string t1, t2, t3;
    for (std::size_t i = 0; i < text.size(); ++i) {
      t1 += text[i];
      if (is_open(text[i]) && i + 1 < text.size() && text[i + 1] == ' ') ++i;
    }
    for (std::size_t i = 0; i < t1.size(); ++i) {
      if (t1[i] == ' ' && i + 1 < t1.size() && is_close(t1[i + 1])) continue;
      t2 += t1[i];
    }
    for (std::size_t i = 0; i < t2.size(); ++i) {
      if (is_open(t2[i])) {
        std::size_t j = i + 1;
        while (j < t2.size() && t2[j] == ' ') ++j;
        if (j < t2.size() && is_close(t2[j])) {
          i = j;
          continue;
        }
      }
      t3 += t2[i];
    }
    return stringlib::strip(t3, " \t\n\r\f\v", true, true);
  }

  // re.findall(r'\(.*?\)+(?=\s|$)|\[.*?\]+(?=\s|$)|\S+', text)
  static std::vector<std::string> usage_parts(const std::string& s) {
    std::vector<std::string> out;
    auto space = [&](std::size_t k) { return k >= s.size() || stringlib::ascii_space(s[k]); };
    for (std::size_t i = 0; i < s.size();) {
      if (stringlib::ascii_space(s[i])) {
        ++i;
        continue;
      }
      std::size_t end = std::string::npos;
      if (s[i] == '(' || s[i] == '[') {
        const char close = s[i] == '(' ? ')' : ']';
        for (std::size_t k = i + 1; k < s.size() && end == std::string::npos; ++k) {
          if (s[k] != close) continue;
          std::size_t m = k;
          while (m < s.size() && s[m] == close) ++m;
          if (space(m)) end = m;
        }
      }
      if (end == std::string::npos) {
        end = i;
        while (end < s.size() && !stringlib::ascii_space(s[end])) ++end;
      }
      out.push_back(s.substr(i, end - i));
      i = end;
    }
    return out;
  }

  std::string format_usage(const Object& given, const std::string& prefix) {
    std::string usage;
    if (!given.is_none()) {
      usage = percent_format(ip, ip.str(given), prog_dict());
    } else if (parser.actions.empty()) {
      usage = prog;
    } else {
      std::vector<ActionObj*> optionals, positionals, all;
      for (auto& a : parser.actions) (a->option_strings.empty() ? positionals : optionals).push_back(a.get());
      all = optionals;
      all.insert(all.end(), positionals.begin(), positionals.end());
      const std::string action_usage = actions_usage(all);
      usage = action_usage.empty() ? prog : prog + " " + action_usage;
      const auto text_width = static_cast<std::size_t>(std::max<std::int64_t>(width - current_indent, 0));
      if (cp_len(prefix) + cp_len(usage) > text_width) {
        const auto opt_parts = usage_parts(actions_usage(optionals)), pos_parts = usage_parts(actions_usage(positionals));
        auto get_lines = [&](const std::vector<std::string>& parts, const std::string& indent, const std::string* pre) {
          std::vector<std::string> lines;
          std::string line;
          bool empty = true;
          std::size_t line_len = (pre ? cp_len(*pre) : indent.size()) - 1;
          for (const auto& part : parts) {
            if (line_len + 1 + cp_len(part) > text_width && !empty) {
              lines.push_back(indent + line);
              line.clear();
              empty = true;
              line_len = indent.size() - 1;
            }
            line += (empty ? "" : " ") + part;
            empty = false;
            line_len += cp_len(part) + 1;
          }
          if (!empty) lines.push_back(indent + line);
          if (pre && !lines.empty()) lines[0] = lines[0].substr(indent.size());
          return lines;
        };
        std::vector<std::string> lines;
        if (static_cast<double>(cp_len(prefix) + cp_len(prog)) <= 0.75 * static_cast<double>(text_width)) {
          const std::string indent = spaces(static_cast<std::ptrdiff_t>(cp_len(prefix) + cp_len(prog) + 1));
          std::vector<std::string> first{prog};
          if (!opt_parts.empty()) {
            first.insert(first.end(), opt_parts.begin(), opt_parts.end());
            lines = get_lines(first, indent, &prefix);
            for (auto& l : get_lines(pos_parts, indent, nullptr)) lines.push_back(l);
          } else if (!pos_parts.empty()) {
            first.insert(first.end(), pos_parts.begin(), pos_parts.end());
            lines = get_lines(first, indent, &prefix);
          } else {
            lines = {prog};
          }
        } else {
          const std::string indent = spaces(static_cast<std::ptrdiff_t>(cp_len(prefix)));
          std::vector<std::string> parts = opt_parts;
          parts.insert(parts.end(), pos_parts.begin(), pos_parts.end());
          lines = get_lines(parts, indent, nullptr);
          if (lines.size() > 1) {
            lines = get_lines(opt_parts, indent, nullptr);
            for (auto& l : get_lines(pos_parts, indent, nullptr)) lines.push_back(l);
          }
          lines.insert(lines.begin(), prog);
        }
        usage.clear();
        for (std::size_t i = 0; i < lines.size(); ++i) usage += (i ? "\n" : "") + lines[i];
      }
    }
    return prefix + usage + "\n\n";
  }

  // _expand_help: the help string %-formatted with the action's attributes and prog.
  std::string expand_help(ActionObj& a) {
    std::string help = ip.str(a.help);
    if (parser.fclass == FormatterClass::ArgumentDefaults && help.find("%(default)") == std::string::npos && !suppressed(a.default_) &&
        (!a.option_strings.empty() || a.nargs == Nargs::Optional || a.nargs == Nargs::ZeroOrMore))
      help += " (default: %(default)s)";
    Object params = ip.dict_obj();
    auto put = [&](const char* k, Object v) {
      if (suppressed(v)) return;
      Object name = v.null() ? Object() : ip.getattr_opt(v, "__name__");
      ip.setitem(params, ip.str_obj(k), name.null() || v.is(Tag::Str) ? v : name);
    };
    put("option_strings", a.option_strings_obj(ip));
    put("dest", a.dest);
    put("nargs", a.nargs_obj(ip));
    put("const", a.const_);
    put("default", a.default_);
    put("type", a.type);
    put("required", Object::boolean(a.required));
    put("help", a.help);
    put("metavar", a.metavar);
    if (!a.choices.is_none()) {
      std::string c;
      for (const Object& v : ip.to_vector(a.choices)) c += (c.empty() ? "" : ", ") + ip.str(v);
      ip.setitem(params, ip.str_obj("choices"), ip.str_obj(c));
    } else {
      put("choices", a.choices);
    }
    ip.setitem(params, ip.str_obj("prog"), ip.str_obj(prog));
    return percent_format(ip, help, params);
  }

  std::string format_action(ActionObj& a) {
    const std::int64_t help_position = std::min(action_max_length + 2, max_help_position);
    const std::int64_t help_width = std::max<std::int64_t>(width - help_position, 11);
    const std::int64_t action_width = help_position - current_indent - 2;
    std::string header = invocation(a);
    std::int64_t indent_first = 0;
    const bool has_help = !a.help.is_none() && ip.truthy(a.help);
    if (!has_help) {
      header = spaces(current_indent) + header + "\n";
    } else if (static_cast<std::int64_t>(cp_len(header)) <= action_width) {
      header = spaces(current_indent) + header + spaces(action_width - static_cast<std::int64_t>(cp_len(header))) + "  ";
    } else {
      header = spaces(current_indent) + header + "\n";
      indent_first = help_position;
    }
    std::string out = header;
    if (has_help && !collapse(ip.str(a.help)).empty()) {
      const std::string help_text = expand_help(a);
      if (!help_text.empty()) {
        auto lines = split_lines(help_text, help_width);
        if (!lines.empty()) out += spaces(indent_first) + lines[0] + "\n";
        for (std::size_t i = 1; i < lines.size(); ++i) out += spaces(help_position) + lines[i] + "\n";
      }
    } else if (!header.ends_with('\n')) {
      out += "\n";
    }
    return out;
  }
};

std::string format_usage(Interp& ip, ParserObj& p) {
  Formatter f(ip, p);
  f.add_usage(p.usage);
  return f.format_help();
}

std::string format_help(Interp& ip, ParserObj& p) {
  Formatter f(ip, p);
  f.add_usage(p.usage);
  f.add_text(p.description);
  for (const Group& g : p.groups) {
    f.start_section(g.title);
    f.add_text(g.description);
    f.add_arguments(g.actions);
    f.end_section();
  }
  f.add_text(p.epilog);
  return f.format_help();
}

// parser.exit(status, message): the message on stderr, then SystemExit.
[[noreturn]] void parser_exit(Interp& ip, std::int64_t status, const std::string& message) {
  if (!message.empty()) ip.write_err(message);
  ip.raise_obj(ip.new_exc(ip.T.SystemExit, {Object::integer(status)}));
}

[[noreturn]] void parser_error(Interp& ip, ParserObj& p, const std::string& message) {
  ip.write_err(format_usage(ip, p));
  parser_exit(ip, 2, fmt::format("{}: error: {}\n", ip.str(p.prog), message));
}

// ---- parsing (ArgumentParser._parse_known_args) ----

// One group of a nargs pattern: atoms of a character class repeated min..max times.
struct Atom {
  const char* chars;
  int min, max;
};
using Pattern = std::vector<Atom>;
constexpr int kMany = 1 << 30;

// _get_nargs_pattern; an option's pattern has no '-' (it takes no '--').
Pattern nargs_pattern(const ActionObj& a) {
  const bool opt = !a.option_strings.empty();
  Pattern p;
  auto dashes = [&] {
    if (!opt) p.push_back({"-", 0, kMany});
  };
  const char* a_or_dash = opt ? "A" : "A-";
  switch (a.nargs) {
    case Nargs::None:
      if (a.zero_args()) {
        dashes();
        dashes();
        break;
      }
      dashes(), p.push_back({"A", 1, 1}), dashes();
      break;
    case Nargs::Optional: dashes(), p.push_back({"A", 0, 1}), dashes(); break;
    case Nargs::ZeroOrMore: dashes(), p.push_back({a_or_dash, 0, kMany}); break;
    case Nargs::OneOrMore: dashes(), p.push_back({"A", 1, 1}), p.push_back({a_or_dash, 0, kMany}); break;
    case Nargs::Remainder: p.push_back({opt ? "AO" : "-AO", 0, kMany}); break;
    case Nargs::Count:
      dashes();
      for (std::int64_t i = 0; i < a.count; ++i) {
        if (i) dashes();
        p.push_back({"A", 1, 1});
      }
      dashes();
      break;
  }
  return p;
}

// re.match of the groups one after another at the start of `s`, greedy with backtracking: each
// group's length, or nullopt.
std::optional<std::vector<std::size_t>> match_groups(const std::vector<Pattern>& groups, std::string_view s) {
  std::vector<std::size_t> lens(groups.size());
  std::function<bool(std::size_t, std::size_t, std::size_t, std::size_t)> go = [&](std::size_t g, std::size_t atom, std::size_t pos,
                                                                                   std::size_t group_start) -> bool {
    if (g == groups.size()) return true;
    if (atom == groups[g].size()) {
      lens[g] = pos - group_start;
      return go(g + 1, 0, pos, pos);
    }
    const Atom& at = groups[g][atom];
    std::size_t n = 0;
    while (static_cast<int>(n) < at.max && pos + n < s.size() && std::strchr(at.chars, s[pos + n])) ++n;
    for (auto k = static_cast<int>(n); k >= at.min; --k)
      if (go(g, atom + 1, pos + static_cast<std::size_t>(k), group_start)) return true;
    return false;
  };
  if (!go(0, 0, 0, 0)) return std::nullopt;
  return lens;
}

struct OptionTuple {
  ActionObj* action;  // null: an unknown option
  std::string option_string;
  std::optional<std::string> explicit_arg;
};

// _negative_number_matcher: ^-\d+$|^-\d*\.\d+$
bool negative_number(std::string_view s) {
  if (s.size() < 2 || s[0] != '-') return false;
  s.remove_prefix(1);
  const auto dot = s.find('.');
  auto digits = [](std::string_view d) { return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; }); };
  if (dot == std::string_view::npos) return digits(s);
  return digits(s.substr(0, dot)) && s.size() > dot + 1 && digits(s.substr(dot + 1));
}

struct Parse {
  Interp& ip;
  ParserObj& p;
  Object ns;
  std::vector<std::string> args;
  std::vector<std::string> extras;
  std::set<ActionObj*> seen, seen_non_default;
  std::map<ActionObj*, std::vector<ActionObj*>> conflicts;

  bool is_prefix(char c) const { return p.prefix_chars.find(c) != std::string::npos; }

  std::vector<OptionTuple> option_tuples(const std::string& s) {
    std::vector<OptionTuple> out;
    if (is_prefix(s[0]) && is_prefix(s[1])) {
      if (p.allow_abbrev) {
        const auto eq = s.find('=');
        const std::string prefix = s.substr(0, eq);
        std::optional<std::string> explicit_arg;
        if (eq != std::string::npos) explicit_arg = s.substr(eq + 1);
        for (auto& [o, a] : p.option_actions)
          if (o.starts_with(prefix)) out.push_back({a, o, explicit_arg});
      }
    } else if (is_prefix(s[0])) {
      const std::string short_prefix = s.substr(0, 2), short_explicit = s.substr(2);
      for (auto& [o, a] : p.option_actions) {
        if (o == short_prefix) out.push_back({a, o, short_explicit});
        else if (o.starts_with(s)) out.push_back({a, o, std::nullopt});
      }
    } else {
      parser_error(ip, p, fmt::format("unexpected option string: {}", s));
    }
    return out;
  }

  // _parse_optional: nullopt for a positional argument.
  std::optional<OptionTuple> parse_optional(const std::string& s) {
    if (s.empty() || !is_prefix(s[0])) return std::nullopt;
    if (ActionObj* a = p.find_option(s)) return OptionTuple{a, s, std::nullopt};
    if (s.size() == 1) return std::nullopt;
    if (const auto eq = s.find('='); eq != std::string::npos)
      if (ActionObj* a = p.find_option(s.substr(0, eq))) return OptionTuple{a, s.substr(0, eq), s.substr(eq + 1)};
    auto tuples = option_tuples(s);
    if (tuples.size() > 1) {
      std::string matches;
      for (auto& t : tuples) matches += (matches.empty() ? "" : ", ") + t.option_string;
      parser_error(ip, p, fmt::format("ambiguous option: {} could match {}", s, matches));
    }
    if (tuples.size() == 1) return tuples[0];
    if (negative_number(s) && !p.has_negative_number_optionals) return std::nullopt;
    if (s.find(' ') != std::string::npos) return std::nullopt;
    return OptionTuple{nullptr, s, std::nullopt};
  }

  bool is_a(const std::vector<Object>& v, const Object& x) {
    for (const Object& c : v)
      if (ip.eq(c, x)) return true;
    return false;
  }

  Object get_value(ActionObj& a, const std::string& s) {
    Object arg = ip.str_obj(s);
    if (a.type.is_none()) return arg;
    if (!ip.truthy(ip.call1(ip.builtins["callable"], a.type))) arg_error(ip, &a, fmt::format("{} is not callable", ip.repr(a.type)));
    try {
      return ip.call1(a.type, arg);
    } catch (const Abort&) {
      throw;
    } catch (...) {
      Ref<ExcObj> e = ip.to_python(std::current_exception());
      if (e->cls->name == "ArgumentTypeError" && e->cls->module == "argparse") arg_error(ip, &a, ip.exc_str(*e));
      if (!e->cls->subclass_of(ip.T.TypeError.get()) && !e->cls->subclass_of(ip.T.ValueError.get())) throw;
      Object name = ip.getattr_opt(a.type, "__name__");
      arg_error(ip, &a, fmt::format("invalid {} value: {}", name.null() ? ip.repr(a.type) : ip.str(name), str_repr(s)));
    }
  }
  void check_value(ActionObj& a, const Object& v) {
    if (a.choices.is_none() || ip.contains(a.choices, v)) return;
    std::string choices;
    for (const Object& c : ip.to_vector(a.choices)) choices += (choices.empty() ? "" : ", ") + ip.repr(c);
    arg_error(ip, &a, fmt::format("invalid choice: {} (choose from {})", ip.repr(v), choices));
  }

  Object get_values(ActionObj& a, std::vector<std::string> strs) {
    if (a.nargs != Nargs::Remainder)
      if (auto it = std::find(strs.begin(), strs.end(), "--"); it != strs.end()) strs.erase(it);
    if (a.zero_args()) return Object::none();  // the constant actions ignore their values
    Object value;
    if (strs.empty() && a.nargs == Nargs::Optional) {
      value = a.option_strings.empty() ? a.default_ : a.const_;
      if (value.is(Tag::Str)) {
        value = get_value(a, ip.str(value));
        check_value(a, value);
      }
    } else if (strs.empty() && a.nargs == Nargs::ZeroOrMore && a.option_strings.empty()) {
      value = a.default_.is_none() ? ip.list_obj() : a.default_;
      check_value(a, value);
    } else if (strs.size() == 1 && (a.nargs == Nargs::None || a.nargs == Nargs::Optional)) {
      value = get_value(a, strs[0]);
      check_value(a, value);
    } else {
      std::vector<Object> v;
      for (const auto& s : strs) v.push_back(get_value(a, s));
      if (a.nargs != Nargs::Remainder)
        for (const Object& x : v) check_value(a, x);
      value = ip.list_obj(std::move(v));
    }
    return value;
  }

  Object attr(const Object& dest) { return ip.getattr_opt(ns, ip.str(dest)); }

  void call_action(ActionObj& a, const Object& values) {
    auto items = [&]() {
      Object cur = attr(a.dest);
      return cur.null() || cur.is_none() ? std::vector<Object>{} : ip.to_vector(cur);  // _copy_items
    };
    switch (a.kind) {
      case Kind::Store: ip.setattr(ns, ip.str(a.dest), values); break;
      case Kind::StoreConst:
      case Kind::StoreTrue:
      case Kind::StoreFalse: ip.setattr(ns, ip.str(a.dest), a.const_); break;
      case Kind::Append:
      case Kind::AppendConst: {
        auto v = items();
        v.push_back(a.kind == Kind::Append ? values : a.const_);
        ip.setattr(ns, ip.str(a.dest), ip.list_obj(std::move(v)));
        break;
      }
      case Kind::Extend: {
        auto v = items();
        for (const Object& x : ip.to_vector(values)) v.push_back(x);
        ip.setattr(ns, ip.str(a.dest), ip.list_obj(std::move(v)));
        break;
      }
      case Kind::Count: {
        Object cur = attr(a.dest);
        const Object one = Object::integer(1);
        ip.setattr(ns, ip.str(a.dest), ip.binop(scenario::BinOpKind::Add, cur.null() || cur.is_none() ? Object::integer(0) : cur, one));
        break;
      }
      case Kind::Help:
        ip.write_out(format_help(ip, p));
        parser_exit(ip, 0, "");
      case Kind::Version: {
        Formatter f(ip, p);
        f.add_text(a.version);
        ip.write_out(f.format_help());
        parser_exit(ip, 0, "");
      }
    }
  }

  void take_action(ActionObj& a, const std::vector<std::string>& strs) {
    seen.insert(&a);
    Object values = get_values(a, strs);
    const bool is_default = a.zero_args() ? false : values.same(a.default_);
    if (!is_default) {
      seen_non_default.insert(&a);
      for (ActionObj* c : conflicts[&a])
        if (seen_non_default.contains(c)) arg_error(ip, &a, fmt::format("not allowed with argument {}", action_name(ip, *c)));
    }
    call_action(a, values);
  }

  std::size_t match_argument(ActionObj& a, std::string_view pattern) {
    auto m = match_groups({nargs_pattern(a)}, pattern);
    if (m) return (*m)[0];
    switch (a.nargs) {
      case Nargs::None:
        if (!a.zero_args()) arg_error(ip, &a, "expected one argument");
        break;
      case Nargs::Optional: arg_error(ip, &a, "expected at most one argument");
      case Nargs::OneOrMore: arg_error(ip, &a, "expected at least one argument");
      default: break;
    }
    arg_error(ip, &a, fmt::format("expected {} argument{}", a.count, a.count == 1 ? "" : "s"));
  }

  void run(std::vector<ActionObj*>& positionals) {
    for (const Mutex& g : p.mutexes)
      for (std::size_t i = 0; i < g.actions.size(); ++i)
        for (std::size_t j = 0; j < g.actions.size(); ++j)
          if (i != j) conflicts[g.actions[i]].push_back(g.actions[j]);
    std::map<std::size_t, OptionTuple> option_indices;
    std::string pattern;
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (args[i] == "--") {
        pattern += '-';
        pattern.append(args.size() - i - 1, 'A');
        break;
      }
      auto t = parse_optional(args[i]);
      if (t) option_indices.emplace(i, *t);
      pattern += t ? 'O' : 'A';
    }
    auto consume_optional = [&](std::size_t start_index) -> std::size_t {
      OptionTuple t = option_indices.at(start_index);
      std::vector<std::tuple<ActionObj*, std::vector<std::string>, std::string>> todo;
      std::size_t stop = start_index + 1;
      for (;;) {
        if (!t.action) {
          extras.push_back(args[start_index]);
          return start_index + 1;
        }
        if (t.explicit_arg) {
          const std::size_t arg_count = match_argument(*t.action, "A");
          if (arg_count == 0 && !is_prefix(t.option_string[1]) && !t.explicit_arg->empty()) {
            todo.emplace_back(t.action, std::vector<std::string>{}, t.option_string);
            const std::string option_string = std::string(1, t.option_string[0]) + (*t.explicit_arg)[0];
            std::optional<std::string> rest;
            if (t.explicit_arg->size() > 1) rest = t.explicit_arg->substr(1);
            if (ActionObj* a = p.find_option(option_string)) {
              t = OptionTuple{a, option_string, rest};
            } else {
              arg_error(ip, t.action, fmt::format("ignored explicit argument {}", str_repr(*t.explicit_arg)));
            }
          } else if (arg_count == 1) {
            stop = start_index + 1;
            todo.emplace_back(t.action, std::vector<std::string>{*t.explicit_arg}, t.option_string);
            break;
          } else {
            arg_error(ip, t.action, fmt::format("ignored explicit argument {}", str_repr(*t.explicit_arg)));
          }
        } else {
          const std::size_t start = start_index + 1;
          const std::size_t arg_count = match_argument(*t.action, std::string_view(pattern).substr(start));
          stop = start + arg_count;
          todo.emplace_back(t.action, std::vector<std::string>(args.begin() + static_cast<std::ptrdiff_t>(start), args.begin() + static_cast<std::ptrdiff_t>(stop)), t.option_string);
          break;
        }
      }
      for (auto& [a, strs, _] : todo) take_action(*a, strs);
      return stop;
    };
    auto consume_positionals = [&](std::size_t start_index) -> std::size_t {
      // _match_arguments_partial: as many positionals as can match, the most first.
      std::vector<std::size_t> counts;
      for (std::size_t i = positionals.size(); i > 0; --i) {
        std::vector<Pattern> groups;
        for (std::size_t k = 0; k < i; ++k) groups.push_back(nargs_pattern(*positionals[k]));
        if (auto m = match_groups(groups, std::string_view(pattern).substr(start_index))) {
          counts = *m;
          break;
        }
      }
      for (std::size_t k = 0; k < counts.size(); ++k) {
        std::vector<std::string> strs(args.begin() + static_cast<std::ptrdiff_t>(start_index),
                                      args.begin() + static_cast<std::ptrdiff_t>(start_index + counts[k]));
        start_index += counts[k];
        take_action(*positionals[k], strs);
      }
      positionals.erase(positionals.begin(), positionals.begin() + static_cast<std::ptrdiff_t>(counts.size()));
      return start_index;
    };
    std::size_t start_index = 0;
    const std::ptrdiff_t max_option = option_indices.empty() ? -1 : static_cast<std::ptrdiff_t>(option_indices.rbegin()->first);
    while (static_cast<std::ptrdiff_t>(start_index) <= max_option) {
      const std::size_t next_option = option_indices.lower_bound(start_index)->first;
      if (start_index != next_option) {
        const std::size_t end = consume_positionals(start_index);
        if (end > start_index) {
          start_index = end;
          continue;
        }
        start_index = end;
      }
      if (!option_indices.contains(start_index)) {
        extras.insert(extras.end(), args.begin() + static_cast<std::ptrdiff_t>(start_index), args.begin() + static_cast<std::ptrdiff_t>(next_option));
        start_index = next_option;
      }
      start_index = consume_optional(start_index);
    }
    const std::size_t stop_index = consume_positionals(start_index);
    extras.insert(extras.end(), args.begin() + static_cast<std::ptrdiff_t>(stop_index), args.end());
    std::vector<std::string> required;
    for (auto& a : p.actions) {
      if (seen.contains(a.get())) continue;
      if (a->required) {
        required.push_back(action_name(ip, *a));
      } else if (a->default_.is(Tag::Str) && !suppressed(a->dest)) {
        Object cur = attr(a->dest);
        if (!cur.null() && cur.same(a->default_)) ip.setattr(ns, ip.str(a->dest), get_value(*a, ip.str(a->default_)));
      }
    }
    if (!required.empty()) {
      std::string names;
      for (auto& r : required) names += (names.empty() ? "" : ", ") + r;
      parser_error(ip, p, "the following arguments are required: " + names);
    }
    for (const Mutex& g : p.mutexes) {
      if (!g.required || std::any_of(g.actions.begin(), g.actions.end(), [&](ActionObj* a) { return seen_non_default.contains(a); })) continue;
      std::string names;
      for (ActionObj* a : g.actions)
        if (!suppressed(a->help)) names += (names.empty() ? "" : " ") + action_name(ip, *a);
      parser_error(ip, p, "one of the arguments " + names + " is required");
    }
  }
};

// parse_known_args(args=None, namespace=None): the namespace and the extras.
std::pair<Object, std::vector<std::string>> parse_known(Interp& ip, ParserObj& p, CallArgs& a, const char* fname) {
  Object args = arg_or(a, 0, "args", Object::none()), ns = arg_or(a, 1, "namespace", Object::none());
  if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("ArgumentParser.{}() got an unexpected keyword argument '{}'", fname, a.kw[0].first));
  Parse run{ip, p, ns.is_none() ? Object(Tag::Native, asyncio::make_ref<NamespaceObj>()) : ns, {}, {}, {}, {}, {}};
  if (args.is_none()) {
    std::vector<Object> argv = ip.to_vector(ip.getattr(ip.import_module("sys"), "argv"));
    for (std::size_t i = 1; i < argv.size(); ++i) run.args.push_back(ip.str(argv[i]));
  } else {
    for (const Object& s : ip.to_vector(args)) {
      if (!s.is(Tag::Str)) ip.refuse("argparse arguments that are not str");
      run.args.push_back(ip.str(s));
    }
  }
  for (auto& act : p.actions)
    if (!suppressed(act->dest) && run.attr(act->dest).null() && !suppressed(act->default_)) ip.setattr(run.ns, ip.str(act->dest), act->default_);
  p.defaults.as<DictObj>()->each([&](const Object& k, const Object& v) {
    if (ip.getattr_opt(run.ns, ip.str(k)).null()) ip.setattr(run.ns, ip.str(k), v);
  });
  std::vector<ActionObj*> positionals;
  for (auto& act : p.actions)
    if (act->option_strings.empty()) positionals.push_back(act.get());
  try {
    run.run(positionals);
  } catch (const ArgError& e) {
    if (p.exit_on_error) parser_error(ip, p, e.text);
    Object cls = ip.getattr(ip.import_module("argparse"), "ArgumentError");
    ip.raise(Ref<TypeObj>(cls.as<TypeObj>()), e.text);
  }
  return {run.ns, run.extras};
}

// ---- building the parser ----

Object kw_or(CallArgs& a, std::string_view name, Object dflt) {
  Object v = a.take_kw(name);
  return v.null() ? dflt : v;
}

ActionObj* add_argument(Interp& ip, ParserObj& p, std::size_t group, Mutex* mutex, CallArgs& a) {
  auto act = asyncio::make_ref<ActionObj>();
  std::vector<std::string> strs;
  for (const Object& s : a.pos) strs.push_back(ip.str(s));
  const bool positional = strs.size() <= 1 && (strs.empty() || strs[0].empty() || !(p.prefix_chars.find(strs[0][0]) != std::string::npos));
  Object dest = a.take_kw("dest");
  if (positional) {
    if (strs.empty()) ip.raise(ip.T.TypeError, "missing 1 required positional argument: 'dest'");
    if (!dest.null()) ip.raise(ip.T.ValueError, "dest supplied twice for positional argument");
    dest = ip.str_obj(strs[0]);
  } else {
    std::string long_first;
    for (const auto& s : strs) {
      if (s.empty() || !(p.prefix_chars.find(s[0]) != std::string::npos))
        ip.raise(ip.T.ValueError, fmt::format("invalid option string {}: must start with a character {}", str_repr(s), str_repr(p.prefix_chars)));
      if (long_first.empty() && s.size() > 1 && (p.prefix_chars.find(s[1]) != std::string::npos)) long_first = s;
    }
    act->option_strings = strs;
    if (dest.null() || dest.is_none()) {
      std::string d = stringlib::strip(long_first.empty() ? strs[0] : long_first, p.prefix_chars, true, false);
      if (d.empty()) ip.raise(ip.T.ValueError, fmt::format("dest= is required for options like {}", str_repr(strs.back())));
      std::replace(d.begin(), d.end(), '-', '_');
      dest = ip.str_obj(d);
    }
  }
  act->dest = dest;
  const std::string action = ip.str(kw_or(a, "action", ip.str_obj("store")));
  static const std::pair<const char*, Kind> kinds[] = {
      {"store", Kind::Store},   {"store_const", Kind::StoreConst}, {"store_true", Kind::StoreTrue},   {"store_false", Kind::StoreFalse},
      {"append", Kind::Append}, {"append_const", Kind::AppendConst}, {"count", Kind::Count},          {"extend", Kind::Extend},
      {"help", Kind::Help},     {"version", Kind::Version}};
  auto kind = std::find_if(std::begin(kinds), std::end(kinds), [&](auto& k) { return action == k.first; });
  if (kind == std::end(kinds)) ip.refuse(fmt::format("argparse action {}", str_repr(action)));
  act->kind = kind->second;
  Object dflt = a.take_kw("default");
  act->default_ = dflt.null() ? p.argument_default : dflt;
  if (act->kind == Kind::StoreTrue || act->kind == Kind::StoreFalse) {
    act->const_ = Object::boolean(act->kind == Kind::StoreTrue);
    if (dflt.null()) act->default_ = Object::boolean(act->kind != Kind::StoreTrue);
  }
  if (act->kind == Kind::Help || act->kind == Kind::Version) {
    if (dflt.null()) act->default_ = ip.str_obj("==SUPPRESS==");
    if (act->kind == Kind::Version) act->help = ip.str_obj("show program's version number and exit");
    act->version = kw_or(a, "version", Object::none());
  }
  Object nargs = a.take_kw("nargs");
  const bool takes_values = act->kind == Kind::Store || act->kind == Kind::Append || act->kind == Kind::Extend;
  if (!nargs.null() && !nargs.is_none()) {
    if (!takes_values) ip.raise(ip.T.TypeError, fmt::format("{}.__init__() got an unexpected keyword argument 'nargs'", kKindClass[static_cast<int>(act->kind)]));
    if (nargs.is(Tag::Int)) {
      if (nargs.i() == 0)
        ip.raise(ip.T.ValueError, std::string("nargs for ") + (act->kind == Kind::Store ? "store" : "append") +
                                      " actions must be != 0; if you have nothing to " + (act->kind == Kind::Store ? "store" : "append") +
                                      ", actions such as " + (act->kind == Kind::Store ? "store true or store const" : "append const") +
                                      " may be more appropriate");
      act->nargs = Nargs::Count;
      act->count = nargs.i();
    } else {
      const std::string n = ip.str(nargs);
      act->nargs = n == "?" ? Nargs::Optional : n == "*" ? Nargs::ZeroOrMore : n == "+" ? Nargs::OneOrMore : n == "..." ? Nargs::Remainder : Nargs::None;
      if (act->nargs == Nargs::None) ip.refuse(fmt::format("nargs={}", ip.repr(nargs)));
    }
  }
  Object const_ = a.take_kw("const");
  if (!const_.null()) {
    if (act->kind == Kind::StoreTrue || act->kind == Kind::StoreFalse || act->kind == Kind::Count || act->kind == Kind::Help || act->kind == Kind::Version)
      ip.raise(ip.T.TypeError, fmt::format("{}.__init__() got an unexpected keyword argument 'const'", kKindClass[static_cast<int>(act->kind)]));
    if (takes_values && act->nargs != Nargs::Optional) ip.raise(ip.T.ValueError, "nargs must be '?' to supply const");
    act->const_ = const_;
  } else if ((act->kind == Kind::StoreConst || act->kind == Kind::AppendConst)) {
    ip.raise(ip.T.TypeError, fmt::format("{}.__init__() missing 1 required positional argument: 'const'", kKindClass[static_cast<int>(act->kind)]));
  }
  act->type = kw_or(a, "type", Object::none());
  if (!act->type.is_none() && !ip.truthy(ip.call1(ip.builtins["callable"], act->type))) ip.raise(ip.T.ValueError, fmt::format("{} is not callable", ip.repr(act->type)));
  act->choices = kw_or(a, "choices", Object::none());
  Object required = a.take_kw("required");
  if (positional) {
    if (!required.null()) ip.raise(ip.T.TypeError, "'required' is an invalid argument for positionals");
    act->required = !(act->nargs == Nargs::Optional || act->nargs == Nargs::ZeroOrMore) || (act->nargs == Nargs::ZeroOrMore && dflt.null());
  } else {
    act->required = !required.null() && ip.truthy(required);
  }
  Object help = a.take_kw("help");
  if (!help.null()) act->help = help;
  act->metavar = kw_or(a, "metavar", Object::none());
  if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("{}.__init__() got an unexpected keyword argument '{}'", kKindClass[static_cast<int>(act->kind)], a.kw[0].first));
  if (mutex && act->required) ip.raise(ip.T.ValueError, "mutually exclusive arguments must be optional");
  // _check_conflict
  for (const auto& s : act->option_strings)
    if (p.find_option(s)) {
      std::string names;
      for (const auto& o : act->option_strings)
        if (p.find_option(o)) names += (names.empty() ? "" : ", ") + o;
      Object cls = ip.getattr(ip.import_module("argparse"), "ArgumentError");
      ip.raise(Ref<TypeObj>(cls.as<TypeObj>()), fmt::format("argument {}: conflicting option string{}: {}", action_name(ip, *act),
                                                           names.find(',') == std::string::npos ? "" : "s", names));
    }
  ActionObj* raw = act.get();
  p.actions.push_back(act);
  for (const auto& s : act->option_strings) {
    p.option_actions.emplace_back(s, raw);
    if (negative_number(s)) p.has_negative_number_optionals = true;
  }
  p.groups[group == std::size_t(-1) ? (positional ? 0 : 1) : group].actions.push_back(raw);
  if (mutex) mutex->actions.push_back(raw);
  return raw;
}

// An argument group or a mutually exclusive group of a parser (indices into it: the parser keeps them).
struct GroupObj final : NativeObj {
  Object parser;
  std::size_t group;  // -1: the parser's own positional/options groups
  std::ptrdiff_t mutex = -1;
  const char* type_name() const override { return mutex < 0 ? "_ArgumentGroup" : "_MutuallyExclusiveGroup"; }
  std::string repr(Interp&) override { return fmt::format("<argparse.{} object at 0x...>", type_name()); }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

ParserObj& parser_of(const Object& o) { return *static_cast<ParserObj*>(o.as<NativeObj>()); }

Object add_mutex(Interp& ip, const Object& parser, std::size_t group, CallArgs& a) {
  Object required = arg_or(a, 0, "required", Object::boolean(false));
  if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("_MutuallyExclusiveGroup.__init__() got an unexpected keyword argument '{}'", a.kw[0].first));
  ParserObj& p = parser_of(parser);
  p.mutexes.push_back(Mutex{ip.truthy(required), {}});
  auto g = asyncio::make_ref<GroupObj>();
  g->parser = parser;
  g->group = group;
  g->mutex = static_cast<std::ptrdiff_t>(p.mutexes.size() - 1);
  return Object(Tag::Native, g);
}

Object add_group(Interp& ip, const Object& parser, CallArgs& a) {
  Object title = arg_or(a, 0, "title", Object::none()), description = arg_or(a, 1, "description", Object::none());
  if (!a.kw.empty()) ip.refuse(fmt::format("add_argument_group({}=...)", a.kw[0].first));
  ParserObj& p = parser_of(parser);
  p.groups.push_back(Group{title, description, {}});
  auto g = asyncio::make_ref<GroupObj>();
  g->parser = parser;
  g->group = p.groups.size() - 1;
  return Object(Tag::Native, g);
}

Object GroupObj::getattr(Interp& ip, const Object& self, std::string_view name) {
  if (name == "add_argument")
    return ip.builtin("add_argument", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      auto* g = static_cast<GroupObj*>(b.self.as<NativeObj>());
      ParserObj& p = parser_of(g->parser);
      ActionObj* act = add_argument(ip, p, g->group, g->mutex < 0 ? nullptr : &p.mutexes[static_cast<std::size_t>(g->mutex)], a);
      return Object(Tag::Native, Ref<ActionObj>(act));
    }, self);
  if (name == "add_mutually_exclusive_group" && mutex < 0)
    return ip.builtin("add_mutually_exclusive_group", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      auto* g = static_cast<GroupObj*>(b.self.as<NativeObj>());
      return add_mutex(ip, g->parser, g->group, a);
    }, self);
  if (name == "title" && mutex < 0) return parser_of(parser).groups[group].title;
  if (name == "description" && mutex < 0) return parser_of(parser).groups[group].description;
  if (name == "required" && mutex >= 0) return Object::boolean(parser_of(parser).mutexes[static_cast<std::size_t>(mutex)].required);
  return {};
}

ParserObj& self_parser(BuiltinObj& b) { return parser_of(b.self); }

Object ParserObj::getattr(Interp& ip, const Object& self, std::string_view name) {
  using Fn = BuiltinObj::Fn;
  auto method = [&](const char* n, Fn f) { return ip.builtin(n, f, self); };
  if (name == "add_argument")
    return method("add_argument", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      return Object(Tag::Native, Ref<ActionObj>(add_argument(ip, self_parser(b), std::size_t(-1), nullptr, a)));
    });
  if (name == "add_argument_group") return method("add_argument_group", [](Interp& ip, BuiltinObj& b, CallArgs& a) { return add_group(ip, b.self, a); });
  if (name == "add_mutually_exclusive_group")
    return method("add_mutually_exclusive_group", [](Interp& ip, BuiltinObj& b, CallArgs& a) { return add_mutex(ip, b.self, std::size_t(-1), a); });
  if (name == "parse_args")
    return method("parse_args", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      auto [ns, extras] = parse_known(ip, self_parser(b), a, "parse_args");
      if (!extras.empty()) {
        std::string s;
        for (auto& e : extras) s += (s.empty() ? "" : " ") + e;
        parser_error(ip, self_parser(b), "unrecognized arguments: " + s);
      }
      return ns;
    });
  if (name == "parse_known_args")
    return method("parse_known_args", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      auto [ns, extras] = parse_known(ip, self_parser(b), a, "parse_known_args");
      std::vector<Object> v;
      for (auto& e : extras) v.push_back(ip.str_obj(e));
      return ip.tuple_obj({ns, ip.list_obj(std::move(v))});
    });
  if (name == "format_usage")
    return method("format_usage", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, "format_usage", a, 0, 0);
      return ip.str_obj(format_usage(ip, self_parser(b)));
    });
  if (name == "format_help")
    return method("format_help", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, "format_help", a, 0, 0);
      return ip.str_obj(format_help(ip, self_parser(b)));
    });
  if (name == "print_usage" || name == "print_help")
    return method(name == "print_usage" ? "print_usage" : "print_help", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      Object file = arg_or(a, 0, "file", Object::none());
      if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("{}() got an unexpected keyword argument '{}'", b.name, a.kw[0].first));
      std::string text = b.name[6] == 'u' ? format_usage(ip, self_parser(b)) : format_help(ip, self_parser(b));
      if (file.is_none()) ip.write_out(text);
      else ip.call1(ip.getattr(file, "write"), ip.str_obj(text));
      return Object::none();
    });
  if (name == "error")
    return method("error", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      check_args(ip, "error", a, 1, 1);
      parser_error(ip, self_parser(b), ip.str(a.pos[0]));
    });
  if (name == "exit")
    return method("exit", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
      Object status = arg_or(a, 0, "status", Object::integer(0)), message = arg_or(a, 1, "message", Object::none());
      if (!message.is_none()) ip.write_err(ip.str(message));
      ip.raise_obj(ip.new_exc(ip.T.SystemExit, {status}));
    });
  if (name == "set_defaults")
    return method("set_defaults", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      if (!a.pos.empty()) ip.raise(ip.T.TypeError, fmt::format("ArgumentParser.set_defaults() takes 1 positional argument but {} were given", a.pos.size() + 1));
      ParserObj& p = self_parser(b);
      for (auto& [k, v] : a.kw) {
        ip.setitem(p.defaults, str_key(ip, k), v);
        for (auto& act : p.actions)
          if (act->dest.is(Tag::Str) && act->dest.as<StrObj>()->s == k) act->default_ = v;
      }
      return Object::none();
    });
  if (name == "get_default")
    return method("get_default", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, "get_default", a, 1, 1);
      ParserObj& p = self_parser(b);
      for (auto& act : p.actions)
        if (ip.eq(act->dest, a.pos[0])) return act->default_;
      return ip.contains(p.defaults, a.pos[0]) ? ip.getitem(p.defaults, a.pos[0]) : Object::none();
    });
  if (name == "add_subparsers") ip.refuse("argparse subparsers");
  if (name == "prog") return prog;
  if (name == "usage") return usage;
  if (name == "description") return description;
  if (name == "epilog") return epilog;
  if (name == "formatter_class") return formatter_class;
  if (name == "prefix_chars") return ip.str_obj(prefix_chars);
  if (name == "add_help") return Object::boolean(add_help);
  if (name == "allow_abbrev") return Object::boolean(allow_abbrev);
  if (name == "exit_on_error") return Object::boolean(exit_on_error);
  if (name == "argument_default") return argument_default;
  return {};
}

// ArgumentParser(prog=None, usage=None, description=None, epilog=None, parents=[],
//     formatter_class=HelpFormatter, prefix_chars='-', fromfile_prefix_chars=None,
//     argument_default=None, conflict_handler='error', add_help=True, allow_abbrev=True,
//     exit_on_error=True)
Object make_parser(Interp& ip, BuiltinObj&, CallArgs& a) {
  static const char* const names[] = {"prog", "usage", "description", "epilog", "parents", "formatter_class", "prefix_chars",
                                      "fromfile_prefix_chars", "argument_default", "conflict_handler", "add_help", "allow_abbrev", "exit_on_error"};
  if (a.pos.size() > std::size(names))
    ip.raise(ip.T.TypeError, fmt::format("ArgumentParser.__init__() takes from 1 to 14 positional arguments but {} were given", a.pos.size() + 1));
  std::map<std::string, Object, std::less<>> v;
  for (std::size_t i = 0; i < a.pos.size(); ++i) v[names[i]] = a.pos[i];
  for (auto& [k, val] : a.kw) {
    if (std::find_if(std::begin(names), std::end(names), [&](const char* n) { return k == n; }) == std::end(names))
      ip.raise(ip.T.TypeError, fmt::format("ArgumentParser.__init__() got an unexpected keyword argument '{}'", k));
    v[std::string(k)] = val;
  }
  auto get = [&](const char* n, Object d) { return v.contains(n) && !v[n].null() ? v[n] : d; };
  auto p = asyncio::make_ref<ParserObj>();
  Object prog = get("prog", Object::none());
  if (prog.is_none()) {  // os.path.basename(sys.argv[0])
    const std::string argv0 = ip.str(ip.getitem(ip.getattr(ip.import_module("sys"), "argv"), Object::integer(0)));
    prog = ip.str_obj(argv0.substr(argv0.rfind('/') + 1));
  }
  p->prog = prog;
  p->usage = get("usage", Object::none());
  p->description = get("description", Object::none());
  p->epilog = get("epilog", Object::none());
  Object parents = get("parents", Object::none());
  if (!parents.is_none() && ip.len(parents) > 0) ip.refuse("ArgumentParser(parents=...)");
  auto* module = static_cast<ModuleObj*>(ip.import_module("argparse").as<NativeObj>());
  p->formatter_class = get("formatter_class", module->attrs["HelpFormatter"]);
  for (auto [n, c] : {std::pair{"HelpFormatter", FormatterClass::Default}, std::pair{"RawDescriptionHelpFormatter", FormatterClass::RawDescription},
                      std::pair{"RawTextHelpFormatter", FormatterClass::RawText}, std::pair{"ArgumentDefaultsHelpFormatter", FormatterClass::ArgumentDefaults}})
    if (p->formatter_class.same(module->attrs[n])) p->fclass = c;
  if (!p->formatter_class.same(module->attrs["HelpFormatter"]) && p->fclass == FormatterClass::Default) ip.refuse("a formatter_class of the program's own");
  p->prefix_chars = ip.str(get("prefix_chars", ip.str_obj("-")));
  if (!get("fromfile_prefix_chars", Object::none()).is_none()) ip.refuse("ArgumentParser(fromfile_prefix_chars=...)");
  p->argument_default = get("argument_default", Object::none());
  if (ip.str(get("conflict_handler", ip.str_obj("error"))) != "error") ip.refuse("conflict_handler other than 'error'");
  p->add_help = ip.truthy(get("add_help", Object::boolean(true)));
  p->allow_abbrev = ip.truthy(get("allow_abbrev", Object::boolean(true)));
  p->exit_on_error = ip.truthy(get("exit_on_error", Object::boolean(true)));
  p->defaults = ip.dict_obj();
  p->groups.push_back(Group{ip.str_obj("positional arguments"), Object::none(), {}});
  p->groups.push_back(Group{ip.str_obj("options"), Object::none(), {}});
  Object self(Tag::Native, p);
  if (p->add_help) {
    const std::string d(1, (p->prefix_chars.find('-') != std::string::npos) ? '-' : p->prefix_chars[0]);
    CallArgs h;
    h.pos = {ip.str_obj(d + "h"), ip.str_obj(d + d + "help")};
    h.kw = {{"action", ip.str_obj("help")}, {"help", ip.str_obj("show this help message and exit")}};
    add_argument(ip, *p, std::size_t(-1), nullptr, h);
  }
  return self;
}

}  // namespace

Object module_argparse(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("argparse");
  auto& A = m->attrs;
  Object module(Tag::Native, m);
  A["SUPPRESS"] = ip.str_obj("==SUPPRESS==");
  A["OPTIONAL"] = ip.str_obj("?");
  A["ZERO_OR_MORE"] = ip.str_obj("*");
  A["ONE_OR_MORE"] = ip.str_obj("+");
  A["REMAINDER"] = ip.str_obj("...");
  for (const char* f : {"HelpFormatter", "RawDescriptionHelpFormatter", "RawTextHelpFormatter", "ArgumentDefaultsHelpFormatter"}) {
    Ref<TypeObj> t = new_type(f, ip.T.object, "argparse");
    t->construct = [](Interp& ip, BuiltinObj&, CallArgs&) -> Object { ip.refuse("constructing an argparse formatter"); };
    A[f] = Object(Tag::Type, t);
  }
  for (const char* e : {"ArgumentError", "ArgumentTypeError"}) {
    Ref<TypeObj> t = new_type(e, ip.T.Exception, "argparse");
    t->is_exception = true;
    t->core = ip.T.Exception->core;
    A[e] = Object(Tag::Type, t);
  }
  m->add_class(ip, "Namespace", make_namespace);
  Ref<TypeObj> parser = ip.native_type("ArgumentParser", nullptr, "argparse");
  parser->construct = make_parser;
  A["ArgumentParser"] = Object(Tag::Type, parser);
  return module;
}

}  // namespace aiospec::interp

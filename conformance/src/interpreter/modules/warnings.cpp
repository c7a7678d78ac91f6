// The `warnings` module (Lib/warnings.py over Python/_warnings.c): warn, the filters list with
// CPython's defaults, filterwarnings/simplefilter/resetwarnings, the "default"/"module"/"once"
// registries, catch_warnings (record=True gives WarningMessage objects), formatwarning and
// showwarning. The interpreter's own warnings (never-awaited coroutines, deprecations) go through
// the same filters (Interp::warn). Not provided (refused where used): warn's stacklevel above 1 and
// skip_file_prefixes, warn_explicit, catch_warnings(module=...), replacing warnings.showwarning.
// Filters made by filterwarnings hold a pattern object matched with std::regex (ECMAScript syntax,
// which agrees with Python's re on the usual patterns).
#include <fmt/format.h>

#include <regex>
#include <set>
#include <tuple>

#include "../interp.hpp"

namespace aiospec::interp {

namespace {

// re.compile(pattern[, re.I]) as a filter holds it: matched at the start of the text (Pattern.match).
struct PatternObj final : NativeObj {
  PatternObj(std::string p, bool icase)
      : pattern(std::move(p)), ignorecase(icase), re(pattern, icase ? std::regex::ECMAScript | std::regex::icase : std::regex::ECMAScript) {}
  std::string pattern;
  bool ignorecase;
  std::regex re;
  const char* type_name() const override { return "re.Pattern"; }
  std::string repr(Interp&) override { return fmt::format("re.compile({}{})", str_repr(pattern), ignorecase ? ", re.IGNORECASE" : ""); }
  Object getattr(Interp& ip, const Object&, std::string_view name) override {
    if (name == "pattern") return ip.str_obj(pattern);
    return {};
  }
  bool match(const std::string& s) const { return std::regex_search(s, re, std::regex_constants::match_continuous); }
};

// The module's registries (`__warningregistry__` of the warning's module, `onceregistry`), cleared
// when the filters change (_filters_mutated), and catch_warnings(record=True)'s log.
struct WarningsState final : NativeObj {
  std::uint64_t version = 0, registry_version = 0;
  std::set<std::tuple<std::string, std::string, const TypeObj*, std::uint32_t>> registry;  // module, text, category, lineno
  std::set<std::pair<std::string, const TypeObj*>> once;
  Object log;  // Null: warnings are printed
  const char* type_name() const override { return "_warnings_state"; }
  Object getattr(Interp&, const Object&, std::string_view) override { return {}; }
};

ModuleObj& module(Interp& ip) { return *static_cast<ModuleObj*>(ip.import_module("warnings").as<NativeObj>()); }

WarningsState& state(Interp& ip) {
  return *static_cast<WarningsState*>(module(ip).attrs["_filters_mutated"].as<BuiltinObj>()->data.as<NativeObj>());
}

struct WarningMessageObj final : NativeObj {
  Object message, category, filename, lineno;
  const char* type_name() const override { return "WarningMessage"; }
  std::string repr(Interp&) override { return "<warnings.WarningMessage object at 0x...>"; }
  std::string str(Interp& ip) override {
    return fmt::format("{{message : {}, category : {}, filename : {}, lineno : {}, line : None}}", ip.repr(message),
                       str_repr(category.as<TypeObj>()->name), ip.repr(filename), ip.str(lineno));
  }
  Object getattr(Interp& ip, const Object&, std::string_view name) override {
    if (name == "message") return message;
    if (name == "category") return category;
    if (name == "filename") return filename;
    if (name == "lineno") return lineno;
    if (name == "file" || name == "line" || name == "source") return Object::none();
    if (name == "_category_name") return ip.str_obj(category.as<TypeObj>()->name);
    return {};
  }
};

// check_matched in _warnings.c: None matches all, a str only itself, a pattern what it matches.
bool matched(const Object& filter, const std::string& s) {
  if (filter.is_none()) return true;
  if (filter.is(Tag::Str)) return filter.as<StrObj>()->s == s;
  if (filter.is(Tag::Native) && std::string_view(filter.as<NativeObj>()->type_name()) == "re.Pattern")
    return static_cast<PatternObj*>(filter.as<NativeObj>())->match(s);
  return false;
}

// get_filter: the action of the first filter that matches and the filter, else `defaultaction` and None.
std::pair<std::string, Object> action_for(Interp& ip, const TypeObj* category, const std::string& text, std::string_view mod, std::uint32_t lineno) {
  ModuleObj& m = module(ip);
  Object filters = m.attrs["filters"];
  if (!filters.is(Tag::List)) ip.raise(ip.T.TypeError, "warnings.filters must be a list");
  for (const Object& item : std::vector<Object>(filters.as<ListObj>()->v)) {
    std::vector<Object> f = item.is(Tag::Tuple) ? item.as<ListObj>()->v : std::vector<Object>{};
    if (f.size() != 5) ip.raise(ip.T.ValueError, fmt::format("warnings.filters item {} isn't a 5-tuple", ip.repr(item)));
    const bool cat_ok = f[2].is(Tag::Type) && category->subclass_of(f[2].as<TypeObj>());
    const std::int64_t ln = f[4].is(Tag::Int) ? f[4].i() : 0;
    if (matched(f[1], text) && cat_ok && matched(f[3], std::string(mod)) && (ln == 0 || ln == lineno)) return {ip.str(f[0]), item};
  }
  return {ip.str(m.attrs["defaultaction"]), Object::none()};
}

Object make_message(Interp& ip, const Object& message, const Object& category, const std::string& filename, std::uint32_t lineno) {
  auto w = asyncio::make_ref<WarningMessageObj>();
  w->message = message;
  w->category = category;
  w->filename = ip.str_obj(filename);
  w->lineno = Object::integer(lineno);
  return Object(Tag::Native, w);
}

}  // namespace

void warn_explicit(Interp& ip, const Object& message, const Ref<TypeObj>& category, const std::string& filename,
                   std::uint32_t lineno, std::string_view mod, bool can_raise) {
  WarningsState& st = state(ip);
  const std::string text = ip.str(message);
  if (st.registry_version != st.version) {
    st.registry.clear();
    st.registry_version = st.version;
  }
  auto key = std::make_tuple(std::string(mod), text, category.get(), lineno);
  if (st.registry.contains(key)) return;
  const auto [action, item] = action_for(ip, category.get(), text, mod, lineno);
  if (action == "error" && can_raise) ip.raise_obj(Ref<ExcObj>(message.as<ExcObj>()));
  if (action == "ignore") return;
  // Every action but "always" records the warning's location in the registry.
  if (action != "always") {
    st.registry.insert(key);
    if (action == "once" && !st.once.emplace(text, category.get()).second) return;
    if (action == "module" && !st.registry.insert(std::make_tuple(std::string(mod), text, category.get(), 0)).second) return;
    if (action != "once" && action != "module" && action != "default" && action != "error")
      ip.raise(ip.T.RuntimeError, fmt::format("Unrecognized action ({}) in warnings.filters:\n {}", str_repr(action), ip.repr(item)));
  }
  if (!st.log.null()) {  // catch_warnings(record=True)
    st.log.as<ListObj>()->v.push_back(make_message(ip, message, Object(Tag::Type, category), filename, lineno));
    return;
  }
  ip.print_warning(category->name, text, filename, lineno);
}

namespace {

Ref<TypeObj> warning_category(Interp& ip, const Object& c) {
  if (!c.is(Tag::Type) || !c.as<TypeObj>()->subclass_of(ip.T.Warning.get()))
    ip.raise(ip.T.TypeError, fmt::format("category must be a Warning subclass, not '{}'", ip.type_of(c)->name));
  return Ref<TypeObj>(c.as<TypeObj>());
}

// warn(message, category=None, stacklevel=1, source=None)
Object b_warn(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object message = arg_or(a, 0, "message", {}), category = arg_or(a, 1, "category", Object::none());
  Object stacklevel = arg_or(a, 2, "stacklevel", Object::integer(1));
  arg_or(a, 3, "source", Object::none());
  if (message.null()) ip.raise(ip.T.TypeError, "warn() missing required argument 'message' (pos 1)");
  if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("warn() got an unexpected keyword argument '{}'", a.kw[0].first));
  if (ip.index_arg(stacklevel, nullptr) > 1) ip.refuse("warnings.warn with a stacklevel above 1");
  Ref<TypeObj> cat;
  if (message.is(Tag::Exc) && message.as<ExcObj>()->cls->subclass_of(ip.T.Warning.get())) {
    cat = message.as<ExcObj>()->cls;
  } else {
    cat = category.is_none() ? ip.T.UserWarning : warning_category(ip, category);
    message = ip.call1(Object(Tag::Type, cat), message);
  }
  warn_explicit(ip, message, cat, ip.mod.filename, ip.line, "__main__", true);
  return Object::none();
}

constexpr const char* kActions[] = {"error", "ignore", "always", "default", "module", "once"};

// _add_filter: a new filter goes first (replacing an equal one), or last unless already there.
void add_filter(Interp& ip, std::vector<Object> item, bool append) {
  auto& filters = module(ip).attrs["filters"].as<ListObj>()->v;
  Object t = ip.tuple_obj(std::move(item));
  auto same = [&](const Object& f) { return ip.eq(f, t); };
  if (!append) {
    if (auto it = std::find_if(filters.begin(), filters.end(), same); it != filters.end()) filters.erase(it);
    filters.insert(filters.begin(), t);
  } else if (std::find_if(filters.begin(), filters.end(), same) == filters.end()) {
    filters.push_back(t);
  }
  ++state(ip).version;
}

void check(Interp& ip, bool ok, std::string msg) {
  if (!ok) ip.raise(ip.T.AssertionError, std::move(msg));
}

Object checked_action(Interp& ip, const Object& action) {
  const bool ok = action.is(Tag::Str) && std::find(std::begin(kActions), std::end(kActions), action.as<StrObj>()->s) != std::end(kActions);
  check(ip, ok, fmt::format("invalid action: {}", ip.repr(action)));
  return action;
}

Object checked_lineno(Interp& ip, const Object& lineno) {
  check(ip, lineno.is(Tag::Int) && lineno.i() >= 0, "lineno must be an int >= 0");
  return lineno;
}

// simplefilter(action, category=Warning, lineno=0, append=False)
Object b_simplefilter(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object action = arg_or(a, 0, "action", {}), category = arg_or(a, 1, "category", Object(Tag::Type, ip.T.Warning));
  Object lineno = arg_or(a, 2, "lineno", Object::integer(0)), append = arg_or(a, 3, "append", Object::boolean(false));
  if (action.null()) ip.raise(ip.T.TypeError, "simplefilter() missing 1 required positional argument: 'action'");
  add_filter(ip, {checked_action(ip, action), Object::none(), category, Object::none(), checked_lineno(ip, lineno)}, ip.truthy(append));
  return Object::none();
}

// filterwarnings(action, message="", category=Warning, module="", lineno=0, append=False)
Object b_filterwarnings(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object action = arg_or(a, 0, "action", {}), message = arg_or(a, 1, "message", ip.str_obj(""));
  Object category = arg_or(a, 2, "category", Object(Tag::Type, ip.T.Warning)), mod = arg_or(a, 3, "module", ip.str_obj(""));
  Object lineno = arg_or(a, 4, "lineno", Object::integer(0)), append = arg_or(a, 5, "append", Object::boolean(false));
  if (action.null()) ip.raise(ip.T.TypeError, "filterwarnings() missing 1 required positional argument: 'action'");
  checked_action(ip, action);
  check(ip, message.is(Tag::Str), "message must be a string");
  check(ip, category.is(Tag::Type), "category must be a class");
  check(ip, category.as<TypeObj>()->subclass_of(ip.T.Warning.get()), "category must be a Warning subclass");
  check(ip, mod.is(Tag::Str), "module must be a string");
  checked_lineno(ip, lineno);
  auto pattern = [&](const Object& s, bool icase) -> Object {
    if (ip.str(s).empty()) return Object::none();
    try {
      return Object(Tag::Native, asyncio::make_ref<PatternObj>(ip.str(s), icase));
    } catch (const std::regex_error&) {
      ip.refuse(fmt::format("the regular expression {} (std::regex does not take it)", ip.repr(s)));
    }
  };
  add_filter(ip, {action, pattern(message, true), category, pattern(mod, false), lineno}, ip.truthy(append));
  return Object::none();
}

// formatwarning(message, category, filename, lineno, line=None) and showwarning(..., file=None, line=None).
std::string format_args(Interp& ip, CallArgs& a, const char* fname) {
  const bool show = std::string_view(fname) == "showwarning";
  Object message = arg_or(a, 0, "message", {}), category = arg_or(a, 1, "category", {});
  Object filename = arg_or(a, 2, "filename", {}), lineno = arg_or(a, 3, "lineno", {});
  Object file = show ? arg_or(a, 4, "file", Object::none()) : Object::none(), line = arg_or(a, show ? 5 : 4, "line", Object::none());
  if (lineno.null()) ip.raise(ip.T.TypeError, fmt::format("{}() missing required positional arguments", fname));
  if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("{}() got an unexpected keyword argument '{}'", fname, a.kw[0].first));
  if (!file.is_none()) ip.refuse("warnings.showwarning to a file");
  const std::string cat = ip.str(ip.getattr(category, "__name__")), text = ip.str(message), where = ip.str(filename);
  const auto n = static_cast<std::uint32_t>(ip.index_arg(lineno, nullptr));
  if (line.is_none()) return ip.format_warning(cat, text, where, n);
  // A given line is shown stripped, when it is not empty.
  std::string s = fmt::format("{}:{}: {}: {}\n", where, n, cat, text);
  if (ip.truthy(line)) s += "  " + ip.str(ip.call0(ip.getattr(line, "strip"))) + "\n";
  return s;
}

struct CatchWarningsObj final : NativeObj {
  bool record = false, entered = false;
  Object action, category, lineno, append;
  Object saved_filters, saved_log;
  const char* type_name() const override { return "catch_warnings"; }
  std::string repr(Interp&) override { return record ? "catch_warnings(record=True)" : "catch_warnings()"; }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

Object CatchWarningsObj::getattr(Interp& ip, const Object& self, std::string_view name) {
  if (name == "__enter__")
    return ip.builtin("__enter__", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, "__enter__", a, 0, 0);
      auto* c = static_cast<CatchWarningsObj*>(b.self.as<NativeObj>());
      if (c->entered) ip.raise(ip.T.RuntimeError, fmt::format("Cannot enter {} twice", c->repr(ip)));
      c->entered = true;
      ModuleObj& m = module(ip);
      WarningsState& st = state(ip);
      c->saved_filters = m.attrs["filters"];
      c->saved_log = st.log;
      m.attrs["filters"] = ip.list_obj(c->saved_filters.as<ListObj>()->v);
      ++st.version;
      Object log = Object::none();
      if (c->record) st.log = log = ip.list_obj();
      if (!c->action.is_none()) add_filter(ip, {checked_action(ip, c->action), Object::none(), c->category, Object::none(), checked_lineno(ip, c->lineno)}, ip.truthy(c->append));
      return log;
    }, self);
  if (name == "__exit__")
    return ip.builtin("__exit__", [](Interp& ip, BuiltinObj& b, CallArgs&) {
      auto* c = static_cast<CatchWarningsObj*>(b.self.as<NativeObj>());
      if (!c->entered) ip.raise(ip.T.RuntimeError, fmt::format("Cannot exit {} without entering first", c->repr(ip)));
      module(ip).attrs["filters"] = c->saved_filters;
      WarningsState& st = state(ip);
      st.log = c->saved_log;
      ++st.version;
      return Object::none();
    }, self);
  return {};
}

// catch_warnings(*, record=False, module=None, action=None, category=Warning, lineno=0, append=False)
Object make_catch_warnings(Interp& ip, BuiltinObj&, CallArgs& a) {
  if (!a.pos.empty()) ip.raise(ip.T.TypeError, fmt::format("catch_warnings.__init__() takes 1 positional argument but {} were given", a.pos.size() + 1));
  auto c = asyncio::make_ref<CatchWarningsObj>();
  auto kw = [&](std::string_view n, Object d) {
    Object v = a.take_kw(n);
    return v.null() ? d : v;
  };
  c->record = ip.truthy(kw("record", Object::boolean(false)));
  if (!kw("module", Object::none()).is_none()) ip.refuse("catch_warnings(module=...)");
  c->action = kw("action", Object::none());
  c->category = kw("category", Object(Tag::Type, ip.T.Warning));
  c->lineno = kw("lineno", Object::integer(0));
  c->append = kw("append", Object::boolean(false));
  if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("catch_warnings.__init__() got an unexpected keyword argument '{}'", a.kw[0].first));
  return Object(Tag::Native, c);
}

}  // namespace

Object module_warnings(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("warnings");
  auto& A = m->attrs;
  // _warnings.c init_filters: the filters of a release build.
  auto builtin_type = [&](const char* n) { return ip.builtins[n]; };
  auto none = Object::none();
  A["filters"] = ip.list_obj({
      ip.tuple_obj({ip.str_obj("default"), none, Object(Tag::Type, ip.T.DeprecationWarning), ip.str_obj("__main__"), Object::integer(0)}),
      ip.tuple_obj({ip.str_obj("ignore"), none, Object(Tag::Type, ip.T.DeprecationWarning), none, Object::integer(0)}),
      ip.tuple_obj({ip.str_obj("ignore"), none, builtin_type("PendingDeprecationWarning"), none, Object::integer(0)}),
      ip.tuple_obj({ip.str_obj("ignore"), none, builtin_type("ImportWarning"), none, Object::integer(0)}),
      ip.tuple_obj({ip.str_obj("ignore"), none, builtin_type("ResourceWarning"), none, Object::integer(0)}),
  });
  A["defaultaction"] = ip.str_obj("default");
  A["_filters_mutated"] = ip.builtin("_filters_mutated", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
    check_args(ip, "_filters_mutated", a, 0, 0);
    ++static_cast<WarningsState*>(b.data.as<NativeObj>())->version;
    return Object::none();
  }, {}, Object(Tag::Native, asyncio::make_ref<WarningsState>()));
  A["warn"] = ip.builtin("warn", b_warn);
  A["simplefilter"] = ip.builtin("simplefilter", b_simplefilter);
  A["filterwarnings"] = ip.builtin("filterwarnings", b_filterwarnings);
  A["resetwarnings"] = ip.builtin("resetwarnings", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "resetwarnings", a, 0, 0);
    module(ip).attrs["filters"].as<ListObj>()->v.clear();
    ++state(ip).version;
    return Object::none();
  });
  A["formatwarning"] = ip.builtin("formatwarning", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    return ip.str_obj(format_args(ip, a, "formatwarning"));
  });
  A["showwarning"] = ip.builtin("showwarning", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    ip.write_err(format_args(ip, a, "showwarning"));
    return Object::none();
  });
  m->add_class(ip, "catch_warnings", make_catch_warnings);
  m->add_class(ip, "WarningMessage", [](Interp& ip, BuiltinObj&, CallArgs&) -> Object { ip.refuse("constructing warnings.WarningMessage"); });
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp

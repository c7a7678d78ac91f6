// The `logging` module (Lib/logging/__init__.py) as programs use it to report progress: loggers in
// their dotted hierarchy, levels, basicConfig, StreamHandler/NullHandler, Formatter with '%' and '{'
// formats, and logging.lastResort for records no handler takes. Records carry CPython's attributes,
// times on the program's clock, and exc_info/exception()'s traceback after the message. Not provided
// (refused where used): stack_info, %(funcName)s, filters, file handlers, Handler and Formatter subclasses.
#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <ctime>
#include <map>

#include "../interp.hpp"

namespace aiospec::interp {

namespace {

constexpr int kNotSet = 0, kDebug = 10, kInfo = 20, kWarning = 30, kError = 40, kCritical = 50;

struct FormatterObj final : NativeObj {
  std::string fmt = "%(message)s";
  Object datefmt = Object::none();
  char style = '%';
  const char* type_name() const override { return "Formatter"; }
  std::string repr(Interp&) override { return "<logging.Formatter object at 0x...>"; }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

struct HandlerObj final : NativeObj {
  explicit HandlerObj(Object s) : stream(std::move(s)) {}
  Object stream;  // Null: a NullHandler
  int level = kNotSet;
  Object formatter = Object::none();
  const char* type_name() const override { return stream.null() ? "NullHandler" : "StreamHandler"; }
  std::string repr(Interp& ip) override;
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

struct LoggingState;

struct LoggerObj final : NativeObj {
  LoggerObj(LoggingState& s, std::string n) : state(s), name(std::move(n)) {}
  LoggingState& state;
  std::string name;
  int level = kNotSet;
  LoggerObj* parent = nullptr;  // the manager keeps every logger alive
  bool propagate = true, disabled = false;
  std::vector<Object> handlers;
  bool is_root() const { return !parent && name == "root"; }
  const char* type_name() const override { return is_root() ? "RootLogger" : "Logger"; }
  std::string repr(Interp& ip) override;
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
  int effective_level() const {
    for (const LoggerObj* l = this; l; l = l->parent)
      if (l->level) return l->level;
    return kNotSet;
  }
};

// The level names (logging._levelToName; addLevelName adds to them).
std::map<int, std::string>& level_names() {
  thread_local std::map<int, std::string> names;
  return names;
}

// logging.Manager and the module's globals: the loggers by name, logging.disable. The module's
// functions find it as their `data`; the module keeps it.
struct LoggingState final : NativeObj {
  std::map<std::string, Object, std::less<>> loggers;
  Object root;
  int disabled_below = kNotSet;  // logging.disable(level): records at or below it are dropped
  double start_time = 0;         // logging._startTime
  LoggerObj& root_logger() { return *static_cast<LoggerObj*>(root.as<NativeObj>()); }
  const char* type_name() const override { return "Manager"; }
  Object getattr(Interp&, const Object&, std::string_view) override { return {}; }
};

LoggingState& state_of(BuiltinObj& b) { return *static_cast<LoggingState*>(b.data.as<NativeObj>()); }

std::string level_name(int level) {
  auto it = level_names().find(level);
  return it != level_names().end() ? it->second : fmt::format("Level {}", level);
}

// _checkLevel: an int, or a registered level name.
int check_level(Interp& ip, const Object& v) {
  if (v.is(Tag::Int) || v.is(Tag::Bool)) return static_cast<int>(v.i());
  if (v.is(Tag::Str)) {
    for (auto& [n, name] : level_names())
      if (name == v.as<StrObj>()->s) return n;
    ip.raise(ip.T.ValueError, fmt::format("Unknown level: {}", ip.repr(v)));
  }
  ip.raise(ip.T.TypeError, fmt::format("Level not an integer or a valid string: {}", ip.repr(v)));
}

std::string HandlerObj::repr(Interp& ip) {
  // StreamHandler.__repr__: the stream's name, if it has one.
  if (stream.null()) return fmt::format("<NullHandler ({})>", level_name(level));
  Object n = ip.getattr_opt(stream, "name");
  return fmt::format("<StreamHandler {}({})>", n.null() ? std::string() : ip.str(n) + " ", level_name(level));
}

std::string LoggerObj::repr(Interp&) {
  return fmt::format("<{} {} ({})>", type_name(), name, level_name(effective_level()));
}

// The LogRecord of one call, as the dict Formatter formats with (LogRecord.__init__, getMessage).
Object make_record(Interp& ip, LoggerObj& l, int level, const Object& msg, const Object& args) {
  Object d = ip.dict_obj();
  auto put = [&](const char* k, Object v) {
    Object key = ip.str_obj(k);
    d.as<DictObj>()->set(key, ip.hash(key), std::move(v));
  };
  const std::string& path = ip.mod.filename;
  const std::string file = path.substr(path.rfind('/') + 1);
  const double created = 1.7e9 + ip.now();
  put("name", ip.str_obj(l.name));
  put("msg", msg);
  put("args", args);
  put("levelname", ip.str_obj(level_name(level)));
  put("levelno", Object::integer(level));
  put("pathname", ip.str_obj(path));
  put("filename", ip.str_obj(file));
  put("module", ip.str_obj(file.ends_with(".py") ? file.substr(0, file.size() - 3) : file));
  put("exc_info", Object::none());
  put("exc_text", Object::none());
  put("stack_info", Object::none());
  put("lineno", Object::integer(ip.line));
  put("created", Object::real(created));
  put("msecs", Object::real(std::floor((created - std::floor(created)) * 1000)));
  put("relativeCreated", Object::real((created - l.state.start_time) * 1000));
  put("thread", Object::integer(static_cast<std::int64_t>(::getpid())));
  put("threadName", ip.str_obj("MainThread"));
  put("processName", ip.str_obj("MainProcess"));
  put("process", Object::integer(::getpid()));
  // getMessage: str(msg) % args when there are args.
  std::string text = ip.str(msg);
  const bool has_args = args.is(Tag::Dict) || (args.is(Tag::Tuple) && !args.as<ListObj>()->v.empty());
  if (has_args) {
    try {
      text = percent_format(ip, text, args);
    } catch (const asyncio::Exception&) {
      // Handler.handleError prints "--- Logging error ---" and a traceback there.
      ip.refuse("a logging call whose message does not format");
    }
  }
  put("message", ip.str_obj(std::move(text)));
  return d;
}

std::string format_message(Interp& ip, const Object& formatter, const Object& record);

// Formatter.formatException: the record's exc_info as print_exception prints it, without the last
// newline; None when the record has none.
std::string format_exc_info(Interp& ip, const Object& record) {
  Object e = ip.getitem(record, ip.str_obj("exc_info"));
  if (e.is_none()) return {};
  std::string text = e.is(Tag::Exc) ? join(ip.format_exception(*e.as<ExcObj>())) : "NoneType: None\n";
  text.pop_back();
  return text;
}

std::string format_record(Interp& ip, const Object& formatter, const Object& record) {
  // Formatter.format: the traceback after the message, on a line of its own.
  std::string out = format_message(ip, formatter, record), exc = format_exc_info(ip, record);
  if (exc.empty()) return out;
  if (!out.ends_with('\n')) out += "\n";
  return out + exc;
}

std::string format_message(Interp& ip, const Object& formatter, const Object& record) {
  FormatterObj dflt;
  FormatterObj& f = formatter.is_none() ? dflt : *static_cast<FormatterObj*>(formatter.as<NativeObj>());
  if (f.fmt.find("funcName") != std::string::npos) ip.refuse("logging's %(funcName)s");
  if (f.fmt.find("asctime") != std::string::npos) {
    // Formatter.formatTime: time.localtime(created), "%Y-%m-%d %H:%M:%S" and ",msecs" unless datefmt.
    const double created = ip.getitem(record, ip.str_obj("created")).f();
    const std::time_t secs = static_cast<std::time_t>(created);
    std::tm tm{};
    ::localtime_r(&secs, &tm);
    char buf[256];
    const std::string datefmt = f.datefmt.is_none() ? "%Y-%m-%d %H:%M:%S" : ip.str(f.datefmt);
    std::string t(buf, std::strftime(buf, sizeof buf, datefmt.c_str(), &tm));
    if (f.datefmt.is_none()) t += fmt::format(",{:03d}", static_cast<int>(ip.getitem(record, ip.str_obj("msecs")).f()));
    Object key = ip.str_obj("asctime");
    record.as<DictObj>()->set(key, ip.hash(key), ip.str_obj(std::move(t)));
  }
  if (f.style == '%') return percent_format(ip, f.fmt, record);
  // '{': str.format(**record.__dict__)
  CallArgs a;
  for (auto& e : record.as<DictObj>()->entries)
    if (!e.key.null()) a.kw.emplace_back(e.key.as<StrObj>()->s, e.value);  // the record keeps the names
  return ip.str(ip.call(ip.getattr(ip.str_obj(f.fmt), "format"), a));
}

// A logging call's exc_info=: an exception, a (type, value, tb) tuple, or true for the exception
// being handled (sys.exc_info(); (None, None, None) when none is, which prints "NoneType: None").
Object record_exc_info(Interp& ip, const Object& v) {
  if (v.is(Tag::Exc)) return v;
  if (v.is(Tag::Tuple) && v.as<ListObj>()->v.size() == 3) return v.as<ListObj>()->v[1].is(Tag::Exc) ? v.as<ListObj>()->v[1] : v;
  if (!ip.truthy(v)) return Object::none();
  std::exception_ptr ep = ip.handled();
  return ep ? ip.exc_object(ep) : ip.tuple_obj({Object::none(), Object::none(), Object::none()});
}

Object sys_stderr(Interp& ip) { return ip.getattr(ip.import_module("sys"), "stderr"); }

void emit(Interp& ip, HandlerObj& h, const Object& record) {
  if (h.stream.null()) return;
  const std::string text = format_record(ip, h.formatter, record) + "\n";
  ip.call1(ip.getattr(h.stream, "write"), ip.str_obj(text));
  if (Object flush = ip.getattr_opt(h.stream, "flush"); !flush.null()) ip.call0(flush);
}

// Logger._log → handle → callHandlers: every handler up the hierarchy until one that does not
// propagate; logging.lastResort (WARNING, '%(message)s' to sys.stderr) when there was none.
void log(Interp& ip, LoggerObj& l, int level, CallArgs& a, const char* method) {
  if (a.pos.empty()) ip.raise(ip.T.TypeError, fmt::format("Logger.{}() missing 1 required positional argument: 'msg'", method));
  Object exc_info = Object::none();
  for (auto& [k, v] : a.kw) {
    if (k == "exc_info") {
      exc_info = record_exc_info(ip, v);
    } else if (k == "stack_info") {
      if (ip.truthy(v)) ip.refuse(fmt::format("logging with {}=", k));
    } else if (k != "stacklevel" && k != "extra") {
      ip.raise(ip.T.TypeError, fmt::format("Logger._log() got an unexpected keyword argument '{}'", k));
    } else if (k == "extra" && !v.is_none()) {
      ip.refuse("logging with extra=");
    }
  }
  if (l.state.disabled_below >= level || level < l.effective_level() || l.disabled) return;
  std::vector<Object> rest(a.pos.begin() + 1, a.pos.end());
  // LogRecord: a single mapping argument is the mapping.
  Object args = rest.size() == 1 && rest[0].is(Tag::Dict) ? rest[0] : ip.tuple_obj(std::move(rest));
  Object record = make_record(ip, l, level, a.pos[0], args);
  Object key = ip.str_obj("exc_info");
  record.as<DictObj>()->set(key, ip.hash(key), exc_info);
  bool found = false;
  for (LoggerObj* c = &l; c; c = c->propagate ? c->parent : nullptr) {
    for (const Object& h : std::vector<Object>(c->handlers)) {
      found = true;
      auto& handler = *static_cast<HandlerObj*>(h.as<NativeObj>());
      if (level >= handler.level) emit(ip, handler, record);
    }
  }
  if (!found && level >= kWarning) {
    HandlerObj last_resort(sys_stderr(ip));
    emit(ip, last_resort, record);
  }
}

struct Method {
  const char* name;
  int level;  // -1: log(level, msg, ...)
};
constexpr Method kLogMethods[] = {{"debug", kDebug},     {"info", kInfo},         {"warning", kWarning},
                                  {"warn", kWarning},    {"error", kError},       {"exception", kError},
                                  {"critical", kCritical}, {"fatal", kCritical},  {"log", -1}};

// A logging call on `l` by method `m` (Logger.debug ... Logger.log).
void log_call(Interp& ip, LoggerObj& l, const Method& m, CallArgs& a) {
  if (std::string_view(m.name) == "warn")
    ip.warn("DeprecationWarning", "The 'warn' method is deprecated, use 'warning' instead");
  // Logger.exception is error(..., exc_info=True).
  if (std::string_view(m.name) == "exception" && std::none_of(a.kw.begin(), a.kw.end(), [](auto& kw) { return kw.first == "exc_info"; }))
    a.kw.emplace_back("exc_info", Object::boolean(true));
  int level = m.level;
  if (level < 0) {
    if (a.pos.empty()) ip.raise(ip.T.TypeError, "Logger.log() missing 2 required positional arguments: 'level' and 'msg'");
    if (!a.pos[0].is(Tag::Int) && !a.pos[0].is(Tag::Bool)) ip.raise(ip.T.TypeError, "level must be an integer");
    level = static_cast<int>(a.pos[0].i());
    a.pos.erase(a.pos.begin());
  }
  log(ip, l, level, a, m.name);
}

LoggerObj& logger_of(BuiltinObj& b) { return *static_cast<LoggerObj*>(b.self.as<NativeObj>()); }

Object get_logger(Interp& ip, LoggingState& s, const Object& name);

Object LoggerObj::getattr(Interp& ip, const Object& self, std::string_view n) {
  if (n == "name") return ip.str_obj(name);
  if (n == "level") return Object::integer(level);
  if (n == "parent") return !parent ? Object::none() : parent->is_root() ? state.root : state.loggers.find(parent->name)->second;
  if (n == "propagate") return Object::boolean(propagate);
  if (n == "disabled") return Object::boolean(disabled);
  if (n == "handlers") return ip.list_obj(handlers);
  for (const Method& m : kLogMethods)
    if (n == m.name)
      return ip.builtin(m.name, [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
        for (const Method& m : kLogMethods)
          if (b.name == std::string_view(m.name)) log_call(ip, logger_of(b), m, a);
        return Object::none();
      }, self);
#define M(NAME, MIN, MAX, ...)                                                   \
  if (n == NAME)                                                                \
    return ip.builtin(NAME, [](Interp & ip, BuiltinObj & b, CallArgs & a) -> Object { \
      check_args(ip, NAME, a, MIN, MAX);                                        \
      LoggerObj& l = logger_of(b);                                              \
      __VA_ARGS__                                                               \
    }, self);
  M("setLevel", 1, 1, {
    l.level = check_level(ip, a.pos[0]);
    return Object::none();
  })
  M("getEffectiveLevel", 0, 0, { return Object::integer(l.effective_level()); })
  M("isEnabledFor", 1, 1, {
    const int level = static_cast<int>(ip.index_arg(a.pos[0], nullptr));
    return Object::boolean(!l.disabled && l.state.disabled_below < level && level >= l.effective_level());
  })
  M("addHandler", 1, 1, {
    if (!a.pos[0].is(Tag::Native) || !dynamic_cast<HandlerObj*>(a.pos[0].as<NativeObj>())) ip.refuse("a logging handler other than StreamHandler and NullHandler");
    for (const Object& h : l.handlers)
      if (h.same(a.pos[0])) return Object::none();
    l.handlers.push_back(a.pos[0]);
    return Object::none();
  })
  M("removeHandler", 1, 1, {
    std::erase_if(l.handlers, [&](const Object& h) { return h.same(a.pos[0]); });
    return Object::none();
  })
  M("hasHandlers", 0, 0, {
    for (const LoggerObj* c = &l; c; c = c->propagate ? c->parent : nullptr)
      if (!c->handlers.empty()) return Object::boolean(true);
    return Object::boolean(false);
  })
  M("getChild", 1, 1, {
    const std::string suffix = ip.str(a.pos[0]);
    return get_logger(ip, l.state, ip.str_obj(l.is_root() ? suffix : l.name + "." + suffix));
  })
#undef M
  if (n == "__setattr__")
    return ip.builtin("__setattr__", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      check_args(ip, "__setattr__", a, 2, 2);
      LoggerObj& l = logger_of(b);
      const std::string k = ip.str(a.pos[0]);
      if (k == "propagate") l.propagate = ip.truthy(a.pos[1]);
      else if (k == "disabled") l.disabled = ip.truthy(a.pos[1]);
      else if (k == "level") l.level = check_level(ip, a.pos[1]);
      else ip.refuse(fmt::format("setting Logger.{}", k));
      return Object::none();
    }, self);
  return {};
}

Object HandlerObj::getattr(Interp& ip, const Object& self, std::string_view n) {
  if (n == "level") return Object::integer(level);
  if (n == "formatter") return formatter;
  if (n == "stream" && !stream.null()) return stream;
#define M(NAME, MIN, MAX, ...)                                                   \
  if (n == NAME)                                                                \
    return ip.builtin(NAME, [](Interp & ip, BuiltinObj & b, CallArgs & a) -> Object { \
      check_args(ip, NAME, a, MIN, MAX);                                        \
      auto& h = *static_cast<HandlerObj*>(b.self.as<NativeObj>());              \
      (void)h;                                                                  \
      __VA_ARGS__                                                               \
    }, self);
  M("setLevel", 1, 1, {
    h.level = check_level(ip, a.pos[0]);
    return Object::none();
  })
  M("setFormatter", 1, 1, {
    if (!a.pos[0].is_none() && (!a.pos[0].is(Tag::Native) || !dynamic_cast<FormatterObj*>(a.pos[0].as<NativeObj>())))
      ip.refuse("a logging formatter other than logging.Formatter");
    h.formatter = a.pos[0];
    return Object::none();
  })
  M("flush", 0, 0, { return Object::none(); })
  M("close", 0, 0, { return Object::none(); })
#undef M
  return {};
}

Object FormatterObj::getattr(Interp& ip, const Object&, std::string_view n) {
  if (n == "datefmt") return datefmt;
  if (n == "_fmt") return ip.str_obj(fmt);
  return {};
}

Object make_formatter(Interp& ip, const Object& fmt_arg, const Object& datefmt, const Object& style) {
  auto f = asyncio::make_ref<FormatterObj>();
  if (!style.null() && !style.is_none()) {
    const std::string s = ip.str(style);
    if (s != "%" && s != "{" && s != "$") ip.raise(ip.T.ValueError, "Style must be one of: %,{,$");
    if (s == "$") ip.refuse("logging's '$' format style");
    f->style = s[0];
  }
  if (!fmt_arg.null() && !fmt_arg.is_none()) f->fmt = ip.str(fmt_arg);
  else if (f->style == '{') f->fmt = "{message}";
  if (!datefmt.null()) f->datefmt = datefmt;
  return Object(Tag::Native, f);
}

Object get_logger(Interp& ip, LoggingState& s, const Object& name) {
  if (name.null() || name.is_none() || (name.is(Tag::Str) && (name.as<StrObj>()->s.empty() || name.as<StrObj>()->s == "root")))
    return s.root;
  if (!name.is(Tag::Str)) ip.raise(ip.T.TypeError, "A logger name must be a string");
  const std::string& n = name.as<StrObj>()->s;
  if (auto it = s.loggers.find(n); it != s.loggers.end()) return it->second;
  auto l = asyncio::make_ref<LoggerObj>(s, n);
  // Manager._fixupParents / _fixupChildren: the nearest existing ancestor is the parent, and the new
  // logger comes between it and any existing descendants.
  l->parent = &s.root_logger();
  for (std::size_t dot = n.rfind('.'); dot != std::string::npos && dot > 0; dot = n.rfind('.', dot - 1)) {
    if (auto it = s.loggers.find(n.substr(0, dot)); it != s.loggers.end()) {
      l->parent = static_cast<LoggerObj*>(it->second.as<NativeObj>());
      break;
    }
  }
  for (auto& [other, obj] : s.loggers) {
    auto* c = static_cast<LoggerObj*>(obj.as<NativeObj>());
    if (other.starts_with(n + ".") && (c->parent == l->parent || !c->parent->name.starts_with(n + "."))) c->parent = l.get();
  }
  Object o(Tag::Native, l);
  s.loggers.emplace(n, o);
  return o;
}

// basicConfig: a StreamHandler (on `stream`, else sys.stderr) with the format on the root logger,
// unless it has handlers already (and force is not given).
void basic_config(Interp& ip, LoggingState& s, CallArgs& a) {
  if (!a.pos.empty()) ip.raise(ip.T.TypeError, fmt::format("basicConfig() takes 0 positional arguments but {} were given", a.pos.size()));
  Object level, format, datefmt, style, stream, handlers, force;
  std::vector<std::string> unknown;
  for (auto& [k, v] : a.kw) {
    if (k == "level") level = v;
    else if (k == "format") format = v;
    else if (k == "datefmt") datefmt = v;
    else if (k == "style") style = v;
    else if (k == "stream") stream = v;
    else if (k == "handlers") handlers = v;
    else if (k == "force") force = v;
    else if (k == "filename" || k == "filemode" || k == "encoding" || k == "errors") ip.refuse(fmt::format("logging.basicConfig({}=...)", k));
    else unknown.emplace_back(k);
  }
  LoggerObj& root = s.root_logger();
  if (!force.null() && ip.truthy(force)) root.handlers.clear();
  if (!root.handlers.empty()) return;
  if (!handlers.null() && !handlers.is_none()) ip.refuse("logging.basicConfig(handlers=...)");
  if (!unknown.empty()) {
    std::string names;
    for (auto& u : unknown) names += (names.empty() ? "" : ", ") + u;
    ip.raise(ip.T.ValueError, "Unrecognised argument(s): " + names);
  }
  if (format.null()) format = ip.str_obj(!style.null() && ip.str(style) == "{" ? "{levelname}:{name}:{message}" : "%(levelname)s:%(name)s:%(message)s");
  auto h = asyncio::make_ref<HandlerObj>(stream.null() || stream.is_none() ? sys_stderr(ip) : stream);
  h->formatter = make_formatter(ip, format, datefmt, style);
  root.handlers.push_back(Object(Tag::Native, h));
  if (!level.null()) root.level = check_level(ip, level);
}

}  // namespace

Object module_logging(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("logging");
  auto& A = m->attrs;
  level_names() = {{kCritical, "CRITICAL"}, {kError, "ERROR"}, {kWarning, "WARNING"},
                   {kInfo, "INFO"}, {kDebug, "DEBUG"}, {kNotSet, "NOTSET"}};
  auto st = asyncio::make_ref<LoggingState>();
  st->start_time = 1.7e9 + ip.now();
  auto root = asyncio::make_ref<LoggerObj>(*st, "root");
  root->level = kWarning;
  st->root = Object(Tag::Native, root);
  Object data(Tag::Native, st);
  A["_manager"] = data;
  A["root"] = st->root;
  for (auto [n, v] : {std::pair{"CRITICAL", kCritical}, {"FATAL", kCritical}, {"ERROR", kError}, {"WARNING", kWarning},
                      {"WARN", kWarning}, {"INFO", kInfo}, {"DEBUG", kDebug}, {"NOTSET", kNotSet}})
    A[n] = Object::integer(v);
  A["BASIC_FORMAT"] = ip.str_obj("%(levelname)s:%(name)s:%(message)s");
  auto fn = [&](const char* name, BuiltinObj::Fn f) { A[name] = ip.builtin(name, f, {}, data); };
  fn("getLogger", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
    check_args(ip, "getLogger", a, 0, 1);
    LoggingState& s = state_of(b);
    return get_logger(ip, s, a.pos.empty() ? Object::none() : a.pos[0]);
  });
  fn("basicConfig", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
    basic_config(ip, state_of(b), a);
    return Object::none();
  });
  for (const Method& meth : kLogMethods)
    A[meth.name] = ip.builtin(meth.name, [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      LoggingState& s = state_of(b);
      // The module-level functions configure the root logger first if it has no handlers.
      if (s.root_logger().handlers.empty()) {
        CallArgs none;
        basic_config(ip, s, none);
      }
      for (const Method& m : kLogMethods)
        if (b.name == std::string_view(m.name)) log_call(ip, s.root_logger(), m, a);
      return Object::none();
    }, {}, data);
  fn("disable", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
    check_args(ip, "disable", a, 0, 1);
    LoggingState& s = state_of(b);
    s.disabled_below = a.pos.empty() ? kCritical : check_level(ip, a.pos[0]);
    return Object::none();
  });
  fn("getLevelName", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "getLevelName", a, 1, 1);
    if (a.pos[0].is(Tag::Int)) return ip.str_obj(level_name(static_cast<int>(a.pos[0].i())));
    for (auto& [n, name] : level_names())
      if (a.pos[0].is(Tag::Str) && name == a.pos[0].as<StrObj>()->s) return Object::integer(n);
    return ip.str_obj("Level " + ip.str(a.pos[0]));
  });
  fn("addLevelName", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "addLevelName", a, 2, 2);
    level_names()[static_cast<int>(ip.index_arg(a.pos[0], nullptr))] = ip.str(a.pos[1]);
    return Object::none();
  });
  Ref<TypeObj> handler = ip.native_type("Handler", nullptr, "logging");
  A["Handler"] = Object(Tag::Type, handler);
  m->add_class(ip, "StreamHandler", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "StreamHandler", a, 0, 1);
    return make<HandlerObj>(Tag::Native, a.pos.empty() || a.pos[0].is_none() ? sys_stderr(ip) : a.pos[0]);
  }, handler);
  m->add_class(ip, "NullHandler", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "NullHandler", a, 0, 0);
    return make<HandlerObj>(Tag::Native, Object());
  }, handler);
  m->add_class(ip, "Formatter", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    Object f = arg_or(a, 0, "fmt", Object()), d = arg_or(a, 1, "datefmt", Object::none()), s = arg_or(a, 2, "style", Object());
    return make_formatter(ip, f, d, s);
  });
  ip.native_type("Logger", nullptr, "logging");
  ip.native_type("RootLogger", ip.native_type("Logger"), "logging");
  A["Logger"] = Object(Tag::Type, ip.native_type("Logger"));
  A["RootLogger"] = Object(Tag::Type, ip.native_type("RootLogger"));
  Object last_resort = make<HandlerObj>(Tag::Native, sys_stderr(ip));
  static_cast<HandlerObj*>(last_resort.as<NativeObj>())->level = kWarning;
  A["lastResort"] = last_resort;
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp

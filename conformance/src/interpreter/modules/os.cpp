// The `os` module (Lib/os.py, Modules/posixmodule.c) and `os.path` (Lib/posixpath.py) as asyncio
// programs use them: the process's ids and environment, the path functions, and queries of the real
// filesystem, read-only. os.environ is a dict copied from the real environment at the first import
// (os.getenv reads it; CPython's is an os._Environ that also calls putenv). os.urandom is
// deterministic: bytes of a SplitMix64 stream seeded with 0, as the program's clock is virtual.
#include <fmt/format.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "../interp.hpp"

extern char** environ;

namespace aiospec::interp {

namespace {

std::string path_arg(Interp& ip, const Object& v, const char* fn) {
  if (!v.is(Tag::Str))
    ip.raise(ip.T.TypeError, fmt::format("{}: path should be string, bytes or os.PathLike, not {}", fn, ip.type_of(v)->name));
  return v.as<StrObj>()->s;
}

std::string one_path(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, b.name, a, 1, 1);
  return path_arg(ip, a.pos[0], b.name);
}

std::string cwd() {
  char buf[PATH_MAX];
  return getcwd(buf, sizeof buf) ? buf : "";
}

// posixpath.split: the head without its trailing slashes (unless it is all slashes), and the tail.
std::pair<std::string, std::string> split(const std::string& p) {
  const std::size_t i = p.rfind('/') + 1;
  std::string head = p.substr(0, i), tail = p.substr(i);
  if (!head.empty() && head.find_first_not_of('/') != std::string::npos) head.erase(head.find_last_not_of('/') + 1);
  return {head, tail};
}

// posixpath.normpath (Python/fileutils.c _Py_normpath in 3.11, same result as the Python version).
std::string normpath(const std::string& p) {
  if (p.empty()) return ".";
  std::size_t slashes = p[0] == '/' ? 1 : 0;
  if (p.starts_with("//") && !p.starts_with("///")) slashes = 2;
  std::vector<std::string> comps;
  std::size_t start = 0;
  while (start <= p.size()) {
    std::size_t end = p.find('/', start);
    if (end == std::string::npos) end = p.size();
    std::string c = p.substr(start, end - start);
    start = end + 1;
    if (c.empty() || c == ".") continue;
    if (c != ".." || (!slashes && comps.empty()) || (!comps.empty() && comps.back() == ".."))
      comps.push_back(c);
    else if (!comps.empty())
      comps.pop_back();
  }
  std::string out(slashes, '/');
  for (std::size_t i = 0; i < comps.size(); ++i) out += (i ? "/" : "") + comps[i];
  return out.empty() ? "." : out;
}

std::string abspath(const std::string& p) { return normpath(p.starts_with('/') ? p : (cwd() == "/" ? "/" : cwd() + "/") + p); }

Object pair(Interp& ip, std::string a, std::string b) { return ip.tuple_obj({ip.str_obj(std::move(a)), ip.str_obj(std::move(b))}); }

Object b_join(Interp& ip, BuiltinObj&, CallArgs& a) {
  if (!a.kw.empty()) ip.raise(ip.T.TypeError, "join() takes no keyword arguments");
  if (a.pos.empty()) ip.raise(ip.T.TypeError, "join() missing 1 required positional argument: 'a'");
  std::string path = path_arg(ip, a.pos[0], "join");
  for (std::size_t i = 1; i < a.pos.size(); ++i) {
    if (!a.pos[i].is(Tag::Str))
      ip.raise(ip.T.TypeError, fmt::format("join() argument must be str, bytes, or os.PathLike object, not '{}'", ip.type_of(a.pos[i])->name));
    const std::string& b = a.pos[i].as<StrObj>()->s;
    if (b.starts_with('/')) path = b;
    else if (path.empty() || path.ends_with('/')) path += b;
    else path += "/" + b;
  }
  return ip.str_obj(std::move(path));
}

Object b_splitext(Interp& ip, BuiltinObj& b, CallArgs& a) {
  // genericpath._splitext: the last dot after the last slash, unless the name is only leading dots.
  const std::string p = one_path(ip, b, a);
  const std::size_t sep = p.rfind('/'), dot = p.rfind('.');
  const std::size_t name = sep == std::string::npos ? 0 : sep + 1;
  if (dot != std::string::npos && (sep == std::string::npos || dot > sep) && p.find_first_not_of('.', name) < dot)
    return pair(ip, p.substr(0, dot), p.substr(dot));
  return pair(ip, p, "");
}

bool stat_is(const std::string& p, mode_t type) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && (type == 0 || (st.st_mode & S_IFMT) == type);
}

Object make_posixpath(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("posixpath");
  auto& A = m->attrs;
  A["sep"] = ip.str_obj("/");
  A["join"] = ip.builtin("join", b_join);
  A["splitext"] = ip.builtin("splitext", b_splitext);
  using Fn = Object (*)(Interp&, BuiltinObj&, CallArgs&);
  auto fn = [&](const char* name, Fn f) { A[name] = ip.builtin(name, f); };
  fn("split", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
    auto [h, t] = split(one_path(ip, b, a));
    return pair(ip, h, t);
  });
  fn("basename", [](Interp& ip, BuiltinObj& b, CallArgs& a) { return ip.str_obj(split(one_path(ip, b, a)).second); });
  fn("dirname", [](Interp& ip, BuiltinObj& b, CallArgs& a) { return ip.str_obj(split(one_path(ip, b, a)).first); });
  fn("normpath", [](Interp& ip, BuiltinObj& b, CallArgs& a) { return ip.str_obj(normpath(one_path(ip, b, a))); });
  fn("abspath", [](Interp& ip, BuiltinObj& b, CallArgs& a) { return ip.str_obj(abspath(one_path(ip, b, a))); });
  fn("isabs", [](Interp& ip, BuiltinObj& b, CallArgs& a) { return Object::boolean(one_path(ip, b, a).starts_with('/')); });
  fn("realpath", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
    // Symbolic links resolved by the C library; a path that does not exist is only made absolute.
    const std::string p = one_path(ip, b, a);
    char buf[PATH_MAX];
    return ip.str_obj(::realpath(p.c_str(), buf) ? std::string(buf) : abspath(p));
  });
  fn("exists", [](Interp& ip, BuiltinObj& b, CallArgs& a) { return Object::boolean(stat_is(one_path(ip, b, a), 0)); });
  fn("isfile", [](Interp& ip, BuiltinObj& b, CallArgs& a) { return Object::boolean(stat_is(one_path(ip, b, a), S_IFREG)); });
  fn("isdir", [](Interp& ip, BuiltinObj& b, CallArgs& a) { return Object::boolean(stat_is(one_path(ip, b, a), S_IFDIR)); });
  return Object(Tag::Native, m);
}

std::uint64_t splitmix64(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

Object module_os(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("os");
  auto& A = m->attrs;
  A["path"] = make_posixpath(ip);
  A["name"] = ip.str_obj("posix");
  A["sep"] = ip.str_obj("/");
  A["linesep"] = ip.str_obj("\n");
  A["pathsep"] = ip.str_obj(":");
  A["curdir"] = ip.str_obj(".");
  A["pardir"] = ip.str_obj("..");
  A["extsep"] = ip.str_obj(".");
  A["devnull"] = ip.str_obj("/dev/null");
  Object env = ip.dict_obj();
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    const auto eq = kv.find('=');
    if (eq != std::string_view::npos) ip.setitem(env, str_key(ip, kv.substr(0, eq)), str_key(ip, kv.substr(eq + 1)));
  }
  A["environ"] = env;
  A["getenv"] = ip.builtin("getenv", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
    Object key = arg_or(a, 0, "key", {}), dflt = arg_or(a, 1, "default", Object::none());
    if (key.null()) ip.raise(ip.T.TypeError, "getenv() missing 1 required positional argument: 'key'");
    if (!key.is(Tag::Str)) ip.raise(ip.T.TypeError, fmt::format("str expected, not {}", ip.type_of(key)->name));
    return ip.contains(b.data, key) ? ip.getitem(b.data, key) : dflt;
  }, {}, env);
  A["getpid"] = ip.builtin("getpid", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
    check_args(ip, b.name, a, 0, 0);
    return Object::integer(::getpid());
  });
  A["getppid"] = ip.builtin("getppid", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
    check_args(ip, b.name, a, 0, 0);
    return Object::integer(::getppid());
  });
  A["getcwd"] = ip.builtin("getcwd", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
    check_args(ip, b.name, a, 0, 0);
    return ip.str_obj(cwd());
  });
  A["cpu_count"] = ip.builtin("cpu_count", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
    check_args(ip, b.name, a, 0, 0);
    const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? Object::none() : Object::integer(n);
  });
  A["urandom"] = ip.builtin("urandom", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
    check_args(ip, b.name, a, 1, 1);
    const std::int64_t n = ip.index_arg(a.pos[0], nullptr);
    if (n < 0) ip.raise(ip.T.ValueError, "negative argument not allowed");
    Object& cell = b.data.as<ListObj>()->v[0];  // the stream's state, per program
    auto state = static_cast<std::uint64_t>(cell.i());
    std::string out;
    while (static_cast<std::int64_t>(out.size()) < n) {
      std::uint64_t r = splitmix64(state);
      for (int k = 0; k < 8 && static_cast<std::int64_t>(out.size()) < n; ++k, r >>= 8) out += static_cast<char>(r & 0xFF);
    }
    cell = Object::integer(static_cast<std::int64_t>(state));
    return ip.bytes_obj(std::move(out));
  }, {}, ip.list_obj({Object::integer(0)}));
  return Object(Tag::Native, m);
}

// `import os.path`: the posixpath module that os holds.
Object module_os_path(Interp& ip) { return ip.getattr(ip.import_module("os"), "path"); }

}  // namespace aiospec::interp

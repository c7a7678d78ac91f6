// The `sys` module (Python/sysmodule.c): the program's argv, exit, its standard streams, and facts
// about the CPython it follows (3.11 on 64-bit Linux).
#include <fmt/format.h>

#include <cstdint>
#include <limits>

#include "../interp.hpp"

namespace aiospec::interp {

namespace {

// sys.stdout and sys.stderr: text streams writing to the program's captured output.
struct TextStream final : NativeObj {
  explicit TextStream(bool err) : err(err) {}
  bool err;
  const char* type_name() const override { return "_io.TextIOWrapper"; }
  std::string name() const { return err ? "<stderr>" : "<stdout>"; }
  std::string repr(Interp&) override { return fmt::format("<_io.TextIOWrapper name='{}' mode='w' encoding='utf-8'>", name()); }
  Object getattr(Interp& ip, const Object& self, std::string_view n) override {
    if (n == "write")
      return ip.builtin("write", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
        if (a.pos.size() != 1 || !a.kw.empty())
          ip.raise(ip.T.TypeError, fmt::format("TextIOWrapper.write() takes exactly one argument ({} given)", a.pos.size() + a.kw.size()));
        if (!a.pos[0].is(Tag::Str))
          ip.raise(ip.T.TypeError, fmt::format("write() argument must be str, not {}", ip.type_of(a.pos[0])->name));
        const std::string text = ip.str(a.pos[0]);
        static_cast<TextStream*>(b.self.as<NativeObj>())->err ? ip.write_err(text) : ip.write_out(text);
        return Object::integer(ip.len(a.pos[0]));
      }, self);
    if (n == "flush")
      return ip.builtin("flush", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
        check_args(ip, b.name, a, 0, 0);
        return Object::none();
      }, self);
    if (n == "name") return ip.str_obj(name());
    if (n == "encoding") return ip.str_obj("utf-8");
    return {};
  }
};

// sys.implementation (a types.SimpleNamespace): the name programs test to tell CPython from
// MicroPython or PyPy. Its version is a sys.version_info, which is not provided.
struct Implementation final : NativeObj {
  const char* type_name() const override { return "SimpleNamespace"; }
  Object getattr(Interp& ip, const Object&, std::string_view n) override {
    if (n == "name") return ip.str_obj("cpython");
    if (n == "cache_tag") return ip.str_obj("cpython-311");
    if (n == "_multiarch") return ip.str_obj("x86_64-linux-gnu");
    if (n == "version" || n == "hexversion") ip.refuse(fmt::format("sys.implementation.{}", n));
    return {};
  }
  std::string repr(Interp& ip) override { ip.refuse("repr(sys.implementation)"); }
};

}  // namespace

Object module_sys(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("sys");
  auto& A = m->attrs;
  // The script as named on the command line, then its arguments (`aiospec exec FILE ARGS...`).
  std::vector<Object> argv{ip.str_obj(ip.opts.argv0.empty() ? ip.mod.filename : ip.opts.argv0)};
  for (const std::string& arg : ip.opts.argv) argv.push_back(ip.str_obj(arg));
  A["argv"] = ip.list_obj(std::move(argv));
  A["platform"] = ip.str_obj("linux");
  A["byteorder"] = ip.str_obj("little");
  ip.native_type("SimpleNamespace", nullptr, "types")->dotted_tp_name = true;
  A["implementation"] = Object(Tag::Native, asyncio::make_ref<Implementation>());
  A["maxsize"] = Object::integer(std::numeric_limits<std::int64_t>::max());
  A["stdout"] = Object(Tag::Native, asyncio::make_ref<TextStream>(false));
  A["stderr"] = Object(Tag::Native, asyncio::make_ref<TextStream>(true));
  A["__stdout__"] = A["stdout"];
  A["__stderr__"] = A["stderr"];
  A["exit"] = ip.builtin("exit", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    if (!a.kw.empty()) ip.raise(ip.T.TypeError, "sys.exit() takes no keyword arguments");
    if (a.pos.size() > 1) ip.raise(ip.T.TypeError, fmt::format("exit expected at most 1 argument, got {}", a.pos.size()));
    // sys_exit_impl raises with PyErr_SetObject: None gives no arguments, a tuple its items.
    std::vector<Object> args;
    if (a.pos.size() == 1 && a.pos[0].is(Tag::Tuple)) args = a.pos[0].as<ListObj>()->v;
    else if (a.pos.size() == 1 && !a.pos[0].is_none()) args = a.pos;
    ip.raise_obj(ip.new_exc(ip.T.SystemExit, std::move(args)));
  });
  A["getrecursionlimit"] = ip.builtin("getrecursionlimit", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    if (!a.pos.empty() || !a.kw.empty())
      ip.raise(ip.T.TypeError, fmt::format("sys.getrecursionlimit() takes no arguments ({} given)", a.pos.size() + a.kw.size()));
    return Object::integer(ip.recursion_limit);
  });
  // Python/sysmodule.c: sys_setrecursionlimit_impl. The limit is taken as CPython takes it; the C++
  // stack bounds the recursion where the limit would go beyond it (Interp::enter_recursive_call).
  A["setrecursionlimit"] = ip.builtin("setrecursionlimit", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    if (!a.kw.empty()) ip.raise(ip.T.TypeError, "sys.setrecursionlimit() takes no keyword arguments");
    if (a.pos.size() != 1)
      ip.raise(ip.T.TypeError, fmt::format("sys.setrecursionlimit() takes exactly one argument ({} given)", a.pos.size()));
    const std::int64_t n = ip.index_arg(a.pos[0], nullptr);
    if (n > std::numeric_limits<int>::max() || n < std::numeric_limits<int>::min())
      ip.raise(ip.T.OverflowError, "Python int too large to convert to C int");
    if (n < 1) ip.raise(ip.T.ValueError, "recursion limit must be greater or equal than 1");
    if (const int depth = ip.depth(); n <= depth)
      ip.raise(ip.T.RecursionError, fmt::format("cannot set the recursion limit to {} at the recursion depth {}: the limit is too low", n, depth));
    ip.recursion_limit = static_cast<int>(n);
    return Object::none();
  });
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp

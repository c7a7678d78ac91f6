// asyncio.subprocess: create_subprocess_exec / create_subprocess_shell, Process, PIPE / STDOUT /
// DEVNULL, and loop.subprocess_exec / subprocess_shell with a program's SubprocessProtocol, bound to
// the reference loop's child processes.
#include <fmt/format.h>

#include "asyncio/subprocess.hpp"
#include "asyncio_io.hpp"

namespace aiospec::interp {

namespace {

struct ProcessObj final : NativeObj {
  explicit ProcessObj(Ref<asyncio::Process> p) : proc(std::move(p)) {}
  Ref<asyncio::Process> proc;
  const char* type_name() const override { return "Process"; }
  std::string repr(Interp&) override { return proc->repr(); }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

asyncio::Process& process_of(BuiltinObj& b) { return *static_cast<ProcessObj*>(b.self.as<NativeObj>())->proc; }

asyncio::Coro<Object> wait_coro(Object self) {
  co_return Object::integer(co_await static_cast<ProcessObj*>(self.as<NativeObj>())->proc->wait());
}

asyncio::Coro<Object> communicate_coro(Interp& ip, Object self, Object input) {
  auto& p = *static_cast<ProcessObj*>(self.as<NativeObj>())->proc;
  std::optional<std::string> in;
  if (!input.is_none()) {
    // CPython's _feed_stdin task fails on the pipe's assert, and communicate() raises it once gather sees it.
    if (!is_buffer(input)) ip.refuse("Process.communicate() with input that is not bytes-like");
    in = buffer_bytes(ip, input);
  }
  auto [out, err] = co_await p.communicate(std::move(in));
  // None for a stream that is not a pipe.
  co_return ip.tuple_obj({p.std_out ? bytes_value(ip, std::move(out)) : Object::none(),
                          p.std_err ? bytes_value(ip, std::move(err)) : Object::none()});
}

int signal_arg(Interp& ip, CallArgs& a) {
  check_args(ip, "send_signal", a, 1, 1);
  return static_cast<int>(ip.index_arg(a.pos[0], nullptr));
}

Object ProcessObj::getattr(Interp& ip, const Object& self, std::string_view name) {
  if (name == "pid") return Object::integer(proc->pid);
  if (name == "returncode") return proc->returncode() ? Object::integer(*proc->returncode()) : Object::none();
  if (name == "stdin") return proc->std_in ? writer_obj(proc->std_in) : Object::none();
  if (name == "stdout") return proc->std_out ? reader_obj(proc->std_out) : Object::none();
  if (name == "stderr") return proc->std_err ? reader_obj(proc->std_err) : Object::none();
#define M(NAME, ...) \
  if (name == NAME) return ip.builtin(NAME, [](Interp & ip, BuiltinObj & b, CallArgs & a) -> Object { (void)ip; (void)a; __VA_ARGS__ }, self);
  M("wait", { return ip.make_coro(wait_coro(b.self), "Process.wait"); })
  M("communicate", {
    return ip.make_coro(communicate_coro(ip, b.self, arg_or(a, 0, "input", Object::none())), "Process.communicate");
  })
  M("send_signal", {
    process_of(b).send_signal(signal_arg(ip, a));
    return Object::none();
  })
  M("terminate", {
    process_of(b).terminate();
    return Object::none();
  })
  M("kill", {
    process_of(b).kill();
    return Object::none();
  })
#undef M
  return {};
}

// stdin=, stdout=, stderr=: None (inherited), PIPE, STDOUT, DEVNULL or a descriptor.
asyncio::Stdio stdio_param(Interp& ip, const Object& o, asyncio::Stdio dflt) {
  if (o.null()) return dflt;
  if (o.is_none()) return std::nullopt;
  return static_cast<int>(ip.index_arg(o, nullptr));
}

// The options common to every subprocess function: stdin, stdout, stderr, cwd, env at p[from...].
asyncio::SubprocessOptions subprocess_options(Interp& ip, const std::vector<Object>& p, std::size_t from, asyncio::Stdio dflt) {
  asyncio::SubprocessOptions opts{stdio_param(ip, p[from], dflt), stdio_param(ip, p[from + 1], dflt),
                                  stdio_param(ip, p[from + 2], dflt), std::nullopt, std::nullopt};
  if (!p[from + 3].null() && !p[from + 3].is_none()) opts.cwd = ip.str(p[from + 3]);
  if (!p[from + 4].null() && !p[from + 4].is_none()) {
    std::vector<std::string> env;
    Object items = ip.call0(ip.getattr(p[from + 4], "items"));
    for (auto& kv : ip.to_vector(items)) {
      std::vector<Object> pair = ip.to_vector(kv);
      env.push_back(ip.str(pair[0]) + "=" + ip.str(pair[1]));
    }
    opts.env = std::move(env);
  }
  return opts;
}

std::vector<std::string> program_args(Interp& ip, const std::vector<Object>& args) {
  std::vector<std::string> out;
  for (auto& a : args) {
    if (!a.is(Tag::Str)) ip.raise(ip.T.TypeError, fmt::format("expected str, bytes or os.PathLike object, not {}", ip.type_of(a)->name));
    out.push_back(a.as<StrObj>()->s);
  }
  return out;
}

asyncio::Coro<Object> create_process_coro(std::vector<std::string> args, bool shell, asyncio::SubprocessOptions opts, long limit) {
  Ref<asyncio::Process> p;
  if (shell)
    p = co_await asyncio::create_subprocess_shell(std::move(args[0]), std::move(opts), limit);
  else
    p = co_await asyncio::create_subprocess_exec(std::move(args), std::move(opts), limit);
  co_return make<ProcessObj>(Tag::Native, std::move(p));
}

asyncio::Coro<Object> subprocess_protocol_coro(Interp& ip, Object loop, asyncio::ProtocolFactory factory,
                                               std::vector<std::string> args, bool shell, asyncio::SubprocessOptions opts) {
  auto& l = *loop.as<asyncio::EventLoop>();
  std::pair<Ref<asyncio::SubprocessTransport>, Ref<asyncio::BaseProtocol>> tp;
  if (shell)
    tp = co_await l.subprocess_shell(std::move(factory), std::move(args[0]), std::move(opts));
  else
    tp = co_await l.subprocess_exec(std::move(factory), std::move(args), std::move(opts));
  co_return connection_pair(ip, *tp.first, tp.second.get());
}

// The positional arguments after the first `fixed` ones: the program's arguments; the keywords.
std::vector<Object> split_call(Interp& ip, const char* fn, CallArgs& a, std::size_t fixed, std::vector<Object>& rest,
                               std::initializer_list<const char*> names) {
  if (a.pos.size() < fixed + 1)
    ip.raise(ip.T.TypeError, fmt::format("{}() missing 1 required positional argument", fn));
  rest.assign(a.pos.begin() + static_cast<std::ptrdiff_t>(fixed), a.pos.end());
  a.pos.resize(fixed);
  return bind_params(ip, fn, a, names, fixed, fixed);
}

Object create_subprocess(Interp& ip, CallArgs& a, bool shell) {
  const char* fn = shell ? "create_subprocess_shell" : "create_subprocess_exec";
  std::vector<Object> args;
  auto p = split_call(ip, fn, a, 0, args, {"stdin", "stdout", "stderr", "cwd", "env", "limit"});
  if (shell && args.size() != 1) ip.raise(ip.T.TypeError, "create_subprocess_shell() takes 1 positional argument");
  long limit = p[5].null() ? asyncio::kDefaultStreamLimit : static_cast<long>(ip.index_arg(p[5], nullptr));
  return ip.make_coro(create_process_coro(program_args(ip, args), shell, subprocess_options(ip, p, 0, std::nullopt), limit), fn);
}

}  // namespace

Object subprocess_loop_method(Interp& ip, const Object& self, std::string_view name) {
  if (name != "subprocess_exec" && name != "subprocess_shell") return {};
  return ip.builtin(name == "subprocess_exec" ? "subprocess_exec" : "subprocess_shell", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
    const bool shell = b.name[11] == 's';
    const char* fn = shell ? "BaseEventLoop.subprocess_shell" : "BaseEventLoop.subprocess_exec";
    std::vector<Object> args;
    auto p = split_call(ip, fn, a, 1, args, {"protocol_factory", "stdin", "stdout", "stderr", "cwd", "env"});
    if (shell && args.size() != 1) ip.raise(ip.T.TypeError, "subprocess_shell() takes 2 positional arguments");
    return ip.make_coro(subprocess_protocol_coro(ip, b.self, protocol_factory(ip, p[0], ProtocolKind::Subprocess), program_args(ip, args),
                                                 shell, subprocess_options(ip, p, 1, asyncio::PIPE)),
                        fn);
  }, self);
}

void install_subprocess_bindings(Interp& ip, std::map<std::string, Object, std::less<>>& attrs) {
  auto m = asyncio::make_ref<ModuleObj>("asyncio.subprocess");
  auto& S = m->attrs;
  S["create_subprocess_exec"] = attrs["create_subprocess_exec"] =
      ip.builtin("create_subprocess_exec", [](Interp& ip, BuiltinObj&, CallArgs& a) { return create_subprocess(ip, a, false); });
  S["create_subprocess_shell"] = attrs["create_subprocess_shell"] =
      ip.builtin("create_subprocess_shell", [](Interp& ip, BuiltinObj&, CallArgs& a) { return create_subprocess(ip, a, true); });
  S["PIPE"] = Object::integer(asyncio::PIPE);
  S["STDOUT"] = Object::integer(asyncio::STDOUT);
  S["DEVNULL"] = Object::integer(asyncio::DEVNULL);
  S["Process"] = Object(Tag::Type, ip.native_type("Process", ip.T.object, "asyncio.subprocess"));
  attrs["subprocess"] = Object(Tag::Native, m);
}

}  // namespace aiospec::interp

// asyncio.events' event loop policies and unix_events' SelectorEventLoop: DefaultEventLoopPolicy (a
// class programs subclass, overriding new_event_loop), get/set_event_loop_policy, and the loop class
// a policy makes. Every loop runs on the program's clock and network (Interp::network); the selector
// given to SelectorEventLoop is not the one it polls (that is the program's simulated network).
#include <fmt/format.h>
#include <sys/socket.h>

#include "asyncio_io.hpp"

namespace aiospec::interp {

namespace {

Object loop_object(const asyncio::EventLoopPtr& l) { return Object(Tag::Loop, l.get()); }

// The policy methods are the class's builtins: called on an instance they get no self, called on
// the class (DefaultEventLoopPolicy.new_event_loop(self)) the instance comes first.
void drop_self(CallArgs& a, std::size_t arity) {
  if (a.pos.size() == arity + 1) a.pos.erase(a.pos.begin());
}

}  // namespace

asyncio::EventLoopPtr Interp::make_loop() {
  auto loop = asyncio::make_ref<asyncio::EventLoop>(program_clock, network());
  // BaseSelectorEventLoop.__init__ opens an epoll descriptor and the self-pipe (a socketpair): the
  // program's next socket is numbered after them, as in CPython.
  auto& net = *network();
  int pair[2];
  loop->own_descriptor(net.socket(AF_UNIX, SOCK_STREAM));
  if (net.socketpair(AF_UNIX, SOCK_STREAM, pair) == 0)
    for (int fd : pair) loop->own_descriptor(fd);
  return loop;
}

asyncio::EventLoopPtr Interp::policy_new_loop() {
  // events.new_event_loop(): get_event_loop_policy().new_event_loop() — the program's override, if any.
  if (policy.null()) return make_loop();
  Object l = call0(getattr(policy, "new_event_loop"));
  if (!l.is(Tag::Loop)) raise(T.TypeError, fmt::format("new_event_loop() returned {}, not an event loop", repr(l)));
  return asyncio::EventLoopPtr(l.as<asyncio::EventLoop>());
}

void install_policy_bindings(Interp& ip, std::map<std::string, Object, std::less<>>& attrs) {
  Ref<TypeObj> abstract = python_class(ip, "AbstractEventLoopPolicy", ip.T.object, "asyncio.events");
  Ref<TypeObj> base = python_class(ip, "BaseDefaultEventLoopPolicy", abstract, "asyncio.events");
  Ref<TypeObj> unix = python_class(ip, "_UnixDefaultEventLoopPolicy", base, "asyncio.unix_events");
  auto put = [&](const char* k, BuiltinObj::Fn f) { base->ns->set(ip.str_obj(k), str_hash(k), ip.builtin(k, f)); };
  put("get_event_loop", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    drop_self(a, 0);
    check_args(ip, "get_event_loop", a, 0, 0);
    return Object(Tag::Loop, &asyncio::get_event_loop());
  });
  put("set_event_loop", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    drop_self(a, 1);
    check_args(ip, "set_event_loop", a, 1, 1);
    if (!a.pos[0].is_none() && !a.pos[0].is(Tag::Loop))
      ip.raise(ip.T.TypeError, fmt::format("loop must be an instance of AbstractEventLoop or None, not '{}'", ip.type_of(a.pos[0])->name));
    asyncio::set_event_loop(a.pos[0].is_none() ? nullptr : asyncio::EventLoopPtr(a.pos[0].as<asyncio::EventLoop>()));
    return Object::none();
  });
  put("new_event_loop", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    drop_self(a, 0);
    check_args(ip, "new_event_loop", a, 0, 0);
    return loop_object(ip.make_loop());
  });
  for (auto& t : {abstract, base}) attrs[t->name] = Object(Tag::Type, t);
  attrs["DefaultEventLoopPolicy"] = Object(Tag::Type, unix);
  auto fn = [&](const char* name, BuiltinObj::Fn f) { attrs[name] = ip.builtin(name, f); };
  fn("get_event_loop_policy", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "get_event_loop_policy", a, 0, 0);
    if (ip.policy.null()) ip.policy = ip.call0(ip.getattr(ip.import_module("asyncio"), "DefaultEventLoopPolicy"));
    return ip.policy;
  });
  fn("set_event_loop_policy", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "set_event_loop_policy", a, 1, 1);
    const Object& p = a.pos[0];
    if (!p.is_none() && !ip.isinstance(p, ip.getattr(ip.import_module("asyncio"), "AbstractEventLoopPolicy").as<TypeObj>()))
      ip.raise(ip.T.TypeError, fmt::format("policy must be an instance of AbstractEventLoopPolicy or None, not '{}'", ip.type_of(p)->name));
    ip.policy = p.is_none() ? Object() : p;
    return Object::none();
  });
  // unix_events.SelectorEventLoop is _UnixSelectorEventLoop, the loops' class: SelectorEventLoop(selector=None).
  ip.T.loop->construct = [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    bind_params(ip, "_UnixSelectorEventLoop.__init__", a, {"selector"}, 1, 0);
    return loop_object(ip.make_loop());
  };
  attrs["SelectorEventLoop"] = Object(Tag::Type, ip.T.loop);
}

}  // namespace aiospec::interp

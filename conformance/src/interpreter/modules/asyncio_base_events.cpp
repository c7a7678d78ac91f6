// asyncio.base_events' network half: loop.create_connection, create_server, create_unix_connection,
// create_unix_server, create_datagram_endpoint, and the Server objects they return, bound to the
// reference loop's (which runs them on the simulated network in virtual time, on epoll in real time).
#include <fmt/format.h>
#include <sys/socket.h>

#include "asyncio/unix_events.hpp"
#include "asyncio_io.hpp"

namespace aiospec::interp {

namespace {

using asyncio::EventLoop;

EventLoop& loop_of(const Object& o) { return *o.as<EventLoop>(); }

// base_events.Server.
struct ServerObj final : NativeObj {
  explicit ServerObj(Ref<asyncio::Server> s) : server(std::move(s)) {}
  Ref<asyncio::Server> server;
  const char* type_name() const override { return "Server"; }
  std::string repr(Interp&) override { return server->repr(); }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

asyncio::Server& server_of(BuiltinObj& b) { return *static_cast<ServerObj*>(b.self.as<NativeObj>())->server; }

asyncio::Coro<Object> server_aenter(Object self) { co_return self; }

Object ServerObj::getattr(Interp& ip, const Object& self, std::string_view name) {
  if (name == "sockets") {
    std::vector<Object> out;
    for (std::size_t i = 0; i < server->sockets().size(); ++i)
      out.push_back(transport_socket_obj([s = server, i]() { return i < s->sockets().size() ? &s->sockets()[i] : nullptr; }));
    return ip.tuple_obj(std::move(out));
  }
#define M(NAME, ...) \
  if (name == NAME) return ip.builtin(NAME, [](Interp & ip, BuiltinObj & b, CallArgs & a) -> Object { (void)ip; (void)a; __VA_ARGS__ }, self);
  M("close", {
    server_of(b).close();
    return Object::none();
  })
  M("is_serving", { return Object::boolean(server_of(b).is_serving()); })
  M("get_loop", { return Object(Tag::Loop, &server_of(b).get_loop()); })
  M("start_serving", { return none_coro(ip, server_of(b).start_serving(), "Server.start_serving", b.self); })
  M("serve_forever", { return none_coro(ip, server_of(b).serve_forever(), "Server.serve_forever", b.self); })
  M("wait_closed", { return none_coro(ip, server_of(b).wait_closed(), "Server.wait_closed", b.self); })
  M("__aenter__", { return ip.make_coro(server_aenter(b.self), "Server.__aenter__"); })
  M("__aexit__", {
    // base_events.py: Server.__aexit__ closes, then awaits wait_closed().
    server_of(b).close();
    return none_coro(ip, server_of(b).wait_closed(), "Server.__aexit__", b.self);
  })
#undef M
  return {};
}

asyncio::Coro<Object> create_connection_coro(Interp& ip, Object loop, asyncio::ProtocolFactory factory, std::string host,
                                             std::string port, asyncio::ConnectionOptions opts) {
  auto [t, p] = co_await loop_of(loop).create_connection(std::move(factory), std::move(host), std::move(port), std::move(opts));
  co_return connection_pair(ip, *t, p.get());
}

asyncio::Coro<Object> create_unix_connection_coro(Interp& ip, Object loop, asyncio::ProtocolFactory factory, std::string path) {
  auto [t, p] = co_await loop_of(loop).create_unix_connection(std::move(factory), std::move(path));
  co_return connection_pair(ip, *t, p.get());
}

asyncio::Coro<Object> create_datagram_coro(Interp& ip, Object loop, asyncio::ProtocolFactory factory, asyncio::DatagramOptions opts) {
  auto [t, p] = co_await loop_of(loop).create_datagram_endpoint(std::move(factory), std::move(opts));
  co_return connection_pair(ip, *t, p.get());
}

asyncio::Coro<Object> create_server_coro(Object loop, asyncio::ProtocolFactory factory, std::string host, std::string port,
                                         bool unix_socket, asyncio::ServerOptions opts) {
  // Not a conditional expression: g++ 12 destroys the temporaries of a co_await in one twice.
  Ref<asyncio::Server> s;
  if (unix_socket)
    s = co_await loop_of(loop).create_unix_server(std::move(factory), std::move(host), std::move(opts));
  else
    s = co_await loop_of(loop).create_server(std::move(factory), std::move(host), std::move(port), std::move(opts));
  co_return server_obj(std::move(s));
}

int int_param(Interp& ip, const Object& o, int dflt) { return o.null() || o.is_none() ? dflt : static_cast<int>(ip.index_arg(o, nullptr)); }

std::optional<std::pair<std::string, std::string>> host_port_param(Interp& ip, const Object& o) {
  if (o.null() || o.is_none()) return std::nullopt;
  std::vector<Object> hp = ip.to_vector(o);
  if (hp.size() != 2) ip.raise(ip.T.ValueError, fmt::format("2-tuple is expected, got {}", ip.repr(o)));
  return std::pair{host_arg(ip, hp[0]), port_arg(ip, hp[1])};
}

Object server_method(Interp& ip, BuiltinObj& b, CallArgs& a, bool unix_socket) {
  const char* fn = unix_socket ? "_UnixSelectorEventLoop.create_unix_server" : "BaseEventLoop.create_server";
  std::vector<Object> p = unix_socket
      ? bind_params(ip, fn, a, {"protocol_factory", "path", "sock", "backlog", "ssl", "ssl_handshake_timeout",
                                "ssl_shutdown_timeout", "start_serving"}, 2, 1)
      : bind_params(ip, fn, a, {"protocol_factory", "host", "port", "family", "flags", "sock", "backlog", "ssl",
                                "reuse_address", "reuse_port", "ssl_handshake_timeout", "ssl_shutdown_timeout",
                                "start_serving"}, 3, 1);
  asyncio::ServerOptions opts;
  std::string host, port;
  std::size_t i = 1;
  if (unix_socket) {
    host = host_arg(ip, p[i++]);
  } else {
    // host may be a sequence of hosts.
    std::vector<Object> hosts = p[1].is(Tag::List) || p[1].is(Tag::Tuple) ? ip.to_vector(p[1]) : std::vector<Object>{p[1]};
    for (auto& h : hosts) (&h == &hosts[0] ? host : opts.more_hosts.emplace_back()) = host_arg(ip, h);
    port = port_arg(ip, p[2]);
    opts.family = int_param(ip, p[3], 0);
    opts.flags = int_param(ip, p[4], 1);
    i = 5;
  }
  if (!p[i].null() && !p[i].is_none()) opts.sock = lend_socket(ip, p[i], fn);
  opts.backlog = int_param(ip, p[i + 1], 100);
  refuse_unsupported(ip, fn, p, i + 2, {"ssl"});
  if (!unix_socket) {
    if (!p[i + 3].null() && !p[i + 3].is_none()) opts.reuse_address = ip.truthy(p[i + 3]);
    opts.reuse_port = !p[i + 4].null() && ip.truthy(p[i + 4]);
  }
  const Object& start = p.back();
  opts.start_serving = start.null() || ip.truthy(start);
  return ip.make_coro(create_server_coro(b.self, protocol_factory(ip, p[0], ProtocolKind::Stream), std::move(host),
                                         std::move(port), unix_socket, std::move(opts)),
                      unix_socket ? "_UnixSelectorEventLoop.create_unix_server" : "BaseEventLoop.create_server");
}

}  // namespace

asyncio::ConnectionOptions connection_options(Interp& ip, const char* fn, const std::vector<Object>& p) {
  refuse_unsupported(ip, fn, p, 3, {"ssl"});
  refuse_unsupported(ip, fn, p, 9, {"server_hostname", "ssl_handshake_timeout", "ssl_shutdown_timeout", "happy_eyeballs_delay", "interleave"});
  asyncio::ConnectionOptions opts;
  opts.family = int_param(ip, p[4], 0);
  opts.proto = int_param(ip, p[5], 0);
  opts.flags = int_param(ip, p[6], 0);
  if (!p[7].null() && !p[7].is_none()) opts.sock = lend_socket(ip, p[7], fn);
  opts.local_addr = host_port_param(ip, p[8]);
  return opts;
}

Object server_obj(Ref<asyncio::Server> s) { return make<ServerObj>(Tag::Native, std::move(s)); }

Object io_loop_method(Interp& ip, const Object& self, std::string_view name) {
#define M(NAME, ...) \
  if (name == NAME) return ip.builtin(NAME, [](Interp & ip, BuiltinObj & b, CallArgs & a) -> Object { __VA_ARGS__ }, self);
  M("create_connection", {
    auto p = bind_params(ip, "BaseEventLoop.create_connection", a,
                         {"protocol_factory", "host", "port", "ssl", "family", "proto", "flags", "sock", "local_addr",
                          "server_hostname", "ssl_handshake_timeout", "ssl_shutdown_timeout", "happy_eyeballs_delay",
                          "interleave"}, 3, 1);
    asyncio::ConnectionOptions opts = connection_options(ip, "BaseEventLoop.create_connection", p);
    return ip.make_coro(create_connection_coro(ip, b.self, protocol_factory(ip, p[0], ProtocolKind::Stream), host_arg(ip, p[1]),
                                               port_arg(ip, p[2]), std::move(opts)),
                        "BaseEventLoop.create_connection");
  })
  M("create_unix_connection", {
    auto p = bind_params(ip, "_UnixSelectorEventLoop.create_unix_connection", a,
                         {"protocol_factory", "path", "ssl", "sock", "server_hostname", "ssl_handshake_timeout",
                          "ssl_shutdown_timeout"}, 2, 1);
    refuse_unsupported(ip, "_UnixSelectorEventLoop.create_unix_connection", p, 2, {"ssl", "sock", "server_hostname", "ssl_handshake_timeout", "ssl_shutdown_timeout"});
    return ip.make_coro(create_unix_connection_coro(ip, b.self, protocol_factory(ip, p[0], ProtocolKind::Stream), host_arg(ip, p[1])),
                        "_UnixSelectorEventLoop.create_unix_connection");
  })
  M("create_server", { return server_method(ip, b, a, false); })
  M("create_unix_server", { return server_method(ip, b, a, true); })
  M("create_datagram_endpoint", {
    auto p = bind_params(ip, "BaseEventLoop.create_datagram_endpoint", a,
                         {"protocol_factory", "local_addr", "remote_addr", "family", "proto", "flags", "reuse_port",
                          "allow_broadcast", "sock"}, 3, 1);
    asyncio::DatagramOptions opts;
    if (!p[8].null() && !p[8].is_none()) opts.sock = lend_socket(ip, p[8], "BaseEventLoop.create_datagram_endpoint");
    opts.family = int_param(ip, p[3], 0);
    opts.proto = int_param(ip, p[4], 0);
    opts.flags = int_param(ip, p[5], 0);
    opts.reuse_port = !p[6].null() && ip.truthy(p[6]);
    opts.allow_broadcast = !p[7].null() && ip.truthy(p[7]);
    // AF_UNIX endpoints take paths.
    if (p[1].is(Tag::Str)) opts.local_path = p[1].as<StrObj>()->s;
    else opts.local_addr = host_port_param(ip, p[1]);
    if (p[2].is(Tag::Str)) opts.remote_path = p[2].as<StrObj>()->s;
    else opts.remote_addr = host_port_param(ip, p[2]);
    return ip.make_coro(create_datagram_coro(ip, b.self, protocol_factory(ip, p[0], ProtocolKind::Datagram), std::move(opts)),
                        "BaseEventLoop.create_datagram_endpoint");
  })
#undef M
  return selector_loop_method(ip, self, name);
}

std::vector<Object> bind_params(Interp& ip, const char* fn, CallArgs& a, std::initializer_list<const char*> names,
                                std::size_t positional, std::size_t required, bool method) {
  std::vector<const char*> n(names);
  const std::size_t self = method ? 1 : 0;
  if (a.pos.size() > positional)
    ip.raise(ip.T.TypeError, required == positional
                                 ? fmt::format("{}() takes {} positional argument{} but {} {} given", fn, positional + self,
                                               positional + self == 1 ? "" : "s", a.pos.size() + self,
                                               a.pos.size() + self == 1 ? "was" : "were")
                                 : fmt::format("{}() takes from {} to {} positional arguments but {} were given", fn,
                                               required + self, positional + self, a.pos.size() + self));
  std::vector<Object> out(n.size());
  for (std::size_t i = 0; i < a.pos.size(); ++i) out[i] = a.pos[i];
  for (auto& [k, v] : a.kw) {
    std::size_t i = 0;
    while (i < n.size() && k != n[i]) ++i;
    if (i == n.size()) ip.raise(ip.T.TypeError, fmt::format("{}() got an unexpected keyword argument '{}'", fn, k));
    if (!out[i].null()) ip.raise(ip.T.TypeError, fmt::format("{}() got multiple values for argument '{}'", fn, k));
    out[i] = v;
  }
  for (std::size_t i = 0; i < required; ++i)
    if (out[i].null()) ip.raise(ip.T.TypeError, fmt::format("{}() missing 1 required positional argument: '{}'", fn, n[i]));
  return out;
}

void refuse_unsupported(Interp& ip, const char* fn, const std::vector<Object>& params, std::size_t from,
                        std::initializer_list<const char*> names) {
  for (const char* n : names) {
    const Object& v = params[from++];
    if (!v.null() && !v.is_none()) ip.refuse(fmt::format("{}({}=...)", fn, n));
  }
}

namespace {
asyncio::Coro<Object> none_after(asyncio::Coro<> c, Object keep) {
  co_await std::move(c);
  (void)keep;
  co_return Object::none();
}
}  // namespace

Object none_coro(Interp& ip, asyncio::Coro<> c, const char* qualname, Object keep) {
  return ip.make_coro(none_after(std::move(c), std::move(keep)), qualname);
}

Object addr_obj(Interp& ip, const asyncio::SockAddr& a) {
  switch (a.family) {
    case AF_INET: return ip.tuple_obj({ip.str_obj(a.host), Object::integer(a.port)});
    case AF_INET6:
      return ip.tuple_obj({ip.str_obj(a.host), Object::integer(a.port), Object::integer(a.flowinfo), Object::integer(a.scope_id)});
    case AF_UNIX: return ip.str_obj(a.path);
    default: return Object::none();
  }
}

asyncio::SockAddr addr_arg(Interp& ip, const Object& o) {
  if (o.is(Tag::Str)) return asyncio::SockAddr::unix_path(o.as<StrObj>()->s);
  std::vector<Object> v = ip.to_vector(o);
  if (v.size() < 2 || !v[0].is(Tag::Str)) ip.raise(ip.T.TypeError, fmt::format("AF_INET address must be tuple, not {}", ip.type_of(o)->name));
  const std::string& host = v[0].as<StrObj>()->s;
  auto port = static_cast<std::uint16_t>(ip.index_arg(v[1], nullptr));
  if (host.find(':') != std::string::npos)
    return asyncio::SockAddr::inet6(host, port, v.size() > 2 ? static_cast<std::uint32_t>(ip.index_arg(v[2], nullptr)) : 0,
                                    v.size() > 3 ? static_cast<std::uint32_t>(ip.index_arg(v[3], nullptr)) : 0);
  return asyncio::SockAddr::inet(host == "localhost" ? "127.0.0.1" : host, port);
}

std::string host_arg(Interp& ip, const Object& o) { return o.null() || o.is_none() ? std::string() : ip.str(o); }

std::string port_arg(Interp& ip, const Object& o) {
  if (o.null() || o.is_none()) return {};
  if (o.is(Tag::Int)) return std::to_string(o.i());
  return ip.str(o);
}

std::string data_arg(Interp& ip, const Object& o, const asyncio::BaseTransport& t) {
  if (is_buffer(o)) return buffer_bytes(ip, o);
  if (dynamic_cast<const asyncio::UnixWritePipeTransport*>(&t)) ip.raise(ip.T.AssertionError, ip.repr(o));
  ip.raise(ip.T.TypeError, fmt::format("data argument must be a bytes-like object, not '{}'", ip.type_of(o)->name));
}

std::string joined_data(Interp& ip, const Object& list_of_data) {
  return buffer_bytes(ip, ip.call1(bytes_method(ip, ip.bytes_obj(""), "join"), list_of_data));
}

Object bytes_value(Interp& ip, std::string s) { return ip.bytes_obj(std::move(s)); }

}  // namespace aiospec::interp

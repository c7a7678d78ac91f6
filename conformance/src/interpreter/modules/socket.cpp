// The `socket` module (Lib/socket.py over Modules/socketmodule.c), on the program's network: the
// simulated one every loop of the program runs on (Interp::network), so that a socket made before
// a loop exists works on it, as a kernel socket does.
//
// A socket is blocking until setblocking(False) or settimeout(0), as in Python. A blocking call that
// cannot complete waits as the thread would: nothing else in the program runs, only the network
// moves (the virtual clock jumps to its next delivery); one that nothing could ever complete stops
// the program with that verdict, where CPython would hang. Constants are plain ints (CPython's
// AddressFamily and SocketKind members print the same with str() and print(), not with repr()).
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <climits>
#include <cmath>

#include "asyncio/sim_network.hpp"
#include "asyncio/socket.hpp"
#include "asyncio_io.hpp"

namespace aiospec::interp {

namespace {

struct SocketObj final : NativeObj {
  explicit SocketObj(asyncio::Socket s) : sock(std::move(s)), family(sock.family()), type(sock.type()), proto(sock.proto()) {}
  asyncio::Socket sock;  // empty once a transport took it (lent_fd then says which descriptor)
  int lent_fd = -1;
  int family, type, proto;
  std::optional<double> timeout;  // None: blocking; 0: non-blocking
  const char* type_name() const override { return "socket"; }
  std::string repr(Interp& ip) override;
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
  asyncio::Socket& open(Interp& ip, const char* method) {
    if (lent_fd >= 0) ip.refuse(fmt::format("socket.{}() on a socket a transport owns", method));
    return sock;
  }
};

SocketObj& self_of(BuiltinObj& b) { return *static_cast<SocketObj*>(b.self.as<NativeObj>()); }

std::string SocketObj::repr(Interp& ip) {
  if (lent_fd < 0) return sock.repr();
  // The transport's socket is this object in CPython: describe its descriptor while it is open.
  const bool gone = ip.network()->fd_kind(lent_fd) < 0;
  asyncio::Socket view = asyncio::Socket::adopt(ip.network(), gone ? -1 : lent_fd, family, type, proto);
  std::string r = view.repr();
  view.detach();
  return r;
}

int int_arg(Interp& ip, const Object& o) {
  const std::int64_t v = ip.index_arg(o, nullptr);
  if (v < INT_MIN || v > INT_MAX) ip.raise(ip.T.OverflowError, "signed integer is greater than maximum");
  return static_cast<int>(v);
}

std::size_t bufsize_arg(Interp& ip, const Object& o, const char* method) {
  const std::int64_t n = ip.index_arg(o, nullptr);
  if (n < 0) ip.raise(ip.T.ValueError, fmt::format("negative buffersize in {}", method));
  return static_cast<std::size_t>(n);
}

std::string data_of(Interp& ip, const Object& o) {
  if (!is_buffer(o)) ip.raise(ip.T.TypeError, fmt::format("a bytes-like object is required, not '{}'", ip.type_of(o)->name));
  return buffer_bytes(ip, o);
}

}  // namespace

bool wait_on_network(Interp& ip, std::optional<asyncio::Nanos> deadline, std::string_view what) {
  auto* sim = dynamic_cast<asyncio::SimNetwork*>(ip.network().get());
  const std::optional<asyncio::Nanos> next = sim ? sim->next_event_time() : std::nullopt;
  if (deadline && (!next || *next > *deadline)) {
    ip.program_clock->advance_to(*deadline);
    return false;
  }
  if (!next)
    ip.abort(fmt::format("{} waits for ever: nothing else in the program can run while it blocks, and nothing is in flight to it", what));
  ip.program_clock->advance_to(*next);
  sim->run_due();
  return true;
}

namespace {

// Runs `op`; on a blocking socket it waits while the operation would block (sock_call_ex in
// socketmodule.c): the network delivers what is in flight, the timeout (if any) runs out, or
// nothing can ever happen.
template <class F>
auto blocking(Interp& ip, SocketObj& s, const char* method, F&& op) -> decltype(op()) {
  const asyncio::Nanos start = ip.program_clock->peek();
  for (;;) {
    try {
      return op();
    } catch (const asyncio::BlockingIOError&) {
      if (s.timeout && *s.timeout == 0) throw;
    }
    std::optional<asyncio::Nanos> deadline;
    if (s.timeout) deadline = start + asyncio::seconds_to_nanos(*s.timeout);
    if (!wait_on_network(ip, deadline, fmt::format("socket.{}() on a blocking socket", method)))
      ip.raise(ip.T.TimeoutError, "timed out");
  }
}

Object sockname(Interp& ip, SocketObj& s, bool peer) {
  if (s.lent_fd >= 0) {
    asyncio::SockAddr a;
    const int rc = peer ? ip.network()->getpeername(s.lent_fd, a) : ip.network()->getsockname(s.lent_fd, a);
    if (rc < 0) asyncio::raise_os_error(-rc);
    return addr_obj(ip, a);
  }
  return addr_obj(ip, peer ? s.sock.getpeername() : s.sock.getsockname());
}

Object SocketObj::getattr(Interp& ip, const Object& self, std::string_view name) {
  if (name == "family") return Object::integer(family);
  if (name == "type") return Object::integer(type);
  if (name == "proto") return Object::integer(proto);
#define M(NAME, MIN, MAX, ...)                                                                \
  if (name == NAME)                                                                          \
    return ip.builtin(NAME, [](Interp & ip, BuiltinObj & b, CallArgs & a) -> Object {         \
      check_args(ip, NAME, a, MIN, MAX);                                                     \
      SocketObj& s = self_of(b);                                                             \
      (void)s;                                                                               \
      __VA_ARGS__                                                                            \
    }, self);
  M("fileno", 0, 0, { return Object::integer(s.lent_fd >= 0 ? s.lent_fd : s.sock.fileno()); })
  M("close", 0, 0, {
    if (s.lent_fd >= 0) s.lent_fd = -1, s.sock = asyncio::Socket();
    s.sock.close();
    return Object::none();
  })
  M("detach", 0, 0, { return Object::integer(s.open(ip, "detach").detach()); })
  M("bind", 1, 1, {
    s.open(ip, "bind").bind(addr_arg(ip, a.pos[0]));
    return Object::none();
  })
  M("listen", 0, 1, {
    s.open(ip, "listen").listen(a.pos.empty() ? std::min(SOMAXCONN, 128) : std::max(0, int_arg(ip, a.pos[0])));
    return Object::none();
  })
  M("connect", 1, 1, {
    asyncio::Socket& so = s.open(ip, "connect");
    const asyncio::SockAddr to = addr_arg(ip, a.pos[0]);
    try {
      so.connect(to);
    } catch (const asyncio::BlockingIOError&) {
      if (s.timeout && *s.timeout == 0) throw;
      // internal_connect: wait until the connection is made or SO_ERROR says why not.
      int err = 0;
      blocking(ip, s, "connect", [&] {
        asyncio::SockAddr peer;
        err = so.getsockopt(SOL_SOCKET, SO_ERROR);
        if (!err && so.network().getpeername(so.fileno(), peer) < 0) asyncio::raise_os_error(EAGAIN);
        return 0;
      });
      if (err) asyncio::raise_os_error(err);
    }
    return Object::none();
  })
  M("connect_ex", 1, 1, { return Object::integer(s.open(ip, "connect_ex").connect_ex(addr_arg(ip, a.pos[0]))); })
  M("accept", 0, 0, {
    auto [conn, peer] = blocking(ip, s, "accept", [&] { return s.open(ip, "accept").accept(); });
    // socket.accept: the new socket is blocking (the default timeout) whatever the listener is.
    return ip.tuple_obj({socket_obj(std::move(conn)), addr_obj(ip, peer)});
  })
  M("send", 1, 2, {
    const std::string data = data_of(ip, a.pos[0]);
    return Object::integer(static_cast<std::int64_t>(blocking(ip, s, "send", [&] { return s.open(ip, "send").send(data); })));
  })
  M("sendall", 1, 2, {
    const std::string data = data_of(ip, a.pos[0]);
    for (std::size_t done = 0; done < data.size();)
      done += blocking(ip, s, "sendall", [&] { return s.open(ip, "sendall").send(std::string_view(data).substr(done)); });
    return Object::none();
  })
  M("sendto", 2, 2, {
    const std::string data = data_of(ip, a.pos[0]);
    const asyncio::SockAddr to = addr_arg(ip, a.pos[1]);
    return Object::integer(static_cast<std::int64_t>(blocking(ip, s, "sendto", [&] { return s.open(ip, "sendto").sendto(data, to); })));
  })
  M("recv", 1, 2, {
    const std::size_t n = bufsize_arg(ip, a.pos[0], "recv");
    return ip.bytes_obj(blocking(ip, s, "recv", [&] { return s.open(ip, "recv").recv(n); }));
  })
  M("recvfrom", 1, 2, {
    const std::size_t n = bufsize_arg(ip, a.pos[0], "recvfrom");
    auto [data, from] = blocking(ip, s, "recvfrom", [&] { return s.open(ip, "recvfrom").recvfrom(n); });
    return ip.tuple_obj({ip.bytes_obj(std::move(data)), addr_obj(ip, from)});
  })
  M("shutdown", 1, 1, {
    s.open(ip, "shutdown").shutdown(int_arg(ip, a.pos[0]));
    return Object::none();
  })
  M("getsockname", 0, 0, { return sockname(ip, s, false); })
  M("getpeername", 0, 0, { return sockname(ip, s, true); })
  M("setsockopt", 3, 3, {
    if (!a.pos[2].is(Tag::Bool) && !a.pos[2].is(Tag::Int)) ip.refuse("socket.setsockopt() with a buffer value");
    s.open(ip, "setsockopt").setsockopt(int_arg(ip, a.pos[0]), int_arg(ip, a.pos[1]), int_arg(ip, a.pos[2]));
    return Object::none();
  })
  M("getsockopt", 2, 2, { return Object::integer(s.open(ip, "getsockopt").getsockopt(int_arg(ip, a.pos[0]), int_arg(ip, a.pos[1]))); })
  M("setblocking", 1, 1, {
    if (ip.truthy(a.pos[0])) s.timeout.reset();
    else s.timeout = 0.0;
    return Object::none();
  })
  M("getblocking", 0, 0, { return Object::boolean(!s.timeout || *s.timeout != 0); })
  M("settimeout", 1, 1, {
    if (a.pos[0].is_none()) {
      s.timeout.reset();
    } else {
      const double t = a.pos[0].is(Tag::Float) ? a.pos[0].f() : static_cast<double>(ip.index_arg(a.pos[0], nullptr));
      if (t < 0 || std::isnan(t)) ip.raise(ip.T.ValueError, "Timeout value out of range");
      s.timeout = t;
    }
    return Object::none();
  })
  M("gettimeout", 0, 0, { return s.timeout ? Object::real(*s.timeout) : Object::none(); })
  M("__enter__", 0, 0, { return b.self; })
  M("__exit__", 0, 3, {
    s.sock.close();
    return Object::none();
  })
#undef M
  return {};
}

Object make_socket(Interp& ip, BuiltinObj&, CallArgs& a) {
  auto p = bind_params(ip, "socket.__init__", a, {"family", "type", "proto", "fileno"}, 4, 0);
  if (!p[3].null() && !p[3].is_none()) ip.refuse("socket.socket(fileno=...)");
  const int family = p[0].null() || p[0].is_none() ? AF_INET : int_arg(ip, p[0]);
  const int type = p[1].null() || p[1].is_none() ? SOCK_STREAM : int_arg(ip, p[1]);
  const int proto = p[2].null() || p[2].is_none() ? 0 : int_arg(ip, p[2]);
  return socket_obj(asyncio::Socket(ip.network(), family, type, proto));
}

}  // namespace

Object socket_obj(asyncio::Socket s, bool blocking) {
  Object o = make<SocketObj>(Tag::Native, std::move(s));
  if (!blocking) static_cast<SocketObj*>(o.as<NativeObj>())->timeout = 0.0;
  return o;
}

bool is_socket(const Object& o) { return o.is(Tag::Native) && dynamic_cast<SocketObj*>(o.as<NativeObj>()); }

asyncio::Socket& socket_arg(Interp& ip, const Object& o, const char* method, bool nonblocking) {
  if (!is_socket(o)) ip.raise(ip.T.TypeError, fmt::format("{}() expects a socket.socket, got {}", method, ip.repr(o)));
  auto& s = *static_cast<SocketObj*>(o.as<NativeObj>());
  // selector_events.py tries the call on the socket first: on a blocking one it would block the loop.
  if (nonblocking && (!s.timeout || *s.timeout != 0)) ip.refuse(fmt::format("{}() with a blocking socket", method));
  return s.open(ip, method);
}

asyncio::Socket lend_socket(Interp& ip, const Object& o, const char* method) {
  asyncio::Socket& s = socket_arg(ip, o, method, false);
  auto& obj = *static_cast<SocketObj*>(o.as<NativeObj>());
  // The transport calls sock.setblocking(False) (_SelectorTransport's socket is non-blocking).
  obj.timeout = 0.0;
  obj.lent_fd = s.fileno();
  return std::move(s);
}

Object module_socket(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("socket");
  auto& A = m->attrs;
  m->add_class(ip, "socket", make_socket);
  A["SocketType"] = A["socket"];
  A["error"] = Object(Tag::Type, ip.T.OSError);
  A["timeout"] = Object(Tag::Type, ip.T.TimeoutError);
  A["gaierror"] = Object(Tag::Type, ip.T.gaierror);
  struct Constant {
    const char* name;
    int value;
  };
  for (auto [n, v] : {Constant{"AF_UNSPEC", AF_UNSPEC}, {"AF_UNIX", AF_UNIX}, {"AF_INET", AF_INET}, {"AF_INET6", AF_INET6},
                      {"SOCK_STREAM", SOCK_STREAM}, {"SOCK_DGRAM", SOCK_DGRAM}, {"SOCK_NONBLOCK", SOCK_NONBLOCK},
                      {"SOCK_CLOEXEC", SOCK_CLOEXEC}, {"SOL_SOCKET", SOL_SOCKET}, {"SO_REUSEADDR", SO_REUSEADDR},
                      {"SO_REUSEPORT", SO_REUSEPORT}, {"SO_KEEPALIVE", SO_KEEPALIVE}, {"SO_BROADCAST", SO_BROADCAST},
                      {"SO_SNDBUF", SO_SNDBUF}, {"SO_RCVBUF", SO_RCVBUF}, {"SO_ERROR", SO_ERROR}, {"SO_TYPE", SO_TYPE},
                      {"IPPROTO_IP", IPPROTO_IP}, {"IPPROTO_TCP", IPPROTO_TCP}, {"IPPROTO_UDP", IPPROTO_UDP},
                      {"IPPROTO_IPV6", IPPROTO_IPV6}, {"IPV6_V6ONLY", IPV6_V6ONLY}, {"TCP_NODELAY", TCP_NODELAY},
                      {"SHUT_RD", SHUT_RD}, {"SHUT_WR", SHUT_WR}, {"SHUT_RDWR", SHUT_RDWR}, {"SOMAXCONN", SOMAXCONN},
                      {"AI_PASSIVE", AI_PASSIVE}, {"AI_CANONNAME", AI_CANONNAME}, {"AI_NUMERICHOST", AI_NUMERICHOST},
                      {"AI_NUMERICSERV", AI_NUMERICSERV}, {"NI_NUMERICHOST", NI_NUMERICHOST},
                      {"NI_NUMERICSERV", NI_NUMERICSERV}})
    A[n] = Object::integer(v);
  A["has_ipv6"] = Object::boolean(true);
  auto fn = [&](const char* name, BuiltinObj::Fn f) { A[name] = ip.builtin(name, f); };
  fn("socketpair", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    auto p = bind_params(ip, "socketpair", a, {"family", "type", "proto"}, 3, 0);
    const int family = p[0].null() || p[0].is_none() ? AF_UNIX : int_arg(ip, p[0]);
    const int type = p[1].null() || p[1].is_none() ? SOCK_STREAM : int_arg(ip, p[1]);
    auto [x, y] = asyncio::socketpair(ip.network(), family, type);
    return ip.tuple_obj({socket_obj(std::move(x)), socket_obj(std::move(y))});
  });
  fn("getaddrinfo", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    auto p = bind_params(ip, "getaddrinfo", a, {"host", "port", "family", "type", "proto", "flags"}, 6, 2);
    auto num = [&](const Object& o) { return o.null() ? 0 : int_arg(ip, o); };
    std::vector<Object> out;
    for (const asyncio::AddrInfo& i : asyncio::getaddrinfo(host_arg(ip, p[0]), port_arg(ip, p[1]), num(p[2]), num(p[3]), num(p[4]), num(p[5])))
      out.push_back(ip.tuple_obj({Object::integer(i.family), Object::integer(i.type), Object::integer(i.proto),
                                  ip.str_obj(i.canonname), addr_obj(ip, i.addr)}));
    return ip.list_obj(std::move(out));
  });
  fn("gethostname", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "gethostname", a, 0, 0);
    char name[256] = {};
    ::gethostname(name, sizeof name - 1);
    return ip.str_obj(name);
  });
  fn("getdefaulttimeout", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    check_args(ip, "getdefaulttimeout", a, 0, 0);
    return Object::none();
  });
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp

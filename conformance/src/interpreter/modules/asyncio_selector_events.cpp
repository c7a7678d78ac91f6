// asyncio.selector_events' loop methods on descriptors and sockets: add_reader, remove_reader,
// add_writer, remove_writer, the sock_* coroutines and loop.getaddrinfo, bound to the reference
// loop's (on the program's network; see modules/socket.cpp for the socket objects).
#include <fmt/format.h>

#include "asyncio/socket.hpp"
#include "asyncio_io.hpp"

namespace aiospec::interp {

namespace {

using asyncio::EventLoop;

EventLoop& loop_of(const Object& o) { return *o.as<EventLoop>(); }

}  // namespace

// selectors._fileobj_to_fd: an int, or anything with a fileno() method.
int fileobj_to_fd(Interp& ip, const Object& o) {
  std::int64_t fd;
  if (o.is(Tag::Int) || o.is(Tag::Bool)) {
    fd = o.i();
  } else {
    Object fileno = ip.getattr_opt(o, "fileno");
    if (fileno.null()) ip.raise(ip.T.ValueError, fmt::format("Invalid file object: {}", ip.repr(o)));
    fd = ip.index_arg(ip.call0(fileno), nullptr);
  }
  if (fd < 0) ip.raise(ip.T.ValueError, fmt::format("Invalid file descriptor: {}", fd));
  return static_cast<int>(fd);
}

namespace {

// The coroutines keep the socket's Python object alive: the reference's need the Socket to outlive them.
asyncio::Coro<Object> recv_coro(Interp& ip, EventLoop& loop, Object sock, asyncio::Socket& s, std::size_t n) {
  std::string data = co_await loop.sock_recv(s, n);
  (void)sock;
  co_return ip.bytes_obj(std::move(data));
}

asyncio::Coro<Object> recvfrom_coro(Interp& ip, EventLoop& loop, Object sock, asyncio::Socket& s, std::size_t n) {
  auto [data, from] = co_await loop.sock_recvfrom(s, n);
  (void)sock;
  co_return ip.tuple_obj({ip.bytes_obj(std::move(data)), addr_obj(ip, from)});
}

asyncio::Coro<Object> sendto_coro(EventLoop& loop, Object sock, asyncio::Socket& s, std::string data, asyncio::SockAddr to) {
  const std::size_t n = co_await loop.sock_sendto(s, std::move(data), std::move(to));
  (void)sock;
  co_return Object::integer(static_cast<std::int64_t>(n));
}

asyncio::Coro<Object> accept_coro(Interp& ip, EventLoop& loop, Object sock, asyncio::Socket& s) {
  auto [conn, peer] = co_await loop.sock_accept(s);
  (void)sock;
  // _sock_accept: conn.setblocking(False).
  co_return ip.tuple_obj({socket_obj(std::move(conn), false), addr_obj(ip, peer)});
}

asyncio::Coro<Object> getaddrinfo_coro(Interp& ip, EventLoop& loop, std::string host, std::string port, int family, int type,
                                       int proto, int flags) {
  std::vector<asyncio::AddrInfo> infos = co_await loop.getaddrinfo(std::move(host), std::move(port), family, type, proto, flags);
  std::vector<Object> out;
  for (const asyncio::AddrInfo& i : infos)
    out.push_back(ip.tuple_obj({Object::integer(i.family), Object::integer(i.type), Object::integer(i.proto),
                                ip.str_obj(i.canonname), addr_obj(ip, i.addr)}));
  co_return ip.list_obj(std::move(out));
}

std::string data_param(Interp& ip, const Object& o) {
  if (!is_buffer(o)) ip.raise(ip.T.TypeError, fmt::format("a bytes-like object is required, not '{}'", ip.type_of(o)->name));
  return buffer_bytes(ip, o);
}

}  // namespace

Object selector_loop_method(Interp& ip, const Object& self, std::string_view name) {
  if (name == "add_reader" || name == "add_writer")
    return ip.builtin(name == "add_reader" ? "add_reader" : "add_writer", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      const bool reader = b.name[4] == 'r';
      if (!a.kw.empty()) ip.raise(ip.T.TypeError, fmt::format("BaseSelectorEventLoop.{}() got an unexpected keyword argument '{}'", b.name, a.kw[0].first));
      if (a.pos.size() < 2)
        ip.raise(ip.T.TypeError, fmt::format("BaseSelectorEventLoop.{}() missing {} required positional argument{}", b.name,
                                             a.pos.empty() ? "2" : "1", a.pos.empty() ? "s: 'fd' and 'callback'" : ": 'callback'"));
      EventLoop& loop = loop_of(b.self);
      const int fd = fileobj_to_fd(ip, a.pos[0]);
      Object fn = a.pos[1];
      std::vector<Object> args(a.pos.begin() + 2, a.pos.end());
      std::string label = callback_label(ip, fn, args);
      loop.check_closed();
      if (reader) loop.add_reader(fd, callback_fn(ip, fn, std::move(args)), std::move(label));
      else loop.add_writer(fd, callback_fn(ip, fn, std::move(args)), std::move(label));
      return Object::none();
    }, self);
  if (name == "remove_reader" || name == "remove_writer")
    return ip.builtin(name == "remove_reader" ? "remove_reader" : "remove_writer", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      check_args(ip, b.name, a, 1, 1);
      EventLoop& loop = loop_of(b.self);
      const int fd = fileobj_to_fd(ip, a.pos[0]);
      loop.ensure_fd_no_transport(fd);
      return Object::boolean(b.name[7] == 'r' ? loop.remove_reader(fd) : loop.remove_writer(fd));
    }, self);
#define M(NAME, MIN, MAX, ...)                                                                         \
  if (name == NAME)                                                                                   \
    return ip.builtin(NAME, [](Interp & ip, BuiltinObj & b, CallArgs & a) -> Object {                  \
      check_args(ip, NAME, a, MIN, MAX);                                                              \
      EventLoop& loop = loop_of(b.self);                                                              \
      asyncio::Socket& s = socket_arg(ip, a.pos[0], "loop." NAME, true);                              \
      __VA_ARGS__                                                                                     \
    }, self);
  M("sock_recv", 2, 2, {
    const std::int64_t n = ip.index_arg(a.pos[1], nullptr);
    if (n < 0) ip.raise(ip.T.ValueError, "negative buffersize in recv");
    return ip.make_coro(recv_coro(ip, loop, a.pos[0], s, static_cast<std::size_t>(n)), "BaseSelectorEventLoop.sock_recv");
  })
  M("sock_recvfrom", 2, 2, {
    const std::int64_t n = ip.index_arg(a.pos[1], nullptr);
    if (n < 0) ip.raise(ip.T.ValueError, "negative buffersize in recvfrom");
    return ip.make_coro(recvfrom_coro(ip, loop, a.pos[0], s, static_cast<std::size_t>(n)), "BaseSelectorEventLoop.sock_recvfrom");
  })
  M("sock_sendall", 2, 2, {
    return none_coro(ip, loop.sock_sendall(s, data_param(ip, a.pos[1])), "BaseSelectorEventLoop.sock_sendall", a.pos[0]);
  })
  M("sock_sendto", 3, 3, {
    return ip.make_coro(sendto_coro(loop, a.pos[0], s, data_param(ip, a.pos[1]), addr_arg(ip, a.pos[2])), "BaseSelectorEventLoop.sock_sendto");
  })
  M("sock_connect", 2, 2, {
    return none_coro(ip, loop.sock_connect(s, addr_arg(ip, a.pos[1])), "BaseSelectorEventLoop.sock_connect", a.pos[0]);
  })
  M("sock_accept", 1, 1, { return ip.make_coro(accept_coro(ip, loop, a.pos[0], s), "BaseSelectorEventLoop.sock_accept"); })
#undef M
  if (name == "getaddrinfo")
    return ip.builtin("getaddrinfo", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      auto p = bind_params(ip, "BaseEventLoop.getaddrinfo", a, {"host", "port", "family", "type", "proto", "flags"}, 2, 2);
      auto num = [&](const Object& o) { return o.null() ? 0 : static_cast<int>(ip.index_arg(o, nullptr)); };
      return ip.make_coro(getaddrinfo_coro(ip, loop_of(b.self), host_arg(ip, p[0]), port_arg(ip, p[1]), num(p[2]), num(p[3]),
                                           num(p[4]), num(p[5])),
                          "BaseEventLoop.getaddrinfo");
    }, self);
  return subprocess_loop_method(ip, self, name);
}

}  // namespace aiospec::interp

// base_events.py: Server, _ensure_resolved, getaddrinfo, create_connection, create_server,
// connect_accepted_socket, create_datagram_endpoint; unix_events.py: create_unix_connection,
// create_unix_server.
#include "asyncio/base_events.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

#include "asyncio/gather.hpp"
#include "asyncio/selector_events.hpp"
#include "asyncio/sleep.hpp"
#include "asyncio/tasks.hpp"

namespace asyncio {

std::string transport_socket_repr(const Socket& s) {
  std::string r = s.repr();
  const std::string closed = " [closed]";
  if (auto at = r.find(closed); at != std::string::npos) r.erase(at, closed.size());
  return "<asyncio.TransportSocket" + r.substr(std::string("<socket.socket").size());
}

// --- Server ---

Server::Server(EventLoop& loop, std::vector<Socket> sockets, ProtocolFactory factory, int backlog)
    : loop_(&loop), sockets_(std::move(sockets)), factory_(std::move(factory)), backlog_(backlog) {}

Server::~Server() = default;

std::string Server::repr() const {
  std::string out = "<Server sockets=(";
  for (const Socket& s : sockets_) out += transport_socket_repr(s) + (sockets_.size() == 1 ? "," : ", ");
  if (sockets_.size() > 1) out.resize(out.size() - 2);
  return out + ")>";
}

void Server::detach() {
  --active_count_;
  if (active_count_ == 0 && closed_) wakeup();
}

void Server::wakeup() {
  std::vector<Future<>> waiters = std::move(waiters_);
  waiters_done_ = true;
  for (auto& w : waiters)
    if (!w.done()) w.set_result();
}

void Server::start() {
  if (serving_) return;
  serving_ = true;
  for (Socket& sock : sockets_) {
    sock.listen(backlog_);
    loop_->start_serving(Ref<Server>(this), sock, backlog_);
  }
}

void Server::close() {
  if (closed_) return;
  closed_ = true;
  for (Socket& sock : sockets_) loop_->stop_serving(sock);
  sockets_.clear();
  serving_ = false;
  if (serving_forever_fut_ && !serving_forever_fut_->done()) serving_forever_fut_->cancel();
  serving_forever_fut_.reset();
  if (active_count_ == 0) wakeup();
}

Coro<> Server::start_serving() {
  start();
  // Skip one loop iteration so that every add_reader goes through.
  co_await sleep(0);
}

Coro<> Server::serve_forever() {
  if (serving_forever_fut_) throw RuntimeError("server " + repr() + " is already being awaited on serve_forever()");
  if (closed_) throw RuntimeError("server " + repr() + " is closed");
  Ref<Server> keep(this);
  start();
  serving_forever_fut_ = loop_->create_future<void>();
  Future<> fut = *serving_forever_fut_;
  std::exception_ptr exc;
  try {
    co_await fut;
  } catch (const CancelledError&) {
    exc = std::current_exception();
  } catch (...) {
    serving_forever_fut_.reset();
    throw;
  }
  // except CancelledError: close, wait_closed, re-raise (whatever wait_closed raised replaces it).
  try {
    close();
    co_await wait_closed();
  } catch (...) {
    serving_forever_fut_.reset();
    throw;
  }
  serving_forever_fut_.reset();
  std::rethrow_exception(exc);
}

Coro<> Server::wait_closed() {
  // 3.11: returns at once while the server is open, or once it has woken its waiters.
  if (closed_ || waiters_done_) co_return;
  Ref<Server> keep(this);
  Future<> waiter = loop_->create_future<void>();
  waiters_.push_back(waiter);
  co_await waiter;
}

Coro<Server*> Server::aenter() { co_return this; }

Coro<bool> Server::aexit(std::exception_ptr) {
  Ref<Server> keep(this);
  close();
  co_await wait_closed();
  co_return false;
}

// --- Resolution ---

namespace {
// base_events._ipaddr_info: a numeric host needs no resolver; the info keeps the host as given.
std::optional<AddrInfo> ipaddr_info(const std::string& host, const std::string& port, int family, int type, int proto) {
  if ((proto != 0 && proto != IPPROTO_TCP && proto != IPPROTO_UDP) || host.empty()) return std::nullopt;
  if (type != SOCK_STREAM && type != SOCK_DGRAM) return std::nullopt;
  proto = type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;  // the info names the protocol, as getaddrinfo's do
  long p = 0;
  if (!port.empty()) {
    if (!std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); }) || port.size() > 9)
      return std::nullopt;
    p = std::stol(port);
  }
  if (host.find('%') != std::string::npos) return std::nullopt;  // an IPv6 zone needs the resolver
  unsigned char buf[sizeof(in6_addr)];
  for (int af : {AF_INET, AF_INET6}) {
    if (family != AF_UNSPEC && family != af) continue;
    if (inet_pton(af, host.c_str(), buf) != 1) continue;
    const auto port16 = static_cast<std::uint16_t>(p);
    return AddrInfo{af, type, proto, {}, af == AF_INET6 ? SockAddr::inet6(host, port16) : SockAddr::inet(host, port16)};
  }
  return std::nullopt;
}
}  // namespace

Coro<std::vector<AddrInfo>> EventLoop::getaddrinfo(std::string host, std::string port, int family, int type, int proto,
                                                   int flags) {
  auto fut = create_future<std::vector<AddrInfo>>();
  // The executor's answer arrives through the loop (futures._chain_future -> call_soon_threadsafe):
  // a callback sets the result, and the awaiting task resumes one iteration after.
  call_soon([fut, host, port, family, type, proto, flags] {
    if (fut.done()) return;
    try {
      fut.set_result(asyncio::getaddrinfo(host, port, family, type, proto, flags));
    } catch (...) {
      fut.set_exception(std::current_exception());
    }
  });
  co_return co_await fut;
}

Coro<std::vector<AddrInfo>> EventLoop::resolve(std::string host, std::string port, int family, int type, int proto,
                                               int flags) {
  if (auto info = ipaddr_info(host, port, family, type, proto)) co_return std::vector<AddrInfo>{*info};
  co_return co_await getaddrinfo(std::move(host), std::move(port), family, type, proto, flags);
}

// --- Connections ---

namespace {
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The OSError create_connection / create_server raise for a failed bind.
std::exception_ptr bind_error(const OSError& err, const SockAddr& addr) {
  return make_os_error(err.error_code(),
                       "error while attempting to bind on address " + addr.repr() + ": " + lower(err.strerror()));
}

// _create_connection_transport: the protocol, the transport, and one wait for connection_made.
Coro<std::pair<Ref<Transport>, Ref<BaseProtocol>>> connection_transport(EventLoop& loop, Socket sock,
                                                                         const EventLoop::ProtocolFactoryFn& factory) {
  Ref<BaseProtocol> protocol = factory();
  Future<> waiter = loop.create_future<void>();
  Ref<Transport> transport(new SelectorSocketTransport(loop, std::move(sock), protocol, waiter));
  try {
    co_await waiter;
  } catch (...) {
    transport->close();
    throw;
  }
  co_return std::pair{transport, protocol};
}

// _connect_sock: one socket, bound to the first local address of its family, connected.
Coro<Socket> connect_sock(EventLoop& loop, std::vector<std::exception_ptr>& errors, const AddrInfo& info,
                          const std::vector<AddrInfo>* local) {
  Socket sock(loop.network_ptr(), info.family, info.type, info.proto);
  try {
    if (local) {
      std::vector<std::exception_ptr> bind_errors;
      bool bound = false;
      for (const AddrInfo& l : *local) {
        if (l.family != info.family) continue;
        try {
          sock.bind(l.addr);
          bound = true;
          break;
        } catch (const OSError& e) {
          bind_errors.push_back(bind_error(e, l.addr));
        }
      }
      if (!bound) {
        if (!bind_errors.empty()) std::rethrow_exception(bind_errors.back());
        throw OSError("no matching local address with family=" + std::to_string(info.family) + " found");
      }
    }
    co_await loop.sock_connect(sock, info.addr);
  } catch (const OSError&) {
    errors.push_back(std::current_exception());
    throw;
  }
  co_return std::move(sock);
}
}  // namespace

Coro<std::pair<Ref<Transport>, Ref<BaseProtocol>>> EventLoop::create_connection(ProtocolFactoryFn factory,
                                                                                 std::string host, std::string port) {
  return create_connection(std::move(factory), std::move(host), std::move(port), ConnectionOptions{});
}

Coro<std::pair<Ref<Transport>, Ref<BaseProtocol>>> EventLoop::create_connection(ProtocolFactoryFn factory,
                                                                                 std::string host, std::string port,
                                                                                 ConnectionOptions opts) {
  Socket sock;
  if (opts.sock) {
    if (!host.empty() || !port.empty()) throw ValueError("host/port and sock can not be specified at the same time");
    if (opts.sock->type() != SOCK_STREAM) throw ValueError("A Stream Socket was expected, got " + opts.sock->repr());
    sock = std::move(*opts.sock);
  } else {
    auto infos = co_await resolve(host, port, opts.family, SOCK_STREAM, opts.proto, opts.flags);
    if (infos.empty()) throw OSError("getaddrinfo() returned empty list");
    std::optional<std::vector<AddrInfo>> local;
    if (opts.local_addr) {
      local = co_await resolve(opts.local_addr->first, opts.local_addr->second, opts.family, SOCK_STREAM, opts.proto,
                               opts.flags);
      if (local->empty()) throw OSError("getaddrinfo() returned empty list");
    }
    std::vector<std::exception_ptr> errors;
    bool connected = false;
    for (const AddrInfo& info : infos) {
      try {
        sock = co_await connect_sock(*this, errors, info, local ? &*local : nullptr);
        connected = true;
        break;
      } catch (const OSError&) {
      }
    }
    if (!connected) {
      // One error, or several with the same text: that one; otherwise 'Multiple exceptions: ...'.
      if (errors.empty()) throw OSError("Multiple exceptions: ");
      const std::string model = inspect(errors.front()).exc->str();
      bool same = true;
      std::string all;
      for (auto& e : errors) {
        const std::string text = inspect(e).exc->str();
        same = same && text == model;
        all += (all.empty() ? "" : ", ") + text;
      }
      if (errors.size() == 1 || same) std::rethrow_exception(errors.front());
      throw OSError("Multiple exceptions: " + all);
    }
  }
  co_return co_await connection_transport(*this, std::move(sock), factory);
}

Coro<std::pair<Ref<Transport>, Ref<BaseProtocol>>> EventLoop::connect_accepted_socket(ProtocolFactoryFn factory,
                                                                                       Socket sock) {
  if (sock.type() != SOCK_STREAM) throw ValueError("A Stream Socket was expected, got " + sock.repr());
  co_return co_await connection_transport(*this, std::move(sock), factory);
}

Coro<std::pair<Ref<Transport>, Ref<BaseProtocol>>> EventLoop::create_unix_connection(ProtocolFactoryFn factory,
                                                                                      std::string path) {
  Socket sock(network_ptr(), AF_UNIX, SOCK_STREAM);
  co_await sock_connect(sock, SockAddr::unix_path(std::move(path)));
  co_return co_await connection_transport(*this, std::move(sock), factory);
}

// --- Servers ---

namespace {
Coro<Ref<Server>> serve(EventLoop& loop, std::vector<Socket> sockets, EventLoop::ProtocolFactoryFn factory,
                        const ServerOptions& opts) {
  Ref<Server> server = make_ref<Server>(loop, std::move(sockets), std::move(factory), opts.backlog);
  if (opts.start_serving) {
    server->start();
    // Skip one loop iteration so that every add_reader goes through.
    co_await sleep(0);
  }
  co_return server;
}

// _create_server_getaddrinfo
Coro<std::vector<AddrInfo>> server_getaddrinfo(EventLoop& loop, std::string host, std::string port, int family,
                                               int flags) {
  auto infos = co_await loop.resolve(host, port, family, SOCK_STREAM, 0, flags);
  if (infos.empty()) throw OSError("getaddrinfo(" + (host.empty() ? std::string("None") : py_repr(host)) + ") returned empty list");
  co_return infos;
}
}  // namespace

Coro<Ref<Server>> EventLoop::create_server(ProtocolFactoryFn factory, std::string host, std::string port) {
  return create_server(std::move(factory), std::move(host), std::move(port), ServerOptions{});
}

Coro<Ref<Server>> EventLoop::create_server(ProtocolFactoryFn factory, std::string host, std::string port,
                                           ServerOptions opts) {
  std::vector<Socket> sockets;
  if (opts.sock) {
    if (!host.empty() || !port.empty()) throw ValueError("host/port and sock can not be specified at the same time");
    if (opts.sock->type() != SOCK_STREAM) throw ValueError("A Stream Socket was expected, got " + opts.sock->repr());
    sockets.push_back(std::move(*opts.sock));
  } else {
    const bool reuse_address = opts.reuse_address.value_or(true);
    std::vector<std::string> hosts{host};
    hosts.insert(hosts.end(), opts.more_hosts.begin(), opts.more_hosts.end());
    // One task per host, gathered (tasks.gather(*fs)), as CPython does even for numeric hosts.
    std::vector<Task<std::vector<AddrInfo>>> fs;
    for (auto& h : hosts) fs.push_back(create_task(server_getaddrinfo(*this, h, port, opts.family, opts.flags)));
    auto results = co_await gather(std::move(fs));
    // set(itertools.chain(...)): each address once (CPython's set order is unspecified; this keeps
    // the first-seen order).
    std::vector<AddrInfo> infos;
    for (auto& r : results)
      for (auto& info : r)
        if (std::none_of(infos.begin(), infos.end(), [&](const AddrInfo& i) {
              return i.family == info.family && i.type == info.type && i.proto == info.proto && i.addr == info.addr;
            }))
          infos.push_back(info);
    for (const AddrInfo& info : infos) {
      const int fd = network().socket(info.family, info.type, info.proto);
      if (fd < 0) continue;  // create_server() failed to create socket.socket(...): skipped
      Socket& sock = sockets.emplace_back(Socket::adopt(network_ptr(), fd, info.family, info.type, info.proto));
      if (reuse_address) sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
      if (opts.reuse_port) sock.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1);
      if (info.family == AF_INET6) sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 1);
      try {
        sock.bind(info.addr);
      } catch (const OSError& err) {
        std::rethrow_exception(bind_error(err, info.addr));  // `from None`; the sockets close on unwinding
      }
    }
  }
  co_return co_await serve(*this, std::move(sockets), std::move(factory), opts);
}

Coro<Ref<Server>> EventLoop::create_unix_server(ProtocolFactoryFn factory, std::string path) {
  return create_unix_server(std::move(factory), std::move(path), ServerOptions{});
}

Coro<Ref<Server>> EventLoop::create_unix_server(ProtocolFactoryFn factory, std::string path, ServerOptions opts) {
  std::vector<Socket> sockets;
  if (opts.sock) {
    if (opts.sock->family() != AF_UNIX || opts.sock->type() != SOCK_STREAM)
      throw ValueError("A UNIX Domain Stream Socket was expected, got " + opts.sock->repr());
    sockets.push_back(std::move(*opts.sock));
  } else {
    // A stale socket file from an earlier server is removed first (an abstract name has none).
    if (!path.empty() && path[0] != '\0') network().remove_stale_unix_socket(path);
    Socket sock(network_ptr(), AF_UNIX, SOCK_STREAM);
    try {
      sock.bind(SockAddr::unix_path(path));
    } catch (const OSError& exc) {
      if (exc.error_code() == EADDRINUSE)
        std::rethrow_exception(make_os_error(EADDRINUSE, "Address " + py_repr(path) + " is already in use"));
      throw;
    }
    sockets.push_back(std::move(sock));
  }
  co_return co_await serve(*this, std::move(sockets), std::move(factory), opts);
}

// --- Datagrams ---

Coro<std::pair<Ref<DatagramTransport>, Ref<BaseProtocol>>> EventLoop::create_datagram_endpoint(
    ProtocolFactoryFn factory, DatagramOptions opts) {
  Socket sock;
  std::optional<SockAddr> r_addr;
  if (opts.sock) {
    if (opts.sock->type() != SOCK_DGRAM) throw ValueError("A UDP Socket was expected, got " + opts.sock->repr());
    if (opts.local_addr || opts.remote_addr || opts.local_path || opts.remote_path || opts.family || opts.proto ||
        opts.flags || opts.reuse_port || opts.allow_broadcast)
      throw ValueError("socket modifier keyword arguments can not be used when sock is specified.");
    sock = std::move(*opts.sock);
  } else {
    // (family, proto) -> (local, remote) candidates, in first-seen order.
    struct Candidate {
      int family, proto;
      std::optional<SockAddr> local, remote;
    };
    std::vector<Candidate> candidates;
    const bool want_local = opts.local_addr || opts.local_path, want_remote = opts.remote_addr || opts.remote_path;
    if (!want_local && !want_remote) {
      if (opts.family == 0) throw ValueError("unexpected address family");
      candidates.push_back({opts.family, opts.proto, std::nullopt, std::nullopt});
    } else if (opts.family == AF_UNIX) {
      if (opts.local_path && !opts.local_path->empty() && (*opts.local_path)[0] != '\0')
        network().remove_stale_unix_socket(*opts.local_path);
      Candidate c{AF_UNIX, opts.proto, std::nullopt, std::nullopt};
      if (opts.local_path) c.local = SockAddr::unix_path(*opts.local_path);
      if (opts.remote_path) c.remote = SockAddr::unix_path(*opts.remote_path);
      candidates.push_back(c);
    } else {
      for (int idx = 0; idx < 2; ++idx) {
        const auto& addr = idx == 0 ? opts.local_addr : opts.remote_addr;
        if (!addr) continue;
        auto infos = co_await resolve(addr->first, addr->second, opts.family, SOCK_DGRAM, opts.proto, opts.flags);
        if (infos.empty()) throw OSError("getaddrinfo() returned empty list");
        for (const AddrInfo& info : infos) {
          auto it = std::find_if(candidates.begin(), candidates.end(),
                                 [&](const Candidate& c) { return c.family == info.family && c.proto == info.proto; });
          if (it == candidates.end()) it = candidates.insert(candidates.end(), {info.family, info.proto, {}, {}});
          (idx == 0 ? it->local : it->remote) = info.addr;
        }
      }
      std::erase_if(candidates, [&](const Candidate& c) {
        return (opts.local_addr && !c.local) || (opts.remote_addr && !c.remote);
      });
      if (candidates.empty()) throw ValueError("can not get address information");
    }
    std::exception_ptr first_error;
    bool made = false;
    for (const Candidate& c : candidates) {
      try {
        Socket s(network_ptr(), c.family, SOCK_DGRAM, c.proto);
        if (opts.reuse_port) s.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1);
        if (opts.allow_broadcast) s.setsockopt(SOL_SOCKET, SO_BROADCAST, 1);
        if (want_local) s.bind(*c.local);
        if (want_remote) {
          if (!opts.allow_broadcast) co_await sock_connect(s, *c.remote);
          r_addr = c.remote;
        }
        sock = std::move(s);
        made = true;
        break;
      } catch (const OSError&) {
        if (!first_error) first_error = std::current_exception();
      }
    }
    if (!made) std::rethrow_exception(first_error);
  }
  Ref<BaseProtocol> protocol = factory();
  Future<> waiter = create_future<void>();
  Ref<DatagramTransport> transport(new SelectorDatagramTransport(*this, std::move(sock), protocol, r_addr, waiter));
  try {
    co_await waiter;
  } catch (...) {
    transport->close();
    throw;
  }
  co_return std::pair{transport, protocol};
}

}  // namespace asyncio

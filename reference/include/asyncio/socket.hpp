#pragma once
// socket.socket for the loop's network (Modules/socketmodule.c, as asyncio uses it): a non-blocking
// socket that owns its descriptor, raising OSError subclasses as Python's methods do
// (BlockingIOError where Python's would: a connect in progress, a recv with nothing to read).
// `getaddrinfo`/`getnameinfo` resolve numeric hosts and 'localhost' only (no DNS).
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "asyncio/network.hpp"

namespace asyncio {

class EventLoop;

class Socket {
 public:
  Socket() = default;
  /// socket.socket(family, type): on the network of the current event loop (get_event_loop()).
  Socket(int family, int type, int proto = 0);
  Socket(std::shared_ptr<Network> net, int family, int type, int proto = 0);
  /// Takes ownership of an open descriptor of `net`.
  static Socket adopt(std::shared_ptr<Network> net, int fd, int family, int type, int proto = 0);
  Socket(Socket&& o) noexcept;
  Socket& operator=(Socket&& o) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket();

  /// -1 once closed or detached.
  int fileno() const noexcept { return fd_; }
  int family() const noexcept { return family_; }
  int type() const noexcept { return type_; }
  int proto() const noexcept { return proto_; }
  Network& network() const noexcept { return *net_; }
  const std::shared_ptr<Network>& network_ptr() const noexcept { return net_; }

  void bind(const SockAddr& addr);
  void listen(int backlog = 128);
  /// Raises BlockingIOError(EINPROGRESS) while a stream connect is in progress.
  void connect(const SockAddr& addr);
  /// connect_ex: 0 or the errno.
  int connect_ex(const SockAddr& addr);
  /// (socket, address); BlockingIOError when nothing is pending.
  std::pair<Socket, SockAddr> accept();
  std::size_t send(std::string_view data);
  std::size_t sendto(std::string_view data, const SockAddr& addr);
  /// bytes read; empty at EOF.
  std::string recv(std::size_t bufsize);
  std::size_t recv_into(std::span<char> buf);
  std::pair<std::string, SockAddr> recvfrom(std::size_t bufsize);
  void shutdown(int how);
  SockAddr getsockname() const;
  SockAddr getpeername() const;
  void setsockopt(int level, int name, int value);
  int getsockopt(int level, int name) const;
  /// Idempotent.
  void close() noexcept;
  /// Gives up the descriptor without closing it; returns it.
  int detach() noexcept;
  /// `<socket.socket fd=6, family=2, type=1, proto=6, laddr=('127.0.0.1', 8888)>` as Python 3.11 prints it.
  std::string repr() const;

 private:
  Socket(std::shared_ptr<Network> net, int fd, int family, int type, int proto);
  void check(long rc) const;
  std::shared_ptr<Network> net_;
  int fd_ = -1;
  int family_ = 0, type_ = 0, proto_ = 0;
};

/// socket.socketpair(family, type): a connected pair on the network of the current event loop
/// (family 0 means AF_UNIX, type 0 SOCK_STREAM, as Python's defaults on Linux).
std::pair<Socket, Socket> socketpair(int family = 0, int type = 0);
/// The same on `net`.
std::pair<Socket, Socket> socketpair(std::shared_ptr<Network> net, int family = 0, int type = 0);

/// One result of getaddrinfo: (family, type, proto, canonname, sockaddr).
struct AddrInfo {
  int family;
  int type;
  int proto;
  std::string canonname;
  SockAddr addr;
};
/// socket.getaddrinfo for numeric hosts, 'localhost' and None (host empty: the wildcard with
/// AI_PASSIVE, else loopback), in glibc's order; socket.gaierror otherwise. `port` is a number or a
/// numeric string.
std::vector<AddrInfo> getaddrinfo(std::string_view host, std::string_view port, int family = 0, int type = 0,
                                  int proto = 0, int flags = 0);
/// socket.getnameinfo for numeric addresses: (host, port) as strings; NI_NUMERICHOST/NI_NUMERICSERV
/// are implied.
std::pair<std::string, std::string> getnameinfo(const SockAddr& addr, int flags = 0);

}  // namespace asyncio

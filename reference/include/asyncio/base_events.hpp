#pragma once
// The loop's networking entry points (base_events.py: create_connection, create_server,
// create_datagram_endpoint, connect_accepted_socket, getaddrinfo; unix_events.py:
// create_unix_connection, create_unix_server) and the Server they return. The methods are
// EventLoop's (declared in events.hpp); their options and the typed wrappers are here.
//
//     auto [transport, protocol] = co_await loop.create_connection(make_echo, "127.0.0.1", 8888);
//     Ref<Server> server = co_await loop.create_server(make_echo, "127.0.0.1", 8888);
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "asyncio/coroutines.hpp"
#include "asyncio/events.hpp"
#include "asyncio/futures.hpp"
#include "asyncio/socket.hpp"
#include "asyncio/transports.hpp"

namespace asyncio {

/// protocol_factory: called once per connection.
using ProtocolFactory = EventLoop::ProtocolFactoryFn;

/// Keyword arguments of create_connection (no TLS).
struct ConnectionOptions {
  int family = 0;
  int proto = 0;
  int flags = 0;
  /// (host, port) to bind before connecting.
  std::optional<std::pair<std::string, std::string>> local_addr;
  /// An already connected socket instead of host/port.
  std::optional<Socket> sock;
};

/// Keyword arguments of create_server and create_unix_server.
struct ServerOptions {
  int family = 0;  // AF_UNSPEC
  int flags = 1;   // AI_PASSIVE
  int backlog = 100;
  /// Default: true on POSIX, as CPython's.
  std::optional<bool> reuse_address;
  bool reuse_port = false;
  bool start_serving = true;
  /// More hosts than the one given (create_server's host may be a sequence).
  std::vector<std::string> more_hosts;
  /// A listening socket instead of host/port.
  std::optional<Socket> sock;
};

/// Keyword arguments of create_datagram_endpoint.
struct DatagramOptions {
  std::optional<std::pair<std::string, std::string>> local_addr;
  std::optional<std::pair<std::string, std::string>> remote_addr;
  /// For AF_UNIX datagram sockets: paths instead of (host, port).
  std::optional<std::string> local_path, remote_path;
  int family = 0;
  int proto = 0;
  int flags = 0;
  bool reuse_port = false;
  bool allow_broadcast = false;
  std::optional<Socket> sock;
};

/// base_events.Server: the listening sockets of create_server, and the connections made through them.
class Server final : public RefCounted {
 public:
  Server(EventLoop& loop, std::vector<Socket> sockets, ProtocolFactory factory, int backlog);
  ~Server() override;
  EventLoop& get_loop() const noexcept { return *loop_; }
  bool is_serving() const noexcept { return serving_; }
  /// The listening sockets (empty once closed).
  const std::vector<Socket>& sockets() const noexcept { return sockets_; }
  /// Stops listening and closes the sockets; existing connections stay open.
  void close();
  /// Starts accepting (idempotent), then yields one iteration so the readers are in place.
  Coro<> start_serving();
  /// Accepts until cancelled; cancelling closes the server and waits for wait_closed.
  Coro<> serve_forever();
  /// Returns once the server is closed and every connection it accepted is gone (3.11: returns at
  /// once if close() has not been called).
  Coro<> wait_closed();
  /// `async with server`: aenter returns the server, aexit closes it and waits for wait_closed.
  Coro<Server*> aenter();
  Coro<bool> aexit(std::exception_ptr exc);
  /// `<Server sockets=(<asyncio.TransportSocket fd=6, ...>,)>`
  std::string repr() const;

  // Connection bookkeeping (base_events.py: Server._attach/_detach), called by transports.
  void attach() noexcept { ++active_count_; }
  void detach();
  /// _start_serving: listen and add the accept readers.
  void start();
  const ProtocolFactory& factory() const noexcept { return factory_; }

 private:
  void wakeup();
  Ref<EventLoop> loop_;
  std::vector<Socket> sockets_;
  bool closed_ = false;  // _sockets is None
  ProtocolFactory factory_;
  int backlog_;
  std::size_t active_count_ = 0;
  std::vector<Future<>> waiters_;
  bool waiters_done_ = false;  // _waiters is None
  bool serving_ = false;
  std::optional<Future<>> serving_forever_fut_;
};

/// `<asyncio.TransportSocket fd=6, family=2, type=1, proto=6, laddr=('127.0.0.1', 8888)>`
/// (trsock.TransportSocket's repr of the socket a transport or server holds).
std::string transport_socket_repr(const Socket& s);

}  // namespace asyncio

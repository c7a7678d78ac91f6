#pragma once
// The system-call layer under the loop's I/O: sockets and pipes named by small int descriptors, and
// a selector over them. Everything above it (selector_events' transports, streams, servers, the
// sock_* methods) is written once on this interface and runs unchanged on both networks:
//   - EpollNetwork (epoll_network.hpp): the kernel's sockets and epoll, for a loop on the real clock;
//   - SimNetwork (sim_network.hpp): an in-process network that behaves as Linux loopback does, for a
//     loop on the virtual clock (the default).
// Operations are non-blocking and report failure as a negative errno, exactly as the Linux system call
// would (so `connect` gives -EINPROGRESS, `recv` -EAGAIN, a connect to a closed port -ECONNREFUSED at
// getsockopt(SO_ERROR)); the Python-level wrappers turn them into OSError as CPython's socket module
// does. Constants are Linux's (<sys/socket.h>, <netinet/in.h>, <netinet/tcp.h>).
#include <sys/stat.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "asyncio/clock.hpp"

namespace asyncio {

/// A socket address as Python's socket module spells it: `('127.0.0.1', 8888)` for AF_INET,
/// `('::1', 8888, 0, 0)` for AF_INET6, a path for AF_UNIX (empty for an unnamed socket; an abstract
/// name starts with a NUL byte).
struct SockAddr {
  int family = 0;  // AF_INET, AF_INET6 or AF_UNIX; 0 for "no address"
  std::string host;  // numeric: "127.0.0.1", "::1"
  std::uint16_t port = 0;
  std::uint32_t flowinfo = 0;
  std::uint32_t scope_id = 0;
  std::string path;  // AF_UNIX

  static SockAddr inet(std::string host, std::uint16_t port);
  static SockAddr inet6(std::string host, std::uint16_t port, std::uint32_t flowinfo = 0, std::uint32_t scope_id = 0);
  static SockAddr unix_path(std::string path);
  /// Python's repr of the address tuple (or of the path string for AF_UNIX).
  std::string repr() const;
  friend bool operator==(const SockAddr&, const SockAddr&) = default;
};

/// One ready descriptor from `Network::select`, as selectors.EpollSelector.select reports it: an error
/// or hang-up (anything but EPOLLIN) counts as writable, anything but EPOLLOUT as readable.
struct IoEvent {
  int fd;
  bool readable;
  bool writable;
};

/// selector.select(timeout) on Linux is epoll_wait, which CPython rounds up to whole milliseconds
/// (selectors.py: EpollSelector.select, "to wait *at least* timeout seconds").
inline Nanos epoll_timeout(Nanos timeout) noexcept { return (timeout + 999999) / 1000000 * 1000000; }

/// Interest bits for `Network::modify` (selectors.EVENT_READ, EVENT_WRITE).
enum : unsigned { kEventRead = 1, kEventWrite = 2 };

class Network {
 public:
  virtual ~Network() = default;
  /// True for the simulated network (the loop then runs on the virtual clock).
  virtual bool is_simulated() const noexcept = 0;

  // --- Descriptors. Every call returns >= 0 on success or -errno. Descriptors are non-blocking and
  // close-on-exec. Types are SOCK_STREAM or SOCK_DGRAM (SOCK_NONBLOCK/SOCK_CLOEXEC are implied).
  virtual int socket(int family, int type, int protocol = 0) = 0;
  virtual int socketpair(int family, int type, int fds[2]) = 0;
  /// os.pipe(): fds[0] is the read end, fds[1] the write end.
  virtual int pipe(int fds[2]) = 0;
  virtual int close(int fd) = 0;
  virtual int bind(int fd, const SockAddr& addr) = 0;
  virtual int listen(int fd, int backlog) = 0;
  virtual int connect(int fd, const SockAddr& addr) = 0;
  /// accept4(SOCK_NONBLOCK|SOCK_CLOEXEC); the peer's address in *peer when given.
  virtual int accept(int fd, SockAddr* peer) = 0;
  virtual int shutdown(int fd, int how) = 0;  // SHUT_RD, SHUT_WR, SHUT_RDWR
  virtual int getsockname(int fd, SockAddr& out) = 0;
  virtual int getpeername(int fd, SockAddr& out) = 0;
  /// Integer socket options (SOL_SOCKET: SO_ERROR, SO_REUSEADDR, SO_REUSEPORT, SO_SNDBUF, SO_RCVBUF,
  /// SO_KEEPALIVE, SO_BROADCAST, SO_TYPE; IPPROTO_TCP: TCP_NODELAY; IPPROTO_IPV6: IPV6_V6ONLY).
  /// getsockopt returns the value (>= 0) or -errno.
  virtual int setsockopt(int fd, int level, int name, int value) = 0;
  virtual int getsockopt(int fd, int level, int name) = 0;
  /// What the descriptor is, as os.fstat(fd).st_mode & S_IFMT gives it (S_IFIFO, S_IFSOCK, S_IFCHR,
  /// ...), or -errno: the pipe transports accept pipes, sockets and character devices only
  /// (unix_events.py). A network that does not say calls every descriptor a socket.
  virtual int fd_kind(int fd) { return fd < 0 ? -EBADF : S_IFSOCK; }

  // --- Data. Stream sockets and pipes: send/recv (write/read on a pipe). 0 from recv is EOF.
  virtual long send(int fd, const void* data, std::size_t n) = 0;
  virtual long recv(int fd, void* buf, std::size_t n) = 0;
  /// Datagrams; sendto with a connected socket may pass an address of family 0.
  virtual long sendto(int fd, const void* data, std::size_t n, const SockAddr& to) = 0;
  virtual long recvfrom(int fd, void* buf, std::size_t n, SockAddr* from) = 0;

  // --- The selector (selectors.EpollSelector over these descriptors).
  /// Sets the interest of `fd` to `events` (kEventRead|kEventWrite); 0 removes it. A descriptor that
  /// is already ready when registered is reported by the next select, as epoll_ctl arranges.
  virtual int modify(int fd, unsigned events) = 0;
  /// Appends the ready descriptors to `out`, in the order epoll would report them (the order they
  /// became ready; a level-triggered descriptor reported once goes to the back). `timeout` 0 polls,
  /// a positive value waits up to that long, nullopt waits until something is ready. A real network
  /// really waits; the simulated one never blocks: see SimNetwork::next_event_time.
  virtual void select(std::optional<Nanos> timeout, std::vector<IoEvent>& out) = 0;
  /// Makes a blocked select return (another thread called call_soon_threadsafe): the self-pipe of
  /// selector_events.py, _write_to_self. Thread-safe.
  virtual void wakeup() = 0;
  /// For the virtual clock: the time at which something in flight (delayed data, a scheduled fault)
  /// next changes readiness, or nullopt when nothing is in flight. The loop's poll phase jumps the
  /// virtual clock there when nothing is ready sooner. A real network returns nullopt.
  virtual std::optional<Nanos> next_event_time() { return std::nullopt; }
  /// Removes the file at `path` if it is a socket (create_unix_server's clean-up of a stale socket
  /// file: os.stat + S_ISSOCK + os.remove). 0, or -errno (-ENOENT when there is none).
  virtual int remove_stale_unix_socket(const std::string& path) = 0;
  /// The number of descriptors registered with the selector.
  virtual std::size_t registered() const noexcept = 0;
};

}  // namespace asyncio

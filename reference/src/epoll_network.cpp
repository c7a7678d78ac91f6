#include "asyncio/epoll_network.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <mutex>
#include <cstddef>
#include <cstring>
#include <fcntl.h>

#include "asyncio/exceptions.hpp"

namespace asyncio {

namespace {
int rc(long r) { return r < 0 ? -errno : static_cast<int>(r); }
long lrc(long r) { return r < 0 ? -errno : r; }
constexpr int kFlags = SOCK_NONBLOCK | SOCK_CLOEXEC;
}  // namespace

int encode_sockaddr(const SockAddr& a, void* storage, std::size_t size) {
  std::memset(storage, 0, size);
  switch (a.family) {
    case AF_INET: {
      auto* s = static_cast<sockaddr_in*>(storage);
      s->sin_family = AF_INET;
      s->sin_port = htons(a.port);
      if (a.host.empty())
        s->sin_addr.s_addr = htonl(INADDR_ANY);
      else if (inet_pton(AF_INET, a.host.c_str(), &s->sin_addr) != 1)
        return -EINVAL;
      return sizeof(sockaddr_in);
    }
    case AF_INET6: {
      auto* s = static_cast<sockaddr_in6*>(storage);
      s->sin6_family = AF_INET6;
      s->sin6_port = htons(a.port);
      s->sin6_flowinfo = htonl(a.flowinfo);
      s->sin6_scope_id = a.scope_id;
      if (!a.host.empty() && inet_pton(AF_INET6, a.host.c_str(), &s->sin6_addr) != 1) return -EINVAL;
      return sizeof(sockaddr_in6);
    }
    case AF_UNIX: {
      auto* s = static_cast<sockaddr_un*>(storage);
      s->sun_family = AF_UNIX;
      // socketmodule.c: "AF_UNIX path too long" is an OSError(EINVAL)-style failure here.
      if (a.path.size() >= sizeof(s->sun_path) + (!a.path.empty() && a.path[0] == '\0')) return -EINVAL;
      std::memcpy(s->sun_path, a.path.data(), a.path.size());
      // An abstract name's length is exact; a path includes its terminating NUL.
      return static_cast<int>(offsetof(sockaddr_un, sun_path) + a.path.size() +
                              (a.path.empty() || a.path[0] != '\0'));
    }
    default: return -EAFNOSUPPORT;
  }
}

SockAddr decode_sockaddr(const void* storage, std::size_t len) {
  SockAddr a;
  if (len < sizeof(sa_family_t)) return a;
  char text[INET6_ADDRSTRLEN];
  switch (static_cast<const sockaddr*>(storage)->sa_family) {
    case AF_INET: {
      auto* s = static_cast<const sockaddr_in*>(storage);
      inet_ntop(AF_INET, &s->sin_addr, text, sizeof text);
      return SockAddr::inet(text, ntohs(s->sin_port));
    }
    case AF_INET6: {
      auto* s = static_cast<const sockaddr_in6*>(storage);
      inet_ntop(AF_INET6, &s->sin6_addr, text, sizeof text);
      return SockAddr::inet6(text, ntohs(s->sin6_port), ntohl(s->sin6_flowinfo), s->sin6_scope_id);
    }
    case AF_UNIX: {
      auto* s = static_cast<const sockaddr_un*>(storage);
      std::size_t n = len - offsetof(sockaddr_un, sun_path);
      // socketmodule.c: makesockaddr — a path stops at its NUL, an abstract name keeps its length.
      if (n > 0 && s->sun_path[0] != '\0') n = strnlen(s->sun_path, n);
      return SockAddr::unix_path(std::string(s->sun_path, n));
    }
    default: return a;
  }
}

EpollNetwork::EpollNetwork() : epfd_(epoll_create1(EPOLL_CLOEXEC)), wakeup_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (epfd_ < 0 || wakeup_fd_ < 0) raise_os_error(errno);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wakeup_fd_;
  if (epoll_ctl(epfd_, EPOLL_CTL_ADD, wakeup_fd_, &ev) < 0) raise_os_error(errno);
  events_.resize(1);
  // A write to a pipe whose reader is gone raises SIGPIPE, which kills the process; send() avoids it
  // with MSG_NOSIGNAL, write() cannot. CPython ignores SIGPIPE at start-up (pylifecycle.c:
  // init_signals); so does this network, unless the program installed a handler of its own.
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction old{};
    if (sigaction(SIGPIPE, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) std::signal(SIGPIPE, SIG_IGN);
  });
}

EpollNetwork::~EpollNetwork() {
  ::close(wakeup_fd_);
  ::close(epfd_);
}

// A new socket may reuse the number of a descriptor closed behind this network's back.
int EpollNetwork::socket(int family, int type, int protocol) {
  const int fd = rc(::socket(family, type | kFlags, protocol));
  set_not_socket(fd, false);
  return fd;
}

int EpollNetwork::socketpair(int family, int type, int fds[2]) {
  const int r = rc(::socketpair(family, type | kFlags, 0, fds));
  if (r == 0) set_not_socket(fds[0], false), set_not_socket(fds[1], false);
  return r;
}
int EpollNetwork::pipe(int fds[2]) {
  const int r = rc(::pipe2(fds, O_NONBLOCK | O_CLOEXEC));
  if (r == 0) set_not_socket(fds[0], true), set_not_socket(fds[1], true);
  return r;
}

int EpollNetwork::close(int fd) {
  // A closed descriptor leaves the epoll set by itself; forget its interest so that a new descriptor
  // with the same number starts unregistered.
  if (fd >= 0 && static_cast<std::size_t>(fd) < interest_.size() && interest_[fd]) {
    interest_[fd] = 0;
    --registered_;
  }
  set_not_socket(fd, false);
  return rc(::close(fd));
}

int EpollNetwork::bind(int fd, const SockAddr& addr) {
  sockaddr_storage s;
  const int len = encode_sockaddr(addr, &s, sizeof s);
  return len < 0 ? len : rc(::bind(fd, reinterpret_cast<sockaddr*>(&s), len));
}

int EpollNetwork::listen(int fd, int backlog) { return rc(::listen(fd, backlog)); }

int EpollNetwork::connect(int fd, const SockAddr& addr) {
  sockaddr_storage s;
  const int len = encode_sockaddr(addr, &s, sizeof s);
  return len < 0 ? len : rc(::connect(fd, reinterpret_cast<sockaddr*>(&s), len));
}

int EpollNetwork::accept(int fd, SockAddr* peer) {
  sockaddr_storage s;
  socklen_t len = sizeof s;
  const int r = rc(::accept4(fd, reinterpret_cast<sockaddr*>(&s), &len, kFlags));
  set_not_socket(r, false);
  if (r >= 0 && peer) *peer = decode_sockaddr(&s, len);
  return r;
}

int EpollNetwork::shutdown(int fd, int how) { return rc(::shutdown(fd, how)); }

int EpollNetwork::getsockname(int fd, SockAddr& out) {
  sockaddr_storage s;
  socklen_t len = sizeof s;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&s), &len) < 0) return -errno;
  out = decode_sockaddr(&s, len);
  return 0;
}

int EpollNetwork::getpeername(int fd, SockAddr& out) {
  sockaddr_storage s;
  socklen_t len = sizeof s;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&s), &len) < 0) return -errno;
  out = decode_sockaddr(&s, len);
  return 0;
}

int EpollNetwork::setsockopt(int fd, int level, int name, int value) {
  return rc(::setsockopt(fd, level, name, &value, sizeof value));
}

int EpollNetwork::getsockopt(int fd, int level, int name) {
  int value = 0;
  socklen_t len = sizeof value;
  return ::getsockopt(fd, level, name, &value, &len) < 0 ? -errno : value;
}

int EpollNetwork::fd_kind(int fd) {
  struct stat st;
  return ::fstat(fd, &st) < 0 ? -errno : static_cast<int>(st.st_mode & S_IFMT);
}

bool EpollNetwork::known_not_socket(int fd) const noexcept {
  return fd >= 0 && static_cast<std::size_t>(fd) < not_socket_.size() && not_socket_[fd];
}

void EpollNetwork::set_not_socket(int fd, bool value) {
  if (fd < 0) return;
  if (static_cast<std::size_t>(fd) >= not_socket_.size()) {
    if (!value) return;
    not_socket_.resize(fd + 1, false);
  }
  not_socket_[fd] = value;
}

// send/recv on a socket; write/read on anything else (a pipe), as os.write/os.read would. A
// descriptor found not to be a socket is remembered, so a pipe costs one system call per write.
long EpollNetwork::send(int fd, const void* data, std::size_t n) {
  if (!known_not_socket(fd)) {
    const long r = ::send(fd, data, n, MSG_NOSIGNAL);
    if (r >= 0 || errno != ENOTSOCK) return lrc(r);
    set_not_socket(fd, true);
  }
  return lrc(::write(fd, data, n));
}

long EpollNetwork::recv(int fd, void* buf, std::size_t n) {
  if (!known_not_socket(fd)) {
    const long r = ::recv(fd, buf, n, 0);
    if (r >= 0 || errno != ENOTSOCK) return lrc(r);
    set_not_socket(fd, true);
  }
  return lrc(::read(fd, buf, n));
}

long EpollNetwork::sendto(int fd, const void* data, std::size_t n, const SockAddr& to) {
  if (to.family == 0) return lrc(::send(fd, data, n, MSG_NOSIGNAL));
  sockaddr_storage s;
  const int len = encode_sockaddr(to, &s, sizeof s);
  if (len < 0) return len;
  return lrc(::sendto(fd, data, n, MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&s), len));
}

long EpollNetwork::recvfrom(int fd, void* buf, std::size_t n, SockAddr* from) {
  sockaddr_storage s;
  socklen_t len = sizeof s;
  const long r = ::recvfrom(fd, buf, n, 0, reinterpret_cast<sockaddr*>(&s), &len);
  if (r >= 0 && from) *from = decode_sockaddr(&s, len);
  return lrc(r);
}

// selectors.py: EpollSelector.register / modify / unregister.
int EpollNetwork::modify(int fd, unsigned events) {
  if (fd < 0) return -EBADF;
  if (static_cast<std::size_t>(fd) >= interest_.size()) interest_.resize(fd + 1, 0);
  const unsigned old = interest_[fd];
  if (old == events) return 0;
  epoll_event ev{};
  ev.events = ((events & kEventRead) ? EPOLLIN : 0u) | ((events & kEventWrite) ? EPOLLOUT : 0u);
  ev.data.fd = fd;
  const int op = !events ? EPOLL_CTL_DEL : old ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
  if (epoll_ctl(epfd_, op, fd, &ev) < 0) return -errno;
  interest_[fd] = events;
  if (!old) ++registered_;
  if (!events) --registered_;
  return 0;
}

void EpollNetwork::select(std::optional<Nanos> timeout, std::vector<IoEvent>& out) {
  // selectors.py: EpollSelector.select, with as many events as there are registered descriptors.
  int ms = -1;
  if (timeout) ms = *timeout <= 0 ? 0 : static_cast<int>(std::min<Nanos>(epoll_timeout(*timeout) / 1000000, 1 << 30));
  events_.resize(registered_ + 1);
  int n;
  do n = epoll_wait(epfd_, events_.data(), static_cast<int>(events_.size()), ms);
  while (n < 0 && errno == EINTR);
  for (int i = 0; i < n; ++i) {
    const epoll_event& ev = events_[i];
    if (ev.data.fd == wakeup_fd_) {
      // selector_events.py: _read_from_self drains the self-pipe.
      eventfd_t v;
      (void)eventfd_read(wakeup_fd_, &v);
      continue;
    }
    // selectors.py: `events & key.events` — a hang-up on a read-only registration is only readable.
    const unsigned interest = interest_[ev.data.fd];
    out.push_back({ev.data.fd, (ev.events & ~EPOLLOUT) != 0 && (interest & kEventRead),
                   (ev.events & ~EPOLLIN) != 0 && (interest & kEventWrite)});
  }
}

int EpollNetwork::remove_stale_unix_socket(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) < 0) return -errno;
  return S_ISSOCK(st.st_mode) ? rc(::unlink(path.c_str())) : 0;
}

void EpollNetwork::wakeup() { (void)eventfd_write(wakeup_fd_, 1); }

}  // namespace asyncio

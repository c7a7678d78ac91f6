#pragma once
// The kernel's network: sockets, pipes and epoll (selectors.EpollSelector), for a loop on the real
// clock. A thin layer: each call is the system call, its failure -errno.
#include <string>
#include <vector>

#include "asyncio/network.hpp"

struct epoll_event;  // <sys/epoll.h>

namespace asyncio {

class EpollNetwork final : public Network {
 public:
  EpollNetwork();
  ~EpollNetwork() override;
  EpollNetwork(const EpollNetwork&) = delete;
  EpollNetwork& operator=(const EpollNetwork&) = delete;

  bool is_simulated() const noexcept override { return false; }
  int socket(int family, int type, int protocol) override;
  int socketpair(int family, int type, int fds[2]) override;
  int pipe(int fds[2]) override;
  int close(int fd) override;
  int bind(int fd, const SockAddr& addr) override;
  int listen(int fd, int backlog) override;
  int connect(int fd, const SockAddr& addr) override;
  int accept(int fd, SockAddr* peer) override;
  int shutdown(int fd, int how) override;
  int getsockname(int fd, SockAddr& out) override;
  int getpeername(int fd, SockAddr& out) override;
  int setsockopt(int fd, int level, int name, int value) override;
  int getsockopt(int fd, int level, int name) override;
  int fd_kind(int fd) override;
  long send(int fd, const void* data, std::size_t n) override;
  long recv(int fd, void* buf, std::size_t n) override;
  long sendto(int fd, const void* data, std::size_t n, const SockAddr& to) override;
  long recvfrom(int fd, void* buf, std::size_t n, SockAddr* from) override;
  int modify(int fd, unsigned events) override;
  void select(std::optional<Nanos> timeout, std::vector<IoEvent>& out) override;
  void wakeup() override;
  int remove_stale_unix_socket(const std::string& path) override;
  std::size_t registered() const noexcept override { return registered_; }

 private:
  int epfd_;
  int wakeup_fd_;  // an eventfd: the self-pipe
  bool known_not_socket(int fd) const noexcept;
  void set_not_socket(int fd, bool value);
  std::vector<unsigned> interest_;  // by fd
  std::vector<bool> not_socket_;    // by fd: send/recv failed with ENOTSOCK (a pipe, a tty)
  std::size_t registered_ = 0;
  std::vector<::epoll_event> events_;
};

/// Converts between SockAddr and the kernel's sockaddr (sockaddr_in, sockaddr_in6, sockaddr_un).
/// Returns the length written, or -EINVAL / -EAFNOSUPPORT for an address that cannot be encoded.
int encode_sockaddr(const SockAddr& a, void* storage, std::size_t size);
SockAddr decode_sockaddr(const void* storage, std::size_t len);

}  // namespace asyncio

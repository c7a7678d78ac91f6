#pragma once
// A virtual-time loop's network once it holds kernel descriptors (EventLoop::add_kernel_descriptor:
// the pipes to a child process, a pidfd, a signal wakeup): the simulated network and the kernel's
// epoll behind one numbering, so that the transports and the loop's selector map work unchanged.
// The simulated network keeps its numbers; a kernel descriptor k is EventLoop::kKernelFdBase + k.
// A select polls both: the simulated network's ready descriptors first, then the kernel's.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "asyncio/network.hpp"

namespace asyncio::detail {

class MixedNetwork final : public Network {
 public:
  MixedNetwork(std::shared_ptr<Network> sim, std::shared_ptr<Network> kernel)
      : sim_(std::move(sim)), kernel_(std::move(kernel)) {}
  /// The number of kernel descriptor `fd` here.
  int adopt(int fd) const noexcept;

  bool is_simulated() const noexcept override { return true; }
  // New descriptors are the simulated network's.
  int socket(int family, int type, int protocol) override { return sim_->socket(family, type, protocol); }
  int socketpair(int family, int type, int fds[2]) override { return sim_->socketpair(family, type, fds); }
  int pipe(int fds[2]) override { return sim_->pipe(fds); }
  int close(int fd) override { return of(fd).close(local(fd)); }
  int bind(int fd, const SockAddr& addr) override { return of(fd).bind(local(fd), addr); }
  int listen(int fd, int backlog) override { return of(fd).listen(local(fd), backlog); }
  int connect(int fd, const SockAddr& addr) override { return of(fd).connect(local(fd), addr); }
  int accept(int fd, SockAddr* peer) override;
  int shutdown(int fd, int how) override { return of(fd).shutdown(local(fd), how); }
  int getsockname(int fd, SockAddr& out) override { return of(fd).getsockname(local(fd), out); }
  int getpeername(int fd, SockAddr& out) override { return of(fd).getpeername(local(fd), out); }
  int setsockopt(int fd, int level, int name, int value) override {
    return of(fd).setsockopt(local(fd), level, name, value);
  }
  int getsockopt(int fd, int level, int name) override { return of(fd).getsockopt(local(fd), level, name); }
  int fd_kind(int fd) override { return of(fd).fd_kind(local(fd)); }
  long send(int fd, const void* data, std::size_t n) override { return of(fd).send(local(fd), data, n); }
  long recv(int fd, void* buf, std::size_t n) override { return of(fd).recv(local(fd), buf, n); }
  long sendto(int fd, const void* data, std::size_t n, const SockAddr& to) override {
    return of(fd).sendto(local(fd), data, n, to);
  }
  long recvfrom(int fd, void* buf, std::size_t n, SockAddr* from) override {
    return of(fd).recvfrom(local(fd), buf, n, from);
  }
  int modify(int fd, unsigned events) override { return of(fd).modify(local(fd), events); }
  /// A virtual loop polls (timeout 0); it waits in the kernel's epoll itself (EventLoop::wait_external).
  void select(std::optional<Nanos> timeout, std::vector<IoEvent>& out) override;
  void wakeup() override { kernel_->wakeup(); }
  std::optional<Nanos> next_event_time() override { return sim_->next_event_time(); }
  int remove_stale_unix_socket(const std::string& path) override { return sim_->remove_stale_unix_socket(path); }
  std::size_t registered() const noexcept override { return sim_->registered() + kernel_->registered(); }

 private:
  static bool is_kernel(int fd) noexcept;
  Network& of(int fd) const noexcept { return is_kernel(fd) ? *kernel_ : *sim_; }
  static int local(int fd) noexcept;
  std::shared_ptr<Network> sim_;
  std::shared_ptr<Network> kernel_;
  std::vector<IoEvent> kernel_events_;
};

}  // namespace asyncio::detail

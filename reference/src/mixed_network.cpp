#include "mixed_network.hpp"

#include "asyncio/events.hpp"

namespace asyncio::detail {

bool MixedNetwork::is_kernel(int fd) noexcept { return fd >= EventLoop::kKernelFdBase; }
int MixedNetwork::local(int fd) noexcept { return is_kernel(fd) ? fd - EventLoop::kKernelFdBase : fd; }
int MixedNetwork::adopt(int fd) const noexcept { return fd + EventLoop::kKernelFdBase; }

int MixedNetwork::accept(int fd, SockAddr* peer) {
  const int r = of(fd).accept(local(fd), peer);
  return r >= 0 && is_kernel(fd) ? adopt(r) : r;
}

void MixedNetwork::select(std::optional<Nanos> timeout, std::vector<IoEvent>& out) {
  sim_->select(timeout, out);
  if (!kernel_->registered()) return;
  kernel_events_.clear();
  kernel_->select(0, kernel_events_);
  for (IoEvent e : kernel_events_) {
    e.fd = adopt(e.fd);
    out.push_back(e);
  }
}

}  // namespace asyncio::detail

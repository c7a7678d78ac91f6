#include "asyncio/socket.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <utility>

#include "asyncio/events.hpp"
#include "asyncio/exceptions.hpp"

namespace asyncio {

Socket::Socket(int family, int type, int proto) : Socket(get_event_loop().network_ptr(), family, type, proto) {}

Socket::Socket(std::shared_ptr<Network> net, int family, int type, int proto)
    : net_(std::move(net)), family_(family), type_(type), proto_(proto) {
  const int fd = net_->socket(family, type, proto);
  check(fd);
  fd_ = fd;
}

Socket::Socket(std::shared_ptr<Network> net, int fd, int family, int type, int proto)
    : net_(std::move(net)), fd_(fd), family_(family), type_(type), proto_(proto) {}

Socket Socket::adopt(std::shared_ptr<Network> net, int fd, int family, int type, int proto) {
  return Socket(std::move(net), fd, family, type, proto);
}

std::pair<Socket, Socket> socketpair(int family, int type) { return socketpair(get_event_loop().network_ptr(), family, type); }

std::pair<Socket, Socket> socketpair(std::shared_ptr<Network> net, int family, int type) {
  family = family ? family : AF_UNIX;
  type = type ? type : SOCK_STREAM;
  int fds[2];
  if (const int rc = net->socketpair(family, type, fds); rc < 0) raise_os_error(-rc);
  return {Socket::adopt(net, fds[0], family, type), Socket::adopt(net, fds[1], family, type)};
}

Socket::Socket(Socket&& o) noexcept
    : net_(std::move(o.net_)), fd_(std::exchange(o.fd_, -1)), family_(o.family_), type_(o.type_), proto_(o.proto_) {}

Socket& Socket::operator=(Socket&& o) noexcept {
  if (this != &o) {
    close();
    net_ = std::move(o.net_);
    fd_ = std::exchange(o.fd_, -1);
    family_ = o.family_;
    type_ = o.type_;
    proto_ = o.proto_;
  }
  return *this;
}

Socket::~Socket() { close(); }

void Socket::check(long rc) const {
  if (rc < 0) raise_os_error(static_cast<int>(-rc));
}

void Socket::bind(const SockAddr& addr) { check(net_->bind(fd_, addr)); }
void Socket::listen(int backlog) { check(net_->listen(fd_, backlog)); }
void Socket::connect(const SockAddr& addr) { check(net_->connect(fd_, addr)); }
int Socket::connect_ex(const SockAddr& addr) { return -net_->connect(fd_, addr); }

std::pair<Socket, SockAddr> Socket::accept() {
  SockAddr peer;
  const int fd = net_->accept(fd_, &peer);
  check(fd);
  return {Socket(net_, fd, family_, type_, proto_), std::move(peer)};
}

std::size_t Socket::send(std::string_view data) {
  const long n = net_->send(fd_, data.data(), data.size());
  check(n);
  return static_cast<std::size_t>(n);
}

std::size_t Socket::sendto(std::string_view data, const SockAddr& addr) {
  const long n = net_->sendto(fd_, data.data(), data.size(), addr);
  check(n);
  return static_cast<std::size_t>(n);
}

std::string Socket::recv(std::size_t bufsize) {
  std::string out(bufsize, '\0');
  const long n = net_->recv(fd_, out.data(), bufsize);
  check(n);
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::size_t Socket::recv_into(std::span<char> buf) {
  const long n = net_->recv(fd_, buf.data(), buf.size());
  check(n);
  return static_cast<std::size_t>(n);
}

std::pair<std::string, SockAddr> Socket::recvfrom(std::size_t bufsize) {
  std::string out(bufsize, '\0');
  SockAddr from;
  const long n = net_->recvfrom(fd_, out.data(), bufsize, &from);
  check(n);
  out.resize(static_cast<std::size_t>(n));
  return {std::move(out), std::move(from)};
}

void Socket::shutdown(int how) { check(net_->shutdown(fd_, how)); }

SockAddr Socket::getsockname() const {
  SockAddr a;
  check(net_->getsockname(fd_, a));
  return a;
}

SockAddr Socket::getpeername() const {
  SockAddr a;
  check(net_->getpeername(fd_, a));
  return a;
}

void Socket::setsockopt(int level, int name, int value) { check(net_->setsockopt(fd_, level, name, value)); }

int Socket::getsockopt(int level, int name) const {
  const int v = net_->getsockopt(fd_, level, name);
  check(v);
  return v;
}

void Socket::close() noexcept {
  if (fd_ >= 0) net_->close(std::exchange(fd_, -1));
}

int Socket::detach() noexcept { return std::exchange(fd_, -1); }

// socket.py: socket.__repr__.
std::string Socket::repr() const {
  std::string out = "<socket.socket";
  if (fd_ < 0) out += " [closed]";
  out += " fd=" + std::to_string(fd_) + ", family=" + std::to_string(family_) + ", type=" + std::to_string(type_) +
         ", proto=" + std::to_string(proto_);
  // '%s' of the address: a path prints bare; an empty (unnamed) one is left out.
  auto addr = [&](const char* key, int rc, const SockAddr& a) {
    if (rc != 0 || (a.family == AF_UNIX && a.path.empty())) return;
    out += std::string(", ") + key + "=" + (a.family == AF_UNIX && a.path[0] != '\0' ? a.path : a.repr());
  };
  if (fd_ >= 0) {
    SockAddr a;
    addr("laddr", net_->getsockname(fd_, a), a);
    addr("raddr", net_->getpeername(fd_, a), a);
  }
  return out + ">";
}

}  // namespace asyncio

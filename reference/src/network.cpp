// SockAddr and the resolver (socket.getaddrinfo / getnameinfo for numeric hosts and 'localhost').
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <string>

#include "asyncio/exceptions.hpp"
#include "asyncio/network.hpp"
#include "asyncio/socket.hpp"

namespace asyncio {

SockAddr SockAddr::inet(std::string host, std::uint16_t port) {
  SockAddr a;
  a.family = AF_INET;
  a.host = std::move(host);
  a.port = port;
  return a;
}

SockAddr SockAddr::inet6(std::string host, std::uint16_t port, std::uint32_t flowinfo, std::uint32_t scope_id) {
  SockAddr a;
  a.family = AF_INET6;
  a.host = std::move(host);
  a.port = port;
  a.flowinfo = flowinfo;
  a.scope_id = scope_id;
  return a;
}

SockAddr SockAddr::unix_path(std::string path) {
  SockAddr a;
  a.family = AF_UNIX;
  a.path = std::move(path);
  return a;
}

std::string SockAddr::repr() const {
  switch (family) {
    case AF_INET: return "(" + py_repr(host) + ", " + std::to_string(port) + ")";
    case AF_INET6:
      return "(" + py_repr(host) + ", " + std::to_string(port) + ", " + std::to_string(flowinfo) + ", " +
             std::to_string(scope_id) + ")";
    case AF_UNIX: return !path.empty() && path[0] == '\0' ? bytes_repr(path) : py_repr(path);  // socketmodule.c: bytes for an abstract name
    default: return "None";
  }
}

namespace {
bool parse_port(std::string_view port, std::uint16_t& out) {
  if (port.empty()) {
    out = 0;
    return true;
  }
  unsigned long v = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned long>(c - '0');
    if (v > 65535) return false;
  }
  out = static_cast<std::uint16_t>(v);
  return true;
}

[[noreturn]] void raise_gai(int code) { throw gaierror(code, gai_strerror(code)); }
}  // namespace

// glibc's order: for each address, SOCK_STREAM/TCP, SOCK_DGRAM/UDP, SOCK_RAW/0 unless a type or protocol
// narrows it; with no host, the wildcard (AI_PASSIVE) or loopback, IPv6 first for loopback and IPv4
// first for the wildcard (as gai.conf's default sorting gives on Linux). 'localhost' is 127.0.0.1, as
// /etc/hosts maps it on Debian.
std::vector<AddrInfo> getaddrinfo(std::string_view host, std::string_view port, int family, int type, int proto,
                                  int flags) {
  std::uint16_t p;
  if (!parse_port(port, p)) raise_gai(EAI_SERVICE);
  if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) raise_gai(EAI_FAMILY);
  std::vector<SockAddr> addrs;
  auto want = [&](int f) { return family == AF_UNSPEC || family == f; };
  if (host.empty()) {
    const bool passive = flags & AI_PASSIVE;
    if (passive) {
      if (want(AF_INET)) addrs.push_back(SockAddr::inet("0.0.0.0", p));
      if (want(AF_INET6)) addrs.push_back(SockAddr::inet6("::", p));
    } else {
      if (want(AF_INET6)) addrs.push_back(SockAddr::inet6("::1", p));
      if (want(AF_INET)) addrs.push_back(SockAddr::inet("127.0.0.1", p));
    }
  } else {
    std::string h(host);
    unsigned char buf[sizeof(in6_addr)];
    if (h == "localhost") {
      if (!want(AF_INET)) raise_gai(EAI_ADDRFAMILY);
      addrs.push_back(SockAddr::inet("127.0.0.1", p));
    } else if (inet_pton(AF_INET, h.c_str(), buf) == 1) {
      if (!want(AF_INET)) raise_gai(EAI_ADDRFAMILY);
      char text[INET_ADDRSTRLEN];
      addrs.push_back(SockAddr::inet(inet_ntop(AF_INET, buf, text, sizeof text), p));
    } else if (inet_pton(AF_INET6, h.c_str(), buf) == 1) {
      if (!want(AF_INET6)) raise_gai(EAI_ADDRFAMILY);
      char text[INET6_ADDRSTRLEN];
      addrs.push_back(SockAddr::inet6(inet_ntop(AF_INET6, buf, text, sizeof text), p));
    } else {
      // No DNS here: any other name is unknown, as a resolver without it would answer.
      raise_gai(EAI_NONAME);
    }
  }
  struct Kind {
    int type, proto;
  };
  static constexpr Kind kinds[] = {{SOCK_STREAM, IPPROTO_TCP}, {SOCK_DGRAM, IPPROTO_UDP}, {SOCK_RAW, 0}};
  std::vector<AddrInfo> out;
  for (const SockAddr& a : addrs)
    for (const Kind& k : kinds) {
      if (type && type != k.type) continue;
      if (proto && proto != k.proto) continue;
      out.push_back({a.family, k.type, k.proto, {}, a});
    }
  if (out.empty()) raise_gai(EAI_SOCKTYPE);
  return out;
}

std::pair<std::string, std::string> getnameinfo(const SockAddr& addr, int flags) {
  (void)flags;
  if (addr.family != AF_INET && addr.family != AF_INET6) raise_gai(EAI_FAMILY);
  return {addr.host, std::to_string(addr.port)};
}

}  // namespace asyncio

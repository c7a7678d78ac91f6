// SimNetwork: the system calls' results and epoll's order against Linux loopback. The figures
// asserted were measured on the kernel (the Python blocks re-derive them; SimCrossCheck runs the same
// call sequences on EpollNetwork and compares everything they return).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <asyncio/epoll_network.hpp>
#include <asyncio/sim_network.hpp>

namespace asyncio {
namespace {

constexpr Nanos kMs = 1'000'000;
constexpr Nanos kSec = 1'000'000'000;

SockAddr v4(std::uint16_t port = 0, std::string host = "127.0.0.1") { return SockAddr::inet(std::move(host), port); }
SockAddr v6(std::uint16_t port = 0, std::string host = "::1") { return SockAddr::inet6(std::move(host), port); }
SimConfig faults(Nanos latency, Nanos jitter = 0, double drop = 0, std::uint64_t seed = 1) {
  SimConfig c;
  c.seed = seed;
  c.latency = latency;
  c.jitter = jitter;
  c.drop_probability = drop;
  return c;
}
SockAddr abstract(std::string_view name) { return SockAddr::unix_path(std::string(1, '\0') + std::string(name)); }

// The calls the tests make, on either network.
struct Calls {
  Network& net;

  std::vector<IoEvent> poll() {
    std::vector<IoEvent> out;
    net.select(0, out);
    return out;
  }
  SockAddr local_addr(int fd) {
    SockAddr a;
    net.getsockname(fd, a);
    return a;
  }
  std::uint16_t port(int fd) {
    SockAddr a;
    EXPECT_EQ(net.getsockname(fd, a), 0);
    return a.port;
  }
  int listener(const SockAddr& at = v4(), int backlog = 128) {
    const int fd = net.socket(at.family, SOCK_STREAM);
    EXPECT_EQ(net.bind(fd, at), 0);
    EXPECT_EQ(net.listen(fd, backlog), 0);
    return fd;
  }
  int client(int lfd, int family = AF_INET) {
    SockAddr a;
    net.getsockname(lfd, a);
    const int fd = net.socket(family, SOCK_STREAM);
    EXPECT_EQ(net.connect(fd, a), -EINPROGRESS);
    return fd;
  }
  // A connected pair: {client, accepted}.
  std::pair<int, int> tcp_pair(int lfd) {
    const int c = client(lfd);
    EXPECT_EQ(net.getsockopt(c, SOL_SOCKET, SO_ERROR), 0);
    return {c, net.accept(lfd, nullptr)};
  }
  // Sends `chunk`-byte writes until EAGAIN; the bytes accepted.
  long fill(int fd, std::size_t chunk) {
    std::string data(chunk, 'x');
    long total = 0;
    for (long n; (n = net.send(fd, data.data(), chunk)) > 0;) total += n;
    return total;
  }
  long drain(int fd) {
    char buf[65536];
    long total = 0;
    for (long n; (n = net.recv(fd, buf, sizeof buf)) > 0;) total += n;
    return total;
  }
  std::string recv(int fd, std::size_t n = 65536) {
    std::string buf(n, '\0');
    const long k = net.recv(fd, buf.data(), n);
    return k < 0 ? "errno " + std::to_string(-k) : buf.substr(0, static_cast<std::size_t>(k));
  }
  long send(int fd, std::string_view s) { return net.send(fd, s.data(), s.size()); }
};

struct Sim : testing::Test, Calls {
  VirtualClock clock;
  SimNetwork sim{clock};
  Sim() : Calls{sim} {}
  // The events of one select, as "fd:rw" strings in epoll's order.
  std::vector<std::string> events() {
    std::vector<std::string> out;
    for (const IoEvent& e : poll())
      out.push_back(std::to_string(e.fd) + ":" + (e.readable ? "r" : "") + (e.writable ? "w" : ""));
    return out;
  }
};

using SimTcp = Sim;
using SimUnix = Sim;
using SimUdp = Sim;
using SimPipe = Sim;
using SimSelector = Sim;

using V = std::vector<std::string>;

// Python:
//   import socket, select
//   L = socket.socket(); L.bind(('127.0.0.1', 0)); port = L.getsockname()[1]; L.close()
//   c = socket.socket(); c.setblocking(False)
//   print(c.connect_ex(('127.0.0.1', port)), c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR),
//         c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), c.connect_ex(('127.0.0.1', port)))
//   ep = select.epoll(); d = socket.socket(); ep.register(d, select.EPOLLIN | select.EPOLLOUT)
//   print(ep.poll(0)[0][1]); d.setblocking(False); d.connect_ex(('127.0.0.1', port)); print(ep.poll(0)[0][1])
//   print(d.connect_ex(('127.0.0.1', port)), d.connect_ex(('127.0.0.1', port)))
// Output:
//   115 111 0 103
//   20
//   29
//   111 115
TEST_F(SimTcp, ConnectToAClosedPortIsRefusedAfterEinprogress) {
  const int l = listener();
  const SockAddr to = v4(port(l));
  sim.close(l);
  const int c = sim.socket(AF_INET, SOCK_STREAM);
  EXPECT_EQ(sim.connect(c, to), -EINPROGRESS);
  EXPECT_EQ(sim.getsockopt(c, SOL_SOCKET, SO_ERROR), ECONNREFUSED);
  EXPECT_EQ(sim.getsockopt(c, SOL_SOCKET, SO_ERROR), 0);
  EXPECT_EQ(sim.connect(c, to), -ECONNABORTED);  // the error was read already

  const int d = sim.socket(AF_INET, SOCK_STREAM);
  sim.modify(d, kEventRead | kEventWrite);
  EXPECT_EQ(events(), V{std::to_string(d) + ":rw"});  // EPOLLOUT|EPOLLHUP: a fresh socket is "closed"
  EXPECT_EQ(sim.connect(d, to), -EINPROGRESS);
  EXPECT_EQ(events(), V{std::to_string(d) + ":rw"});  // IN|OUT|ERR|HUP
  EXPECT_EQ(sim.connect(d, to), -ECONNREFUSED);        // the pending error, consumed
  EXPECT_EQ(sim.connect(d, to), -EINPROGRESS);         // a new attempt
}

TEST_F(SimTcp, ConnectCompletesAtOnceOnLoopback) {
  const int l = listener();
  const int c = client(l);
  EXPECT_EQ(sim.getsockopt(c, SOL_SOCKET, SO_ERROR), 0);
  EXPECT_EQ(sim.connect(c, v4(port(l))), 0);  // SS_CONNECTING -> SS_CONNECTED
  EXPECT_EQ(sim.connect(c, v4(port(l))), -EISCONN);
  SockAddr peer, name, cpeer;
  const int s = sim.accept(l, &peer);
  ASSERT_GE(s, 0);
  EXPECT_EQ(sim.accept(l, nullptr), -EAGAIN);
  EXPECT_EQ(sim.getsockname(c, name), 0);
  EXPECT_EQ(peer, name);
  EXPECT_EQ(name.host, "127.0.0.1");
  EXPECT_EQ(name.port % 2, 0);  // connect() takes even ephemeral ports
  EXPECT_GE(name.port, 32768);
  EXPECT_EQ(sim.getpeername(c, cpeer), 0);
  EXPECT_EQ(cpeer, v4(port(l)));
  EXPECT_EQ(send(c, "hello"), 5);
  EXPECT_EQ(recv(s), "hello");  // on loopback the data is there when send returns
  EXPECT_EQ(recv(s), "errno " + std::to_string(EAGAIN));
  EXPECT_EQ(sim.getsockopt(c, SOL_SOCKET, SO_SNDBUF), 3939840);  // tcp_sndbuf_expand
  EXPECT_EQ(sim.getsockopt(s, SOL_SOCKET, SO_RCVBUF), 131072);
}

TEST_F(SimTcp, AFreshSocket) {
  const int t = sim.socket(AF_INET, SOCK_STREAM);
  char b;
  SockAddr a;
  EXPECT_EQ(sim.recv(t, &b, 1), -ENOTCONN);
  EXPECT_EQ(sim.send(t, "x", 1), -EPIPE);
  EXPECT_EQ(sim.getpeername(t, a), -ENOTCONN);
  EXPECT_EQ(sim.accept(t, nullptr), -EINVAL);
  EXPECT_EQ(sim.shutdown(t, SHUT_WR), -ENOTCONN);
  EXPECT_EQ(sim.shutdown(t, 7), -EINVAL);
  EXPECT_EQ(sim.getsockname(t, a), 0);
  EXPECT_EQ(a, v4(0, "0.0.0.0"));
  EXPECT_EQ(sim.listen(t, 5), 0);  // binds a port first (odd, as bind(0) picks)
  EXPECT_EQ(sim.getsockname(t, a), 0);
  EXPECT_EQ(a.host, "0.0.0.0");
  EXPECT_EQ(a.port % 2, 1);
  EXPECT_EQ(sim.getsockopt(t, SOL_SOCKET, SO_TYPE), SOCK_STREAM);
  EXPECT_EQ(sim.recv(99, &b, 1), -EBADF);
  EXPECT_EQ(sim.close(99), -EBADF);
  EXPECT_EQ(sim.close(t), 0);
  EXPECT_EQ(sim.close(t), -EBADF);
}

TEST_F(SimTcp, DescriptorsStartAtSixAndReuseTheLowest) {
  const int a = sim.socket(AF_INET, SOCK_STREAM), b = sim.socket(AF_INET, SOCK_STREAM);
  EXPECT_EQ(a, 6);
  EXPECT_EQ(b, 7);
  sim.close(a);
  EXPECT_EQ(sim.socket(AF_INET, SOCK_DGRAM), 6);
  EXPECT_EQ(sim.socket(AF_INET, 12345), -EINVAL);
  EXPECT_EQ(sim.socket(12345, SOCK_DGRAM), -EAFNOSUPPORT);
  EXPECT_EQ(sim.fd_kind(6), S_IFSOCK);
}

// Python:
//   import socket
//   def bind(addr, reuse=False, listen=False, opt=socket.SO_REUSEADDR, fam=socket.AF_INET):
//       s = socket.socket(fam); s.setsockopt(socket.SOL_SOCKET, opt, reuse)
//       try: s.bind(addr); listen and s.listen(); return s
//       except OSError as e: print(e.errno); return s
//   any_ = bind(('0.0.0.0', 0)); p = any_.getsockname()[1]
//   bind(('10.1.2.3', p)); bind(('127.0.0.5', p)); bind(('::1', p), fam=socket.AF_INET6)
//   a = bind(('127.0.0.1', 0), True); q = a.getsockname()[1]; b = bind(('127.0.0.1', q), True)
//   a.listen()
//   try: b.listen()
//   except OSError as e: print(e.errno)
//   bind(('127.0.0.1', q), True)
//   c = bind(('127.0.0.1', 0), True, True, socket.SO_REUSEPORT); r = c.getsockname()[1]
//   bind(('127.0.0.1', r), True, True, socket.SO_REUSEPORT); print('shared')
// Output:
//   99
//   98
//   98
//   98
//   shared
TEST_F(SimTcp, BindRules) {
  auto bind = [&](const SockAddr& at, bool reuse = false, bool listen = false, int opt = SO_REUSEADDR) {
    const int s = sim.socket(at.family, SOCK_STREAM);
    sim.setsockopt(s, SOL_SOCKET, opt, reuse);
    int rc = sim.bind(s, at);
    if (!rc && listen) rc = sim.listen(s, 5);
    return std::pair{s, rc};
  };
  const auto [any, rc0] = bind(v4(0, "0.0.0.0"));
  ASSERT_EQ(rc0, 0);
  const std::uint16_t p = port(any);
  EXPECT_EQ(bind(v4(p, "10.1.2.3")).second, -EADDRNOTAVAIL);
  EXPECT_EQ(bind(v4(p, "127.0.0.5")).second, -EADDRINUSE);  // under the wildcard
  EXPECT_EQ(bind(v6(p)).second, 0);                         // ::1 is another address
  EXPECT_EQ(bind(v6(p, "::")).second, -EADDRINUSE);         // dual-stack covers 0.0.0.0
  EXPECT_EQ(sim.bind(any, v4(p)), -EINVAL);                 // bound already

  const auto [a, rca] = bind(v4(), true);
  const std::uint16_t q = port(a);
  const auto [b, rcb] = bind(v4(q), true);
  EXPECT_EQ(rcb, 0);  // both SO_REUSEADDR, neither listening
  EXPECT_EQ(sim.listen(a, 5), 0);
  EXPECT_EQ(sim.listen(b, 5), -EADDRINUSE);
  EXPECT_EQ(bind(v4(q), true).second, -EADDRINUSE);
  EXPECT_EQ(bind(v4(q, "127.0.0.2")).second, 0);

  const auto [c, rcc] = bind(v4(), true, true, SO_REUSEPORT);
  EXPECT_EQ(bind(v4(port(c)), true, true, SO_REUSEPORT).second, 0);
  EXPECT_EQ(sim.bind(a, SockAddr::inet6("::1", 0)), -EINVAL);
  const int s6 = sim.socket(AF_INET, SOCK_STREAM);
  EXPECT_EQ(sim.bind(s6, v6()), -EAFNOSUPPORT);
}

// Python:
//   import socket
//   L = socket.socket(); L.bind(('127.0.0.5', 0)); L.listen()
//   c = socket.socket(); c.setblocking(False); c.connect_ex(L.getsockname()); print(c.getsockname()[0])
//   A = socket.socket(); A.bind(('0.0.0.0', 0)); A.listen()
//   d = socket.socket(); d.setblocking(False); d.connect_ex(('0.0.0.0', A.getsockname()[1]))
//   print(d.getpeername()[0])
// Output:
//   127.0.0.1
//   127.0.0.1
TEST_F(SimTcp, SourceAndDestinationAddresses) {
  const int l = listener(v4(0, "127.0.0.5"));
  const int c = client(l);
  SockAddr a;
  sim.getsockname(c, a);
  EXPECT_EQ(a.host, "127.0.0.1");
  SockAddr accepted;
  const int s = sim.accept(l, &accepted);
  sim.getsockname(s, a);
  EXPECT_EQ(a, v4(port(l), "127.0.0.5"));

  const int any = listener(v4(0, "0.0.0.0"));
  const int d = sim.socket(AF_INET, SOCK_STREAM);
  EXPECT_EQ(sim.connect(d, v4(port(any), "0.0.0.0")), -EINPROGRESS);
  sim.getpeername(d, a);
  EXPECT_EQ(a, v4(port(any)));
  EXPECT_EQ(sim.connect(sim.socket(AF_INET, SOCK_STREAM), v4(80, "10.0.0.1")), -ENETUNREACH);
}

TEST_F(SimTcp, DualStackListenerTakesIpv4Clients) {
  const int l = listener(v6(0, "::"));
  const int d = sim.socket(AF_INET, SOCK_STREAM);
  EXPECT_EQ(sim.connect(d, v4(port(l))), -EINPROGRESS);
  EXPECT_EQ(sim.getsockopt(d, SOL_SOCKET, SO_ERROR), 0);
  SockAddr peer;
  ASSERT_GE(sim.accept(l, &peer), 0);
  EXPECT_EQ(peer.family, AF_INET6);
  EXPECT_EQ(peer.host, "::ffff:127.0.0.1");

  const int only = sim.socket(AF_INET6, SOCK_STREAM);
  EXPECT_EQ(sim.setsockopt(only, IPPROTO_IPV6, IPV6_V6ONLY, 1), 0);
  EXPECT_EQ(sim.bind(only, v6(0, "::")), 0);
  EXPECT_EQ(sim.listen(only, 1), 0);
  const int e = sim.socket(AF_INET, SOCK_STREAM);
  EXPECT_EQ(sim.connect(e, v4(port(only))), -EINPROGRESS);
  EXPECT_EQ(sim.getsockopt(e, SOL_SOCKET, SO_ERROR), ECONNREFUSED);
  EXPECT_EQ(sim.setsockopt(only, IPPROTO_IPV6, IPV6_V6ONLY, 0), -EINVAL);  // bound already
  EXPECT_EQ(sim.setsockopt(e, IPPROTO_IPV6, IPV6_V6ONLY, 0), -ENOPROTOOPT);
}

// Python:
//   import socket, select
//   L = socket.socket(); L.bind(('127.0.0.1', 0)); L.listen(1)
//   for i in range(4):
//       c = socket.socket(); c.setblocking(False); c.connect_ex(L.getsockname())
//       e = select.epoll(); e.register(c, select.EPOLLOUT); print(i, e.poll(0) != [])
// Output:
//   0 True
//   1 True
//   2 False
//   3 False
TEST_F(SimTcp, AFullAcceptQueueDropsSynsUntilTheRetransmission) {
  const int l = listener(v4(), 1);
  std::vector<int> c;
  for (int i = 0; i < 4; ++i) {
    c.push_back(client(l));
    sim.modify(c.back(), kEventWrite);
  }
  EXPECT_EQ(events(), (V{std::to_string(c[0]) + ":w", std::to_string(c[1]) + ":w"}));
  EXPECT_EQ(sim.connect(c[2], v4(port(l))), -EALREADY);
  EXPECT_EQ(sim.send(c[2], "x", 1), -EAGAIN);
  EXPECT_EQ(sim.next_event_time(), kSec);  // the first SYN retransmission
  ASSERT_GE(sim.accept(l, nullptr), 0);
  ASSERT_GE(sim.accept(l, nullptr), 0);
  clock.advance_to(kSec);
  EXPECT_EQ(events(), (V{std::to_string(c[0]) + ":w", std::to_string(c[1]) + ":w", std::to_string(c[2]) + ":w",
                         std::to_string(c[3]) + ":w"}));
  EXPECT_EQ(sim.getsockopt(c[3], SOL_SOCKET, SO_ERROR), 0);

  // Never accepted: the SYN is retried at 1, 3, 7, 15, 31 and 63 s, and the connect fails at 127 s.
  const int late = client(l);
  const Nanos start = clock.peek();
  std::vector<Nanos> at;
  while (auto t = sim.next_event_time()) {
    at.push_back(*t - start);
    clock.advance_to(*t);
    events();
  }
  EXPECT_EQ(at, (std::vector<Nanos>{kSec, 3 * kSec, 7 * kSec, 15 * kSec, 31 * kSec, 63 * kSec, 127 * kSec}));
  EXPECT_EQ(sim.getsockopt(late, SOL_SOCKET, SO_ERROR), ETIMEDOUT);
}

TEST_F(SimTcp, HalfCloseAndEof) {
  const auto [c, s] = tcp_pair(listener());
  EXPECT_EQ(send(c, "abc"), 3);
  EXPECT_EQ(sim.shutdown(c, SHUT_WR), 0);
  EXPECT_EQ(send(c, "x"), -EPIPE);
  EXPECT_EQ(recv(s, 2), "ab");
  EXPECT_EQ(recv(s), "c");
  EXPECT_EQ(recv(s), "");  // EOF only after all data
  EXPECT_EQ(send(s, "back"), 4);  // the other direction still works
  EXPECT_EQ(recv(c), "back");
  sim.modify(s, kEventRead);
  sim.modify(c, kEventRead);
  EXPECT_EQ(events(), V{std::to_string(s) + ":r"});  // EPOLLIN|EPOLLRDHUP; c has nothing to read
  sim.close(s);
  EXPECT_EQ(recv(c), "");
}

// Python:
//   import socket
//   L = socket.socket(); L.bind(('127.0.0.1', 0)); L.listen()
//   c = socket.create_connection(L.getsockname()); s, _ = L.accept()
//   c.send(b'unread'); s.send(b'data'); s.close()
//   print(c.recv(100))
//   for f in (lambda: c.recv(100), lambda: c.recv(100), lambda: c.send(b'x'), lambda: c.send(b'x')):
//       try: print(f())
//       except OSError as e: print(e.errno)
// Output:
//   b'data'
//   104
//   b''
//   32
//   32
TEST_F(SimTcp, ClosingWithUnreadDataResetsThePeer) {
  const auto [c, s] = tcp_pair(listener());
  send(c, "unread");
  send(s, "data");
  sim.modify(c, kEventRead);
  sim.close(s);
  EXPECT_EQ(events(), V{std::to_string(c) + ":r"});
  EXPECT_EQ(recv(c, 100), "data");
  EXPECT_EQ(recv(c, 100), "errno " + std::to_string(ECONNRESET));
  EXPECT_EQ(recv(c, 100), "");
  EXPECT_EQ(send(c, "x"), -EPIPE);
  EXPECT_EQ(send(c, "x"), -EPIPE);
}

// Python:
//   import socket
//   L = socket.socket(); L.bind(('127.0.0.1', 0)); L.listen()
//   c = socket.create_connection(L.getsockname()); s, _ = L.accept()
//   s.close(); print(c.recv(10), c.send(b'x'))
//   for f in (lambda: c.send(b'x'), lambda: c.recv(10)):
//       try: print(f())
//       except OSError as e: print(e.errno)
// Output:
//   b'' 1
//   32
//   b''
TEST_F(SimTcp, SendingToAClosedPeerIsResetThenEpipe) {
  const auto [c, s] = tcp_pair(listener());
  sim.close(s);
  EXPECT_EQ(recv(c, 10), "");
  EXPECT_EQ(send(c, "x"), 1);      // accepted; the RST comes back
  EXPECT_EQ(send(c, "x"), -EPIPE);  // sk_err EPIPE (the RST found CLOSE_WAIT)
  EXPECT_EQ(recv(c, 10), "");
  SockAddr a;
  EXPECT_EQ(sim.getpeername(c, a), -ENOTCONN);
}

// Python:
//   import socket
//   def fill(chunk, snd=None, rcv=None):
//       L = socket.socket(); L.bind(('127.0.0.1', 0)); L.listen()
//       if rcv: L.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcv)
//       c = socket.socket()
//       if snd: c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, snd)
//       c.setblocking(False); c.connect_ex(L.getsockname()); a, _ = L.accept(); t = 0
//       try:
//           while True: t += c.send(b'x' * chunk)
//       except BlockingIOError: return t
//   print(fill(65536), fill(65536, 65536), fill(65536, 212992, 212992), fill(65536, None, 4096))
// Output:
//   3910656 160768 589718 2807808
TEST_F(SimTcp, BackpressureAsMeasuredOnLoopback) {
  auto fill_with = [&](int snd, int rcv) {
    const int l = listener();
    if (rcv) sim.setsockopt(l, SOL_SOCKET, SO_RCVBUF, rcv);
    const int c = sim.socket(AF_INET, SOCK_STREAM);
    if (snd) sim.setsockopt(c, SOL_SOCKET, SO_SNDBUF, snd);
    sim.connect(c, v4(port(l)));
    const int s = sim.accept(l, nullptr);
    const long total = fill(c, 65536);
    return std::tuple{c, s, total};
  };
  const auto [c, s, total] = fill_with(0, 0);
  EXPECT_EQ(total, 3910656);
  EXPECT_EQ(std::get<2>(fill_with(65536, 0)), 160768);
  EXPECT_EQ(std::get<2>(fill_with(212992, 212992)), 589718);

  // Writable again once a third of what the sender kept has gone (sk_stream_min_wspace).
  sim.modify(c, kEventWrite);
  EXPECT_EQ(events(), V{});
  char buf[65536];
  long read = 0;
  while (events().empty()) read += sim.recv(s, buf, sizeof buf);
  EXPECT_NEAR(static_cast<double>(read), 1148416, 0.15 * 1148416);  // measured: 1148416
  EXPECT_GT(fill(c, 65536), 0);
}

TEST_F(SimTcp, OptionsReadBackAsLinuxReportsThem) {
  const int t = sim.socket(AF_INET, SOCK_STREAM);
  EXPECT_EQ(sim.getsockopt(t, SOL_SOCKET, SO_SNDBUF), 16384);
  EXPECT_EQ(sim.getsockopt(t, SOL_SOCKET, SO_RCVBUF), 131072);
  sim.setsockopt(t, SOL_SOCKET, SO_SNDBUF, 1);
  EXPECT_EQ(sim.getsockopt(t, SOL_SOCKET, SO_SNDBUF), 4608);
  sim.setsockopt(t, SOL_SOCKET, SO_RCVBUF, 1);
  EXPECT_EQ(sim.getsockopt(t, SOL_SOCKET, SO_RCVBUF), 2304);
  sim.setsockopt(t, SOL_SOCKET, SO_RCVBUF, 1 << 30);
  EXPECT_EQ(sim.getsockopt(t, SOL_SOCKET, SO_RCVBUF), 8388608);
  sim.setsockopt(t, SOL_SOCKET, SO_SNDBUF, 10000);
  EXPECT_EQ(sim.getsockopt(t, SOL_SOCKET, SO_SNDBUF), 20000);
  EXPECT_EQ(sim.getsockopt(t, IPPROTO_TCP, TCP_NODELAY), 0);
  EXPECT_EQ(sim.setsockopt(t, IPPROTO_TCP, TCP_NODELAY, 1), 0);
  EXPECT_EQ(sim.getsockopt(t, IPPROTO_TCP, TCP_NODELAY), 1);
  EXPECT_EQ(sim.setsockopt(t, SOL_SOCKET, SO_KEEPALIVE, 1), 0);
  EXPECT_EQ(sim.getsockopt(t, SOL_SOCKET, SO_KEEPALIVE), 1);
  EXPECT_EQ(sim.getsockopt(t, SOL_SOCKET, 12345), -ENOPROTOOPT);
  EXPECT_EQ(sim.getsockopt(t, IPPROTO_IPV6, IPV6_V6ONLY), -ENOPROTOOPT);
  const int u = sim.socket(AF_INET, SOCK_DGRAM);
  EXPECT_EQ(sim.getsockopt(u, SOL_SOCKET, SO_SNDBUF), 212992);
  EXPECT_EQ(sim.getsockopt(u, SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
  EXPECT_EQ(sim.setsockopt(u, IPPROTO_TCP, TCP_NODELAY, 1), -ENOPROTOOPT);
  int sp[2];
  sim.socketpair(AF_UNIX, SOCK_STREAM, sp);
  EXPECT_EQ(sim.setsockopt(sp[0], IPPROTO_TCP, TCP_NODELAY, 1), -EOPNOTSUPP);
  EXPECT_EQ(sim.getsockopt(sp[0], SOL_SOCKET, SO_RCVBUF), 212992);
}

// --- AF_UNIX.

// Python:
//   import socket
//   def fill(chunk, typ=socket.SOCK_STREAM):
//       a, b = socket.socketpair(socket.AF_UNIX, typ); a.setblocking(False); n = 0
//       try:
//           while True: a.send(b'x' * chunk); n += 1
//       except BlockingIOError: return n
//   print(fill(1), fill(1024), fill(4000), fill(20000), fill(1, socket.SOCK_DGRAM), fill(65536, socket.SOCK_DGRAM))
// Output:
//   278 93 44 11 278 4
TEST_F(SimUnix, BuffersAreChargedByTruesize) {
  auto sends = [&](std::size_t chunk, int type) {
    int p[2];
    sim.socketpair(AF_UNIX, type, p);
    const std::string data(chunk, 'x');
    int n = 0;
    while (sim.send(p[0], data.data(), chunk) > 0) ++n;
    return n;
  };
  EXPECT_EQ(sends(1, SOCK_STREAM), 278);
  EXPECT_EQ(sends(1024, SOCK_STREAM), 93);
  EXPECT_EQ(sends(4000, SOCK_STREAM), 44);
  EXPECT_EQ(sends(20000, SOCK_STREAM), 11);
  EXPECT_EQ(sends(1, SOCK_DGRAM), 278);
  EXPECT_EQ(sends(65536, SOCK_DGRAM), 4);
  int p[2];
  sim.socketpair(AF_UNIX, SOCK_STREAM, p);
  EXPECT_EQ(fill(p[0], 65536), 233152);  // measured
  sim.modify(p[0], kEventWrite);
  EXPECT_EQ(events(), V{});
  EXPECT_EQ(recv(p[1], 36544).size(), 36544u);  // one skb freed: not yet a quarter of SO_SNDBUF
  EXPECT_EQ(events(), V{});
  drain(p[1]);
  EXPECT_EQ(events(), V{std::to_string(p[0]) + ":w"});
}

TEST_F(SimUnix, NamesPathsAndErrors) {
  const int l = sim.socket(AF_UNIX, SOCK_STREAM);
  EXPECT_EQ(sim.listen(l, 5), -EINVAL);  // unbound
  EXPECT_EQ(sim.bind(l, SockAddr::unix_path("/sim/a.sock")), 0);
  EXPECT_EQ(sim.bind(l, SockAddr::unix_path("/sim/b.sock")), -EINVAL);
  EXPECT_EQ(sim.listen(l, 5), 0);
  const int other = sim.socket(AF_UNIX, SOCK_STREAM);
  EXPECT_EQ(sim.bind(other, SockAddr::unix_path("/sim/a.sock")), -EADDRINUSE);
  const int c = sim.socket(AF_UNIX, SOCK_STREAM);
  EXPECT_EQ(sim.connect(c, SockAddr::unix_path("/sim/none")), -ENOENT);
  EXPECT_EQ(sim.connect(c, abstract("none")), -ECONNREFUSED);
  const int dg = sim.socket(AF_UNIX, SOCK_DGRAM);
  sim.bind(dg, SockAddr::unix_path("/sim/d.sock"));
  EXPECT_EQ(sim.connect(c, SockAddr::unix_path("/sim/d.sock")), -EPROTOTYPE);
  EXPECT_EQ(sim.connect(c, SockAddr::unix_path("/sim/a.sock")), 0);  // at once
  EXPECT_EQ(sim.connect(c, SockAddr::unix_path("/sim/a.sock")), -EISCONN);
  SockAddr peer, a;
  const int s = sim.accept(l, &peer);
  ASSERT_GE(s, 0);
  EXPECT_EQ(peer, SockAddr::unix_path(""));  // an unnamed client
  EXPECT_EQ(sim.getpeername(c, a), 0);
  EXPECT_EQ(a.path, "/sim/a.sock");
  EXPECT_EQ(sim.getsockname(s, a), 0);
  EXPECT_EQ(a.path, "/sim/a.sock");
  EXPECT_EQ(sim.getsockname(c, a), 0);
  EXPECT_EQ(a, SockAddr::unix_path(""));
  // The socket file outlives the socket, until removed.
  sim.close(l);
  const int d = sim.socket(AF_UNIX, SOCK_STREAM);
  EXPECT_EQ(sim.connect(d, SockAddr::unix_path("/sim/a.sock")), -ECONNREFUSED);
  EXPECT_EQ(sim.bind(d, SockAddr::unix_path("/sim/a.sock")), -EADDRINUSE);
  EXPECT_EQ(sim.remove_stale_unix_socket("/sim/a.sock"), 0);
  EXPECT_EQ(sim.remove_stale_unix_socket("/sim/a.sock"), -ENOENT);
  EXPECT_EQ(sim.bind(d, SockAddr::unix_path("/sim/a.sock")), 0);
  // An empty name autobinds an abstract one; abstract names go with their socket.
  const int e = sim.socket(AF_UNIX, SOCK_DGRAM);
  EXPECT_EQ(sim.bind(e, SockAddr::unix_path("")), 0);
  sim.getsockname(e, a);
  EXPECT_EQ(a.path.size(), 6u);
  EXPECT_EQ(a.path[0], '\0');
  const std::string name = a.path;
  sim.close(e);
  const int f = sim.socket(AF_UNIX, SOCK_DGRAM);
  EXPECT_EQ(sim.bind(f, SockAddr::unix_path(name)), 0);
}

TEST_F(SimUnix, BacklogAndClose) {
  const int l = sim.socket(AF_UNIX, SOCK_STREAM);
  sim.bind(l, abstract("bl"));
  sim.listen(l, 1);
  std::vector<int> c;
  for (int i = 0; i < 3; ++i) {
    c.push_back(sim.socket(AF_UNIX, SOCK_STREAM));
    EXPECT_EQ(sim.connect(c.back(), abstract("bl")), i < 2 ? 0 : -EAGAIN);
  }
  EXPECT_EQ(send(c[0], "early"), 5);  // queued to the embryo
  const int s = sim.accept(l, nullptr);
  EXPECT_EQ(recv(s), "early");
  send(s, "unread");
  send(c[0], "unread too");
  sim.close(s);
  EXPECT_EQ(recv(c[0]), "unread");
  EXPECT_EQ(recv(c[0]), "errno " + std::to_string(ECONNRESET));
  EXPECT_EQ(recv(c[0]), "");
  EXPECT_EQ(send(c[0], "x"), -EPIPE);
  sim.close(l);  // the second client's embryo goes
  EXPECT_EQ(sim.getsockopt(c[1], SOL_SOCKET, SO_ERROR), ECONNRESET);
  EXPECT_EQ(recv(c[1]), "");
  char b;
  EXPECT_EQ(sim.recv(c[2], &b, 1), -EINVAL);  // never connected
  EXPECT_EQ(sim.send(c[2], &b, 1), -ENOTCONN);
}

// Python:
//   import socket, os, tempfile
//   p = os.path.join(tempfile.mkdtemp(), 's'); r = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); r.bind(p)
//   s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.setblocking(False); n = 0
//   try:
//       while True: s.sendto(b'x', p); n += 1
//   except BlockingIOError: pass
//   print(n, r.recvfrom(10))
// Output:
//   11 (b'x', None)
TEST_F(SimUnix, Datagrams) {
  const int r = sim.socket(AF_UNIX, SOCK_DGRAM);
  sim.bind(r, SockAddr::unix_path("/sim/r"));
  const int s = sim.socket(AF_UNIX, SOCK_DGRAM);
  int n = 0;
  while (sim.sendto(s, "x", 1, SockAddr::unix_path("/sim/r")) == 1) ++n;
  EXPECT_EQ(n, 11);  // max_dgram_qlen 10, checked with '>'
  EXPECT_EQ(sim.sendto(s, "x", 1, SockAddr::unix_path("/sim/r")), -EAGAIN);
  char buf[8];
  SockAddr from;
  EXPECT_EQ(sim.recvfrom(r, buf, sizeof buf, &from), 1);
  EXPECT_EQ(from.family, 0);  // an unnamed sender: None
  const int named = sim.socket(AF_UNIX, SOCK_DGRAM);
  sim.bind(named, SockAddr::unix_path("/sim/n"));
  EXPECT_EQ(sim.sendto(named, "hello", 5, SockAddr::unix_path("/sim/r")), 5);
  for (int i = 0; i < 10; ++i) sim.recv(r, buf, sizeof buf);
  EXPECT_EQ(sim.recvfrom(r, buf, 2, &from), 2);  // truncated
  EXPECT_EQ(from.path, "/sim/n");
  EXPECT_EQ(sim.recv(r, buf, sizeof buf), -EAGAIN);
  EXPECT_EQ(sim.send(s, "x", 1), -ENOTCONN);
  EXPECT_EQ(sim.connect(s, SockAddr::unix_path("/sim/r")), 0);
  EXPECT_EQ(sim.sendto(named, "x", 1, SockAddr::unix_path("/sim/r")), 1);  // r is not connected
  EXPECT_EQ(sim.connect(r, SockAddr::unix_path("/sim/n")), 0);
  EXPECT_EQ(sim.send(s, "x", 1), -EPERM);  // r now takes datagrams from /sim/n only
  const std::string big(212992, 'x');
  EXPECT_EQ(sim.connect(named, SockAddr::unix_path("/sim/r")), 0);
  EXPECT_EQ(sim.send(named, big.data(), big.size()), -EMSGSIZE);
  sim.close(r);
  EXPECT_EQ(sim.send(named, "x", 1), -ECONNREFUSED);
  EXPECT_EQ(sim.send(named, "x", 1), -ENOTCONN);
}

// --- UDP.

// Python:
//   import socket
//   def count(chunk, rcv=None):
//       u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 0))
//       if rcv: u.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcv)
//       s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
//       for i in range(300): s.sendto(b'x' * chunk, u.getsockname())
//       u.setblocking(False); k = 0
//       try:
//           while True: u.recv(70000); k += 1
//       except BlockingIOError: return k
//   print(count(1), count(300), count(1000), count(3800), count(65507), count(1, 1024))
// Output:
//   256 166 92 25 3 2
TEST_F(SimUdp, ReceiveBufferDropsAsMeasured) {
  auto count = [&](std::size_t chunk, int rcv = 0) {
    const int u = sim.socket(AF_INET, SOCK_DGRAM);
    sim.bind(u, v4());
    if (rcv) sim.setsockopt(u, SOL_SOCKET, SO_RCVBUF, rcv);
    const int s = sim.socket(AF_INET, SOCK_DGRAM);
    const std::string data(chunk, 'x');
    for (int i = 0; i < 300; ++i) EXPECT_EQ(sim.sendto(s, data.data(), chunk, v4(port(u))), static_cast<long>(chunk));
    std::vector<char> buf(70000);
    int k = 0;
    while (sim.recv(u, buf.data(), buf.size()) >= 0) ++k;
    return k;
  };
  EXPECT_EQ(count(1), 256);
  EXPECT_EQ(count(300), 166);
  EXPECT_EQ(count(1000), 92);
  EXPECT_EQ(count(3800), 25);
  EXPECT_EQ(count(65507), 3);
  EXPECT_EQ(count(1, 1024), 2);
}

// Python:
//   import socket
//   u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 0)); port = u.getsockname()[1]; u.close()
//   s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.connect(('127.0.0.1', port)); s.setblocking(False)
//   print(s.send(b'x'))
//   for f in (lambda: s.recv(1), lambda: s.recv(1)):
//       try: print(f())
//       except OSError as e: print(e.errno)
// Output:
//   1
//   111
//   11
TEST_F(SimUdp, AddressesErrorsAndPortUnreachable) {
  const int u = sim.socket(AF_INET, SOCK_DGRAM);
  const int s = sim.socket(AF_INET, SOCK_DGRAM);
  sim.bind(u, v4());
  EXPECT_EQ(sim.send(s, "x", 1), -EDESTADDRREQ);
  EXPECT_EQ(sim.sendto(s, "hello", 5, v4(port(u))), 5);
  SockAddr a, from;
  sim.getsockname(s, a);
  EXPECT_EQ(a.host, "0.0.0.0");  // autobound to the wildcard
  char buf[16];
  EXPECT_EQ(sim.recvfrom(u, buf, 3, &from), 3);
  EXPECT_EQ(from, v4(a.port));
  EXPECT_EQ(sim.recv(u, buf, sizeof buf), -EAGAIN);
  EXPECT_EQ(sim.sendto(s, "", 0, v4(port(u))), 0);
  EXPECT_EQ(sim.recv(u, buf, sizeof buf), 0);  // an empty datagram
  const std::string big(65508, 'x');
  EXPECT_EQ(sim.sendto(s, big.data(), big.size(), v4(port(u))), -EMSGSIZE);
  EXPECT_EQ(sim.sendto(s, "x", 1, v4(9, "255.255.255.255")), -EACCES);
  EXPECT_EQ(sim.sendto(s, "x", 1, v4(9, "10.1.1.1")), -ENETUNREACH);
  EXPECT_EQ(sim.sendto(s, "x", 1, v4(0)), -EINVAL);
  const std::uint16_t gone = port(u);
  sim.close(u);
  EXPECT_EQ(sim.sendto(s, "x", 1, v4(gone)), 1);  // unconnected: the ICMP error is not reported
  EXPECT_EQ(sim.recv(s, buf, 1), -EAGAIN);
  EXPECT_EQ(sim.connect(s, v4(gone)), 0);
  sim.modify(s, kEventRead);
  EXPECT_EQ(sim.send(s, "x", 1), 1);
  EXPECT_EQ(events(), V{std::to_string(s) + ":r"});
  EXPECT_EQ(sim.recv(s, buf, 1), -ECONNREFUSED);
  EXPECT_EQ(sim.recv(s, buf, 1), -EAGAIN);
}

// --- Pipes.

// Python:
//   import os, errno
//   r, w = os.pipe(); os.set_blocking(w, False); n = 0
//   try:
//       while True: n += os.write(w, b'x' * 100)
//   except BlockingIOError: pass
//   print(n, len(os.read(r, 100000)), os.write(w, b'y' * 5000))
//   os.close(w); print(os.read(r, 10000).count(b'y'), os.read(r, 10))
//   r, w = os.pipe(); os.close(r)
//   try: os.write(w, b'x')
//   except OSError as e: print(e.errno)
// Output:
//   64000 64000 5000
//   5000 b''
//   32
TEST_F(SimPipe, CapacityEofAndEpipe) {
  int p[2];
  ASSERT_EQ(sim.pipe(p), 0);
  EXPECT_EQ(sim.fd_kind(p[0]), S_IFIFO);
  const std::string hundred(100, 'x'), page(4096, 'x'), big(100000, 'y');
  long n = 0;
  for (long k; (k = sim.send(p[1], hundred.data(), hundred.size())) > 0;) n += k;
  EXPECT_EQ(n, 64000);
  char b;
  EXPECT_EQ(sim.recv(p[1], &b, 1), -EBADF);
  EXPECT_EQ(sim.send(p[0], &b, 1), -EBADF);
  EXPECT_EQ(drain(p[0]), 64000);
  EXPECT_EQ(sim.send(p[1], big.data(), big.size()), 65536);  // 16 pages
  sim.modify(p[1], kEventWrite);
  EXPECT_EQ(events(), V{});
  EXPECT_EQ(recv(p[0], 4095).size(), 4095u);  // the first page is not free yet
  EXPECT_EQ(events(), V{});
  EXPECT_EQ(recv(p[0], 1).size(), 1u);
  EXPECT_EQ(events(), V{std::to_string(p[1]) + ":w"});
  EXPECT_EQ(sim.send(p[1], page.data(), page.size()), 4096);
  EXPECT_EQ(sim.send(p[1], "x", 1), -EAGAIN);  // full: a small write is all or nothing
  sim.modify(p[0], kEventRead);
  sim.close(p[1]);
  EXPECT_EQ(drain(p[0]), 65536);
  EXPECT_EQ(recv(p[0]), "");
  EXPECT_EQ(events(), V{std::to_string(p[0]) + ":r"});  // EPOLLHUP
  sim.close(p[0]);
  int q[2];
  sim.pipe(q);
  sim.modify(q[1], kEventWrite);
  sim.close(q[0]);
  EXPECT_EQ(sim.send(q[1], "x", 1), -EPIPE);
  EXPECT_EQ(events(), V{std::to_string(q[1]) + ":w"});  // EPOLLERR
  SockAddr a;
  EXPECT_EQ(sim.getsockname(q[1], a), -ENOTSOCK);
}

// --- The selector.

// Python:
//   import socket, select
//   L = socket.socket(); L.bind(('127.0.0.1', 0)); L.listen()
//   pairs = []
//   for i in range(3):
//       c = socket.create_connection(L.getsockname()); s, _ = L.accept(); s.setblocking(False); pairs.append((c, s))
//   ep = select.epoll(); names = {}
//   for i, (c, s) in enumerate(pairs): ep.register(s, select.EPOLLIN); names[s.fileno()] = i
//   order = lambda: [names[fd] for fd, _ in ep.poll(0)]
//   pairs[2][0].send(b'a'); pairs[0][0].send(b'b'); pairs[1][0].send(b'c'); print(order())
//   pairs[2][1].recv(1); pairs[2][0].send(b'd'); print(order())
//   pairs[0][0].send(b'e'); print(order())
//   ep.modify(pairs[0][1], select.EPOLLIN | select.EPOLLOUT); print(order())
//   pairs[2][1].recv(10); print(order())
//   pairs[2][0].send(b'f'); print(order())
// Output:
//   [2, 0, 1]
//   [2, 0, 1]
//   [2, 0, 1]
//   [2, 0, 1]
//   [0, 1]
//   [0, 1, 2]
TEST_F(SimSelector, ReadyListOrder) {
  const int l = listener();
  std::vector<std::pair<int, int>> p;
  std::map<int, int> names;
  for (int i = 0; i < 3; ++i) {
    p.push_back(tcp_pair(l));
    sim.modify(p.back().second, kEventRead);
    names[p.back().second] = i;
  }
  EXPECT_EQ(sim.registered(), 3u);
  auto order = [&] {
    std::vector<int> o;
    for (const IoEvent& e : poll()) o.push_back(names[e.fd]);
    return o;
  };
  send(p[2].first, "a");
  send(p[0].first, "b");
  send(p[1].first, "c");
  EXPECT_EQ(order(), (std::vector<int>{2, 0, 1}));  // the order the data arrived
  // Reported descriptors went back to the tail in that order; 2, drained and refilled before the next
  // select, never left the list.
  recv(p[2].second, 1);
  send(p[2].first, "d");
  EXPECT_EQ(order(), (std::vector<int>{2, 0, 1}));
  send(p[0].first, "e");
  EXPECT_EQ(order(), (std::vector<int>{2, 0, 1}));  // already on the list: keeps its place
  sim.modify(p[0].second, kEventRead | kEventWrite);
  EXPECT_EQ(order(), (std::vector<int>{2, 0, 1}));
  sim.modify(p[0].second, kEventRead);
  // Drained, 2 is dropped at the next select; new data puts it at the tail.
  recv(p[2].second, 10);
  EXPECT_EQ(order(), (std::vector<int>{0, 1}));
  send(p[2].first, "f");
  EXPECT_EQ(order(), (std::vector<int>{0, 1, 2}));
  for (auto& [c, s] : p) drain(s);
  EXPECT_EQ(order(), std::vector<int>{});
  sim.modify(p[1].second, 0);
  EXPECT_EQ(sim.registered(), 2u);
  std::thread([&] { sim.wakeup(); }).join();
  EXPECT_EQ(order(), std::vector<int>{});
}

TEST_F(SimSelector, AClosedDescriptorLeavesTheListAndTheCount) {
  const int l = listener();
  const auto [c1, s1] = tcp_pair(l);
  const auto [c2, s2] = tcp_pair(l);
  sim.modify(s1, kEventRead);
  sim.modify(s2, kEventWrite);  // writable at once: on the list
  EXPECT_EQ(events(), V{std::to_string(s2) + ":w"});
  send(c1, "x");
  EXPECT_EQ(events(), (V{std::to_string(s2) + ":w", std::to_string(s1) + ":r"}));
  sim.close(s2);
  EXPECT_EQ(sim.registered(), 1u);
  EXPECT_EQ(events(), V{std::to_string(s1) + ":r"});
  EXPECT_EQ(sim.modify(s2, kEventRead), -EBADF);
  EXPECT_EQ(sim.modify(s1, 4), -EINVAL);
}

// --- Fault injection.

TEST(SimFaults, LatencyDelaysDeliveryToTheNextEventTime) {
  VirtualClock clock;
  SimNetwork sim(clock, faults(5 * kMs));
  Calls n{sim};
  const int l = n.listener();
  const int c = n.client(l);
  EXPECT_EQ(sim.getsockopt(c, SOL_SOCKET, SO_ERROR), 0);
  EXPECT_EQ(sim.accept(l, nullptr), -EAGAIN);
  sim.modify(c, kEventWrite);
  EXPECT_TRUE(n.poll().empty());
  EXPECT_EQ(sim.next_event_time(), 5 * kMs);  // the SYN reaches the listener
  clock.advance_to(5 * kMs);
  EXPECT_TRUE(n.poll().empty());
  EXPECT_EQ(sim.next_event_time(), 10 * kMs);  // the SYN-ACK
  clock.advance_to(10 * kMs);
  EXPECT_EQ(n.poll().size(), 1u);
  n.send(c, "hi");
  clock.advance_to(*sim.next_event_time());  // 15 ms: the ACK, then the data
  const int s = sim.accept(l, nullptr);
  ASSERT_GE(s, 0);
  EXPECT_EQ(n.recv(s), "hi");
  EXPECT_EQ(clock.peek(), 15 * kMs);
  EXPECT_EQ(sim.next_event_time(), std::nullopt);
  EXPECT_EQ(sim.seed(), 1u);
}

TEST(SimFaults, PartitionsStallTcpLoseDatagramsAndRepairResumes) {
  VirtualClock clock;
  SimNetwork sim(clock);
  Calls n{sim};
  const int l = n.listener(v4(0, "127.0.0.2"));
  const auto [c, s] = n.tcp_pair(l);
  EXPECT_EQ(sim.partition("127.0.0.1", "127.0.0.2"), 0);
  EXPECT_EQ(sim.partition("127.0.0.1", "nonsense"), -EINVAL);
  EXPECT_EQ(n.send(c, "held"), 4);
  EXPECT_EQ(n.recv(s), "errno " + std::to_string(EAGAIN));
  const int d = sim.socket(AF_INET, SOCK_STREAM);
  EXPECT_EQ(sim.connect(d, v4(n.port(l), "127.0.0.2")), -EINPROGRESS);
  EXPECT_EQ(sim.connect(d, v4(n.port(l), "127.0.0.2")), -EALREADY);
  const int u = sim.socket(AF_INET, SOCK_DGRAM), w = sim.socket(AF_INET, SOCK_DGRAM);
  sim.bind(u, v4(0, "127.0.0.2"));
  EXPECT_EQ(sim.sendto(w, "lost", 4, v4(n.port(u), "127.0.0.2")), 4);
  EXPECT_EQ(sim.repair("127.0.0.2", "127.0.0.1"), 0);
  EXPECT_EQ(n.recv(s), "held");
  char b[8];
  EXPECT_EQ(sim.recv(u, b, sizeof b), -EAGAIN);
  clock.advance_to(*sim.next_event_time());  // the SYN retransmission at 1 s
  EXPECT_EQ(clock.peek(), kSec);
  n.poll();
  EXPECT_EQ(sim.getsockopt(d, SOL_SOCKET, SO_ERROR), 0);
}

TEST(SimFaults, APartitionTimeoutResetsTheSender) {
  VirtualClock clock;
  SimConfig config;
  config.partition_timeout = 30 * kSec;
  SimNetwork sim(clock, config);
  Calls n{sim};
  const auto [c, s] = n.tcp_pair(n.listener(v4(0, "127.0.0.3")));
  sim.partition("127.0.0.1", "127.0.0.3");
  n.send(c, "x");
  EXPECT_EQ(sim.next_event_time(), 30 * kSec);
  clock.advance_to(30 * kSec);
  EXPECT_EQ(n.recv(c), "errno " + std::to_string(ETIMEDOUT));
  EXPECT_EQ(n.recv(s), "errno " + std::to_string(EAGAIN));  // the peer never heard
}

TEST(SimFaults, ResetAbortsBothEnds) {
  VirtualClock clock;
  SimNetwork sim(clock);
  Calls n{sim};
  const auto [c, s] = n.tcp_pair(n.listener());
  EXPECT_EQ(sim.reset(c), 0);
  EXPECT_EQ(n.recv(c), "errno " + std::to_string(ECONNRESET));
  EXPECT_EQ(n.send(s, "x"), -ECONNRESET);
  EXPECT_EQ(n.send(s, "x"), -EPIPE);
  EXPECT_EQ(sim.reset(c), -ENOTCONN);
}

// Datagrams under drops and jitter: a trace of (arrival time, payload) for a seed.
std::vector<std::pair<Nanos, std::string>> udp_trace(std::uint64_t seed) {
  VirtualClock clock;
  SimNetwork sim(clock, faults(kMs, 3 * kMs, 0.3, seed));
  const int u = sim.socket(AF_INET, SOCK_DGRAM), s = sim.socket(AF_INET, SOCK_DGRAM);
  sim.bind(u, v4());
  SockAddr a;
  sim.getsockname(u, a);
  for (int i = 0; i < 50; ++i) sim.sendto(s, std::to_string(i).data(), std::to_string(i).size(), a);
  std::vector<std::pair<Nanos, std::string>> trace;
  while (auto t = sim.next_event_time()) {
    clock.advance_to(*t);
    char buf[8];
    for (long k; (k = sim.recv(u, buf, sizeof buf)) >= 0;) trace.emplace_back(clock.peek(), std::string(buf, static_cast<std::size_t>(k)));
  }
  return trace;
}

TEST(SimFaults, TheSameSeedGivesTheSameTrace) {
  const auto a = udp_trace(7), b = udp_trace(7), c = udp_trace(8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_GT(a.size(), 20u);  // ~70% of 50 arrive
  EXPECT_LT(a.size(), 50u);
}

// --- The same calls on the kernel and on the simulation.

// What a run of calls returned, one line per call, with what differs between runs by design made
// equal: descriptor numbers and ports (numbered by first appearance) and the temporary directory.
class Log {
 public:
  Log(Network& net, std::string dir) : net(net), dir(std::move(dir)) {}
  Network& net;
  const std::string dir;
  std::vector<std::string> lines;

  std::string name(int fd) {
    auto [it, fresh] = fds_.try_emplace(fd, static_cast<int>(fds_.size()));
    return "fd" + std::to_string(it->second);
  }
  std::string addr(const SockAddr& a) {
    if (a.family == AF_UNIX) return a.path.starts_with(dir) ? "~" + a.path.substr(dir.size()) : "'" + a.path + "'";
    if (a.family == 0) return "None";
    auto [it, fresh] = ports_.try_emplace(a.port, static_cast<int>(ports_.size()));
    return a.host + ":p" + std::to_string(it->second);
  }
  long rc(const std::string& what, long v) {
    lines.push_back(what + " -> " + std::to_string(v));
    return v;
  }
  int open(const std::string& what, int v) {
    lines.push_back(what + " -> " + (v >= 0 ? name(v) : std::to_string(v)));
    return v;
  }
  int socket(int family, int type) { return open("socket", net.socket(family, type)); }
  SockAddr local(int fd) {
    SockAddr a;
    rc("getsockname " + name(fd), net.getsockname(fd, a));
    lines.push_back("  = " + addr(a));
    return a;
  }
  void peer(int fd) {
    SockAddr a;
    if (rc("getpeername " + name(fd), net.getpeername(fd, a)) == 0) lines.push_back("  = " + addr(a));
  }
  int accept(int fd) {
    SockAddr a;
    const int s = open("accept " + name(fd), net.accept(fd, &a));
    if (s >= 0) lines.push_back("  from " + addr(a));
    return s;
  }
  void call(const std::string& what, int fd, long v) { rc(what + " " + name(fd), v); }
  void send(int fd, std::string_view data) { call("send", fd, net.send(fd, data.data(), data.size())); }
  void recv(int fd, std::size_t n = 1000) {
    std::string buf(n, '\0');
    const long k = net.recv(fd, buf.data(), n);
    lines.push_back("recv " + name(fd) + " -> " + (k < 0 ? std::to_string(k) : "'" + buf.substr(0, k) + "'"));
  }
  // The interest is kept to mask what select reports, as selectors.EpollSelector.select does
  // (`events & key.events`); EpollNetwork leaves that to its caller.
  void modify(int fd, unsigned events) {
    interest_[fd] = events;
    call("modify", fd, net.modify(fd, events));
  }
  void sockopt(int fd, int level, int opt) { call("getsockopt " + std::to_string(opt), fd, net.getsockopt(fd, level, opt)); }
  void select() {
    std::vector<IoEvent> out;
    net.select(0, out);
    std::string line = "select:";
    for (const IoEvent& e : out) {
      const unsigned mask = interest_[e.fd];
      line += " " + name(e.fd) + (e.readable && (mask & kEventRead) ? "r" : "") + (e.writable && (mask & kEventWrite) ? "w" : "");
    }
    lines.push_back(line);
  }
  // Sends `chunk`-byte writes until EAGAIN: how many bytes went.
  void fill(int fd, std::size_t chunk) {
    const std::string data(chunk, 'x');
    long total = 0;
    for (long n; (n = net.send(fd, data.data(), chunk)) > 0;) total += n;
    lines.push_back("fill " + name(fd) + " -> " + std::to_string(total));
  }
  void drain(int fd) {
    char buf[65536];
    long total = 0, n;
    while ((n = net.recv(fd, buf, sizeof buf)) > 0) total += n;
    lines.push_back("drain " + name(fd) + " -> " + std::to_string(total) + " then " + std::to_string(n));
  }

 private:
  std::map<int, int> fds_;
  std::map<int, int> ports_;
  std::map<int, unsigned> interest_;
};

void tcp_lifecycle(Log& n) {
  const int l = n.socket(AF_INET, SOCK_STREAM);
  n.call("bind", l, n.net.bind(l, v4()));
  n.call("listen", l, n.net.listen(l, 128));
  const SockAddr at = n.local(l);
  const int c = n.socket(AF_INET, SOCK_STREAM);
  n.sockopt(c, SOL_SOCKET, SO_SNDBUF);
  n.modify(c, kEventRead | kEventWrite);
  n.modify(l, kEventRead);
  n.select();
  n.call("connect", c, n.net.connect(c, at));
  n.select();
  n.sockopt(c, SOL_SOCKET, SO_ERROR);
  n.call("connect", c, n.net.connect(c, at));
  n.call("connect", c, n.net.connect(c, at));
  const int s = n.accept(l);
  n.accept(l);
  n.local(c);
  n.peer(c);
  n.local(s);
  n.peer(s);
  n.sockopt(c, SOL_SOCKET, SO_SNDBUF);
  n.sockopt(s, SOL_SOCKET, SO_SNDBUF);
  n.sockopt(s, SOL_SOCKET, SO_RCVBUF);
  n.modify(s, kEventRead);
  n.send(c, "hello");
  n.select();
  n.recv(s, 3);
  n.recv(s);
  n.recv(s);
  n.call("shutdown", c, n.net.shutdown(c, SHUT_WR));
  n.send(c, "x");
  n.select();
  n.recv(s);
  n.send(s, "back");
  n.send(s, "unread");
  n.recv(c, 4);
  n.call("close", c, n.net.close(c));
  n.select();
  n.recv(s);
  n.send(s, "x");
  n.send(s, "x");
  n.sockopt(s, SOL_SOCKET, SO_ERROR);
  n.peer(s);
  n.call("close", s, n.net.close(s));
  n.call("close", l, n.net.close(l));
}

void tcp_refused_and_backlog(Log& n) {
  const int gone = n.socket(AF_INET, SOCK_STREAM);
  n.call("bind", gone, n.net.bind(gone, v4()));
  const SockAddr closed = n.local(gone);
  n.call("close", gone, n.net.close(gone));
  const int c = n.socket(AF_INET, SOCK_STREAM);
  n.modify(c, kEventWrite);
  n.call("connect", c, n.net.connect(c, closed));
  n.select();
  n.recv(c);
  n.recv(c);
  n.send(c, "x");
  n.call("connect", c, n.net.connect(c, closed));
  n.sockopt(c, SOL_SOCKET, SO_ERROR);
  n.call("connect", c, n.net.connect(c, closed));
  n.call("connect", c, n.net.connect(c, closed));

  const int l = n.socket(AF_INET, SOCK_STREAM);
  n.call("bind", l, n.net.bind(l, v4(0, "127.0.0.7")));
  n.call("listen", l, n.net.listen(l, 1));
  const SockAddr at = n.local(l);
  std::vector<int> cs;
  for (int i = 0; i < 4; ++i) {
    cs.push_back(n.socket(AF_INET, SOCK_STREAM));
    n.call("connect", cs.back(), n.net.connect(cs.back(), at));
    n.modify(cs.back(), kEventWrite);
  }
  n.modify(l, kEventRead);
  n.select();
  n.call("connect", cs[3], n.net.connect(cs[3], at));
  n.send(cs[3], "x");
  const int s = n.accept(l);
  n.local(s);
  n.accept(l);
  n.accept(l);
  n.select();
  for (int fd : cs) n.net.close(fd);
  n.net.close(l);
}

void select_order(Log& n) {
  const int l = n.socket(AF_INET6, SOCK_STREAM);
  n.call("bind", l, n.net.bind(l, v6()));
  n.call("listen", l, n.net.listen(l, 16));
  const SockAddr at = n.local(l);
  std::vector<std::pair<int, int>> p;
  for (int i = 0; i < 4; ++i) {
    const int c = n.socket(AF_INET6, SOCK_STREAM);
    n.net.connect(c, at);
    p.emplace_back(c, n.accept(l));
  }
  for (auto [c, s] : p) n.modify(s, kEventRead);
  n.send(p[3].first, "a");
  n.send(p[1].first, "b");
  n.select();
  n.send(p[0].first, "c");
  n.send(p[3].first, "d");
  n.select();
  n.recv(p[1].second);
  n.modify(p[1].first, kEventWrite);
  n.select();
  n.modify(p[3].second, kEventRead | kEventWrite);
  n.select();
  n.call("modify", p[0].second, 0);
  n.send(p[2].first, "e");
  n.call("shutdown", p[1].second, n.net.shutdown(p[1].second, SHUT_RDWR));
  n.select();
  n.call("close", p[3].first, n.net.close(p[3].first));
  n.select();
  for (auto [c, s] : p) {
    n.net.close(c);
    n.net.close(s);
  }
  n.net.close(l);
}

void buffers(Log& n) {
  // TCP at the buffer sizes the model was measured at (between them it interpolates, and is off).
  for (auto [snd, rcv] : {std::pair{0, 0}, {65536, 0}, {212992, 212992}}) {
    const int l = n.socket(AF_INET, SOCK_STREAM);
    n.net.bind(l, v4());
    if (rcv) n.net.setsockopt(l, SOL_SOCKET, SO_RCVBUF, rcv);
    n.net.listen(l, 8);
    const int c = n.socket(AF_INET, SOCK_STREAM);
    if (snd) n.net.setsockopt(c, SOL_SOCKET, SO_SNDBUF, snd);
    // Not logged: the kernel may give this client the port an earlier, closed one had.
    SockAddr at;
    n.net.getsockname(l, at);
    n.net.connect(c, at);
    const int s = n.open("accept", n.net.accept(l, nullptr));
    n.fill(c, 65536);
    for (int fd : {c, s, l}) n.net.close(fd);
  }
  int p[2];
  n.rc("socketpair", n.net.socketpair(AF_UNIX, SOCK_STREAM, p));
  for (std::size_t chunk : {1, 100, 3777, 40000}) {
    n.fill(p[0], chunk);
    n.drain(p[1]);
  }
  n.modify(p[0], kEventWrite);
  n.fill(p[0], 65536);
  n.select();
  n.recv(p[1], 40000);
  n.select();
  n.drain(p[1]);
  n.select();
  n.net.close(p[0]);
  n.net.close(p[1]);
  n.rc("pipe", n.net.pipe(p));
  n.modify(p[1], kEventWrite);
  for (std::size_t chunk : {100, 5000, 65536}) {
    n.fill(p[1], chunk);
    n.select();
    n.recv(p[0], 4095);
    n.select();
    n.recv(p[0], 1);
    n.select();
    n.drain(p[0]);
  }
  n.call("close", p[1], n.net.close(p[1]));
  n.drain(p[0]);
  n.net.close(p[0]);
}

void unix_sockets(Log& n) {
  const SockAddr path = SockAddr::unix_path(n.dir + "/listener");
  const int l = n.socket(AF_UNIX, SOCK_STREAM);
  n.call("listen", l, n.net.listen(l, 1));
  n.call("bind", l, n.net.bind(l, path));
  n.call("listen", l, n.net.listen(l, 1));
  n.modify(l, kEventRead);
  std::vector<int> cs;
  for (int i = 0; i < 3; ++i) {
    cs.push_back(n.socket(AF_UNIX, SOCK_STREAM));
    n.call("connect", cs.back(), n.net.connect(cs.back(), path));
  }
  n.select();
  n.send(cs[0], "early");
  const int s = n.accept(l);
  n.local(s);
  n.peer(cs[0]);
  n.recv(s);
  n.send(s, "unread");
  n.send(cs[0], "unread too");
  n.modify(cs[0], kEventRead);
  n.call("close", s, n.net.close(s));
  n.select();
  n.recv(cs[0]);
  n.recv(cs[0]);
  n.recv(cs[0]);
  n.send(cs[0], "x");
  n.call("close", l, n.net.close(l));
  n.sockopt(cs[1], SOL_SOCKET, SO_ERROR);
  n.recv(cs[1]);
  n.recv(cs[2]);
  n.send(cs[2], "x");
  const int d = n.socket(AF_UNIX, SOCK_STREAM);
  n.call("connect", d, n.net.connect(d, path));
  n.call("bind", d, n.net.bind(d, path));
  n.rc("remove_stale_unix_socket", n.net.remove_stale_unix_socket(path.path));
  n.rc("remove_stale_unix_socket", n.net.remove_stale_unix_socket(path.path));
  n.call("connect", d, n.net.connect(d, path));

  const SockAddr dpath = SockAddr::unix_path(n.dir + "/dgram");
  const int r = n.socket(AF_UNIX, SOCK_DGRAM);
  n.call("bind", r, n.net.bind(r, dpath));
  n.call("connect", d, n.net.connect(d, dpath));
  const int w = n.socket(AF_UNIX, SOCK_DGRAM);
  n.modify(w, kEventWrite);
  n.call("connect", w, n.net.connect(w, dpath));
  for (int i = 0; i < 12; ++i) n.send(w, "x");
  n.select();
  char buf[8];
  SockAddr from;
  n.rc("recvfrom", n.net.recvfrom(r, buf, sizeof buf, &from));
  n.lines.push_back("  from " + n.addr(from));
  n.select();
  n.call("close", r, n.net.close(r));
  n.send(w, "x");
  n.send(w, "x");
  for (int fd : cs) n.net.close(fd);
  n.net.close(d);
  n.net.close(w);
}

void udp(Log& n) {
  const int u = n.socket(AF_INET, SOCK_DGRAM);
  n.call("bind", u, n.net.bind(u, v4()));
  const SockAddr at = n.local(u);
  const int s = n.socket(AF_INET, SOCK_DGRAM);
  n.send(s, "x");
  n.modify(u, kEventRead);
  n.modify(s, kEventRead | kEventWrite);
  n.select();
  for (int i = 0; i < 300; ++i) n.net.sendto(s, "x", 1, at);
  n.call("sendto", s, n.net.sendto(s, "hello", 5, at));
  n.local(s);
  n.select();
  char buf[8];
  SockAddr from;
  n.rc("recvfrom", n.net.recvfrom(u, buf, 3, &from));
  n.lines.push_back("  from " + n.addr(from));
  n.drain(u);
  n.call("close", u, n.net.close(u));
  n.call("connect", s, n.net.connect(s, at));
  n.peer(s);
  n.send(s, "x");
  n.select();
  n.recv(s);
  n.recv(s);
  n.net.close(s);
}

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/simnet-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() {
    for (const char* f : {"/listener", "/dgram"}) ::unlink((path + f).c_str());
    ::rmdir(path.c_str());
  }
};

class SimCrossCheck : public testing::TestWithParam<void (*)(Log&)> {};

TEST_P(SimCrossCheck, TheSimulationReturnsWhatTheKernelReturns) {
  TempDir dir;
  EpollNetwork real;
  Log kernel(real, dir.path);
  GetParam()(kernel);
  VirtualClock clock;
  SimNetwork sim(clock);
  Log simulated(sim, dir.path);
  GetParam()(simulated);
  ASSERT_EQ(kernel.lines.size(), simulated.lines.size());
  for (std::size_t i = 0; i < kernel.lines.size(); ++i) EXPECT_EQ(kernel.lines[i], simulated.lines[i]) << "call " << i;
}

INSTANTIATE_TEST_SUITE_P(Sim, SimCrossCheck,
                         testing::Values(&tcp_lifecycle, &tcp_refused_and_backlog, &select_order, &buffers, &unix_sockets, &udp));

// --- Properties.

// A stream (TCP, AF_UNIX or a pipe) driven by random writes and reads: every byte arrives once and in
// order, EOF comes only after all of them, nothing stays queued beyond what the buffers hold.
void stream_property(int kind, SimConfig config) {
  VirtualClock clock;
  SimNetwork sim(clock, config);
  Calls n{sim};
  int w, r;
  if (kind == 0) {
    const int l = n.listener();
    w = n.client(l);
    while ((r = sim.accept(l, nullptr)) < 0) {
      const auto t = sim.next_event_time();
      RC_ASSERT(t.has_value());
      clock.advance_to(*t);
    }
  } else {
    int p[2];
    if (kind == 1) sim.socketpair(AF_UNIX, SOCK_STREAM, p);
    else sim.pipe(p);
    w = kind == 1 ? p[0] : p[1];
    r = kind == 1 ? p[1] : p[0];
  }
  std::string sent, got;
  const auto ops = *rc::gen::container<std::vector<std::pair<bool, int>>>(
      rc::gen::pair(rc::gen::arbitrary<bool>(), rc::gen::inRange(1, 200000)));
  std::vector<char> buf(200000);
  bool closed = false, eof = false;
  for (auto [write, size] : ops) {
    if (write && !closed) {
      std::string data(static_cast<std::size_t>(size), '\0');
      for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>((sent.size() + i) * 131 % 251);
      const long k = sim.send(w, data.data(), data.size());
      RC_ASSERT(k > 0 || k == -EAGAIN);
      if (k > 0) sent.append(data, 0, static_cast<std::size_t>(k));
    } else {
      const long k = sim.recv(r, buf.data(), static_cast<std::size_t>(size));
      RC_ASSERT(k >= 0 || k == -EAGAIN);
      if (k == 0) {
        RC_ASSERT(closed);
        RC_ASSERT(got == sent);  // EOF only after all the data
        eof = true;
      }
      if (k > 0) got.append(buf.data(), static_cast<std::size_t>(k));
    }
    RC_ASSERT(sent.size() - got.size() <= 8u << 20);  // bounded by the buffers
    if (auto t = sim.next_event_time()) clock.advance_to(*t);
    if (!closed && *rc::gen::inRange(0, 20) == 0) {
      sim.close(w);
      closed = true;
    }
  }
  if (!closed) sim.close(w);
  while (!eof) {
    if (auto t = sim.next_event_time()) clock.advance_to(*t);
    const long k = sim.recv(r, buf.data(), buf.size());
    if (k == -EAGAIN) {
      RC_ASSERT(sim.next_event_time().has_value());  // EOF has not come yet: something is in flight
      continue;
    }
    RC_ASSERT(k >= 0);
    eof = k == 0;
    got.append(buf.data(), static_cast<std::size_t>(k));
  }
  RC_ASSERT(got == sent);
}

RC_GTEST_PROP(SimProperties, TcpBytesArriveCompleteAndInOrder, ()) { stream_property(0, {}); }
RC_GTEST_PROP(SimProperties, UnixBytesArriveCompleteAndInOrder, ()) { stream_property(1, {}); }
RC_GTEST_PROP(SimProperties, PipeBytesArriveCompleteAndInOrder, ()) { stream_property(2, {}); }
RC_GTEST_PROP(SimProperties, TcpStaysReliableUnderLatencyAndJitter, ()) {
  const Nanos latency = *rc::gen::inRange(0, 10) * kMs, jitter = *rc::gen::inRange(0, 10) * kMs;
  stream_property(0, faults(latency, jitter, 0, *rc::gen::arbitrary<std::uint64_t>()));
}

// A run under faults, as the calls' results and the times they were made at: two runs with one seed
// give one trace.
std::vector<std::string> faulty_run(std::uint64_t seed, Nanos latency, Nanos jitter, double drop,
                                    const std::vector<int>& sizes) {
  VirtualClock clock;
  SimNetwork sim(clock, faults(latency, jitter, drop, seed));
  Calls n{sim};
  Log log(sim, "");
  const int l = n.listener();
  const int c = n.client(l);
  const int u = sim.socket(AF_INET, SOCK_DGRAM), d = sim.socket(AF_INET, SOCK_DGRAM);
  sim.bind(u, v4());
  const SockAddr to = n.local_addr(u);
  int s = -1;
  std::vector<char> buf(70000);
  for (int size : sizes) {
    if (s < 0) s = log.open("accept", sim.accept(l, nullptr));
    const std::string data(static_cast<std::size_t>(size), 'x');
    log.call("send", c, sim.send(c, data.data(), data.size()));
    log.call("sendto", d, sim.sendto(d, data.data(), std::min<std::size_t>(data.size(), 65507), to));
    if (s >= 0) log.call("recv", s, sim.recv(s, buf.data(), buf.size() / 2));
    log.call("recv", u, sim.recv(u, buf.data(), buf.size()));
    log.select();
    if (auto t = sim.next_event_time()) clock.advance_to(*t);
    log.lines.push_back("at " + std::to_string(clock.peek()));
  }
  return log.lines;
}

RC_GTEST_PROP(SimProperties, TheSameSeedGivesTheSameTrace, ()) {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const Nanos latency = *rc::gen::inRange(0, 5) * kMs, jitter = *rc::gen::inRange(0, 5) * kMs;
  const double drop = *rc::gen::inRange(0, 50) / 100.0;
  const auto sizes = *rc::gen::container<std::vector<int>>(rc::gen::inRange(1, 100000));
  RC_ASSERT(faulty_run(seed, latency, jitter, drop, sizes) == faulty_run(seed, latency, jitter, drop, sizes));
}

// Without faults every datagram the receive buffer has room for arrives, once, in order.
RC_GTEST_PROP(SimProperties, DatagramsAreNotLostWithoutFaults, ()) {
  VirtualClock clock;
  SimNetwork sim(clock);
  const int u = sim.socket(AF_INET, SOCK_DGRAM), s = sim.socket(AF_INET, SOCK_DGRAM);
  sim.bind(u, v4());
  SockAddr to;
  sim.getsockname(u, to);
  const auto sizes = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 2000));
  std::vector<std::string> sent, got;
  std::vector<char> buf(4096);
  for (int size : sizes) {
    sent.push_back(std::to_string(sent.size()) + std::string(static_cast<std::size_t>(size), '.'));
    RC_ASSERT(sim.sendto(s, sent.back().data(), sent.back().size(), to) == static_cast<long>(sent.back().size()));
    // Read before the queue could hold more than SO_RCVBUF: 48 datagrams of up to 2 KiB fit.
    if (sent.size() - got.size() == 48 || *rc::gen::arbitrary<bool>())
      for (long k; (k = sim.recv(u, buf.data(), buf.size())) >= 0;) got.emplace_back(buf.data(), static_cast<std::size_t>(k));
  }
  for (long k; (k = sim.recv(u, buf.data(), buf.size())) >= 0;) got.emplace_back(buf.data(), static_cast<std::size_t>(k));
  RC_ASSERT(got == sent);
}

}  // namespace
}  // namespace asyncio

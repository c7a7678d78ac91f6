// The simulated network (see sim_network.hpp). Figures marked "measured" were taken on Linux 6.18
// (x86-64, default sysctls: tcp_wmem 4096 16384 4194304, tcp_rmem 4096 131072 33554432,
// wmem/rmem_default 212992, wmem/rmem_max 4194304) with small Python probes filling non-blocking
// loopback sockets whose peer never reads; the kernel functions named are where the figures come from.
#include "asyncio/sim_network.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <span>

#include "asyncio/ring.hpp"

namespace asyncio {

namespace {

// epoll's event bits, as unsigned.
constexpr unsigned kIn = EPOLLIN, kOut = EPOLLOUT, kErr = EPOLLERR, kHup = EPOLLHUP;

constexpr int kSomaxconn = 4096;          // net.core.somaxconn: listen() caps the backlog at it
constexpr std::size_t kMaxDgramQlen = 10;  // net.unix.max_dgram_qlen
constexpr long kMemMax = 4194304;          // net.core.wmem_max = rmem_max
constexpr int kMinSndbuf = 4608;           // SOCK_MIN_SNDBUF: setsockopt(SO_SNDBUF, 1) reads back 4608
constexpr int kMinRcvbuf = 2304;           // SOCK_MIN_RCVBUF
constexpr int kDefaultBuf = 212992;        // wmem_default = rmem_default: UDP and AF_UNIX
constexpr int kTcpSndbuf = 16384;          // tcp_wmem[1]: a fresh TCP socket's SO_SNDBUF
constexpr int kTcpRcvbuf = 131072;         // tcp_rmem[1]
// tcp_sndbuf_expand grows an unlocked send buffer when the connection is established: SO_SNDBUF on
// either end of a loopback connection then reads 3939840 (measured).
constexpr int kTcpSndbufEstablished = 3939840;
constexpr std::uint16_t kPortLow = 32768, kPortHigh = 60999;  // net.ipv4.ip_local_port_range
constexpr Nanos kSecond = 1'000'000'000;

// --- Socket buffer accounting: sk_buff truesize, as the kernel charges it against SO_SNDBUF (AF_UNIX)
// and SO_RCVBUF (UDP). The constants are x86-64's.
constexpr std::size_t kPage = 4096;
constexpr std::size_t kSkbStruct = 256;      // SKB_DATA_ALIGN(sizeof(struct sk_buff))
constexpr std::size_t kSharedInfo = 320;     // SKB_DATA_ALIGN(sizeof(struct skb_shared_info))
constexpr std::size_t kSmallHead = 576;      // SKB_SMALL_HEAD_CACHE_SIZE
constexpr std::size_t kSkbMaxHead = 3776;    // SKB_MAX_HEAD(0): a page less the shared info
constexpr std::size_t kSkbMaxAlloc = 16064;  // SKB_MAX_ALLOC = SKB_MAX_ORDER(0, 2)
constexpr std::size_t kUnixFrags = 32768;    // UNIX_SKB_FRAGS_SZ
constexpr std::size_t kPipePages = 16;       // PIPE_DEF_BUFFERS

constexpr std::size_t align64(std::size_t n) { return (n + 63) & ~std::size_t{63}; }
constexpr std::size_t page_align(std::size_t n) { return (n + kPage - 1) & ~(kPage - 1); }
// kmalloc's size classes (powers of two, and 96 and 192).
constexpr std::size_t kmalloc_size(std::size_t n) {
  std::size_t s = 8;
  while (s < n) s *= 2;
  if (s == 128 && n <= 96) return 96;
  if (s == 256 && n <= 192) return 192;
  return s;
}
constexpr std::size_t skb_truesize(std::size_t linear, std::size_t paged) {
  return kmalloc_size(align64(linear) + kSharedInfo) + kSkbStruct + page_align(paged);
}
// unix_stream_sendmsg: each skb carries at most SKB_MAX_HEAD(0) + 32 KiB; past the head the data is
// in page fragments. Measured in the default 212992-byte send buffer: 278 sends of 1, 64 or 100
// bytes (768 each), 167 of 200-700 (1280), 93 of 1000-1700 (2304), 49 of 2000-3776 (4352), 44 of
// 3777-4000 (4864), 24 of 8000, 11 of 20000, and 233152 bytes in 64 KiB writes.
constexpr std::size_t unix_stream_truesize(std::size_t size) {
  const std::size_t paged = size > kSkbMaxHead ? std::min(size, page_align(size - kSkbMaxHead)) : 0;
  return skb_truesize(size - paged, paged);
}
// unix_dgram_sendmsg: the part past SKB_MAX_ALLOC goes into page fragments. Measured: 278 datagrams
// of 1 or 64 bytes, 93 of 1 KiB and 4 of 64 KiB (69888 each) fit in the default send buffer.
constexpr std::size_t unix_dgram_truesize(std::size_t len) {
  const std::size_t paged = len > kSkbMaxAlloc ? page_align(std::min(len - kSkbMaxAlloc, 17 * kPage)) : 0;
  return skb_truesize(len - paged, paged);
}
// __ip_append_data on loopback: headers (20 or 40, and 8) and 31 bytes of link-layer room; a
// datagram that does not fit SKB_MAX_ALLOC is paged. Measured on the default 212992-byte receive
// buffer: 256 datagrams of 1-100 bytes (832 each), 166 of 200-500 (1280), 92 of 1000-1500 (2304), 48
// of 2000-3700 (4352), 25 of 3800-4000, 12 of 8000-16000, 3 of 65507; SO_RCVBUF 1024 (2304) holds 2
// small ones. __udp_enqueue_schedule_skb drops a datagram that would take the queue past SO_RCVBUF.
constexpr std::size_t udp_truesize(std::size_t len, bool v6) {
  const std::size_t head = len + (v6 ? 48 : 28) + 31;
  if (head >= kSkbMaxAlloc) return kSmallHead + kSkbStruct + len;
  const std::size_t h = align64(head) + kSharedInfo;
  return (h <= kSmallHead ? kSmallHead : kmalloc_size(h)) + kSkbStruct;
}
static_assert(unix_stream_truesize(1) == 768 && unix_stream_truesize(1024) == 2304 &&
              unix_stream_truesize(4000) == 4864 && unix_stream_truesize(36544) == 37120 &&
              unix_dgram_truesize(65536) == 69888 && udp_truesize(1, false) == 832 &&
              udp_truesize(200, false) == 1280 && udp_truesize(3700, false) == 4352);

// TCP on loopback: how many bytes a connection holds before send() returns EAGAIN, split into what
// the receiver queues (its window) and what the sender keeps. Measured with 64 KiB writes, as
// SIOCINQ at the receiver and the rest at the sender, against the SO_RCVBUF / SO_SNDBUF values read
// back: defaults (rcvbuf 131072, sndbuf grown to 3939840) hold 113152 + 3797504 = 3910656 bytes;
// SO_SNDBUF 65536 (131072) keeps 47616 at the sender, 212992 (425984) keeps 196714, 4096 or 16384
// keep none; SO_RCVBUF 4096 (8192) queues 4096, 8192 (16384) 12288, 212992 (425984) 393004. Between
// and beyond the points the model interpolates linearly. (Small writes hold a few percent more:
// 4040832 bytes in 64-byte sends, which the kernel coalesces into fuller segments.)
struct Point {
  double x, y;
};
constexpr Point kTcpReceiveQueue[] = {{0, 0}, {8192, 4096}, {16384, 12288}, {131072, 113152}, {425984, 393004}};
constexpr Point kTcpSendQueue[] = {{0, 0}, {32768, 0}, {131072, 47616}, {425984, 196714}, {3939840, 3797504}};

std::size_t interpolate(std::span<const Point> t, int buf) {
  const double x = buf;
  std::size_t i = 1;
  while (i + 1 < t.size() && t[i].x < x) ++i;
  const double y = t[i - 1].y + (t[i].y - t[i - 1].y) * (x - t[i - 1].x) / (t[i].x - t[i - 1].x);
  return y > 0 ? static_cast<std::size_t>(y) : 0;
}

// A SYN that gets no answer is sent again after 1, 2, 4, ... s (TCP_TIMEOUT_INIT, doubling); after
// tcp_syn_retries = 6 retransmissions connect fails with ETIMEDOUT, 127 s after it began.
constexpr int kSynBackoff[] = {1, 3, 7, 15, 31, 63, 127};
constexpr int kSynRetries = 6;

enum class Tcp : unsigned char { kClose, kListen, kSynSent, kSynRecv, kEstablished };

// A byte FIFO on a power-of-two ring that keeps its capacity.
class ByteRing {
 public:
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  void push(const char* p, std::size_t n) {
    if (size_ + n > cap_) grow(size_ + n);
    if (!n) return;
    const std::size_t tail = (head_ + size_) & (cap_ - 1);
    const std::size_t first = std::min(n, cap_ - tail);
    std::memcpy(&buf_[tail], p, first);
    if (n > first) std::memcpy(&buf_[0], p + first, n - first);
    size_ += n;
  }
  /// Removes up to n bytes from the front, copying them to `out` unless it is null.
  std::size_t pop(char* out, std::size_t n) noexcept {
    n = std::min(n, size_);
    if (out && n) {
      const std::size_t first = std::min(n, cap_ - head_);
      std::memcpy(out, &buf_[head_], first);
      if (n > first) std::memcpy(out + first, &buf_[0], n - first);
    }
    size_ -= n;
    head_ = size_ ? (head_ + n) & (cap_ - 1) : 0;
    return n;
  }
  /// The contiguous bytes at the front.
  std::string_view front() const noexcept { return {buf_.get() + head_, std::min(size_, cap_ - head_)}; }
  void clear() noexcept { head_ = size_ = 0; }

 private:
  void grow(std::size_t need) {
    std::size_t cap = cap_ ? cap_ * 2 : 256;
    while (cap < need) cap *= 2;
    auto next = std::make_unique<char[]>(cap);
    const std::size_t n = size_;
    pop(next.get(), n);
    buf_ = std::move(next);
    cap_ = cap;
    head_ = 0;
    size_ = n;
  }
  std::unique_ptr<char[]> buf_;
  std::size_t cap_ = 0, head_ = 0, size_ = 0;
};

unsigned epoll_mask(unsigned interest) {
  return (interest & kEventRead ? kIn : 0u) | (interest & kEventWrite ? kOut : 0u) | kErr | kHup;
}

int take(int& err) { return std::exchange(err, 0); }

using Ip = detail::SimIp;

Ip v4(std::uint32_t a) {
  Ip ip;
  ip.b[10] = ip.b[11] = 0xff;
  ip.b[12] = static_cast<unsigned char>(a >> 24);
  ip.b[13] = static_cast<unsigned char>(a >> 16);
  ip.b[14] = static_cast<unsigned char>(a >> 8);
  ip.b[15] = static_cast<unsigned char>(a);
  return ip;
}
bool is_v4(const Ip& ip) {
  for (int i = 0; i < 10; ++i)
    if (ip.b[i]) return false;
  return ip.b[10] == 0xff && ip.b[11] == 0xff;
}
std::uint32_t v4_of(const Ip& ip) {
  return std::uint32_t{ip.b[12]} << 24 | std::uint32_t{ip.b[13]} << 16 | std::uint32_t{ip.b[14]} << 8 | ip.b[15];
}
Ip v6_loopback() {
  Ip ip;
  ip.b[15] = 1;
  return ip;
}
bool is_any(const Ip& ip) { return ip == Ip{} || ip == v4(0); }
Ip any_of(int family) { return family == AF_INET ? v4(0) : Ip{}; }
Ip loopback_for(const Ip& dst) { return is_v4(dst) ? v4(INADDR_LOOPBACK) : v6_loopback(); }

int parse_host(const std::string& host, int family, Ip& ip) {
  if (family == AF_INET) {
    if (host.empty()) return ip = v4(0), 0;  // socketmodule.c: '' is INADDR_ANY
    if (host == "<broadcast>") return ip = v4(INADDR_BROADCAST), 0;
    in_addr a{};
    if (inet_pton(AF_INET, host.c_str(), &a) != 1) return -EINVAL;
    ip = v4(ntohl(a.s_addr));
    return 0;
  }
  if (host.empty()) return ip = Ip{}, 0;
  in6_addr a{};
  if (inet_pton(AF_INET6, host.c_str(), &a) != 1) return -EINVAL;
  std::memcpy(ip.b, &a, 16);
  return 0;
}

// The addresses a bound socket receives on (for bind conflicts and lookups).
struct Cover {
  bool all4 = false, all6 = false, one = false;
  Ip ip;
};
Cover cover_of(int family, bool v6only, const Ip& ip) {
  Cover c;
  if (ip == Ip{}) {
    c.all6 = true;
    c.all4 = family == AF_INET6 && !v6only;
  } else if (ip == v4(0)) {
    c.all4 = true;
  } else {
    c.one = true;
    c.ip = ip;
  }
  return c;
}
bool covers(const Cover& c, const Ip& ip) { return c.one ? c.ip == ip : is_v4(ip) ? c.all4 : c.all6; }

}  // namespace

enum class SimNetwork::Kind : unsigned char { kTcp, kUdp, kUnixStream, kUnixDgram, kPipeRead, kPipeWrite };

enum class SimNetwork::Deliver : unsigned char {
  kData, kFin, kRst,    // TCP segments
  kSyn, kSynAck, kAck,  // the handshake
  kSynRetry, kTimeout,  // timers: SYN retransmission, a stalled connection giving up
  kDgram, kIcmp,        // a UDP datagram; port unreachable for a connected UDP sender
};

struct SimNetwork::Sock {
  // One skb of a receive queue (AF_UNIX, UDP): its unread length, its truesize, who sent it.
  struct Record {
    std::uint32_t len = 0, truesize = 0;
    Ref sender;
    Ip ip;
    std::uint16_t port = 0;
    int path = -1;
  };
  struct Page {
    std::uint16_t off = 0, len = 0;
  };

  Kind kind{};
  int family = 0, type = 0;
  int fd = -1;
  Tcp st = Tcp::kClose;
  bool bound = false, port_locked = false;
  bool connecting = false;  // SS_CONNECTING: a TCP connect() not yet reported complete
  bool connected = false;   // SS_CONNECTED, or a connected datagram or AF_UNIX socket
  bool rcv_shut = false, snd_shut = false;  // sk_shutdown
  bool done = false;                         // SOCK_DONE: the peer's FIN arrived
  bool fin_pending = false;                  // a FIN to send once tx is empty
  bool orphan = false;                       // closed, still delivering tx
  bool timer_armed = false;
  bool reuseaddr = false, reuseport = false, keepalive = false, broadcast = false, nodelay = false,
       v6only = false, sndbuf_locked = false;
  int sndbuf = kDefaultBuf, rcvbuf = kDefaultBuf;
  int err = 0;  // sk_err
  Ip lip, rip;
  std::uint16_t lport = 0, rport = 0;
  int lpath = -1, rpath = -1;  // AF_UNIX names (interned); -1 unnamed
  Ref peer;                    // stream peer, the other end of a pipe, a datagram socket's peer
  Ref listener;                // a TCP or AF_UNIX child until accepted
  ByteRing rx;                 // received bytes (the pipe's buffer at its read end)
  ByteRing tx;                 // TCP: bytes the peer's window has no room for yet
  std::size_t rx_cap = 0, tx_cap = 0;  // TCP, from the buffer sizes
  std::size_t inflight = 0;            // TCP bytes on their way here (latency)
  std::size_t wmem = 0;                // AF_UNIX: truesize sent and not yet read (sk_wmem_alloc)
  std::size_t rmem = 0;                // UDP: truesize queued (sk_rmem_alloc)
  detail::Ring<Record> records;
  detail::Ring<Page> pages;
  detail::Ring<Ref> acceptq;
  int backlog = 0;
  int syn_tries = 0;
  Nanos syn_start = 0, last_arrival = 0;
  unsigned interest = 0;
  bool linked = false;
  int prev = -1, next = -1;  // the ready list, by slot
  int slot = -1;
};

struct SimNetwork::Event {
  Nanos at;
  std::uint64_t seq;
  Deliver what;
  Ref to, from;
  std::string data;
  Ip ip;
  std::uint16_t port;
  bool operator>(const Event& o) const noexcept { return at != o.at ? at > o.at : seq > o.seq; }
};

// --- Construction and descriptors.

SimNetwork::SimNetwork(VirtualClock& clock) : SimNetwork(clock, SimConfig{}) {}

SimNetwork::SimNetwork(VirtualClock& clock, SimConfig config)
    : clock_(clock), config_(std::move(config)), rng_(config_.seed) {}

SimNetwork::SimNetwork(std::shared_ptr<VirtualClock> clock, SimConfig config)
    : owned_clock_(std::move(clock)), clock_(*owned_clock_), config_(std::move(config)), rng_(config_.seed) {}

SimNetwork::~SimNetwork() = default;

SimNetwork::Sock* SimNetwork::get(int fd) const noexcept {
  return fd >= 0 && static_cast<std::size_t>(fd) < fds_.size() ? fds_[fd] : nullptr;
}

SimNetwork::Sock* SimNetwork::get(Ref r) const noexcept {
  return r.slot >= 0 && gens_[r.slot] == r.gen ? slots_[r.slot].get() : nullptr;
}

SimNetwork::Ref SimNetwork::ref(const Sock& s) const noexcept { return {s.slot, gens_[s.slot]}; }

SimNetwork::Sock& SimNetwork::make(Kind kind, int family, int type) {
  int slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<int>(slots_.size());
    slots_.emplace_back();
    gens_.push_back(0);
  }
  slots_[slot] = std::make_unique<Sock>();
  Sock& s = *slots_[slot];
  s.slot = slot;
  s.kind = kind;
  s.family = family;
  s.type = type;
  if (kind == Kind::kTcp) {
    s.sndbuf = kTcpSndbuf;
    s.rcvbuf = kTcpRcvbuf;
    size_buffers(s);
  }
  if (family == AF_INET || family == AF_INET6) s.lip = s.rip = any_of(family);
  return s;
}

int SimNetwork::install(Sock& s) {
  std::size_t fd = std::max(fd_hint_, static_cast<std::size_t>(std::max(config_.first_fd, 0)));
  while (fd < fds_.size() && fds_[fd]) ++fd;
  if (fd >= fds_.size()) fds_.resize(fd + 1, nullptr);
  fds_[fd] = &s;
  fd_hint_ = fd + 1;
  return s.fd = static_cast<int>(fd);
}

void SimNetwork::destroy(Sock& s) {
  if (s.linked) unlink(s);
  if (s.interest) --registered_;
  if (s.fd >= 0) {
    fds_[s.fd] = nullptr;
    fd_hint_ = std::min(fd_hint_, static_cast<std::size_t>(s.fd));
  }
  unbind(s);
  const int slot = s.slot;
  ++gens_[slot];
  free_slots_.push_back(slot);
  slots_[slot].reset();
}

void SimNetwork::size_buffers(Sock& s) {
  s.rx_cap = interpolate(kTcpReceiveQueue, s.rcvbuf);
  s.tx_cap = interpolate(kTcpSendQueue, s.sndbuf);
}

int SimNetwork::socket(int family, int type, int protocol) {
  if (family != AF_INET && family != AF_INET6 && family != AF_UNIX) return -EAFNOSUPPORT;
  type &= ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (type < 0 || type >= 10) return -EINVAL;  // SOCK_MAX (__sock_create)
  if (type != SOCK_STREAM && type != SOCK_DGRAM) return -ESOCKTNOSUPPORT;
  const bool stream = type == SOCK_STREAM;
  if (protocol != 0 && (family == AF_UNIX || protocol != (stream ? IPPROTO_TCP : IPPROTO_UDP))) return -EPROTONOSUPPORT;
  const Kind kind = family == AF_UNIX ? (stream ? Kind::kUnixStream : Kind::kUnixDgram) : (stream ? Kind::kTcp : Kind::kUdp);
  return install(make(kind, family, type));
}

int SimNetwork::socketpair(int family, int type, int fds[2]) {
  if (family != AF_UNIX) return -EOPNOTSUPP;
  type &= ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (type != SOCK_STREAM && type != SOCK_DGRAM) return -ESOCKTNOSUPPORT;
  const Kind kind = type == SOCK_STREAM ? Kind::kUnixStream : Kind::kUnixDgram;
  Sock& a = make(kind, AF_UNIX, type);
  Sock& b = make(kind, AF_UNIX, type);
  a.peer = ref(b);
  b.peer = ref(a);
  a.connected = b.connected = true;
  fds[0] = install(a);
  fds[1] = install(b);
  return 0;
}

int SimNetwork::pipe(int fds[2]) {
  Sock& r = make(Kind::kPipeRead, 0, 0);
  Sock& w = make(Kind::kPipeWrite, 0, 0);
  r.peer = ref(w);
  w.peer = ref(r);
  fds[0] = install(r);
  fds[1] = install(w);
  return 0;
}

int SimNetwork::fd_kind(int fd) {
  Sock* s = get(fd);
  if (!s) return -EBADF;
  return s->kind == Kind::kPipeRead || s->kind == Kind::kPipeWrite ? S_IFIFO : S_IFSOCK;
}

int SimNetwork::close(int fd) {
  Sock* s = get(fd);
  if (!s) return -EBADF;
  // The last reference to the file goes: epoll forgets it (eventpoll_release).
  if (s->linked) unlink(*s);
  if (s->interest) --registered_;
  s->interest = 0;
  fds_[fd] = nullptr;
  fd_hint_ = std::min(fd_hint_, static_cast<std::size_t>(fd));
  s->fd = -1;
  Sock* peer = get(s->peer);
  switch (s->kind) {
    case Kind::kTcp: tcp_close(*s); break;
    case Kind::kUnixStream:
      // unix_release_sock: each embryo of a listener is released, its client seeing a hang-up with
      // ECONNRESET; a connected peer can no longer send or receive, and loses data (ECONNRESET) if
      // this socket had unread data.
      if (s->st == Tcp::kListen) {
        for (; !s->acceptq.empty(); s->acceptq.pop_front())
          if (Sock* child = get(s->acceptq.front())) {
            if (Sock* client = get(child->peer)) hang_up(*client, ECONNRESET);
            drop_queue(*child);
            destroy(*child);
          }
      } else if (peer) {
        hang_up(*peer, s->rx.empty() ? 0 : ECONNRESET);
      }
      drop_queue(*s);
      destroy(*s);
      break;
    case Kind::kUdp:
    case Kind::kUnixDgram:
      drop_queue(*s);
      destroy(*s);
      break;
    case Kind::kPipeRead:
    case Kind::kPipeWrite:
      destroy(*s);
      if (peer) wake(*peer, 0);  // pipe_release: the other end sees HUP (reader) or ERR (writer)
      break;
  }
  return 0;
}

void SimNetwork::hang_up(Sock& s, int err) {
  s.rcv_shut = s.snd_shut = true;
  if (err) s.err = err;
  wake(s, 0);
}

// --- Addresses, ports and names.

int SimNetwork::parse(const Sock& s, const SockAddr& a, Ip& ip) const {
  if (a.family != s.family) return -EAFNOSUPPORT;
  return parse_host(a.host, s.family, ip);
}

int SimNetwork::parse_any(std::string_view host, Ip& ip) {
  const std::string h(host);
  return parse_host(h, h.find(':') == std::string::npos ? AF_INET : AF_INET6, ip);
}

SockAddr SimNetwork::inet_addr(const Sock& s, const Ip& ip, std::uint16_t port) const {
  SockAddr a;
  a.family = s.family;
  a.port = port;
  char buf[INET6_ADDRSTRLEN];
  if (s.family == AF_INET) {
    const in_addr x{htonl(v4_of(ip))};
    inet_ntop(AF_INET, &x, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, ip.b, buf, sizeof buf);
  }
  a.host = buf;
  return a;
}

SockAddr SimNetwork::unix_addr(int path) const {
  SockAddr a;
  a.family = AF_UNIX;
  if (path >= 0) a.path = paths_[path];
  return a;
}

std::uint32_t SimNetwork::port_key(Kind kind, std::uint16_t port) { return (kind == Kind::kUdp ? 1u << 16 : 0u) | port; }

bool SimNetwork::overlap(const Sock& a, const Sock& b) const {
  const Cover ca = cover_of(a.family, a.v6only, a.lip), cb = cover_of(b.family, b.v6only, b.lip);
  if (ca.one) return covers(cb, ca.ip);
  if (cb.one) return covers(ca, cb.ip);
  return (ca.all4 && cb.all4) || (ca.all6 && cb.all6);
}

bool SimNetwork::bind_conflict(const Sock& s) const {
  // inet_bind_conflict / udp_lib_lport_inuse: sockets on one port whose addresses overlap may share
  // it only if both set SO_REUSEADDR and the other is not listening, or both set SO_REUSEPORT.
  auto it = ports_.find(port_key(s.kind, s.lport));
  if (it == ports_.end()) return false;
  for (Ref r : it->second) {
    const Sock* o = get(r);
    if (!o || o == &s || !overlap(s, *o)) continue;
    if (s.reuseaddr && o->reuseaddr && o->st != Tcp::kListen) continue;
    if (s.reuseport && o->reuseport) continue;
    return true;
  }
  return false;
}

int SimNetwork::bind_port(Sock& s, std::uint16_t port, bool for_connect) {
  if (port == 0) {
    // Linux draws ephemeral ports at random from the range, even ones for connect() and odd ones for
    // bind(0) (since 4.6); the simulation takes them in order, deterministically.
    std::uint16_t& next = next_port_[for_connect ? 0 : 1];
    for (int i = 0; i <= (kPortHigh - kPortLow) / 2 && !port; ++i) {
      const std::uint16_t p = next;
      next = static_cast<std::uint16_t>(next + 2 > kPortHigh ? next + 2 - (kPortHigh - kPortLow + 1) : next + 2);
      if (!ports_.contains(port_key(s.kind, p))) port = p;
    }
    if (!port) return for_connect ? -EADDRNOTAVAIL : -EADDRINUSE;
    s.lport = port;
  } else {
    s.lport = port;
    if (bind_conflict(s)) {
      s.lport = 0;
      return -EADDRINUSE;
    }
  }
  ports_[port_key(s.kind, s.lport)].push_back(ref(s));
  s.bound = true;
  return 0;
}

void SimNetwork::unbind(Sock& s) {
  if (s.bound) {
    auto it = ports_.find(port_key(s.kind, s.lport));
    auto& v = it->second;
    v.erase(std::find_if(v.begin(), v.end(), [&](Ref r) { return r.slot == s.slot; }));
    if (v.empty()) ports_.erase(it);
    s.bound = false;
  }
  // An abstract name goes with its socket; a path stays taken (its socket file remains).
  if (s.lpath >= 0 && paths_[s.lpath][0] == '\0') {
    auto it = unix_names_.find(paths_[s.lpath]);
    if (it != unix_names_.end() && get(it->second) == &s) unix_names_.erase(it);
  }
}

// The socket a segment or datagram from (src, sport) to (dst, dport) is delivered to, as
// __inet_lookup_listener and __udp4_lib_lookup score them: an exact address beats a wildcard, a
// socket of the packet's family beats a dual-stack one; a connected UDP socket takes only its peer's
// datagrams. Ties go to the socket bound first (Linux hashes a SO_REUSEPORT group instead).
SimNetwork::Sock* SimNetwork::find_inet(Kind kind, const Ip& src, std::uint16_t sport, const Ip& dst,
                                        std::uint16_t dport) {
  auto it = ports_.find(port_key(kind, dport));
  if (it == ports_.end()) return nullptr;
  Sock* best = nullptr;
  int best_score = -1;
  for (Ref r : it->second) {
    Sock* o = get(r);
    if (!o || (kind == Kind::kTcp && o->st != Tcp::kListen)) continue;
    if (!covers(cover_of(o->family, o->v6only, o->lip), dst)) continue;
    if (kind == Kind::kUdp && o->connected && !(o->rip == src && o->rport == sport)) continue;
    const int score = (o->lip == dst ? 2 : 0) + ((o->family == AF_INET) == is_v4(dst) ? 1 : 0);
    if (score > best_score) best = o, best_score = score;
  }
  return best;
}

// A destination on this host: 0.0.0.0 and :: mean loopback (as a connect() to INADDR_ANY does).
bool SimNetwork::route(const Sock& s, Ip& dst) const {
  if (is_v4(dst)) {
    if (s.family == AF_INET6 && s.v6only) return false;
    const std::uint32_t a = v4_of(dst);
    if (a == 0) dst = v4(INADDR_LOOPBACK);
    return a == 0 || a >> 24 == 127;
  }
  if (dst == Ip{}) dst = v6_loopback();
  return dst == v6_loopback();
}

int SimNetwork::bind(int fd, const SockAddr& addr) {
  Sock* s = get(fd);
  if (!s) return -EBADF;
  switch (s->kind) {
    case Kind::kPipeRead:
    case Kind::kPipeWrite: return -ENOTSOCK;
    case Kind::kUnixStream:
    case Kind::kUnixDgram:
      if (addr.family != AF_UNIX) return -EINVAL;
      return unix_bind(*s, addr.path);
    default: break;
  }
  if (s->bound) return -EINVAL;
  Ip ip;
  if (int e = parse(*s, addr, ip)) return e;
  if (s->family == AF_INET6 && is_v4(ip) && s->v6only) return -EINVAL;
  const bool local = is_v4(ip) ? v4_of(ip) == 0 || v4_of(ip) >> 24 == 127 : ip == Ip{} || ip == v6_loopback();
  if (!local) return -EADDRNOTAVAIL;
  s->lip = ip;
  if (int e = bind_port(*s, addr.port, false)) {
    s->lip = any_of(s->family);
    return e;
  }
  s->port_locked = addr.port != 0;
  return 0;
}

int SimNetwork::intern_path(const std::string& path) {
  auto [it, fresh] = path_ids_.try_emplace(path, static_cast<int>(paths_.size()));
  if (fresh) paths_.push_back(path);
  return it->second;
}

int SimNetwork::unix_bind(Sock& s, std::string path) {
  if (s.lpath >= 0) return -EINVAL;
  if (path.size() > 108) return -EINVAL;  // sizeof(sun_path)
  if (path.empty()) {
    // unix_autobind: an abstract name of five hex digits.
    do {
      char name[8];
      std::snprintf(name, sizeof name, "%05x", next_autobind_++ & 0xfffffu);
      path = std::string(1, '\0') + name;
    } while (unix_names_.contains(path));
  } else if (unix_names_.contains(path)) {
    return -EADDRINUSE;
  }
  unix_names_[path] = ref(s);
  s.lpath = intern_path(path);
  return 0;
}

int SimNetwork::unix_lookup(const Sock& s, const std::string& path, Sock*& out) const {
  if (path.empty()) return -EINVAL;
  const bool abstract = path[0] == '\0';
  auto it = unix_names_.find(path);
  // unix_find_bsd: no file is ENOENT, a file whose socket is gone ECONNREFUSED, a socket of another
  // type EPROTOTYPE; an abstract name is looked up with its type (ECONNREFUSED either way).
  if (it == unix_names_.end()) return abstract ? -ECONNREFUSED : -ENOENT;
  Sock* o = get(it->second);
  if (!o) return -ECONNREFUSED;
  if (o->type != s.type) return abstract ? -ECONNREFUSED : -EPROTOTYPE;
  out = o;
  return 0;
}

int SimNetwork::remove_stale_unix_socket(const std::string& path) {
  if (path.empty() || path[0] == '\0') return -ENOENT;
  return unix_names_.erase(path) ? 0 : -ENOENT;
}

int SimNetwork::getsockname(int fd, SockAddr& out) {
  Sock* s = get(fd);
  if (!s) return -EBADF;
  switch (s->kind) {
    case Kind::kPipeRead:
    case Kind::kPipeWrite: return -ENOTSOCK;
    case Kind::kUnixStream:
    case Kind::kUnixDgram: out = unix_addr(s->lpath); return 0;
    default: out = inet_addr(*s, s->lip, s->lport); return 0;
  }
}

int SimNetwork::getpeername(int fd, SockAddr& out) {
  Sock* s = get(fd);
  if (!s) return -EBADF;
  switch (s->kind) {
    case Kind::kPipeRead:
    case Kind::kPipeWrite: return -ENOTSOCK;
    case Kind::kUnixStream:
    case Kind::kUnixDgram:
      if (!s->connected) return -ENOTCONN;
      out = unix_addr(s->rpath);
      return 0;
    case Kind::kTcp:
      // inet_getname: no peer in CLOSE (after a reset) or SYN_SENT.
      if (s->st != Tcp::kEstablished && s->st != Tcp::kSynRecv) return -ENOTCONN;
      break;
    case Kind::kUdp:
      if (!s->connected) return -ENOTCONN;
      break;
  }
  out = inet_addr(*s, s->rip, s->rport);
  return 0;
}

// --- Options.

int SimNetwork::setsockopt(int fd, int level, int name, int value) {
  Sock* s = get(fd);
  if (!s) return -EBADF;
  if (s->kind == Kind::kPipeRead || s->kind == Kind::kPipeWrite) return -ENOTSOCK;
  const bool on = value != 0;
  if (level == SOL_SOCKET) {
    switch (name) {
      case SO_REUSEADDR: s->reuseaddr = on; return 0;
      case SO_REUSEPORT: s->reuseport = on; return 0;
      case SO_KEEPALIVE: s->keepalive = on; return 0;
      case SO_BROADCAST: s->broadcast = on; return 0;
      case SO_SNDBUF:
      case SO_RCVBUF: {
        // sock_setsockopt: the value is capped at wmem_max / rmem_max (as unsigned), doubled for the
        // kernel's overhead and floored at the minimum; getsockopt reads the doubled value.
        const long v = std::min<long>(static_cast<unsigned>(value), kMemMax) * 2;
        if (name == SO_SNDBUF) {
          s->sndbuf = static_cast<int>(std::max<long>(v, kMinSndbuf));
          s->sndbuf_locked = true;
        } else {
          s->rcvbuf = static_cast<int>(std::max<long>(v, kMinRcvbuf));
        }
        if (s->kind == Kind::kTcp) size_buffers(*s);
        wake(*s, kOut);  // sk_write_space: a larger buffer may make room
        return 0;
      }
      default: return -ENOPROTOOPT;
    }
  }
  if (s->family == AF_UNIX) return -EOPNOTSUPP;
  if (level == IPPROTO_TCP && name == TCP_NODELAY && s->kind == Kind::kTcp) {
    s->nodelay = on;
    return 0;
  }
  if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY && s->family == AF_INET6) {
    if (s->bound) return -EINVAL;
    s->v6only = on;
    return 0;
  }
  return -ENOPROTOOPT;
}

int SimNetwork::getsockopt(int fd, int level, int name) {
  Sock* s = get(fd);
  if (!s) return -EBADF;
  if (s->kind == Kind::kPipeRead || s->kind == Kind::kPipeWrite) return -ENOTSOCK;
  run_due();
  if (level == SOL_SOCKET) {
    switch (name) {
      case SO_ERROR: return take(s->err);
      case SO_TYPE: return s->type;
      case SO_REUSEADDR: return s->reuseaddr;
      case SO_REUSEPORT: return s->reuseport;
      case SO_KEEPALIVE: return s->keepalive;
      case SO_BROADCAST: return s->broadcast;
      case SO_SNDBUF: return s->sndbuf;
      case SO_RCVBUF: return s->rcvbuf;
      default: return -ENOPROTOOPT;
    }
  }
  if (s->family == AF_UNIX) return -EOPNOTSUPP;
  if (level == IPPROTO_TCP && name == TCP_NODELAY && s->kind == Kind::kTcp) return s->nodelay;
  if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY && s->family == AF_INET6) return s->v6only;
  return -ENOPROTOOPT;
}

// --- Connections.

int SimNetwork::listen(int fd, int backlog) {
  Sock* s = get(fd);
  if (!s) return -EBADF;
  if (s->kind == Kind::kPipeRead || s->kind == Kind::kPipeWrite) return -ENOTSOCK;
  if (s->kind == Kind::kUdp || s->kind == Kind::kUnixDgram) return -EOPNOTSUPP;
  if (s->connected || s->connecting || (s->st != Tcp::kClose && s->st != Tcp::kListen)) return -EINVAL;
  if (s->kind == Kind::kUnixStream) {
    if (s->lpath < 0) return -EINVAL;
  } else if (s->st != Tcp::kListen) {
    // inet_csk_listen_start: an unbound socket gets a port; a bound one is checked again, now that
    // listening sockets may no longer share it through SO_REUSEADDR.
    if (!s->bound) {
      if (int e = bind_port(*s, 0, false)) return e;
    } else if (bind_conflict(*s)) {
      return -EADDRINUSE;
    }
  }
  s->st = Tcp::kListen;
  // The accept queue is full when it holds more than the backlog (sk_acceptq_is_full uses '>'):
  // listen(1) takes two connections before SYNs are dropped (measured).
  s->backlog = static_cast<unsigned>(backlog) > static_cast<unsigned>(kSomaxconn) ? kSomaxconn : backlog;
  return 0;
}

int SimNetwork::connect(int fd, const SockAddr& addr) {
  Sock* s = get(fd);
  if (!s) return -EBADF;
  run_due();
  switch (s->kind) {
    case Kind::kPipeRead:
    case Kind::kPipeWrite: return -ENOTSOCK;
    case Kind::kUnixStream: return unix_connect(*s, addr);
    case Kind::kUnixDgram: {
      if (addr.family != AF_UNIX) return -EINVAL;
      Sock* o = nullptr;
      if (int e = unix_lookup(*s, addr.path, o)) return e;
      s->peer = ref(*o);
      s->rpath = o->lpath;
      s->connected = true;
      return 0;
    }
    default: break;
  }
  if (s->kind == Kind::kTcp && s->connecting) {
    // __inet_stream_connect again while SS_CONNECTING: EALREADY while the SYN is out; 0 once it has
    // completed (the socket becomes SS_CONNECTED); the pending error (or ECONNABORTED) if it failed.
    if (s->st == Tcp::kSynSent || s->st == Tcp::kSynRecv) return -EALREADY;
    s->connecting = false;
    if (s->st == Tcp::kClose) {
      const int e = take(s->err);
      s->rcv_shut = s->snd_shut = s->done = false;  // tcp_disconnect
      return e ? -e : -ECONNABORTED;
    }
    s->connected = true;
    return 0;
  }
  if (s->kind == Kind::kTcp && (s->connected || s->st != Tcp::kClose)) return -EISCONN;
  Ip dst;
  if (int e = parse(*s, addr, dst)) return e;
  if (!route(*s, dst)) return -ENETUNREACH;
  // The source address is the route's (127.0.0.1, even to 127.0.0.5: measured) unless bound to one.
  if (is_any(s->lip)) s->lip = loopback_for(dst);
  if (!s->bound) {
    if (int e = bind_port(*s, 0, s->kind == Kind::kTcp)) return e;
  }
  s->rip = dst;
  s->rport = addr.port;
  if (s->kind == Kind::kUdp) {
    s->connected = true;
    return 0;
  }
  s->st = Tcp::kSynSent;
  s->connecting = true;
  s->rcv_shut = s->snd_shut = s->done = false;
  s->syn_tries = 0;
  s->syn_start = clock_.peek();
  syn(*s);
  // On loopback the handshake (or the RST) is over by the time connect() returns, but a non-blocking
  // connect still reports EINPROGRESS (measured: SO_ERROR is then 0, or ECONNREFUSED).
  return -EINPROGRESS;
}

int SimNetwork::unix_connect(Sock& s, const SockAddr& addr) {
  if (s.st == Tcp::kListen) return -EINVAL;
  if (s.connected) return -EISCONN;
  if (addr.family != AF_UNIX) return -EINVAL;
  Sock* l = nullptr;
  if (int e = unix_lookup(s, addr.path, l)) return e;
  if (l->st != Tcp::kListen) return -ECONNREFUSED;
  // unix_stream_connect: a full backlog is EAGAIN for a non-blocking socket (unix_recvq_full: '>').
  if (l->acceptq.size() > static_cast<std::size_t>(l->backlog)) return -EAGAIN;
  Sock& child = make(Kind::kUnixStream, AF_UNIX, SOCK_STREAM);
  child.lpath = l->lpath;  // the listener's name, which the child does not own (see unbind)
  child.rpath = s.lpath;
  child.peer = ref(s);
  child.connected = true;
  child.listener = ref(*l);
  s.peer = ref(child);
  s.rpath = l->lpath;
  s.connected = true;
  l->acceptq.push_back(ref(child));
  wake(*l, kIn);
  return 0;
}

int SimNetwork::accept(int fd, SockAddr* peer) {
  Sock* s = get(fd);
  if (!s) return -EBADF;
  run_due();
  if (s->kind == Kind::kPipeRead || s->kind == Kind::kPipeWrite) return -ENOTSOCK;
  if (s->kind == Kind::kUdp || s->kind == Kind::kUnixDgram) return -EOPNOTSUPP;
  if (s->st != Tcp::kListen) return -EINVAL;
  while (!s->acceptq.empty()) {
    Sock* c = get(s->acceptq.front());
    s->acceptq.pop_front();
    if (!c) continue;
    c->listener = {};
    if (peer) *peer = c->kind == Kind::kTcp ? inet_addr(*c, c->rip, c->rport) : unix_addr(c->rpath);
    return install(*c);
  }
  return -EAGAIN;
}

int SimNetwork::shutdown(int fd, int how) {
  Sock* s = get(fd);
  if (!s) return -EBADF;
  if (s->kind == Kind::kPipeRead || s->kind == Kind::kPipeWrite) return -ENOTSOCK;
  if (how < SHUT_RD || how > SHUT_RDWR) return -EINVAL;
  const bool rd = how != SHUT_WR, wr = how != SHUT_RD;
  if (s->kind == Kind::kUnixStream || s->kind == Kind::kUnixDgram) {
    // unix_shutdown: always 0; a stream peer loses the matching direction.
    s->rcv_shut |= rd;
    s->snd_shut |= wr;
    Sock* p = get(s->peer);
    if (p && s->kind == Kind::kUnixStream) {
      p->rcv_shut |= wr;
      p->snd_shut |= rd;
      wake(*p, 0);
    }
    wake(*s, 0);
    return 0;
  }
  // inet_shutdown: a connecting socket, or a listening one shut for reading, is disconnected; the
  // flags are set even on an unconnected socket, which then reports ENOTCONN.
  if (s->kind == Kind::kTcp && (s->st == Tcp::kSynSent || s->st == Tcp::kListen)) {
    if (s->st == Tcp::kListen && !rd) return 0;
    abort_listen(*s);
    s->st = Tcp::kClose;
    s->connecting = false;
    wake(*s, 0);
    return 0;
  }
  const bool unconnected = s->kind == Kind::kUdp ? !s->connected : s->st == Tcp::kClose;
  const bool send_fin = wr && !s->snd_shut && s->kind == Kind::kTcp && !unconnected;
  s->rcv_shut |= rd;
  s->snd_shut |= wr;
  if (send_fin) {
    s->fin_pending = true;  // tcp_shutdown -> tcp_send_fin, after what is queued
    flush(*s);
  }
  wake(*s, 0);
  return unconnected ? -ENOTCONN : 0;
}

// --- The selector.

unsigned SimNetwork::poll(const Sock& s) const {
  unsigned m = 0;
  switch (s.kind) {
    case Kind::kTcp:
      // tcp_poll
      if (s.st == Tcp::kListen) return s.acceptq.empty() ? 0 : kIn;
      if (s.err) m |= kErr;
      if ((s.rcv_shut && s.snd_shut) || s.st == Tcp::kClose) m |= kHup;
      if (s.rcv_shut) m |= kIn;
      if (s.st != Tcp::kSynSent && s.st != Tcp::kSynRecv) {
        if (!s.rx.empty()) m |= kIn;
        if (s.snd_shut || tcp_writable(s)) m |= kOut;
      }
      return m;
    case Kind::kUnixStream:
    case Kind::kUnixDgram: {
      // unix_poll, unix_dgram_poll
      if (s.st == Tcp::kListen) return s.acceptq.empty() ? 0 : kIn;
      if (s.err) m |= kErr;
      if ((s.rcv_shut && s.snd_shut) || (s.kind == Kind::kUnixStream && !s.connected)) m |= kHup;
      if (s.rcv_shut || (s.kind == Kind::kUnixDgram ? !s.records.empty() : !s.rx.empty())) m |= kIn;
      // unix_writable: (sk_wmem_alloc << 2) <= sk_sndbuf, the reference count counting one; a
      // datagram socket connected to a full receiver that is not connected back waits for it.
      bool writable = (s.wmem + 1) * 4 <= static_cast<std::size_t>(s.sndbuf);
      if (writable && s.kind == Kind::kUnixDgram)
        if (const Sock* p = get(s.peer); p && get(p->peer) != &s) writable = p->records.size() <= kMaxDgramQlen;
      if (writable) m |= kOut;
      return m;
    }
    case Kind::kUdp:
      // datagram_poll; always writable, as loopback frees a sent skb at once.
      if (s.err) m |= kErr;
      if (s.rcv_shut && s.snd_shut) m |= kHup;
      if (s.rcv_shut || !s.records.empty()) m |= kIn;
      return m | kOut;
    case Kind::kPipeRead:
      // pipe_poll
      if (!s.rx.empty()) m |= kIn;
      if (!get(s.peer)) m |= kHup;
      return m;
    case Kind::kPipeWrite: {
      const Sock* r = get(s.peer);
      if (!r) return kOut | kErr;
      return r->pages.size() < kPipePages ? kOut : 0u;
    }
  }
  return m;
}

// ep_poll_callback: a wakeup whose key the interest lacks is ignored (key 0, from sk_state_change,
// reaches every waiter); otherwise the descriptor joins the tail of the ready list unless it is on
// it already. Readiness is checked here rather than at every call site, so a wakeup from a path
// that changed nothing the interest covers leaves the order alone.
void SimNetwork::wake(Sock& s, unsigned key) {
  if (!s.interest || s.linked) return;
  const unsigned want = epoll_mask(s.interest);
  if (key && !(key & want)) return;
  if (poll(s) & want) link(s);
}

void SimNetwork::link(Sock& s) {
  s.linked = true;
  s.prev = ready_tail_;
  s.next = -1;
  if (ready_tail_ >= 0) slots_[ready_tail_]->next = s.slot;
  else ready_head_ = s.slot;
  ready_tail_ = s.slot;
}

void SimNetwork::unlink(Sock& s) {
  if (s.prev >= 0) slots_[s.prev]->next = s.next;
  else ready_head_ = s.next;
  if (s.next >= 0) slots_[s.next]->prev = s.prev;
  else ready_tail_ = s.prev;
  s.linked = false;
  s.prev = s.next = -1;
}

int SimNetwork::modify(int fd, unsigned events) {
  Sock* s = get(fd);
  if (!s) return -EBADF;
  if (events & ~unsigned{kEventRead | kEventWrite}) return -EINVAL;
  if (!s->interest && events) ++registered_;
  if (s->interest && !events) --registered_;
  s->interest = events;
  if (!events) {
    if (s->linked) unlink(*s);  // EPOLL_CTL_DEL
    return 0;
  }
  // EPOLL_CTL_ADD / MOD: a descriptor ready for the new interest joins the tail (ep_insert,
  // ep_modify); one already on the list keeps its place.
  if (!s->linked && (poll(*s) & epoll_mask(events))) link(*s);
  return 0;
}

void SimNetwork::select(std::optional<Nanos>, std::vector<IoEvent>& out) {
  woken_.store(false, std::memory_order_relaxed);
  run_due();
  // ep_send_events: each descriptor on the list is polled again; one still ready is reported and,
  // being level-triggered, goes back to the tail; one no longer ready is dropped.
  int cur = ready_head_;
  ready_head_ = ready_tail_ = -1;
  while (cur >= 0) {
    Sock& s = *slots_[cur];
    cur = s.next;
    s.linked = false;
    s.prev = s.next = -1;
    const unsigned ev = poll(s) & epoll_mask(s.interest);
    if (!ev) continue;
    // selectors.EpollSelector.select: anything but EPOLLIN is writable, anything but EPOLLOUT
    // readable, masked by the registered events.
    out.push_back({s.fd, (ev & ~kOut) != 0 && (s.interest & kEventRead), (ev & ~kIn) != 0 && (s.interest & kEventWrite)});
    link(s);
  }
}

std::optional<Nanos> SimNetwork::next_event_time() {
  // Timers of sockets already gone would only move the clock for nothing.
  while (!events_.empty() && (events_.front().what == Deliver::kSynRetry || events_.front().what == Deliver::kTimeout) &&
         !get(events_.front().to)) {
    std::pop_heap(events_.begin(), events_.end(), std::greater<>{});
    events_.pop_back();
  }
  if (events_.empty()) return std::nullopt;
  return events_.front().at;
}

void SimNetwork::run_due() {
  const Nanos now = clock_.peek();
  while (!events_.empty() && events_.front().at <= now) {
    std::pop_heap(events_.begin(), events_.end(), std::greater<>{});
    Event e = std::move(events_.back());
    events_.pop_back();
    arrive(e.what, e.to, e.from, e.data, e.ip, e.port);
  }
}

void SimNetwork::schedule(Nanos at, Deliver what, Ref to, Ref from, std::string_view data, const Ip& ip,
                          std::uint16_t port) {
  events_.push_back(Event{at, event_seq_++, what, to, from, std::string(data), ip, port});
  std::push_heap(events_.begin(), events_.end(), std::greater<>{});
}

std::uint64_t SimNetwork::random() {
  // splitmix64
  std::uint64_t z = (rng_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

Nanos SimNetwork::one_way() {
  Nanos d = config_.latency;
  if (config_.jitter > 0) d += static_cast<Nanos>(random() % static_cast<std::uint64_t>(config_.jitter + 1));
  return d;
}

// --- TCP.

bool SimNetwork::cut(const Ip& a, const Ip& b) const {
  for (const auto& [x, y] : partitions_)
    if ((x == a && y == b) || (x == b && y == a)) return true;
  return false;
}

bool SimNetwork::tcp_writable(const Sock& s) const {
  // sk_stream_is_writeable: free space of at least a third of the buffer (sk_stream_min_wspace),
  // and room for something now.
  const Sock* p = get(s.peer);
  const bool room = !p || (s.tx.empty() && !cut(s.lip, p->lip) && p->rx.size() + p->inflight < p->rx_cap);
  return (room || s.tx.size() < s.tx_cap) && s.tx.size() * 3 <= s.tx_cap * 2;
}

// A TCP segment leaves `from` for `to`: on loopback it arrives at once; with latency it is
// scheduled, never ahead of what was sent to the same socket before it.
void SimNetwork::transmit(Deliver what, Ref to, Sock& from, std::string_view data) {
  if (instant()) return arrive(what, to, ref(from), data, from.lip, from.lport);
  Nanos at = clock_.peek() + one_way();
  if (Sock* t = get(to)) {
    at = std::max(at, t->last_arrival);
    t->last_arrival = at;
    if (what == Deliver::kData) t->inflight += data.size();
  }
  schedule(at, what, to, ref(from), data, from.lip, from.lport);
}

void SimNetwork::syn(Sock& c) {
  if (cut(c.lip, c.rip)) return syn_lost(c);
  transmit(Deliver::kSyn, ref(c), c);
}

void SimNetwork::syn_lost(Sock& c) {
  schedule(c.syn_start + kSynBackoff[c.syn_tries] * kSecond, Deliver::kSynRetry, ref(c), {}, {}, {}, 0);
}

void SimNetwork::established(Sock& s) {
  s.st = Tcp::kEstablished;
  if (!s.sndbuf_locked) {
    s.sndbuf = kTcpSndbufEstablished;
    size_buffers(s);
  }
}

// tcp_reset: the errno a RST leaves depends on the state it finds.
void SimNetwork::reset_by_peer(Sock& s) {
  if (s.st == Tcp::kClose || s.st == Tcp::kListen) return;
  fail(s, s.st == Tcp::kSynSent ? ECONNREFUSED : s.done && !s.snd_shut ? EPIPE : ECONNRESET);
}

// tcp_done: the connection is over, `err` pending for SO_ERROR, recv and send.
void SimNetwork::fail(Sock& s, int err) {
  s.err = err;
  s.st = Tcp::kClose;
  s.rcv_shut = s.snd_shut = true;
  s.tx.clear();
  s.fin_pending = false;
  s.peer = {};
  if (s.orphan) return destroy(s);
  // A port the socket did not bind explicitly is given back (inet_put_port).
  if (!s.port_locked && s.bound) {
    unbind(s);
    s.lport = 0;
    s.lip = any_of(s.family);
  }
  wake(s, 0);
}

void SimNetwork::arrive(Deliver what, Ref to, Ref from, std::string_view data, const Ip& ip, std::uint16_t port) {
  Sock* t = get(to);
  Sock* f = get(from);
  switch (what) {
    case Deliver::kData:
      if (t && !instant()) t->inflight -= data.size();
      if (!t || t->orphan || t->st != Tcp::kEstablished) {
        // No socket takes it (gone, reset, or closed for reading by close()): the answer is a RST.
        if (t && t->orphan) destroy(*t);
        if (f) transmit(Deliver::kRst, from, *f);
        return;
      }
      t->rx.push(data.data(), data.size());
      return wake(*t, kIn);  // sk_data_ready
    case Deliver::kFin:
      if (!t || t->st != Tcp::kEstablished) return;
      t->done = t->rcv_shut = true;  // tcp_fin
      return wake(*t, 0);
    case Deliver::kRst:
      if (t) reset_by_peer(*t);
      return;
    case Deliver::kSyn: {
      if (!t || t->st != Tcp::kSynSent) return;
      Sock* l = find_inet(Kind::kTcp, t->lip, t->lport, t->rip, t->rport);
      if (!l) return transmit(Deliver::kRst, to, *t);
      // tcp_conn_request: a SYN to a full accept queue is dropped; the client sends it again.
      if (l->acceptq.size() > static_cast<std::size_t>(l->backlog)) return syn_lost(*t);
      Sock& c = make(Kind::kTcp, l->family, SOCK_STREAM);
      c.reuseaddr = l->reuseaddr;
      c.reuseport = l->reuseport;
      c.keepalive = l->keepalive;
      c.nodelay = l->nodelay;
      c.v6only = l->v6only;
      c.sndbuf = l->sndbuf;
      c.rcvbuf = l->rcvbuf;
      c.sndbuf_locked = l->sndbuf_locked;
      c.port_locked = true;
      size_buffers(c);
      c.lip = t->rip;
      c.lport = t->rport;
      c.rip = t->lip;
      c.rport = t->lport;
      ports_[port_key(c.kind, c.lport)].push_back(ref(c));  // inet_inherit_port
      c.bound = true;
      c.st = Tcp::kSynRecv;
      c.listener = ref(*l);
      c.peer = to;
      t->peer = ref(c);
      return transmit(Deliver::kSynAck, to, c);
    }
    case Deliver::kSynAck:
      if (!f) return;
      if (!t || t->st != Tcp::kSynSent) return destroy(*f);  // the connect was abandoned
      established(*t);
      wake(*t, 0);  // tcp_finish_connect: sk_state_change
      return transmit(Deliver::kAck, from, *t);
    case Deliver::kAck: {
      if (!t || t->st != Tcp::kSynRecv) return;
      Sock* l = get(t->listener);
      if (!l || l->st != Tcp::kListen) {
        if (f) transmit(Deliver::kRst, from, *t);
        return destroy(*t);
      }
      established(*t);
      l->acceptq.push_back(to);
      return wake(*l, kIn);
    }
    case Deliver::kSynRetry:
      if (!t || t->st != Tcp::kSynSent) return;
      if (t->syn_tries == kSynRetries) return fail(*t, ETIMEDOUT);
      ++t->syn_tries;
      return syn(*t);
    case Deliver::kTimeout: {
      if (!t) return;
      t->timer_armed = false;
      const Sock* p = get(t->peer);
      // tcp_write_err: retransmissions exhausted.
      if (p && (!t->tx.empty() || t->fin_pending) && cut(t->lip, p->lip)) fail(*t, ETIMEDOUT);
      return;
    }
    case Deliver::kDgram:
      if (t) udp_arrive(*t, data, ip, port);
      return;
    case Deliver::kIcmp:
      // __udp4_lib_err: only a connected socket hears of it.
      if (t && t->connected) {
        t->err = ECONNREFUSED;
        wake(*t, kErr);  // sk_error_report
      }
      return;
  }
}

// Moves what the sender kept back into the peer's window, then the FIN; a sender cut off by a
// partition waits, and arms its give-up timer.
void SimNetwork::flush(Sock& s) {
  Sock* p = get(s.peer);
  if (!p || (s.tx.empty() && !s.fin_pending)) return;
  if (cut(s.lip, p->lip)) {
    if (config_.partition_timeout && !s.timer_armed) {
      s.timer_armed = true;
      schedule(clock_.peek() + *config_.partition_timeout, Deliver::kTimeout, ref(s), {}, {}, {}, 0);
    }
    return;
  }
  const Ref to = s.peer;
  while (!s.tx.empty()) {
    p = get(to);
    if (!p) break;
    const std::size_t used = p->rx.size() + p->inflight;
    if (used >= p->rx_cap) break;
    const std::string_view chunk = s.tx.front();
    const std::size_t n = std::min(chunk.size(), p->rx_cap - used);
    transmit(Deliver::kData, to, s, chunk.substr(0, n));
    s.tx.pop(nullptr, n);
  }
  if (s.tx.empty() && s.fin_pending) {
    s.fin_pending = false;
    transmit(Deliver::kFin, to, s);
  }
  if (s.orphan) {
    if (s.tx.empty() && !s.fin_pending) destroy(s);
    return;
  }
  wake(s, kOut);  // tcp_check_space -> sk_stream_write_space
}

long SimNetwork::tcp_send(Sock& s, const char* data, std::size_t n) {
  // tcp_sendmsg_locked: before the connection is up, sk_stream_wait_connect (EAGAIN while the SYN is
  // out, else EPIPE); then a pending error, or EPIPE after shutdown(SHUT_WR) (sk_stream_error).
  if (s.st == Tcp::kSynSent || s.st == Tcp::kSynRecv) return s.err ? -take(s.err) : -EAGAIN;
  if (s.st != Tcp::kEstablished || s.err || s.snd_shut) return s.err ? -take(s.err) : -EPIPE;
  if (n == 0) return 0;
  std::size_t sent = 0;
  Sock* p = get(s.peer);
  if (s.tx.empty() && (!p || !cut(s.lip, p->lip))) {
    // Straight into the peer's window. A peer that is gone answers with a RST, after the data was
    // accepted here (as the kernel's send returned before the RST came back).
    const std::size_t used = p ? p->rx.size() + p->inflight : 0;
    sent = !p ? n : used < p->rx_cap ? std::min(n, p->rx_cap - used) : 0;
    if (sent) transmit(Deliver::kData, s.peer, s, {data, sent});
  }
  if (sent < n && s.st == Tcp::kEstablished && s.tx.size() < s.tx_cap) {
    const std::size_t kept = std::min(n - sent, s.tx_cap - s.tx.size());
    s.tx.push(data + sent, kept);
    sent += kept;
    flush(s);
  }
  return sent ? static_cast<long>(sent) : -EAGAIN;
}

void SimNetwork::tcp_close(Sock& s) {
  if (s.st == Tcp::kListen) {
    abort_listen(s);
    return destroy(s);
  }
  if (s.st != Tcp::kEstablished || !get(s.peer)) return destroy(s);
  if (!s.rx.empty()) {
    // tcp_close: data the application never read is discarded and the peer reset.
    transmit(Deliver::kRst, s.peer, s);
    return destroy(s);
  }
  if (!s.snd_shut) {
    s.snd_shut = true;
    s.fin_pending = true;
  }
  s.rcv_shut = true;
  s.orphan = true;
  const Ref self = ref(s);
  flush(s);  // frees an orphan that has nothing left to send
  if (Sock* o = get(self); o && o->tx.empty() && !o->fin_pending) destroy(*o);
}

// A listener going away resets the connections waiting in its accept queue (inet_csk_listen_stop).
void SimNetwork::abort_listen(Sock& s) {
  for (; !s.acceptq.empty(); s.acceptq.pop_front())
    if (Sock* c = get(s.acceptq.front())) {
      if (get(c->peer)) transmit(Deliver::kRst, c->peer, *c);
      destroy(*c);
    }
}

// --- Receiving on streams and pipes.

long SimNetwork::recv(int fd, void* buf, std::size_t n) {
  Sock* s = get(fd);
  if (!s) return -EBADF;
  run_due();
  char* out = static_cast<char*>(buf);
  switch (s->kind) {
    case Kind::kUdp:
    case Kind::kUnixDgram: return dgram_recv(*s, out, n, nullptr);
    case Kind::kPipeWrite: return -EBADF;
    case Kind::kPipeRead: {
      if (n == 0) return 0;
      if (s->rx.empty()) return get(s->peer) ? -EAGAIN : 0;
      const bool was_full = s->pages.size() == kPipePages;
      const std::size_t k = s->rx.pop(out, n);
      // pipe_read: a page read to its end is released; a writer waits for a free page.
      for (std::size_t left = k; left;) {
        auto& pg = s->pages.front();
        const std::size_t m = std::min<std::size_t>(pg.len, left);
        pg.off = static_cast<std::uint16_t>(pg.off + m);
        pg.len = static_cast<std::uint16_t>(pg.len - m);
        left -= m;
        if (!pg.len) s->pages.pop_front();
      }
      if (was_full && s->pages.size() < kPipePages)
        if (Sock* w = get(s->peer)) wake(*w, kOut);
      return static_cast<long>(k);
    }
    case Kind::kTcp:
      if (s->st == Tcp::kListen) return -ENOTCONN;
      break;
    case Kind::kUnixStream:
      if (!s->connected) return -EINVAL;  // unix_stream_read_generic
      break;
  }
  if (n == 0) return 0;
  if (s->rx.empty()) {
    // tcp_recvmsg_locked: a FIN is EOF (even after a later RST); then a pending error; then EOF
    // after shutdown or a reset; ENOTCONN for a socket never connected.
    if (s->kind == Kind::kTcp && s->done) return 0;
    if (s->err) return -take(s->err);
    if (s->rcv_shut) return 0;
    if (s->kind == Kind::kTcp && s->st == Tcp::kClose) return -ENOTCONN;
    return -EAGAIN;
  }
  const std::size_t k = s->rx.pop(out, n);
  if (s->kind == Kind::kTcp) {
    if (Sock* p = get(s->peer)) flush(*p);  // the window reopens
  } else {
    consume_records(*s, k);
  }
  return static_cast<long>(k);
}

// AF_UNIX stream skbs read to their end are freed and their truesize given back to the sender
// (sock_wfree -> unix_write_space).
void SimNetwork::consume_records(Sock& s, std::size_t k) {
  while (k) {
    auto& r = s.records.front();
    const std::size_t m = std::min<std::size_t>(r.len, k);
    r.len -= static_cast<std::uint32_t>(m);
    k -= m;
    if (r.len) break;
    release_record(r.sender, r.truesize);
    s.records.pop_front();
  }
}

void SimNetwork::release_record(Ref sender_ref, std::size_t truesize) {
  if (Sock* sender = get(sender_ref)) {
    sender->wmem -= truesize;
    wake(*sender, kOut);
  }
}

// A socket going away frees what it had queued.
void SimNetwork::drop_queue(Sock& s) {
  for (; !s.records.empty(); s.records.pop_front()) release_record(s.records.front().sender, s.records.front().truesize);
  s.rx.clear();
  s.rmem = 0;
}

// --- Sending on streams and pipes.

long SimNetwork::send(int fd, const void* data, std::size_t n) {
  Sock* s = get(fd);
  if (!s) return -EBADF;
  run_due();
  const char* p = static_cast<const char*>(data);
  switch (s->kind) {
    case Kind::kTcp: return tcp_send(*s, p, n);
    case Kind::kUnixStream: return unix_stream_send(*s, p, n);
    case Kind::kUdp:
    case Kind::kUnixDgram: return dgram_send(*s, p, n, nullptr);
    case Kind::kPipeRead: return -EBADF;
    case Kind::kPipeWrite: return pipe_write(*s, p, n);
  }
  return -EBADF;
}

long SimNetwork::unix_stream_send(Sock& s, const char* data, std::size_t n) {
  if (!s.connected) return -ENOTCONN;
  Sock* p = get(s.peer);
  if (s.snd_shut || !p || p->rcv_shut) return -EPIPE;
  // unix_stream_sendmsg: skbs of at most sndbuf/2 - 64 and SKB_MAX_HEAD(0) + 32 KiB, each allocated
  // while the socket's unread truesize is below SO_SNDBUF (sock_alloc_send_pskb).
  const std::size_t max_skb = std::min<std::size_t>(s.sndbuf / 2 - 64, kSkbMaxHead + kUnixFrags);
  std::size_t sent = 0;
  while (sent < n && s.wmem < static_cast<std::size_t>(s.sndbuf)) {
    const std::size_t size = std::min(n - sent, max_skb);
    const std::size_t t = unix_stream_truesize(size);
    s.wmem += t;
    p->records.push_back({static_cast<std::uint32_t>(size), static_cast<std::uint32_t>(t), ref(s), {}, 0, s.lpath});
    p->rx.push(data + sent, size);
    sent += size;
  }
  if (!sent) return n ? -EAGAIN : 0;
  wake(*p, kIn);
  return static_cast<long>(sent);
}

long SimNetwork::pipe_write(Sock& s, const char* data, std::size_t n) {
  Sock* r = get(s.peer);
  if (!r) return -EPIPE;
  if (n == 0) return 0;
  // pipe_write: the part past the last whole page merges into the last buffer if it fits there;
  // the rest takes fresh pages, of which the pipe has 16 (measured: 65536 bytes in 64 KiB writes,
  // 64000 in 100-byte writes). A write of at most a page is all or nothing.
  std::size_t done = 0;
  const std::size_t chars = n % kPage;
  if (chars && !r->pages.empty()) {
    auto& last = r->pages[r->pages.size() - 1];
    if (last.off + last.len + chars <= kPage) {
      last.len = static_cast<std::uint16_t>(last.len + chars);
      done = chars;
    }
  }
  while (done < n && r->pages.size() < kPipePages) {
    const std::size_t m = std::min(kPage, n - done);
    r->pages.push_back({0, static_cast<std::uint16_t>(m)});
    done += m;
  }
  if (!done) return -EAGAIN;
  r->rx.push(data, done);
  wake(*r, kIn);
  return static_cast<long>(done);
}

// --- Datagrams.

long SimNetwork::sendto(int fd, const void* data, std::size_t n, const SockAddr& to) {
  Sock* s = get(fd);
  if (!s) return -EBADF;
  run_due();
  switch (s->kind) {
    case Kind::kUdp:
    case Kind::kUnixDgram: return dgram_send(*s, static_cast<const char*>(data), n, to.family ? &to : nullptr);
    case Kind::kPipeRead:
    case Kind::kPipeWrite: return -ENOTSOCK;
    case Kind::kUnixStream:
      if (to.family) return s->connected ? -EISCONN : -EOPNOTSUPP;
      break;
    case Kind::kTcp: break;  // tcp_sendmsg ignores the address
  }
  return send(fd, data, n);
}

long SimNetwork::recvfrom(int fd, void* buf, std::size_t n, SockAddr* from) {
  Sock* s = get(fd);
  if (!s) return -EBADF;
  if (s->kind == Kind::kPipeRead || s->kind == Kind::kPipeWrite) return -ENOTSOCK;
  if (s->kind == Kind::kUdp || s->kind == Kind::kUnixDgram) {
    run_due();
    return dgram_recv(*s, static_cast<char*>(buf), n, from);
  }
  // A stream socket gives no address (recvfrom returns None in Python).
  const long r = recv(fd, buf, n);
  if (from && r >= 0) *from = SockAddr{};
  return r;
}

long SimNetwork::dgram_send(Sock& s, const char* data, std::size_t n, const SockAddr* to) {
  if (s.kind == Kind::kUnixDgram) return unix_dgram_send(s, data, n, to);
  Ip dst;
  std::uint16_t dport;
  if (to) {
    if (int e = parse(s, *to, dst)) return e;
    dport = to->port;
  } else if (s.connected) {
    dst = s.rip;
    dport = s.rport;
  } else {
    return -EDESTADDRREQ;
  }
  if (n > (is_v4(dst) ? 65507u : 65527u)) return -EMSGSIZE;
  if (dst == v4(INADDR_BROADCAST)) return s.broadcast ? static_cast<long>(n) : -EACCES;
  if (!route(s, dst)) return -ENETUNREACH;
  if (dport == 0) return -EINVAL;
  if (!s.bound) {
    if (int e = bind_port(s, 0, false)) return e;  // inet_autobind
  }
  const Ip src = is_any(s.lip) ? loopback_for(dst) : s.lip;
  Sock* r = find_inet(Kind::kUdp, src, s.lport, dst, dport);
  if (!r) {
    // ICMP port unreachable, which only a connected sender hears of.
    if (s.connected) {
      if (instant()) arrive(Deliver::kIcmp, ref(s), {}, {}, {}, 0);
      else schedule(clock_.peek() + 2 * config_.latency, Deliver::kIcmp, ref(s), {}, {}, {}, 0);
    }
    return static_cast<long>(n);
  }
  if (cut(src, dst)) return static_cast<long>(n);
  if (config_.drop_probability > 0 && static_cast<double>(random() >> 11) * 0x1.0p-53 < config_.drop_probability)
    return static_cast<long>(n);
  if (instant()) udp_arrive(*r, {data, n}, src, s.lport);
  else schedule(clock_.peek() + one_way(), Deliver::kDgram, ref(*r), ref(s), {data, n}, src, s.lport);
  return static_cast<long>(n);
}

void SimNetwork::udp_arrive(Sock& r, std::string_view data, const Ip& ip, std::uint16_t port) {
  const std::size_t t = udp_truesize(data.size(), !is_v4(ip));
  if (r.rmem + t > static_cast<std::size_t>(r.rcvbuf)) return;  // __udp_enqueue_schedule_skb drops it
  r.rmem += t;
  r.records.push_back({static_cast<std::uint32_t>(data.size()), static_cast<std::uint32_t>(t), {}, ip, port, -1});
  r.rx.push(data.data(), data.size());
  wake(r, kIn);
}

long SimNetwork::unix_dgram_send(Sock& s, const char* data, std::size_t n, const SockAddr* to) {
  Sock* o = nullptr;
  if (to) {
    if (to->family != AF_UNIX) return -EINVAL;
    if (int e = unix_lookup(s, to->path, o)) return e;
  } else if (s.connected) {
    o = get(s.peer);
    if (!o) {
      // unix_dgram_sendmsg: the peer died; the socket is disconnected.
      s.connected = false;
      s.peer = {};
      return -ECONNREFUSED;
    }
  } else {
    return -ENOTCONN;
  }
  if (n + 32 > static_cast<std::size_t>(s.sndbuf)) return -EMSGSIZE;
  if (s.snd_shut) return -EPIPE;
  // unix_may_send: a socket connected elsewhere takes datagrams from its peer only.
  Sock* back = get(o->peer);
  if (back && back != &s) return -EPERM;
  if (o->rcv_shut) return -EPIPE;
  // A receiver not connected back holds at most max_dgram_qlen + 1 datagrams (unix_recvq_full);
  // the sender at most SO_SNDBUF of truesize unread (sock_alloc_send_pskb).
  if (back != &s && o->records.size() > kMaxDgramQlen) return -EAGAIN;
  if (s.wmem >= static_cast<std::size_t>(s.sndbuf)) return -EAGAIN;
  const std::size_t t = unix_dgram_truesize(n);
  s.wmem += t;
  o->records.push_back({static_cast<std::uint32_t>(n), static_cast<std::uint32_t>(t), ref(s), {}, 0, s.lpath});
  o->rx.push(data, n);
  wake(*o, kIn);
  return static_cast<long>(n);
}

long SimNetwork::dgram_recv(Sock& s, char* buf, std::size_t n, SockAddr* from) {
  // __skb_try_recv_datagram: a pending error comes first.
  if (s.err) return -take(s.err);
  if (s.records.empty()) return -EAGAIN;
  const Sock::Record r = s.records.front();
  s.records.pop_front();
  const std::size_t k = std::min<std::size_t>(n, r.len);
  s.rx.pop(buf, k);
  s.rx.pop(nullptr, r.len - k);  // the rest of the datagram is discarded
  if (s.kind == Kind::kUdp) {
    s.rmem -= r.truesize;
    if (from) *from = inet_addr(s, r.ip, r.port);
  } else {
    release_record(r.sender, r.truesize);
    if (from) *from = r.path >= 0 ? unix_addr(r.path) : SockAddr{};
  }
  return static_cast<long>(k);
}

// --- Fault injection.

int SimNetwork::partition(std::string_view host_a, std::string_view host_b) {
  Ip a, b;
  if (parse_any(host_a, a) || parse_any(host_b, b)) return -EINVAL;
  if (!cut(a, b)) partitions_.emplace_back(a, b);
  return 0;
}

int SimNetwork::repair(std::string_view host_a, std::string_view host_b) {
  Ip a, b;
  if (parse_any(host_a, a) || parse_any(host_b, b)) return -EINVAL;
  std::erase_if(partitions_, [&](const auto& p) { return (p.first == a && p.second == b) || (p.first == b && p.second == a); });
  // What waited crosses now.
  for (std::size_t i = 0; i < slots_.size(); ++i)
    if (Sock* s = slots_[i].get(); s && s->kind == Kind::kTcp && (!s->tx.empty() || s->fin_pending)) flush(*s);
  return 0;
}

int SimNetwork::reset(int fd) {
  Sock* s = get(fd);
  if (!s) return -EBADF;
  if (s->kind != Kind::kTcp || s->st != Tcp::kEstablished) return -ENOTCONN;
  if (Sock* p = get(s->peer)) reset_by_peer(*p);
  reset_by_peer(*s);
  return 0;
}

}  // namespace asyncio

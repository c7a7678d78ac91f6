#pragma once
// The simulated network: sockets, pipes and an epoll-like selector, in process, on the loop's virtual
// clock, behaving as Linux loopback does (return values, errno, buffer sizes and backpressure, the
// order in which epoll reports descriptors), so that a trace recorded from CPython on real loopback
// sockets is reproduced. The world it simulates is one host's loopback: 127.0.0.0/8 and ::1 for TCP
// and UDP, AF_UNIX names (paths and abstract names) and pipes.
//
// By default delivery is instantaneous, as on loopback, where a send() has put the data in the peer's
// receive queue by the time it returns. SimConfig adds faults, reproducible by seed: latency and
// jitter on TCP and UDP (TCP stays reliable and ordered), datagram loss, partitions between hosts
// and injected resets. Descriptors are indexes into a table; the data path is ring buffers that keep
// their capacity (no allocation in steady state without latency).
//
// Departures from Linux, by design: there is no TIME_WAIT (a port is free once its last socket is
// gone), a receive window reopens as soon as the reader makes room (no silly-window avoidance), and
// destinations outside loopback are unreachable (ENETUNREACH). AF_UNIX path names live in the
// simulation's own namespace: as on Linux a path stays taken after its socket closes (the socket
// file remains) until remove_stale_unix_socket removes it.
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "asyncio/clock.hpp"
#include "asyncio/network.hpp"

namespace asyncio {

/// Fault injection for SimNetwork. The defaults are a fault-free loopback.
struct SimConfig {
  /// Seeds every random choice (jitter, drops): the same seed and the same calls give the same trace.
  std::uint64_t seed = 1;
  /// One-way delay of every TCP segment and UDP datagram (AF_UNIX sockets and pipes are local IPC and
  /// have none).
  Nanos latency = 0;
  /// An extra delay drawn uniformly from [0, jitter] per TCP send and per datagram. Datagrams may be
  /// reordered by it; TCP data never is (a segment never arrives before the one sent ahead of it).
  Nanos jitter = 0;
  /// The probability that a UDP datagram is lost.
  double drop_probability = 0;
  /// A TCP connection whose data (or FIN) cannot cross a partition stalls; when this is set, after
  /// this long the sender gives up as Linux does when retransmissions are exhausted: SO_ERROR
  /// ETIMEDOUT and the connection closed (the peer is not told). A connect across a partition retries
  /// its SYN at 1, 3, 7, 15, 31 and 63 s and fails with ETIMEDOUT at 127 s (tcp_syn_retries = 6),
  /// whatever this is.
  std::optional<Nanos> partition_timeout;
  /// The first descriptor handed out. 0-2 are stdio, and a CPython loop holds 3 (epoll) and 4, 5 (its
  /// self-pipe socketpair), so a program's first socket is fd 6 in a trace recorded from CPython.
  int first_fd = 6;
};

namespace detail {
/// An address of the simulated network: IPv6, with IPv4 as v4-mapped (::ffff:a.b.c.d).
struct SimIp {
  unsigned char b[16] = {};
  friend bool operator==(const SimIp&, const SimIp&) = default;
};
}  // namespace detail

class SimNetwork final : public Network {
 public:
  explicit SimNetwork(VirtualClock& clock);
  SimNetwork(VirtualClock& clock, SimConfig config);
  /// On a clock the network keeps alive (for sockets that outlive the loop that made it).
  explicit SimNetwork(std::shared_ptr<VirtualClock> clock, SimConfig config = {});
  ~SimNetwork() override;
  SimNetwork(const SimNetwork&) = delete;
  SimNetwork& operator=(const SimNetwork&) = delete;

  bool is_simulated() const noexcept override { return true; }
  int socket(int family, int type, int protocol = 0) override;
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
  void wakeup() override { woken_.store(true, std::memory_order_relaxed); }
  std::optional<Nanos> next_event_time() override;
  /// Delivers what is due by the clock's time without polling (what a blocking call sees happen
  /// while it waits).
  void run_due();
  int remove_stale_unix_socket(const std::string& path) override;
  std::size_t registered() const noexcept override { return registered_; }

  // --- Fault injection.
  const SimConfig& config() const noexcept { return config_; }
  std::uint64_t seed() const noexcept { return config_.seed; }
  /// Cuts the path between two hosts (numeric IPv4 or IPv6 addresses, e.g. "127.0.0.2"), both ways:
  /// datagrams between them are lost and TCP segments wait (see SimConfig::partition_timeout).
  /// -EINVAL for a host that is not an address.
  int partition(std::string_view host_a, std::string_view host_b);
  /// Restores the path; TCP data that waited is sent now.
  int repair(std::string_view host_a, std::string_view host_b);
  /// Resets the TCP connection of `fd` as a RST arriving at each end would (tcp_reset): each end is
  /// closed with ECONNRESET pending (EPIPE at an end that had received the peer's FIN and not shut
  /// down its own side). -ENOTCONN if `fd` is not a connected TCP socket.
  int reset(int fd);

 private:
  struct Sock;
  struct Event;
  enum class Kind : unsigned char;
  enum class Deliver : unsigned char;
  using Ip = detail::SimIp;
  struct Ref {
    int slot = -1;
    std::uint32_t gen = 0;
  };

  bool instant() const noexcept { return config_.latency == 0 && config_.jitter == 0; }

  // Descriptors and objects.
  Sock* get(int fd) const noexcept;
  Sock* get(Ref r) const noexcept;
  Ref ref(const Sock& s) const noexcept;
  Sock& make(Kind kind, int family, int type);
  int install(Sock& s);
  void destroy(Sock& s);
  static void size_buffers(Sock& s);

  // Addresses, ports and names.
  int parse(const Sock& s, const SockAddr& a, Ip& ip) const;
  static int parse_any(std::string_view host, Ip& ip);
  SockAddr inet_addr(const Sock& s, const Ip& ip, std::uint16_t port) const;
  SockAddr unix_addr(int path) const;
  static std::uint32_t port_key(Kind kind, std::uint16_t port);
  bool overlap(const Sock& a, const Sock& b) const;
  bool bind_conflict(const Sock& s) const;
  int bind_port(Sock& s, std::uint16_t port, bool for_connect);
  void unbind(Sock& s);
  Sock* find_inet(Kind kind, const Ip& src, std::uint16_t sport, const Ip& dst, std::uint16_t dport);
  bool route(const Sock& s, Ip& dst) const;
  int intern_path(const std::string& path);
  int unix_bind(Sock& s, std::string path);
  int unix_lookup(const Sock& s, const std::string& path, Sock*& out) const;
  int unix_connect(Sock& s, const SockAddr& addr);

  // TCP.
  bool cut(const Ip& a, const Ip& b) const;
  bool tcp_writable(const Sock& s) const;
  void transmit(Deliver what, Ref to, Sock& from, std::string_view data = {});
  void arrive(Deliver what, Ref to, Ref from, std::string_view data, const Ip& ip, std::uint16_t port);
  void syn(Sock& client);
  void syn_lost(Sock& client);
  void established(Sock& s);
  void reset_by_peer(Sock& s);
  void fail(Sock& s, int err);
  void flush(Sock& sender);
  long tcp_send(Sock& s, const char* data, std::size_t n);
  void tcp_close(Sock& s);
  void abort_listen(Sock& s);

  // AF_UNIX, UDP and pipes.
  void hang_up(Sock& s, int err);
  long unix_stream_send(Sock& s, const char* data, std::size_t n);
  void consume_records(Sock& s, std::size_t n);
  void release_record(Ref sender, std::size_t truesize);
  void drop_queue(Sock& s);
  long pipe_write(Sock& s, const char* data, std::size_t n);
  long dgram_send(Sock& s, const char* data, std::size_t n, const SockAddr* to);
  long unix_dgram_send(Sock& s, const char* data, std::size_t n, const SockAddr* to);
  void udp_arrive(Sock& r, std::string_view data, const Ip& ip, std::uint16_t port);
  long dgram_recv(Sock& s, char* buf, std::size_t n, SockAddr* from);

  // The selector and time.
  unsigned poll(const Sock& s) const;
  void wake(Sock& s, unsigned key);
  void link(Sock& s);
  void unlink(Sock& s);
  void schedule(Nanos at, Deliver what, Ref to, Ref from, std::string_view data, const Ip& ip, std::uint16_t port);
  Nanos one_way();
  std::uint64_t random();

  std::shared_ptr<VirtualClock> owned_clock_;
  VirtualClock& clock_;
  SimConfig config_;
  std::uint64_t rng_;
  std::vector<std::unique_ptr<Sock>> slots_;  // every socket, pipe end and unaccepted connection
  std::vector<std::uint32_t> gens_;           // per slot: a Ref to a freed slot no longer resolves
  std::vector<int> free_slots_;
  std::vector<Sock*> fds_;  // descriptor -> socket; the lowest free descriptor is reused (as Linux)
  std::size_t fd_hint_ = 0;
  std::unordered_map<std::uint32_t, std::vector<Ref>> ports_;  // (protocol << 16 | port) -> bound sockets
  std::unordered_map<std::string, Ref> unix_names_;  // a path whose socket is gone still takes its name
  std::unordered_map<std::string, int> path_ids_;
  std::vector<std::string> paths_;
  std::vector<std::pair<Ip, Ip>> partitions_;
  std::vector<Event> events_;  // a heap on (time, sequence)
  std::uint64_t event_seq_ = 0;
  std::uint16_t next_port_[2] = {32768, 32769};  // connect: even ports, bind: odd (as Linux since 4.6)
  std::uint32_t next_autobind_ = 0;
  int ready_head_ = -1, ready_tail_ = -1;  // epoll's ready list, through the sockets' slots
  std::size_t registered_ = 0;
  std::atomic<bool> woken_{false};
};

}  // namespace asyncio

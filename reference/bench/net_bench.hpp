#pragma once
// What the network workloads of asyncio-bench (bench.cpp) and its Boost.Asio peer (asio_peer.cpp) share:
// the clock, the system-call counter, the descriptor limit and the clients of the idle-connection row.
#include <fcntl.h>
#include <linux/perf_event.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <optional>
#include <vector>

namespace bench {

// Thread CPU time, not wall time: on a shared machine a wall clock also counts the time other
// processes held the CPU. A loopback round trip runs in the sending thread's system calls, so the
// kernel's share of the network workloads is counted too.
inline double cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

inline constexpr std::size_t kMessage = 64;  // bytes per echo message

// The system calls this thread makes, counted by the kernel (the raw_syscalls:sys_enter tracepoint
// through perf_event_open, as `perf stat -e raw_syscalls:sys_enter` counts them): nothing is added to
// the calls being counted. Unavailable (nullopt) without tracefs access or with perf events forbidden
// (kernel.perf_event_paranoid, containers). To cross-check a whole run (set-up included):
//   perf stat -e raw_syscalls:sys_enter asyncio-bench --only echo_throughput
class SyscallCounter {
 public:
  SyscallCounter() {
    long id = -1;
    for (const char* path : {"/sys/kernel/tracing/events/raw_syscalls/sys_enter/id",
                             "/sys/kernel/debug/tracing/events/raw_syscalls/sys_enter/id"})
      if (FILE* f = std::fopen(path, "r")) {
        if (std::fscanf(f, "%ld", &id) != 1) id = -1;
        std::fclose(f);
        if (id >= 0) break;
      }
    if (id < 0) return;
    perf_event_attr attr{};
    attr.type = PERF_TYPE_TRACEPOINT;
    attr.size = sizeof attr;
    attr.config = static_cast<std::uint64_t>(id);
    fd_ = static_cast<int>(syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
  }
  SyscallCounter(const SyscallCounter&) = delete;
  SyscallCounter& operator=(const SyscallCounter&) = delete;
  ~SyscallCounter() {
    if (fd_ >= 0) close(fd_);
  }
  std::optional<std::uint64_t> read() const {
    std::uint64_t n = 0;
    if (fd_ < 0 || ::read(fd_, &n, sizeof n) != static_cast<ssize_t>(sizeof n)) return std::nullopt;
    return n;
  }

 private:
  int fd_ = -1;
};

// Raises the soft descriptor limit to the hard one and returns how many idle connections (one
// descriptor each in the measuring process, the clients being in another) fit under it, at most `want`.
inline std::size_t idle_connections_allowed(std::size_t want) {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 0;
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  constexpr rlim_t kSpare = 64;  // the loop's own descriptors, stdio, the listener
  if (rl.rlim_cur <= kSpare) return 0;
  return rl.rlim_cur - kSpare < want ? static_cast<std::size_t>(rl.rlim_cur - kSpare) : want;
}

// The client ends of the idle connections, in a child process: the measuring process then holds only
// the server ends, so its memory delta is what a server spends per connection. The child connects
// (blocking) and holds its sockets until the parent destroys this object.
class IdleClients {
 public:
  IdleClients(std::uint16_t port, std::size_t n) {
    int fds[2];
    if (pipe(fds) != 0) return;
    std::fflush(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      close(fds[1]);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(port);
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      std::vector<int> socks;
      for (std::size_t i = 0; i < n; ++i) {
        const int s = socket(AF_INET, SOCK_STREAM, 0);
        if (s < 0 || connect(s, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) _exit(1);
        socks.push_back(s);
      }
      char c;
      while (::read(fds[0], &c, 1) > 0) {
      }
      _exit(0);
    }
    close(fds[0]);
    release_ = fds[1];
  }
  IdleClients(const IdleClients&) = delete;
  IdleClients& operator=(const IdleClients&) = delete;
  ~IdleClients() {
    if (release_ >= 0) close(release_);
    if (pid_ > 0) waitpid(pid_, nullptr, 0);
  }
  bool started() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
  int release_ = -1;
};

}  // namespace bench

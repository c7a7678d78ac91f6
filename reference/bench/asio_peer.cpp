// asio-peer: the network workloads of asyncio-bench on Boost.Asio (standalone Asio, C++20 coroutines:
// co_spawn, awaitable, use_awaitable), the C++ peer of the reference loop's echo rows. One io_context
// on one thread holds both ends of every connection, as the reference's and the Python peers' loops do.
// Prints one JSON object per line, as peers.py does: {"version": ...}, then {"<key>": value} per figure.
//
//   asio-peer [--round-trips N] [--duration SECONDS] [--connections N] [--idle N] [--reps N]
#include <malloc.h>

#include <asio.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "net_bench.hpp"

namespace {

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;

struct Options {
  std::size_t round_trips = 100'000;
  double duration = 1.0;
  std::size_t connections = 100;
  std::size_t idle = 10'000;
  int reps = 5;
};

// The server's side of every workload: echoes what it reads. The buffer is the message size, so an
// idle connection costs Asio no more than the message needs.
awaitable<void> echo_session(tcp::socket s) {
  char buf[bench::kMessage];
  try {
    for (;;) {
      const std::size_t n = co_await s.async_read_some(asio::buffer(buf), use_awaitable);
      co_await asio::async_write(s, asio::buffer(buf, n), use_awaitable);
    }
  } catch (const std::system_error&) {
    // EOF or reset: the session ends
  }
}

// Accepts forever, one echo session per connection; `accepted` counts them.
awaitable<void> accept_loop(tcp::acceptor& acceptor, std::size_t& accepted) {
  for (;;) {
    tcp::socket s = co_await acceptor.async_accept(use_awaitable);
    s.set_option(tcp::no_delay(true));
    ++accepted;
    co_spawn(acceptor.get_executor(), echo_session(std::move(s)), asio::detached);
  }
}

struct Echo {
  // One thread, and no other posts to it: the hint turns Asio's locking off (the reference loop and
  // libuv have none).
  asio::io_context ctx{ASIO_CONCURRENCY_HINT_UNSAFE};
  tcp::acceptor acceptor{ctx, tcp::endpoint(asio::ip::address_v4::loopback(), 0)};
  std::size_t accepted = 0;

  Echo() { co_spawn(ctx, accept_loop(acceptor, accepted), asio::detached); }

  awaitable<tcp::socket> connect() {
    tcp::socket s(ctx);
    co_await s.async_connect(acceptor.local_endpoint(), use_awaitable);
    s.set_option(tcp::no_delay(true));
    co_return s;
  }
  // Runs `main` to completion; the sessions it leaves are destroyed with the context.
  template <class T>
  T run(awaitable<T> main) {
    T out{};
    co_spawn(ctx, std::move(main), [&](std::exception_ptr e, T v) {
      if (e) std::rethrow_exception(e);
      out = v;
      ctx.stop();
    });
    ctx.run();
    return out;
  }
};

awaitable<void> round_trip(tcp::socket& s, char (&msg)[bench::kMessage]) {
  co_await asio::async_write(s, asio::buffer(msg), use_awaitable);
  co_await asio::async_read(s, asio::buffer(msg), use_awaitable);
}

// µs per round trip of one 64-byte message on one connection.
awaitable<double> latency(Echo& e, std::size_t n) {
  tcp::socket s = co_await e.connect();
  char msg[bench::kMessage] = {};
  co_await round_trip(s, msg);  // the server's session is running
  const double t0 = bench::cpu_ns();
  for (std::size_t i = 0; i < n; ++i) co_await round_trip(s, msg);
  co_return (bench::cpu_ns() - t0) / 1e3 / static_cast<double>(n);
}

struct Throughput {
  double msgs_per_s = 0;
  double syscalls_per_msg = NAN;
};

// One client of the throughput workload: round trips until the window closes.
awaitable<void> ping_until_closed(tcp::socket& s, const bool& open, std::size_t& count) {
  char msg[bench::kMessage] = {};
  while (open) {
    co_await round_trip(s, msg);
    ++count;
  }
}

// Every connection ping-pongs 64-byte messages until the window closes: messages echoed per CPU second.
awaitable<Throughput> throughput(Echo& e, std::size_t connections, double duration) {
  std::vector<tcp::socket> socks;
  for (std::size_t i = 0; i < connections; ++i) socks.push_back(co_await e.connect());
  bool open = true;
  std::size_t count = 0, running = connections;
  asio::steady_timer all_done(e.ctx, asio::steady_timer::time_point::max());
  bench::SyscallCounter syscalls;
  const auto calls0 = syscalls.read();
  const double t0 = bench::cpu_ns();
  for (auto& s : socks)
    co_spawn(e.ctx, ping_until_closed(s, open, count), [&](std::exception_ptr) {
      if (--running == 0) all_done.cancel();
    });
  asio::steady_timer window(e.ctx, std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(duration)));
  co_await window.async_wait(use_awaitable);
  const double ns = bench::cpu_ns() - t0;
  const auto calls1 = syscalls.read();
  Throughput out{static_cast<double>(count) * 1e9 / ns};
  if (calls0 && calls1) out.syscalls_per_msg = static_cast<double>(*calls1 - *calls0) / static_cast<double>(count);
  open = false;  // the clients finish their round trips in flight before the sockets go
  asio::error_code cancelled;
  co_await all_done.async_wait(asio::redirect_error(use_awaitable, cancelled));
  co_return out;
}

// Heap bytes in use (mallinfo2: uordblks + hblkhd) per idle accepted connection, each with its
// session waiting in async_read_some. The kernel's socket memory is not in the process's heap and not
// counted. The clients are in another process (bench::IdleClients).
awaitable<double> idle_memory(Echo& e, std::size_t n) {
  auto heap = [] {
    const auto mi = mallinfo2();
    return static_cast<double>(mi.uordblks + mi.hblkhd);
  };
  co_await asio::post(e.ctx, use_awaitable);  // the accept loop is waiting
  const double before = heap();
  bench::IdleClients clients(e.acceptor.local_endpoint().port(), n);
  if (!clients.started()) co_return NAN;
  asio::steady_timer poll(e.ctx);
  while (e.accepted < n) {
    poll.expires_after(std::chrono::milliseconds(1));
    co_await poll.async_wait(use_awaitable);
  }
  co_await asio::post(e.ctx, use_awaitable);  // the last sessions reach their first read
  co_return (heap() - before) / static_cast<double>(n);
}

template <class F>
double best_of(int reps, F run_once) {
  double best = INFINITY;
  for (int r = 0; r < reps; ++r) best = std::min(best, run_once());
  return best;
}

void print(const char* key, double v) {
  if (std::isnan(v)) return;
  std::printf("{\"%s\": %.4g}\n", key, v);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const char* v = argv[i + 1];
    if (a == "--round-trips") o.round_trips = std::strtoul(v, nullptr, 10);
    else if (a == "--duration") o.duration = std::atof(v);
    else if (a == "--connections") o.connections = std::strtoul(v, nullptr, 10);
    else if (a == "--idle") o.idle = std::strtoul(v, nullptr, 10);
    else if (a == "--reps") o.reps = std::atoi(v);
    else {
      std::fprintf(stderr, "asio-peer: unknown option %s\n", a.c_str());
      return 2;
    }
  }
  std::printf("{\"version\": \"Asio %d.%d.%d\"}\n", ASIO_VERSION / 100000, ASIO_VERSION / 100 % 1000, ASIO_VERSION % 100);

  // Asio has one API for both reference rows: its coroutine echo is the peer of the protocol and the
  // streams latency alike.
  const double lat = best_of(o.reps, [&] {
    Echo e;
    return e.run(latency(e, o.round_trips));
  });
  print("echo_latency_protocol", lat);
  print("echo_latency_streams", lat);

  Throughput best;
  for (int r = 0; r < o.reps; ++r) {
    Echo e;
    const Throughput t = e.run(throughput(e, o.connections, o.duration));
    if (t.msgs_per_s > best.msgs_per_s) best = t;
  }
  print("echo_throughput", best.msgs_per_s / 1e3);
  print("echo_syscalls", best.syscalls_per_msg);

  const std::size_t idle = bench::idle_connections_allowed(o.idle);
  Echo e;
  print("mem_idle_connection", e.run(idle_memory(e, idle)));
  return 0;
}

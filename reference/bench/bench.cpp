// asyncio-bench: what the reference loop's asyncio operations cost, next to CPython's asyncio and
// uvloop running the same workloads (bench/peers.py, run as a subprocess when Python is installed)
// and, for the network rows, Boost.Asio (asio-peer, built where Asio is installed). Figures are the
// best of several repetitions; the table marks each against its target, absolute or a peer's figure.
// It is a measurement, not a test: it never fails on timings, only (exit status 1) when a workload did
// not run to completion.
//
//   asyncio-bench [--quick] [--no-peers] [--python EXE] [--peers-script FILE] [--asio-peer EXE] [--json FILE]
//                 [--only KEY]
#include <malloc.h>

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <asyncio/asyncio.hpp>
#include <asyncio/base_events.hpp>
#include <asyncio/pool.hpp>
#include <asyncio/streams.hpp>
#include <asyncio/subprocess.hpp>
#include <asyncio/threads.hpp>
#include <chrono>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "net_bench.hpp"

namespace {

using asyncio::Coro;
// Thread CPU time (bench::cpu_ns). The workloads are single-threaded and never block (virtual clock,
// or loopback sockets that are ready when the loop polls), so on an idle machine it is wall time.
struct Clock {
  using time_point = double;
  static double now() { return bench::cpu_ns(); }
};

double ns_since(double t0) { return Clock::now() - t0; }

struct Sizes {
  std::size_t small = 10'000;   // "10k live": cache-resident batches
  std::size_t batches = 100;    // batches of `small` per repetition
  std::size_t large = 1'000'000;  // "1M live": all tasks exist at once
  std::size_t mem = 100'000;
  std::size_t chain = 10'000'000;
  int reps = 5;
  int large_reps = 3;
  std::size_t round_trips = 100'000;  // echo latency
  double window = 1.0;                // seconds of echo throughput
  std::size_t connections = 100;
  std::size_t idle = 10'000;          // idle connections (fewer if the descriptor limit is lower)
  std::size_t sim_round_trips = 2'000'000;
  int net_reps = 3;
  std::size_t thread_trips = 10'000;  // to_thread round trips
  std::size_t spawns = 200;           // /bin/true children
  std::size_t signals = 10'000;
};

// Resolves `done` when the last of `remaining` tasks has called hit(): one future for a whole batch,
// so the measured cost is the tasks', not a per-task done callback's.
struct Countdown {
  std::size_t remaining;
  asyncio::Future<void> done;
  void hit() {
    if (--remaining == 0) done.set_result();
  }
};

Coro<> noop_task(Countdown& cd) {
  cd.hit();
  co_return;
}
Coro<> sleep0_task(Countdown& cd) {
  co_await asyncio::sleep(0);
  cd.hit();
}
Coro<> timer_task(Countdown& cd, double delay) {
  co_await asyncio::sleep(delay);
  cd.hit();
}
Coro<> waiter_task(asyncio::Future<int> f, Countdown& cd) {
  co_await f;
  cd.hit();
}
Coro<int> child(int i) { co_return i; }

double spread(std::size_t i) { return static_cast<double>(i % 1000) * 1e-6; }  // 0..999 µs

using Make = std::function<Coro<>(Countdown&, std::size_t)>;

// ns per task: create n tasks at once, wait until every one has finished; averaged over the batches.
Coro<double> spawn_batches(std::size_t n, std::size_t batches, Make make) {
  auto& loop = asyncio::get_running_loop();
  double total = 0;
  for (std::size_t b = 0; b < batches; ++b) {
    Countdown cd{n, loop.create_future<void>()};
    const auto t0 = Clock::now();
    for (std::size_t i = 0; i < n; ++i) loop.create_task(make(cd, i));
    co_await cd.done;
    total += ns_since(t0);
  }
  co_return total / static_cast<double>(n * batches);
}

volatile long sink;

Coro<double> await_coro(std::size_t n) {
  long s = 0;
  const auto t0 = Clock::now();
  for (std::size_t i = 0; i < n; ++i) s += co_await child(static_cast<int>(i));
  const double ns = ns_since(t0);
  sink = s;
  co_return ns / static_cast<double>(n);
}

// ns from set_result to the waiting task resumed (and finished), per waiter.
Coro<double> future_wakeup(std::size_t n) {
  auto& loop = asyncio::get_running_loop();
  Countdown cd{n, loop.create_future<void>()};
  std::vector<asyncio::Future<int>> futs;
  for (std::size_t i = 0; i < n; ++i) futs.push_back(loop.create_future<int>());
  for (auto& f : futs) loop.create_task(waiter_task(f, cd));
  co_await asyncio::sleep(0);  // every waiter is now blocked on its future
  const auto t0 = Clock::now();
  for (auto& f : futs) f.set_result(1);
  co_await cd.done;
  co_return ns_since(t0) / static_cast<double>(n);
}

// ns per child of gather() over children that are already done.
Coro<double> gather_ready(std::size_t n, std::size_t batches) {
  auto& loop = asyncio::get_running_loop();
  double total = 0;
  for (std::size_t b = 0; b < batches; ++b) {
    Countdown cd{n, loop.create_future<void>()};
    std::vector<asyncio::Task<void>> tasks;
    for (std::size_t i = 0; i < n; ++i) tasks.push_back(loop.create_task(noop_task(cd)));
    co_await cd.done;
    const auto t0 = Clock::now();
    co_await asyncio::gather(std::move(tasks));
    total += ns_since(t0);
  }
  co_return total / static_cast<double>(n * batches);
}

// malloc's bytes in use less what the allocation pools hold free (their chunks are malloc's blocks).
std::size_t heap_in_use() {
  const auto mi = mallinfo2();
  return mi.uordblks + mi.hblkhd - asyncio::detail::pool::free_bytes();
}

// Bytes per pending task (heap in use): created and not yet started, or blocked in sleep(1).
Coro<double> mem_pending(std::size_t n, bool started) {
  auto& loop = asyncio::get_running_loop();
  Countdown cd{n, loop.create_future<void>()};
  const auto before = heap_in_use();
  for (std::size_t i = 0; i < n; ++i) loop.create_task(timer_task(cd, 1.0));
  if (started) co_await asyncio::sleep(0);
  const auto after = heap_in_use();
  co_await cd.done;  // the virtual clock jumps the second
  co_return static_cast<double>(after - before) / static_cast<double>(n);
}

// A callback that schedules the next one: the queue never holds more than one handle.
double call_soon_chained(std::size_t n) {
  auto loop = asyncio::new_event_loop();
  struct Chain {
    asyncio::EventLoop* loop;
    std::size_t left;
    void operator()() {
      if (--left > 0)
        loop->call_soon(std::ref(*this));
      else
        loop->stop();
    }
  } chain{loop.get(), n};
  loop->call_soon(std::ref(chain));
  const auto t0 = Clock::now();
  loop->run_forever();
  const double ns = ns_since(t0);
  loop->close();
  return ns / static_cast<double>(n);
}

// --- Network: 64-byte echo between clients and a server on the same loop (as in the peers), over
// loopback on a real-time loop, or over the simulated network on the virtual clock.

const std::string kMessage(bench::kMessage, 'x');

// The server's side: echoes what it reads.
class EchoServer final : public asyncio::Protocol {
 public:
  void connection_made(asyncio::BaseTransport& t) override { transport_ = asyncio::transport_cast<asyncio::Transport>(t); }
  void connection_lost(std::exception_ptr) override { transport_ = nullptr; }
  void data_received(std::string_view data) override { transport_->write(data); }

 private:
  asyncio::Ref<asyncio::Transport> transport_;
};

// What the clients of one echo workload share: they stop after `limit` round trips in all, or when the
// window closes.
struct EchoLoad {
  std::size_t limit;
  Countdown stopped;  // one hit per client
  std::size_t round_trips = 0;
  std::size_t accepted = 0;
  bool open = true;
  bool next() { return open && ++round_trips < limit; }
};

// Sends a 64-byte message, waits for all of it back, and again while the load goes on.
class PingClient final : public asyncio::Protocol {
 public:
  explicit PingClient(EchoLoad& load) : load_(load) {}
  void connection_made(asyncio::BaseTransport& t) override { transport_ = asyncio::transport_cast<asyncio::Transport>(t); }
  void connection_lost(std::exception_ptr) override { transport_ = nullptr; }
  void data_received(std::string_view data) override {
    got_ += data.size();
    if (got_ < kMessage.size()) return;
    got_ = 0;
    if (load_.next())
      ping();
    else
      load_.stopped.hit();
  }
  void ping() { transport_->write(kMessage); }
  void close() { transport_->close(); }

 private:
  EchoLoad& load_;
  std::size_t got_ = 0;
  asyncio::Ref<asyncio::Transport> transport_;
};

struct EchoRun {
  double ns = 0;
  std::size_t round_trips = 0;
  std::optional<std::uint64_t> syscalls;
};

Coro<asyncio::Ref<asyncio::Server>> echo_server(EchoLoad& load, int backlog = 100) {
  auto& loop = asyncio::get_running_loop();
  asyncio::ServerOptions opts;
  opts.backlog = backlog;
  co_return co_await loop.create_server(
      [&load] {
        ++load.accepted;
        return asyncio::Ref<asyncio::BaseProtocol>(asyncio::make_ref<EchoServer>());
      },
      "127.0.0.1", "0", std::move(opts));
}

std::string port_of(const asyncio::Server& server) { return std::to_string(server.sockets().at(0).getsockname().port); }

// `connections` protocol clients ping-pong with an echo server: `limit` round trips in all or, with a
// window (seconds > 0), until it closes; the figures are taken then, before the round trips in flight
// finish.
Coro<EchoRun> echo_protocols(std::size_t connections, std::size_t limit, double window) {
  auto& loop = asyncio::get_running_loop();
  EchoLoad load{limit, {connections, loop.create_future<void>()}};
  auto server = co_await echo_server(load);
  std::vector<asyncio::Ref<PingClient>> clients;
  for (std::size_t i = 0; i < connections; ++i) {
    auto client = asyncio::make_ref<PingClient>(load);
    co_await loop.create_connection([&] { return asyncio::Ref<asyncio::BaseProtocol>(client); }, "127.0.0.1",
                                    port_of(*server));
    clients.push_back(std::move(client));
  }
  while (load.accepted < connections) co_await asyncio::sleep(0);
  co_await asyncio::sleep(0);  // the server's transports are reading

  bench::SyscallCounter syscalls;
  EchoRun run;
  const auto calls0 = syscalls.read();
  const double t0 = Clock::now();
  auto take = [&] {
    run.ns = ns_since(t0);
    run.round_trips = load.round_trips;
    const auto calls1 = syscalls.read();
    if (calls0 && calls1) run.syscalls = *calls1 - *calls0;
  };
  std::optional<asyncio::TimerHandle> closing;
  if (window > 0)
    closing = loop.call_later(window, [&] {
      take();
      load.open = false;
    });
  for (auto& c : clients) c->ping();
  co_await load.stopped.done;
  if (!closing) take();
  for (auto& c : clients) c->close();
  server->close();
  co_await server->wait_closed();
  co_return run;
}

// The same on streams, one connection: write, drain, readexactly against a read/write/drain server.
Coro<EchoRun> echo_streams(std::size_t n) {
  auto server = co_await asyncio::start_server(
      [](asyncio::Ref<asyncio::StreamReader> reader, asyncio::Ref<asyncio::StreamWriter> writer) -> Coro<> {
        for (std::string data; !(data = co_await reader->read(65536)).empty();) {
          writer->write(data);
          co_await writer->drain();
        }
        writer->close();
      },
      "127.0.0.1", "0");
  const auto [reader, writer] = co_await asyncio::open_connection("127.0.0.1", port_of(*server));
  auto round_trip = [&]() -> Coro<> {
    writer->write(kMessage);
    co_await writer->drain();
    co_await reader->readexactly(kMessage.size());
  };
  co_await round_trip();  // the server's handler is running
  const double t0 = Clock::now();
  for (std::size_t i = 0; i < n; ++i) co_await round_trip();
  EchoRun run{ns_since(t0), n, {}};
  writer->close();
  co_await writer->wait_closed();
  server->close();
  co_await server->wait_closed();
  co_return run;
}

double us_per_round_trip(const EchoRun& r) { return r.ns / 1e3 / static_cast<double>(r.round_trips); }

// Heap bytes in use per idle accepted connection (its transport, protocol and reader), as asio-peer
// and peers.py measure it: the clients are in another process (bench::IdleClients), and the kernel's
// socket memory is not in the heap.
Coro<double> mem_idle_connection(std::size_t n) {
  auto& loop = asyncio::get_running_loop();
  EchoLoad load{0, {1, loop.create_future<void>()}};
  auto server = co_await echo_server(load, static_cast<int>(n));  // no connection waits for a SYN retry
  const double before = static_cast<double>(heap_in_use());
  bench::IdleClients clients(static_cast<std::uint16_t>(std::stoi(port_of(*server))), n);
  if (!clients.started()) throw std::runtime_error("fork failed");
  while (load.accepted < n) co_await asyncio::sleep(0.001);
  co_await asyncio::sleep(0);  // the last transports are reading
  co_return (static_cast<double>(heap_in_use()) - before) / static_cast<double>(n);
}

// --- Threads, child processes and signals: wall-clock time, since the work is done by other threads
// and processes, which the loop thread's CPU clock does not see.

double wall_us_per(std::chrono::steady_clock::time_point t0, std::size_t n) {
  const std::chrono::duration<double, std::micro> d = std::chrono::steady_clock::now() - t0;
  return d.count() / static_cast<double>(n);
}

// asyncio.to_thread of an empty function, n in turn: the executor's worker wakes, and its result
// comes back by call_soon_threadsafe, which wakes the loop's selector.
Coro<double> to_thread_trip(std::size_t n) {
  auto empty = [] {};
  co_await asyncio::to_thread(empty);  // the executor's first worker starts outside the timing
  const auto t0 = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < n; ++i) co_await asyncio::to_thread(empty);
  co_return wall_us_per(t0, n);
}

// create_subprocess_exec('/bin/true', stdout=PIPE) then communicate() (which also waits), n in turn.
Coro<double> spawn_communicate(std::size_t n) {
  const std::vector<std::string> args{"/bin/true"};
  asyncio::SubprocessOptions opts = asyncio::kInheritStdio;
  opts.std_out = asyncio::PIPE;
  const auto t0 = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < n; ++i) {
    auto proc = co_await asyncio::create_subprocess_exec(args, opts);
    co_await proc->communicate();
  }
  co_return wall_us_per(t0, n);
}

// kill(getpid(), SIGUSR1) until the handler of loop.add_signal_handler has run, n in turn.
Coro<double> signal_latency(std::size_t n) {
  auto& loop = asyncio::get_running_loop();
  std::optional<asyncio::Future<void>> handled;
  loop.add_signal_handler(SIGUSR1, [&] { handled->set_result(); });
  const auto t0 = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < n; ++i) {
    handled.emplace(loop.create_future<void>());
    kill(getpid(), SIGUSR1);
    co_await *handled;
  }
  const double us = wall_us_per(t0, n);
  loop.remove_signal_handler(SIGUSR1);
  co_return us;
}

template <class F>
double best_of(int reps, F run_once) {
  double best = INFINITY;
  for (int r = 0; r < reps; ++r) best = std::min(best, run_once());
  return best;
}

// The real-time loop with the kernel's network, for the loopback rows.
asyncio::EventLoopPtr real_time_loop() { return asyncio::new_real_time_event_loop(); }

template <class F>
double best_run(int reps, F make_main, asyncio::Runner::LoopFactory factory = nullptr) {
  return best_of(reps, [&] {
    asyncio::Runner runner(factory);
    return runner.run(make_main());
  });
}

// A row's target: `value` itself, or `value` times the named peer's figure.
struct Target {
  double value;
  std::string peer;
};

struct Row {
  std::string key;
  std::string label;
  std::string unit;
  std::vector<Target> targets;  // all must hold
  bool higher_is_better = false;
};

const std::vector<Row>& rows() {
  static const std::vector<Row> r = {
      {"spawn_small", "task spawn + complete, 10k live", "ns/task", {{60, ""}}},
      {"spawn_large", "task spawn + complete, 1M live", "ns/task", {{120, ""}}},
      {"sleep0_small", "spawn + sleep(0) + complete, 10k live", "ns/task", {}},
      {"sleep0_delta", "  sleep(0) round trip (over spawn)", "ns/task", {{50, ""}}},
      {"timer_small", "spawn + timer sleep, 10k outstanding", "ns/task", {{150, ""}}},
      {"timer_small_delta", "  timer sleep (over spawn), 10k", "ns/task", {}},
      {"timer_large", "spawn + timer sleep, 1M outstanding", "ns/task", {{500, ""}}},
      {"timer_large_delta", "  timer sleep (over spawn), 1M", "ns/task", {}},
      {"mem_pending", "memory per pending task (not started)", "B/task", {{256, ""}}},
      {"mem_sleeping", "memory per task blocked in sleep(1)", "B/task", {}},
      {"call_soon_chained", "chained call_soon", "ns/call", {{8, ""}}},
      {"await_coro", "co_await of a synchronously finishing Coro", "ns/await", {{20, ""}}},
      {"future_wakeup", "Future.set_result -> waiting task resumed", "ns/wakeup", {{30, ""}}},
      {"gather_ready", "gather of 1000 ready children", "ns/child", {{100, ""}}},
      {"echo_latency_protocol", "echo latency, 64 B, 1 connection, protocols", "us/trip", {{1.1, "asio"}}},
      {"echo_latency_streams", "echo latency, 64 B, 1 connection, streams", "us/trip", {{1.1, "asio"}}},
      {"echo_throughput", "echo throughput, 64 B, 100 connections", "kmsg/s", {{1, "asio"}, {1.5, "uvloop"}}, true},
      {"echo_syscalls", "  system calls per echoed message", "calls/msg", {}},
      {"mem_idle_connection", "memory per idle connection (heap), 10k", "B/conn", {{512, ""}}},
      {"sim_delivered", "simulated network, 64 B messages delivered", "kmsg/s", {{5000, ""}}, true},
      {"to_thread_trip", "to_thread round trip, empty function (wall)", "us/call", {{0.5, "asyncio"}}},
      {"spawn_communicate", "spawn + communicate + wait of /bin/true (wall)", "us/proc", {{1, "asyncio"}}},
      {"signal_latency", "signal sent -> its handler runs (wall)", "us/signal", {{1, "asyncio"}}},
  };
  return r;
}

using Figures = std::map<std::string, double>;

// "<= 60", "<= 1.1x asio", ">= asio, 1.5x uvloop"
std::string target_text(const Row& r) {
  std::string out;
  for (const auto& t : r.targets) {
    if (!out.empty()) out += ", ";
    if (t.peer.empty()) out += fmt::format("{:g}", t.value);
    else out += t.value == 1 ? t.peer : fmt::format("{:g}x {}", t.value, t.peer);
  }
  return out.empty() ? out : (r.higher_is_better ? ">= " : "<= ") + out;
}

// Runs `measure_one` in a child process and returns its N figures (NaN if the child failed). A workload
// in a process of its own starts with empty allocation pools and a fresh malloc. A thread would
// not: an exiting thread's free blocks go to a pool the next thread takes from, and blocks another
// workload freed lie between holes of other sizes. (Measured: a timer sleep at 10k outstanding costs
// ~130 ns on fresh pools and ~165 ns after a 1M-task spawn on an earlier thread, its tasks and
// frames then 176 bytes apart instead of 96.)
template <std::size_t N, class F>
std::array<double, N> in_child_process(F measure_one) {
  std::array<double, N> v;
  v.fill(NAN);
  int fds[2];
  if (pipe(fds) != 0) return v;
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return v;
  if (pid == 0) {
    close(fds[0]);
    const std::array<double, N> out = measure_one();
    const bool ok = write(fds[1], out.data(), sizeof out) == static_cast<ssize_t>(sizeof out);
    _exit(ok ? 0 : 1);
  }
  close(fds[1]);
  if (read(fds[0], v.data(), sizeof v) != static_cast<ssize_t>(sizeof v)) v.fill(NAN);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) v.fill(NAN);
  return v;
}

Figures measure(const Sizes& s, const std::string& only, std::vector<std::string>& failed) {
  Figures f;
  auto noop = [](Countdown& cd, std::size_t) { return noop_task(cd); };
  auto sleep0 = [](Countdown& cd, std::size_t) { return sleep0_task(cd); };
  auto timer = [](Countdown& cd, std::size_t i) { return timer_task(cd, spread(i)); };
  // Each workload runs in a process of its own (in_child_process): the memory rows see every byte,
  // and no workload inherits the free blocks of the one before. A workload gives one figure per key;
  // the first key fails the workload when missing (NaN), the others may be unavailable.
  auto steps = [&]<std::size_t N>(std::array<const char*, N> keys, auto measure_one) {
    if (!only.empty() && std::find_if(keys.begin(), keys.end(), [&](const char* k) { return only == k; }) == keys.end())
      return;
    const auto v = in_child_process<N>(measure_one);
    if (std::isnan(v[0])) {
      std::fprintf(stderr, "  %-22s     failed\n", keys[0]);
      failed.push_back(keys[0]);
      return;
    }
    for (std::size_t i = 0; i < N; ++i)
      if (!std::isnan(v[i])) {
        f[keys[i]] = v[i];
        std::fprintf(stderr, "  %-22s %10.1f\n", keys[i], v[i]);
      }
  };
  auto step = [&](const char* key, auto measure_one) {
    steps(std::array{key}, [&] { return std::array{measure_one()}; });
  };
  step("mem_pending", [&] { return best_run(1, [&] { return mem_pending(s.mem, false); }); });
  step("mem_sleeping", [&] { return best_run(1, [&] { return mem_pending(s.mem, true); }); });
  step("spawn_small", [&] { return best_run(s.reps, [&] { return spawn_batches(s.small, s.batches, noop); }); });
  step("spawn_large", [&] { return best_run(s.large_reps, [&] { return spawn_batches(s.large, 1, noop); }); });
  step("sleep0_small", [&] { return best_run(s.reps, [&] { return spawn_batches(s.small, s.batches, sleep0); }); });
  step("timer_small", [&] { return best_run(s.reps, [&] { return spawn_batches(s.small, s.batches, timer); }); });
  step("timer_large", [&] { return best_run(s.large_reps, [&] { return spawn_batches(s.large, 1, timer); }); });
  step("call_soon_chained", [&] { return best_of(s.reps, [&] { return call_soon_chained(s.chain); }); });
  step("await_coro", [&] { return best_run(s.reps, [&] { return await_coro(s.small * 100); }); });
  step("future_wakeup", [&] { return best_run(s.reps, [&] { return future_wakeup(s.small); }); });
  step("gather_ready", [&] { return best_run(s.reps, [&] { return gather_ready(1000, s.batches); }); });

  auto real = [&](auto make_main) { return best_run(s.net_reps, make_main, real_time_loop); };
  step("echo_latency_protocol", [&] {
    return real([&]() -> Coro<double> { co_return us_per_round_trip(co_await echo_protocols(1, s.round_trips, 0)); });
  });
  step("echo_latency_streams",
       [&] { return real([&]() -> Coro<double> { co_return us_per_round_trip(co_await echo_streams(s.round_trips)); }); });
  steps(std::array{"echo_throughput", "echo_syscalls"}, [&] {
    EchoRun best;
    for (int r = 0; r < s.net_reps; ++r) {
      asyncio::Runner runner(real_time_loop);
      const EchoRun run =
          runner.run(echo_protocols(s.connections, std::numeric_limits<std::size_t>::max(), s.window));
      if (best.ns == 0 || run.round_trips / run.ns > best.round_trips / best.ns) best = run;
    }
    const double n = static_cast<double>(best.round_trips);
    return std::array{n * 1e6 / best.ns, best.syscalls ? static_cast<double>(*best.syscalls) / n : NAN};
  });
  step("mem_idle_connection", [&] { return real([&] { return mem_idle_connection(s.idle); }); });
  // A round trip delivers two messages: the request and its echo. The virtual clock stands still
  // (the simulated network delivers at once), so the load is a number of round trips, not a window.
  step("sim_delivered", [&] {
    return 1e6 / best_run(s.net_reps, [&]() -> Coro<double> {
             const EchoRun run = co_await echo_protocols(s.connections, s.sim_round_trips, 0);
             co_return run.ns / (2.0 * static_cast<double>(run.round_trips));
           });
  });
  step("to_thread_trip", [&] { return real([&] { return to_thread_trip(s.thread_trips); }); });
  step("spawn_communicate", [&] { return real([&] { return spawn_communicate(s.spawns); }); });
  step("signal_latency", [&] { return real([&] { return signal_latency(s.signals); }); });
  return f;
}

void add_derived(Figures& f) {
  auto delta = [&](const char* key, const char* total, const char* base) {
    if (f.count(total) && f.count(base)) f[key] = f[total] - f[base];
  };
  delta("sleep0_delta", "sleep0_small", "spawn_small");
  delta("timer_small_delta", "timer_small", "spawn_small");
  delta("timer_large_delta", "timer_large", "spawn_large");
}

struct Peer {
  std::string name;
  std::string version;
  Figures figures;
};

// Runs a peer program and reads its figures: one JSON object per line, {"version": ...} or
// {"unavailable": why} or {"<key>": value}.
std::optional<Peer> run_peer(const std::string& name, const std::string& cmd) {
  std::fprintf(stderr, "running %s peer...\n", name.c_str());
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return std::nullopt;
  Peer peer{name, "", {}};
  bool ok = true;
  for (char line[512]; std::fgets(line, sizeof line, p);) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object()) continue;
    for (const auto& [key, value] : j.items()) {
      if (key == "unavailable") ok = false;
      else if (key == "version") peer.version = value.get<std::string>();
      else if (value.is_number()) {
        peer.figures[key] = value.get<double>();
        std::fprintf(stderr, "  %-22s %10.1f\n", key.c_str(), value.get<double>());
      }
    }
  }
  const int rc = pclose(p);
  if (!ok || rc != 0 || peer.figures.empty()) {
    std::fprintf(stderr, "  %s peer unavailable\n", name.c_str());
    return std::nullopt;
  }
  add_derived(peer.figures);
  return peer;
}

std::string fmt_value(const Figures& f, const std::string& key) {
  auto it = f.find(key);
  if (it == f.end()) return "-";
  return it->second >= 100 ? fmt::format("{:.0f}", it->second) : fmt::format("{:.1f}", it->second);
}

std::string ratio(const Figures& peer, const Figures& ref, const std::string& key) {
  auto a = peer.find(key), b = ref.find(key);
  if (a == peer.end() || b == ref.end() || b->second <= 0 || a->second <= 0) return "-";
  const double r = a->second / b->second;
  return r >= 10 ? fmt::format("{:.0f}x", r) : fmt::format("{:.1f}x", r);
}

std::string machine() {
  std::string cpu;
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);)
    if (line.rfind("model name", 0) == 0) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  utsname u{};
  uname(&u);
  return fmt::format("{}, {} CPUs, {} {}", cpu.empty() ? "unknown CPU" : cpu, sysconf(_SC_NPROCESSORS_ONLN), u.sysname,
                     u.machine);
}

#ifndef AIOSPEC_BUILD_TYPE
#define AIOSPEC_BUILD_TYPE "unknown"
#endif

}  // namespace

// Whether the row's reference figure meets every target: "-" when a figure it needs is missing.
std::string status(const Row& r, const Figures& ref, const std::vector<Peer>& others) {
  auto it = ref.find(r.key);
  if (r.targets.empty() || it == ref.end()) return "-";
  bool pass = true;
  for (const auto& t : r.targets) {
    double bound = t.value;
    if (!t.peer.empty()) {
      auto p = std::find_if(others.begin(), others.end(), [&](const Peer& o) { return o.name == t.peer; });
      if (p == others.end() || !p->figures.count(r.key)) return "-";
      bound *= p->figures.at(r.key);
    }
    pass = pass && (r.higher_is_better ? it->second >= bound : it->second <= bound);
  }
  return pass ? "PASS" : "OVER";
}

int main(int argc, char** argv) {
  Sizes s;
  bool peers = true;
  std::string json_out, python, script, asio_peer, only;
#ifdef AIOSPEC_PEERS_SCRIPT
  script = AIOSPEC_PEERS_SCRIPT;
#endif
#ifdef AIOSPEC_ASIO_PEER
  asio_peer = AIOSPEC_ASIO_PEER;
#endif
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--quick")
      s = Sizes{.small = 1'000, .batches = 5, .large = 20'000, .mem = 10'000, .chain = 100'000, .reps = 1,
                .large_reps = 1, .round_trips = 2'000, .window = 0.05, .connections = 100, .idle = 500,
                .sim_round_trips = 20'000, .net_reps = 1, .thread_trips = 1'000, .spawns = 20, .signals = 1'000};
    else if (a == "--no-peers")
      peers = false;
    else if (a == "--peers")
      peers = true;
    else if (a == "--json")
      json_out = value();
    else if (a == "--python")
      python = value();
    else if (a == "--peers-script")
      script = value();
    else if (a == "--asio-peer")
      asio_peer = value();
    else if (a == "--only")  // one workload, no peers: for profiling
      only = value(), peers = false;
    else {
      std::fprintf(stderr,
                   "usage: %s [--quick] [--no-peers] [--python EXE] [--peers-script FILE] [--asio-peer EXE] [--json FILE] "
                   "[--only KEY]\n",
                   argv[0]);
      return 2;
    }
  }
  // Debian's python3 is the one with python3-uvloop; another python3 first on PATH may lack it.
  if (python.empty()) python = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
  // Raised here, the descriptor limit holds for every workload and peer (children inherit it).
  const std::size_t idle_wanted = s.idle;
  s.idle = bench::idle_connections_allowed(s.idle);

  std::fprintf(stderr, "reference loop (%s build)...\n", AIOSPEC_BUILD_TYPE);
  std::vector<std::string> failed;
  Figures ref = measure(s, only, failed);
  add_derived(ref);
  std::vector<Peer> others;
  const std::string net_args = fmt::format("--duration {} --connections {} --idle {}", s.window, s.connections, s.idle);
  if (peers && !script.empty())
    for (const char* loop : {"asyncio", "uvloop"}) {
      // CPython is ~100x slower: it runs a tenth of the 10k batches (peers.py), a shorter call chain
      // and a tenth of the round trips.
      const std::string cmd = fmt::format(
          "'{}' '{}' --loop {} --n-small {} --batches {} --n-large {} --reps {} --chain {} --round-trips {} {}", python,
          script, loop, s.small, s.batches, s.large, std::min(s.reps, 3), std::max<std::size_t>(s.chain / 10, 1000),
          std::max<std::size_t>(s.round_trips / 10, 100), net_args) +
          fmt::format(" --thread-trips {} --spawns {} --signals {}", s.thread_trips, s.spawns, s.signals);
      if (auto p = run_peer(loop, cmd)) others.push_back(std::move(*p));
    }
  if (peers && !asio_peer.empty())
    if (auto p = run_peer("asio", fmt::format("'{}' --round-trips {} --reps {} {}", asio_peer, s.round_trips,
                                              s.net_reps, net_args)))
      others.push_back(std::move(*p));

  fmt::print("aiospec reference loop, {} build; {}\n", AIOSPEC_BUILD_TYPE, machine());
  fmt::print("thread CPU time, best of {} repetitions ({} for 1M live, {} for the network rows){}\n", s.reps,
             s.large_reps, s.net_reps, s.reps == 1 ? " (--quick)" : "");
  std::size_t target_width = 6, unit_width = 4;
  for (const auto& r : rows()) {
    target_width = std::max(target_width, target_text(r).size());
    unit_width = std::max(unit_width, r.unit.size());
  }
  auto columns = [&](const std::string& label, const std::string& value, const std::string& target,
                     const std::string& unit, const std::string& status) {
    return fmt::format("{:<44} {:>9} {:>{}} {:<{}} {:<6}", label, value, target, target_width, unit, unit_width, status);
  };
  std::string head = columns("workload", "reference", "target", "unit", "status");
  for (auto& p : others) head += fmt::format(" {:>9} {:>7}", p.name, "ratio");
  fmt::print("{}\n{}\n", head, std::string(head.size(), '-'));
  for (const auto& r : rows()) {
    std::string line = columns(r.label, fmt_value(ref, r.key), target_text(r), r.unit, status(r, ref, others));
    for (auto& p : others) line += fmt::format(" {:>9} {:>7}", fmt_value(p.figures, r.key), ratio(p.figures, ref, r.key));
    fmt::print("{}\n", line);
  }
  for (auto& p : others) fmt::print("{}: {}; ratio = {} / reference\n", p.name, p.version, p.name);
  fmt::print("network rows: both ends of every connection on one loop (one thread); a message is one 64 B\n"
             "round trip, two deliveries on the simulated network; system calls counted by the kernel\n"
             "(raw_syscalls:sys_enter) over the throughput window; idle-connection memory is heap in use, the\n"
             "kernel's socket buffers not counted, the clients in another process\n");
  if (s.idle < idle_wanted)
    fmt::print("idle connections: {} only (the descriptor limit, ulimit -n), not {}\n", s.idle, idle_wanted);

  if (!json_out.empty()) {
    nlohmann::json j;
    j["build_type"] = AIOSPEC_BUILD_TYPE;
    j["machine"] = machine();
    j["reps"] = s.reps;
    for (const auto& r : rows()) {
      nlohmann::json row{{"label", r.label}, {"unit", r.unit}};
      if (!r.targets.empty()) row["target"] = target_text(r), row["status"] = status(r, ref, others);
      if (ref.count(r.key)) row["reference"] = ref[r.key];
      for (auto& p : others)
        if (p.figures.count(r.key)) row[p.name] = p.figures[r.key];
      j["figures"][r.key] = row;
    }
    for (auto& p : others) j["peers"][p.name] = p.version;
    std::ofstream(json_out) << j.dump(2) << "\n";
  }
  for (const auto& key : failed) std::fprintf(stderr, "asyncio-bench: workload %s failed\n", key.c_str());
  return failed.empty() ? 0 : 1;
}

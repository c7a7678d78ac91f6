// asyncio-bench: what the reference loop's asyncio operations cost, next to CPython's asyncio and
// uvloop running the same workloads (bench/peers.py, run as a subprocess when Python is installed).
// Figures are the best of several repetitions; the table marks each against its target. It is a
// measurement, not a test: it never fails on timings, only (exit status 1) when a workload did not
// run to completion.
//
//   asyncio-bench [--quick] [--no-peers] [--python EXE] [--peers-script FILE] [--json FILE] [--only KEY]
#include <malloc.h>

#include <fmt/core.h>

#include <asyncio/asyncio.hpp>
#include <asyncio/pool.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

using asyncio::Coro;
// Thread CPU time, not wall time: on a shared machine a wall clock also counts the time other
// processes held the CPU. The workloads are single-threaded and never block (virtual clock), so on
// an idle machine the two agree.
struct Clock {
  using time_point = double;
  static double now() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
  }
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

template <class F>
double best_of(int reps, F run_once) {
  double best = INFINITY;
  for (int r = 0; r < reps; ++r) best = std::min(best, run_once());
  return best;
}

template <class F>
double best_run(int reps, F make_main) {
  return best_of(reps, [&] {
    asyncio::Runner runner;
    return runner.run(make_main());
  });
}

struct Row {
  std::string key;
  std::string label;
  std::string unit;
  std::optional<double> target;
};

const std::vector<Row>& rows() {
  static const std::vector<Row> r = {
      {"spawn_small", "task spawn + complete, 10k live", "ns/task", 60},
      {"spawn_large", "task spawn + complete, 1M live", "ns/task", 120},
      {"sleep0_small", "spawn + sleep(0) + complete, 10k live", "ns/task", {}},
      {"sleep0_delta", "  sleep(0) round trip (over spawn)", "ns/task", 50},
      {"timer_small", "spawn + timer sleep, 10k outstanding", "ns/task", 150},
      {"timer_small_delta", "  timer sleep (over spawn), 10k", "ns/task", {}},
      {"timer_large", "spawn + timer sleep, 1M outstanding", "ns/task", 500},
      {"timer_large_delta", "  timer sleep (over spawn), 1M", "ns/task", {}},
      {"mem_pending", "memory per pending task (not started)", "B/task", 256},
      {"mem_sleeping", "memory per task blocked in sleep(1)", "B/task", {}},
      {"call_soon_chained", "chained call_soon", "ns/call", 8},
      {"await_coro", "co_await of a synchronously finishing Coro", "ns/await", 20},
      {"future_wakeup", "Future.set_result -> waiting task resumed", "ns/wakeup", 30},
      {"gather_ready", "gather of 1000 ready children", "ns/child", 100},
  };
  return r;
}

using Figures = std::map<std::string, double>;

// Runs `measure_one` in a child process and returns its figure (NaN if the child failed). A workload
// in a process of its own starts with empty allocation pools and a fresh malloc. A thread would
// not: an exiting thread's free blocks go to a pool the next thread takes from, and blocks another
// workload freed lie between holes of other sizes. (Measured: a timer sleep at 10k outstanding costs
// ~130 ns on fresh pools and ~165 ns after a 1M-task spawn on an earlier thread, its tasks and
// frames then 176 bytes apart instead of 96.)
template <class F>
double in_child_process(F measure_one) {
  int fds[2];
  if (pipe(fds) != 0) return NAN;
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return NAN;
  if (pid == 0) {
    close(fds[0]);
    const double v = measure_one();
    const bool ok = write(fds[1], &v, sizeof v) == static_cast<ssize_t>(sizeof v);
    _exit(ok ? 0 : 1);
  }
  close(fds[1]);
  double v = NAN;
  if (read(fds[0], &v, sizeof v) != static_cast<ssize_t>(sizeof v)) v = NAN;
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? v : NAN;
}

Figures measure(const Sizes& s, const std::string& only, std::vector<std::string>& failed) {
  Figures f;
  auto noop = [](Countdown& cd, std::size_t) { return noop_task(cd); };
  auto sleep0 = [](Countdown& cd, std::size_t) { return sleep0_task(cd); };
  auto timer = [](Countdown& cd, std::size_t i) { return timer_task(cd, spread(i)); };
  // Each workload runs in a process of its own (in_child_process): the memory rows see every byte,
  // and no workload inherits the free blocks of the one before.
  auto step = [&](const char* key, auto measure_one) {
    if (!only.empty() && only != key) return;
    const double v = in_child_process(measure_one);
    if (std::isnan(v)) {
      std::fprintf(stderr, "  %-18s     failed\n", key);
      failed.push_back(key);
      return;
    }
    f[key] = v;
    std::fprintf(stderr, "  %-18s %10.1f\n", key, v);
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

std::optional<Peer> run_peer(const std::string& python, const std::string& script, const char* loop, const Sizes& s) {
  // CPython is ~100x slower: it runs a tenth of the 10k batches (peers.py) and a shorter call chain.
  const std::string cmd = fmt::format("'{}' '{}' --loop {} --n-small {} --batches {} --n-large {} --reps {} --chain {}",
                                      python, script, loop, s.small, s.batches, s.large, std::min(s.reps, 3),
                                      std::max<std::size_t>(s.chain / 10, 1000));
  std::fprintf(stderr, "running %s peer...\n", loop);
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return std::nullopt;
  Peer peer{loop, "", {}};
  char line[256];
  bool ok = true;
  while (std::fgets(line, sizeof line, p)) {
    char key[64], value[128];
    if (std::sscanf(line, "%63s %127[^\n]", key, value) != 2) continue;
    if (!std::strcmp(key, "unavailable")) ok = false;
    else if (!std::strcmp(key, "version")) peer.version = value;
    else {
      peer.figures[key] = std::atof(value);
      std::fprintf(stderr, "  %-18s %10s\n", key, value);
    }
  }
  const int rc = pclose(p);
  if (!ok || rc != 0 || peer.figures.empty()) {
    std::fprintf(stderr, "  %s peer unavailable\n", loop);
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

int main(int argc, char** argv) {
  Sizes s;
  bool peers = true;
  std::string json_out, python, script, only;
#ifdef AIOSPEC_PEERS_SCRIPT
  script = AIOSPEC_PEERS_SCRIPT;
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
      s = Sizes{1'000, 5, 20'000, 10'000, 100'000, 1, 1};
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
    else if (a == "--only")  // one workload, no peers: for profiling
      only = value(), peers = false;
    else {
      std::fprintf(stderr, "usage: %s [--quick] [--no-peers] [--python EXE] [--peers-script FILE] [--json FILE] [--only KEY]\n",
                   argv[0]);
      return 2;
    }
  }
  // Debian's python3 is the one with python3-uvloop; another python3 first on PATH may lack it.
  if (python.empty()) python = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";

  std::fprintf(stderr, "reference loop (%s build)...\n", AIOSPEC_BUILD_TYPE);
  std::vector<std::string> failed;
  Figures ref = measure(s, only, failed);
  add_derived(ref);
  std::vector<Peer> others;
  if (peers && !script.empty())
    for (const char* loop : {"asyncio", "uvloop"})
      if (auto p = run_peer(python, script, loop, s)) others.push_back(std::move(*p));

  fmt::print("aiospec reference loop, {} build; {}\n", AIOSPEC_BUILD_TYPE, machine());
  fmt::print("thread CPU time, best of {} repetitions ({} for 1M live){}\n", s.reps, s.large_reps, s.reps == 1 ? " (--quick)" : "");
  std::string head = fmt::format("{:<44} {:>9} {:>8} {:<4} {:<6}", "workload", "reference", "target", "unit", "status");
  for (auto& p : others) head += fmt::format(" {:>9} {:>7}", p.name, "ratio");
  fmt::print("{}\n{}\n", head, std::string(head.size(), '-'));
  for (const auto& r : rows()) {
    std::string status = "-";
    if (r.target && ref.count(r.key)) status = ref[r.key] <= *r.target ? "PASS" : "OVER";
    std::string line = fmt::format("{:<44} {:>9} {:>8} {:<4} {:<6}", r.label, fmt_value(ref, r.key),
                                   r.target ? fmt::format("<= {:g}", *r.target) : "", r.unit.substr(0, r.unit.find('/')),
                                   status);
    for (auto& p : others) line += fmt::format(" {:>9} {:>7}", fmt_value(p.figures, r.key), ratio(p.figures, ref, r.key));
    fmt::print("{}\n", line);
  }
  for (auto& p : others) fmt::print("{}: Python {}; ratio = {} / reference\n", p.name, p.version, p.name);

  if (!json_out.empty()) {
    nlohmann::json j;
    j["build_type"] = AIOSPEC_BUILD_TYPE;
    j["machine"] = machine();
    j["reps"] = s.reps;
    for (const auto& r : rows()) {
      nlohmann::json row{{"label", r.label}, {"unit", r.unit}};
      if (r.target) row["target"] = *r.target;
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

// aiospec bench: the executable spec's performance figures (issue targets: a seed example parses and
// runs in ≤ 1 ms; the whole spec runs on the reference loop in ≤ 2 s), and the interpreter's speed
// against CPython's on the programs of tools/bench. Prints figures; judges nothing.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "aiospec/interpreter.hpp"
#include "aiospec/scenario/parser.hpp"
#include "aiospec/spec.hpp"
#include "commands.hpp"

namespace aiospec::cli {

namespace {

using Clock = std::chrono::steady_clock;

// Seconds of wall-clock time, or of this process's CPU time (`cpu`: what a loaded machine leaves
// comparable between two interpreters).
double now(bool cpu) {
  if (cpu) return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

template <class F>
double best_of(int n, F&& f, bool cpu = false) {
  double best = 1e300;
  for (int i = 0; i < n; ++i) {
    const double t0 = now(cpu);
    f();
    best = std::min(best, now(cpu) - t0);
  }
  return best;
}

// Best-of-n CPU seconds CPython takes to run `path` (compiled once; stdout discarded), or a negative
// number when `python` cannot run it.
double cpython_seconds(const std::string& python, const std::string& path, int n) {
  const std::string script =
      "import contextlib, io, sys, time\n"
      "p = sys.argv[1]\n"
      "code = compile(open(p).read(), p, 'exec')\n"
      "best = 1e9\n"
      "for _ in range(int(sys.argv[2])):\n"
      "    t = time.process_time()\n"
      "    with contextlib.redirect_stdout(io.StringIO()):\n"
      "        exec(code, {'__name__': '__main__'})\n"
      "    best = min(best, time.process_time() - t)\n"
      "print(best)\n";
  const std::string out = command_output(python + " -c \"" + script + "\" '" + path + "' " + std::to_string(n) + " 2>/dev/null");
  try {
    return std::stod(out);
  } catch (...) {
    return -1;
  }
}

// tools/bench/*.py on the interpreter and on CPython, in CPU time: speed is CPython's time over the
// interpreter's.
void bench_against_cpython(int repeat, const std::string& python) {
  namespace fs = std::filesystem;
  std::vector<fs::path> programs;
  for (const auto& e : fs::directory_iterator(fs::path(AIOSPEC_SOURCE_DIR) / "tools" / "bench"))
    if (e.path().extension() == ".py") programs.push_back(e.path());
  std::sort(programs.begin(), programs.end());
  std::printf("\n%-44s %12s %12s %8s\n", "program (tools/bench), CPU time", "aiospec (ms)", "CPython (ms)", "speed");
  for (const auto& p : programs) {
    std::ifstream in(p);
    std::stringstream src;
    src << in.rdbuf();
    const double ours = best_of(repeat, [&] { (void)run_program(src.str(), p.filename().string()); }, true);
    const double theirs = cpython_seconds(python, p.string(), repeat);
    if (theirs < 0)
      std::printf("%-44s %12.2f %12s %8s\n", p.filename().c_str(), ours * 1e3, "-", "-");
    else
      std::printf("%-44s %12.2f %12.2f %7.2fx\n", p.filename().c_str(), ours * 1e3, theirs * 1e3, theirs / ours);
  }
}

int bench(int repeat, const std::string& python) {
  const Spec spec = read_spec(AIOSPEC_SOURCE_DIR);
  std::vector<const Case*> cases, seeds;
  for (auto& c : spec.cases) {
    if (!c.python.contains(3, 11)) continue;
    cases.push_back(&c);
    if (c.clause.rfind("seeds.", 0) == 0) seeds.push_back(&c);
  }
  std::printf("%-44s %12s %12s\n", "seed example", "parse (us)", "parse+run (us)");
  double worst = 0;
  for (const Case* c : seeds) {
    const double parse = best_of(repeat, [&] { (void)scenario::parse(c->program, "example.py"); });
    const double run = best_of(repeat, [&] { (void)run_program(c->program, "example.py"); });
    worst = std::max(worst, run);
    std::printf("%-44s %12.1f %12.1f\n", c->id.c_str(), parse * 1e6, run * 1e6);
  }
  const double whole = best_of(std::max(1, repeat / 10), [&] {
    for (const Case* c : cases) (void)run_program(c->program, "example.py");
  });
  std::printf("\nslowest seed example, parse + run: %.3f ms (target <= 1 ms)\n", worst * 1e3);
  std::printf("whole spec on the reference loop: %zu examples in %.3f s (target <= 2 s)\n", cases.size(), whole);
  bench_against_cpython(std::max(1, repeat / 4), python);
  return ok;
}

}  // namespace

void add_bench_command(CLI::App& app, int& exit_code) {
  auto repeat = std::make_shared<int>(20);
  auto python = std::make_shared<std::string>("python3");
  auto* cmd = app.add_subcommand("bench", "Print the interpreter's timings on the seed examples, the whole spec and tools/bench against CPython");
  cmd->add_option("--repeat", *repeat, "best of this many runs")->capture_default_str();
  cmd->add_option("--python", *python, "the CPython 3.11 to compare with")->capture_default_str();
  cmd->callback([repeat, python, &exit_code] { exit_code = bench(*repeat, *python); });
}

}  // namespace aiospec::cli

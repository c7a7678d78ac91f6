// aiospec bench: the executable spec's performance figures (issue targets: a seed example parses and
// runs in ≤ 1 ms; the whole spec runs on the reference loop in ≤ 2 s). Prints figures; judges nothing.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "aiospec/interpreter.hpp"
#include "aiospec/scenario/parser.hpp"
#include "aiospec/spec.hpp"
#include "commands.hpp"

namespace aiospec::cli {

namespace {

using Clock = std::chrono::steady_clock;

template <class F>
double best_of(int n, F&& f) {
  double best = 1e300;
  for (int i = 0; i < n; ++i) {
    auto t0 = Clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return best;
}

int bench(int repeat) {
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
  return ok;
}

}  // namespace

void add_bench_command(CLI::App& app, int& exit_code) {
  auto repeat = std::make_shared<int>(20);
  auto* cmd = app.add_subcommand("bench", "Print the interpreter's timings on the seed examples and the whole spec");
  cmd->add_option("--repeat", *repeat, "best of this many runs")->capture_default_str();
  cmd->callback([repeat, &exit_code] { exit_code = bench(*repeat); });
}

}  // namespace aiospec::cli

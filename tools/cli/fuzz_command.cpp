// aiospec fuzz: random schedules on the reference loop and on another loop, judged by the same judge as
// aiospec run; the first difference is shrunk to a minimal program, written with both outputs.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

#include <fmt/format.h>

#include "aiospec/fuzz/differential.hpp"
#include "aiospec/fuzz/generate.hpp"
#include "aiospec/judge.hpp"
#include "aiospec/runner.hpp"
#include "commands.hpp"

namespace aiospec::cli {

namespace {

namespace fz = aiospec::fuzz;
using Clock = std::chrono::steady_clock;

struct FuzzArgs {
  std::string impl = "cpython";
  std::string python;
  double seconds = 60;
  std::uint64_t seed = 0;
  bool bench = false;
  bool real_time = false;
  std::string out = "fuzz-out";
  std::string save;  // a directory for the minimal program as a regression case
};

double elapsed(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// The reference loop alone, against the model: schedules checked per second.
int bench(const FuzzArgs& a) {
  auto gen = fz::gen_program();
  const auto start = Clock::now();
  std::size_t n = 0, exact = 0, failures = 0;
  while (elapsed(start) < a.seconds) {
    const fz::Program p = gen(rc::Random(a.seed + n), static_cast<int>(n % 100)).value();
    const fz::Expected e = fz::model(p);
    const fz::Trace t = fz::run_on_reference(fz::to_source(p));
    if (!e.ambiguous) {
      ++exact;
      failures += !fz::check_trace(e, t.lines).empty();
    } else {  // an order the model leaves open: time still never goes backwards, and the run ends cleanly
      std::optional<double> last;
      bool ok = t.exit_status == 0 && !t.lines.empty() && t.lines.back().text == "closed True 0";
      for (const auto& l : t.lines)
        if (l.seconds) {
          ok = ok && !(last && *l.seconds < *last);
          last = l.seconds;
        }
      failures += !ok;
    }
    ++n;
  }
  const double s = elapsed(start);
  std::cout << fmt::format("{} random schedules in {:.2f} s on the reference loop: {:.0f} schedules/s checked "
                           "({} exactly against the model, the others for monotone time and a clean end; {} failed)\n",
                           n, s, static_cast<double>(n) / s, exact, failures);
  return failures ? unexpected : ok;
}

struct Pair {
  std::string reference, other, diff;
  std::string witness;  // real time: what CPython's own loop printed, in real time too
  bool differs = false;
};

class Differential {
 public:
  /// `witness` (real-time loops only): CPython's loop in real time. A real-time difference counts only
  /// where CPython in real time prints what the reference loop prints; otherwise the order is one real
  /// time does not keep (a sleep too short to be sure of), not a divergence of the loop under test.
  Differential(Implementation& impl, bool real, Implementation* witness = nullptr)
      : impl_(impl), real_(real), witness_(witness) {}

  // Real-time loops: only schedules whose decisions are milliseconds apart, lines at one model instant
  // compared as a set.
  std::int64_t margin() const { return real_ ? 5'000 : 1; }

  std::optional<Pair> compare(const fz::Program& p) {
    const fz::Expected e = fz::model(p, margin());
    if (real_ && e.ambiguous) return std::nullopt;
    const std::string src = fz::to_source(p);
    const fz::Trace ref = fz::run_on_reference(src);
    Case c;
    c.id = fmt::format("fuzz.{}", ++runs_);
    c.program = src;
    const Observation obs = impl_.run(c, real_ ? 60 : 20);
    Pair r;
    r.reference = ref.output;
    if (obs.kind != Observation::Kind::result) {
      r.other = "(" + obs.message + ")\n";
      r.differs = true;
      r.diff = r.other;
      return r;
    }
    r.other = obs.output;
    c.expected = real_ ? fz::real_time_form(ref.lines, e) : fz::set_order_form(ref.output);
    const Judgement j =
        judge(c, real_ ? fz::real_time_form(fz::from_observation(obs).lines, e) : fz::set_order_form(obs.output));
    r.differs = !j.pass;
    r.diff = j.diff;
    if (r.differs && witness_) {
      const Observation w = witness_->run(c, 60);
      r.witness = w.kind == Observation::Kind::result ? w.output : "(" + w.message + ")\n";
      r.differs = w.kind == Observation::Kind::result &&
                  fz::real_time_form(fz::from_observation(w).lines, e) == c.expected;
    }
    return r;
  }
  int runs() const { return runs_; }

 private:
  Implementation& impl_;
  bool real_;
  Implementation* witness_;
  int runs_ = 0;
};

bool write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

int fuzz(FuzzArgs a) {
  if (a.bench) return bench(a);
  std::unique_ptr<Implementation> impl;
  try {
    impl = implementation_factory(a.impl, a.python, a.real_time)();
  } catch (const std::invalid_argument& e) {
    std::cerr << "aiospec: " << e.what() << "\n";
    return usage;
  } catch (const std::exception& e) {
    std::cerr << "aiospec: cannot run on " << a.impl << ": " << e.what() << "\n";
    return infrastructure;
  }
  const bool real = impl->time_mode() == "real";
  std::unique_ptr<Implementation> witness;
  if (real) {  // CPython's loop on the same interpreter, in real time
    try {
      witness = implementation_factory("cpython", a.python.empty() && a.impl == "uvloop" ? "/usr/bin/python3" : a.python,
                                       true)();
    } catch (const std::exception& e) {
      std::cerr << "aiospec: cannot run CPython in real time as the witness: " << e.what() << "\n";
      return infrastructure;
    }
  }
  fz::GenOptions o;
  if (real) {  // steps of 50 ms, sub-millisecond jitter, and programs that finish in about a second
    o.tick_us = 50'000;
    o.jitter = true;
    o.max_tasks = 12;
    o.max_steps = 5;
    o.max_sleep_ticks = 2;
  }
  std::cout << fmt::format("fuzzing {} {} (Python {}, {} time) against the reference loop for {} s, seed {}\n",
                           impl->name(), impl->version(), impl->python(), impl->time_mode(), a.seconds, a.seed);
  std::cout.flush();
  Differential d(*impl, real, witness.get());
  auto gen = fz::gen_program(o);
  const auto start = Clock::now();
  std::size_t n = 0, skipped = 0;
  for (; elapsed(start) < a.seconds; ++n) {
    rc::Shrinkable<fz::Program> s = gen(rc::Random(a.seed + n), static_cast<int>(n % 100));
    const auto first = d.compare(s.value());
    if (!first) {
      ++skipped;
      continue;
    }
    if (!first->differs) continue;

    std::cout << fmt::format("difference on schedule {} (seed {}), {} tasks; shrinking...\n", n, a.seed + n,
                             s.value().tasks.size());
    std::cout.flush();
    int tried = 0;
    const std::size_t tasks0 = s.value().tasks.size(), steps0 = fz::size(s.value());
    s = fz::shrink(s, [&](const fz::Program& p) { auto r = d.compare(p); return r && r->differs; }, tried);
    const fz::Program& p = s.value();
    auto last = d.compare(p);
    if (real) {  // a real-time difference counts only if it comes back every time
      int again = 0;
      for (int k = 0; k < 4 && last && last->differs; ++k) again += d.compare(p).value_or(Pair{}).differs;
      std::cout << fmt::format("minimal program reproduces the difference on {}/4 further runs\n", again);
    }
    if (!last || !last->differs) {
      std::cout << "the difference did not come back on the minimal program (timing noise)\n";
      continue;
    }
    const std::string name = fmt::format("fuzz-{}-{}", a.impl.rfind("cmd:", 0) == 0 ? "cmd" : a.impl, a.seed + n);
    std::filesystem::create_directories(a.out);
    const auto dir = std::filesystem::path(a.out);
    write(dir / (name + ".py"), fz::to_source(p));
    write(dir / (name + ".reference.out"), last->reference);
    write(dir / (name + "." + impl->name() + ".out"), last->other);
    if (!a.save.empty() && !real) {  // a regression case: the program and what the other loop printed
      std::filesystem::create_directories(a.save);
      write(std::filesystem::path(a.save) / (name + ".py"), fz::to_source(p));
      write(std::filesystem::path(a.save) / (name + "." + impl->name() + ".out"), last->other);
    }
    std::cout << fmt::format("minimal program ({} tasks and {} steps, shrunk from {} tasks and {} steps; {} shrink "
                             "candidates run), {}:\n\n{}\n",
                             p.tasks.size(), fz::size(p), tasks0, steps0, tried, (dir / (name + ".py")).string(),
                             fz::to_source(p));
    std::cout << fmt::format("reference loop:\n{}\n{} {}:\n{}\n", last->reference, impl->name(), impl->version(),
                             last->other);
    if (witness) {
      std::cout << fmt::format("cpython {} in real time (agrees with the reference):\n{}\n", witness->version(),
                               last->witness);
      write(dir / (name + ".cpython-real-time.out"), last->witness);
    }
    std::cout << fmt::format("diff (-reference +{}):\n{}", impl->name(), last->diff);
    std::cout << fmt::format("{} schedules in {:.1f} s before the difference\n", n + 1, elapsed(start));
    return unexpected;
  }
  std::cout << fmt::format("no difference: {} schedules in {:.1f} s ({} compared, {} skipped as timing-ambiguous)\n",
                           n, elapsed(start), n - skipped, skipped);
  return ok;
}

}  // namespace

void add_fuzz_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<FuzzArgs>();
  auto* cmd = app.add_subcommand("fuzz", "Differential fuzzing: random schedules on the reference loop and another loop");
  cmd->add_option("--impl", args->impl, "cpython | cpython-pytasks | uvloop | cmd:PROGRAM")->capture_default_str();
  cmd->add_option("--python", args->python, "the Python interpreter for cpython/uvloop adapters");
  cmd->add_option("--seconds", args->seconds, "how long to fuzz (or to benchmark)")->capture_default_str();
  auto* seed = cmd->add_option("--seed", args->seed, "the first schedule's seed (default: random, printed)");
  cmd->add_flag("--bench", args->bench, "only the reference loop against the model: print schedules checked per second");
  cmd->add_flag("--real-time", args->real_time, "run in real time even where the adapter can virtualise the clock");
  cmd->add_option("--out", args->out, "directory for the minimal program and both outputs")->capture_default_str();
  cmd->add_option("--save-regression", args->save, "also save the minimal program and the other loop's output (NAME.IMPL.out) here");
  cmd->callback([args, seed, &exit_code] {
    if (seed->count() == 0) args->seed = std::random_device{}() % 1'000'000'000;
    exit_code = fuzz(*args);
  });
}

}  // namespace aiospec::cli

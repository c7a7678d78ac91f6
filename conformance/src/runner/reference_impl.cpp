// The reference implementation for the runner: the scenario interpreter on the reference loop, in
// process and in virtual time.
#include <chrono>

#include "aiospec/interpreter.hpp"
#include "aiospec/runner.hpp"

namespace aiospec {

namespace {

class ReferenceImplementation final : public Implementation {
 public:
  std::string name() const override { return "reference"; }
  std::string version() const override { return "0.1.0"; }
  /// The reference loop reproduces CPython 3.11, as recorded in the spec (3.11.7).
  std::string python() const override { return "3.11.7"; }
  std::string time_mode() const override { return "virtual"; }
  /// The interpreter's process-wide state (warning and log sinks, the current-loop policy of the main
  /// thread) belongs to one program at a time.
  bool in_process() const override { return true; }
  Observation run(const Case& c, double) override {
    // The interpreter's own budgets (steps, virtual time, output) bound a runaway program.
    const auto started = std::chrono::steady_clock::now();
    RunResult r = run_program(c.program, "example.py");
    Observation obs;
    obs.kind = Observation::Kind::result;
    obs.output = r.normalized();
    obs.exit_status = r.exit_status;
    for (auto& l : r.lines) obs.line_times.push_back(l.time);
    obs.message = r.error;
    obs.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return obs;
  }
};

}  // namespace

std::unique_ptr<Implementation> make_reference_implementation() { return std::make_unique<ReferenceImplementation>(); }

}  // namespace aiospec

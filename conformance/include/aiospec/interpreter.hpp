// Running a scenario-language program on the reference loop, in virtual time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiospec {

struct ExecOptions {
  std::uint64_t max_steps = 50'000'000;      // statements and loop iterations
  double max_virtual_seconds = 86'400;       // virtual time a program may let pass
  std::size_t max_output_bytes = 16 << 20;   // stdout
  int recursion_limit = 1000;                // sys.getrecursionlimit() at the start, as CPython's
  // The memory the program's thread may hold (spec/language.md, "Limits"): past it the program stops
  // with a verdict; a single allocation larger than all of it raises MemoryError. 0: no budget.
  std::size_t max_memory_bytes = std::size_t{2} << 30;
  // Virtual time one step takes, about what a statement costs CPython 3.11 here: the program's clock
  // moves while it computes, as a real one does, so a loop that never idles (tasks spinning on
  // `asyncio.sleep(0)`) still lets its timers come due instead of starving them forever.
  std::uint64_t step_nanos = 50;
  std::vector<std::string> argv;  // the program's arguments: sys.argv[1:]
  // Where CPython 3.11's Lib/ is: tracebacks name its files where asyncio.run's frames are, as
  // `python3 prog.py` prints them (Debian's python3.11 by default).
  std::string stdlib_dir = "/usr/lib/python3.11";
  std::string argv0;  // sys.argv[0] as typed (the file name, absolute for __file__, when empty)
};

// One line of normalised output (spec/README.md: stdout lines, `[warning] …`, `[asyncio] …`,
// `[uncaught] …`, `[exit N]`) and the virtual time when it was completed, relative to the start of
// the first loop the program ran (nullopt: no loop was running).
struct OutputLine {
  std::string text;
  std::optional<double> time;
};

struct RunResult {
  std::vector<OutputLine> lines;
  int exit_status = 0;
  std::string stdout_text;  // raw stdout, as `python3 FILE.py` prints it
  std::string stderr_text;  // raw stderr in CPython's form
  std::string error;        // a budget or deadlock stop: the message (also in stderr_text)
  bool parse_error = false;

  // The normalised output: every line followed by a newline.
  std::string normalized() const;
};

// Parses and runs `source` on a stack of its own (kProgramStackBytes). A SyntaxError gives
// exit status 1 as CPython's does, a construct outside the language 2, both with
// `file:line:col: message` in stderr_text; an uncaught exception gives 1, sys.exit(n)-like exits n,
// a budget 3.
RunResult run_program(std::string_view source, std::string_view filename, const ExecOptions& opts = {});

}  // namespace aiospec

// argparse's and warnings' raw stderr and exit status, which the normalised output of the program
// corpus does not show. Expected texts: CPython 3.11.7 running the same program as `python3 FILE ARGS`
// with stdout and stderr on pipes and COLUMNS unset (warnings' file names shortened to the name given:
// CPython 3.11 prints the script's absolute path there).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "aiospec/interpreter.hpp"

namespace {

const char* kCli = R"py(import argparse
import asyncio
p = argparse.ArgumentParser(description="Run the workers.")
p.add_argument("workers", type=int, help="how many")
p.add_argument("--mode", choices=["fast", "slow"], default="fast")
p.add_argument("--name-prefix", metavar="PREFIX", default="w", help="what each worker's name starts with, followed by its number")
p.add_argument("--log-level", "-l", default="info", help="the logging level")
p.add_argument("--timeout-seconds", type=float, default=2.5, help="how long to wait")
args = p.parse_args()
async def main():
    print(args.workers, args.mode, args.name_prefix)
asyncio.run(main())
)py";

const std::string kUsage =
    "usage: cli.py [-h] [--mode {fast,slow}] [--name-prefix PREFIX]\n"
    "              [--log-level LOG_LEVEL] [--timeout-seconds TIMEOUT_SECONDS]\n"
    "              workers\n";

aiospec::RunResult run_cli(std::vector<std::string> argv) {
  ::unsetenv("COLUMNS");  // argparse wraps to 80 - 2 columns when nothing says otherwise
  aiospec::ExecOptions opts;
  opts.argv = std::move(argv);
  return aiospec::run_program(kCli, "cli.py", opts);
}

TEST(Argparse, TheProgramsArgumentsAreParsed) {
  auto r = run_cli({"--mode", "slow", "--name", "x", "--log-level", "debug", "4"});
  EXPECT_EQ(r.stdout_text, "4 slow x\n");
  EXPECT_EQ(r.stderr_text, "");
  EXPECT_EQ(r.exit_status, 0);
}

TEST(Argparse, ErrorsPrintTheUsageAndExitWithStatus2) {
  struct Case {
    std::vector<std::string> argv;
    std::string error;
  };
  for (const Case& c : {Case{{}, "the following arguments are required: workers"},
                        Case{{"--mode=medium", "2"}, "argument --mode: invalid choice: 'medium' (choose from 'fast', 'slow')"},
                        Case{{"2", "--bogus"}, "unrecognized arguments: --bogus"},
                        Case{{"2", "-l"}, "argument --log-level/-l: expected one argument"},
                        Case{{"two"}, "argument workers: invalid int value: 'two'"}}) {
    auto r = run_cli(c.argv);
    EXPECT_EQ(r.stdout_text, "");
    EXPECT_EQ(r.stderr_text, kUsage + "cli.py: error: " + c.error + "\n");
    EXPECT_EQ(r.exit_status, 2);
  }
}

TEST(Argparse, HelpIsCPythonsHelpFormatterText) {
  auto r = run_cli({"-h"});
  EXPECT_EQ(r.stdout_text, kUsage +
                               "\nRun the workers.\n\npositional arguments:\n  workers               how many\n\noptions:\n"
                               "  -h, --help            show this help message and exit\n  --mode {fast,slow}\n"
                               "  --name-prefix PREFIX  what each worker's name starts with, followed by its\n"
                               "                        number\n  --log-level LOG_LEVEL, -l LOG_LEVEL\n"
                               "                        the logging level\n  --timeout-seconds TIMEOUT_SECONDS\n"
                               "                        how long to wait\n");
  EXPECT_EQ(r.stderr_text, "");
  EXPECT_EQ(r.exit_status, 0);
}

TEST(Warnings, PrintedAsCPythonPrintsThemAndFiltered) {
  auto r = aiospec::run_program(R"py(import asyncio
import warnings
async def slow():
    warnings.warn("slow")
    warnings.warn("old", DeprecationWarning)
    warnings.warn("gone", PendingDeprecationWarning)
async def never():
    pass
asyncio.run(slow())
never()
warnings.simplefilter("ignore")
never()
warnings.simplefilter("always")
for i in range(2):
    warnings.warn("again", RuntimeWarning)
try:
    warnings.filterwarnings("bogus")
except AssertionError as e:
    print("AssertionError:", e)
try:
    warnings.warn("x", int)
except TypeError as e:
    print("TypeError:", e)
)py",
                                "w.py");
  EXPECT_EQ(r.stdout_text, "AssertionError: invalid action: 'bogus'\nTypeError: category must be a Warning subclass, not 'type'\n");
  EXPECT_EQ(r.stderr_text,
            "w.py:4: UserWarning: slow\n  warnings.warn(\"slow\")\nw.py:5: DeprecationWarning: old\n"
            "  warnings.warn(\"old\", DeprecationWarning)\nw.py:10: RuntimeWarning: coroutine 'never' was never awaited\n"
            "  never()\nRuntimeWarning: Enable tracemalloc to get the object allocation traceback\n"
            "w.py:15: RuntimeWarning: again\n  warnings.warn(\"again\", RuntimeWarning)\n"
            "w.py:15: RuntimeWarning: again\n  warnings.warn(\"again\", RuntimeWarning)\n");
  EXPECT_EQ(r.exit_status, 0);
}

}  // namespace

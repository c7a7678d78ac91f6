// The limits a program runs within (spec/language.md, "Limits"): recursion, the front end's nesting
// limits, memory. Expected results are CPython 3.11.7's, run as `python3 prog.py`, except where the
// test says it checks aiospec's own verdict.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "aiospec/interpreter.hpp"
#include "aiospec/scenario/limits.hpp"
#include "aiospec/runner.hpp"
#include "aiospec/spec.hpp"

namespace {

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

std::string last_line(const std::string& text) {
  std::string t = text;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  const auto nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// The depth at which each way of recursing fails, as CPython counts frames (conformance/test/
// limits_depths.py; its .out is CPython's stdout).
TEST(Limits, RecursionFailsAtCPythonsDepth) {
  const auto dir = std::filesystem::path(AIOSPEC_SOURCE_DIR) / "conformance/test";
  auto r = aiospec::run_program(read(dir / "limits_depths.py"), "limits_depths.py");
  EXPECT_EQ(r.stdout_text, read(dir / "limits_depths.out"));
  EXPECT_EQ(r.stderr_text, "");
  EXPECT_EQ(r.exit_status, 0);
}

// Inputs that crashed aiospec exec (regressions/crashes/NAME.py): each ends as CPython's run ends,
// NAME.cpython holding CPython's exit status and the last line it printed (stderr's when it printed
// there, else stdout's).
TEST(Limits, FormerCrashesEndAsCPython) {
  const auto dir = std::filesystem::path(AIOSPEC_SOURCE_DIR) / "conformance/test/regressions/crashes";
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".py") continue;
    const std::string expected = read(std::filesystem::path(entry.path()).replace_extension(".cpython"));
    ASSERT_EQ(expected.rfind("exit ", 0), 0u) << entry.path();
    const int status = std::stoi(expected.substr(5));
    const std::string line = last_line(expected);
    aiospec::RunResult r = aiospec::run_program(read(entry.path()), entry.path().filename().string());
    EXPECT_EQ(r.exit_status, status) << entry.path() << "\n" << r.stderr_text;
    // The normalised output's last line: the uncaught exception's (format_exception_only), or stdout's.
    EXPECT_EQ(last_line(r.normalized()), status == 0 ? line : "[uncaught] " + line) << entry.path();
    ++n;
  }
  EXPECT_GE(n, 30);
}

// __getattr__ recursing through getattr(): CPython counts no level for getattr (a METH_FASTCALL
// builtin), the interpreter counts one for every builtin, so the message names the call; the
// recursion ends as a RecursionError all the same.
// Likewise __repr__ calling repr(self): CPython fails at the repr() call (" while calling a Python
// object"), the interpreter one level further on.
TEST(Limits, DunderRecursionEnds) {
  for (const char* src : {"class A:\n    def __getattr__(self, name):\n        return getattr(self, name)\nA().x\n",
                          "class R:\n    def __repr__(self):\n        return repr(self)\nrepr(R())\n"}) {
    auto r = aiospec::run_program(src, "d.py");
    EXPECT_EQ(r.exit_status, 1);
    EXPECT_EQ(last_line(r.stderr_text).rfind("RecursionError: maximum recursion depth exceeded", 0), 0u) << r.stderr_text;
  }
}

TEST(Limits, AwaitRecursionPrintsCPythonsLastLine) {
  auto r = aiospec::run_program("import asyncio\nasync def f(): return await f()\nasyncio.run(f())\n", "await.py");
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(last_line(r.stderr_text), "RecursionError: maximum recursion depth exceeded");
}

// CPython: SyntaxError.lineno and .offset of each (compile() of the same source).
TEST(Limits, FrontEndLimitsNameTheirLocation) {
  struct Case {
    std::string source, stderr_text;
  };
  const Case cases[] = {
      {"x = " + repeat("(", 201) + "1" + repeat(")", 201) + "\n", "p.py:1:205: too many nested parentheses\n"},
      {"x = " + repeat("[", 100000) + "\n", "p.py:1:205: too many nested parentheses\n"},
      {[] {
         std::string s;
         for (int i = 0; i < 100; ++i) s += std::string(i, ' ') + "if 1:\n";
         return s + std::string(100, ' ') + "pass\n";
       }(),
       "p.py:101:1: too many levels of indentation\n"},
      {[] {
         std::string s;
         for (int i = 0; i < 21; ++i) s += std::string(i, ' ') + "while 1:\n";
         return s + std::string(21, ' ') + "break\n";
       }(),
       "p.py:21:21: too many statically nested blocks\n"},
      {"x = " + repeat("-", 2999) + "1\n", "RecursionError: maximum recursion depth exceeded during compilation\n"},
      {"x = " + repeat("-", 5968) + "1\n", "MemoryError\n"},
      {"x = 1" + repeat(" ** 1", 2984) + "\n", "MemoryError\n"},
  };
  for (const Case& c : cases) {
    auto r = aiospec::run_program(c.source, "p.py");
    EXPECT_TRUE(r.parse_error);
    EXPECT_EQ(r.exit_status, 1);
    EXPECT_EQ(r.stderr_text, c.stderr_text);
  }
  // Just inside each limit the program runs (CPython prints the same).
  const Case fine[] = {
      {"x = " + repeat("(", 200) + "1" + repeat(")", 200) + "\nprint(x)\n", "1\n"},
      {"x = " + repeat("-", 2998) + "1\nprint(x)\n", "1\n"},
      {"x = 1" + repeat(" ** 1", 2983) + "\nprint(x)\n", "1\n"},
      {"x = 1" + repeat(" and 1", 100000) + "\nprint(x)\n", "1\n"},
      {[] {
         std::string s;
         for (int i = 0; i < 20; ++i) s += std::string(i, ' ') + "for a" + std::to_string(i) + " in [1]:\n";
         for (int i = 0; i < 30; ++i) s += std::string(20 + i, ' ') + "if 1:\n";
         return s + std::string(50, ' ') + "print(1)\n";
       }(),
       "1\n"},
  };
  for (const Case& c : fine) EXPECT_EQ(aiospec::run_program(c.source, "p.py").stdout_text, c.stderr_text);
  // A construct outside the language is aiospec's refusal, not CPython's error: it keeps status 2.
  auto refused = aiospec::run_program("x = 1 + 2j\n", "m.py");
  EXPECT_EQ(refused.exit_status, 2);
}

// aiospec's own verdict: a limit beyond what the interpreter's stack holds ends the recursion with a
// RecursionError that says so (CPython 3.11 would run until its memory or C stack gave out).
TEST(Limits, RecursionLimitBeyondTheStackIsBounded) {
  auto r = aiospec::run_program(
      "import sys\nsys.setrecursionlimit(10**9)\ndef g(n):\n    try:\n        return g(n + 1)\n    except RecursionError as e:\n"
      "        return n, str(e)\nn, e = g(0)\nprint(n > 2000, e)\n",
      "deep.py");
  EXPECT_EQ(r.exit_status, 0) << r.stderr_text;
  const std::string full = fmt::format("True maximum recursion depth exceeded (the interpreter's stack of {} MiB is full at depth ",
                                       aiospec::kProgramStackBytes >> 20);
  EXPECT_EQ(r.stdout_text.rfind(full, 0), 0u) << r.stdout_text;
  auto crash = aiospec::run_program("import sys\nsys.setrecursionlimit(10**9)\ndef g(n):\n    return g(n + 1)\ng(0)\n", "deep.py");
  EXPECT_EQ(crash.exit_status, 1);
  EXPECT_EQ(last_line(crash.stderr_text).rfind("RecursionError: maximum recursion depth exceeded (the interpreter's stack", 0), 0u)
      << crash.stderr_text;
}

// aiospec's own verdicts: the memory budget (CPython would grow until the machine's OOM killer).
TEST(Limits, MemoryBudgetStopsRunawayPrograms) {
  aiospec::ExecOptions opts;
  opts.max_memory_bytes = 64 << 20;
  auto r = aiospec::run_program("x = []\nwhile True:\n    x.append('a' * 1000)\n", "grow.py", opts);
  EXPECT_EQ(r.exit_status, 3);
  EXPECT_EQ(r.error, "memory budget of 67108864 bytes exhausted (a runaway program?)");
  // Doubling a string: the allocation that would exceed the whole budget is a MemoryError.
  auto d = aiospec::run_program("s = 'a'\nwhile True:\n    s += s\n", "double.py", opts);
  EXPECT_EQ(d.exit_status, 1);
  EXPECT_EQ(last_line(d.stderr_text), "MemoryError");
  // A MemoryError is the program's to catch, as CPython's is; the program goes on.
  auto c = aiospec::run_program("try:\n    b = bytes(10**12)\nexcept MemoryError as e:\n    print('caught', repr(e))\nprint(len(bytes(10)))\n",
                                "catch.py");
  EXPECT_EQ(c.stdout_text, "caught MemoryError()\n10\n");
}

// The runner runs each case through the same interpreter: a case that recursed through awaits is an
// ordinary failing result, and the run goes on.
TEST(Limits, RunnerSurvivesTheLimits) {
  auto impl = aiospec::make_reference_implementation();
  aiospec::Case c;
  c.id = "limits.await.1";
  c.program = "import asyncio\nasync def f(): return await f()\nasyncio.run(f())\n";
  auto obs = impl->run(c, 10);
  EXPECT_EQ(obs.exit_status, 1);
  EXPECT_EQ(last_line(obs.output), "[uncaught] RecursionError: maximum recursion depth exceeded");
  c.program = "x = " + repeat("(", 100000) + "\n";
  obs = impl->run(c, 10);
  EXPECT_EQ(obs.exit_status, 1);
  EXPECT_EQ(obs.output, "[uncaught] SyntaxError: too many nested parentheses\n");
}

}  // namespace

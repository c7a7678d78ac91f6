#pragma once
// An independent model of a Program's output: no event loop, only virtual-time arithmetic. Each line's
// time is the sum of the sleeps on its path; awaiting a child takes until it finishes; gather returns
// results in argument order or the first failure in completion order; wait returns at the first
// completion / first exception / last completion / timeout, whichever its mode says; as_completed yields
// by completion time; a cancel reaches a leaf exactly once, at its current sleep.
//
// Where the answer depends on an order asyncio leaves to the loop's internals (two completions at the
// same time that a decision depends on, a cancel at the instant the target runs, several futures
// already done when as_completed starts), the model says so (`ambiguous`) instead of guessing.
// Output lines whose times are equal but belong to different tasks may appear in any order: the
// checker compares each task's lines in order and every line's time.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aiospec/fuzz/program.hpp"

namespace aiospec::fuzz {

struct ExpectedLine {
  std::string text;
  std::optional<std::int64_t> us;  // nullopt: printed outside the loop
  int task = -1;                   // the task that prints it; -1 outside the loop
};

struct Expected {
  std::vector<ExpectedLine> lines;  // each task's lines in program order
  bool ambiguous = false;
  std::string why;  // the first decision that depends on an unspecified order
};

/// Decisions between times closer than `margin_us` count as ties (1: exact virtual time; real-time
/// loops need milliseconds).
Expected model(const Program& p, std::int64_t margin_us = 1);

/// One observed output line and the loop time it was printed at, in seconds.
struct TimedLine {
  std::string text;
  std::optional<double> seconds;
};

/// Empty when `observed` is an output the model allows: the same lines, each at its model time
/// (rounded to `quantum_us`), times nondecreasing, every task's lines in program order. Otherwise
/// what is wrong, for a failure message.
std::string check_trace(const Expected& e, const std::vector<TimedLine>& observed, std::int64_t quantum_us = 100);

/// The task that prints a line ("t12.3 ..." is task 12), or -1.
int line_task(const std::string& text);

}  // namespace aiospec::fuzz

#pragma once
// RapidCheck generator of random schedules (see program.hpp for their shape).
#include <cstdint>
#include <vector>

#include <rapidcheck.h>

#include "aiospec/fuzz/program.hpp"

namespace aiospec::fuzz {

struct GenOptions {
  int max_tasks = 50;                // main included; RapidCheck's size scales the budget up to this
  int max_depth = 3;                 // main is depth 0
  int max_steps = 8;                 // per task
  std::int64_t tick_us = 250'000;    // sleeps are 0, 1, 2, 4, 6, 8 or 12 ticks: equal sums are common
  int max_sleep_ticks = 12;          // drop longer sleeps (real-time loops)
  bool jitter = false;               // add 0.1-0.3 ms to some sleeps (sub-millisecond deadline order)
};

/// Programs that shrink structurally (see shrinks()).
rc::Gen<Program> gen_program(GenOptions o = {});

/// The programs one shrinking step away, simplest change first: without one task (and its
/// descendants, and every step that refers to them), without one step, or with one step or flag made
/// simpler (a shorter sleep, no timeout, ALL_COMPLETED, one child fewer in a gather or wait). Each is
/// a valid program of the same shape.
std::vector<Program> shrinks(const Program& p);

/// The number of steps in all tasks: what shrinking makes smaller.
std::size_t size(const Program& p);

}  // namespace aiospec::fuzz

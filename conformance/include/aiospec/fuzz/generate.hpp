#pragma once
// RapidCheck generator of random schedules (see program.hpp for their shape).
#include <cstdint>

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

rc::Gen<Program> gen_program(GenOptions o = {});

}  // namespace aiospec::fuzz

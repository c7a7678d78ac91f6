#pragma once
// Random schedules for property-based and differential testing (issue: property-based testing over
// arbitrary sleep schedules). A Program is a tree of tasks, each a sequence of steps; it lowers to a
// scenario-language syntax tree (printed by the scenario printer) that is an ordinary asyncio program:
//
//   async def fK():                        a task; main is f0, started by asyncio.run
//       print("tK.i")                      Event
//       await asyncio.sleep(d)             Sleep
//       tJ = asyncio.create_task(fJ(), name="tJ")       Spawn
//       try: print("tK.i", await tJ) except ...         Await (and Gather alike)
//       done, pending = await asyncio.wait([...], ...); print("tK.i", sorted(names)...)   Wait
//       print("tK.i", "done", sorted(<names of those already done>)); for f in asyncio.as_completed([...]):
//           try: print("tK.i", await f) except ...                                AsCompleted
//       print("tK.i", tJ.cancel())          Cancel (leaf children only)
//       print("tK.j", await asyncio.gather(<every child>, return_exceptions=True))   the join
//       return "rK"  |  raise ValueError("tK")
//
// A leaf task only sleeps and prints, inside `try: ... except asyncio.CancelledError: print("tK.c")`
// and then re-raises or returns "sK". Only a task's own children are awaited, gathered, waited for or
// cancelled, and every child is joined before its parent ends, so asyncio.run leaves nothing pending.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aiospec/scenario/ast.hpp"

namespace aiospec::fuzz {

enum class WaitMode : std::uint8_t { FirstCompleted, FirstException, AllCompleted };

struct Step {
  enum class Kind : std::uint8_t { Sleep, Event, Spawn, Await, Gather, Wait, AsCompleted, Cancel };
  Kind kind = Kind::Event;
  std::int64_t us = 0;                   // Sleep: the duration in microseconds
  int task = -1;                         // Spawn, Await, Cancel: the child's index in Program::tasks
  std::vector<int> tasks;                // Gather, Wait, AsCompleted: children in argument order
  bool return_exceptions = false;        // Gather
  WaitMode mode = WaitMode::AllCompleted;  // Wait
  std::optional<std::int64_t> timeout_us;  // Wait
};

struct Task {
  int parent = -1;
  bool leaf = false;     // only Sleep and Event steps; cancellable by its parent
  bool raises = false;   // ends with raise ValueError("tK") instead of return "rK"
  bool swallow = false;  // leaf: a delivered CancelledError is caught and the task returns "sK"
  std::vector<Step> steps;
};

struct Program {
  std::vector<Task> tasks;  // tasks[0] is main; a child's index is greater than its parent's
};

/// The syntax tree of the program (filename "fuzz.py").
scenario::Module to_module(const Program& p);
/// print(to_module(p)): the program's Python source.
std::string to_source(const Program& p);
/// A one-line-per-task summary for failure messages.
std::string describe(const Program& p);
/// The seconds literal of a duration in microseconds, as Python's repr prints the float (or an int).
std::string seconds_literal(std::int64_t us);

}  // namespace aiospec::fuzz

// Ordering rules of the loop itself (base_events.py: _run_once, call_soon, call_later, call_at).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

#include "loop_support.hpp"
#include "trace.hpp"

namespace asyncio::test {
namespace {

TEST(Events, CallSoonIsFifo) {
  auto loop = new_event_loop();
  Trace t;
  for (int i = 0; i < 5; ++i) loop->call_soon([&t, i] { t(std::to_string(i)); });
  loop->call_soon([&] { loop->stop(); });
  loop->run_forever();
  EXPECT_EQ(t.events, (Events{"0", "1", "2", "3", "4"}));
  loop->close();
}

TEST(Events, IterationRunsOnlyTheSnapshot) {
  // Callbacks scheduled by a callback run in the next iteration, after those already queued.
  auto loop = new_event_loop();
  Trace t;
  loop->call_soon([&] {
    t("a");
    loop->call_soon([&] { t("c"); });
  });
  loop->call_soon([&] { t("b"); });
  loop->run_once();
  EXPECT_EQ(t.events, (Events{"a", "b"}));
  loop->run_once();
  EXPECT_EQ(t.events, (Events{"a", "b", "c"}));
  loop->close();
}

TEST(Events, CallLaterZeroRunsAfterCallSoon) {
  // Inside one callback: call_later(0, A), call_later(-5, B), call_soon(S) run as S, B, A.
  auto loop = new_event_loop();
  Trace t;
  loop->call_soon([&] {
    loop->call_later(0, [&] { t("A"); });
    loop->call_later(-5, [&] { t("B"); });
    loop->call_soon([&] { t("S"); });
  });
  loop->call_later(1, [&] { loop->stop(); });
  loop->run_forever();
  EXPECT_EQ(t.events, (Events{"S", "B", "A"}));
  loop->close();
}

TEST(Events, EqualDeadlinesFollowHeapqOrder) {
  // CPython 3.10-3.13: ten call_at(t) with one t run as [0, 2, 6, 5, 9, 8, 7, 1, 3, 4].
  auto loop = new_event_loop();
  Trace t;
  for (int i = 0; i < 10; ++i) loop->call_at(5.0, [&t, i] { t(std::to_string(i)); });
  loop->call_at(6.0, [&] { loop->stop(); });
  loop->run_forever();
  EXPECT_EQ(t.events, (Events{"0", "2", "6", "5", "9", "8", "7", "1", "3", "4"}));
  loop->close();
}

TEST(Events, VirtualClockJumpsToTheDeadline) {
  auto loop = new_event_loop();
  double fired = -1;
  loop->call_later(3.5, [&] {
    fired = loop->time();
    loop->stop();
  });
  loop->run_forever();
  EXPECT_NEAR(fired, 3.5, 1e-6);
  loop->close();
}

TEST(Events, ClosedLoopRefusesWork) {
  auto loop = new_event_loop();
  loop->close();
  EXPECT_TRUE(loop->is_closed());
  try {
    loop->call_soon([] {});
    FAIL();
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.str(), "Event loop is closed");
  }
  loop->close();  // idempotent
}

// Python:
//   import asyncio
//   loop = asyncio.new_event_loop()
//   t = loop.time()
//   h = loop.call_at(t + 5, print, 'never')
//   print(h.when() - t, h.cancelled())
//   h.cancel()
//   h.cancel()
//   s = loop.call_soon(print, 'never either')
//   s.cancel()
//   print(h.cancelled(), s.cancelled())
//   loop.call_at(t + 6, loop.stop)
//   loop.run_forever()
//   print(loop.time() - t >= 6)
// Output:
//   5.0 False
//   True True
//   True
TEST(Events, CallAtReturnsAHandleAndCancelledHandlesAreSkipped) {
  auto loop = new_event_loop();
  Trace t;
  const double t0 = loop->time();
  auto h = loop->call_at(t0 + 5, [&] { t("never"); });
  EXPECT_DOUBLE_EQ(h.when() - t0, 5.0);
  EXPECT_FALSE(h.cancelled());
  h.cancel();
  h.cancel();
  auto s = loop->call_soon([&] { t("never either"); });
  s.cancel();
  EXPECT_TRUE(h.cancelled());
  EXPECT_TRUE(s.cancelled());
  loop->call_at(t0 + 6, [&] { loop->stop(); });
  loop->run_forever();
  EXPECT_GE(loop->time() - t0, 6);
  EXPECT_TRUE(t.events.empty());
  loop->close();
}

// call_at keeps the float it was given: when() returns it exactly, whatever the clock reads, while
// the deadline itself is whole nanoseconds (t0 + 0.2 is not, once the clock has moved off zero).
// Python:
//   import asyncio, time
//   loop = asyncio.new_event_loop()
//   time.sleep(1.234567891)
//   t0 = loop.time()
//   h = loop.call_at(t0 + 0.2, print)
//   print(h.when() == t0 + 0.2)
// Output:
//   True
TEST(Events, CallAtWhenIsTheFloatGiven) {
  auto loop = new_event_loop();
  loop->virtual_clock()->advance(1'234'567'891);
  for (int i = 0; i < 1000; ++i) {
    const double t0 = loop->time();
    auto h = loop->call_at(t0 + 0.2, [] {});
    EXPECT_EQ(h.when(), t0 + 0.2);
    h.cancel();
    loop->virtual_clock()->advance(7'919);
  }
  loop->close();
}

// More than 100 timers with more than half cancelled: _run_once rebuilds the heap with heapify, which
// reorders the surviving equal deadlines; with 100 or fewer it only pops cancelled heads.
// Python:
//   import asyncio
//   loop = asyncio.new_event_loop()
//   out = []
//   def run(n):
//       out.clear()
//       t = loop.time() + 1
//       hs = [loop.call_at(t, out.append, i) for i in range(n)]
//       for i, h in enumerate(hs):
//           if i % 3:
//               h.cancel()
//       loop.call_at(t + 1, loop.stop)
//       loop.run_forever()
//       print(out)
//   run(120)
//   run(90)
// Output:
//   [90, 42, 18, 6, 0, 87, 57, 9, 111, 51, 105, 21, 99, 45, 93, 84, 81, 39, 15, 75, 33, 69, 3, 63, 27, 117, 24, 108, 48, 96, 78, 72, 36, 12, 60, 54, 102, 66, 114, 30]
//   [0, 6, 30, 87, 84, 81, 78, 75, 72, 69, 66, 63, 60, 57, 54, 51, 48, 45, 42, 39, 36, 33, 27, 24, 21, 18, 15, 12, 9, 3]
std::string ties_after_cancelling_two_thirds(EventLoop& loop, int n) {
  std::vector<int> out;
  const double t = loop.time() + 1;
  std::vector<TimerHandle> hs;
  for (int i = 0; i < n; ++i) hs.push_back(loop.call_at(t, [&out, i] { out.push_back(i); }));
  for (int i = 0; i < n; ++i)
    if (i % 3) hs[i].cancel();
  loop.call_at(t + 1, [&] { loop.stop(); });
  loop.run_forever();
  std::string s = "[";
  for (std::size_t i = 0; i < out.size(); ++i) s += (i ? ", " : "") + std::to_string(out[i]);
  return s + "]";
}
TEST(Events, HeapRebuildAfterMoreThanHalfOfOver100TimersAreCancelledKeepsHeapqTieOrder) {
  auto loop = new_event_loop();
  EXPECT_EQ(ties_after_cancelling_two_thirds(*loop, 120),
            "[90, 42, 18, 6, 0, 87, 57, 9, 111, 51, 105, 21, 99, 45, 93, 84, 81, 39, 15, 75, 33, 69, 3, 63, 27, 117, "
            "24, 108, 48, 96, 78, 72, 36, 12, 60, 54, 102, 66, 114, 30]");
  EXPECT_EQ(ties_after_cancelling_two_thirds(*loop, 90),
            "[0, 6, 30, 87, 84, 81, 78, 75, 72, 69, 66, 63, 60, 57, 54, 51, 48, 45, 42, 39, 36, 33, 27, 24, 21, 18, "
            "15, 12, 9, 3]");
  loop->close();
}

// sleep()'s timer is a TimerHandle like any other: a task cancelled while sleeping cancels it in
// sleep()'s finally, which counts towards the heap rebuild; the rebuild comes one iteration later.
// Python:
//   import asyncio
//   async def main():
//       loop = asyncio.get_running_loop()
//       out = []
//       async def sleeper(i):
//           try:
//               await asyncio.sleep(1 + i * 0.001)
//               out.append(i)
//           except asyncio.CancelledError:
//               out.append(-i)
//       tasks = [asyncio.create_task(sleeper(i)) for i in range(150)]
//       await asyncio.sleep(0)
//       counts = [len(loop._scheduled)]
//       for t in tasks[1::2] + tasks[:60:2]:
//           t.cancel()
//       for _ in range(3):
//           await asyncio.sleep(0)
//           counts.append(len(loop._scheduled))
//       await asyncio.sleep(2)
//       print(counts, len(loop._scheduled))
//       print(out[:4], out[-4:], len(out))
//   asyncio.run(main())
// Output:
//   [150, 150, 45, 45] 0
//   [-1, -3, -5, -7] [142, 144, 146, 148] 150
TEST(Events, SleepTimersCancelledWithTheirTasksCountTowardsTheHeapRebuild) {
  auto main = []() -> Coro<std::string> {
    auto& loop = get_running_loop();
    std::vector<int> out;
    auto sleeper = [&](int i) -> Coro<> {
      try {
        co_await sleep(1 + i * 0.001);
        out.push_back(i);
      } catch (const CancelledError&) {
        out.push_back(-i);
      }
    };
    std::vector<Task<>> tasks;
    for (int i = 0; i < 150; ++i) tasks.push_back(create_task(sleeper(i)));
    co_await sleep(0);
    std::vector<std::size_t> counts{loop.timer_count()};
    for (int i = 1; i < 150; i += 2) tasks[i].cancel();
    for (int i = 0; i < 60; i += 2) tasks[i].cancel();
    for (int k = 0; k < 3; ++k) {
      co_await sleep(0);
      counts.push_back(loop.timer_count());
    }
    co_await sleep(2);
    std::string s = "[";
    for (std::size_t i = 0; i < counts.size(); ++i) s += (i ? ", " : "") + std::to_string(counts[i]);
    s += "] " + std::to_string(loop.timer_count()) + "\n[";
    for (int i = 0; i < 4; ++i) s += (i ? ", " : "") + std::to_string(out[i]);
    s += "] [";
    for (int i = 0; i < 4; ++i) s += (i ? ", " : "") + std::to_string(out[out.size() - 4 + i]);
    co_return s + "] " + std::to_string(out.size());
  };
  EXPECT_EQ(run(main()), "[150, 150, 45, 45] 0\n[-1, -3, -5, -7] [142, 144, 146, 148] 150");
}

// A sleep keeps its future and TimerHandle in the task while the task's previous sleep timer has
// left the heap; a task cancelled while sleeping that sleeps again before its cancelled timer is
// purged needs a second one. Both must behave as CPython's, here around a heap rebuild.
// Python:
//   import asyncio
//   async def main():
//       loop = asyncio.get_running_loop()
//       out = []
//       async def sleeper(i):
//           try:
//               await asyncio.sleep(1)
//               out.append(i)
//           except asyncio.CancelledError:
//               if i % 5 != 1:
//                   return
//               await asyncio.sleep(0.5)
//               out.append(f'r{i}')
//               await asyncio.sleep(1)
//               out.append(f'R{i}')
//       tasks = [asyncio.create_task(sleeper(i)) for i in range(120)]
//       await asyncio.sleep(0)
//       for i, t in enumerate(tasks):
//           if i % 6:
//               t.cancel()
//       counts = []
//       for _ in range(3):
//           await asyncio.sleep(0)
//           counts.append(len(loop._scheduled))
//       await asyncio.sleep(3)
//       print(counts, len(loop._scheduled))
//       print(' '.join(map(str, out)))
//   asyncio.run(main())
// Output:
//   [140, 40, 40] 0
//   r1 r11 r16 r21 r26 r31 r41 r46 r51 r56 r61 r71 r76 r81 r86 r91 r101 r106 r111 r116 0 6 12 18 24 30 36 42 48 54 60 66 72 78 84 90 96 102 108 114 R1 R11 R16 R21 R26 R31 R41 R46 R51 R56 R61 R71 R76 R81 R86 R91 R101 R106 R111 R116
TEST(Events, ASleepWhileTheTasksCancelledSleepTimerIsStillQueuedIsATimerOfItsOwn) {
  auto main = []() -> Coro<std::string> {
    auto& loop = get_running_loop();
    std::string out;
    auto sleeper = [&](int i) -> Coro<> {
      try {
        co_await sleep(1);
        out += std::to_string(i) + " ";
        co_return;
      } catch (const CancelledError&) {
        if (i % 5 != 1) co_return;
      }
      // The rest of the `except` block: a C++ handler cannot co_await.
      co_await sleep(0.5);
      out += "r" + std::to_string(i) + " ";
      co_await sleep(1);
      out += "R" + std::to_string(i) + " ";
    };
    std::vector<Task<>> tasks;
    for (int i = 0; i < 120; ++i) tasks.push_back(create_task(sleeper(i)));
    co_await sleep(0);
    for (int i = 0; i < 120; ++i)
      if (i % 6) tasks[i].cancel();
    std::string counts = "[";
    for (int k = 0; k < 3; ++k) {
      co_await sleep(0);
      counts += (k ? ", " : "") + std::to_string(loop.timer_count());
    }
    co_await sleep(3);
    out.pop_back();
    co_return counts + "] " + std::to_string(loop.timer_count()) + "\n" + out;
  };
  EXPECT_EQ(run(main()),
            "[140, 40, 40] 0\nr1 r11 r16 r21 r26 r31 r41 r46 r51 r56 r61 r71 r76 r81 r86 r91 r101 r106 r111 r116 0 6 "
            "12 18 24 30 36 42 48 54 60 66 72 78 84 90 96 102 108 114 R1 R11 R16 R21 R26 R31 R41 R46 R51 R56 R61 R71 "
            "R76 R81 R86 R91 R101 R106 R111 R116");
}

// A task that cancels itself and then sleeps: Task.__step cancels the sleep's future at once (the
// pending _must_cancel), and the cancelled timer stays in the heap until it reaches the head.
// Python:
//   import asyncio
//   async def main():
//       loop = asyncio.get_running_loop()
//       asyncio.current_task().cancel('self')
//       try:
//           await asyncio.sleep(10)
//       except asyncio.CancelledError as e:
//           print('sleep raised', repr(e), len(loop._scheduled))
//       await asyncio.sleep(1)
//       print('slept again', len(loop._scheduled))
//   asyncio.run(main())
// Output:
//   sleep raised CancelledError('self') 1
//   slept again 0
TEST(Events, ATaskCancellingItselfThenSleepingIsWokenByTheCancelledSleep) {
  Trace t;
  auto main = [&]() -> Coro<> {
    auto& loop = get_running_loop();
    loop.current_task()->cancel("self");
    try {
      co_await sleep(10);
    } catch (const CancelledError& e) {
      t("sleep raised " + e.repr() + " " + std::to_string(loop.timer_count()));
    }
    co_await sleep(1);
    t("slept again " + std::to_string(loop.timer_count()));
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"sleep raised CancelledError('self') 1", "slept again 0"}));
}

// Python:
//   import asyncio
//   loop = asyncio.new_event_loop()
//   out = []
//   def one():
//       out.append(1)
//       loop.call_soon(out.append, 2)
//   loop.call_soon(one)
//   loop.stop()
//   loop.run_forever()
//   print('ran', out)
//   loop.call_soon(loop.stop)
//   loop.run_forever()
//   print('next run', out)
// Output:
//   ran [1]
//   next run [1, 2]
TEST(Events, StopBeforeRunForeverRunsExactlyOneIteration) {
  auto loop = new_event_loop();
  Trace t;
  loop->call_soon([&] {
    t("1");
    loop->call_soon([&] { t("2"); });
  });
  loop->stop();
  loop->run_forever();
  EXPECT_EQ(t.events, (Events{"1"}));
  loop->call_soon([&] { loop->stop(); });
  loop->run_forever();
  EXPECT_EQ(t.events, (Events{"1", "2"}));
  loop->close();
}

// Python:
//   import asyncio
//   loop = asyncio.new_event_loop()
//   out = []
//   def kbi():
//       raise KeyboardInterrupt
//   loop.call_soon(kbi)
//   loop.call_soon(out.append, 'after-kbi-cb')
//   try:
//       loop.run_forever()
//   except KeyboardInterrupt:
//       out.append('KBI propagated out of run_forever')
//   print(loop.is_running())
//   loop.call_soon(loop.stop)
//   loop.run_forever()
//   print(out)
// Output:
//   False
//   ['KBI propagated out of run_forever', 'after-kbi-cb']
TEST(Events, KeyboardInterruptPropagatesAndLeavesTheRestOfTheBatchQueued) {
  auto loop = new_event_loop();
  Trace t;
  loop->call_soon([] { throw KeyboardInterrupt(); });
  loop->call_soon([&] { t("after-kbi-cb"); });
  try {
    loop->run_forever();
  } catch (const KeyboardInterrupt&) {
    t("KBI propagated out of run_forever");
  }
  EXPECT_FALSE(loop->is_running());
  loop->call_soon([&] { loop->stop(); });
  loop->run_forever();
  EXPECT_EQ(t.events, (Events{"KBI propagated out of run_forever", "after-kbi-cb"}));
  loop->close();
}

// The reference loop's callbacks carry their description as a label; `int('x')` stands for the
// callable and its arguments as format_helpers._format_callback_source renders them.
// Python:
//   import asyncio, logging, traceback
//   def h(loop, c): print(c['message'], '|', ' '.join(f'{k}={v!r}' for k, v in sorted(c.items()) if k != 'message'))
//   class Show(logging.Handler):
//       def emit(self, record):
//           print(record.getMessage())
//           print(traceback.format_exception_only(record.exc_info[1])[-1].strip())
//   logging.getLogger('asyncio').addHandler(Show())
//   logging.getLogger('asyncio').propagate = False
//   loop = asyncio.new_event_loop()
//   loop.set_exception_handler(h)
//   loop.call_soon(int, 'x')
//   loop.call_soon(loop.stop)
//   loop.run_forever()
//   loop.set_exception_handler(None)
//   loop.call_soon(int, 'y')
//   loop.call_soon(loop.stop)
//   loop.run_forever()
//   def failing_handler(loop, c):
//       raise RuntimeError('handler failed')
//   loop.set_exception_handler(failing_handler)
//   loop.call_soon(int, 'z')
//   loop.call_soon(loop.stop)
//   loop.run_forever()
// Output:
//   Exception in callback int('x') | exception=ValueError("invalid literal for int() with base 10: 'x'") handle=<Handle int('x')>
//   Exception in callback int('y')
//   handle: <Handle int('y')>
//   ValueError: invalid literal for int() with base 10: 'y'
//   Unhandled error in exception handler
//   context: {'message': "Exception in callback int('z')", 'exception': ValueError("invalid literal for int() with base 10: 'z'"), 'handle': <Handle int('z')>}
//   RuntimeError: handler failed
TEST(Events, ExceptionInCallbackContextsAndTheDefaultHandlersText) {
  auto loop = new_event_loop();
  auto int_of = [&](std::string s) {
    loop->call_soon([s] { throw ValueError("invalid literal for int() with base 10: " + py_repr(s)); },
                    "int(" + py_repr(s) + ")");
    loop->call_soon([&] { loop->stop(); });
    loop->run_forever();
  };
  HandlerLog log;
  log.install(*loop);
  int_of("x");
  EXPECT_EQ(log.lines, (Events{"Exception in callback int('x') | exception=ValueError(\"invalid literal for int() with "
                               "base 10: 'x'\") handle=<Handle int('x')>"}));
  LogCapture logged;
  loop->set_exception_handler(nullptr);
  int_of("y");
  loop->set_exception_handler([](EventLoop&, const ExceptionContext&) { throw RuntimeError("handler failed"); });
  int_of("z");
  EXPECT_EQ(logged.texts,
            (Events{"Exception in callback int('y')\nhandle: <Handle int('y')>\nValueError: invalid literal for int() "
                    "with base 10: 'y'",
                    "Unhandled error in exception handler\ncontext: {'message': \"Exception in callback int('z')\", "
                    "'exception': ValueError(\"invalid literal for int() with base 10: 'z'\"), 'handle': <Handle "
                    "int('z')>}\nRuntimeError: handler failed"}));
  loop->close();
}

// From the loop's own thread, call_soon_threadsafe queues in call_soon's order: CPython appends the
// handle to _ready at once (then writes to the self-pipe).
// Python:
//   import asyncio
//   async def main():
//       loop = asyncio.get_running_loop()
//       loop.call_soon(print, "soon 1")
//       loop.call_soon_threadsafe(print, "threadsafe")
//       loop.call_soon(print, "soon 2")
//       await asyncio.sleep(0)
//       await asyncio.sleep(0)
//       print("main done")
//   asyncio.run(main())
// Output:
//   soon 1
//   threadsafe
//   soon 2
//   main done
TEST(Events, CallSoonThreadsafeFromTheLoopsThreadKeepsCallSoonsOrder) {
  Trace t;
  Runner runner;
  runner.run([](Trace& t) -> Coro<void> {
    auto& loop = get_running_loop();
    loop.call_soon([&t] { t("soon 1"); });
    loop.call_soon_threadsafe([&t] { t("threadsafe"); });
    loop.call_soon([&t] { t("soon 2"); });
    co_await sleep(0);
    co_await sleep(0);
    t("main done");
  }(t));
  EXPECT_EQ(t.events, (Events{"soon 1", "threadsafe", "soon 2", "main done"}));
}

// Python:
//   import asyncio, threading, time
//   loop = asyncio.new_event_loop()
//   def other():
//       time.sleep(0.05)
//       loop.call_soon_threadsafe(loop.stop)
//   t0 = time.monotonic()
//   threading.Thread(target=other).start()
//   loop.run_forever()
//   print('woken by the other thread after >= 0.05 s:', time.monotonic() - t0 >= 0.05)
// Output:
//   woken by the other thread after >= 0.05 s: True
TEST(Events, CallSoonThreadsafeWakesARealTimeLoopFromAnotherThread) {
  auto loop = new_real_time_event_loop();
  const auto t0 = std::chrono::steady_clock::now();
  std::thread other([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    loop->call_soon_threadsafe([&] { loop->stop(); });
  });
  loop->run_forever();  // nothing scheduled: only the other thread can end this
  other.join();
  const auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(waited, std::chrono::milliseconds(50));
  EXPECT_LT(waited, std::chrono::seconds(10));
  loop->close();
}

// Python:
//   import asyncio, time
//   loop = asyncio.new_event_loop()
//   t0, w0 = loop.time(), time.monotonic()
//   loop.call_later(0.05, loop.stop)
//   loop.run_forever()
//   print(loop.time() - t0 >= 0.05, time.monotonic() - w0 >= 0.05)
// Output:
//   True True
TEST(Events, ARealTimeLoopReallyWaitsForItsTimers) {
  auto loop = new_real_time_event_loop();
  const double t0 = loop->time();
  const auto w0 = std::chrono::steady_clock::now();
  loop->call_later(0.05, [&] { loop->stop(); });
  loop->run_forever();
  EXPECT_GE(loop->time() - t0, 0.05);
  EXPECT_GE(std::chrono::steady_clock::now() - w0, std::chrono::milliseconds(50));
  loop->close();
}

// Python:
//   import asyncio, time
//   loop = asyncio.new_event_loop()
//   out = []
//   def blocker():
//       loop.call_later(0.01, out.append, 'T(timer due)')
//       time.sleep(0.02)
//       loop.call_soon(out.append, 'S(call_soon)')
//   loop.call_soon(blocker)
//   loop.call_later(0.1, loop.stop)
//   loop.run_forever()
//   print(out)
//   t0 = loop.time()
//   loop.call_later(1, out.append, 'A')
//   loop.call_later(2, out.append, 'B')
//   time.sleep(1.5)
//   loop._run_once()
//   print(out[2:], round(loop.time() - t0, 1))
// Output:
//   ['S(call_soon)', 'T(timer due)']
//   ['A'] 1.5
TEST(Events, BlockingSleepAndManualAdvanceMoveTheVirtualClockWithoutRunningTheLoop) {
  auto loop = new_event_loop();
  Trace t;
  loop->call_soon([&] {
    loop->call_later(0.01, [&] { t("T(timer due)"); });
    loop->clock().sleep(seconds_to_nanos(0.02));  // time.sleep: the loop does not run meanwhile
    loop->call_soon([&] { t("S(call_soon)"); });
  });
  loop->call_later(0.1, [&] { loop->stop(); });
  loop->run_forever();
  EXPECT_EQ(t.events, (Events{"S(call_soon)", "T(timer due)"}));
  const double t0 = loop->time();
  loop->call_later(1, [&] { t("A"); });
  loop->call_later(2, [&] { t("B"); });
  loop->virtual_clock()->advance(seconds_to_nanos(1.5));
  loop->run_once();
  EXPECT_EQ(t.events, (Events{"S(call_soon)", "T(timer due)", "A"}));
  EXPECT_NEAR(loop->time() - t0, 1.5, 1e-6);
  loop->close();
}

// A NaN delay fires on the next iteration in 3.11 (NaN compares false to every deadline) when it
// reaches the head of the heap; an infinite one never fires; a negative one is overdue at once, the
// earliest deadline first. The NaN part uses a fresh loop: behind other timers a NaN deadline
// breaks heapq's ordering in ways the reference loop does not reproduce.
// Python:
//   import asyncio
//   loop = asyncio.new_event_loop()
//   out = []
//   t0 = loop.time()
//   loop.call_later(-1, out.append, 'a')
//   loop.call_later(-2, out.append, 'b')
//   loop.call_later(float('inf'), out.append, 'inf')
//   loop.call_soon(out.append, 'soon')
//   loop.call_later(0.5, loop.stop)
//   loop.run_forever()
//   print(out, round(loop.time() - t0, 1))
//   loop = asyncio.new_event_loop()
//   out = out[:3]
//   loop.call_later(float('nan'), out.append, 'nan')
//   loop.call_soon(out.append, 'soon2')
//   loop._run_once()
//   print(out[3:])
//   loop.call_at(float('nan'), out.append, 'at nan')
//   loop._run_once()
//   print(out[5:])
// Output:
//   ['soon', 'b', 'a'] 0.5
//   ['soon2', 'nan']
//   ['at nan']
TEST(Events, NegativeInfiniteAndNanDelays) {
  auto loop = new_event_loop();
  Trace t;
  const double t0 = loop->time();
  loop->call_later(-1, [&] { t("a"); });
  loop->call_later(-2, [&] { t("b"); });
  loop->call_later(std::numeric_limits<double>::infinity(), [&] { t("inf"); });
  loop->call_soon([&] { t("soon"); });
  loop->call_later(0.5, [&] { loop->stop(); });
  loop->run_forever();
  EXPECT_EQ(t.events, (Events{"soon", "b", "a"}));
  EXPECT_NEAR(loop->time() - t0, 0.5, 1e-6);
  loop->close();
  loop = new_event_loop();
  loop->call_later(std::nan(""), [&] { t("nan"); });
  loop->call_soon([&] { t("soon2"); });
  loop->run_once();
  EXPECT_EQ(t.events, (Events{"soon", "b", "a", "soon2", "nan"}));
  loop->call_at(std::nan(""), [&] { t("at nan"); });
  loop->run_once();
  EXPECT_EQ(t.events, (Events{"soon", "b", "a", "soon2", "nan", "at nan"}));
  loop->close();
}

// A virtual-time loop whose only timer is infinitely far away would wait forever, as CPython does;
// the reference loop diagnoses that instead of jumping to the end of time.
TEST(Events, AnInfiniteDelayAloneIsADeadlockNotAFiring) {
  auto loop = new_event_loop();
  bool fired = false;
  loop->call_later(std::numeric_limits<double>::infinity(), [&] { fired = true; });
  EXPECT_THROW(loop->run_forever(), Deadlock);
  EXPECT_FALSE(fired);
  loop->close();
}

// A callback that cancels its own handle finishes its call first: what it captured stays alive until
// it returns (the callable lives in the handle, inline when small, boxed when not).
// Python:
//   import asyncio
//   loop = asyncio.new_event_loop()
//   def cb():
//       h.cancel()
//       print('ran', h.cancelled())
//   h = loop.call_soon(cb)
//   loop.call_soon(loop.stop)
//   loop.run_forever()
//   print(h)
// Output:
//   ran True
//   <Handle cancelled>
TEST(Events, ACallbackThatCancelsItsOwnHandleRunsToItsEnd) {
  auto loop = new_event_loop();
  Trace t;
  Handle small, big;
  small = loop->call_soon([&t, &small, word = 7] {
    small.cancel();
    t("ran " + std::string(small.cancelled() ? "True " : "False ") + std::to_string(word));
  });
  const std::string text(200, 'x');
  big = loop->call_soon([&t, &big, text, more = text] {
    big.cancel();
    t("ran " + std::string(big.cancelled() ? "True " : "False ") + std::to_string(text.size() + more.size()));
  });
  loop->call_soon([&] { loop->stop(); });
  loop->run_forever();
  EXPECT_EQ(t.events, (Events{"ran True 7", "ran True 400"}));
  EXPECT_EQ(small.repr(), "<Handle cancelled>");
  EXPECT_EQ(big.repr(), "<Handle cancelled>");
  loop->close();
}

// A thousand sleepers in ten groups of a hundred equal delays: each group fires in one iteration (a
// batch long enough for the loop's prefetching path), in deadline order, and so in creation order
// within a group.
// Python:
//   import asyncio
//   async def main():
//       out = []
//       async def w(i):
//           await asyncio.sleep(i * 37 % 10 * 0.01)
//           out.append(i)
//       await asyncio.gather(*(w(i) for i in range(1000)))
//       print(len(out), out[:6], out[-3:], sum((k + 1) * i for k, i in enumerate(out)))
//   asyncio.run(main())
// Output:
//   1000 [0, 10, 20, 30, 40, 50] [977, 987, 997] 258557250
TEST(Events, LargeBatchesOfTimersFireInDeadlineOrder) {
  auto main = []() -> Coro<std::string> {
    std::vector<int> out;
    auto w = [&out](int i) -> Coro<> {
      co_await sleep(i * 37 % 10 * 0.01);
      out.push_back(i);
    };
    std::vector<Task<>> tasks;
    for (int i = 0; i < 1000; ++i) tasks.push_back(create_task(w(i)));
    co_await gather(std::move(tasks));
    long long sum = 0;
    for (std::size_t k = 0; k < out.size(); ++k) sum += static_cast<long long>(k + 1) * out[k];
    co_return std::to_string(out.size()) + " [" + std::to_string(out[0]) + ", " + std::to_string(out[1]) + ", " +
        std::to_string(out[2]) + ", " + std::to_string(out[3]) + ", " + std::to_string(out[4]) + ", " +
        std::to_string(out[5]) + "] [" + std::to_string(out[997]) + ", " + std::to_string(out[998]) + ", " +
        std::to_string(out[999]) + "] " + std::to_string(sum);
  };
  EXPECT_EQ(run(main()), "1000 [0, 10, 20, 30, 40, 50] [977, 987, 997] 258557250");
}

}  // namespace
}  // namespace asyncio::test

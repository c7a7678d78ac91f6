// asyncio.run, asyncio.Runner (runners.py), the loop's lifecycle errors (base_events.py) and the
// current-loop rules (events.py: get_event_loop, set_event_loop, new_event_loop, get_running_loop).
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "loop_support.hpp"

namespace asyncio::test {
namespace {

// Python:
//   import asyncio
//   async def main():
//       global loop
//       loop = asyncio.get_running_loop()
//       return 42
//   async def fails():
//       raise ValueError('main failed')
//   print(asyncio.run(main()), loop.is_closed(), loop.is_running())
//   try:
//       asyncio.get_event_loop()
//   except RuntimeError as e:
//       print(e)
//   try:
//       asyncio.run(fails())
//   except ValueError as e:
//       print(repr(e))
// Output:
//   42 True False
//   There is no current event loop in thread 'MainThread'.
//   ValueError('main failed')
TEST(Run, ReturnsTheResultThenTheLoopIsClosedAndNoLongerCurrent) {
  Trace t;
  EventLoopPtr loop;
  auto main = [&]() -> Coro<int> {
    loop = EventLoopPtr(&get_running_loop());
    co_return 42;
  };
  const int r = run(main());
  t(std::to_string(r) + (loop->is_closed() ? " True" : " False") + (loop->is_running() ? " True" : " False"));
  t(raised([] { get_event_loop(); }));
  auto fails = []() -> Coro<> {
    throw ValueError("main failed");
    co_return;
  };
  t(raised([&] { run(fails()); }));
  EXPECT_EQ(t.events, (Events{"42 True False", "RuntimeError: There is no current event loop in thread 'MainThread'.",
                              "ValueError: main failed"}));
}

// Python:
//   import asyncio
//   async def bg():
//       try:
//           await asyncio.sleep(10)
//       except asyncio.CancelledError:
//           print('bg cancelled')
//           await asyncio.sleep(1)
//           print('bg cleanup done')
//           raise
//   async def main():
//       asyncio.create_task(bg())
//       await asyncio.sleep(0)
//       print('main returns')
//   asyncio.run(main())
//   print('run returned')
// Output:
//   main returns
//   bg cancelled
//   bg cleanup done
//   run returned
TEST(Run, LeftoverTasksAreCancelledAndRunToCompletion) {
  Trace t;
  auto bg = [&]() -> Coro<> {
    try {
      co_await sleep(10);
    } catch (const CancelledError&) {
      t("bg cancelled");
    }
    co_await sleep(1);
    t("bg cleanup done");
    throw CancelledError();
  };
  auto main = [&]() -> Coro<> {
    create_task(bg());
    co_await sleep(0);
    t("main returns");
  };
  run(main());
  t("run returned");
  EXPECT_EQ(t.events, (Events{"main returns", "bg cancelled", "bg cleanup done", "run returned"}));
}

Coro<> bad_bg() {
  try {
    co_await sleep(10);
  } catch (const CancelledError&) {
    throw ValueError("in cleanup");
  }
}

// Python:
//   import asyncio
//   def h(loop, c): print(c['message'], '|', ' '.join(f'{k}={v!r}' for k, v in sorted(c.items()) if k != 'message'))
//   async def bad_bg():
//       try:
//           await asyncio.sleep(10)
//       except asyncio.CancelledError:
//           raise ValueError('in cleanup')
//   async def main():
//       asyncio.get_running_loop().set_exception_handler(h)
//       asyncio.create_task(bad_bg())
//       await asyncio.sleep(0)
//   asyncio.run(main())
//   print('end')
// Output:
//   unhandled exception during asyncio.run() shutdown | exception=ValueError('in cleanup') task=<Task finished name='Task-2' coro=<bad_bg() done> exception=ValueError('in cleanup')>
//   end
TEST(Run, AnErrorOfALeftoverTaskIsReportedAsUnhandledDuringShutdown) {
  HandlerLog log;
  auto main = [&]() -> Coro<> {
    log.install(get_running_loop());
    create_task(bad_bg());
    co_await sleep(0);
  };
  run(main());
  log.lines.push_back("end");
  EXPECT_EQ(log.lines, (Events{"unhandled exception during asyncio.run() shutdown | exception=ValueError('in cleanup') "
                               "task=<Task finished name='Task-2' coro=<bad_bg() done> exception=ValueError('in "
                               "cleanup')>",
                               "end"}));
}

Coro<int> value(int x) {
  co_await sleep(0);
  co_return x;
}
Coro<> inner() { co_return; }

// Python:
//   import asyncio, gc, warnings
//   async def inner():
//       pass
//   async def main():
//       loop = asyncio.get_running_loop()
//       other = asyncio.new_event_loop()
//       ops = [lambda: asyncio.run(inner()), lambda: asyncio.Runner().run(inner()),
//              lambda: loop.run_until_complete(inner()), loop.run_forever,
//              lambda: other.run_until_complete(inner()), other.run_forever, loop.close]
//       for op in ops:
//           try:
//               op()
//           except RuntimeError as e:
//               print(e)
//       gc.collect()
//       print(loop.is_running(), asyncio.get_running_loop() is loop, loop.is_closed())
//       other.close()
//   with warnings.catch_warnings(record=True) as w:
//       warnings.simplefilter('always')
//       asyncio.run(main())
//   print(sorted(set(f'{x.category.__name__}: {x.message}' for x in w)), len(w))
// Output:
//   asyncio.run() cannot be called from a running event loop
//   Runner.run() cannot be called from a running event loop
//   This event loop is already running
//   This event loop is already running
//   Cannot run the event loop while another loop is running
//   Cannot run the event loop while another loop is running
//   Cannot close a running event loop
//   True True False
//   ["RuntimeWarning: coroutine 'inner' was never awaited"] 4
TEST(Run, ReentrancyErrorsLeaveTheRunningLoopIntact) {
  Trace t;
  WarningLog w;
  auto main = [&]() -> Coro<> {
    auto& loop = get_running_loop();
    auto other = new_event_loop();
    t(raised([] { run(inner()); }));
    t(raised([] { Runner().run(inner()); }));
    t(raised([&] { loop.run_until_complete(inner()); }));
    t(raised([&] { loop.run_forever(); }));
    t(raised([&] { other->run_until_complete(inner()); }));
    t(raised([&] { other->run_forever(); }));
    t(raised([&] { loop.close(); }));
    t(std::string(loop.is_running() ? "True" : "False") + (&get_running_loop() == &loop ? " True" : " False") +
      (loop.is_closed() ? " True" : " False"));
    other->close();
    co_return;
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"RuntimeError: asyncio.run() cannot be called from a running event loop",
                              "RuntimeError: Runner.run() cannot be called from a running event loop",
                              "RuntimeError: This event loop is already running",
                              "RuntimeError: This event loop is already running",
                              "RuntimeError: Cannot run the event loop while another loop is running",
                              "RuntimeError: Cannot run the event loop while another loop is running",
                              "RuntimeError: Cannot close a running event loop", "True True False"}));
  EXPECT_EQ(w.lines, Events(4, "RuntimeWarning: coroutine 'inner' was never awaited"));
}

// Python:
//   import asyncio, warnings
//   async def value(x):
//       await asyncio.sleep(0)
//       return x
//   with warnings.catch_warnings(record=True) as w:
//       warnings.simplefilter('always')
//       with asyncio.Runner() as r:
//           loop = r.get_loop()
//           print(r.run(value(1)), r.run(value(2)), r.get_loop() is loop, asyncio.get_event_loop() is loop)
//       print(loop.is_closed())
//       r.close()
//       for op in (lambda: r.run(value(3)), r.get_loop):
//           try:
//               op()
//           except RuntimeError as e:
//               print(e)
//   for x in w:
//       print(f'{x.category.__name__}: {x.message}')
// Output:
//   1 2 True True
//   True
//   Runner is closed
//   Runner is closed
//   RuntimeWarning: coroutine 'value' was never awaited
TEST(Runner, RunsSeveralCoroutinesOnOneLoopAndRefusesWorkOnceClosed) {
  Trace t;
  WarningLog w;
  EventLoopPtr loop;
  {
    Runner r;
    loop = EventLoopPtr(&r.get_loop());
    const int a = r.run(value(1));
    const int b = r.run(value(2));
    t(std::to_string(a) + " " + std::to_string(b) + (&r.get_loop() == loop.get() ? " True" : " False") +
      (&get_event_loop() == loop.get() ? " True" : " False"));
    r.close();
    t(loop->is_closed() ? "True" : "False");
    r.close();
    t(raised([&] { r.run(value(3)); }));
    t(raised([&] { r.get_loop(); }));
  }
  EXPECT_EQ(t.events, (Events{"1 2 True True", "True", "RuntimeError: Runner is closed", "RuntimeError: Runner is closed"}));
  EXPECT_EQ(w.lines, (Events{"RuntimeWarning: coroutine 'value' was never awaited"}));
}

// Python:
//   import asyncio, warnings
//   async def value(x):
//       return x
//   loop = asyncio.new_event_loop()
//   f = loop.create_future()
//   loop.call_soon(loop.stop)
//   try:
//       loop.run_until_complete(f)
//   except RuntimeError as e:
//       print(e)
//   loop.close()
//   loop.close()
//   with warnings.catch_warnings(record=True) as w:
//       warnings.simplefilter('always')
//       ops = (loop.run_forever, lambda: loop.run_until_complete(f), lambda: loop.run_until_complete(value(1)),
//              lambda: loop.create_task(value(2)), lambda: loop.call_soon(print), lambda: loop.call_later(1, print),
//              lambda: loop.call_at(1, print), lambda: loop.call_soon_threadsafe(print))
//       for op in ops:
//           try:
//               op()
//           except RuntimeError as e:
//               print(e)
//   for x in w:
//       print(f'{x.category.__name__}: {x.message}')
// Output:
//   Event loop stopped before Future completed.
//   Event loop is closed
//   Event loop is closed
//   Event loop is closed
//   Event loop is closed
//   Event loop is closed
//   Event loop is closed
//   Event loop is closed
//   Event loop is closed
//   RuntimeWarning: coroutine 'value' was never awaited
//   RuntimeWarning: coroutine 'value' was never awaited
TEST(Loop, StoppedBeforeTheFutureCompletedAndAClosedLoopRefusesToRun) {
  Trace t;
  auto loop = new_event_loop();
  auto f = loop->create_future<int>();
  loop->call_soon([&] { loop->stop(); });
  t(raised([&] { loop->run_until_complete(f); }));
  loop->close();
  loop->close();
  WarningLog w;
  t(raised([&] { loop->run_forever(); }));
  t(raised([&] { loop->run_until_complete(f); }));
  t(raised([&] { loop->run_until_complete(value(1)); }));
  t(raised([&] { loop->create_task(value(2)); }));
  t(raised([&] { loop->call_soon([] {}); }));
  t(raised([&] { loop->call_later(1, [] {}); }));
  t(raised([&] { loop->call_at(1, [] {}); }));
  t(raised([&] { loop->call_soon_threadsafe([] {}); }));
  Events expected{"RuntimeError: Event loop stopped before Future completed."};
  expected.insert(expected.end(), 8, "RuntimeError: Event loop is closed");
  EXPECT_EQ(t.events, expected);
  EXPECT_EQ(w.lines, Events(2, "RuntimeWarning: coroutine 'value' was never awaited"));
}

// get_event_loop's implicit creation happens once per process, in the main thread, before any
// set_event_loop; a death test re-runs this test alone in a fresh process to observe it. C++ threads
// have no names: the reference loop says 'Thread' for every thread but the main one, which the
// Python program matches by naming its thread so.
// Python:
//   import asyncio, threading
//   l1 = asyncio.get_event_loop()
//   print(l1 is asyncio.get_event_loop(), l1.is_running(), l1.is_closed())
//   l2 = asyncio.new_event_loop()
//   print(l2 is not l1)
//   asyncio.set_event_loop(l2)
//   print(asyncio.get_event_loop() is l2)
//   async def inside():
//       return asyncio.get_event_loop() is asyncio.get_running_loop()
//   l3 = asyncio.new_event_loop()
//   print(l3.run_until_complete(inside()), asyncio.get_event_loop() is l2)
//   asyncio.set_event_loop(None)
//   try:
//       asyncio.get_event_loop()
//   except RuntimeError as e:
//       print(e)
//   def other():
//       try:
//           asyncio.get_event_loop()
//       except RuntimeError as e:
//           print(e)
//   th = threading.Thread(target=other, name='Thread')
//   th.start()
//   th.join()
// Output:
//   True False False
//   True
//   True
//   True True
//   There is no current event loop in thread 'MainThread'.
//   There is no current event loop in thread 'Thread'.
void current_loop_rules() {
  Trace t;
  auto b = [](bool v) { return std::string(v ? "True" : "False"); };
  EventLoop* l1 = &get_event_loop();
  t(b(l1 == &get_event_loop()) + " " + b(l1->is_running()) + " " + b(l1->is_closed()));
  auto l2 = new_event_loop();
  t(b(l2.get() != l1));
  set_event_loop(l2);
  t(b(&get_event_loop() == l2.get()));
  auto inside = []() -> Coro<bool> { co_return &get_event_loop() == &get_running_loop(); };
  auto l3 = new_event_loop();
  t(b(l3->run_until_complete(inside())) + " " + b(&get_event_loop() == l2.get()));
  set_event_loop(nullptr);
  t(raised([] { get_event_loop(); }));
  std::thread([&] { t(raised([] { get_event_loop(); })); }).join();
  const Events expected{"True False False",
                        "True",
                        "True",
                        "True True",
                        "RuntimeError: There is no current event loop in thread 'MainThread'.",
                        "RuntimeError: There is no current event loop in thread 'Thread'."};
  for (auto& e : t.events) std::fprintf(stderr, "%s\n", e.c_str());
  std::exit(t.events == expected ? 0 : 1);
}
TEST(CurrentLoopDeathTest, GetEventLoopCreatesALoopOnceInTheMainThreadThenFollowsSetEventLoop) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(current_loop_rules(), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace asyncio::test

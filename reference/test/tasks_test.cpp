// Tasks (tasks.py: Task.__init__, __step, __wakeup, cancel, uncancel, __del__): first step through
// call_soon, start order, the iteration cost of awaiting, cancellation, and the task reports.
#include <algorithm>

#include "loop_support.hpp"

namespace asyncio::test {
namespace {

// Python:
//   import asyncio
//   async def main():
//       loop = asyncio.get_running_loop()
//       async def child():
//           print('task step')
//       loop.call_soon(print, 'cb1')
//       t = asyncio.create_task(child())
//       loop.call_soon(print, 'cb2')
//       await asyncio.sleep(0)
//       print('main resumed')
//       await t
//   asyncio.run(main())
// Output:
//   cb1
//   task step
//   cb2
//   main resumed
TEST(Tasks, CreateTaskSchedulesTheFirstStepWithCallSoon) {
  Trace t;
  auto main = [&]() -> Coro<> {
    auto& loop = get_running_loop();
    auto child = [&]() -> Coro<> {
      t("task step");
      co_return;
    };
    loop.call_soon([&] { t("cb1"); });
    auto task = create_task(child());
    loop.call_soon([&] { t("cb2"); });
    co_await sleep(0);
    t("main resumed");
    co_await task;
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"cb1", "task step", "cb2", "main resumed"}));
}

// Python:
//   import asyncio
//   async def main():
//       async def child(n):
//           print(f'child{n} start')
//           await asyncio.sleep(0)
//           print(f'child{n} end')
//       t1 = asyncio.create_task(child(1))
//       t2 = asyncio.create_task(child(2))
//       print('main after create')
//       await asyncio.sleep(0)
//       print('main after sleep0 #1')
//       await asyncio.sleep(0)
//       print('main after sleep0 #2')
//       await t1
//       await t2
//   asyncio.run(main())
// Output:
//   main after create
//   child1 start
//   child2 start
//   main after sleep0 #1
//   child1 end
//   child2 end
//   main after sleep0 #2
TEST(Tasks, SiblingTasksStartInCreationOrderAndInterleaveFifo) {
  Trace t;
  auto main = [&]() -> Coro<> {
    auto child = [&](int n) -> Coro<> {
      t("child" + std::to_string(n) + " start");
      co_await sleep(0);
      t("child" + std::to_string(n) + " end");
    };
    auto t1 = create_task(child(1));
    auto t2 = create_task(child(2));
    t("main after create");
    co_await sleep(0);
    t("main after sleep0 #1");
    co_await sleep(0);
    t("main after sleep0 #2");
    co_await t1;
    co_await t2;
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"main after create", "child1 start", "child2 start", "main after sleep0 #1",
                              "child1 end", "child2 end", "main after sleep0 #2"}));
}

// How many loop iterations after a child's last step the awaiting task resumes
// (shared/reference/probes/probe_latency.py's method, for the awaitables of this module).
// Python:
//   import asyncio
//   async def measure(label, make_awaitable):
//       loop = asyncio.get_running_loop()
//       tick, stop, marks = 0, False, {}
//       def ticker():
//           nonlocal tick
//           tick += 1
//           if not stop:
//               loop.call_soon(ticker)
//       loop.call_soon(ticker)
//       async def child():
//           await asyncio.sleep(0)
//           marks['child_end'] = tick
//           return 1
//       await make_awaitable(child)
//       stop = True
//       print(label, tick - marks['child_end'])
//   async def main():
//       await measure('coroutine', lambda c: c())
//       await measure('task', lambda c: asyncio.create_task(c()))
//       await measure('gather', lambda c: asyncio.gather(c()))
//       await measure('gather2', lambda c: asyncio.gather(c(), c()))
//       await measure('wait', lambda c: asyncio.wait([asyncio.create_task(c())]))
//       await measure('wait_for_coro', lambda c: asyncio.wait_for(c(), 10))
//       await measure('wait_for_task', lambda c: asyncio.wait_for(asyncio.create_task(c()), 10))
//       await measure('shield', lambda c: asyncio.shield(asyncio.create_task(c())))
//   asyncio.run(main())
// Output:
//   coroutine 0
//   task 1
//   gather 2
//   gather2 2
//   wait 2
//   wait_for_coro 2
//   wait_for_task 2
//   shield 2
template <class Make>
int hops(Make make_awaitable) {
  Ticker ticker;  // outlives the run: its last callback may still be queued when main returns
  int result = -1;
  auto main = [&]() -> Coro<> {
    ticker.start(get_running_loop());
    int child_end = -1;
    auto child = [&]() -> Coro<int> {
      co_await sleep(0);
      child_end = ticker.tick;
      co_return 1;
    };
    co_await make_awaitable(child);
    ticker.stopped = true;
    result = ticker.tick - child_end;
  };
  run(main());
  return result;
}

TEST(Hops, AwaitCoroutineCostsNoIteration) {
  EXPECT_EQ(hops([](auto& c) { return c(); }), 0);
}
TEST(Hops, AwaitTaskCostsOneIteration) {
  EXPECT_EQ(hops([](auto& c) { return create_task(c()); }), 1);
}
TEST(Hops, AwaitGatherCostsTwoIterations) {
  EXPECT_EQ(hops([](auto& c) { return gather(c()); }), 2);
  EXPECT_EQ(hops([](auto& c) { return gather(c(), c()); }), 2);
}
TEST(Hops, AwaitWaitCostsTwoIterations) {
  EXPECT_EQ(hops([](auto& c) { return wait(std::vector<Task<int>>(1, create_task(c()))); }), 2);
}
TEST(Hops, AwaitWaitForCostsTwoIterations) {
  EXPECT_EQ(hops([](auto& c) { return wait_for(c(), 10.0); }), 2);
  EXPECT_EQ(hops([](auto& c) { return wait_for(create_task(c()), 10.0); }), 2);
}
TEST(Hops, AwaitShieldCostsTwoIterations) {
  EXPECT_EQ(hops([](auto& c) { return shield(create_task(c())); }), 2);
}

Coro<> child() { co_await sleep(0); }

// Python:
//   import asyncio, warnings
//   async def child():
//       await asyncio.sleep(0)
//   async def main():
//       me = asyncio.current_task()
//       t = asyncio.create_task(child())
//       u = asyncio.create_task(child(), name='worker')
//       print(me.get_name(), t.get_name(), u.get_name())
//       print(sorted(x.get_name() for x in asyncio.all_tasks()))
//       await t
//       await u
//       print(sorted(x.get_name() for x in asyncio.all_tasks()), t.done())
//   asyncio.run(main())
//   with warnings.catch_warnings(record=True) as w:
//       warnings.simplefilter('always')
//       for f in (asyncio.all_tasks, asyncio.get_running_loop, lambda: asyncio.create_task(child())):
//           try:
//               f()
//           except RuntimeError as e:
//               print(e)
//   for x in w:
//       print(f'{x.category.__name__}: {x.message}')
// Output:
//   Task-1 Task-2 worker
//   ['Task-1', 'Task-2', 'worker']
//   ['Task-1'] True
//   no running event loop
//   no running event loop
//   no running event loop
//   RuntimeWarning: coroutine 'child' was never awaited
TEST(Tasks, NamesCurrentTaskAndAllTasks) {
  Trace t;
  auto names = [] {
    std::vector<std::string> out;
    for (auto& x : all_tasks()) out.push_back(x->get_name());
    std::sort(out.begin(), out.end());
    std::string s;
    for (auto& n : out) s += (s.empty() ? "" : ",") + n;
    return s;
  };
  auto main = [&]() -> Coro<> {
    TaskBase* me = current_task();
    auto a = create_task(child());
    auto b = create_task(child(), "worker");
    t(me->get_name() + " " + a.get_name() + " " + b.get_name());
    t(names());
    co_await a;
    co_await b;
    t(names() + (a.done() ? " True" : " False"));
  };
  run(main());
  WarningLog w;
  t(raised([] { all_tasks(); }));
  t(raised([] { get_running_loop(); }));
  t(raised([] { create_task(child()); }));
  EXPECT_EQ(t.events, (Events{"Task-1 Task-2 worker", "Task-1,Task-2,worker", "Task-1 True",
                              "RuntimeError: no running event loop", "RuntimeError: no running event loop",
                              "RuntimeError: no running event loop"}));
  EXPECT_EQ(w.lines, (Events{"RuntimeWarning: coroutine 'child' was never awaited"}));
}

// Python:
//   import asyncio
//   async def child():
//       try:
//           await asyncio.sleep(10)
//       except asyncio.CancelledError as e:
//           print('child sees', repr(e))
//           raise
//   async def main():
//       t = asyncio.create_task(child())
//       await asyncio.sleep(0)
//       print(t.cancel('m1'), t.cancel('m2'), t.cancelling())
//       try:
//           await t
//       except asyncio.CancelledError as e:
//           print('awaiter sees', repr(e))
//       print(t.cancelled(), t.cancelling(), t.cancel('m3'))
//       try:
//           t.result()
//       except asyncio.CancelledError as e:
//           print('result() raises', repr(e))
//   asyncio.run(main())
// Output:
//   True True 2
//   child sees CancelledError('m1')
//   awaiter sees CancelledError('m1')
//   True 2 False
//   result() raises CancelledError()
TEST(Tasks, CancelTwiceDeliversTheFirstMessageAndCountsBothRequests) {
  Trace t;
  auto child = [&]() -> Coro<> {
    try {
      co_await sleep(10);
    } catch (const CancelledError& e) {
      t("child sees " + e.repr());
      throw;
    }
  };
  auto main = [&]() -> Coro<> {
    auto task = create_task(child());
    co_await sleep(0);
    const bool c1 = task.cancel("m1");
    const bool c2 = task.cancel("m2");
    t(std::string(c1 ? "True" : "False") + (c2 ? " True " : " False ") + std::to_string(task.cancelling()));
    try {
      co_await task;
    } catch (const CancelledError& e) {
      t("awaiter sees " + e.repr());
    }
    t(std::string(task.cancelled() ? "True " : "False ") + std::to_string(task.cancelling()) +
      (task.cancel("m3") ? " True" : " False"));
    try {
      task.result();
    } catch (const CancelledError& e) {
      t("result() raises " + e.repr());
    }
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"True True 2", "child sees CancelledError('m1')", "awaiter sees CancelledError('m1')",
                              "True 2 False", "result() raises CancelledError()"}));
}

// Python:
//   import asyncio
//   async def child():
//       print('step 1')
//       try:
//           await asyncio.sleep(0)
//       except asyncio.CancelledError as e:
//           print('step 2 sees', repr(e))
//           raise
//   async def main():
//       t = asyncio.create_task(child())
//       await asyncio.sleep(0)
//       t.cancel('x')
//       print('requested', t.done(), t.cancelling())
//       try:
//           await t
//       except asyncio.CancelledError as e:
//           print('awaiter sees', repr(e), t.cancelled())
//   asyncio.run(main())
// Output:
//   step 1
//   requested False 1
//   step 2 sees CancelledError('x')
//   awaiter sees CancelledError('x') True
TEST(Tasks, CancelWithoutAWaiterIsDeliveredAtTheNextStep) {
  Trace t;
  auto child = [&]() -> Coro<> {
    t("step 1");
    try {
      co_await sleep(0);
    } catch (const CancelledError& e) {
      t("step 2 sees " + e.repr());
      throw;
    }
  };
  auto main = [&]() -> Coro<> {
    auto task = create_task(child());
    co_await sleep(0);
    task.cancel("x");
    t(std::string("requested ") + (task.done() ? "True " : "False ") + std::to_string(task.cancelling()));
    try {
      co_await task;
    } catch (const CancelledError& e) {
      t("awaiter sees " + e.repr() + (task.cancelled() ? " True" : " False"));
    }
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"step 1", "requested False 1", "step 2 sees CancelledError('x')",
                              "awaiter sees CancelledError('x') True"}));
}

// Python:
//   import asyncio
//   async def child():
//       print('body ran')
//   async def main():
//       t = asyncio.create_task(child())
//       t.cancel('early')
//       try:
//           await t
//       except asyncio.CancelledError as e:
//           print(repr(e), t.cancelled())
//   asyncio.run(main())
// Output:
//   CancelledError('early') True
TEST(Tasks, CancelBeforeTheFirstStepMeansTheBodyNeverRuns) {
  Trace t;
  auto child = [&]() -> Coro<> {
    t("body ran");
    co_return;
  };
  auto main = [&]() -> Coro<> {
    auto task = create_task(child());
    task.cancel("early");
    try {
      co_await task;
    } catch (const CancelledError& e) {
      t(e.repr() + (task.cancelled() ? " True" : " False"));
    }
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"CancelledError('early') True"}));
}

// Python:
//   import asyncio
//   async def child():
//       print('body ran')
//       return 1
//   async def main():
//       t = asyncio.create_task(child())
//       t.cancel()
//       print(t.uncancel(), t.cancelling(), t.uncancel())
//       try:
//           print(await t)
//       except asyncio.CancelledError:
//           print('cancelled despite uncancel')
//   asyncio.run(main())
// Output:
//   0 0 0
//   cancelled despite uncancel
TEST(Tasks, UncancelDoesNotClearAPendingCancelIn311) {
  Trace t;
  auto child = [&]() -> Coro<int> {
    t("body ran");
    co_return 1;
  };
  auto main = [&]() -> Coro<> {
    auto task = create_task(child());
    task.cancel();
    const int u1 = task.uncancel();
    const int c = task.cancelling();
    const int u2 = task.uncancel();
    t(std::to_string(u1) + " " + std::to_string(c) + " " + std::to_string(u2));
    try {
      t(std::to_string(co_await task));
    } catch (const CancelledError&) {
      t("cancelled despite uncancel");
    }
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"0 0 0", "cancelled despite uncancel"}));
}

// Python:
//   import asyncio
//   async def child():
//       try:
//           await asyncio.sleep(10)
//       except asyncio.CancelledError:
//           return 'caught'
//   async def main():
//       t = asyncio.create_task(child())
//       await asyncio.sleep(0)
//       t.cancel()
//       print(await t, t.cancelled(), t.cancelling())
//   asyncio.run(main())
// Output:
//   caught False 1
TEST(Tasks, ACoroutineCatchingCancelledErrorAndReturningEndsNormally) {
  Trace t;
  auto child = []() -> Coro<std::string> {
    try {
      co_await sleep(10);
    } catch (const CancelledError&) {
      co_return "caught";
    }
    co_return "slept";
  };
  auto main = [&]() -> Coro<> {
    auto task = create_task(child());
    co_await sleep(0);
    task.cancel();
    auto r = co_await task;
    t(r + (task.cancelled() ? " True " : " False ") + std::to_string(task.cancelling()));
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"caught False 1"}));
}

Coro<> boom() {
  throw ValueError("x");
  co_return;
}
Coro<> yield_once() { co_await sleep(0); }

// Python:
//   import asyncio, gc
//   def h(loop, c): print(c['message'], '|', ' '.join(f'{k}={v!r}' for k, v in sorted(c.items()) if k != 'message'))
//   async def boom():
//       raise ValueError('x')
//   async def yield_once():
//       await asyncio.sleep(0)
//   loop = asyncio.new_event_loop()
//   loop.set_exception_handler(h)
//   t = loop.create_task(boom())
//   u = loop.create_task(boom())
//   loop.run_until_complete(yield_once())
//   u.exception()
//   del t, u
//   gc.collect()
//   print('end')
// Output:
//   Task exception was never retrieved | exception=ValueError('x') future=<Task finished name='Task-1' coro=<boom() done> exception=ValueError('x')>
//   end
TEST(Tasks, TaskExceptionNeverRetrievedGoesToTheExceptionHandler) {
  auto loop = new_event_loop();
  HandlerLog log;
  log.install(*loop);
  {
    auto t = loop->create_task(boom());
    auto u = loop->create_task(boom());
    loop->run_until_complete(yield_once());
    u.exception();
  }
  EXPECT_EQ(log.lines, (Events{"Task exception was never retrieved | exception=ValueError('x') "
                               "future=<Task finished name='Task-1' coro=<boom() done> exception=ValueError('x')>"}));
  loop->close();
}

Coro<> forever() { co_await get_running_loop().create_future<void>(); }

// The reference loop's task repr has no `wait_for=<...>` part; the rest is CPython's: the closed
// loop discarded the frame, so the coroutine reads as done.
// Python:
//   import asyncio, gc, warnings
//   warnings.simplefilter('always')
//   def h(loop, c): print(c['message'], '|', ' '.join(f'{k}={v!r}' for k, v in sorted(c.items()) if k != 'message'))
//   async def forever():
//       await asyncio.get_running_loop().create_future()
//   async def yield_once():
//       await asyncio.sleep(0)
//   loop = asyncio.new_event_loop()
//   loop.set_exception_handler(h)
//   t = loop.create_task(forever())
//   loop.run_until_complete(yield_once())
//   loop.close()
//   print('closed')
//   del t
//   gc.collect()
//   print('end')
// Output:
//   closed
//   Task was destroyed but it is pending! | task=<Task pending name='Task-1' coro=<forever() done> wait_for=<Future pending cb=[Task.task_wakeup()]>>
//   end
TEST(Tasks, TaskWasDestroyedButItIsPendingGoesToTheExceptionHandler) {
  auto loop = new_event_loop();
  HandlerLog log;
  log.install(*loop);
  {
    auto t = loop->create_task(forever());
    loop->run_until_complete(yield_once());
    loop->close();
    log.lines.push_back("closed");
  }
  EXPECT_EQ(log.lines, (Events{"closed", "Task was destroyed but it is pending! | "
                                         "task=<Task pending name='Task-1' coro=<forever() done>>"}));
}

// Python:
//   import asyncio, gc, warnings
//   def h(loop, c): print(c['message'], '|', ' '.join(f'{k}={v!r}' for k, v in sorted(c.items()) if k != 'message'))
//   async def forever():
//       await asyncio.get_running_loop().create_future()
//   loop = asyncio.new_event_loop()
//   loop.set_exception_handler(h)
//   t = loop.create_task(forever())
//   loop.close()
//   with warnings.catch_warnings(record=True) as w:
//       warnings.simplefilter('always')
//       del t
//       gc.collect()
//   for x in w:
//       print(f'{x.category.__name__}: {x.message}')
// Output:
//   Task was destroyed but it is pending! | task=<Task pending name='Task-1' coro=<forever() running>>
//   RuntimeWarning: coroutine 'forever' was never awaited
TEST(Tasks, ATaskDestroyedBeforeItsFirstStepReportsAndWarns) {
  auto loop = new_event_loop();
  HandlerLog log;
  log.install(*loop);
  WarningLog w;
  {
    auto t = loop->create_task(forever());
    loop->close();
  }
  EXPECT_EQ(log.lines,
            (Events{"Task was destroyed but it is pending! | task=<Task pending name='Task-1' coro=<forever() running>>"}));
  EXPECT_EQ(w.lines, (Events{"RuntimeWarning: coroutine 'forever' was never awaited"}));
}

Coro<> selfish(Trace& t) {
  try {
    co_await FutureHandle<TaskBase>(Ref<TaskBase>(current_task()));
  } catch (const RuntimeError& e) {
    t(e.str());
  }
}

// Python:
//   import asyncio
//   async def selfish():
//       try:
//           await asyncio.current_task()
//       except RuntimeError as e:
//           print(e)
//   asyncio.run(selfish())
// Output:
//   Task cannot await on itself: <Task pending name='Task-1' coro=<selfish() running> cb=[_run_until_complete_cb()]>
TEST(Tasks, ATaskAwaitingItselfGetsRuntimeError) {
  Trace t;
  run(selfish(t));
  EXPECT_EQ(t.events, (Events{"Task cannot await on itself: <Task pending name='Task-1' coro=<selfish() running>>"}));
}

Coro<> interrupt() {
  throw KeyboardInterrupt();
  co_return;
}

// Python:
//   import asyncio
//   async def interrupt():
//       raise KeyboardInterrupt
//   async def usable():
//       await asyncio.sleep(0)
//       return 'usable'
//   loop = asyncio.new_event_loop()
//   t = loop.create_task(interrupt())
//   try:
//       loop.run_until_complete(t)
//   except KeyboardInterrupt:
//       print('KeyboardInterrupt propagated', loop.is_running(), t.done())
//   print(loop.run_until_complete(usable()))
// Output:
//   KeyboardInterrupt propagated False True
//   usable
TEST(Tasks, KeyboardInterruptInATaskPropagatesOutOfTheLoopWhichStaysUsable) {
  auto loop = new_event_loop();
  Trace t;
  auto task = loop->create_task(interrupt());
  try {
    loop->run_until_complete(task);
  } catch (const KeyboardInterrupt&) {
    t(std::string("KeyboardInterrupt propagated ") + (loop->is_running() ? "True " : "False ") +
      (task.done() ? "True" : "False"));
  }
  auto usable = []() -> Coro<std::string> {
    co_await sleep(0);
    co_return "usable";
  };
  t(loop->run_until_complete(usable()));
  EXPECT_EQ(t.events, (Events{"KeyboardInterrupt propagated False True", "usable"}));
  loop->close();
}

// all_tasks() after hundreds of tasks finished out of creation order and hundreds more were created
// (the loop reclaims the finished tasks' places then). CPython's all_tasks() is a set, so the program
// sorts; the reference loop also promises creation order.
// Python:
//   import asyncio
//   async def main():
//       async def w(i):
//           await asyncio.sleep(i % 7 * 0.01)
//       ts = [asyncio.create_task(w(i), name=f'w{i}') for i in range(500)]
//       await asyncio.sleep(0.035)
//       ts += [asyncio.create_task(w(i), name=f'w{i}') for i in range(500, 1100)]
//       names = [t.get_name() for t in asyncio.all_tasks() if t is not asyncio.current_task()]
//       print(len(names), sorted(names, key=lambda n: int(n[1:]))[:4])
//       await asyncio.gather(*ts)
//       print(len(asyncio.all_tasks()))
//   asyncio.run(main())
// Output:
//   813 ['w4', 'w5', 'w6', 'w11']
//   1
TEST(Tasks, AllTasksAfterManyFinishedOutOfOrderIsTheUnfinishedInCreationOrder) {
  auto main = []() -> Coro<std::string> {
    auto w = [](int i) -> Coro<> { co_await sleep(i % 7 * 0.01); };
    std::vector<Task<>> ts;
    for (int i = 0; i < 500; ++i) ts.push_back(create_task(w(i), "w" + std::to_string(i)));
    co_await sleep(0.035);
    for (int i = 500; i < 1100; ++i) ts.push_back(create_task(w(i), "w" + std::to_string(i)));
    std::vector<int> numbers;
    for (auto& t : all_tasks())
      if (t.get() != current_task()) numbers.push_back(std::stoi(t->get_name().substr(1)));
    const bool creation_order = std::is_sorted(numbers.begin(), numbers.end());
    std::string s = std::to_string(numbers.size()) + " ['w" + std::to_string(numbers[0]) + "', 'w" +
                    std::to_string(numbers[1]) + "', 'w" + std::to_string(numbers[2]) + "', 'w" +
                    std::to_string(numbers[3]) + "']" + (creation_order ? "" : " (not in creation order)");
    co_await gather(std::move(ts));
    co_return s + "\n" + std::to_string(all_tasks().size());
  };
  EXPECT_EQ(run(main()), "813 ['w4', 'w5', 'w6', 'w11']\n1");
}

}  // namespace
}  // namespace asyncio::test

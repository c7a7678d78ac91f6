// asyncio.wait, asyncio.wait_for (the 3.11 implementation) and asyncio.shield (tasks.py).
#include <cmath>
#include <cstdio>

#include "loop_support.hpp"

namespace asyncio::test {
namespace {

/// Loop time since `t0`, rounded to 0.1 s as the Python programs print it.
std::string elapsed(double t0) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", std::round((get_running_loop().time() - t0) * 10) / 10);
  return buf;
}

Coro<double> sleeper(double d, bool fail = false) {
  co_await sleep(d);
  if (fail) throw ValueError("failed");
  co_return d;
}

std::string indices(const std::vector<Task<double>>& part, const std::vector<Task<double>>& all) {
  std::vector<std::size_t> idx;
  for (auto& t : part)
    for (std::size_t i = 0; i < all.size(); ++i)
      if (all[i] == t) idx.push_back(i);
  std::sort(idx.begin(), idx.end());
  std::string out = "[";
  for (std::size_t i = 0; i < idx.size(); ++i) out += (i ? ", " : "") + std::to_string(idx[i]);
  return out + "]";
}

// Python:
//   import asyncio
//   async def sleeper(d, fail=False):
//       await asyncio.sleep(d)
//       if fail:
//           raise ValueError('failed')
//       return d
//   async def main():
//       loop = asyncio.get_running_loop()
//       for mode in (asyncio.FIRST_COMPLETED, asyncio.FIRST_EXCEPTION, asyncio.ALL_COMPLETED):
//           t0 = loop.time()
//           ts = [asyncio.create_task(sleeper(0.1)), asyncio.create_task(sleeper(0.2, True)), asyncio.create_task(sleeper(0.3))]
//           done, pending = await asyncio.wait(ts, return_when=mode)
//           print(mode, sorted(ts.index(t) for t in done), sorted(ts.index(t) for t in pending), round(loop.time() - t0, 1))
//           await asyncio.wait(ts)
//           ts[1].exception()
//       t0 = loop.time()
//       ts = [asyncio.create_task(sleeper(0.3)), asyncio.create_task(sleeper(10))]
//       loop.call_later(0.1, ts[1].cancel)
//       done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_EXCEPTION)
//       print('cancellation is no exception', sorted(ts.index(t) for t in done), round(loop.time() - t0, 1))
//   asyncio.run(main())
// Output:
//   FIRST_COMPLETED [0] [1, 2] 0.1
//   FIRST_EXCEPTION [0, 1] [2] 0.2
//   ALL_COMPLETED [0, 1, 2] [] 0.3
//   cancellation is no exception [0, 1] 0.3
TEST(Wait, ReturnWhenModes) {
  Trace t;
  auto main = [&]() -> Coro<> {
    auto& loop = get_running_loop();
    const std::vector<std::pair<ReturnWhen, const char*>> modes{
        {FIRST_COMPLETED, "FIRST_COMPLETED"}, {FIRST_EXCEPTION, "FIRST_EXCEPTION"}, {ALL_COMPLETED, "ALL_COMPLETED"}};
    for (auto [mode, name] : modes) {
      const double t0 = loop.time();
      std::vector<Task<double>> ts{create_task(sleeper(0.1)), create_task(sleeper(0.2, true)),
                                   create_task(sleeper(0.3))};
      auto [done, pending] = co_await wait(ts, mode);
      t(std::string(name) + " " + indices(done, ts) + " " + indices(pending, ts) + " " + elapsed(t0));
      co_await wait(ts);
      ts[1].exception();
    }
    const double t0 = loop.time();
    std::vector<Task<double>> ts{create_task(sleeper(0.3)), create_task(sleeper(10))};
    loop.call_later(0.1, [task = ts[1]] { task.cancel(); });
    auto [done, pending] = co_await wait(ts, FIRST_EXCEPTION);
    t("cancellation is no exception " + indices(done, ts) + " " + elapsed(t0));
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"FIRST_COMPLETED [0] [1, 2] 0.1", "FIRST_EXCEPTION [0, 1] [2] 0.2",
                              "ALL_COMPLETED [0, 1, 2] [] 0.3", "cancellation is no exception [0, 1] 0.3"}));
}

// Python:
//   import asyncio
//   async def sleeper(d):
//       await asyncio.sleep(d)
//       return d
//   async def main():
//       loop = asyncio.get_running_loop()
//       t0 = loop.time()
//       t = asyncio.create_task(sleeper(1))
//       done, pending = await asyncio.wait([t, t], timeout=0.5)
//       print(len(done), len(pending), t.cancelled(), t.done(), round(loop.time() - t0, 1))
//       print(await t, round(loop.time() - t0, 1))
//       try:
//           await asyncio.wait([])
//       except ValueError as e:
//           print(e)
//   asyncio.run(main())
// Output:
//   0 1 False False 0.5
//   1 1.0
//   Set of Tasks/Futures is empty.
TEST(Wait, ATimeoutNeitherRaisesNorCancelsAndAnEmptySetIsAValueError) {
  Trace t;
  auto main = [&]() -> Coro<> {
    const double t0 = get_running_loop().time();
    auto task = create_task(sleeper(1));
    std::vector<Task<double>> twice{task, task};  // g++ 12 cannot keep a braced list alive across co_await
    auto [done, pending] = co_await wait(twice, ALL_COMPLETED, 0.5);
    t(std::to_string(done.size()) + " " + std::to_string(pending.size()) + (task.cancelled() ? " True" : " False") +
      (task.done() ? " True " : " False ") + elapsed(t0));
    const double r = co_await task;
    t(std::to_string(static_cast<int>(r)) + " " + elapsed(t0));
    try {
      co_await wait(std::vector<Task<double>>());
    } catch (const ValueError& e) {
      t(e.str());
    }
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"0 1 False False 0.5", "1 1.0", "Set of Tasks/Futures is empty."}));
}

// Python:
//   import asyncio
//   async def inner():
//       loop = asyncio.get_running_loop()
//       try:
//           await asyncio.sleep(10)
//       except asyncio.CancelledError:
//           print('inner cancelled at', round(loop.time() - t0, 1))
//           await asyncio.sleep(0.5)
//           print('inner cleanup done at', round(loop.time() - t0, 1))
//           raise
//   async def main():
//       global t0
//       loop = asyncio.get_running_loop()
//       t0 = loop.time()
//       try:
//           await asyncio.wait_for(inner(), 1)
//       except TimeoutError as e:
//           print('TimeoutError at', round(loop.time() - t0, 1), repr(e), repr(e.__cause__))
//   asyncio.run(main())
// Output:
//   inner cancelled at 1.0
//   inner cleanup done at 1.5
//   TimeoutError at 1.5 TimeoutError() CancelledError()
TEST(WaitFor, ATimeoutCancelsTheInnerWaitsForItThenRaisesTimeoutErrorFromTheCancelledError) {
  Trace t;
  double t0 = 0;
  auto inner = [&]() -> Coro<> {
    try {
      co_await sleep(10);
    } catch (const CancelledError&) {
      t("inner cancelled at " + elapsed(t0));
    }
    co_await sleep(0.5);
    t("inner cleanup done at " + elapsed(t0));
    throw CancelledError();
  };
  auto main = [&]() -> Coro<> {
    t0 = get_running_loop().time();
    try {
      co_await wait_for(inner(), 1.0);
    } catch (const TimeoutError& e) {
      t("TimeoutError at " + elapsed(t0) + " " + e.repr() + " " + repr(e.cause));
    }
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"inner cancelled at 1.0", "inner cleanup done at 1.5",
                              "TimeoutError at 1.5 TimeoutError() CancelledError()"}));
}

// Python:
//   import asyncio
//   async def body():
//       print('body ran')
//       return 1
//   async def main():
//       for timeout in (0, -1):
//           try:
//               await asyncio.wait_for(body(), timeout)
//           except TimeoutError as e:
//               print(timeout, repr(e), repr(e.__cause__))
//       t = asyncio.create_task(body())
//       await asyncio.sleep(0)
//       print(await asyncio.wait_for(t, 0))
//   asyncio.run(main())
// Output:
//   0 TimeoutError() CancelledError()
//   -1 TimeoutError() CancelledError()
//   body ran
//   1
TEST(WaitFor, ATimeoutOfZeroOrLessCancelsBeforeTheFirstStepUnlessAlreadyDone) {
  Trace t;
  auto body = [&]() -> Coro<int> {
    t("body ran");
    co_return 1;
  };
  auto main = [&]() -> Coro<> {
    for (double timeout : {0.0, -1.0}) {
      try {
        co_await wait_for(body(), timeout);
      } catch (const TimeoutError& e) {
        t(std::to_string(static_cast<int>(timeout)) + " " + e.repr() + " " + repr(e.cause));
      }
    }
    auto task = create_task(body());
    co_await sleep(0);
    t(std::to_string(co_await wait_for(task, 0.0)));
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"0 TimeoutError() CancelledError()", "-1 TimeoutError() CancelledError()", "body ran",
                              "1"}));
}

// Python:
//   import asyncio
//   async def swallow():
//       try:
//           await asyncio.sleep(10)
//       except asyncio.CancelledError:
//           return 'swallowed'
//   async def replace():
//       try:
//           await asyncio.sleep(10)
//       except asyncio.CancelledError:
//           raise ValueError('during cancel')
//   async def main():
//       print(await asyncio.wait_for(swallow(), 0.1))
//       try:
//           await asyncio.wait_for(replace(), 0.1)
//       except ValueError as e:
//           print(repr(e))
//   asyncio.run(main())
// Output:
//   swallowed
//   ValueError('during cancel')
TEST(WaitFor, AnInnerThatSwallowsTheCancellationReturnsItsValueAndAnotherErrorPropagates) {
  Trace t;
  auto swallow = []() -> Coro<std::string> {
    try {
      co_await sleep(10);
    } catch (const CancelledError&) {
      co_return "swallowed";
    }
    co_return "slept";
  };
  auto replace = []() -> Coro<std::string> {
    try {
      co_await sleep(10);
    } catch (const CancelledError&) {
      throw ValueError("during cancel");
    }
    co_return "slept";
  };
  auto main = [&]() -> Coro<> {
    t(co_await wait_for(swallow(), 0.1));
    try {
      co_await wait_for(replace(), 0.1);
    } catch (const ValueError& e) {
      t(e.repr());
    }
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"swallowed", "ValueError('during cancel')"}));
}

// Python:
//   import asyncio
//   async def where():
//       return asyncio.current_task().get_name()
//   async def main():
//       print(await asyncio.wait_for(where(), None), await asyncio.wait_for(where(), 10))
//   asyncio.run(main())
// Output:
//   Task-1 Task-2
TEST(WaitFor, WithoutATimeoutTheCoroutineRunsInTheCallersTaskOtherwiseInANewTask) {
  Trace t;
  auto where = []() -> Coro<std::string> { co_return current_task()->get_name(); };
  auto main = [&]() -> Coro<> {
    auto a = co_await wait_for(where(), std::nullopt);
    auto b = co_await wait_for(where(), 10.0);
    t(a + " " + b);
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"Task-1 Task-2"}));
}

// Python:
//   import asyncio
//   async def inner():
//       try:
//           await asyncio.sleep(10)
//       except asyncio.CancelledError as e:
//           print('inner sees', repr(e))
//           await asyncio.sleep(0.1)
//           print('inner cleanup')
//           raise
//   async def waiter():
//       try:
//           await asyncio.wait_for(inner(), 5)
//       except asyncio.CancelledError as e:
//           print('waiter sees', repr(e))
//           raise
//   async def main():
//       w = asyncio.create_task(waiter())
//       await asyncio.sleep(1)
//       w.cancel('bye')
//       try:
//           await w
//       except asyncio.CancelledError as e:
//           print('main sees', repr(e), w.cancelled())
//   asyncio.run(main())
// Output:
//   inner sees CancelledError()
//   inner cleanup
//   waiter sees CancelledError('bye')
//   main sees CancelledError('bye') True
TEST(WaitFor, CancellingTheWaiterCancelsTheInnerWaitsAndReraisesTheSameCancellation) {
  Trace t;
  auto inner = [&]() -> Coro<> {
    try {
      co_await sleep(10);
    } catch (const CancelledError& e) {
      t("inner sees " + e.repr());
    }
    co_await sleep(0.1);
    t("inner cleanup");
    throw CancelledError();
  };
  auto waiter = [&]() -> Coro<> {
    try {
      co_await wait_for(inner(), 5.0);
    } catch (const CancelledError& e) {
      t("waiter sees " + e.repr());
      throw;
    }
  };
  auto main = [&]() -> Coro<> {
    auto w = create_task(waiter());
    co_await sleep(1);
    w.cancel("bye");
    try {
      co_await w;
    } catch (const CancelledError& e) {
      t("main sees " + e.repr() + (w.cancelled() ? " True" : " False"));
    }
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"inner sees CancelledError()", "inner cleanup", "waiter sees CancelledError('bye')",
                              "main sees CancelledError('bye') True"}));
}

// The 3.11 wart: when the inner finished in the iteration the waiter was cancelled, wait_for returns
// the inner's result and the cancellation is lost.
// Python:
//   import asyncio
//   async def main():
//       f = asyncio.get_running_loop().create_future()
//       async def inner():
//           await f
//           return 'inner result'
//       async def waiter():
//           return await asyncio.wait_for(inner(), 5)
//       w = asyncio.create_task(waiter())
//       await asyncio.sleep(0)
//       await asyncio.sleep(0)
//       f.set_result(None)
//       await asyncio.sleep(0)
//       w.cancel()
//       print(await w, w.cancelled())
//   asyncio.run(main())
// Output:
//   inner result False
TEST(WaitFor, ACancellationArrivingAfterTheInnerFinishedIsSwallowedIn311) {
  Trace t;
  auto main = [&]() -> Coro<> {
    auto f = get_running_loop().create_future<void>();
    auto inner = [&]() -> Coro<std::string> {
      co_await f;
      co_return "inner result";
    };
    auto waiter = [&]() -> Coro<std::string> { co_return co_await wait_for(inner(), 5.0); };
    auto w = create_task(waiter());
    co_await sleep(0);
    co_await sleep(0);
    f.set_result();
    co_await sleep(0);
    w.cancel();
    auto r = co_await w;
    t(r + (w.cancelled() ? " True" : " False"));
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"inner result False"}));
}

// Python:
//   import asyncio
//   async def inner():
//       await asyncio.sleep(0.2)
//       print('inner finished')
//       return 'v'
//   async def main():
//       t = asyncio.create_task(inner())
//       async def waiter():
//           return await asyncio.shield(t)
//       w = asyncio.create_task(waiter())
//       await asyncio.sleep(0.1)
//       w.cancel()
//       try:
//           await w
//       except asyncio.CancelledError:
//           print('waiter cancelled', t.done(), t.cancelled())
//       print(await t)
//       print(asyncio.shield(t) is t)
//   asyncio.run(main())
// Output:
//   waiter cancelled False False
//   inner finished
//   v
//   True
TEST(Shield, CancellingTheOuterLeavesTheInnerRunningAndADoneInnerIsReturnedAsIs) {
  Trace t;
  auto inner = [&]() -> Coro<std::string> {
    co_await sleep(0.2);
    t("inner finished");
    co_return "v";
  };
  auto main = [&]() -> Coro<> {
    auto task = create_task(inner());
    auto waiter = [&]() -> Coro<std::string> { co_return co_await shield(task); };
    auto w = create_task(waiter());
    co_await sleep(0.1);
    w.cancel();
    try {
      co_await w;
    } catch (const CancelledError&) {
      t(std::string("waiter cancelled") + (task.done() ? " True" : " False") + (task.cancelled() ? " True" : " False"));
    }
    t(co_await task);
    t(shield_future(Ref<FutureBase>(task.base())).get() == task.base() ? "True" : "False");
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"waiter cancelled False False", "inner finished", "v", "True"}));
}

Coro<> fails() {
  co_await sleep(0.1);
  throw ValueError("inner");
}

// Python:
//   import asyncio, gc
//   def h(loop, c): print(c['message'], '|', ' '.join(f'{k}={v!r}' for k, v in sorted(c.items()) if k != 'message'))
//   async def fails():
//       await asyncio.sleep(0.1)
//       raise ValueError('inner')
//   async def slow():
//       await asyncio.sleep(10)
//   async def main():
//       asyncio.get_running_loop().set_exception_handler(h)
//       try:
//           await asyncio.shield(asyncio.create_task(fails()))
//       except ValueError as e:
//           print('mirrored', repr(e))
//       u = asyncio.create_task(slow())
//       s = asyncio.shield(u)
//       await asyncio.sleep(0)
//       u.cancel()
//       try:
//           await s
//       except asyncio.CancelledError:
//           print('inner cancelled: outer cancelled', s.cancelled())
//       v = asyncio.create_task(fails())
//       s = asyncio.shield(v)
//       s.cancel()
//       await asyncio.sleep(0.2)
//       print('outer cancelled, inner failed:', v.done())
//       del v, s
//       gc.collect()
//       print('end')
//   asyncio.run(main())
// Output:
//   mirrored ValueError('inner')
//   inner cancelled: outer cancelled True
//   outer cancelled, inner failed: True
//   Task exception was never retrieved | exception=ValueError('inner') future=<Task finished name='Task-4' coro=<fails() done> exception=ValueError('inner')>
//   end
// Cancelling the outer removes its callback from the inner (shield's _outer_done_callback), so the
// inner's later error is never retrieved.
TEST(Shield, TheOuterMirrorsTheInnerAndAFailedInnerOfACancelledOuterIsNeverRetrieved) {
  HandlerLog log;
  auto slow = []() -> Coro<> { co_await sleep(10); };
  auto main = [&]() -> Coro<> {
    log.install(get_running_loop());
    try {
      co_await shield(create_task(fails()));
    } catch (const ValueError& e) {
      log.lines.push_back("mirrored " + e.repr());
    }
    auto u = create_task(slow());
    auto s = shield_future(Ref<FutureBase>(u.base()));
    co_await sleep(0);
    u.cancel();
    try {
      co_await FutureHandle<FutureBase>(s);
    } catch (const CancelledError&) {
      log.lines.push_back(std::string("inner cancelled: outer cancelled ") + (s->cancelled() ? "True" : "False"));
    }
    {
      auto v = create_task(fails());
      auto outer = shield_future(Ref<FutureBase>(v.base()));
      outer->cancel();
      co_await sleep(0.2);
      log.lines.push_back(std::string("outer cancelled, inner failed: ") + (v.done() ? "True" : "False"));
    }
    log.lines.push_back("end");
  };
  run(main());
  EXPECT_EQ(log.lines, (Events{"mirrored ValueError('inner')", "inner cancelled: outer cancelled True",
                               "outer cancelled, inner failed: True",
                               "Task exception was never retrieved | exception=ValueError('inner') future=<Task "
                               "finished name='Task-4' coro=<fails() done> exception=ValueError('inner')>",
                               "end"}));
}

}  // namespace
}  // namespace asyncio::test

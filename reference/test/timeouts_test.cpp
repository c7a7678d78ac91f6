// asyncio.timeout / timeout_at (timeouts.py 3.11), checked against CPython 3.11.7's output.
#include <gtest/gtest.h>

#include <cmath>

#include "sync_support.hpp"

namespace asyncio::test {
namespace {

std::string secs(double d) { return std::to_string(std::lround(d)); }

// async def main():
//     log = []
//     loop = asyncio.get_running_loop()
//     t0 = loop.time()
//     me = asyncio.current_task()
//     cm = asyncio.timeout(1)
//     log.append(f'{cm.when() - t0:.0f} {cm!r}')
//     try:
//         async with cm:
//             log.append(f'{cm.when() - t0:.0f} expired={cm.expired()}')
//             await asyncio.sleep(10)
//     except TimeoutError as e:
//         log.append(f'{e!r} from {e.__cause__!r} at {loop.time() - t0:.0f}')
//     log.append(f'{cm!r} expired={cm.expired()} cancelling={me.cancelling()}')
//     print(log)
// asyncio.run(main())
TEST(Timeouts, ExpiryRaisesTimeoutErrorFromTheCancelledError) {
  Trace log;
  auto main = [&]() -> Coro<> {
    auto& loop = get_running_loop();
    const double t0 = loop.time();
    auto* me = current_task();
    auto cm = timeout(1);
    log(secs(*cm.when() - t0) + " " + cm.repr());
    try {
      co_await async_with(cm, [&]() -> Coro<> {
        log(secs(*cm.when() - t0) + " expired=" + py_bool(cm.expired()));
        co_await sleep(10);
      });
    } catch (const TimeoutError& e) {
      log(e.repr() + " from " + inspect(e.cause).repr() + " at " + secs(loop.time() - t0));
    }
    log(cm.repr() + " expired=" + py_bool(cm.expired()) + " cancelling=" + std::to_string(me->cancelling()));
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"1 <Timeout [created]>", "1 expired=False", "TimeoutError() from CancelledError() at 1",
                                "<Timeout [expired]> expired=True cancelling=0"}));
}

// async def main():
//     log = []
//     me = asyncio.current_task()
//     async with asyncio.timeout(1) as cm:
//         try:
//             await asyncio.sleep(10)
//         except asyncio.CancelledError as e:
//             log.append(f'body swallows {e!r}, expired={cm.expired()} cancelling={me.cancelling()}')
//     log.append(f'no error; {cm!r} expired={cm.expired()} cancelling={me.cancelling()}')
//     async with asyncio.timeout(5) as ok:
//         await asyncio.sleep(1)
//     log.append(f'{ok!r} expired={ok.expired()}')
//     print(log)
// asyncio.run(main())
TEST(Timeouts, BodySwallowingTheCancellationRaisesNothingButExpired) {
  Trace log;
  auto main = [&]() -> Coro<> {
    auto* me = current_task();
    auto cm = timeout(1);
    co_await async_with(cm, [&]() -> Coro<> {
      try {
        co_await sleep(10);
      } catch (const CancelledError& e) {
        log("body swallows " + e.repr() + ", expired=" + py_bool(cm.expired()) +
            " cancelling=" + std::to_string(me->cancelling()));
      }
    });
    log("no error; " + cm.repr() + " expired=" + py_bool(cm.expired()) +
        " cancelling=" + std::to_string(me->cancelling()));
    auto ok = timeout(5);
    co_await async_with(ok, [&]() -> Coro<> { co_await sleep(1); });
    log(ok.repr() + " expired=" + py_bool(ok.expired()));
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"body swallows CancelledError(), expired=True cancelling=1",
                                "no error; <Timeout [expired]> expired=True cancelling=0",
                                "<Timeout [finished]> expired=False"}));
}

// async def main():
//     log = []
//     async def ticker():
//         for i in range(4):
//             log.append(f'tick{i}')
//             await asyncio.sleep(0)
//     for delay in (0, -1):
//         tk = asyncio.create_task(ticker())
//         try:
//             async with asyncio.timeout(delay):
//                 log.append(f'in timeout({delay})')
//                 await asyncio.sleep(0)
//                 log.append('not reached')
//         except TimeoutError:
//             log.append('TimeoutError')
//         await tk
//     async with asyncio.timeout(None) as cm:
//         await asyncio.sleep(0)
//     log.append(f'{cm!r} when={cm.when()}')
//     print(log)
// asyncio.run(main())
TEST(Timeouts, PastDeadlineCancelsOnTheNextIteration) {
  Trace log;
  auto ticker = [&]() -> Coro<> {
    for (int i = 0; i < 4; ++i) {
      log("tick" + std::to_string(i));
      co_await sleep(0);
    }
  };
  auto main = [&]() -> Coro<> {
    for (int delay : {0, -1}) {
      auto tk = create_task(ticker());
      try {
        co_await async_with(timeout(delay), [&]() -> Coro<> {
          log("in timeout(" + std::to_string(delay) + ")");
          co_await sleep(0);
          log("not reached");
        });
      } catch (const TimeoutError&) {
        log("TimeoutError");
      }
      co_await tk;
    }
    auto cm = timeout(std::nullopt);
    co_await async_with(cm, [&]() -> Coro<> { co_await sleep(0); });
    log(cm.repr() + " when=" + (cm.when() ? "?" : "None"));
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"in timeout(0)", "tick0", "TimeoutError", "tick1", "tick2", "tick3", "in timeout(-1)",
                                "tick0", "TimeoutError", "tick1", "tick2", "tick3", "<Timeout [finished]> when=None"}));
}

// async def main():
//     log = []
//     loop = asyncio.get_running_loop()
//     t0 = loop.time()
//     try:
//         async with asyncio.timeout(None) as cm:
//             cm.reschedule(loop.time() + 2)
//             await asyncio.sleep(1)
//             cm.reschedule(loop.time() + 3)
//             log.append(f'moved to {cm.when() - t0:.0f}')
//             await asyncio.sleep(10)
//     except TimeoutError:
//         log.append(f'TimeoutError at {loop.time() - t0:.0f}')
//     async with asyncio.timeout(1) as cm:
//         cm.reschedule(None)
//         await asyncio.sleep(5)
//     log.append(f'disabled: {cm!r} at {loop.time() - t0:.0f}')
//     print(log)
// asyncio.run(main())
TEST(Timeouts, RescheduleMovesOrDisablesTheDeadline) {
  Trace log;
  auto main = [&]() -> Coro<> {
    auto& loop = get_running_loop();
    const double t0 = loop.time();
    try {
      co_await async_with(timeout(std::nullopt), [&](Timeout& cm) -> Coro<> {
        cm.reschedule(loop.time() + 2);
        co_await sleep(1);
        cm.reschedule(loop.time() + 3);
        log("moved to " + secs(*cm.when() - t0));
        co_await sleep(10);
      });
    } catch (const TimeoutError&) {
      log("TimeoutError at " + secs(loop.time() - t0));
    }
    auto cm = timeout(1);
    co_await async_with(cm, [&]() -> Coro<> {
      cm.reschedule(std::nullopt);
      co_await sleep(5);
    });
    log("disabled: " + cm.repr() + " at " + secs(loop.time() - t0));
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"moved to 4", "TimeoutError at 4", "disabled: <Timeout [finished]> at 9"}));
}

// async def main():
//     log = []
//     cm = asyncio.timeout_at(1000000.12351)
//     log.append(repr(cm))
//     try:
//         cm.reschedule(1)
//     except RuntimeError as e:
//         log.append(str(e))
//     async with cm:
//         log.append(repr(cm))
//         try:
//             async with cm:
//                 pass
//         except RuntimeError as e:
//             log.append(str(e))
//     log.append(repr(cm))
//     try:
//         cm.reschedule(1)
//     except RuntimeError as e:
//         log.append(str(e))
//     try:
//         async with asyncio.timeout(0) as cm2:
//             try:
//                 await asyncio.sleep(1)
//             except asyncio.CancelledError:
//                 try:
//                     cm2.reschedule(None)
//                 except RuntimeError as e:
//                     log.append(str(e))
//                 raise
//     except TimeoutError:
//         pass
//     try:
//         cm2.reschedule(None)
//     except RuntimeError as e:
//         log.append(str(e))
//     print(log)
// asyncio.run(main())
TEST(Timeouts, StateErrorsAndRepr) {
  Trace log;
  auto main = [&]() -> Coro<> {
    auto cm = timeout_at(1000000.12351);
    log(cm.repr());
    try {
      cm.reschedule(1);
    } catch (const RuntimeError& e) {
      log(e.str());
    }
    co_await async_with(cm, [&]() -> Coro<> {
      log(cm.repr());
      try {
        co_await async_with(cm, []() -> Coro<> { co_return; });
      } catch (const RuntimeError& e) {
        log(e.str());
      }
    });
    log(cm.repr());
    try {
      cm.reschedule(1);
    } catch (const RuntimeError& e) {
      log(e.str());
    }
    auto cm2 = timeout(0);
    try {
      co_await async_with(cm2, [&]() -> Coro<> {
        try {
          co_await sleep(1);
        } catch (const CancelledError&) {
          try {
            cm2.reschedule(std::nullopt);
          } catch (const RuntimeError& e) {
            log(e.str());
          }
          throw;
        }
      });
    } catch (const TimeoutError&) {
    }
    try {
      cm2.reschedule(std::nullopt);
    } catch (const RuntimeError& e) {
      log(e.str());
    }
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"<Timeout [created]>", "Timeout has not been entered",
                                "<Timeout [active] when=1000000.124>", "Timeout has already been entered",
                                "<Timeout [finished]>", "Cannot change state of finished Timeout",
                                "Cannot change state of expiring Timeout", "Cannot change state of expired Timeout"}));
}

// async def main():
//     loop = asyncio.get_running_loop()
//     done = loop.create_future()
//     def cb():
//         try:
//             asyncio.timeout(1).__aenter__().send(None)
//         except RuntimeError as e:
//             print(e)
//         done.set_result(None)
//     loop.call_soon(cb)
//     await done
// asyncio.run(main())
TEST(Timeouts, AenterOutsideATask) {
  Trace log;
  auto main = [&]() -> Coro<> {
    auto& loop = get_running_loop();
    auto done = loop.create_future();
    loop.call_soon([&] {
      auto cm = timeout(1);
      auto c = cm.aenter();
      c.handle().promise().mark_started();
      c.handle().resume();  // coro.send(None) from a plain callback
      log(inspect(c.handle().promise().exception).exc->str());
      done.set_result();
    });
    co_await done;
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"Timeout should be used inside a task"}));
}

// async def main():
//     log = []
//     async with asyncio.timeout(10) as outer:
//         try:
//             async with asyncio.timeout(1) as inner:
//                 await asyncio.sleep(5)
//         except TimeoutError:
//             log.append(f'inner TimeoutError inner.expired={inner.expired()} outer.expired={outer.expired()}')
//     log.append(f'outer {outer!r}')
//     try:
//         async with asyncio.timeout(1) as outer:
//             async with asyncio.timeout(10) as inner:
//                 await asyncio.sleep(5)
//     except TimeoutError:
//         log.append(f'outer TimeoutError inner={inner!r} outer={outer!r}')
//     print(log)
// asyncio.run(main())
TEST(Timeouts, NestedTimeoutsOnlyTheExpiredOneRaises) {
  Trace log;
  auto main = [&]() -> Coro<> {
    auto outer = timeout(10);
    std::optional<Timeout> inner;
    co_await async_with(outer, [&]() -> Coro<> {
      try {
        inner.emplace(timeout(1));
        co_await async_with(*inner, []() -> Coro<> { co_await sleep(5); });
      } catch (const TimeoutError&) {
        log("inner TimeoutError inner.expired=" + py_bool(inner->expired()) +
            " outer.expired=" + py_bool(outer.expired()));
      }
    });
    log("outer " + outer.repr());
    auto outer2 = timeout(1);
    std::optional<Timeout> inner2;
    try {
      co_await async_with(outer2, [&]() -> Coro<> {
        inner2.emplace(timeout(10));
        co_await async_with(*inner2, []() -> Coro<> { co_await sleep(5); });
      });
    } catch (const TimeoutError&) {
      log("outer TimeoutError inner=" + inner2->repr() + " outer=" + outer2.repr());
    }
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"inner TimeoutError inner.expired=True outer.expired=False", "outer <Timeout [finished]>",
                                "outer TimeoutError inner=<Timeout [finished]> outer=<Timeout [expired]>"}));
}

// async def main():
//     log = []
//     async def victim():
//         async with asyncio.timeout(0) as cm:
//             try:
//                 await asyncio.sleep(1)
//             finally:
//                 log.append(f'cancelling={asyncio.current_task().cancelling()}')
//     t = asyncio.create_task(victim())
//     await asyncio.sleep(0)
//     t.cancel()
//     try:
//         await t
//     except asyncio.CancelledError:
//         log.append(f'CancelledError propagates, cancelling={t.cancelling()}')
//     print(log)
// asyncio.run(main())
TEST(Timeouts, ExternalCancellationInTheSameWindowPropagatesAsCancelledError) {
  Trace log;
  auto victim = [&]() -> Coro<> {
    co_await async_with(timeout(0), [&]() -> Coro<> {
      std::exception_ptr error;
      try {
        co_await sleep(1);
      } catch (...) {
        error = std::current_exception();
      }
      log("cancelling=" + std::to_string(current_task()->cancelling()));  // finally
      if (error) std::rethrow_exception(error);
    });
  };
  auto main = [&]() -> Coro<> {
    auto t = create_task(victim());
    co_await sleep(0);
    t.cancel();
    try {
      co_await t;
    } catch (const CancelledError&) {
      log("CancelledError propagates, cancelling=" + std::to_string(t.cancelling()));
    }
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"cancelling=2", "CancelledError propagates, cancelling=1"}));
}

TEST(Timeouts, PyFloatRepr) {
  // repr() of these floats in CPython 3.11.
  EXPECT_EQ(py_float_repr(5.0), "5.0");
  EXPECT_EQ(py_float_repr(1000000.124), "1000000.124");
  EXPECT_EQ(py_float_repr(0.1), "0.1");
  EXPECT_EQ(py_float_repr(1e16), "1e+16");
  EXPECT_EQ(py_float_repr(1.5e-05), "1.5e-05");
  EXPECT_EQ(py_float_repr(0.0001), "0.0001");
  EXPECT_EQ(py_float_repr(-2.5), "-2.5");
  EXPECT_EQ(py_float_repr(123456789012345.6), "123456789012345.6");
}

}  // namespace
}  // namespace asyncio::test

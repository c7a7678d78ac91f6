// asyncio.as_completed (tasks.py 3.11), checked against CPython 3.11.7's output.
#include <gtest/gtest.h>

#include <cmath>

#include "sync_support.hpp"

namespace asyncio::test {
namespace {

// async def main():
//     log = []
//     async def ticker():
//         for i in range(6):
//             log.append(f'tick{i}')
//             await asyncio.sleep(0)
//     async def work(n, ticks):
//         for _ in range(ticks):
//             await asyncio.sleep(0)
//         log.append(f'work{n} returns')
//         return n
//     tk = asyncio.create_task(ticker())
//     ts = [asyncio.create_task(work(1, 3)), asyncio.create_task(work(2, 0)), asyncio.create_task(work(3, 1))]
//     for c in asyncio.as_completed(ts):
//         log.append(f'got {await c}')
//     await tk
//     print(log)
// asyncio.run(main())
TEST(AsCompleted, ResultsInCompletionOrderTwoIterationsAfterEachFinish) {
  // A finished task's done callback queues it (one iteration), then the waiting getter wakes (another).
  Trace log;
  auto ticker = [&]() -> Coro<> {
    for (int i = 0; i < 6; ++i) {
      log("tick" + std::to_string(i));
      co_await sleep(0);
    }
  };
  auto work = [&](int n, int ticks) -> Coro<int> {
    for (int i = 0; i < ticks; ++i) co_await sleep(0);
    log("work" + std::to_string(n) + " returns");
    co_return n;
  };
  auto main = [&]() -> Coro<> {
    auto tk = create_task(ticker());
    std::vector<Task<int>> ts{create_task(work(1, 3)), create_task(work(2, 0)), create_task(work(3, 1))};
    for (auto c : as_completed(ts)) log("got " + std::to_string(co_await std::move(c)));
    co_await tk;
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"tick0", "work2 returns", "tick1", "work3 returns", "tick2", "got 2", "tick3",
                                "work1 returns", "got 3", "tick4", "tick5", "got 1"}));
}

// async def main():
//     log = []
//     async def work(n, d):
//         await asyncio.sleep(d)
//         return n
//     ts = [asyncio.create_task(work(1, 3)), asyncio.create_task(work(2, 1)), asyncio.create_task(work(3, 5))]
//     loop = asyncio.get_running_loop()
//     t0 = loop.time()
//     for c in asyncio.as_completed(ts, timeout=2):
//         try:
//             log.append(f'got {await c} at {round(loop.time() - t0)}')
//         except TimeoutError as e:
//             log.append(f'{type(e).__name__}{e.args} at {round(loop.time() - t0)}')
//     log.append(f'cancelled={[t.cancelled() for t in ts]}')
//     log.append(f'results={await asyncio.gather(*ts)}')
//     print(log)
// asyncio.run(main())
TEST(AsCompleted, TimeoutRaisesInEveryRemainingCoroutineAndCancelsNothing) {
  Trace log;
  auto work = [&](int n, double d) -> Coro<int> {
    co_await sleep(d);
    co_return n;
  };
  auto main = [&]() -> Coro<> {
    std::vector<Task<int>> ts{create_task(work(1, 3)), create_task(work(2, 1)), create_task(work(3, 5))};
    auto& loop = get_running_loop();
    const double t0 = loop.time();
    for (auto c : as_completed(ts, 2.0)) {
      try {
        int r = co_await std::move(c);
        log("got " + std::to_string(r) + " at " + std::to_string(std::lround(loop.time() - t0)));
      } catch (const TimeoutError& e) {
        log(e.repr() + " at " + std::to_string(std::lround(loop.time() - t0)));
      }
    }
    std::string cancelled;
    for (auto& t : ts) cancelled += (cancelled.empty() ? "" : ", ") + py_bool(t.cancelled());
    log("cancelled=[" + cancelled + "]");
    auto results = co_await gather(ts);
    log("results=[" + std::to_string(results[0]) + ", " + std::to_string(results[1]) + ", " +
        std::to_string(results[2]) + "]");
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"got 2 at 1", "TimeoutError() at 2", "TimeoutError() at 2",
                                "cancelled=[False, False, False]", "results=[1, 2, 3]"}));
}

// async def main():
//     log = []
//     async def fail():
//         raise ValueError('boom')
//     async def ok():
//         await asyncio.sleep(0)
//         return 'ok'
//     a = asyncio.create_task(fail())
//     b = asyncio.create_task(ok())
//     gen = asyncio.as_completed([a, b, a, b])
//     cs = list(gen)
//     log.append(f'{len(cs)} coroutines')
//     for c in cs:
//         try:
//             log.append(f'got {await c}')
//         except ValueError as e:
//             log.append(f'raised {e!r}')
//     print(log)
// asyncio.run(main())
TEST(AsCompleted, DuplicatesCollapseAndErrorsAreRaisedByTheCoroutine) {
  Trace log;
  auto fail = [&]() -> Coro<std::string> { throw ValueError("boom"); co_return ""; };
  auto ok = [&]() -> Coro<std::string> {
    co_await sleep(0);
    co_return "ok";
  };
  auto main = [&]() -> Coro<> {
    auto a = create_task(fail());
    auto b = create_task(ok());
    std::vector<Coro<std::string>> cs;
    for (auto c : as_completed(std::vector<Task<std::string>>{a, b, a, b})) cs.push_back(std::move(c));
    log(std::to_string(cs.size()) + " coroutines");
    for (auto& c : cs) {
      try {
        log("got " + co_await std::move(c));
      } catch (const ValueError& e) {
        log("raised " + e.repr());
      }
    }
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"2 coroutines", "raised ValueError('boom')", "got ok"}));
}

// async def main():
//     log = []
//     loop = asyncio.get_running_loop()
//     f = loop.create_future()
//     g = loop.create_future()
//     loop.call_soon(f.cancel, 'why')
//     loop.call_soon(g.set_result, 7)
//     for c in asyncio.as_completed([f, g]):
//         try:
//             log.append(f'got {await c}')
//         except asyncio.CancelledError as e:
//             log.append(f'cancelled {e.args}')
//     print(log)
// asyncio.run(main())
TEST(AsCompleted, TypeErasedFuturesAndCancellation) {
  // The interpreter's form: futures in, coroutines returning the done future out.
  Trace log;
  auto main = [&]() -> Coro<> {
    auto& loop = get_running_loop();
    auto f = loop.create_future<int>();
    auto g = loop.create_future<int>();
    loop.call_soon([f] { f.cancel("why"); });
    loop.call_soon([g] { g.set_result(7); });
    for (auto c : as_completed(FutureList{Ref<FutureBase>(f.base()), Ref<FutureBase>(g.base())})) {
      try {
        auto done = co_await std::move(c);
        log("got " + std::to_string(static_cast<FutureState<int>&>(*done).result()));
      } catch (const CancelledError& e) {
        log("cancelled ('" + e.str() + "',)");
      }
    }
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"cancelled ('why',)", "got 7"}));
}

std::vector<std::string> warnings;
void capture_warning(const char* category, const std::string& message) {
  warnings.push_back(std::string(category) + ": " + message);
}

// warnings.simplefilter('always')
// warnings.showwarning = lambda m, c, *a: print(f'{c.__name__}: {m}')
// async def main():
//     t = asyncio.create_task(asyncio.sleep(0))
//     it = asyncio.as_completed([t])
//     c = next(it)
//     del c
//     gc.collect()
//     await t
// asyncio.run(main())
TEST(AsCompleted, NeverAwaitedCoroutineWarnsWithPythonsQualname) {
  warnings.clear();
  set_warning_sink(capture_warning);
  auto zero = []() -> Coro<int> {
    co_await sleep(0);
    co_return 0;
  };
  auto main = [&]() -> Coro<> {
    auto t = create_task(zero());
    auto gen = as_completed(std::vector<Task<int>>{t});
    { auto c = gen.next(); }
    co_await t;
  };
  run(main());
  set_warning_sink(nullptr);
  EXPECT_EQ(warnings, (Events{"RuntimeWarning: coroutine 'as_completed.<locals>._wait_for_one' was never awaited"}));
}

}  // namespace
}  // namespace asyncio::test

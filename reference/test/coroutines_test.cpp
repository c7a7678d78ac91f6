// Coroutine objects (Coro<T>): lazy, awaited inline, single use, warned about when never awaited.
#include "loop_support.hpp"

namespace asyncio::test {
namespace {

// Python:
//   import asyncio
//   async def child():
//       print('child body')
//       return 1
//   async def main():
//       c = child()
//       print('created')
//       print('awaited', await c)
//   asyncio.run(main())
// Output:
//   created
//   child body
//   awaited 1
TEST(Coroutines, CallingACoroutineFunctionRunsNothing) {
  Trace t;
  auto child = [&]() -> Coro<int> {
    t("child body");
    co_return 1;
  };
  auto main = [&]() -> Coro<> {
    auto c = child();
    t("created");
    t("awaited " + std::to_string(co_await c));
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"created", "child body", "awaited 1"}));
}

// Python:
//   import asyncio
//   async def grandchild():
//       return 2
//   async def child():
//       print('child', asyncio.current_task().get_name())
//       return await grandchild() + 1
//   async def main():
//       asyncio.get_running_loop().call_soon(print, 'callback')
//       print('result', await child())
//       await asyncio.sleep(0)
//       print('end')
//   asyncio.run(main())
// Output:
//   child Task-1
//   result 3
//   callback
//   end
TEST(Coroutines, AwaitingACoroutineRunsItInlineInTheSameTaskWithoutALoopIteration) {
  Trace t;
  auto grandchild = []() -> Coro<int> { co_return 2; };
  auto child = [&]() -> Coro<int> {
    t("child " + current_task()->get_name());
    co_return co_await grandchild() + 1;
  };
  auto main = [&]() -> Coro<> {
    get_running_loop().call_soon([&] { t("callback"); });
    t("result " + std::to_string(co_await child()));
    co_await sleep(0);
    t("end");
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"child Task-1", "result 3", "callback", "end"}));
}

// Python:
//   import asyncio
//   async def boom():
//       raise ValueError('boom')
//   async def main():
//       try:
//           await boom()
//       except ValueError as e:
//           print(repr(e))
//   asyncio.run(main())
// Output:
//   ValueError('boom')
TEST(Coroutines, ExceptionsPropagateThroughAwait) {
  Trace t;
  auto boom = []() -> Coro<int> { throw ValueError("boom"); co_return 0; };
  auto main = [&]() -> Coro<> {
    try {
      co_await boom();
    } catch (const ValueError& e) {
      t(e.repr());
    }
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"ValueError('boom')"}));
}

// Python:
//   import asyncio
//   async def child():
//       return 1
//   async def main():
//       c = child()
//       await c
//       try:
//           await c
//       except RuntimeError as e:
//           print(e)
//   asyncio.run(main())
// Output:
//   cannot reuse already awaited coroutine
TEST(Coroutines, AwaitingAFinishedCoroutineAgainRaisesCannotReuse) {
  Trace t;
  auto child = []() -> Coro<int> { co_return 1; };
  auto main = [&]() -> Coro<> {
    auto c = child();
    co_await c;
    try {
      co_await c;
    } catch (const RuntimeError& e) {
      t(e.str());
    }
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"cannot reuse already awaited coroutine"}));
}

// Python:
//   import asyncio
//   async def slow():
//       await asyncio.sleep(1)
//       return 'slow'
//   async def main():
//       c = slow()
//       async def first():
//           return await c
//       t = asyncio.create_task(first())
//       await asyncio.sleep(0)
//       try:
//           await c
//       except RuntimeError as e:
//           print(e)
//       print(await t)
//   asyncio.run(main())
// Output:
//   coroutine is being awaited already
//   slow
TEST(Coroutines, AwaitingACoroutineThatIsBeingAwaitedRaises) {
  Trace t;
  auto slow = []() -> Coro<std::string> {
    co_await sleep(1);
    co_return "slow";
  };
  auto main = [&]() -> Coro<> {
    auto c = slow();
    auto first = [&]() -> Coro<std::string> { co_return co_await c; };
    auto task = create_task(first());
    co_await sleep(0);
    try {
      co_await c;
    } catch (const RuntimeError& e) {
      t(e.str());
    }
    t(co_await task);
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"coroutine is being awaited already", "slow"}));
}

Coro<> never_awaited() { co_return; }
Coro<> awaited() { co_return; }

// Python:
//   import asyncio, gc, warnings
//   async def never_awaited():
//       pass
//   async def awaited():
//       pass
//   async def main():
//       never_awaited()
//       gc.collect()
//       await awaited()
//   with warnings.catch_warnings(record=True) as w:
//       warnings.simplefilter('always')
//       asyncio.run(main())
//   for x in w:
//       print(f'{x.category.__name__}: {x.message}')
// Output:
//   RuntimeWarning: coroutine 'never_awaited' was never awaited
TEST(Coroutines, ACoroutineNeverAwaitedWarnsThroughTheWarningSink) {
  WarningLog w;
  auto main = []() -> Coro<> {
    (void)never_awaited();
    co_await awaited();
  };
  run(main());
  EXPECT_EQ(w.lines, (Events{"RuntimeWarning: coroutine 'never_awaited' was never awaited"}));
}

}  // namespace
}  // namespace asyncio::test

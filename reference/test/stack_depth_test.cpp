// Regression: long runs of awaits that complete synchronously must not grow the stack. Coro's awaiter
// resumes the child inside await_suspend and returns false rather than relying on symmetric transfer,
// which g++ does not turn into a tail call at -O0 or under ASan; awaiting a done future or task does
// not suspend at all. Run in the -O0 and the ASan+UBSan builds.
#include "loop_support.hpp"

namespace asyncio::test {
namespace {

constexpr long kAwaits = 1'000'000;

Coro<int> one() { co_return 1; }
Coro<int> one_via_done_future(const Future<int>& f) { co_return co_await f; }

// Python:
//   import asyncio
//   async def one():
//       return 1
//   async def main():
//       s = 0
//       for _ in range(1_000_000):
//           s += await one()
//       return s
//   print(asyncio.run(main()))
// Output:
//   1000000
TEST(StackDepth, AMillionSequentialAwaitsOfCoroutinesThatFinishSynchronously) {
  auto main = []() -> Coro<long> {
    long sum = 0;
    for (long i = 0; i < kAwaits; ++i) sum += co_await one();
    co_return sum;
  };
  EXPECT_EQ(run(main()), kAwaits);
}

// Python:
//   import asyncio
//   async def one():
//       return 1
//   async def via(f):
//       return await f
//   async def main():
//       f = asyncio.get_running_loop().create_future()
//       f.set_result(1)
//       t = asyncio.create_task(one())
//       await t
//       s = 0
//       for _ in range(1_000_000):
//           s += await f
//           s += await t
//           s += await via(f)
//       return s
//   print(asyncio.run(main()))
// Output:
//   3000000
TEST(StackDepth, AMillionAwaitsOfDoneFuturesAndTasks) {
  auto main = []() -> Coro<long> {
    auto f = get_running_loop().create_future<int>();
    f.set_result(1);
    auto t = create_task(one());
    co_await t;
    long sum = 0;
    for (long i = 0; i < kAwaits; ++i) {
      sum += co_await f;
      sum += co_await t;
      sum += co_await one_via_done_future(f);
    }
    co_return sum;
  };
  EXPECT_EQ(run(main()), 3 * kAwaits);
}

}  // namespace
}  // namespace asyncio::test

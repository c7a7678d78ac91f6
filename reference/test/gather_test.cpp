// asyncio.gather (tasks.py: gather, _GatheringFuture).
#include "loop_support.hpp"

namespace asyncio::test {
namespace {

Coro<std::string> worker(Trace& t, std::string name, double delay) {
  co_await sleep(delay);
  t("done " + name);
  co_return name;
}

// Python:
//   import asyncio
//   async def worker(name, delay):
//       await asyncio.sleep(delay)
//       print('done', name)
//       return name
//   async def main():
//       print(await asyncio.gather(worker('a', 0.3), worker('b', 0.1), worker('c', 0.2)))
//       tasks = [asyncio.create_task(worker(n, d)) for n, d in (('x', 0.2), ('y', 0.1))]
//       print(await asyncio.gather(*tasks))
//   asyncio.run(main())
// Output:
//   done b
//   done c
//   done a
//   ['a', 'b', 'c']
//   done y
//   done x
//   ['x', 'y']
TEST(Gather, ResultsComeInArgumentOrderWhateverTheCompletionOrder) {
  Trace t;
  auto main = [&]() -> Coro<> {
    auto [a, b, c] = co_await gather(worker(t, "a", 0.3), worker(t, "b", 0.1), worker(t, "c", 0.2));
    t(a + b + c);
    std::vector<Task<std::string>> tasks{create_task(worker(t, "x", 0.2)), create_task(worker(t, "y", 0.1))};
    auto v = co_await gather(tasks);
    t(v[0] + v[1]);
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"done b", "done c", "done a", "abc", "done y", "done x", "xy"}));
}

// Python:
//   import asyncio
//   async def child(n):
//       print('start', n)
//   async def main():
//       g = asyncio.gather(child(1), child(2), child(3))
//       print('gather returned')
//       await g
//   asyncio.run(main())
// Output:
//   gather returned
//   start 1
//   start 2
//   start 3
TEST(Gather, ChildrenStartInArgumentOrderAfterTheCallerYields) {
  Trace t;
  auto child = [&](int n) -> Coro<> {
    t("start " + std::to_string(n));
    co_return;
  };
  auto main = [&]() -> Coro<> {
    auto g = gather(child(1), child(2), child(3));
    t("gather returned");
    co_await g;
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"gather returned", "start 1", "start 2", "start 3"}));
}

Coro<std::string> ok() { co_return "1"; }
Coro<std::string> bad() {
  throw ValueError("x");
  co_return "";
}
Coro<std::string> slow() {
  co_await sleep(10);
  co_return "slow";
}

std::string outcome_repr(const Outcome<std::string>& o) {
  return o.index() == 0 ? py_repr(std::get<0>(o)) : repr(std::get<1>(o));
}

// Python:
//   import asyncio
//   async def ok():
//       return '1'
//   async def bad():
//       raise ValueError('x')
//   async def slow():
//       await asyncio.sleep(10)
//   async def main():
//       s = asyncio.create_task(slow())
//       g = asyncio.gather(ok(), bad(), s, return_exceptions=True)
//       await asyncio.sleep(0)
//       s.cancel()
//       print([repr(r) for r in await g])
//   asyncio.run(main())
// Output:
//   ["'1'", "ValueError('x')", "CancelledError('')"]
TEST(Gather, ReturnExceptionsPutsErrorsAndAnEmptyCancelledErrorInTheResults) {
  Trace t;
  auto main = [&]() -> Coro<> {
    auto s = create_task(slow());
    auto g = gather(return_exceptions, ok(), bad(), s);
    co_await sleep(0);
    s.cancel();
    auto [a, b, c] = co_await g;
    t(outcome_repr(a));
    t(outcome_repr(b));
    t(outcome_repr(c));
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"'1'", "ValueError('x')", "CancelledError('')"}));
}

// Python:
//   import asyncio
//   async def bad():
//       await asyncio.sleep(0.1)
//       raise ValueError('first')
//   async def sibling():
//       await asyncio.sleep(0.2)
//       print('sibling finished normally')
//       return 's'
//   async def main():
//       sib = asyncio.create_task(sibling())
//       try:
//           await asyncio.gather(bad(), sib)
//       except ValueError as e:
//           print('gather raised', repr(e), sib.done())
//       print(await sib)
//   asyncio.run(main())
// Output:
//   gather raised ValueError('first') False
//   sibling finished normally
//   s
TEST(Gather, TheFirstErrorPropagatesWhileSiblingsKeepRunning) {
  Trace t;
  auto bad_later = []() -> Coro<int> {
    co_await sleep(0.1);
    throw ValueError("first");
  };
  auto sibling = [&]() -> Coro<std::string> {
    co_await sleep(0.2);
    t("sibling finished normally");
    co_return "s";
  };
  auto main = [&]() -> Coro<> {
    auto sib = create_task(sibling());
    try {
      co_await gather(bad_later(), sib);
    } catch (const ValueError& e) {
      t("gather raised " + e.repr() + (sib.done() ? " True" : " False"));
    }
    t(co_await sib);
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"gather raised ValueError('first') False", "sibling finished normally", "s"}));
}

// Python:
//   import asyncio
//   async def slow():
//       await asyncio.sleep(10)
//   async def main():
//       s = asyncio.create_task(slow())
//       g = asyncio.gather(s)
//       await asyncio.sleep(0)
//       s.cancel('child')
//       try:
//           await g
//       except asyncio.CancelledError as e:
//           print(repr(e), g.cancelled(), g.done())
//   asyncio.run(main())
// Output:
//   CancelledError('child') False True
TEST(Gather, ACancelledChildBecomesTheOuterExceptionWhileOuterIsNotCancelled) {
  Trace t;
  auto main = [&]() -> Coro<> {
    auto s = create_task(slow());
    auto g = gather(s);
    co_await sleep(0);
    s.cancel("child");
    try {
      co_await g;
    } catch (const CancelledError& e) {
      t(e.repr() + (g.future().cancelled() ? " True" : " False") + (g.done() ? " True" : " False"));
    }
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"CancelledError('child') False True"}));
}

// Python:
//   import asyncio
//   async def child(n):
//       try:
//           await asyncio.sleep(10)
//       except asyncio.CancelledError as e:
//           print('child', n, 'sees', repr(e))
//           raise
//   async def main():
//       for rex in (False, True):
//           g = asyncio.gather(child(1), child(2), return_exceptions=rex)
//           await asyncio.sleep(0)
//           print(g.cancel('stop'))
//           try:
//               await g
//           except asyncio.CancelledError as e:
//               print('outer', repr(e), g.cancelled(), g.done())
//           print(g.cancel('again'))
//   asyncio.run(main())
// Output:
//   True
//   child 1 sees CancelledError('stop')
//   child 2 sees CancelledError('stop')
//   outer CancelledError('stop') False True
//   False
//   True
//   child 1 sees CancelledError('stop')
//   child 2 sees CancelledError('stop')
//   outer CancelledError('stop') False True
//   False
template <bool ReturnExc>
void cancel_outer(Trace& t) {
  auto child = [&](int n) -> Coro<> {
    try {
      co_await sleep(10);
    } catch (const CancelledError& e) {
      t("child " + std::to_string(n) + " sees " + e.repr());
      throw;
    }
  };
  auto main = [&]() -> Coro<> {
    auto g = make_gathering<ReturnExc>(child(1), child(2));
    co_await sleep(0);
    t(g.cancel("stop") ? "True" : "False");
    try {
      co_await g;
    } catch (const CancelledError& e) {
      t("outer " + e.repr() + (g.future().cancelled() ? " True" : " False") + (g.done() ? " True" : " False"));
    }
    t(g.cancel("again") ? "True" : "False");
  };
  run(main());
}
TEST(Gather, CancellingTheOuterCancelsChildrenAndEndsWithCancelledErrorWhileNotCancelled) {
  const Events expected{"True", "child 1 sees CancelledError('stop')", "child 2 sees CancelledError('stop')",
                        "outer CancelledError('stop') False True", "False"};
  Trace t;
  cancel_outer<false>(t);
  EXPECT_EQ(t.events, expected);
  Trace u;
  cancel_outer<true>(u);
  EXPECT_EQ(u.events, expected);
}

// Python:
//   import asyncio
//   async def co():
//       print('co ran')
//       return 1
//   async def main():
//       f = asyncio.get_running_loop().create_future()
//       t = asyncio.create_task(co())
//       g = asyncio.gather(t, t, f, f)
//       f.set_result('F')
//       print(await g)
//   asyncio.run(main())
// Output:
//   co ran
//   [1, 1, 'F', 'F']
TEST(Gather, DuplicateArgumentsShareOneChild) {
  Trace t;
  auto co = [&]() -> Coro<int> {
    t("co ran");
    co_return 1;
  };
  auto main = [&]() -> Coro<> {
    auto f = get_running_loop().create_future<std::string>();
    auto task = create_task(co());
    auto g = gather(task, task, f, f);
    EXPECT_EQ(g.future().children().size(), 4u);
    f.set_result("F");
    auto [a, b, c, d] = co_await g;
    t(std::to_string(a) + std::to_string(b) + c + d);
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"co ran", "11FF"}));
}

// Python:
//   import asyncio
//   async def main():
//       g = asyncio.gather()
//       print(g.done(), await g)
//       f = asyncio.get_running_loop().create_future()
//       f.set_result(1)
//       g = asyncio.gather(f)
//       print(g.done())
//       await asyncio.sleep(0)
//       print(g.done(), g.result())
//   asyncio.run(main())
// Output:
//   True []
//   False
//   True [1]
TEST(Gather, EmptyGatherIsDoneAtOnceButAGatherOfDoneFuturesWaitsAnIteration) {
  Trace t;
  auto main = [&]() -> Coro<> {
    auto g = gather();
    t(g.done() ? "True" : "False");
    auto empty = co_await g;
    static_assert(std::tuple_size_v<decltype(empty)> == 0);
    auto f = get_running_loop().create_future<int>();
    f.set_result(1);
    auto h = gather(f);
    t(h.done() ? "True" : "False");
    co_await sleep(0);
    t(std::string(h.done() ? "True " : "False ") + std::to_string(std::get<0>(h.result())));
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"True", "False", "True 1"}));
}

// Python:
//   import asyncio, gc
//   def h(loop, c): print(c['message'], '|', ' '.join(f'{k}={v!r}' for k, v in sorted(c.items()) if k != 'message'))
//   async def fail(n, d):
//       await asyncio.sleep(d)
//       raise ValueError(n)
//   async def main():
//       asyncio.get_running_loop().set_exception_handler(h)
//       try:
//           await asyncio.gather(fail('a', 0.1), fail('b', 0.2))
//       except ValueError as e:
//           print(repr(e))
//       await asyncio.sleep(0.3)
//       gc.collect()
//       print('nothing reported')
//   asyncio.run(main())
// Output:
//   ValueError('a')
//   nothing reported
TEST(Gather, ErrorsArrivingAfterTheOuterIsDoneAreMarkedRetrieved) {
  HandlerLog log;
  auto fail = [](std::string n, double d) -> Coro<> {
    co_await sleep(d);
    throw ValueError(n);
  };
  auto main = [&]() -> Coro<> {
    log.install(get_running_loop());
    try {
      co_await gather(fail("a", 0.1), fail("b", 0.2));
    } catch (const ValueError& e) {
      log.lines.push_back(e.repr());
    }
    co_await sleep(0.3);
    log.lines.push_back("nothing reported");
  };
  run(main());
  EXPECT_EQ(log.lines, (Events{"ValueError('a')", "nothing reported"}));
}

}  // namespace
}  // namespace asyncio::test

// asyncio/queues.py: ordering rules and error texts, checked against CPython 3.11.7's output.
// (norm() replaces addresses with 0x..., as in the C++ tests.)
#include <gtest/gtest.h>

#include "sync_support.hpp"

namespace asyncio::test {
namespace {

// async def main():
//     q, log = asyncio.Queue(), []
//     async def g(n):
//         log.append(f'g{n} waits')
//         item = await q.get()
//         log.append(f'g{n} got {item}')
//     t0 = asyncio.create_task(g(0))
//     t1 = asyncio.create_task(g(1))
//     await asyncio.sleep(0)
//     q.put_nowait('a')
//     log.append(f'barger got {q.get_nowait()}')
//     await asyncio.sleep(0)
//     q.put_nowait('b')
//     q.put_nowait('c')
//     await asyncio.gather(t0, t1)
//     print(log)
// asyncio.run(main())
TEST(Queues, WokenGetterThatLosesItsItemRequeuesAtTheTail) {
  Queue<std::string> q;
  Trace log;
  auto g = [&](int n) -> Coro<> {
    log("g" + std::to_string(n) + " waits");
    auto item = co_await q.get();
    log("g" + std::to_string(n) + " got " + item);
  };
  auto main = [&]() -> Coro<> {
    auto t0 = create_task(g(0));
    auto t1 = create_task(g(1));
    co_await sleep(0);
    q.put_nowait("a");
    log("barger got " + q.get_nowait());
    co_await sleep(0);
    q.put_nowait("b");
    q.put_nowait("c");
    co_await gather(t0, t1);
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"g0 waits", "g1 waits", "barger got a", "g1 got b", "g0 got c"}));
}

// async def main():
//     q, log = asyncio.Queue(maxsize=1), []
//     async def putter(item):
//         log.append(f'put {item} waits full={q.full()}')
//         await q.put(item)
//         log.append(f'put {item} done')
//     async def getter(n):
//         item = await q.get()
//         log.append(f'g{n} got {item} qsize={q.qsize()}')
//     await q.put('x')
//     ps = [asyncio.create_task(putter(i)) for i in range(3)]
//     await asyncio.sleep(0)
//     gs = [asyncio.create_task(getter(n)) for n in range(4)]
//     await asyncio.gather(*ps, *gs)
//     log.append(f'empty={q.empty()} full={q.full()} maxsize={q.maxsize}')
//     print(log)
// asyncio.run(main())
TEST(Queues, GettersAndPuttersAreFifo) {
  Queue<std::string> q(1);
  Trace log;
  auto putter = [&](int item) -> Coro<> {
    log("put " + std::to_string(item) + " waits full=" + py_bool(q.full()));
    co_await q.put(std::to_string(item));
    log("put " + std::to_string(item) + " done");
  };
  auto getter = [&](int n) -> Coro<> {
    auto item = co_await q.get();
    log("g" + std::to_string(n) + " got " + item + " qsize=" + std::to_string(q.qsize()));
  };
  auto main = [&]() -> Coro<> {
    co_await q.put("x");
    std::vector<Task<>> ts;
    for (int i = 0; i < 3; ++i) ts.push_back(create_task(putter(i)));
    co_await sleep(0);
    for (int n = 0; n < 4; ++n) ts.push_back(create_task(getter(n)));
    co_await gather(ts);
    log("empty=" + py_bool(q.empty()) + " full=" + py_bool(q.full()) + " maxsize=" + std::to_string(q.maxsize()));
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"put 0 waits full=True", "put 1 waits full=True", "put 2 waits full=True",
                                "g0 got x qsize=0", "put 0 done", "g1 got 0 qsize=0", "put 1 done",
                                "g2 got 1 qsize=0", "put 2 done", "g3 got 2 qsize=0",
                                "empty=True full=False maxsize=1"}));
}

// async def main():
//     q, log = asyncio.Queue(), []
//     async def g(n):
//         try:
//             item = await q.get()
//         except asyncio.CancelledError:
//             log.append(f'g{n} cancelled')
//             raise
//         log.append(f'g{n} got {item}')
//     t0 = asyncio.create_task(g(0))
//     t1 = asyncio.create_task(g(1))
//     await asyncio.sleep(0)
//     q.put_nowait('a')
//     t0.cancel()
//     await asyncio.gather(t0, t1, return_exceptions=True)
//     log.append(f'qsize={q.qsize()}')
//     print(log)
// asyncio.run(main())
TEST(Queues, CancelledWokenGetterPassesTheItemOn) {
  Queue<std::string> q;
  Trace log;
  auto g = [&](int n) -> Coro<> {
    std::string item;
    try {
      item = co_await q.get();
    } catch (const CancelledError&) {
      log("g" + std::to_string(n) + " cancelled");
      throw;
    }
    log("g" + std::to_string(n) + " got " + item);
  };
  auto main = [&]() -> Coro<> {
    auto t0 = create_task(g(0));
    auto t1 = create_task(g(1));
    co_await sleep(0);
    q.put_nowait("a");
    t0.cancel();
    co_await gather(return_exceptions, t0, t1);
    log("qsize=" + std::to_string(q.qsize()));
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"g0 cancelled", "g1 got a", "qsize=0"}));
}

// async def main():
//     q, log = asyncio.Queue(1), []
//     async def p(item):
//         try:
//             await q.put(item)
//         except asyncio.CancelledError:
//             log.append(f'put {item} cancelled')
//             raise
//         log.append(f'put {item} done')
//     q.put_nowait('x')
//     t0 = asyncio.create_task(p('a'))
//     t1 = asyncio.create_task(p('b'))
//     await asyncio.sleep(0)
//     log.append(f'got {q.get_nowait()}')
//     t0.cancel()
//     await asyncio.gather(t0, t1, return_exceptions=True)
//     log.append(f'items={[q.get_nowait() for _ in range(q.qsize())]}')
//     print(log)
// asyncio.run(main())
TEST(Queues, CancelledWokenPutterPassesTheSlotOn) {
  Queue<std::string> q(1);
  Trace log;
  auto p = [&](std::string item) -> Coro<> {
    try {
      co_await q.put(item);
    } catch (const CancelledError&) {
      log("put " + item + " cancelled");
      throw;
    }
    log("put " + item + " done");
  };
  auto main = [&]() -> Coro<> {
    q.put_nowait("x");
    auto t0 = create_task(p("a"));
    auto t1 = create_task(p("b"));
    co_await sleep(0);
    log("got " + q.get_nowait());
    t0.cancel();
    co_await gather(return_exceptions, t0, t1);
    std::string items;
    while (!q.empty()) items += (items.empty() ? "'" : ", '") + q.get_nowait() + "'";
    log("items=[" + items + "]");
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"got x", "put a cancelled", "put b done", "items=['b']"}));
}

// async def main():
//     q, log = asyncio.Queue(), []
//     async def worker():
//         while True:
//             item = await q.get()
//             log.append(f'work {item}')
//             await asyncio.sleep(0)
//             q.task_done()
//             log.append(f'done {item} unfinished={q._unfinished_tasks}')
//     async def joiner():
//         await q.join()
//         log.append('joined')
//     for i in range(2):
//         q.put_nowait(i)
//     j = asyncio.create_task(joiner())
//     w = asyncio.create_task(worker())
//     await j
//     await q.join()
//     log.append('join on a finished queue returns at once')
//     w.cancel()
//     try:
//         q.task_done()
//     except ValueError as e:
//         log.append(str(e))
//     print(log)
// asyncio.run(main())
TEST(Queues, JoinWaitsForEveryTaskDone) {
  Queue<int> q;
  Trace log;
  auto worker = [&]() -> Coro<> {
    while (true) {
      int item = co_await q.get();
      log("work " + std::to_string(item));
      co_await sleep(0);
      q.task_done();
      log("done " + std::to_string(item) + " unfinished=" + std::to_string(q.unfinished_tasks()));
    }
  };
  auto joiner = [&]() -> Coro<> {
    co_await q.join();
    log("joined");
  };
  auto main = [&]() -> Coro<> {
    for (int i = 0; i < 2; ++i) q.put_nowait(i);
    auto j = create_task(joiner());
    auto w = create_task(worker());
    co_await j;
    co_await q.join();
    log("join on a finished queue returns at once");
    w.cancel();
    try {
      q.task_done();
    } catch (const ValueError& e) {
      log(e.str());
    }
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"work 0", "done 0 unfinished=1", "work 1", "done 1 unfinished=0", "joined",
                                "join on a finished queue returns at once", "task_done() called too many times"}));
}

// async def main():
//     q = asyncio.Queue(1)
//     try:
//         q.get_nowait()
//     except asyncio.QueueEmpty as e:
//         print(type(e).__module__, repr(e), repr(str(e)))
//     q.put_nowait(1)
//     try:
//         q.put_nowait(2)
//     except asyncio.QueueFull as e:
//         print(type(e).__module__, repr(e), repr(str(e)))
// asyncio.run(main())
TEST(Queues, NowaitErrors) {
  Trace log;
  auto main = [&]() -> Coro<> {
    Queue<int> q(1);
    try {
      q.get_nowait();
    } catch (const QueueEmpty& e) {
      log(std::string(e.module_name()) + " " + e.repr() + " " + py_repr(e.str()));
    }
    q.put_nowait(1);
    try {
      q.put_nowait(2);
    } catch (const QueueFull& e) {
      log(std::string(e.module_name()) + " " + e.repr() + " " + py_repr(e.str()));
    }
    co_return;
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"asyncio.queues QueueEmpty() ''", "asyncio.queues QueueFull() ''"}));
}

struct Item {
  int prio;
  std::string name;
  bool operator<(const Item& o) const { return prio < o.prio; }  // ties are not ordered by name
};

// class Item:
//     def __init__(self, prio, name): self.prio, self.name = prio, name
//     def __lt__(self, other): return self.prio < other.prio
// async def main():
//     q = asyncio.PriorityQueue()
//     for prio, name in [(1, 'a'), (1, 'b'), (0, 'c'), (1, 'd'), (0, 'e'), (2, 'f'), (1, 'g'), (0, 'h'), (1, 'i')]:
//         q.put_nowait(Item(prio, name))
//     print([f'{it.prio}{it.name}' for it in q._queue])
//     print([f'{it.prio}{it.name}' for it in (q.get_nowait() for _ in range(q.qsize()))])
// asyncio.run(main())
TEST(Queues, PriorityQueueTiesFollowHeapq) {
  PriorityQueue<Item> q;
  for (auto [prio, name] : std::vector<std::pair<int, std::string>>{
           {1, "a"}, {1, "b"}, {0, "c"}, {1, "d"}, {0, "e"}, {2, "f"}, {1, "g"}, {0, "h"}, {1, "i"}})
    q.put_nowait(Item{prio, name});
  std::vector<std::string> heap, popped;
  for (auto& it : q.items()) heap.push_back(std::to_string(it.prio) + it.name);
  while (!q.empty()) {
    auto it = q.get_nowait();
    popped.push_back(std::to_string(it.prio) + it.name);
  }
  EXPECT_EQ(heap, (Events{"0c", "0e", "1a", "0h", "1b", "2f", "1g", "1d", "1i"}));
  EXPECT_EQ(popped, (Events{"0c", "0e", "0h", "1a", "1g", "1b", "1d", "1i", "2f"}));
}

// async def main():
//     l, p = asyncio.LifoQueue(), asyncio.PriorityQueue()
//     for x in [3, 1, 2]:
//         l.put_nowait(x)
//         p.put_nowait((x, str(x)))
//     print(str(l), str(p))
//     print([l.get_nowait() for _ in range(3)], [p.get_nowait() for _ in range(3)])
// asyncio.run(main())
TEST(Queues, LifoAndPriorityOrder) {
  LifoQueue<int> l;
  PriorityQueue<std::tuple<int, std::string>> p;
  for (int x : {3, 1, 2}) {
    l.put_nowait(x);
    p.put_nowait({x, std::to_string(x)});
  }
  EXPECT_EQ(l.str() + " " + p.str(),
            "<LifoQueue maxsize=0 _queue=[3, 1, 2] tasks=3> "
            "<PriorityQueue maxsize=0 _queue=[(1, '1'), (3, '3'), (2, '2')] tasks=3>");
  std::vector<int> lo;
  std::vector<std::tuple<int, std::string>> po;
  for (int i = 0; i < 3; ++i) {
    lo.push_back(l.get_nowait());
    po.push_back(p.get_nowait());
  }
  EXPECT_EQ(lo, (std::vector<int>{2, 1, 3}));
  EXPECT_EQ(po, (std::vector<std::tuple<int, std::string>>{{1, "1"}, {2, "2"}, {3, "3"}}));
}

// async def main():
//     q = asyncio.Queue(2)
//     print(norm(repr(q)), str(q))
//     g = asyncio.create_task(q.get())
//     await asyncio.sleep(0)
//     print(str(q))
//     q.put_nowait('a')
//     await g
//     q.put_nowait('b')
//     q.put_nowait('c')
//     p = asyncio.create_task(q.put('d'))
//     await asyncio.sleep(0)
//     print(norm(repr(q)))
//     p.cancel()
//     await asyncio.gather(p, return_exceptions=True)
//     print(str(q))
// asyncio.run(main())
TEST(Queues, ReprAndStr) {
  Queue<std::string> q(2);
  Trace log;
  auto main = [&]() -> Coro<> {
    log(norm(q.repr()) + " " + q.str());
    auto g = create_task(q.get());
    co_await sleep(0);
    log(q.str());
    q.put_nowait("a");
    co_await g;
    q.put_nowait("b");
    q.put_nowait("c");
    auto p = create_task(q.put("d"));
    co_await sleep(0);
    log(norm(q.repr()));
    p.cancel();
    co_await gather(return_exceptions, p);
    log(q.str());
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"<Queue at 0x... maxsize=2> <Queue maxsize=2>", "<Queue maxsize=2 _getters[1]>",
                                "<Queue at 0x... maxsize=2 _queue=['b', 'c'] _putters[1] tasks=3>",
                                "<Queue maxsize=2 _queue=['b', 'c'] tasks=3>"}));
}

}  // namespace
}  // namespace asyncio::test
